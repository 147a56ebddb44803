/**
 * Rounding to Unit that reconciles exactly (CONTRACT §4.4–4.5): controlled rounding of the
 * organisation tree × periods table.
 *
 * The plan is one network: the plan total flows from the root down the tree to each leaf, from
 * each leaf across its period cells, from each period to a sink, and back to the root. The exact
 * proportional values are a balanced flow. Rounding every edge to one of its two neighbouring
 * multiples of Unit while keeping every node balanced gives, at once, siblings that add up to
 * their parent, matrix rows that add up to their leaf and columns that add up to their period,
 * with every value within one Unit of its exact value. We start from largest-remainder rounding
 * (top down, then along each row), then let `repairFlow` move single units to fix the columns.
 *
 * Tiers: Target is rounded first; Floor then rounds with every edge capped at Target's value
 * and Stretch with every edge floored at it, so each cell keeps Floor ≤ Target ≤ Stretch.
 * A plan total that is not a multiple of Unit leaves a remainder; it is reserved on one path
 * (the largest unlocked member at each level, and the largest period) and added back.
 */
import { repairFlow, type FlowEdges } from "./flow";
import type { PlanNode, Tier, TierValues } from "./types";

export interface RoundingInput {
  nodes: PlanNode[];
  leaves: number[];
  /** Period shares, summing to 1. */
  shares: number[];
  unit: number;
  /** Exact plan totals per tier. */
  totals: TierValues;
  tiers: Tier[];
}

export interface RoundingOutput {
  /** Rounded amount per node per tier. */
  nodeAmounts: Record<Tier, Float64Array>;
  periodAmounts: Record<Tier, Float64Array>;
  /** Leaf-major cells per tier. */
  cells: Record<Tier, Float64Array>;
  periodExact: Record<Tier, Float64Array>;
  repairs: number;
  fallbacks: number;
}

const SNAP = 1e-9;

/** Tidy floating-point noise from `units × unit + remainder` (0.30000000000000004 → 0.3). */
export function tidy(x: number): number {
  return x === 0 ? 0 : parseFloat(x.toPrecision(15));
}

/** ⌊x⌋ and ⌈x⌉, collapsed to one value when x is an integer up to floating-point noise. */
function bounds(x: number): [number, number] {
  const r = Math.round(x);
  if (Math.abs(x - r) <= SNAP * Math.max(1, Math.abs(x))) return [r, r];
  const f = Math.floor(x);
  return [f, f + 1];
}

interface Layout {
  N: number; // tree nodes
  L: number; // leaves
  P: number; // periods
  E: number;
  nodeCount: number;
  cellBase: number;
  periodBase: number;
  from: Int32Array;
  to: Int32Array;
  leafPos: Int32Array; // node index → leaf position or −1
}

/**
 * Edge ids: 0 = sink → root; v (1..N−1) = parent(v) → v; cellBase + leaf·P + j = leaf → period j;
 * periodBase + j = period j → sink. Node ids: tree nodes 0..N−1, periods N..N+P−1, sink N+P.
 */
function layout(nodes: PlanNode[], leaves: number[], P: number): Layout {
  const N = nodes.length;
  const L = leaves.length;
  const cellBase = N;
  const periodBase = N + L * P;
  const E = periodBase + P;
  const sink = N + P;
  const from = new Int32Array(E);
  const to = new Int32Array(E);
  from[0] = sink;
  to[0] = 0;
  for (let v = 1; v < N; v++) {
    from[v] = nodes[v].parent;
    to[v] = v;
  }
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < P; j++) {
      const e = cellBase + i * P + j;
      from[e] = leaves[i];
      to[e] = N + j;
    }
  }
  for (let j = 0; j < P; j++) {
    from[periodBase + j] = N + j;
    to[periodBase + j] = sink;
  }
  const leafPos = new Int32Array(N).fill(-1);
  leaves.forEach((n, i) => (leafPos[n] = i));
  return { N, L, P, E, nodeCount: N + P + 1, cellBase, periodBase, from, to, leafPos };
}

/**
 * The edges that carry a total's remainder: from the root, the unlocked child with the best score
 * at each level, then the best cell of that leaf's row and its period. For Target the score is the
 * exact value (the largest member absorbs); for Floor and Stretch it is the room Target's rounded
 * value leaves them, so the remainder lands where it keeps Floor ≤ Target ≤ Stretch.
 */
function absorberPath(nodes: PlanNode[], score: Float64Array, lay: Layout): number[] {
  const path = [0];
  let v = 0;
  while (nodes[v].children.length) {
    let best = -1;
    for (const c of nodes[v].children) {
      if (nodes[c].lock !== undefined) continue;
      if (best < 0 || score[c] > score[best]) best = c;
    }
    if (best < 0) best = nodes[v].children[0];
    path.push(best);
    v = best;
  }
  if (lay.P > 0) {
    const base = lay.cellBase + lay.leafPos[v] * lay.P;
    let jBest = 0;
    for (let j = 1; j < lay.P; j++) if (score[base + j] > score[base + jBest]) jBest = j;
    path.push(base + jBest);
    path.push(lay.periodBase + jBest);
  }
  return path;
}

/** Exact value of every edge for one tier, in amounts. */
function exactEdges(nodes: PlanNode[], leaves: number[], shares: number[], tier: Tier, total: number, lay: Layout): Float64Array {
  const x = new Float64Array(lay.E);
  x[0] = total;
  for (let v = 1; v < lay.N; v++) x[v] = nodes[v].exact[tier];
  for (let i = 0; i < lay.L; i++) {
    const leafExact = nodes[leaves[i]].exact[tier];
    const base = lay.cellBase + i * lay.P;
    for (let j = 0; j < lay.P; j++) x[base + j] = leafExact * shares[j];
  }
  for (let j = 0; j < lay.P; j++) x[lay.periodBase + j] = total * shares[j];
  return x;
}

/**
 * Largest remainder within one group: edges `ids` must add up to `sum` (units); each starts at
 * its lower bound and the ones with the largest fractional excess get the extra units.
 */
function largestRemainder(ids: ArrayLike<number>, sum: number, xu: Float64Array, edges: FlowEdges, order: number[]): void {
  const { lo, hi, val } = edges;
  let need = sum;
  order.length = 0;
  for (let k = 0; k < ids.length; k++) {
    const e = ids[k];
    val[e] = lo[e];
    need -= lo[e];
    if (hi[e] > lo[e]) order.push(e);
  }
  if (need <= 0 || order.length === 0) return;
  order.sort((a, b) => xu[b] - lo[b] - (xu[a] - lo[a]) || a - b);
  while (need > 0) {
    let progressed = false;
    for (let k = 0; k < order.length && need > 0; k++) {
      const e = order[k];
      if (val[e] < hi[e]) {
        val[e]++;
        need--;
        progressed = true;
      }
    }
    if (!progressed) return;
  }
}

interface TierAttempt {
  final: Float64Array;
  balanced: boolean;
  /** True when a bound had to give way to Target's cap, i.e. some value may sit more than one Unit from exact. */
  strained: boolean;
  moved: number;
}

/**
 * Rounds one tier with its remainder reserved on `path`, bounds widened by `slack` Units, and
 * (for Floor and Stretch) every edge kept on its side of Target's rounded value `cap`.
 */
function solveTier(
  ctx: { nodes: PlanNode[]; leaves: number[]; unit: number; lay: Layout },
  tier: Tier,
  exact: Float64Array,
  total: number,
  remainder: number,
  path: number[],
  cap: Float64Array | null,
  slack: number,
): TierAttempt {
  const { nodes, leaves, unit, lay } = ctx;
  const P = lay.P;
  const reserved = new Float64Array(lay.E);
  if (remainder) for (const e of path) reserved[e] = remainder;

  const xu = new Float64Array(lay.E);
  const lo = new Float64Array(lay.E);
  const hi = new Float64Array(lay.E);
  for (let e = 0; e < lay.E; e++) {
    const u = (exact[e] - reserved[e]) / unit;
    xu[e] = u;
    const [l, h] = bounds(u);
    lo[e] = Math.max(0, l - slack);
    hi[e] = Math.max(0, h + slack);
    if (cap && tier === "floor") {
      const c = Math.floor((cap[e] - reserved[e]) / unit + SNAP);
      if (hi[e] > c) hi[e] = c;
      if (lo[e] > hi[e]) lo[e] = hi[e];
    } else if (cap && tier === "stretch") {
      const c = Math.ceil((cap[e] - reserved[e]) / unit - SNAP);
      if (lo[e] < c) lo[e] = c;
      if (hi[e] < lo[e]) hi[e] = lo[e];
    }
  }
  lo[0] = hi[0] = Math.round((total - remainder) / unit);
  const edges: FlowEdges = { from: lay.from, to: lay.to, lo, hi, val: new Float64Array(lay.E) };
  const val = edges.val;
  val[0] = lo[0];

  // Largest remainder top-down through the tree, then along each leaf's row.
  const scratch: number[] = [];
  for (let v = 0; v < lay.N; v++) {
    const kids = nodes[v].children;
    if (kids.length) largestRemainder(kids, val[v], xu, edges, scratch);
  }
  const rowIds = new Int32Array(P);
  for (let i = 0; i < lay.L; i++) {
    const base = lay.cellBase + i * P;
    for (let j = 0; j < P; j++) rowIds[j] = base + j;
    largestRemainder(rowIds, val[leaves[i]], xu, edges, scratch);
  }
  // Periods take their column sums, within their bounds; the flow repair settles the rest.
  for (let j = 0; j < P; j++) {
    let s = 0;
    for (let i = 0; i < lay.L; i++) s += val[lay.cellBase + i * P + j];
    const e = lay.periodBase + j;
    val[e] = Math.min(hi[e], Math.max(lo[e], s));
  }
  const outcome = repairFlow(lay.nodeCount, edges);

  // Every value must lie within one Unit of exact (the remainder's path: within one Unit plus the remainder).
  const final = new Float64Array(lay.E);
  let strained = false;
  for (let e = 0; e < lay.E; e++) {
    final[e] = tidy(val[e] * unit + reserved[e]);
    if (Math.abs(final[e] - exact[e]) >= (unit + reserved[e]) * (1 - SNAP)) strained = true;
  }
  final[0] = total;
  return { final, balanced: outcome.balanced, strained, moved: outcome.moved };
}

export function roundPlan(input: RoundingInput): RoundingOutput {
  const { nodes, leaves, shares, unit, totals, tiers } = input;
  const P = shares.length;
  const lay = layout(nodes, leaves, P);
  const ctx = { nodes, leaves, unit, lay };

  const nodeAmounts = {} as Record<Tier, Float64Array>;
  const periodAmounts = {} as Record<Tier, Float64Array>;
  const cells = {} as Record<Tier, Float64Array>;
  const periodExact = {} as Record<Tier, Float64Array>;
  let repairs = 0;
  let fallbacks = 0;
  // Target is rounded first; its final values cap Floor and floor Stretch, edge by edge.
  let targetFinal: Float64Array | null = null;
  let targetPath: number[] = [];
  let targetRemainder = 0;

  const order = [...tiers].sort((a, b) => (a === "target" ? -1 : b === "target" ? 1 : 0));
  for (const tier of order) {
    const total = totals[tier];
    const exact = exactEdges(nodes, leaves, shares, tier, total, lay);
    // The part of the total that is not a multiple of Unit, carried by one path of members.
    const [qLo, qHi] = bounds(total / unit);
    const remainder = qLo === qHi ? 0 : tidy(total - qLo * unit);

    const candidates: number[][] = [];
    if (!targetFinal) {
      candidates.push(absorberPath(nodes, exact, lay));
    } else {
      const tf = targetFinal;
      const room = absorberPath(nodes, exact.map((x, e) => (tier === "floor" ? tf[e] - x : x - tf[e])), lay);
      // Sharing Target's path keeps the order wherever the remainders allow it.
      const sameFits = tier === "floor" ? remainder <= targetRemainder : remainder >= targetRemainder;
      if (sameFits) candidates.push(targetPath, room);
      else candidates.push(room, targetPath);
    }

    let chosen: TierAttempt | null = null;
    let chosenPath: number[] = candidates[0];
    search: for (let slack = 0; slack <= 2; slack++) {
      for (const path of candidates) {
        const attempt = solveTier(ctx, tier, exact, total, remainder, path, targetFinal, slack);
        repairs += attempt.moved;
        if (attempt.balanced && !attempt.strained) {
          chosen = attempt;
          chosenPath = path;
          break search;
        }
        if (attempt.balanced && !chosen) {
          chosen = attempt;
          chosenPath = path;
        }
      }
      if (chosen) break;
    }
    if (!chosen) throw new Error(`rounding could not reconcile the ${tier} tier`);
    if (chosen.strained) fallbacks++;
    const final = chosen.final;
    if (tier === "target") {
      targetFinal = final;
      targetPath = chosenPath;
      targetRemainder = remainder;
    }

    const na = new Float64Array(lay.N);
    na[0] = total;
    for (let v = 1; v < lay.N; v++) na[v] = final[v];
    nodeAmounts[tier] = na;
    cells[tier] = final.slice(lay.cellBase, lay.periodBase);
    periodAmounts[tier] = final.slice(lay.periodBase, lay.periodBase + P);
    periodExact[tier] = exact.slice(lay.periodBase, lay.periodBase + P);
  }
  return { nodeAmounts, periodAmounts, cells, periodExact, repairs, fallbacks };
}
