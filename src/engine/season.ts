/**
 * Two-way balancing (RAS, iterative proportional fitting) and the period patterns it starts from
 * (docs/planning-depth.md, "Engine").
 *
 * RAS scales the rows of a non-negative matrix to their totals, then its columns to theirs, and
 * repeats until every row and column adds up to its total within RAS_TOLERANCE (relative to the
 * matrix's total). Cells held fixed (holds, and the zeros of a member outside their dates) keep
 * their values: the free cells are balanced against the totals less what is fixed. The result is a
 * set of balanced values in doubles; the controlled rounding that follows (engine/balance.ts) makes
 * every total exact, and is checked exactly, so the tolerance only says how close the balanced
 * values are to a perfectly balanced matrix, never whether a plan adds up.
 */
import { daysInMonth, dayFromYmd, ymdOf } from "./dates";
import type { WorkCalendar } from "./calendar";
import type { DayNum } from "./types";

/** Row and column sums are within this fraction of the matrix's total (plus RAS_FLOOR Units) when RAS stops. */
export const RAS_TOLERANCE = 1e-12;
/** An absolute floor on the tolerance, in Units: sums of doubles cannot be closer than their rounding. */
export const RAS_FLOOR = 1e-9;
/** RAS stops after this many iterations (one row pass and one column pass each) even when not within tolerance. */
export const RAS_MAX_ITERATIONS = 2000;

export interface RasOutcome {
  /** Iterations run (a row pass and a column pass each). */
  iterations: number;
  /** True when every row and column is within tolerance. */
  converged: boolean;
  /** The largest |sum − total| over rows and columns at the end. */
  error: number;
}

/**
 * Balances `x` (R × C, row-major, non-negative) in place so that its rows add up to `rows` and its
 * columns to `cols` (Σ rows = Σ cols). Cells with `fixed[k]` set keep their value and count toward
 * their row and column. Zero cells stay zero.
 */
export function ras(
  x: Float64Array,
  R: number,
  C: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  fixed?: Uint8Array,
  maxIterations = RAS_MAX_ITERATIONS,
): RasOutcome {
  // Targets for the free cells: the totals less what is fixed.
  const rFree = new Float64Array(R);
  const cFree = new Float64Array(C);
  let total = 0;
  for (let i = 0; i < R; i++) {
    rFree[i] = rows[i];
    total += rows[i];
  }
  for (let j = 0; j < C; j++) cFree[j] = cols[j];
  if (fixed) {
    for (let i = 0; i < R; i++) {
      const base = i * C;
      for (let j = 0; j < C; j++) {
        if (!fixed[base + j]) continue;
        rFree[i] -= x[base + j];
        cFree[j] -= x[base + j];
      }
    }
  }
  const free = fixed ?? null;
  const tol = Math.max(RAS_FLOOR, RAS_TOLERANCE * Math.abs(total));
  const sums = new Float64Array(C);
  let iterations = 0;
  let error = Infinity;
  for (; iterations < maxIterations; ) {
    iterations++;
    // Rows.
    for (let i = 0; i < R; i++) {
      const base = i * C;
      let s = 0;
      for (let j = 0; j < C; j++) if (!free || !free[base + j]) s += x[base + j];
      if (s > 0) {
        const f = rFree[i] / s;
        for (let j = 0; j < C; j++) if (!free || !free[base + j]) x[base + j] *= f;
      }
    }
    // Columns.
    sums.fill(0);
    for (let i = 0; i < R; i++) {
      const base = i * C;
      for (let j = 0; j < C; j++) if (!free || !free[base + j]) sums[j] += x[base + j];
    }
    for (let j = 0; j < C; j++) sums[j] = sums[j] > 0 ? cFree[j] / sums[j] : 1;
    for (let i = 0; i < R; i++) {
      const base = i * C;
      for (let j = 0; j < C; j++) if (!free || !free[base + j]) x[base + j] *= sums[j];
    }
    // Columns are now on their totals (where they have a free cell): measure the rows, and the columns without one.
    error = 0;
    for (let i = 0; i < R; i++) {
      const base = i * C;
      let s = 0;
      for (let j = 0; j < C; j++) if (!free || !free[base + j]) s += x[base + j];
      const e = Math.abs(s - rFree[i]);
      if (e > error) error = e;
    }
    for (let j = 0; j < C; j++) {
      let s = 0;
      for (let i = 0; i < R; i++) if (!free || !free[i * C + j]) s += x[i * C + j];
      const e = Math.abs(s - cFree[j]);
      if (e > error) error = e;
    }
    if (error <= tol) return { iterations, converged: true, error };
  }
  return { iterations, converged: error <= tol, error };
}

/**
 * How each period of the plan is made of calendar months: per period, the calendar months (0 =
 * January) it touches and the share of that month's working days it holds. A pattern of twelve
 * monthly sums becomes period weights as Σ share × month sum, as the plan's own period shares are
 * made (calendar.ts periodSlots: a month's History spread evenly over its working days).
 */
export interface MonthComposition {
  /** Per period: pairs (calendar month, fraction of that month's working days inside the period). */
  months: number[][];
  fractions: number[][];
}

export function monthComposition(periods: readonly { start: DayNum; end: DayNum }[], cal: WorkCalendar): MonthComposition {
  const workOf = new Map<number, number>();
  const work = (y: number, m: number): number => {
    const key = y * 12 + m;
    let w = workOf.get(key);
    if (w === undefined) {
      const first = dayFromYmd(y, m, 1);
      w = 0;
      for (let d = first; d < first + daysInMonth(y, m); d++) if (cal.isWorkday(d)) w++;
      workOf.set(key, w);
    }
    return w;
  };
  const months: number[][] = [];
  const fractions: number[][] = [];
  for (const p of periods) {
    const counts = new Map<number, number>();
    for (let d = p.start; d <= p.end; d++) {
      if (!cal.isWorkday(d)) continue;
      const { y, m } = ymdOf(d);
      const key = y * 12 + (m - 1);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const ms: number[] = [];
    const fs: number[] = [];
    for (const [key, n] of counts) {
      const m0 = key % 12;
      const y = (key - m0) / 12;
      ms.push(m0);
      fs.push(n / work(y, m0 + 1));
    }
    months.push(ms);
    fractions.push(fs);
  }
  return { months, fractions };
}

/** Period weights from twelve monthly sums (calendar months without facts take the mean of those with). */
export function patternOf(monthSums: Float64Array, seen: Uint8Array, comp: MonthComposition, out: Float64Array): void {
  let seenCount = 0;
  let seenSum = 0;
  for (let m = 0; m < 12; m++) if (seen[m]) { seenCount++; seenSum += monthSums[m]; }
  const mean = seenCount ? seenSum / seenCount : 0;
  for (let j = 0; j < comp.months.length; j++) {
    const ms = comp.months[j];
    const fs = comp.fractions[j];
    let w = 0;
    for (let k = 0; k < ms.length; k++) w += fs[k] * (seen[ms[k]] ? monthSums[ms[k]] : mean);
    out[j] = w;
  }
}
