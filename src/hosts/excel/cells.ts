/**
 * SheetSpec cells as the 2-D array given to `Range.formulas`.
 *
 * Excel reads a string written through `values` or `formulas` the way it reads typing: `=1+1`,
 * `+x`, `-x` and `@x` become formulas, and `2027-01`, `1,200`, `12%` or `TRUE` become dates,
 * numbers and booleans (Range.values in the Excel JavaScript API reference). A leading apostrophe
 * is Excel's own "this is text" mark: it is not stored in the value (Excel keeps it as the cell's
 * quote prefix). So every non-empty string is written with one, and a rep named `=1+1` or a
 * period labelled `2027-01` stays exactly that text, as the .xlsx host writes it.
 */
import type { CellSpec } from "../../report/spec";

export type FormulaInput = string | number | boolean;

/** One cell for `Range.formulas`. */
export function formulaInput(cell: CellSpec | undefined): FormulaInput {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : 0;
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "string") return cell === "" ? "" : `'${cell}`;
  return `=${cell.formula.replace(/^=/, "")}`;
}

/** Rows `from` (inclusive) to `to` (exclusive) of a spec, each padded to `width` cells. */
export function formulaRows(rows: CellSpec[][], from: number, to: number, width: number): FormulaInput[][] {
  const out: FormulaInput[][] = new Array(to - from);
  for (let r = from; r < to; r++) {
    const source = rows[r] ?? [];
    const row: FormulaInput[] = new Array(width);
    for (let c = 0; c < width; c++) row[c] = formulaInput(source[c]);
    out[r - from] = row;
  }
  return out;
}

/** The width a spec is written at: its widest row, its table, at least one column. */
export function specWidth(rows: CellSpec[][], tableColumns = 0): number {
  let width = Math.max(1, tableColumns);
  for (const row of rows) if (row.length > width) width = row.length;
  return width;
}
