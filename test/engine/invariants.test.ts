/**
 * Property tests for every invariant of CONTRACT §4.1–4.5, over random trees, weights, locks,
 * units, tiers and grains.
 */
import fc from "fast-check";
import { computePlan, factRows, PlanProblemsError, type PlanResult, type Tier } from "../../src/engine";
import { planCaseArb } from "./arbitraries";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

/** Plans that the engine accepts; cases it rejects (e.g. locks above a small parent) are skipped. */
function planOrSkip(input: Parameters<typeof computePlan>[0]): PlanResult {
  try {
    return computePlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) {
      fc.pre(false);
    }
    throw e;
  }
}

const close = (a: number, b: number, unit: number): boolean => Math.abs(a - b) <= unit * 1e-9 + 1e-9 * Math.max(1, Math.abs(b));

function isMultiple(v: number, unit: number): boolean {
  const q = v / unit;
  return Math.abs(q - Math.round(q)) < 1e-7;
}

/** The remainder a tier total leaves over Unit (absorbed by one member per group). */
function remainderOf(total: number, unit: number): number {
  return isMultiple(total, unit) ? 0 : total - Math.floor(total / unit + 1e-9) * unit;
}

describe("§4.1 shares at each level", () => {
  it("children's exact values add up to the parent and follow basis ÷ Σ basis (locks first)", () => {
    fc.assert(
      fc.property(planCaseArb(), ({ input }) => {
        const r = planOrSkip(input);
        for (const parent of r.nodes) {
          if (!parent.children.length) continue;
          const kids = parent.children.map((c) => r.nodes[c]);
          for (const t of r.tiers) {
            const sum = kids.reduce((a, k) => a + k.exact[t], 0);
            expect(sum).toBeCloseTo(parent.exact[t], 4);
          }
          const open = kids.filter((k) => k.lock === undefined);
          const basisSum = open.reduce((a, k) => a + k.basis, 0);
          for (const k of open) expect(k.share).toBeCloseTo(k.basis / basisSum, 9);
          for (const k of kids.filter((k) => k.lock !== undefined)) {
            expect(k.exact.target).toBe(k.lock);
            expect(k.amount.target).toBe(k.lock);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("an all-zero history group splits equally, and weights are normalised among siblings", () => {
    fc.assert(
      fc.property(planCaseArb(), ({ input }) => {
        const r = planOrSkip(input);
        for (const n of r.nodes.slice(1)) {
          if (n.fallback) {
            expect(n.basisKind).toBe("Equal");
            const sibs = r.nodes[n.parent].children.map((c) => r.nodes[c]).filter((k) => k.lock === undefined);
            for (const s of sibs) expect(s.share).toBeCloseTo(1 / sibs.length, 9);
          }
          if (n.basisKind === "Weights") {
            const w = input.weights.find((x) => x.level === n.level && x.member === n.member);
            expect(n.basis).toBe(w?.weight);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("§4.2 shares over time", () => {
  it("a whole-year Month plan takes each month's pooled History share", () => {
    fc.assert(
      fc.property(planCaseArb({ grains: fc.constant("Month") }), ({ input }) => {
        const full = { ...input, start: Date.UTC(2027, 0, 1) / 864e5, end: Date.UTC(2027, 11, 31) / 864e5, workdays: "All" as const };
        const r = planOrSkip(full);
        const slot = new Array(12).fill(0);
        for (const h of factRows(full.history)) slot[new Date(h.start * 864e5).getUTCMonth()] += h.measures.Amount;
        const total = slot.reduce((a, b) => a + b, 0);
        expect(r.periods.map((p) => p.label)).toEqual(Array.from({ length: 12 }, (_, i) => `2027-${String(i + 1).padStart(2, "0")}`));
        r.periods.forEach((p, i) => expect(p.share).toBeCloseTo(total > 0 ? slot[i] / total : p.days / 365, 9));
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it("period shares add up to 1 and cover the plan day by day", () => {
    fc.assert(
      fc.property(planCaseArb(), ({ input }) => {
        const r = planOrSkip(input);
        expect(r.periods.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 9);
        for (let j = 1; j < r.periods.length; j++) expect(r.periods[j].start).toBeGreaterThan(r.periods[j - 1].end);
        if (input.grain !== "Day") {
          expect(r.periods[0].start).toBe(input.start);
          expect(r.periods[r.periods.length - 1].end).toBe(input.end);
          expect(r.periods.reduce((a, p) => a + p.days, 0)).toBe(input.end - input.start + 1);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("§4.3–4.4 leaf × period matrix and rounding", () => {
  it("siblings add up to their parent, rows to their leaf, columns to their period — exactly", () => {
    fc.assert(
      fc.property(planCaseArb(), ({ input }) => {
        const r = planOrSkip(input);
        const P = r.periods.length;
        for (const t of r.tiers) {
          expect(r.nodes[0].amount[t]).toBe(r.totals[t]);
          for (const parent of r.nodes) {
            if (!parent.children.length) continue;
            const sum = parent.children.reduce((a, c) => a + r.nodes[c].amount[t], 0);
            expect(close(sum, parent.amount[t], r.unit)).toBe(true);
          }
          r.leaves.forEach((leaf, i) => {
            let row = 0;
            for (let j = 0; j < P; j++) row += r.cells[t][i * P + j];
            expect(close(row, r.nodes[leaf].amount[t], r.unit)).toBe(true);
          });
          for (let j = 0; j < P; j++) {
            let col = 0;
            for (let i = 0; i < r.leaves.length; i++) col += r.cells[t][i * P + j];
            expect(close(col, r.periods[j].amount[t], r.unit)).toBe(true);
          }
          const periodSum = r.periods.reduce((a, p) => a + p.amount[t], 0);
          expect(close(periodSum, r.totals[t], r.unit)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("every amount is a multiple of Unit (one member per group absorbs a remainder) and within one Unit of exact", () => {
    fc.assert(
      fc.property(planCaseArb(), ({ input }) => {
        const r = planOrSkip(input);
        expect(r.rounding.fallbacks).toBe(0);
        const P = r.periods.length;
        for (const t of r.tiers) {
          const rem = remainderOf(r.totals[t], r.unit);
          const ok = (v: number): boolean => isMultiple(v, r.unit) || (rem > 0 && isMultiple(v - rem, r.unit));
          // The member that absorbs the remainder may be off by the remainder as well (CONTRACT §4.4).
          // A re-proportioned Floor or Stretch is within one Unit of Target's rounded value × its ratio.
          const ratio = r.totals.target > 0 ? r.totals[t] / r.totals.target : 1;
          const near = (v: number, exact: number, rounded: number): void => {
            const slack = isMultiple(v, r.unit) ? 0 : rem;
            const limit = (r.unit + slack) * (1 + 1e-9);
            const off = Math.abs(v - exact);
            if (t !== "target" && r.rounding.reproportioned > 0 && off >= limit) expect(Math.abs(v - rounded * ratio)).toBeLessThan(limit);
            else expect(off).toBeLessThan(limit);
          };
          for (const parent of r.nodes) {
            if (!parent.children.length) continue;
            const kids = parent.children.map((c) => r.nodes[c]);
            for (const k of kids) {
              expect(ok(k.amount[t])).toBe(true);
              near(k.amount[t], k.exact[t], k.amount.target);
            }
            expect(kids.filter((k) => !isMultiple(k.amount[t], r.unit)).length).toBeLessThanOrEqual(1);
          }
          for (const p of r.periods) {
            expect(ok(p.amount[t])).toBe(true);
            near(p.amount[t], p.exact[t], p.amount.target);
          }
          expect(r.periods.filter((p) => !isMultiple(p.amount[t], r.unit)).length).toBeLessThanOrEqual(1);
          r.leaves.forEach((leaf, i) => {
            const exactLeaf = r.nodes[leaf].exact[t];
            for (let j = 0; j < P; j++) {
              const v = r.cells[t][i * P + j];
              expect(ok(v)).toBe(true);
              expect(v).toBeGreaterThanOrEqual(0);
              near(v, exactLeaf * r.periods[j].share, r.cells.target[i * P + j]);
            }
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("is deterministic: the same input gives the same plan", () => {
    fc.assert(
      fc.property(planCaseArb({ maxLevels: 2 }), ({ input }) => {
        const a = planOrSkip(input);
        const b = computePlan(structuredClone(input));
        expect(b.nodes.map((n) => n.amount)).toEqual(a.nodes.map((n) => n.amount));
        for (const t of a.tiers) expect(Array.from(b.cells[t])).toEqual(Array.from(a.cells[t]));
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});

describe("§4.5 tiers", () => {
  it("keeps Floor ≤ Target ≤ Stretch in every node, period and cell after rounding", () => {
    fc.assert(
      fc.property(planCaseArb(), ({ input }) => {
        const r = planOrSkip(input);
        const pairs: [Tier, Tier][] = [];
        if (r.tiers.includes("floor")) pairs.push(["floor", "target"]);
        if (r.tiers.includes("stretch")) pairs.push(["target", "stretch"]);
        for (const [lo, hi] of pairs) {
          for (const n of r.nodes) expect(n.amount[lo]).toBeLessThanOrEqual(n.amount[hi]);
          for (const p of r.periods) expect(p.amount[lo]).toBeLessThanOrEqual(p.amount[hi]);
          for (let k = 0; k < r.cells[lo].length; k++) expect(r.cells[lo][k]).toBeLessThanOrEqual(r.cells[hi][k]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("spreads every tier with the same shares (a lock keeps its tiers in the parent's proportion)", () => {
    fc.assert(
      fc.property(planCaseArb(), ({ input }) => {
        const r = planOrSkip(input);
        for (const n of r.nodes.slice(1)) {
          const p = r.nodes[n.parent];
          for (const t of r.tiers) {
            if (p.exact.target > 0 && p.exact[t] > 0) expect(n.exact[t] / p.exact[t]).toBeCloseTo(n.exact.target / p.exact.target, 9);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
