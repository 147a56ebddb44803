/**
 * Shares over time (CONTRACT §4.2): the periods of the plan at its grain, and each period's
 * share of the plan from the pooled History of its calendar months, split by (working) days.
 */
import { daysInMonth, dayFromYmd, isoDate, isoWeekday, monthLabel, quarterLabel, weekLabel, ymdOf } from "./dates";
import { scanHistory, windowStart, type MonthTotals } from "./history";
import { fromNumber } from "./rational";
import type { DayNum, Grain, PlanInput, StageDef, Workdays } from "./types";

export interface WorkCalendar {
  isWorkday(day: DayNum): boolean;
  /** True when Workdays or Holidays make some days non-working. */
  restricted: boolean;
}

export function makeCalendar(workdays: Workdays, holidays: readonly DayNum[]): WorkCalendar {
  const off = new Set(holidays);
  const lastWorkday = workdays === "Mon-Fri" ? 5 : workdays === "Mon-Sat" ? 6 : 7;
  return {
    restricted: workdays !== "All" || off.size > 0,
    isWorkday: (day) => isoWeekday(day) <= lastWorkday && !off.has(day),
  };
}

export function countWorkdays(cal: WorkCalendar, start: DayNum, end: DayNum): number {
  let n = 0;
  for (let d = start; d <= end; d++) if (cal.isWorkday(d)) n++;
  return n;
}

export interface PeriodSlot {
  label: string;
  start: DayNum;
  end: DayNum;
  days: number;
  workdays: number;
  /** Unnormalised weight: pooled history, stage weight, or working days. */
  weight: number;
  /** The same weight exactly, as a whole number over a denominator common to all the slots of one plan. */
  exactWeight: bigint;
}

/** The history window, by a fact's first day: facts starting on or after `from` and before the plan (all facts when HistoryYears is not set). */
export function inWindow(input: Pick<PlanInput, "start" | "historyYears">): (start: DayNum) => boolean {
  const from = windowStart(input);
  if (from === undefined) return () => true;
  return (start) => start >= from && start < input.start;
}

/**
 * Pooled History of the metric per calendar month (index 0 = January), over the window (HistoryYears),
 * from the month totals of the pass over History (history.ts).
 * A month with no History rows at all, while other months have some, takes the mean of the
 * months that have rows, so a gap in the data does not zero a month of the plan.
 * Returns null when the window holds no History of the metric (time shares then follow days).
 *
 * `exact` holds the same twelve values exactly, as whole numbers over one common denominator
 * (which the shares never need): decimals scaled to whole numbers, times the count of months seen.
 */
export function monthSlots(totals: MonthTotals): { approx: Float64Array; exact: bigint[] } | null {
  const sums = totals.approx.slice();
  const seen = totals.seen;
  const exactSums = totals.exact;
  // Exact sums share no denominator; bring them to the largest power of ten among them.
  let scale = 1n;
  for (const r of exactSums) if (r.d > scale) scale = r.d;
  const scaled = exactSums.map((r) => r.n * (scale / r.d));
  let total = 0n;
  for (const x of scaled) total += x;
  if (!(total > 0n)) return null;

  let seenCount = 0;
  let seenSum = 0;
  let seenExact = 0n;
  for (let i = 0; i < 12; i++) if (seen[i]) { seenCount++; seenSum += sums[i]; seenExact += scaled[i]; }
  const mean = seenSum / seenCount;
  const exact = new Array<bigint>(12);
  for (let i = 0; i < 12; i++) {
    if (seen[i]) exact[i] = scaled[i] * BigInt(seenCount);
    else {
      sums[i] = mean;
      exact[i] = seenExact;
    }
  }
  return { approx: sums, exact };
}

function gcdInt(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

type Labeller = (day: DayNum) => string;

const labellers: Record<Exclude<Grain, "Stage">, Labeller> = {
  Year: (day) => String(ymdOf(day).y),
  Quarter: quarterLabel,
  Month: monthLabel,
  Week: weekLabel,
  Day: isoDate,
};

/**
 * The plan's periods with their weights. Calendar grains weight each day by its month's pooled
 * History spread evenly over the month's working days; stages use their Weight, else their working days.
 */
export function periodSlots(input: PlanInput, cal: WorkCalendar, totals?: MonthTotals): PeriodSlot[] {
  if (input.grain === "Stage") return stageSlots(input.stages, cal);

  const months = monthSlots(totals ?? scanHistory(input).months);
  const slots = months?.approx;
  const label = labellers[input.grain];
  const out: PeriodSlot[] = [];
  // Working days of each calendar month of the plan, by (year, month).
  const monthWork = new Map<number, number>();
  const workOf = (y: number, m: number): number => {
    const key = y * 12 + m;
    let work = monthWork.get(key);
    if (work === undefined) {
      const first = dayFromYmd(y, m, 1);
      work = countWorkdays(cal, first, first + daysInMonth(y, m) - 1);
      monthWork.set(key, work);
    }
    return work;
  };
  // Per period, its working days in each calendar month (key y × 12 + m), for the exact weight.
  const daysByMonth: Map<number, number>[] = [];

  let current: PeriodSlot | null = null;
  let counts: Map<number, number> | null = null;
  for (let day = input.start; day <= input.end; day++) {
    const l = label(day);
    if (!current || current.label !== l) {
      current = { label: l, start: day, end: day, days: 0, workdays: 0, weight: 0, exactWeight: 0n };
      counts = new Map();
      out.push(current);
      daysByMonth.push(counts);
    }
    current.end = day;
    current.days++;
    if (!cal.isWorkday(day)) continue;
    current.workdays++;
    if (!slots) {
      current.weight += 1;
      continue;
    }
    // A day's weight: its calendar month's pooled History spread evenly over the month's working days.
    const { y, m } = ymdOf(day);
    current.weight += slots[m - 1] / workOf(y, m);
    const key = y * 12 + m;
    (counts as Map<number, number>).set(key, ((counts as Map<number, number>).get(key) ?? 0) + 1);
  }
  if (months) {
    // Σ days × pooled ÷ working days of the month, over one common multiple of those working days.
    let common = 1;
    for (const work of monthWork.values()) if (work > 0) common = (common / gcdInt(common, work)) * work;
    const multiple = BigInt(common);
    out.forEach((slot, j) => {
      let w = 0n;
      for (const [key, n] of daysByMonth[j]) {
        const m = key % 12 === 0 ? 12 : key % 12;
        const y = (key - m) / 12;
        w += BigInt(n) * months.exact[m - 1] * (multiple / BigInt(workOf(y, m)));
      }
      slot.exactWeight = w;
    });
  } else {
    for (const slot of out) slot.exactWeight = BigInt(slot.workdays);
  }
  // At Day grain a non-working day is not a period of the plan: it would only ever hold zeros.
  if (input.grain === "Day" && cal.restricted) return out.filter((p) => p.workdays > 0);
  return out;
}

function stageSlots(stages: readonly StageDef[], cal: WorkCalendar): PeriodSlot[] {
  const sorted = [...stages].sort((a, b) => a.start - b.start);
  const byWeight = sorted.length > 0 && sorted.every((s) => s.weight !== undefined);
  // Weights are decimals as written: brought to whole numbers at the finest decimal among them.
  const exact = byWeight ? sorted.map((s) => fromNumber(s.weight as number)) : [];
  let scale = 1n;
  for (const r of exact) if (r.d > scale) scale = r.d;
  return sorted.map((s, i) => {
    const workdays = countWorkdays(cal, s.start, s.end);
    return {
      label: s.name,
      start: s.start,
      end: s.end,
      days: s.end - s.start + 1,
      workdays,
      weight: byWeight ? (s.weight as number) : workdays,
      exactWeight: byWeight ? exact[i].n * (scale / exact[i].d) : BigInt(workdays),
    };
  });
}
