/**
 * SheetSpec: what one output sheet holds, host-free. The report layer builds these from a
 * PlanResult; a host (xlsx or Excel) writes them. Strings are ALWAYS written as text; a formula
 * is only ever an explicit {formula} object, so a rep called "=1+1" stays a name.
 */

/** A formula (without the leading "=") with the value it evaluates to, cached for readers that do not recalculate. */
export interface FormulaCell {
  formula: string;
  result?: number | string;
}

export type CellSpec = number | string | boolean | null | FormulaCell;

export type OwnedSheetKind = "plan" | "matrix" | "weights" | "funnel" | "progress" | "ranking";

export interface TableSpec {
  /** Excel table name (letters, digits, underscores; unique in the workbook). */
  name: string;
  /** 0-based index in rows of the header row; the table runs to its last row, across `columns` columns from column A. */
  headerRow: number;
  /** Number of rows after the header (data rows). */
  dataRows: number;
  columns: number;
  style?: string;
}

export type ConditionalFormatSpec =
  | { type: "dataBar"; range: string; color: string; min?: number; max?: number }
  | { type: "iconSet"; range: string; iconSet: "3TrafficLights1" | "3Symbols" | "3Arrows" | "3Flags"; thresholds: [number, number]; reverse?: boolean }
  | { type: "cellIs"; range: string; operator: "greaterThan" | "lessThan" | "equal" | "between"; formulae: string[]; fill: string; fontColor?: string }
  | { type: "expression"; range: string; formula: string; fill: string; fontColor?: string; bold?: boolean };

export interface StyleSpec {
  /** A1 range, e.g. "A1:F1". */
  range: string;
  bold?: boolean;
  italic?: boolean;
  /** ARGB or RGB hex without '#', e.g. "FFDDEBF7". */
  fill?: string;
  fontColor?: string;
  align?: "left" | "center" | "right";
  wrap?: boolean;
}

export interface SheetSpec {
  kind: OwnedSheetKind;
  /** Stable sheet name in the workbook's language (Plan / 分解明细 …). */
  name: string;
  /** Cell contents from A1, row-major. */
  rows: CellSpec[][];
  table?: TableSpec;
  /** Number formats per range, never per cell. */
  numberFormats: { range: string; format: string }[];
  conditionalFormats: ConditionalFormatSpec[];
  styles: StyleSpec[];
  /** Column widths in characters, from column A. */
  columnWidths?: number[];
  freeze?: { rows: number; cols: number };
}
