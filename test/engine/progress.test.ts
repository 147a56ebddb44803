/**
 * CONTRACT §4.7–4.8: progress at AsOf and ranking. Properties over random plans and actuals,
 * then the bad-input classes (unplanned members, dates outside the plan, AsOf outside, returns).
 */
import fc from "fast-check";
import { computePlan, PlanProblemsError, type FactRow, type PlanResult } from "../../src/engine";
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
