/**
 * Uplift / 超额分配 (engine/uplift.ts): the uplifted level's members add up to their parent ×
 * (1 + u), rounded to Unit, exactly, in every tier; the levels above keep their amounts; rows,
 * columns and periods reconcile within the uplifted subtree; Floor ≤ Target ≤ Stretch.
 */
import fc from "fast-check";
import { amountQuanta, computePlan } from "../../src/engine";
import { checkTotals } from "../../src/engine/check";
import { PlanProblemsError } from "../../src/engine/problems";
import type { PlanInput, PlanResult, Tier } from "../../src/engine/types";
import { applyUplift, checkPlan, computeUpliftedPlan, upliftedQuanta, upliftLevels } from "../../src/engine/uplift";
import { planCaseArb } from "./arbitraries";
import { monthFact, planInput } from "./build";

function depthOf(r: PlanResult, v: number): number {
  let d = 0;
  for (let x = v; r.nodes[x].parent >= 0; x = r.nodes[x].parent) d++;
  return d;
}

/** The plan, or a skipped case when the generated input cannot be planned (as the invariants tests do). */
function planned(f: () => PlanResult): PlanResult {
  try {
    return f();
  } catch (e) {
    if (e instanceof PlanProblemsError) {
      // A generated lock that leaves nothing to take the uplift is refused at the Uplift cell.
      for (const p of e.problems) expect(["lockAboveParent", "locksDoNotFill", "lockNotMultipleOfUnit", "noWorkingDays", "upliftLockedSiblings"]).toContain(p.code);
      fc.pre(false);
    }
    throw e;
  }
}

const q = (r: PlanResult, t: Tier, v: number): bigint => amountQuanta(r, t, "node", v);

function twoRegions(over: Partial<PlanInput> = {}): PlanInput {
  const history = [
    monthFact(2026, 1, { Region: "East", Rep: "Li" }, 300),
    monthFact(2026, 2, { Region: "East", Rep: "Wang" }, 200),
    monthFact(2026, 3, { Region: "East", Rep: "Zhao" }, 100),
    monthFact(2026, 4, { Region: "West", Rep: "Qian" }, 250),
    monthFact(2026, 5, { Region: "West", Rep: "Sun" }, 150),
  ];
  return planInput({
    levels: ["Region", "Rep"],
    levelLabels: ["Region", "Rep"],
    tiers: { floor: 900_000, target: 1_000_000, stretch: 1_200_000 },
    unit: 100,
    history,
    uplift: { Rep: 0.1 },
    refs: { ...planInput().refs, uplift: { Rep: "Settings!B4" } },
    ...over,
  });
}

describe("Uplift: a worked example", () => {
  const input = twoRegions();
  const base = computePlan({ ...input, uplift: undefined });
  const r = computeUpliftedPlan(input);

  it("the plan and the regions keep their amounts", () => {
    expect(r.totals).toEqual(base.totals);
    for (const v of r.nodes[0].children) expect(r.nodes[v].amount).toEqual(base.nodes[v].amount);
  });

  it("each region's reps add up to the region × 1.10, rounded to Unit, in every tier", () => {
    for (const v of r.nodes[0].children) {
      for (const t of r.tiers) {
        const sum = r.nodes[v].children.reduce((a, c) => a + r.nodes[c].amount[t], 0);
        expect(sum).toBe(Math.round((base.nodes[v].amount[t] * 1.1) / 100) * 100);
      }
    }
    // East 600/1000 of 1,000,000 = 600,000 → its reps 660,000; West 440,000.
    const east = r.nodes[0].children.find((v) => r.nodes[v].member === "East")!;
    expect(r.nodes[east].children.reduce((a, c) => a + r.nodes[c].amount.target, 0)).toBe(660_000);
  });

  it("the matrix's periods add up to the reps' total, and the check says so", () => {
    const periods = r.periods.reduce((a, p) => a + p.amount.target, 0);
    expect(periods).toBe(1_100_000);
    const check = checkPlan(r);
    expect(check).toMatchObject({ ok: true, mismatches: [], uplift: [{ level: "Rep", parent: "Region", fraction: 0.1, ok: true }] });
    // The plain totals check would read the uplift as an error: that is why checkPlan exists.
    expect(checkTotals(r).ok).toBe(false);
  });

  it("a changed cell is caught", () => {
    const broken: PlanResult = { ...r, exact: { ...r.exact!, cellUnits: { ...r.exact!.cellUnits, target: Float64Array.from(r.exact!.cellUnits.target!) } } };
    broken.exact!.cellUnits.target![0] += 1;
    expect(checkPlan(broken).ok).toBe(false);
  });

  it("no uplift, or 0%, is the plan itself", () => {
    expect(computeUpliftedPlan({ ...input, uplift: { Rep: 0 } })).toEqual(base);
    expect(upliftLevels({ levels: ["Region", "Rep"], uplift: { Rep: 0, Region: 0.05 } })).toEqual([{ level: "Region", index: 0, fraction: 0.05 }]);
    expect(checkPlan(base)).toEqual({ ...checkTotals(base), uplift: [] });
  });

  it("a locked rep keeps its lock; the uplift goes to the others", () => {
    const locked = twoRegions({ weights: [{ level: "Rep", member: "Li", lock: 200_000, refs: { member: "Weights!B2", lock: "Weights!D2" } }] });
    const u = computeUpliftedPlan(locked);
    const li = u.nodes.findIndex((n) => n.member === "Li");
    expect(u.nodes[li].amount.target).toBe(200_000);
    expect(checkPlan(u).ok).toBe(true);
  });

  it("refused, at the Uplift cell, with the rules it cannot yet be combined with", () => {
    const own = (): unknown => computeUpliftedPlan({ ...input, seasonality: "Own" });
    expect(own).toThrow(PlanProblemsError);
    try {
      own();
    } catch (e) {
      expect((e as PlanProblemsError).problems).toEqual([{ ref: "Settings!B4", code: "upliftNotYetWith", args: { what: "Seasonality Own", whatZh: "各自季节性" } }]);
    }
  });

  it("roundToUnit(q × (1 + u)) exactly, halves up", () => {
    expect(upliftedQuanta(1050n, 0.1, 100n)).toBe(1200n); // 1155 → 1200
    expect(upliftedQuanta(1000n, 0.05, 100n)).toBe(1100n); // 1050 → 1100 (half up)
    expect(upliftedQuanta(796_604_751_817n, 0.1, 1000n)).toBe(876_265_227_000n);
  });
});

const fractions = fc.constantFrom(0.05, 0.1, 0.125, 0.2, 0.33, 1);

describe("Uplift: properties", () => {
  it("members add up exactly to roundToUnit(parent × (1 + u)); levels above untouched; rows, columns and periods reconcile; tiers in order; Target within one Unit", () => {
    fc.assert(
      fc.property(planCaseArb(), fc.nat(), fractions, ({ input }, pick, fraction) => {
        const index = pick % input.levels.length;
        const level = input.levels[index];
        const withUplift = { ...input, uplift: { [level]: fraction } };
        const base = planned(() => computePlan(input));
        const r = planned(() => computeUpliftedPlan(withUplift));
        const U = r.exact!.unitQuanta;
        for (let v = 0; v < r.nodes.length; v++) {
          const d = depthOf(r, v);
          for (const t of r.tiers) {
            if (d <= index) expect(q(r, t, v)).toBe(q(base, t, v));
            if (d === index) {
              const sum = r.nodes[v].children.reduce((a, c) => a + q(r, t, c), 0n);
              expect(sum).toBe(upliftedQuanta(q(base, t, v), fraction, U));
            }
          }
          if (r.tiers.includes("floor")) expect(q(r, "floor", v) <= q(r, "target", v)).toBe(true);
          if (r.tiers.includes("stretch")) expect(q(r, "target", v) <= q(r, "stretch", v)).toBe(true);
          if (d > index) {
            // Within one Unit of the exact uplifted value.
            const e = r.exact!.nodeExact.target![v];
            const diff = q(r, "target", v) * e.d - e.n;
            expect((diff < 0n ? -diff : diff) < U * e.d).toBe(true);
          }
        }
        const cells = r.leaves.length * r.periods.length;
        for (let k = 0; k < cells; k++) {
          const target = amountQuanta(r, "target", "cell", k);
          if (r.tiers.includes("floor")) expect(amountQuanta(r, "floor", "cell", k) <= target).toBe(true);
          if (r.tiers.includes("stretch")) expect(target <= amountQuanta(r, "stretch", "cell", k)).toBe(true);
        }
        const check = checkPlan(r);
        expect(check.mismatches).toEqual([]);
        expect(check.uplift).toEqual([{ level, index, fraction, parent: index > 0 ? input.levels[index - 1] : "", ok: true }]);
      }),
      { numRuns: 60 },
    );
  });

  it("several levels compose top-down: each adds up to its (uplifted) parent × (1 + u)", () => {
    fc.assert(
      fc.property(planCaseArb().filter(({ input }) => input.levels.length >= 2), fractions, fractions, ({ input }, upper, lower) => {
        const [a, b] = input.levels.slice(-2);
        const r = planned(() => computeUpliftedPlan({ ...input, uplift: { [a]: upper, [b]: lower } }));
        const once = applyUplift(computePlan(input), { level: a, index: input.levels.length - 2, fraction: upper });
        const U = r.exact!.unitQuanta;
        for (let v = 0; v < r.nodes.length; v++) {
          if (depthOf(r, v) !== input.levels.length - 1) continue;
          for (const t of r.tiers) {
            // The teams as the first uplift gave them; their reps × (1 + lower).
            expect(q(r, t, v)).toBe(q(once, t, v));
            const sum = r.nodes[v].children.reduce((acc, c) => acc + q(r, t, c), 0n);
            expect(sum).toBe(upliftedQuanta(q(once, t, v), lower, U));
          }
        }
        expect(checkPlan(r).mismatches).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it("tiers a hair apart (Floor and Stretch re-proportioned to Target): every tier still adds up to its uplifted parent", () => {
    fc.assert(
      fc.property(planCaseArb({ maxLevels: 2 }), fc.integer({ min: 0, max: 2 }), fractions, ({ input }, k, fraction) => {
        const target = input.tiers.target!;
        const tight = { ...input, tiers: { floor: Math.max(0, target - k * input.unit), target, stretch: target + k * input.unit } };
        const level = input.levels[input.levels.length - 1];
        const r = planned(() => computeUpliftedPlan({ ...tight, uplift: { [level]: fraction } }));
        expect(checkPlan(r).mismatches).toEqual([]);
        for (let c = 0; c < r.leaves.length * r.periods.length; c++) {
          expect(amountQuanta(r, "floor", "cell", c) <= amountQuanta(r, "target", "cell", c)).toBe(true);
          expect(amountQuanta(r, "target", "cell", c) <= amountQuanta(r, "stretch", "cell", c)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });
});
