/**
 * Rebalance's read of an owned sheet: the cells whose content is no longer what the tool writes
 * there — a value the user typed over a plan cell, a number typed over a total's SUM formula, a
 * cell cleared. Pure: the host reads the spec's extent (`Range.formulas` and `Range.values`), this
 * compares it cell by cell with the spec as `writeAll` writes it, exactly as the live refresh's diff
 * does (diff.ts sameCell).
 */
import type { EditedCell } from "../addin";
import type { SheetSpec } from "../../report/spec";
import { columnLetter } from "../../report/a1";
import { formulaRows, specWidth } from "./cells";
import { sameCell } from "./diff";

/**
 * The cells of the spec's rows and columns (from A1) whose formula differs from the spec's;
 * `formulas` and `values` as read from A1 over at least that block.
 */
export function editedCells(spec: SheetSpec, formulas: readonly (readonly unknown[])[], values: readonly (readonly unknown[])[]): EditedCell[] {
  const width = specWidth(spec.rows, spec.table?.columns);
  const height = spec.rows.length;
  const want = formulaRows(spec.rows, 0, height, width);
  const out: EditedCell[] = [];
  for (let r = 0; r < height; r++) {
    const held = formulas[r] ?? [];
    for (let c = 0; c < width; c++) {
      if (sameCell(want[r][c], held[c])) continue;
      out.push({ row: r + 1, col: c + 1, address: `${columnLetter(c + 1)}${r + 1}`, formula: held[c] ?? "", value: values[r]?.[c] ?? "" });
    }
  }
  return out;
}
