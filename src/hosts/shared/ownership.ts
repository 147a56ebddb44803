/**
 * Which sheets the tool owns. The register is a very hidden sheet named "TargetCascade" holding
 * one row per owned sheet: its name and its kind, under a "Sheet" / "Kind" header. A re-run reads
 * it to know which sheets it may replace; every other sheet is the user's and is never touched.
 * The rules here are shared by both hosts: this module reads no files and calls no Office API.
 */
import type { RawCell } from "../host";
import type { OwnedSheetKind, SheetSpec } from "../../report/spec";
import type { Grid, SheetNameState } from "./grid";

export const OWNERSHIP_SHEET = "TargetCascade";

const KINDS: readonly OwnedSheetKind[] = ["plan", "matrix", "weights", "funnel", "drivers", "progress", "ranking", "letters", "incentives", "process", "review", "split", "versions"];

export interface OwnedSheet {
  name: string;
  kind: OwnedSheetKind;
}

/** Excel compares sheet names without regard to case. */
export const sameSheetName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function isKind(v: RawCell): v is OwnedSheetKind {
  return typeof v === "string" && (KINDS as readonly string[]).includes(v);
}

/**
 * A sheet named "TargetCascade" is the register only when hidden: the tool writes it very hidden,
 * and LibreOffice (and other editors) save that as merely hidden. A visible one is the user's.
 */
export function isRegisterEntry(entry: SheetNameState): boolean {
  return sameSheetName(entry.name, OWNERSHIP_SHEET) && (entry.state === "veryHidden" || entry.state === "hidden");
}

/** The owned sheets the register lists (whether or not they still exist). */
export function readRegister(grid: Grid): OwnedSheet[] {
  const owned: OwnedSheet[] = [];
  for (const r of grid.used) {
    const name = grid.rows[r]?.[1] ?? null;
    const kind = grid.rows[r]?.[2] ?? null;
    if (typeof name === "string" && name !== "" && isKind(kind)) owned.push({ name, kind });
  }
  return owned;
}

/** The register's contents as a sheet (written very hidden, as the workbook's last sheet). */
export function registerSpec(owned: OwnedSheet[]): SheetSpec {
  return {
    kind: "plan",
    name: OWNERSHIP_SHEET,
    rows: [["Sheet", "Kind"], ...owned.map((o) => [o.name, o.kind])],
    numberFormats: [],
    conditionalFormats: [],
    styles: [],
  };
}

/** A name an output needs is taken by something the user made. Nothing was written. */
export interface Clash {
  /** The user's sheet with that name, or the sheet holding the user's table. */
  sheet: string;
  /** Set when the clash is an Excel table name (table names are unique in a workbook). */
  table?: string;
}

/** Thrown by writeSheets when an output would replace a sheet or table the tool did not create. */
export class SheetOwnershipError extends Error {
  constructor(public readonly clashes: Clash[]) {
    super(
      clashes
        .map((c) =>
          c.table
            ? `Table "${c.table}" on sheet "${c.sheet}" was not created by Target Cascade; rename it, then run again.`
            : `Sheet "${c.sheet}" was not created by Target Cascade; rename or move it, then run again.`,
        )
        .join("\n"),
    );
    this.name = "SheetOwnershipError";
  }
}

const INVALID_SHEET_CHARS = /[\\/?*[\]:]/;
/** Excel refuses a sheet named History (it keeps the name for its change-tracking sheet). */
const EXCEL_RESERVED_SHEET = "History";
const TABLE_NAME = /^[A-Za-z_\\][A-Za-z0-9_.]*$/;
const CELL_LIKE = /^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$/;

/** Programming errors in the specs themselves: caught before anything is written. */
export function checkSpecs(specs: SheetSpec[]): void {
  const names = new Set<string>();
  const kinds = new Set<string>();
  const tables = new Set<string>();
  for (const spec of specs) {
    if (kinds.has(spec.kind)) throw new Error(`two sheets of kind "${spec.kind}"`);
    kinds.add(spec.kind);
    const { name } = spec;
    if (name.length === 0 || name.length > 31 || INVALID_SHEET_CHARS.test(name) || /^'|'$/.test(name)) {
      throw new Error(`"${name}" is not a valid sheet name`);
    }
    if (sameSheetName(name, OWNERSHIP_SHEET)) throw new Error(`"${name}" is reserved for the ownership register`);
    if (sameSheetName(name, EXCEL_RESERVED_SHEET)) throw new Error(`"${name}" is a sheet name Excel reserves`);
    if (names.has(name.toLowerCase())) throw new Error(`sheet "${name}" is written twice`);
    names.add(name.toLowerCase());
    if (spec.table) {
      const t = spec.table.name;
      if (!TABLE_NAME.test(t) || CELL_LIKE.test(t) || t.length > 255) throw new Error(`"${t}" is not a valid table name`);
      if (tables.has(t.toLowerCase())) throw new Error(`table "${t}" is written twice`);
      tables.add(t.toLowerCase());
    }
  }
}

/**
 * The defined names (from `definedNames`) that an output table would take: Excel keeps table
 * names and defined names in one namespace, compared without regard to case, so such a
 * workbook would have to be repaired when it opens. Nothing is written while any remain.
 */
export function definedNameClashes(specs: readonly SheetSpec[], definedNames: readonly string[]): string[] {
  const tables = new Set(specs.flatMap((s) => (s.table ? [s.table.name.toLowerCase()] : [])));
  return [...new Set(definedNames.filter((n) => tables.has(n.toLowerCase())))];
}
