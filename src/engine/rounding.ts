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
 *
 * Exactness. Amounts are whole numbers of quanta (bigint): the Unit U, the totals T, the
 * remainder T mod U. The tree's exact values and the period shares are exact rationals, and
 * every decision about validity — the ⌊ ⌋ and ⌈ ⌉ bounds of each edge, the caps that keep the
 * tiers in order, the period running totals, the largest-remainder order in the tree, the
 * "within one Unit" check — is taken on exact values. The rounded values are whole Units
 * (doubles holding integers up to 10^15, so their sums stay exact).
 *
 * The leaf × period cells are too many for a bigint each, so their bounds are filtered, as
 * robust geometric predicates are: a cell's value in Units is computed as the double
 * x = fl(fl(leaf ÷ U) × fl(share)), from double approximations of the leaf's exact value and of
 * the period's share. The leaf's double is within 6 units in the last place of exact
 * (rational.toDouble: 4; U as a double and the division by it: 2 more), the share's within 4,
 * and the product rounds once more, so |x − exact| ≤ 11 · 2⁻⁵³ · x (plus terms in 2⁻¹⁰⁶)
 * < 1.3e-15 · x. With the bound taken as FILTER = 1e-14 · x (over seven times that, and far above
 * the rounding of x ± bound itself), whenever x − bound and x + bound have the same floor f, the
 * exact value lies strictly between f and f + 1: the cell's bounds are [f, f + 1], exactly. Only
 * cells inside that band — exact whole numbers, values within 1e-14 (relative) of one, and,
 * past 10^13 Units, a growing share of cells (all of them past 10^14, where the band is wider
 * than a Unit) — are computed exactly with bigints. Tree nodes are filtered the same way (6 ulps). Doubles also order the cells within a row (the chairman rule of
 * roundRows) and choose where the Floor and Stretch remainders go; those choices pick among valid
 * roundings and are then checked exactly, so they do not need to be exact.
 */
import { repairFlow, type FlowEdges } from "./flow";
import { floorDiv, toDouble, type Rational } from "./rational";
import type { PlanNode, RemainderPath, Tier } from "./types";

export interface RoundingInput {
  /** The tree's structure (parent, children, locks). */
  nodes: PlanNode[];
  leaves: number[];
  /** Exact value of every node per tier, in quanta; the root's is the tier's total (a whole number). */
  exact: Record<Tier, Rational[]>;
  /** Period shares: shareNumerators[j] ÷ shareDenominator, adding up to 1. */
  shareNumerators: readonly bigint[];
  shareDenominator: bigint;
  /** The Unit in quanta. */
  unitQuanta: bigint;
  tiers: Tier[];
}

export interface TierRounding {
  /** Whole Units per node (the root included), per leaf-major cell and per period. */
  nodeUnits: Float64Array;
  cellUnits: Float64Array;
  periodUnits: Float64Array;
  /** The tier's total mod Unit, in quanta, carried on `path`. */
  remainder: bigint;
  path: RemainderPath;
}

export interface RoundingOutput {
  tiers: Partial<Record<Tier, TierRounding>>;
  repairs: number;
  fallbacks: number;
  /** Floor or Stretch tiers rounded against Target's rounded values × their ratio (see roundPlan). */
  reproportioned: number;
}

/** Relative bound on the error of a filtered double (see the header): far above the 1.5e-15 proven. */
const FILTER = 1e-14;
/** Below this a double may be subnormal, where relative bounds do not hold: such values are computed exactly. */
const TINY = 1e-280;

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

/** Scratch buffers, one value per edge, reused by every attempt. */
interface Workspace {
  nodes: PlanNode[];
  leaves: number[];
  lay: Layout;
  U: bigint;
  /** Number(U), for the filtered doubles. */
  unitDouble: number;
  /** Approximate exact value in Units (for orderings); after the remainder is reserved on the path. */
  xu: Float64Array;
  /** ⌊exact Units⌋, and 1 where the exact value is not a whole number of Units (so ⌈ ⌉ = ⌊ ⌋ + 1). */
  lo0: Float64Array;
  frac: Uint8Array;
  lo: Float64Array;
  hi: Float64Array;
  val: Float64Array;
  /** The remainder reserved on the current attempt's path, and that path. */
  reserved: bigint;
  onPath: Set<number>;
  base: Base;
}

/** The exact values an attempt rounds: the tier's own, or Target's rounded values × the tier's ratio. */
interface Base {
  /** Exact value of edge e in quanta (before any remainder is reserved). */
  exact(e: number): Rational;
  /** Fills xu, lo0 and frac for every edge (no remainder reserved). */
  fill(ws: Workspace): void;
}

/** Sets the bounds of edge e from its exact value q (quanta) less `reserve` quanta. */
function setExact(ws: Workspace, e: number, q: Rational, reserve: bigint): void {
  const num = q.n - reserve * q.d;
  const den = q.d * ws.U;
  const f = floorDiv(num, den);
  ws.lo0[e] = Number(f);
  ws.frac[e] = num === f * den ? 0 : 1;
  ws.xu[e] = toDouble(num, den);
}

/**
 * ⌊exact⌋ from x, a double within FILTER · x of a positive exact value, when x is clear of every
 * whole number by that much — the exact value then lies strictly between ⌊exact⌋ and ⌊exact⌋ + 1;
 * −1 when the exact value is needed (it may be a whole number, or on either side of one).
 */
export function filteredFloor(x: number): number {
  if (!(x > TINY)) return -1;
  const bound = x * FILTER;
  const f = Math.floor(x + bound);
  return x - bound > f ? f : -1;
}

/** Sets the bounds of edge e from x by filteredFloor; returns false when the exact value is needed. */
function setFiltered(ws: Workspace, e: number, x: number): boolean {
  const f = filteredFloor(x);
  if (f < 0) return false;
  ws.lo0[e] = f;
  ws.frac[e] = 1;
  ws.xu[e] = x;
  return true;
}

/** The tier's own exact values: the tree's, each leaf × each period's share, the total × each share. */
class OwnBase implements Base {
  private readonly values: Rational[];
  private readonly leafValues: Rational[];
  private readonly sn: readonly bigint[];
  private readonly D: bigint;
  constructor(
    input: RoundingInput,
    tier: Tier,
    private readonly lay: Layout,
  ) {
    this.values = input.exact[tier];
    this.leafValues = input.leaves.map((v) => this.values[v]);
    this.sn = input.shareNumerators;
    this.D = input.shareDenominator;
  }

  exact(e: number): Rational {
    const lay = this.lay;
    if (e < lay.cellBase) return this.values[e];
    if (e < lay.periodBase) {
      const k = e - lay.cellBase;
      const i = Math.floor(k / lay.P);
      const leaf = this.leafValues[i];
      return { n: leaf.n * this.sn[k - i * lay.P], d: leaf.d * this.D };
    }
    const total = this.values[0];
    return { n: total.n * this.sn[e - lay.periodBase], d: total.d * this.D };
  }

  fill(ws: Workspace): void {
    const { P, periodBase } = this.lay;
    fillNodes(ws, this.values);
    for (let j = 0; j < P; j++) setExact(ws, periodBase + j, this.exact(periodBase + j), 0n);
    fillCells(ws, this.leafValues, this.sn, this.D);
  }
}

/** Tree nodes: filtered from the double of n ÷ d (4 ulps) ÷ U (2 more), else exact. */
function fillNodes(ws: Workspace, values: Rational[]): void {
  const ud = ws.unitDouble;
  for (let v = 0; v < values.length; v++) {
    const q = values[v];
    if (q.n === 0n || !setFiltered(ws, v, toDouble(q.n, q.d) / ud)) setExact(ws, v, q, 0n);
  }
}

/** Cells: leaf (Units) × share, both as doubles, filtered; a zero leaf or share gives exact zeros. */
function fillCells(ws: Workspace, leafValues: Rational[], sn: readonly bigint[], D: bigint): void {
  const { P, L, cellBase } = ws.lay;
  const ud = ws.unitDouble;
  const share = new Float64Array(P);
  // 2: a zero share; 1: a share the filter can use; 0: one too small for relative bounds.
  const shareOk = new Uint8Array(P);
  for (let j = 0; j < P; j++) {
    share[j] = toDouble(sn[j], D);
    shareOk[j] = sn[j] === 0n ? 2 : share[j] > TINY ? 1 : 0;
  }
  const { xu, lo0, frac } = ws;
  for (let i = 0; i < L; i++) {
    const q = leafValues[i];
    const row = cellBase + i * P;
    if (q.n === 0n) {
      xu.fill(0, row, row + P);
      lo0.fill(0, row, row + P);
      frac.fill(0, row, row + P);
      continue;
    }
    const leaf = toDouble(q.n, q.d) / ud;
    for (let j = 0; j < P; j++) {
      const e = row + j;
      const ok = shareOk[j];
      if (ok === 2) {
        xu[e] = 0;
        lo0[e] = 0;
        frac[e] = 0;
        continue;
      }
      const x = leaf * share[j];
      // filteredFloor, inlined: this loop runs over every cell of the plan.
      const bound = x * FILTER;
      const f = Math.floor(x + bound);
      if (ok === 1 && x > TINY && x - bound > f) {
        lo0[e] = f;
        frac[e] = 1;
        xu[e] = x;
      } else {
        setExact(ws, e, { n: q.n * sn[j], d: q.d * D }, 0n);
      }
    }
  }
}

/**
 * Target's rounded values × the tier's ratio (tier total ÷ Target total), exactly: Target's
 * amount of each edge is whole Units plus its remainder where it lies on Target's path.
 */
class RatioBase implements Base {
  private readonly rn: bigint;
  private readonly rd: bigint;
  constructor(
    input: RoundingInput,
    tier: Tier,
    private readonly target: FinalTier,
    private readonly U: bigint,
  ) {
    const total = input.exact[tier][0].n;
    const targetTotal = input.exact.target[0].n;
    this.rn = targetTotal > 0n ? total : 1n;
    this.rd = targetTotal > 0n ? targetTotal : 1n;
  }

  exact(e: number): Rational {
    const t = this.target;
    const quanta = BigInt(t.units[e]) * this.U + (t.onPath.has(e) ? t.remainder : 0n);
    return { n: quanta * this.rn, d: this.rd };
  }

  fill(ws: Workspace): void {
    const ratio = toDouble(this.rn, this.rd);
    const units = this.target.units;
    for (let e = 0; e < units.length; e++) {
      if (units[e] === 0) {
        ws.xu[e] = 0;
        ws.lo0[e] = 0;
        ws.frac[e] = 0;
      } else if (this.target.onPath.has(e) || !setFiltered(ws, e, units[e] * ratio)) setExact(ws, e, this.exact(e), 0n);
    }
  }
}

/** A rounded tier: its whole Units per edge, the remainder and the edges that carry it. */
interface FinalTier {
  units: Float64Array;
  remainder: bigint;
  path: number[];
  onPath: Set<number>;
}

/**
 * The sign of (exact Units of a − lo[a]) − (exact Units of b − lo[b]): by the doubles when they
 * are clear of each other, else exactly.
 */
function compareExcess(ws: Workspace, a: number, b: number): number {
  const { xu, lo } = ws;
  const d = xu[a] - lo[a] - (xu[b] - lo[b]);
  const bound = FILTER * (Math.abs(xu[a]) + Math.abs(xu[b])) + TINY;
  if (d > bound) return 1;
  if (d < -bound) return -1;
  const ea = excessOf(ws, a);
  const eb = excessOf(ws, b);
  const l = ea.n * eb.d;
  const r = eb.n * ea.d;
  return l === r ? 0 : l > r ? 1 : -1;
}

/** Exact Units of edge e, less its lower bound, as n ÷ d. */
function excessOf(ws: Workspace, e: number): Rational {
  const q = ws.base.exact(e);
  const reserve = ws.onPath.has(e) ? ws.reserved : 0n;
  const den = q.d * ws.U;
  return { n: q.n - reserve * q.d - BigInt(ws.lo[e]) * den, d: den };
}

/**
 * Largest remainder within one group: edges `ids` must add up to `sum` (units); each starts at
 * its lower bound and the ones with the largest fractional excess get the extra units (ties: the
 * earlier edge). The excesses are compared exactly.
 */
function largestRemainder(ws: Workspace, ids: ArrayLike<number>, sum: number, order: number[]): void {
  const { lo, hi, val } = ws;
  let need = sum;
  order.length = 0;
  for (let k = 0; k < ids.length; k++) {
    const e = ids[k];
    val[e] = lo[e];
    need -= lo[e];
    if (hi[e] > lo[e]) order.push(e);
  }
  if (need <= 0 || order.length === 0) return;
  order.sort((a, b) => compareExcess(ws, b, a) || a - b);
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
 * Rounds the periods by their running total (round(prefix sum) − round(previous prefix sum),
 * halves down), so the plan "to date" is never more than half a unit from exact at any period:
 * the extra units of a long row of equal days are spread out instead of bunched at the start.
 * The running totals are exact rationals.
 */
function roundPeriods(ws: Workspace): void {
  const { lay, lo, hi, val, U } = ws;
  let runN = 0n;
  let runD = 1n;
  let previous = 0;
  for (let j = 0; j < lay.P; j++) {
    const e = lay.periodBase + j;
    const q = ws.base.exact(e);
    const n = q.n - (ws.onPath.has(e) ? ws.reserved * q.d : 0n);
    if (q.d === runD) runN += n;
    else {
      runN = runN * q.d + n * runD;
      runD *= q.d;
    }
    // ⌈running ÷ U − ½⌉: the nearest whole Unit, halves down.
    const twice = 2n * runD * U;
    const rounded = Number(-floorDiv(-(2n * runN - runD * U), twice));
    val[e] = Math.min(hi[e], Math.max(lo[e], rounded - previous));
    previous += val[e];
  }
}

/**
 * Rounds each leaf's row to the leaf's rounded value while keeping the columns on course: rows
 * are taken in order, and within a row the extra units go to the cells whose column has fallen
 * furthest behind its exact running total (Tijdeman's chairman rule, per row). This leaves the
 * column sums within a unit of exact almost everywhere, so the flow repair has little to do.
 * The priorities are doubles: they only choose among roundings inside the exact bounds.
 */
function roundRows(ws: Workspace): void {
  const { lay, leaves, lo, hi, val, xu } = ws;
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

// Whole-array passes of solveTier, each its own function so that each loop is optimised on its own.

function initBounds(lo0: Float64Array, frac: Uint8Array, lo: Float64Array, hi: Float64Array, slack: number): void {
  for (let e = 0; e < lo0.length; e++) {
    const l = lo0[e];
    lo[e] = l - slack > 0 ? l - slack : 0;
    hi[e] = l + frac[e] + slack;
  }
}

/** hi ≤ cap, and lo ≤ hi. */
function capBelow(cap: Float64Array, lo: Float64Array, hi: Float64Array): void {
  for (let e = 0; e < cap.length; e++) {
    const c = cap[e];
    if (hi[e] > c) hi[e] = c;
    if (lo[e] > hi[e]) lo[e] = hi[e];
  }
}

/** lo ≥ cap, and hi ≥ lo. */
function capAbove(cap: Float64Array, lo: Float64Array, hi: Float64Array): void {
  for (let e = 0; e < cap.length; e++) {
    const c = cap[e];
    if (lo[e] < c) lo[e] = c;
    if (hi[e] < lo[e]) hi[e] = lo[e];
  }
}

/** The first edge from `start` whose value lies outside [⌊exact⌋, ⌈exact⌉], or −1. */
function outsideBounds(val: Float64Array, lo0: Float64Array, frac: Uint8Array, start: number): number {
  for (let e = start; e < val.length; e++) {
    const v = val[e];
    if (v < lo0[e] || v > lo0[e] + frac[e]) return e;
  }
  return -1;
}

interface TierAttempt {
  units: Float64Array;
  balanced: boolean;
  /** True when a bound had to give way to Target's cap, i.e. some value may sit more than one Unit from exact. */
  strained: boolean;
  moved: number;
}

/**
 * Rounds one tier (its base already filled into the workspace) with `remainder` reserved on
 * `path`, bounds widened by `slack` Units, and, for Floor and Stretch, every edge kept on its side
 * of Target's rounded value.
 */
function solveTier(
  ws: Workspace,
  tier: Tier,
  total: bigint,
  remainder: bigint,
  path: number[],
  target: FinalTier | null,
  slack: number,
): TierAttempt {
  const { nodes, lay, xu, lo0, frac, lo, hi, val, U } = ws;
  ws.reserved = remainder;
  ws.onPath = new Set(remainder > 0n ? path : []);
  // The path's bounds with the remainder reserved, exactly; the filled values are put back at the end.
  const saved = path.map((e) => [xu[e], lo0[e], frac[e]] as const);
  if (remainder > 0n) for (const e of path) setExact(ws, e, ws.base.exact(e), remainder);

  initBounds(lo0, frac, lo, hi, slack);
  if (target && tier !== "target") {
    // Floor ≤ Target: units·U + r ≤ Target's units·U + its r, i.e. units ≤ Target's units − (1 where r > Target's r).
    // Stretch ≥ Target likewise: units ≥ Target's units + (1 where Target's r > r). Whole numbers throughout.
    const cap = target.units;
    const floorSide = tier === "floor";
    if (floorSide) capBelow(cap, lo, hi);
    else capAbove(cap, lo, hi);
    for (const e of new Set([...target.path, ...ws.onPath])) {
      const mine = ws.onPath.has(e) ? remainder : 0n;
      const theirs = target.onPath.has(e) ? target.remainder : 0n;
      if (floorSide && mine > theirs) {
        const c = cap[e] - 1;
        if (hi[e] > c) hi[e] = c;
        if (lo[e] > hi[e]) lo[e] = hi[e];
      } else if (!floorSide && theirs > mine) {
        const c = cap[e] + 1;
        if (lo[e] < c) lo[e] = c;
        if (hi[e] < lo[e]) hi[e] = lo[e];
      }
    }
  }
  lo[0] = hi[0] = Number((total - remainder) / U);
  // A cap below zero (Floor's remainder on an edge where Target has nothing) leaves no valid value.
  for (const e of ws.onPath) {
    if (hi[e] < 0) {
      path.forEach((p, k) => ([xu[p], lo0[p], frac[p]] = saved[k]));
      return { units: val, balanced: false, strained: true, moved: 0 };
    }
  }
  const edges: FlowEdges = { from: lay.from, to: lay.to, lo, hi, val };
  val[0] = lo[0];

  // Largest remainder top-down through the tree, then along each leaf's row.
  const scratch: number[] = [];
  for (let v = 0; v < lay.N; v++) {
    const kids = nodes[v].children;
    if (kids.length) largestRemainder(ws, kids, val[v], scratch);
  }
  roundPeriods(ws);
  roundRows(ws);
  const outcome = repairFlow(lay.nodeCount, edges);

  // Every value must lie within one Unit of exact: inside [⌊exact⌋, ⌈exact⌉] of its Units, a
  // comparison of whole numbers. The remainder's path may be off by one Unit plus the remainder:
  // |units·U + r − exact| < U + r, checked exactly where the whole-number test fails.
  let strained = false;
  for (let e = outsideBounds(val, lo0, frac, 0); e >= 0 && !strained; e = outsideBounds(val, lo0, frac, e + 1)) {
    if (!ws.onPath.has(e)) {
      strained = true;
      continue;
    }
    const q = ws.base.exact(e);
    const off = (BigInt(val[e]) * U + remainder) * q.d - q.n;
    const limit = (U + remainder) * q.d;
    if (off >= limit || -off >= limit) strained = true;
  }
  path.forEach((e, k) => {
    [xu[e], lo0[e], frac[e]] = saved[k];
  });
  return { units: val.slice(), balanced: outcome.balanced, strained, moved: outcome.moved };
}

/**
 * The edges that carry a total's remainder: from the root, the unlocked child that `better`
 * prefers at each level (any child, locked or not, with `skipLocks` false), then the best cell of
 * that leaf's row (`betterCell`) and its period.
 */
function absorberPath(
  nodes: PlanNode[],
  lay: Layout,
  better: (a: number, b: number) => boolean,
  betterCell: (a: number, b: number) => boolean,
  skipLocks = true,
): number[] {
  const path = [0];
  let v = 0;
  while (nodes[v].children.length) {
    let best = -1;
    for (const c of nodes[v].children) {
      if (skipLocks && nodes[c].lock !== undefined) continue;
      if (best < 0 || better(c, best)) best = c;
    }
    if (best < 0) best = nodes[v].children[0];
    path.push(best);
    v = best;
  }
  if (lay.P > 0) {
    const base = lay.cellBase + lay.leafPos[v] * lay.P;
    let jBest = 0;
    for (let j = 1; j < lay.P; j++) if (betterCell(base + j, base + jBest)) jBest = j;
    path.push(base + jBest);
    path.push(lay.periodBase + jBest);
  }
  return path;
}

/** a > b for rationals with positive denominators. */
function greater(a: Rational, b: Rational): boolean {
  return a.n * b.d > b.n * a.d;
}

function tierRounding(units: Float64Array, lay: Layout, remainder: bigint, path: number[]): TierRounding {
  const nodes = path.filter((e) => e < lay.cellBase);
  const cell = path.find((e) => e >= lay.cellBase && e < lay.periodBase);
  const period = path.find((e) => e >= lay.periodBase);
  return {
    nodeUnits: units.subarray(0, lay.N),
    cellUnits: units.subarray(lay.cellBase, lay.periodBase),
    periodUnits: units.subarray(lay.periodBase, lay.E),
    remainder,
    path: {
      nodes,
      cell: cell === undefined ? -1 : cell - lay.cellBase,
      period: period === undefined ? -1 : period - lay.periodBase,
    },
  };
}

export function roundPlan(input: RoundingInput): RoundingOutput {
  const { nodes, leaves, tiers, unitQuanta: U } = input;
  const P = input.shareNumerators.length;
  const lay = layout(nodes, leaves, P);
  const buffer = (): Float64Array => new Float64Array(lay.E);
  const ws: Workspace = {
    nodes,
    leaves,
    lay,
    U,
    unitDouble: Number(U),
    xu: buffer(),
    lo0: buffer(),
    frac: new Uint8Array(lay.E),
    lo: buffer(),
    hi: buffer(),
    val: buffer(),
    reserved: 0n,
    onPath: new Set(),
    base: new OwnBase(input, "target", lay),
  };

  const out: Partial<Record<Tier, TierRounding>> = {};
  let repairs = 0;
  let fallbacks = 0;
  let reproportioned = 0;
  // Target is rounded first; its final values cap Floor and floor Stretch, edge by edge.
  let target: FinalTier | null = null;

  const order = [...tiers].sort((a, b) => (a === "target" ? -1 : b === "target" ? 1 : 0));
  for (const tier of order) {
    const values = input.exact[tier];
    const total = values[0].n;
    // The part of the total that is not a multiple of Unit, carried by one path of members.
    const remainder = total % U;
    const own = new OwnBase(input, tier, lay);
    ws.base = own;
    own.fill(ws);

    // Where the remainder goes. Target's path is kept (even when Target has no remainder), since
    // sharing it keeps Floor ≤ Target ≤ Stretch wherever the remainders allow.
    const candidates: number[][] = [];
    // Paths tried only once every rounding of the others has failed at the same slack.
    const lastResort: number[][] = [];
    if (!target) {
      // The largest unlocked member at each level (exact values; doubles only where clear), then the largest period.
      const largest = (a: number, b: number): boolean => {
        const x = nodes[a].exact[tier];
        const y = nodes[b].exact[tier];
        const bound = FILTER * (x + y) + TINY;
        return x - y > bound || (x - y >= -bound && greater(values[a], values[b]));
      };
      // Within one leaf's row the largest cell is the largest share (the first of equal ones; the first cell of a zero leaf).
      const sn = input.shareNumerators;
      const periodOf = (e: number): number => (e - lay.cellBase) % P;
      const leafIsZero = (e: number): boolean => values[leaves[Math.floor((e - lay.cellBase) / P)]].n === 0n;
      const largestCell = (a: number, b: number): boolean => !leafIsZero(a) && sn[periodOf(a)] > sn[periodOf(b)];
      candidates.push(absorberPath(nodes, lay, largest, largestCell));
    } else if (remainder > 0n) {
      // The most room beside Target's rounded values: a choice among valid paths, so doubles will do.
      const tf = target.units;
      const xu = ws.xu;
      const room = (e: number): number => (tier === "floor" ? tf[e] - xu[e] : xu[e] - tf[e]);
      const roomy = (a: number, b: number): boolean => room(a) > room(b);
      const roomPath = absorberPath(nodes, lay, roomy, roomy);
      const sameFits = tier === "floor" ? remainder <= target.remainder : remainder >= target.remainder;
      if (sameFits) candidates.push(target.path, roomPath);
      else candidates.push(roomPath, target.path);
      // A lock holds Target only: when no unlocked member has room (say, a lock takes the whole
      // parent and leaves its siblings nothing), Floor's or Stretch's remainder may go through it.
      const anyPath = absorberPath(nodes, lay, roomy, roomy, false);
      if (!candidates.some((c) => c.length === anyPath.length && c.every((e, i) => e === anyPath[i]))) lastResort.push(anyPath);
    } else {
      candidates.push(target.path);
    }

    // What to round: the exact values; for Floor and Stretch then, should no rounding within one
    // Unit of them fit on their side of Target's, the same tier re-proportioned to Target's rounded
    // values (ratio × Target'), which always fits; and last, bounds widened by one Unit.
    const bases: Base[] = [own];
    if (target) bases.push(new RatioBase(input, tier, target, U));
    let filled = 0;
    let chosen: TierAttempt | null = null;
    let chosenPath: number[] = candidates[0];
    let chosenBase = 0;
    search: for (let slack = 0; slack <= 2; slack++) {
      for (const paths of [candidates, lastResort]) {
        for (let b = 0; b < bases.length; b++) {
          if (!paths.length) continue;
          if (filled !== b) {
            ws.base = bases[b];
            bases[b].fill(ws);
            filled = b;
          }
          for (const path of paths) {
            const attempt = solveTier(ws, tier, total, remainder, path, target, slack);
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
      }
      if (chosen) break;
    }
    if (!chosen) throw new Error(`rounding could not reconcile the ${tier} tier`);
    if (chosenBase > 0) reproportioned++;
    if (chosen.strained) fallbacks++;
    if (tier === "target") target = { units: chosen.units, remainder, path: chosenPath, onPath: new Set(chosenPath) };
    out[tier] = tierRounding(chosen.units, lay, remainder, chosenPath);
  }
  return { tiers: out, repairs, fallbacks, reproportioned };
}
