/**
 * Exact arithmetic for amounts (CONTRACT §4.4–4.5 at every magnitude): plans from 1 to 10^15
 * Units, Units such as 1, 7, 100, 1,000, 0.01, 0.05 and 2.5, totals that are and are not
 * multiples of Unit, 1–3 levels, locks, Floor and Stretch, Month, Week and Stage grains — all
 * checked in bigint quanta from the plan's exact form, with no tolerance. Then the worked example
 * of the issue (796,604,751,817 at Unit 1,000), the refusal past 10^15 Units, and the decisions
 * that used to rest on a float tolerance: locks, derived tiers, the totals check, the funnel's
 * split and the progress status.
 */
import fc from "fast-check";
import {
  amountDecimal,
  amountQuanta,
  checkTotals,
  computeFunnel,
  computePlan,
  computeProgress,
  dayFromYmd,
  PlanProblemsError,
  roundToUnit,
  splitAmount,
  type PlanInput,
  type PlanResult,
  type Problem,
} from "../../src/engine";
import { toDouble } from "../../src/engine/rational";
import { filteredFloor } from "../../src/engine/rounding";
import { exactCaseArb } from "./arbitraries";
import { exactProblems } from "./exact";
import { monthFact, planInput } from "./build";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

function planOrSkip(input: PlanInput): PlanResult {
  try {
    return computePlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) fc.pre(false);
    throw e;
  }
}

function problemsOf(input: PlanInput): Problem[] {
  try {
    computePlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) return e.problems;
    throw e;
  }
  return [];
}

describe("exact amounts from 1 to 10^15 Units", () => {
  it("add up, stay within one Unit of exact, keep Floor ≤ Target ≤ Stretch and are multiples of Unit off the remainder's path", () => {
    fc.assert(
      fc.property(exactCaseArb(), ({ input }) => {
        const r = planOrSkip(input);
        expect(exactProblems(r)).toBeNull();
        expect(r.rounding.fallbacks).toBe(0);
        expect(checkTotals(r)).toEqual({ ok: true, mismatches: [] });
      }),
      { numRuns: RUNS },
    );
  });

  it("carry a total that is not a multiple of Unit whole: the remainder lands on one path, once per group", () => {
    fc.assert(
      fc.property(exactCaseArb({ grains: fc.constantFrom("Month", "Week") }), ({ input }) => {
        const r = planOrSkip(input);
        const x = r.exact!;
        for (const t of r.tiers) {
          const total = amountQuanta(r, t, "node", 0);
          expect(x.tiers[t]!.remainder).toBe(total % x.unitQuanta);
          // At most one member of each group and one period is not a multiple of Unit.
          for (const parent of r.nodes) {
            const odd = parent.children.filter((c) => amountQuanta(r, t, "node", c) % x.unitQuanta !== 0n);
            expect(odd.length).toBeLessThanOrEqual(1);
          }
          const oddPeriods = r.periods.filter((_, j) => amountQuanta(r, t, "period", j) % x.unitQuanta !== 0n);
          expect(oddPeriods.length).toBe(total % x.unitQuanta === 0n ? 0 : 1);
        }
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

describe("the exact checker", () => {
  it("finds one quantum out of place", () => {
    const r = computePlan(planInput({ tiers: { target: 1_000_003 }, unit: 10, grain: "Week", history: [monthFact(2026, 1, { Rep: "Li" }, 3), monthFact(2026, 1, { Rep: "Wang" }, 4)] }));
    expect(exactProblems(r)).toBeNull();
    const moved = structuredClone(r);
    moved.exact!.cellUnits.target![0] += 1;
    moved.exact!.cellUnits.target![1] -= 1;
    moved.cells.target[0] += 10;
    moved.cells.target[1] -= 10;
    expect(exactProblems(moved)).toMatch(/more than one Unit from exact|column/);
    const lost = structuredClone(r);
    lost.exact!.tiers.target!.remainder = 0n;
    expect(exactProblems(lost)).toMatch(/remainder/);
  });
});

describe("the issue's worked example: Target 796,604,751,817 at Unit 1,000", () => {
  const reps = ["Li", "Wang", "Zhang", "Chen", "Zhao", "Sun", "Zhou"];
  const history = reps.flatMap((rep, i) => Array.from({ length: 12 }, (_, m) => monthFact(2026, m + 1, { Rep: rep }, 1000 + 37 * i + 11 * m)));
  for (const grain of ["Month", "Week"] as const) {
    it(`keeps its remainder of 817 at ${grain} grain: members and periods add up to 796,604,751,817`, () => {
      const r = computePlan(planInput({ tiers: { target: 796_604_751_817 }, unit: 1000, grain, history }));
      expect(exactProblems(r)).toBeNull();
      const leaves = r.leaves.reduce((a, leaf) => a + amountQuanta(r, "target", "node", leaf), 0n);
      const periods = r.periods.reduce((a, _, j) => a + amountQuanta(r, "target", "period", j), 0n);
      expect(leaves).toBe(796_604_751_817n);
      expect(periods).toBe(796_604_751_817n);
      expect(r.exact!.tiers.target!.remainder).toBe(817n);
      expect(amountDecimal(r, "target", "node", 0)).toBe("796604751817");
      expect(r.totals.target).toBe(796_604_751_817);
      expect(checkTotals(r).ok).toBe(true);
    });
  }
});

describe("past 10^15 Units", () => {
  const history = [monthFact(2026, 1, { Rep: "Li" }, 1), monthFact(2026, 1, { Rep: "Wang" }, 2)];

  it("refuses the plan, naming the Target cell", () => {
    expect(problemsOf(planInput({ tiers: { target: 1e15 * 1000 + 1000 }, unit: 1000, history }))).toEqual([
      { ref: "Targets!B2", code: "amountTooLarge", args: { amount: 1e18 + 1000, unit: 1000 } },
    ]);
  });

  it("names the Floor or Stretch cell when that tier is the one too large, and accepts exactly 10^15 Units", () => {
    const stretch = problemsOf(planInput({ tiers: { target: 1e15, stretch: 1.5e15 }, unit: 1, history }));
    expect(stretch).toEqual([expect.objectContaining({ ref: "Targets!C2", code: "amountTooLarge" })]);
    const r = computePlan(planInput({ tiers: { target: 1e15, floor: 9e14 }, unit: 1, history }));
    expect(exactProblems(r)).toBeNull();
    expect(r.exact!.nodeUnits.target![0]).toBe(1e15);
  });

  it("counts Units, not digits: 10^17 at Unit 100 is 10^15 Units and plans", () => {
    const r = computePlan(planInput({ tiers: { target: 1e17 }, unit: 100, grain: "Week", history }));
    expect(exactProblems(r)).toBeNull();
  });
});

describe("decimals, exactly", () => {
  it("holds a total with more decimals than Unit: the remainder is 0.37 at Unit 1", () => {
    const r = computePlan(planInput({ tiers: { target: 123_456_789_012.37 }, unit: 1, history: [monthFact(2026, 1, { Rep: "Li" }, 1), monthFact(2026, 1, { Rep: "Wang" }, 2)] }));
    expect(exactProblems(r)).toBeNull();
    expect(r.exact!.decimals).toBe(2);
    expect(r.exact!.tiers.target!.remainder).toBe(37n);
    expect(amountDecimal(r, "target", "node", 0)).toBe("123456789012.37");
  });

  it("rounds cents with no drift: 0.1 + 0.2 is 0.3 in every sum", () => {
    const reps = ["A", "B", "C"].map((rep, i) => monthFact(2026, 1, { Rep: rep }, i + 1));
    const r = computePlan(planInput({ tiers: { target: 0.3 }, unit: 0.01, grain: "Quarter", history: reps }));
    expect(exactProblems(r)).toBeNull();
    expect(r.nodes.slice(1).map((n) => n.amount.target)).toEqual([0.05, 0.1, 0.15]);
  });

  it("computes exact cells where the doubles cannot tell: whole-Unit cells and 10^15-Unit plans", () => {
    // Equal weeks of an equal split: every cell is exactly 7 Units, an integer the filter must not round either way.
    const equal = computePlan(
      planInput({ tiers: { target: 7 * 4 * 3 }, unit: 1, grain: "Week", start: dayFromYmd(2027, 1, 4), end: dayFromYmd(2027, 1, 31), methods: { Rep: "Equal" }, history: ["A", "B", "C"].map((rep) => monthFact(2026, 1, { Rep: rep }, 1)) }),
    );
    expect(exactProblems(equal)).toBeNull();
    expect(Array.from(equal.cells.target)).toEqual(new Array(12).fill(7));
    // 55 × 3/11 is exactly 15, while 55 × (3 ÷ 11) in doubles is 14.999999999999998.
    const start = dayFromYmd(2027, 4, 1);
    const stages = [
      { name: "S1", start, end: start + 9, weight: 3, ref: "Stages!A2" },
      { name: "S2", start: start + 10, end: start + 29, weight: 8, ref: "Stages!A3" },
    ];
    const thirds = computePlan(planInput({ tiers: { target: 110 }, unit: 1, grain: "Stage", stages, start, end: start + 29, methods: { Rep: "Equal" }, history: ["A", "B"].map((rep) => monthFact(2026, 1, { Rep: rep }, 1)) }));
    expect(exactProblems(thirds)).toBeNull();
    expect(Array.from(thirds.cells.target)).toEqual([15, 40, 15, 40]);
    expect(Array.from(thirds.exact!.periodUnits.target!)).toEqual([30, 80]);
    const huge = computePlan(planInput({ tiers: { target: 999_999_999_999_999 }, unit: 1, grain: "Week", history: ["A", "B", "C"].map((rep, i) => monthFact(2026, 3, { Rep: rep }, 3 + i)) }));
    expect(exactProblems(huge)).toBeNull();
  });
});

describe("decisions that used to rest on a tolerance", () => {
  const twoReps = [monthFact(2026, 3, { Rep: "Li" }, 300), monthFact(2026, 3, { Rep: "Wang" }, 100)];

  it("a lock one quantum off a multiple of Unit is not one", () => {
    const weights = [{ level: "Rep", member: "Li", lock: 500_000_000_001, refs: { member: "Weights!B2", lock: "Weights!D2" } }];
    expect(problemsOf(planInput({ tiers: { target: 900_000_000_000 }, unit: 1000, history: twoReps, weights }))).toEqual([
      expect.objectContaining({ ref: "Weights!D2", code: "lockNotMultipleOfUnit" }),
    ]);
  });

  it("locks one Unit above their parent, or one short of filling it, are refused at 10^14", () => {
    const lock = (member: string, amount: number, row: number) => ({ level: "Rep", member, lock: amount, refs: { member: `Weights!B${row}`, lock: `Weights!D${row}` } });
    const target = 200_000_000_000_000;
    expect(problemsOf(planInput({ tiers: { target }, history: twoReps, weights: [lock("Li", 100_000_000_000_001, 2), lock("Wang", 100_000_000_000_000, 3)] }))).toEqual([
      expect.objectContaining({ ref: "Weights!D3", code: "lockAboveParent" }),
    ]);
    expect(problemsOf(planInput({ tiers: { target }, history: twoReps, weights: [lock("Li", 99_999_999_999_999, 2), lock("Wang", 100_000_000_000_000, 3)] }))).toEqual([
      expect.objectContaining({ ref: "Weights!D3", code: "locksDoNotFill" }),
    ]);
    const r = computePlan(planInput({ tiers: { target }, history: twoReps, weights: [lock("Li", 99_999_999_999_999, 2), lock("Wang", 100_000_000_000_001, 3)] }));
    expect(r.nodes.slice(1).map((n) => n.amount.target)).toEqual([99_999_999_999_999, 100_000_000_000_001]);
  });

  it("derives a tier by rounding halves up on the exact product, not on a nudged double", () => {
    // 1,000,000 × 0.8494999999995 = 849,499.9999995: below the half, so 849,000 at Unit 1,000.
    const r = computePlan(planInput({ tiers: { target: 1_000_000 }, floorRatio: 0.8494999999995, unit: 1000, history: twoReps }));
    expect(r.totals.floor).toBe(849_000);
    expect(roundToUnit(2.675, 0.01)).toBe(2.68);
    expect(roundToUnit(13_579.5, 100)).toBe(13_600);
  });

  it("the totals check compares quanta: one Unit off at 796,604,751,817 is a mismatch", () => {
    const r = computePlan(planInput({ tiers: { target: 796_604_751_817 }, unit: 1, history: twoReps }));
    expect(checkTotals(r).ok).toBe(true);
    const tampered = structuredClone(r);
    tampered.exact!.cellUnits.target![0] += 1;
    expect(checkTotals(tampered).mismatches).toEqual(["target: periods of Li", "target: members in 2027-01"]);
    // A result built by hand is read as its decimals.
    const byHand = structuredClone(r);
    delete byHand.exact;
    expect(checkTotals(byHand).ok).toBe(true);
    byHand.nodes[1].amount.target -= 1;
    expect(checkTotals(byHand).ok).toBe(false);
  });

  it("the funnel splits 796,604,751,817 over channels exactly, remainder included", () => {
    const history = ["Referral", "Walk-in", "Online"].map((channel, i) => ({
      ...monthFact(2026, 1 + i, { Rep: "Li", Channel: channel }, 1_000_003 * (i + 1) + 0.25, { Orders: 7 + i }),
      ref: `History!A${i + 2}`,
    }));
    const input = planInput({ tiers: { target: 796_604_751_817 }, unit: 1000, history });
    const plan = computePlan(input);
    const funnel = computeFunnel(input, plan, { dimension: "Channel", stages: ["Orders"] }, { table: "History!A1", letters: {}, labels: {} })!;
    const sum = funnel.channels.reduce((a, c) => a + BigInt(c.target), 0n);
    expect(sum).toBe(796_604_751_817n);
    expect(funnel.totals.target).toBe(796_604_751_817);
    funnel.channels.forEach((c) => expect(c.periods.reduce((a, p) => a + BigInt(p.target), 0n)).toBe(BigInt(c.target)));
    plan.periods.forEach((p, j) => expect(funnel.channels.reduce((a, c) => a + BigInt(c.periods[j].target), 0n)).toBe(amountQuanta(plan, "target", "period", j)));
    const split = splitAmount(796_604_751_817, 1000, [1, 2, 4], [796_604_751_817]);
    expect(split.amountQuanta.reduce((a, b) => a + b, 0n)).toBe(796_604_751_817n);
    expect(split.amounts.filter((a) => a % 1000 !== 0)).toEqual([split.amounts[2]]);
  });

  it("decides a pace exactly on its threshold exactly: 3 of 5 after 3 of 4 days is a pace of 0.8, at risk", () => {
    // In doubles (3 ÷ 5) ÷ (3 ÷ 4) is 0.7999999999999999, which would read as behind.
    const start = dayFromYmd(2027, 3, 1);
    const input = planInput({ start, end: start + 3, grain: "Day", tiers: { target: 5 }, history: [monthFact(2026, 3, { Rep: "Li" }, 1)] });
    const plan = computePlan(input);
    const actuals = [{ dims: { Rep: "Li" }, start: start + 1, end: start + 1, measures: { Amount: 3 } }];
    const p = computeProgress(input, plan, actuals, { asOf: start + 2 });
    expect(p.nodes[0].status).toBe("at-risk");
    expect(p.nodes[0].pace).toBe(0.8);
  });
});

describe("the filter on the cells' doubles", () => {
  /** ⌊n ÷ d⌋ and whether n ÷ d is whole, exactly. */
  const truth = (n: bigint, d: bigint): [number, boolean] => [Number(n / d), n % d === 0n];

  it("leaves whole numbers and their near misses to the exact computation", () => {
    // 55 × 3/11 is 15; in doubles 55 × (3 ÷ 11) is 14.999999999999998, whose floor is 14.
    expect(55 * (3 / 11)).toBe(14.999999999999998);
    expect(filteredFloor(55 * (3 / 11))).toBe(-1);
    expect(filteredFloor(15)).toBe(-1);
    expect(filteredFloor(0)).toBe(-1);
    expect(filteredFloor(15.5)).toBe(15);
    // Past 10^14 Units the band is wider than the gap to the next whole number.
    expect(filteredFloor(1e14 + 0.5)).toBe(-1);
  });

  it("gives the exact floor of leaf × share whenever it gives one", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 8n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.option(fc.record({ m: fc.bigInt({ min: 0n, max: 10n ** 9n }), delta: fc.bigInt({ min: -3n, max: 3n }) }), { nil: undefined }),
        (random, ld, sn, sdExtra, unit, near) => {
          const sd = sn + sdExtra; // a share ≤ 1
          // Either any leaf, or one whose cell is a whole number m × sn give or take a few parts in ld·sd·unit.
          const ln = near ? near.m * ld * sd * unit + near.delta : random;
          fc.pre(ln > 0n);
          // Keep the cell at most 10^15 Units, as the engine does.
          fc.pre(ln * sn <= 10n ** 15n * ld * sd * unit);
          const x = (toDouble(ln, ld) / Number(unit)) * toDouble(sn, sd);
          const f = filteredFloor(x);
          if (f < 0) return;
          const [floor, whole] = truth(ln * sn, ld * sd * unit);
          expect(f).toBe(floor);
          expect(whole).toBe(false);
        },
      ),
      { numRuns: RUNS * 20 },
    );
  });
});
