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
  /** Floor or Stretch tiers rounded against Target's rounded values × their ratio (see roundPlan). */
  reproportioned: number;
}

const SNAP = 1e-9;

/** Tidy floating-point noise from `units × unit + remainder` (0.30000000000000004 → 0.3). */
export function tidy(x: number): number {
  return x === 0 ? 0 : parseFloat(x.toPrecision(15));
}

/** Decimal places of a number as written (0.25 → 2, 100 → 0), at most 12. */
function decimals(x: number): number {
  for (let d = 0; d < 12; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) return d;
  }
  return 12;
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

/**
 * Rounds the periods by their running total (round(prefix sum) − round(previous prefix sum)),
 * so the plan "to date" is never more than half a unit from exact at any period: the extra
 * units of a long row of equal days are spread out instead of bunched at the start.
 */
function roundPeriods(lay: Layout, val: Float64Array, xu: Float64Array, edges: FlowEdges): void {
  const { lo, hi } = edges;
  let running = 0;
  let previous = 0;
  for (let j = 0; j < lay.P; j++) {
    const e = lay.periodBase + j;
    running += xu[e];
    const rounded = Math.round(running - SNAP * Math.max(1, running));
    val[e] = Math.min(hi[e], Math.max(lo[e], rounded - previous));
    previous += val[e];
  }
}

/**
 * Rounds each leaf's row to the leaf's rounded value while keeping the columns on course: rows
 * are taken in order, and within a row the extra units go to the cells whose column has fallen
 * furthest behind its exact running total (Tijdeman's chairman rule, per row). This leaves the
 * column sums within a unit of exact almost everywhere, so the flow repair has little to do.
 */
function roundRows(lay: Layout, leaves: number[], val: Float64Array, xu: Float64Array, edges: FlowEdges): void {
  const { lo, hi } = edges;
  const P = lay.P;
  // Each column aims at its period's rounded value: cells are scaled to it, and drift is measured against that.
  const aim = new Float64Array(P);
  for (let j = 0; j < P; j++) {
    const e = lay.periodBase + j;
    aim[j] = xu[e] > 0 ? val[e] / xu[e] : 1;
  }
  // Running (rounded − aimed) per column.
  const drift = new Float64Array(P);
  // Sort keys: priority in the high bits, the column (earlier first on ties) in the low 16 bits,
  // so a native numeric sort of a typed array orders a row without a comparator.
  const keys = new Float64Array(P);
  const KEY_SCALE = 2 ** 30;
  for (let i = 0; i < lay.L; i++) {
    const base = lay.cellBase + i * P;
    let need = val[leaves[i]];
    let n = 0;
    for (let j = 0; j < P; j++) {
      const e = base + j;
      val[e] = lo[e];
      need -= lo[e];
      if (hi[e] > lo[e]) {
        const priority = Math.min(7, Math.max(0, xu[e] * aim[j] - lo[e] - drift[j] + 4));
        keys[n++] = Math.floor((7 - priority) * KEY_SCALE) * 65536 + j;
      }
    }
    if (need > 0 && n > 0) {
      const row = keys.subarray(0, n).sort();
      for (let pass = 0; need > 0; pass++) {
        let progressed = false;
        for (let k = 0; k < n && need > 0; k++) {
          const e = base + (row[k] % 65536);
          if (val[e] < hi[e]) {
            val[e]++;
            need--;
            progressed = true;
          }
        }
        if (!progressed) break;
      }
    }
    for (let j = 0; j < P; j++) drift[j] += val[base + j] - xu[base + j] * aim[j];
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
interface Workspace {
  nodes: PlanNode[];
  leaves: number[];
  unit: number;
  lay: Layout;
  /** Scratch buffers, one value per edge, reused by every attempt. */
  reserved: Float64Array;
  xu: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  val: Float64Array;
}

function solveTier(
  ctx: Workspace,
  tier: Tier,
  exact: Float64Array,
  total: number,
  remainder: number,
  path: number[],
  cap: Float64Array | null,
  slack: number,
): TierAttempt {
  const { nodes, leaves, unit, lay, reserved, xu, lo, hi, val } = ctx;
  reserved.fill(0);
  if (remainder) for (const e of path) reserved[e] = remainder;
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
  const edges: FlowEdges = { from: lay.from, to: lay.to, lo, hi, val };
  val[0] = lo[0];

  // Largest remainder top-down through the tree, then along each leaf's row.
  const scratch: number[] = [];
  for (let v = 0; v < lay.N; v++) {
    const kids = nodes[v].children;
    if (kids.length) largestRemainder(kids, val[v], xu, edges, scratch);
  }
  roundPeriods(lay, val, xu, edges);
  roundRows(lay, leaves, val, xu, edges);
  const outcome = repairFlow(lay.nodeCount, edges);

  // Every value must lie within one Unit of exact (the remainder's path: within one Unit plus the remainder).
  const final = new Float64Array(lay.E);
  const scale = 10 ** Math.max(decimals(unit), decimals(remainder));
  let strained = false;
  for (let e = 0; e < lay.E; e++) {
    final[e] = Math.round((val[e] * unit + reserved[e]) * scale) / scale;
    if (Math.abs(final[e] - exact[e]) >= (unit + reserved[e]) * (1 - SNAP)) strained = true;
  }
  final[0] = total;
  return { final, balanced: outcome.balanced, strained, moved: outcome.moved };
}

export function roundPlan(input: RoundingInput): RoundingOutput {
  const { nodes, leaves, shares, unit, totals, tiers } = input;
  const P = shares.length;
  const lay = layout(nodes, leaves, P);
  const buffer = (): Float64Array => new Float64Array(lay.E);
  const ctx: Workspace = { nodes, leaves, unit, lay, reserved: buffer(), xu: buffer(), lo: buffer(), hi: buffer(), val: buffer() };

  const nodeAmounts = {} as Record<Tier, Float64Array>;
  const periodAmounts = {} as Record<Tier, Float64Array>;
  const cells = {} as Record<Tier, Float64Array>;
  const periodExact = {} as Record<Tier, Float64Array>;
  let repairs = 0;
  let fallbacks = 0;
  let reproportioned = 0;
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

    // Where the remainder goes. Target's path is kept (even when Target has no remainder), since
    // sharing it keeps Floor ≤ Target ≤ Stretch wherever the remainders allow.
    const candidates: number[][] = [];
    if (!targetFinal) {
      candidates.push(absorberPath(nodes, exact, lay));
    } else if (remainder) {
      const tf = targetFinal;
      const room = absorberPath(nodes, exact.map((x, e) => (tier === "floor" ? tf[e] - x : x - tf[e])), lay);
      const sameFits = tier === "floor" ? remainder <= targetRemainder : remainder >= targetRemainder;
      if (sameFits) candidates.push(targetPath, room);
      else candidates.push(room, targetPath);
    } else {
      candidates.push(targetPath);
    }

    // What to round: the exact values; for Floor and Stretch then, should no rounding within one
    // Unit of them fit on their side of Target's, the same tier re-proportioned to Target's rounded
    // values (ratio × Target'), which always fits; and last, bounds widened by one Unit.
    const bases: Float64Array[] = [exact];
    if (targetFinal) {
      const ratio = totals.target > 0 ? total / totals.target : 1;
      bases.push(targetFinal.map((v) => v * ratio));
    }
    let chosen: TierAttempt | null = null;
    let chosenPath: number[] = candidates[0];
    let chosenBase = 0;
    search: for (let slack = 0; slack <= 2; slack++) {
      for (let b = 0; b < bases.length; b++) {
        for (const path of candidates) {
          const attempt = solveTier(ctx, tier, bases[b], total, remainder, path, targetFinal, slack);
          repairs += attempt.moved;
          if (attempt.balanced && !attempt.strained) {
            chosen = attempt;
            chosenPath = path;
            chosenBase = b;
            break search;
          }
          if (attempt.balanced && !chosen) {
            chosen = attempt;
            chosenPath = path;
            chosenBase = b;
          }
        }
      }
      if (chosen) break;
    }
    if (!chosen) throw new Error(`rounding could not reconcile the ${tier} tier`);
    if (chosenBase > 0) reproportioned++;
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
    cells[tier] = final.subarray(lay.cellBase, lay.periodBase);
    periodAmounts[tier] = final.subarray(lay.periodBase, lay.periodBase + P);
    periodExact[tier] = exact.subarray(lay.periodBase, lay.periodBase + P);
  }
  return { nodeAmounts, periodAmounts, cells, periodExact, repairs, fallbacks, reproportioned };
}
