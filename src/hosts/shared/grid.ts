/**
 * A sheet's values as both hosts read them, and the ranges of its Excel tables. Host-neutral:
 * the .xlsx host fills a Grid from the worksheet's XML, the Excel host from `range.values`.
 */
import type { RawCell } from "../host";

/** A sheet's values: rows[r][c] with 1-based r and c, sparse. */
export interface Grid {
  rows: RawCell[][];
  /** Row numbers that hold at least one non-blank cell, ascending. */
  used: number[];
  /** [row, col] of formula cells with no saved result (a file written by a script and never opened in a spreadsheet). */
  uncomputed?: [number, number][];
}

export interface TableRange {
  name: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
  headerRow: boolean;
  totalsRow: boolean;
  /** Column names as the table part lists them. */
  columns: string[];
}

/** A sheet as the register rules see it: its name and visibility. */
export interface SheetNameState {
  name: string;
  /** `hidden` or `veryHidden` when not visible. */
  state?: string;
}
