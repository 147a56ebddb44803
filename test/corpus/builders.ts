/**
 * The corpus's TypeScript producers, and the package edits that turn one producer's file into
 * another producer's style:
 *
 * - `exceljsBook`: the logical workbook as ExcelJS writes it (History as an Excel table).
 * - `injectInputs`: the input sheets added to an Excel-made workbook by a raw zip edit — new
 *   worksheet parts, their `<sheet>` elements, relationships and content types — that copies every
 *   other entry of the archive as stored, so the user's content is exactly what Excel saved.
 * - `sdkStyle`: the SpreadsheetML parts re-serialised the way the Open XML SDK (and many ERP
 *   exports) write them: the main namespace bound to `x:`, every declaration on the root, and the
 *   relationships namespace bound to a prefix of our choosing.
 * - `rezip`: the same parts in a zip with data descriptors, or stored in reverse order, with a
 *   UTF-8 entry name and an archive comment.
 */
import { spawnSync } from "node:child_process";
import { DOMParser, type Document, type Element, type Node } from "@xmldom/xmldom";
import ExcelJS from "exceljs";
import { logicalWorkbook, type Cell, type InputSheet, type Lang } from "./logical";
import { contentOf, entryOf, readEntries, writeEntries, type StoredEntry } from "./zip";

export const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
export const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const WORKSHEET_REL = `${REL_NS}/worksheet`;
const WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const XML_NS = "http://www.w3.org/XML/1998/namespace";

const utc = (c: Extract<Cell, { kind: "date" }>) => new Date(Date.UTC(c.year, c.month - 1, c.day));

// ------------------------------------------------------------------ ExcelJS

/** The logical workbook written by ExcelJS: History as an Excel table, the other inputs plain. */
export async function exceljsBook(lang: Lang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Target Cascade corpus";
  wb.created = wb.modified = new Date(Date.UTC(2027, 0, 1));
  const value = (c: Cell): ExcelJS.CellValue => (c.kind === "text" ? c.text : c.kind === "number" ? c.value : c.kind === "date" ? utc(c) : null);
  for (const sheet of logicalWorkbook(lang, true)) {
    const ws = wb.addWorksheet(sheet.sheet);
    const [header, ...rows] = sheet.rows;
    if (sheet.input === "History") {
      ws.addTable({
        name: "History",
        ref: "A1",
        headerRow: true,
        style: { theme: "TableStyleMedium2", showRowStripes: true },
        columns: header.map((h) => ({ name: h.kind === "text" ? h.text : "", filterButton: true })),
        rows: rows.map((r) => r.map(value)),
      });
    } else {
      for (const r of sheet.rows) ws.addRow(r.map(value));
    }
    sheet.rows.forEach((r, i) =>
      r.forEach((c, k) => {
        if (c.kind === "date") ws.getCell(i + 1, k + 1).numFmt = "yyyy-mm-dd";
      }),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ------------------------------------------------------------------ XML helpers

const escText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escAttr = (s: string) => escText(s).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");

function parseXml(text: string, part: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new Error(`${part}: ${message}`);
    },
  }).parseFromString(text, "application/xml");
}

/** Throws unless every text is well-formed, namespace-well-formed XML (xmllint). */
export function assertWellFormed(parts: Record<string, string>): void {
  for (const [name, text] of Object.entries(parts)) {
    const r = spawnSync("xmllint", ["--noout", "--nonet", "-"], { input: text, encoding: "utf8" });
    if (r.error) throw new Error(`xmllint: ${r.error.message}`);
    if (r.status !== 0 || r.stderr.trim()) throw new Error(`${name} is not well-formed: ${r.stderr}`);
  }
}

const colName = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : colName(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

/** Package path of the main part, from _rels/.rels. */
function workbookPathOf(entries: Map<string, StoredEntry>): string {
  const rels = parseXml(contentOf(entries.get("_rels/.rels")!).toString("utf8"), "_rels/.rels");
  const main = Array.from(rels.getElementsByTagNameNS(PKG_REL_NS, "Relationship")).find((r) => r.getAttribute("Type") === `${REL_NS}/officeDocument`);
  if (!main) throw new Error("no officeDocument relationship");
  return main.getAttribute("Target")!.replace(/^\//, "");
}

const relsOf = (part: string) => part.replace(/([^/]*)$/, "_rels/$1.rels");

// ------------------------------------------------------------------ injection into Excel-made files

/** A plain worksheet part holding `rows`: inline strings for text, numbers as numbers. */
function worksheetXml(rows: Cell[][]): string {
  const body = rows
    .map((row, r) => {
      const cells = row
        .map((c, k) => {
          const ref = `${colName(k)}${r + 1}`;
          if (c.kind === "text") {
            const space = /^\s|\s$/.test(c.text) ? ' xml:space="preserve"' : "";
            return `<c r="${ref}" t="inlineStr"><is><t${space}>${escText(c.text)}</t></is></c>`;
          }
          if (c.kind === "number") return `<c r="${ref}"><v>${c.value}</v></c>`;
          if (c.kind === "date") throw new Error("injected sheets write dates as text");
          return "";
        })
        .join("");
      return `<row r="${r + 1}">${cells}</row>`;
    })
    .join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="${MAIN_NS}"><sheetData>${body}</sheetData></worksheet>`;
}

/**
 * The workbook with `sheets` appended as plain worksheets. Only workbook.xml, its relationships
 * and [Content_Types].xml change (by inserting elements before their closing tags); every other
 * entry is copied as stored, compressed bytes and all.
 */
export function injectInputs(base: Buffer, sheets: InputSheet[]): Buffer {
  const list = readEntries(base);
  const entries = new Map(list.map((e) => [e.name, e]));
  const workbookPath = workbookPathOf(entries);
  const relsPath = relsOf(workbookPath);
  const dir = workbookPath.replace(/[^/]*$/, "");
  let workbook = contentOf(entries.get(workbookPath)!).toString("utf8");
  let rels = contentOf(entries.get(relsPath)!).toString("utf8");
  let types = contentOf(entries.get("[Content_Types].xml")!).toString("utf8");

  const doc = parseXml(workbook, workbookPath);
  const sheetsEl = doc.getElementsByTagNameNS(MAIN_NS, "sheets")[0];
  const existing = Array.from(doc.getElementsByTagNameNS(MAIN_NS, "sheet"));
  let sheetId = Math.max(0, ...existing.map((s) => Number(s.getAttribute("sheetId"))));
  const p = sheetsEl.prefix ? `${sheetsEl.prefix}:` : "";
  const relPrefix = sheetsEl.lookupPrefix(REL_NS);
  const ids = new Set(Array.from(parseXml(rels, relsPath).getElementsByTagNameNS(PKG_REL_NS, "Relationship")).map((r) => r.getAttribute("Id")));

  const added: StoredEntry[] = [];
  let n = 1;
  const sheetEls: string[] = [];
  const relEls: string[] = [];
  const overrides: string[] = [];
  for (const sheet of sheets) {
    while (entries.has(`${dir}worksheets/sheet${n}.xml`)) n++;
    const part = `${dir}worksheets/sheet${n}.xml`;
    entries.set(part, entryOf(part, ""));
    let k = 1;
    while (ids.has(`rIdTc${k}`)) k++;
    const id = `rIdTc${k}`;
    ids.add(id);
    const rid = relPrefix ? `${relPrefix}:id="${id}"` : `xmlns:r="${REL_NS}" r:id="${id}"`;
    sheetEls.push(`<${p}sheet name="${escAttr(sheet.sheet)}" sheetId="${++sheetId}" ${rid}/>`);
    relEls.push(`<Relationship Id="${id}" Type="${WORKSHEET_REL}" Target="worksheets/sheet${n}.xml"/>`);
    overrides.push(`<Override PartName="/${part}" ContentType="${WORKSHEET_TYPE}"/>`);
    added.push(entryOf(part, worksheetXml(sheet.rows)));
  }
  const insertBefore = (text: string, close: RegExp, what: string[], part: string): string => {
    const m = close.exec(text);
    if (!m) throw new Error(`${part}: no ${close}`);
    return text.slice(0, m.index) + what.join("") + text.slice(m.index);
  };
  workbook = insertBefore(workbook, new RegExp(`</${p}sheets>`), sheetEls, workbookPath);
  rels = insertBefore(rels, /<\/(?:\w+:)?Relationships>/, relEls, relsPath);
  types = insertBefore(types, /<\/(?:\w+:)?Types>/, overrides, "[Content_Types].xml");
  assertWellFormed({ [workbookPath]: workbook, [relsPath]: rels, "[Content_Types].xml": types });

  const replaced: Record<string, string> = { [workbookPath]: workbook, [relsPath]: rels, "[Content_Types].xml": types };
  const out = list.map((e) => (e.name in replaced ? entryOf(e.name, replaced[e.name]) : e));
  return writeEntries([...out, ...added]);
}

// ------------------------------------------------------------------ the Open XML SDK's style

/**
 * The part re-serialised with the main namespace as `x:`, the relationships namespace as
 * `relPrefix`, every other prefix as it was, and every declaration on the root element.
 */
function reserialise(text: string, part: string, relPrefix: string): string {
  const doc = parseXml(text, part);
  const prefixOf = new Map<string, string>([
    [MAIN_NS, "x"],
    [REL_NS, relPrefix],
  ]);
  const taken = new Map<string, string>([
    ["x", MAIN_NS],
    [relPrefix, REL_NS],
  ]);
  const walk = (el: Element): void => {
    for (const a of Array.from(el.attributes)) {
      if (a.prefix !== "xmlns" && a.name !== "xmlns") continue;
      const uri = a.value;
      if (prefixOf.has(uri)) continue;
      const prefix = a.prefix === "xmlns" ? a.localName! : "";
      if (!prefix) throw new Error(`${part}: a default namespace ${uri} other than the main one`);
      if (taken.has(prefix) && taken.get(prefix) !== uri) throw new Error(`${part}: prefix ${prefix} is bound to two namespaces`);
      prefixOf.set(uri, prefix);
      taken.set(prefix, uri);
    }
    for (const c of Array.from(el.childNodes)) if (c.nodeType === 1) walk(c as Element);
  };
  walk(doc.documentElement!);

  const qname = (ns: string | null, local: string): string => {
    if (!ns) return local;
    if (ns === XML_NS) return `xml:${local}`;
    const prefix = prefixOf.get(ns);
    if (prefix === undefined) throw new Error(`${part}: no prefix for ${ns}`);
    return `${prefix}:${local}`;
  };
  const out: string[] = [];
  const write = (node: Node, root: boolean): void => {
    if (node.nodeType === 3) {
      out.push(escText(node.nodeValue ?? ""));
      return;
    }
    if (node.nodeType === 4) {
      out.push(`<![CDATA[${node.nodeValue}]]>`);
      return;
    }
    if (node.nodeType === 8) {
      out.push(`<!--${node.nodeValue}-->`);
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const name = qname(el.namespaceURI, el.localName!);
    out.push(`<${name}`);
    if (root) for (const [uri, prefix] of prefixOf) out.push(` xmlns:${prefix}="${escAttr(uri)}"`);
    for (const a of Array.from(el.attributes)) {
      if (a.prefix === "xmlns" || a.name === "xmlns") continue;
      out.push(` ${qname(a.namespaceURI, a.localName!)}="${escAttr(a.value)}"`);
    }
    if (el.childNodes.length === 0) {
      out.push("/>");
      return;
    }
    out.push(">");
    for (const c of Array.from(el.childNodes)) write(c, false);
    out.push(`</${name}>`);
  };
  write(doc.documentElement!, true);
  return `<?xml version="1.0" encoding="utf-8"?>${out.join("")}`;
}

/** Every SpreadsheetML part of the package in the Open XML SDK's style (see `reserialise`). */
export function sdkStyle(base: Buffer, relPrefix: string): Buffer {
  const list = readEntries(base);
  const rewritten: Record<string, string> = {};
  for (const e of list) {
    if (!e.name.endsWith(".xml")) continue;
    const text = contentOf(e).toString("utf8");
    const root = parseXml(text, e.name).documentElement;
    if (root?.namespaceURI === MAIN_NS) rewritten[e.name] = reserialise(text, e.name, relPrefix);
  }
  assertWellFormed(rewritten);
  return writeEntries(list.map((e) => (e.name in rewritten ? entryOf(e.name, rewritten[e.name]) : e)));
}

// ------------------------------------------------------------------ zip variants

/**
 * The package's parts in a new zip: `data-descriptors` deflates them in their order with crc and
 * sizes after the data; `stored-reversed` stores them uncompressed in reverse order. Both rename
 * the first worksheet's part to a UTF-8 name and carry an archive comment.
 */
export function rezip(base: Buffer, kind: "data-descriptors" | "stored-reversed"): Buffer {
  const list = readEntries(base).filter((e) => !e.name.endsWith("/"));
  const entries = new Map(list.map((e) => [e.name, e]));
  const workbookPath = workbookPathOf(entries);
  const relsPath = relsOf(workbookPath);
  const dir = workbookPath.replace(/[^/]*$/, "");
  let rels = contentOf(entries.get(relsPath)!).toString("utf8");
  let types = contentOf(entries.get("[Content_Types].xml")!).toString("utf8");

  // The first worksheet's part gets a UTF-8 name (its relationship and override follow it).
  const first = Array.from(parseXml(rels, relsPath).getElementsByTagNameNS(PKG_REL_NS, "Relationship")).find((r) => r.getAttribute("Type") === WORKSHEET_REL);
  if (!first) throw new Error("no worksheet");
  const target = first.getAttribute("Target")!;
  const oldPart = target.startsWith("/") ? target.slice(1) : dir + target;
  const newPart = oldPart.replace(/[^/]*$/, "目标·Targets.xml");
  if (entries.has(relsOf(oldPart))) throw new Error(`${oldPart} has relationships: pick a sheet without`);
  rels = rels.replace(`Target="${target}"`, `Target="${target.replace(/[^/]*$/, "目标·Targets.xml")}"`);
  types = types.replace(`PartName="/${oldPart}"`, `PartName="/${newPart}"`);
  if (!types.includes(newPart)) throw new Error(`[Content_Types].xml has no override for /${oldPart}`);
  assertWellFormed({ [relsPath]: rels, "[Content_Types].xml": types });

  const method = kind === "stored-reversed" ? 0 : 8;
  const rebuilt = list.map((e) => {
    const name = e.name === oldPart ? newPart : e.name;
    const data = e.name === relsPath ? Buffer.from(rels, "utf8") : e.name === "[Content_Types].xml" ? Buffer.from(types, "utf8") : contentOf(e);
    return entryOf(name, data, method);
  });
  if (kind === "stored-reversed") rebuilt.reverse();
  return writeEntries(rebuilt, {
    dataDescriptors: kind === "data-descriptors",
    comment: kind === "data-descriptors" ? "Target Cascade corpus: entries with data descriptors" : "Target Cascade corpus: stored entries in reverse order",
  });
}
