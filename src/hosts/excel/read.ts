/**
 * Reading the workbook: its structure, the values of what can be an input, the header row and the
 * extent of everything else — turned into the same RawTables the .xlsx host gives (the slicing is
 * src/hosts/shared/tables.ts, shared by both) and the Inputs step's listing.
 *
 * Only what can be an input is read in full: a sheet or table whose name is an input's name or
 * alias (Targets, 历史, History data …), or the name the user picked in the pane. Every other sheet
 * and table gives only its header row, so the pane can offer it — a user's 500,000-row export, or a
 * sheet with one stray value in Z1048576 (27 million cells), costs one row.
 *
 * One request, when the host has read the workbook before in this session (`KnownWorkbook`): the
 * structure (state.ts) and, in the same batch, each input sheet and table the last read saw — by
 * name — with its extent, its header row and, for an input, its values. After the request, the
 * structure that came back says whether that guess held (the same input sheets and tables); when
 * it did not (a sheet added or renamed since), a second request reads what the structure names.
 * The first read of a session is two requests: the structure, then the rest.
 *
 * Inputs past what one response may carry are read in row blocks, packed close to the limit:
 * - Excel on the web refuses a response over 5 MB (ResponsePayloadSizeLimitExceeded, or on some
 *   builds GeneralException);
 * - every platform limits a read to five million cells: it throws RangeExceedsLimit, or gives
 *   `null` for the values without an error ("Performance optimization using the Excel JavaScript
 *   API"; office-js #4783, #6781).
 * The size of a read is known only after it: the host estimates it from the extents it knows and
 * the bytes a cell of that input took in JSON the last time (READ_BYTES_PER_CELL before any was
 * read), asks for as much as fits in one response — the first blocks travel with the structure —
 * and sizes the next blocks by what the cells really took. A block refused all the same is halved.
 */
import type { RawCell, RawTable } from "../host";
import type { DetectedTable, ReadFingerprint, ReadPicks, ReadReport } from "../addin";
import type { Grid, TableRange } from "../shared/grid";
import { candidateTables } from "../shared/tables";
import { INPUT_NAMES, normalizeName } from "../../contract/headers";
import { blockAddress, columnsAddress, parseAddress, splitSheet, type CellBlock } from "./address";
import { officeErrorCode } from "./errors";
import { fingerprintOf, type FingerprintInput } from "./fingerprint";
import { READ_BUDGET, jsonBytes, READ_BYTES_PER_CELL } from "./payload";
import { queueState, readState, type SheetState, type StateProxies, type TableState, type WorkbookState } from "./state";

const TOO_LARGE = new Set(["ResponsePayloadSizeLimitExceeded", "RequestPayloadSizeLimitExceeded"]);

/** Excel's limit on the cells of one read, on every platform. */
export const READ_CELL_LIMIT = 5_000_000;

/** Whether an Office.js error is Excel on the web's payload limit (a refused request runs nothing). */
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
export function rawCell(v: unknown): RawCell {
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

const cells = (b: CellBlock) => (b.bottom - b.top + 1) * (b.right - b.left + 1);
const lower = (s: string) => s.toLowerCase();
const sheetKey = (name: string) => `s:${lower(name)}`;
const tableKey = (name: string) => `t:${lower(name)}`;

/** The header row's span: its row, and its first and last non-blank columns. */
export interface HeaderSpan {
  row: number;
  left: number;
  right: number;
}

/** An input sheet as a read saw it: enough to read it again, by name, in the request of the structure. */
export interface KnownSheet {
  name: string;
  /** The used range (values only); undefined on a blank sheet. */
  used?: CellBlock;
  header?: HeaderSpan;
  tables: { name: string; block?: CellBlock }[];
}

/** What the host remembers of the workbook from its last read or listing in this session. */
export interface KnownWorkbook {
  /** The sheets that may hold inputs (neither owned nor the register), in workbook order. */
  sheets: KnownSheet[];
  /** Bytes a cell took in the JSON of a response, per input read in full (`s:` / `t:` + lower-case name). */
  cellBytes: Map<string, number>;
  /** The estimates proved short once in this read (a refused response): taken this many times larger. */
  inflate?: number;
}

interface TablePlan {
  name: string;
  /** Filled from the structure once it is read. */
  table?: TableState;
  /** Read in full (its own range), on a sheet that is not read in full. */
  full: boolean;
  range: Excel.Range;
  columns: Excel.TableColumnCollection;
  /** Whether its values were asked for with its range. */
  withValues: boolean;
  first?: FirstBlock;
  /** A listing's few first rows, to learn the bytes a cell takes before the first read. */
  sample?: Excel.Range;
}

interface SheetPlan {
  name: string;
  sheet?: SheetState;
  proxy: Excel.Worksheet;
  /** The sheet itself may be an input: its whole used range is read, its tables sliced from it. */
  full: boolean;
  used: Excel.Range;
  /** The used range's first row: the header row of the sheet candidate. */
  head: Excel.Range;
  tables: TablePlan[];
  withValues: boolean;
  first?: FirstBlock;
  sample?: Excel.Range;
}

/**
 * Rows and columns of a listing's sample of an input, from the top left of its range (~3,000 cells
 * at most): enough to learn the bytes a cell takes. An input's range starts near A1, far from the
 * sheet's last row and column.
 */
export const SAMPLE_ROWS = 50;
const SAMPLE_COLUMNS = 64;

const sheetSample = (used: Excel.Range): Excel.Range => used.getCell(0, 0).getResizedRange(SAMPLE_ROWS, SAMPLE_COLUMNS - 1).load("values");
const tableSample = (range: Excel.Range): Excel.Range => range.getRow(0).getResizedRange(SAMPLE_ROWS, 0).load("values");

/** The first rows of a large input, asked for with the structure. */
interface FirstBlock {
  at: CellBlock;
  range: Excel.Range;
}

export interface ReadOptions {
  /** Response bytes one request may carry (READ_BUDGET). */
  budget?: number;
  known?: KnownWorkbook;
  picks?: ReadPicks;
  /** false: extents and header rows only (the Inputs step's listing). */
  values?: boolean;
  /** Queued first in the request of the structure (the ownership marks a first write left to send). */
  before?: (context: Excel.RequestContext) => void;
}

export interface WorkbookReadResult {
  state: WorkbookState;
  tables: RawTable[];
  detected: DetectedTable[];
  fingerprint: ReadFingerprint;
  report: ReadReport;
  known: KnownWorkbook;
}

/** The estimate of an input's bytes per cell: learned by an earlier read, or the default. */
const perCellOf = (known: KnownWorkbook | undefined, key: string): number => (known?.cellBytes.get(key) ?? READ_BYTES_PER_CELL) * (known?.inflate ?? 1);

/** The block of a sheet input that is read: its used range, limited to the columns under its header row. */
function sheetArea(used: CellBlock | undefined, header: HeaderSpan | undefined): CellBlock | undefined {
  if (!used) return undefined;
  if (!header) return used;
  return { top: used.top, bottom: used.bottom, left: Math.max(used.left, header.left), right: Math.min(used.right, header.right) };
}

/**
 * What the request of the structure asks for of each known input: everything, when the estimate
 * of all of it fits in the budget; else, input by input in order, its first rows up to what is left.
 */
function valuesPlan(known: KnownWorkbook, wanted: (name: string) => boolean, budget: number): Map<string, "all" | CellBlock> {
  const areas: { key: string; area: CellBlock; bytes: number }[] = [];
  for (const s of known.sheets) {
    if (wanted(s.name)) {
      const area = sheetArea(s.used, s.header);
      if (area && s.used && area.left === s.used.left && area.right === s.used.right) {
        areas.push({ key: sheetKey(s.name), area, bytes: cells(area) * perCellOf(known, sheetKey(s.name)) });
      }
      continue;
    }
    for (const t of s.tables) {
      if (wanted(t.name) && t.block) areas.push({ key: tableKey(t.name), area: t.block, bytes: cells(t.block) * perCellOf(known, tableKey(t.name)) });
    }
  }
  const plan = new Map<string, "all" | CellBlock>();
  const total = areas.reduce((n, a) => n + a.bytes, 0);
  const totalCells = areas.reduce((n, a) => n + cells(a.area), 0);
  if (total <= budget && totalCells <= READ_CELL_LIMIT) {
    for (const a of areas) plan.set(a.key, "all");
    return plan;
  }
  // The small inputs whole, then the first rows of the large ones in what is left.
  areas.sort((a, b) => a.bytes - b.bytes);
  let left = budget;
  let cellsLeft = READ_CELL_LIMIT;
  for (const a of areas) {
    if (left <= 0 || cellsLeft <= 0) break;
    const width = a.area.right - a.area.left + 1;
    const perRow = (a.bytes / cells(a.area)) * width;
    const rows = Math.min(a.area.bottom - a.area.top + 1, Math.floor(left / perRow), Math.floor(cellsLeft / width));
    if (rows <= 0) break;
    if (rows === a.area.bottom - a.area.top + 1) plan.set(a.key, "all");
    else plan.set(a.key, { ...a.area, bottom: a.area.top + rows - 1 });
    left -= rows * perRow;
    cellsLeft -= rows * width;
  }
  return plan;
}

/** Queues the read of the sheets the last read saw, by name, in the request of the structure. */
function queueKnown(context: Excel.RequestContext, known: KnownWorkbook, wanted: (name: string) => boolean, values: boolean, budget: number): SheetPlan[] {
  const plan = values ? valuesPlan(known, wanted, budget) : new Map<string, "all" | CellBlock>();
  const workbook = context.workbook;
  return known.sheets.map((s): SheetPlan => {
    const full = wanted(s.name);
    const proxy = workbook.worksheets.getItemOrNullObject(s.name);
    const sheetValues = plan.get(sheetKey(s.name));
    const used = proxy.getUsedRangeOrNullObject(true).load(sheetValues === "all" ? "address,values" : "address");
    const head = used.getRow(0).load("address,values");
    const first = full && sheetValues && sheetValues !== "all" ? { at: sheetValues, range: proxy.getRange(blockAddress(sheetValues)).load("values") } : undefined;
    const tables = s.tables.map((t): TablePlan => {
      const tableFull = !full && wanted(t.name);
      const tableValues = plan.get(tableKey(t.name));
      const table = workbook.tables.getItemOrNullObject(t.name);
      const range = table.getRange().load(tableFull && tableValues === "all" ? "address,values" : "address");
      return {
        name: t.name,
        full: tableFull,
        range,
        columns: table.columns.load("items/name"),
        withValues: tableFull && tableValues === "all",
        first:
          tableFull && tableValues && tableValues !== "all" ? { at: tableValues, range: proxy.getRange(blockAddress(tableValues)).load("values") } : undefined,
        sample: tableFull && !values ? tableSample(range) : undefined,
      };
    });
    return { name: s.name, proxy, full, used, head, tables, withValues: full && sheetValues === "all", first, sample: full && !values ? sheetSample(used) : undefined };
  });
}

/**
 * The known plans, bound to the structure that came back with them; undefined when the structure
 * names an input sheet or a table the guess did not read (the second request then reads them).
 */
function bindKnown(plans: SheetPlan[], state: WorkbookState): SheetPlan[] | undefined {
  const byName = new Map(plans.map((p) => [lower(p.name), p]));
  const out: SheetPlan[] = [];
  for (const sheet of state.inputs) {
    const p = byName.get(lower(sheet.name));
    if (!p) return undefined;
    const onSheet = state.tables.filter((t) => lower(t.sheet) === lower(sheet.name));
    const tables: TablePlan[] = [];
    for (const table of onSheet) {
      const tp = p.tables.find((x) => lower(x.name) === lower(table.name));
      if (!tp) return undefined;
      tables.push({ ...tp, name: table.name, table });
    }
    out.push({ ...p, name: sheet.name, sheet, tables });
  }
  return out;
}

/** Queues the read of what the structure names (the first read of a session, or a guess that did not hold). */
function queuePlans(state: WorkbookState, wanted: (name: string) => boolean, values: boolean): SheetPlan[] {
  return state.inputs.map((sheet): SheetPlan => {
    const full = wanted(sheet.name);
    const used = sheet.proxy.getUsedRangeOrNullObject(true).load(full && values ? "address,values" : "address");
    // getUsedRange, not its OrNullObject form: on a blank sheet it gives A1 ("it will not throw an
    // error", the reference says), so the header row never hangs off a null object.
    const head = sheet.proxy.getUsedRange(true).getRow(0).load("address,values");
    const tables = state.tables
      .filter((t) => lower(t.sheet) === lower(sheet.name))
      .map((table): TablePlan => {
        const tableFull = !full && wanted(table.name);
        const range = table.proxy.getRange().load(tableFull && values ? "address,values" : "address");
        return {
          name: table.name,
          table,
          full: tableFull,
          range,
          columns: table.proxy.columns.load("items/name"),
          withValues: tableFull && values,
          sample: tableFull && !values ? tableSample(range) : undefined,
        };
      });
    return { name: sheet.name, sheet, proxy: sheet.proxy, full, used, head, tables, withValues: full && values, sample: full && !values ? sheetSample(used) : undefined };
  });
}

function tableRange(p: TablePlan): TableRange | undefined {
  if (p.range.isNullObject || !p.table) return undefined;
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
function headerOf(head: Excel.Range): (HeaderSpan & { cells: unknown[] }) | undefined {
  if (head.isNullObject) return undefined;
  const at = parseAddress(head.address);
  const values = head.values as unknown[][] | null;
  const row = (values ?? [])[0] ?? [];
  if (!at) return undefined;
  let left = 0;
  let right = 0;
  row.forEach((v, j) => {
    if (isBlank(v)) return;
    if (left === 0) left = at.left + j;
    right = at.left + j;
  });
  return left === 0 ? undefined : { row: at.top, left, right, cells: row.slice(left - at.left, right - at.left + 1) };
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
  return { name: p.name, sheet: p.name, source: "sheet", top: h.row, left: h.left, headers: h.cells.map(rawCell), rows: [] };
}

/** A block without the sheet name an address may carry. */
const corners = (b: CellBlock | undefined): CellBlock | undefined => (b ? { top: b.top, left: b.left, bottom: b.bottom, right: b.right } : undefined);

const usedBlock = (p: SheetPlan): CellBlock | undefined => (p.used.isNullObject ? undefined : parseAddress(p.used.address));

/** An input still to read, in blocks: its grid and the areas left. */
interface Pending {
  key: string;
  name: string;
  sheet: SheetPlan;
  blocks: CellBlock[];
  /** The cells of all of it (a first block included). */
  cells: number;
}

/** The requests of a read so far. */
interface Counter {
  requests: number;
}

async function syncCounted(context: Excel.RequestContext, counter: Counter): Promise<void> {
  counter.requests++;
  await context.sync();
}

/** The rows of `area` below a first block that was read (when the block is the area's top, full width); else all of it. */
function remainder(area: CellBlock, first: CellBlock | undefined): { rest?: CellBlock; firstValid: boolean } {
  if (first && first.top === area.top && first.left === area.left && first.right === area.right && first.bottom <= area.bottom) {
    return { rest: first.bottom < area.bottom ? { ...area, top: first.bottom + 1 } : undefined, firstValid: true };
  }
  return { rest: area, firstValid: false };
}

/**
 * The workbook as the pane needs it: RawTables (inputs in full, the others' header rows), the
 * listing, and a fingerprint of the inputs for the write's change check.
 */
export async function readWorkbook(context: Excel.RequestContext, options: ReadOptions = {}): Promise<WorkbookReadResult> {
  const budget = options.budget ?? READ_BUDGET;
  const values = options.values !== false;
  const names = inputNames(options.picks);
  const wanted = (name: string) => names.has(normalizeName(name));
  const counter: Counter = { requests: 0 };
  let known = options.known;

  options.before?.(context);
  let proxies: StateProxies = queueState(context);
  let guessed = known ? queueKnown(context, known, wanted, values, budget) : undefined;
  try {
    await syncCounted(context, counter);
  } catch (e) {
    // The estimate was short: the guess again, without values.
    if (!guessed || !values || !isSizeRefusal(e) || !known) throw e;
    options.before?.(context);
    proxies = queueState(context);
    guessed = queueKnown(context, known, wanted, false, budget);
    await syncCounted(context, counter);
    known = { ...known, inflate: 2 };
  }
  const state = readState(proxies);
  let plans = guessed ? bindKnown(guessed, state) : undefined;
  if (!plans) {
    // Values at once, unless what the last read saw says they would not fit one response.
    const optimistic = values && (!known || [...valuesPlan(known, wanted, budget).values()].every((v) => v === "all"));
    plans = queuePlans(state, wanted, optimistic);
    try {
      await syncCounted(context, counter);
    } catch (e) {
      if (!optimistic || !isSizeRefusal(e)) throw e;
      // Nothing of a refused batch comes back: the extents and header rows again, without values.
      plans = queuePlans(state, wanted, false);
      await syncCounted(context, counter);
    }
  }

  const grids = new Map<string, Grid>();
  const measured = new Map<string, { bytes: number; cells: number }>();
  const note = (key: string, at: CellBlock, v: unknown[][]) => {
    const m = measured.get(key) ?? { bytes: 0, cells: 0 };
    m.bytes += jsonBytes(v);
    m.cells += cells(at);
    measured.set(key, m);
  };
  const gridOf = (key: string): Grid => {
    let g = grids.get(key);
    if (!g) {
      g = { rows: [], used: [] };
      grids.set(key, g);
    }
    return g;
  };
  const pending: Pending[] = [];
  const narrow: { item: Pending; range: Excel.Range; extra: CellBlock[] }[] = [];
  if (values) {
    for (const p of plans) {
      if (p.full) {
        const key = sheetKey(p.name);
        const used = usedBlock(p);
        gridOf(key);
        if (!used) continue;
        const vals = p.withValues ? (p.used.values as unknown[][] | null) : null;
        if (Array.isArray(vals)) {
          fillGrid(gridOf(key), used, vals);
          note(key, used, vals);
          continue;
        }
        const h = headerOf(p.head);
        const item: Pending = { key, name: p.name, sheet: p, blocks: [], cells: cells(used) };
        pending.push(item);
        const tableBlocks = p.tables.map(tableRange).filter((t): t is TableRange => t !== undefined);
        if (h && (used.left < h.left || used.right > h.right)) {
          // A stray value beside the header: only the rows used under the header's columns (one request).
          const range = p.proxy.getRange(columnsAddress(h.left, h.right)).getUsedRangeOrNullObject(true).load("address");
          const extra = tableBlocks.filter((t) => t.left < h.left || t.right > h.right).map(({ top, left, bottom, right }) => ({ top, left, bottom, right }));
          narrow.push({ item, range, extra });
          continue;
        }
        const { rest, firstValid } = remainder(used, p.first?.at);
        const firstValues = firstValid && p.first ? (p.first.range.values as unknown[][] | null) : null;
        if (firstValid && p.first && Array.isArray(firstValues)) {
          fillGrid(gridOf(key), p.first.at, firstValues);
          note(key, p.first.at, firstValues);
          if (rest) item.blocks.push(rest);
        } else item.blocks.push(used);
        continue;
      }
      for (const t of p.tables) {
        if (!t.full) continue;
        const key = tableKey(t.name);
        const at = t.range.isNullObject ? undefined : parseAddress(t.range.address);
        gridOf(key);
        if (!at) continue;
        const vals = t.withValues ? (t.range.values as unknown[][] | null) : null;
        if (Array.isArray(vals)) {
          fillGrid(gridOf(key), at, vals);
          note(key, at, vals);
          continue;
        }
        const item: Pending = { key, name: t.name, sheet: p, blocks: [], cells: cells(at) };
        pending.push(item);
        const { rest, firstValid } = remainder(at, t.first?.at);
        const firstValues = firstValid && t.first ? (t.first.range.values as unknown[][] | null) : null;
        if (firstValid && t.first && Array.isArray(firstValues)) {
          fillGrid(gridOf(key), t.first.at, firstValues);
          note(key, t.first.at, firstValues);
          if (rest) item.blocks.push(rest);
        } else item.blocks.push(at);
      }
    }
  }
  if (narrow.length > 0) {
    await syncCounted(context, counter);
    for (const n of narrow) {
      if (!n.range.isNullObject) {
        const at = parseAddress(n.range.address);
        if (at) n.item.blocks.push(at);
      }
      n.item.blocks.push(...n.extra);
      n.item.cells = n.item.blocks.reduce((sum, b) => sum + cells(b), 0);
    }
  }

  const report: ReadReport = { large: [], requests: 0 };
  const toRead = pending.filter((item) => item.blocks.length > 0);
  if (toRead.length > 0) {
    const perCell = (key: string) => {
      const m = measured.get(key);
      return m && m.cells > 0 ? Math.max(1, m.bytes / m.cells) * 1.05 : perCellOf(known, key);
    };
    // The inputs that are large on their own (small ones may be read in blocks too, packed with
    // them) are those the pane names; the largest, when it was only their sum.
    const sized = toRead.map((item) => ({ name: item.name, sheet: item.sheet.name, cells: item.cells, bytes: item.cells * perCell(item.key) }));
    const big = sized.filter((x) => x.cells > READ_CELL_LIMIT || x.bytes > budget);
    const largest = sized.reduce<(typeof sized)[number] | undefined>((m, x) => (!m || x.cells > m.cells ? x : m), undefined);
    report.large = (big.length > 0 ? big : largest ? [largest] : []).map(({ name, sheet, cells: n }) => ({ name, sheet, cells: n }));
    await readInBlocks(context, toRead, gridOf, note, perCell, budget, counter);
  }
  report.requests = counter.requests;

  const tables: RawTable[] = [];
  const detected: DetectedTable[] = [];
  for (const p of plans) {
    for (const t of p.tables) {
      if (t.range.isNullObject || !t.table) continue;
      const at = parseAddress(t.range.address);
      if (!at) continue;
      const rows = at.bottom - at.top + 1 - (t.table.showHeaders ? 1 : 0) - (t.table.showTotals ? 1 : 0);
      detected.push({ name: t.table.name, sheet: p.name, source: "table", rows: Math.max(0, rows), address: t.range.address });
    }
    const used = usedBlock(p);
    if (used) detected.push({ name: p.name, sheet: p.name, source: "sheet", rows: Math.max(0, used.bottom - used.top), address: p.used.address });
    if (!values) continue;
    if (p.full) {
      const grid = finishGrid(gridOf(sheetKey(p.name)));
      const ranges = p.tables.map(tableRange).filter((t): t is TableRange => t !== undefined);
      tables.push(...candidateTables([{ name: p.name, grid, tables: ranges }]));
      continue;
    }
    for (const t of p.tables) {
      if (t.full) {
        const range = tableRange(t);
        const grid = finishGrid(gridOf(tableKey(t.name)));
        if (range) tables.push(...candidateTables([{ name: p.name, grid, tables: [range] }]).filter((x) => x.source === "table"));
      } else {
        const only = headerOnlyTable(p.name, t);
        if (only) tables.push(only);
      }
    }
    const sheet = headerOnlySheet(p);
    if (sheet) tables.push(sheet);
  }

  const cellBytes = new Map(known?.cellBytes ?? []);
  for (const [key, m] of measured) if (m.cells > 0) cellBytes.set(key, m.bytes / m.cells);
  // A listing learns from its samples what no read has measured yet (a tenth more: the rows below may be longer).
  for (const p of plans) {
    const learn = (key: string, sample: Excel.Range | undefined, area: CellBlock | undefined, left: number, right: number) => {
      if (cellBytes.has(key) || !sample || sample.isNullObject || !area || !Array.isArray(sample.values)) return;
      const rows = (sample.values as unknown[][]).slice(1, 1 + Math.max(0, area.bottom - area.top)).map((row) => row.slice(left - area.left, right - area.left + 1));
      const n = rows.length * (right - left + 1);
      if (n > 0) cellBytes.set(key, (jsonBytes(rows) / n) * 1.1);
    };
    if (p.full) {
      const used = usedBlock(p);
      const h = headerOf(p.head);
      if (used && h) learn(sheetKey(p.name), p.sample, used, h.left, Math.min(h.right, used.left + SAMPLE_COLUMNS - 1));
    }
    for (const t of p.tables) {
      const at = t.range.isNullObject ? undefined : parseAddress(t.range.address);
      if (t.full && at) learn(tableKey(t.name), t.sample, at, at.left, at.right);
    }
  }
  const learned: KnownWorkbook = {
    sheets: plans.map((p) => {
      const h = headerOf(p.head);
      return {
        name: p.name,
        used: corners(usedBlock(p)),
        header: h ? { row: h.row, left: h.left, right: h.right } : undefined,
        tables: p.tables.flatMap((t) => (t.range.isNullObject || !t.table ? [] : [{ name: t.table.name, block: corners(parseAddress(t.range.address)) }])),
      };
    }),
    cellBytes,
  };
  const fingerprint = fingerprintOf(
    plans.flatMap((p) => {
      const out: FingerprintInput[] = [];
      if (p.full) {
        const used = usedBlock(p);
        const onSheet = p.tables.map(tableRange).filter((t): t is TableRange => t !== undefined);
        out.push({
          key: sheetKey(p.name),
          source: "sheet",
          name: p.name,
          sheet: p.name,
          address: used ? blockAddress(used) : "",
          grid: gridOf(sheetKey(p.name)),
          tables: onSheet.map((t) => ({ name: t.name, address: blockAddress(t) })),
        });
      }
      for (const t of p.tables) {
        if (!t.full || t.range.isNullObject || !t.table) continue;
        const at = parseAddress(t.range.address);
        out.push({ key: tableKey(t.name), source: "table", name: t.table.name, sheet: p.name, address: at ? blockAddress(at) : "", grid: gridOf(tableKey(t.name)) });
      }
      return out;
    }),
    [...names],
    values,
  );
  return { state, tables, detected, fingerprint, report, known: learned };
}

/**
 * The values in row blocks, when one read would pass a limit: packed in order, several inputs to a
 * request, each block sized by the bytes its input's cells took so far (or the estimate), up to
 * `budget` bytes and five million cells a request. A request refused all the same is sent again
 * in halves.
 */
async function readInBlocks(
  context: Excel.RequestContext,
  items: Pending[],
  gridOf: (key: string) => Grid,
  note: (key: string, at: CellBlock, values: unknown[][]) => void,
  perCell: (key: string) => number,
  budget: number,
  counter: Counter,
): Promise<void> {
  interface Block {
    key: string;
    item: Pending;
    at: CellBlock;
  }
  let queue: Block[] = items.flatMap((item) => item.blocks.map((at) => ({ key: item.key, item, at })));
  /** Halved on each refusal, for the rest of this read. */
  let scale = 1;
  while (queue.length > 0) {
    const batch: Block[] = [];
    let bytes = 0;
    let n = 0;
    while (queue.length > 0) {
      const next = queue[0];
      const width = next.at.right - next.at.left + 1;
      const perRow = perCell(next.key) * width;
      const room = Math.min((budget * scale - bytes) / perRow, (READ_CELL_LIMIT * scale - n) / width);
      const rows = next.at.bottom - next.at.top + 1;
      const take = Math.min(rows, Math.floor(room));
      if (take <= 0) {
        if (batch.length > 0) break;
        // Not even one row fits the estimate: one row alone.
      }
      const count = Math.max(1, take);
      queue.shift();
      if (count < rows) {
        batch.push({ ...next, at: { ...next.at, bottom: next.at.top + count - 1 } });
        queue.unshift({ ...next, at: { ...next.at, top: next.at.top + count } });
        bytes += count * perRow;
        n += count * width;
        break;
      }
      batch.push(next);
      bytes += count * perRow;
      n += count * width;
    }
    const ranges = batch.map((b) => b.item.sheet.proxy.getRange(blockAddress(b.at)).load("values"));
    let refused = false;
    try {
      counter.requests++;
      // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one request per block of about 4.5 MB: Excel refuses larger responses (only reached past that limit)
      await context.sync();
      // Past the cell limit some builds give null instead of an error: as refused.
      refused = ranges.some((r) => !Array.isArray(r.values));
    } catch (e) {
      if (!isSizeRefusal(e)) throw e;
      refused = true;
    }
    if (refused) {
      const rows = batch.reduce((m, b) => Math.max(m, b.at.bottom - b.at.top + 1), 0);
      if (batch.length === 1 && rows === 1) throw new Error(`Excel refused to read ${blockAddress(batch[0].at)} of "${batch[0].item.sheet.name}", even as one row.`);
      scale /= 2;
      queue = [...batch, ...queue];
      continue;
    }
    batch.forEach((b, i) => {
      const v = ranges[i].values as unknown[][];
      fillGrid(gridOf(b.key), b.at, v);
      note(b.key, b.at, v);
    });
  }
}

/** The address of a range without its sheet (`'History data'!A1:I9` → `A1:I9`). */
export const localOf = (address: string): string => splitSheet(address).local;
