/**
 * Incentives (engine/payout.ts): worked examples of whole and marginal bands, the cap, the ranking
 * award for the top N and "再卖 X 到达力争，多得 Y"; properties over random bands and actuals; the
 * checks that need the plan; exact actuals from decimal Actuals.
 */
import fc from "fast-check";
import { computePlan, dayFromYmd, type FactRow, type PlanResult } from "../../src/engine";
import {
  bandStarts,
  checkPayoutRules,
  computePayouts,
  exactActuals,
  payoutAt,
  shownForecast,
  tierWorth,
  type PayoutBand,
  type PayoutRules,
} from "../../src/engine/payout";
import { computeProgress } from "../../src/engine/progress";
import { fromNumber, toNumber, type Rational } from "../../src/engine/rational";
import { planInput } from "./build";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

/** Two reps with Floor 900, Target 1,000, Stretch 1,200 each (and a third with twice that, when asked). */
function twoReps(reps: string[] = ["Li", "Wang"]): PlanResult {
  const weights = reps.map((member, i) => ({ level: "Rep", member, weight: 1, refs: { member: `Weights!B${i + 2}`, weight: `Weights!C${i + 2}` } }));
  const n = reps.length;
  return computePlan(planInput({ tiers: { floor: 900 * n, target: 1000 * n, stretch: 1200 * n }, levels: ["Rep"], levelLabels: ["Rep"], methods: { Rep: "Weights" }, weights }));
}

function band(from: PayoutBand["from"], rate: number, bonus = 0, row = 2): PayoutBand {
  const label = "tier" in from ? from.tier : `${Math.round(from.completion * 10000) / 100}%`;
  return { from, rate, bonus, label, refs: { from: `Payout!A${row}`, rate: `Payout!B${row}`, bonus: `Payout!C${row}` } };
}

/** The example: nothing below 保底, 1 % from 保底, 2 % from 力争, 3 % from 冲刺, and a bonus per tier reached. */
function exampleRules(mode: PayoutRules["mode"] = "Whole", over: Partial<PayoutRules> = {}): PayoutRules {
  return {
    bands: [band({ tier: "floor" }, 0.01, 10, 2), band({ tier: "target" }, 0.02, 20, 3), band({ tier: "stretch" }, 0.03, 50, 4)],
    mode,
    rankAward: [],
    refs: {},
    ...over,
  };
}

const q = (x: number): Rational => fromNumber(x);
const paid = (plan: PlanResult, rules: PayoutRules, leaf: number, actual: number, award = 0): number =>
  toNumber(payoutAt(rules, bandStarts(plan, rules, leaf), q(actual), q(award)));

describe("payout bands, worked examples (Floor 900, Target 1,000, Stretch 1,200)", () => {
  const plan = twoReps();
  const li = plan.leaves[0];

  it("whole: the rate of the highest band reached on all of the actual, plus every bonus reached", () => {
    const rules = exampleRules("Whole");
    expect(paid(plan, rules, li, 899)).toBe(0);
    expect(paid(plan, rules, li, 900)).toBe(9 + 10); // 1 % × 900 + 10
    expect(paid(plan, rules, li, 950)).toBe(9.5 + 10);
    expect(paid(plan, rules, li, 1000)).toBe(20 + 10 + 20); // 2 % × 1,000
    expect(paid(plan, rules, li, 1100)).toBe(22 + 30);
    expect(paid(plan, rules, li, 1300)).toBe(39 + 80); // 3 % × 1,300 + 10 + 20 + 50
  });

  it("marginal: each rate only on the sales inside its band", () => {
    const rules = exampleRules("Marginal");
    expect(paid(plan, rules, li, 899)).toBe(0);
    expect(paid(plan, rules, li, 950)).toBe(0.5 + 10); // 1 % × (950 − 900)
    expect(paid(plan, rules, li, 1100)).toBe(1 + 2 + 30); // 1 % × 100 + 2 % × 100
    expect(paid(plan, rules, li, 1300)).toBe(1 + 4 + 3 + 80); // 1 % × 100 + 2 % × 200 + 3 % × 100
  });

  it("completion bands start at that share of the member's Target", () => {
    const rules: PayoutRules = { bands: [band({ completion: 0.8 }, 0.005), band({ tier: "target" }, 0.01), band({ completion: 1.5 }, 0.02, 100)], mode: "Whole", rankAward: [], refs: {} };
    expect(bandStarts(plan, rules, li).map(toNumber)).toEqual([800, 1000, 1500]);
    expect(paid(plan, rules, li, 799)).toBe(0);
    expect(paid(plan, rules, li, 800)).toBe(4);
    expect(paid(plan, rules, li, 1500)).toBe(130);
  });

  it("the cap limits the total, after rounding; the ranking award counts towards it", () => {
    const rules = exampleRules("Whole", { cap: 100 });
    expect(paid(plan, rules, li, 1300)).toBe(100);
    expect(paid(plan, rules, li, 1100)).toBe(52);
    expect(paid(plan, rules, li, 1100, 60)).toBe(100);
    expect(paid(plan, exampleRules("Whole", { cap: 0 }), li, 1300)).toBe(0);
  });

  it("rounds the total half up to 0.01, on the exact amounts", () => {
    const rules: PayoutRules = { bands: [band({ completion: 0 }, 0.015)], mode: "Whole", rankAward: [], refs: {} };
    // 1.5 % × 1,001 = 15.015 exactly: 15.02 (a double product is 15.014999…).
    expect(paid(plan, rules, li, 1001)).toBe(15.02);
    expect(paid(plan, rules, li, 1000.3)).toBe(15); // 15.0045 → 15.00
  });

  it("what each tier is worth, for the letters", () => {
    expect(tierWorth(plan, exampleRules("Whole"), li)).toEqual({ floor: 19, target: 50, stretch: 116 });
    expect(tierWorth(plan, exampleRules("Marginal"), li)).toEqual({ floor: 10, target: 31, stretch: 85 });
  });
});

describe("everyone's payouts", () => {
  const asOf = dayFromYmd(2027, 6, 30);
  function track(plan: PlanResult, amounts: Record<string, number>, rules: PayoutRules) {
    const rows: FactRow[] = Object.entries(amounts).map(([rep, amount]) => ({ dims: { Rep: rep }, start: dayFromYmd(2027, 3, 1), end: dayFromYmd(2027, 3, 1), measures: { Amount: amount } }));
    const input = planInput({ levels: ["Rep"], levelLabels: ["Rep"] });
    const progress = computeProgress(input, plan, rows, { asOf });
    const payouts = computePayouts(plan, progress, rules, { actual: exactActuals(plan, progress, rows), forecast: shownForecast(progress) });
    return { progress, payouts, by: (rep: string) => payouts.members.find((m) => plan.nodes[m.node].member === rep)! };
  }

  it("再卖 X 到达力争，多得 Y: the next step up, what is left to sell and what it adds", () => {
    const plan = twoReps();
    const { by } = track(plan, { Li: 950, Wang: 1250 }, exampleRules("Whole"));
    expect(by("Li")).toMatchObject({ tier: "floor", payout: 19.5, next: { tier: "target", at: 1000, sell: 50, earn: 50 - 19.5 } });
    expect(by("Wang")).toMatchObject({ tier: "stretch", payout: 37.5 + 80, next: null });
  });

  it("a completion band above Stretch is the next step past Stretch", () => {
    const plan = twoReps();
    const rules: PayoutRules = { ...exampleRules("Whole"), bands: [...exampleRules().bands, band({ completion: 1.5 }, 0.04, 0, 5)] };
    const { by } = track(plan, { Li: 1300, Wang: 100 }, rules);
    expect(by("Li").next).toMatchObject({ completion: 1.5, label: "150%", at: 1500, sell: 200, earn: 60 + 80 - (39 + 80) });
    expect(by("Wang")).toMatchObject({ tier: null, band: -1, payout: 0, next: { tier: "floor", sell: 800, earn: 19 } });
  });

  it("the ranking award goes to the top N by the Ranking, ties sharing a rank (1, 2, 2, 4)", () => {
    const plan = twoReps(["A", "B", "C", "D"]);
    const { by } = track(plan, { A: 1100, B: 1000, C: 1000, D: 950 }, exampleRules("Whole", { rankAward: [300, 200, 100] }));
    expect(["A", "B", "C", "D"].map((r) => [by(r).rank, by(r).rankAward])).toEqual([
      [1, 300],
      [2, 200],
      [2, 200],
      [4, 0],
    ]);
    expect(by("A").payout).toBe(22 + 30 + 300);
  });

  it("a ranking award alone, without bands, pays the top N only", () => {
    const plan = twoReps(["A", "B", "C"]);
    const { by } = track(plan, { A: 10, B: 30, C: 20 }, { bands: [], mode: "Whole", rankAward: [500], refs: {} });
    expect([by("A").payout, by("B").payout, by("C").payout]).toEqual([0, 500, 0]);
  });

  it("totals per team and the cost as a share of sales", () => {
    const plan = twoReps(["A", "B"]);
    const { payouts, progress } = track(plan, { A: 1100, B: 950 }, exampleRules("Whole"));
    const root = payouts.teams.find((t) => t.node === 0)!;
    expect(root.payout).toBe(52 + 19.5);
    expect(root.actual).toBe(2050);
    expect(root.costShare).toBeCloseTo(71.5 / 2050, 12);
    expect(root.atForecast).toBe(payouts.members.reduce((a, m) => a + m.atForecast, 0));
    expect(progress.nodes[0].actual).toBe(2050);
  });

  it("the payout at the forecast is the payout of the forecast Progress shows", () => {
    const plan = twoReps(["A", "B"]);
    const { payouts, progress } = track(plan, { A: 500, B: 300 }, exampleRules("Whole"));
    for (const m of payouts.members) {
      expect(m.forecast).toBe(progress.nodes[m.node].forecast);
      expect(m.atForecast).toBe(paid(plan, exampleRules("Whole"), m.node, progress.nodes[m.node].forecast));
    }
  });
});

describe("decided on the exact actual", () => {
  it("sums decimal Actuals exactly: 0.7 + 0.1 + 0.1 + 0.1 reaches a Target of 1", () => {
    const plan = computePlan(planInput({ tiers: { target: 1 }, unit: 0.1, levels: ["Rep"], levelLabels: ["Rep"], methods: { Rep: "Weights" }, weights: [{ level: "Rep", member: "Li", weight: 1, refs: { member: "W!A2" } }] }));
    const day = dayFromYmd(2027, 2, 1);
    const rows: FactRow[] = [0.7, 0.1, 0.1, 0.1].map((a) => ({ dims: { Rep: "Li" }, start: day, end: day, measures: { Amount: a } }));
    const progress = computeProgress(planInput(), plan, rows, { asOf: dayFromYmd(2027, 3, 1) });
    const leaf = plan.leaves[0];
    expect(progress.nodes[leaf].actual).toBeLessThan(1); // 0.9999999999999999 as doubles
    const exact = exactActuals(plan, progress, rows)(leaf);
    expect(exact.n).toBe(exact.d);
    const rules: PayoutRules = { bands: [band({ tier: "target" }, 0, 7)], mode: "Whole", rankAward: [], refs: {} };
    const starts = bandStarts(plan, rules, leaf);
    expect(toNumber(payoutAt(rules, starts, exact))).toBe(7);
    expect(toNumber(payoutAt(rules, starts, q(progress.nodes[leaf].actual)))).toBe(0);
    const payouts = computePayouts(plan, progress, rules, { actual: exactActuals(plan, progress, rows), forecast: shownForecast(progress) });
    expect(payouts.members[0]).toMatchObject({ tier: "target", payout: 7, next: null });
  });

  it("takes whole actuals as progress added them", () => {
    const plan = twoReps();
    const day = dayFromYmd(2027, 2, 1);
    const rows: FactRow[] = [400, 501].map((a) => ({ dims: { Rep: "Li" }, start: day, end: day, measures: { Amount: a } }));
    const progress = computeProgress(planInput(), plan, rows, { asOf: dayFromYmd(2027, 3, 1) });
    expect(exactActuals(plan, progress, rows)(plan.leaves[0])).toEqual({ n: 901n, d: 1n });
    expect(exactActuals(plan, progress, rows)(plan.leaves[1])).toEqual({ n: 0n, d: 1n });
  });
});

describe("the Payout table against the plan", () => {
  const plan = twoReps();

  it("refuses a band on a tier the plan does not have, naming its From cell", () => {
    const noFloor = computePlan(planInput({ tiers: { target: 2000 }, levels: ["Rep"], levelLabels: ["Rep"], methods: { Rep: "Weights" }, weights: plan.leaves.map((l, i) => ({ level: "Rep", member: plan.nodes[l].member, weight: 1, refs: { member: `W!A${i + 2}` } })) }));
    expect(checkPayoutRules(noFloor, exampleRules())).toEqual([
      { ref: "Payout!A2", code: "payoutTierMissing", args: { band: "floor", tier: "Floor", tiers: "Target" } },
      { ref: "Payout!A4", code: "payoutTierMissing", args: { band: "stretch", tier: "Stretch", tiers: "Target" } },
    ]);
  });

  it("refuses bands out of order or starting together, on the plan's own ratios", () => {
    // The plan's Stretch is 120 % of its Target.
    const before: PayoutRules = { bands: [band({ tier: "stretch" }, 0.03, 0, 2), band({ completion: 1.1 }, 0.04, 0, 3)], mode: "Whole", rankAward: [], refs: {} };
    expect(checkPayoutRules(plan, before)).toEqual([{ ref: "Payout!A3", code: "payoutBandsOutOfOrder", args: { band: "110%", previous: "stretch" } }]);
    const together: PayoutRules = { bands: [band({ completion: 1.2 }, 0.03, 0, 2), band({ tier: "stretch" }, 0.04, 0, 3)], mode: "Whole", rankAward: [], refs: {} };
    expect(checkPayoutRules(plan, together)).toEqual([{ ref: "Payout!A3", code: "payoutBandsOverlap", args: { band: "stretch", previous: "120%" } }]);
    const floorBelow: PayoutRules = { bands: [band({ completion: 0.95 }, 0.01, 0, 2), band({ tier: "floor" }, 0.02, 0, 3)], mode: "Whole", rankAward: [], refs: {} };
    expect(checkPayoutRules(plan, floorBelow)[0]).toMatchObject({ ref: "Payout!A3", code: "payoutBandsOutOfOrder" });
    expect(checkPayoutRules(plan, exampleRules())).toEqual([]);
  });

  it("computePayouts throws those problems", () => {
    const rules: PayoutRules = { bands: [band({ tier: "stretch" }, 0.03, 0, 2), band({ completion: 1.1 }, 0.04, 0, 3)], mode: "Whole", rankAward: [], refs: {} };
    const progress = computeProgress(planInput(), plan, [], { asOf: dayFromYmd(2027, 3, 1) });
    expect(() => computePayouts(plan, progress, rules, { actual: () => q(0), forecast: () => 0 })).toThrow(/Payout!A3: payoutBandsOutOfOrder/);
  });
});

describe("properties", () => {
  const plan = twoReps();
  const li = plan.leaves[0];
  const bandsArb = fc
    .uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 5 })
    .chain((starts) =>
      fc.record({
        starts: fc.constant([...starts].sort((a, b) => a - b)),
        rates: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: starts.length, maxLength: starts.length }),
        bonuses: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: starts.length, maxLength: starts.length }),
      }),
    )
    .map(({ starts, rates, bonuses }): PayoutBand[] => starts.map((s, k) => band({ completion: s / 100 }, rates[k] / 10000, bonuses[k] / 100, k + 2)));
  const amountArb = fc.integer({ min: 0, max: 500_000 }).map((c) => c / 100);

  it("marginal pay never falls as sales rise, and is capped", () => {
    fc.assert(
      fc.property(bandsArb, amountArb, amountArb, fc.option(fc.integer({ min: 0, max: 200 })), (bands, a, b, cap) => {
        const rules: PayoutRules = { bands, mode: "Marginal", rankAward: [], refs: {}, ...(cap === null ? {} : { cap }) };
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const p = paid(plan, rules, li, lo);
        const r = paid(plan, rules, li, hi);
        expect(p).toBeLessThanOrEqual(r);
        if (cap !== null) expect(r).toBeLessThanOrEqual(cap);
        expect(Number.isInteger(Math.round(r * 100)) && Math.abs(r * 100 - Math.round(r * 100)) < 1e-6).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("with rates that rise band by band, whole pay is at least marginal pay and never falls", () => {
    fc.assert(
      fc.property(bandsArb, amountArb, amountArb, (raw, a, b) => {
        const rates = raw.map((x) => x.rate).sort((x, y) => x - y);
        const bands = raw.map((x, k) => ({ ...x, rate: rates[k] }));
        const whole: PayoutRules = { bands, mode: "Whole", rankAward: [], refs: {} };
        const marginal: PayoutRules = { ...whole, mode: "Marginal" };
        expect(paid(plan, whole, li, a)).toBeGreaterThanOrEqual(paid(plan, marginal, li, a));
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(paid(plan, whole, li, lo)).toBeLessThanOrEqual(paid(plan, whole, li, hi));
      }),
      { numRuns: RUNS },
    );
  });

  it("below the first band nothing is paid; at a band's start its bonus is paid", () => {
    fc.assert(
      fc.property(bandsArb, fc.constantFrom<PayoutRules["mode"]>("Whole", "Marginal"), (bands, mode) => {
        const rules: PayoutRules = { bands, mode, rankAward: [], refs: {} };
        const starts = bandStarts(plan, rules, li).map(toNumber);
        if (starts[0] > 0) expect(paid(plan, rules, li, starts[0] - 0.01)).toBe(0);
        const bonusTo = (k: number) => bands.slice(0, k + 1).reduce((s, x) => s + x.bonus, 0);
        starts.forEach((s, k) => {
          if (k + 1 < starts.length && starts[k + 1] === s) return;
          expect(paid(plan, rules, li, s)).toBeGreaterThanOrEqual(Math.round(bonusTo(k) * 100) / 100);
        });
      }),
      { numRuns: RUNS },
    );
  });
});
