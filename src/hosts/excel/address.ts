/**
 * Addresses as Office.js gives and takes them: `'History data'!A1:K13825`, `Plan!B7`, a bare `B7`.
 * Pure functions, shared by the host and its tests.
 */
import { columnLetter, columnNumber } from "../../report/a1";

export interface CellBlock {
  /** 1-based, inclusive. */
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface SheetAddress extends CellBlock {
  /** The sheet, unquoted; undefined when the address named none. */
  sheet?: string;
}

/** Splits `'It''s'!A1:B2` into the sheet (unquoted) and the part after the last `!`. */
export function splitSheet(ref: string): { sheet?: string; local: string } {
  const text = ref.trim();
  const bang = text.lastIndexOf("!");
  if (bang < 0) return { local: text };
  const head = text.slice(0, bang);
  const local = text.slice(bang + 1);
  if (head.length >= 2 && head.startsWith("'") && head.endsWith("'")) {
    return { sheet: head.slice(1, -1).replace(/''/g, "'"), local };
  }
  return { sheet: head, local };
}

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d+)$/;

function cell(text: string): { row: number; col: number } | undefined {
  const m = CELL.exec(text);
  if (!m) return undefined;
  const row = Number(m[2]);
  const col = columnNumber(m[1]);
  if (row < 1 || row > 1_048_576 || col < 1 || col > 16_384) return undefined;
  return { row, col };
}

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

const COLUMN = /^\$?([A-Za-z]{1,3})$/;
const ROW = /^\$?(\d+)$/;

/** One end of a range: a cell, or (in `A:Z` and `3:5`, as Excel gives whole columns and rows) a column or a row. */
function end(text: string, first: boolean): { row: number; col: number } | undefined {
  const c = cell(text);
  if (c) return c;
  const col = COLUMN.exec(text);
  if (col) {
    const n = columnNumber(col[1]);
    return n >= 1 && n <= MAX_COLUMNS ? { row: first ? 1 : MAX_ROWS, col: n } : undefined;
  }
  const row = ROW.exec(text);
  if (row) {
    const n = Number(row[1]);
    return n >= 1 && n <= MAX_ROWS ? { row: n, col: first ? 1 : MAX_COLUMNS } : undefined;
  }
  return undefined;
}

/**
 * `A1`, `A1:K13825`, and the whole columns and rows Excel writes as `A:Z` and `3:5` (a used range
 * reaching row 1,048,576 comes back so), with or without a sheet → its corners; undefined when it
 * is not one.
 */
export function parseAddress(address: string): SheetAddress | undefined {
  const { sheet, local } = splitSheet(address);
  const [a, b, extra] = local.split(":");
  if (extra !== undefined) return undefined;
  const whole = b !== undefined && ((COLUMN.test(a) && COLUMN.test(b)) || (ROW.test(a) && ROW.test(b)));
  const p = whole ? end(a, true) : cell(a);
  const q = whole ? end(b as string, false) : cell(b ?? a);
  if (!p || !q) return undefined;
  return {
    sheet,
    top: Math.min(p.row, q.row),
    left: Math.min(p.col, q.col),
    bottom: Math.max(p.row, q.row),
    right: Math.max(p.col, q.col),
  };
}

/** Corners → `A1:C5` (a single cell stays `A1`). */
export function blockAddress(b: CellBlock): string {
  const from = `${columnLetter(b.left)}${b.top}`;
  const to = `${columnLetter(b.right)}${b.bottom}`;
  return from === to ? from : `${from}:${to}`;
}

/** `A:C` (or `D:D`): whole columns, for column widths. */
export function columnsAddress(left: number, right: number): string {
  return `${columnLetter(left)}:${columnLetter(right)}`;
}

/** The areas of a range that may list several, `A2:A9,C2:C9` (Office.js before 1.9 takes one area at a time). */
export function areas(range: string): string[] {
  return range
    .split(/[,\s]+/)
    .map((a) => a.trim())
    .filter((a) => a !== "");
}
