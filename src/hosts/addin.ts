/**
 * What the task pane needs from the workbook it runs in, beyond reading inputs and writing sheets.
 * hosts/excel implements it over Office.js; the browser tests drive it through a stand-in Excel.
 */
import type { InputKind } from "../contract/types";
import type { Grain, Method } from "../engine/types";
import type { SheetSpec } from "../report/spec";
import type { RawCell, RawTable, WorkbookHost, WriteSummary } from "./host";

/** A table or sheet the Inputs step lists. */
export interface DetectedTable {
  /** Table name, or sheet name for a sheet-based candidate. */
  name: string;
  sheet: string;
  source: "table" | "sheet";
  /** Data rows (without the header row). */
  rows: number;
  /** The range it covers, e.g. `History!A1:K13825`. */
  address: string;
}

/** Plan settings chosen in the pane; each one given here wins over the Settings table. */
export interface PlanOverrides {
  /** Level names (as in History's headers, canonical or alias) in cascade order. */
  levels?: string[];
  grain?: Grain;
  /** One method for every level. */
  method?: Method;
  /** A method per level (canonical level name → method); wins over `method`. */
  methods?: Record<string, Method>;
  unit?: number;
  floorRatio?: number;
  stretchRatio?: number;
}

/** What the pane remembers in the workbook, so a co-author who opens the file sees the same setup. */
export interface PaneSetup {
  /** The table or sheet the user picked for an input (by name), instead of finding it by name. */
  choices: Partial<Record<InputKind, string>>;
  plan: PlanOverrides;
}

/** How far a write is: requests ("parts") sent, of the `total` it takes (one unless it is past the request limit). */
export interface WriteProgress {
  done: number;
  total: number;
}

/**
 * What a read saw of the inputs, cheap to check again: which inputs there were, where each one
 * was, and some of their cells (hosts/excel/fingerprint.ts). Plain JSON.
 */
export interface ReadFingerprint {
  /** The normalized names read in full: the inputs' names and aliases, and the picks. */
  names: string[];
  inputs: {
    /** `s:` + the sheet's name, or `t:` + the table's, lower case. */
    key: string;
    source: "sheet" | "table";
    name: string;
    sheet: string;
    /** The used range (a sheet) or the table's range, without the sheet; empty for a blank sheet. */
    address: string;
    /** Blocks compared cell for cell, as read. */
    checks: { address: string; cells: RawCell[][] }[];
    /** Of a sheet input: the tables on it (a table added, deleted or resized there changes what the sheet gives). */
    tables?: { name: string; address: string }[];
  }[];
}

/** One read of the workbook: the tables, the Inputs step's listing, and the fingerprint for the write's change check. */
export interface WorkbookRead {
  tables: RawTable[];
  detected: DetectedTable[];
  fingerprint: ReadFingerprint;
  report: ReadReport;
}

export interface WriteSheetsOptions {
  /**
   * The fingerprint of the read the specs were computed from: checked in the write's first request,
   * and nothing is written when the inputs changed (WorkbookChangedError).
   */
  since?: ReadFingerprint;
  onProgress?: (p: WriteProgress) => void;
}

/** What a write of only the changed cells did (the live refresh of the Track step). */
export interface ChangesSummary extends WriteSummary {
  /** Cells written: only those whose formulas or values changed. */
  changedCells: number;
  /** Ranges they were written as (adjacent changed cells grouped). */
  changedRanges: number;
  /** The sheets had to be written in full (new, renamed, reshaped, or never written in this session). */
  full: boolean;
}

/** The input whose changes the live refresh watches: a table, or a sheet-based input. */
export interface WatchedInput {
  name: string;
  sheet: string;
  source: "table" | "sheet";
}

/**
 * What the live refresh hears about its input.
 * - `changed`: its cells changed; `source` "Local" when this Excel instance (its user, or an add-in
 *   in it) made the change, "Remote" when a co-author did (Excel runs every co-author's handlers).
 * - `lost`: the table (or the sheet) was deleted or replaced; its handler will never fire again.
 * - `added`: a table was added somewhere (the pane may look for its input again).
 */
export type WatchEvent =
  | { type: "changed"; source: "Local" | "Remote" }
  | { type: "lost"; source: "Local" | "Remote" }
  | { type: "added"; name: string; source: "Local" | "Remote" };

/** What readTables may read in full besides the inputs found by name: the names the user picked. */
export interface ReadPicks {
  choices?: Partial<Record<InputKind, string>>;
}

/** How the last readTables went: the inputs too large for one read (read in row blocks), and its requests. */
export interface ReadReport {
  large: { name: string; sheet: string; cells: number }[];
  requests: number;
}

/** A cell of an owned sheet that no longer holds what the tool writes there: typed over since it was written. */
export interface EditedCell {
  /** 1-based row and column on the sheet, and its local address (`D5`). */
  row: number;
  col: number;
  address: string;
  /** What the cell holds now: its formula (Range.formulas), and its value (Range.values). */
  formula: unknown;
  value: unknown;
}

/**
 * What readEdits found on the sheet of a spec: the cells typed over (`read`), with whether the sheet
 * was written with the spec's layout (`sameShape`, the register's shape key); or no such sheet, or a
 * sheet of that name the tool did not write.
 */
export type SheetEdits =
  | { status: "read"; sheet: string; cells: EditedCell[]; sameShape: boolean }
  | { status: "missing"; sheet: string }
  | { status: "notOwned"; sheet: string };

/**
 * Rows to keep in the Holds / 锁定值 table (Rebalance): amounts written over cells of rows it has,
 * and rows added at its end; or, when the workbook has no Holds table, a new sheet with a table.
 * Every string cell is written as text.
 */
export interface HoldsWrite {
  /** The Holds input as read (a table, or a sheet whose first row holds the headers). */
  target?: { name: string; sheet: string; source: "table" | "sheet" };
  /** The sheet and table to create, with the header row, when there is no target. */
  create?: { sheet: string; table: string; headers: string[] };
  /** Cells (`Sheet!E3`) of rows already there whose Amount changes. */
  updates: { ref: string; amount: number }[];
  /** Rows to add, in the table's column order. */
  rows: (string | number | null)[][];
}

export interface HoldsWritten {
  sheet: string;
  table?: string;
  added: number;
  updated: number;
  created: boolean;
}

export interface AddinHost extends WorkbookHost {
  /**
   * The inputs, read in full when their name is an input's name or alias or a name in `picks`;
   * every other table and sheet with its header row only (rows empty).
   */
  readTables(picks?: ReadPicks): Promise<RawTable[]>;
  /** readTables, the listing and the fingerprint of the inputs, from one read (one request once the workbook was read or listed before). */
  readWorkbook(picks?: ReadPicks): Promise<WorkbookRead>;
  /** How the last readTables went (undefined before the first). */
  readonly lastRead?: ReadReport;
  /** Every table and non-empty sheet with its row count: one cheap round trip for the Inputs step. */
  listTables(): Promise<DetectedTable[]>;
  /** Selects a cell (`Sheet!A1`, quoted sheet names allowed) and shows its sheet: the *Go to cell* action. */
  selectCell(ref: string): Promise<void>;
  /** Shows a sheet: the links of the Write summary. */
  activateSheet(name: string): Promise<void>;
  loadSetup(): Promise<PaneSetup | undefined>;
  /**
   * Saves the setup. With `merge`, the stored setup is read again first and `merge(stored)` is what
   * is saved (a co-author may have saved theirs since this pane loaded it); resolves to what was saved.
   */
  saveSetup(setup: PaneSetup, merge?: (stored: PaneSetup | undefined) => PaneSetup): Promise<PaneSetup | void>;
  /** Calls `onChange` when the stored setup may have changed (a co-author saved theirs); resolves to the function that stops. */
  watchSetup?(onChange: () => void): Promise<() => Promise<void>>;
  /**
   * writeSheets, with the change check of `since` in the same request as the structure the write
   * needs: two requests in all (one more per ~5 MB past the limit). A failed write request is
   * followed by one more that removes what was written (WriteFailedError says what happened).
   */
  writeSheets(specs: SheetSpec[], options?: WriteSheetsOptions): Promise<WriteSummary>;
  /**
   * Writes the specs as a diff against what their sheets hold: only changed cells, in small
   * ranges. Falls back to a full write when a sheet is new, renamed, or its formats changed.
   */
  writeChanges?(specs: SheetSpec[]): Promise<ChangesSummary>;
  /**
   * Rebalance: the cells of the spec's sheet (an owned sheet) that differ from what the spec writes
   * there, read in one request with the workbook's structure. Only within the spec's rows and columns.
   */
  readEdits?(spec: SheetSpec): Promise<SheetEdits>;
  /** Rebalance: keeps holds in the Holds / 锁定值 table (one request; the table is made when there is none). */
  writeHolds?(write: HoldsWrite): Promise<HoldsWritten>;
  /** Whether the workbook can report changes to an input (ExcelApi 1.7 table and worksheet events). */
  canWatch?(): boolean;
  /** Tells `listener` of changes to the input (WatchEvent); resolves to the function that stops watching. */
  watchInput?(input: WatchedInput, listener: (event: WatchEvent) => void): Promise<() => Promise<void>>;
}
