/**
 * Reading inputs: the values of what can be an input, turned into the same RawTables the .xlsx
 * host gives (src/hosts/shared/tables.ts does the slicing for both).
 *
 * Only what can be an input is read in full: a sheet or table whose name is an input's name or
 * alias (Targets, 历史, History data …), or the name the user picked in the pane. Every other sheet
 * and table gives only its header row, so the pane can offer it — a user's 500,000-row export, or a
 * sheet with one stray value in Z1048576 (27 million cells), costs one row.
 *
 * Two requests: the structure (state.ts), then the inputs' values and the others' header rows
 * together. An input too large for one response is read again in row blocks:
 * - Excel on the web refuses a response over 5 MB (ResponsePayloadSizeLimitExceeded, or on some
 *   builds GeneralException);
 * - every platform limits a read to five million cells: it throws RangeExceedsLimit, or gives
 *   `null` for the values without an error ("Performance optimization using the Excel JavaScript
 *   API"; office-js #4783, #6781).
 * Then the host reads the extents, limits a sheet to the columns under its header row (a stray
 * value far to the right costs nothing), and reads row blocks of about 4 MB (a block that is still
 * refused is halved). The pane says which inputs were read so (ReadReport).
 */
import type { RawCell, RawTable } from "../host";
import type { DetectedTable, ReadPicks, ReadReport } from "../addin";
import type { Grid, TableRange } from "../shared/grid";
import { candidateTables } from "../shared/tables";
import { INPUT_NAMES, normalizeName } from "../../contract/headers";
import { blockAddress, columnsAddress, parseAddress, type CellBlock } from "./address";
import { officeErrorCode } from "./errors";
import { DEFAULT_BATCH_BUDGET, jsonBytes, READ_BYTES_PER_CELL } from "./payload";
import type { SheetState, TableState, WorkbookState } from "./state";

const TOO_LARGE = new Set(["ResponsePayloadSizeLimitExceeded", "RequestPayloadSizeLimitExceeded"]);

/** Excel's limit on the cells of one read, on every platform. */
export const READ_CELL_LIMIT = 5_000_000;

/** Whether an Office.js error is Excel on the web's payload limit. */
export const isPayloadLimit = (e: unknown): boolean => TOO_LARGE.has(officeErrorCode(e) ?? "");

/**
 * Whether a failed read may have been refused for its size: the payload limit, the five-million-cell
 * limit (RangeExceedsLimit), or the GeneralException Excel on the web has also given for an
 * oversized batch. Only reads are retried on it (in smaller pieces); a read changes nothing.
 */
export const isSizeRefusal = (e: unknown): boolean => {
  const code = officeErrorCode(e) ?? "";
  return TOO_LARGE.has(code) || code === "RangeExceedsLimit" || code === "GeneralException";
};

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

/** The normalized names that can be an input: every input's aliases, and the names the user picked. */
export function inputNames(picks: ReadPicks = {}): Set<string> {
  const names = new Set<string>();
  for (const def of Object.values(INPUT_NAMES)) for (const alias of def.aliases) names.add(normalizeName(alias));
  for (const choice of Object.values(picks.choices ?? {})) if (choice && choice.trim() !== "") names.add(normalizeName(choice));
  return names;
}

interface TablePlan {
  table: TableState;
  /** Read in full (its own range), on a sheet that is not read in full. */
  full: boolean;
  range: Excel.Range;
  columns: Excel.TableColumnCollection;
}

interface SheetPlan {
  sheet: SheetState;
  /** The sheet itself may be an input: its whole used range is read, its tables sliced from it. */
  full: boolean;
  used: Excel.Range;
  /** The used range's first row: the header row of the sheet candidate. */
  head: Excel.Range;
  tables: TablePlan[];
}

/** Queues the loads of one read; `values` false: extents and header rows only. */
function queuePlans(state: WorkbookState, names: Set<string>, values: boolean): SheetPlan[] {
  const wanted = (name: string) => names.has(normalizeName(name));
  return state.inputs.map((sheet) => {
    const full = wanted(sheet.name);
    const used = sheet.proxy.getUsedRangeOrNullObject(true).load(full && values ? "address,values" : "address");
    // getUsedRange, not its OrNullObject form: on a blank sheet it gives A1 ("it will not throw an
    // error", the reference says), so the header row never hangs off a null object.
    const head = sheet.proxy.getUsedRange(true).getRow(0).load("address,values");
    const tables = state.tables
      .filter((t) => t.sheet.toLowerCase() === sheet.name.toLowerCase())
      .map((table): TablePlan => {
        const tableFull = !full && wanted(table.name);
        return {
          table,
          full: tableFull,
          range: table.proxy.getRange().load(tableFull && values ? "address,values" : "address"),
          columns: table.proxy.columns.load("items/name"),
        };
      });
    return { sheet, full, used, head, tables };
  });
}

function tableRange(p: TablePlan): TableRange | undefined {
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

const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

/** The sheet candidate's header row from the used range's first row: its row, and its first and last non-blank columns. */
function headerOf(head: Excel.Range): { row: number; left: number; right: number; cells: unknown[] } | undefined {
  if (head.isNullObject) return undefined;
  const at = parseAddress(head.address);
  const cells = (head.values ?? [])[0] ?? [];
  if (!at) return undefined;
  let left = 0;
  let right = 0;
  cells.forEach((v, j) => {
    if (isBlank(v)) return;
    if (left === 0) left = at.left + j;
    right = at.left + j;
  });
  return left === 0 ? undefined : { row: at.top, left, right, cells: cells.slice(left - at.left, right - at.left + 1) };
}

/** A table that cannot be an input: its name, where it is, its header names; no rows. */
function headerOnlyTable(sheet: string, p: TablePlan): RawTable | undefined {
  const t = tableRange(p);
  if (!t) return undefined;
  const headers = Array.from({ length: t.right - t.left + 1 }, (_, i) => t.columns[i] ?? null);
  return { name: t.name, sheet, source: "table", top: t.headerRow ? t.top : t.top - 1, left: t.left, headers, rows: [] };
}

/** A sheet that cannot be an input: its header row, no rows. */
function headerOnlySheet(p: SheetPlan): RawTable | undefined {
  const h = headerOf(p.head);
  if (!h) return undefined;
  return { name: p.sheet.name, sheet: p.sheet.name, source: "sheet", top: h.row, left: h.left, headers: h.cells.map(rawCell), rows: [] };
}

/**
 * What a host learns from reading a workbook too large for one response: the bytes a cell took.
 * The next read of the session then goes to row blocks at once, sized by it, instead of asking
 * for everything first and being refused again.
 */
export interface ReadHint {
  bytesPerCell?: number;
}

export interface ReadResult {
  tables: RawTable[];
  report: ReadReport;
}

/** A grid to fill, and the blocks of it still to read. */
interface Pending {
  key: string;
  name: string;
  sheet: SheetState;
  blocks: CellBlock[];
}

/**
 * Every candidate input, after `state` was loaded: one more request in the usual case. The caller
 * owns the context; `budget` is the response size a block of values may come to.
 */
export async function readInputs(
  context: Excel.RequestContext,
  state: WorkbookState,
  budget = DEFAULT_BATCH_BUDGET,
  hint: ReadHint = {},
  picks: ReadPicks = {},
): Promise<ReadResult> {
  const names = inputNames(picks);
  const grids = new Map<string, Grid>();
  let requests = 0;
  /** Keys of the grids that still need reading, in blocks. */
  const large = new Set<string>();
  let plans: SheetPlan[];
  let extentsKnown = true;

  const optimistic = hint.bytesPerCell === undefined;
  plans = queuePlans(state, names, optimistic);
  try {
    await context.sync();
    requests++;
  } catch (e) {
    requests++;
    if (!optimistic || !isSizeRefusal(e)) throw e;
    extentsKnown = false;
  }
  if (!extentsKnown) {
    // Nothing of a refused batch comes back: the extents and header rows again, without values.
    plans = queuePlans(state, names, false);
    await context.sync();
    requests++;
  }
  for (const p of plans) {
    if (p.full) {
      const key = `s:${p.sheet.id}`;
      if (p.used.isNullObject) grids.set(key, { rows: [], used: [] });
      else if (optimistic && extentsKnown && p.used.values) {
        const grid: Grid = { rows: [], used: [] };
        const at = parseAddress(p.used.address);
        if (at) fillGrid(grid, at, p.used.values);
        grids.set(key, grid);
      } else large.add(key);
    }
    for (const t of p.tables) {
      if (!t.full) continue;
      const key = `t:${t.table.name}`;
      if (optimistic && extentsKnown && t.range.values) {
        const grid: Grid = { rows: [], used: [] };
        const at = parseAddress(t.range.address);
        if (at) fillGrid(grid, at, t.range.values);
        grids.set(key, grid);
      } else large.add(key);
    }
  }

  const report: ReadReport = { large: [], requests: 0 };
  if (large.size > 0) {
    const pending = await blocksToRead(context, plans, large);
    requests += pending.requests;
    const perCell = hint.bytesPerCell ?? READ_BYTES_PER_CELL;
    // The inputs that are large on their own (a refused batch sends the small ones to blocks too,
    // packed together): those the pane names; the largest when it was only their sum.
    const sized = pending.items.map((item) => ({ name: item.name, sheet: item.sheet.name, cells: item.blocks.reduce((n, b) => n + cells(b), 0) }));
    const big = sized.filter((x) => x.cells > READ_CELL_LIMIT || x.cells * perCell > budget);
    const largest = sized.reduce<(typeof sized)[number] | undefined>((m, x) => (!m || x.cells > m.cells ? x : m), undefined);
    report.large = big.length > 0 ? big : largest ? [largest] : [];
    const read = await readInBlocks(context, pending.items, grids, budget, perCell);
    requests += read.requests;
    // Small enough again for one response: the next read asks for everything at once.
    hint.bytesPerCell = read.bytes > budget ? read.bytesPerCell : undefined;
  } else if (!optimistic) {
    hint.bytesPerCell = undefined;
  }
  report.requests = requests;

  const tables: RawTable[] = [];
  for (const p of plans) {
    if (p.full) {
      const grid = finishGrid(grids.get(`s:${p.sheet.id}`) ?? { rows: [], used: [] });
      const ranges = p.tables.map(tableRange).filter((t): t is TableRange => t !== undefined);
      tables.push(...candidateTables([{ name: p.sheet.name, grid, tables: ranges }]));
      continue;
    }
    for (const t of p.tables) {
      if (t.full) {
        const range = tableRange(t);
        const grid = finishGrid(grids.get(`t:${t.table.name}`) ?? { rows: [], used: [] });
        if (range) tables.push(...candidateTables([{ name: p.sheet.name, grid, tables: [range] }]).filter((x) => x.source === "table"));
      } else {
        const only = headerOnlyTable(p.sheet.name, t);
        if (only) tables.push(only);
      }
    }
    const sheet = headerOnlySheet(p);
    if (sheet) tables.push(sheet);
  }
  return { tables, report };
}

const cells = (b: CellBlock) => (b.bottom - b.top + 1) * (b.right - b.left + 1);

/**
 * The blocks of the inputs too large for one read: a table's range; a sheet's used range limited
 * to the columns under its header row (one request finds the rows used there), and its tables'
 * ranges outside them.
 */
async function blocksToRead(context: Excel.RequestContext, plans: SheetPlan[], large: Set<string>): Promise<{ items: Pending[]; requests: number }> {
  const items: Pending[] = [];
  const narrowed: { item: Pending; range: Excel.Range; extraBlocks: CellBlock[] }[] = [];
  for (const p of plans) {
    const key = `s:${p.sheet.id}`;
    if (p.full && large.has(key)) {
      const item: Pending = { key, name: p.sheet.name, sheet: p.sheet, blocks: [] };
      items.push(item);
      const used = parseAddress(p.used.address);
      const tableBlocks = p.tables.map(tableRange).filter((t): t is TableRange => t !== undefined);
      const h = headerOf(p.head);
      if (!used) continue;
      if (!h) {
        item.blocks.push(used);
        continue;
      }
      const range = p.sheet.proxy.getRange(columnsAddress(h.left, h.right)).getUsedRangeOrNullObject(true).load("address");
      const extra = tableBlocks.filter((t) => t.left < h.left || t.right > h.right).map(({ top, left, bottom, right }) => ({ top, left, bottom, right }));
      narrowed.push({ item, range, extraBlocks: extra });
    }
    for (const t of p.tables) {
      const tkey = `t:${t.table.name}`;
      if (!t.full || !large.has(tkey)) continue;
      const at = parseAddress(t.range.address);
      items.push({ key: tkey, name: t.table.name, sheet: p.sheet, blocks: at ? [at] : [] });
    }
  }
  if (narrowed.length === 0) return { items, requests: 0 };
  await context.sync();
  for (const n of narrowed) {
    if (!n.range.isNullObject) {
      const at = parseAddress(n.range.address);
      if (at) n.item.blocks.push(at);
    }
    n.item.blocks.push(...n.extraBlocks);
  }
  return { items, requests: 1 };
}

/**
 * The values in row blocks, when one read would pass a limit. Returns the bytes the values took,
 * and per cell (with a quarter more for safety) for sizing the next read.
 */
async function readInBlocks(
  context: Excel.RequestContext,
  items: Pending[],
  grids: Map<string, Grid>,
  budget: number,
  bytesPerCell: number,
): Promise<{ bytes: number; bytesPerCell: number; requests: number }> {
  interface Block {
    key: string;
    sheet: SheetState;
    at: CellBlock;
  }
  let cellBudget = Math.max(1, Math.min(READ_CELL_LIMIT, Math.floor(budget / bytesPerCell)));
  let bytes = 0;
  let cellsRead = 0;
  let requests = 0;
  const split = (b: Block, n: number): Block[] => {
    const width = b.at.right - b.at.left + 1;
    const rows = Math.max(1, Math.floor(n / width));
    const out: Block[] = [];
    for (let top = b.at.top; top <= b.at.bottom; top += rows) {
      out.push({ key: b.key, sheet: b.sheet, at: { ...b.at, top, bottom: Math.min(b.at.bottom, top + rows - 1) } });
    }
    return out;
  };
  for (const item of items) if (!grids.has(item.key)) grids.set(item.key, { rows: [], used: [] });
  let queue: Block[] = items.flatMap((item) => item.blocks.map((at) => ({ key: item.key, sheet: item.sheet, at })));
  queue = queue.flatMap((b) => split(b, cellBudget));
  while (queue.length > 0) {
    const batch: Block[] = [];
    let n = 0;
    while (queue.length > 0) {
      const next = queue[0];
      const c = cells(next.at);
      if (batch.length > 0 && n + c > cellBudget) break;
      batch.push(next);
      queue.shift();
      n += c;
    }
    const ranges = batch.map((b) => b.sheet.proxy.getRange(blockAddress(b.at)).load("values"));
    let refused = false;
    try {
      // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one request per block of about 4 MB: Excel refuses larger reads (only reached past that limit)
      await context.sync();
      requests++;
      // Past the cell limit some builds give null instead of an error: as refused.
      refused = ranges.some((r) => !Array.isArray(r.values));
    } catch (e) {
      requests++;
      if (!isSizeRefusal(e)) throw e;
      refused = true;
    }
    if (refused) {
      const rows = batch.reduce((m, b) => Math.max(m, b.at.bottom - b.at.top + 1), 0);
      if (batch.length === 1 && rows === 1) throw new Error(`Excel refused to read ${blockAddress(batch[0].at)} of "${batch[0].sheet.name}", even as one row.`);
      cellBudget = Math.max(1, Math.floor(cellBudget / 2));
      queue = [...batch.flatMap((b) => split(b, cellBudget)), ...queue];
      continue;
    }
    batch.forEach((b, i) => {
      const grid = grids.get(b.key) as Grid;
      const values = ranges[i].values;
      bytes += jsonBytes(values);
      cellsRead += cells(b.at);
      fillGrid(grid, b.at, values);
    });
  }
  return { bytes, bytesPerCell: cellsRead > 0 ? Math.max(1, (bytes / cellsRead) * 1.25) : bytesPerCell, requests };
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
