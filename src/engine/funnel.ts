/**
 * The funnel (CONTRACT §4.6): the plan's Target split over Channel, then, per channel, the
 * orders its average order value needs and, walking the Funnel chain backwards, the visits,
 * invitations … each stage needs — per channel and per period of the plan's grain.
 *
 *  - **Channel amounts.** By the channels' pooled History share of the metric (equal when all are
 *    zero), rounded to Unit by the plan's own controlled rounding (`roundPlan`): channels add up
 *    to the plan, each channel's periods to the channel, and each period's channels to the plan's
 *    amount for that period. Where Channel is one of the plan's levels, the plan's own amounts
 *    are used instead, so the funnel and the plan can never disagree.
 *  - **Counts, exactly.** Orders = ⌈amount × History orders ÷ History amount⌉ (amount ÷ the
 *    average order value), and each earlier stage = ⌈next stage × History earlier ÷ History
 *    later⌉ (next ÷ the conversion rate), all in rational arithmetic on the decimals as written:
 *    each count is the least whole number that meets the next stage.
 *  - **Per period.** A channel's counts are spread over its periods by its period amounts: the
 *    count *to date* after each period is ⌈count × amount to date ÷ amount⌉, and each period gets
 *    the step. So the periods add up to the channel's count, the running task never falls behind
 *    its proportional share, and each period is within one of its exact share.
 */
import { windowStart } from "./history";
import { PlanProblemsError, type Problem } from "./problems";
import { amountQuanta, numberOfQuanta, quantaOf } from "./amounts";
import { add, ceil, decimalPlaces, ExactSum, fromInt, fromNumber, isZero, mul, pow10, ratio, sign, toDouble, toNumber, type Rational } from "./rational";
import { roundPlan } from "./rounding";
import { factTable } from "./facts";
import type { PlanInput, PlanNode, PlanResult, TierValues } from "./types";

/** Where the inputs of the funnel and the drivers are in History, for messages and sheet headers. */
export interface HistoryColumns {
  /** History's first cell, named when no better cell is known. */
  table: string;
  /** Column letter of each measure and dimension, by its name in FactRow (Amount, Channel, 净水器 …). */
  letters: Record<string, string>;
  /** Each column's header as written (销售额, 渠道 …), by its name in FactRow. */
  labels: Record<string, string>;
}

export interface FunnelSpec {
  /** The channel column, by its name in FactRow.dims (usually Channel). */
  dimension: string;
  /** The chain, by names in FactRow.measures, ending in Orders (just `["Orders"]` without earlier stages). */
  stages: string[];
}

export interface ChannelFunnel {
  channel: string;
  /** History sums of the metric and of each stage, over the history window (HistoryYears). */
  history: Record<string, number>;
  /** The number the channel's share comes from (History of the metric, or the plan's amount). */
  basis: number;
  share: number;
  /** Exact proportional amount, before rounding. */
  exact: number;
  /** The channel's Target amount: a multiple of Unit (one channel may carry the plan's remainder). */
  target: number;
  /** History metric ÷ History orders. */
  averageOrderValue: number;
  /** Required count per stage, Orders included. */
  counts: Record<string, number>;
  /** Conversion rate from each earlier stage to the next one: History next ÷ History this stage. */
  rates: Record<string, number>;
  /** Per period of the plan, aligned with FunnelResult.periods. */
  periods: { target: number; counts: Record<string, number> }[];
}

export interface FunnelResult {
  dimension: string;
  metric: string;
  /** The chain ending in Orders. */
  stages: string[];
  /** Period labels of the plan. */
  periods: string[];
  /** Channel amounts: split by History share, or the plan's own where Channel is a level. */
  source: "History" | "Plan";
  channels: ChannelFunnel[];
  totals: { target: number; history: Record<string, number>; counts: Record<string, number> };
  columns: HistoryColumns;
}

// ── History sums per member ───────────────────────────────────────────────────────────

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export interface MemberSums {
  /** Members in order of first appearance. */
  members: string[];
  /** Exact sums per member, per measure. */
  sums: Map<string, Record<string, Rational>>;
  /** The first cell of each member's first History row (for naming its cells). */
  firstRef: Map<string, string | undefined>;
}

export interface HistorySums {
  /** Per dimension asked for. */
  by: Record<string, MemberSums>;
  /** Over every row of the window, whatever its members. */
  all: Record<string, Rational>;
}

/**
 * The pass over History for historySums: slots 0..M−1 hold the rows with no member of the first
 * dimension (all rows when there is none), then M slots per member, members numbered across
 * dimensions as first seen. "All rows" is slot 0 plus the first dimension's members, so a row adds
 * to one slot per dimension, not one more. Whole numbers add up as doubles in `small` while the
 * sum stays a safe integer; anything else goes to an exact sum in `big`.
 */
class SlotSums {
  small: Float64Array;
  readonly big: (ExactSum | undefined)[] = [];
  /** Per dimension, each member code's first slot (−1 until seen), the codes in order of first sight, and the fact each was first seen in. */
  readonly slotOfCode: Int32Array[];
  readonly order: number[][];
  readonly firstFact: number[][];
  private slots: number;
  /** The measures History has, and their positions among those asked for. */
  private readonly columns: Float64Array[];
  private readonly offsets: Int32Array;
  private readonly M: number;

  constructor(
    private readonly codes: Int32Array[],
    memberCounts: number[],
    columns: (Float64Array | undefined)[],
  ) {
    this.M = columns.length;
    this.small = new Float64Array(this.M * 16);
    this.slots = this.M;
    this.slotOfCode = memberCounts.map((n) => new Int32Array(n).fill(-1));
    this.order = codes.map(() => []);
    this.firstFact = codes.map(() => []);
    const present = columns.flatMap((c, k) => (c ? [k] : []));
    this.columns = present.map((k) => columns[k] as Float64Array);
    this.offsets = Int32Array.from(present);
  }

  /**
   * Adds facts 0 … n − 1 whose first day lies in [lo, hi), in History's order. One loop over
   * locals and typed arrays, the same shapes on every call: it runs once per fact of History.
   */
  run(starts: Int32Array, n: number, lo: number, hi: number): void {
    const { codes, slotOfCode, columns, offsets } = this;
    const D = codes.length;
    const K = columns.length;
    const at = new Int32Array(D + 1);
    let small = this.small;
    for (let r = 0; r < n; r++) {
      const start = starts[r];
      if (!(start >= lo && start < hi)) continue;
      let count = 0;
      for (let d = 0; d < D; d++) {
        const code = codes[d][r];
        if (code === 0) {
          if (d === 0) at[count++] = 0;
          continue;
        }
        let base = slotOfCode[d][code];
        if (base < 0) {
          base = this.newMember(d, code, r);
          small = this.small;
        }
        at[count++] = base;
      }
      if (D === 0) at[count++] = 0;
      for (let k = 0; k < K; k++) {
        const v = columns[k][r];
        if (!v) continue;
        const offset = offsets[k];
        // Whole numbers add up exactly as doubles while the sum is a safe integer.
        const whole = v === Math.floor(v);
        for (let i = 0; i < count; i++) {
          const slot = at[i] + offset;
          const sum = small[slot] + v;
          if (whole && sum <= MAX_SAFE && sum >= -MAX_SAFE) small[slot] = sum;
          else this.addExact(slot, v);
        }
      }
    }
  }

  /** The first slot of a member first seen in fact r, growing `small` when it is full. */
  private newMember(d: number, code: number, r: number): number {
    const base = this.slots;
    this.slots += this.M;
    if (this.slots > this.small.length) {
      const grown = new Float64Array(this.small.length * 2 + this.M);
      grown.set(this.small);
      this.small = grown;
    }
    this.slotOfCode[d][code] = base;
    this.order[d].push(code);
    this.firstFact[d].push(r);
    return base;
  }

  private addExact(slot: number, v: number): void {
    (this.big[slot] ??= new ExactSum()).add(v);
  }
}

/**
 * Exact History sums of `measures` over the plan's history window: per member of each of
 * `dimensions`, and over all rows — in one pass. Whole numbers (the usual History cell) are
 * added as doubles while they stay safe integers; anything else goes to an exact decimal sum.
 */
export function historySums(input: PlanInput, dimensions: readonly string[], measures: readonly string[]): HistorySums {
  const facts = factTable(input.history);
  const from = windowStart(input);
  const names = dimensions.map((d) => facts.members(d));
  const pass = new SlotSums(
    dimensions.map((d) => facts.codes(d)),
    names.map((m) => m.length),
    measures.map((m) => facts.measure(m)),
  );
  pass.run(facts.start, facts.length, from ?? -Infinity, from === undefined ? Infinity : input.start);
  const { small, big, slotOfCode, order, firstFact } = pass;
  const D = dimensions.length;
  const value = (slot: number): Rational => {
    const whole = fromNumber(small[slot]);
    const rest = big[slot];
    return rest ? add(whole, rest.value) : whole;
  };
  const record = (base: number): Record<string, Rational> => {
    const out: Record<string, Rational> = {};
    measures.forEach((m, k) => (out[m] = value(base + k)));
    return out;
  };
  const by: Record<string, MemberSums> = {};
  dimensions.forEach((dim, d) => {
    const sums = new Map<string, Record<string, Rational>>();
    const firstRef = new Map<string, string | undefined>();
    const members = order[d].map((code, k) => {
      const member = names[d][code];
      sums.set(member, record(slotOfCode[d][code]));
      firstRef.set(member, facts.ref(firstFact[d][k]));
      return member;
    });
    by[dim] = { members, sums, firstRef };
  });
  const all = record(0);
  if (D > 0) {
    for (const m of measures) for (const member of by[dimensions[0]].members) all[m] = add(all[m], by[dimensions[0]].sums.get(member)![m]);
  }
  return { by, all };
}

/** Exact History sums of `measures` per member of `dimension`, over the history window of the plan (HistoryYears). */
export function sumsByMember(input: PlanInput, dimension: string, measures: readonly string[]): MemberSums {
  return historySums(input, [dimension], measures).by[dimension];
}

/** The cell of `column` in the row whose first cell is `rowRef` (`History!A7` → `History!H7`). */
export function cellInRow(rowRef: string | undefined, letter: string | undefined, fallback: string): string {
  if (!rowRef || !letter) return fallback;
  const m = /^(.*!)\$?[A-Z]{1,3}\$?(\d+)$/.exec(rowRef);
  return m ? `${m[1]}${letter}${m[2]}` : fallback;
}

// ── splitting an amount by shares, with the plan's rounding ───────────────────────────

export interface Split {
  exact: number[];
  shares: number[];
  /** Rounded amounts per member: multiples of Unit, adding up to the total. */
  amounts: number[];
  /** Member-major member × period amounts: rows add up to the member, columns to `periodAmounts`. */
  cells: Float64Array;
  /** The same amounts and cells exactly, in quanta of 10^-decimals. */
  decimals: number;
  amountQuanta: bigint[];
  cellQuanta: bigint[];
}

/** Amounts in whole quanta: the split's inputs and the scale they are counted at. */
export interface QuantaSplitInput {
  decimals: number;
  unitQuanta: bigint;
  total: bigint;
  /** Exact bases (History sums, …): rationals whose denominators are powers of ten. */
  bases: readonly Rational[];
  /** The columns the split must keep, adding up to `total`. */
  periods: readonly bigint[];
}

/**
 * Splits `total` over members by `bases` (equally when they are all zero) and over periods so
 * that the columns come out as the given period amounts (which add up to `total`), by the same
 * controlled rounding as the plan, exactly. A total that is not a multiple of Unit leaves its
 * remainder where the plan left it (the period whose amount is not a multiple of Unit) and on the
 * largest member.
 */
export function splitQuanta(input: QuantaSplitInput): Split {
  const { decimals, unitQuanta: U, total } = input;
  const K = input.bases.length;
  const P = input.periods.length;
  let scale = 1n;
  for (const b of input.bases) if (b.d > scale) scale = b.d;
  let bases = input.bases.map((b) => b.n * (scale / b.d));
  let baseSum = bases.reduce((a, b) => a + b, 0n);
  if (!(baseSum > 0n)) {
    bases = bases.map(() => 1n);
    baseSum = BigInt(K);
  }

  const remainder = total % U;
  const columns = [...input.periods];
  let remainderPeriod = -1;
  if (remainder !== 0n) {
    remainderPeriod = columns.findIndex((a) => a % U !== 0n);
    if (remainderPeriod < 0) {
      remainderPeriod = 0;
      for (let j = 1; j < P; j++) if (columns[j] > columns[remainderPeriod]) remainderPeriod = j;
    }
    columns[remainderPeriod] -= remainder;
  }
  const whole = total - remainder;
  const divisor = 10 ** decimals;
  const wholeDouble = toDouble(whole, 1n) / divisor;
  const nodes: PlanNode[] = [node(-1, "", tiersOf(wholeDouble), bases.map((_, k) => k + 1))];
  const values: Rational[] = [{ n: whole, d: 1n }];
  bases.forEach((b, k) => {
    values.push({ n: whole * b, d: baseSum });
    nodes.push(node(0, String(k), tiersOf(toDouble(whole * b, baseSum) / divisor), []));
  });
  const leaves = bases.map((_, k) => k + 1);
  const shareNumerators = whole > 0n ? columns : columns.map(() => 1n);
  const shareDenominator = whole > 0n ? whole : BigInt(P);
  const rounded = roundPlan({
    nodes,
    leaves,
    exact: { floor: values, target: values, stretch: values },
    shareNumerators,
    shareDenominator,
    unitQuanta: U,
    tiers: ["target"],
  }).tiers.target;
  if (!rounded) throw new Error("the split gave no amounts");

  const amountQuanta = leaves.map((v) => BigInt(rounded.nodeUnits[v]) * U);
  const cellQuanta = Array.from(rounded.cellUnits, (u) => BigInt(u) * U);
  if (remainder !== 0n) {
    let best = 0;
    for (let k = 1; k < K; k++) if (bases[k] > bases[best]) best = k;
    amountQuanta[best] += remainder;
    cellQuanta[best * P + remainderPeriod] += remainder;
  }
  return {
    exact: bases.map((b) => toDouble(total * b, baseSum) / divisor),
    shares: bases.map((b) => toDouble(b, baseSum)),
    amounts: amountQuanta.map((q) => numberOfQuanta(q, decimals)),
    cells: Float64Array.from(cellQuanta, (q) => numberOfQuanta(q, decimals)),
    decimals,
    amountQuanta,
    cellQuanta,
  };
}

/**
 * splitQuanta for amounts given as numbers, each read as the decimal it is written as (1005 at
 * Unit 10 over periods 335 / 330 / 340).
 */
export function splitAmount(total: number, unit: number, bases: readonly number[], periodAmounts: readonly number[]): Split {
  const decimals = Math.max(decimalPlaces(total), decimalPlaces(unit), ...periodAmounts.map(decimalPlaces));
  return splitQuanta({
    decimals,
    unitQuanta: quantaOf(unit, decimals),
    total: quantaOf(total, decimals),
    bases: bases.map(fromNumber),
    periods: periodAmounts.map((a) => quantaOf(a, decimals)),
  });
}

/**
 * The plan's scale and its Target's total and period amounts in quanta (from its exact form, else
 * from its numbers as written). The total is the members' — the sum of the period amounts, which
 * are the columns of the members' cells: the plan's own Target, except in an uplifted plan
 * (Uplift / 超额分配), whose members' quotas add up to more. The funnel and the driver targets work
 * back from the quotas the members are given.
 */
export function planTargetQuanta(plan: PlanResult): { decimals: number; unitQuanta: bigint; total: bigint; periods: bigint[] } {
  if (plan.exact) {
    const periods = plan.periods.map((_, j) => amountQuanta(plan, "target", "period", j));
    return {
      decimals: plan.exact.decimals,
      unitQuanta: plan.exact.unitQuanta,
      total: plan.uplift && plan.uplift.length > 0 ? periods.reduce((a, b) => a + b, 0n) : amountQuanta(plan, "target", "node", 0),
      periods,
    };
  }
  const decimals = Math.max(decimalPlaces(plan.unit), decimalPlaces(plan.totals.target), ...plan.periods.map((p) => decimalPlaces(p.amount.target)));
  return {
    decimals,
    unitQuanta: quantaOf(plan.unit, decimals),
    total: quantaOf(plan.totals.target, decimals),
    periods: plan.periods.map((p) => quantaOf(p.amount.target, decimals)),
  };
}

/** The members' Target as a number: the plan's Target, or in an uplifted plan the total of the members' quotas (planTargetQuanta). */
export function membersTarget(plan: PlanResult): number {
  const q = planTargetQuanta(plan);
  return numberOfQuanta(q.total, q.decimals);
}

function tiersOf(x: number): TierValues {
  return { floor: x, target: x, stretch: x };
}

function node(parent: number, member: string, exact: TierValues, children: number[]): PlanNode {
  return {
    path: {},
    depth: parent < 0 ? 0 : 1,
    parent,
    children,
    member,
    level: parent < 0 ? "" : "member",
    basisKind: "History",
    basis: 0,
    share: 1,
    exact,
    amount: { floor: 0, target: 0, stretch: 0 },
  };
}

// ── counts ────────────────────────────────────────────────────────────────────────────

/** ⌈amount × a ÷ b⌉ exactly, for amount ≥ 0 and b > 0. */
export function ceilScaled(amount: Rational, a: Rational, b: Rational): number {
  if (isZero(amount)) return 0;
  return Number(ceil(ratio(mul(amount, a), b)));
}

/**
 * Spreads counts over periods by `weights` (≥ 0): the count to date after period j is
 * ⌈count × weights to date ÷ all weights⌉, exactly; each period gets the step. The running
 * totals are worked out once for every count spread by the same weights.
 */
export class CountSpreader {
  /** Running totals as whole numbers (weights scaled to whole numbers), when they stay safe integers. */
  private readonly whole?: number[];
  /** Otherwise, exact running totals. */
  private readonly exact?: Rational[];

  /**
   * `exactWeights`, when given, are the same weights exactly (e.g. amounts in quanta), and are
   * used instead of reading `weights` as decimals.
   */
  constructor(readonly weights: readonly number[], exactWeights?: readonly bigint[]) {
    if (exactWeights) {
      let running = 0n;
      const sums = exactWeights.map((w) => (running += w));
      if (sums.every((x) => x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= -BigInt(Number.MAX_SAFE_INTEGER))) this.whole = sums.map(Number);
      else this.exact = sums.map((x) => fromInt(x));
      return;
    }
    let places = 0;
    for (const w of weights) if (!Number.isInteger(w)) places = Math.max(places, decimalPlaces(w));
    const scale = 10 ** places;
    const running: number[] = [];
    let sum = 0;
    let safe = places <= 15;
    for (const w of weights) {
      sum += Math.round(w * scale);
      if (!Number.isSafeInteger(sum)) safe = false;
      running.push(sum);
    }
    if (safe) {
      this.whole = running;
    } else {
      const acc = new ExactSum();
      this.exact = weights.map((w) => {
        acc.add(w);
        return acc.value;
      });
    }
  }

  spread(count: number): number[] {
    const n = this.weights.length;
    const out = new Array<number>(n).fill(0);
    if (count === 0 || n === 0) return out;
    const total = this.whole ? this.whole[n - 1] : undefined;
    if (this.whole ? !(total! > 0) : sign(this.exact![n - 1]) <= 0) {
      out[n - 1] = count;
      return out;
    }
    let previous = 0;
    for (let j = 0; j < n; j++) {
      let toDate: number;
      if (j === n - 1) toDate = count;
      else if (this.whole) {
        // ⌈count × to date ÷ total⌉: a double quotient of whole numbers below 2^53 is exact enough for ⌈ ⌉.
        const top = count * this.whole[j];
        toDate = Number.isSafeInteger(top) ? Math.ceil(top / total!) : Number(ceil(ratio(fromInt(BigInt(count) * BigInt(this.whole[j])), fromInt(BigInt(total!)))));
      } else {
        toDate = Number(ceil(ratio(mul(fromNumber(count), this.exact![j]), this.exact![n - 1])));
      }
      out[j] = toDate - previous;
      previous = toDate;
    }
    return out;
  }
}

/** One count spread over periods by `weights` (see CountSpreader). */
export function spreadCount(count: number, weights: readonly number[]): number[] {
  return new CountSpreader(weights).spread(count);
}

/**
 * Channel amounts with their cells, from the plan where Channel is one of its levels (sums of
 * the plan's rounded amounts, exactly, so they add up by construction).
 */
function channelsFromPlan(plan: PlanResult, dimension: string): { channels: string[]; amountQuanta: bigint[]; cellQuanta: bigint[]; decimals: number } {
  const P = plan.periods.length;
  const index = new Map<string, number>();
  const channels: string[] = [];
  for (const n of plan.nodes) {
    const c = n.level === dimension ? n.member : undefined;
    if (c !== undefined && !index.has(c)) {
      index.set(c, channels.length);
      channels.push(c);
    }
  }
  const K = channels.length;
  const cellQuanta = new Array<bigint>(K * P).fill(0n);
  let decimals: number;
  const exact = plan.exact;
  const units = exact?.cellUnits.target;
  if (exact && units) {
    decimals = exact.decimals;
    // Whole Units add up exactly as doubles (a plan holds at most 10^15); the remainder's cell adds its quanta.
    const sums = new Float64Array(K * P);
    const path = exact.tiers.target;
    let pathSlot = -1;
    plan.leaves.forEach((leaf, i) => {
      const k = index.get(plan.nodes[leaf].path[dimension]);
      if (k === undefined) return;
      for (let j = 0; j < P; j++) sums[k * P + j] += units[i * P + j];
      if (path && path.path.cell >= i * P && path.path.cell < (i + 1) * P) pathSlot = k * P + (path.path.cell - i * P);
    });
    for (let x = 0; x < K * P; x++) cellQuanta[x] = BigInt(sums[x]) * exact.unitQuanta;
    if (pathSlot >= 0 && path) cellQuanta[pathSlot] += path.remainder;
  } else {
    decimals = Math.max(decimalPlaces(plan.unit), ...Array.from(plan.cells.target, decimalPlaces));
    plan.leaves.forEach((leaf, i) => {
      const k = index.get(plan.nodes[leaf].path[dimension]);
      if (k === undefined) return;
      for (let j = 0; j < P; j++) cellQuanta[k * P + j] += quantaOf(plan.cells.target[i * P + j], decimals);
    });
  }
  const amountQuanta = channels.map((_, k) => {
    let sum = 0n;
    for (let j = 0; j < P; j++) sum += cellQuanta[k * P + j];
    return sum;
  });
  return { channels, amountQuanta, cellQuanta, decimals };
}

/**
 * The funnel per channel and per period. Throws PlanProblemsError naming a channel's History
 * cell when a channel has no orders, or a stage's rate is missing (no History of that stage, so
 * its rate to the next is missing and the rate into it is zero). Returns undefined when History
 * has no channels.
 */
export function computeFunnel(
  input: PlanInput,
  plan: PlanResult,
  spec: FunnelSpec,
  columns: HistoryColumns,
  sums?: HistorySums,
): FunnelResult | undefined {
  const { dimension, stages } = spec;
  const metric = plan.metric;
  const measures = [...new Set([metric, ...stages])];
  // The drivers pass their one History pass over every dimension they need.
  const history = sums?.by[dimension] ?? sumsByMember(input, dimension, measures);
  const fromPlan = plan.levels.includes(dimension);
  const P = plan.periods.length;

  let channels: string[];
  let amountQ: bigint[];
  let cellQ: bigint[];
  let decimals: number;
  let exact: number[];
  let shares: number[];
  let bases: number[];
  if (fromPlan) {
    ({ channels, amountQuanta: amountQ, cellQuanta: cellQ, decimals } = channelsFromPlan(plan, dimension));
    const amounts = amountQ.map((q) => numberOfQuanta(q, decimals));
    const total = amountQ.reduce((a, b) => a + b, 0n);
    bases = amounts;
    exact = amounts;
    shares = amountQ.map((a) => (total > 0n ? toDouble(a, total) : 0));
  } else {
    channels = history.members;
    if (channels.length === 0) return undefined;
    const exactBases = channels.map((c) => history.sums.get(c)![metric]);
    bases = exactBases.map(toNumber);
    const split = splitQuanta({ ...planTargetQuanta(plan), bases: exactBases });
    ({ exact, shares, decimals } = split);
    amountQ = split.amountQuanta;
    cellQ = split.cellQuanta;
  }
  const amounts = amountQ.map((q) => numberOfQuanta(q, decimals));
  const cells = cellQ.map((q) => numberOfQuanta(q, decimals));
  const quantum = pow10(decimals);
  if (channels.length === 0) return undefined;

  const problems: Problem[] = [];
  const zeroSums: Record<string, Rational> = Object.fromEntries(measures.map((m) => [m, fromNumber(0)]));
  const label = (name: string): string => columns.labels[name] ?? name;
  const result: ChannelFunnel[] = channels.map((channel, k) => {
    const sums = history.sums.get(channel) ?? zeroSums;
    const at = (measure: string): string => cellInRow(history.firstRef.get(channel), columns.letters[measure], columns.table);
    const target = amounts[k];
    const counts: Record<string, number> = {};
    const rates: Record<string, number> = {};
    const historyNumbers: Record<string, number> = {};
    for (const m of measures) historyNumbers[m] = toNumber(sums[m]);

    const orders = sums.Orders;
    const amount = sums[metric];
    let ok = true;
    if (isZero(orders)) {
      problems.push({ ref: at("Orders"), code: "funnelNoOrders", args: { channel, orders: label("Orders") } });
      ok = false;
    } else if (isZero(amount) && target > 0) {
      problems.push({ ref: at(metric), code: "funnelNoAmount", args: { channel, metric: label(metric) } });
      ok = false;
    }
    for (let s = stages.length - 2; s >= 0 && ok; s--) {
      const earlier = stages[s];
      const later = stages[s + 1];
      const args = { channel, from: label(earlier), to: label(later) };
      // Walking back from Orders (which are not zero), the first stage with no History breaks the
      // chain: its rate is missing, and every rate before it would be zero. One problem per channel.
      if (isZero(sums[earlier])) {
        problems.push({ ref: at(earlier), code: "funnelMissingRate", args });
        ok = false;
      }
    }
    if (!ok || problems.length) {
      return { channel, history: historyNumbers, basis: bases[k], share: shares[k], exact: exact[k], target, averageOrderValue: 0, counts, rates, periods: [] };
    }

    counts.Orders = isZero(amount) ? 0 : ceilScaled({ n: amountQ[k], d: quantum }, orders, amount);
    for (let s = stages.length - 2; s >= 0; s--) {
      const earlier = stages[s];
      const later = stages[s + 1];
      rates[earlier] = toNumber(ratio(sums[later], sums[earlier]));
      counts[earlier] = ceilScaled(fromNumber(counts[later]), sums[earlier], sums[later]);
    }
    const row = cells.slice(k * P, k * P + P);
    const spreader = new CountSpreader(row, cellQ.slice(k * P, k * P + P));
    const spread: Record<string, number[]> = {};
    for (const stage of stages) spread[stage] = spreader.spread(counts[stage]);
    const periods = row.map((t, j) => {
      const c: Record<string, number> = {};
      for (const stage of stages) c[stage] = spread[stage][j];
      return { target: t, counts: c };
    });
    return {
      channel,
      history: historyNumbers,
      basis: bases[k],
      share: shares[k],
      exact: exact[k],
      target,
      averageOrderValue: toNumber(ratio(amount, orders)),
      counts,
      rates,
      periods,
    };
  });
  if (problems.length) throw new PlanProblemsError(problems);

  const totals = { target: numberOfQuanta(amountQ.reduce((a, b) => a + b, 0n), decimals), history: {} as Record<string, number>, counts: {} as Record<string, number> };
  for (const m of measures) {
    let sum: Rational = fromNumber(0);
    for (const c of channels) sum = add(sum, (history.sums.get(c) ?? zeroSums)[m]);
    totals.history[m] = toNumber(sum);
  }
  for (const stage of stages) totals.counts[stage] = result.reduce((a, c) => a + c.counts[stage], 0);

  return {
    dimension,
    metric,
    stages: [...stages],
    periods: plan.periods.map((p) => p.label),
    source: fromPlan ? "Plan" : "History",
    channels: result,
    totals,
    columns,
  };
}
