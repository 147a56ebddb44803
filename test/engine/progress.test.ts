/**
 * CONTRACT §4.7–4.8: progress at AsOf and ranking. Properties over random plans and actuals,
 * then the bad-input classes (unplanned members, dates outside the plan, AsOf outside, returns).
 */
import fc from "fast-check";
import { computePlan, dayFromYmd, PlanProblemsError, type FactRow, type PlanResult, type Problem } from "../../src/engine";
import { computeProgress, statusOf } from "../../src/engine/progress";
import { competitionRanks } from "../../src/engine/ranking";
import { planCaseArb } from "./arbitraries";
import { monthFact, planInput } from "./build";

const RUNS = Math.ceil(Number(process.env.PROPERTY_RUNS ?? 150) / 2);

function planOrSkip(input: Parameters<typeof computePlan>[0]): PlanResult {
  try {
    return computePlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) fc.pre(false);
    throw e;
  }
}

/** Random actuals for a plan: rows on random days of the plan, some returns, no member below zero. */
const trackCaseArb = planCaseArb({ grains: fc.constantFrom("Month", "Week", "Quarter") }).chain(({ input }) =>
  fc.record({
    input: fc.constant(input),
    asOfOffset: fc.double({ min: 0, max: 1, noNaN: true }),
    rows: fc.array(fc.record({ leaf: fc.nat(), day: fc.double({ min: 0, max: 1, noNaN: true }), amount: fc.integer({ min: -500, max: 20_000 }) }), { maxLength: 60 }),
    rankBy: fc.constantFrom<"Completion" | "Actual">("Completion", "Actual"),
  }),
);

function actualsFor(plan: PlanResult, rows: { leaf: number; day: number; amount: number }[]): FactRow[] {
  const span = plan.end - plan.start;
  // In date order, so that whatever AsOf cuts off, no member's sales to date go below zero.
  const dated = rows.map((r) => ({ ...r, date: plan.start + Math.floor(r.day * span) })).sort((a, b) => a.date - b.date);
  const byLeaf = new Map<number, number>();
  const out: FactRow[] = [];
  for (const r of dated) {
    const leaf = plan.leaves[r.leaf % plan.leaves.length];
    // Returns never take a member below zero here (that case has its own test).
    const amount = (byLeaf.get(leaf) ?? 0) + r.amount < 0 ? -r.amount : r.amount;
    byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + amount);
    out.push({ dims: { ...plan.nodes[leaf].path }, start: r.date, end: r.date, measures: { Amount: amount } });
  }
  return out;
}

describe("§4.7 progress at AsOf", () => {
  it("completion, pace, gap, required per day and forecast are consistent", () => {
    fc.assert(
      fc.property(trackCaseArb, ({ input, asOfOffset, rows, rankBy }) => {
        const plan = planOrSkip(input);
        const asOf = plan.start + Math.floor(asOfOffset * (plan.end - plan.start));
        const p = computeProgress(input, plan, actualsFor(plan, rows), { asOf, rankBy });
        expect(p.elapsedDays + p.remainingDays).toBe(p.totalDays);
        for (const n of p.nodes) {
          if (n.target > 0) expect(n.completion * n.target).toBeCloseTo(n.actual, 6);
          if (p.timeElapsed > 0) {
            expect(n.pace * p.timeElapsed).toBeCloseTo(n.completion, 9);
            expect(n.forecast * p.timeElapsed).toBeCloseTo(n.actual, 6);
          }
          expect(n.gap).toBeCloseTo(n.target - n.actual, 6);
          if (p.remainingDays > 0) expect(n.requiredPerDay * p.remainingDays).toBeCloseTo(Math.max(n.gap, 0), 6);
          expect(n.status).toBe(statusOf(n.pace, [1, 0.8]));
          expect(n.targetToDate).toBeLessThanOrEqual(n.target + 1e-6);
        }
        // Actuals add up the tree, and the plan to date adds up over periods.
        for (const node of plan.nodes) {
          if (!node.children.length) continue;
          const i = plan.nodes.indexOf(node);
          const sum = node.children.reduce((a, c) => a + p.nodes[c].actual, 0);
          expect(sum).toBeCloseTo(p.nodes[i].actual, 6);
        }
        const periodsToDate = p.periods.reduce((a, x) => a + x.targetToDate, 0);
        expect(periodsToDate).toBeCloseTo(p.nodes[0].targetToDate, 4);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("§4.8 ranking", () => {
  it("is a valid competition ranking, overall and within each parent", () => {
    fc.assert(
      fc.property(trackCaseArb, ({ input, asOfOffset, rows, rankBy }) => {
        const plan = planOrSkip(input);
        const asOf = plan.start + Math.floor(asOfOffset * (plan.end - plan.start));
        const p = computeProgress(input, plan, actualsFor(plan, rows), { asOf, rankBy });
        expect(p.ranking).toHaveLength(plan.leaves.length);
        for (const r of p.ranking) {
          const value = rankBy === "Actual" ? p.nodes[r.node].actual : p.nodes[r.node].completion;
          expect(r.value).toBe(value);
          expect(r.rank).toBe(1 + p.ranking.filter((o) => o.value > r.value).length);
          const siblings = p.ranking.filter((o) => plan.nodes[o.node].parent === plan.nodes[r.node].parent);
          expect(r.rankInParent).toBe(1 + siblings.filter((o) => o.value > r.value).length);
        }
        for (let k = 1; k < p.ranking.length; k++) expect(p.ranking[k].rank).toBeGreaterThanOrEqual(p.ranking[k - 1].rank);
      }),
      { numRuns: RUNS },
    );
  });

  it("shares ranks on ties: 1, 2, 2, 4", () => {
    expect(competitionRanks([90, 80, 80, 70])).toEqual([1, 2, 2, 4]);
    expect(competitionRanks([1, 3, 3, 3])).toEqual([4, 1, 1, 1]);
    expect(competitionRanks([])).toEqual([]);
  });
});

describe("bad actuals", () => {
  const input = planInput({
    tiers: { target: 1200 },
    history: [monthFact(2026, 1, { Rep: "Li" }, 1), monthFact(2026, 1, { Rep: "Wang" }, 1)],
  });
  const plan = computePlan(input);
  const row = (rep: string, day: number, amount: number, ref: string): FactRow => ({ dims: { Rep: rep }, start: day, end: day, measures: { Amount: amount }, ref });
  const asOf = plan.start + 40;

  const problemsOf = (f: () => unknown): { ref: string; code: string }[] => {
    try {
      f();
    } catch (e) {
      if (e instanceof PlanProblemsError) return e.problems;
      throw e;
    }
    return [];
  };

  it("names the cell of an actual for a member the plan does not have", () => {
    expect(problemsOf(() => computeProgress(input, plan, [row("Zhao", plan.start, 10, "Actuals!B7")], { asOf }))).toEqual([
      expect.objectContaining({ ref: "Actuals!B7", code: "unplannedMember" }),
    ]);
  });

  it("can count it as unplanned instead", () => {
    const p = computeProgress(input, plan, [row("Zhao", plan.start, 10, "Actuals!B7")], { asOf, includeUnplanned: true });
    expect(p.unplanned).toEqual([{ path: { Rep: "Zhao" }, actual: 10, refs: ["Actuals!B7"] }]);
    expect(p.nodes[0].actual).toBe(10);
  });

  it("names an actual dated outside the plan", () => {
    expect(problemsOf(() => computeProgress(input, plan, [row("Li", plan.end + 3, 10, "Actuals!A9")], { asOf }))[0]).toMatchObject({ ref: "Actuals!A9", code: "actualOutsidePlan" });
  });

  it("names an AsOf before the plan starts or after it ends", () => {
    expect(problemsOf(() => computeProgress(input, plan, [], { asOf: plan.start - 1, asOfRef: "Settings!B9" }))[0]).toMatchObject({ ref: "Settings!B9", code: "asOfOutsidePlan" });
    expect(problemsOf(() => computeProgress(input, plan, [], { asOf: plan.end + 1, asOfRef: "--as-of" }))[0]).toMatchObject({ ref: "--as-of", code: "asOfOutsidePlan" });
  });

  it("allows returns, but not a member below zero in total", () => {
    const ok = computeProgress(input, plan, [row("Li", plan.start, 100, "Actuals!C2"), row("Li", plan.start + 1, -30, "Actuals!C3")], { asOf });
    expect(ok.nodes.find((n) => plan.nodes[n.node].member === "Li")?.actual).toBe(70);
    expect(problemsOf(() => computeProgress(input, plan, [row("Li", plan.start, 100, "Actuals!C2"), row("Li", plan.start + 1, -130, "Actuals!C3")], { asOf }))[0]).toMatchObject({
      ref: "Actuals!C2",
      code: "negativeActualTotal",
    });
  });
});

describe("the seasonal forecast", () => {
  // A plan of 1,200 whose History puts more than half of the year in December: by the end of
  // June the plan asked for 6 × 50 = 300, while half of the year's days have gone.
  const input = planInput({
    tiers: { target: 1200 },
    history: Array.from({ length: 12 }, (_, m) => monthFact(2026, m + 1, { Rep: "Li" }, m === 11 ? 65 : 5)),
  });
  const plan = computePlan(input);
  const june30 = dayFromYmd(2027, 6, 30);
  const sold = (amount: number): FactRow[] => [{ dims: { Rep: "Li" }, start: plan.start, end: plan.start, measures: { Amount: amount } }];

  it("is actual + (target − target to date) × (actual ÷ target to date)", () => {
    const p = computeProgress(input, plan, sold(300), { asOf: june30 });
    const li = p.nodes[1];
    expect(li.targetToDate).toBe(300);
    expect(li.forecastSeasonal).toBe(300 + (1200 - 300) * (300 / 300));
    expect(li.paceSeasonal).toBe(1);
    // The run rate reads the same 300 as half a year's work: 300 ÷ (181 ÷ 365), far short of 1,200.
    expect(li.forecast).toBeCloseTo(300 / (181 / 365), 9);
    expect(li.status).toBe("behind");
  });

  it("lets Forecast = Seasonal decide the status", () => {
    const p = computeProgress(input, plan, sold(270), { asOf: june30, forecast: "Seasonal" });
    expect(p.forecastBy).toBe("Seasonal");
    expect(p.nodes[1].paceSeasonal).toBe(0.9);
    expect(p.nodes[1].status).toBe("at-risk");
    expect(computeProgress(input, plan, sold(300), { asOf: june30, forecast: "Seasonal" }).nodes[1].status).toBe("on-track");
  });

  it("is the target plus what was sold while nothing was due yet", () => {
    const p = computeProgress(input, plan, sold(0), { asOf: plan.start, forecast: "Seasonal" });
    // One day of January's 50 is due on 1 January.
    expect(p.nodes[1].targetToDate).toBeCloseTo(50 / 31, 12);
    const zero = computeProgress(planInput({ tiers: { target: 0 }, history: input.history }), computePlan(planInput({ tiers: { target: 0 }, history: input.history })), sold(5), { asOf: june30 });
    expect(zero.nodes[1].forecastSeasonal).toBe(5);
    expect(zero.nodes[1].paceSeasonal).toBe(1);
  });

  it("forecast ÷ target is actual ÷ target to date, for every node of random plans", () => {
    fc.assert(
      fc.property(trackCaseArb, ({ input: i, asOfOffset, rows }) => {
        const pl = planOrSkip(i);
        const asOf = pl.start + Math.floor(asOfOffset * (pl.end - pl.start));
        const p = computeProgress(i, pl, actualsFor(pl, rows), { asOf, forecast: "Seasonal" });
        for (const n of p.nodes) {
          if (n.targetToDate > 0 && n.target > 0) expect(n.forecastSeasonal / n.target).toBeCloseTo(n.actual / n.targetToDate, 6);
          if (n.targetToDate === 0) expect(n.forecastSeasonal).toBe(n.actual + n.target);
          expect(n.status).toBe(statusOf(n.paceSeasonal, [1, 0.8]));
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("Actuals that name only the most specific level", () => {
  const input = planInput({
    levels: ["Region", "Rep"],
    levelLabels: ["Region", "Rep"],
    tiers: { target: 1200 },
    history: [
      monthFact(2026, 1, { Region: "East", Rep: "Li" }, 1),
      monthFact(2026, 1, { Region: "East", Rep: "Wang" }, 1),
      monthFact(2026, 1, { Region: "West", Rep: "Li" }, 1),
      monthFact(2026, 1, { Region: "West", Rep: "Zhao" }, 1),
    ],
  });
  const plan = computePlan(input);
  const asOf = plan.start + 40;
  const row = (dims: Record<string, string>, amount: number, ref: string): FactRow => ({ dims, start: plan.start, end: plan.start, measures: { Amount: amount }, ref });

  it("are matched by that name when it is unique in the plan", () => {
    const p = computeProgress(input, plan, [row({ Rep: "Wang" }, 10, "Actuals!A2"), row({ Rep: "Zhao" }, 7, "Actuals!A3"), row({ Region: "West", Rep: "Li" }, 5, "Actuals!A4")], { asOf });
    const of = (region: string, rep: string) => p.nodes.find((n) => plan.nodes[n.node].path.Region === region && plan.nodes[n.node].member === rep)!.actual;
    expect([of("East", "Wang"), of("West", "Zhao"), of("West", "Li"), of("East", "Li")]).toEqual([10, 7, 5, 0]);
    expect(p.nodes[0].actual).toBe(22);
    expect(Array.from(p.rowNodes)).toEqual([plan.nodes.findIndex((n) => n.member === "Wang"), plan.nodes.findIndex((n) => n.member === "Zhao"), plan.nodes.findIndex((n) => n.path.Region === "West" && n.member === "Li")]);
  });

  it("are a problem naming the row and the candidates when the name is not unique", () => {
    let problems: Problem[] = [];
    try {
      computeProgress(input, plan, [row({ Rep: "Li" }, 10, "Actuals!A2"), row({ Rep: "Wang" }, 1, "Actuals!A3"), row({ Rep: "Li" }, 3, "Actuals!A4")], { asOf });
    } catch (e) {
      problems = (e as PlanProblemsError).problems;
    }
    expect(problems).toEqual([{ ref: "Actuals!A2", code: "ambiguousMemberRows", args: { member: "Li", candidates: "East / Li; West / Li", more: 1 } }]);
    try {
      computeProgress(input, plan, [row({ Rep: "Li" }, 10, "Actuals!A5")], { asOf });
    } catch (e) {
      problems = (e as PlanProblemsError).problems;
    }
    expect(problems).toEqual([{ ref: "Actuals!A5", code: "ambiguousMember", args: { member: "Li", candidates: "East / Li; West / Li" } }]);
  });

  it("name a member the plan does not have by the levels they give", () => {
    let problems: Problem[] = [];
    try {
      computeProgress(input, plan, [row({ Rep: "Sun" }, 10, "Actuals!A2")], { asOf });
    } catch (e) {
      problems = (e as PlanProblemsError).problems;
    }
    expect(problems).toEqual([expect.objectContaining({ ref: "Actuals!A2", code: "unplannedMember", args: { member: "Sun" } })]);
  });
});

describe("the actuals at a previous AsOf", () => {
  const input = planInput({ tiers: { target: 1200 }, history: [monthFact(2026, 1, { Rep: "Li" }, 1), monthFact(2026, 1, { Rep: "Wang" }, 1)] });
  const plan = computePlan(input);
  const row = (rep: string, day: number, amount: number): FactRow => ({ dims: { Rep: rep }, start: day, end: day, measures: { Amount: amount } });

  it("are summed in the same pass, rows on the previous AsOf included", () => {
    const rows = [row("Li", plan.start, 10), row("Li", plan.start + 7, 20), row("Li", plan.start + 8, 40), row("Wang", plan.start + 9, 5)];
    const p = computeProgress(input, plan, rows, { asOf: plan.start + 14, previousAsOf: plan.start + 7 });
    expect(p.previous!.asOf).toBe(plan.start + 7);
    expect(Array.from(p.previous!.actual)).toEqual([30, 30, 0]);
    expect(p.nodes.map((n) => n.actual)).toEqual([75, 70, 5]);
  });

  it("must be before AsOf", () => {
    let problems: Problem[] = [];
    try {
      computeProgress(input, plan, [], { asOf: plan.start + 14, previousAsOf: plan.start + 14, previousAsOfRef: "Settings!B10" });
    } catch (e) {
      problems = (e as PlanProblemsError).problems;
    }
    expect(problems).toEqual([expect.objectContaining({ ref: "Settings!B10", code: "previousAsOfNotBefore" })]);
  });
});
