/**
 * The incentives sheet (report/incentives-sheet.ts): live formulas over the Progress sheet's cells
 * (found by its headers and checked against its rows), the whole and marginal payout formulas with
 * and without a cap, cached results equal to the engine's, team totals, and RESULT.json's payouts.
 */
import { computePlan, dayFromYmd, type FactRow, type PlanResult } from "../../src/engine";
import { computePayouts, exactActuals, shownForecast, type PayoutRules } from "../../src/engine/payout";
import { computeProgress } from "../../src/engine/progress";
import { buildIncentivesSheet, locateProgress, payoutsJson } from "../../src/report/incentives-sheet";
import { buildProgressSheet } from "../../src/report/progress-sheet";
import type { CellSpec, FormulaCell, SheetSpec } from "../../src/report/spec";
import { planInput } from "../engine/build";

function plan(): PlanResult {
  const weights = [
    ["East", "Li"],
    ["East", "Wang"],
    ["West", "Zhao"],
  ].map(([region, member], i) => ({ level: "Rep", member, parents: { Region: region }, weight: 1, refs: { member: `W!B${i + 2}` } }));
  const regions = ["East", "West"].map((member, i) => ({ level: "Region", member, weight: i === 0 ? 2 : 1, refs: { member: `W!B${i + 5}` } }));
  return computePlan(
    planInput({ tiers: { floor: 2700, target: 3000, stretch: 3600 }, levels: ["Region", "Rep"], levelLabels: ["Region", "Rep"], methods: { Region: "Weights", Rep: "Weights" }, weights: [...regions, ...weights] }),
  );
}

const band = (from: PayoutRules["bands"][number]["from"], rate: number, bonus: number, row: number) => ({ from, rate, bonus, label: "tier" in from ? from.tier : `${from.completion * 100}%`, refs: { from: `Payout!A${row}`, rate: `Payout!B${row}`, bonus: `Payout!C${row}` } });

function track(rules: PayoutRules) {
  const p = plan();
  const day = dayFromYmd(2027, 3, 1);
  const rows: FactRow[] = [
    ["East", "Li", 1050],
    ["East", "Wang", 600],
    ["West", "Zhao", 1300],
  ].map(([Region, Rep, Amount]) => ({ dims: { Region: Region as string, Rep: Rep as string }, start: day, end: day, measures: { Amount: Amount as number } }));
  const input = planInput({ levels: ["Region", "Rep"], levelLabels: ["Region", "Rep"] });
  const progress = computeProgress(input, p, rows, { asOf: dayFromYmd(2027, 6, 30) });
  const payouts = computePayouts(p, progress, rules, { actual: exactActuals(p, progress, rows), forecast: shownForecast(progress) });
  const progressSheet = buildProgressSheet(p, progress, "en");
  return { p, progress, payouts, progressSheet, sheet: buildIncentivesSheet(p, progress, payouts, progressSheet, "en") };
}

const find = (s: SheetSpec, text: string): { row: number; col: number } => {
  for (let r = 0; r < s.rows.length; r++) {
    const c = s.rows[r].indexOf(text);
    if (c >= 0) return { row: r + 1, col: c + 1 };
  }
  throw new Error(`no ${text}`);
};
const at = (s: SheetSpec, row: number, col: number): CellSpec => s.rows[row - 1]?.[col - 1] ?? null;
/** A column of the members' table, by its header. */
const col = (s: SheetSpec, text: string): number => s.rows[find(s, "Payout to date").row - 1].indexOf(text) + 1;
const formula = (c: CellSpec): FormulaCell => c as FormulaCell;

describe("the incentives sheet", () => {
  const whole: PayoutRules = { bands: [band({ tier: "floor" }, 0.01, 10, 2), band({ tier: "target" }, 0.02, 20, 3)], mode: "Whole", cap: 40, rankAward: [5], refs: {} };

  it("reads the actual, target and forecast live from Progress; caches the engine's figures", () => {
    const { sheet, payouts, progressSheet, p, progress } = track(whole);
    expect(sheet.kind).toBe("incentives");
    const cells = locateProgress(p, progress, progressSheet, "en");
    const header = find(sheet, "Payout to date");
    payouts.members.forEach((m, i) => {
      const r = header.row + 1 + i;
      const actual = formula(at(sheet, r, col(sheet, "Actual")));
      expect(actual.formula).toBe(`'Progress'!${String.fromCharCode(64 + cells.actual)}${cells.first + m.node}`);
      expect(actual.result).toBe(m.actual);
      expect(formula(at(sheet, r, col(sheet, "Forecast"))).formula).toBe(`'Progress'!${String.fromCharCode(64 + cells.forecast)}${cells.first + m.node}`);
      const paid = formula(at(sheet, r, header.col));
      expect(paid.formula).toMatch(/^MIN\(\$G\$2,ROUND\(IF\(/);
      expect(paid.result).toBe(m.payout);
      expect(formula(at(sheet, r, col(sheet, "Payout at forecast"))).result).toBe(m.atForecast);
      expect(formula(at(sheet, r, col(sheet, "Rank award"))).formula).toMatch(/^IF\([A-Z]+\d+<=1,INDEX\(\$F\$5:\$F\$5,[A-Z]+\d+\),0\)$/);
    });
    // Zhao (1,300 of a Target of 1,000) is first: capped at 40 with the award.
    const zhao = payouts.members.find((m) => p.nodes[m.node].member === "Zhao")!;
    expect(zhao).toMatchObject({ rank: 1, rankAward: 5, payout: 40, next: null });
    const hint = formula(at(sheet, header.row + 1, col(sheet, "What it takes")));
    expect(hint.result).toMatch(/^Sell [\d,]+ more to reach (Floor|Target|Stretch): earn [\d,]+\.\d\d more$/);
  });

  it("totals per team: the members' payouts added up, and the cost as a share of the team's sales", () => {
    const { sheet, payouts } = track(whole);
    const title = find(sheet, "Totals per team");
    const header = sheet.rows[title.row];
    const total = sheet.rows[title.row + 1];
    expect(total[0]).toBe("Total");
    const root = payouts.teams.find((t) => t.node === 0)!;
    // Each figure under the members' column of the same name.
    const members = sheet.rows[find(sheet, "Payout to date").row - 1];
    const [actual, paid, cost] = ["Actual", "Payout to date", "Cost share of sales"].map((h) => header.indexOf(h));
    expect([actual, paid, cost]).toEqual(["Actual", "Payout to date", "Cost share of sales"].map((h) => members.indexOf(h)));
    expect(formula(total[actual]).formula).toBe("'Progress'!E5");
    expect(formula(total[paid]).formula).toMatch(/^SUM\([A-Z]+\d+:[A-Z]+\d+\)$/);
    expect(formula(total[paid]).result).toBe(root.payout);
    expect(root.payout).toBe(payouts.members.reduce((a, m) => a + m.payout, 0));
    expect(formula(total[cost]).result).toBeCloseTo(root.payout / root.actual, 12);
    expect(sheet.rows[title.row + 2][0]).toBe("East");
    expect(sheet.print).toMatchObject({ orientation: "landscape", fit: { width: 1, height: 0 } });
  });

  it("writes the marginal formula (each rate on the sales inside its band) and no cap when none is set", () => {
    const marginal: PayoutRules = { ...whole, mode: "Marginal", cap: undefined, rankAward: [] };
    const { sheet, payouts } = track(marginal);
    const header = find(sheet, "Payout to date");
    const paid = formula(at(sheet, header.row + 1, header.col));
    expect(paid.formula).toMatch(/^ROUND\(\$B\$5\*MAX\(0,MIN\([A-Z]+\d+,[A-Z]+\d+\)-[A-Z]+\d+\)\+\$B\$6\*MAX\(0,[A-Z]+\d+-[A-Z]+\d+\)\+IF\(/);
    expect(paid.result).toBe(payouts.members[0].payout);
    expect(at(sheet, 2, 7)).toBe("none");
  });

  it("refuses a Progress sheet whose rows are not the nodes it reads", () => {
    const { p, progress, progressSheet } = track(whole);
    const shifted: SheetSpec = { ...progressSheet, rows: [[], ...progressSheet.rows] };
    expect(() => locateProgress(p, progress, shifted, "en")).not.toThrow();
    const broken: SheetSpec = { ...progressSheet, rows: progressSheet.rows.map((r, i) => (i === 6 ? [] : r)) };
    expect(() => locateProgress(p, progress, broken, "en")).toThrow(/does not hold node/);
    expect(() => locateProgress(p, progress, { ...progressSheet, rows: [] }, "en")).toThrow(/no header row/);
  });

  it("RESULT.json's payouts: path, tier, payout, at the forecast, the next step, and the award when there are awards", () => {
    const { p, payouts } = track({ ...whole, bands: [...whole.bands, band({ completion: 1.5 }, 0.03, 0, 4)], cap: undefined });
    const json = payoutsJson(p, payouts) as Record<string, unknown>[];
    const zhao = json.find((j) => (j.path as Record<string, string>).Rep === "Zhao")!;
    expect(zhao).toEqual({ path: { Region: "West", Rep: "Zhao" }, tier: "stretch", payout: 2 * 1300 * 0.01 + 30 + 5, atForecast: expect.any(Number), toNextTier: { completion: 1.5, sell: 200, earn: expect.any(Number) }, rank: 1, rankAward: 5 });
    const wang = json.find((j) => (j.path as Record<string, string>).Rep === "Wang")!;
    expect(wang.tier).toBeNull();
    expect(wang.toNextTier).toEqual({ tier: "floor", sell: 900 - 600, earn: 19 });
  });
});
