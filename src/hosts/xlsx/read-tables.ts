/**
 * Every candidate input of a workbook: each Excel table, then the sheet itself (its first
 * non-empty row as the header row), sheet by sheet in workbook order.
 *
 * A sheet is read once, row by row, into plain values; its tables and the sheet candidate are
 * sliced from that grid. This keeps a 180,000-row History sheet to one pass over ExcelJS's cells.
 */
import type ExcelJS from "exceljs";
import type { RawCell, RawTable } from "../host";
import { isBlank, readCell } from "./cell-values";
import { tableRange, tablesOf, type TableModel } from "./tables";

/** A sheet's values: rows[r][c] with 1-based r and c, sparse. */
interface Grid {
  rows: RawCell[][];
  /** Row numbers that hold at least one non-blank cell, ascending. */
  used: number[];
}

function readGrid(ws: ExcelJS.Worksheet): Grid {
  const rows: RawCell[][] = [];
  const used: number[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const out: RawCell[] = [];
    let any = false;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const v = readCell(cell);
      out[col] = v;
      if (!any && !isBlank(v)) any = true;
    });
    rows[rowNumber] = out;
    if (any) used.push(rowNumber);
  });
  return { rows, used };
}

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

function fromTable(ws: ExcelJS.Worksheet, grid: Grid, model: TableModel): RawTable | undefined {
  const range = tableRange(model);
  if (!range) return undefined;
  const { left, right } = range;
  const hasHeader = model.headerRow !== false;
  const headerRow = hasHeader ? range.top : range.top - 1;
  const headers: RawCell[] = model.columns.map((column, i) => {
    const name = column.name;
    return name !== undefined && name !== null && String(name) !== "" ? String(name) : cellAt(grid, headerRow, left + i);
  });
  while (headers.length < right - left + 1) headers.push(cellAt(grid, headerRow, left + headers.length));
  const bottom = range.bottom - (model.totalsRow ? 1 : 0);
  return {
    name: model.name,
    sheet: ws.name,
    source: "table",
    top: headerRow,
    left,
    headers,
    rows: dataRows(grid, headerRow + 1, bottom, left, right),
  };
}

function fromSheet(ws: ExcelJS.Worksheet, grid: Grid): RawTable | undefined {
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
  return {
    name: ws.name,
    sheet: ws.name,
    source: "sheet",
    top,
    left,
    headers: slice(grid, top, left, right),
    rows: dataRows(grid, top + 1, bottom, left, right),
  };
}

/** Tables first within a sheet, then the sheet itself; sheets for which `skip` is true are left out. */
export function readWorkbookTables(wb: ExcelJS.Workbook, skip: (sheetName: string) => boolean): RawTable[] {
  const out: RawTable[] = [];
  for (const ws of wb.worksheets) {
    if (skip(ws.name)) continue;
    const grid = readGrid(ws);
    for (const model of tablesOf(ws)) {
      const table = fromTable(ws, grid, model);
      if (table) out.push(table);
    }
    const sheet = fromSheet(ws, grid);
    if (sheet) out.push(sheet);
  }
  return out;
}
