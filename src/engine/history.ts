/**
 * One pass over History for a plan: every fact inside the history window (HistoryYears), by the
 * members it names along the levels and by its calendar month. The organisation tree (tree.ts)
 * and the period shares (calendar.ts) both read their sums from it, so History is walked once
 * (twice when its numbers need exact sums: decimals, or sums past 2^53).
 *
 * A History of many rows names few distinct paths, and in a repeating order (month by month, rep
 * by rep). Each row's path is found by trying the path of the row before and the path that came
 * after that one last time, comparing member names; only when neither is the row's path is it
 * looked up by its deepest member. A guess is always checked, so the paths found do not depend
 * on the order of the rows, only the time taken.
 */
import { dayFromYmd, daysInMonth, ymdOf } from "./dates";
import { ExactSum, type Rational } from "./rational";
import type { FactRow, PlanInput } from "./types";

/** The metric per calendar month (0 = January) over the window's facts, named members or not. */
export interface MonthTotals {
  /** Sums as doubles, in History's order. */
  approx: Float64Array;
  /** 1 where some fact falls in the month (with or without an amount). */
  seen: Uint8Array;
  /** The same sums exactly (decimals as written). */
  exact: Rational[];
}

export interface HistoryScan {
  /**
   * The member paths the facts name, from the first level down as far as a fact names a member,
   * in order of first appearance. A path of every level is complete; a shorter one is a fact
   * whose next level is blank.
   */
  paths: string[][];
  /** Per complete path: the metric over its facts, as doubles in History's order, and exactly. Zero for a shorter path. */
  sums: Float64Array;
  exact: Rational[];
  /** The metric over every fact with a complete path, in History's order. */
  total: number;
  months: MonthTotals;
}

const NONE = -1;

/** The first day of the history window (HistoryYears before the plan's start), or undefined for all of History. */
export function windowStart(input: Pick<PlanInput, "start" | "historyYears">): number | undefined {
  if (input.historyYears === undefined) return undefined;
  const { y, m, d } = ymdOf(input.start);
  return dayFromYmd(y - input.historyYears, m, Math.min(d, daysInMonth(y - input.historyYears, m)));
}

/** Finds a fact's path among those seen so far, guessing from the fact before. */
class PathIndex {
  readonly paths: string[][] = [];
  /** First path with a given deepest member; further ones are chained in `sameDeepest`. */
  private readonly byDeepest = new Map<string, number>();
  private sameDeepest: number[] = [];
  /** The path found after each path the last time it was not the same one. */
  private successor: number[] = [];
  private last = NONE;

  constructor(private readonly levels: readonly string[]) {}

  /** The index of the path of `members[0..depth)`, adding it when new. */
  find(members: string[], depth: number): number {
    const last = this.last;
    if (last !== NONE) {
      if (this.matches(last, members, depth)) return last;
      const next = this.successor[last];
      if (next !== NONE && this.matches(next, members, depth)) {
        this.last = next;
        return next;
      }
    }
    const deepest = members[depth - 1];
    let id = this.byDeepest.get(deepest) ?? NONE;
    while (id !== NONE && !this.matches(id, members, depth)) id = this.sameDeepest[id];
    if (id === NONE) {
      id = this.paths.length;
      this.paths.push(members.slice(0, depth));
      this.successor.push(NONE);
      this.sameDeepest.push(this.byDeepest.get(deepest) ?? NONE);
      this.byDeepest.set(deepest, id);
    }
    if (last !== NONE) this.successor[last] = id;
    this.last = id;
    return id;
  }

  private matches(id: number, members: string[], depth: number): boolean {
    const path = this.paths[id];
    if (path.length !== depth) return false;
    for (let l = depth - 1; l >= 0; l--) if (path[l] !== members[l]) return false;
    return true;
  }

  /** The members a fact names from the first level down, into `members`; returns how many. */
  membersOf(row: FactRow, members: string[]): number {
    const levels = this.levels;
    const dims = row.dims;
    let d = 0;
    for (; d < levels.length; d++) {
      const m = dims[levels[d]];
      if (m === undefined || m === "") break;
      members[d] = m;
    }
    return d;
  }
}

/** Whole numbers whose absolute values add up to a safe integer add up exactly as doubles. */
class Exactness {
  whole = true;
  magnitude = 0;
  add(v: number): void {
    this.magnitude += Math.abs(v);
    if (this.whole && v !== Math.floor(v)) this.whole = false;
  }
  get exactAsDoubles(): boolean {
    return this.whole && this.magnitude <= Number.MAX_SAFE_INTEGER;
  }
}

export function scanHistory(input: PlanInput): HistoryScan {
  const { levels, metric, history } = input;
  const depth = levels.length;
  const from = windowStart(input);
  const planStart = input.start;
  const index = new PathIndex(levels);
  const members = new Array<string>(depth);
  let sums = new Float64Array(64);
  let total = 0;
  const tree = new Exactness();
  const approx = new Float64Array(12);
  const seen = new Uint8Array(12);
  const calendar = new Exactness();
  let lastStart = NaN;
  let slot = 0;

  for (let r = 0; r < history.length; r++) {
    const row = history[r];
    const start = row.start;
    if (from !== undefined && !(start >= from && start < planStart)) continue;
    if (start !== lastStart) {
      lastStart = start;
      slot = ymdOf(start).m - 1;
    }
    const v = row.measures[metric];
    seen[slot] = 1;
    if (v) {
      approx[slot] += v;
      calendar.add(v);
    }
    const d = index.membersOf(row, members);
    if (d === 0) continue;
    const id = index.find(members, d);
    if (id >= sums.length) {
      const grown = new Float64Array(sums.length * 2);
      grown.set(sums);
      sums = grown;
    }
    if (d === depth && v) {
      sums[id] += v;
      total += v;
      tree.add(v);
    }
  }

  const paths = index.paths;
  sums = sums.slice(0, paths.length);
  const exact = new Array<Rational>(paths.length);
  const monthExact = new Array<Rational>(12);
  const treeExact = tree.exactAsDoubles;
  const calendarExact = calendar.exactAsDoubles;
  if (treeExact) for (let id = 0; id < paths.length; id++) exact[id] = { n: BigInt(sums[id]), d: 1n };
  if (calendarExact) for (let m = 0; m < 12; m++) monthExact[m] = { n: BigInt(approx[m]), d: 1n };
  if (!treeExact || !calendarExact) {
    // A second pass, summing exactly what doubles cannot.
    const pathSums = treeExact ? [] : paths.map(() => new ExactSum());
    const monthSums = calendarExact ? [] : Array.from({ length: 12 }, () => new ExactSum());
    for (let r = 0; r < history.length; r++) {
      const row = history[r];
      const start = row.start;
      if (from !== undefined && !(start >= from && start < planStart)) continue;
      const v = row.measures[metric];
      if (!v) continue;
      if (!calendarExact) monthSums[ymdOf(start).m - 1].add(v);
      if (treeExact) continue;
      const d = index.membersOf(row, members);
      if (d === depth) pathSums[index.find(members, d)].add(v);
    }
    if (!treeExact) for (let id = 0; id < paths.length; id++) exact[id] = pathSums[id].value;
    if (!calendarExact) for (let m = 0; m < 12; m++) monthExact[m] = monthSums[m].value;
  }
  return { paths, sums, exact, total, months: { approx, seen, exact: monthExact } };
}
