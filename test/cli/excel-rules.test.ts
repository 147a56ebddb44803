/**
 * Excel's own rules on what the tool writes: sheet names (at most 31 characters, none of
 * []:*?/\, no ' at either end, not History, unique without regard to case), table names (a
 * letter, _ or \ first, then letters, digits, _ and .; not a cell reference; at most 255
 * characters; unique in the workbook, and not a defined name), and no sheet past 1,048,576 rows
 * or 16,384 columns — refused before anything is written, with a problem at the setting to change.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { main } from "../../src/cli/main";
import type { ProgressResult } from "../../src/engine/progress";
import type { DriversResult, MixResult } from "../../src/engine/drivers";
import type { PlanNode, PlanResult } from "../../src/engine/types";
import type { RawTable, WorkbookHost, WriteSummary } from "../../src/hosts/host";
import { preparePlan } from "../../src/hosts/run";
import { checkSpecs, definedNameClashes, OWNERSHIP_SHEET } from "../../src/hosts/shared/ownership";
import { prepareTrack } from "../../src/hosts/track";
import * as driversModule from "../../src/report/drivers-sheet";
import { buildDriversSheet, driversSheetSize } from "../../src/report/drivers-sheet";
import { buildFunnelSheet, funnelSheetSize } from "../../src/report/funnel-sheet";
import type { FunnelResult } from "../../src/engine/funnel";
import { MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, SheetTooLargeError } from "../../src/report/limits";
import { SHEET_NAMES } from "../../src/report/labels";
import * as matrixModule from "../../src/report/matrix-sheet";
import { buildMatrixSheet, matrixSheetSize } from "../../src/report/matrix-sheet";
import * as progressModule from "../../src/report/progress-sheet";
import { buildProgressSheet, buildRankingSheet, progressSheetSize, rankingSheetSize } from "../../src/report/progress-sheet";
import type { OwnedSheetKind, SheetSpec } from "../../src/report/spec";
import * as weightsModule from "../../src/report/weights-sheet";
import { buildWeightsSheet, weightsSheetSize } from "../../src/report/weights-sheet";
import { settings, sheet } from "../contract/build";
import { englishBook, tempDir, writeWorkbook, type Rows, type WorkbookSpec } from "./fixtures";

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { LANG: "en_US.UTF-8" } });
  return { code, out, err: err.join("\n") };
}

/** Plans (or tracks) a workbook into a fresh folder; `written` lists what is in the folder afterwards besides the input. */
async function cli(spec: WorkbookSpec, command: "plan" | "track" = "plan", extra: string[] = [], prepare?: (wb: ExcelJS.Workbook) => void) {
  const dir = tempDir("tc-rules-");
  const input = join(dir, "in.xlsx");
  if (prepare) {
    await writeWorkbook(input, spec);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(input);
    prepare(wb);
    await wb.xlsx.writeFile(input);
  } else {
    await writeWorkbook(input, spec);
  }
  const outPath = join(dir, "out.xlsx");
  const r = await run([command, input, "--out", outPath, "--json", join(dir, "RESULT.json"), ...extra]);
  return { ...r, dir, input, outPath, written: readdirSync(dir).filter((f) => f !== "in.xlsx") };
}

/** A host over tables in memory: what the pipeline reads, and every write it is asked for. */
class MemoryHost implements WorkbookHost {
  writes = 0;
  constructor(private readonly tables: RawTable[]) {}
  async readTables(): Promise<RawTable[]> {
    return this.tables;
  }
  async writeSheets(): Promise<WriteSummary> {
    this.writes++;
    return { sheets: [] };
  }
}

const KINDS: OwnedSheetKind[] = ["plan", "matrix", "weights", "funnel", "drivers", "progress", "ranking"];
/** Every kind the tool owns, the target letters', the incentives', process tracking's and the review's too. */
const ALL_KINDS: OwnedSheetKind[] = [...KINDS, "letters", "incentives", "process", "review"];
const RESERVED = /[[\]:*?/\\]/;

/** Excel's rule for a sheet name, written out independently of the code under test. */
const excelAcceptsSheetName = (name: string) =>
  name.length >= 1 && name.length <= 31 && !RESERVED.test(name) && !name.startsWith("'") && !name.endsWith("'") && name.toLowerCase() !== "history";

/** A spec with just a name (and a table), for checkSpecs. */
const spec = (kind: OwnedSheetKind, name: string, table?: string): SheetSpec => ({
  kind,
  name,
  rows: [["x"]],
  numberFormats: [],
  conditionalFormats: [],
  styles: [],
  ...(table ? { table: { name: table, headerRow: 0, dataRows: 0, columns: 1 } } : {}),
});

// ── a workbook whose text breaks every naming rule: none of it may reach a sheet or table name ──
const HOSTILE = ["Re[gi]on: *East?", "A/B\\C", "'quoted'", "History", "x".repeat(40), "=SUM(A1)", "TC_Plan"];

function hostileTables(): RawTable[] {
  const levels = ["Re[gi]on:*?", "Rep \\ 'name'"];
  const history: (string | number)[][] = [];
  HOSTILE.forEach((name, i) => {
    for (let m = 1; m <= 12; m++) {
      history.push([`2026-${String(m).padStart(2, "0")}`, HOSTILE[(i + 1) % HOSTILE.length], name, `Ch [${i % 3}]/'*'`, 1000 + 100 * i + m, 10 + i, 30 + i, 60 + i]);
    }
  });
  return [
    sheet("Targets", ["Period", "Floor", "Target", "Stretch"], [["2027", 900_000, 1_000_000, 1_200_000]]),
    sheet("History data", ["Date", ...levels, "Channel", "Amount", "Orders", "Visits", "Invitations"], history),
    sheet(
      "Actuals",
      ["Date", ...levels, "Amount"],
      HOSTILE.map((name, i) => ["2027-01-05", HOSTILE[(i + 1) % HOSTILE.length], name, 500 + i]),
    ),
    settings([
      ["Levels", levels.join(" > ")],
      ["Unit", 100],
      ["AsOf", "2027-02-01"],
    ]),
  ];
}

describe("sheet names", () => {
  it("every name the report builds follows Excel's rule, in both languages, and none is used twice", () => {
    for (const lang of ["en", "zh"] as const) {
      const names = ALL_KINDS.map((k) => SHEET_NAMES[k][lang]);
      for (const name of [...names, OWNERSHIP_SHEET]) expect([lang, name, excelAcceptsSheetName(name)]).toEqual([lang, name, true]);
      expect(new Set([...names, OWNERSHIP_SHEET].map((n) => n.toLowerCase())).size).toBe(names.length + 1);
    }
    // A re-run in the other language replaces by kind; no English name is another kind's Chinese one.
    const all = ALL_KINDS.flatMap((k) => [SHEET_NAMES[k].en.toLowerCase(), SHEET_NAMES[k].zh.toLowerCase()]);
    expect(new Set(all).size).toBe(all.length);
  });

  it.each([
    ["32 characters", "x".repeat(32)],
    ["empty", ""],
    ...[..."[]:*?/\\"].map((c) => [`the character ${c}`, `Plan${c}2027`]),
    ["' at the start", "'Plan"],
    ["' at the end", "Plan'"],
    ["History, which Excel reserves", "history"],
    ["the register's name", "targetcascade"],
  ])("checkSpecs refuses a sheet name with %s", (_what, name) => {
    expect(excelAcceptsSheetName(name) && name.toLowerCase() !== OWNERSHIP_SHEET.toLowerCase()).toBe(false);
    expect(() => checkSpecs([spec("plan", name)])).toThrow(/sheet name|reserved/);
  });

  it("checkSpecs takes names Excel takes: 31 characters, an apostrophe inside, CJK", () => {
    expect(() => checkSpecs([spec("plan", "x".repeat(31)), spec("matrix", "Bob's plan"), spec("weights", "分解明细")])).not.toThrow();
  });

  it("checkSpecs refuses two sheets whose names differ only in case", () => {
    expect(() => checkSpecs([spec("plan", "Plan"), spec("matrix", "PLAN")])).toThrow(/written twice/);
  });

  it("no name is built from the workbook's text: members, levels and channels that break every rule leave the names alone", async () => {
    const outcome = await prepareTrack(new MemoryHost(hostileTables()), { today: 0 });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    // The hostile workbook's Actuals count no funnel stage: no Funnel Progress; the Weekly Review always.
    expect(outcome.sheets.map((s) => [s.kind, s.name])).toEqual([...KINDS, "review"].map((k) => [k, SHEET_NAMES[k as OwnedSheetKind].en]));
    expect(outcome.sheets.flatMap((s) => (s.table ? [s.table.name] : []))).toEqual(["TC_Plan", "TC_Ranking"]);
    expect(() => checkSpecs(outcome.sheets)).not.toThrow();
  });
});

describe("table names", () => {
  it.each([
    ["a digit first", "2027Plan"],
    ["a space", "TC Plan"],
    ["a hyphen", "TC-Plan"],
    ["a cell reference", "A1"],
    ["the last cell", "XFD1048576"],
    ["a cell reference in lower case", "tc1"],
    ["an R1C1 reference", "R1C1"],
    ["an R1C1 row", "r2"],
    ["R alone", "R"],
    ["C alone", "c"],
    ["256 characters", "T" + "x".repeat(255)],
  ])("checkSpecs refuses a table name with %s", (_what, name) => {
    expect(() => checkSpecs([spec("plan", "Plan", name)])).toThrow(/not a valid table name/);
  });

  it("checkSpecs takes names Excel takes: _ or \\ first, dots, digits, 255 characters", () => {
    for (const name of ["_Plan", "\\Plan", "TC_Plan.2027", "ABCD1", "T" + "x".repeat(254)]) {
      expect(() => checkSpecs([spec("plan", "Plan", name)])).not.toThrow();
    }
  });

  it("checkSpecs refuses two tables whose names differ only in case", () => {
    expect(() => checkSpecs([spec("plan", "Plan", "TC_Plan"), spec("ranking", "Ranking", "tc_plan")])).toThrow(/written twice/);
  });

  it("a defined name takes a table's name, whatever its case", () => {
    const specs = [spec("plan", "Plan", "TC_Plan"), spec("ranking", "Ranking", "TC_Ranking")];
    expect(definedNameClashes(specs, ["Regions", "tc_plan", "_xlnm.Print_Area", "TC_RANKING"])).toEqual(["tc_plan", "TC_RANKING"]);
    expect(definedNameClashes(specs, ["Regions", "TC_Plan2"])).toEqual([]);
  });

  it("through the CLI: a workbook that defines the name tc_plan exits 2 at the name's cell, and nothing is written", async () => {
    const r = await cli(englishBook(), "plan", [], (wb) => wb.definedNames.add("'History data'!$B$2:$B$9", "tc_plan"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^'History data'!B2: the workbook already has a defined name "tc_plan".*Name Manager/m);
    expect(r.written).toEqual([]);
  });

  it("through the CLI: the tool writes no defined name of its own, and keeps the user's", async () => {
    const r = await cli(englishBook(), "track", ["--as-of", "2027-02-01"], (wb) => {
      wb.addWorksheet("Actuals").addRows([["Date", "Region", "Rep", "Amount"], ["2027-01-05", "East", "Li", 100]]);
      wb.definedNames.add("Targets!$C$2", "PlanTarget");
    });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const names = async (path: string) => {
      const zip = await JSZip.loadAsync(readFileSync(path));
      const xml = (await zip.file("xl/workbook.xml")?.async("string")) ?? "";
      return [...xml.matchAll(/<(?:\w+:)?definedName\b[^>]*\bname="([^"]*)"/g)].map((m) => m[1]);
    };
    // Excel's own sheet-scoped print area of the Weekly Review aside (_xlnm.Print_Area, reserved, never a user's name).
    const own = (list: string[]) => list.filter((n) => !n.startsWith("_xlnm."));
    expect(own(await names(r.outPath))).toEqual(own(await names(r.input)));
    expect(await names(r.outPath)).toContain("PlanTarget");
    expect((await names(r.outPath)).filter((n) => n === "_xlnm.Print_Area")).toHaveLength(1);
  });
});

// ── sizes ────────────────────────────────────────────────────────────────────────────

/** History of `reps` reps in one month, for plans whose size is set by the grain. */
function repsHistory(reps: number, channels = 0): Rows {
  const rows: Rows = [channels ? ["Date", "Rep", "Channel", "Amount", "Orders"] : ["Date", "Rep", "Amount"]];
  for (let i = 0; i < reps; i++) rows.push(channels ? ["2026-01", `Rep ${i}`, "Shop", 100 + i, 5] : ["2026-01", `Rep ${i}`, 100 + i]);
  for (let k = 0; k < channels; k++) rows.push(["2026-02", "Rep 0", `Channel ${k}`, 1000 + k, 10]);
  return rows;
}

function book(history: Rows, targets: Rows, settingRows: Rows): WorkbookSpec {
  return { sheets: { Targets: targets, "History data": history, Settings: [["Key", "Value"], ...settingRows] }, tables: { "History data": "History" } };
}

describe("no sheet past 1,048,576 rows or 16,384 columns: exit 2 at the setting to change, nothing written (through the CLI)", () => {
  // plan: a row per member and period. test/cli/plan.test.ts plans 3,000 reps by day over a year
  // and checks the refusal at Settings!B3 (the Grain), exit 2, nothing written.

  it("matrix: a column per period — one rep by day over 45 years", async () => {
    const r = await cli(book(repsHistory(1), [["Start", "End", "Target"], ["2027-01-01", "2071-12-31", 1e9]], [["Levels", "Rep"], ["Grain", "Day"]]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^Settings!B3: the Plan Matrix sheet would need 16,438 columns, more than the 16,384 a worksheet holds; choose a coarser Grain or a shorter plan/m);
    expect(r.out).toEqual([]);
    expect(r.written).toEqual([]);
  });

  it("matrix, in a Chinese workbook, in Chinese", async () => {
    const r = await cli({
      sheets: {
        目标: [["开始", "结束", "力争目标"], ["2027-01-01", "2071-12-31", 1e9]],
        历史: [["月份", "销售员", "销售额"], ["2026-01", "王伟", 100]],
        设置: [["键", "值"], ["时间粒度", "日"]],
      },
    });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^设置!B2: 分解矩阵工作表需要 16,438 列，超过工作表上限 16,384 列；请选择更粗的时间粒度或缩短计划期间/m);
    expect(r.written).toEqual([]);
  });

  it("funnel: a row per channel and period — 300 channels by day over ten years", async () => {
    const r = await cli(book(repsHistory(1, 300), [["Start", "End", "Target"], ["2027-01-01", "2036-12-31", 1e9]], [["Levels", "Rep"], ["Grain", "Day"]]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^Settings!B3: the Funnel sheet would need 1,\d{3},\d{3} rows and \d+ columns, more than a worksheet holds; choose a coarser Grain/m);
    expect(r.written).toEqual([]);
  });

  // The other sheets grow with the members alone, so filling them takes hundreds of thousands of
  // History or Actuals rows. Their builders are checked at full size below, without building;
  // here each one's refusal is followed through the command line to its problem and exit code.
  const throwing = (kind: OwnedSheetKind, name: string, rows: number, columns: number) => () => {
    throw new SheetTooLargeError(name, rows, columns, kind);
  };
  afterEach(() => jest.restoreAllMocks());

  const withChannels = (): WorkbookSpec => {
    const spec = englishBook();
    const history = spec.sheets["History data"];
    spec.sheets["History data"] = history.map((row, i) => [...row, i === 0 ? "Channel" : i % 2 ? "Shop" : "Online"]);
    return spec;
  };

  it.each([
    ["matrix (three tiers of 350,000 reps)", () => jest.spyOn(matrixModule, "buildMatrixSheet").mockImplementation(throwing("matrix", "Plan Matrix", 1_050_009, 3))],
    ["weights", () => jest.spyOn(weightsModule, "buildWeightsSheet").mockImplementation(throwing("weights", "Weights Review", 1_050_005, 14))],
    ["drivers", () => jest.spyOn(driversModule, "buildDriversSheet").mockImplementation(throwing("drivers", "Drivers", 1_050_011, 9))],
  ])("%s: too many members is the Levels setting", async (_kind, mock) => {
    const spy = mock();
    const r = await cli(withChannels());
    expect(spy).toHaveBeenCalled();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^Settings!B2: the (Plan Matrix|Weights Review|Drivers) sheet would need 1,050,0\d\d rows, more than the 1,048,576 a worksheet holds; plan over fewer Levels or fewer members/m);
    expect(r.written).toEqual([]);
  });

  it.each([
    ["progress", () => jest.spyOn(progressModule, "buildProgressSheet").mockImplementation(throwing("progress", "Progress", 1_048_580, 18))],
    ["ranking", () => jest.spyOn(progressModule, "buildRankingSheet").mockImplementation(throwing("ranking", "Ranking", 1_048_577, 11))],
  ])("%s (track): too many members is the Levels setting", async (_kind, mock) => {
    const spy = mock();
    const spec = englishBook({ Actuals: [["Date", "Region", "Rep", "Amount"], ["2027-01-05", "East", "Li", 100]] });
    const r = await cli(spec, "track", ["--as-of", "2027-02-01"]);
    expect(spy).toHaveBeenCalled();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^Settings!B2: the (Progress|Ranking) sheet would need 1,048,5\d\d rows, more than the 1,048,576 a worksheet holds; plan over fewer Levels/m);
    expect(r.written).toEqual([]);
  });
});

// ── the builders at full size: each is refused from its layout's size, before a row is built ──

/** A plan's shape: `parents` teams of `perParent` reps each, one period, the Target tier (three tiers when asked). */
function planShape(parents: number, perParent: number, tiers: PlanResult["tiers"] = ["target"]): PlanResult {
  const amount = { floor: 0, target: 0, stretch: 0 };
  const node = (over: Partial<PlanNode>): PlanNode => ({ path: {}, depth: 0, parent: -1, children: [], member: "", level: "", basisKind: "History", basis: 1, share: 1, exact: amount, amount, ...over });
  const nodes: PlanNode[] = [node({})];
  const leaves: number[] = [];
  const levels = perParent > 0 ? ["Team", "Rep"] : ["Rep"];
  for (let t = 0; t < parents; t++) {
    const team = nodes.length;
    nodes.push(node({ path: { [levels[0]]: `T${t}` }, depth: 1, parent: 0, member: `T${t}`, level: levels[0] }));
    nodes[0].children.push(team);
    if (perParent === 0) leaves.push(team);
    for (let r = 0; r < perParent; r++) {
      const rep = nodes.length;
      nodes.push(node({ path: { Team: `T${t}`, Rep: `R${t}.${r}` }, depth: 2, parent: team, member: `R${t}.${r}`, level: "Rep" }));
      nodes[team].children.push(rep);
      leaves.push(rep);
    }
  }
  return {
    start: 0, end: 0, metric: "Amount", unit: 1, grain: "Year", levels, levelLabels: levels, tiers, nodes, leaves,
    periods: [{ label: "2027", start: 0, end: 0, days: 365, workdays: 365, share: 1, exact: amount, amount }],
    cells: { floor: new Float64Array(0), target: new Float64Array(0), stretch: new Float64Array(0) },
    totals: amount,
    rounding: { repairs: 0, fallbacks: 0, reproportioned: 0 },
  } as unknown as PlanResult;
}

function progressShape(nodes: number, ranked: number, unplanned = 0): ProgressResult {
  return {
    asOf: 0, elapsedDays: 0, totalDays: 0, remainingDays: 0, timeElapsed: 0, rankBy: "Completion", pace: [1, 0.8],
    nodes: Array.from({ length: nodes }, (_, i) => ({ node: i })),
    periods: [],
    ranking: Array.from({ length: ranked }, (_, i) => ({ node: i, value: 0, rank: 1, rankInParent: 1 })),
    unplanned: Array.from({ length: unplanned }, () => ({ path: {}, actual: 0 })),
  } as unknown as ProgressResult;
}

describe("every builder refuses at the limit, from its size alone", () => {
  const refusedAs = (build: () => unknown, kind: OwnedSheetKind, rows: number) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SheetTooLargeError);
    expect(error).toMatchObject({ kind, rows });
    expect((error as SheetTooLargeError).rows).toBeGreaterThan(MAX_SHEET_ROWS);
  };

  it("weights: a section per team — 210,000 teams of one rep", () => {
    const plan = planShape(210_000, 1);
    expect(weightsSheetSize(plan)).toEqual({ rows: 2 + 420_000 + 3 * 210_001, columns: 12 });
    refusedAs(() => buildWeightsSheet(plan, "en"), "weights", 1_050_005);
  });

  it("matrix: three tiers of 350,000 reps down", () => {
    const plan = planShape(350_000, 0, ["floor", "target", "stretch"]);
    refusedAs(() => buildMatrixSheet(plan, "en"), "matrix", 1 + 3 * 350_002 + 2);
  });

  it("progress: 1,048,573 nodes, or unplanned members after a small plan", () => {
    refusedAs(() => buildProgressSheet(planShape(1, 0), progressShape(1_048_573, 0), "en"), "progress", 4 + 1_048_573);
    refusedAs(() => buildProgressSheet(planShape(1, 0), progressShape(2, 0, 1_048_571), "zh"), "progress", 4 + 2 + 2 + 1_048_571);
  });

  it("ranking: 1,048,576 ranked members", () => {
    refusedAs(() => buildRankingSheet(planShape(1, 0), progressShape(1_048_576, 1_048_576), "en"), "ranking", 1_048_577);
  });

  it("drivers: a million product lines", () => {
    const products = { dimension: "Product", rows: new Array(1_048_573), totals: {} } as unknown as MixResult;
    const drivers = { metric: "Amount", units: "Orders", averageOrderValue: [], attachments: [], products, columns: { labels: {} } } as unknown as DriversResult;
    refusedAs(() => buildDriversSheet(planShape(1, 0), drivers, "en"), "drivers", 4 + 4 + 1_048_573);
  });

  it("funnel: 300 channels of 3,653 days", () => {
    const channels = Array.from({ length: 300 }, (_, k) => ({ channel: `C${k}`, periods: new Array(3653) }));
    const funnel = { stages: ["Invitations", "Visits", "Orders"], channels, periods: new Array(3653), columns: { labels: {} } } as unknown as FunnelResult;
    expect(funnelSheetSize(funnel)).toEqual({ rows: 14 + 300 + 300 * 3654 + 3653, columns: 15 });
    refusedAs(() => buildFunnelSheet(planShape(1, 0), funnel, "en"), "funnel", 14 + 300 + 300 * 3654 + 3653);
  });

  it("columns: a matrix one column too wide is refused; one that fits is built", () => {
    const wide = planShape(1, 0);
    const period = wide.periods[0];
    wide.periods = Array.from({ length: MAX_SHEET_COLUMNS - 1 }, () => period);
    expect(() => buildMatrixSheet(wide, "en")).toThrow(SheetTooLargeError);
    wide.periods = wide.periods.slice(1);
    expect(matrixSheetSize(wide).columns).toBe(MAX_SHEET_COLUMNS);
  });

  it("each layout's size is the size of the sheet it builds", async () => {
    const tables = hostileTables();
    tables[3] = settings([
      ["Levels", "Re[gi]on:*? > Rep \\ 'name'"],
      ["Unit", 100],
      ["AsOf", "2027-02-01"],
      ["Attach.Filter", "30%"],
    ]);
    // A product-line column, so the drivers sheet has its mix and attachment sections.
    tables[1] = { ...tables[1], headers: [...tables[1].headers, "Product"], rows: tables[1].rows.map((r, i) => [...r, i % 2 ? "Filter" : "Hob"]) };
    const outcome = await prepareTrack(new MemoryHost(tables), { today: 0, includeUnplanned: true });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const size = (s: SheetSpec) => ({ rows: s.rows.length, columns: Math.max(...s.rows.map((r) => r.length)) });
    const byKind = Object.fromEntries(outcome.sheets.map((s) => [s.kind, size(s)]));
    const { result, progress, drivers } = outcome;
    expect(drivers?.products?.rows.length).toBeGreaterThan(0);
    expect(drivers?.attachments.length).toBeGreaterThan(0);
    expect({
      matrix: matrixSheetSize(result),
      funnel: funnelSheetSize(drivers!.funnel!),
      weights: weightsSheetSize(result),
      drivers: driversSheetSize(drivers!),
      progress: progressSheetSize(result, progress),
      ranking: rankingSheetSize(result, progress),
    }).toEqual({ matrix: byKind.matrix, funnel: byKind.funnel, weights: byKind.weights, drivers: byKind.drivers, progress: byKind.progress, ranking: byKind.ranking });
  });

  it("a refusal in the pipeline writes nothing (the task pane's path too)", async () => {
    const history = repsHistory(1).map((r) => [...r]);
    const host = new MemoryHost([
      sheet("Targets", ["Start", "End", "Target"], [["2027-01-01", "2071-12-31", 1e9]]),
      sheet("History", history[0], history.slice(1)),
      settings([["Levels", "Rep"], ["Grain", "Day"]]),
    ]);
    const outcome = await preparePlan(host);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems).toEqual([{ ref: "Settings!B3", code: "sheetTooWide", args: { sheet: "Plan Matrix", rows: 4, columns: 16_438 } }]);
    expect(host.writes).toBe(0);
  });
});

it("the output of a run that fits is a file (sanity for the folders above)", async () => {
  const r = await cli(englishBook());
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  expect(existsSync(r.outPath)).toBe(true);
  expect(r.written.sort()).toEqual(["RESULT.json", "out.xlsx"]);
});
