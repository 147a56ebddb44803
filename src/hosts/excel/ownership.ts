/**
 * Which sheets the tool owns in a workbook open in Excel, and what a write will do to each sheet.
 * Pure: the host loads the workbook's state in one batch and hands it here.
 *
 * Two marks, written on every run:
 * - the very hidden "TargetCascade" register sheet, the source of truth: one row per kind
 *   (register.ts) with the sheet's name, its kind, the range the tool wrote and the shape it wrote
 *   it with. The .xlsx host reads and writes the first two columns, so a file planned in Excel and
 *   re-planned by the CLI agree;
 * - workbook.settings "TargetCascade.owned" = JSON [{id, name, kind}], by worksheet id, so an owned
 *   sheet the user renamed in this session is still found (and renamed back).
 *
 * Worksheet ids are stable only within a session: Excel gives other ids when the file is opened
 * again, or on another platform, and a sheet added later may get an id a deleted one had (office-js
 * #297, #552, #1390; "Work with worksheets": ids may be reassigned on the Mac). So an id never makes
 * a sheet the tool's on its own: the register must agree (see resolveOwned).
 */
import type { OwnedSheetKind, SheetSpec } from "../../report/spec";
import { checkSpecs, OWNERSHIP_SHEET, sameSheetName, SheetOwnershipError, type Clash } from "../shared/ownership";
import { isKind, type RegisterEntry, type RegisterState } from "./register";

export { OWNERSHIP_SHEET, sameSheetName };

/** workbook.settings keys. */
export const OWNED_SETTING = "TargetCascade.owned";
export const SETUP_SETTING = "TargetCascade.setup";

/** The tool's own tables and charts are named with these prefixes (TC_Plan, TC_Ranking, TC_Chart_1). */
const TOOL_TABLE = /^TC_/i;
const TOOL_CHART = /^TC_Chart_\d+$/;

export interface SheetInfo {
  id: string;
  name: string;
  /** "Visible" | "Hidden" | "VeryHidden". */
  visibility: string;
  position: number;
  /** The names of the charts on it, when known. */
  charts?: string[];
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

/** An owned sheet that exists now: its id, its current name, its kind, and what the register recorded of it. */
export interface OwnedRef extends OwnedMark {
  /** The range the tool last wrote on it (`A1:P40`), when the register recorded one. */
  range?: string;
  /** The shape key (diff.ts shapeKey) it was last written with, when recorded. */
  shape?: string;
}

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

/** Whether a sheet carries something only the tool makes: a TC_ table, or a TC_Chart_n chart. */
function carriesToolMark(sheet: SheetInfo, tables: TableInfo[]): boolean {
  if (tables.some((t) => sameSheetName(t.sheet, sheet.name) && TOOL_TABLE.test(t.name))) return true;
  return (sheet.charts ?? []).some((c) => TOOL_CHART.test(c));
}

/**
 * The owned sheets that exist.
 *
 * - The register is the source of truth: a sheet it names (by name) is the tool's, of that kind.
 * - A mark by id adds only an owned sheet the user renamed: the register names the mark's sheet
 *   with the mark's kind, no sheet has that name any more, the sheet with the id is not in the
 *   register under another name, and it carries the tool's table or chart. An id that agrees with
 *   nothing else (a stale id now held by a user's sheet) makes nothing the tool's.
 * - With no register at all (it never got written, or another program dropped it), a mark counts
 *   only when the sheet with that id still has the mark's name.
 *
 * The register sheet itself is never one of them.
 */
export function resolveOwned(sheets: SheetInfo[], marks: OwnedMark[], register: RegisterState | undefined, tables: TableInfo[] = []): OwnedRef[] {
  const out: OwnedRef[] = [];
  const seen = new Set<string>();
  const add = (sheet: SheetInfo | undefined, kind: OwnedSheetKind, entry?: RegisterEntry) => {
    if (!sheet || isRegisterSheet(sheet) || seen.has(sheet.id)) return;
    seen.add(sheet.id);
    out.push({ id: sheet.id, name: sheet.name, kind, ...(entry?.range ? { range: entry.range } : {}), ...(entry?.shape ? { shape: entry.shape } : {}) });
  };
  const named = (name: string) => sheets.find((s) => sameSheetName(s.name, name));
  if (register) {
    for (const entry of register.entries) add(named(entry.name), entry.kind, entry);
    for (const m of marks) {
      const sheet = sheets.find((s) => s.id === m.id);
      if (!sheet || sameSheetName(sheet.name, m.name)) continue; // same name: the register decided
      const entry = register.entries.find((e) => sameSheetName(e.name, m.name) && e.kind === m.kind);
      if (!entry || named(m.name)) continue;
      if (register.entries.some((e) => sameSheetName(e.name, sheet.name))) continue;
      if (!carriesToolMark(sheet, tables)) continue;
      add(sheet, m.kind, entry);
    }
  } else {
    for (const m of marks) {
      const sheet = sheets.find((s) => s.id === m.id);
      if (sheet && sameSheetName(sheet.name, m.name)) add(sheet, m.kind);
    }
  }
  return out;
}

/** One output sheet: the spec, and the owned sheet it replaces in place (cleared, renamed if need be). */
export interface Target {
  spec: SheetSpec;
  reuse?: OwnedRef & SheetInfo;
}

export interface WritePlan {
  targets: Target[];
  /** Owned sheets that hold an output's name but are not reused (their kind went elsewhere): deleted. */
  deletes: SheetInfo[];
  /** Tables on reused sheets that go before the sheet is cleared: the tool's (TC_…), or all of them where the register recorded no range. */
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
    const sheet = sheetOf(pick);
    if (!sheet) return { spec };
    claimed.add(pick.id);
    return { spec, reuse: { ...sheet, ...pick } };
  });

  const isOwned = (s: SheetInfo) => owned.some((o) => o.id === s.id);
  const clashes: Clash[] = [];
  const register = sheets.find((s) => sameSheetName(s.name, OWNERSHIP_SHEET));
  if (register && !isRegisterSheet(register)) clashes.push({ sheet: register.name });
  for (const { spec } of targets) {
    const existing = sheets.find((s) => sameSheetName(s.name, spec.name));
    if (existing && !isOwned(existing)) clashes.push({ sheet: existing.name });
  }
  const reused = new Map(targets.flatMap((t) => (t.reuse ? [[t.reuse.name.toLowerCase(), t.reuse] as const] : [])));
  const reusedIds = new Set(targets.flatMap((t) => (t.reuse ? [t.reuse.id] : [])));
  const deletes = sheets.filter(
    (s) => isOwned(s) && !reusedIds.has(s.id) && specs.some((spec) => sameSheetName(spec.name, s.name)),
  );
  const deletedNames = new Set(deletes.map((s) => s.name.toLowerCase()));
  const tablesToDelete: string[] = [];
  for (const table of tables) {
    if (deletedNames.has(table.sheet.toLowerCase())) continue; // goes with its sheet
    const onSheet = reused.get(table.sheet.toLowerCase());
    if (onSheet) {
      // A co-author's own table beside the tool's output stays, once the register says where the output is.
      if (onSheet.range === undefined || TOOL_TABLE.test(table.name)) tablesToDelete.push(table.name);
      else if (specs.some((s) => s.table && s.table.name.toLowerCase() === table.name.toLowerCase())) clashes.push({ sheet: table.sheet, table: table.name });
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
