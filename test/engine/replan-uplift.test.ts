/**
 * The re-plan of an uplifted plan (docs/planning-depth.md, Uplift): over random plans and Actuals,
 * the revision keeps the uplift — each uplifted parent's members add up to roundToUnit(parent ×
 * (1 + u)) at the plan's Unit, exactly, in every tier — its rows, columns and periods add up, its
 * tiers stay in order, and each parent keeps its own target unless its members' actual is past
 * its quotas (then it is raised, never lowered).
 */
import fc from "fast-check";
import { amountQuanta, PlanProblemsError, type PlanResult, type Tier } from "../../src/engine";
import { computeReplan, type ReplanMethod } from "../../src/engine/replan";
import { checkPlan, computeUpliftedPlan } from "../../src/engine/uplift";
import type { FactRow, PlanInput } from "../../src/engine/types";
import { planCaseArb } from "./arbitraries";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

function plannedOrSkip(input: PlanInput): PlanResult {
  try {
    return computeUpliftedPlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) fc.pre(false);
    throw e;
  }
}

function actualsFor(plan: PlanResult, pace: number[], asOf: number): FactRow[] {
  const rows: FactRow[] = [];
  const days = plan.end - plan.start + 1;
  plan.leaves.forEach((leaf, i) => {
    const node = plan.nodes[leaf];
    const perDay = (node.amount.target * pace[i % pace.length]) / 100 / days;
    for (let d = plan.start + (i % 3); d <= asOf; d += 5) rows.push({ dims: { ...node.path }, start: d, end: d, measures: { Amount: Math.round(perDay * 5) }, ref: `Actuals!A${rows.length + 2}` });
  });
  return rows;
}

describe("re-plan of an uplifted plan: properties", () => {
  it("the revision's members add up to round(parent × (1 + u)) at the plan's Unit; rows, columns and periods add up; tiers in order; parents never lowered", () => {
    fc.assert(
      fc.property(
        planCaseArb({ grains: fc.constantFrom("Quarter", "Month") }),
        fc.constantFrom(0.05, 0.1, 0.125, 0.2),
        fc.integer({ min: 10, max: 90 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom<ReplanMethod>("Gap", "Target", "Equal"),
        fc.boolean(),
        fc.boolean(),
        ({ input }, fraction, at, pace, method, negative, named) => {
          const level = input.levels[input.levels.length - 1];
          const uplifted: PlanInput = { ...input, uplift: { [level]: fraction }, refs: { ...input.refs, uplift: { [level]: "Settings!B9" } } };
          const plan = plannedOrSkip(uplifted);
          fc.pre(plan.periods.length >= 2);
          const asOf = plan.start + Math.floor(((plan.end - plan.start) * at) / 100);
          fc.pre(plan.periods[0].end <= asOf && plan.periods[plan.periods.length - 1].end > asOf);
          const parentLevel = input.levels.length > 1 ? input.levels[input.levels.length - 2] : undefined;
          let r;
          try {
            r = computeReplan(uplifted, plan, actualsFor(plan, pace, asOf), { asOf, pool: named ? parentLevel : undefined, method, allowNegative: negative });
          } catch (e) {
            if (e instanceof PlanProblemsError) {
              for (const p of e.problems) expect(["negativeActualTotal", "replanTooFine"]).toContain(p.code);
              fc.pre(false);
            }
            throw e;
          }
          const revised = r.revised;
          const check = checkPlan(revised);
          expect(check.mismatches).toEqual([]);
          expect(check.uplift.map((u) => u.ok)).toEqual([true]);
          const depth = input.levels.length - 1;
          const up = 10n ** BigInt(revised.exact!.decimals - plan.exact!.decimals);
          revised.nodes.forEach((n, v) => {
            const tiers = revised.tiers.filter((t): t is Tier => ["floor", "target", "stretch"].includes(t));
            for (let k = 1; k < tiers.length; k++) expect(amountQuanta(revised, tiers[k - 1], "node", v) <= amountQuanta(revised, tiers[k], "node", v)).toBe(true);
            if (n.depth === depth && !negative) for (const t of revised.tiers) expect(amountQuanta(revised, t, "node", v) >= amountQuanta(plan, t, "node", v) * up).toBe(true);
            if (n.depth === depth && negative) for (const t of revised.tiers) expect(amountQuanta(revised, t, "node", v)).toBe(amountQuanta(plan, t, "node", v) * up);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("re-plan of an uplifted plan: a counterexample kept", () => {
  it("a Target raised past its quotas lifts a Stretch kept at its own amount, so the tiers stay in order", () => {
    // One rep, Target 80 and Stretch 81 at Unit 10, Uplift 5%: quotas 80 and 90. An actual of 90
    // raises the plan's Target to 90; its Stretch's quotas (90) already cover the actual, but 81
    // would sit below the raised Target.
    const input: PlanInput = {
      start: 21134, end: 21257, metric: "Amount", tiers: { target: 80, stretch: 81 }, levels: ["Rep"], levelLabels: ["Rep"], methods: {},
      unit: 10, grain: "Quarter", workdays: "All", holidays: [], stages: [], weights: [],
      history: Array.from({ length: 24 }, (_, m) => ({ dims: { Rep: "M0" }, start: 20089 + m * 30, end: 20118 + m * 30, measures: { Amount: 0 } })),
      uplift: { Rep: 0.05 }, refs: { target: "Targets!B2", stretch: "Targets!C2", uplift: { Rep: "Settings!B9" } },
    };
    const plan = computeUpliftedPlan(input);
    const asOf = plan.start + 49;
    const actuals: FactRow[] = [{ dims: { Rep: "M0" }, start: plan.start, end: plan.start, measures: { Amount: 90 }, ref: "Actuals!A2" }];
    const revised = computeReplan(input, plan, actuals, { asOf, method: "Gap", allowNegative: false }).revised;
    expect(amountQuanta(revised, "target", "node", 0)).toBe(90n);
    expect(amountQuanta(revised, "stretch", "node", 0)).toBe(90n);
    expect(checkPlan(revised).ok).toBe(true);
  });
});
