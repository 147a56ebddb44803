/**
 * Parallel splits (并行分解; docs/splits-and-replan.md): the plan, or each node of one level, split
 * over the members of another History dimension — product series, customer group (客户群), any
 * text column — by their pooled History share of the metric, per period and per tier.
 *
 * The amounts reconcile exactly: a node's members add up to the node in every period and tier,
 * each member's periods add up to its amount, every amount is a multiple of Unit (one cell per
 * period carries what the node's own amount holds beyond a multiple of Unit), each cell is within
 * one Unit of its exact share, and every cell keeps Floor ≤ Target ≤ Stretch.
 *
 * The rounding is the plan's own controlled rounding (`roundPlan`), turned round: the node's
 * periods are the rows of the table, fixed at the node's amounts, and the split's members are the
 * columns, sharing each row by the same History shares. `spreadGroups` below does that for any
 * rows held at given amounts, and the re-plan (replan.ts) uses it to spread what remains of each
 * member's target over the periods left.
 */
import { inWindow } from "./calendar";
import { factTable } from "./facts";
import { cellInRow, type HistoryColumns } from "./funnel";
import { numberOfQuanta, quantaOf } from "./amounts";
import { PlanProblemsError, type Problem } from "./problems";
import { add, decimalPlaces, ExactSum, pow10, reduce, toDouble, type Rational } from "./rational";
import { repairFlow } from "./flow";
import { roundPlan } from "./rounding";
import { TIERS, type PlanInput, type PlanNode, type PlanResult, type Tier, type TierValues } from "./types";

// ── rows held at given amounts, shared over columns ──────────────────────────────────────

/** A group of consecutive rows whose amounts add up to the group's. */
export interface RowGroup {
  /** How many rows the group has (at least one). */
  rows: number;
  /** Per tier, the group's amount in quanta (≥ 0). A tier left out takes Target's. */
  amount: Partial<Record<Tier, bigint>>;
  /**
   * Per tier, each row's exact part of the group's amount (≥ 0, in quanta, adding up to it); left
   * out for a group of one row. A tier left out takes Target's parts.
   */
  parts?: Partial<Record<Tier, readonly Rational[]>>;
}

export interface GroupSpreadInput {
  unitQuanta: bigint;
  /** The tiers to spread; Target is always among them. */
  tiers: readonly Tier[];
  /** Each column's weight (≥ 0): its share of every row is weight ÷ Σ weights, equal when all are zero. */
  columnWeights: readonly bigint[];
  groups: readonly RowGroup[];
}

/**
 * Rows × columns in whole Units per tier, plus the few cells that carry a group's remainder (its
 * amount beyond a multiple of Unit). A cell's amount is units × Unit + extra, in quanta.
 */
export interface GroupSpread {
  rows: number;
  columns: number;
  unitQuanta: bigint;
  /** Row-major: cell (row, column) at row × columns + column. */
  units: Partial<Record<Tier, Float64Array>>;
  extras: Partial<Record<Tier, Map<number, bigint>>>;
  /** As roundPlan reports them: Floor or Stretch rounded against Target's rounded cells × their ratio, and bounds widened past one Unit. */
  reproportioned: number;
  fallbacks: number;
}

/** A cell's amount in quanta. */
export function spreadCell(spread: GroupSpread, tier: Tier, cell: number): bigint {
  const units = spread.units[tier] ?? spread.units.target!;
  const extra = (spread.extras[tier] ?? spread.extras.target)?.get(cell) ?? 0n;
  return BigInt(units[cell]) * spread.unitQuanta + extra;
}

/**
 * Spreads each group's amount over its rows (by their parts) and over the columns (by the column
 * weights), per tier, so that every group and every row adds up exactly, the columns add up to
 * what the rows put in them, every amount is a multiple of Unit except one cell per group and tier
 * (which carries the group's amount mod Unit), every cell is within one Unit of its exact value
 * (that one cell within one Unit plus the remainder), and every cell keeps Floor ≤ Target ≤ Stretch
 * whenever the groups and the rows do.
 *
 * How: each group's remainder is set aside, which leaves every group a whole number of Units;
 * roundPlan rounds the tree root → groups → rows × columns (the groups are then held exactly,
 * being whole); and each remainder is put back on one cell of its group, the largest row's largest
 * column that keeps the tiers in order: Target's where Stretch's whole Units are above Target's
 * (or equal, Stretch's remainder being at least Target's, and going there too), Floor's where its
 * whole Units are below Target's (or equal, on Target's cell, with a remainder at most Target's).
 * Such cells always exist: when a group's whole Stretch is above its whole Target, some cell has
 * Stretch above Target; when they are equal, every cell has, and Stretch's remainder is at least
 * Target's. Floor likewise.
 */
export function spreadGroups(input: GroupSpreadInput): GroupSpread {
  const { unitQuanta: U, groups } = input;
  const C = input.columnWeights.length;
  const tiers = TIERS.filter((t) => t === "target" || input.tiers.includes(t));
  let weights = [...input.columnWeights];
  if (!(weights.reduce((a, b) => a + b, 0n) > 0n)) weights = weights.map(() => 1n);
  const weightSum = weights.reduce((a, b) => a + b, 0n);

  // The tree: root, then each group, then its rows (the leaves), in depth-first order.
  const nodes: PlanNode[] = [treeNode(-1, 0)];
  const leaves: number[] = [];
  const groupNode: number[] = [];
  for (const g of groups) {
    const gi = nodes.length;
    groupNode.push(gi);
    nodes[0].children.push(gi);
    nodes.push(treeNode(0, 1));
    for (let r = 0; r < g.rows; r++) {
      nodes[gi].children.push(nodes.length);
      leaves.push(nodes.length);
      nodes.push(treeNode(gi, 2));
    }
  }
  const R = leaves.length;
  const exact = {} as Record<Tier, Rational[]>;
  const remainders = {} as Record<Tier, bigint[]>;
  for (const t of tiers) {
    const values: Rational[] = new Array(nodes.length);
    const rem: bigint[] = [];
    let total = 0n;
    groups.forEach((g, k) => {
      const amount = g.amount[t] ?? g.amount.target ?? 0n;
      if (amount < 0n) throw new RangeError("a group's amount is below zero");
      const r = amount % U;
      const whole = amount - r;
      rem.push(r);
      total += whole;
      const gi = groupNode[k];
      values[gi] = { n: whole, d: 1n };
      const parts = g.parts?.[t] ?? g.parts?.target;
      if (g.rows > 1 && (!parts || parts.length !== g.rows)) throw new RangeError("a group of several rows needs each row's part");
      for (let i = 0; i < g.rows; i++) {
        const leaf = gi + 1 + i;
        // The rows share the whole Units in proportion to their parts of the amount.
        if (g.rows === 1) values[leaf] = { n: whole, d: 1n };
        else if (amount === 0n) values[leaf] = { n: 0n, d: 1n };
        else values[leaf] = { n: parts![i].n * whole, d: parts![i].d * amount };
      }
    });
    values[0] = { n: total, d: 1n };
    exact[t] = values;
    remainders[t] = rem;
  }
  for (const t of TIERS) if (!exact[t]) exact[t] = exact.target;
  // roundPlan compares nodes by their doubles where the difference is clear.
  for (let v = 0; v < nodes.length; v++) {
    for (const t of TIERS) nodes[v].exact[t] = toDouble(exact[t][v].n, exact[t][v].d);
  }

  const units: Partial<Record<Tier, Float64Array>> = {};
  const extras: Partial<Record<Tier, Map<number, bigint>>> = {};
  if (R === 0 || C === 0) {
    for (const t of tiers) {
      units[t] = new Float64Array(R * C);
      extras[t] = new Map();
    }
    return { rows: R, columns: C, unitQuanta: U, units, extras, reproportioned: 0, fallbacks: 0 };
  }
  // Each tier on its own (its groups and rows held, its cells within one Unit of exact), Target first.
  const own = (t: Tier): Float64Array => {
    const values = exact[t];
    const r = roundPlan({ nodes, leaves, exact: { floor: values, target: values, stretch: values }, shareNumerators: weights, shareDenominator: weightSum, unitQuanta: U, tiers: ["target"] }).tiers.target;
    if (!r) throw new Error(`the spread gave no ${t} tier`);
    return Float64Array.from(r.cellUnits);
  };
  let reproportioned = 0;
  const layout: CappedLayout = { groups, groupNode, exact, weights, weightSum, unitQuanta: U, rows: R, columns: C };
  units.target = own("target");
  extras.target = new Map();
  for (const t of tiers) {
    if (t === "target") continue;
    extras[t] = new Map();
    const side = t === "floor" ? "below" : "above";
    const first = own(t);
    if (inOrder(first, units.target, side)) {
      units[t] = first;
      continue;
    }
    // Floor at most Target in every cell (Stretch at least): within one Unit of its own exact values
    // when that fits, else within one Unit of Target's cells × the group's ratio, which always fits.
    const capped = roundCapped(layout, t, units.target, side, first, false) ?? roundCapped(layout, t, units.target, side, first, true);
    if (!capped) throw new Error(`the spread could not keep the ${t} tier on its side of Target`);
    if (capped.ratio) reproportioned++;
    units[t] = capped.units;
  }

  // Put each group's remainders back, Target first.
  const columnOrder = [...weights.keys()].sort((a, b) => (weights[b] > weights[a] ? 1 : weights[b] < weights[a] ? -1 : a - b));
  let first = 0;
  groups.forEach((g, k) => {
    const rowOrder = [...Array(g.rows).keys()];
    if (g.rows > 1) {
      const v = exact.target;
      const gi = groupNode[k];
      rowOrder.sort((a, b) => compareRational(v[gi + 1 + b], v[gi + 1 + a]) || a - b);
    }
    // The group's cells, the largest row's largest column first.
    const cells = function* (): Generator<number> {
      for (const i of rowOrder) for (const j of columnOrder) yield (first + i) * C + j;
    };
    const tu = units.target!;
    const su = units.stretch;
    const fu = units.floor;
    const rt = remainders.target[k];
    const rs = su ? remainders.stretch[k] : 0n;
    const rf = fu ? remainders.floor[k] : 0n;
    const pick = (fits: (c: number) => boolean): number => {
      for (const c of cells()) if (fits(c)) return c;
      return -1;
    };
    // Target's remainder: on a cell where Stretch's whole Units are above Target's, or equal with
    // Stretch's remainder at least Target's (Stretch's then goes there too).
    let targetCell = -1;
    if (rt > 0n) {
      targetCell = su ? pick((c) => su[c] > tu[c]) : pick(() => true);
      if (targetCell < 0) targetCell = pick((c) => su![c] === tu[c] && rs >= rt);
      if (targetCell < 0) throw new Error("no cell of a group can carry its target remainder");
      extras.target!.set(targetCell, rt);
    }
    if (su && rs > 0n) {
      const mustShare = targetCell >= 0 && su[targetCell] === tu[targetCell];
      const c = mustShare ? targetCell : pick(() => true);
      extras.stretch!.set(c, rs);
    }
    if (fu && rf > 0n) {
      const fits = (c: number) => fu[c] < tu[c] || (c === targetCell && fu[c] === tu[c] && rf <= rt);
      const c = targetCell >= 0 && fits(targetCell) ? targetCell : pick(fits);
      if (c < 0) throw new Error("no cell of a group can carry its floor remainder");
      extras.floor!.set(c, rf);
    }
    first += g.rows;
  });
  return { rows: R, columns: C, unitQuanta: U, units, extras, reproportioned, fallbacks: 0 };
}

function inOrder(cells: Float64Array, target: Float64Array, side: "below" | "above"): boolean {
  for (let c = 0; c < cells.length; c++) if (side === "below" ? cells[c] > target[c] : cells[c] < target[c]) return false;
  return true;
}

interface CappedLayout {
  groups: readonly RowGroup[];
  groupNode: readonly number[];
  /** Exact values per tier of every tree node (root, groups, rows), in quanta. */
  exact: Record<Tier, Rational[]>;
  weights: readonly bigint[];
  weightSum: bigint;
  unitQuanta: bigint;
  rows: number;
  columns: number;
}

/** ⌊q ÷ U⌋ and whether q ÷ U is not whole, for q = n ÷ d quanta. */
function unitBounds(n: bigint, d: bigint, U: bigint): [number, number] {
  const den = d * U;
  let f = n / den;
  if (f * den > n) f -= 1n;
  const whole = f * den === n;
  return [Number(f), whole ? Number(f) : Number(f) + 1];
}

/**
 * One tier rounded with every cell capped at Target's (Floor) or floored at it (Stretch): the
 * network root → groups (held) → rows → cells → columns → root, each edge within its exact value's
 * ⌊ ⌋ and ⌈ ⌉ (cells also within the cap), balanced by repairFlow from `start`. With `ratio`, the
 * exact values are Target's cells × the group's ratio of this tier to Target, which lie within the
 * caps, so a balanced rounding exists (the network is totally unimodular). Null when none does.
 */
function roundCapped(
  lay: CappedLayout,
  tier: Tier,
  target: Float64Array,
  side: "below" | "above",
  start: Float64Array,
  ratio: boolean,
): { units: Float64Array; ratio: boolean } | null {
  const { groups, groupNode, unitQuanta: U, rows: R, columns: C, weights, weightSum: W } = lay;
  const G = groups.length;
  const values = lay.exact[tier];
  // Nodes: root 0, groups 1…G, rows G+1…G+R, columns G+R+1…G+R+C.
  const rowNode = (i: number) => 1 + G + i;
  const colNode = (j: number) => 1 + G + R + j;
  const E = G + R + R * C + C;
  const from = new Int32Array(E);
  const to = new Int32Array(E);
  const lo = new Float64Array(E);
  const hi = new Float64Array(E);
  const val = new Float64Array(E);
  let e = 0;
  const edge = (a: number, b: number, l: number, h: number, v: number): void => {
    from[e] = a;
    to[e] = b;
    lo[e] = l;
    hi[e] = h;
    val[e] = Math.min(h, Math.max(l, v));
    e++;
  };
  // Each row's exact value, and Target's row sums (for the ratio).
  const rowGroup = new Int32Array(R);
  const rowExact: Rational[] = new Array(R);
  const groupUnits: number[] = [];
  let i0 = 0;
  groups.forEach((g, k) => {
    const gi = groupNode[k];
    const whole = values[gi].n / values[gi].d;
    groupUnits.push(Number(whole / U));
    for (let i = 0; i < g.rows; i++) {
      rowGroup[i0 + i] = k;
      rowExact[i0 + i] = values[gi + 1 + i];
    }
    i0 += g.rows;
  });
  const targetRow = new Float64Array(R);
  const targetGroup = new Float64Array(G);
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < C; j++) targetRow[i] += target[i * C + j];
    targetGroup[rowGroup[i]] += targetRow[i];
  }
  // A cell's exact value in Units as n ÷ d.
  // With the ratio, a group whose Target is zero keeps its own exact values (Stretch above nothing).
  const byRatio = (k: number): boolean => ratio && targetGroup[k] > 0;
  const cellExact = (i: number, j: number): [bigint, bigint] => {
    if (byRatio(rowGroup[i])) return [BigInt(target[i * C + j]) * BigInt(groupUnits[rowGroup[i]]), BigInt(targetGroup[rowGroup[i]])];
    const x = rowExact[i];
    return [x.n * weights[j], x.d * W * U];
  };
  for (let k = 0; k < G; k++) edge(0, 1 + k, groupUnits[k], groupUnits[k], groupUnits[k]);
  const sums = new Float64Array(R);
  const colSums = new Float64Array(C);
  const cellEdges = G + R;
  e = cellEdges;
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < C; j++) {
      const [n, d] = cellExact(i, j);
      let [l, h] = unitBounds(n, d, 1n);
      const cap = target[i * C + j];
      if (side === "below") h = Math.min(h, cap);
      else l = Math.max(l, cap);
      if (l > h) return null;
      edge(rowNode(i), colNode(j), l, h, start[i * C + j]);
      sums[i] += val[e - 1];
      colSums[j] += val[e - 1];
    }
  }
  e = G;
  for (let i = 0; i < R; i++) {
    const k = rowGroup[i];
    const single = groups[k].rows === 1;
    let l: number;
    let h: number;
    if (single) l = h = groupUnits[k];
    else if (byRatio(k)) [l, h] = unitBounds(BigInt(targetRow[i]) * BigInt(groupUnits[k]), BigInt(targetGroup[k]), 1n);
    else [l, h] = unitBounds(rowExact[i].n, rowExact[i].d, U);
    edge(1 + k, rowNode(i), l, h, sums[i]);
  }
  e = cellEdges + R * C;
  const total = values[0];
  for (let j = 0; j < C; j++) {
    // A column's exact value: the tier's total × the column's weight; with the ratio, Σ over the
    // groups of the group's ratio × Target's cells in the column.
    const [l, h] = ratio ? ratioColumnBounds(j, C, groups, rowGroup, target, targetGroup, groupUnits, weights[j], W) : unitBounds(total.n * weights[j], total.d * W * U, 1n);
    edge(colNode(j), 0, l, h, colSums[j]);
  }
  const outcome = repairFlow(1 + G + R + C, { from, to, lo, hi, val });
  if (!outcome.balanced) return null;
  return { units: val.slice(cellEdges, cellEdges + R * C), ratio };
}

/**
 * ⌊ ⌋ and ⌈ ⌉ in Units of column j's exact value with the ratio: Σ over the groups of (the tier's
 * group ÷ Target's group) × Target's cells of the group in the column, and for a group whose Target
 * is zero its own share, group × w_j ÷ W. The double is within G + 4 units in the last place of
 * the sum (whole numbers, one product and one division per group, then the additions, every term
 * at least zero); only when that band holds a whole number is the sum taken exactly.
 */
function ratioColumnBounds(
  j: number,
  C: number,
  groups: readonly RowGroup[],
  rowGroup: Int32Array,
  target: Float64Array,
  targetGroup: Float64Array,
  groupUnits: readonly number[],
  w: bigint,
  W: bigint,
): [number, number] {
  const G = groups.length;
  const inColumn = new Float64Array(G);
  for (let i = 0; i < rowGroup.length; i++) inColumn[rowGroup[i]] += target[i * C + j];
  const share = Number(w) / Number(W);
  let x = 0;
  for (let k = 0; k < G; k++) x += targetGroup[k] > 0 ? (groupUnits[k] * inColumn[k]) / targetGroup[k] : groupUnits[k] * share;
  const band = (G + 8) * Number.EPSILON * Math.max(1, Math.abs(x));
  const f = Math.floor(x - band);
  if (f === Math.floor(x + band) && x - band > f) return [f, f + 1];
  let sum: Rational = { n: 0n, d: 1n };
  for (let k = 0; k < G; k++) {
    const term = targetGroup[k] > 0 ? { n: BigInt(groupUnits[k]) * BigInt(inColumn[k]), d: BigInt(targetGroup[k]) } : { n: BigInt(groupUnits[k]) * w, d: W };
    sum = reduce(add(sum, term));
  }
  return unitBounds(sum.n, sum.d, 1n);
}

function compareRational(a: Rational, b: Rational): number {
  const x = a.n * b.d;
  const y = b.n * a.d;
  return x > y ? 1 : x < y ? -1 : 0;
}

function treeNode(parent: number, depth: number): PlanNode {
  return {
    path: {},
    depth,
    parent,
    children: [],
    member: "",
    level: "",
    basisKind: "History",
    basis: 0,
    share: 1,
    exact: { floor: 0, target: 0, stretch: 0 },
    amount: { floor: 0, target: 0, stretch: 0 },
  };
}

// ── the plan's amounts in quanta ──────────────────────────────────────────────────────────

/** The plan's scale: the quanta it counts in, and its Unit in them. */
export interface PlanScale {
  decimals: number;
  /** The plan's Unit (the rounding unit) in quanta. */
  unitQuanta: bigint;
}

export function planScale(plan: PlanResult): PlanScale {
  if (plan.exact) return { decimals: plan.exact.decimals, unitQuanta: quantaOf(plan.unit, plan.exact.decimals) };
  let decimals = decimalPlaces(plan.unit);
  for (const t of plan.tiers) for (const v of plan.cells[t]) decimals = Math.max(decimals, decimalPlaces(v));
  return { decimals, unitQuanta: quantaOf(plan.unit, decimals) };
}

/** The leaf positions (into plan.leaves) under node `n`: a contiguous run, the tree being in depth-first order. */
export function leafRange(plan: PlanResult, n: number): [number, number] {
  const depth = plan.nodes[n].depth;
  let end = n + 1;
  while (end < plan.nodes.length && plan.nodes[end].depth > depth) end++;
  let from = -1;
  let to = -1;
  for (let i = 0; i < plan.leaves.length; i++) {
    const leaf = plan.leaves[i];
    if (leaf >= n && leaf < end) {
      if (from < 0) from = i;
      to = i + 1;
    }
  }
  return from < 0 ? [0, 0] : [from, to];
}

/** A cell of the plan in quanta of `decimals` (≥ the plan's own). */
export function cellQuanta(plan: PlanResult, tier: Tier, cell: number, decimals: number): bigint {
  const exact = plan.exact;
  if (!exact) return quantaOf(plan.cells[tier][cell], decimals);
  const units = exact.cellUnits[tier];
  if (!units) throw new RangeError(`the plan has no ${tier} tier`);
  const path = exact.tiers[tier];
  const extra = path && path.path.cell === cell ? path.remainder : 0n;
  return (BigInt(units[cell]) * exact.unitQuanta + extra) * pow10(decimals - exact.decimals);
}

/** Node n's amount per period, in quanta of `decimals`: the sum of its leaves' cells, exactly. */
export function nodePeriodQuanta(plan: PlanResult, n: number, tier: Tier, decimals: number): bigint[] {
  const P = plan.periods.length;
  const [from, to] = leafRange(plan, n);
  const exact = plan.exact;
  const out = new Array<bigint>(P).fill(0n);
  const units = exact?.cellUnits[tier];
  if (exact && units) {
    // Whole Units add up exactly as doubles while the sums stay safe integers.
    const sums = new Float64Array(P);
    for (let i = from; i < to; i++) for (let j = 0; j < P; j++) sums[j] += units[i * P + j];
    const scale = pow10(decimals - exact.decimals);
    const path = exact.tiers[tier];
    for (let j = 0; j < P; j++) {
      let q: bigint;
      if (Number.isSafeInteger(sums[j])) q = BigInt(sums[j]) * exact.unitQuanta;
      else {
        q = 0n;
        for (let i = from; i < to; i++) q += BigInt(units[i * P + j]) * exact.unitQuanta;
      }
      out[j] = q * scale;
    }
    if (path && path.remainder !== 0n && path.path.cell >= from * P && path.path.cell < to * P) {
      out[path.path.cell % P] += path.remainder * scale;
    }
    return out;
  }
  for (let i = from; i < to; i++) for (let j = 0; j < P; j++) out[j] += quantaOf(plan.cells[tier][i * P + j], decimals);
  return out;
}

// ── the parallel splits ──────────────────────────────────────────────────────────────────

export interface SplitSpec {
  /** The History dimension, by its name in FactRow.dims (Product, Customer, or a column's header). */
  dimension: string;
  /** The level whose nodes are each split; undefined for the whole plan. */
  level?: string;
  /** The Settings cell that asked for it. */
  ref: string;
}

export interface SplitMember {
  member: string;
  /** Pooled History of the metric under the node (1 each for an equal split). */
  basis: number;
  share: number;
  /** The member's amount per tier. */
  amount: TierValues;
  /** Exact proportional amount per tier (share × the node's amount). */
  exact: TierValues;
}

export interface NodeSplit {
  /** Index into PlanResult.nodes (0 for the whole plan). */
  node: number;
  /** History: by the members' History; Equal: every member's History under the node is zero, or it has none. */
  basisKind: "History" | "Equal";
  members: SplitMember[];
  /** Member-major member × period amounts per tier of the plan: cells[tier][member × periods + period]. */
  cells: Partial<Record<Tier, Float64Array>>;
  /** The node's amount per period and tier, which the members add up to. */
  periods: Partial<Record<Tier, Float64Array>>;
  /** The same amounts exactly: period-major (period × members + member), as spreadGroups gives them. */
  spread: GroupSpread;
}

export interface SplitResult {
  dimension: string;
  level?: string;
  ref: string;
  nodes: NodeSplit[];
}

export interface SplitsResult {
  decimals: number;
  tiers: Tier[];
  splits: SplitResult[];
}

const SEP = "\u0001";

/** A member's cell of a node split in quanta: member k, period j. */
export function splitCellQuanta(split: NodeSplit, tier: Tier, member: number, period: number): bigint {
  return spreadCell(split.spread, tier, period * split.members.length + member);
}

/**
 * The parallel splits of the plan. Throws PlanProblemsError when a split's dimension has no
 * members in History (at the setting's cell), or a member's History under a node adds up to less
 * than zero (at its first History row).
 */
export function computeSplits(
  input: Pick<PlanInput, "start" | "historyYears" | "history">,
  plan: PlanResult,
  specs: readonly SplitSpec[],
  columns?: HistoryColumns,
): SplitsResult {
  const scale = planScale(plan);
  const tiers = TIERS.filter((t) => plan.tiers.includes(t));
  if (specs.length === 0) return { decimals: scale.decimals, tiers, splits: [] };
  const problems: Problem[] = [];
  const window = input.historyYears === undefined ? undefined : inWindow(input);
  const metric = plan.metric;

  // The nodes each spec splits: the root, or every node of its level, keyed by their path.
  const targets = specs.map((spec) => {
    const depth = spec.level === undefined ? 0 : plan.levels.indexOf(spec.level) + 1;
    const levels = plan.levels.slice(0, depth);
    const byKey = new Map<string, number>();
    plan.nodes.forEach((n, i) => {
      if (n.depth === depth) byKey.set(levels.map((l) => n.path[l]).join(SEP), i);
    });
    return { levels, byKey };
  });

  // One pass over History: per spec, per node, per member, the metric's exact sum.
  type Sums = { order: string[]; sums: Map<string, ExactSum>; first: Map<string, string | undefined> };
  const sums = specs.map(() => new Map<number, Sums>());
  const allMembers = specs.map(() => ({ order: [] as string[], seen: new Set<string>() }));
  const facts = factTable(input.history);
  const values = facts.measure(metric);
  const specCodes = specs.map((spec) => ({ codes: facts.codes(spec.dimension), members: facts.members(spec.dimension) }));
  const levelColumns = targets.map(({ levels }) => levels.map((l) => ({ codes: facts.codes(l), members: facts.members(l) })));
  for (let r = 0; r < facts.length; r++) {
    if (window && !window(facts.start[r])) continue;
    const value = values ? values[r] : 0;
    for (let s = 0; s < specs.length; s++) {
      const code = specCodes[s].codes[r];
      if (code === 0) continue;
      const member = specCodes[s].members[code];
      const all = allMembers[s];
      if (!all.seen.has(member)) {
        all.seen.add(member);
        all.order.push(member);
      }
      const { byKey } = targets[s];
      const node = byKey.get(levelColumns[s].map((c) => c.members[c.codes[r]]).join(SEP));
      if (node === undefined) continue;
      let at = sums[s].get(node);
      if (!at) sums[s].set(node, (at = { order: [], sums: new Map(), first: new Map() }));
      let sum = at.sums.get(member);
      if (!sum) {
        at.sums.set(member, (sum = new ExactSum()));
        at.order.push(member);
        at.first.set(member, facts.ref(r));
      }
      if (value) sum.add(value);
    }
  }

  const splits: SplitResult[] = specs.map((spec, s) => {
    if (allMembers[s].order.length === 0) {
      problems.push({ ref: spec.ref, code: "splitNoMembers", args: { dimension: columns?.labels[spec.dimension] ?? spec.dimension } });
      return { dimension: spec.dimension, level: spec.level, ref: spec.ref, nodes: [] };
    }
    const nodes: NodeSplit[] = [];
    for (const node of targets[s].byKey.values()) {
      const at = sums[s].get(node);
      const members = at?.order ?? allMembers[s].order;
      const bases: Rational[] = members.map((m) => at?.sums.get(m)?.value ?? { n: 0n, d: 1n });
      let negative = false;
      bases.forEach((b, k) => {
        if (b.n < 0n) {
          negative = true;
          const ref = cellInRow(at?.first.get(members[k]), columns?.letters[metric], columns?.table ?? spec.ref);
          problems.push({ ref, code: "splitNegativeBasis", args: { member: members[k], node: nodeName(plan, node) } });
        }
      });
      if (negative) continue;
      nodes.push(splitNode(plan, node, members, bases, scale, tiers));
    }
    return { dimension: spec.dimension, level: spec.level, ref: spec.ref, nodes };
  });
  if (problems.length) throw new PlanProblemsError(problems);
  return { decimals: scale.decimals, tiers, splits };
}

function nodeName(plan: PlanResult, node: number): string {
  const path = plan.nodes[node].path;
  const names = plan.levels.filter((l) => path[l] !== undefined).map((l) => path[l]);
  return names.length ? names.join(" / ") : "@plan";
}

function splitNode(plan: PlanResult, node: number, members: readonly string[], bases: readonly Rational[], scale: PlanScale, tiers: Tier[]): NodeSplit {
  const P = plan.periods.length;
  const K = members.length;
  const { decimals, unitQuanta: U } = scale;
  // Bases over one denominator (History sums are decimals: powers of ten).
  let d = 1n;
  for (const b of bases) if (b.d > d) d = b.d;
  let weights = bases.map((b) => b.n * (d / b.d));
  let weightSum = weights.reduce((a, b) => a + b, 0n);
  const equal = !(weightSum > 0n);
  if (equal) {
    weights = weights.map(() => 1n);
    weightSum = BigInt(K);
  }
  const periodQuanta = {} as Record<Tier, bigint[]>;
  for (const t of tiers) periodQuanta[t] = nodePeriodQuanta(plan, node, t, decimals);
  const spread = spreadGroups({
    unitQuanta: U,
    tiers,
    columnWeights: weights,
    groups: periodQuanta.target.map((_, j) => {
      const amount: Partial<Record<Tier, bigint>> = {};
      for (const t of tiers) amount[t] = periodQuanta[t][j];
      return { rows: 1, amount };
    }),
  });

  const cells: Partial<Record<Tier, Float64Array>> = {};
  const periods: Partial<Record<Tier, Float64Array>> = {};
  const memberQuanta = {} as Record<Tier, bigint[]>;
  for (const t of tiers) {
    const c = new Float64Array(K * P);
    const totals = new Array<bigint>(K).fill(0n);
    for (let j = 0; j < P; j++) {
      for (let k = 0; k < K; k++) {
        const q = spreadCell(spread, t, j * K + k);
        totals[k] += q;
        c[k * P + j] = numberOfQuanta(q, decimals);
      }
    }
    cells[t] = c;
    periods[t] = Float64Array.from(periodQuanta[t], (q) => numberOfQuanta(q, decimals));
    memberQuanta[t] = totals;
  }
  const nodeTotal = {} as Record<Tier, bigint>;
  for (const t of tiers) nodeTotal[t] = periodQuanta[t].reduce((a, b) => a + b, 0n);
  const divisor = 10 ** decimals;
  const splitMembers: SplitMember[] = members.map((member, k) => {
    const amount: TierValues = { floor: 0, target: 0, stretch: 0 };
    const exact: TierValues = { floor: 0, target: 0, stretch: 0 };
    for (const t of tiers) {
      amount[t] = numberOfQuanta(memberQuanta[t][k], decimals);
      exact[t] = toDouble(nodeTotal[t] * weights[k], weightSum) / divisor;
    }
    return {
      member,
      basis: equal ? 1 : toDouble(bases[k].n, bases[k].d),
      share: toDouble(weights[k], weightSum),
      amount,
      exact,
    };
  });
  return { node, basisKind: equal ? "Equal" : "History", members: splitMembers, cells, periods, spread };
}
