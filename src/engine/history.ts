/**
 * One pass over History for a plan: every fact inside the history window (HistoryYears), by the
 * members it names along the levels and by its calendar month. The organisation tree (tree.ts)
 * and the period shares (calendar.ts) both read their sums from it, so History is walked once
 * (twice when its numbers need exact sums: decimals, or sums past 2^53).
 *
 * History is a fact table (facts.ts): each dimension's members are codes. A fact's path is found
 * by the code of its deepest member, and the codes above it are checked, so a lookup is a few
 * reads of typed arrays whatever the order of the rows.
 */
import { dayFromYmd, daysInMonth, ymdOf } from "./dates";
import { ExactSum, type Rational } from "./rational";
import { factTable, type FactTable } from "./facts";
import type { PlanInput } from "./types";

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

/**
 * Finds a fact's path among those seen so far: by the code of its deepest member, checking the
 * codes above it. Paths are held flat (a depth and the codes, `width` per path) so that a lookup
 * reads two typed arrays and no objects.
 */
class PathIndex {
  /** Per level: the first path whose deepest member is a given code of that level; further ones are chained in `sameDeepest`. */
  private readonly byDeepest: Int32Array[];
  private sameDeepest: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private depths: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private flat: Int32Array<ArrayBuffer>;
  count = 0;
  /** A fact's member codes from the first level down, and how many it names. */
  readonly codes: Int32Array;
  depth = 0;
  private readonly width: number;
  private readonly columns: Int32Array[];
  private readonly names: (readonly string[])[];

  constructor(levels: readonly string[], facts: FactTable) {
    this.width = Math.max(1, levels.length);
    this.columns = levels.map((l) => facts.codes(l));
    this.names = levels.map((l) => facts.members(l));
    this.byDeepest = this.names.map((m) => new Int32Array(m.length).fill(NONE));
    this.codes = new Int32Array(levels.length);
    this.flat = new Int32Array(1024 * this.width);
  }

  /** Reads the member codes fact r names from the first level down into `codes` and `depth`. */
  read(r: number): number {
    const columns = this.columns;
    const codes = this.codes;
    const n = columns.length;
    let d = 0;
    for (; d < n; d++) {
      const c = columns[d][r];
      if (c === 0) break;
      codes[d] = c;
    }
    this.depth = d;
    return d;
  }

  /** The index of the path just read, adding it when new. */
  find(): number {
    const depth = this.depth;
    const codes = this.codes;
    const heads = this.byDeepest[depth - 1];
    const deepest = codes[depth - 1];
    const flat = this.flat;
    const width = this.width;
    let id = heads[deepest];
    while (id !== NONE) {
      if (this.depths[id] === depth) {
        let l = depth - 2;
        const at = id * width;
        while (l >= 0 && flat[at + l] === codes[l]) l--;
        if (l < 0) return id;
      }
      id = this.sameDeepest[id];
    }
    id = this.count++;
    if (id === this.depths.length) this.grow();
    this.depths[id] = depth;
    this.flat.set(codes.subarray(0, depth), id * width);
    this.sameDeepest[id] = heads[deepest];
    heads[deepest] = id;
    return id;
  }

  /** The paths found, as member names, in order of first appearance. */
  paths(): string[][] {
    const out = new Array<string[]>(this.count);
    for (let id = 0; id < this.count; id++) {
      const path = new Array<string>(this.depths[id]);
      for (let l = 0; l < path.length; l++) path[l] = this.names[l][this.flat[id * this.width + l]];
      out[id] = path;
    }
    return out;
  }

  private grow(): void {
    const n = this.depths.length * 2;
    const grow = (a: Int32Array, size: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.depths = grow(this.depths, n);
    this.sameDeepest = grow(this.sameDeepest, n);
    this.flat = grow(this.flat, n * this.width);
  }
}

/** The calendar month (0 = January) of a day, remembered per day: facts repeat a few hundred days. */
export class MonthOfDay {
  private from = 0;
  private slots = new Int8Array(0);

  of(day: number): number {
    const k = day - this.from;
    if (k >= 0 && k < this.slots.length) {
      const m = this.slots[k];
      if (m >= 0) return m;
    } else this.cover(day);
    const m = ymdOf(day).m - 1;
    this.slots[day - this.from] = m;
    return m;
  }

  /** Widens the days remembered to take in `day`, with a year's room on either side. */
  private cover(day: number): void {
    const from = this.slots.length === 0 ? day - 366 : Math.min(this.from, day - 366);
    const to = this.slots.length === 0 ? day + 366 : Math.max(this.from + this.slots.length, day + 366);
    const slots = new Int8Array(to - from).fill(-1);
    if (this.slots.length) slots.set(this.slots, this.from - from);
    this.from = from;
    this.slots = slots;
  }
}

/**
 * The sums of the first pass (`run`). Whole numbers whose absolute values add up to a safe
 * integer add up exactly as doubles; `treeWhole`, `monthsWhole` and the magnitudes in `scalars`
 * say whether they did.
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
  private readonly months = new MonthOfDay();
  private readonly starts: Int32Array;
  private readonly values: Float64Array | undefined;
  private readonly depth: number;

  constructor(levels: readonly string[], metric: string, facts: FactTable) {
    this.index = new PathIndex(levels, facts);
    this.starts = facts.start;
    this.values = facts.measure(metric);
    this.depth = levels.length;
  }

  /**
   * Adds facts 0 … n − 1 whose first day lies in [from, before) (every fact when from is
   * undefined), in History's order. One loop over locals: it runs once per fact of History.
   */
  run(n: number, from: number | undefined, before: number): void {
    const { starts, values, seen, approx, index, depth, months } = this;
    const lo = from ?? -Infinity;
    const hi = from === undefined ? Infinity : before;
    let lastStart = NaN;
    let slot = 0;
    let total = 0;
    let totalMagnitude = 0;
    let monthsMagnitude = 0;
    let treeWhole = this.treeWhole;
    let monthsWhole = this.monthsWhole;
    let sums = this.sums;
    for (let r = 0; r < n; r++) {
      const start = starts[r];
      if (!(start >= lo && start < hi)) continue;
      if (start !== lastStart) {
        lastStart = start;
        slot = months.of(start);
      }
      const v = values ? values[r] : 0;
      seen[slot] = 1;
      if (v) {
        approx[slot] += v;
        monthsMagnitude += Math.abs(v);
        if (monthsWhole && v !== Math.floor(v)) monthsWhole = false;
      }
      const d = index.read(r);
      if (d === 0) continue;
      const id = index.find();
      if (id >= sums.length) {
        const grown = new Float64Array(sums.length * 2);
        grown.set(sums);
        sums = grown;
      }
      if (d === depth && v) {
        sums[id] += v;
        total += v;
        totalMagnitude += Math.abs(v);
        if (treeWhole && v !== Math.floor(v)) treeWhole = false;
      }
    }
    this.sums = sums;
    this.scalars[0] += total;
    this.scalars[1] += totalMagnitude;
    this.scalars[2] += monthsMagnitude;
    this.treeWhole = treeWhole;
    this.monthsWhole = monthsWhole;
  }
}

/** A second pass, summing exactly what doubles cannot: per complete path, per month, or both. */
function exactPass(
  input: PlanInput,
  facts: FactTable,
  from: number | undefined,
  index: PathIndex,
  pathSums: ExactSum[] | null,
  monthSums: ExactSum[] | null,
): void {
  const values = facts.measure(input.metric);
  if (!values) return;
  const starts = facts.start;
  const depth = input.levels.length;
  const months = new MonthOfDay();
  for (let r = 0; r < facts.length; r++) {
    const start = starts[r];
    if (from !== undefined && !(start >= from && start < input.start)) continue;
    const v = values[r];
    if (!v) continue;
    if (monthSums) monthSums[months.of(start)].add(v);
    if (pathSums && depth > 0 && index.read(r) === depth) pathSums[index.find()].add(v);
  }
}

export function scanHistory(input: PlanInput): HistoryScan {
  const from = windowStart(input);
  const facts = factTable(input.history);
  const pass = new FirstPass(input.levels, input.metric, facts);
  pass.run(facts.length, from, input.start);

  const { index, approx, seen, scalars } = pass;
  const paths = index.paths();
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
    exactPass(input, facts, from, index, pathSums, monthSums);
    if (pathSums) for (let id = 0; id < paths.length; id++) exact[id] = pathSums[id].value;
    if (monthSums) for (let m = 0; m < 12; m++) monthExact[m] = monthSums[m].value;
  }
  return { paths, sums, exact, total: scalars[0], exactAsDoubles: treeExact, months: { approx, seen, exact: monthExact } };
}
