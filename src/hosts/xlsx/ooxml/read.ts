/**
 * Reads cell values and tables from the package: shared strings (streamed with saxes), the
 * styles that make a number a date and the table parts (DOMs), and each worksheet's cells (the
 * namespace-aware scanner of ./scan.ts). Every element is found by its namespace URI.
 */
import { SaxesParser } from "saxes";
import type { RawCell } from "../../host";
import type { Grid, TableRange } from "../../shared/grid";
import { REL, type OoxmlPackage } from "./package";
import { knownNamespace, NsScanner, Token, XmlSyntaxError } from "./scan";
import { attr, child, children, NS, root, unescOoxml, XmlPartError } from "./xml";

export type { Grid, TableRange } from "../../shared/grid";

const MAIN = knownNamespace(NS.main);

/** Whether the scanner's current element is SpreadsheetML's `local`. */
const isMain = (s: NsScanner, local: string): boolean => s.uri === MAIN && s.local === local;

/** "AB12" → { row: 12, col: 28 }. */
export function decodeCell(ref: string): { row: number; col: number } {
  return { row: rowOfRef(ref), col: columnOfRef(ref) };
}

/** The column of a cell reference ("AB12" → 28); `$` signs are skipped. */
export function columnOfRef(ref: string): number {
  return columnAt(ref, 0, ref.length);
}

/** The column of the cell reference spelt in text[start, end). */
function columnAt(text: string, start: number, end: number): number {
  let col = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else if (c !== 36) break;
  }
  return col;
}

/** The row of a cell reference ("AB12" → 12), NaN when it has none. */
export function rowOfRef(ref: string): number {
  let row = 0;
  let digits = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      row = row * 10 + (c - 48);
      digits++;
    }
  }
  return digits ? row : NaN;
}

/**
 * The shared strings: the text of each `<si>`, its runs joined, phonetic runs (`<rPh>`) left out.
 * Streamed, since a workbook exported from a system can hold hundreds of thousands of strings.
 */
export async function readSharedStrings(pkg: OoxmlPackage): Promise<string[]> {
  const rel = (await pkg.rels(pkg.workbookPath)).find((r) => r.type === REL.sharedStrings && !r.external);
  const xml = rel ? await pkg.text(rel.target) : undefined;
  if (!xml) return [];
  const out: string[] = [];
  const parser = new SaxesParser({ xmlns: true, position: false });
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  let rooted = false;
  parser.on("opentag", (tag) => {
    if (!rooted) {
      rooted = true;
      if (tag.uri !== MAIN || tag.local !== "sst") throw new XmlPartError(rel!.target, `its root is <${tag.name}>, not a shared string table`);
    }
    if (tag.uri !== MAIN) return;
    if (tag.local === "si") current = "";
    else if (tag.local === "rPh") phonetic++;
    else if (tag.local === "t" && phonetic === 0) inText = true;
  });
  parser.on("text", (text) => {
    if (inText && current !== null) current += text;
  });
  parser.on("cdata", (text) => {
    if (inText && current !== null) current += text;
  });
  parser.on("closetag", (tag) => {
    if (tag.uri !== MAIN) return;
    if (tag.local === "t") inText = false;
    else if (tag.local === "rPh") phonetic--;
    else if (tag.local === "si") {
      out.push(unescOoxml(current ?? ""));
      current = null;
    }
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    if (e instanceof XmlPartError) throw e;
    throw new XmlPartError(rel!.target, (e as Error).message);
  }
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

/** For each cell format (cellXfs index): whether it shows a date. */
export async function readDateStyles(pkg: OoxmlPackage): Promise<boolean[]> {
  const rel = (await pkg.rels(pkg.workbookPath)).find((r) => r.type === REL.styles && !r.external);
  const doc = rel ? await pkg.dom(rel.target) : undefined;
  if (!doc || !rel) return [];
  const sheet = root(doc, MAIN, "styleSheet", rel.target);
  const custom = new Map<number, string>();
  const numFmts = child(sheet, MAIN, "numFmts");
  if (numFmts) for (const f of children(numFmts, MAIN, "numFmt")) custom.set(Number(attr(f, "numFmtId")), attr(f, "formatCode") ?? "");
  const cellXfs = child(sheet, MAIN, "cellXfs");
  if (!cellXfs) return [];
  return children(cellXfs, MAIN, "xf").map((xf) => {
    const id = Number(attr(xf, "numFmtId") ?? 0);
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

/** A cell's value from its type (`t`), style (`s`, -1 when it has none) and the text of its `<v>`. */
function cellValue(type: string | undefined, style: number, text: string, ctx: ReadContext): RawCell {
  switch (type) {
    case "s": {
      const i = Number(text);
      return Number.isInteger(i) ? ctx.shared[i] ?? null : null;
    }
    case "str":
    case "e":
      return unescOoxml(text);
    case "b":
      return text.trim() === "1" || text.trim() === "true";
    case "d": {
      const d = new Date(text.trim());
      return Number.isNaN(d.getTime()) ? text : d;
    }
    default: {
      const t = text.trim();
      if (t === "") return null;
      const n = Number(t);
      if (!Number.isFinite(n)) return t;
      return style >= 0 && ctx.dateStyles[style] ? serialToDate(n, ctx.date1904) : n;
    }
  }
}

const CELL_ATTRS = ["r", "t", "s"] as const;
const cellAttrs: (string | undefined)[] = [undefined, undefined, undefined];
const cellSpans = new Int32Array(2 * CELL_ATTRS.length);
const ROW_ATTRS = ["r"] as const;
const rowSpans = new Int32Array(2);

/** The one-letter cell types SpreadsheetML defines, by their letter, as the constants cellValue compares with. */
const LETTER_TYPES: (string | undefined)[] = [];
for (const t of ["n", "s", "b", "e", "d"]) LETTER_TYPES[t.charCodeAt(0)] = t;

/** The cell type spelt in xml[start, end) (undefined when start is -1: no `t`), as one of cellValue's constants when it is one. */
function typeAt(xml: string, start: number, end: number): string | undefined {
  if (start < 0) return undefined;
  const n = end - start;
  const known = n === 1 ? LETTER_TYPES[xml.charCodeAt(start)] : n === 9 && xml.startsWith("inlineStr", start) ? "inlineStr" : n === 3 && xml.startsWith("str", start) ? "str" : undefined;
  return known ?? xml.slice(start, end);
}

/** The number spelt in xml[start, end): digits are read in place, anything else as Number() reads it. */
function numberAt(xml: string, start: number, end: number): number {
  if (end <= start || end - start > 15) return Number(xml.slice(start, end));
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = xml.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(xml.slice(start, end));
    v = v * 10 + d;
  }
  return v;
}

/**
 * One worksheet's cells as a grid of values (formula cells give their saved result). A formula
 * cell with no saved result (as scripts write them) holds no value; it is listed in `uncomputed`.
 */
export function readGrid(xml: string, ctx: ReadContext, part = "worksheet"): Grid {
  const rows: RawCell[][] = [];
  const used: number[] = [];
  const uncomputed: [number, number][] = [];
  const s = new NsScanner(xml);
  try {
    if (s.next() !== Token.Start || !isMain(s, "worksheet")) throw new XmlPartError(part, `its root is not a worksheet in ${MAIN}`);
    // Down to sheetData, a child of the root.
    for (;;) {
      const t = s.next();
      if (t === Token.Done || (t === Token.End && s.depth === 0)) return { rows, used };
      if (t === Token.Start && s.depth === 2 && isMain(s, "sheetData")) break;
      if (t === Token.Start && !s.selfClosing && s.depth === 2) s.skipElement();
    }
    if (s.selfClosing) return { rows, used };
    let rowNumber = 0;
    for (;;) {
      const t = s.next();
      if (t === Token.End) break; // </sheetData>
      if (t !== Token.Start) break;
      if (!isMain(s, "row")) {
        if (!s.selfClosing) s.skipElement();
        continue;
      }
      if (s.attrSpans(ROW_ATTRS, rowSpans)) rowNumber = rowSpans[0] >= 0 ? numberAt(xml, rowSpans[0], rowSpans[1]) : rowNumber + 1;
      else rowNumber = Number(s.attr("r"));
      if (s.selfClosing) continue;
      let out: RawCell[] | undefined;
      let col = 0;
      for (;;) {
        const ct = s.next();
        if (ct !== Token.Start) break; // </row>
        if (!isMain(s, "c")) {
          if (!s.selfClosing) s.skipElement();
          continue;
        }
        let type: string | undefined;
        let style = -1;
        if (s.attrSpans(CELL_ATTRS, cellSpans)) {
          col = cellSpans[0] >= 0 ? columnAt(xml, cellSpans[0], cellSpans[1]) : col + 1;
          type = typeAt(xml, cellSpans[2], cellSpans[3]);
          if (cellSpans[4] >= 0) style = numberAt(xml, cellSpans[4], cellSpans[5]);
        } else {
          s.attrs(CELL_ATTRS, cellAttrs);
          const [ref, t, st] = cellAttrs;
          col = ref !== undefined ? columnOfRef(ref) : col + 1;
          type = t;
          if (st !== undefined) style = Number(st);
        }
        if (s.selfClosing) continue;
        let value: RawCell = null;
        let formula = false;
        let saved = false;
        if (type === "inlineStr") {
          const quick = s.simpleInline();
          if (quick !== undefined) {
            saved = true;
            value = unescOoxml(quick);
          }
        } else {
          const quick = s.simpleChild("v");
          if (quick !== undefined) {
            // An empty <v> is a saved result only for a text formula (its result is "").
            if (quick !== "" || type === "str") saved = true;
            value = cellValue(type, style, quick, ctx);
          }
        }
        for (;;) {
          const vt = s.next();
          if (vt !== Token.Start) break; // </c>
          if (isMain(s, "v")) {
            if (s.selfClosing) continue;
            const text = s.text();
            s.next();
            // An empty <v> is a saved result only for a text formula (its result is "").
            if (text !== "" || type === "str") saved = true;
            if (type !== "inlineStr") value = cellValue(type, style, text, ctx);
          } else if (isMain(s, "is")) {
            if (s.selfClosing) continue;
            const text = inlineText(s);
            saved = true;
            if (type === "inlineStr" || type === undefined) value = text;
          } else {
            if (isMain(s, "f")) formula = true;
            if (!s.selfClosing) s.skipElement();
          }
        }
        if (formula && !saved) {
          uncomputed.push([rowNumber, col]);
          continue;
        }
        if (value === null || value === "") continue;
        out ??= rows[rowNumber] ?? (rows[rowNumber] = []);
        out[col] = value;
      }
      if (out && used[used.length - 1] !== rowNumber) used.push(rowNumber);
    }
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw new XmlPartError(part, `${e.message} at character ${e.offset}`);
    throw e;
  }
  // Rows out of order (allowed, if rare) or repeated: sorted and each listed once.
  for (let i = 1; i < used.length; i++) {
    if (used[i] <= used[i - 1]) {
      const sorted = [...new Set(used)].sort((x, y) => x - y);
      used.length = 0;
      used.push(...sorted);
      break;
    }
  }
  return uncomputed.length ? { rows, used, uncomputed } : { rows, used };
}

/** The text of an inline string (`<is>`): its `<t>` and runs' `<t>`, phonetic runs left out. Consumes </is>. */
function inlineText(s: NsScanner): string {
  let out = "";
  const depth = s.depth;
  for (;;) {
    const t = s.next();
    if (t === Token.Done) return out;
    if (t === Token.End) {
      if (s.depth < depth) return unescOoxml(out);
      continue;
    }
    if (isMain(s, "rPh")) {
      if (!s.selfClosing) s.skipElement();
    } else if (isMain(s, "t") && !s.selfClosing) {
      out += s.text();
    }
  }
}

/** The tables of one worksheet, from its table parts. */
export async function readTableRanges(pkg: OoxmlPackage, sheetPath: string): Promise<TableRange[]> {
  const out: TableRange[] = [];
  for (const rel of await pkg.rels(sheetPath)) {
    if (rel.type !== REL.table || rel.external) continue;
    const doc = await pkg.dom(rel.target);
    if (!doc) continue;
    const t = root(doc, MAIN, "table", rel.target);
    const [a, b] = (attr(t, "ref") ?? "").split(":");
    if (!a) continue;
    const tl = decodeCell(a);
    const br = decodeCell(b ?? a);
    const columns = child(t, MAIN, "tableColumns");
    out.push({
      name: attr(t, "displayName") || attr(t, "name") || "",
      top: tl.row,
      left: tl.col,
      bottom: br.row,
      right: br.col,
      headerRow: attr(t, "headerRowCount") !== "0",
      totalsRow: Number(attr(t, "totalsRowCount") ?? 0) > 0,
      columns: columns ? children(columns, MAIN, "tableColumn").map((c) => attr(c, "name") ?? "") : [],
    });
  }
  return out;
}

export async function readContext(pkg: OoxmlPackage): Promise<ReadContext> {
  const doc = await pkg.dom(pkg.workbookPath);
  const wb = doc ? root(doc, MAIN, "workbook", pkg.workbookPath) : undefined;
  const pr = wb ? child(wb, MAIN, "workbookPr") : undefined;
  const date1904 = pr ? attr(pr, "date1904") : undefined;
  return {
    shared: await readSharedStrings(pkg),
    dateStyles: await readDateStyles(pkg),
    date1904: date1904 === "1" || date1904 === "true",
  };
}
