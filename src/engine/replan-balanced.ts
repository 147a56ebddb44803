/**
 * The re-plan of a balanced plan (Seasonality Own, members' Start / End / Ramp, Holds;
 * docs/splits-and-replan.md, "Balanced plans"): each member's remaining amount is spread over the
 * periods left in proportion to that member's own cells of the original plan in those periods, so
 * its season and ramp are kept and a period after its End (a zero) stays zero. Holds of a leaf or
 * a node in a period still to come stay held where the remaining amounts can carry them.
 *
 *  - **Weights.** A member's weights are its original (rounded, exact) Target cells in the periods
 *    left. A member whose cells there are all zero (it has left, or not joined within the plan)
 *    carries no remaining target: the re-plan zeroes it (the caller keeps pooled gaps from it).
 *  - **Holds.** Each hold with a period still to come is placed deepest first: a leaf's on its
 *    cell, a node's shared over its members in that period by their original cells of the hold's
 *    tier (whole Units, one remainder), less what deeper holds there already fixed. A tier of a
 *    held cell without its own hold takes the held tier's amount (Target's when held), so the cell
 *    keeps Floor ≤ Target ≤ Stretch. A hold is released (kept in `released`, the cell then spread
 *    like the others) when it cannot be kept: what deeper holds fixed is more than it, its members
 *    have no original amount in that period to share it by, or a member's held cells would take
 *    more than its remaining target (or put its tiers out of order, or leave a remainder with no
 *    period to go to). Releasing repeats until every hold left is kept exactly.
 *  - **Exactly.** Each member's free remainder (its remaining amount less its held cells) is spread
 *    over its unheld periods by `spreadGroups` (one row, the member's own weights): its periods add
 *    up to its revised target, every cell is a multiple of Unit except one per member and tier
 *    (two with negatives), each within one Unit of its exact share, tiers in order.
 */
import { fromNumber, pow10, type Rational } from "./rational";
import { cellQuanta, leafRange, spreadCell, spreadGroups } from "./splits";
import { TIERS, type HoldRow, type PlanResult, type Tier } from "./types";

const SWAP: Record<Tier, Tier> = { floor: "stretch", target: "target", stretch: "floor" };

export interface BalancedSpreadInput {
  plan: PlanResult;
  /** Periods that have ended (the first ones). */
  ended: number;
  /** The revised plan's decimals, and its Unit in those quanta. */
  decimals: number;
  U: bigint;
  tiers: Tier[];
  /** Per leaf position and tier: the remaining amount, in quanta (below zero only when allowed). */
  amounts: Record<Tier, bigint>[];
  holds: readonly HoldRow[];
}

export interface BalancedSpread {
  /** Per tier, leaf-major over the remaining periods (i × R + k): the remaining cell in quanta. */
  cells: Record<Tier, bigint[]>;
  /** Holds in the remaining periods kept exactly, and those released. */
  kept: HoldRow[];
  released: HoldRow[];
}

/** The original Target cells of each leaf in the remaining periods, in quanta: the weights. */
export function remainingWeights(plan: PlanResult, ended: number, decimals: number): bigint[][] {
  const P = plan.periods.length;
  return plan.leaves.map((_, i) => Array.from({ length: P - ended }, (_, k) => cellQuanta(plan, "target", i * P + ended + k, decimals)));
}

interface PlacedHold {
  row: HoldRow;
  node: number;
  period: number;
  depth: number;
}

export function spreadBalanced(inp: BalancedSpreadInput): BalancedSpread {
  const { plan, ended, decimals, U, tiers } = inp;
  const P = plan.periods.length;
  const R = P - ended;
  const L = plan.leaves.length;
  const weights = remainingWeights(plan, ended, decimals);
  const scale = pow10(decimals);

  // The holds with a period still to come, at their nodes, deepest first.
  const labels = new Map(plan.periods.map((p, j) => [p.label, j]));
  const byPath = new Map<string, number>();
  plan.nodes.forEach((n, v) => byPath.set(pathKey(plan.levels, n.path, n.depth), v));
  const placed: PlacedHold[] = [];
  for (const h of inp.holds) {
    if (h.period === undefined || !tiers.includes(h.tier)) continue;
    const j = labels.get(h.period);
    if (j === undefined || j < ended) continue;
    const depth = Object.keys(h.path).length;
    const node = byPath.get(pathKey(plan.levels, h.path, depth));
    if (node === undefined) continue;
    placed.push({ row: h, node, period: j - ended, depth });
  }
  placed.sort((a, b) => b.depth - a.depth);
  const released = new Set<number>();

  for (;;) {
    // Fixed cells per tier (explicit holds), and which holds touched each leaf.
    const fixed = {} as Record<Tier, Map<number, bigint>>;
    for (const t of tiers) fixed[t] = new Map();
    const touched: Set<number>[] = Array.from({ length: L }, () => new Set());
    let failed = -1;
    for (let h = 0; h < placed.length && failed < 0; h++) {
      if (released.has(h)) continue;
      const { row, node, period: k } = placed[h];
      const t = row.tier;
      const f = fixed[t];
      const amount = quantaOfHold(row.amount, scale);
      const [from, to] = leafRange(plan, node);
      let already = 0n;
      const free: number[] = [];
      for (let i = from; i < to; i++) {
        const q = f.get(i * R + k);
        if (q === undefined) free.push(i);
        else already += q;
      }
      const left = amount - already;
      if (left < 0n || (free.length === 0 && left !== 0n)) {
        failed = h;
        break;
      }
      if (free.length === 0) continue;
      let shares: bigint[];
      if (free.length === 1) shares = [left];
      else {
        const w = free.map((i) => cellQuanta(plan, t, i * P + ended + k, decimals));
        const sum = w.reduce((a, b) => a + b, 0n);
        if (!(sum > 0n)) {
          if (left !== 0n) {
            failed = h;
            break;
          }
          shares = free.map(() => 0n);
        } else {
          const parts: Rational[] = w.map((x) => ({ n: left * x, d: sum }));
          const s = spreadGroups({ unitQuanta: U, tiers: ["target"], columnWeights: [1n], groups: [{ rows: free.length, amount: { target: left }, parts: { target: parts } }] });
          shares = free.map((_, r) => spreadCell(s, "target", r));
        }
      }
      free.forEach((i, r) => {
        f.set(i * R + k, shares[r]);
        touched[i].add(h);
      });
    }
    if (failed >= 0) {
      released.add(failed);
      continue;
    }

    // Each leaf: its held cells (every tier), then its free remainder over its unheld periods.
    const cells = {} as Record<Tier, bigint[]>;
    for (const t of tiers) cells[t] = new Array<bigint>(L * R).fill(0n);
    let bad = -1;
    for (let i = 0; i < L && bad < 0; i++) {
      const heldCols: number[] = [];
      for (let k = 0; k < R; k++) if (tiers.some((t) => fixed[t].has(i * R + k))) heldCols.push(k);
      const freeAmount = { ...inp.amounts[i] };
      let ok = true;
      const original = (t: Tier, k: number): bigint => cellQuanta(plan, t, i * P + ended + k, decimals);
      let values = heldCols.map((k) => cellOf(tiers, fixed, i * R + k, (t) => original(t, k)));
      if (!freeInOrder(tiers, inp.amounts[i], values)) values = heldCols.map((k) => cellOf(tiers, fixed, i * R + k));
      for (const [c, k] of heldCols.entries()) {
        const v = values[c];
        for (let a = 1; a < tiers.length; a++) if (v[tiers[a]] < v[tiers[a - 1]]) ok = false;
        for (const t of tiers) {
          cells[t][i * R + k] = v[t];
          freeAmount[t] -= v[t];
        }
      }
      const freeCols: number[] = [];
      for (let k = 0; k < R; k++) if (!heldCols.includes(k)) freeCols.push(k);
      const w = freeCols.map((k) => weights[i][k]);
      const anyWeight = w.some((x) => x > 0n);
      if (heldCols.length) {
        for (let a = 1; a < tiers.length; a++) if (freeAmount[tiers[a]] < freeAmount[tiers[a - 1]]) ok = false;
        for (const t of tiers) {
          if (inp.amounts[i][t] >= 0n && freeAmount[t] < 0n) ok = false;
          if (freeAmount[t] !== 0n && !anyWeight) ok = false;
        }
      }
      if (!ok) {
        bad = i;
        break;
      }
      if (!anyWeight) continue; // nothing to spread (a member with no periods left is zeroed by the caller)
      const row = spreadRow(tiers, freeAmount, w, U);
      freeCols.forEach((k, c) => {
        for (const t of tiers) cells[t][i * R + k] = row[t][c];
      });
    }
    if (bad >= 0) {
      for (const h of touched[bad]) released.add(h);
      continue;
    }
    const kept: HoldRow[] = [];
    const out: HoldRow[] = [];
    placed.forEach((p, h) => (released.has(h) ? out : kept).push(p.row));
    return { cells, kept, released: out };
  }
}

/**
 * A held cell's amounts per tier: each held tier its hold; the others their original cell, moved
 * only as far as the held tier needs to keep Floor ≤ Target ≤ Stretch (Floor at most a held Target,
 * Stretch at least it) — or, without `original`, the held tier's amount (the one nearest Target).
 */
function cellOf(tiers: Tier[], fixed: Record<Tier, Map<number, bigint>>, cell: number, original?: (t: Tier) => bigint): Record<Tier, bigint> {
  const out = {} as Record<Tier, bigint>;
  const order: Tier[] = ["target", "floor", "stretch"];
  const anchor = order.find((t) => tiers.includes(t) && fixed[t].has(cell))!;
  const a = fixed[anchor].get(cell)!;
  for (const t of tiers) {
    const h = fixed[t].get(cell);
    if (h !== undefined) out[t] = h;
    else if (!original) out[t] = a;
    else {
      const o = original(t);
      const below = TIERS.indexOf(t) < TIERS.indexOf(anchor);
      out[t] = below ? (o < a ? o : a) : o > a ? o : a;
    }
  }
  return out;
}

/** Whether a member's amounts less its held cells stay in tier order (so its free cells can). */
function freeInOrder(tiers: Tier[], amount: Record<Tier, bigint>, held: Record<Tier, bigint>[]): boolean {
  const free = tiers.map((t) => held.reduce((s, v) => s - v[t], amount[t]));
  for (let a = 1; a < free.length; a++) if (free[a] < free[a - 1]) return false;
  return true;
}

/** One member's amounts per tier spread over columns by its weights, exactly (above and below zero in separate runs, tiers swapped below). */
function spreadRow(tiers: Tier[], amount: Record<Tier, bigint>, weights: bigint[], U: bigint): Record<Tier, bigint[]> {
  const out = {} as Record<Tier, bigint[]>;
  for (const t of tiers) out[t] = new Array<bigint>(weights.length).fill(0n);
  for (const sign of [1n, -1n]) {
    const flip = (t: Tier): Tier => (sign > 0n ? t : SWAP[t]);
    const run: Partial<Record<Tier, bigint>> = { target: 0n };
    let any = false;
    for (const t of tiers) {
      const a = amount[t] * sign;
      run[flip(t)] = a > 0n ? a : 0n;
      if (a > 0n) any = true;
    }
    if (!any) continue;
    const runTiers = TIERS.filter((t) => t === "target" || tiers.map(flip).includes(t));
    const s = spreadGroups({ unitQuanta: U, tiers: runTiers, columnWeights: weights, groups: [{ rows: 1, amount: run }] });
    for (const t of tiers) for (let c = 0; c < weights.length; c++) out[t][c] += sign * spreadCell(s, flip(t), c);
  }
  return out;
}

function quantaOfHold(amount: number, scale: bigint): bigint {
  const r = fromNumber(amount);
  return (r.n * scale) / r.d;
}

function pathKey(levels: string[], path: Record<string, string>, depth: number): string {
  return `${depth}\u0000${levels
    .slice(0, depth)
    .map((l) => path[l] ?? "")
    .join("\u0000")}`;
}
