/**
 * The weekly review (阶段性会议): ranks and movement since the previous AsOf, the week's figures,
 * the praise list, who needs help, and next week's target — a worked example, and properties
 * that hold the review to two independent progress runs (at the previous AsOf and a week on).
 */
import fc from "fast-check";
import { computePlan, computeProgress, computeReview, dayFromYmd, PlanProblemsError, type FactRow, type PlanResult } from "../../src/engine";
import { planCaseArb } from "./arbitraries";
import { monthFact, planInput } from "./build";

const RUNS = Math.ceil(Number(process.env.PROPERTY_RUNS ?? 150) / 3);

describe("a worked example: three reps with equal targets", () => {
  const input = planInput({
    tiers: { target: 3_650 },
    grain: "Day",
    history: ["A", "B", "C"].map((rep) => monthFact(2026, 1, { Rep: rep }, 1)),
  });
  const plan = computePlan(input);
  const day = (m: number, d: number) => dayFromYmd(2027, m, d);
  const sale = (rep: string, d: number, amount: number): FactRow => ({ dims: { Rep: rep }, start: d, end: d, measures: { Amount: amount } });
  // By 3 March: A 10, B 20, C 30 (C first, A last). By 10 March: A 100, B 25, C 40 (A first).
  const rows = [sale("A", day(3, 1), 10), sale("B", day(3, 1), 20), sale("C", day(3, 2), 30), sale("A", day(3, 9), 90), sale("B", day(3, 4), 5), sale("C", day(3, 10), 10)];
  const progress = computeProgress(input, plan, rows, { asOf: day(3, 10), previousAsOf: day(3, 3) });
  const review = computeReview(input, plan, progress);
  const of = (rep: string) => review.members.find((m) => plan.nodes[m.node].member === rep)!;

  it("ranks the members with their movement since the previous AsOf", () => {
    expect(review.members.map((m) => plan.nodes[m.node].member)).toEqual(["A", "C", "B"]);
    expect([of("A").previousRank, of("B").previousRank, of("C").previousRank]).toEqual([3, 2, 1]);
    expect([of("A").movement, of("B").movement, of("C").movement]).toEqual([2, -1, -1]);
  });

  /** A rep's plan cells from day `from` to day `to` (Day grain: a period per day). */
  const cells = (rep: string, from: number, to: number): number => {
    const i = plan.leaves.findIndex((leaf) => plan.nodes[leaf].member === rep);
    let sum = 0;
    plan.periods.forEach((p, j) => {
      if (p.start >= from && p.end <= to) sum += plan.cells.target[i * plan.periods.length + j];
    });
    return sum;
  };

  it("gives the week's actual, plan and ranking", () => {
    expect([of("A").weekActual, of("B").weekActual, of("C").weekActual]).toEqual([90, 5, 10]);
    for (const rep of ["A", "B", "C"]) {
      const m = of(rep);
      // The plan of 4 to 10 March, day by day.
      expect(m.weekPlan).toBe(cells(rep, day(3, 4), day(3, 10)));
      expect(m.weekCompletion).toBe(m.weekActual / m.weekPlan);
    }
    expect([of("A").weekRank, of("C").weekRank, of("B").weekRank]).toEqual([1, 2, 3]);
  });

  it("praises the top three and the biggest improvers", () => {
    expect(review.top.map((n) => plan.nodes[n].member)).toEqual(["A", "C", "B"]);
    expect(review.improvers.map((n) => plan.nodes[n].member)).toEqual(["A"]);
  });

  it("lists who needs help, behind first, the furthest behind first", () => {
    // To date (69 of 365 days) each rep should be near 230: all three are behind.
    expect(review.help.map((h) => [plan.nodes[h.node].member, h.status])).toEqual([
      ["B", "behind"],
      ["C", "behind"],
      ["A", "behind"],
    ]);
  });

  it("sets next week's target: the gap spread over the rest of the plan by its shape", () => {
    for (const m of review.members) {
      const n = progress.nodes[m.node];
      expect(m.nextWeekPlan).toBe(cells(plan.nodes[m.node].member, day(3, 11), day(3, 17)));
      expect(m.nextWeekTarget).toBeCloseTo(((n.target - n.actual) * m.nextWeekPlan) / (n.target - n.targetToDate), 9);
      // More than the plan, since each member is behind.
      expect(m.nextWeekTarget).toBeGreaterThan(m.nextWeekPlan);
    }
    expect(review.nextWeek).toEqual({ from: day(3, 11), to: day(3, 17) });
  });

  it("has the whole plan as its only team when there is one level", () => {
    expect(review.teams).toEqual([0]);
  });

  it("needs the actuals at the previous AsOf", () => {
    expect(() => computeReview(input, plan, computeProgress(input, plan, rows, { asOf: day(3, 10) }))).toThrow(/previous AsOf/);
  });

  it("shows no movement when the previous AsOf is before the plan", () => {
    const early = computeProgress(input, plan, [sale("A", day(1, 1), 5)], { asOf: day(1, 3), previousAsOf: dayFromYmd(2026, 12, 27) });
    const r = computeReview(input, plan, early);
    expect(r.members.every((m) => m.movement === null && m.previousRank === null)).toBe(true);
    expect(r.improvers).toEqual([]);
  });
});

describe("properties", () => {
  const caseArb = planCaseArb({ grains: fc.constantFrom("Month", "Week", "Day") }).chain(({ input }) =>
    fc.record({
      input: fc.constant(input),
      asOfOffset: fc.double({ min: 0, max: 1, noNaN: true }),
      back: fc.integer({ min: 1, max: 20 }),
      rows: fc.array(fc.record({ leaf: fc.nat(), day: fc.double({ min: 0, max: 1, noNaN: true }), amount: fc.integer({ min: 0, max: 20_000 }) }), { maxLength: 40 }),
      rankBy: fc.constantFrom<"Completion" | "Actual">("Completion", "Actual"),
    }),
  );

  const planOrSkip = (input: Parameters<typeof computePlan>[0]): PlanResult => {
    try {
      return computePlan(input);
    } catch (e) {
      if (e instanceof PlanProblemsError) fc.pre(false);
      throw e;
    }
  };

  it("agrees with progress at the previous AsOf and a week on, and adds up", () => {
    fc.assert(
      fc.property(caseArb, ({ input, asOfOffset, back, rows, rankBy }) => {
        const plan = planOrSkip(input);
        const asOf = plan.start + Math.floor(asOfOffset * (plan.end - plan.start));
        const previousAsOf = asOf - back;
        const facts: FactRow[] = rows.map((r) => {
          const d = plan.start + Math.floor(r.day * (plan.end - plan.start));
          return { dims: { ...plan.nodes[plan.leaves[r.leaf % plan.leaves.length]].path }, start: d, end: d, measures: { Amount: r.amount } };
        });
        const progress = computeProgress(input, plan, facts, { asOf, previousAsOf, rankBy });
        const review = computeReview(input, plan, progress);
        const before = previousAsOf >= plan.start ? computeProgress(input, plan, facts, { asOf: previousAsOf, rankBy }) : undefined;
        const nextDay = Math.min(asOf + 7, plan.end);
        const after = computeProgress(input, plan, facts, { asOf: nextDay, rankBy });
        expect(review.members.map((m) => m.node)).toEqual(progress.ranking.map((r) => r.node));
        for (const m of review.members) {
          const n = progress.nodes[m.node];
          expect(m.weekActual).toBeCloseTo(n.actual - (before?.nodes[m.node].actual ?? 0), 6);
          if (before) {
            expect(m.previousRank).toBe(before.ranking.find((r) => r.node === m.node)!.rank);
            expect(m.movement).toBe(m.previousRank! - m.rank);
            expect(m.weekPlan).toBeCloseTo(n.targetToDate - before.nodes[m.node].targetToDate, 6);
          } else expect(m.movement).toBeNull();
          expect(m.nextWeekPlan).toBeCloseTo(after.nodes[m.node].targetToDate - n.targetToDate, 6);
          expect(m.nextWeekTarget).toBeGreaterThanOrEqual(0);
          if (n.target - n.targetToDate > 0 && m.nextWeekPlan > 0) expect(m.nextWeekTarget / m.nextWeekPlan).toBeCloseTo(Math.max(n.gap, 0) / (n.target - n.targetToDate), 6);
        }
        // The praise list: the top three ranks, and improvers who rose, the most first.
        expect(review.top).toEqual(review.members.filter((m) => m.rank <= 3).map((m) => m.node));
        const moves = review.improvers.map((node) => review.members.find((m) => m.node === node)!.movement!);
        expect(moves.every((x) => x > 0)).toBe(true);
        for (let k = 1; k < moves.length; k++) expect(moves[k]).toBeLessThanOrEqual(moves[k - 1]);
        expect(review.help.every((h) => progress.nodes[h.node].status !== "on-track")).toBe(true);
        expect(review.help.length).toBe(plan.leaves.filter((l) => progress.nodes[l].status !== "on-track").length);
      }),
      { numRuns: RUNS },
    );
  });
});
