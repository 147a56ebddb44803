/**
 * Every candidate input of a workbook: each Excel table, then the sheet itself (its first
 * non-empty row as the header row), sheet by sheet in workbook order.
 *
 * A sheet is read once, row by row, into plain values; its tables and the sheet candidate are
 * sliced from that grid, so a 180,000-row History sheet is read in one pass.
 */
import type { RawCell, RawTable } from "../host";
import type { Grid, TableRange } from "./grid";

/** A sheet as read: its name, its values and its tables. */
export interface SheetValues {
  name: string;
  grid: Grid;
  tables: TableRange[];
}

const isBlank = (v: RawCell): boolean => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

function cellAt(grid: Grid, row: number, col: number): RawCell {
  return grid.rows[row]?.[col] ?? null;
}

/** Cells left..right of one row, empty cells as null. */
function slice(grid: Grid, row: number, left: number, right: number): RawCell[] {
  const out: RawCell[] = new Array(right - left + 1);
  const source = grid.rows[row];
  for (let c = left; c <= right; c++) out[c - left] = source?.[c] ?? null;
  return out;
}

/** Rows top..bottom, with trailing all-blank rows dropped. */
function dataRows(grid: Grid, top: number, bottom: number, left: number, right: number): RawCell[][] {
  let last = bottom;
  while (last >= top && slice(grid, last, left, right).every(isBlank)) last--;
  const rows: RawCell[][] = [];
  for (let r = top; r <= last; r++) rows.push(slice(grid, r, left, right));
  return rows;
}

/** The grid's uncomputed formula cells inside rows top..bottom and columns left..right. */
function uncomputedIn(grid: Grid, top: number, bottom: number, left: number, right: number): { uncomputed?: [number, number][] } {
  const inside = (grid.uncomputed ?? []).filter(([r, c]) => r >= top && r <= bottom && c >= left && c <= right);
  return inside.length ? { uncomputed: inside } : {};
}

/**
 * A candidate whose data rows are sliced from the grid the first time they are read: a sheet
 * holding one table gives two candidates (the table and the sheet), and a run uses one of them.
 */
function lazyRows(table: Omit<RawTable, "rows">, slice: () => RawCell[][]): RawTable {
  let rows: RawCell[][] | undefined;
  return Object.defineProperty(table, "rows", {
    enumerable: true,
    get: () => (rows ??= slice()),
    set: (value: RawCell[][]) => (rows = value),
  }) as RawTable;
}

function fromTable(sheet: SheetValues, t: TableRange): RawTable {
  const { grid } = sheet;
  const { left, right } = t;
  const headerRow = t.headerRow ? t.top : t.top - 1;
  const headers: RawCell[] = Array.from({ length: right - left + 1 }, (_, i) => {
    const name = t.columns[i];
    return name ? name : cellAt(grid, headerRow, left + i);
  });
  const bottom = t.bottom - (t.totalsRow ? 1 : 0);
  return lazyRows(
    { name: t.name, sheet: sheet.name, source: "table", top: headerRow, left, headers, ...uncomputedIn(grid, headerRow, bottom, left, right) },
    () => dataRows(grid, headerRow + 1, bottom, left, right),
  );
}

function fromSheet(name: string, grid: Grid): RawTable | undefined {
  if (grid.used.length === 0) return undefined;
  const top = grid.used[0];
  const header = grid.rows[top];
  let left = 0;
  let right = 0;
  for (let c = 1; c < header.length; c++) {
    if (isBlank(header[c] ?? null)) continue;
    if (left === 0) left = c;
    right = c;
  }
  const bottom = grid.used[grid.used.length - 1];
  return lazyRows(
    { name, sheet: name, source: "sheet", top, left, headers: slice(grid, top, left, right), ...uncomputedIn(grid, top, Number.MAX_SAFE_INTEGER, left, right) },
    () => dataRows(grid, top + 1, bottom, left, right),
  );
}

/** Tables first within a sheet, then the sheet itself, sheet by sheet in workbook order. */
export function candidateTables(sheets: SheetValues[]): RawTable[] {
  const out: RawTable[] = [];
  for (const sheet of sheets) {
    for (const t of sheet.tables) out.push(fromTable(sheet, t));
    const whole = fromSheet(sheet.name, sheet.grid);
    if (whole) out.push(whole);
  }
  return out;
}
