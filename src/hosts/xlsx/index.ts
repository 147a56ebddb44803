/**
 * The WorkbookHost over ExcelJS, for the command line and for tests: reads candidate inputs from
 * an .xlsx and writes the sheets the tool owns back into it.
 *
 * Safety rules (CONTRACT.md §5, UX.md "Never lose the user's work"):
 * - Only sheets listed in the very hidden "TargetCascade" register are replaced; a user's sheet
 *   (or table) whose name an output needs is refused before anything is written.
 * - Text is always written as text; formulas come only from explicit FormulaCells.
 */
import { renameSync, rmSync } from "node:fs";
import ExcelJS from "exceljs";
import type { RawTable, WorkbookHost, WriteSummary } from "../host";
import type { SheetSpec } from "../../report/spec";
import { readWorkbookTables } from "./read-tables";
import {
  findSheet,
  isRegister,
  OWNERSHIP_SHEET,
  readOwnership,
  registerSheet,
  sameSheetName,
  writeOwnership,
  type OwnedSheet,
} from "./ownership";
import { repairLoadedTables, tablesOf } from "./tables";
import { writeSheet } from "./write-sheet";

export { OWNERSHIP_SHEET, readOwnership, type OwnedSheet } from "./ownership";
export { toRawCell, toExcelValue } from "./cell-values";

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
const TABLE_NAME = /^[A-Za-z_\\][A-Za-z0-9_.]*$/;
const CELL_LIKE = /^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$/;

/** Programming errors in the specs themselves: caught before anything is written. */
function checkSpecs(specs: SheetSpec[]): void {
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
 * Deflate level 1: on a 265,000-row plan the save takes about 30% less time than at the default
 * level 6, for a file about 20% larger.
 */
const FAST_DEFLATE = { zip: { compression: "DEFLATE", compressionOptions: { level: 1 } } } as Partial<ExcelJS.XlsxWriteOptions>;

/** ExcelJS orders the tabs by this (untyped) worksheet property. */
type Ordered = ExcelJS.Worksheet & { orderNo: number };

export class XlsxHost implements WorkbookHost {
  constructor(readonly workbook: ExcelJS.Workbook) {
    repairLoadedTables(workbook);
  }

  static async open(path: string): Promise<XlsxHost> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    return new XlsxHost(wb);
  }

  /** Write the workbook to `path`, through a temporary file so a failed save leaves no half file. */
  async save(path: string): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      await this.workbook.xlsx.writeFile(tmp, FAST_DEFLATE);
      renameSync(tmp, path);
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /** The sheets the tool owns that exist in the workbook. */
  ownedSheets(): OwnedSheet[] {
    return readOwnership(this.workbook).filter((o) => findSheet(this.workbook, o.name) !== undefined);
  }

  async readTables(): Promise<RawTable[]> {
    const owned = this.ownedSheets();
    const skip = (name: string) =>
      owned.some((o) => sameSheetName(o.name, name)) || (sameSheetName(name, OWNERSHIP_SHEET) && this.hasRegister());
    return readWorkbookTables(this.workbook, skip);
  }

  async writeSheets(specs: SheetSpec[]): Promise<WriteSummary> {
    checkSpecs(specs);
    const wb = this.workbook;
    const owned = this.ownedSheets();
    const isOwned = (name: string) => owned.some((o) => sameSheetName(o.name, name));

    // Each spec replaces the owned sheet of its kind (under whatever name a run in the other
    // language gave it), else the owned sheet of its name.
    const previousOf = (spec: SheetSpec): ExcelJS.Worksheet | undefined => {
      const sameKind = owned.find((o) => o.kind === spec.kind);
      const name = sameKind?.name ?? (isOwned(spec.name) ? spec.name : undefined);
      return name === undefined ? undefined : findSheet(wb, name);
    };
    const replacedSheets = new Set(specs.map(previousOf).filter((ws) => ws !== undefined));

    // Refuse before writing anything.
    const clashes: Clash[] = [];
    const register = registerSheet(wb);
    if (register && !isRegister(register)) clashes.push({ sheet: register.name });
    for (const spec of specs) {
      const existing = findSheet(wb, spec.name);
      if (existing && !isOwned(existing.name)) clashes.push({ sheet: existing.name });
    }
    for (const ws of wb.worksheets) {
      if (replacedSheets.has(ws)) continue;
      for (const table of tablesOf(ws)) {
        const spec = specs.find((s) => s.table && s.table.name.toLowerCase() === table.name.toLowerCase());
        if (!spec) continue;
        if (isOwned(ws.name)) throw new Error(`table "${table.name}" is already used by the tool's sheet "${ws.name}"`);
        clashes.push({ sheet: ws.name, table: table.name });
      }
    }
    if (clashes.length > 0) throw new SheetOwnershipError(clashes);

    const summary: WriteSummary = { sheets: [] };
    for (const spec of specs) {
      const previous = previousOf(spec);
      const position = previous && (previous as Ordered).orderNo;
      if (previous) wb.removeWorksheet(previous.id);
      const stale = findSheet(wb, spec.name);
      if (stale) wb.removeWorksheet(stale.id);
      const ws = wb.addWorksheet(spec.name);
      // Take the replaced sheet's place among the tabs.
      if (position !== undefined) (ws as Ordered).orderNo = position;
      writeSheet(ws, spec);
      summary.sheets.push({
        kind: spec.kind,
        name: spec.name,
        rows: spec.rows.length,
        cols: spec.rows.reduce((max, row) => Math.max(max, row.length), 0),
      });
    }

    // Formulas of the user's that read the replaced sheets hold stale results: Excel recalculates
    // everything when it opens the file.
    wb.calcProperties = { ...wb.calcProperties, fullCalcOnLoad: true };

    const written = new Set(specs.map((s) => s.kind));
    const nowOwned: OwnedSheet[] = [
      ...owned.filter((o) => !written.has(o.kind) && !specs.some((s) => sameSheetName(s.name, o.name))),
      ...specs.map((s) => ({ name: s.name, kind: s.kind })),
    ];
    writeOwnership(wb, nowOwned);
    return summary;
  }

  private hasRegister(): boolean {
    const ws = registerSheet(this.workbook);
    return ws !== undefined && isRegister(ws);
  }
}
