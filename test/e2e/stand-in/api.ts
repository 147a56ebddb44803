/**
 * A stand-in for the Excel JavaScript API, over a WorkbookModel. It behaves like Office.js where a
 * host can get it wrong:
 *
 * - every object is a proxy; reading a property that was not `load()`ed and `sync()`ed throws
 *   PropertyNotLoaded, and `isNullObject` is known only after a sync;
 * - setters and methods queue commands that run, in order, at `context.sync()`; a command that
 *   fails stops the batch there (the ones before it stay applied) and rejects the sync;
 * - each sync is one request: its size is the UTF-8 JSON Office.js would send for the queued
 *   commands (its actions and object paths, officeRequestBytes), the response's the JSON of what
 *   was loaded; either over the limit (5,000,000 bytes) is refused
 *   like Excel on the web (RequestPayloadSizeLimitExceeded, nothing runs; or
 *   ResponsePayloadSizeLimitExceeded, nothing is returned), or, with `oversize: "general"`, as the
 *   GeneralException Excel on the web has also answered with;
 * - a read of more than five million cells throws RangeExceedsLimit, or (`cellLimit: "null"`)
 *   gives `null` for the values, as Excel sometimes does ("Performance optimization using the Excel
 *   JavaScript API"; office-js #4783, #6781);
 * - strings written through values/formulas are read like typing (values.ts): "=1+1" becomes a
 *   formula, "'=1+1" the text "=1+1"; a table's header cells stay unique ("Actual" → "Actual2");
 * - a proxy used after its Excel.run has finished throws InvalidObjectPath;
 * - events (ExcelApi 1.7 onChanged, onAdded, onDeleted; 1.4 onSettingsChanged) reach every client of
 *   the workbook, with source Local for the client that made the change and Remote for the others;
 *   a handler on a deleted table never fires again.
 *
 * What it does not do: calculate formulas, undo, draw charts (it records them), and every API the host and the
 * pane do not call (an unknown method is simply not there, a TypeError in the page).
 */
import { sheetInRef } from "../../../src/contract/refs";
import { columnNumber } from "../../../src/report/a1";
import {
  cellCount,
  intersects,
  localAddress,
  MAX_COLS,
  MAX_ROWS,
  StandInError,
  type Block,
  type ChartRecord,
  type ConditionalFormatRecord,
  type ModelClient,
  type ModelEvent,
  type SheetModel,
  type TableModel,
  type Visibility,
  type WorkbookModel,
} from "./model";
import { cellForFormulas, cellForValues, inputToCell } from "./values";

export const LIMIT_BYTES = 5_000_000;
export const READ_CELL_LIMIT = 5_000_000;

export interface SyncRecord {
  requestBytes: number;
  responseBytes: number;
  actions: number;
  ms: number;
  /** The error code when the sync was refused or failed. */
  error?: string;
  /** Cells written through Range.values / Range.formulas in this request. */
  cellsWritten: number;
}

/** What a table or worksheet onChanged handler receives (the fields the pane may read). */
export interface ChangedEventArgs {
  type: "TableChanged" | "WorksheetChanged";
  changeType: "RowInserted" | "RangeEdited";
  source: "Local" | "Remote";
  address: string;
  tableId?: string;
  worksheetId: string;
}

/** What onAdded / onDeleted handlers of tables and worksheets receive. */
export interface CollectionEventArgs {
  type: "TableAdded" | "TableDeleted" | "WorksheetAdded" | "WorksheetDeleted";
  source: "Local" | "Remote";
  tableId?: string;
  tableName?: string;
  worksheetId: string;
}

type ChangeHandler = (args: unknown) => unknown;

type EventKind = "changed" | "added" | "deleted" | "settings";

interface Registration {
  /** A table or sheet (onChanged), or the collection: "tables", "worksheets", "settings". */
  target: TableModel | SheetModel | "tables" | "worksheets" | "settings";
  kind: EventKind;
  handler: ChangeHandler;
}

export interface StandInOptions {
  limitBytes?: number;
  /** Highest ExcelApi requirement set reported as supported. */
  excelApi?: string;
  displayLanguage?: string;
  officeTheme?: Record<string, string>;
  platform?: string;
  /** A read of more than five million cells: "throw" RangeExceedsLimit (the default), or give "null" values. */
  cellLimit?: "throw" | "null";
  /** A request or response past the limit: the payload codes (the default), or "general": GeneralException. */
  oversize?: "payload" | "general";
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A proxy's path (`workbook.worksheets.getItem("a.b").getRange("A1")`) → its segments, parent first. */
function pathSegments(path: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "." && depth === 0) {
      out.push(path.slice(start, i));
      start = i + 1;
    }
  }
  out.push(path.slice(start));
  return out;
}

/**
 * The bytes of a request as Office.js sends it: a body of `Actions` and `ObjectPaths`, as its
 * runtime builds them (ClientRequestBase.buildRequestMessageBodyAndRequestFlags in office.js): each
 * command an action (`{"Id","ActionType","Name","ObjectPathId","ArgumentInfo":{"Arguments":[…]}}`,
 * a load's `QueryInfo`), each object it goes through an object path once per request (`{"Id",
 * "ObjectPathType","Name","ParentObjectPathId","ArgumentInfo"}`), and one made by a method
 * (getRange, getItem, add …) also an Instantiate action. An item of a loaded collection is an
 * indexer path with the item's id, as in Office.js.
 */
function officeRequestBytes(actions: Action[], context: { nextId: number }): number {
  // Ids run on across the requests of an Excel.run, as Office.js's context._nextId does.
  let nextId = context.nextId;
  const ids = new Map<string, number>();
  let bytes = utf8Length('{"AutoKeepReference":false,"Actions":[],"ObjectPaths":{}}');
  const item = (json: string) => {
    bytes += utf8Length(json) + 1;
  };
  const pathId = (segments: string[]): number => {
    const key = segments.join(".");
    const known = ids.get(key);
    if (known !== undefined) return known;
    const parent = segments.length > 1 ? pathId(segments.slice(0, -1)) : undefined;
    const id = ++nextId;
    ids.set(key, id);
    const seg = segments[segments.length - 1];
    const call = /^([A-Za-z]+)\((.*)\)$/s.exec(seg);
    const index = /^([A-Za-z]+)\[(.*)\]$/s.exec(seg);
    const head = `"${id}":{"Id":${id},"ObjectPathType":${call ? 3 : index ? 5 : parent === undefined ? 1 : 4},"Name":"${call ? call[1] : index ? "" : seg}"`;
    const parentPart = parent === undefined ? "" : `,"ParentObjectPathId":${parent}`;
    const args = call ? `,"ArgumentInfo":{"Arguments":[${call[2]}]}` : index ? ',"ArgumentInfo":{"Arguments":["{00000000-0001-0000-0000-000000000000}"]}' : "";
    item(`${head}${parentPart}${args}}`);
    if (call) item(`{"Id":${++nextId},"ActionType":1,"Name":"","ObjectPathId":${id}}`);
    return id;
  };
  for (const action of actions) {
    const { path, ...rest } = action.json as { path: string } & Record<string, unknown>;
    const target = pathId(pathSegments(path));
    const id = ++nextId;
    if ("load" in rest) {
      item(`{"Id":${id},"ActionType":2,"Name":"","ObjectPathId":${target},"QueryInfo":{"Select":${JSON.stringify(rest.load)}}}`);
    } else if ("set" in rest) {
      item(`{"Id":${id},"ActionType":4,"Name":${JSON.stringify(rest.set)},"ObjectPathId":${target},"ArgumentInfo":{"Arguments":[`);
      bytes += utf8Length(JSON.stringify(rest.value ?? null)) + 3;
    } else {
      const { call, ...args } = rest;
      item(`{"Id":${id},"ActionType":3,"Name":${JSON.stringify(call ?? "")},"ObjectPathId":${target},"ArgumentInfo":{"Arguments":${JSON.stringify(Object.values(args))}}}`);
    }
  }
  context.nextId = nextId;
  return bytes;
}

const notLoaded = (prop: string) =>
  new StandInError(
    "PropertyNotLoaded",
    `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  );

// ---------------------------------------------------------------------------------------------
// Addresses

function cellOf(text: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(text);
  if (!m) return undefined;
  return { row: Number(m[2]), col: columnNumber(m[1]) };
}

/** `A1`, `A1:C5`, `A:C`, `3:5`, optionally after `Sheet!` → sheet name and block. */
export function parseRangeAddress(address: string): { sheet?: string; block: Block } {
  let text = address.trim();
  let sheet: string | undefined;
  const bang = text.lastIndexOf("!");
  if (bang >= 0) {
    const head = text.slice(0, bang);
    sheet = head.startsWith("'") && head.endsWith("'") ? head.slice(1, -1).replace(/''/g, "'") : head;
    text = text.slice(bang + 1);
  }
  const bad = () => new StandInError("InvalidArgument", `The argument is invalid or missing or has an incorrect format. ("${address}")`);
  const [a, b = a, extra] = text.split(":");
  if (extra !== undefined || !a) throw bad();
  const p = cellOf(a);
  const q = cellOf(b);
  let block: Block;
  if (p && q) {
    block = { top: Math.min(p.row, q.row), left: Math.min(p.col, q.col), bottom: Math.max(p.row, q.row), right: Math.max(p.col, q.col) };
  } else if (/^\$?[A-Za-z]{1,3}$/.test(a) && /^\$?[A-Za-z]{1,3}$/.test(b)) {
    const l = columnNumber(a.replace("$", ""));
    const r = columnNumber(b.replace("$", ""));
    block = { top: 1, bottom: MAX_ROWS, left: Math.min(l, r), right: Math.max(l, r) };
  } else if (/^\$?\d+$/.test(a) && /^\$?\d+$/.test(b)) {
    const t = Number(a.replace("$", ""));
    const u = Number(b.replace("$", ""));
    block = { top: Math.min(t, u), bottom: Math.max(t, u), left: 1, right: MAX_COLS };
  } else throw bad();
  if (block.top < 1 || block.bottom > MAX_ROWS || block.left < 1 || block.right > MAX_COLS) throw bad();
  return { sheet, block };
}

/** The workbook of the request being run (scalar getters see only their own model object). */
let currentModel: WorkbookModel | undefined;

/** The request being run, for counting the cells it writes. */
let currentRecord: SyncRecord | undefined;

/** The options of the client running the request (the cell limit's behaviour). */
let currentOptions: StandInOptions = {};

/** Events of the request being run, told to the clients once it has run. */
let currentEvents: ModelEvent[] | undefined;

function noteEvent(e: ModelEvent): void {
  currentEvents?.push(e);
}

/** A model object's brand: instanceof fails for objects made in a co-author's frame. */
const isSheet = (m: unknown): m is SheetModel => typeof m === "object" && m !== null && (m as { model?: unknown }).model === "sheet";
const isTable = (m: unknown): m is TableModel => typeof m === "object" && m !== null && (m as { model?: unknown }).model === "table";
const isStandInError = (e: unknown): e is StandInError =>
  typeof e === "object" && e !== null && (e as { name?: unknown }).name === "RichApi.Error" && typeof (e as { code?: unknown }).code === "string";

const WHOLE_SHEET: Block = { top: 1, left: 1, bottom: MAX_ROWS, right: MAX_COLS };

// ---------------------------------------------------------------------------------------------
// Requests

interface Action {
  json: unknown;
  /** Runs the command; a load returns its result, applied only if the whole request succeeds. */
  run: () => LoadResult | void;
}

interface LoadResult {
  json: unknown;
  apply: () => void;
}

/** The sheet a model object belongs to, for knowing which sheets the stand-in changed. */
function sheetOfModel(model: unknown): SheetModel | undefined {
  if (isSheet(model)) return model;
  const sheet = (model as { sheet?: unknown } | null)?.sheet;
  return isSheet(sheet) ? sheet : undefined;
}

export class StandIn implements ModelClient {
  readonly syncs: SyncRecord[] = [];
  readonly limitBytes: number;
  /**
   * A test's broken request: the next command whose JSON contains `pattern` fails with
   * GeneralException (the commands before it in its batch stay applied, as in Excel), `times` times.
   */
  failing?: { pattern: string; times: number };
  private current!: WorkbookModel;

  constructor(
    model: WorkbookModel,
    public options: StandInOptions = {},
  ) {
    this.limitBytes = options.limitBytes ?? LIMIT_BYTES;
    this.model = model;
  }

  /** The workbook; a client joins its clients (a co-author's instance over the same workbook). */
  get model(): WorkbookModel {
    return this.current;
  }

  set model(model: WorkbookModel) {
    if (this.current) this.current.clients = this.current.clients.filter((c) => c !== this);
    this.current = model;
    model.clients.push(this);
  }

  /** Sheets changed through the API or by a user (export rebuilds these from the model). */
  get dirty(): Set<SheetModel> {
    return this.model.dirty;
  }

  get syncCount(): number {
    return this.syncs.length;
  }

  get requestBytes(): number[] {
    return this.syncs.map((s) => s.requestBytes);
  }

  get responseBytes(): number[] {
    return this.syncs.map((s) => s.responseBytes);
  }

  /** Conditional formats as recorded: sheet, range, type and what was set on them. */
  conditionalFormats(): { sheet: string; range: string; type: string; settings: Record<string, unknown> }[] {
    return this.model.conditionalFormats.map((f) => ({ sheet: f.sheet.name, range: localAddress(f.block), type: f.type, settings: { ...f.settings } }));
  }

  /** Charts as recorded: sheet, name, type, source range, title and anchor cells. */
  charts(): { sheet: string; name: string; type: string; source: string; seriesBy: string; title: string; from?: string; to?: string }[] {
    return this.model.charts.map((c) => ({ sheet: c.sheet.name, name: c.name, type: c.type, source: localAddress(c.block), seriesBy: c.seriesBy, title: c.title, from: c.from, to: c.to }));
  }

  /** Event handlers registered by the add-in of this client. */
  registrations: Registration[] = [];

  /** Registers a handler (at the sync that carries it, as Office.js does). */
  register(target: Registration["target"], kind: EventKind, handler: ChangeHandler): Registration {
    const reg = { target, kind, handler };
    this.registrations.push(reg);
    return reg;
  }

  unregister(reg: Registration): void {
    this.registrations = this.registrations.filter((r) => r !== reg);
  }

  /** onChanged handlers (the table and worksheet events the live refresh uses). */
  get changeHandlers(): number {
    return this.registrations.filter((r) => r.kind === "changed").length;
  }

  /** A change in the workbook, made by this client (`local`) or by a co-author's. Handlers run after the current task, like Excel's. */
  deliver(event: ModelEvent, local: boolean): void {
    const source = local ? "Local" : "Remote";
    if (event.type === "TableDeleted") {
      // A handler on a deleted table never fires again: not even for a new table of that name.
      this.registrations = this.registrations.filter((r) => r.target !== event.table);
    }
    if (event.type === "WorksheetDeleted") {
      this.registrations = this.registrations.filter((r) => r.target !== event.sheet && !(isTable(r.target) && r.target.sheet === event.sheet));
    }
    for (const reg of [...this.registrations]) {
      const args = this.argsFor(reg, event, source);
      if (args) setTimeout(() => void reg.handler(args), 0);
    }
  }

  private argsFor(reg: Registration, e: ModelEvent, source: "Local" | "Remote"): unknown {
    switch (e.type) {
      case "TableChanged":
        return reg.kind === "changed" && reg.target === e.table
          ? { type: e.type, changeType: e.changeType, source, address: e.address, tableId: e.table.id, worksheetId: e.table.sheet.id }
          : undefined;
      case "WorksheetChanged":
        return reg.kind === "changed" && reg.target === e.sheet
          ? { type: e.type, changeType: e.changeType, source, address: e.address, worksheetId: e.sheet.id }
          : undefined;
      case "TableAdded":
      case "TableDeleted":
        return reg.target === "tables" && reg.kind === (e.type === "TableAdded" ? "added" : "deleted")
          ? { type: e.type, source, tableId: e.table.id, tableName: e.table.name, worksheetId: e.table.sheet.id }
          : undefined;
      case "WorksheetAdded":
      case "WorksheetDeleted":
        return reg.target === "worksheets" && reg.kind === (e.type === "WorksheetAdded" ? "added" : "deleted")
          ? { type: e.type, source, worksheetId: e.sheet.id }
          : undefined;
      case "SettingsChanged":
        // The settings' event tells the other instances of the add-in (a co-author's pane).
        return reg.target === "settings" && !isLocal(source) ? { type: e.type, settings: new RequestContext(this).workbook.settings } : undefined;
    }
  }

  // ── What a user of this client does in Excel (not through the API) ──────────────────────────

  /**
   * The user adds a row at the end of a table: the table grows by one row; the table's and its
   * sheet's onChanged handlers run, Local here and Remote in the co-authors' instances.
   */
  appendRow(tableName: string, values: (string | number | boolean | null)[]): string {
    const table = this.model.tableNamed(tableName);
    if (!table) throw new StandInError("ItemNotFound", `The workbook has no table "${tableName}".`);
    const width = table.block.right - table.block.left + 1;
    if (values.length !== width) throw new StandInError("InvalidArgument", `The table has ${width} columns, not ${values.length}.`);
    const row = table.block.bottom + 1;
    values.forEach((v, j) => table.sheet.set(row, table.block.left + j, v));
    table.block = { ...table.block, bottom: row };
    this.dirty.add(table.sheet);
    const address = table.sheet.address({ top: row, left: table.block.left, bottom: row, right: table.block.right });
    this.model.emit(
      [
        { type: "TableChanged", table, address, changeType: "RowInserted" },
        { type: "WorksheetChanged", sheet: table.sheet, address, changeType: "RowInserted" },
      ],
      this,
    );
    return address;
  }

  /** The user types into a cell (read like typing: `=A1` is a formula, `'x` text). */
  typeCell(sheetName: string, address: string, text: string): void {
    const sheet = this.model.sheetNamed(sheetName);
    if (!sheet) throw new StandInError("ItemNotFound", `The workbook has no sheet "${sheetName}".`);
    const { block } = parseRangeAddress(address);
    const cell = inputToCell(text);
    if (cell) sheet.set(block.top, block.left, cell.value);
    this.dirty.add(sheet);
    const at = sheet.address({ ...block, bottom: block.top, right: block.left });
    const events: ModelEvent[] = this.model.tables
      .filter((t) => t.sheet === sheet && intersects(t.block, block))
      .map((table) => ({ type: "TableChanged" as const, table, address: at, changeType: "RangeEdited" as const }));
    events.push({ type: "WorksheetChanged", sheet, address: at, changeType: "RangeEdited" });
    this.model.emit(events, this);
  }

  /** The user deletes a table (Table Design › Convert to Range, or deleting its rows). */
  deleteTable(tableName: string): void {
    const table = this.model.tableNamed(tableName);
    if (!table) throw new StandInError("ItemNotFound", `The workbook has no table "${tableName}".`);
    this.model.deleteTable(table);
    this.dirty.add(table.sheet);
    this.model.emit([{ type: "TableDeleted", table }], this);
  }

  /** The user makes a table over a range with headers (Insert › Table), then names it. */
  addTable(sheetName: string, address: string, name: string): void {
    const sheet = this.model.sheetNamed(sheetName);
    if (!sheet) throw new StandInError("ItemNotFound", `The workbook has no sheet "${sheetName}".`);
    const table = this.model.addTable(sheet, parseRangeAddress(address).block, true, name, true);
    this.dirty.add(sheet);
    this.model.emit([{ type: "TableAdded", table }], this);
  }

  /** Runs a batch like Excel.run. */
  async run<T>(batch: (context: RequestContext) => Promise<T>): Promise<T> {
    if (typeof batch !== "function") throw new StandInError("InvalidArgument", "Excel.run takes a function.");
    const context = new RequestContext(this);
    try {
      const result = await batch(context);
      if (context.pending() > 0) await context.sync();
      return result;
    } finally {
      context.finished = true;
    }
  }

  private refusal(code: "RequestPayloadSizeLimitExceeded" | "ResponsePayloadSizeLimitExceeded", bytes: number): StandInError {
    if (this.options.oversize === "general") return new StandInError("GeneralException", "An internal error has occurred.");
    const what = code === "RequestPayloadSizeLimitExceeded" ? "request" : "response";
    return new StandInError(code, `The ${what} payload size has exceeded the limit (${bytes} > ${this.limitBytes} bytes).`);
  }

  /** One request: measure, refuse past the limit, run the commands, measure the response. */
  async execute(context: RequestContext, actions: Action[], created: ClientObject[]): Promise<void> {
    const started = Date.now();
    currentModel = this.model;
    currentOptions = this.options;
    const record: SyncRecord = { requestBytes: officeRequestBytes(actions, context), responseBytes: 0, actions: actions.length, ms: 0, cellsWritten: 0 };
    this.syncs.push(record);
    // A real request is asynchronous: let the page breathe between requests.
    await new Promise((resolve) => setTimeout(resolve, 0));
    currentModel = this.model;
    currentOptions = this.options;
    currentRecord = record;
    const events: ModelEvent[] = [];
    currentEvents = events;
    try {
      if (record.requestBytes > this.limitBytes) throw this.refusal("RequestPayloadSizeLimitExceeded", record.requestBytes);
      const results: LoadResult[] = [];
      for (const action of actions) {
        const failing = this.failing;
        if (failing && failing.times > 0 && JSON.stringify(action.json).includes(failing.pattern)) {
          failing.times--;
          throw new StandInError("GeneralException", "An internal error has occurred.");
        }
        const r = action.run();
        if (r) results.push(r);
      }
      const responseJson = JSON.stringify(results.map((r) => r.json));
      record.responseBytes = utf8Length(responseJson);
      if (record.responseBytes > this.limitBytes) throw this.refusal("ResponsePayloadSizeLimitExceeded", record.responseBytes);
      for (const r of results) r.apply();
      for (const proxy of created) proxy.settle();
    } catch (e) {
      record.error = isStandInError(e) ? e.code : "GeneralException";
      throw isStandInError(e) ? e : new StandInError("GeneralException", String((e as Error)?.message ?? e));
    } finally {
      record.ms = Date.now() - started;
      currentEvents = undefined;
      currentRecord = undefined;
      // What ran is done, even in a batch that failed later: its events reach every client.
      this.model.emit(events, this);
    }
  }
}

const isLocal = (source: string) => source === "Local";

export class RequestContext {
  finished = false;
  /** The next id of an action or object path in this context's requests (officeRequestBytes). */
  nextId = 0;
  readonly workbook: Workbook;
  readonly trackedObjects = { add: () => undefined, remove: () => undefined };
  private queue: Action[] = [];
  private created: ClientObject[] = [];

  constructor(readonly standIn: StandIn) {
    this.workbook = new Workbook(this, "workbook", () => standIn.model);
  }

  get model(): WorkbookModel {
    return this.standIn.model;
  }

  pending(): number {
    return this.queue.length;
  }

  enqueue(action: Action): void {
    if (this.finished) {
      throw new StandInError("InvalidObjectPath", "The object path isn't working for what you're trying to do: its Excel.run batch has finished.");
    }
    this.queue.push(action);
  }

  track(proxy: ClientObject): void {
    this.created.push(proxy);
  }

  async sync(): Promise<void> {
    if (this.finished) throw new StandInError("InvalidRequestContext", "This request context's Excel.run batch has finished.");
    const actions = this.queue;
    const created = this.created;
    this.queue = [];
    this.created = [];
    await this.standIn.execute(this, actions, created);
  }

  load(object: ClientObject, props?: string | string[]): ClientObject {
    return object.load(props);
  }
}

// ---------------------------------------------------------------------------------------------
// Proxies

type Getter = (model: never) => unknown;

interface Meta {
  scalars: Record<string, Getter>;
  navs: Record<string, (proxy: ClientObject) => ClientObject>;
  items?: (model: never) => unknown[];
  itemProxy?: (parent: ClientObject, model: unknown, index: number) => ClientObject;
}

interface LoadedNode {
  values: Record<string, unknown>;
  navs: Record<string, LoadedNode>;
  items?: { model: unknown; node: LoadedNode }[];
}

function parseLoad(spec: unknown): string[][] | undefined {
  if (spec === undefined || spec === null || spec === "") return undefined;
  let list: string[];
  if (typeof spec === "string") list = spec.split(",");
  else if (Array.isArray(spec)) list = spec.flatMap((s) => String(s).split(","));
  else if (typeof spec === "object") {
    const o = spec as { select?: string | string[]; expand?: string | string[] };
    list = [o.select ?? [], o.expand ?? []].flat().flatMap((s) => String(s).split(","));
  } else throw new StandInError("InvalidArgument", "load() takes a string, an array or an object.");
  return list.map((p) => p.trim()).filter((p) => p !== "").map((p) => p.split("/").map((s) => s.trim()));
}

export abstract class ClientObject {
  private target: unknown;
  private resolved = false;
  private synced = false;
  private nullObject = false;
  protected loaded: Record<string, unknown> = {};
  private navCache = new Map<string, ClientObject>();
  itemsLoaded?: ClientObject[];

  constructor(
    readonly context: RequestContext,
    readonly path: string,
    private readonly resolver: () => unknown,
    private readonly nullable = false,
  ) {
    context.track(this);
  }

  /** Made by a *OrNullObject method (or from one): it may resolve to a null object. */
  get isNullable(): boolean {
    return this.nullable;
  }

  abstract meta(): Meta;

  /** Resolves (once) to the model object; null for a null object; throws for a missing item. */
  resolve(): unknown {
    if (!this.resolved) {
      const t = this.resolver();
      if ((t === null || t === undefined) && !this.nullable) {
        throw new StandInError("ItemNotFound", `The requested resource doesn't exist. (${this.path})`);
      }
      this.target = t ?? null;
      this.resolved = true;
    }
    const t = this.target as { deleted?: boolean } | null;
    if (t && t.deleted) throw new StandInError("ItemNotFound", `The requested resource doesn't exist. (${this.path}: deleted)`);
    return this.target;
  }

  /** After the sync that carried it: the object's existence is known. */
  settle(): void {
    if (this.synced) return;
    try {
      this.nullObject = this.resolve() === null;
    } catch {
      this.nullObject = true;
    }
    this.synced = true;
  }

  get isNullObject(): boolean {
    if (!this.synced) throw notLoaded("isNullObject");
    return this.nullObject;
  }

  enqueue(json: unknown, run: (model: never) => LoadResult | void): void {
    const changes = !(json && typeof json === "object" && "load" in json) && !(json && typeof json === "object" && (json as { call?: string }).call?.startsWith("get"));
    this.context.enqueue({
      json: { path: this.path, ...(json as object) },
      run: () => {
        const model = this.resolve();
        if (model === null) return undefined;
        const result = run(model as never);
        if (changes) {
          const sheet = sheetOfModel(model);
          if (sheet) this.context.standIn.dirty.add(sheet);
        }
        return result;
      },
    });
  }

  /** Queues a property assignment. */
  protected setProp(prop: string, value: unknown, set: (model: never, value: unknown) => void): void {
    this.enqueue({ set: prop, value }, (m) => set(m, value));
  }

  /** Reads a loaded scalar property. */
  protected getProp<T>(prop: string): T {
    if (!(prop in this.loaded)) throw notLoaded(prop);
    return this.loaded[prop] as T;
  }

  /** A navigation property's proxy, the same object every time. */
  protected nav<T extends ClientObject>(name: string, make: () => T): T {
    let p = this.navCache.get(name) as T | undefined;
    if (!p) {
      p = make();
      this.navCache.set(name, p);
    }
    return p;
  }

  load(spec?: unknown): this {
    const paths = parseLoad(spec);
    this.enqueue({ load: paths ? paths.map((p) => p.join("/")) : "*" }, (model) => {
      const node = evaluate(this.meta(), model, paths);
      return { json: toJson(node), apply: () => applyNode(this, node) };
    });
    return this;
  }

  /** Called by applyNode. */
  receive(node: LoadedNode): void {
    Object.assign(this.loaded, node.values);
    for (const [name, child] of Object.entries(node.navs)) {
      const make = this.meta().navs[name];
      if (make) this.nav(name, () => make(this)).receive(child);
    }
    if (node.items) {
      const itemProxy = this.meta().itemProxy;
      if (!itemProxy) throw new Error(`${this.path} has no items`);
      this.itemsLoaded = node.items.map((it, i) => {
        const proxy = itemProxy(this, it.model, i);
        proxy.settle();
        proxy.receive(it.node);
        return proxy;
      });
    }
  }

  untrack(): this {
    return this;
  }

  toJSON(): Record<string, unknown> {
    return { ...this.loaded };
  }
}

function evaluate(meta: Meta, model: unknown, paths: string[][] | undefined): LoadedNode {
  const node: LoadedNode = { values: {}, navs: {} };
  const list = paths ?? Object.keys(meta.scalars).map((k) => [k]);
  const groups = new Map<string, string[][]>();
  for (const p of list) {
    const [head, ...rest] = p;
    if (!groups.has(head)) groups.set(head, []);
    if (rest.length > 0) (groups.get(head) as string[][]).push(rest);
  }
  for (const [head, rest] of groups) {
    if (head === "items" && meta.items) {
      const probe = meta.itemProxy;
      if (!probe) continue;
      const models = meta.items(model as never);
      node.items = models.map((m) => ({ model: m, node: evaluate(itemMeta(meta), m, rest.length > 0 ? rest : undefined) }));
      continue;
    }
    if (head in meta.scalars) {
      if (rest.length > 0) throw new StandInError("InvalidArgument", `"${head}" is not a navigation property.`);
      node.values[head] = meta.scalars[head](model as never);
      continue;
    }
    if (head in meta.navs) {
      const navMeta = NAV_META.get(meta)?.[head];
      if (!navMeta) continue;
      const [m2, childMeta] = navMeta(model);
      node.navs[head] = evaluate(childMeta, m2, rest.length > 0 ? rest : undefined);
      continue;
    }
    throw new StandInError("InvalidArgument", `The property '${head}' does not exist on this object.`);
  }
  return node;
}

function toJson(node: LoadedNode): unknown {
  const out: Record<string, unknown> = { ...node.values };
  for (const [k, v] of Object.entries(node.navs)) out[k] = toJson(v);
  if (node.items) out.items = node.items.map((i) => toJson(i.node));
  return out;
}

function applyNode(proxy: ClientObject, node: LoadedNode): void {
  proxy.receive(node);
}

/** Meta of a collection's items and of navigation targets, registered next to each class. */
const ITEM_META = new Map<Meta, Meta>();
const NAV_META = new Map<Meta, Record<string, (model: unknown) => [unknown, Meta]>>();
const itemMeta = (m: Meta): Meta => ITEM_META.get(m) as Meta;

// ---------------------------------------------------------------------------------------------
// Workbook, application, settings

const WORKBOOK_META: Meta = {
  scalars: { name: () => "Workbook" },
  navs: {
    worksheets: (p) => (p as Workbook).worksheets,
    tables: (p) => (p as Workbook).tables,
    settings: (p) => (p as Workbook).settings,
    application: (p) => (p as Workbook).application,
  },
};

export class Workbook extends ClientObject {
  meta(): Meta {
    return WORKBOOK_META;
  }
  private get wb(): WorkbookModel {
    return this.context.model;
  }
  get worksheets(): WorksheetCollection {
    return this.nav("worksheets", () => new WorksheetCollection(this.context, "worksheets", () => this.wb));
  }
  get tables(): TableCollection {
    return this.nav("tables", () => new TableCollection(this.context, "tables", () => ({ wb: this.wb })));
  }
  get settings(): SettingCollection {
    return this.nav("settings", () => new SettingCollection(this.context, "settings", () => this.wb));
  }
  get application(): Application {
    return this.nav("application", () => new Application(this.context, "application", () => this.wb));
  }
  getSelectedRange(): Range {
    return new Range(this.context, "getSelectedRange()", () => {
      const wb = this.wb;
      if (wb.selection && !wb.selection.sheet.deleted) return { sheet: wb.selection.sheet, block: wb.selection.block };
      const sheet = wb.active ?? wb.sheets[0];
      return { sheet, block: { top: 1, left: 1, bottom: 1, right: 1 } };
    });
  }
  getActiveCell(): Range {
    return this.getSelectedRange().getCell(0, 0);
  }
}

const APPLICATION_META: Meta = { scalars: { calculationMode: () => "Automatic" }, navs: {} };

export class Application extends ClientObject {
  meta(): Meta {
    return APPLICATION_META;
  }
  get calculationMode(): string {
    return this.getProp("calculationMode");
  }
  suspendApiCalculationUntilNextSync(): void {
    this.enqueue({ call: "suspendApiCalculationUntilNextSync" }, () => undefined);
  }
  suspendScreenUpdatingUntilNextSync(): void {
    this.enqueue({ call: "suspendScreenUpdatingUntilNextSync" }, () => undefined);
  }
  calculate(type: string): void {
    this.enqueue({ call: "calculate", type }, () => undefined);
  }
}

interface SettingRef {
  wb: WorkbookModel;
  key: string;
}

const SETTING_META: Meta = {
  scalars: {
    key: (r: SettingRef) => r.key,
    value: (r: SettingRef) => {
      const stored = r.wb.settings.get(r.key);
      return stored === undefined ? undefined : JSON.parse(stored);
    },
  },
  navs: {},
};

export class Setting extends ClientObject {
  meta(): Meta {
    return SETTING_META;
  }
  get key(): string {
    return this.getProp("key");
  }
  get value(): unknown {
    return this.getProp("value");
  }
  set value(v: unknown) {
    this.setProp("value", v, (r: SettingRef, value) => {
      r.wb.settings.set(r.key, JSON.stringify(value));
      noteEvent({ type: "SettingsChanged", key: r.key });
    });
  }
  delete(): void {
    this.enqueue({ call: "delete" }, (r: SettingRef) => {
      r.wb.settings.delete(r.key);
      noteEvent({ type: "SettingsChanged", key: r.key });
    });
  }
}

const SETTINGS_META: Meta = {
  scalars: {},
  navs: {},
  items: (wb: WorkbookModel) => [...wb.settings.keys()].map((key) => ({ wb, key })),
  itemProxy: (parent, model, i) => {
    const ref = model as SettingRef;
    return new Setting(parent.context, `${parent.path}.items[${i}]`, () => (ref.wb.settings.has(ref.key) ? ref : null));
  },
};
ITEM_META.set(SETTINGS_META, SETTING_META);

export class SettingCollection extends ClientObject {
  meta(): Meta {
    return SETTINGS_META;
  }
  private get wbRef(): () => WorkbookModel {
    return () => this.resolve() as WorkbookModel;
  }
  get items(): Setting[] {
    if (!this.itemsLoaded) throw notLoaded("items");
    return this.itemsLoaded as Setting[];
  }
  add(key: string, value: unknown): Setting {
    if (typeof key !== "string" || key === "") throw new StandInError("InvalidArgument", "A setting needs a key.");
    const text = JSON.stringify(value);
    this.enqueue({ call: "add", key, value: text }, (wb: WorkbookModel) => {
      wb.settings.set(key, text);
      noteEvent({ type: "SettingsChanged", key });
    });
    const wb = this.wbRef;
    return new Setting(this.context, `${this.path}.getItem(${JSON.stringify(key)})`, () => ({ wb: wb(), key }));
  }
  getItem(key: string): Setting {
    const wb = this.wbRef;
    return new Setting(this.context, `${this.path}.getItem(${JSON.stringify(key)})`, () => (wb().settings.has(key) ? { wb: wb(), key } : null));
  }
  getItemOrNullObject(key: string): Setting {
    const wb = this.wbRef;
    return new Setting(this.context, `${this.path}.getItemOrNullObject(${JSON.stringify(key)})`, () => (wb().settings.has(key) ? { wb: wb(), key } : null), true);
  }
  getCount(): ClientResult<number> {
    return clientResult(this, "getCount", (wb: WorkbookModel) => wb.settings.size);
  }
  /** ExcelApi 1.4: the settings were changed (in the stand-in: by a co-author's instance). */
  get onSettingsChanged(): ChangedEvent {
    return new ChangedEvent(this, () => "settings", "settings");
  }
}

// ---------------------------------------------------------------------------------------------
// ClientResult

export class ClientResult<T> {
  private done = false;
  private result: T | undefined;
  get value(): T {
    if (!this.done) throw notLoaded("value");
    return this.result as T;
  }
  set(v: T): void {
    this.result = v;
    this.done = true;
  }
}

function clientResult<T>(owner: ClientObject, name: string, compute: (model: never) => T): ClientResult<T> {
  const r = new ClientResult<T>();
  owner.enqueue({ call: name }, (m: never) => {
    const v = compute(m);
    return { json: v, apply: () => r.set(v) };
  });
  return r;
}

// ---------------------------------------------------------------------------------------------
// Worksheets

const WORKSHEET_META: Meta = {
  scalars: {
    name: (s: SheetModel) => s.name,
    id: (s: SheetModel) => s.id,
    visibility: (s: SheetModel) => s.visibility,
    position: (s: SheetModel) => sheetPosition(s),
    tabColor: () => "",
    standardWidth: () => 8.43,
  },
  navs: {
    tables: (p) => (p as Worksheet).tables,
    freezePanes: (p) => (p as Worksheet).freezePanes,
    charts: (p) => (p as Worksheet).charts,
  },
};

function sheetPosition(s: SheetModel): number {
  return currentModel ? currentModel.sheets.indexOf(s) : -1;
}

export class Worksheet extends ClientObject {
  meta(): Meta {
    return WORKSHEET_META;
  }
  private sheet(): SheetModel {
    return this.resolve() as SheetModel;
  }
  get name(): string {
    return this.getProp("name");
  }
  set name(v: string) {
    this.setProp("name", v, (s: SheetModel, value) => {
      this.context.model.checkSheetName(String(value), s);
      s.name = String(value);
    });
  }
  get id(): string {
    return this.getProp("id");
  }
  get visibility(): Visibility {
    return this.getProp("visibility");
  }
  set visibility(v: Visibility) {
    this.setProp("visibility", v, (s: SheetModel, value) => this.context.model.setVisibility(s, value as Visibility));
  }
  get position(): number {
    return this.getProp("position");
  }
  set position(v: number) {
    this.setProp("position", v, (s: SheetModel, value) => this.context.model.moveSheet(s, value as number));
  }
  get tables(): TableCollection {
    return this.nav("tables", () => new TableCollection(this.context, `${this.path}.tables`, () => ({ wb: this.context.model, sheet: this.sheet() })));
  }
  get onChanged(): ChangedEvent {
    return new ChangedEvent(this, () => this.sheet());
  }
  get freezePanes(): WorksheetFreezePanes {
    return this.nav("freezePanes", () => new WorksheetFreezePanes(this.context, `${this.path}.freezePanes`, () => this.sheet()));
  }
  get charts(): ChartCollection {
    return this.nav("charts", () => new ChartCollection(this.context, `${this.path}.charts`, () => this.sheet()));
  }
  getRange(address?: string): Range {
    return new Range(
      this.context,
      `${this.path}.getRange(${JSON.stringify(address ?? "")})`,
      () => {
        const sheet = this.sheet();
        if (sheet === null) return null; // a range of a null object is a null object
        if (address === undefined || address === "") return { sheet, block: WHOLE_SHEET };
        const parsed = parseRangeAddress(address);
        const on = parsed.sheet === undefined ? sheet : this.context.model.sheetNamed(parsed.sheet);
        if (!on || on !== sheet) throw new StandInError("InvalidArgument", `"${address}" is not on this sheet.`);
        return { sheet, block: parsed.block };
      },
      this.isNullable,
    );
  }
  getRangeByIndexes(row: number, col: number, rows: number, cols: number): Range {
    return new Range(this.context, `${this.path}.getRangeByIndexes(${row},${col},${rows},${cols})`, () => ({
      sheet: this.sheet(),
      block: { top: row + 1, left: col + 1, bottom: row + rows, right: col + cols },
    }));
  }
  getCell(row: number, col: number): Range {
    return this.getRangeByIndexes(row, col, 1, 1);
  }
  private used(valuesOnly: boolean | undefined, nullable: boolean): Range {
    return new Range(
      this.context,
      `${this.path}.getUsedRange${nullable ? "OrNullObject" : ""}(${valuesOnly === true})`,
      () => {
        const sheet = this.resolve() as SheetModel | null;
        if (sheet === null) return null;
        const block = sheet.usedBlock();
        if (block) return { sheet, block };
        return nullable ? null : { sheet, block: { top: 1, left: 1, bottom: 1, right: 1 } };
      },
      nullable,
    );
  }
  getUsedRange(valuesOnly?: boolean): Range {
    return this.used(valuesOnly, false);
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): Range {
    return this.used(valuesOnly, true);
  }
  activate(): void {
    this.enqueue({ call: "activate" }, (s: SheetModel) => {
      if (s.visibility !== "Visible") throw new StandInError("InvalidOperation", "A hidden sheet cannot be activated.");
      this.context.model.active = s;
    });
  }
  delete(): void {
    this.enqueue({ call: "delete" }, (s: SheetModel) => {
      this.context.model.deleteSheet(s);
      noteEvent({ type: "WorksheetDeleted", sheet: s });
    });
  }
}

const WORKSHEETS_META: Meta = {
  scalars: { count: (wb: WorkbookModel) => wb.sheets.length },
  navs: {},
  items: (wb: WorkbookModel) => [...wb.sheets],
  itemProxy: (parent, model, i) => new Worksheet(parent.context, `${parent.path}.items[${i}]`, () => model),
};
ITEM_META.set(WORKSHEETS_META, WORKSHEET_META);

export class WorksheetCollection extends ClientObject {
  meta(): Meta {
    return WORKSHEETS_META;
  }
  get items(): Worksheet[] {
    if (!this.itemsLoaded) throw notLoaded("items");
    return this.itemsLoaded as Worksheet[];
  }
  get count(): number {
    return this.getProp("count");
  }
  private find(key: string): SheetModel | undefined {
    const wb = this.context.model;
    return wb.sheets.find((s) => s.id === key) ?? wb.sheetNamed(key);
  }
  getItem(key: string): Worksheet {
    return new Worksheet(this.context, `${this.path}.getItem(${JSON.stringify(key)})`, () => this.find(key));
  }
  getItemOrNullObject(key: string): Worksheet {
    return new Worksheet(this.context, `${this.path}.getItemOrNullObject(${JSON.stringify(key)})`, () => this.find(key) ?? null, true);
  }
  getActiveWorksheet(): Worksheet {
    return new Worksheet(this.context, `${this.path}.getActiveWorksheet()`, () => this.context.model.active ?? this.context.model.sheets[0]);
  }
  getFirst(): Worksheet {
    return new Worksheet(this.context, `${this.path}.getFirst()`, () => this.context.model.sheets[0]);
  }
  getCount(): ClientResult<number> {
    return clientResult(this, "getCount", (wb: WorkbookModel) => wb.sheets.length);
  }
  add(name?: string): Worksheet {
    let created: SheetModel | undefined;
    this.enqueue({ call: "add", name }, (wb: WorkbookModel) => {
      created = wb.addSheet(name);
      noteEvent({ type: "WorksheetAdded", sheet: created });
    });
    return new Worksheet(this.context, `${this.path}.add(${JSON.stringify(name ?? "")})`, () => created);
  }
  /** ExcelApi 1.7. */
  get onAdded(): ChangedEvent {
    return new ChangedEvent(this, () => "worksheets", "added");
  }
  /** ExcelApi 1.7 (args: worksheetId, source). */
  get onDeleted(): ChangedEvent {
    return new ChangedEvent(this, () => "worksheets", "deleted");
  }
}

export class WorksheetFreezePanes extends ClientObject {
  meta(): Meta {
    return { scalars: {}, navs: {} };
  }
  private set(rows: number, cols: number): void {
    this.enqueue({ call: "freeze", rows, cols }, (s: SheetModel) => {
      s.freeze = rows > 0 || cols > 0 ? { rows, cols } : undefined;
    });
  }
  freezeRows(count = 1): void {
    this.set(count, 0);
  }
  freezeColumns(count = 1): void {
    this.set(0, count);
  }
  freezeAt(frozenRange: Range | string): void {
    if (typeof frozenRange === "string") {
      const { block } = parseRangeAddress(frozenRange);
      this.set(block.bottom === MAX_ROWS ? 0 : block.bottom, block.right === MAX_COLS ? 0 : block.right);
      return;
    }
    this.enqueue({ call: "freezeAt", range: frozenRange.path }, (s: SheetModel) => {
      const r = frozenRange.resolve() as RangeRef;
      if (r.sheet !== s) throw new StandInError("InvalidArgument", "The frozen range must be on this sheet.");
      s.freeze = { rows: r.block.bottom === MAX_ROWS ? 0 : r.block.bottom, cols: r.block.right === MAX_COLS ? 0 : r.block.right };
    });
  }
  unfreeze(): void {
    this.set(0, 0);
  }
  getLocationOrNullObject(): Range {
    return new Range(
      this.context,
      `${this.path}.getLocationOrNullObject()`,
      () => {
        const s = this.resolve() as SheetModel;
        if (!s.freeze) return null;
        return { sheet: s, block: { top: 1, left: 1, bottom: s.freeze.rows || MAX_ROWS, right: s.freeze.cols || MAX_COLS } };
      },
      true,
    );
  }
}

const CHART_META: Meta = {
  scalars: { name: (c: ChartRecord) => c.name },
  navs: {},
};

const chartsOn = (sheet: SheetModel): ChartRecord[] => (currentModel ? currentModel.charts.filter((c) => c.sheet === sheet) : []);

const CHARTS_META: Meta = {
  scalars: { count: (s: SheetModel) => chartsOn(s).length },
  navs: {},
  items: (s: SheetModel) => chartsOn(s),
  itemProxy: (parent, model, i) => new Chart(parent.context, `${parent.path}.items[${i}]`, () => model),
};
ITEM_META.set(CHARTS_META, CHART_META);
NAV_META.set(WORKSHEET_META, { charts: (s) => [s, CHARTS_META] });

const CHART_TYPES = ["ColumnClustered", "BarClustered"];
const SERIES_BY = ["Auto", "Columns", "Rows"];

/** Charts (ExcelApi 1.1): add, getItem, and on each chart its name, title text, position and delete. */
export class ChartCollection extends ClientObject {
  meta(): Meta {
    return CHARTS_META;
  }
  get items(): Chart[] {
    if (!this.itemsLoaded) throw notLoaded("items");
    return this.itemsLoaded as Chart[];
  }
  get count(): number {
    return this.getProp("count");
  }
  add(type: string, source: Range, seriesBy = "Auto"): Chart {
    if (!CHART_TYPES.includes(type)) throw new StandInError("InvalidArgument", `"${type}" is not a chart type the stand-in knows.`);
    if (!SERIES_BY.includes(seriesBy)) throw new StandInError("InvalidArgument", `"${seriesBy}" is not a ChartSeriesBy.`);
    let rec: ChartRecord | undefined;
    this.enqueue({ call: "add", type, source: source.path, seriesBy }, (sheet: SheetModel) => {
      const r = source.resolve() as RangeRef;
      if (r.sheet !== sheet) throw new StandInError("InvalidArgument", "The chart's source range is on another sheet.");
      const taken = new Set(this.context.model.charts.map((c) => c.name));
      let n = this.context.model.charts.length + 1;
      while (taken.has(`Chart ${n}`)) n++;
      rec = { sheet, name: `Chart ${n}`, type, block: { ...r.block }, seriesBy, title: "" };
      this.context.model.charts.push(rec);
    });
    return new Chart(this.context, `${this.path}.add(${JSON.stringify(type)})`, () => rec);
  }
  getItem(name: string): Chart {
    return new Chart(this.context, `${this.path}.getItem(${JSON.stringify(name)})`, () => chartsOn(this.resolve() as SheetModel).find((c) => c.name === name));
  }
  /** ExcelApi 1.4. */
  getItemOrNullObject(name: string): Chart {
    return new Chart(
      this.context,
      `${this.path}.getItemOrNullObject(${JSON.stringify(name)})`,
      () => {
        const sheet = this.resolve() as SheetModel | null;
        return sheet === null ? null : (chartsOn(sheet).find((c) => c.name === name) ?? null);
      },
      true,
    );
  }
}

export class Chart extends ClientObject {
  meta(): Meta {
    return CHART_META;
  }
  get name(): string {
    return this.getProp("name");
  }
  set name(v: string) {
    this.setProp("name", v, (c: ChartRecord, value) => {
      c.name = String(value);
    });
  }
  get title(): ChartTitle {
    return this.nav("title", () => new ChartTitle(this.context, `${this.path}.title`, () => this.resolve()));
  }
  setPosition(from: string | Range, to?: string | Range): void {
    const cell = (x: string | Range | undefined) => (x === undefined ? undefined : typeof x === "string" ? x : localAddress((x.resolve() as RangeRef).block));
    this.enqueue({ call: "setPosition", from: cell(from), to: cell(to) }, (c: ChartRecord) => {
      c.from = cell(from);
      c.to = cell(to);
    });
  }
  delete(): void {
    this.enqueue({ call: "delete" }, (c: ChartRecord) => {
      const wb = this.context.model;
      wb.charts = wb.charts.filter((x) => x !== c);
      c.deleted = true;
    });
  }
}

export class ChartTitle extends ClientObject {
  meta(): Meta {
    return { scalars: { text: (c: ChartRecord) => c.title }, navs: {} };
  }
  get text(): string {
    return this.getProp("text");
  }
  set text(v: string) {
    this.setProp("text", v, (c: ChartRecord, value) => {
      c.title = String(value);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Ranges

interface RangeRef {
  sheet: SheetModel;
  block: Block;
}

/** Whether a read of `r` is within the five-million-cell limit; past it, throws or (cellLimit "null") says no. */
function withinCellLimit(r: RangeRef): boolean {
  if (cellCount(r.block) <= READ_CELL_LIMIT) return true;
  if (currentOptions.cellLimit === "null") return false;
  throw new StandInError("RangeExceedsLimit", "The cell count in the range has exceeded the maximum supported number.");
}

function grid<T>(r: RangeRef, cell: (row: number, col: number) => T): T[][] | null {
  if (!withinCellLimit(r)) return null;
  const out: T[][] = [];
  for (let row = r.block.top; row <= r.block.bottom; row++) {
    const line: T[] = new Array(r.block.right - r.block.left + 1);
    for (let col = r.block.left; col <= r.block.right; col++) line[col - r.block.left] = cell(row, col);
    out.push(line);
  }
  return out;
}

function numberFormatAt(s: SheetModel, row: number, col: number): string {
  for (let i = s.numberFormats.length - 1; i >= 0; i--) {
    const f = s.numberFormats[i];
    if (row >= f.block.top && row <= f.block.bottom && col >= f.block.left && col <= f.block.right) return f.format;
  }
  return "General";
}

function writeCells(r: RangeRef, input: unknown): void {
  const rows = r.block.bottom - r.block.top + 1;
  const cols = r.block.right - r.block.left + 1;
  if (!Array.isArray(input) || input.length !== rows || input.some((line) => !Array.isArray(line) || line.length !== cols)) {
    throw new StandInError(
      "InvalidArgument",
      "The number of rows or columns in the input array doesn't match the size or dimensions of the range.",
    );
  }
  (input as unknown[][]).forEach((line, i) => {
    line.forEach((v, j) => {
      let cell;
      try {
        cell = inputToCell(v);
      } catch (e) {
        throw new StandInError("InvalidArgument", `The argument is invalid or missing or has an incorrect format. (${(e as Error).message})`);
      }
      if (cell) r.sheet.set(r.block.top + i, r.block.left + j, cell.value);
      if (currentRecord) currentRecord.cellsWritten++;
    });
  });
  contentChanged(r);
}

/** After cells of `r` changed: table headers kept unique (as Excel keeps them), and the change events. */
function contentChanged(r: RangeRef): void {
  const wb = currentModel;
  if (!wb) return;
  const address = r.sheet.address(r.block);
  for (const t of wb.tables) {
    if (t.sheet !== r.sheet || !intersects(t.block, r.block)) continue;
    if (t.showHeaders && t.block.top >= r.block.top && t.block.top <= r.block.bottom) {
      wb.renameHeaders(t, (col) => col >= r.block.left && col <= r.block.right);
    }
    noteEvent({ type: "TableChanged", table: t, address, changeType: "RangeEdited" });
  }
  noteEvent({ type: "WorksheetChanged", sheet: r.sheet, address, changeType: "RangeEdited" });
}

const RANGE_META: Meta = {
  scalars: {
    address: (r: RangeRef) => r.sheet.address(r.block),
    addressLocal: (r: RangeRef) => r.sheet.address(r.block),
    rowCount: (r: RangeRef) => r.block.bottom - r.block.top + 1,
    columnCount: (r: RangeRef) => r.block.right - r.block.left + 1,
    rowIndex: (r: RangeRef) => r.block.top - 1,
    columnIndex: (r: RangeRef) => r.block.left - 1,
    cellCount: (r: RangeRef) => cellCount(r.block),
    values: (r: RangeRef) => grid(r, (row, col) => cellForValues(r.sheet.get(row, col))),
    formulas: (r: RangeRef) => grid(r, (row, col) => cellForFormulas(r.sheet.get(row, col))),
    text: (r: RangeRef) => grid(r, (row, col) => String(cellForValues(r.sheet.get(row, col)))),
    numberFormat: (r: RangeRef) => grid(r, (row, col) => numberFormatAt(r.sheet, row, col)),
    valueTypes: (r: RangeRef) =>
      grid(r, (row, col) => {
        const v = cellForValues(r.sheet.get(row, col));
        return v === "" ? "Empty" : typeof v === "number" ? "Double" : typeof v === "boolean" ? "Boolean" : "String";
      }),
  },
  navs: {
    format: (p) => (p as Range).format,
    worksheet: (p) => (p as Range).worksheet,
  },
};

export class Range extends ClientObject {
  meta(): Meta {
    return RANGE_META;
  }
  private ref(): RangeRef {
    return this.resolve() as RangeRef;
  }
  get address(): string {
    return this.getProp("address");
  }
  get addressLocal(): string {
    return this.getProp("addressLocal");
  }
  get rowCount(): number {
    return this.getProp("rowCount");
  }
  get columnCount(): number {
    return this.getProp("columnCount");
  }
  get rowIndex(): number {
    return this.getProp("rowIndex");
  }
  get columnIndex(): number {
    return this.getProp("columnIndex");
  }
  get cellCount(): number {
    return this.getProp("cellCount");
  }
  get text(): string[][] {
    return this.getProp("text");
  }
  get valueTypes(): string[][] {
    return this.getProp("valueTypes");
  }
  get values(): unknown[][] {
    return this.getProp("values");
  }
  set values(v: unknown[][]) {
    this.setProp("values", v, (r: RangeRef, value) => writeCells(r, value));
  }
  get formulas(): unknown[][] {
    return this.getProp("formulas");
  }
  set formulas(v: unknown[][]) {
    this.setProp("formulas", v, (r: RangeRef, value) => writeCells(r, value));
  }
  get numberFormat(): unknown[][] {
    return this.getProp("numberFormat");
  }
  set numberFormat(v: unknown[][]) {
    this.setProp("numberFormat", v, (r: RangeRef, value) => {
      const rows = r.block.bottom - r.block.top + 1;
      const cols = r.block.right - r.block.left + 1;
      const input = value as unknown[][];
      if (!Array.isArray(input) || !input.every((line) => Array.isArray(line))) {
        throw new StandInError("InvalidArgument", "numberFormat takes a two-dimensional array.");
      }
      if (input.length === 1 && input[0].length === 1) {
        r.sheet.numberFormats.push({ block: r.block, format: String(input[0][0]) });
        return;
      }
      if (input.length !== rows || input.some((line) => line.length !== cols)) {
        throw new StandInError("InvalidArgument", "The number of rows or columns in the input array doesn't match the size or dimensions of the range.");
      }
      input.forEach((line, i) =>
        line.forEach((f, j) => {
          if (f === null || f === undefined) return;
          const at = { top: r.block.top + i, bottom: r.block.top + i, left: r.block.left + j, right: r.block.left + j };
          r.sheet.numberFormats.push({ block: at, format: String(f) });
        }),
      );
    });
  }
  get format(): RangeFormat {
    return this.nav("format", () => new RangeFormat(this.context, `${this.path}.format`, () => this.ref()));
  }
  get worksheet(): Worksheet {
    return this.nav("worksheet", () => new Worksheet(this.context, `${this.path}.worksheet`, () => this.ref().sheet));
  }
  get conditionalFormats(): ConditionalFormatCollection {
    return this.nav("conditionalFormats", () => new ConditionalFormatCollection(this.context, `${this.path}.conditionalFormats`, () => this.ref()));
  }
  /** A range made from this one; from a null object (a used range of an empty sheet) it is a null object too. */
  private derived(name: string, make: (r: RangeRef) => RangeRef | null, nullable = false): Range {
    return new Range(
      this.context,
      `${this.path}.${name}`,
      () => {
        const r = this.ref();
        return r === null ? null : make(r);
      },
      nullable || this.isNullable,
    );
  }
  getCell(row: number, col: number): Range {
    return this.derived(`getCell(${row},${col})`, (r) => ({
      sheet: r.sheet,
      block: { top: r.block.top + row, left: r.block.left + col, bottom: r.block.top + row, right: r.block.left + col },
    }));
  }
  getResizedRange(deltaRows: number, deltaCols: number): Range {
    return this.derived(`getResizedRange(${deltaRows},${deltaCols})`, (r) => ({
      sheet: r.sheet,
      block: { ...r.block, bottom: r.block.bottom + deltaRows, right: r.block.right + deltaCols },
    }));
  }
  getOffsetRange(rows: number, cols: number): Range {
    return this.derived(`getOffsetRange(${rows},${cols})`, (r) => ({
      sheet: r.sheet,
      block: { top: r.block.top + rows, bottom: r.block.bottom + rows, left: r.block.left + cols, right: r.block.right + cols },
    }));
  }
  /** ExcelApi 1.4: the used part of this range (values only or not: the stand-in keeps values only). */
  getUsedRange(valuesOnly?: boolean): Range {
    return this.usedWithin(valuesOnly, false);
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): Range {
    return this.usedWithin(valuesOnly, true);
  }
  private usedWithin(valuesOnly: boolean | undefined, nullable: boolean): Range {
    return this.derived(
      `getUsedRange${nullable ? "OrNullObject" : ""}(${valuesOnly === true})`,
      (r) => {
        const block = r.sheet.usedBlockWithin(r.block);
        if (block) return { sheet: r.sheet, block };
        if (nullable) return null;
        throw new StandInError("ItemNotFound", "The range has no used cells.");
      },
      nullable,
    );
  }
  getRow(i: number): Range {
    return this.derived(`getRow(${i})`, (r) => ({ sheet: r.sheet, block: { ...r.block, top: r.block.top + i, bottom: r.block.top + i } }));
  }
  getColumn(i: number): Range {
    return this.derived(`getColumn(${i})`, (r) => ({ sheet: r.sheet, block: { ...r.block, left: r.block.left + i, right: r.block.left + i } }));
  }
  getEntireColumn(): Range {
    return this.derived("getEntireColumn()", (r) => ({ sheet: r.sheet, block: { ...r.block, top: 1, bottom: MAX_ROWS } }));
  }
  getEntireRow(): Range {
    return this.derived("getEntireRow()", (r) => ({ sheet: r.sheet, block: { ...r.block, left: 1, right: MAX_COLS } }));
  }
  getIntersectionOrNullObject(other: Range | string): Range {
    return this.derived(
      "getIntersectionOrNullObject()",
      (r) => {
        const o = typeof other === "string" ? { sheet: r.sheet, block: parseRangeAddress(other).block } : (other.resolve() as RangeRef);
        if (o.sheet !== r.sheet || !intersects(o.block, r.block)) return null;
        return {
          sheet: r.sheet,
          block: {
            top: Math.max(o.block.top, r.block.top),
            left: Math.max(o.block.left, r.block.left),
            bottom: Math.min(o.block.bottom, r.block.bottom),
            right: Math.min(o.block.right, r.block.right),
          },
        };
      },
      true,
    );
  }
  select(): void {
    this.enqueue({ call: "select" }, (r: RangeRef) => {
      const wb = this.context.model;
      if (r.sheet.visibility !== "Visible") throw new StandInError("InvalidOperation", "A range on a hidden sheet cannot be selected.");
      wb.active = r.sheet;
      wb.selection = { sheet: r.sheet, block: r.block };
    });
  }
  clear(applyTo: string = "All"): void {
    this.enqueue({ call: "clear", applyTo }, (r: RangeRef) => {
      if (applyTo === "All" || applyTo === "Contents") {
        r.sheet.clearContents(r.block);
        noteEvent({ type: "WorksheetChanged", sheet: r.sheet, address: r.sheet.address(r.block), changeType: "RangeEdited" });
      }
      if (applyTo === "All" || applyTo === "Formats") {
        r.sheet.clearFormats(r.block);
        const wb = this.context.model;
        wb.conditionalFormats = wb.conditionalFormats.filter((f) => f.sheet !== r.sheet || !intersects(f.block, r.block));
      }
    });
  }
  unmerge(): void {
    this.enqueue({ call: "unmerge" }, (r: RangeRef) => {
      r.sheet.merges = r.sheet.merges.filter((m) => !intersects(m, r.block));
    });
  }
  merge(across = false): void {
    this.enqueue({ call: "merge", across }, (r: RangeRef) => {
      r.sheet.merges.push(r.block);
    });
  }
  delete(shift: string): void {
    this.enqueue({ call: "delete", shift }, () => {
      throw new StandInError("NotImplemented", "The stand-in does not delete cells.");
    });
  }
}

// Range formats: each assignment is recorded for its range, never per cell.

function recordLook(r: RangeRef, key: string, value: unknown): void {
  r.sheet.looks.push({ block: r.block, look: { [key]: value } });
}

function lookAt(r: RangeRef, key: string): unknown {
  const s = r.sheet;
  for (let i = s.looks.length - 1; i >= 0; i--) {
    const l = s.looks[i];
    if (!intersects(l.block, r.block)) continue;
    if (l.reset) return null;
    if (key in l.look) return l.look[key];
  }
  return null;
}

const RANGE_FORMAT_META: Meta = {
  scalars: {
    horizontalAlignment: (r: RangeRef) => lookAt(r, "horizontalAlignment") ?? "General",
    verticalAlignment: (r: RangeRef) => lookAt(r, "verticalAlignment") ?? "Bottom",
    wrapText: (r: RangeRef) => lookAt(r, "wrapText") ?? false,
    columnWidth: (r: RangeRef) => r.sheet.columnWidths.get(r.block.left) ?? 48,
    rowHeight: () => 15,
    useStandardWidth: (r: RangeRef) => ![...r.sheet.columnWidths.keys()].some((c) => c >= r.block.left && c <= r.block.right),
  },
  navs: { font: (p) => (p as RangeFormat).font, fill: (p) => (p as RangeFormat).fill },
};

NAV_META.set(RANGE_META, {
  format: (r) => [r, RANGE_FORMAT_META],
  worksheet: (r) => [(r as RangeRef).sheet, WORKSHEET_META],
});
NAV_META.set(RANGE_FORMAT_META, {
  font: (r) => [r, FONT_META],
  fill: (r) => [r, FILL_META],
});

export class RangeFormat extends ClientObject {
  meta(): Meta {
    return RANGE_FORMAT_META;
  }
  private look(key: string, v: unknown): void {
    this.setProp(key, v, (r: RangeRef, value) => recordLook(r, key, value));
  }
  get horizontalAlignment(): string {
    return this.getProp("horizontalAlignment");
  }
  set horizontalAlignment(v: string) {
    this.look("horizontalAlignment", v);
  }
  get verticalAlignment(): string {
    return this.getProp("verticalAlignment");
  }
  set verticalAlignment(v: string) {
    this.look("verticalAlignment", v);
  }
  get wrapText(): boolean {
    return this.getProp("wrapText");
  }
  set wrapText(v: boolean) {
    this.look("wrapText", v);
  }
  get rowHeight(): number {
    return this.getProp("rowHeight");
  }
  set rowHeight(v: number) {
    this.look("rowHeight", v);
  }
  get columnWidth(): number {
    return this.getProp("columnWidth");
  }
  set columnWidth(v: number) {
    this.setProp("columnWidth", v, (r: RangeRef, value) => {
      if (typeof value !== "number" || !(value >= 0)) throw new StandInError("InvalidArgument", "columnWidth takes a number of points.");
      for (let c = r.block.left; c <= Math.min(r.block.right, MAX_COLS); c++) r.sheet.columnWidths.set(c, value);
    });
  }
  get useStandardWidth(): boolean {
    return this.getProp("useStandardWidth");
  }
  set useStandardWidth(v: boolean) {
    this.setProp("useStandardWidth", v, (r: RangeRef, value) => {
      if (!value) return;
      for (const c of [...r.sheet.columnWidths.keys()]) if (c >= r.block.left && c <= r.block.right) r.sheet.columnWidths.delete(c);
    });
  }
  get font(): RangeFont {
    return this.nav("font", () => new RangeFont(this.context, `${this.path}.font`, () => this.resolve()));
  }
  get fill(): RangeFill {
    return this.nav("fill", () => new RangeFill(this.context, `${this.path}.fill`, () => this.resolve()));
  }
  autofitColumns(): void {
    this.enqueue({ call: "autofitColumns" }, () => undefined);
  }
  autofitRows(): void {
    this.enqueue({ call: "autofitRows" }, () => undefined);
  }
}

const FONT_META: Meta = {
  scalars: {
    bold: (r: RangeRef) => lookAt(r, "font.bold") ?? false,
    italic: (r: RangeRef) => lookAt(r, "font.italic") ?? false,
    color: (r: RangeRef) => lookAt(r, "font.color") ?? "#000000",
    name: () => "Calibri",
    size: () => 11,
  },
  navs: {},
};

export class RangeFont extends ClientObject {
  meta(): Meta {
    return FONT_META;
  }
  private look(key: string, v: unknown): void {
    this.setProp(key, v, (r: RangeRef, value) => recordLook(r, `font.${key}`, value));
  }
  get bold(): boolean {
    return this.getProp("bold");
  }
  set bold(v: boolean) {
    this.look("bold", v);
  }
  get italic(): boolean {
    return this.getProp("italic");
  }
  set italic(v: boolean) {
    this.look("italic", v);
  }
  get color(): string {
    return this.getProp("color");
  }
  set color(v: string) {
    this.look("color", v);
  }
  get name(): string {
    return this.getProp("name");
  }
  set name(v: string) {
    this.look("name", v);
  }
  get size(): number {
    return this.getProp("size");
  }
  set size(v: number) {
    this.look("size", v);
  }
}

const FILL_META: Meta = { scalars: { color: (r: RangeRef) => lookAt(r, "fill.color") ?? "#FFFFFF" }, navs: {} };

export class RangeFill extends ClientObject {
  meta(): Meta {
    return FILL_META;
  }
  get color(): string {
    return this.getProp("color");
  }
  set color(v: string) {
    this.setProp("color", v, (r: RangeRef, value) => recordLook(r, "fill.color", value));
  }
  clear(): void {
    this.enqueue({ call: "clear" }, (r: RangeRef) => recordLook(r, "fill.color", null));
  }
}

// ---------------------------------------------------------------------------------------------
// Conditional formats: recorded with their range and every setting, by path.

const CF_TYPES = ["DataBar", "IconSet", "CellValue", "Custom", "ColorScale", "TopBottom", "PresetCriteria", "ContainsText"];

/** A settable part of a conditional format (dataBar, dataBar.positiveFormat, cellValue.format.fill …). */
export class ConditionalPart extends ClientObject {
  constructor(
    context: RequestContext,
    path: string,
    resolver: () => unknown,
    private readonly prefix: string,
    private readonly children: string[],
    settable: string[],
  ) {
    super(context, path, resolver);
    for (const key of settable) {
      Object.defineProperty(this, key, {
        enumerable: true,
        get: () => this.getProp(key),
        set: (v: unknown) =>
          this.setProp(key, v, (rec: ConditionalFormatRecord, value) => {
            rec.settings[`${this.prefix}${key}`] = JSON.parse(JSON.stringify(value ?? null));
          }),
      });
    }
    for (const child of children) {
      Object.defineProperty(this, child, {
        enumerable: true,
        get: () => this.nav(child, () => conditionalPart(this.context, `${this.path}.${child}`, () => this.resolve(), `${this.prefix}${child}.`)),
      });
    }
  }
  meta(): Meta {
    return { scalars: {}, navs: {} };
  }
}

const PART_SHAPES: Record<string, { children: string[]; settable: string[] }> = {
  "dataBar.": { children: ["positiveFormat", "negativeFormat"], settable: ["lowerBoundRule", "upperBoundRule", "barDirection", "showDataBarOnly", "axisColor", "axisFormat"] },
  "dataBar.positiveFormat.": { children: [], settable: ["fillColor", "gradientFill", "borderColor"] },
  "dataBar.negativeFormat.": { children: [], settable: ["fillColor", "borderColor", "matchPositiveFillColor", "matchPositiveBorderColor"] },
  "iconSet.": { children: [], settable: ["style", "reverseIconOrder", "showIconOnly", "criteria"] },
  "cellValue.": { children: ["format"], settable: ["rule"] },
  "custom.": { children: ["format", "rule"], settable: [] },
  "custom.rule.": { children: [], settable: ["formula", "formulaLocal"] },
  "colorScale.": { children: [], settable: ["criteria"] },
};
const FORMAT_SHAPE = { children: ["fill", "font"], settable: ["numberFormat"] };
const FILL_SHAPE = { children: [], settable: ["color"] };
const FONT_SHAPE = { children: [], settable: ["bold", "italic", "color", "strikethrough", "underline"] };

function conditionalPart(context: RequestContext, path: string, resolver: () => unknown, prefix: string): ConditionalPart {
  const last = prefix.split(".").slice(-2)[0];
  const shape = PART_SHAPES[prefix] ?? (last === "format" ? FORMAT_SHAPE : last === "fill" ? FILL_SHAPE : last === "font" ? FONT_SHAPE : { children: [], settable: [] });
  return new ConditionalPart(context, path, resolver, prefix, shape.children, shape.settable);
}

const CONDITIONAL_FORMAT_META: Meta = {
  scalars: {
    type: (rec: ConditionalFormatRecord) => rec.type,
    priority: (rec: ConditionalFormatRecord) => rec.sheet && currentModel ? currentModel.conditionalFormats.filter((f) => f.sheet === rec.sheet).indexOf(rec) : 0,
    stopIfTrue: (rec: ConditionalFormatRecord) => rec.settings.stopIfTrue ?? false,
  },
  navs: {},
};

export class ConditionalFormat extends ClientObject {
  meta(): Meta {
    return CONDITIONAL_FORMAT_META;
  }
  get type(): string {
    return this.getProp("type");
  }
  get priority(): number {
    return this.getProp("priority");
  }
  get stopIfTrue(): boolean {
    return this.getProp("stopIfTrue");
  }
  set stopIfTrue(v: boolean) {
    this.setProp("stopIfTrue", v, (rec: ConditionalFormatRecord, value) => {
      rec.settings.stopIfTrue = value;
    });
  }
  private part(name: string, type: string): ConditionalPart {
    return this.nav(name, () =>
      conditionalPart(
        this.context,
        `${this.path}.${name}`,
        () => {
          const rec = this.resolve() as ConditionalFormatRecord;
          if (rec.type !== type) throw new StandInError("InvalidOperation", `This conditional format is a ${rec.type}, not a ${type}.`);
          return rec;
        },
        `${name}.`,
      ),
    );
  }
  get dataBar(): ConditionalPart {
    return this.part("dataBar", "DataBar");
  }
  get iconSet(): ConditionalPart {
    return this.part("iconSet", "IconSet");
  }
  get cellValue(): ConditionalPart {
    return this.part("cellValue", "CellValue");
  }
  get custom(): ConditionalPart {
    return this.part("custom", "Custom");
  }
  get colorScale(): ConditionalPart {
    return this.part("colorScale", "ColorScale");
  }
  delete(): void {
    this.enqueue({ call: "delete" }, (rec: ConditionalFormatRecord) => {
      const wb = this.context.model;
      wb.conditionalFormats = wb.conditionalFormats.filter((f) => f !== rec);
    });
  }
  getRange(): Range {
    return new Range(this.context, `${this.path}.getRange()`, () => {
      const rec = this.resolve() as ConditionalFormatRecord;
      return { sheet: rec.sheet, block: rec.block };
    });
  }
}

const CONDITIONAL_FORMATS_META: Meta = {
  scalars: { count: (r: RangeRef) => (currentModel ? currentModel.conditionalFormats.filter((f) => f.sheet === r.sheet && intersects(f.block, r.block)).length : 0) },
  navs: {},
};

export class ConditionalFormatCollection extends ClientObject {
  meta(): Meta {
    return CONDITIONAL_FORMATS_META;
  }
  get count(): number {
    return this.getProp("count");
  }
  add(type: string): ConditionalFormat {
    if (!CF_TYPES.includes(type)) throw new StandInError("InvalidArgument", `"${type}" is not a conditional format type.`);
    let rec: ConditionalFormatRecord | undefined;
    this.enqueue({ call: "add", type }, (r: RangeRef) => {
      rec = { sheet: r.sheet, block: r.block, type, settings: {} };
      this.context.model.conditionalFormats.push(rec);
    });
    return new ConditionalFormat(this.context, `${this.path}.add(${JSON.stringify(type)})`, () => rec);
  }
  clearAll(): void {
    this.enqueue({ call: "clearAll" }, (r: RangeRef) => {
      const wb = this.context.model;
      wb.conditionalFormats = wb.conditionalFormats.filter((f) => f.sheet !== r.sheet || !intersects(f.block, r.block));
    });
  }
  getCount(): ClientResult<number> {
    return clientResult(this, "getCount", (r: RangeRef) =>
      this.context.model.conditionalFormats.filter((f) => f.sheet === r.sheet && intersects(f.block, r.block)).length,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Tables

interface TablesRef {
  wb: WorkbookModel;
  sheet?: SheetModel;
}

const TABLE_META: Meta = {
  scalars: {
    name: (t: TableModel) => t.name,
    id: (t: TableModel) => t.id,
    showHeaders: (t: TableModel) => t.showHeaders,
    showTotals: (t: TableModel) => t.showTotals,
    style: (t: TableModel) => t.style,
    showBandedRows: () => true,
    showBandedColumns: () => false,
    showFilterButton: (t: TableModel) => t.showHeaders,
  },
  navs: {
    worksheet: (p) => (p as Table).worksheet,
    columns: (p) => (p as Table).columns,
  },
};
NAV_META.set(TABLE_META, {
  worksheet: (t) => [(t as TableModel).sheet, WORKSHEET_META],
  columns: (t) => [t, TABLE_COLUMNS_META],
});

/**
 * An event (ExcelApi 1.7 onChanged, onAdded, onDeleted; 1.4 onSettingsChanged): add() registers at
 * the next sync; remove() at once.
 */
export class ChangedEvent {
  constructor(
    private readonly owner: ClientObject,
    private readonly target: () => Registration["target"],
    private readonly kind: EventKind = "changed",
  ) {}
  add(handler: ChangeHandler): { context: RequestContext; remove: () => void } {
    if (typeof handler !== "function") throw new StandInError("InvalidArgument", "An event's add() takes a function.");
    let reg: Registration | undefined;
    const standIn = this.owner.context.standIn;
    this.owner.enqueue({ call: `on.${this.kind}.add` }, () => {
      reg = standIn.register(this.target(), this.kind, handler);
    });
    return {
      context: this.owner.context,
      remove: () => {
        if (reg) standIn.unregister(reg);
      },
    };
  }
}

export class Table extends ClientObject {
  meta(): Meta {
    return TABLE_META;
  }
  private table(): TableModel {
    return this.resolve() as TableModel;
  }
  get name(): string {
    return this.getProp("name");
  }
  set name(v: string) {
    this.setProp("name", v, (t: TableModel, value) => {
      this.context.model.checkTableName(String(value), t);
      t.name = String(value);
    });
  }
  get showHeaders(): boolean {
    return this.getProp("showHeaders");
  }
  get showTotals(): boolean {
    return this.getProp("showTotals");
  }
  get style(): string {
    return this.getProp("style");
  }
  set style(v: string) {
    this.setProp("style", v, (t: TableModel, value) => {
      t.style = String(value);
    });
  }
  // What hangs off a null object (getItemOrNullObject of a table that is not there) is a null object too.
  get worksheet(): Worksheet {
    return this.nav("worksheet", () => new Worksheet(this.context, `${this.path}.worksheet`, () => (this.resolve() as TableModel | null)?.sheet ?? null, this.isNullable));
  }
  get columns(): TableColumnCollection {
    return this.nav("columns", () => new TableColumnCollection(this.context, `${this.path}.columns`, () => this.resolve() as TableModel | null, this.isNullable));
  }
  get rows(): TableRowCollection {
    return this.nav("rows", () => new TableRowCollection(this.context, `${this.path}.rows`, () => this.resolve() as TableModel | null, this.isNullable));
  }
  private part(name: string, block: (t: TableModel) => Block | null): Range {
    return new Range(
      this.context,
      `${this.path}.${name}()`,
      () => {
        const t = this.resolve() as TableModel | null;
        if (t === null) return null;
        const b = block(t);
        if (!b) throw new StandInError("ItemNotFound", `The table has no ${name}.`);
        return { sheet: t.sheet, block: b };
      },
      this.isNullable,
    );
  }
  getRange(): Range {
    return this.part("getRange", (t) => t.block);
  }
  getHeaderRowRange(): Range {
    return this.part("getHeaderRowRange", (t) => (t.showHeaders ? { ...t.block, bottom: t.block.top } : null));
  }
  get onChanged(): ChangedEvent {
    return new ChangedEvent(this, () => this.table());
  }
  getDataBodyRange(): Range {
    return this.part("getDataBodyRange", (t) => ({
      ...t.block,
      top: t.block.top + (t.showHeaders ? 1 : 0),
      bottom: t.block.bottom - (t.showTotals ? 1 : 0),
    }));
  }
  getTotalRowRange(): Range {
    return this.part("getTotalRowRange", (t) => (t.showTotals ? { ...t.block, top: t.block.bottom } : null));
  }
  delete(): void {
    this.enqueue({ call: "delete" }, (t: TableModel) => {
      this.context.model.deleteTable(t);
      noteEvent({ type: "TableDeleted", table: t });
    });
  }
  convertToRange(): Range {
    const r = this.getRange();
    this.delete();
    return r;
  }
}

const TABLE_COLUMN_META: Meta = {
  scalars: { name: (c: { t: TableModel; i: number }) => c.t.columnNames()[c.i], index: (c: { i: number }) => c.i },
  navs: {},
};
const TABLE_COLUMNS_META: Meta = {
  scalars: { count: (t: TableModel) => t.block.right - t.block.left + 1 },
  navs: {},
  items: (t: TableModel) => t.columnNames().map((_, i) => ({ t, i })),
  itemProxy: (parent, model, i) => new TableColumn(parent.context, `${parent.path}.items[${i}]`, () => model),
};
ITEM_META.set(TABLE_COLUMNS_META, TABLE_COLUMN_META);

export class TableColumn extends ClientObject {
  meta(): Meta {
    return TABLE_COLUMN_META;
  }
  get name(): string {
    return this.getProp("name");
  }
  get index(): number {
    return this.getProp("index");
  }
}

export class TableColumnCollection extends ClientObject {
  meta(): Meta {
    return TABLE_COLUMNS_META;
  }
  get items(): TableColumn[] {
    if (!this.itemsLoaded) throw notLoaded("items");
    return this.itemsLoaded as TableColumn[];
  }
  get count(): number {
    return this.getProp("count");
  }
}

const TABLE_ROWS_META: Meta = {
  scalars: { count: (t: TableModel) => t.block.bottom - t.block.top + 1 - (t.showHeaders ? 1 : 0) - (t.showTotals ? 1 : 0) },
  navs: {},
};

/** Table.rows: its count, and add() of rows at the table's end (the cells below must be empty: the stand-in shifts nothing). */
export class TableRowCollection extends ClientObject {
  meta(): Meta {
    return TABLE_ROWS_META;
  }
  get count(): number {
    return this.getProp("count");
  }
  add(index?: number | null, values?: unknown[][]): void {
    this.enqueue({ call: "add", index: index ?? null, values }, (t: TableModel) => {
      if (index !== undefined && index !== null) throw new StandInError("NotImplemented", "The stand-in adds rows at the table's end only.");
      if (t.showTotals) throw new StandInError("NotImplemented", "The stand-in adds rows to tables without a totals row only.");
      const rows = values ?? [[]];
      const block = { top: t.block.bottom + 1, left: t.block.left, bottom: t.block.bottom + rows.length, right: t.block.right };
      for (let r = block.top; r <= block.bottom; r++) {
        for (let c = block.left; c <= block.right; c++) {
          const v = t.sheet.get(r, c);
          if (v !== null && v !== undefined && v !== "") throw new StandInError("NotImplemented", "The stand-in does not shift cells below a table.");
        }
      }
      writeCells({ sheet: t.sheet, block }, values ?? [Array(block.right - block.left + 1).fill("")]);
      t.block = { ...t.block, bottom: block.bottom };
      noteEvent({ type: "TableChanged", table: t, address: t.sheet.address(block), changeType: "RowInserted" });
    });
  }
}

const TABLES_META: Meta = {
  scalars: { count: (r: TablesRef) => r.wb.tables.filter((t) => !r.sheet || t.sheet === r.sheet).length },
  navs: {},
  items: (r: TablesRef) => r.wb.tables.filter((t) => !r.sheet || t.sheet === r.sheet),
  itemProxy: (parent, model, i) => new Table(parent.context, `${parent.path}.items[${i}]`, () => model),
};
ITEM_META.set(TABLES_META, TABLE_META);

export class TableCollection extends ClientObject {
  meta(): Meta {
    return TABLES_META;
  }
  private ref(): TablesRef {
    return this.resolve() as TablesRef;
  }
  get items(): Table[] {
    if (!this.itemsLoaded) throw notLoaded("items");
    return this.itemsLoaded as Table[];
  }
  get count(): number {
    return this.getProp("count");
  }
  private find(name: string): TableModel | undefined {
    const r = this.ref();
    const t = r.wb.tableNamed(name);
    return t && (!r.sheet || t.sheet === r.sheet) ? t : undefined;
  }
  getItem(name: string): Table {
    return new Table(this.context, `${this.path}.getItem(${JSON.stringify(name)})`, () => this.find(name));
  }
  getItemOrNullObject(name: string): Table {
    return new Table(this.context, `${this.path}.getItemOrNullObject(${JSON.stringify(name)})`, () => this.find(name) ?? null, true);
  }
  getCount(): ClientResult<number> {
    return clientResult(this, "getCount", (r: TablesRef) => r.wb.tables.filter((t) => !r.sheet || t.sheet === r.sheet).length);
  }
  add(address: Range | string, hasHeaders: boolean): Table {
    let created: TableModel | undefined;
    const json = { call: "add", address: typeof address === "string" ? address : address.path, hasHeaders };
    this.enqueue(json, (r: TablesRef) => {
      let sheet: SheetModel;
      let block: Block;
      if (typeof address === "string") {
        const parsed = parseRangeAddress(address);
        const named = parsed.sheet === undefined ? undefined : r.wb.sheetNamed(parsed.sheet);
        if (parsed.sheet !== undefined && !named) throw new StandInError("ItemNotFound", `The workbook has no sheet "${parsed.sheet}".`);
        // Like Excel: an address without a sheet name is on the active sheet.
        sheet = named ?? (r.wb.active as SheetModel);
        block = parsed.block;
      } else {
        const rr = address.resolve() as RangeRef;
        sheet = rr.sheet;
        block = rr.block;
      }
      if (r.sheet && r.sheet !== sheet) throw new StandInError("InvalidArgument", "The range is not on this worksheet.");
      if (!hasHeaders) throw new StandInError("NotImplemented", "The stand-in adds tables over ranges with headers only.");
      // Excel makes the header names unique, in the cells: a second "Actual" becomes "Actual2".
      created = r.wb.addTable(sheet, block, true, undefined, true);
      this.context.standIn.dirty.add(sheet);
      noteEvent({ type: "TableAdded", table: created });
    });
    return new Table(this.context, `${this.path}.add()`, () => created);
  }
  /** ExcelApi 1.7: a table added anywhere in the workbook (the workbook's collection only). */
  get onAdded(): ChangedEvent {
    return new ChangedEvent(this, () => "tables", "added");
  }
  /** ExcelApi 1.7: a table deleted (args: tableId, tableName, worksheetId, source). */
  get onDeleted(): ChangedEvent {
    return new ChangedEvent(this, () => "tables", "deleted");
  }
}

// ---------------------------------------------------------------------------------------------
// Globals: Office, Excel, OfficeExtension

export function sheetNameInAddress(name: string): string {
  return sheetInRef(name);
}

const enumOf = (...values: string[]): Record<string, string> =>
  Object.fromEntries(values.map((v) => [v.charAt(0).toLowerCase() + v.slice(1), v]));

/** Compares "1.10" > "1.7" as versions. */
function versionAtMost(wanted: string, supported: string): boolean {
  const a = wanted.split(".").map(Number);
  const b = supported.split(".").map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return true;
}

export interface StandInGlobals {
  Office: Record<string, unknown>;
  Excel: Record<string, unknown>;
  OfficeExtension: Record<string, unknown>;
}

/** The three globals office.js defines, over `standIn`; `ready` resolves Office.onReady. */
export function createGlobals(standIn: StandIn, ready: Promise<void>): StandInGlobals {
  const opts = standIn.options;
  const theme = opts.officeTheme ?? {
    bodyBackgroundColor: "#FFFFFF",
    bodyForegroundColor: "#000000",
    controlBackgroundColor: "#FFFFFF",
    controlForegroundColor: "#000000",
  };
  const info = { host: "Excel", platform: opts.platform ?? "OfficeOnline" };
  const settingsApi = {
    get: (key: string) => {
      const v = standIn.model.settings.get(key);
      return v === undefined ? null : JSON.parse(v);
    },
    set: (key: string, value: unknown) => standIn.model.settings.set(key, JSON.stringify(value)),
    remove: (key: string) => standIn.model.settings.delete(key),
    saveAsync: (cb?: (r: unknown) => void) => cb?.({ status: "succeeded" }),
  };
  const Office: Record<string, unknown> = {
    HostType: { Excel: "Excel", Word: "Word", PowerPoint: "PowerPoint", Outlook: "Outlook", OneNote: "OneNote", Project: "Project", Access: "Access" },
    PlatformType: { PC: "PC", OfficeOnline: "OfficeOnline", Mac: "Mac", iOS: "iOS", Android: "Android", Universal: "Universal" },
    EventType: { DocumentSelectionChanged: "documentSelectionChanged", OfficeThemeChanged: "officeThemeChanged" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    context: {
      displayLanguage: opts.displayLanguage ?? "en-US",
      contentLanguage: opts.displayLanguage ?? "en-US",
      officeTheme: theme,
      host: "Excel",
      platform: info.platform,
      diagnostics: { host: "Excel", platform: info.platform, version: "16.0.0.0" },
      requirements: {
        isSetSupported: (name: string, version?: string) =>
          name === "ExcelApi" ? versionAtMost(String(version ?? "1.1"), opts.excelApi ?? "1.7") : false,
      },
      document: {
        settings: settingsApi,
        addHandlerAsync: (_type: string, _handler: unknown, cb?: (r: unknown) => void) => cb?.({ status: "succeeded" }),
        removeHandlerAsync: (_type: string, cb?: (r: unknown) => void) => cb?.({ status: "succeeded" }),
      },
    },
    onReady: (callback?: (i: typeof info) => void) =>
      ready.then(() => {
        callback?.(info);
        return info;
      }),
  };
  void ready.then(() => {
    const init = Office.initialize;
    if (typeof init === "function") (init as (reason: string) => void)("inserted");
  });

  const Excel: Record<string, unknown> = {
    run: (a: unknown, b?: unknown) => standIn.run((typeof a === "function" ? a : b) as (c: RequestContext) => Promise<unknown>),
    RequestContext: function RequestContextCtor() {
      return new RequestContext(standIn);
    },
    ErrorCodes: Object.fromEntries(
      [
        "AccessDenied",
        "ApiNotFound",
        "GeneralException",
        "InvalidArgument",
        "InvalidOperation",
        "InvalidReference",
        "ItemAlreadyExists",
        "ItemNotFound",
        "NotImplemented",
        "RangeExceedsLimit",
        "RequestPayloadSizeLimitExceeded",
        "ResponsePayloadSizeLimitExceeded",
        "UnsupportedOperation",
      ].map((c) => [c.charAt(0).toLowerCase() + c.slice(1), c]),
    ),
    ClearApplyTo: enumOf("All", "Formats", "Contents", "Hyperlinks", "RemoveHyperlinks", "ResetContents"),
    ConditionalFormatType: enumOf(...CF_TYPES),
    ConditionalFormatRuleType: enumOf("Invalid", "Automatic", "LowestValue", "HighestValue", "Number", "Percent", "Formula", "Percentile"),
    ConditionalFormatIconRuleType: enumOf("Invalid", "Number", "Percent", "Formula", "Percentile"),
    ConditionalIconCriterionOperator: enumOf("Invalid", "GreaterThan", "GreaterThanOrEqual"),
    ConditionalCellValueOperator: enumOf("Invalid", "Between", "NotBetween", "EqualTo", "NotEqualTo", "GreaterThan", "LessThan", "GreaterThanOrEqual", "LessThanOrEqual"),
    IconSet: enumOf("ThreeArrows", "ThreeArrowsGray", "ThreeFlags", "ThreeTrafficLights1", "ThreeTrafficLights2", "ThreeSigns", "ThreeSymbols", "ThreeSymbols2"),
    SheetVisibility: enumOf("Visible", "Hidden", "VeryHidden"),
    ChartType: enumOf(...CHART_TYPES),
    ChartSeriesBy: enumOf(...SERIES_BY),
    HorizontalAlignment: enumOf("General", "Left", "Center", "Right", "Fill", "Justify", "CenterAcrossSelection", "Distributed"),
  };

  class OfficeError extends Error {
    code = "GeneralException";
  }
  const OfficeExtension: Record<string, unknown> = {
    Error: OfficeError,
    ErrorCodes: { generalException: "GeneralException", invalidObjectPath: "InvalidObjectPath", propertyNotLoaded: "PropertyNotLoaded" },
    ClientResult,
    config: { extendedErrorLogging: false },
  };
  return { Office, Excel, OfficeExtension };
}
