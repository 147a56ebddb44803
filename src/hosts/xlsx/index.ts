/**
 * The WorkbookHost over .xlsx files, for the command line and for tests. It works on the file's
 * parts directly (src/hosts/xlsx/ooxml): it reads cell values and tables from the XML, and writes
 * back only the sheets the tool owns, so everything else in the user's file — their sheets, charts,
 * pivot tables, images, comments, macros — is kept byte for byte.
 *
 * Safety rules (CONTRACT.md §5, UX.md "Never lose the user's work"):
 * - Only sheets listed in the very hidden "TargetCascade" register are replaced; a user's sheet
 *   (or table) whose name an output needs is refused before anything is written.
 * - Text is always written as text; formulas come only from explicit FormulaCells.
 */
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import type ExcelJS from "exceljs";
import type { RawTable, WorkbookHost, WriteSummary } from "../host";
import type { SheetSpec } from "../../report/spec";
import { OoxmlPackage, type SheetEntry } from "./ooxml/package";
import { readContext, readGrid, readTableRanges, type ReadContext } from "./ooxml/read";
import { sheetParts } from "./ooxml/sheet";
import { StyleBook } from "./ooxml/styles";
import { nextTableId, replaceSheets, type NewSheet } from "./ooxml/workbook";
import { checkSpecs, isRegisterEntry, OWNERSHIP_SHEET, registerSpec, readRegister, sameSheetName, SheetOwnershipError, type Clash, type OwnedSheet } from "../shared/ownership";
import { candidateTables, type SheetValues } from "../shared/tables";

export { OWNERSHIP_SHEET, SheetOwnershipError, type Clash, type OwnedSheet } from "../shared/ownership";
export { PackageError, PackageTooLargeError } from "./ooxml/package";

export class XlsxHost implements WorkbookHost {
  private context: ReadContext | undefined;

  private constructor(private pkg: OoxmlPackage) {}

  static async open(path: string): Promise<XlsxHost> {
    return XlsxHost.fromBytes(await readFile(path));
  }

  static async fromBytes(data: Uint8Array): Promise<XlsxHost> {
    return new XlsxHost(await OoxmlPackage.load(data));
  }

  /** A host over a workbook built with ExcelJS (tests and scripts). */
  static async fromWorkbook(workbook: ExcelJS.Workbook): Promise<XlsxHost> {
    return XlsxHost.fromBytes(new Uint8Array(await workbook.xlsx.writeBuffer()));
  }

  async toBytes(): Promise<Uint8Array> {
    return this.pkg.generate();
  }

  /** The same bytes as `toBytes`, in the pieces the zip is made of, for a gathered write. */
  async toChunks(): Promise<Uint8Array[]> {
    return this.pkg.generateChunks();
  }

  /** Write the workbook to `path`, through a temporary file so a failed save leaves no half file. */
  async save(path: string): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, await this.toBytes());
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  private async readContext(): Promise<ReadContext> {
    this.context ??= await readContext(this.pkg);
    return this.context;
  }

  /** Whether the workbook is macro-enabled (.xlsm, .xltm): its output must be too. */
  async macroEnabled(): Promise<boolean> {
    return this.pkg.macroEnabled();
  }

  /** The sheets, in tab order. */
  async sheets(): Promise<SheetEntry[]> {
    return this.pkg.sheets();
  }

  /** The register sheet, when the workbook has one the tool wrote (hidden or very hidden). */
  private async register(entries: SheetEntry[]): Promise<SheetEntry | undefined> {
    return entries.find(isRegisterEntry);
  }

  /** The sheets the tool owns that exist in the workbook. */
  async ownedSheets(): Promise<OwnedSheet[]> {
    const entries = await this.pkg.sheets();
    const register = await this.register(entries);
    if (!register) return [];
    const grid = readGrid(await this.pkg.required(register.path), await this.readContext(), register.path);
    return readRegister(grid).filter((o) => entries.some((e) => sameSheetName(e.name, o.name)));
  }

  async readTables(): Promise<RawTable[]> {
    const entries = await this.pkg.sheets();
    const owned = await this.ownedSheets();
    const ctx = await this.readContext();
    const sheets: SheetValues[] = [];
    for (const entry of entries) {
      if (isRegisterEntry(entry) || owned.some((o) => sameSheetName(o.name, entry.name))) continue;
      if (entry.kind !== "worksheet") continue; // a chart sheet or a dialog sheet holds no cells
      const xml = await this.pkg.text(entry.path);
      if (xml === undefined) continue;
      sheets.push({ name: entry.name, grid: readGrid(xml, ctx, entry.path), tables: await readTableRanges(this.pkg, entry.path) });
    }
    return candidateTables(sheets);
  }

  async writeSheets(specs: SheetSpec[]): Promise<WriteSummary> {
    checkSpecs(specs);
    const entries = await this.pkg.sheets();
    const owned = await this.ownedSheets();
    const isOwned = (name: string) => owned.some((o) => sameSheetName(o.name, name));
    const entryNamed = (name: string) => entries.find((e) => sameSheetName(e.name, name));

    // Each spec replaces the owned sheet of its kind (under whatever name a run in the other
    // language gave it), else the owned sheet of its name.
    const previousOf = (spec: SheetSpec): SheetEntry | undefined => {
      const sameKind = owned.find((o) => o.kind === spec.kind);
      const name = sameKind?.name ?? (isOwned(spec.name) ? spec.name : undefined);
      return name === undefined ? undefined : entryNamed(name);
    };

    // Refuse before writing anything.
    const clashes: Clash[] = [];
    const register = entryNamed(OWNERSHIP_SHEET);
    if (register && !isRegisterEntry(register)) clashes.push({ sheet: register.name });
    for (const spec of specs) {
      const existing = entryNamed(spec.name);
      if (existing && !isOwned(existing.name)) clashes.push({ sheet: existing.name });
    }
    const replaced = new Set(specs.map(previousOf).filter((e): e is SheetEntry => e !== undefined).map((e) => e.rId));
    for (const entry of entries) {
      if (replaced.has(entry.rId) || isRegisterEntry(entry) || entry.kind !== "worksheet") continue;
      for (const table of await readTableRanges(this.pkg, entry.path)) {
        const spec = specs.find((s) => s.table && s.table.name.toLowerCase() === table.name.toLowerCase());
        if (!spec) continue;
        if (isOwned(entry.name)) throw new Error(`table "${table.name}" is already used by the tool's sheet "${entry.name}"`);
        clashes.push({ sheet: entry.name, table: table.name });
      }
    }
    if (clashes.length > 0) throw new SheetOwnershipError(clashes);

    const written = new Set(specs.map((s) => s.kind));
    const nowOwned: OwnedSheet[] = [
      ...owned.filter((o) => !written.has(o.kind) && !specs.some((s) => sameSheetName(s.name, o.name))),
      ...specs.map((s) => ({ name: s.name, kind: s.kind })),
    ];

    const book = await StyleBook.open(this.pkg);
    let tableId = await nextTableId(this.pkg);
    const add: NewSheet[] = [];
    for (const spec of specs) add.push({ name: spec.name, parts: await sheetParts(spec, book, spec.table ? tableId++ : 0), replaces: previousOf(spec) });
    add.push({ name: OWNERSHIP_SHEET, parts: await sheetParts(registerSpec(nowOwned), book, 0), state: "veryHidden" });

    const remove = entries.filter((e) => replaced.has(e.rId) || isRegisterEntry(e));
    // A stale owned sheet with an output's name (its kind moved elsewhere) goes too.
    for (const spec of specs) {
      const stale = entryNamed(spec.name);
      if (stale && !remove.includes(stale)) remove.push(stale);
    }
    await replaceSheets(this.pkg, remove, add, book);
    this.context = undefined;

    return {
      sheets: specs.map((spec) => ({
        kind: spec.kind,
        name: spec.name,
        rows: spec.rows.length,
        cols: spec.rows.reduce((max, row) => Math.max(max, row.length), 0),
      })),
    };
  }
}
