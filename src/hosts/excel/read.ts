/**
 * Reading inputs: the values of every input sheet and the ranges of its tables, turned into the
 * same RawTables the .xlsx host gives (src/hosts/shared/tables.ts does the slicing for both).
 *
 * Two requests: the structure (state.ts), then every sheet's used range and every table's range
 * together. Excel on the web refuses a response over 5 MB; only then are the values read again in
 * row blocks of about 4 MB each (a block that is still refused is halved).
 */
import type { RawCell, RawTable } from "../host";
import type { DetectedTable } from "../addin";
import type { Grid, TableRange } from "../shared/grid";
import { candidateTables, type SheetValues } from "../shared/tables";
import { blockAddress, parseAddress, type CellBlock } from "./address";
import { officeErrorCode } from "./errors";
import { DEFAULT_BATCH_BUDGET, jsonBytes, READ_BYTES_PER_CELL } from "./payload";
import type { SheetState, TableState, WorkbookState } from "./state";

const TOO_LARGE = new Set(["ResponsePayloadSizeLimitExceeded", "RequestPayloadSizeLimitExceeded"]);

/** Whether an Office.js error is Excel on the web's payload limit. */
export const isPayloadLimit = (e: unknown): boolean => TOO_LARGE.has(officeErrorCode(e) ?? "");

/** A cell as Excel gives it → a RawCell (empty text is an empty cell; dates stay serial numbers). */
function rawCell(v: unknown): RawCell {
  if (v === "" || v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  return String(v);
}

/** Puts a block of values into a sheet-wide grid (1-based rows and columns). */
function fillGrid(grid: Grid, at: CellBlock, values: unknown[][]): void {
  values.forEach((row, i) => {
    const r = at.top + i;
    let out = grid.rows[r];
    row.forEach((v, j) => {
      const cell = rawCell(v);
      if (cell === null) return;
      if (!out) {
        out = [];
        grid.rows[r] = out;
      }
      out[at.left + j] = cell;
    });
  });
}

function finishGrid(grid: Grid): Grid {
  grid.used = [];
  grid.rows.forEach((row, r) => {
    if (row && row.some((v) => v !== null && v !== undefined)) grid.used.push(r);
  });
  return grid;
}

interface TableProxies {
  table: TableState;
  range: Excel.Range;
  columns: Excel.TableColumnCollection;
}

function queueTables(state: WorkbookState, inputs: SheetState[]): TableProxies[] {
  const names = new Set(inputs.map((s) => s.name.toLowerCase()));
  return state.tables
    .filter((t) => names.has(t.sheet.toLowerCase()))
    .map((table) => ({
      table,
      range: table.proxy.getRange().load("address"),
      columns: table.proxy.columns.load("items/name"),
    }));
}

function tableRange(p: TableProxies): TableRange | undefined {
  const at = parseAddress(p.range.address);
  if (!at) return undefined;
  return {
    name: p.table.name,
    top: at.top,
    left: at.left,
    bottom: at.bottom,
    right: at.right,
    headerRow: p.table.showHeaders,
    totalsRow: p.table.showTotals,
    columns: p.columns.items.map((c) => c.name),
  };
}

function sheetValues(inputs: SheetState[], grids: Map<string, Grid>, tables: TableProxies[]): SheetValues[] {
  return inputs.map((sheet) => ({
    name: sheet.name,
    grid: finishGrid(grids.get(sheet.id) ?? { rows: [], used: [] }),
    tables: tables
      .filter((t) => t.table.sheet.toLowerCase() === sheet.name.toLowerCase())
      .map(tableRange)
      .filter((t): t is TableRange => t !== undefined),
  }));
}

/**
 * What a host learns from reading a workbook too large for one response: the bytes a cell took.
 * The next read of the session then goes to row blocks at once, sized by it, instead of asking
 * for everything first and being refused again.
 */
export interface ReadHint {
  bytesPerCell?: number;
}

/**
 * Every candidate input, after `state` was loaded: one more request in the usual case. The caller
 * owns the context; `budget` is the response size a block of values may come to.
 */
export async function readInputs(context: Excel.RequestContext, state: WorkbookState, budget = DEFAULT_BATCH_BUDGET, hint: ReadHint = {}): Promise<RawTable[]> {
  const inputs = state.inputs;
  const grids = new Map<string, Grid>();
  if (hint.bytesPerCell === undefined) {
    const used = inputs.map((s) => s.proxy.getUsedRangeOrNullObject(true).load("address,values"));
    const tables = queueTables(state, inputs);
    try {
      await context.sync();
      used.forEach((range, i) => {
        if (range.isNullObject) return;
        const at = parseAddress(range.address);
        if (!at) return;
        const grid: Grid = { rows: [], used: [] };
        fillGrid(grid, at, range.values);
        grids.set(inputs[i].id, grid);
      });
      return candidateTables(sheetValues(inputs, grids, tables));
    } catch (e) {
      if (!isPayloadLimit(e)) throw e;
    }
  }
  // Nothing of a refused batch comes back: the table ranges are queued again with the sizes.
  const tables = queueTables(state, inputs);
  const read = await readInBlocks(context, inputs, grids, budget, hint.bytesPerCell ?? READ_BYTES_PER_CELL);
  // Small enough again for one response: the next read asks for everything at once.
  hint.bytesPerCell = read.bytes > budget ? read.bytesPerCell : undefined;
  return candidateTables(sheetValues(inputs, grids, tables));
}

/**
 * The values in row blocks, when one response would pass Excel on the web's limit. Returns the
 * bytes the values took, and per cell (with a quarter more for safety) for sizing the next read.
 */
async function readInBlocks(
  context: Excel.RequestContext,
  inputs: SheetState[],
  grids: Map<string, Grid>,
  budget: number,
  bytesPerCell: number,
): Promise<{ bytes: number; bytesPerCell: number }> {
  const sizes = inputs.map((s) => s.proxy.getUsedRangeOrNullObject(true).load("address"));
  await context.sync();
  interface Block {
    sheet: SheetState;
    at: CellBlock;
  }
  let queue: Block[] = [];
  sizes.forEach((range, i) => {
    if (range.isNullObject) return;
    const at = parseAddress(range.address);
    if (at) queue.push({ sheet: inputs[i], at });
  });
  let cellBudget = Math.max(1, Math.floor(budget / bytesPerCell));
  let bytes = 0;
  let cellsRead = 0;
  const split = (b: Block, cells: number): Block[] => {
    const width = b.at.right - b.at.left + 1;
    const rows = Math.max(1, Math.floor(cells / width));
    const out: Block[] = [];
    for (let top = b.at.top; top <= b.at.bottom; top += rows) {
      out.push({ sheet: b.sheet, at: { ...b.at, top, bottom: Math.min(b.at.bottom, top + rows - 1) } });
    }
    return out;
  };
  queue = queue.flatMap((b) => split(b, cellBudget));
  while (queue.length > 0) {
    const batch: Block[] = [];
    let cells = 0;
    while (queue.length > 0) {
      const next = queue[0];
      const n = (next.at.bottom - next.at.top + 1) * (next.at.right - next.at.left + 1);
      if (batch.length > 0 && cells + n > cellBudget) break;
      batch.push(next);
      queue.shift();
      cells += n;
    }
    const ranges = batch.map((b) => b.sheet.proxy.getRange(blockAddress(b.at)).load("values"));
    try {
      // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one request per block of about 4 MB: Excel on the web refuses larger responses (only reached past that limit)
      await context.sync();
    } catch (e) {
      const rows = batch.reduce((n, b) => Math.max(n, b.at.bottom - b.at.top + 1), 0);
      if (!isPayloadLimit(e) || (batch.length === 1 && rows === 1)) throw e;
      cellBudget = Math.max(1, Math.floor(cellBudget / 2));
      queue = [...batch.flatMap((b) => split(b, cellBudget)), ...queue];
      continue;
    }
    batch.forEach((b, i) => {
      let grid = grids.get(b.sheet.id);
      if (!grid) {
        grid = { rows: [], used: [] };
        grids.set(b.sheet.id, grid);
      }
      const values = ranges[i].values;
      bytes += jsonBytes(values);
      cellsRead += (b.at.bottom - b.at.top + 1) * (b.at.right - b.at.left + 1);
      fillGrid(grid, b.at, values);
    });
  }
  return { bytes, bytesPerCell: cellsRead > 0 ? Math.max(1, (bytes / cellsRead) * 1.25) : bytesPerCell };
}

/** The Inputs step's list: every table and non-empty sheet with its data rows, owned sheets left out. */
export async function listInputs(context: Excel.RequestContext, state: WorkbookState): Promise<DetectedTable[]> {
  const used = state.inputs.map((s) => s.proxy.getUsedRangeOrNullObject(true).load("address,rowCount"));
  const names = new Set(state.inputs.map((s) => s.name.toLowerCase()));
  const tables = state.tables
    .filter((t) => names.has(t.sheet.toLowerCase()))
    .map((table) => ({ table, range: table.proxy.getRange().load("address,rowCount") }));
  await context.sync();
  const out: DetectedTable[] = [];
  state.inputs.forEach((sheet, i) => {
    for (const { table, range } of tables) {
      if (table.sheet.toLowerCase() !== sheet.name.toLowerCase()) continue;
      const rows = range.rowCount - (table.showHeaders ? 1 : 0) - (table.showTotals ? 1 : 0);
      out.push({ name: table.name, sheet: sheet.name, source: "table", rows: Math.max(0, rows), address: range.address });
    }
    const range = used[i];
    if (range.isNullObject) return;
    out.push({ name: sheet.name, sheet: sheet.name, source: "sheet", rows: Math.max(0, range.rowCount - 1), address: range.address });
  });
  return out;
}
