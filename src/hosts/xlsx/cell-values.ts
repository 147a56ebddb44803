/**
 * ExcelJS cell values ↔ the plain values the pipeline uses.
 *
 * Reading: a formula gives its cached result, rich text and hyperlinks their text, an error its
 * code ("#N/A"), a date-formatted cell a Date. Writing: a string is always text (ExcelJS never
 * parses a string as a formula), and a formula only ever comes from an explicit FormulaCell.
 */
import type ExcelJS from "exceljs";
import type { RawCell } from "../host";
import type { CellSpec } from "../../report/spec";

/** A cell value as ExcelJS gives it, narrowed to what can be read from a file. */
type LoadedValue = ExcelJS.CellValue | undefined;

export function toRawCell(value: LoadedValue): RawCell {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object":
      break;
    default:
      return String(value);
  }
  if (value instanceof Date) return value;
  if ("error" in value) return value.error;
  if ("richText" in value) return value.richText.map((run) => run.text).join("");
  if ("formula" in value || "sharedFormula" in value) {
    return toRawCell((value as ExcelJS.CellFormulaValue).result as LoadedValue);
  }
  if ("hyperlink" in value) return toRawCell(value.text as LoadedValue);
  if ("text" in value) return toRawCell((value as { text: LoadedValue }).text);
  return null;
}

/**
 * A cell's plain value. ExcelJS leaves a falsy cached result (0, false, "") out of a formula
 * cell's `value`, so a formula's result is taken from `cell.result`.
 */
export function readCell(cell: ExcelJS.Cell): RawCell {
  const value = cell.value;
  if (value !== null && typeof value === "object" && ("formula" in value || "sharedFormula" in value)) {
    return toRawCell(cell.result as LoadedValue);
  }
  return toRawCell(value);
}

/** An empty cell, or text that is only whitespace. */
export function isBlank(cell: RawCell): boolean {
  return cell === null || (typeof cell === "string" && cell.trim() === "");
}

/** A CellSpec as an ExcelJS value: text stays text, a FormulaCell becomes {formula, result}. */
export function toExcelValue(cell: CellSpec): ExcelJS.CellValue {
  if (cell === null || typeof cell !== "object") return cell;
  const formula = cell.formula.startsWith("=") ? cell.formula.slice(1) : cell.formula;
  return cell.result === undefined ? { formula } : { formula, result: cell.result };
}
