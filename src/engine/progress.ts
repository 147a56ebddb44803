/**
 * Progress at AsOf and ranking (CONTRACT §4.7–4.8): for every node of the plan, what was asked,
 * what was sold, how far through the plan's (working) days we are, and what is still to do.
 */
import { countWorkdays, makeCalendar } from "./calendar";
import { isoDate } from "./dates";
import { PlanProblemsError, type Problem } from "./problems";
import { competitionRanks } from "./ranking";
import { amountQuanta } from "./amounts";
import { ExactSum, fromNumber, pow10, toDouble, type Rational } from "./rational";
import type { DayNum, FactRow, PlanInput, PlanResult } from "./types";

export type Status = "on-track" | "at-risk" | "behind";
export type RankBy = "Completion" | "Actual";

export interface ProgressOptions {
  asOf: DayNum;
  /** On-track and at-risk thresholds of pace (default 1.0 and 0.8). */
  pace?: [number, number];
  rankBy?: RankBy;
  /** Count Actuals of members the plan does not have, as "unplanned", instead of reporting them. */
  includeUnplanned?: boolean;
  /** Where AsOf came from, for messages (`Settings!B9`, or `--as-of`). */
  asOfRef?: string;
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
}

const SEP = "\u0001";

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

  const cal = makeCalendar(input.workdays, input.holidays);
  const workdays = (a: DayNum, b: DayNum): number => countWorkdays(cal, a, b);
  const totalDays = workdays(plan.start, plan.end);
  const elapsedDays = asOf < plan.start ? 0 : workdays(plan.start, Math.min(asOf, plan.end));
  const remainingDays = totalDays - elapsedDays;
  const timeElapsed = totalDays > 0 ? elapsedDays / totalDays : 0;

  // Actuals up to and including AsOf, by leaf.
  const leafOf = new Map<string, number>();
  for (const leaf of plan.leaves) leafOf.set(plan.levels.map((l) => plan.nodes[leaf].path[l]).join(SEP), leaf);
  const actualOf = new Float64Array(plan.nodes.length);
  const firstRef = new Map<number, string>();
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
  const counted: { node: number; value: number }[] = [];
  for (const row of actuals) {
    if (row.start < plan.start || row.start > plan.end) {
      problems.push({ ref: row.ref ?? "Actuals!A1", code: "actualOutsidePlan", args: { date: isoDate(row.start), from: isoDate(plan.start), to: isoDate(plan.end) } });
      continue;
    }
    if (row.start > asOf) continue;
    const v = row.measures[plan.metric] ?? 0;
    const key = plan.levels.map((l) => row.dims[l] ?? "").join(SEP);
    const leaf = leafOf.get(key);
    if (leaf === undefined) {
      const path = Object.fromEntries(plan.levels.map((l) => [l, row.dims[l] ?? ""]));
      if (!options.includeUnplanned) {
        problems.push({ ref: row.ref ?? "Actuals!A1", code: "unplannedMember", args: { member: plan.levels.map((l) => row.dims[l] ?? "").join(" / ") } });
        continue;
      }
      const u = unplanned.get(key) ?? { path, actual: 0, refs: [] };
      u.actual += v;
      if (row.ref) u.refs.push(row.ref);
      unplanned.set(key, u);
      actualOf[0] += v;
      counted.push({ node: 0, value: v });
    } else {
      // Add to the leaf and every ancestor.
      for (let n = leaf; n >= 0; n = plan.nodes[n].parent) actualOf[n] += v;
      if (row.ref && !firstRef.has(leaf)) firstRef.set(leaf, row.ref);
      counted.push({ node: leaf, value: v });
    }
    if (v) {
      magnitude += Math.abs(v);
      if (whole && v !== Math.floor(v)) whole = false;
    }
    const p = periodOfDay[row.start - plan.start];
    if (p >= 0) periodActual[p] += v;
  }
  let exactSums: Rational[] | undefined;
  const exactActual = (i: number): Rational => {
    if (whole && magnitude <= Number.MAX_SAFE_INTEGER) return { n: BigInt(actualOf[i]), d: 1n };
    if (!exactSums) {
      const acc = plan.nodes.map(() => new ExactSum());
      for (const { node, value } of counted) {
        if (!value) continue;
        if (node === 0) acc[0].add(value);
        else for (let n = node; n >= 0; n = plan.nodes[n].parent) acc[n].add(value);
      }
      exactSums = acc.map((a) => a.value);
    }
    return exactSums[i];
  };
  // Returns are allowed, but a member cannot have sold less than nothing (the sign of the exact sum).
  for (const leaf of plan.leaves) {
    if (exactActual(leaf).n < 0n) {
      problems.push({
        ref: firstRef.get(leaf) ?? "Actuals!A1",
        code: "negativeActualTotal",
        args: { member: plan.levels.map((l) => plan.nodes[leaf].path[l]).join(" / "), actual: Math.round(actualOf[leaf] * 100) / 100 },
      });
    }
  }
  if (problems.length) throw new PlanProblemsError(problems);

  // The plan to date: each period's cells, all of them once it has ended, by working days while it runs.
  const P = plan.periods.length;
  const shares = plan.periods.map((p) => elapsedShare(p.start, p.end, asOf, workdays));
  const toDate = new Float64Array(plan.nodes.length);
  plan.leaves.forEach((leaf, i) => {
    let sum = 0;
    for (let j = 0; j < P; j++) if (shares[j] > 0) sum += plan.cells.target[i * P + j] * shares[j];
    for (let n = leaf; n >= 0; n = plan.nodes[n].parent) toDate[n] += sum;
  });

  const thresholdsExact = thresholds.map(fromNumber);
  const quantum = plan.exact ? pow10(plan.exact.decimals) : 1n;
  const exactTarget = (i: number): Rational => (plan.exact ? { n: amountQuanta(plan, "target", "node", i), d: quantum } : fromNumber(plan.nodes[i].amount.target));
  const nodes: NodeProgress[] = plan.nodes.map((node, i) => {
    const target = node.amount.target;
    const actual = actualOf[i];
    // Nothing asked counts as met, unless returns took the member below zero.
    const completion = target > 0 ? actual / target : actual >= 0 ? 1 : 0;
    // Before the first working day nothing was due yet: on pace, and the target is the forecast.
    let pace = timeElapsed > 0 ? completion / timeElapsed : 1;
    let status = statusOf(pace, thresholds);
    // A pace this close to a threshold is decided on the exact numbers (and shown as their double).
    if (thresholds.some((t) => Math.abs(pace - t) <= NEAR_THRESHOLD * Math.max(1, Math.abs(t)))) {
      const exact = exactPace(exactActual(i), exactTarget(i), elapsedDays, totalDays);
      pace = toDouble(exact.n, exact.d);
      status = atLeast(exact, thresholdsExact[0]) ? "on-track" : atLeast(exact, thresholdsExact[1]) ? "at-risk" : "behind";
    }
    const gap = target - actual;
    const requiredPerDay = remainingDays > 0 ? Math.max(gap, 0) / remainingDays : Math.max(gap, 0);
    const forecast = timeElapsed > 0 ? actual / timeElapsed : target;
    return { node: i, target, actual, targetToDate: toDate[i], completion, timeElapsed, pace, gap, requiredPerDay, forecast, status };
  });

  const periods: PeriodProgress[] = plan.periods.map((p, j) => ({
    period: j,
    target: p.amount.target,
    targetToDate: p.amount.target * shares[j],
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
  };
}
