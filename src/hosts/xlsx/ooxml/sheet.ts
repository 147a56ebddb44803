/**
 * One SheetSpec as SpreadsheetML: the worksheet part (values, formulas with their cached results,
 * styles, column widths, frozen panes, conditional formats) and its table part. Strings are
 * always written as inline text, so a name such as "=1+1" can never become a formula.
 */
import { cellRef, columnLetter, parseRangeRef } from "../../../report/a1";
import type { CellSpec, ConditionalFormatSpec, PrintSpec, SheetSpec, StyleSpec } from "../../../report/spec";
import { printOf } from "../../../report/print";
import { chartXml, drawingXml } from "./chart";
import type { CellLook, StyleBook } from "./styles";
import { esc } from "./xml";
import { DeflatingPart, type StoredPart } from "./zip";

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** A number as SpreadsheetML writes it (shortest round-trip form; no NaN or Infinity). */
function num(v: number): string {
  return Number.isFinite(v) ? String(v) : "0";
}

const enc = (text: string): Buffer => Buffer.from(text, "utf8");

/** The fixed pieces of cell markup, as bytes. */
const B = {
  rowOpen: enc('<row r="'),
  rowClose: enc("</row>"),
  close: enc('">'),
  numberEnd: enc("</v></c>"),
  cellEnd: enc("</c>"),
};

/**
 * Writes a worksheet's bytes into megabyte buffers, each handed to the part's deflater when full.
 * Cell data is written byte by byte from pieces encoded once (the markup, each column's letters,
 * each distinct text), so a 265,000-row sheet makes almost no garbage and is never one string.
 * Every chunk but the last is exactly CHUNK bytes (a piece that does not fit is split across two),
 * so the compressed part depends only on the XML, not on how it was written.
 */
export const CHUNK = 1 << 20;

export class SheetWriter {
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private flushed = false;

  constructor(private readonly part: Pick<DeflatingPart, "write">) {}

  /** Hands what is written so far to the deflater. */
  flush(): void {
    if (this.pos === 0) return;
    this.part.write(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
    this.flushed = true;
  }

  /** Whether a chunk went to the deflater since the last call (the caller may then wait for room). */
  takeFlushed(): boolean {
    const f = this.flushed;
    this.flushed = false;
    return f;
  }

  /** b[0, n): to the end of this chunk, the rest in the next ones. */
  private split(b: Uint8Array, n: number): void {
    let at = 0;
    while (at < n) {
      if (this.pos === CHUNK) this.flush();
      const take = Math.min(CHUNK - this.pos, n - at);
      this.buf.set(b.subarray(at, at + take), this.pos);
      this.pos += take;
      at += take;
    }
  }

  /** The first n bytes of b (all of them by default). */
  bytes(b: Uint8Array, n = b.length): void {
    let p = this.pos;
    if (p + n > CHUNK) return this.split(b, n);
    const buf = this.buf;
    // A byte loop costs about 3.5 ns a byte here, set() about 20 ns a call: the loop only for the shortest pieces.
    if (n < 10) for (let i = 0; i < n; i++) buf[p++] = b[i];
    else {
      buf.set(n === b.length ? b : b.subarray(0, n), p);
      p += n;
    }
    this.pos = p;
  }

  text(s: string): void {
    if (this.pos + s.length * 3 <= CHUNK) this.pos += this.buf.write(s, this.pos, "utf8");
    else this.bytes(enc(s));
  }

  /** A whole number 0 ≤ n < 2^53 in decimal. */
  uint(n: number): void {
    this.bytes(DIGITS, decimalDigits(n, DIGITS));
  }

  /** A number as SpreadsheetML writes it (shortest round-trip form; no NaN or Infinity). */
  number(v: number): void {
    if (Number.isSafeInteger(v) && v >= 0) this.uint(v);
    else this.text(Number.isFinite(v) ? String(v) : "0");
  }
}

/** Scratch for a number's digits. */
const DIGITS = new Uint8Array(16);

/** Writes the decimal digits of a whole number 0 ≤ n < 2^53 at the start of `out`; returns how many. */
function decimalDigits(n: number, out: Uint8Array): number {
  if (n >= 0x80000000) {
    const text = String(n);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return text.length;
  }
  let digits = 1;
  for (let m = n; m >= 10; m = (m / 10) | 0) digits++;
  let p = digits;
  let m = n;
  do {
    const q = (m / 10) | 0;
    out[--p] = 48 + m - q * 10;
    m = q;
  } while (m > 0);
  return digits;
}

/** What follows a cell's reference, up to its value, per cell format: ` s="3"><v>` and the like. */
interface StylePieces {
  empty: Buffer;
  number: Buffer;
  bool: Buffer;
  /** Everything after the reference of a text cell in this format, encoded once per distinct text. */
  texts: Map<string, Buffer>;
  inline: string;
  str: Buffer;
  close: Buffer;
}

function stylePieces(xf: number): StylePieces {
  const s = xf ? `" s="${xf}"` : `"`;
  return { empty: enc(`${s}/>`), number: enc(`${s}><v>`), bool: enc(`${s} t="b"><v>`), texts: new Map(), inline: `${s} t="inlineStr">`, str: enc(`${s} t="str">`), close: enc(`${s}>`) };
}

/** A text cell's markup after its reference, as an inline string: encoded once per format and distinct text of a sheet. */
function inlineCell(value: string, style: StylePieces): Buffer {
  let xml = style.texts.get(value);
  if (xml === undefined) {
    // xml:space="preserve" only where a spreadsheet would otherwise trim the text.
    xml = enc(`${style.inline}<is><t${/^\s|\s$|[\t\n\r]/.test(value) ? ' xml:space="preserve"' : ""}>${esc(value)}</t></is></c>`);
    style.texts.set(value, xml);
  }
  return xml;
}

/** One cell; nothing for an empty cell without a style. `open` is `<c r="` and the column's letters, `row` the row's digits. */
function writeCell(w: SheetWriter, open: Buffer, row: Uint8Array, rowLength: number, value: CellSpec, xf: number, style: StylePieces): void {
  if ((value === null || value === undefined) && !xf) return;
  w.bytes(open);
  w.bytes(row, rowLength);
  if (value === null || value === undefined) return w.bytes(style.empty);
  if (typeof value === "number") {
    w.bytes(style.number);
    w.number(value);
    return w.bytes(B.numberEnd);
  }
  if (typeof value === "boolean") {
    w.bytes(style.bool);
    w.uint(value ? 1 : 0);
    return w.bytes(B.numberEnd);
  }
  if (typeof value === "string") return w.bytes(inlineCell(value, style));
  const f = `<f>${esc(value.formula.replace(/^=/, ""))}</f>`;
  if (typeof value.result === "string") {
    w.bytes(style.str);
    return w.text(`${f}<v>${esc(value.result)}</v></c>`);
  }
  w.bytes(style.close);
  w.text(f);
  if (value.result !== undefined) {
    w.text("<v>");
    w.number(value.result);
    w.text("</v>");
  }
  w.bytes(B.cellEnd);
}

/**
 * Each cell's look, from the sheet's number formats (filled cells only) and its styles (in order,
 * later properties over earlier ones), as a small integer per cell → cellXfs index.
 */
function cellStyles(spec: SheetSpec, book: StyleBook, width: number): Int32Array {
  const height = spec.rows.length;
  const looks: CellLook[] = [{}];
  const lookIds = new Map<string, number>([["{}", 0]]);
  const lookOf = (look: CellLook): number => {
    const key = JSON.stringify(look);
    let id = lookIds.get(key);
    if (id === undefined) {
      id = looks.length;
      looks.push(look);
      lookIds.set(key, id);
    }
    return id;
  };
  const ids = new Int32Array(height * width);
  const apply = (range: string, filledOnly: boolean, change: (look: CellLook) => CellLook): void => {
    const r = parseRangeRef(range);
    const memo = new Map<number, number>();
    for (let row = r.top; row <= Math.min(r.bottom, height); row++) {
      const cells = spec.rows[row - 1];
      for (let col = r.left; col <= Math.min(r.right, width); col++) {
        if (filledOnly && (cells[col - 1] === null || cells[col - 1] === undefined)) continue;
        const k = (row - 1) * width + (col - 1);
        let next = memo.get(ids[k]);
        if (next === undefined) {
          next = lookOf(change(looks[ids[k]]));
          memo.set(ids[k], next);
        }
        ids[k] = next;
      }
    }
  };
  for (const { range, format } of spec.numberFormats) apply(range, true, (look) => ({ ...look, numFmt: format }));
  for (const style of spec.styles) apply(style.range, false, (look) => mergeStyle(look, style));
  const xfs = looks.map((look, i) => (i === 0 ? 0 : book.xf(look)));
  for (let k = 0; k < ids.length; k++) ids[k] = xfs[ids[k]];
  return ids;
}

function mergeStyle(look: CellLook, s: StyleSpec): CellLook {
  const next: CellLook = { ...look };
  if (s.bold !== undefined) next.bold = s.bold;
  if (s.italic !== undefined) next.italic = s.italic;
  if (s.fill !== undefined) next.fill = s.fill;
  if (s.fontColor !== undefined) next.fontColor = s.fontColor;
  if (s.align !== undefined) next.align = s.align;
  if (s.wrap !== undefined) next.wrap = s.wrap;
  return next;
}

function cfvo(type: string, val?: number): string {
  return `<cfvo type="${type}"${val === undefined ? "" : ` val="${num(val)}"`}/>`;
}

function conditionalXml(spec: ConditionalFormatSpec, priority: number, book: StyleBook): string {
  const open = `<conditionalFormatting sqref="${esc(spec.range.replace(/,/g, " "))}">`;
  let rule: string;
  switch (spec.type) {
    case "dataBar":
      rule =
        `<cfRule type="dataBar" priority="${priority}"><dataBar>` +
        (spec.min === undefined ? cfvo("min") : cfvo("num", spec.min)) +
        (spec.max === undefined ? cfvo("max") : cfvo("num", spec.max)) +
        `<color rgb="${(spec.color.length === 6 ? "FF" : "") + spec.color.toUpperCase()}"/></dataBar></cfRule>`;
      break;
    case "iconSet":
      rule =
        `<cfRule type="iconSet" priority="${priority}"><iconSet iconSet="${spec.iconSet}"${spec.reverse ? ' reverse="1"' : ""}>` +
        cfvo("percent", 0) +
        cfvo("num", spec.thresholds[0]) +
        cfvo("num", spec.thresholds[1]) +
        `</iconSet></cfRule>`;
      break;
    case "cellIs":
      rule =
        `<cfRule type="cellIs" dxfId="${book.dxf(spec)}" priority="${priority}" operator="${spec.operator}">` +
        spec.formulae.map((f) => `<formula>${esc(f.replace(/^=/, ""))}</formula>`).join("") +
        `</cfRule>`;
      break;
    case "expression":
      rule = `<cfRule type="expression" dxfId="${book.dxf(spec)}" priority="${priority}"><formula>${esc(spec.formula.replace(/^=/, ""))}</formula></cfRule>`;
      break;
  }
  return `${open}${rule}</conditionalFormatting>`;
}

/** The page setup and manual page breaks, in their places after pageMargins. */
function printXml(print: PrintSpec): string {
  const attrs = [
    print.scale !== undefined && !print.fit ? ` scale="${Math.round(print.scale)}"` : "",
    print.orientation ? ` orientation="${print.orientation}"` : "",
    print.fit ? ` fitToWidth="${print.fit.width}" fitToHeight="${print.fit.height}"` : "",
  ].join("");
  const breaks = print.rowBreaks ?? [];
  return (
    (attrs ? `<pageSetup${attrs}/>` : "") +
    (breaks.length ? `<rowBreaks count="${breaks.length}" manualBreakCount="${breaks.length}">${breaks.map((r) => `<brk id="${r}" max="16383" man="1"/>`).join("")}</rowBreaks>` : "")
  );
}

export interface SheetParts {
  /** The worksheet part, compressed as it is stored. */
  sheet: StoredPart;
  /** The drawing part and its charts, when the spec has charts; the drawing's relationship id in the sheet is rId2. */
  drawing?: { xml: string; charts: string[] };
  /** The table part's XML, when the spec has a table; its relationship id in the sheet is rId1. */
  table?: string;
  /** The print area (A1 range), a defined name of the workbook. */
  printArea?: string;
}

/** The worksheet (and table) parts for one spec. `tableId` is a workbook-unique table id. */
export async function sheetParts(spec: SheetSpec, book: StyleBook, tableId: number): Promise<SheetParts> {
  const height = spec.rows.length;
  const width = Math.max(1, spec.rows.reduce((m, r) => Math.max(m, r.length), 0), spec.table?.columns ?? 0);
  const styles = cellStyles(spec, book, width);
  const part = new DeflatingPart();
  const out = new SheetWriter(part);
  out.text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`);
  const print = printOf(spec);
  if (print?.fit) out.text(`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`);
  out.text(`<dimension ref="A1:${cellRef(Math.max(1, height), width)}"/>`);
  const freeze = spec.freeze && (spec.freeze.rows > 0 || spec.freeze.cols > 0) ? spec.freeze : undefined;
  if (freeze) {
    const pane = freeze.rows > 0 && freeze.cols > 0 ? "bottomRight" : freeze.rows > 0 ? "bottomLeft" : "topRight";
    out.text(
      `<sheetViews><sheetView workbookViewId="0"><pane${freeze.cols ? ` xSplit="${freeze.cols}"` : ""}${freeze.rows ? ` ySplit="${freeze.rows}"` : ""} topLeftCell="${cellRef(freeze.rows + 1, freeze.cols + 1)}" activePane="${pane}" state="frozen"/><selection pane="${pane}"/></sheetView></sheetViews>`,
    );
  } else {
    out.text(`<sheetViews><sheetView workbookViewId="0"/></sheetViews>`);
  }
  out.text(`<sheetFormatPr defaultRowHeight="15"/>`);
  if (spec.columnWidths?.length) {
    out.text(
      `<cols>${spec.columnWidths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${num(w)}" customWidth="1"/>`).join("")}</cols>`,
    );
  }
  out.text("<sheetData>");
  const opens = Array.from({ length: width }, (_, c) => enc(`<c r="${columnLetter(c + 1)}`));
  const pieces: StylePieces[] = [];
  const rowDigits = new Uint8Array(16);
  for (let r = 0; r < height; r++) {
    const cells = spec.rows[r];
    let any = false;
    for (let c = 0; c < width && !any; c++) any = (cells[c] !== null && cells[c] !== undefined) || styles[r * width + c] !== 0;
    if (!any) continue;
    const rowLength = decimalDigits(r + 1, rowDigits);
    out.bytes(B.rowOpen);
    out.bytes(rowDigits, rowLength);
    out.bytes(B.close);
    for (let c = 0; c < width; c++) {
      const xf = styles[r * width + c];
      writeCell(out, opens[c], rowDigits, rowLength, cells[c] ?? null, xf, (pieces[xf] ??= stylePieces(xf)));
    }
    out.bytes(B.rowClose);
    if (out.takeFlushed()) await part.room();
  }
  out.text("</sheetData>");
  spec.conditionalFormats.forEach((cf, i) => out.text(conditionalXml(cf, i + 1, book)));
  out.text(`<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>`);
  if (print) out.text(printXml(print));
  let drawing: SheetParts["drawing"];
  if (spec.charts?.length) {
    drawing = { xml: drawingXml(spec.charts), charts: spec.charts.map((c) => chartXml(spec.name, c)) };
    out.text(`<drawing r:id="rId2"/>`);
  }
  let table: string | undefined;
  if (spec.table) {
    const t = spec.table;
    const top = t.headerRow + 1;
    const bottom = top + Math.max(1, t.dataRows);
    const ref = `A${top}:${columnLetter(t.columns)}${bottom}`;
    const header = spec.rows[t.headerRow] ?? [];
    const names = Array.from({ length: t.columns }, (_, i) => {
      const v = header[i];
      return typeof v === "string" && v !== "" ? v : `Column${i + 1}`;
    });
    table =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table xmlns="${MAIN_NS}" id="${tableId}" name="${esc(t.name)}" displayName="${esc(t.name)}" ref="${ref}" totalsRowShown="0">` +
      `<autoFilter ref="${ref}"/><tableColumns count="${t.columns}">` +
      names.map((n, i) => `<tableColumn id="${i + 1}" name="${esc(n)}"/>`).join("") +
      `</tableColumns><tableStyleInfo name="${esc(t.style ?? "TableStyleMedium2")}" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`;
    out.text(`<tableParts count="1"><tablePart r:id="rId1"/></tableParts>`);
  }
  out.text("</worksheet>");
  out.flush();
  return { sheet: await part.end(), table, drawing, ...(print?.area ? { printArea: print.area } : {}) };
}
