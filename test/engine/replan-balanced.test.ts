/**
 * The re-plan of a balanced plan (docs/splits-and-replan.md, "Balanced plans"): each member's
 * remaining target follows its own original cells in the periods left — its season, its ramp, no
 * target after its End — and holds in the periods left stay held. Property tests over members with
 * their own seasons, a hire with a ramp, a leaver, holds of cells and of a region's month, members
 * ahead and behind, each member's own gap or pooled, with and without negatives; and examples.
 */
import fc from "fast-check";
import { amountQuanta, checkTotals, computePlan, PlanProblemsError, type PlanResult, type Tier } from "../../src/engine";
import { computeReplan, type ReplanMethod, type ReplanResult } from "../../src/engine/replan";
import { cellQuanta, planScale } from "../../src/engine/splits";
import { dayFromYmd } from "../../src/engine/dates";
import { pow10 } from "../../src/engine/rational";
import type { FactRow, HoldRow, PlanInput, WeightRow } from "../../src/engine/types";
import { monthFact, planInput } from "./build";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const TIER_ORDER: Tier[] = ["floor", "target", "stretch"];
const REPS: [string, string][] = [
  ["East", "Li"],
  ["East", "Wang"],
  ["East", "Sun"],
  ["West", "Zhao"],
  ["West", "Chen"],
];

function hold(path: Record<string, string>, amount: number, period: string, tier: Tier = "target", row = 2): HoldRow {
  return { path, period, tier, amount, ref: `Holds!A${row}`, refs: { amount: `Holds!E${row}`, period: `Holds!C${row}`, member: `Holds!B${row}` } };
}

function weightRow(member: string, region: string, over: Partial<WeightRow>): WeightRow {
  return { level: "Rep", member, parents: { Region: region }, refs: { member: "Weights!B2", start: "Weights!E2", end: "Weights!F2", ramp: "Weights!G2" }, ...over };
}

interface Case {
  peaks: number[]; // per rep, the month its History peaks in
  unit: number;
  target: number;
  hire: boolean; // Wang joins in April with a ramp
  leaver: boolean; // Chen leaves at the end of September
  cellHolds: { rep: number; month: number; pct: number }[];
  regionHold?: { east: boolean; month: number; pct: number };
  asOfMonth: number; // AsOf: the last day of this month
  pace: number[];
  cents: boolean;
  pool: boolean;
  method: ReplanMethod;
  negative: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  peaks: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 5, maxLength: 5 }),
  unit: fc.constantFrom(1, 10, 100, 1000),
  target: fc.integer({ min: 100_000, max: 50_000_000 }),
  hire: fc.boolean(),
  leaver: fc.boolean(),
  cellHolds: fc.array(fc.record({ rep: fc.integer({ min: 0, max: 4 }), month: fc.integer({ min: 1, max: 12 }), pct: fc.integer({ min: 0, max: 150 }) }), { maxLength: 3 }),
  regionHold: fc.option(fc.record({ east: fc.boolean(), month: fc.integer({ min: 1, max: 12 }), pct: fc.integer({ min: 50, max: 130 }) }), { nil: undefined }),
  asOfMonth: fc.integer({ min: 1, max: 11 }),
  pace: fc.array(fc.integer({ min: 0, max: 250 }), { minLength: 5, maxLength: 5 }),
  cents: fc.boolean(),
  pool: fc.boolean(),
  method: fc.constantFrom<ReplanMethod>("Gap", "Target", "Equal"),
  negative: fc.boolean(),
});

const monthLabel = (m: number): string => `2027-${String(m).padStart(2, "0")}`;

function baseInput(c: Case): PlanInput {
  const history: FactRow[] = [];
  REPS.forEach(([region, rep], i) => {
    for (let m = 1; m <= 12; m++) history.push(monthFact(2026, m, { Region: region, Rep: rep }, m === c.peaks[i] ? 1_000 + i * 50 : 100 + ((i * 37 + m * 11) % 90)));
  });
  const weights: WeightRow[] = [];
  if (c.hire) weights.push(weightRow("Wang", "East", { start: dayFromYmd(2027, 4, 1), ramp: [0.25, 0.5, 0.75] }));
  if (c.leaver) weights.push(weightRow("Chen", "West", { end: dayFromYmd(2027, 9, 30) }));
  return planInput({
    levels: ["Region", "Rep"],
    levelLabels: ["Region", "Rep"],
    history,
    weights,
    seasonality: "Own",
    unit: c.unit,
    tiers: { floor: Math.floor(c.target * 0.8), target: c.target, stretch: Math.floor(c.target * 1.2) },
  });
}

function planOrSkip(input: PlanInput): PlanResult {
  try {
    return computePlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) fc.pre(false);
    throw e;
  }
}

function withHolds(c: Case): { input: PlanInput; plan: PlanResult; holds: HoldRow[] } {
  const free = planOrSkip(baseInput(c));
  const holds: HoldRow[] = [];
  const used = new Set<string>();
  const round = (v: number): number => Math.round(v / c.unit) * c.unit;
  for (const h of c.cellHolds) {
    const key = `${h.rep}/${h.month}`;
    if (used.has(key)) continue;
    used.add(key);
    holds.push(hold({ Region: REPS[h.rep][0], Rep: REPS[h.rep][1] }, round((free.cells.target[h.rep * 12 + h.month - 1] * h.pct) / 100), monthLabel(h.month), "target", holds.length + 2));
  }
  if (c.regionHold) {
    const { east, month, pct } = c.regionHold;
    let sum = 0;
    REPS.forEach(([region], i) => {
      if ((region === "East") === east) sum += free.cells.target[i * 12 + month - 1];
    });
    holds.push(hold({ Region: east ? "East" : "West" }, round((sum * pct) / 100), monthLabel(month), "target", holds.length + 2));
  }
  const input = { ...baseInput(c), holds };
  return { input, plan: planOrSkip(input), holds };
}

function actualsFor(plan: PlanResult, c: Case, asOf: number): FactRow[] {
  const rows: FactRow[] = [];
  const P = plan.periods.length;
  plan.leaves.forEach((leaf, i) => {
    const node = plan.nodes[leaf];
    plan.periods.forEach((p, j) => {
      if (p.end > asOf) return;
      let v = Math.round((plan.cells.target[i * P + j] * c.pace[i]) / 100);
      // Cents as a spreadsheet holds them: the double nearest to the decimal.
      if (c.cents) v = (v * 100 + ((i * 13 + j * 7) % 100)) / 100;
      if (v) rows.push({ dims: { ...node.path }, start: p.start + (j % 5), end: p.start + (j % 5), measures: { Amount: v }, ref: `Actuals!A${rows.length + 2}` });
    });
  });
  return rows;
}

function replanOf(c: Case): { plan: PlanResult; holds: HoldRow[]; r: ReplanResult } {
  const { input, plan, holds } = withHolds(c);
  expect(plan.balance).toBeDefined();
  const asOf = dayFromYmd(2027, c.asOfMonth + 1, 1) - 1;
  const actuals = actualsFor(plan, c, asOf);
  const r = computeReplan(input, plan, actuals, { asOf, pool: c.pool ? "Region" : undefined, method: c.method, allowNegative: c.negative });
  return { plan, holds, r };
}

describe("Re-plan of a balanced plan: each member's own season, dates and holds", () => {
  it("reconciles exactly; zeros stay zero; each member's remaining cells follow its original ones within one Unit; tiers in order; kept holds kept", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { plan, r } = replanOf(c);
        const rev = r.revised;
        expect(checkTotals(rev)).toEqual({ ok: true, mismatches: [] });
        const P = plan.periods.length;
        const E = r.ended;
        const d = rev.exact!.decimals;
        const up = pow10(d - planScale(plan).decimals);
        const U = planScale(plan).unitQuanta * up;
        const tiers = TIER_ORDER.filter((t) => rev.tiers.includes(t));
        const q = (t: Tier, k: number): bigint => amountQuanta(rev, t, "cell", k);
        const heldCell = new Set<number>();
        for (const h of r.holds!.kept) {
          const j = plan.periods.findIndex((p) => p.label === h.period);
          // A kept hold: its node's revised cells in that period add up to it, exactly.
          let sum = 0n;
          plan.leaves.forEach((leaf, i) => {
            const n = plan.nodes[leaf];
            if (Object.entries(h.path).every(([l, m]) => n.path[l] === m)) {
              sum += q(h.tier, i * P + j);
              heldCell.add(i * P + j);
            }
          });
          expect(sum).toBe(BigInt(h.amount) * pow10(d));
        }
        plan.leaves.forEach((leaf, i) => {
          // Zeros stay zero: no target where the original had none (after End, before Start), and
          // nothing in any tier where the original had nothing in any tier.
          for (let j = E; j < P; j++) {
            const k = i * P + j;
            if (cellQuanta(plan, "target", k, d) === 0n) expect(q("target", k)).toBe(0n);
            if (tiers.every((t) => cellQuanta(plan, t, k, d) === 0n)) for (const t of tiers) expect(q(t, k)).toBe(0n);
          }
          if (c.leaver && plan.nodes[leaf].member === "Chen") for (let j = Math.max(9, E); j < P; j++) for (const t of tiers) expect(q(t, i * P + j)).toBe(0n);
          for (const t of tiers) {
            // The member's periods add up to its revised amount.
            let row = 0n;
            for (let j = 0; j < P; j++) row += q(t, i * P + j);
            expect(row).toBe(amountQuanta(rev, t, "node", leaf));
            // Its free remaining cells: multiples of Unit but one (two with negatives), each within one
            // Unit of its share of the free amount by its original cells (that one within its remainder more).
            const free: number[] = [];
            let amount = 0n;
            let weight = 0n;
            for (let j = E; j < P; j++) {
              if (heldCell.has(i * P + j)) continue;
              free.push(j);
              amount += q(t, i * P + j);
              weight += cellQuanta(plan, "target", i * P + j, d);
            }
            let off = 0;
            for (const j of free) if (q(t, i * P + j) % U !== 0n) off++;
            expect(off).toBeLessThanOrEqual(c.negative ? 2 : 1);
            if (weight > 0n) {
              const abs = (x: bigint): bigint => (x < 0n ? -x : x);
              const slack = U + abs(amount % U) + (c.negative ? U : 0n);
              for (const j of free) {
                const w = cellQuanta(plan, "target", i * P + j, d);
                expect(abs(q(t, i * P + j) * weight - amount * w)).toBeLessThanOrEqual(slack * weight);
              }
            }
          }
        });
        // Floor ≤ Target ≤ Stretch in every cell.
        for (let k = 0; k < plan.leaves.length * P; k++) for (let a = 1; a < tiers.length; a++) expect(q(tiers[a - 1], k) <= q(tiers[a], k)).toBe(true);
        // Every hold in the periods left is either kept or released, none twice.
        const left = new Set(plan.periods.slice(E).map((p) => p.label));
        const inLeft = (plan.balance ? (r.holds!.kept.length + r.holds!.released.length) : 0);
        expect(inLeft).toBe(withHolds(c).holds.filter((h) => left.has(h.period!)).length);
      }),
      { numRuns: RUNS },
    );
  });

  it("members behind their targets keep every hold in the periods left, when some period is left unheld", () => {
    fc.assert(
      fc.property(caseArb, (c0) => {
        // At least four periods left, each member active in all of them: at most three cell holds
        // and a region's month leave every member a period to take the rest. (A leaver whose only
        // period left is held cannot keep that hold: the next test.)
        const c = { ...c0, pace: c0.pace.map((p) => p % 80), pool: false, negative: false, leaver: false, asOfMonth: Math.min(c0.asOfMonth, 8) };
        const { r } = replanOf(c);
        expect(r.holds!.released).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it("a leaver whose only period left is held releases that hold and keeps the rest exact", () => {
    const c: Case = { peaks: [1, 1, 1, 1, 1], unit: 1, target: 100_000, hire: false, leaver: true, cellHolds: [{ rep: 4, month: 9, pct: 1 }], asOfMonth: 8, pace: [0, 0, 0, 0, 0], cents: false, pool: false, method: "Gap", negative: false };
    const { r, holds } = replanOf(c);
    expect(r.holds).toEqual({ kept: [], released: holds });
    expect(checkTotals(r.revised).ok).toBe(true);
    const P = r.revised.periods.length;
    // Chen's gap goes to September, his one period left; nothing after.
    expect(Array.from(r.revised.cells.target.slice(4 * P + 9, 4 * P + 12))).toEqual([0, 0, 0]);
    expect(r.revised.cells.target[4 * P + 8]).toBe(r.revised.nodes[r.revised.leaves[4]].amount.target);
  });

  it("a beach store keeps its August peak, a hire its ramp, a leaver nothing after End; a Q4 hold of East stays", () => {
    const c: Case = { peaks: [8, 3, 3, 3, 3], unit: 100, target: 12_000_000, hire: true, leaver: true, cellHolds: [], asOfMonth: 6, pace: [90, 90, 90, 90, 90], cents: false, pool: false, method: "Gap", negative: false };
    const base = planOrSkip(baseInput(c));
    const P = base.periods.length;
    let dec = 0;
    for (let i = 0; i < 3; i++) dec += base.cells.target[i * P + 11];
    const east = Math.round(dec / 100) * 100 + 50_000;
    const input = { ...baseInput(c), holds: [hold({ Region: "East" }, east, "2027-12")] };
    const plan = computePlan(input);
    const asOf = dayFromYmd(2027, 6, 30);
    const r = computeReplan(input, plan, actualsFor(plan, c, asOf), { asOf });
    const rev = r.revised;
    expect(checkTotals(rev).ok).toBe(true);
    const li = Array.from(rev.cells.target.slice(6, 12));
    expect(li.indexOf(Math.max(...li))).toBe(1); // August
    // Wang (ramping since April) keeps the ratios of its original cells, within a Unit each.
    const wangOriginal = Array.from(plan.cells.target.slice(P + 6, P + 12));
    const wang = Array.from(rev.cells.target.slice(P + 6, P + 11));
    expect(wang[0] / wang[3]).toBeCloseTo(wangOriginal[0] / wangOriginal[3], 1);
    // Chen: nothing after September.
    expect(Array.from(rev.cells.target.slice(4 * P + 9, 4 * P + 12))).toEqual([0, 0, 0]);
    // East's December hold kept exactly.
    expect(rev.cells.target[11] + rev.cells.target[P + 11] + rev.cells.target[2 * P + 11]).toBe(east);
    expect(r.holds!.kept).toHaveLength(1);
    // The first half is the actuals.
    expect(rev.cells.target[0]).toBe(Math.round(plan.cells.target[0] * 0.9));
  });

  it("a Shared plan without dates or holds has no holds report (the plain re-plan)", () => {
    const history = [monthFact(2026, 1, { Rep: "A" }, 100), monthFact(2026, 2, { Rep: "B" }, 200)];
    const input = planInput({ history, tiers: { target: 1_200 } });
    const plan = computePlan(input);
    expect(plan.balance).toBeUndefined();
    const r = computeReplan(input, plan, [], { asOf: dayFromYmd(2027, 6, 30) });
    expect(r.holds).toBeUndefined();
  });
});
