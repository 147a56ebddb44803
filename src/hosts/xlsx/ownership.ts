/**
 * Which sheets the tool owns. The register is a very hidden sheet named "TargetCascade" holding
 * one row per owned sheet: its name and its kind, under a "Sheet" / "Kind" header. A re-run reads
 * it to know which sheets it may replace; every other sheet is the user's and is never touched.
 */
import type ExcelJS from "exceljs";
import type { OwnedSheetKind } from "../../report/spec";

export const OWNERSHIP_SHEET = "TargetCascade";

const KINDS: readonly OwnedSheetKind[] = ["plan", "matrix", "weights", "funnel", "progress", "ranking"];

export interface OwnedSheet {
  name: string;
  kind: OwnedSheetKind;
}

/** Excel compares sheet names without regard to case. */
export const sameSheetName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function findSheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((ws) => sameSheetName(ws.name, name));
}

function isKind(v: unknown): v is OwnedSheetKind {
  return typeof v === "string" && (KINDS as readonly string[]).includes(v);
}

/**
 * The register, or undefined when there is none. A visible sheet called "TargetCascade" was not
 * made by the tool: `isRegister` tells the two apart. The tool writes the register very hidden;
 * LibreOffice (and other editors) save that as merely hidden, which still counts.
 */
export function registerSheet(wb: ExcelJS.Workbook): ExcelJS.Worksheet | undefined {
  return findSheet(wb, OWNERSHIP_SHEET);
}

export function isRegister(ws: ExcelJS.Worksheet): boolean {
  return sameSheetName(ws.name, OWNERSHIP_SHEET) && (ws.state === "veryHidden" || ws.state === "hidden");
}

/** The owned sheets the register lists (whether or not they still exist). */
export function readOwnership(wb: ExcelJS.Workbook): OwnedSheet[] {
  const ws = registerSheet(wb);
  if (!ws || !isRegister(ws)) return [];
  const owned: OwnedSheet[] = [];
  ws.eachRow((row) => {
    const name = row.getCell(1).value;
    const kind = row.getCell(2).value;
    if (typeof name === "string" && name !== "" && isKind(kind)) owned.push({ name, kind });
  });
  return owned;
}

/** Replace the register with `owned`, as the workbook's last sheet, very hidden. */
export function writeOwnership(wb: ExcelJS.Workbook, owned: OwnedSheet[]): void {
  const old = registerSheet(wb);
  if (old) wb.removeWorksheet(old.id);
  const ws = wb.addWorksheet(OWNERSHIP_SHEET, { state: "veryHidden" });
  ws.getRow(1).values = ["Sheet", "Kind"];
  owned.forEach((o, i) => {
    ws.getRow(i + 2).values = [o.name, o.kind];
  });
}
