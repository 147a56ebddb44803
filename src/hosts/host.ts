/**
 * The port between the pipeline and a workbook. Two hosts implement it: hosts/xlsx (the .xlsx
 * package, for the command line and tests) and hosts/excel (Office.js, inside Excel).
 */
import type { SheetSpec } from "../report/spec";

/** A cell as read: text, number, boolean, a date (ExcelJS gives Date for date-formatted cells), or empty. */
export type RawCell = string | number | boolean | Date | null;

/** A candidate input: an Excel table (ListObject), or a sheet whose first used row holds the headers. */
export interface RawTable {
  /** The table's name, or the sheet's name for a sheet-based input. */
  name: string;
  /** The sheet it lives on. */
  sheet: string;
  source: "table" | "sheet";
  /** 1-based row and column of the header row's first cell. Data rows follow directly below. */
  top: number;
  left: number;
  headers: RawCell[];
  /** Data rows, each as long as headers (short rows padded with null). Trailing empty rows dropped. */
  rows: RawCell[][];
  /**
   * Formula cells inside the table with no saved result, as [row, column] of the sheet (1-based):
   * a file written by a script that never calculated it. Their cells read as empty.
   */
  uncomputed?: [number, number][];
}

export interface WriteSummary {
  /** Sheets written, in order, with their final names. */
  sheets: { kind: SheetSpec["kind"]; name: string; rows: number; cols: number }[];
}

export interface WorkbookHost {
  /** Every table and every non-empty sheet, in workbook order (tables first within a sheet). */
  readTables(): Promise<RawTable[]>;
  /**
   * Create or replace the sheets the tool owns. Never touches a sheet it did not create:
   * a name clash with a user's sheet is refused before anything is written.
   */
  writeSheets(specs: SheetSpec[]): Promise<WriteSummary>;
}
