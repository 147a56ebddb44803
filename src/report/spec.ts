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

export type OwnedSheetKind = "plan" | "matrix" | "weights" | "funnel" | "drivers" | "progress" | "ranking" | "letters" | "incentives" | "process" | "review" | "split" | "versions";

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

/** A native chart on the sheet: clustered columns or bars over ranges of the same sheet. */
export interface ChartSpec {
  type: "column" | "bar";
  title: string;
  /** A1 range of the category labels, e.g. "A6:A17". */
  categories: string;
  series: { name: string; values: string; color?: string }[];
  /** Top-left and bottom-right cells the chart spans, e.g. "N4" and "X24". */
  from: string;
  to: string;
  /** Format code for the value axis, e.g. "0%" or "#,##0". */
  valueFormat?: string;
}

/**
 * How a sheet prints. Excel ignores manual page breaks on a sheet fitted to pages ("Fit to"), so a
 * sheet with `rowBreaks` is printed at a `scale` instead; `fit` is for a sheet that prints as one
 * block (a one-page report).
 */
export interface PrintSpec {
  /** The print area, an A1 range (e.g. "A1:H480"). */
  area?: string;
  /** Manual page breaks: each is the last row (1-based) of a page; the next page starts below it. */
  rowBreaks?: number[];
  orientation?: "portrait" | "landscape";
  /** Fit to this many pages wide and tall (0: as many as it takes). */
  fit?: { width: number; height: number };
  /** Print zoom, 10 … 400 (%), when not fitted. */
  scale?: number;
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
  charts?: ChartSpec[];
  /** Print landscape, fitted to one page wide. */
  landscape?: boolean;
  /** Print area, page breaks, orientation and scaling (over `landscape` where both say something). */
  print?: PrintSpec;
}
