/**
 * The register sheet as the Excel host reads and writes it. Pure.
 *
 * One row per kind, always the same row (plan on row 2, matrix on row 3, … ranking on row 8), under
 * the header `Sheet | Kind | Range | Shape`:
 *
 *   Sheet         Kind      Range     Shape
 *   Plan          plan      A1:H289   5f3a09c1
 *   Plan Matrix   matrix    A1:P27    0b77e2d4
 *
 * - A write touches only the rows of the kinds it writes (and clears rows whose sheet is gone).
 *   Co-authors writing different sheets at the same time — one plans, one refreshes progress —
 *   therefore write different cells, and Excel's co-authoring keeps both; rewriting the whole
 *   register from a snapshot would let the last writer drop the other's rows.
 * - `Range` is what the tool wrote on the sheet: a later run clears only that, so a co-author's
 *   note beside the output is kept. `Shape` is the key of the layout and formats it was written
 *   with (diff.ts shapeKey): a pane that did not write the sheet in this session can still write
 *   only the changed cells.
 *
 * The .xlsx host reads columns A and B (src/hosts/shared/ownership.ts readRegister) and rewrites
 * the register with those two; a register not in this layout is rewritten in it by the next write
 * in Excel. Its owned sheets then have no recorded range, and are cleared whole once, as before.
 */
import type { RawCell } from "../host";
import type { OwnedSheetKind } from "../../report/spec";
import { parseAddress } from "./address";

/** Every kind in register order, checked against OwnedSheetKind by the compiler. */
const KIND_ROWS: Record<OwnedSheetKind, number> = { plan: 2, matrix: 3, weights: 4, funnel: 5, drivers: 6, progress: 7, ranking: 8, letters: 9, incentives: 10, process: 11, review: 12, split: 13, versions: 14 };

export const REGISTER_HEADER = ["Sheet", "Kind", "Range", "Shape"] as const;

/** The register row of a kind. */
export const registerRow = (kind: OwnedSheetKind): number => KIND_ROWS[kind];

/** The first row after the kinds' rows (for a second sheet of one kind, which only odd files have). */
export const EXTRA_ROWS_FROM = 20;

export const isKind = (v: unknown): v is OwnedSheetKind => typeof v === "string" && Object.prototype.hasOwnProperty.call(KIND_ROWS, v);

export interface RegisterEntry {
  name: string;
  kind: OwnedSheetKind;
  /** 1-based row on the register sheet. */
  row: number;
  range?: string;
  shape?: string;
}

export interface RegisterState {
  entries: RegisterEntry[];
  /** Whether the sheet is in the layout above, so that a write may touch only its own rows. */
  fixed: boolean;
}

const text = (v: unknown): string => (typeof v === "string" ? v.trim() : v === null || v === undefined ? "" : String(v));

/** The register's used range (its values and where it starts) → its entries and whether it is in the per-kind layout. */
export function readRegister(values: RawCell[][] | undefined, top = 1, left = 1): RegisterState {
  const entries: RegisterEntry[] = [];
  let header = false;
  const kinds = new Set<OwnedSheetKind>();
  let fixed = left === 1;
  (values ?? []).forEach((row, i) => {
    const r = top + i;
    const cell = (col: number) => (col - left >= 0 ? row[col - left] : undefined);
    const name = text(cell(1));
    const kind = text(cell(2));
    if (r === 1 && name === REGISTER_HEADER[0] && kind === REGISTER_HEADER[1]) {
      header = true;
      return;
    }
    if (name === "" || !isKind(kind)) return;
    const range = text(cell(3));
    const shape = text(cell(4));
    entries.push({ name, kind, row: r, ...(range && parseAddress(range) ? { range } : {}), ...(shape ? { shape } : {}) });
    if (kinds.has(kind) || registerRow(kind) !== r) fixed = false;
    kinds.add(kind);
  });
  return { entries, fixed: fixed && header };
}

/** One register row: name, kind, range, shape; an empty row clears a kind whose sheet is gone. */
export type RegisterRow = [string, string, string, string];

export const emptyRegisterRow = (): RegisterRow => ["", "", "", ""];
