/**
 * What the task pane needs from the workbook it runs in, beyond reading inputs and writing sheets.
 * hosts/excel implements it over Office.js; the browser tests drive it through a stand-in Excel.
 */
import type { InputKind } from "../contract/types";
import type { Grain, Method } from "../engine/types";
import type { SheetSpec } from "../report/spec";
import type { WorkbookHost, WriteSummary } from "./host";

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

export interface WriteProgress {
  /** Sheets written so far, of `total`. */
  done: number;
  total: number;
  /** The sheet being written. */
  sheet?: string;
}

export interface AddinHost extends WorkbookHost {
  /** Every table and non-empty sheet with its row count: one cheap round trip for the Inputs step. */
  listTables(): Promise<DetectedTable[]>;
  /** Selects a cell (`Sheet!A1`, quoted sheet names allowed) and shows its sheet: the *Go to cell* action. */
  selectCell(ref: string): Promise<void>;
  /** Shows a sheet: the links of the Write summary. */
  activateSheet(name: string): Promise<void>;
  loadSetup(): Promise<PaneSetup | undefined>;
  saveSetup(setup: PaneSetup): Promise<void>;
  writeSheets(specs: SheetSpec[], onProgress?: (p: WriteProgress) => void): Promise<WriteSummary>;
}
