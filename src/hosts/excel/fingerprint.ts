/**
 * The change check before a write, without reading the inputs again: a fingerprint of what a read
 * saw, checked in the write's first request, beside the structure the write needs anyway.
 *
 * What it holds of each input read in full (a sheet or table named as an input, or picked):
 * - where it is: the used range's address (a sheet) or the table's range, so a row added or
 *   deleted, or a column, shows;
 * - which inputs there are: a sheet or table named like an input that appeared, went, or was
 *   renamed shows; and the tables on an input sheet, with their ranges;
 * - cell for cell, every input of at most FINGERPRINT_CELLS cells: Targets, Settings, Weights,
 *   Stages — what sets the plan's totals, levels and shares — are compared whole;
 * - of a larger one (History, Actuals), its header row, its first and its last row.
 *
 * What it does not see: a cell edited in the middle of a large input that keeps its size (a History
 * amount changed in row 5,000). Reading History again to see that costs its whole size; the preview
 * shows what was read, and Check reads everything again.
 *
 * Pure, except `queueFingerprint`, which only queues loads.
 */
import type { RawCell } from "../host";
import type { ReadFingerprint } from "../addin";
import type { Grid } from "../shared/grid";
import { normalizeName } from "../../contract/headers";
import { blockAddress, parseAddress, type CellBlock } from "./address";
import type { WorkbookState } from "./state";

/** Inputs of at most this many cells are compared cell for cell. */
export const FINGERPRINT_CELLS = 2_000;

const cellsOf = (b: CellBlock) => (b.bottom - b.top + 1) * (b.right - b.left + 1);

/** A cell as Excel gives it, in the form a read keeps it (empty text is empty). */
function cellOf(v: unknown): RawCell {
  if (v === "" || v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  return String(v);
}

function gridBlock(grid: Grid, b: CellBlock): RawCell[][] {
  const out: RawCell[][] = [];
  for (let r = b.top; r <= b.bottom; r++) {
    const row: RawCell[] = [];
    for (let c = b.left; c <= b.right; c++) row.push(grid.rows[r]?.[c] ?? null);
    out.push(row);
  }
  return out;
}

/** The blocks compared cell for cell: all of a small input; the header, first and last rows of a large one. */
function checkBlocks(area: CellBlock): CellBlock[] {
  if (cellsOf(area) <= FINGERPRINT_CELLS) return [area];
  const rows = [...new Set([area.top, Math.min(area.top + 1, area.bottom), area.bottom])];
  return rows.map((r) => ({ ...area, top: r, bottom: r }));
}

export interface FingerprintInput {
  key: string;
  source: "sheet" | "table";
  name: string;
  sheet: string;
  /** Its block, without the sheet (empty for a blank sheet). */
  address: string;
  grid: Grid;
  /** Of a sheet input: its tables and their blocks. */
  tables?: { name: string; address: string }[];
}

/** The fingerprint of what a read saw; without values read, only the inputs and their extents. */
export function fingerprintOf(inputs: FingerprintInput[], names: string[], withValues: boolean): ReadFingerprint {
  return {
    names: [...names].sort(),
    inputs: inputs.map((i) => {
      const area = i.address === "" ? undefined : parseAddress(i.address);
      const checks = withValues && area ? checkBlocks(area).map((b) => ({ address: blockAddress(b), cells: gridBlock(i.grid, b) })) : [];
      return { key: i.key, source: i.source, name: i.name, sheet: i.sheet, address: i.address, checks, ...(i.tables ? { tables: i.tables } : {}) };
    }),
  };
}

export interface FingerprintProbe {
  extents: Excel.Range[];
  checks: Excel.Range[][];
  tables: Excel.Range[][];
}

/** Queues the loads that check a fingerprint (no sync): each input's extent and the cells it compares. */
export function queueFingerprint(context: Excel.RequestContext, fp: ReadFingerprint): FingerprintProbe {
  const workbook = context.workbook;
  const extents: Excel.Range[] = [];
  const checks: Excel.Range[][] = [];
  const tables: Excel.Range[][] = [];
  for (const input of fp.inputs) {
    tables.push((input.tables ?? []).map((t) => workbook.tables.getItemOrNullObject(t.name).getRange().load("address")));
    const sheet = workbook.worksheets.getItemOrNullObject(input.sheet);
    extents.push(
      input.source === "sheet"
        ? sheet.getUsedRangeOrNullObject(true).load("address")
        : workbook.tables.getItemOrNullObject(input.name).getRange().load("address"),
    );
    checks.push(input.checks.map((c) => sheet.getRange(c.address).load("values")));
  }
  return { extents, checks, tables };
}

const lower = (s: string) => s.toLowerCase();

/** The inputs a read would read in full now, as fingerprint keys, from the structure alone. */
export function inputKeys(state: WorkbookState, names: Set<string>): string[] {
  const keys: string[] = [];
  for (const sheet of state.inputs) {
    if (names.has(normalizeName(sheet.name))) {
      keys.push(`s:${lower(sheet.name)}`);
      continue;
    }
    for (const t of state.tables) {
      if (lower(t.sheet) === lower(sheet.name) && names.has(normalizeName(t.name))) keys.push(`t:${lower(t.name)}`);
    }
  }
  return keys.sort();
}

/** Why a fingerprint no longer holds (for the pane's notice and the tests), or undefined when it holds. */
export function fingerprintChange(fp: ReadFingerprint, probe: FingerprintProbe, state: WorkbookState): string | undefined {
  const now = inputKeys(state, new Set(fp.names));
  const then = fp.inputs.map((i) => i.key).sort();
  if (now.join("\n") !== then.join("\n")) return "inputs";
  for (let i = 0; i < fp.inputs.length; i++) {
    const input = fp.inputs[i];
    const extent = probe.extents[i];
    const at = extent.isNullObject ? undefined : parseAddress(extent.address);
    const address = at ? blockAddress(at) : "";
    if (address !== input.address) return `${input.name}: ${input.address || "blank"} → ${address || "blank"}`;
    if (input.source === "table" && at?.sheet !== undefined && lower(at.sheet) !== lower(input.sheet)) return `${input.name}: moved`;
    if (input.source === "sheet") {
      const had = (input.tables ?? []).map((t) => lower(t.name)).sort();
      const has = state.tables.filter((t) => lower(t.sheet) === lower(input.sheet)).map((t) => lower(t.name)).sort();
      if (had.join("\n") !== has.join("\n")) return `${input.name}: its tables`;
      const moved = (input.tables ?? []).find((t, k) => {
        const range = probe.tables[i][k];
        const now = range.isNullObject ? undefined : parseAddress(range.address);
        return !now || blockAddress(now) !== t.address;
      });
      if (moved) return `${input.name}: table ${moved.name}`;
    }
    for (let k = 0; k < input.checks.length; k++) {
      const want = input.checks[k].cells;
      const range = probe.checks[i][k];
      const got = range.isNullObject ? null : (range.values as unknown[][] | null);
      if (!Array.isArray(got)) return `${input.name}: ${input.checks[k].address}`;
      for (let r = 0; r < want.length; r++) {
        for (let c = 0; c < want[r].length; c++) {
          if (cellOf(got[r]?.[c]) !== want[r][c]) return `${input.name}: ${input.checks[k].address}`;
        }
      }
    }
  }
  return undefined;
}
