/**
 * The producer corpus: the one logical workbook (logical.json) as every producer writes it.
 * `buildCorpus()` builds it once per change of its builders, into a folder under the system's
 * temporary folder keyed by a hash of the builders, the logical workbook, the vendored files and
 * the versions of openpyxl, XlsxWriter and LibreOffice;
 * later runs (and other jest workers) reuse it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findSoffice, recalcXlsx } from "../helpers/libreoffice";
import { exceljsBook, injectInputs, rezip, sdkStyle } from "./builders";
import { logicalWorkbook, type Lang } from "./logical";

export const VENDOR = join(__dirname, "vendor");
export const PYTHON = "/usr/bin/python3";

export type Tool = "openpyxl" | "xlsxwriter" | "soffice";

export interface Variant {
  /** Also the file's name without its extension. */
  name: string;
  file: string;
  /** Who wrote it and what is special about it. */
  producer: string;
  lang: Lang;
  /** A tool the variant needs at build time, besides Node. */
  needs?: Tool;
}

/** Every workbook of the corpus. `exceljs` is the baseline whose RESULT.json all others must equal. */
export const VARIANTS: Variant[] = [
  { name: "exceljs", file: "exceljs.xlsx", producer: "ExcelJS; History as an Excel table, the other inputs plain", lang: "en" },
  { name: "openpyxl-plain", file: "openpyxl-plain.xlsx", producer: "openpyxl, plain sheets; xmlns:r declared on each <sheet>, not on the root", lang: "en", needs: "openpyxl" },
  { name: "openpyxl-plain-zh", file: "openpyxl-plain-zh.xlsx", producer: "openpyxl, plain sheets, Chinese headers and sheet names", lang: "zh", needs: "openpyxl" },
  { name: "openpyxl-tables", file: "openpyxl-tables.xlsx", producer: "openpyxl, every input an Excel table (ws.add_table)", lang: "en", needs: "openpyxl" },
  { name: "xlsxwriter-plain", file: "xlsxwriter-plain.xlsx", producer: "XlsxWriter, plain sheets, shared strings", lang: "en", needs: "xlsxwriter" },
  { name: "xlsxwriter-tables", file: "xlsxwriter-tables.xlsx", producer: "XlsxWriter, every input an Excel table", lang: "en", needs: "xlsxwriter" },
  { name: "xlsxwriter-macro", file: "xlsxwriter-macro.xlsm", producer: "XlsxWriter .xlsm with a VBA project (vendored vbaProject.bin)", lang: "en", needs: "xlsxwriter" },
  { name: "libreoffice", file: "libreoffice.xlsx", producer: "LibreOffice Calc: soffice --convert-to xlsx of the ExcelJS workbook", lang: "en", needs: "soffice" },
  { name: "sdk-x", file: "sdk-x.xlsx", producer: "Open XML SDK style: main namespace as x:, every declaration on the root", lang: "en" },
  { name: "sdk-x-rel", file: "sdk-x-rel.xlsx", producer: "Open XML SDK style, relationships namespace bound to rel: instead of r:", lang: "en" },
  { name: "zip-data-descriptors", file: "zip-data-descriptors.xlsx", producer: "zip with data descriptors (bit 3), a UTF-8 entry name and an archive comment", lang: "en" },
  { name: "zip-stored-reversed", file: "zip-stored-reversed.xlsx", producer: "zip of stored entries in reverse order, a UTF-8 entry name and an archive comment", lang: "en" },
  { name: "excel-pivot", file: "excel-pivot.xlsx", producer: "Excel 2016 (Apache POI ExcelPivotTableSample.xlsx): pivot tables and caches, a table, a connection", lang: "en" },
  { name: "excel-charts", file: "excel-charts.xlsx", producer: "Excel 2007 (Apache POI WithTwoCharts.xlsx): two charts, a defined name, calcChain", lang: "en" },
  { name: "excel-comments-image", file: "excel-comments-image.xlsx", producer: "Excel 2010 (Apache POI 56644.xlsx): an image, comments (VML), a print area, calcChain", lang: "en" },
  { name: "excel-validation", file: "excel-validation.xlsx", producer: "Excel 2016 (Apache POI DataValidationEvaluations.xlsx): data validation, comments, a table, a defined name, calcChain", lang: "en" },
  { name: "excel-frozen-panes", file: "excel-frozen-panes.xlsx", producer: "Excel 2016 for Mac (Apache POI FormatConditionTests.xlsx): frozen panes, number formats with conditions, calcChain", lang: "en" },
  { name: "excel-macro", file: "excel-macro.xlsm", producer: "Excel 2010 .xlsm (Apache POI SimpleMacro.xlsm): a VBA project", lang: "en" },
];

export const BASELINE = "exceljs";

/** The Excel-made fixture each `excel-*` variant injects the input sheets into. */
const EXCEL_FIXTURES: Record<string, string> = {
  "excel-pivot": "ExcelPivotTableSample.xlsx",
  "excel-charts": "WithTwoCharts.xlsx",
  "excel-comments-image": "56644.xlsx",
  "excel-validation": "DataValidationEvaluations.xlsx",
  "excel-frozen-panes": "FormatConditionTests.xlsx",
  "excel-macro": "SimpleMacro.xlsm",
};

const status = new Map<Tool, { missing?: string; version?: string }>();

/** Whether a tool is there, and its version (memoised: asked once per process). */
function toolStatus(tool: Tool): { missing?: string; version?: string } {
  let s = status.get(tool);
  if (!s) {
    if (tool === "soffice") {
      const soffice = findSoffice();
      s = soffice ? { version: `${realpathSync(soffice)} ${statSync(realpathSync(soffice)).mtimeMs}` } : { missing: "LibreOffice (soffice) is not installed" };
    } else {
      const r = spawnSync(PYTHON, ["-c", `import ${tool}; print(${tool}.__version__)`], { encoding: "utf8" });
      s = r.status === 0 ? { version: r.stdout.trim() } : { missing: `${PYTHON} cannot import ${tool} (Debian: python3-${tool})` };
    }
    status.set(tool, s);
  }
  return s;
}

/** Why a tool is unavailable, or undefined when it is there. */
export function missingTool(tool: Tool): string | undefined {
  return toolStatus(tool).missing;
}

/** The hash the cache folder is named by: everything that decides the corpus's bytes. */
function corpusKey(): string {
  const hash = createHash("sha256");
  for (const f of ["logical.json", "logical.ts", "build_python.py", "builders.ts", "zip.ts", "corpus.ts"]) hash.update(readFileSync(join(__dirname, f)));
  for (const f of readdirSync(VENDOR).sort()) hash.update(f).update(readFileSync(join(VENDOR, f)));
  for (const tool of ["openpyxl", "xlsxwriter", "soffice"] as const) hash.update(JSON.stringify([tool, toolStatus(tool)]));
  return hash.digest("hex").slice(0, 16);
}

export interface Corpus {
  dir: string;
  /** The variants built, by name. */
  files: Map<string, string>;
  /** Variants not built, with the reason (a missing tool). */
  skipped: Map<string, string>;
}

async function build(dir: string, tools: Record<Tool, boolean>): Promise<void> {
  const python = (lib: Tool) => execFileSync(PYTHON, [join(__dirname, "build_python.py"), dir, lib], { stdio: "pipe" });
  if (tools.openpyxl) python("openpyxl");
  if (tools.xlsxwriter) python("xlsxwriter");

  const exceljs = await exceljsBook("en");
  writeFileSync(join(dir, "exceljs.xlsx"), exceljs);
  writeFileSync(join(dir, "sdk-x.xlsx"), sdkStyle(exceljs, "r"));
  writeFileSync(join(dir, "sdk-x-rel.xlsx"), sdkStyle(exceljs, "rel"));
  writeFileSync(join(dir, "zip-data-descriptors.xlsx"), rezip(exceljs, "data-descriptors"));
  writeFileSync(join(dir, "zip-stored-reversed.xlsx"), rezip(exceljs, "stored-reversed"));

  const injected = logicalWorkbook("en", false);
  for (const [name, fixture] of Object.entries(EXCEL_FIXTURES)) {
    const variant = VARIANTS.find((v) => v.name === name)!;
    writeFileSync(join(dir, variant.file), injectInputs(readFileSync(join(VENDOR, fixture)), injected));
  }

  if (tools.soffice) {
    const work = mkdtempSync(join(dir, "lo-"));
    copyFileSync(join(dir, "exceljs.xlsx"), join(work, "libreoffice.xlsx"));
    const converted = await recalcXlsx(join(work, "libreoffice.xlsx"), work);
    copyFileSync(converted, join(dir, "libreoffice.xlsx"));
    rmSync(work, { recursive: true, force: true });
  }
}

let built: Promise<Corpus> | undefined;

/** The corpus, built once per change of its sources (see the module comment). */
export function buildCorpus(): Promise<Corpus> {
  built ??= (async () => {
    const tools = { openpyxl: !missingTool("openpyxl"), xlsxwriter: !missingTool("xlsxwriter"), soffice: !missingTool("soffice") };
    const dir = join(tmpdir(), `tc-corpus-${corpusKey()}`);
    if (!existsSync(join(dir, "done"))) {
      mkdirSync(tmpdir(), { recursive: true });
      const work = mkdtempSync(`${dir}.tmp-`);
      await build(work, tools);
      writeFileSync(join(work, "done"), "");
      try {
        renameSync(work, dir);
      } catch {
        // Another worker finished first: use its corpus.
        rmSync(work, { recursive: true, force: true });
      }
    }
    const files = new Map<string, string>();
    const skipped = new Map<string, string>();
    for (const v of VARIANTS) {
      const missing = v.needs && !tools[v.needs] ? missingTool(v.needs) : undefined;
      if (missing) skipped.set(v.name, missing);
      else files.set(v.name, join(dir, v.file));
    }
    return { dir, files, skipped };
  })();
  return built;
}
