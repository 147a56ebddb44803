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
 * than a Unit) — are computed exactly with bigints. Tree nodes are filtered the same way (6 ulps).
 * Doubles also order the cells within a row (the chairman rule of roundRows) and choose where the
 * Floor and Stretch remainders go; those choices pick among valid roundings and are then checked
 * exactly, so they do not need to be exact.
 *
 * Work. The tree and period edges (a few per member) keep their bounds in arrays. The cells, one
 * per leaf and period, are worked one leaf's row at a time, in one pass per attempt: the row's
 * values and bounds (Base.fillRow), its caps, its chairman rounding, its column sums and its
 * check, all on row-sized scratch that stays in the processor's cache. Only the rounded Units are
 * kept per cell. Every node's balance is known after that pass; only when one is off is the flow
 * network built and repaired, with every cell's bounds laid out as `repairFlow` takes them.
 */
import { repairFlow } from "./flow";
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
  /** Optionally, each node's exact value in quanta as rational.toDouble gives it, per tier (else computed here). */
  approx?: Partial<Record<Tier, Float64Array>>;
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

/**
 * Edge ids: 0 = sink → root; v (1..N−1) = parent(v) → v; N + j = period j → sink;
 * cellBase + leaf·P + j = leaf → period j, with cellBase = S = N + P. The S tree and period edges
 * keep their bounds in arrays; the cells are worked row by row. The flow network's node ids:
 * tree nodes 0..N−1, periods N..N+P−1, sink N+P.
 */
interface Layout {
  N: number; // tree nodes
  L: number; // leaves
  P: number; // periods
  S: number; // tree and period edges
  E: number;
  cellBase: number;
  leafPos: Int32Array; // node index → leaf position or −1
  /** The flow network's edges in repairFlow's order (tree, cells, periods), built on the first repair. */
  network: { from: Int32Array; to: Int32Array } | null;
}

function layout(nodes: PlanNode[], leaves: number[], P: number): Layout {
  const N = nodes.length;
  const L = leaves.length;
  const S = N + P;
  const leafPos = new Int32Array(N).fill(-1);
  leaves.forEach((n, i) => (leafPos[n] = i));
  return { N, L, P, S, E: S + L * P, cellBase: S, leafPos, network: null };
}

/** Row-sized scratch: one leaf's cells at a time. */
interface RowScratch {
  /** Approximate exact Units, ⌊exact Units⌋ and 1 where the exact value is not whole. */
  x: Float64Array;
  lo0: Float64Array;
  frac: Uint8Array;
  lo: Float64Array;
  hi: Float64Array;
  /** Each column's sort key (highOf × 65536 + the column) and its bucket (BUCKETS where the cell takes no unit). */
  keys: Float64Array;
  bucket: Int32Array;
  /** Each cell's lower bound in Units (more where a row's sort gives it several), which finishRow finishes into the tier's array. */
  units: Float64Array;
  /** Each cell's x × its column's aim. */
  scaled: Float64Array;
  /** For finishRow: a count per bucket, and the keys of the boundary bucket. */
  counts: Int32Array;
  spill: Float64Array;
  /** Per cell: −1 or +1 where its cap is one Unit tighter (AttemptBounds.tight), else 0. */
  tighten: Float64Array;
}

/** Scratch buffers, reused by every attempt. */
interface Workspace {
  nodes: PlanNode[];
  leaves: number[];
  lay: Layout;
  U: bigint;
  /** Number(U), for the filtered doubles. */
  unitDouble: number;
  /**
   * Per tree and period edge: approximate exact value in Units (for orderings), ⌊exact Units⌋,
   * and 1 where the exact value is not a whole number of Units (so ⌈ ⌉ = ⌊ ⌋ + 1); after the
   * remainder is reserved on the path.
   */
  xu: Float64Array;
  lo0: Float64Array;
  frac: Uint8Array;
  lo: Float64Array;
  hi: Float64Array;
  row: RowScratch;
  /** Per period: the column's aim, its drift and its sum, for the row pass. */
  aim: Float64Array;
  drift: Float64Array;
  colSum: Float64Array;
  /** Per network node: inflow − outflow. */
  excess: Float64Array;
  /** The remainder reserved on the current attempt's path, and that path. */
  reserved: bigint;
  onPath: Set<number>;
  base: Base;
}

/** The exact values an attempt rounds: the tier's own, or Target's rounded values × the tier's ratio. */
interface Base {
  /** Exact value of edge e in quanta (before any remainder is reserved). */
  exact(e: number): Rational;
  /** Fills xu, lo0 and frac of every tree and period edge (no remainder reserved). */
  fill(ws: Workspace): void;
  /** The same for leaf i's cells, into row-sized arrays. */
  fillRow(ws: Workspace, i: number, x: Float64Array, lo0: Float64Array, frac: Uint8Array): void;
}

/** Sets x[k], lo0[k] and frac[k] from the exact value q (quanta) less `reserve` quanta. */
function setExactAt(x: Float64Array, lo0: Float64Array, frac: Uint8Array, k: number, q: Rational, reserve: bigint, U: bigint): void {
  const num = q.n - reserve * q.d;
  const den = q.d * U;
  const f = floorDiv(num, den);
  lo0[k] = Number(f);
  frac[k] = num === f * den ? 0 : 1;
  x[k] = toDouble(num, den);
}

/** Sets the bounds of tree or period edge e from its exact value q (quanta) less `reserve` quanta. */
function setExact(ws: Workspace, e: number, q: Rational, reserve: bigint): void {
  setExactAt(ws.xu, ws.lo0, ws.frac, e, q, reserve, ws.U);
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

/** Sets the bounds of tree or period edge e from x by filteredFloor; returns false when the exact value is needed. */
function setFiltered(ws: Workspace, e: number, x: number): boolean {
  const f = filteredFloor(x);
  if (f < 0) return false;
  ws.lo0[e] = f;
  ws.frac[e] = 1;
  ws.xu[e] = x;
  return true;
}

/** The period shares as doubles, the same for every tier. */
interface Shares {
  sn: readonly bigint[];
  D: bigint;
  value: Float64Array;
  /** 2: a zero share; 1: a share the filter can use; 0: one too small for relative bounds. */
  ok: Uint8Array;
}

function sharesOf(input: RoundingInput): Shares {
  const sn = input.shareNumerators;
  const D = input.shareDenominator;
  const P = sn.length;
  const value = new Float64Array(P);
  const ok = new Uint8Array(P);
  for (let j = 0; j < P; j++) {
    value[j] = toDouble(sn[j], D);
    ok[j] = sn[j] === 0n ? 2 : value[j] > TINY ? 1 : 0;
  }
  return { sn, D, value, ok };
}

/** The tier's own exact values: the tree's, each leaf × each period's share, the total × each share. */
class OwnBase implements Base {
  private readonly values: Rational[];
  private readonly leafValues: Rational[];
  /** Each node's exact value in Units as a double (n ÷ d: 4 ulps, ÷ U: 2 more); 0 for a zero value. */
  private readonly units: Float64Array;
  constructor(
    input: RoundingInput,
    tier: Tier,
    private readonly lay: Layout,
    private readonly shares: Shares,
    unitDouble: number,
  ) {
    this.values = input.exact[tier];
    this.leafValues = input.leaves.map((v) => this.values[v]);
    const N = this.values.length;
    this.units = new Float64Array(N);
    const approx = input.approx?.[tier];
    if (approx && approx.length === N) {
      for (let v = 0; v < N; v++) this.units[v] = approx[v] / unitDouble;
    } else {
      for (let v = 0; v < N; v++) {
        const q = this.values[v];
        if (q.n !== 0n) this.units[v] = toDouble(q.n, q.d) / unitDouble;
      }
    }
  }

  exact(e: number): Rational {
    const lay = this.lay;
    const { sn, D } = this.shares;
    if (e < lay.N) return this.values[e];
    if (e >= lay.cellBase) {
      const k = e - lay.cellBase;
      const i = Math.floor(k / lay.P);
      const leaf = this.leafValues[i];
      return { n: leaf.n * sn[k - i * lay.P], d: leaf.d * D };
    }
    const total = this.values[0];
    return { n: total.n * sn[e - lay.N], d: total.d * D };
  }

  /** Tree nodes: filtered from the double of n ÷ d (4 ulps) ÷ U (2 more), else exact; periods exactly. */
  fill(ws: Workspace): void {
    const { N, P } = this.lay;
    for (let v = 0; v < N; v++) {
      const q = this.values[v];
      if (q.n === 0n || !setFiltered(ws, v, this.units[v])) setExact(ws, v, q, 0n);
    }
    for (let j = 0; j < P; j++) setExact(ws, N + j, this.exact(N + j), 0n);
  }

  /** Cells: leaf (Units) × share, both as doubles, filtered; a zero leaf or share gives exact zeros. */
  fillRow(ws: Workspace, i: number, x: Float64Array, lo0: Float64Array, frac: Uint8Array): void {
    const P = this.lay.P;
    const q = this.leafValues[i];
    if (q.n === 0n) {
      x.fill(0);
      lo0.fill(0);
      frac.fill(0);
      return;
    }
    const leaf = this.units[ws.leaves[i]];
    const { value: share, ok: shareOk, sn, D } = this.shares;
    for (let j = 0; j < P; j++) {
      const ok = shareOk[j];
      if (ok === 2) {
        x[j] = 0;
        lo0[j] = 0;
        frac[j] = 0;
        continue;
      }
      const v = leaf * share[j];
      // filteredFloor, inlined: this loop runs over every cell of the plan.
      const bound = v * FILTER;
      const f = Math.floor(v + bound);
      if (ok === 1 && v > TINY && v - bound > f) {
        lo0[j] = f;
        frac[j] = 1;
        x[j] = v;
      } else {
        setExactAt(x, lo0, frac, j, { n: q.n * sn[j], d: q.d * D }, 0n, ws.U);
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
  private readonly ratio: number;
  constructor(
    input: RoundingInput,
    tier: Tier,
    private readonly target: FinalTier,
    private readonly U: bigint,
    private readonly lay: Layout,
  ) {
    const total = input.exact[tier][0].n;
    const targetTotal = input.exact.target[0].n;
    this.rn = targetTotal > 0n ? total : 1n;
    this.rd = targetTotal > 0n ? targetTotal : 1n;
    this.ratio = toDouble(this.rn, this.rd);
  }

  exact(e: number): Rational {
    const t = this.target;
    const quanta = BigInt(t.units[e]) * this.U + (t.onPath.has(e) ? t.remainder : 0n);
    return { n: quanta * this.rn, d: this.rd };
  }

  fill(ws: Workspace): void {
    const units = this.target.units;
    for (let e = 0; e < this.lay.S; e++) {
      if (units[e] === 0) {
        ws.xu[e] = 0;
        ws.lo0[e] = 0;
        ws.frac[e] = 0;
      } else if (this.target.onPath.has(e) || !setFiltered(ws, e, units[e] * this.ratio)) setExact(ws, e, this.exact(e), 0n);
    }
  }

  fillRow(ws: Workspace, i: number, x: Float64Array, lo0: Float64Array, frac: Uint8Array): void {
    const { P, cellBase } = this.lay;
    const units = this.target.units;
    const row = cellBase + i * P;
    const pathCell = this.target.cell;
    for (let j = 0; j < P; j++) {
      const e = row + j;
      const u = units[e];
      if (u === 0) {
        x[j] = 0;
        lo0[j] = 0;
        frac[j] = 0;
        continue;
      }
      const v = u * this.ratio;
      const f = e === pathCell ? -1 : filteredFloor(v);
      if (f < 0) setExactAt(x, lo0, frac, j, this.exact(e), 0n, ws.U);
      else {
        lo0[j] = f;
        frac[j] = 1;
        x[j] = v;
      }
    }
  }
}

/** A rounded tier: its whole Units per edge, the remainder and the edges that carry it. */
interface FinalTier {
  units: Float64Array;
  remainder: bigint;
  path: number[];
  onPath: Set<number>;
  /** The path's cell, or −1. */
  cell: number;
}

/**
 * The sign of (exact Units of a − lo[a]) − (exact Units of b − lo[b]) for tree edges a and b: by
 * the doubles when they are clear of each other, else exactly.
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

/** Exact Units of tree edge e, less its lower bound, as n ÷ d. */
function excessOf(ws: Workspace, e: number): Rational {
  const q = ws.base.exact(e);
  const reserve = ws.onPath.has(e) ? ws.reserved : 0n;
  const den = q.d * ws.U;
  return { n: q.n - reserve * q.d - BigInt(ws.lo[e]) * den, d: den };
}

/** Orders edges by their fractional excess, largest first (ties: the earlier edge); small groups by insertion. */
function byExcess(ws: Workspace, order: number[]): void {
  if (order.length > 32) {
    order.sort((a, b) => compareExcess(ws, b, a) || a - b);
    return;
  }
  for (let i = 1; i < order.length; i++) {
    const e = order[i];
    let k = i - 1;
    for (; k >= 0; k--) {
      const c = compareExcess(ws, e, order[k]);
      if (c < 0 || (c === 0 && e > order[k])) break;
      order[k + 1] = order[k];
    }
    order[k + 1] = e;
  }
}

/**
 * Largest remainder within one group: edges `ids` must add up to `sum` (units); each starts at
 * its lower bound and the ones with the largest fractional excess get the extra units (ties: the
 * earlier edge). The excesses are compared exactly.
 */
function largestRemainder(ws: Workspace, val: Float64Array, ids: ArrayLike<number>, sum: number, order: number[]): void {
  const { lo, hi } = ws;
  let need = sum;
  order.length = 0;
  for (let k = 0; k < ids.length; k++) {
    const e = ids[k];
    val[e] = lo[e];
    need -= lo[e];
    if (hi[e] > lo[e]) order.push(e);
  }
  if (need <= 0 || order.length === 0) return;
  byExcess(ws, order);
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
function roundPeriods(ws: Workspace, val: Float64Array): void {
  const { lay, lo, hi, U } = ws;
  let runN = 0n;
  let runD = 1n;
  let previous = 0;
  for (let j = 0; j < lay.P; j++) {
    const e = lay.N + j;
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

/** What one attempt rounds against: its slack, Target's caps, and the cells where the remainders differ. */
interface AttemptBounds {
  slack: number;
  /** Target's rounded Units, for Floor (values kept at or below) and Stretch (at or above); null for Target. */
  cap: Float64Array | null;
  floorSide: boolean;
  /** The cell carrying this attempt's remainder, or −1. */
  pathCell: number;
  /** Cells one Unit tighter than the cap, where Floor's remainder exceeds Target's (or Target's, Stretch's). */
  tight: number[];
}

/**
 * A cell's bounds in Units from ⌊exact⌋ l, its fractional flag f (⌈exact⌉ = l + f) and the
 * slack s, kept within [down, up]: (−∞, Target's value] for Floor, [Target's value, ∞) for
 * Stretch, unbounded for Target. Where the cap lies beyond the exact bounds both bounds meet it.
 */
function boundLo(l: number, s: number, down: number, up: number): number {
  const m = l - s > 0 ? l - s : 0;
  return m < down ? down : m > up ? up : m;
}
function boundHi(l: number, f: number, s: number, down: number, up: number): number {
  const h = l + f + s;
  return h < down ? down : h > up ? up : h;
}

/**
 * Leaf i's cells' values and ⌊ ⌋ into the row scratch (the path's cell less the reserved
 * remainder), and in row.tighten the tightened cells' caps: one Unit below Target's for Floor,
 * above for Stretch (zero elsewhere; clearTight puts the zeros back). Returns the row's first edge.
 */
function fillRowValues(ws: Workspace, i: number, b: AttemptBounds): number {
  const { P, cellBase } = ws.lay;
  const { x, lo0, frac, tighten } = ws.row;
  ws.base.fillRow(ws, i, x, lo0, frac);
  const row = cellBase + i * P;
  if (b.pathCell >= row && b.pathCell < row + P) setExactAt(x, lo0, frac, b.pathCell - row, ws.base.exact(b.pathCell), ws.reserved, ws.U);
  for (const e of b.tight) if (e >= row && e < row + P) tighten[e - row] = b.floorSide ? -1 : 1;
  return row;
}

function clearTight(ws: Workspace, row: number, b: AttemptBounds): void {
  for (const e of b.tight) if (e >= row && e < row + ws.lay.P) ws.row.tighten[e - row] = 0;
}

/**
 * Leaf i's cells into the row scratch: their values and ⌊ ⌋, then their bounds with the slack,
 * the caps and the tightened cells — the same bounds, cell by cell, as the tree and period edges
 * get in solveTier, and the same as roundRows works out in its own pass.
 */
function rowBounds(ws: Workspace, i: number, b: AttemptBounds): void {
  const P = ws.lay.P;
  const { lo0, frac, lo, hi, tighten } = ws.row;
  const row = fillRowValues(ws, i, b);
  const { slack, cap } = b;
  const capsAbove = cap !== null && b.floorSide;
  const capsBelow = cap !== null && !b.floorSide;
  for (let j = 0; j < P; j++) {
    const c = cap === null ? 0 : cap[row + j] + tighten[j];
    const down = capsBelow ? c : -Infinity;
    const up = capsAbove ? c : Infinity;
    lo[j] = boundLo(lo0[j], slack, down, up);
    hi[j] = boundHi(lo0[j], frac[j], slack, down, up);
  }
  clearTight(ws, row, b);
}

/**
 * Puts the k smallest of a[0..n) first, in any order (0 < k < n, values distinct): quickselect,
 * with a sort of what is left should the partitions not shrink.
 */
export function selectSmallest(a: Float64Array, n: number, k: number): void {
  let left = 0;
  let right = n - 1;
  const target = k - 1;
  for (let rounds = 0; right > left; rounds++) {
    if (rounds > 64) {
      a.subarray(left, right + 1).sort();
      return;
    }
    const mid = (left + right) >> 1;
    const x = a[left];
    const y = a[mid];
    const z = a[right];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else return;
  }
}

/** Buckets of the row selection, over the keys' whole range of priorities [0, 7]. */
export const BUCKETS = 64;

/** Sort keys of a row: priority in the high bits, the column (earlier first on ties) in the low 16 bits. */
const KEY_SCALE = 2 ** 30;

/** The high part of a key, ⌊(7 − priority) · 2^30⌋ in [0, 7 · 2^30], to bucket 0..63: × 63 ÷ (7 · 2^30) = × 9 · 2^−30, exactly. */
const BUCKET_STEP = 9 / KEY_SCALE;

/**
 * A row's sort key is ⌊(7 − priority) · 2^30⌋ · 65536 + its column, for a priority in [0, 7]: the
 * high part here, and its bucket (in key order: a larger key never has a smaller bucket).
 */
export function highOf(priority: number): number {
  return Math.floor((7 - priority) * KEY_SCALE);
}
export function bucketOf(high: number): number {
  return Math.floor(high * BUCKET_STEP);
}

/** The column of a sort key (exact: the key is a whole number below 2^53, and 65536 a power of two). */
export function columnOf(key: number): number {
  return key - Math.floor(key / 65536) * 65536;
}

/**
 * What finishRow reads, a row's length each (counts BUCKETS long): per column its key and bucket
 * (BUCKETS for a cell that takes no unit), the count of keys per bucket, each cell's lower bound
 * in Units and its aimed value, and scratch for the boundary bucket's keys.
 */
export interface RowFinish {
  keys: Float64Array;
  bucket: Int32Array;
  counts: Int32Array;
  units: Float64Array;
  scaled: Float64Array;
  spill: Float64Array;
}

/**
 * A row's final Units into val[at .. at + P): each cell's units, plus one for the cells of the
 * `need` smallest keys when 0 < need < the number of keys (keys distinct, counted into buckets in
 * key order). The buckets below the one where the count reaches `need` all get a unit; within
 * that bucket a selection picks the rest. Each column's drift (rounded − aimed) and sum are kept
 * on; returns the row's sum.
 */
export function finishRow(row: RowFinish, P: number, need: number, val: Float64Array, at: number, drift: Float64Array, colSum: Float64Array): number {
  const { keys, bucket, counts, units, scaled, spill } = row;
  let below = 0;
  let boundary = -1;
  if (need > 0) {
    for (boundary = 0; boundary < BUCKETS; boundary++) {
      const c = counts[boundary];
      if (below + c >= need) break;
      below += c;
    }
  }
  // Every cell but the boundary bucket's is final here; those wait for the selection.
  let m = 0;
  let sum = 0;
  for (let j = 0; j < P; j++) {
    const b = bucket[j];
    if (b === boundary) {
      spill[m++] = keys[j];
      continue;
    }
    const v = b < boundary ? units[j] + 1 : units[j];
    val[at + j] = v;
    drift[j] += v - scaled[j];
    colSum[j] += v;
    sum += v;
  }
  const rest = need - below;
  if (rest < m) selectSmallest(spill, m, rest);
  for (let k = 0; k < m; k++) {
    const j = columnOf(spill[k]);
    const v = k < rest ? units[j] + 1 : units[j];
    val[at + j] = v;
    drift[j] += v - scaled[j];
    colSum[j] += v;
    sum += v;
  }
  return sum;
}

/**
 * Rounds each leaf's row to the leaf's rounded value while keeping the columns on course: rows
 * are taken in order, and within a row the extra units go to the cells whose column has fallen
 * furthest behind its exact running total (Tijdeman's chairman rule, per row). This leaves the
 * column sums within a unit of exact almost everywhere, so the flow repair has little to do.
 * The priorities are doubles: they only choose among roundings inside the exact bounds.
 *
 * Each row's bounds are worked out here (rowBounds) and only its values are kept. Returns whether
 * every value lies within [⌊exact⌋, ⌈exact⌉] (the remainder's cell within one Unit plus the
 * remainder, exactly); the column sums go to ws.colSum and the rows' to ws.excess.
 */
function roundRows(ws: Workspace, val: Float64Array, b: AttemptBounds): boolean {
  const { lay, leaves, aim, drift, colSum, excess } = ws;
  const { P } = lay;
  const { x, lo0, frac, hi, keys, bucket, counts, units, scaled, spill, tighten } = ws.row;
  // Each column aims at its period's rounded value: cells are scaled to it, and drift is measured against that.
  for (let j = 0; j < P; j++) {
    const e = lay.N + j;
    aim[j] = ws.xu[e] > 0 ? val[e] / ws.xu[e] : 1;
  }
  // Running (rounded − aimed) per column.
  drift.fill(0);
  colSum.fill(0);
  let within = true;
  const { slack, cap } = b;
  const capsAbove = cap !== null && b.floorSide;
  const capsBelow = cap !== null && !b.floorSide;
  // With no slack and no cap every value lies within its exact bounds by construction; else a
  // row is checked where a cell's bounds reach outside [⌊exact⌋, ⌈exact⌉].
  const checked = slack > 0 || cap !== null;
  for (let i = 0; i < lay.L; i++) {
    const row = fillRowValues(ws, i, b);
    let need = val[leaves[i]];
    let n = 0;
    let wide = false;
    counts.fill(0);
    // One pass: each cell's bounds (as rowBounds), its lower bound taken, and its sort key bucketed.
    for (let j = 0; j < P; j++) {
      const l = lo0[j];
      const c = cap === null ? 0 : cap[row + j] + tighten[j];
      const down = capsBelow ? c : -Infinity;
      const up = capsAbove ? c : Infinity;
      const v = boundLo(l, slack, down, up);
      const h = boundHi(l, frac[j], slack, down, up);
      if (checked && (v < l || h > l + frac[j])) wide = true;
      hi[j] = h;
      units[j] = v;
      need -= v;
      const aimed = x[j] * aim[j];
      scaled[j] = aimed;
      if (h > v) {
        const high = highOf(Math.min(7, Math.max(0, aimed - v - drift[j] + 4)));
        const k = bucketOf(high);
        keys[j] = high * 65536 + j;
        bucket[j] = k;
        counts[k]++;
        n++;
      } else bucket[j] = BUCKETS;
    }
    clearTight(ws, row, b);
    const select = need > 0 && need < n;
    if (need > 0 && n > 0 && !select) {
      // Every cell that can take a unit takes one or more: by a sort of the keys.
      let m = 0;
      for (let j = 0; j < P; j++) if (bucket[j] < BUCKETS) spill[m++] = keys[j];
      const order = spill.subarray(0, m).sort();
      for (let pass = 0; need > 0; pass++) {
        let progressed = false;
        for (let k = 0; k < n && need > 0; k++) {
          const j = columnOf(order[k]);
          if (units[j] < hi[j]) {
            units[j]++;
            need--;
            progressed = true;
          }
        }
        if (!progressed) break;
      }
    }
    // One unit each to the `need` cells of highest priority (a selection, not a sort), and the row's Units kept.
    const sum = finishRow(ws.row, P, select ? need : 0, val, row, drift, colSum);
    if (wide) {
      for (let j = 0; j < P; j++) {
        const v = val[row + j];
        if (v < lo0[j] || v > lo0[j] + frac[j]) {
          if (row + j !== b.pathCell || !pathCellWithin(ws, val, row + j)) within = false;
        }
      }
    }
    excess[leaves[i]] -= sum;
  }
  return within;
}

/** The remainder's path may be off by one Unit plus the remainder: |units·U + r − exact| < U + r, exactly. */
function pathCellWithin(ws: Workspace, val: Float64Array, e: number): boolean {
  const q = ws.base.exact(e);
  const r = ws.reserved;
  const off = (BigInt(val[e]) * ws.U + r) * q.d - q.n;
  const limit = (ws.U + r) * q.d;
  return off < limit && -off < limit;
}

// Whole-array passes of solveTier over the tree and period edges, each its own function so that each loop is optimised on its own.

function initBounds(lo0: Float64Array, frac: Uint8Array, lo: Float64Array, hi: Float64Array, slack: number): void {
  for (let e = 0; e < lo0.length; e++) {
    const l = lo0[e];
    lo[e] = l - slack > 0 ? l - slack : 0;
    hi[e] = l + frac[e] + slack;
  }
}

/** hi ≤ cap, and lo ≤ hi. */
function capBelow(cap: Float64Array, lo: Float64Array, hi: Float64Array): void {
  for (let e = 0; e < lo.length; e++) {
    const c = cap[e];
    if (hi[e] > c) hi[e] = c;
    if (lo[e] > hi[e]) lo[e] = hi[e];
  }
}

/** lo ≥ cap, and hi ≥ lo. */
function capAbove(cap: Float64Array, lo: Float64Array, hi: Float64Array): void {
  for (let e = 0; e < lo.length; e++) {
    const c = cap[e];
    if (lo[e] < c) lo[e] = c;
    if (hi[e] < lo[e]) hi[e] = lo[e];
  }
}

/** Inflow − outflow at every network node, less the leaves' rows (which roundRows takes off). */
function treeExcess(ws: Workspace, val: Float64Array): void {
  const { lay, nodes, excess } = ws;
  const sink = lay.N + lay.P;
  excess.fill(0);
  excess[0] += val[0];
  excess[sink] -= val[0];
  for (let v = 1; v < lay.N; v++) {
    excess[v] += val[v];
    excess[nodes[v].parent] -= val[v];
  }
}

function periodExcess(ws: Workspace, val: Float64Array): number {
  const { lay, colSum, excess } = ws;
  const sink = lay.N + lay.P;
  for (let j = 0; j < lay.P; j++) {
    const p = lay.N + j;
    excess[p] += colSum[j] - val[p];
    excess[sink] += val[p];
  }
  let need = 0;
  for (let v = 0; v < excess.length; v++) if (excess[v] > 0) need += excess[v];
  return need;
}

/**
 * Balances every node by repairFlow, over the network laid out as it takes it: every edge's
 * bounds and value in the order tree, cells (leaf-major), periods. Returns the outcome and the
 * cells' ⌊exact⌋ and fractional flags, for the check.
 */
function repair(ws: Workspace, val: Float64Array, b: AttemptBounds): { balanced: boolean; moved: number; lo0: Float64Array; frac: Uint8Array } {
  const { lay, nodes, leaves } = ws;
  const { N, L, P, E, S, cellBase } = lay;
  if (!lay.network) {
    const from = new Int32Array(E);
    const to = new Int32Array(E);
    from[0] = N + P;
    to[0] = 0;
    for (let v = 1; v < N; v++) {
      from[v] = nodes[v].parent;
      to[v] = v;
    }
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < P; j++) {
        from[N + i * P + j] = leaves[i];
        to[N + i * P + j] = N + j;
      }
    }
    for (let j = 0; j < P; j++) {
      from[N + L * P + j] = N + j;
      to[N + L * P + j] = N + P;
    }
    lay.network = { from, to };
  }
  const lo = new Float64Array(E);
  const hi = new Float64Array(E);
  const v = new Float64Array(E);
  const cellLo0 = new Float64Array(L * P);
  const cellFrac = new Uint8Array(L * P);
  for (let e = 0; e < N; e++) {
    lo[e] = ws.lo[e];
    hi[e] = ws.hi[e];
    v[e] = val[e];
  }
  for (let j = 0; j < P; j++) {
    lo[N + L * P + j] = ws.lo[N + j];
    hi[N + L * P + j] = ws.hi[N + j];
    v[N + L * P + j] = val[N + j];
  }
  const row = ws.row;
  for (let i = 0; i < L; i++) {
    rowBounds(ws, i, b);
    for (let j = 0; j < P; j++) {
      const k = i * P + j;
      lo[N + k] = row.lo[j];
      hi[N + k] = row.hi[j];
      v[N + k] = val[cellBase + k];
      cellLo0[k] = row.lo0[j];
      cellFrac[k] = row.frac[j];
    }
  }
  const outcome = repairFlow(N + P + 1, { from: lay.network.from, to: lay.network.to, lo, hi, val: v });
  for (let e = 0; e < N; e++) val[e] = v[e];
  for (let j = 0; j < P; j++) val[N + j] = v[N + L * P + j];
  for (let k = 0; k < L * P; k++) val[S + k] = v[N + k];
  return { ...outcome, lo0: cellLo0, frac: cellFrac };
}

interface TierAttempt {
  units: Float64Array;
  balanced: boolean;
  /** True when a bound had to give way to Target's cap, i.e. some value may sit more than one Unit from exact. */
  strained: boolean;
  moved: number;
}

/**
 * Rounds one tier (its base already filled into the workspace) into `val`, with `remainder`
 * reserved on `path`, bounds widened by `slack` Units, and, for Floor and Stretch, every edge kept
 * on its side of Target's rounded value.
 */
function solveTier(
  ws: Workspace,
  val: Float64Array,
  tier: Tier,
  total: bigint,
  remainder: bigint,
  path: number[],
  target: FinalTier | null,
  slack: number,
): TierAttempt {
  const { nodes, lay, xu, lo0, frac, lo, hi, U } = ws;
  const S = lay.S;
  ws.reserved = remainder;
  ws.onPath = new Set(remainder > 0n ? path : []);
  const bounds: AttemptBounds = { slack, cap: null, floorSide: tier === "floor", pathCell: -1, tight: [] };
  // The path's bounds with the remainder reserved, exactly; the filled values are put back at the end.
  const small = path.filter((e) => e < S);
  if (remainder > 0n) bounds.pathCell = path.find((e) => e >= S) ?? -1;
  const saved = small.map((e) => [xu[e], lo0[e], frac[e]] as const);
  if (remainder > 0n) for (const e of small) setExact(ws, e, ws.base.exact(e), remainder);
  const restore = (): void => small.forEach((e, k) => ([xu[e], lo0[e], frac[e]] = saved[k]));

  initBounds(lo0, frac, lo, hi, slack);
  if (target && tier !== "target") {
    // Floor ≤ Target: units·U + r ≤ Target's units·U + its r, i.e. units ≤ Target's units − (1 where r > Target's r).
    // Stretch ≥ Target likewise: units ≥ Target's units + (1 where Target's r > r). Whole numbers throughout.
    const cap = target.units;
    const floorSide = tier === "floor";
    bounds.cap = cap;
    if (floorSide) capBelow(cap, lo, hi);
    else capAbove(cap, lo, hi);
    for (const e of new Set([...target.path, ...ws.onPath])) {
      const mine = ws.onPath.has(e) ? remainder : 0n;
      const theirs = target.onPath.has(e) ? target.remainder : 0n;
      if (!(floorSide ? mine > theirs : theirs > mine)) continue;
      if (e >= S) bounds.tight.push(e);
      else if (floorSide) {
        const c = cap[e] - 1;
        if (hi[e] > c) hi[e] = c;
        if (lo[e] > hi[e]) lo[e] = hi[e];
      } else {
        const c = cap[e] + 1;
        if (lo[e] < c) lo[e] = c;
        if (hi[e] < lo[e]) hi[e] = lo[e];
      }
    }
  }
  lo[0] = hi[0] = Number((total - remainder) / U);
  // A cap below zero (Floor's remainder on an edge where Target has nothing) leaves no valid value.
  for (const e of ws.onPath) {
    let h: number;
    if (e < S) h = hi[e];
    else {
      const i = Math.floor((e - lay.cellBase) / lay.P);
      rowBounds(ws, i, bounds);
      h = ws.row.hi[e - lay.cellBase - i * lay.P];
    }
    if (h < 0) {
      restore();
      return { units: val, balanced: false, strained: true, moved: 0 };
    }
  }
  val[0] = lo[0];

  // Largest remainder top-down through the tree, then the periods, then along each leaf's row.
  const scratch: number[] = [];
  for (let v = 0; v < lay.N; v++) {
    const kids = nodes[v].children;
    if (kids.length) largestRemainder(ws, val, kids, val[v], scratch);
  }
  roundPeriods(ws, val);
  treeExcess(ws, val);
  let within = roundRows(ws, val, bounds);
  const need = periodExcess(ws, val);
  let moved = 0;
  let balanced = true;
  let cellLo0: Float64Array | null = null;
  let cellFrac: Uint8Array | null = null;
  if (need > 0) {
    const outcome = repair(ws, val, bounds);
    moved = outcome.moved;
    balanced = outcome.balanced;
    // The repair moved cells: every value is checked below, against the bounds it laid out.
    within = true;
    cellLo0 = outcome.lo0;
    cellFrac = outcome.frac;
  }

  // Every value must lie within one Unit of exact: inside [⌊exact⌋, ⌈exact⌉] of its Units, a
  // comparison of whole numbers. The remainder's path may be off by one Unit plus the remainder:
  // |units·U + r − exact| < U + r, checked exactly where the whole-number test fails.
  const outside = (v: number, l: number, f: number): boolean => v < l || v > l + f;
  for (let e = 0; e < S && within; e++) {
    if (outside(val[e], lo0[e], frac[e]) && (!ws.onPath.has(e) || !pathCellWithin(ws, val, e))) within = false;
  }
  if (cellLo0 && cellFrac) {
    for (let k = 0; k < lay.L * lay.P && within; k++) {
      const e = lay.cellBase + k;
      if (outside(val[e], cellLo0[k], cellFrac[k]) && (e !== bounds.pathCell || !pathCellWithin(ws, val, e))) within = false;
    }
  }
  restore();
  return { units: val, balanced, strained: !within, moved };
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
    path.push(lay.N + jBest);
  }
  return path;
}

/** a > b for rationals with positive denominators. */
function greater(a: Rational, b: Rational): boolean {
  return a.n * b.d > b.n * a.d;
}

/** The approximate exact Units of any edge as the workspace's base gives them (cells a row at a time). */
function edgeUnits(ws: Workspace): (e: number) => number {
  const { S, P } = ws.lay;
  const x = new Float64Array(P);
  const lo0 = new Float64Array(P);
  const frac = new Uint8Array(P);
  let filledRow = -1;
  return (e) => {
    if (e < S) return ws.xu[e];
    const k = e - S;
    const i = Math.floor(k / P);
    if (i !== filledRow) {
      ws.base.fillRow(ws, i, x, lo0, frac);
      filledRow = i;
    }
    return x[k - i * P];
  };
}

function tierRounding(units: Float64Array, lay: Layout, remainder: bigint, path: number[]): TierRounding {
  const nodes = path.filter((e) => e < lay.N);
  const cell = path.find((e) => e >= lay.cellBase);
  const period = path.find((e) => e >= lay.N && e < lay.cellBase);
  return {
    nodeUnits: units.subarray(0, lay.N),
    cellUnits: units.subarray(lay.cellBase, lay.E),
    periodUnits: units.subarray(lay.N, lay.S),
    remainder,
    path: {
      nodes,
      cell: cell === undefined ? -1 : cell - lay.cellBase,
      period: period === undefined ? -1 : period - lay.N,
    },
  };
}

export function roundPlan(input: RoundingInput): RoundingOutput {
  const { nodes, leaves, tiers, unitQuanta: U } = input;
  const P = input.shareNumerators.length;
  const lay = layout(nodes, leaves, P);
  const unitDouble = Number(U);
  const shares = sharesOf(input);
  const order = [...tiers].sort((a, b) => (a === "target" ? -1 : b === "target" ? 1 : 0));
  const firstBase = new OwnBase(input, order[0] ?? "target", lay, shares, unitDouble);
  const small = (): Float64Array => new Float64Array(lay.S);
  const rowBuffer = (): Float64Array => new Float64Array(P);
  const ws: Workspace = {
    nodes,
    leaves,
    lay,
    U,
    unitDouble,
    xu: small(),
    lo0: small(),
    frac: new Uint8Array(lay.S),
    lo: small(),
    hi: small(),
    row: { x: rowBuffer(), lo0: rowBuffer(), frac: new Uint8Array(P), lo: rowBuffer(), hi: rowBuffer(), keys: rowBuffer(), units: rowBuffer(), scaled: rowBuffer(), counts: new Int32Array(BUCKETS), bucket: new Int32Array(P), spill: rowBuffer(), tighten: rowBuffer() },
    aim: rowBuffer(),
    drift: rowBuffer(),
    colSum: rowBuffer(),
    excess: new Float64Array(lay.N + P + 1),
    reserved: 0n,
    onPath: new Set(),
    base: firstBase,
  };
  // One buffer of Units per attempt; one an attempt did not keep goes to the next.
  // A buffer of Units per attempt; one an attempt did not keep goes back for the next attempt.
  const free: Float64Array[] = [];
  const buffer = (): Float64Array => free.pop() ?? new Float64Array(lay.E);
  const giveBack = (b: Float64Array): void => {
    free.push(b);
  };

  const out: Partial<Record<Tier, TierRounding>> = {};
  let repairs = 0;
  let fallbacks = 0;
  let reproportioned = 0;
  // Target is rounded first; its final values cap Floor and floor Stretch, edge by edge.
  let target: FinalTier | null = null;

  for (const tier of order) {
    const values = input.exact[tier];
    const total = values[0].n;
    // The part of the total that is not a multiple of Unit, carried by one path of members.
    const remainder = total % U;
    const own = tier === order[0] ? firstBase : new OwnBase(input, tier, lay, shares, unitDouble);
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
      const xu = edgeUnits(ws);
      const room = (e: number): number => (tier === "floor" ? tf[e] - xu(e) : xu(e) - tf[e]);
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
    if (target) bases.push(new RatioBase(input, tier, target, U, lay));
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
            const attempt = solveTier(ws, buffer(), tier, total, remainder, path, target, slack);
            repairs += attempt.moved;
            if (attempt.balanced && !attempt.strained) {
              if (chosen) giveBack(chosen.units);
              chosen = attempt;
              chosenPath = path;
              chosenBase = b;
              break search;
            }
            if (attempt.balanced && !chosen) {
              chosen = attempt;
              chosenPath = path;
              chosenBase = b;
            } else giveBack(attempt.units);
          }
        }
      }
      if (chosen) break;
    }
    if (!chosen) throw new Error(`rounding could not reconcile the ${tier} tier`);
    if (chosenBase > 0) reproportioned++;
    if (chosen.strained) fallbacks++;
    if (tier === "target") {
      target = { units: chosen.units, remainder, path: chosenPath, onPath: new Set(chosenPath), cell: chosenPath.find((e) => e >= lay.cellBase) ?? -1 };
    }
    out[tier] = tierRounding(chosen.units, lay, remainder, chosenPath);
  }
  return { tiers: out, repairs, fallbacks, reproportioned };
}
