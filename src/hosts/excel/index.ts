/**
 * The WorkbookHost inside Excel (desktop, Mac, web), over Office.js. `Excel` and `Office` are the
 * globals of the office.js script tag (types from @types/office-js); nothing here imports them.
 *
 * Round trips (each `context.sync()` is one request to Excel, across the network on the web):
 *   readTables    2: the structure (sheets, tables, ownership marks), then every input's values
 *   listTables    2: the structure, then each sheet's and table's extent
 *   writeSheets   2–3: the structure, then everything; one more on a first run for the marks by id
 *   writeChanges  2: the structure and the target sheets' formulas, then only the changed cells
 *                 (or writeSheets' count when a full write is needed)
 *   selectCell, activateSheet, loadSetup, saveSetup, watchInput   1
 * None of these grow with the workbook's size. Only a request or response past Excel on the web's
 * 5 MB limit is split (payload.ts, read.ts), one more request per ~4 MB.
 *
 * Requirement sets: everything used is in ExcelApi 1.6 or older (the manifest's minimum) except
 * frozen panes and standard column widths (1.7), which are skipped where 1.7 is missing.
 * docs/excel-host.md has the details.
 */
import type { AddinHost, ChangesSummary, DetectedTable, PaneSetup, WatchedInput, WriteProgress } from "../addin";
import type { RawTable, WriteSummary } from "../host";
import type { SheetSpec } from "../../report/spec";
import { parseAddress, splitSheet } from "./address";
import { CellRefError, officeErrorCode } from "./errors";
import { SETUP_SETTING } from "./ownership";
import { specWidth } from "./cells";
import { diffSheet, specShape, type SheetDiff } from "./diff";
import { planWrite } from "./ownership";
import { ACTION_BYTES, DEFAULT_BATCH_BUDGET, jsonBytes } from "./payload";
import { isPayloadLimit, listInputs, readInputs, type ReadHint } from "./read";
import { queueState, readState } from "./state";
import { writeAll } from "./write";

export { SheetOwnershipError, CellRefError, type Clash } from "./errors";
export { OWNED_SETTING, OWNERSHIP_SHEET, SETUP_SETTING } from "./ownership";
export { PAYLOAD_LIMIT_BYTES, DEFAULT_BATCH_BUDGET } from "./payload";

export interface ExcelHostOptions {
  /** Bytes one request (or one block of a read) may carry; DEFAULT_BATCH_BUDGET (4 MB). Tests lower it. */
  budget?: number;
}

function apiSupported(version: string): boolean {
  return typeof Office !== "undefined" && Office.context?.requirements?.isSetSupported("ExcelApi", version) === true;
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
  /** Learned by a read past the response limit: later reads of this session go to row blocks at once. */
  private readonly readHint: ReadHint = {};
  /** Requests sent by the last writeSheets or writeChanges (the structure read included). */
  lastWriteRequests = 0;
  /** The shape (specShape) each sheet was last written with in this session, by lower-case name. */
  private readonly shapes = new Map<string, string>();

  constructor(options: ExcelHostOptions = {}) {
    this.budget = options.budget ?? DEFAULT_BATCH_BUDGET;
  }

  async readTables(): Promise<RawTable[]> {
    return Excel.run(async (context) => {
      const proxies = queueState(context);
      await context.sync();
      return readInputs(context, readState(proxies), this.budget, this.readHint);
    });
  }

  async listTables(): Promise<DetectedTable[]> {
    return Excel.run(async (context) => {
      const proxies = queueState(context);
      await context.sync();
      return listInputs(context, readState(proxies));
    });
  }

  async writeSheets(specs: SheetSpec[], onProgress?: (p: WriteProgress) => void): Promise<WriteSummary> {
    return Excel.run(async (context) => {
      const proxies = queueState(context);
      await context.sync();
      const run = await writeAll(context, readState(proxies), specs, { budget: this.budget, api17: apiSupported("1.7"), onProgress });
      this.lastWriteRequests = run.requests + 1;
      this.remember(specs);
      return run.summary;
    });
  }

  private remember(specs: SheetSpec[]): void {
    for (const spec of specs) this.shapes.set(spec.name.toLowerCase(), specShape(spec));
  }

  async writeChanges(specs: SheetSpec[]): Promise<ChangesSummary> {
    return Excel.run(async (context) => {
      const proxies = queueState(context);
      const used = specs.map((spec) =>
        context.workbook.worksheets.getItemOrNullObject(spec.name).getUsedRangeOrNullObject(true).load("address,formulas"),
      );
      let contentRead = true;
      let state;
      try {
        await context.sync();
        state = readState(proxies);
      } catch (e) {
        // The sheets are too large to read back in one response: write them in full instead.
        if (!isPayloadLimit(e)) throw e;
        contentRead = false;
        const again = queueState(context);
        await context.sync();
        state = readState(again);
      }
      const plan = planWrite(specs, state.sheets, state.tables, state.owned);
      const inPlace = contentRead && plan.deletes.length === 0 && plan.targets.every((t) => t.reuse && t.reuse.name === t.spec.name && this.shapes.get(t.spec.name.toLowerCase()) === specShape(t.spec));
      const diffs: (SheetDiff | undefined)[] = inPlace
        ? specs.map((spec, i) => {
            const range = used[i];
            if (range.isNullObject) return diffSheet(spec, { formulas: [] });
            const at = parseAddress(range.address);
            return diffSheet(spec, { at: at && { top: at.top, left: at.left }, formulas: range.formulas as unknown[][] });
          })
        : [];
      const ranges = diffs.flatMap((d) => d?.ranges ?? []);
      const bytes = ranges.reduce((n, r) => n + ACTION_BYTES + jsonBytes(r.formulas) + r.address.length, 2 * ACTION_BYTES);
      if (!inPlace || diffs.some((d) => d === undefined) || bytes > this.budget) {
        const run = await writeAll(context, state, specs, { budget: this.budget, api17: apiSupported("1.7") });
        this.lastWriteRequests = run.requests + 1;
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
      return {
        sheets: specs.map((spec) => ({ kind: spec.kind, name: spec.name, rows: spec.rows.length, cols: specWidthOf(spec) })),
        changedCells: diffs.reduce((n, d) => n + (d?.cells ?? 0), 0),
        changedRanges: ranges.length,
        full: false,
      };
    });
  }

  canWatch(): boolean {
    return apiSupported("1.7");
  }

  async watchInput(input: WatchedInput, onChange: () => void): Promise<() => Promise<void>> {
    const handler = async () => onChange();
    const result = await Excel.run(async (context) => {
      const source =
        input.source === "table" ? context.workbook.tables.getItem(input.name) : context.workbook.worksheets.getItem(input.sheet);
      const registered = source.onChanged.add(handler);
      await context.sync();
      return registered;
    });
    return async () => {
      await Excel.run(result.context, async (context) => {
        result.remove();
        await context.sync();
      });
    };
  }

  async selectCell(ref: string): Promise<void> {
    const { sheet, local } = splitSheet(ref);
    if (!parseAddress(local)) throw new CellRefError(ref, "badAddress");
    await Excel.run(async (context) => {
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
    await Excel.run(async (context) => {
      context.workbook.worksheets.getItem(name).activate();
      await context.sync();
    });
  }

  async loadSetup(): Promise<PaneSetup | undefined> {
    return Excel.run(async (context) => {
      const item = context.workbook.settings.getItemOrNullObject(SETUP_SETTING).load("value");
      await context.sync();
      return item.isNullObject ? undefined : parseSetup(item.value);
    });
  }

  async saveSetup(setup: PaneSetup): Promise<void> {
    await Excel.run(async (context) => {
      context.workbook.settings.add(SETUP_SETTING, JSON.stringify(setup));
      await context.sync();
    });
  }
}
