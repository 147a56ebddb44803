/**
 * The stand-in's workbook: sheets of cell values, tables, conditional formats, per-range formats,
 * column widths, frozen panes and the add-in's settings. Plain data, so it runs in the browser and
 * in Node (the host's unit tests) alike. Sheet and table rules follow Excel's: names are unique
 * regardless of case, sheet names are 1–31 characters without : \ / ? * [ ] and not "History",
 * the last visible sheet cannot be hidden or deleted, tables cannot overlap.
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
  private nextSheet = 1;
  private nextTable = 1;

  sheetNamed(name: string): SheetModel | undefined {
    const key = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === key);
  }

  /** Excel's worksheet ids look like {00000000-0001-0000-0000-000000000000} and survive save and reopen (they follow the sheetId). */
  newSheetId(sheetId?: number): string {
    const n = sheetId ?? this.nextSheet;
    this.nextSheet = Math.max(this.nextSheet, n + 1);
    return `{00000000-${n.toString(16).toUpperCase().padStart(4, "0")}-0000-0000-000000000000}`;
  }

  checkSheetName(name: string, except?: SheetModel): void {
    if (typeof name !== "string" || name.length === 0 || name.length > 31 || INVALID_SHEET_NAME.test(name) || /^'|'$/.test(name)) {
      throw new StandInError("InvalidArgument", `The argument is invalid or missing or has an incorrect format. ("${name}" is not a valid sheet name)`);
    }
    if (name.toLowerCase() === "history") throw new StandInError("InvalidArgument", `"History" is a reserved sheet name.`);
    const other = this.sheetNamed(name);
    if (other && other !== except) throw new StandInError("ItemAlreadyExists", `A sheet named "${name}" already exists.`);
  }

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

  addTable(sheet: SheetModel, block: Block, showHeaders = true, name?: string): TableModel {
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
    return table;
  }
}
