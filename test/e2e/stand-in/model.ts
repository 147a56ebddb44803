/**
 * The stand-in's workbook: sheets of cell values, tables, conditional formats, per-range formats,
 * column widths, frozen panes and the add-in's settings. Plain data, so it runs in the browser and
 * in Node (the host's unit tests) alike. Sheet and table rules follow Excel's: names are unique
 * regardless of case, sheet names are 1–31 characters without : \ / ? * [ ] and not "History",
 * the last visible sheet cannot be hidden or deleted, a very hidden sheet cannot be deleted, tables
 * cannot overlap, and a table's header names are unique (Excel renames a duplicate "Actual" to
 * "Actual2", an empty header to "Column3").
 *
 * Several clients (co-authors' Excel instances, each with its own add-in) can share one model:
 * each registers in `clients`, and every change is delivered to all of them, so a client can tell
 * its own changes (source Local) from everybody else's (source Remote).
 */
import { sheetInRef } from "../../../src/contract/refs";
import { columnLetter } from "../../../src/report/a1";
import type { CellValue } from "./values";

export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;

export interface Block {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export type Visibility = "Visible" | "Hidden" | "VeryHidden";

/** An Office.js-style error: RichApi.Error with a code. */
export class StandInError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RichApi.Error";
  }
}

export const intersects = (a: Block, b: Block): boolean =>
  a.top <= b.bottom && b.top <= a.bottom && a.left <= b.right && b.left <= a.right;

export const cellCount = (b: Block): number => (b.bottom - b.top + 1) * (b.right - b.left + 1);

export function localAddress(b: Block): string {
  const from = `${columnLetter(b.left)}${b.top}`;
  const to = `${columnLetter(b.right)}${b.bottom}`;
  if (b.top === 1 && b.bottom === MAX_ROWS) return `${columnLetter(b.left)}:${columnLetter(b.right)}`;
  if (b.left === 1 && b.right === MAX_COLS) return `${b.top}:${b.bottom}`;
  return from === to ? from : `${from}:${to}`;
}

export interface NumberFormatRecord {
  block: Block;
  format: string;
}

/** A format assignment: the properties set on a range's format (bold, fill …); `reset` clears earlier ones. */
export interface LookRecord {
  block: Block;
  look: Record<string, unknown>;
  reset?: boolean;
}

export class SheetModel {
  /** A brand instead of instanceof: a co-author's frame has its own copy of this class. */
  readonly model = "sheet";
  /** Made by the test in the model (not read from the file): never exported. */
  synthetic = false;
  /** rows[r][c], 1-based, sparse. */
  rows: CellValue[][] = [];
  numberFormats: NumberFormatRecord[] = [];
  looks: LookRecord[] = [];
  /** Column widths in points, by 1-based column. */
  columnWidths = new Map<number, number>();
  freeze?: { rows: number; cols: number };
  merges: Block[] = [];
  deleted = false;

  constructor(
    public id: string,
    public name: string,
    public visibility: Visibility = "Visible",
  ) {}

  get(r: number, c: number): CellValue | undefined {
    return this.rows[r]?.[c];
  }

  set(r: number, c: number, v: CellValue): void {
    let row = this.rows[r];
    if (!row) {
      if (v === null) return;
      row = this.rows[r] = [];
    }
    row[c] = v;
  }

  /** The smallest block holding every non-empty cell; undefined for an empty sheet. */
  usedBlock(): Block | undefined {
    let top = 0;
    let bottom = 0;
    let left = Infinity;
    let right = 0;
    this.rows.forEach((row, r) => {
      if (!row) return;
      let any = false;
      row.forEach((v, c) => {
        if (v === null || v === undefined || v === "") return;
        any = true;
        if (c < left) left = c;
        if (c > right) right = c;
      });
      if (!any) return;
      if (top === 0) top = r;
      bottom = r;
    });
    return top === 0 ? undefined : { top, left, bottom, right };
  }

  /** The smallest block within `within` holding every non-empty cell there (Range.getUsedRange, ExcelApi 1.4). */
  usedBlockWithin(within: Block): Block | undefined {
    let top = 0;
    let bottom = 0;
    let left = Infinity;
    let right = 0;
    const last = Math.min(within.bottom, this.rows.length - 1);
    for (let r = within.top; r <= last; r++) {
      const row = this.rows[r];
      if (!row) continue;
      let any = false;
      const end = Math.min(within.right, row.length - 1);
      for (let c = within.left; c <= end; c++) {
        const v = row[c];
        if (v === null || v === undefined || v === "") continue;
        any = true;
        if (c < left) left = c;
        if (c > right) right = c;
      }
      if (!any) continue;
      if (top === 0) top = r;
      bottom = r;
    }
    return top === 0 ? undefined : { top, left, bottom, right };
  }

  address(b: Block): string {
    return `${sheetInRef(this.name)}!${localAddress(b)}`;
  }

  clearContents(b: Block): void {
    const last = Math.min(b.bottom, this.rows.length - 1);
    for (let r = b.top; r <= last; r++) {
      const row = this.rows[r];
      if (!row) continue;
      const end = Math.min(b.right, row.length - 1);
      for (let c = b.left; c <= end; c++) if (row[c] !== undefined) row[c] = null;
    }
  }

  clearFormats(b: Block): void {
    this.numberFormats = this.numberFormats.filter((f) => !intersects(f.block, b));
    this.looks.push({ block: b, look: {}, reset: true });
    this.merges = this.merges.filter((m) => !intersects(m, b));
  }
}

export class TableModel {
  readonly model = "table";
  deleted = false;
  /** Table.id: stable while the table lives; a new table of the same name has another. */
  readonly id = randomGuid();
  constructor(
    public name: string,
    public sheet: SheetModel,
    public block: Block,
    public showHeaders = true,
    public showTotals = false,
    public style = "TableStyleMedium2",
    /** Column names for a table without a header row (with one, the header cells are the names). */
    public names: string[] = [],
  ) {}

  columnNames(): string[] {
    const out: string[] = [];
    for (let c = this.block.left; c <= this.block.right; c++) {
      const i = c - this.block.left;
      const v = this.showHeaders ? this.sheet.get(this.block.top, c) : undefined;
      const text = v === null || v === undefined || typeof v === "object" ? "" : String(v);
      out.push(text !== "" ? text : this.names[i] || `Column${i + 1}`);
    }
    return out;
  }
}

/** A chart added through `Worksheet.charts.add` (kept as what was set on it; never drawn or exported). */
export interface ChartRecord {
  sheet: SheetModel;
  name: string;
  type: string;
  /** The source range's block, and how its series run. */
  block: Block;
  seriesBy: string;
  title: string;
  from?: string;
  to?: string;
  deleted?: boolean;
}

export interface ConditionalFormatRecord {
  sheet: SheetModel;
  block: Block;
  type: string;
  /** Everything set on it, by path: `dataBar.positiveFormat.fillColor` → "#4472C4". */
  settings: Record<string, unknown>;
}

/**
 * What a change in the workbook tells the clients (the events of ExcelApi 1.7 and the settings'
 * event of 1.4). `origin` is the client whose user or add-in made it.
 */
export type ModelEvent =
  | { type: "TableChanged"; table: TableModel; address: string; changeType: "RowInserted" | "RangeEdited" }
  | { type: "WorksheetChanged"; sheet: SheetModel; address: string; changeType: "RowInserted" | "RangeEdited" }
  | { type: "TableAdded"; table: TableModel }
  | { type: "TableDeleted"; table: TableModel }
  | { type: "WorksheetAdded"; sheet: SheetModel }
  | { type: "WorksheetDeleted"; sheet: SheetModel }
  | { type: "SettingsChanged"; key: string };

/** A client of the workbook: one Excel instance with its add-in. */
export interface ModelClient {
  deliver(event: ModelEvent, local: boolean): void;
}

/**
 * Excel's names for a table's header cells: an empty one becomes `Column<n>` (n its position), a
 * duplicate (ignoring case) gets the smallest number from 2 up that makes it unique ("Actual2").
 * Names in `keep` (by index) are settled first; the others are renamed in order.
 */
export function uniqueHeaderNames(names: string[], keep: (i: number) => boolean = () => false): string[] {
  const out = names.map((n, i) => (n === "" ? `Column${i + 1}` : n));
  const taken = new Set<string>();
  const order = [...out.keys()].sort((a, b) => Number(keep(b)) - Number(keep(a)) || a - b);
  for (const i of order) {
    let name = out[i];
    if (taken.has(name.toLowerCase())) {
      const base = name;
      for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${base}${k}`;
    }
    out[i] = name;
    taken.add(name.toLowerCase());
  }
  return out;
}

const INVALID_SHEET_NAME = /[:\\/?*[\]]/;

export class WorkbookModel {
  sheets: SheetModel[] = [];
  tables: TableModel[] = [];
  conditionalFormats: ConditionalFormatRecord[] = [];
  charts: ChartRecord[] = [];
  /** Settings as stored: JSON text per key. */
  settings = new Map<string, string>();
  active?: SheetModel;
  selection?: { sheet: SheetModel; block: Block };
  /** The Excel instances working on this workbook (co-authors), each told of every change. */
  clients: ModelClient[] = [];
  /** Sheets changed since the file was loaded (export rebuilds these from the model). */
  dirty = new Set<SheetModel>();
  private nextSheet = 1;
  private nextTable = 1;

  /** Tells every client of `events`; `origin` made them (its handlers see Local, the others Remote). */
  emit(events: ModelEvent[], origin: ModelClient | undefined): void {
    if (events.length === 0) return;
    for (const client of [...this.clients]) for (const e of events) client.deliver(e, client === origin);
  }

  sheetNamed(name: string): SheetModel | undefined {
    const key = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === key);
  }

  /**
   * A worksheet id. A sheet read from a file gets {00000000-000N-0000-0000-000000000000} from its
   * sheetId, as Excel gives it on opening a file; a sheet added in the session gets a random GUID,
   * which the next opening of the saved file replaces (office-js-docs #297, office-js #1390).
   */
  newSheetId(sheetId?: number): string {
    if (sheetId === undefined) return randomGuid();
    this.nextSheet = Math.max(this.nextSheet, sheetId + 1);
    return `{00000000-${sheetId.toString(16).toUpperCase().padStart(4, "0")}-0000-0000-000000000000}`;
  }

  checkSheetName(name: string, except?: SheetModel): void {
    if (typeof name !== "string" || name.length === 0 || name.length > 31 || INVALID_SHEET_NAME.test(name) || /^'|'$/.test(name)) {
      throw new StandInError("InvalidArgument", `The argument is invalid or missing or has an incorrect format. ("${name}" is not a valid sheet name)`);
    }
    if (name.toLowerCase() === "history") throw new StandInError("InvalidArgument", `"History" is a reserved sheet name.`);
    const other = this.sheetNamed(name);
    if (other && other !== except) throw new StandInError("ItemAlreadyExists", `A sheet named "${name}" already exists.`);
  }

  /** Adds a sheet; `sheetId` for one read from a file (its id follows the sheetId), none for one added in the session. */
  addSheet(name?: string, sheetId?: number): SheetModel {
    let n = name;
    if (n === undefined) {
      let i = this.sheets.length + 1;
      while (this.sheetNamed(`Sheet${i}`)) i++;
      n = `Sheet${i}`;
    }
    this.checkSheetName(n);
    const sheet = new SheetModel(this.newSheetId(sheetId), n);
    this.sheets.push(sheet);
    this.active ??= sheet;
    return sheet;
  }

  visibleCount(): number {
    return this.sheets.filter((s) => s.visibility === "Visible").length;
  }

  setVisibility(sheet: SheetModel, v: Visibility): void {
    if (!["Visible", "Hidden", "VeryHidden"].includes(v)) throw new StandInError("InvalidArgument", `"${v}" is not a sheet visibility.`);
    if (v !== "Visible" && sheet.visibility === "Visible" && this.visibleCount() === 1) {
      throw new StandInError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
    }
    sheet.visibility = v;
    if (v !== "Visible" && this.active === sheet) this.active = this.sheets.find((s) => s.visibility === "Visible");
  }

  deleteSheet(sheet: SheetModel): void {
    if (sheet.visibility === "Visible" && this.visibleCount() === 1) {
      throw new StandInError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
    }
    // Worksheet.delete: "if the worksheet's visibility is set to VeryHidden, the delete operation
    // will fail with an InvalidOperation exception" (the Excel JavaScript API reference).
    if (sheet.visibility === "VeryHidden") {
      throw new StandInError("InvalidOperation", "A very hidden worksheet cannot be deleted; make it hidden or visible first.");
    }
    for (const t of this.tables) if (t.sheet === sheet) t.deleted = true;
    this.sheets = this.sheets.filter((s) => s !== sheet);
    this.tables = this.tables.filter((t) => t.sheet !== sheet);
    this.conditionalFormats = this.conditionalFormats.filter((f) => f.sheet !== sheet);
    this.charts = this.charts.filter((c) => c.sheet !== sheet);
    sheet.deleted = true;
    if (this.active === sheet) this.active = this.sheets.find((s) => s.visibility === "Visible");
    if (this.selection?.sheet === sheet) this.selection = undefined;
  }

  moveSheet(sheet: SheetModel, position: number): void {
    if (!Number.isInteger(position) || position < 0 || position >= this.sheets.length) {
      throw new StandInError("InvalidArgument", `Position ${position} is out of range.`);
    }
    this.sheets = this.sheets.filter((s) => s !== sheet);
    this.sheets.splice(position, 0, sheet);
  }

  tableNamed(name: string): TableModel | undefined {
    const key = name.toLowerCase();
    return this.tables.find((t) => t.name.toLowerCase() === key);
  }

  checkTableName(name: string, except?: TableModel): void {
    if (!/^[\p{L}_\\][\p{L}\p{N}_.]*$/u.test(name) || /^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$/.test(name) || name.length > 255) {
      throw new StandInError("InvalidArgument", `"${name}" is not a valid table name.`);
    }
    const other = this.tableNamed(name);
    if (other && other !== except) throw new StandInError("ItemAlreadyExists", `A table named "${name}" already exists.`);
  }

  /**
   * Adds a table. `renameHeaders` (a table added in Excel, not read from a file): the header cells
   * are renamed as Excel renames them, so that each name is unique.
   */
  addTable(sheet: SheetModel, block: Block, showHeaders = true, name?: string, renameHeaders = false): TableModel {
    for (const t of this.tables) {
      if (t.sheet === sheet && intersects(t.block, block)) {
        throw new StandInError("InvalidOperation", "A table can't overlap another table.");
      }
    }
    let n = name;
    if (n === undefined) {
      while (this.tableNamed(`Table${this.nextTable}`)) this.nextTable++;
      n = `Table${this.nextTable}`;
    }
    this.checkTableName(n);
    const table = new TableModel(n, sheet, block, showHeaders);
    this.tables.push(table);
    if (renameHeaders && showHeaders) this.renameHeaders(table);
    return table;
  }

  /** Makes a table's header cells unique the way Excel does; `touched` columns (1-based) give way to the others. */
  renameHeaders(table: TableModel, touched?: (col: number) => boolean): void {
    if (!table.showHeaders) return;
    const { top, left, right } = table.block;
    const names: string[] = [];
    for (let c = left; c <= right; c++) {
      const v = table.sheet.get(top, c);
      names.push(v === null || v === undefined || typeof v === "object" ? "" : String(v));
    }
    const unique = uniqueHeaderNames(names, (i) => (touched ? !touched(left + i) : false));
    unique.forEach((n, i) => {
      if (n !== names[i]) table.sheet.set(top, left + i, n);
    });
  }

  deleteTable(table: TableModel): void {
    this.tables = this.tables.filter((t) => t !== table);
    table.deleted = true;
  }
}

/** A GUID such as Excel gives a sheet added in a session: {8-4-4-4-12} upper-case hex. */
export function randomGuid(): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16))
      .join("")
      .toUpperCase();
  return `{${hex(8)}-${hex(4)}-4${hex(3)}-${hex(4)}-${hex(12)}}`;
}

/**
 * A large sheet made in the model rather than read from a file (a sales export of 600,000 rows
 * would take the stand-in minutes to parse): a header row `Column1…`, then `rows` rows of numbers
 * and text; `stray` puts one value at the far end of the sheet (Z1048576 …). Never exported.
 */
export interface ExtraSheet {
  name: string;
  rows: number;
  cols: number;
  stray?: { row: number; col: number; value: string };
}

export function addExtraSheet(model: WorkbookModel, extra: ExtraSheet): SheetModel {
  const sheet = model.addSheet(extra.name);
  sheet.synthetic = true;
  if (extra.rows > 0) {
    sheet.rows[1] = [undefined as unknown as CellValue, ...Array.from({ length: extra.cols }, (_, c) => `Column${c + 1}`)];
    for (let r = 2; r <= extra.rows + 1; r++) {
      const row: CellValue[] = new Array(extra.cols + 1);
      for (let c = 1; c <= extra.cols; c++) row[c] = c === 1 ? `R${r}` : r * c;
      sheet.rows[r] = row;
    }
  }
  if (extra.stray) sheet.set(extra.stray.row, extra.stray.col, extra.stray.value);
  return sheet;
}

/** A table of values to put in a workbook without a file: headers and rows from `top`/`left` (1-based). */
export interface TableValues {
  name: string;
  sheet: string;
  source: "table" | "sheet";
  top: number;
  left: number;
  headers: (string | number | boolean | null | Date)[];
  rows: (string | number | boolean | null | Date)[][];
}

/**
 * A workbook made from tables of values, sheet by sheet, without an .xlsx — for workbooks too large
 * to write and parse in a test (the bench's 50,000 reps). A `table` becomes an Excel table over its
 * header and rows. Dates become serial numbers, as Excel gives them.
 */
export function modelFromTables(tables: TableValues[]): WorkbookModel {
  const model = new WorkbookModel();
  const serial = (d: Date) => d.getTime() / 86_400_000 + 25_569;
  for (const t of tables) {
    const sheet = model.sheetNamed(t.sheet) ?? model.addSheet(t.sheet, model.sheets.length + 1);
    const put = (r: number, row: TableValues["headers"]) =>
      row.forEach((v, j) => {
        if (v !== null && v !== "") sheet.set(r, t.left + j, v instanceof Date ? serial(v) : v);
      });
    put(t.top, t.headers);
    t.rows.forEach((row, i) => put(t.top + 1 + i, row));
    if (t.source === "table") {
      model.addTable(sheet, { top: t.top, left: t.left, bottom: t.top + Math.max(1, t.rows.length), right: t.left + t.headers.length - 1 }, true, t.name);
    }
  }
  return model;
}
