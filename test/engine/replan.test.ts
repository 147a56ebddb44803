/**
 * The re-plan at AsOf (docs/splits-and-replan.md): property tests over random plans and Actuals
 * (whole and decimal amounts, members ahead of target and behind), each member's own gap or a
 * pooled level, by every method, with and without negative remaining targets; and fixed examples.
 */
import fc from "fast-check";
import { amountQuanta, checkTotals, computePlan, PlanProblemsError, type PlanResult, type Tier } from "../../src/engine";
import { computeReplan, type ReplanMethod, type ReplanResult } from "../../src/engine/replan";
import { cellQuanta, leafRange, planScale } from "../../src/engine/splits";
import { dayFromYmd } from "../../src/engine/dates";
import { ExactSum, pow10 } from "../../src/engine/rational";
import type { FactRow, PlanInput } from "../../src/engine/types";
import { planCaseArb } from "./arbitraries";
import { monthFact, planInput } from "./build";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const TIER_ORDER: Tier[] = ["floor", "target", "stretch"];

function planOrSkip(input: PlanInput): PlanResult {
  try {
    return computePlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) fc.pre(false);
    throw e;
  }
}

const actualsArb = fc.record({
  /** Where AsOf falls: a fraction of the plan's days. */
  at: fc.integer({ min: 1, max: 99 }),
  seed: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 16, maxLength: 16 }),
  cents: fc.boolean(),
  /** How hard the members sell, against their targets (some far ahead). */
  pace: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 8, maxLength: 8 }),
  pool: fc.integer({ min: 0, max: 3 }),
  method: fc.constantFrom<ReplanMethod>("Gap", "Target", "Equal"),
  negative: fc.boolean(),
});

/** Actuals every few days for each member, at a pace of its Target (in per cent), some in cents. */
function actualsFor(plan: PlanResult, a: { seed: number[]; cents: boolean; pace: number[] }, asOf: number): FactRow[] {
  const rows: FactRow[] = [];
  const days = plan.end - plan.start + 1;
  plan.leaves.forEach((leaf, i) => {
    const node = plan.nodes[leaf];
    const perDay = (node.amount.target * a.pace[i % a.pace.length]) / 100 / days;
    for (let d = plan.start + (i % 3); d <= asOf; d += 3) {
      const wiggle = a.seed[(i + d) % a.seed.length] / 10_000;
      let v = Math.round(perDay * 3 * (0.5 + wiggle));
      // Cents as a spreadsheet holds them: the double nearest to the decimal.
      if (a.cents) v = (v * 100 + (a.seed[(i * 7 + d) % a.seed.length] % 100)) / 100;
      rows.push({ dims: { ...node.path }, start: d, end: d, measures: { Amount: v }, ref: `Actuals!A${rows.length + 2}` });
    }
  });
  return rows;
}

/** Exact actuals per leaf and period in quanta at `decimals`, counted to `through`. */
function actualCells(plan: PlanResult, rows: FactRow[], through: number, decimals: number): bigint[] {
  const P = plan.periods.length;
  const sums = new Map<number, ExactSum>();
  const leafOf = new Map(plan.leaves.map((leaf, i) => [plan.levels.map((l) => plan.nodes[leaf].path[l]).join("|"), i]));
  for (const r of rows) {
    if (r.start > through) continue;
    const i = leafOf.get(plan.levels.map((l) => r.dims[l]).join("|"))!;
    const j = plan.periods.findIndex((p) => r.start >= p.start && r.start <= p.end);
    const k = i * P + j;
    if (!sums.has(k)) sums.set(k, new ExactSum());
    sums.get(k)!.add(r.measures.Amount);
  }
  const out = new Array<bigint>(plan.leaves.length * P).fill(0n);
  for (const [k, s] of sums) {
    const v = s.value;
    out[k] = (v.n * pow10(decimals)) / v.d;
  }
  return out;
}

function checkReplan(input: PlanInput, plan: PlanResult, rows: FactRow[], r: ReplanResult, negative: boolean, method: ReplanMethod): void {
  const revised = r.revised;
  const P = plan.periods.length;
  const L = plan.leaves.length;
  const d = revised.exact!.decimals;
  const up = pow10(d - plan.exact!.decimals);
  const U = planScale(plan).unitQuanta * up;
  // Both versions reconcile exactly.
  expect(checkTotals(plan).ok).toBe(true);
  expect(checkTotals(revised).ok).toBe(true);
  expect(r.original).toBe(plan);
  expect(plan.periods[r.ended - 1].end).toBe(r.actualsThrough);
  expect(r.actualsThrough <= r.asOf).toBe(true);
  expect(r.ended < P && plan.periods[r.ended].end > r.asOf).toBe(true);

  const actual = actualCells(plan, rows, r.actualsThrough, d);
  const tiers = TIER_ORDER.filter((t) => plan.tiers.includes(t));
  const leafActual = (i: number) => actual.slice(i * P, i * P + r.ended).reduce((a, b) => a + b, 0n);
  for (const t of tiers) {
    for (let i = 0; i < L; i++) {
      let offUnit = 0;
      for (let j = 0; j < P; j++) {
        const q = cellQuanta(revised, t, i * P + j, d);
        // Ended periods keep their actuals, in every tier.
        if (j < r.ended) expect(q).toBe(actual[i * P + j]);
        else if (q % U !== 0n) offUnit++;
        if (!negative && j >= r.ended) expect(q >= 0n).toBe(true);
      }
      // At most the one cell that carries what the remaining target holds beyond a multiple of Unit
      // (two when asked to go below zero: one for what is above, one for what is below).
      expect(offUnit).toBeLessThanOrEqual(negative ? 2 : 1);
      const leaf = plan.leaves[i];
      const original = amountQuanta(plan, t, "node", leaf) * up;
      const revisedLeaf = amountQuanta(revised, t, "node", leaf);
      expect(r.actualQuanta[i]).toBe(leafActual(i));
      if (r.pool === undefined) {
        // Each member's remaining target: target − actual, not below zero unless asked.
        const rest = original - leafActual(i);
        expect(revisedLeaf).toBe(leafActual(i) + (negative || rest > 0n ? rest : 0n));
      }
    }
    if (r.pool !== undefined) {
      const depth = plan.levels.indexOf(r.pool) + 1;
      plan.nodes.forEach((node, n) => {
        if (node.depth !== depth) return;
        const [from, to] = leafRange(plan, n);
        let a = 0n;
        for (let i = from; i < to; i++) a += leafActual(i);
        const rest = amountQuanta(plan, t, "node", n) * up - a;
        expect(amountQuanta(revised, t, "node", n)).toBe(a + (negative || rest > 0n ? rest : 0n));
        // By their own gaps, a member at or past its target is asked for nothing more.
        if (method === "Gap" && rest >= 0n) {
          for (let i = from; i < to; i++) {
            if (amountQuanta(plan, t, "node", plan.leaves[i]) * up <= leafActual(i)) {
              expect(amountQuanta(revised, t, "node", plan.leaves[i])).toBe(leafActual(i));
            }
          }
        }
      });
    }
  }
  // Floor ≤ Target ≤ Stretch in every cell of the revision.
  for (let c = 0; c < L * P; c++) {
    for (let k = 1; k < tiers.length; k++) expect(cellQuanta(revised, tiers[k - 1], c, d) <= cellQuanta(revised, tiers[k], c, d)).toBe(true);
  }
  void input;
}

describe("the re-plan at AsOf", () => {
  it("keeps the actuals of ended periods, spreads what remains exactly, and both versions reconcile", () => {
    fc.assert(
      fc.property(planCaseArb({ grains: fc.constantFrom("Quarter", "Month", "Week", "Day") }), actualsArb, ({ input }, a) => {
        const plan = planOrSkip(input);
        fc.pre(plan.periods.length >= 2);
        const asOf = plan.start + Math.floor(((plan.end - plan.start) * a.at) / 100);
        fc.pre(plan.periods[0].end <= asOf && plan.periods[plan.periods.length - 1].end > asOf);
        const rows = actualsFor(plan, a, asOf);
        const pool = a.pool > 0 && a.pool < plan.levels.length ? plan.levels[a.pool - 1] : undefined;
        let r: ReplanResult;
        try {
          r = computeReplan(input, plan, rows, { asOf, asOfRef: "--as-of", pool, method: a.method, allowNegative: a.negative });
        } catch (e) {
          // A member whose rounded actuals go below zero is refused, as in tracking.
          if (e instanceof PlanProblemsError && e.problems.every((p) => p.code === "negativeActualTotal")) fc.pre(false);
          throw e;
        }
        checkReplan(input, plan, rows, r, a.negative, a.method);
      }),
      { numRuns: RUNS },
    );
  });

  it("July: a rep far ahead keeps his actual and is asked for nothing more; pooled by team, his lead lowers the others' gap", () => {
    const history: FactRow[] = [];
    for (let m = 1; m <= 12; m++) {
      for (const [rep, k] of [["Li", 1], ["Wang", 1], ["Zhao", 2]] as const) history.push(monthFact(2026, m, { Team: rep === "Zhao" ? "B" : "A", Rep: rep }, 100 * k));
    }
    const input = planInput({ levels: ["Team", "Rep"], levelLabels: ["Team", "Rep"], history, tiers: { target: 1200 }, unit: 10 });
    const plan = computePlan(input);
    expect(plan.nodes.map((n) => n.amount.target)).toEqual([1200, 600, 300, 300, 600, 600]);
    const sale = (rep: string, team: string, month: number, amount: number): FactRow => ({ dims: { Team: team, Rep: rep }, start: dayFromYmd(2027, month, 15), end: dayFromYmd(2027, month, 15), measures: { Amount: amount }, ref: "Actuals!A2" });
    // By the end of June: Li has sold 400 of his 300, Wang 100 of 300, Zhao 300 of 600.
    const actuals = [sale("Li", "A", 3, 400), sale("Wang", "A", 2, 100), sale("Zhao", "B", 4, 300)];
    const own = computeReplan(input, plan, actuals, { asOf: dayFromYmd(2027, 7, 5) });
    expect(own.ended).toBe(6);
    expect(own.actualsThrough).toBe(dayFromYmd(2027, 6, 30));
    const leaf = (r: ReplanResult, name: string) => r.revised.nodes.find((n) => n.member === name)!.amount.target;
    expect([leaf(own, "Li"), leaf(own, "Wang"), leaf(own, "Zhao")]).toEqual([400, 300, 600]);
    expect(own.revised.totals.target).toBe(1300);
    // Pooled by team: A needs 600 − 500 = 100 more, all of it Wang's (Li's gap is zero).
    const pooled = computeReplan(input, plan, actuals, { asOf: dayFromYmd(2027, 7, 5), pool: "Team" });
    expect([leaf(pooled, "Li"), leaf(pooled, "Wang"), leaf(pooled, "Zhao")]).toEqual([400, 200, 600]);
    expect(pooled.revised.totals.target).toBe(1200);
    // Shared by their original targets instead, Li is asked for half of it.
    const byTarget = computeReplan(input, plan, actuals, { asOf: dayFromYmd(2027, 7, 5), pool: "Team", method: "Target" });
    expect([leaf(byTarget, "Li"), leaf(byTarget, "Wang")]).toEqual([450, 150]);
    // Asked to, Li's remaining target goes below zero: he gives 100 back over the second half.
    const negative = computeReplan(input, plan, actuals, { asOf: dayFromYmd(2027, 7, 5), allowNegative: true });
    expect(leaf(negative, "Li")).toBe(300);
    expect(checkTotals(negative.revised).ok).toBe(true);
    // The second half of each row follows the plan's seasonality (flat History: even months), by
    // running totals: 200 over six months at Unit 10 is 30, 70, 100, 130, 170, 200 to date.
    const P = 12;
    const wang = own.revised.leaves.findIndex((l) => own.revised.nodes[l].member === "Wang");
    expect(Array.from(own.revised.cells.target.slice(wang * P, wang * P + P))).toEqual([0, 100, 0, 0, 0, 0, 30, 40, 30, 30, 40, 30]);
  });

  it("names AsOf when no period has ended, or none is left", () => {
    const input = planInput({ history: [monthFact(2026, 1, { Rep: "Li" }, 10)] });
    const plan = computePlan(input);
    const problem = (asOf: number) => {
      try {
        computeReplan(input, plan, [], { asOf, asOfRef: "Settings!B6" });
      } catch (e) {
        return (e as PlanProblemsError).problems;
      }
      return [];
    };
    expect(problem(dayFromYmd(2027, 1, 30))).toEqual([{ ref: "Settings!B6", code: "replanNothingEnded", args: { asOf: "2027-01-30", first: "2027-01-31" } }]);
    expect(problem(dayFromYmd(2027, 12, 31))).toEqual([{ ref: "Settings!B6", code: "replanNothingLeft", args: { asOf: "2027-12-31", last: "2027-12-01" } }]);
    expect(problem(dayFromYmd(2027, 1, 31))).toEqual([]);
  });

  it("names the Actuals row of a member the plan does not have, as tracking does", () => {
    const input = planInput({ history: [monthFact(2026, 1, { Rep: "Li" }, 10)] });
    const plan = computePlan(input);
    const row: FactRow = { dims: { Rep: "Nobody" }, start: dayFromYmd(2027, 1, 5), end: dayFromYmd(2027, 1, 5), measures: { Amount: 5 }, ref: "Actuals!A7" };
    expect(() => computeReplan(input, plan, [row], { asOf: dayFromYmd(2027, 3, 31) })).toThrow(PlanProblemsError);
    try {
      computeReplan(input, plan, [row], { asOf: dayFromYmd(2027, 3, 31) });
    } catch (e) {
      expect((e as PlanProblemsError).problems.map((p) => [p.ref, p.code])).toEqual([["Actuals!A7", "unplannedMember"]]);
    }
  });
});
