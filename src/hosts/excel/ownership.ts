/**
 * Which sheets the tool owns in a workbook open in Excel, and what a write will do to each sheet.
 * Pure: the host loads the workbook's state in one batch and hands it here.
 *
 * Two marks, written on every run:
 * - the very hidden "TargetCascade" register sheet (name and kind per owned sheet), the mark the
 *   .xlsx host reads and writes, so a file planned in Excel and re-planned by the CLI agree;
 * - workbook.settings "TargetCascade.owned" = JSON [{id, name, kind}], by worksheet id, so an owned
 *   sheet the user renamed is still found (and renamed back) by the next run in Excel.
 */
import type { OwnedSheetKind, SheetSpec } from "../../report/spec";
import type { RawCell } from "../host";
import { checkSpecs, OWNERSHIP_SHEET, readRegister, sameSheetName, SheetOwnershipError, type Clash, type OwnedSheet } from "../shared/ownership";

export { OWNERSHIP_SHEET, sameSheetName };

/** workbook.settings keys. */
export const OWNED_SETTING = "TargetCascade.owned";
export const SETUP_SETTING = "TargetCascade.setup";

/** Every kind, checked against OwnedSheetKind by the compiler (a kind added there must be added here). */
const KINDS: Record<OwnedSheetKind, true> = { plan: true, matrix: true, weights: true, funnel: true, drivers: true, progress: true, ranking: true };

export interface SheetInfo {
  id: string;
  name: string;
  /** "Visible" | "Hidden" | "VeryHidden". */
  visibility: string;
  position: number;
}

export interface TableInfo {
  name: string;
  /** The name of the sheet it is on. */
  sheet: string;
}

export interface OwnedMark {
  id: string;
  name: string;
  kind: OwnedSheetKind;
}

/** An owned sheet that exists now: its id, its current name, its kind. */
export type OwnedRef = OwnedMark;

const isKind = (v: unknown): v is OwnedSheetKind => typeof v === "string" && Object.prototype.hasOwnProperty.call(KINDS, v);

/** The setting's value (a JSON string, or the array itself) → the marks it holds; anything else → none. */
export function parseMarks(value: unknown): OwnedMark[] {
  let data = value;
  if (typeof value === "string") {
    try {
      data = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(data)) return [];
  return data.flatMap((m): OwnedMark[] =>
    m && typeof m === "object" && typeof m.id === "string" && typeof m.name === "string" && isKind(m.kind)
      ? [{ id: m.id, name: m.name, kind: m.kind }]
      : [],
  );
}

/**
 * A sheet named "TargetCascade" is the register only when hidden (the tool writes it very hidden;
 * LibreOffice saves that as hidden). A visible one is the user's.
 */
export function isRegisterSheet(sheet: SheetInfo): boolean {
  return sameSheetName(sheet.name, OWNERSHIP_SHEET) && sheet.visibility !== "Visible";
}

/** The register's used range (its values and where it starts) → the owned sheets it lists. */
export function registerEntries(values: RawCell[][] | undefined, top = 1, left = 1): OwnedSheet[] {
  if (!values || values.length === 0) return [];
  const rows: RawCell[][] = [];
  const used: number[] = [];
  values.forEach((row, i) => {
    const out: RawCell[] = [];
    row.forEach((v, j) => {
      if (v !== "" && v !== null && v !== undefined) out[left + j] = v;
    });
    rows[top + i] = out;
    used.push(top + i);
  });
  return readRegister({ rows, used });
}

/**
 * The owned sheets that exist: those the settings mark by id (whatever they are called now), then
 * those the register lists by name. The register sheet itself is never one of them.
 */
export function resolveOwned(sheets: SheetInfo[], marks: OwnedMark[], register: OwnedSheet[]): OwnedRef[] {
  const out: OwnedRef[] = [];
  const seen = new Set<string>();
  const add = (sheet: SheetInfo | undefined, kind: OwnedSheetKind) => {
    if (!sheet || isRegisterSheet(sheet) || seen.has(sheet.id)) return;
    seen.add(sheet.id);
    out.push({ id: sheet.id, name: sheet.name, kind });
  };
  for (const m of marks) add(sheets.find((s) => s.id === m.id), m.kind);
  for (const r of register) add(sheets.find((s) => sameSheetName(s.name, r.name)), r.kind);
  return out;
}

/** One output sheet: the spec, and the owned sheet it replaces in place (cleared, renamed if need be). */
export interface Target {
  spec: SheetSpec;
  reuse?: SheetInfo;
}

export interface WritePlan {
  targets: Target[];
  /** Owned sheets that hold an output's name but are not reused (their kind went elsewhere): deleted. */
  deletes: SheetInfo[];
  /** Tables on reused sheets: deleted before the sheet is cleared. */
  tablesToDelete: string[];
  /** The existing register sheet, rewritten in place; undefined → add one. */
  register?: SheetInfo;
  /** Owned sheets this run leaves alone (e.g. a Progress sheet during a plan run): still owned. */
  kept: OwnedRef[];
}

/**
 * What a write does, or the SheetOwnershipError that refuses it before anything is sent. Each
 * spec replaces the owned sheet of its kind (preferring one already called by the spec's name, so
 * a file planned in the other language is replaced too), else the owned sheet of its name.
 */
export function planWrite(specs: SheetSpec[], sheets: SheetInfo[], tables: TableInfo[], owned: OwnedRef[]): WritePlan {
  checkSpecs(specs);
  const sheetOf = (o: OwnedRef) => sheets.find((s) => s.id === o.id);
  const claimed = new Set<string>();
  const targets: Target[] = specs.map((spec) => {
    const free = owned.filter((o) => !claimed.has(o.id));
    const sameKind = free.filter((o) => o.kind === spec.kind);
    const pick =
      sameKind.find((o) => sameSheetName(o.name, spec.name)) ??
      sameKind[0] ??
      free.find((o) => sameSheetName(o.name, spec.name) && !specs.some((s) => s.kind === o.kind));
    if (!pick) return { spec };
    claimed.add(pick.id);
    return { spec, reuse: sheetOf(pick) };
  });

  const isOwned = (s: SheetInfo) => owned.some((o) => o.id === s.id);
  const clashes: Clash[] = [];
  const register = sheets.find((s) => sameSheetName(s.name, OWNERSHIP_SHEET));
  if (register && !isRegisterSheet(register)) clashes.push({ sheet: register.name });
  for (const { spec } of targets) {
    const existing = sheets.find((s) => sameSheetName(s.name, spec.name));
    if (existing && !isOwned(existing)) clashes.push({ sheet: existing.name });
  }
  const reused = new Set(targets.flatMap((t) => (t.reuse ? [t.reuse.name.toLowerCase()] : [])));
  const tablesToDelete: string[] = [];
  for (const table of tables) {
    const onSheet = table.sheet.toLowerCase();
    if (reused.has(onSheet)) {
      tablesToDelete.push(table.name);
      continue;
    }
    if (register && sameSheetName(table.sheet, register.name) && isRegisterSheet(register)) continue;
    const spec = specs.find((s) => s.table && s.table.name.toLowerCase() === table.name.toLowerCase());
    if (!spec) continue;
    const sheet = sheets.find((s) => sameSheetName(s.name, table.sheet));
    if (sheet && isOwned(sheet)) throw new Error(`table "${table.name}" is already used by the tool's sheet "${sheet.name}"`);
    clashes.push({ sheet: table.sheet, table: table.name });
  }
  if (clashes.length > 0) throw new SheetOwnershipError(clashes);

  const reusedIds = new Set(targets.flatMap((t) => (t.reuse ? [t.reuse.id] : [])));
  const deletes = sheets.filter(
    (s) => isOwned(s) && !reusedIds.has(s.id) && specs.some((spec) => sameSheetName(spec.name, s.name)),
  );
  const deleted = new Set(deletes.map((s) => s.id));
  const kept = owned.filter((o) => !reusedIds.has(o.id) && !deleted.has(o.id));
  return {
    targets,
    deletes,
    tablesToDelete,
    register: register && isRegisterSheet(register) ? register : undefined,
    kept,
  };
}

/** Names no sheet has, for the two-step renames of a run that swaps names (`分解明细` ↔ `Plan`). */
export function temporaryNames(count: number, taken: string[]): string[] {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  const out: string[] = [];
  for (let i = 1; out.length < count; i++) {
    const name = `TC~renaming~${i}`;
    if (!used.has(name.toLowerCase())) out.push(name);
  }
  return out;
}
