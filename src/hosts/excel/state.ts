/**
 * The workbook's structure in one batch: sheets (with their charts' names), tables, and both
 * ownership marks. Every host
 * method starts here; its loads are queued by `queueState` and read by `readState` after the
 * caller's `context.sync()`.
 */
import type { RawCell } from "../host";
import { parseAddress } from "./address";
import { isRegisterSheet, OWNED_SETTING, OWNERSHIP_SHEET, parseMarks, resolveOwned, type OwnedMark, type OwnedRef, type SheetInfo, type TableInfo } from "./ownership";
import { readRegister, type RegisterState } from "./register";

export interface StateProxies {
  sheets: Excel.WorksheetCollection;
  tables: Excel.TableCollection;
  marks: Excel.Setting;
  register: Excel.Worksheet;
  registerUsed: Excel.Range;
}

export interface TableState extends TableInfo {
  showHeaders: boolean;
  showTotals: boolean;
  /** The loaded proxy, for queuing its range in the next batch. */
  proxy: Excel.Table;
}

export interface SheetState extends SheetInfo {
  proxy: Excel.Worksheet;
  /** The names of the charts on it (a rewritten owned sheet's are deleted before ours are added). */
  charts: string[];
}

export interface WorkbookState {
  sheets: SheetState[];
  tables: TableState[];
  owned: OwnedRef[];
  /** The register as read (undefined: there is none), and the marks by id as read. */
  register?: RegisterState;
  marks: OwnedMark[];
  /** Sheets that may hold inputs: neither owned nor the register. */
  inputs: SheetState[];
}

/** Queues the loads of the workbook's structure (no sync). */
export function queueState(context: Excel.RequestContext): StateProxies {
  const workbook = context.workbook;
  const sheets = workbook.worksheets.load("items/name,items/id,items/visibility,items/position,items/charts/items/name");
  const tables = workbook.tables.load("items/name,items/showHeaders,items/showTotals,items/worksheet/name");
  const marks = workbook.settings.getItemOrNullObject(OWNED_SETTING).load("value");
  const register = workbook.worksheets.getItemOrNullObject(OWNERSHIP_SHEET).load("visibility");
  const registerUsed = register.getUsedRangeOrNullObject(true).load("address,values");
  return { sheets, tables, marks, register, registerUsed };
}

/** Reads what queueState loaded (after the sync). */
export function readState(p: StateProxies): WorkbookState {
  const sheets: SheetState[] = p.sheets.items.map((ws) => ({
    id: ws.id,
    name: ws.name,
    visibility: String(ws.visibility),
    position: ws.position,
    proxy: ws,
    charts: ws.charts.items.map((c) => c.name),
  }));
  const tables: TableState[] = p.tables.items.map((t) => ({
    name: t.name,
    sheet: t.worksheet.name,
    showHeaders: t.showHeaders,
    showTotals: t.showTotals,
    proxy: t,
  }));
  const marks = p.marks.isNullObject ? [] : parseMarks(p.marks.value);
  let register: RegisterState | undefined;
  if (!p.register.isNullObject && String(p.register.visibility) !== "Visible") {
    const at = p.registerUsed.isNullObject ? undefined : parseAddress(p.registerUsed.address);
    register = at ? readRegister(p.registerUsed.values as RawCell[][], at.top, at.left) : { entries: [], fixed: false };
  }
  const owned = resolveOwned(sheets, marks, register, tables);
  const ownedIds = new Set(owned.map((o) => o.id));
  const inputs = sheets.filter((s) => !ownedIds.has(s.id) && !isRegisterSheet(s));
  return { sheets, tables, owned, register, marks, inputs };
}
