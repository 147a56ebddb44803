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
  /** True when every sum of complete paths' facts is exact as a double (whole numbers whose absolute values add up below 2^53). */
  exactAsDoubles: boolean;
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
  /** A fact's members from the first level down, and how many it names. */
  readonly members: string[];
  depth = 0;
  private readonly levels: readonly string[];
  // The first three level names on their own, so that each lookup of a fact's member sees one name.
  private readonly l0: string;
  private readonly l1: string;
  private readonly l2: string;

  constructor(levels: readonly string[]) {
    this.levels = levels;
    this.members = new Array<string>(levels.length).fill("");
    this.l0 = levels[0] ?? "";
    this.l1 = levels[1] ?? "";
    this.l2 = levels[2] ?? "";
  }

  /** Reads the members a fact names from the first level down into `members` and `depth`. */
  read(row: FactRow): number {
    const dims = row.dims;
    const levels = this.levels;
    const members = this.members;
    const n = levels.length;
    let d = 0;
    let m = dims[this.l0];
    if (m !== undefined && m !== "") {
      members[d++] = m;
      if (n > 1) {
        m = dims[this.l1];
        if (m !== undefined && m !== "") {
          members[d++] = m;
          if (n > 2) {
            m = dims[this.l2];
            if (m !== undefined && m !== "") {
              members[d++] = m;
              for (; d < n; d++) {
                m = dims[levels[d]];
                if (m === undefined || m === "") break;
                members[d] = m;
              }
            }
          }
        }
      }
    }
    this.depth = d;
    return d;
  }

  /** The index of the path just read, adding it when new. */
  find(): number {
    const last = this.last;
    if (last !== NONE) {
      if (this.matches(last)) return last;
      const next = this.successor[last];
      if (next !== NONE && this.matches(next)) {
        this.last = next;
        return next;
      }
    }
    const depth = this.depth;
    const deepest = this.members[depth - 1];
    let id = this.byDeepest.get(deepest) ?? NONE;
    while (id !== NONE && !this.matches(id)) id = this.sameDeepest[id];
    if (id === NONE) {
      id = this.paths.length;
      this.paths.push(this.members.slice(0, depth));
      this.successor.push(NONE);
      this.sameDeepest.push(this.byDeepest.get(deepest) ?? NONE);
      this.byDeepest.set(deepest, id);
    }
    if (last !== NONE) this.successor[last] = id;
    this.last = id;
    return id;
  }

  private matches(id: number): boolean {
    const path = this.paths[id];
    const depth = this.depth;
    if (path.length !== depth) return false;
    const members = this.members;
    for (let l = depth - 1; l >= 0; l--) if (path[l] !== members[l]) return false;
    return true;
  }
}

/**
 * The sums of the first pass, one fact at a time. Whole numbers whose absolute values add up to a
 * safe integer add up exactly as doubles; `whole` and `magnitude` say whether they did.
 */
class FirstPass {
  readonly index: PathIndex;
  sums = new Float64Array(64);
  /** [total over complete paths, its magnitude, the months' magnitude]. */
  readonly scalars = new Float64Array(3);
  treeWhole = true;
  monthsWhole = true;
  readonly approx = new Float64Array(12);
  readonly seen = new Uint8Array(12);
  private lastStart = NaN;
  private slot = 0;

  constructor(
    levels: readonly string[],
    private readonly metric: string,
  ) {
    this.index = new PathIndex(levels);
  }

  add(row: FactRow): void {
    const start = row.start;
    if (start !== this.lastStart) {
      this.lastStart = start;
      this.slot = ymdOf(start).m - 1;
    }
    const slot = this.slot;
    const v = row.measures[this.metric];
    this.seen[slot] = 1;
    if (v) {
      this.approx[slot] += v;
      this.scalars[2] += Math.abs(v);
      if (this.monthsWhole && v !== Math.floor(v)) this.monthsWhole = false;
    }
    const index = this.index;
    const d = index.read(row);
    if (d === 0) return;
    const id = index.find();
    if (id >= this.sums.length) this.grow();
    if (d === index.members.length && v) {
      this.sums[id] += v;
      this.scalars[0] += v;
      this.scalars[1] += Math.abs(v);
      if (this.treeWhole && v !== Math.floor(v)) this.treeWhole = false;
    }
  }

  private grow(): void {
    const grown = new Float64Array(this.sums.length * 2);
    grown.set(this.sums);
    this.sums = grown;
  }
}

/** Facts inside the history window: starting on or after `from` and before the plan. */
function firstPass(history: readonly FactRow[], from: number | undefined, planStart: number, pass: FirstPass): void {
  if (from === undefined) {
    for (let r = 0; r < history.length; r++) pass.add(history[r]);
    return;
  }
  for (let r = 0; r < history.length; r++) {
    const row = history[r];
    if (row.start >= from && row.start < planStart) pass.add(row);
  }
}

/** A second pass, summing exactly what doubles cannot: per complete path, per month, or both. */
function exactPass(
  input: PlanInput,
  from: number | undefined,
  index: PathIndex,
  pathSums: ExactSum[] | null,
  monthSums: ExactSum[] | null,
): void {
  const { history, metric } = input;
  const depth = input.levels.length;
  for (let r = 0; r < history.length; r++) {
    const row = history[r];
    const start = row.start;
    if (from !== undefined && !(start >= from && start < input.start)) continue;
    const v = row.measures[metric];
    if (!v) continue;
    if (monthSums) monthSums[ymdOf(start).m - 1].add(v);
    if (pathSums && index.read(row) === depth) pathSums[index.find()].add(v);
  }
}

export function scanHistory(input: PlanInput): HistoryScan {
  const from = windowStart(input);
  const pass = new FirstPass(input.levels, input.metric);
  firstPass(input.history, from, input.start, pass);

  const { index, approx, seen, scalars } = pass;
  const paths = index.paths;
  const sums = pass.sums.slice(0, paths.length);
  const exact = new Array<Rational>(paths.length);
  const monthExact = new Array<Rational>(12);
  const treeExact = pass.treeWhole && scalars[1] <= Number.MAX_SAFE_INTEGER;
  const monthsExact = pass.monthsWhole && scalars[2] <= Number.MAX_SAFE_INTEGER;
  if (treeExact) for (let id = 0; id < paths.length; id++) exact[id] = { n: BigInt(sums[id]), d: 1n };
  if (monthsExact) for (let m = 0; m < 12; m++) monthExact[m] = { n: BigInt(approx[m]), d: 1n };
  if (!treeExact || !monthsExact) {
    const pathSums = treeExact ? null : paths.map(() => new ExactSum());
    const monthSums = monthsExact ? null : Array.from({ length: 12 }, () => new ExactSum());
    exactPass(input, from, index, pathSums, monthSums);
    if (pathSums) for (let id = 0; id < paths.length; id++) exact[id] = pathSums[id].value;
    if (monthSums) for (let m = 0; m < 12; m++) monthExact[m] = monthSums[m].value;
  }
  return { paths, sums, exact, total: scalars[0], exactAsDoubles: treeExact, months: { approx, seen, exact: monthExact } };
}
