/**
 * Which sheets the tool owns. The register is a very hidden sheet named "TargetCascade" holding
 * one row per owned sheet: its name and its kind, under a "Sheet" / "Kind" header. A re-run reads
 * it to know which sheets it may replace; every other sheet is the user's and is never touched.
 */
import type { RawCell } from "../host";
import type { OwnedSheetKind, SheetSpec } from "../../report/spec";
import type { SheetEntry } from "./ooxml/package";
import type { Grid } from "./ooxml/read";

export const OWNERSHIP_SHEET = "TargetCascade";

const KINDS: readonly OwnedSheetKind[] = ["plan", "matrix", "weights", "funnel", "drivers", "progress", "ranking"];

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
export function isRegisterEntry(entry: SheetEntry): boolean {
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
