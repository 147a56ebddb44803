/**
 * The WorkbookHost inside Excel (desktop, Mac, web), over Office.js. `Excel` and `Office` are the
 * globals of the office.js script tag (types from @types/office-js); nothing here imports them.
 *
 * Round trips (each `context.sync()` is one request to Excel, across the network on the web):
 *   readWorkbook  1: the structure (sheets, tables, ownership marks) and, by name, the inputs'
 *   readTables    values, every other sheet's and table's header row and extent (read.ts) — guessed
 *   listTables    from the last read or listing of this session; 2 for the first one of a session,
 *                 or when the structure changed since (listTables: the same without values)
 *   writeSheets   2: the structure and the change check of the read it was computed from
 *                 (fingerprint.ts), then everything (write.ts); on a first run the marks by id of
 *                 the new sheets go with the next request, whatever it is
 *   writeChanges  2: the structure and what the target sheets hold where the tool writes, then
 *                 only the changed cells (or writeSheets' count when a full write is needed)
 *   saveSetup     2: the stored setup read again, then the merged one written
 *   selectCell, activateSheet, loadSetup, watchInput, watchSetup   1
 * None of these grow with the workbook's size below the request limit. An input past Excel's limits
 * (5 MB a response on the web, five million cells a read everywhere) is read in row blocks, and a
 * write past 5 MB split (payload.ts, read.ts): one more request per ~4.5–4.9 MB, each packed close
 * to the limit; a workbook's other sheets, however large, cost nothing.
 *
 * Requirement sets: everything used is in ExcelApi 1.6 or older (the manifest's minimum) except
 * frozen panes and standard column widths (1.7), which are skipped where 1.7 is missing.
 * docs/excel-host.md has the details.
 */
import type { AddinHost, ChangesSummary, DetectedTable, HoldsWrite, HoldsWritten, PaneSetup, ReadPicks, ReadReport, SheetEdits, WatchedInput, WatchEvent, WorkbookRead, WriteSheetsOptions } from "../addin";
import type { RawTable, WriteSummary } from "../host";
import type { SheetSpec } from "../../report/spec";
import { blockAddress, parseAddress, splitSheet } from "./address";
import { CellRefError, officeErrorCode, WorkbookChangedError } from "./errors";
import { fingerprintChange, queueFingerprint } from "./fingerprint";
import { OWNED_SETTING, SETUP_SETTING } from "./ownership";
import { specExtent, specWidth, withExcelHeaders } from "./cells";
import { diffSheet, shapeKey, specShape, type SheetDiff } from "./diff";
import { planWrite } from "./ownership";
import { ACTION_BYTES, DEFAULT_BATCH_BUDGET, jsonBytes, READ_BUDGET } from "./payload";
import { isSizeRefusal, readWorkbook, type KnownWorkbook, type WorkbookReadResult } from "./read";
import { queueState, readState } from "./state";
import { writeAll } from "./write";
import { editedCells } from "./edits";

export { SheetOwnershipError, CellRefError, WorkbookChangedError, WriteFailedError, type Clash } from "./errors";
export { REGISTER_HEADER } from "./register";
export { OWNED_SETTING, OWNERSHIP_SHEET, SETUP_SETTING } from "./ownership";
export { PAYLOAD_LIMIT_BYTES, DEFAULT_BATCH_BUDGET, READ_BUDGET } from "./payload";

export interface ExcelHostOptions {
  /** Bytes one write request may carry; DEFAULT_BATCH_BUDGET (4.9 MB). Tests lower it, and then reads use it too. */
  budget?: number;
  /** Bytes one read response is sized to; READ_BUDGET (4.75 MB), or `budget` when that is given. */
  readBudget?: number;
  /** The Office.js globals to use instead of the page's (tests). */
  api?: OfficeApi;
}

/** An event's source: "Remote" for a co-author's change, else "Local" (older builds give none). */
function sourceOf(args: unknown): "Local" | "Remote" {
  return (args as { source?: unknown } | null)?.source === "Remote" ? "Remote" : "Local";
}

/** The Office.js globals a host runs over: those of the office.js script tag, or a test's (two co-authors' hosts in one process). */
export interface OfficeApi {
  Excel: { run: typeof Excel.run };
  Office?: { context?: { requirements?: { isSetSupported(name: string, version?: string): boolean } } };
}

function globalApi(): OfficeApi {
  return { Excel, Office: typeof Office === "undefined" ? undefined : Office };
}

/** The width a spec is written at (its widest row, or its table). */
const specWidthOf = (spec: SheetSpec): number => specWidth(spec.rows, spec.table?.columns);

function parseSetup(value: unknown): PaneSetup | undefined {
  let data = value;
  if (typeof value === "string") {
    try {
      data = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!data || typeof data !== "object") return undefined;
  const { choices, plan } = data as Partial<PaneSetup>;
  return {
    choices: choices && typeof choices === "object" ? choices : {},
    plan: plan && typeof plan === "object" ? plan : {},
  };
}

export class ExcelHost implements AddinHost {
  private readonly budget: number;
  private readonly readBudget: number;
  /** What the last read or listing saw: the next read guesses from it, to need one request. */
  private known?: KnownWorkbook;
  /** Ownership marks a first write could not send with it (the new sheets' ids came with its response): they go with the next request. */
  private pendingMarks?: string;
  /** Requests sent by the last writeSheets or writeChanges (the structure read included). */
  lastWriteRequests = 0;
  /** The host's estimate of the bytes of each write request of the last full write (what it packed by). */
  lastWriteEstimates: number[] = [];
  /** The shape (specShape) each sheet was last written with in this session, by lower-case name. */
  private readonly shapes = new Map<string, string>();
  /** How the last readTables went: the inputs read in blocks, and its requests. */
  lastRead?: ReadReport;

  private readonly given?: OfficeApi;

  constructor(options: ExcelHostOptions = {}) {
    this.budget = options.budget ?? DEFAULT_BATCH_BUDGET;
    this.readBudget = options.readBudget ?? options.budget ?? READ_BUDGET;
    this.given = options.api;
  }

  /** The globals, looked up at each call (office.js may define them after the host is made). */
  private get api(): OfficeApi {
    return this.given ?? globalApi();
  }

  /**
   * Excel.run, with the marks a first write left to send queued first: they travel with this
   * batch's first request, and are sent again by the next batch should this one fail.
   */
  private run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  private run<T>(context: OfficeExtension.ClientRequestContext, batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  private run<T>(a: unknown, b?: unknown): Promise<T> {
    const run = this.api.Excel.run as (...args: unknown[]) => Promise<T>;
    const given = (b ?? a) as (context: Excel.RequestContext) => Promise<T>;
    const batch = async (context: Excel.RequestContext): Promise<T> => {
      const marks = this.pendingMarks;
      if (marks !== undefined) context.workbook.settings.add(OWNED_SETTING, marks);
      const out = await given(context);
      if (this.pendingMarks === marks) this.pendingMarks = undefined;
      return out;
    };
    return b === undefined ? run(batch) : run(a, batch);
  }

  private apiSupported(version: string): boolean {
    return this.api.Office?.context?.requirements?.isSetSupported("ExcelApi", version) === true;
  }

  private async read(picks: ReadPicks, values: boolean): Promise<WorkbookReadResult> {
    return this.run(async (context) => {
      const result = await readWorkbook(context, { budget: this.readBudget, known: this.known, picks, values });
      this.known = result.known;
      return result;
    });
  }

  async readWorkbook(picks: ReadPicks = {}): Promise<WorkbookRead> {
    const result = await this.read(picks, true);
    this.lastRead = { large: result.report.large, requests: result.report.requests };
    return { tables: result.tables, detected: result.detected, fingerprint: result.fingerprint, report: this.lastRead };
  }

  async readTables(picks: ReadPicks = {}): Promise<RawTable[]> {
    return (await this.readWorkbook(picks)).tables;
  }

  async listTables(): Promise<DetectedTable[]> {
    return (await this.read({}, false)).detected;
  }

  async writeSheets(specs: SheetSpec[], options: WriteSheetsOptions = {}): Promise<WriteSummary> {
    return this.run(async (context) => {
      const proxies = queueState(context);
      const since = options.since;
      const probe = since ? queueFingerprint(context, since) : undefined;
      await context.sync();
      const state = readState(proxies);
      if (since && probe) {
        const change = fingerprintChange(since, probe, state);
        if (change !== undefined) {
          this.lastWriteRequests = 1;
          throw new WorkbookChangedError(change);
        }
      }
      const run = await writeAll(context, state, specs, { budget: this.budget, api17: this.apiSupported("1.7"), api19: this.apiSupported("1.9"), onProgress: options.onProgress });
      this.lastWriteRequests = run.requests + 1;
      this.lastWriteEstimates = run.estimates;
      this.pendingMarks = run.marks;
      this.remember(specs);
      return run.summary;
    });
  }

  private remember(specs: SheetSpec[]): void {
    for (const spec of specs) this.shapes.set(spec.name.toLowerCase(), specShape(spec));
  }

  async writeChanges(given: SheetSpec[]): Promise<ChangesSummary> {
    const specs = given.map(withExcelHeaders);
    return this.run(async (context) => {
      const proxies = queueState(context);
      // Only where the tool writes: a co-author's note beside it, or a stray value far off, is not read.
      const held = specs.map((spec) =>
        context.workbook.worksheets.getItemOrNullObject(spec.name).getRange(blockAddress(specExtent(spec))).load("formulas"),
      );
      let contentRead = true;
      let state;
      try {
        await context.sync();
        state = readState(proxies);
      } catch (e) {
        // The sheets are too large to read back in one response: write them in full instead.
        if (!isSizeRefusal(e)) throw e;
        contentRead = false;
        const again = queueState(context);
        await context.sync();
        state = readState(again);
      }
      const plan = planWrite(specs, state.sheets, state.tables, state.owned);
      // The sheet has the spec's layout and formats when this session wrote it so, or when the
      // register says the last write (this pane's, another session's, a co-author's) had its shape.
      const sameShape = (spec: SheetSpec, recorded?: string) => this.shapes.get(spec.name.toLowerCase()) === specShape(spec) || recorded === shapeKey(spec);
      const inPlace = contentRead && plan.deletes.length === 0 && plan.targets.every((t) => t.reuse && t.reuse.name === t.spec.name && sameShape(t.spec, t.reuse.shape));
      const diffs: (SheetDiff | undefined)[] = inPlace
        ? specs.map((spec, i) => {
            const range = held[i];
            if (range.isNullObject || !Array.isArray(range.formulas)) return undefined;
            return diffSheet(spec, { at: { top: 1, left: 1 }, formulas: range.formulas as unknown[][] }, "ignore");
          })
        : [];
      const ranges = diffs.flatMap((d) => d?.ranges ?? []);
      const bytes = ranges.reduce((n, r) => n + 4 * ACTION_BYTES + jsonBytes(r.formulas) + r.address.length, 5 * ACTION_BYTES);
      if (!inPlace || diffs.some((d) => d === undefined) || bytes > this.budget) {
        const run = await writeAll(context, state, specs, { budget: this.budget, api17: this.apiSupported("1.7"), api19: this.apiSupported("1.9") });
        this.lastWriteRequests = run.requests + 1;
        this.pendingMarks = run.marks;
        this.remember(specs);
        const cells = specs.reduce((n, s) => n + s.rows.length * specWidthOf(s), 0);
        return { ...run.summary, changedCells: cells, changedRanges: specs.length, full: true };
      }
      let requests = 1;
      if (ranges.length > 0) {
        context.workbook.application.suspendApiCalculationUntilNextSync();
        plan.targets.forEach((t, i) => {
          const ws = state.sheets.find((s) => s.id === t.reuse?.id)?.proxy as Excel.Worksheet;
          for (const range of diffs[i]?.ranges ?? []) ws.getRange(range.address).formulas = range.formulas;
        });
        await context.sync();
        requests++;
      }
      this.lastWriteRequests = requests;
      this.remember(specs);
      return {
        sheets: specs.map((spec) => ({ kind: spec.kind, name: spec.name, rows: spec.rows.length, cols: specWidthOf(spec) })),
        changedCells: diffs.reduce((n, d) => n + (d?.cells ?? 0), 0),
        changedRanges: ranges.length,
        full: false,
      };
    });
  }

  /**
   * Rebalance: the cells of the spec's sheet typed over since the tool wrote it. The structure and
   * the spec's extent (formulas and values) in one request; a sheet past the response limit in
   * blocks of rows, one request each.
   */
  async readEdits(given: SheetSpec): Promise<SheetEdits> {
    const spec = withExcelHeaders(given);
    const extent = specExtent(spec);
    const width = extent.right;
    // Formulas and values of a plan cell: ~48 bytes of JSON at most for the numbers the tool writes.
    const rowsPerRead = Math.max(1, Math.floor(this.readBudget / (width * 48)));
    return this.run(async (context) => {
      const proxies = queueState(context);
      const sheet = context.workbook.worksheets.getItemOrNullObject(spec.name);
      const block = (top: number) => {
        const bottom = Math.min(extent.bottom, top + rowsPerRead - 1);
        return sheet.getRange(blockAddress({ top, left: 1, bottom, right: width })).load("formulas,values");
      };
      let range = block(1);
      await context.sync();
      const state = readState(proxies);
      if (sheet.isNullObject) return { status: "missing", sheet: spec.name };
      const owned = state.owned.find((o) => o.name.toLowerCase() === spec.name.toLowerCase() && o.kind === spec.kind);
      if (!owned) return { status: "notOwned", sheet: spec.name };
      const formulas: unknown[][] = [];
      const values: unknown[][] = [];
      for (let top = 1; ; ) {
        formulas.push(...(range.formulas as unknown[][]));
        values.push(...(range.values as unknown[][]));
        top += rowsPerRead;
        if (top > extent.bottom) break;
        range = block(top);
        // One block of rows per response: the sheet is past the response limit.
        // eslint-disable-next-line office-addins/no-context-sync-in-loop
        await context.sync();
      }
      const sameShape = this.shapes.get(spec.name.toLowerCase()) === specShape(spec) || owned.shape === shapeKey(spec);
      return { status: "read", sheet: owned.name, cells: editedCells(spec, formulas, values), sameShape };
    });
  }

  /**
   * Rebalance: keeps holds in the Holds / 锁定值 table: the amounts of rows it has, and new rows at
   * its end (TableRowCollection.add, ExcelApi 1.1), or below a sheet-based table's last row; a new
   * sheet with a table when there is none. Strings go in as text. One request (two for a sheet).
   */
  async writeHolds(w: HoldsWrite): Promise<HoldsWritten> {
    const text = (v: string | number | null): string | number => (v === null || v === "" ? "" : typeof v === "number" ? v : `'${v}`);
    return this.run(async (context) => {
      const wb = context.workbook;
      context.workbook.application.suspendApiCalculationUntilNextSync();
      for (const u of w.updates) {
        const { sheet, local } = splitSheet(u.ref);
        if (sheet === undefined || !parseAddress(local)) throw new CellRefError(u.ref, "badAddress");
        wb.worksheets.getItem(sheet).getRange(local).formulas = [[u.amount]];
      }
      const rows = w.rows.map((r) => r.map(text));
      const target = w.target;
      if (target?.source === "table") {
        if (rows.length > 0) wb.tables.getItem(target.name).rows.add(undefined, rows);
        await context.sync();
        return { sheet: target.sheet, table: target.name, added: rows.length, updated: w.updates.length, created: false };
      }
      if (target) {
        const ws = wb.worksheets.getItem(target.sheet);
        const used = ws.getUsedRange(true).load("rowIndex,rowCount,columnIndex");
        await context.sync();
        if (rows.length > 0) {
          const width = Math.max(...rows.map((r) => r.length));
          ws.getRangeByIndexes(used.rowIndex + used.rowCount, used.columnIndex, rows.length, width).formulas = rows.map((r) => [...r, ...Array<string>(width - r.length).fill("")]);
          await context.sync();
        }
        return { sheet: target.sheet, added: rows.length, updated: w.updates.length, created: false };
      }
      const create = w.create;
      if (!create) throw new Error("a holds write needs a table to write into or one to create");
      const ws = wb.worksheets.add(create.sheet);
      const width = create.headers.length;
      const body = [create.headers.map(text), ...rows.map((r) => [...r, ...Array<string>(width - r.length).fill("")].slice(0, width))];
      const range = ws.getRangeByIndexes(0, 0, body.length, width);
      range.formulas = body;
      const table = wb.tables.add(range, true);
      table.name = create.table;
      await context.sync();
      return { sheet: create.sheet, table: create.table, added: rows.length, updated: w.updates.length, created: true };
    });
  }

  canWatch(): boolean {
    return this.apiSupported("1.7");
  }

  /**
   * Watches the input (ExcelApi 1.7): its onChanged, and the workbook's tables.onDeleted /
   * tables.onAdded and worksheets.onDeleted / onAdded, so that a deleted or replaced Actuals table
   * — whose handler never fires again — is reported as `lost` instead of going silent. One request.
   */
  async watchInput(input: WatchedInput, listener: (event: WatchEvent) => void): Promise<() => Promise<void>> {
    const registered = await this.run(async (context) => {
      const workbook = context.workbook;
      const out: OfficeExtension.EventHandlerResult<unknown>[] = [];
      const ws =
        input.source === "table" ? workbook.tables.getItem(input.name).worksheet.load("id") : workbook.worksheets.getItem(input.sheet).load("id");
      if (input.source === "table") {
        const table = workbook.tables.getItem(input.name).load("id");
        out.push(table.onChanged.add(async (args) => listener({ type: "changed", source: sourceOf(args) })));
        out.push(
          workbook.tables.onDeleted.add(async (args) => {
            if (args.tableId === table.id || (args.tableName !== undefined && args.tableName.toLowerCase() === input.name.toLowerCase())) {
              listener({ type: "lost", source: sourceOf(args) });
            }
          }),
        );
        out.push(
          workbook.tables.onAdded.add(async (args) => {
            const name = (args as { tableName?: string }).tableName;
            listener({ type: "added", name: name ?? "", source: sourceOf(args) });
          }),
        );
      } else {
        out.push(ws.onChanged.add(async (args) => listener({ type: "changed", source: sourceOf(args) })));
        out.push(workbook.worksheets.onAdded.add(async (args) => listener({ type: "added", name: "", source: sourceOf(args) })));
      }
      out.push(
        workbook.worksheets.onDeleted.add(async (args) => {
          if (args.worksheetId === ws.id) listener({ type: "lost", source: sourceOf(args) });
        }),
      );
      await context.sync();
      return out;
    });
    return async () => {
      await this.run(registered[0].context, async (context) => {
        for (const r of registered) r.remove();
        await context.sync();
      });
    };
  }

  /** Calls `onChange` when the workbook's settings change (SettingCollection.onSettingsChanged, ExcelApi 1.4). One request. */
  async watchSetup(onChange: () => void): Promise<() => Promise<void>> {
    if (!this.apiSupported("1.4")) return async () => undefined;
    const registered = await this.run(async (context) => {
      const r = context.workbook.settings.onSettingsChanged.add(async () => onChange());
      await context.sync();
      return r;
    });
    return async () => {
      await this.run(registered.context, async (context) => {
        registered.remove();
        await context.sync();
      });
    };
  }

  async selectCell(ref: string): Promise<void> {
    const { sheet, local } = splitSheet(ref);
    if (!parseAddress(local)) throw new CellRefError(ref, "badAddress");
    await this.run(async (context) => {
      const worksheets = context.workbook.worksheets;
      const ws = sheet === undefined ? worksheets.getActiveWorksheet() : worksheets.getItem(sheet);
      ws.activate();
      ws.getRange(local).select();
      try {
        await context.sync();
      } catch (e) {
        if (officeErrorCode(e) === "ItemNotFound") throw new CellRefError(ref, "noSheet", sheet);
        throw e;
      }
    });
  }

  async activateSheet(name: string): Promise<void> {
    await this.run(async (context) => {
      context.workbook.worksheets.getItem(name).activate();
      await context.sync();
    });
  }

  async loadSetup(): Promise<PaneSetup | undefined> {
    return this.run(async (context) => {
      const item = context.workbook.settings.getItemOrNullObject(SETUP_SETTING).load("value");
      await context.sync();
      return item.isNullObject ? undefined : parseSetup(item.value);
    });
  }

  /**
   * Saves the setup; with `merge`, reads the stored one again first (a co-author may have saved
   * theirs since) and saves `merge(stored)`: two requests.
   */
  async saveSetup(setup: PaneSetup, merge?: (stored: PaneSetup | undefined) => PaneSetup): Promise<PaneSetup> {
    return this.run(async (context) => {
      let value = setup;
      if (merge) {
        const item = context.workbook.settings.getItemOrNullObject(SETUP_SETTING).load("value");
        await context.sync();
        value = merge(item.isNullObject ? undefined : parseSetup(item.value));
      }
      context.workbook.settings.add(SETUP_SETTING, JSON.stringify(value));
      await context.sync();
      return value;
    });
  }
}
