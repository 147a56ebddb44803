/**
 * The producer corpus: one logical workbook (logical.json) as openpyxl, XlsxWriter, LibreOffice,
 * ExcelJS, the Open XML SDK's prefixed style, odd zips and real Excel-made workbooks write it
 * (corpus.ts lists them). For each, `plan`, `track` and a second `plan` over the plan's output run
 * through the command line, and every output must
 *
 * - be well-formed, and valid against the ECMA-376 transitional schemas after markup-compatibility
 *   processing (test/helpers/ooxml-validate.ts), part by part;
 * - hold together as a package: content types, relationships, style indices, unique names;
 * - open in ExcelJS, and in LibreOffice, which recalculates it with no error value;
 * - keep every part of the input other than the workbook part, its relationships, the content
 *   types and docProps byte for byte (the styles part may only be appended to), and the user's
 *   sheets and defined names;
 * - give the same RESULT.json as the baseline (ExcelJS): every variant holds the same workbook.
 *
 * A producer whose tool is missing (a Python module, LibreOffice) is skipped with a message, and is
 * a failure under CI, where .ci/run installs them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { findSoffice, readAllCells, recalcXlsxMany, type ReadCell } from "../helpers/libreoffice";
import { checkPackage, describeVerdict, entriesOf, validateParts, xmlPartsOf, type Verdict } from "../helpers/ooxml-validate";
import { macroKept, userPartsKept, workbookKept } from "./checks";
import { BASELINE, buildCorpus, missingTool, VARIANTS, type Corpus, type Variant } from "./corpus";

type Entries = Map<string, Uint8Array>;
type Which = "plan" | "track" | "second";
const RUNS: Which[] = ["plan", "track", "second"];

/**
 * Parts a producer wrote that already fail the check in the input, and that the output may carry
 * with exactly the same verdict (asserted for the input too, so an entry cannot go stale).
 */
const INHERITED: Record<string, Record<string, string>> = {
  // Legacy VML (comment shapes): its root <xml> has no namespace and no ECMA-376 schema.
  "excel-comments-image": { "xl/drawings/vmlDrawing1.vml": "no ECMA-376 schema for its root {}xml" },
  "excel-validation": { "xl/drawings/vmlDrawing1.vml": "no ECMA-376 schema for its root {}xml" },
  // LibreOffice writes workbookPr/@dateCompatibility, which the transitional schema does not
  // declare; a workbook part that keeps the user's attributes keeps it.
  libreoffice: {
    "xl/workbook.xml":
      "invalid against sml.xsd: element workbookPr: Schemas validity error : Element '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}workbookPr', attribute 'dateCompatibility': The attribute 'dateCompatibility' is not allowed.",
  },
};

/**
 * Error values in the user's own cells, which the input already holds as its saved results
 * (asserted), and which LibreOffice's recalculation therefore shows too.
 */
const INHERITED_ERRORS: Record<string, string[]> = {
  // POI's data-validation sample divides by zero on purpose.
  "excel-validation": ["Sheet1!I7 1/0 → #DIV/0!"],
};

/**
 * Inputs that ExcelJS cannot read at all (asserted): their outputs keep the parts it trips on, so
 * it fails on them the same way.
 */
const EXCELJS_CANNOT_READ: Record<string, string> = {
  // openpyxl writes absolute relationship targets (/xl/tables/table1.xml), which ExcelJS 4 does not resolve.
  "openpyxl-tables": "Cannot read properties of undefined (reading 'name')",
  // ExcelJS matches SpreadsheetML elements by their spelling, so x:-prefixed parts read as nothing.
  "sdk-x": "Cannot set properties of undefined (setting 'sheetNo')",
  "sdk-x-rel": "Cannot set properties of undefined (setting 'sheetNo')",
};

/** The plan sheet's name in each language (CONTRACT §5). */
const PLAN_SHEET = { en: "Plan", zh: "分解明细" } as const;

interface Run {
  code: number;
  stderr: string[];
  out: string;
  json: string;
  entries?: Entries;
  result?: unknown;
}

interface Recalculated {
  cells?: ReadCell[];
  error?: string;
}

interface Outcome {
  variant: Variant;
  input: string;
  entries: Entries;
  runs: Record<Which, Run>;
  lo: Partial<Record<"plan" | "track", Promise<Recalculated>>>;
}

const CI = Boolean(process.env.CI);
const skipped = new Map(VARIANTS.filter((v) => v.needs).flatMap((v) => {
  const why = missingTool(v.needs!);
  return why ? [[v.name, why] as const] : [];
}));
if (skipped.size > 0 && CI) throw new Error(`the corpus needs every producer under CI (.ci/run installs them): ${[...skipped].map(([n, w]) => `${n}: ${w}`).join("; ")}`);
for (const [name, why] of skipped) console.warn(`corpus: skipping ${name}, because ${why}`);
const soffice = findSoffice();
if (!soffice && CI) throw new Error("the corpus needs LibreOffice under CI: .ci/run installs libreoffice-calc-nogui");
if (!soffice) console.warn("corpus: skipping the LibreOffice checks, because LibreOffice (soffice) is not installed");
const itWithLibreOffice = soffice ? it : it.skip;

let corpus: Corpus;
const outcomes = new Map<string, Outcome>();
const verdicts = new Map<string, Verdict>();

async function cli(command: "plan" | "track", input: string, out: string, json: string): Promise<Run> {
  const stderr: string[] = [];
  let code: number;
  try {
    code = await main([command, input, "--out", out, "--json", json, "--quiet"], { out: () => undefined, err: (l) => stderr.push(l) });
  } catch (e) {
    code = -1;
    stderr.push((e as Error).stack ?? String(e));
  }
  const run: Run = { code, stderr, out, json };
  if (code === 0) {
    run.entries = await entriesOf(readFileSync(out));
    run.result = JSON.parse(readFileSync(json, "utf8"));
  }
  return run;
}

/** At most two LibreOffice processes at a time (the machine has two cores). */
const libreOffice = (() => {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= 2) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
})();

/** Outputs waiting for LibreOffice; converted in batches, one process per batch (see recalcXlsxMany). */
const pending: { path: string; resolve: (r: Recalculated) => void }[] = [];
const LO_BATCH = 6;

function flushLibreOffice(workDir: string): void {
  const batch = pending.splice(0);
  if (batch.length === 0) return;
  void libreOffice(async () => {
    const converted = await recalcXlsxMany(
      batch.map((b) => b.path),
      workDir,
    ).catch((e: Error) => batch.map(() => e));
    for (const [i, b] of batch.entries()) {
      const out = converted[i];
      if (out instanceof Error) b.resolve({ error: out.message });
      else b.resolve(await readAllCells(out).then((cells) => ({ cells }), (e: Error) => ({ error: e.message })));
    }
  });
}

function recalculate(path: string, workDir: string): Promise<Recalculated> {
  return new Promise((resolve) => {
    pending.push({ path, resolve });
    if (pending.length >= LO_BATCH) flushLibreOffice(workDir);
  });
}

let work: string;

beforeAll(async () => {
  corpus = await buildCorpus();
  work = mkdtempSync(join(tmpdir(), "tc-corpus-run-"));
  for (const variant of VARIANTS) {
    const input = corpus.files.get(variant.name);
    if (!input) continue;
    const dir = join(work, variant.name);
    mkdirSync(dir);
    const ext = extname(variant.file);
    const lo: Outcome["lo"] = {};
    // Distinct base names: LibreOffice converts a batch into one folder.
    const plan = await cli("plan", input, join(dir, `${variant.name}-plan${ext}`), join(dir, "plan.json"));
    if (soffice && plan.code === 0) lo.plan = recalculate(plan.out, work);
    const track = await cli("track", input, join(dir, `${variant.name}-track${ext}`), join(dir, "track.json"));
    if (soffice && track.code === 0) lo.track = recalculate(track.out, work);
    const second = plan.code === 0 ? await cli("plan", plan.out, join(dir, `${variant.name}-second${ext}`), join(dir, "second.json")) : { code: -1, stderr: ["the first plan failed"], out: "", json: "" };
    outcomes.set(variant.name, { variant, input, entries: await entriesOf(readFileSync(input)), runs: { plan, track, second }, lo });
  }
  flushLibreOffice(work);

  const parts: { id: string; data: Uint8Array }[] = [];
  for (const [name, o] of outcomes) {
    for (const [part, data] of xmlPartsOf(o.entries)) parts.push({ id: `${name}\u0000input\u0000${part}`, data });
    for (const which of RUNS) {
      const entries = o.runs[which].entries;
      if (entries) for (const [part, data] of xmlPartsOf(entries)) parts.push({ id: `${name}\u0000${which}\u0000${part}`, data });
    }
  }
  for (const [id, v] of await validateParts(parts, work)) verdicts.set(id, v);
}, 600_000);

afterAll(async () => {
  // Let every LibreOffice batch finish before its folder goes (and start any a failure left waiting).
  if (work) flushLibreOffice(work);
  await Promise.all([...outcomes.values()].flatMap((o) => Object.values(o.lo)));
  if (work) rmSync(work, { recursive: true, force: true });
});

const outcome = (name: string): Outcome => {
  const o = outcomes.get(name);
  if (!o) throw new Error(`${name} was not built`);
  return o;
};

/** Each run's entries, failing with the run's messages when it did not write an output. */
function written(o: Outcome, which: Which): Entries {
  const run = o.runs[which];
  if (!run.entries) throw new Error(`${which} exited ${run.code}:\n${run.stderr.join("\n")}`);
  return run.entries;
}

describe.each(VARIANTS.map((v) => [v.name, v.producer, v] as const))("%s (%s)", (name, _producer, variant) => {
  const suite = skipped.has(name) ? describe.skip : describe;

  suite("through plan, track and a second plan", () => {
    it("exits 0 every time", () => {
      const o = outcome(name);
      expect(RUNS.map((w) => `${w}: exit ${o.runs[w].code}${o.runs[w].code ? "\n" + o.runs[w].stderr.join("\n") : ""}`)).toEqual(RUNS.map((w) => `${w}: exit 0`));
    });

    it("writes every XML part well-formed and valid against the ECMA-376 transitional schemas", () => {
      const o = outcome(name);
      const inherited = INHERITED[name] ?? {};
      const problems: string[] = [];
      for (const [part, expected] of Object.entries(inherited)) {
        const v = verdicts.get(`${name}\u0000input\u0000${part}`);
        if (!v || describeVerdict(v) !== expected) problems.push(`input ${part}: listed as inherited, but the input's verdict is ${v ? describeVerdict(v) : "missing"}`);
      }
      for (const which of RUNS) {
        for (const part of xmlPartsOf(written(o, which)).keys()) {
          const v = verdicts.get(`${name}\u0000${which}\u0000${part}`)!;
          if (v.status === "valid") continue;
          if (inherited[part] === describeVerdict(v)) continue;
          problems.push(`${which} ${part}: ${describeVerdict(v)}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it("holds together as a package: content types, relationships, style indices, unique names", () => {
      const o = outcome(name);
      expect(checkPackage(o.entries).map((p) => `input ${p}`)).toEqual([]);
      expect(RUNS.flatMap((w) => checkPackage(written(o, w)).map((p) => `${w} ${p}`))).toEqual([]);
    });

    it("opens in ExcelJS, with the plan sheet", async () => {
      const o = outcome(name);
      const load = async (path: string) => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
        return wb.worksheets.map((w) => w.name);
      };
      const cannot = EXCELJS_CANNOT_READ[name];
      if (cannot) await expect(load(o.input)).rejects.toThrow(cannot);
      for (const which of ["plan", "track"] as const) {
        written(o, which);
        if (cannot) await expect(load(o.runs[which].out)).rejects.toThrow(cannot);
        else expect(await load(o.runs[which].out)).toContain(PLAN_SHEET[variant.lang]);
      }
    });

    itWithLibreOffice("opens in LibreOffice, which recalculates it with no error value and shows every plan row", async () => {
      const o = outcome(name);
      const result = o.runs.plan.result as { plan: unknown[] } | undefined;
      const describeError = (c: ReadCell) => `${c.sheet}!${c.address} ${c.formula ?? ""} → ${c.error}`;
      const inherited = INHERITED_ERRORS[name] ?? [];
      if (inherited.length > 0) {
        const saved = (await readAllCells(o.input)).filter((c) => c.error !== undefined).map(describeError);
        for (const e of inherited) expect(saved).toContain(e);
      }
      for (const which of ["plan", "track"] as const) {
        written(o, which);
        const r = await o.lo[which]!;
        expect(r.error).toBeUndefined();
        const cells = r.cells!;
        expect(cells.filter((c) => c.error !== undefined && !inherited.includes(describeError(c))).map((c) => `${which}: ${describeError(c)}`)).toEqual([]);
        const planRows = new Set(cells.filter((c) => c.sheet === PLAN_SHEET[variant.lang]).map((c) => c.row));
        expect(planRows.size - 1).toBe(result!.plan.length);
      }
    }, 300_000);

    it("keeps every part of the user's byte for byte, and the user's sheets and defined names", () => {
      const o = outcome(name);
      expect(RUNS.flatMap((w) => userPartsKept(o.entries, written(o, w)).map((p) => `${w} ${p}`))).toEqual([]);
      expect(RUNS.flatMap((w) => workbookKept(o.entries, written(o, w)).map((p) => `${w} ${p}`))).toEqual([]);
    });

    if (name === BASELINE) {
      it("is a complete baseline: every rep and month, the funnel, progress and ranking", () => {
        const o = outcome(name);
        written(o, "track");
        const track = o.runs.track.result as Record<string, unknown[]>;
        expect(track.plan).toHaveLength(8 * 12);
        expect(track.periods).toHaveLength(12);
        for (const key of ["funnel", "drivers", "progress", "ranking", "review"]) expect(track[key]).toBeDefined();
        // What only tracking adds: progress, the ranking and the weekly review.
        const trackingOnly = new Set(["progress", "ranking", "review"]);
        expect(o.runs.plan.result).toEqual(Object.fromEntries(Object.entries(track).filter(([k]) => !trackingOnly.has(k))));
      });
    } else {
      it("gives the baseline's RESULT.json", () => {
        const o = outcome(name);
        const base = outcome(BASELINE);
        for (const which of RUNS) written(o, which);
        expect(o.runs.plan.result).toEqual(base.runs.plan.result);
        expect(o.runs.track.result).toEqual(base.runs.track.result);
        expect(o.runs.second.result).toEqual(base.runs.plan.result);
      });
    }

    if (variant.file.endsWith(".xlsm")) {
      it("stays a macro-enabled workbook: content type, vbaProject relationship, the VBA project byte for byte", () => {
        const o = outcome(name);
        expect(macroKept(o.entries)).toEqual([]);
        expect(RUNS.flatMap((w) => macroKept(written(o, w)).map((p) => `${w} ${p}`))).toEqual([]);
      });

      it("refuses to write it to a path that does not end in .xlsm, and writes nothing", async () => {
        const o = outcome(name);
        const dir = mkdtempSync(join(work, "xlsm-"));
        const run = await cli("plan", o.input, join(dir, "out.xlsx"), join(dir, "out.json"));
        expect(run.code).not.toBe(0);
        expect(run.stderr.join("\n")).toMatch(/\.xlsm/);
        expect(existsSync(join(dir, "out.xlsx"))).toBe(false);
        expect(existsSync(join(dir, "out.json"))).toBe(false);
      });
    }
  });
});
