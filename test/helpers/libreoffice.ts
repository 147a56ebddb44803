/**
 * A headless LibreOffice round trip for tests: recalculate every formula of an .xlsx the way a
 * real spreadsheet does, then read the recalculated cells back with ExcelJS.
 *
 * LibreOffice keeps the cached results of an .xlsx unless its profile says "always recalculate"
 * (OOXMLRecalcMode = 0), so every run gets a fresh profile seeded with that setting. A fresh
 * profile per run also lets jest workers convert in parallel without fighting over one lock.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { OoxmlPackage } from "../../src/hosts/xlsx/ooxml/package";
import { replaceSheets } from "../../src/hosts/xlsx/ooxml/workbook";

const run = promisify(execFile);

const SOFFICE_CANDIDATES = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/lib/libreoffice/program/soffice"];

/** The soffice binary, or undefined when LibreOffice is not installed. */
export function findSoffice(): string | undefined {
  const fromEnv = process.env.SOFFICE;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return SOFFICE_CANDIDATES.find((p) => existsSync(p));
}

const RECALC_PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

/**
 * Recalculate `inPath` with headless LibreOffice and return the path of the recalculated copy:
 * an .xlsx of the same name in a new folder inside `workDir` (default: the system's temporary
 * folder). The input is left as it is.
 */
export async function recalcXlsx(inPath: string, workDir: string = tmpdir()): Promise<string> {
  return convert(inPath, "xlsx:Calc Office Open XML", "xlsx", workDir);
}

/**
 * Recalculates several .xlsx files (distinct base names) in one LibreOffice process, which saves
 * its start-up per file: the recalculated copy's path for each input, in order, or the Error for
 * one LibreOffice did not convert.
 */
export async function recalcXlsxMany(inPaths: string[], workDir: string = tmpdir()): Promise<(string | Error)[]> {
  const soffice = findSoffice();
  if (!soffice) throw new Error("LibreOffice (soffice) is not installed");
  const work = mkdtempSync(join(workDir, "tc-recalc-"));
  const profile = join(work, "profile");
  const outDir = join(work, "out");
  mkdirSync(join(profile, "user"), { recursive: true });
  mkdirSync(outDir);
  writeFileSync(join(profile, "user", "registrymodifications.xcu"), RECALC_PROFILE);
  try {
    await run(
      soffice,
      [`-env:UserInstallation=${pathToFileURL(profile).href}`, "--headless", "--norestore", "--nologo", "--convert-to", "xlsx:Calc Office Open XML", "--outdir", outDir, ...inPaths],
      { timeout: 180_000 + 30_000 * inPaths.length },
    ).catch(() => undefined);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return inPaths.map((p) => {
    const out = join(outDir, basename(p).replace(/\.[^.]+$/, "") + ".xlsx");
    return existsSync(out) ? out : new Error(`LibreOffice did not convert ${p}`);
  });
}

/** Converts with headless LibreOffice in a fresh, recalculating profile; returns the output's path. */
async function convert(inPath: string, filter: string, extension: string, workDir: string): Promise<string> {
  const soffice = findSoffice();
  if (!soffice) throw new Error("LibreOffice (soffice) is not installed");

  const work = mkdtempSync(join(workDir, "tc-recalc-"));
  const profile = join(work, "profile");
  const outDir = join(work, "out");
  mkdirSync(join(profile, "user"), { recursive: true });
  mkdirSync(outDir);
  writeFileSync(join(profile, "user", "registrymodifications.xcu"), RECALC_PROFILE);

  try {
    await run(
      soffice,
      [`-env:UserInstallation=${pathToFileURL(profile).href}`, "--headless", "--norestore", "--nologo", "--convert-to", filter, "--outdir", outDir, inPath],
      { timeout: 180_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }

  const outPath = join(outDir, basename(inPath).replace(/\.[^.]+$/, "") + "." + extension);
  if (!existsSync(outPath)) throw new Error(`LibreOffice did not convert ${inPath}`);
  return outPath;
}

/**
 * Renders the named sheets of an .xlsx as a user would see them printed: the other sheets are
 * taken out of a copy (at the package level, so charts stay), LibreOffice prints it to PDF and
 * pdftoppm turns each page into `<outPrefix>-N.png`. Returns the PNG paths.
 */
export async function renderSheets(xlsxPath: string, sheets: string[], outPrefix: string, workDir: string = tmpdir()): Promise<string[]> {
  const pdf = await printSheets(xlsxPath, sheets, basename(outPrefix), workDir);
  mkdirSync(dirname(outPrefix), { recursive: true });
  await run("pdftoppm", ["-r", "80", "-png", pdf, outPrefix], { timeout: 120_000 });
  const dir = dirname(outPrefix);
  return readdirSync(dir)
    .filter((f) => f.startsWith(basename(outPrefix) + "-") && f.endsWith(".png"))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * The named sheets of an .xlsx printed to PDF by LibreOffice, as renderSheets prints them (the
 * other sheets taken out of a copy first); returns the PDF's path.
 */
export async function printSheets(xlsxPath: string, sheets: string[], name: string, workDir: string = tmpdir()): Promise<string> {
  const pkg = await OoxmlPackage.load(readFileSync(xlsxPath));
  const remove = (await pkg.sheets()).filter((s) => !sheets.includes(s.name));
  await replaceSheets(pkg, remove, []);
  const copy = join(mkdtempSync(join(workDir, "tc-render-")), name + ".xlsx");
  writeFileSync(copy, await pkg.generate());
  return convert(copy, "pdf", "pdf", workDir);
}

/** One non-empty cell as read back: its value (a formula's recalculated result) and formula, if any. */
export interface ReadCell {
  sheet: string;
  address: string;
  row: number;
  col: number;
  value: string | number | boolean | Date | null;
  formula?: string;
  /** The value is a spreadsheet error (#DIV/0!, #REF!, Err:502 …). */
  error?: string;
}

const ERROR_TEXT = /^(#(DIV\/0!|REF!|NAME\?|VALUE!|N\/A|NUM!|NULL!)|Err:\d+)$/;

function plainValue(v: ExcelJS.CellValue): { value: ReadCell["value"]; formula?: string; error?: string } {
  if (v === null || v === undefined) return { value: null };
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return { value: v };
  if ("error" in v) return { value: v.error, error: v.error };
  if ("richText" in v) return plainValue(v.richText.map((r) => r.text).join(""));
  if ("text" in v) return plainValue(v.text as ExcelJS.CellValue);
  return { value: String(v) };
}

/**
 * A formula's error comes back as an error cell, or as text like "Err:502" from LibreOffice.
 * ExcelJS leaves a falsy cached result (0, false, "") out of `cell.value`; `cell.result` has it.
 */
function cellValue(cell: ExcelJS.Cell): ReturnType<typeof plainValue> {
  const v = cell.value;
  if (v !== null && typeof v === "object" && ("formula" in v || "sharedFormula" in v)) {
    const inner = plainValue((cell.result ?? null) as ExcelJS.CellValue);
    const error = inner.error ?? (typeof inner.value === "string" && ERROR_TEXT.test(inner.value) ? inner.value : undefined);
    return { ...inner, formula: cell.formula, error };
  }
  return plainValue(v);
}

/** Every non-empty cell of every sheet of an .xlsx, in sheet order, row-major. */
export async function readAllCells(path: string): Promise<ReadCell[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const cells: ReadCell[] = [];
  wb.eachSheet((ws) => {
    ws.eachRow((row) => {
      row.eachCell((cell) => {
        const { value, formula, error } = cellValue(cell);
        if (value === null && formula === undefined) return;
        cells.push({ sheet: ws.name, address: cell.address, row: Number(cell.row), col: Number(cell.col), value, formula, error });
      });
    });
  });
  return cells;
}

/** Index cells by `Sheet!A1`. */
export function byAddress(cells: ReadCell[]): Map<string, ReadCell> {
  return new Map(cells.map((c) => [`${c.sheet}!${c.address}`, c]));
}

/**
 * `describe` for suites that need LibreOffice: skipped on a developer machine without it, but a
 * failure under CI, where .ci/run installs it, so a missing install can never pass silently.
 */
export const describeWithLibreOffice: jest.Describe = (() => {
  if (findSoffice()) return describe;
  if (process.env.CI) throw new Error("LibreOffice (soffice) is required under CI: .ci/run installs libreoffice-calc-nogui");
  return describe.skip;
})();
