/**
 * A committed sample with more rows in its Settings table: the rows are written as inline
 * strings after the table's last row, and the table's ref (and its autofilter's) extended over
 * them — as a user adds a row inside the table. Every other part is copied as it is.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { entryContent, makeEntry, readZip, writeZip } from "../../scripts/lib/zip";

const escapeXml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const attribute = (element: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1];

/** The workbook's bytes with `rows` ([key, value]) added at the end of the table named `table` (default Settings). */
export function withSettingsRows(xlsx: Buffer, rows: readonly (readonly [string, string | number])[], table = "Settings"): Buffer {
  const entries = readZip(xlsx);
  const text = (name: string): string => {
    const entry = entries.find((e) => e.name === name);
    if (!entry) throw new Error(`the workbook has no ${name}`);
    return entryContent(entry).toString("utf8");
  };
  const replace = (name: string, content: string) => {
    const i = entries.findIndex((e) => e.name === name);
    entries[i] = makeEntry(name, content);
  };
  // The table's part, and the sheet that links it.
  const tableFile = entries.map((e) => e.name).find((n) => n.startsWith("xl/tables/") && n.endsWith(".xml") && attribute(/<table\s[^>]*>/.exec(text(n))?.[0] ?? "", "name") === table);
  if (!tableFile) throw new Error(`the workbook has no table ${table}`);
  const base = tableFile.replace(/^xl\/tables\//, "");
  const relsFile = entries.map((e) => e.name).find((n) => /^xl\/worksheets\/_rels\/.*\.rels$/.test(n) && text(n).includes(`tables/${base}"`));
  if (!relsFile) throw new Error(`no sheet links ${tableFile}`);
  const sheetFile = relsFile.replace("_rels/", "").replace(/\.rels$/, "");
  const tableXml = text(tableFile);
  const ref = attribute(/<table\s[^>]*>/.exec(tableXml)![0], "ref")!;
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref);
  if (!m) throw new Error(`table ${table} has ref ${ref}`);
  const last = Number(m[4]);
  const newRef = `${m[1]}${m[2]}:${m[3]}${last + rows.length}`;
  replace(tableFile, tableXml.split(`ref="${ref}"`).join(`ref="${newRef}"`));
  const cell = (col: string, r: number, v: string | number): string =>
    typeof v === "number" ? `<c r="${col}${r}"><v>${v}</v></c>` : `<c r="${col}${r}" t="inlineStr"><is><t>${escapeXml(v)}</t></is></c>`;
  const added = rows.map(([k, v], i) => `<row r="${last + 1 + i}">${cell("A", last + 1 + i, k)}${cell("B", last + 1 + i, v)}</row>`).join("");
  const sheetXml = text(sheetFile);
  if (!sheetXml.includes("</sheetData>")) throw new Error(`${sheetFile} has no sheetData`);
  replace(sheetFile, sheetXml.replace(/<dimension ref="[^"]*"\/>/, "").replace("</sheetData>", `${added}</sheetData>`));
  return writeZip(entries, new Date(Date.UTC(2026, 11, 1)));
}

/** Writes `source` with the added Settings rows to `out`; returns `out`. */
export function writeWithSettingsRows(source: string, out: string, rows: readonly (readonly [string, string | number])[]): string {
  writeFileSync(out, withSettingsRows(readFileSync(source), rows));
  return out;
}
