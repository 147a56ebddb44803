/**
 * `target-cascade track` with the funnel's actuals: the Funnel Progress and Weekly Review sheets,
 * processProgress and review in RESULT.json, Actuals named by their most specific level, and every
 * new bad-input class — exit 2, the cell named, nothing written (exit 64 for a bad flag).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { tempDir, writeWorkbook, type Rows, type WorkbookSpec } from "./fixtures";

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

async function track(spec: WorkbookSpec, extra: string[] = []) {
  const dir = tempDir("tc-process-");
  const input = await writeWorkbook(join(dir, "in.xlsx"), spec);
  const outPath = join(dir, "out.xlsx");
  const jsonPath = join(dir, "result.json");
  const r = await run(["track", input, "--out", outPath, "--json", jsonPath, ...extra]);
  return { ...r, outPath, jsonPath };
}

/** Two regions, four reps (two called Li), two channels, a funnel of three stages. */
function funnelBook(actuals: Rows, settings: Rows = []): WorkbookSpec {
  const history: Rows = [["Date", "Region", "Rep", "Channel", "Amount", "Orders", "Visits", "Invitations"]];
  const reps: [string, string][] = [
    ["East", "Li"],
    ["East", "Wang"],
    ["West", "Li"],
    ["West", "Zhao"],
  ];
  for (let m = 1; m <= 12; m++) {
    for (const [region, rep] of reps) {
      history.push([`2026-${String(m).padStart(2, "0")}`, region, rep, "Walk-in", 10_000, 5, 10, 25]);
      history.push([`2026-${String(m).padStart(2, "0")}`, region, rep, "Referral", 6_000, 2, 5, 8]);
    }
  }
  return {
    sheets: {
      Targets: [
        ["Period", "Target"],
        ["2027", 1_000_000],
      ],
      "History data": history,
      Settings: [["Key", "Value"], ["Levels", "Region > Rep"], ["Grain", "Month"], ["Unit", 100], ["Funnel", "Invitations > Visits > Orders"], ...settings],
      Actuals: actuals,
    },
    tables: { "History data": "History" },
  };
}

const HEADER = ["Date", "Region", "Rep", "Channel", "Amount", "Invitations", "Visits", "Orders"];
const good: Rows = [
  HEADER,
  ["2027-01-05", "East", "Li", "Walk-in", 8_000, 20, 9, 4],
  ["2027-01-20", "East", "Wang", "Referral", 3_000, 6, 3, 1],
  ["2027-01-25", "West", "Zhao", "Walk-in", 12_000, 30, 14, 6],
];

describe("track with the funnel's actuals", () => {
  it("writes Funnel Progress and the Weekly Review, and processProgress and review in RESULT.json", async () => {
    const r = await track(funnelBook(good), ["--as-of", "2027-01-31"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    expect(wb.getWorksheet("Funnel Progress")).toBeDefined();
    expect(wb.getWorksheet("Weekly Review")).toBeDefined();
    const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
    // 7 nodes (plan, 2 regions, 4 reps) × (2 channels + all channels).
    expect(json.processProgress).toHaveLength(21);
    const li = json.processProgress.find((p: { path: object; channel: string }) => JSON.stringify(p.path) === JSON.stringify({ Region: "East", Rep: "Li" }) && p.channel === "Walk-in");
    expect(li.stages.Invitations.actual).toBe(20);
    expect(li.stages.Invitations.targetToDate).toBeGreaterThan(0);
    expect(Object.keys(li.stages)).toEqual(["Invitations", "Visits", "Orders"]);
    expect(json.review).toMatchObject({ asOf: "2027-01-31", previousAsOf: "2027-01-24" });
    expect(json.review.ranking).toHaveLength(4);
    expect(json.progress[0]).toHaveProperty("forecastSeasonal");
    expect(r.out.join("\n")).toMatch(/Funnel progress: /);
    expect(r.out.join("\n")).toMatch(/Weekly review · 2027-01-25 to 2027-01-31/);
  });

  it("takes --previous-as-of for the review's week", async () => {
    const r = await track(funnelBook(good), ["--as-of", "2027-01-31", "--previous-as-of", "2027-01-15", "--quiet"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
    expect(json.review.previousAsOf).toBe("2027-01-15");
    const wang = json.review.ranking.find((m: { path: { Rep: string } }) => m.path.Rep === "Wang");
    expect(wang.weekActual).toBe(3_000);
  });

  it("matches Actuals that give only the rep, when the name is unique", async () => {
    const rows: Rows = [["Date", "Rep", "Channel", "Amount", "Orders"], ["2027-01-05", "Wang", "Walk-in", 5_000, 2], ["2027-01-06", "Zhao", "Referral", 1_000, 1]];
    const r = await track(funnelBook(rows), ["--as-of", "2027-01-31", "--quiet"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
    expect(json.progress.find((p: { path: object }) => JSON.stringify(p.path) === JSON.stringify({ Region: "East", Rep: "Wang" })).actual).toBe(5_000);
    const all = json.processProgress.find((p: { path: object; channel: string | null }) => Object.keys(p.path).length === 0 && p.channel === null);
    expect(all.stages).toEqual({ Orders: expect.objectContaining({ actual: 3 }) });
  });

  it("writes no Funnel Progress when the Actuals count no stage of the funnel, but still the review", async () => {
    const rows: Rows = [["Date", "Region", "Rep", "Amount"], ["2027-01-05", "East", "Li", 5_000]];
    const r = await track(funnelBook(rows), ["--as-of", "2027-01-31", "--quiet"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
    expect(json.processProgress).toBeUndefined();
    expect(json.review.ranking).toHaveLength(4);
  });
});

describe("bad funnel actuals and review settings: exit 2, the cell named, nothing written", () => {
  const cases: [string, WorkbookSpec, string[], RegExp][] = [
    ["a channel the funnel does not have", funnelBook([...good, ["2027-01-07", "East", "Li", "Online", 100, 1, 1, 1]]), ["--as-of", "2027-01-31"], /^Actuals!D5: the channel "Online" is not in the funnel/],
    ["a stage count below zero", funnelBook([...good, ["2027-01-07", "East", "Li", "Walk-in", 100, 1, -1, 1]]), ["--as-of", "2027-01-31"], /^Actuals!G5: Visits is below zero/],
    ["a stage count that is not whole", funnelBook([...good, ["2027-01-07", "East", "Li", "Walk-in", 100, 1.5, 1, 1]]), ["--as-of", "2027-01-31"], /^Actuals!F5: /],
    ["a stage count that is not a number", funnelBook([...good, ["2027-01-07", "East", "Li", "Walk-in", 100, "many", 1, 1]]), ["--as-of", "2027-01-31"], /^Actuals!F5: Invitations is not a number/],
    [
      "a rep's name that fits two members",
      funnelBook([["Date", "Rep", "Amount"], ["2027-01-05", "Wang", 100], ["2027-01-06", "Li", 100]]),
      ["--as-of", "2027-01-31"],
      /^Actuals!A3: "Li" fits more than one member of the plan \(East \/ Li; West \/ Li\)/,
    ],
    ["a Forecast setting it cannot read", funnelBook(good, [["Forecast", "gut feeling"]]), ["--as-of", "2027-01-31"], /^Settings!B6: Forecast "gut feeling" is not one of RunRate, Seasonal/],
    ["a PreviousAsOf setting that is not a date", funnelBook(good, [["PreviousAsOf", "last week"]]), ["--as-of", "2027-01-31"], /^Settings!B6: PreviousAsOf "last week" is not a date/],
    ["a PreviousAsOf setting not before AsOf", funnelBook(good, [["AsOf", "2027-01-31"], ["PreviousAsOf", "2027-02-07"]]), [], /^Settings!B7: the previous AsOf 2027-02-07 must be before AsOf 2027-01-31/],
    ["a --previous-as-of not before --as-of", funnelBook(good), ["--as-of", "2027-01-31", "--previous-as-of", "2027-01-31"], /^--previous-as-of: the previous AsOf 2027-01-31 must be before AsOf 2027-01-31/],
  ];
  it.each(cases)("%s", async (_name, spec, extra, pattern) => {
    const r = await track(spec, extra);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
    expect(existsSync(r.outPath)).toBe(false);
    expect(existsSync(r.jsonPath)).toBe(false);
  });

  it("refuses a --previous-as-of that is not a date (exit 64), writing nothing", async () => {
    const r = await track(funnelBook(good), ["--as-of", "2027-01-31", "--previous-as-of", "last week"]);
    expect(r.code).toBe(64);
    expect(r.err.join("\n")).toMatch(/--previous-as-of "last week" is not a date/);
    expect(existsSync(r.outPath)).toBe(false);
  });
});

describe("the samples", () => {
  it("track the campaign's till export: the rep alone, add-ons as columns", async () => {
    const dir = tempDir("tc-process-");
    const json = join(dir, "r.json");
    const r = await run(["track", join(__dirname, "..", "..", "sample", "may-day-campaign-2027.xlsx"), "--out", join(dir, "o.xlsx"), "--json", json, "--quiet"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(json, "utf8"));
    const total = result.processProgress.find((p: { path: object; channel: string | null }) => Object.keys(p.path).length === 0 && p.channel === null);
    expect(Object.keys(total.deep.attachments).sort()).toEqual(["Sterilising cabinet", "Water purifier"]);
    expect(total.deep.attachments["Water purifier"].plan).toBe(0.3);
    expect(total.deep.averageOrderValue.actual).toBeGreaterThan(0);
    expect(result.review.previousAsOf).toBe("2027-04-28");
  });
});
