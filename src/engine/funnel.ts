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
import { inWindow } from "./calendar";
import { PlanProblemsError, type Problem } from "./problems";
import { add, ceil, decimalPlaces, ExactSum, fromInt, fromNumber, isZero, mul, ratio, sign, toNumber, type Rational } from "./rational";
import { roundPlan, tidy } from "./rounding";
import type { FactRow, PlanInput, PlanNode, PlanResult, TierValues } from "./types";

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
/** Canonical measure names read as named properties in the History pass (see historySums). */
const NAMED_MEASURES = ["Amount", "Orders", "Visits", "Invitations", "Leads"];

export interface MemberSums {
  /** Members in order of first appearance. */
  members: string[];
  /** Exact sums per member, per measure. */
  sums: Map<string, Record<string, Rational>>;
  /** The first History row of each member (for naming its cells). */
  firstRow: Map<string, FactRow>;
}

export interface HistorySums {
  /** Per dimension asked for. */
  by: Record<string, MemberSums>;
  /** Over every row of the window, whatever its members. */
  all: Record<string, Rational>;
}

/**
 * Exact History sums of `measures` over the plan's history window: per member of each of
 * `dimensions`, and over all rows — in one pass. Whole numbers (the usual History cell) are
 * added as doubles while they stay safe integers; anything else goes to an exact decimal sum.
 */
export function historySums(input: PlanInput, dimensions: readonly string[], measures: readonly string[]): HistorySums {
  const window = input.historyYears === undefined ? undefined : inWindow(input);
  const M = measures.length;
  const D = dimensions.length;
  // Slots 0..M−1: the rows with no member of the first dimension (all rows when there is none);
  // then M slots per member, members numbered across dimensions. "All rows" is slot 0 plus the
  // first dimension's members, so a row adds to one slot per dimension, not one more.
  const big: (ExactSum | undefined)[] = [];
  const index: Map<string, number>[] = dimensions.map(() => new Map());
  const order: string[][] = dimensions.map(() => []);
  const firstRow: Map<string, FactRow>[] = dimensions.map(() => new Map());
  const named = measures.map((m) => NAMED_MEASURES.indexOf(m));
  // Slot bases of the current row: its member of each dimension (slot 0 for none of the first).
  const at = new Int32Array(D + 1);
  // No closures in the loop: a closure made per call loses its optimised code to the next full
  // collection, and this loop runs over every History row.
  const state: SlotState = { small: new Float64Array(M * 16), slots: M, M };
  const first = dimensions[0];
  for (const row of input.history) {
    if (window && !window(row)) continue;
    const values = row.measures;
    if (D <= 1) {
      // The usual case, one dimension (the channel): one slot per value.
      const member = D === 1 ? row.dims[first] : undefined;
      const base = member === undefined || member === "" ? 0 : slotOf(state, index[0], order[0], firstRow[0], member, row);
      const acc = state.small;
      for (let k = 0; k < M; k++) {
        const v = readMeasure(values, named[k], measures[k]);
        if (!v) continue;
        // Whole numbers add up exactly as doubles while the sum is a safe integer.
        const sum = acc[base + k] + v;
        if (v === Math.floor(v) && sum <= MAX_SAFE && sum >= -MAX_SAFE) acc[base + k] = sum;
        else (big[base + k] ??= new ExactSum()).add(v);
      }
      continue;
    }
    let n = 0;
    for (let d = 0; d < D; d++) {
      const member = row.dims[dimensions[d]];
      if (member === undefined || member === "") {
        if (d === 0) at[n++] = 0;
        continue;
      }
      at[n++] = slotOf(state, index[d], order[d], firstRow[d], member, row);
    }
    const acc = state.small;
    for (let k = 0; k < M; k++) {
      const v = readMeasure(values, named[k], measures[k]);
      if (!v) continue;
      const whole = v === Math.floor(v);
      for (let i = 0; i < n; i++) {
        const slot = at[i] + k;
        const sum = acc[slot] + v;
        if (whole && sum <= MAX_SAFE && sum >= -MAX_SAFE) acc[slot] = sum;
        else (big[slot] ??= new ExactSum()).add(v);
      }
    }
  }
  const small = state.small;
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
    for (const member of order[d]) sums.set(member, record(index[d].get(member)!));
    by[dim] = { members: order[d], sums, firstRow: firstRow[d] };
  });
  const all = record(0);
  if (D > 0) {
    for (const m of measures) for (const member of order[0]) all[m] = add(all[m], by[dimensions[0]].sums.get(member)![m]);
  }
  return { by, all };
}

interface SlotState {
  /** Whole-number sums, M per member. */
  small: Float64Array;
  /** Slots in use. */
  slots: number;
  M: number;
}

/** The first slot of `member` (made on first sight, with room for its M measures). */
function slotOf(
  state: SlotState,
  index: Map<string, number>,
  order: string[],
  firstRow: Map<string, FactRow>,
  member: string,
  row: FactRow,
): number {
  let base = index.get(member);
  if (base === undefined) {
    base = state.slots;
    state.slots += state.M;
    if (state.slots > state.small.length) {
      const grown = new Float64Array(state.small.length * 2 + state.M);
      grown.set(state.small);
      state.small = grown;
    }
    index.set(member, base);
    order.push(member);
    firstRow.set(member, row);
  }
  return base;
}

/**
 * One measure of a History row. The contract's measure names are read as named properties: every
 * History row has one hidden class, so these loads stay monomorphic (a keyed load over five names
 * does not).
 */
function readMeasure(values: Record<string, number>, named: number, name: string): number | undefined {
  switch (named) {
    case 0: return values.Amount;
    case 1: return values.Orders;
    case 2: return values.Visits;
    case 3: return values.Invitations;
    case 4: return values.Leads;
    default: return values[name];
  }
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
}

const SNAP = 1e-9;

function isMultiple(x: number, unit: number): boolean {
  const q = x / unit;
  return Math.abs(q - Math.round(q)) <= SNAP * Math.max(1, Math.abs(q));
}

/**
 * Splits `total` over members by `bases` (equally when they are all zero) and over periods so
 * that the columns come out as the given `periodAmounts` (which add up to `total`), by the same
 * controlled rounding as the plan. A total that is not a multiple of Unit leaves its remainder
 * where the plan left it (the period whose amount is not a multiple) and on the largest member.
 */
export function splitAmount(total: number, unit: number, bases: readonly number[], periodAmounts: readonly number[]): Split {
  const K = bases.length;
  const P = periodAmounts.length;
  const baseSum = bases.reduce((a, b) => a + b, 0);
  const shares = baseSum > 0 ? bases.map((b) => b / baseSum) : bases.map(() => 1 / K);

  let remainder = 0;
  let remainderPeriod = -1;
  const columns = [...periodAmounts];
  if (!isMultiple(total, unit)) {
    remainder = tidy(total - Math.floor(total / unit + SNAP) * unit);
    remainderPeriod = columns.findIndex((a) => !isMultiple(a, unit));
    if (remainderPeriod < 0) remainderPeriod = columns.indexOf(Math.max(...columns));
    columns[remainderPeriod] = tidy(columns[remainderPeriod] - remainder);
  }
  const whole = tidy(total - remainder);
  const exact = shares.map((s) => total * s);
  const wholeTiers: TierValues = { floor: whole, target: whole, stretch: whole };
  const periodShares = whole > 0 ? columns.map((a) => a / whole) : columns.map(() => 1 / P);

  const nodes: PlanNode[] = [node(-1, "", wholeTiers, bases.map((_, k) => k + 1))];
  shares.forEach((s, k) => nodes.push(node(0, String(k), tiersOf(whole * s), [])));
  const leaves = shares.map((_, k) => k + 1);
  const rounded = roundPlan({ nodes, leaves, shares: periodShares, unit, totals: wholeTiers, tiers: ["target"] });

  const amounts = leaves.map((v) => rounded.nodeAmounts.target[v]);
  const cells = Float64Array.from(rounded.cells.target);
  if (remainder) {
    let best = 0;
    for (let k = 1; k < K; k++) if (exact[k] > exact[best]) best = k;
    amounts[best] = tidy(amounts[best] + remainder);
    cells[best * P + remainderPeriod] = tidy(cells[best * P + remainderPeriod] + remainder);
  }
  return { exact, shares, amounts, cells };
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

  constructor(readonly weights: readonly number[]) {
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
 * the plan's rounded amounts, so they add up by construction).
 */
function channelsFromPlan(plan: PlanResult, dimension: string): { channels: string[]; amounts: number[]; cells: Float64Array } {
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
  const cells = new Float64Array(channels.length * P);
  const amounts = new Array<number>(channels.length).fill(0);
  plan.leaves.forEach((leaf, i) => {
    const k = index.get(plan.nodes[leaf].path[dimension]);
    if (k === undefined) return;
    for (let j = 0; j < P; j++) cells[k * P + j] += plan.cells.target[i * P + j];
  });
  for (let k = 0; k < channels.length; k++) {
    let sum = 0;
    for (let j = 0; j < P; j++) {
      cells[k * P + j] = tidy(cells[k * P + j]);
      sum += cells[k * P + j];
    }
    amounts[k] = tidy(sum);
  }
  return { channels, amounts, cells };
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
  let amounts: number[];
  let cells: Float64Array;
  let exact: number[];
  let shares: number[];
  let bases: number[];
  if (fromPlan) {
    ({ channels, amounts, cells } = channelsFromPlan(plan, dimension));
    const total = plan.totals.target;
    bases = amounts;
    exact = amounts;
    shares = amounts.map((a) => (total > 0 ? a / total : 0));
  } else {
    channels = history.members;
    if (channels.length === 0) return undefined;
    bases = channels.map((c) => toNumber(history.sums.get(c)![metric]));
    const split = splitAmount(plan.totals.target, plan.unit, bases, plan.periods.map((p) => p.amount.target));
    ({ amounts, cells, exact, shares } = split);
  }
  if (channels.length === 0) return undefined;

  const problems: Problem[] = [];
  const zeroSums: Record<string, Rational> = Object.fromEntries(measures.map((m) => [m, fromNumber(0)]));
  const label = (name: string): string => columns.labels[name] ?? name;
  const result: ChannelFunnel[] = channels.map((channel, k) => {
    const sums = history.sums.get(channel) ?? zeroSums;
    const at = (measure: string): string => cellInRow(history.firstRow.get(channel)?.ref, columns.letters[measure], columns.table);
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

    counts.Orders = isZero(amount) ? 0 : ceilScaled(fromNumber(target), orders, amount);
    for (let s = stages.length - 2; s >= 0; s--) {
      const earlier = stages[s];
      const later = stages[s + 1];
      rates[earlier] = toNumber(ratio(sums[later], sums[earlier]));
      counts[earlier] = ceilScaled(fromNumber(counts[later]), sums[earlier], sums[later]);
    }
    const row = Array.from(cells.subarray(k * P, k * P + P));
    const spreader = new CountSpreader(row);
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

  const totals = { target: 0, history: {} as Record<string, number>, counts: {} as Record<string, number> };
  for (const c of result) totals.target += c.target;
  totals.target = tidy(totals.target);
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
