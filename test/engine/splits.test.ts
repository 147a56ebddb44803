/**
 * Parallel splits (docs/splits-and-replan.md): property tests over random plans, dimensions and
 * History (whole and decimal amounts, all-zero nodes), and the worked examples.
 */
import fc from "fast-check";
import { computePlan, PlanProblemsError, type PlanResult, type Tier } from "../../src/engine";
import { computeSplits, nodePeriodQuanta, planScale, spreadCell, spreadGroups, splitCellQuanta, type NodeSplit } from "../../src/engine/splits";
import type { FactRow } from "../../src/engine/types";
import { planCaseArb } from "./arbitraries";
import { monthFact, planInput } from "./build";
import { factRows } from "../../src/engine/facts";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const TIER_ORDER: Tier[] = ["floor", "target", "stretch"];

function planOrSkip(input: Parameters<typeof computePlan>[0]): PlanResult {
  try {
    return computePlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) fc.pre(false);
    throw e;
  }
}

/** |cell − share × amount| ≤ bound, exactly: cell and amount in quanta, share = w ÷ W. */
function within(cell: bigint, amount: bigint, w: bigint, W: bigint, bound: bigint): boolean {
  const diff = cell * W - amount * w;
  return (diff < 0n ? -diff : diff) <= bound * W;
}

/** Every invariant of one node split, exactly. */
function checkNodeSplit(plan: PlanResult, split: NodeSplit, weights: bigint[]): void {
  const { decimals, unitQuanta: U } = planScale(plan);
  const P = plan.periods.length;
  const K = split.members.length;
  const W = weights.reduce((a, b) => a + b, 0n);
  expect(split.spread.fallbacks).toBe(0);
  for (const t of plan.tiers) {
    const periods = nodePeriodQuanta(plan, split.node, t, decimals);
    const memberTotals = new Array<bigint>(K).fill(0n);
    for (let j = 0; j < P; j++) {
      let column = 0n;
      let offUnit = 0;
      for (let k = 0; k < K; k++) {
        const q = splitCellQuanta(split, t, k, j);
        expect(q >= 0n).toBe(true);
        column += q;
        memberTotals[k] += q;
        const r = q % U;
        if (r !== 0n) {
          offUnit++;
          // The one cell off Unit carries the period's own remainder.
          expect(r).toBe(periods[j] % U);
        }
        // Within one Unit of the exact share (plus the remainder it may carry); Floor and Stretch
        // may be rounded against Target's cells × their ratio, within one more.
        const slack = t === "target" || split.spread.reproportioned === 0 ? 1n : 2n;
        expect(within(q, periods[j], weights[k], W, slack * U + (periods[j] % U))).toBe(true);
      }
      expect(column).toBe(periods[j]);
      expect(offUnit).toBeLessThanOrEqual(periods[j] % U === 0n ? 0 : 1);
    }
    // Each member's amount is the sum of its periods.
    split.members.forEach((m, k) => expect(m.amount[t]).toBe(Number(memberTotals[k]) / 10 ** decimals));
  }
  // Floor ≤ Target ≤ Stretch in every cell.
  const tiers = TIER_ORDER.filter((t) => plan.tiers.includes(t));
  for (let j = 0; j < P; j++) {
    for (let k = 0; k < K; k++) {
      for (let i = 1; i < tiers.length; i++) {
        expect(splitCellQuanta(split, tiers[i - 1], k, j) <= splitCellQuanta(split, tiers[i], k, j)).toBe(true);
      }
    }
  }
}

/** History with a Product column: each leaf's rows spread over some products, some amounts in cents, some nodes with none. */
const productsArb = fc.record({
  products: fc.integer({ min: 1, max: 5 }),
  seed: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 20, maxLength: 20 }),
  cents: fc.boolean(),
  zeroFirst: fc.boolean(),
});

function withProducts(history: FactRow[], p: { products: number; seed: number[]; cents: boolean; zeroFirst: boolean }, topLevel: string): FactRow[] {
  return history.map((row, i) => {
    const k = p.seed[i % p.seed.length] % p.products;
    const zero = p.zeroFirst && row.dims[topLevel]?.startsWith("M0");
    const amount = zero ? 0 : p.cents ? (row.measures.Amount * 100 + p.seed[(i + 3) % p.seed.length]) / 100 : row.measures.Amount;
    return { ...row, dims: { ...row.dims, Product: `P${k}` }, measures: { ...row.measures, Amount: amount } };
  });
}

/** The split's weights as computeSplits takes them: History of the metric per member under the node, over one denominator. */
function weightsOf(split: NodeSplit): bigint[] {
  if (split.basisKind === "Equal") return split.members.map(() => 1n);
  // Bases are decimals with at most two places here.
  return split.members.map((m) => BigInt(Math.round(m.basis * 100)));
}

describe("parallel splits", () => {
  it("every split of the plan and of each top-level node reconciles exactly, per period and tier", () => {
    fc.assert(
      fc.property(planCaseArb(), productsArb, ({ input }, products) => {
        const top = input.levels[0];
        const history = withProducts([...factRows(input.history)], products, top);
        const full = { ...input, history };
        const plan = planOrSkip(full);
        const result = computeSplits(full, plan, [
          { dimension: "Product", ref: "Settings!B9" },
          { dimension: "Product", level: top, ref: "Settings!B10" },
        ]);
        expect(result.splits).toHaveLength(2);
        expect(result.splits[0].nodes.map((n) => n.node)).toEqual([0]);
        expect(result.splits[1].nodes.map((n) => n.node)).toEqual(plan.nodes.flatMap((n, i) => (n.depth === 1 ? [i] : [])));
        for (const split of result.splits) {
          for (const node of split.nodes) {
            const weights = weightsOf(node);
            const W = weights.reduce((a, b) => a + b, 0n);
            node.members.forEach((m, k) => expect(m.share).toBeCloseTo(Number(weights[k]) / Number(W), 12));
            checkNodeSplit(plan, node, weights);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("a node whose members' History is all zero splits equally, and says so", () => {
    const history: FactRow[] = [];
    for (let m = 1; m <= 12; m++) {
      history.push(monthFact(2026, m, { Region: "East", Rep: "Li", Product: "A" }, 100 * m));
      history.push(monthFact(2026, m, { Region: "East", Rep: "Li", Product: "B" }, 50 * m));
      history.push(monthFact(2026, m, { Region: "West", Rep: "Wu", Product: "A" }, 0));
      history.push(monthFact(2026, m, { Region: "West", Rep: "Wu", Product: "B" }, 0));
    }
    const input = planInput({ levels: ["Region", "Rep"], levelLabels: ["Region", "Rep"], history, tiers: { target: 1200 }, unit: 10 });
    const plan = computePlan(input);
    const [split] = computeSplits(input, plan, [{ dimension: "Product", level: "Region", ref: "Settings!B2" }]).splits;
    const west = split.nodes.find((n) => plan.nodes[n.node].member === "West")!;
    expect(west.basisKind).toBe("Equal");
    expect(west.members.map((m) => m.share)).toEqual([0.5, 0.5]);
    const east = split.nodes.find((n) => plan.nodes[n.node].member === "East")!;
    expect(east.basisKind).toBe("History");
    expect(east.members.map((m) => m.member)).toEqual(["A", "B"]);
    expect(east.members[0].share).toBeCloseTo(2 / 3, 12);
  });

  it("keeps a total that is not a multiple of Unit: 1,005 at Unit 10, the 5 on one member in the period that has it", () => {
    const history = [1, 2, 3].flatMap((m) => [monthFact(2026, m, { Rep: "Li", Product: "A" }, 30), monthFact(2026, m, { Rep: "Li", Product: "B" }, 70)]);
    const input = planInput({ start: planInput().start, end: planInput().start + 89, history, tiers: { target: 1005 }, unit: 10, grain: "Month" });
    const plan = computePlan(input);
    const [split] = computeSplits(input, plan, [{ dimension: "Product", ref: "Settings!B2" }]).splits;
    const node = split.nodes[0];
    expect(node.members.map((m) => m.amount.target)).toEqual([300, 705]);
    const P = plan.periods.length;
    const cells = Array.from(node.cells.target!);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(1005);
    expect(cells.filter((c) => c % 10 !== 0)).toHaveLength(1);
    for (let j = 0; j < P; j++) expect(cells[j] + cells[P + j]).toBe(plan.periods[j].amount.target);
  });

  it("names the setting's cell when the dimension has no names in History", () => {
    const input = planInput({ history: [monthFact(2026, 1, { Rep: "Li" }, 10)] });
    const plan = computePlan(input);
    expect(() => computeSplits(input, plan, [{ dimension: "Customer", ref: "Settings!B7" }])).toThrow(PlanProblemsError);
    try {
      computeSplits(input, plan, [{ dimension: "Customer", ref: "Settings!B7" }]);
    } catch (e) {
      expect((e as PlanProblemsError).problems).toEqual([{ ref: "Settings!B7", code: "splitNoMembers", args: { dimension: "Customer" } }]);
    }
  });

  it("names the History row of a member whose History adds up to less than zero", () => {
    // A return without its sale: the month still adds up to more than zero, the product line does not.
    const history = [monthFact(2026, 2, { Rep: "Li", Product: "A" }, 10), { ...monthFact(2026, 2, { Rep: "Li", Product: "B" }, -5), ref: "History!A3" }];
    const input = planInput({ history });
    const plan = computePlan(input);
    let problems: unknown;
    try {
      computeSplits(input, plan, [{ dimension: "Product", ref: "Settings!B7" }], { table: "History!A1", letters: { Amount: "D" }, labels: {} });
    } catch (e) {
      problems = (e as PlanProblemsError).problems;
    }
    expect(problems).toEqual([{ ref: "History!D3", code: "splitNegativeBasis", args: { member: "B", node: "@plan" } }]);
  });
});

describe("spreadGroups", () => {
  // Found by the properties: Target's remainder on a cell where Stretch has no more whole Units than Target.
  it("puts Target's remainder where Stretch stays above it: 8 / 8 / 14 at Unit 7 over weights 2 : 1", () => {
    const spread = spreadGroups({ unitQuanta: 7n, tiers: ["floor", "target", "stretch"], columnWeights: [2n, 1n], groups: [{ rows: 1, amount: { floor: 8n, target: 8n, stretch: 14n } }] });
    const cells = (t: Tier) => [0, 1].map((c) => spreadCell(spread, t, c));
    // The larger column has one whole Unit in every tier, so Target's 1 goes to the smaller one, and Floor's with it.
    expect(cells("target")).toEqual([7n, 1n]);
    expect(cells("floor")).toEqual([7n, 1n]);
    expect(cells("stretch")).toEqual([7n, 7n]);
  });

  // Found by the properties: Floor rounded on its own goes above Target in a cell, and no rounding
  // within one Unit of its own exact values fits under Target's: it follows Target × the group's ratio.
  it("keeps every period held when Floor has to follow Target's cells (3 of 7 over twelve weeks, three members)", () => {
    const floor = [0n, 0n, 0n, 1n, 0n, 0n, 1n, 0n, 0n, 0n, 0n, 1n];
    const target = [0n, 1n, 0n, 1n, 1n, 0n, 1n, 1n, 0n, 1n, 0n, 1n];
    const spread = spreadGroups({ unitQuanta: 1n, tiers: ["floor", "target"], columnWeights: [1n, 1n, 1n], groups: target.map((t, j) => ({ rows: 1, amount: { floor: floor[j], target: t } })) });
    expect(spread.reproportioned).toBe(1);
    target.forEach((t, j) => {
      const row = (tier: Tier) => [0, 1, 2].map((k) => spreadCell(spread, tier, j * 3 + k));
      expect(row("target").reduce((a, b) => a + b, 0n)).toBe(t);
      expect(row("floor").reduce((a, b) => a + b, 0n)).toBe(floor[j]);
      row("floor").forEach((f, k) => expect(f <= row("target")[k]).toBe(true));
    });
  });

  // Found by the properties: a group whose Target is below one Unit while Stretch has one: the
  // ratio to Target cannot give it Stretch's Unit, so that group keeps its own exact values.
  it("gives Stretch its Unit where Target has none (1 / 10 at Unit 10) while another group follows Target's ratio", () => {
    const share = (x: bigint, parts: bigint[]) => parts.map((p) => ({ n: x * p, d: parts.reduce((a, b) => a + b, 0n) }));
    const parts = [48n, 3n, 3n, 12n];
    const groups = [
      { rows: 4, amount: { floor: 99980n, target: 99980n, stretch: 99990n }, parts: { floor: share(99980n, parts), target: share(99980n, parts), stretch: share(99990n, parts) } },
      { rows: 1, amount: { floor: 25860n, target: 25860n, stretch: 25860n } },
      { rows: 1, amount: { floor: 1n, target: 1n, stretch: 10n } },
      { rows: 1, amount: { floor: 93850n, target: 93850n, stretch: 93850n } },
    ];
    const spread = spreadGroups({ unitQuanta: 10n, tiers: ["floor", "target", "stretch"], columnWeights: [21n, 3n, 17n, 2n, 16n], groups });
    const row = (t: Tier, i: number) => [0, 1, 2, 3, 4].map((j) => spreadCell(spread, t, i * 5 + j));
    expect(row("stretch", 5).reduce((a, b) => a + b, 0n)).toBe(10n);
    expect(row("target", 5).reduce((a, b) => a + b, 0n)).toBe(1n);
    for (let i = 0; i < 7; i++) row("stretch", i).forEach((s, j) => expect(s >= row("target", i)[j]).toBe(true));
  });

  it("holds each group at its amount, rows by their parts, columns by their weights, remainders on one cell each, tiers in order", () => {
    const groupArb = fc.record({
      rows: fc.integer({ min: 1, max: 4 }),
      target: fc.integer({ min: 0, max: 100_000 }),
      floorCut: fc.integer({ min: 0, max: 100 }),
      stretchAdd: fc.integer({ min: 0, max: 5000 }),
      parts: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 4, maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(groupArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 7 }),
        fc.constantFrom(1n, 7n, 10n, 100n),
        (groups, weights, U) => {
          const input = groups.map((g) => {
            const target = BigInt(g.target);
            const floor = (target * BigInt(100 - g.floorCut)) / 100n;
            const stretch = target + BigInt(g.stretchAdd);
            let parts = g.parts.slice(0, g.rows).map(BigInt);
            if (parts.every((p) => p === 0n)) parts = parts.map(() => 1n);
            const sum = parts.reduce((a, b) => a + b, 0n);
            const share = (x: bigint) => parts.map((p) => ({ n: x * p, d: sum }));
            return {
              rows: g.rows,
              amount: { floor, target, stretch },
              ...(g.rows > 1 ? { parts: { floor: share(floor), target: share(target), stretch: share(stretch) } } : {}),
            };
          });
          const spread = spreadGroups({ unitQuanta: U, tiers: ["floor", "target", "stretch"], columnWeights: weights.map(BigInt), groups: input });
          const C = weights.length;
          let first = 0;
          for (const g of input) {
            for (const t of TIER_ORDER) {
              let total = 0n;
              let offUnit = 0;
              for (let i = first; i < first + g.rows; i++) {
                for (let j = 0; j < C; j++) {
                  const q = spreadCell(spread, t, i * C + j);
                  total += q;
                  if (q % U !== 0n) offUnit++;
                }
              }
              expect(total).toBe(g.amount[t]);
              expect(offUnit).toBeLessThanOrEqual(g.amount[t] % U === 0n ? 0 : 1);
            }
            for (let i = first; i < first + g.rows; i++) {
              for (let j = 0; j < C; j++) {
                const [f, tq, s] = TIER_ORDER.map((t) => spreadCell(spread, t, i * C + j));
                expect(f <= tq && tq <= s).toBe(true);
              }
            }
            first += g.rows;
          }
          expect(spread.fallbacks).toBe(0);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
