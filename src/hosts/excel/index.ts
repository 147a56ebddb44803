/**
 * The WorkbookHost inside Excel (desktop, Mac, web), over Office.js. `Excel` and `Office` are the
 * globals of the office.js script tag (types from @types/office-js); nothing here imports them.
 *
 * Round trips (each `context.sync()` is one request to Excel, across the network on the web):
 *   readTables    2: the structure (sheets, tables, ownership marks), then every input's values
 *   listTables    2: the structure, then each sheet's and table's extent
 *   writeSheets   2–3: the structure, then everything; one more on a first run for the marks by id
 *   selectCell, activateSheet, loadSetup, saveSetup   1
 * None of these grow with the workbook's size. Only a request or response past Excel on the web's
 * 5 MB limit is split (payload.ts, read.ts), one more request per ~4 MB.
 *
 * Requirement sets: everything used is in ExcelApi 1.6 or older (the manifest's minimum) except
 * frozen panes and standard column widths (1.7), which are skipped where 1.7 is missing.
 * docs/excel-host.md has the details.
 */
import type { AddinHost, DetectedTable, PaneSetup, WriteProgress } from "../addin";
import type { RawTable, WriteSummary } from "../host";
import type { SheetSpec } from "../../report/spec";
import { parseAddress, splitSheet } from "./address";
import { CellRefError, officeErrorCode } from "./errors";
import { SETUP_SETTING } from "./ownership";
import { DEFAULT_BATCH_BUDGET } from "./payload";
import { listInputs, readInputs, type ReadHint } from "./read";
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
  /** Requests sent by the last writeSheets (the structure read included). */
  lastWriteRequests = 0;

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
      return run.summary;
    });
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
