/**
 * Excel tables (ListObjects) as ExcelJS loads them, and a repair for what ExcelJS 4.4 gets wrong
 * when it reads a table that Excel wrote.
 *
 * Excel leaves out `headerRowCount` when a table has its usual header row, and ExcelJS reads the
 * missing attribute as "no header row"; it also reads a table's filter buttons as hidden when
 * Excel wrote a bare `<autoFilter/>`. Saved back unrepaired, every user table would lose its
 * header row and its filter buttons. `repairLoadedTables` restores both before anything is read
 * or written.
 */
import type ExcelJS from "exceljs";
import { parseRangeRef, type RangeAddress } from "../../report/a1";
import { readCell } from "./cell-values";

/** The part of ExcelJS's table model this host reads and repairs. */
export interface TableModel {
  name: string;
  /** Set on tables loaded from a file. */
  tableRef?: string;
  /** Set on tables added in this session (the top-left cell). */
  ref?: string;
  headerRow?: boolean;
  totalsRow?: boolean;
  autoFilterRef?: string;
  columns: { name: string; filterButton?: boolean }[];
}

interface TableHandle {
  model: TableModel;
}

/** The tables on a sheet, in the order ExcelJS keeps them. */
export function tablesOf(ws: ExcelJS.Worksheet): TableModel[] {
  const tables = (ws as unknown as { tables?: Record<string, TableHandle> }).tables ?? {};
  return Object.values(tables).map((t) => t.model);
}

/** The table's full extent on the sheet: header, data and totals rows. */
export function tableRange(model: TableModel): RangeAddress | undefined {
  const ref = model.tableRef ?? model.ref;
  return ref ? parseRangeRef(ref) : undefined;
}

function cellText(ws: ExcelJS.Worksheet, row: number, col: number): string {
  const cell = ws.findCell(row, col);
  const v = cell ? readCell(cell) : null;
  if (v === null) return "";
  return v instanceof Date ? v.toISOString() : String(v);
}

/** Restore the header row and filter buttons of tables ExcelJS loaded from an Excel file. */
export function repairLoadedTables(wb: ExcelJS.Workbook): void {
  for (const ws of wb.worksheets) {
    for (const model of tablesOf(ws)) {
      if (model.tableRef === undefined) continue;
      const range = parseRangeRef(model.tableRef);
      if (!model.headerRow) {
        // The header row is there when the table's first row spells its column names.
        model.headerRow = model.columns.every(
          (column, i) => cellText(ws, range.top, range.left + i).trim() === String(column.name).trim(),
        );
      }
      if (model.autoFilterRef !== undefined) {
        for (const column of model.columns) {
          if (column.filterButton === undefined) column.filterButton = true;
        }
      }
    }
  }
}
