/**
 * Progress at AsOf and ranking (CONTRACT §4.7–4.8): for every node of the plan, what was asked,
 * what was sold, how far through the plan's (working) days we are, and what is still to do.
 */
import { countWorkdays, makeCalendar } from "./calendar";
import { isoDate } from "./dates";
import { PlanProblemsError, type Problem } from "./problems";
import { competitionRanks } from "./ranking";
import { amountQuanta } from "./amounts";
import { add, ExactSum, fromNumber, mul, ONE, pow10, ratio, toDouble, ZERO, type Rational } from "./rational";
import type { DayNum, FactRow, PlanInput, PlanResult } from "./types";

export type Status = "on-track" | "at-risk" | "behind";
export type RankBy = "Completion" | "Actual";
/** Which forecast the status follows: the run rate (actual ÷ time elapsed) or the seasonal one (the plan's own shape). */
export type ForecastBy = "RunRate" | "Seasonal";

export interface ProgressOptions {
  asOf: DayNum;
  /** On-track and at-risk thresholds of pace (default 1.0 and 0.8). */
  pace?: [number, number];
  rankBy?: RankBy;
  /** Count Actuals of members the plan does not have, as "unplanned", instead of reporting them. */
  includeUnplanned?: boolean;
  /** Where AsOf came from, for messages (`Settings!B9`, or `--as-of`). */
  asOfRef?: string;
  /** Which forecast the status follows (default RunRate). */
  forecast?: ForecastBy;
  /** A second, earlier day whose actuals are summed too (the weekly review's last week); before AsOf. */
  previousAsOf?: DayNum;
  /** Where the previous AsOf came from, for messages. */
  previousAsOfRef?: string;
}

export interface NodeProgress {
  /** Index into PlanResult.nodes. */
  node: number;
  target: number;
  actual: number;
  /** What the plan asked for up to and including AsOf ("by today you should be at …"). */
  targetToDate: number;
  completion: number;
  timeElapsed: number;
  pace: number;
  gap: number;
  requiredPerDay: number;
  forecast: number;
  /**
   * The seasonal forecast: actual + (target − target to date) × (actual ÷ target to date), the rest
   * of the plan done at the pace kept so far against the plan's own shape; actual + target before
   * anything was due.
   */
  forecastSeasonal: number;
  /** Actual ÷ target to date (1 while nothing was due yet): the pace against the plan's shape. */
  paceSeasonal: number;
  status: Status;
}

export interface PeriodProgress {
  /** Index into PlanResult.periods. */
  period: number;
  target: number;
  /** The period's target up to AsOf: all of it once it has ended, by working days while it runs. */
  targetToDate: number;
  actual: number;
}

export interface RankEntry {
  /** Index into PlanResult.nodes (a leaf). */
  node: number;
  value: number;
  rank: number;
  rankInParent: number;
}

export interface UnplannedActual {
  path: Record<string, string>;
  actual: number;
  refs: string[];
}

export interface ProgressResult {
  asOf: DayNum;
  /** Working days of the plan up to and including AsOf, and in all. */
  elapsedDays: number;
  totalDays: number;
  remainingDays: number;
  timeElapsed: number;
  rankBy: RankBy;
  pace: [number, number];
  nodes: NodeProgress[];
  periods: PeriodProgress[];
  ranking: RankEntry[];
  unplanned: UnplannedActual[];
  /** Which forecast the status follows. */
  forecastBy: ForecastBy;
  /**
   * The node each Actuals row was counted to (a leaf), in the order given; −1 for a row after
   * AsOf, outside the plan, or of a member the plan does not have.
   */
  rowNodes: Int32Array;
  /** The actuals up to and including the previous AsOf, per node (when it was asked for). */
  previous?: { asOf: DayNum; actual: Float64Array };
}

const SEP = "\u0001";
/** Stands for a level the Actuals row does not give (its table has no such column). */
const NOT_GIVEN = "\u0002";

/** Share of a period's working days that lie on or before AsOf. */
function elapsedShare(start: DayNum, end: DayNum, asOf: DayNum, workdays: (a: DayNum, b: DayNum) => number): number {
  if (asOf >= end) return 1;
  if (asOf < start) return 0;
  const all = workdays(start, end);
  if (all === 0) return (asOf - start + 1) / (end - start + 1);
  return workdays(start, asOf) / all;
}

export function statusOf(pace: number, thresholds: [number, number]): Status {
  return pace >= thresholds[0] ? "on-track" : pace >= thresholds[1] ? "at-risk" : "behind";
}

/** Pace within this (relative) of a threshold is decided exactly: the doubles' error is a few ulps. */
const NEAR_THRESHOLD = 1e-12;

/**
 * The exact pace of a node: (actual ÷ target) ÷ (elapsed ÷ total days), with the same conventions
 * as the doubles (nothing asked counts as met unless returns took it below zero; before the first
 * working day the pace is 1).
 */
function exactPace(actual: Rational, target: Rational, elapsedDays: number, totalDays: number): Rational {
  let completion: Rational;
  if (target.n > 0n) completion = { n: actual.n * target.d, d: actual.d * target.n };
  else completion = { n: actual.n >= 0n ? 1n : 0n, d: 1n };
  if (!(elapsedDays > 0 && totalDays > 0)) return { n: 1n, d: 1n };
  return { n: completion.n * BigInt(totalDays), d: completion.d * BigInt(elapsedDays) };
}

function atLeast(a: Rational, b: Rational): boolean {
  return a.n * b.d >= b.n * a.d;
}

export function computeProgress(input: PlanInput, plan: PlanResult, actuals: readonly FactRow[], options: ProgressOptions): ProgressResult {
  const problems: Problem[] = [];
  const { asOf } = options;
  const thresholds = options.pace ?? [1, 0.8];
  const rankBy = options.rankBy ?? "Completion";
  const asOfRef = options.asOfRef ?? "Settings!A1";
  if (asOf < plan.start || asOf > plan.end) {
    problems.push({ ref: asOfRef, code: "asOfOutsidePlan", args: { asOf: isoDate(asOf), from: isoDate(plan.start), to: isoDate(plan.end) } });
  }
  if (options.previousAsOf !== undefined && options.previousAsOf >= asOf) {
    problems.push({ ref: options.previousAsOfRef ?? asOfRef, code: "previousAsOfNotBefore", args: { previous: isoDate(options.previousAsOf), asOf: isoDate(asOf) } });
  }

  const cal = makeCalendar(input.workdays, input.holidays);
  const workdays = (a: DayNum, b: DayNum): number => countWorkdays(cal, a, b);
  const totalDays = workdays(plan.start, plan.end);
  const elapsedDays = asOf < plan.start ? 0 : workdays(plan.start, Math.min(asOf, plan.end));
  const remainingDays = totalDays - elapsedDays;
  const timeElapsed = totalDays > 0 ? elapsedDays / totalDays : 0;

  // Actuals up to and including AsOf, by leaf.
  const levels = plan.levels;
  const L = levels.length;
  // Each leaf by its members, level by level (no key string per row).
  const byPath = new Map<string, unknown>();
  for (const leaf of plan.leaves) {
    let m = byPath;
    for (let k = 0; k < L - 1; k++) {
      const member = plan.nodes[leaf].path[levels[k]];
      let next = m.get(member) as Map<string, unknown> | undefined;
      if (!next) m.set(member, (next = new Map()));
      m = next;
    }
    m.set(L > 0 ? plan.nodes[leaf].path[levels[L - 1]] : "", leaf);
  }
  const parentOf = Int32Array.from(plan.nodes, (n) => n.parent);
  // A row that names only some levels (a till export of Date | Rep | Amount) is matched by the
  // levels it gives, when they name one member of the plan.
  const partial = new PartialMatcher(plan);
  const actualOf = new Float64Array(plan.nodes.length);
  const previousAsOf = options.previousAsOf ?? -Infinity;
  const previousOf = options.previousAsOf === undefined ? undefined : new Float64Array(plan.nodes.length);
  const rowNodes = new Int32Array(actuals.length).fill(-1);
  // The node each counted row went to (its leaf, or the root for an unplanned member), −1 for the others.
  const countedAt = new Int32Array(actuals.length).fill(-1);
  const firstRow = new Int32Array(plan.nodes.length).fill(-1);
  const periodActual = new Float64Array(plan.periods.length);
  // Period of each day of the plan, for placing Actuals rows.
  const periodOfDay = new Int32Array(plan.end - plan.start + 1).fill(-1);
  plan.periods.forEach((p, j) => {
    for (let d = Math.max(p.start, plan.start); d <= Math.min(p.end, plan.end); d++) periodOfDay[d - plan.start] = j;
  });
  const unplanned = new Map<string, UnplannedActual>();
  // Whole numbers whose absolute values add up to a safe integer add up exactly as doubles;
  // otherwise the sums a decision needs are taken again exactly, from the rows counted here.
  let whole = true;
  let magnitude = 0;
  const metric = plan.metric;
  for (let r = 0; r < actuals.length; r++) {
    const row = actuals[r];
    const day = row.start;
    if (day < plan.start || day > plan.end) {
      problems.push({ ref: row.ref ?? "Actuals!A1", code: "actualOutsidePlan", args: { date: isoDate(day), from: isoDate(plan.start), to: isoDate(plan.end) } });
      continue;
    }
    if (day > asOf) continue;
    const v = row.measures[metric] ?? 0;
    const dims = row.dims;
    let leaf: number | undefined;
    let key: string | undefined;
    let m: unknown = byPath;
    let given = true;
    for (let k = 0; k < L && m !== undefined; k++) {
      const member = dims[levels[k]];
      if (member === undefined) {
        given = false;
        break;
      }
      m = (m as Map<string, unknown>).get(member);
    }
    if (L === 0) m = (byPath as Map<string, unknown>).get("");
    if (given) leaf = m as number | undefined;
    else {
      key = levels.map((l) => dims[l] ?? NOT_GIVEN).join(SEP);
      leaf = partial.leaf(key, dims);
      if (leaf !== undefined && leaf < 0) {
        // The levels it gives fit more than one member.
        partial.report(key, row, dims, problems);
        continue;
      }
    }
    if (leaf === undefined) {
      const path = Object.fromEntries(levels.filter((l) => dims[l] !== undefined).map((l) => [l, dims[l]]));
      if (!options.includeUnplanned) {
        problems.push({ ref: row.ref ?? "Actuals!A1", code: "unplannedMember", args: { member: levels.filter((l) => dims[l] !== undefined).map((l) => dims[l]).join(" / ") } });
        continue;
      }
      key ??= levels.map((l) => dims[l] ?? NOT_GIVEN).join(SEP);
      const u = unplanned.get(key) ?? { path, actual: 0, refs: [] };
      u.actual += v;
      if (row.ref) u.refs.push(row.ref);
      unplanned.set(key, u);
      actualOf[0] += v;
      if (previousOf && day <= previousAsOf) previousOf[0] += v;
      countedAt[r] = 0;
    } else {
      // Add to the leaf and every ancestor.
      for (let n = leaf; n >= 0; n = parentOf[n]) actualOf[n] += v;
      if (previousOf && day <= previousAsOf) for (let n = leaf; n >= 0; n = parentOf[n]) previousOf[n] += v;
      if (firstRow[leaf] < 0) firstRow[leaf] = r;
      countedAt[r] = leaf;
      rowNodes[r] = leaf;
    }
    if (v) {
      magnitude += Math.abs(v);
      if (whole && v !== Math.floor(v)) whole = false;
    }
    const p = periodOfDay[day - plan.start];
    if (p >= 0) periodActual[p] += v;
  }
  let exactSums: Rational[] | undefined;
  const exactActual = (i: number): Rational => {
    if (whole && magnitude <= Number.MAX_SAFE_INTEGER) return { n: BigInt(actualOf[i]), d: 1n };
    if (!exactSums) {
      const acc = plan.nodes.map(() => new ExactSum());
      for (let r = 0; r < actuals.length; r++) {
        const node = countedAt[r];
        if (node < 0) continue;
        const value = actuals[r].measures[metric] ?? 0;
        if (!value) continue;
        if (node === 0) acc[0].add(value);
        else for (let n = node; n >= 0; n = parentOf[n]) acc[n].add(value);
      }
      exactSums = acc.map((a) => a.value);
    }
    return exactSums[i];
  };
  const firstRef = (leaf: number): string | undefined => (firstRow[leaf] >= 0 ? actuals[firstRow[leaf]].ref : undefined);
  // Returns are allowed, but a member cannot have sold less than nothing (the sign of the exact sum).
  for (const leaf of plan.leaves) {
    if (exactActual(leaf).n < 0n) {
      problems.push({
        ref: firstRef(leaf) ?? "Actuals!A1",
        code: "negativeActualTotal",
        args: { member: plan.levels.map((l) => plan.nodes[leaf].path[l]).join(" / "), actual: Math.round(actualOf[leaf] * 100) / 100 },
      });
    }
  }
  partial.settle();
  if (problems.length) throw new PlanProblemsError(problems);

  // The plan to date: each period's cells, all of them once it has ended, by working days while it runs.
  const P = plan.periods.length;
  const shares = elapsedShares(plan, asOf, workdays);
  const toDate = toDateOf(plan, shares);

  const forecastBy: ForecastBy = options.forecast ?? "RunRate";
  const quantum = plan.exact ? pow10(plan.exact.decimals) : 1n;
  const thresholdsExact = thresholds.map(fromNumber);
  const exactShares = plan.periods.map((p) => elapsedShareExact(p.start, p.end, asOf, workdays));
  /** A node's plan to date exactly: its cells' exact amounts × each period's exact elapsed share. */
  const exactToDate = (i: number): Rational => {
    const positions: number[] = [];
    const leafPos = new Map(plan.leaves.map((leaf, k) => [leaf, k]));
    const walk = (n: number): void => {
      const k = leafPos.get(n);
      if (k !== undefined) positions.push(k);
      for (const c of plan.nodes[n].children) walk(c);
    };
    walk(i);
    let sum: Rational = ZERO;
    let leafTargets: Rational = ZERO;
    for (const k of positions) {
      if (plan.nodes[i].depth <= ownDepth) leafTargets = add(leafTargets, exactTarget(plan.leaves[k]));
      for (let j = 0; j < P; j++) {
        const share = exactShares[j];
        if (share.n === 0n) continue;
        const cell: Rational = plan.exact ? { n: amountQuanta(plan, "target", "cell", k * P + j), d: quantum } : fromNumber(plan.cells.target[k * P + j]);
        sum = add(sum, mul(cell, share));
      }
    }
    // Uplift: a node at or above the uplifted level's parents is due its own Target by its members' shape.
    if (plan.nodes[i].depth <= ownDepth) return leafTargets.n === 0n ? ZERO : mul(exactTarget(i), ratio(sum, leafTargets));
    return sum;
  };
  const ownDepth = ownTargetDepth(plan);
  const exactTarget = (i: number): Rational => (plan.exact ? { n: amountQuanta(plan, "target", "node", i), d: quantum } : fromNumber(plan.nodes[i].amount.target));
  const nodes: NodeProgress[] = plan.nodes.map((node, i) => {
    const target = node.amount.target;
    const actual = actualOf[i];
    // Nothing asked counts as met, unless returns took the member below zero.
    const completion = target > 0 ? actual / target : actual >= 0 ? 1 : 0;
    // Before the first working day nothing was due yet: on pace, and the target is the forecast.
    let pace = timeElapsed > 0 ? completion / timeElapsed : 1;
    let status: Status = statusOf(pace, thresholds);
    // A pace this close to a threshold is decided on the exact numbers (and shown as their double).
    if (thresholds.some((t) => Math.abs(pace - t) <= NEAR_THRESHOLD * Math.max(1, Math.abs(t)))) {
      const exact = exactPace(exactActual(i), exactTarget(i), elapsedDays, totalDays);
      pace = toDouble(exact.n, exact.d);
      status = atLeast(exact, thresholdsExact[0]) ? "on-track" : atLeast(exact, thresholdsExact[1]) ? "at-risk" : "behind";
    }
    const gap = target - actual;
    const requiredPerDay = remainingDays > 0 ? Math.max(gap, 0) / remainingDays : Math.max(gap, 0);
    const forecast = timeElapsed > 0 ? actual / timeElapsed : target;
    // The same operations, in the same order, as the Progress sheet's formulas.
    const due = toDate[i];
    const forecastSeasonal = due === 0 ? actual + target : actual + ((target - due) * actual) / due;
    let paceSeasonal = due === 0 ? 1 : actual / due;
    if (forecastBy === "Seasonal") {
      status = statusOf(paceSeasonal, thresholds);
      if (due !== 0 && thresholds.some((t) => Math.abs(paceSeasonal - t) <= NEAR_THRESHOLD * Math.max(1, Math.abs(t)))) {
        const exact = ratio(exactActual(i), exactToDate(i));
        paceSeasonal = toDouble(exact.n, exact.d);
        status = atLeast(exact, thresholdsExact[0]) ? "on-track" : atLeast(exact, thresholdsExact[1]) ? "at-risk" : "behind";
      }
    }
    return { node: i, target, actual, targetToDate: due, completion, timeElapsed, pace, gap, requiredPerDay, forecast, forecastSeasonal, paceSeasonal, status };
  });

  // The periods' Target: the members' (in an uplifted plan, the plan's own Target in the shape of the members' quotas).
  const periodTargets = plan.periods.map((p) => p.amount.target);
  if (ownDepth >= 0) {
    const quotas = periodTargets.reduce((a, b) => a + b, 0);
    const own = plan.nodes[0].amount.target;
    for (let j = 0; j < P; j++) periodTargets[j] = quotas > 0 ? (own * periodTargets[j]) / quotas : 0;
  }
  const periods: PeriodProgress[] = plan.periods.map((_, j) => ({
    period: j,
    target: periodTargets[j],
    targetToDate: periodTargets[j] * shares[j],
    actual: periodActual[j],
  }));

  const value = (n: number): number => (rankBy === "Actual" ? nodes[n].actual : nodes[n].completion);
  const overall = competitionRanks(plan.leaves.map(value));
  const inParent = new Map<number, number>();
  const byParent = new Map<number, number[]>();
  for (const leaf of plan.leaves) {
    const parent = plan.nodes[leaf].parent;
    const list = byParent.get(parent) ?? [];
    list.push(leaf);
    byParent.set(parent, list);
  }
  for (const siblings of byParent.values()) {
    competitionRanks(siblings.map(value)).forEach((r, k) => inParent.set(siblings[k], r));
  }
  // In rank order; members sharing a rank keep the plan's order.
  const ranking: RankEntry[] = plan.leaves
    .map((leaf, i) => ({ entry: { node: leaf, value: value(leaf), rank: overall[i], rankInParent: inParent.get(leaf) as number }, i }))
    .sort((a, b) => a.entry.rank - b.entry.rank || a.i - b.i)
    .map((x) => x.entry);

  return {
    asOf,
    elapsedDays,
    totalDays,
    remainingDays,
    timeElapsed,
    rankBy,
    pace: thresholds,
    nodes,
    periods,
    ranking,
    unplanned: [...unplanned.values()],
    forecastBy,
    rowNodes,
    ...(previousOf ? { previous: { asOf: previousAsOf!, actual: previousOf } } : {}),
  };
}

function elapsedShares(plan: PlanResult, day: DayNum, workdays: (a: DayNum, b: DayNum) => number): number[] {
  return plan.periods.map((p) => elapsedShare(p.start, p.end, day, workdays));
}

function toDateOf(plan: PlanResult, shares: readonly number[]): Float64Array {
  const P = plan.periods.length;
  const toDate = new Float64Array(plan.nodes.length);
  plan.leaves.forEach((leaf, i) => {
    let sum = 0;
    for (let j = 0; j < P; j++) if (shares[j] > 0) sum += plan.cells.target[i * P + j] * shares[j];
    for (let n = leaf; n >= 0; n = plan.nodes[n].parent) toDate[n] += sum;
  });
  const own = ownTargetDepth(plan);
  if (own >= 0) {
    // Uplift: a node at or above an uplifted level's parents is due its own Target, by its members' shape.
    const leafTargets = new Float64Array(plan.nodes.length);
    for (const leaf of plan.leaves) for (let n = leaf; n >= 0; n = plan.nodes[n].parent) leafTargets[n] += plan.nodes[leaf].amount.target;
    plan.nodes.forEach((node, n) => {
      if (node.depth > own) return;
      toDate[n] = leafTargets[n] > 0 ? (node.amount.target * toDate[n]) / leafTargets[n] : 0;
    });
  }
  return toDate;
}

/**
 * In an uplifted plan (Uplift / 超额分配) the members of an uplifted level add up to more than
 * their parent: the nodes down to the deepest uplifted level's parents (this depth) are measured
 * against their own Target, spread as their members' quotas are. −1 without an uplift.
 */
export function ownTargetDepth(plan: Pick<PlanResult, "uplift">): number {
  let depth = -1;
  for (const u of plan.uplift ?? []) depth = Math.max(depth, u.index);
  return depth;
}

/**
 * The plan's Target to date at `day`, per node ("by then you should be at …"): each period's
 * rounded cells, all of a period once it has ended, by its working days while it runs. The same
 * sums as NodeProgress.targetToDate at that AsOf.
 */
export function planToDate(input: Pick<PlanInput, "workdays" | "holidays">, plan: PlanResult, day: DayNum): Float64Array {
  const cal = makeCalendar(input.workdays, input.holidays);
  return toDateOf(plan, elapsedShares(plan, day, (a, b) => countWorkdays(cal, a, b)));
}

/**
 * Each period's elapsed share at `day`, exactly: 1 for a period that has ended, 0 for one to come,
 * working days elapsed ÷ all its working days (calendar days when it has none) for the one running.
 */
export function elapsedSharesExact(input: Pick<PlanInput, "workdays" | "holidays">, plan: PlanResult, day: DayNum): Rational[] {
  const cal = makeCalendar(input.workdays, input.holidays);
  return plan.periods.map((p) => elapsedShareExact(p.start, p.end, day, (a, b) => countWorkdays(cal, a, b)));
}

/** elapsedShare, exactly. */
function elapsedShareExact(start: DayNum, end: DayNum, asOf: DayNum, workdays: (a: DayNum, b: DayNum) => number): Rational {
  if (asOf >= end) return ONE;
  if (asOf < start) return ZERO;
  const all = workdays(start, end);
  if (all === 0) return { n: BigInt(asOf - start + 1), d: BigInt(end - start + 1) };
  return { n: BigInt(workdays(start, asOf)), d: BigInt(all) };
}

/**
 * Matches Actuals rows that give only some of the plan's levels (no Region column, say) to the
 * one member their names fit; a name that fits several is a problem naming the row and the
 * members it could be. Each distinct set of names is resolved once.
 */
class PartialMatcher {
  private readonly cache = new Map<string, number>();
  private readonly candidates = new Map<string, number[]>();
  private readonly reported = new Map<string, Problem>();

  constructor(private readonly plan: PlanResult) {}

  /** The leaf, undefined when no member fits, −1 when several do. */
  leaf(key: string, dims: Record<string, string>): number | undefined {
    const known = this.cache.get(key);
    if (known !== undefined) return known === -2 ? undefined : known;
    const { plan } = this;
    const fits = plan.leaves.filter((leaf) => plan.levels.every((l) => dims[l] === undefined || plan.nodes[leaf].path[l] === dims[l]));
    const leaf = fits.length === 1 ? fits[0] : fits.length === 0 ? -2 : -1;
    this.cache.set(key, leaf);
    if (leaf === -1) this.candidates.set(key, fits);
    return leaf === -2 ? undefined : leaf;
  }

  /** One problem per ambiguous set of names, at its first row, counting the rows after it. */
  report(key: string, row: FactRow, dims: Record<string, string>, problems: Problem[]): void {
    const seen = this.reported.get(key);
    if (seen) {
      seen.args!.more = (seen.args!.more as number) + 1;
      return;
    }
    const { plan } = this;
    const name = (leaf: number): string => plan.levels.map((l) => plan.nodes[leaf].path[l]).join(" / ");
    const problem: Problem = {
      ref: row.ref ?? "Actuals!A1",
      code: "ambiguousMember",
      args: { member: plan.levels.filter((l) => dims[l] !== undefined).map((l) => dims[l]).join(" / "), candidates: (this.candidates.get(key) ?? []).map(name).join("; "), more: 0 },
    };
    this.reported.set(key, problem);
    problems.push(problem);
  }

  /** Problems about one row only say so; the others count the rows after the first. */
  settle(): void {
    for (const p of this.reported.values()) {
      if (p.args!.more === 0) delete p.args!.more;
      else p.code = "ambiguousMemberRows";
    }
  }
}
