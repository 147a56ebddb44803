/**
 * `target-cascade plan` with the inputs of docs/planning-depth.md: Uplift writes and says so on
 * the check line, in RESULT.json and on the Weights Review; every bad Seasonality, Uplift, Start,
 * End, Ramp, Members or Holds cell exits 2, names the cell, and writes nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { upliftSentence } from "../../src/report/uplift-note";
import { englishBook, tempDir, writeWorkbook, type Rows, type WorkbookSpec } from "./fixtures";

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { LANG: "en_US.UTF-8" } });
  return { code, out, err };
}

async function planBook(spec: WorkbookSpec) {
  const dir = tempDir();
  const input = await writeWorkbook(join(dir, "in.xlsx"), spec);
  const out = join(dir, "out.xlsx");
  const json = join(dir, "result.json");
  const result = await run(["plan", input, "--out", out, "--json", json]);
  return { ...result, dir, input, outPath: out, jsonPath: json };
}

const SETTINGS: Rows = [
  ["Key", "Value"],
  ["Levels", "Region > Rep"],
  ["Grain", "Quarter"],
  ["Unit", 100],
];
const withSettings = (...rows: Rows): Rows => [...SETTINGS, ...rows];

describe("Uplift.Rep = 10%", () => {
  it("reps add up to their region × 1.10; the check line, RESULT.json and the Weights Review say so", async () => {
    const r = await planBook(englishBook({ Settings: withSettings(["Uplift.Rep", "10%"]) }));
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const out = r.out.join("\n");
    expect(out).toContain("✓ Totals check");
    expect(out).toContain("✓ Reps add up to their Region × 1.10 (uplift 10%)");
    const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
    expect(json.uplift).toEqual([{ level: "Rep", parent: "Region", uplift: 0.1, ok: true }]);
    // The plan and the regions as without the uplift; East's reps 600,000 × 1.10.
    expect(json.nodes[0]).toEqual({ path: {}, floor: 900000, target: 1000000, stretch: 1200000 });
    type Node = { path: Record<string, string>; target: number; floor: number; stretch: number };
    const nodes = json.nodes as Node[];
    expect(nodes.find((n) => n.path.Region === "East" && !n.path.Rep)).toMatchObject({ target: 600000 });
    const eastReps = nodes.filter((n) => n.path.Region === "East" && n.path.Rep);
    expect(eastReps.reduce((a, n) => a + n.target, 0)).toBe(660000);
    expect(eastReps.reduce((a, n) => a + n.stretch, 0)).toBe(792000);
    // The plan's rows are the reps' quotas: they add up to the uplifted total.
    expect((json.plan as { target: number }[]).reduce((a, c) => a + c.target, 0)).toBe(1100000);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    const review = wb.getWorksheet("Weights Review") as ExcelJS.Worksheet;
    const texts: string[] = [];
    review.eachRow((row) => row.eachCell((c) => typeof c.value === "string" && texts.push(c.value)));
    expect(texts.some((t) => t.includes("Reps add up to their Region × 1.10 (uplift 10%)"))).toBe(true);
    // Every check cell of the review is ✓, none ✗.
    const checks: unknown[] = [];
    review.eachRow((row) => row.eachCell((c) => c.type === ExcelJS.ValueType.Formula && checks.push((c.value as { result?: unknown }).result)));
    expect(checks.filter((x) => x === "✓").length).toBeGreaterThan(1);
    expect(checks).not.toContain("✗");
  });

  it("the sentence in both languages", () => {
    const result = { levelLabels: ["区域", "销售员"] };
    expect(upliftSentence(result, { level: "Rep", index: 1, fraction: 0.1 }, "zh")).toBe("各销售员合计为所属区域的 1.10 倍（超额分配 10%）");
    expect(upliftSentence({ levelLabels: ["Region", "Rep"] }, { level: "Region", index: 0, fraction: 0.125 }, "en")).toBe("Regions add up to the plan × 1.125 (uplift 12.5%)");
  });
});

describe("bad input: exit 2, the cell named, nothing written", () => {
  const weights = (...rows: Rows): Rows => [["Dimension", "Member", "Weight", "Lock", "Start", "End", "Ramp"], ["Region", "East", "60%", null, null, null, null], ["Region", "West", "40%", null, null, null, null], ...rows];
  const holds = (...rows: Rows): Rows => [["Region", "Rep", "Period", "Tier", "Amount"], ...rows];
  const cases: [string, Partial<Record<string, Rows>>, RegExp][] = [
    ["a bad Seasonality", { Settings: withSettings(["Seasonality", "sometimes"]) }, /^Settings!B5: .*Shared.*Own/],
    ["an uplift above 100%", { Settings: withSettings(["Uplift.Rep", "150%"]) }, /^Settings!B5: .*0% to 100%/],
    ["a negative uplift", { Settings: withSettings(["Uplift.Rep", "-10%"]) }, /^Settings!B5: /],
    ["an uplift that is not a number", { Settings: withSettings(["超额分配.销售员", "a lot"]) }, /^Settings!B5: /],
    ["Uplift on a level that is not a level", { Settings: withSettings(["Uplift.Store", "10%"]) }, /^Settings!A5: .*Store is not a level/],
    ["Uplift with Seasonality Own", { Settings: withSettings(["Seasonality", "Own"], ["Uplift.Rep", "10%"]) }, /^Settings!B6: Uplift cannot yet be combined with Seasonality Own/],
    ["a Start after the plan", { Weights: weights(["Rep", "Li", null, null, "2028-02-01", null, null]) }, /^Weights!E4: .*after the plan ends/],
    ["an End before the plan", { Weights: weights(["Rep", "Li", null, null, null, "2026-06-30", null]) }, /^Weights!F4: .*before the plan starts/],
    ["an End before its Start", { Weights: weights(["Rep", "Li", null, null, "2027-06-01", "2027-03-31", null]) }, /^Weights!F4: End 2027-03-31 is before Start 2027-06-01 \(at Weights!E4\)/],
    ["a ramp above 100%", { Weights: weights(["Rep", "Li", null, null, "2027-03-01", null, "50%, 120%"]) }, /^Weights!G4: .*100%/],
    ["a ramp below 0", { Weights: weights(["Rep", "Li", null, null, "2027-03-01", null, "-50%"]) }, /^Weights!G4: .*below 0%/],
    ["a ramp that is not a number", { Weights: weights(["Rep", "Li", null, null, "2027-03-01", null, "slow"]) }, /^Weights!G4: .*slow/],
    ["a date that is not a date", { Weights: weights(["Rep", "Li", null, null, "April", null, null]) }, /^Weights!E4: .*April/],
    ["Members: an End before its Start", { Members: [["Region", "Rep", "Start", "End"], ["East", "Sun", "2027-05-01", "2027-04-01"]] }, /^Members!D2: /],
    [
      "Members and Weights disagree",
      { Weights: weights(["Rep", "Li", null, null, "2027-03-01", null, null]), Members: [["Rep", "Start"], ["Li", "2027-04-01"]] },
      /^Members!B2: .*Weights!E4/,
    ],
    ["Members: a column that is not a level", { Members: [["Region", "Team", "Rep", "Start"], ["East", "T1", "Sun", "2027-05-01"]] }, /^Members!B1: .*Team is not a level/],
    ["Holds: an unknown member", { Holds: holds(["East", "Nobody", "2027-Q2", null, 1000]) }, /^Holds!B2: .*Nobody/],
    ["Holds: a hold with no amount", { Holds: holds(["East", "Li", "2027-Q2", null, null]) }, /^Holds!E2: /],
    ["Holds: a negative amount", { Holds: holds(["East", "Li", "2027-Q2", null, -1000]) }, /^Holds!E2: /],
    ["Holds: an unknown tier", { Holds: holds(["East", "Li", "2027-Q2", "Best", 1000]) }, /^Holds!D2: .*Best/],
    ["Holds: a period not in the plan", { Holds: holds(["East", "Li", "2027-06", null, 1000]) }, /^Holds!C2: .*2027-06.*2027-Q1/],
    ["Holds: a rep without its region", { Holds: holds([null, "Li", "2027-Q2", null, 1000]) }, /^Holds!A2: .*Region is empty/],
  ];
  it.each(cases)("%s", async (_name, over, pattern) => {
    const r = await planBook(englishBook(over));
    expect(r.code).toBe(2);
    expect(r.err.some((line) => pattern.test(line))).toBe(true);
    expect(existsSync(r.outPath)).toBe(false);
    expect(existsSync(r.jsonPath)).toBe(false);
  });
});
