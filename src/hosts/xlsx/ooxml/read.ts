/**
 * Reads cell values and tables straight from the package's XML: shared strings, the styles that
 * make a number a date, each worksheet's cells, and each table's name and range. One pass over
 * each sheet's XML, no object per cell beyond its value.
 */
import type { RawCell } from "../../host";
import type { Grid, TableRange } from "../../shared/grid";
import { REL, type OoxmlPackage, type SheetEntry } from "./package";
import { attrs, tags, unesc, unescOoxml } from "./xml";

export type { Grid, TableRange } from "../../shared/grid";

export interface SheetRead {
  entry: SheetEntry;
  grid: Grid;
  tables: TableRange[];
}

/** "AB12" → { row: 12, col: 28 }. */
export function decodeCell(ref: string): { row: number; col: number } {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else if (c !== 36) break; // '$'
  }
  return { row: parseInt(ref.slice(i).replace("$", ""), 10), col };
}

/** Texts of the `<t>` runs of a string item, phonetic runs (`<rPh>`) left out. */
function runText(xml: string): string {
  const body = xml.indexOf("<rPh") >= 0 ? xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, "") : xml;
  let out = "";
  const re = /<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)<\/(?:\w+:)?t>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out += m[1];
  return unescOoxml(unesc(out));
}

export async function readSharedStrings(pkg: OoxmlPackage): Promise<string[]> {
  const rel = (await pkg.rels(pkg.workbookPath)).find((r) => r.type === REL.sharedStrings);
  const xml = rel ? await pkg.text(rel.target) : undefined;
  if (!xml) return [];
  const out: string[] = [];
  const re = /<(?:\w+:)?si>([\s\S]*?)<\/(?:\w+:)?si>|<(?:\w+:)?si\/>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) out.push(m[1] === undefined ? "" : runText(m[1]));
  return out;
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A number format shows a date or time when, outside quotes, brackets and escapes, it has y, m, d, h or s. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/_.|\*./g, "");
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** For each cell style index: whether it shows a date. */
export async function readDateStyles(pkg: OoxmlPackage): Promise<boolean[]> {
  const rel = (await pkg.rels(pkg.workbookPath)).find((r) => r.type === REL.styles);
  const xml = rel ? await pkg.text(rel.target) : undefined;
  if (!xml) return [];
  const custom = new Map<number, string>();
  for (const f of tags(xml, "numFmt")) custom.set(Number(f.numFmtId), f.formatCode ?? "");
  const cellXfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? "";
  return tags(cellXfs, "xf").map((xf) => {
    const id = Number(xf.numFmtId ?? 0);
    const code = custom.get(id);
    return code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id);
  });
}

export interface ReadContext {
  shared: string[];
  dateStyles: boolean[];
  date1904: boolean;
}

const MS_PER_DAY = 86_400_000;

function serialToDate(serial: number, date1904: boolean): Date {
  const days = serial - (date1904 ? 24107 : 25569);
  return new Date(Math.round(days * MS_PER_DAY));
}

/** One worksheet's cells as a grid of values (formula cells give their cached result). */
export function readGrid(xml: string, ctx: ReadContext): Grid {
  const rows: RawCell[][] = [];
  const used: number[] = [];
  const start = xml.search(/<(?:\w+:)?sheetData\b/);
  if (start < 0) return { rows, used };
  const rowRe = /<(?:\w+:)?row\b([^>]*?)(\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
  const cellRe = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
  rowRe.lastIndex = start;
  let rowNumber = 0;
  let m: RegExpExecArray | null;
  while ((m = rowRe.exec(xml))) {
    const rAttr = /\br="(\d+)"/.exec(m[1]);
    rowNumber = rAttr ? Number(rAttr[1]) : rowNumber + 1;
    const body = m[3];
    if (!body) continue;
    const out: RawCell[] = [];
    let any = false;
    let col = 0;
    cellRe.lastIndex = 0;
    let c: RegExpExecArray | null;
    while ((c = cellRe.exec(body))) {
      const a = c[1];
      const ref = /\br="([A-Za-z$]+\$?\d+)"/.exec(a);
      col = ref ? decodeCell(ref[1]).col : col + 1;
      const inner = c[2];
      if (!inner) continue;
      const type = /\bt="(\w+)"/.exec(a)?.[1];
      let value: RawCell = null;
      if (type === "inlineStr") {
        const is = /<(?:\w+:)?is>([\s\S]*?)<\/(?:\w+:)?is>/.exec(inner);
        value = is ? runText(is[1]) : null;
      } else {
        const v = /<(?:\w+:)?v>([^<]*)<\/(?:\w+:)?v>/.exec(inner);
        if (v) {
          const text = v[1];
          if (type === "s") value = ctx.shared[Number(text)] ?? null;
          else if (type === "str" || type === "e") value = unescOoxml(unesc(text));
          else if (type === "b") value = text === "1";
          else if (type === "d") value = new Date(text);
          else {
            const n = Number(text);
            const style = /\bs="(\d+)"/.exec(a);
            value = style && ctx.dateStyles[Number(style[1])] && Number.isFinite(n) ? serialToDate(n, ctx.date1904) : n;
          }
        }
      }
      if (value === null || value === "") continue;
      out[col] = value;
      any = true;
    }
    if (any) {
      rows[rowNumber] = out;
      used.push(rowNumber);
    }
  }
  used.sort((x, y) => x - y);
  return { rows, used };
}

/** The tables of one worksheet, from its table parts. */
export async function readTableRanges(pkg: OoxmlPackage, sheetPath: string): Promise<TableRange[]> {
  const out: TableRange[] = [];
  for (const rel of await pkg.rels(sheetPath)) {
    if (rel.type !== REL.table || rel.external) continue;
    const xml = await pkg.text(rel.target);
    if (!xml) continue;
    const head = /<(?:\w+:)?table\b([^>]*)>/.exec(xml);
    if (!head) continue;
    const t = attrs(head[1]);
    const [a, b] = (t.ref ?? "").split(":");
    if (!a) continue;
    const tl = decodeCell(a);
    const br = decodeCell(b ?? a);
    out.push({
      name: t.displayName || t.name,
      top: tl.row,
      left: tl.col,
      bottom: br.row,
      right: br.col,
      headerRow: t.headerRowCount !== "0",
      totalsRow: Number(t.totalsRowCount ?? 0) > 0,
      columns: tags(xml, "tableColumn").map((c) => c.name ?? ""),
    });
  }
  return out;
}

export async function readContext(pkg: OoxmlPackage): Promise<ReadContext> {
  const workbook = await pkg.required(pkg.workbookPath);
  const pr = tags(workbook, "workbookPr")[0];
  return {
    shared: await readSharedStrings(pkg),
    dateStyles: await readDateStyles(pkg),
    date1904: pr?.date1904 === "1" || pr?.date1904 === "true",
  };
}
