/**
 * A1 references for the formulas and ranges the report writes. Rows and columns are 1-based,
 * as on the sheet.
 */

/** 1 → "A", 27 → "AA". */
export function columnLetter(col: number): string {
  let n = col;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** "A" → 1, "AA" → 27. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** (2, 3) → "C2"; absolute → "$C$2". */
export function cellRef(row: number, col: number, absolute = false): string {
  return absolute ? `$${columnLetter(col)}$${row}` : `${columnLetter(col)}${row}`;
}

/** (2, 1, 5, 3) → "A2:C5"; a single cell collapses to "A2". */
export function rangeRef(top: number, left: number, bottom: number, right: number): string {
  const from = cellRef(top, left);
  const to = cellRef(bottom, right);
  return from === to ? from : `${from}:${to}`;
}

export interface CellAddress {
  row: number;
  col: number;
}

export interface RangeAddress {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** "$C$2" or "C2" → { row: 2, col: 3 }. */
export function parseCellRef(ref: string): CellAddress {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(ref.trim());
  if (!m) throw new Error(`not a cell reference: ${ref}`);
  return { row: Number(m[2]), col: columnNumber(m[1]) };
}

/** "A2:C5" (or one cell "A2") → its corners, normalised so top ≤ bottom and left ≤ right. */
export function parseRangeRef(ref: string): RangeAddress {
  const [a, b = a] = ref.split(":");
  const p = parseCellRef(a);
  const q = parseCellRef(b);
  return {
    top: Math.min(p.row, q.row),
    left: Math.min(p.col, q.col),
    bottom: Math.max(p.row, q.row),
    right: Math.max(p.col, q.col),
  };
}
