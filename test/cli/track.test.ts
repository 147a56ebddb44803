/**
 * `target-cascade track`: the plan plus progress at AsOf and the ranking. The sample's morning
 * view, RESULT.json's progress and ranking, and every bad-actuals class (exit 2, the cell named,
 * nothing written).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { englishBook, tempDir, writeWorkbook, type Rows, type WorkbookSpec } from "./fixtures";

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

async function track(spec: WorkbookSpec, extra: string[] = []) {
  const dir = tempDir("tc-track-");
  const input = await writeWorkbook(join(dir, "in.xlsx"), spec);
  const outPath = join(dir, "out.xlsx");
  const jsonPath = join(dir, "result.json");
  const r = await run(["track", input, "--out", outPath, "--json", jsonPath, ...extra]);
  return { ...r, outPath, jsonPath };
}

const actuals = (rows: Rows): Partial<Record<string, Rows>> => ({ Actuals: [["Date", "Region", "Rep", "Amount"], ...rows] });

describe("track on the sample", () => {
  it("writes Progress and Ranking, and prints the morning view", async () => {
    const dir = tempDir("tc-track-");
    const out = join(dir, "out.xlsx");
    const json = join(dir, "r.json");
    const r = await run(["track", join(__dirname, "..", "..", "sample", "kitchen-appliances-2027.xlsx"), "--out", out, "--json", json]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toMatch(/Tracking · AsOf 2027-05-05/);
    expect(r.out.join("\n")).toMatch(/Leaders: 1\. /);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.getWorksheet("Progress")).toBeDefined();
    expect(wb.getWorksheet("Ranking")).toBeDefined();
    const result = JSON.parse(readFileSync(json, "utf8"));
    expect(result.progress[0]).toMatchObject({ path: {}, target: 111000000 });
    expect(result.ranking[0]).toMatchObject({ rank: 1, rankInParent: 1 });
    expect(result.ranking).toHaveLength(24);
  });

  it("takes --as-of over the AsOf setting", async () => {
    const dir = tempDir("tc-track-");
    const json = join(dir, "r.json");
    const r = await run(["track", join(__dirname, "..", "..", "sample", "kitchen-appliances-2027.xlsx"), "--out", join(dir, "o.xlsx"), "--json", json, "--as-of", "2027-03-31", "--quiet"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(json, "utf8")).progress[0].timeElapsed).toBeCloseTo(90 / 365, 9);
  });
});

describe("bad actuals: exit 2, the cell named, nothing written", () => {
  const cases: [string, WorkbookSpec, string[], RegExp][] = [
    ["a member the plan does not have", englishBook(actuals([["2027-01-05", "East", "Li", 100], ["2027-01-06", "East", "Sun", 50]])), ["--as-of", "2027-02-01"], /^Actuals!A3: "East \/ Sun" is not in the plan/],
    ["a date outside the plan", englishBook(actuals([["2028-01-05", "East", "Li", 100]])), ["--as-of", "2027-02-01"], /^Actuals!A2: /],
    ["AsOf before the plan starts", englishBook(actuals([["2027-01-05", "East", "Li", 100]])), ["--as-of", "2026-12-31"], /^--as-of: AsOf 2026-12-31 is outside the plan/],
    ["returns below zero", englishBook(actuals([["2027-01-05", "East", "Li", 100], ["2027-01-09", "East", "Li", -300]])), ["--as-of", "2027-02-01"], /^Actuals!A2: returns take East \/ Li's actual below zero/],
    ["no Actuals table", englishBook(), ["--as-of", "2027-02-01"], /^Actuals!A1: /],
  ];
  it.each(cases)("%s", async (_name, spec, extra, pattern) => {
    const r = await track(spec, extra);
    expect(r.code).toBe(2);
    expect(r.err.some((l) => pattern.test(l))).toBe(true);
    expect(existsSync(r.outPath)).toBe(false);
    expect(existsSync(r.jsonPath)).toBe(false);
  });

  it("counts a member the plan does not have as unplanned when asked", async () => {
    const r = await track(englishBook(actuals([["2027-01-05", "East", "Li", 100], ["2027-01-06", "East", "Sun", 50]])), ["--as-of", "2027-02-01", "--unplanned", "--quiet"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(r.jsonPath, "utf8")).progress[0].actual).toBe(150);
  });

  it("refuses an --as-of that is not a date", async () => {
    const r = await track(englishBook(actuals([])), ["--as-of", "soon"]);
    expect(r.code).toBe(64);
  });
});
