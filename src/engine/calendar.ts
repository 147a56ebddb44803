/**
 * Shares over time (CONTRACT §4.2): the periods of the plan at its grain, and each period's
 * share of the plan from the pooled History of its calendar months, split by (working) days.
 */
import { daysInMonth, dayFromYmd, isoDate, isoWeekday, monthLabel, quarterLabel, weekLabel, ymdOf } from "./dates";
import type { DayNum, FactRow, Grain, PlanInput, StageDef, Workdays } from "./types";

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
}

/** The history window: facts starting on or after `from` and before the plan (all facts when HistoryYears is not set). */
export function inWindow(input: Pick<PlanInput, "start" | "historyYears">): (row: FactRow) => boolean {
  if (input.historyYears === undefined) return () => true;
  const { y, m, d } = ymdOf(input.start);
  const from = dayFromYmd(y - input.historyYears, m, Math.min(d, daysInMonth(y - input.historyYears, m)));
  return (row) => row.start >= from && row.start < input.start;
}

/**
 * Pooled History of the metric per calendar month (index 0 = January), over the window (HistoryYears).
 * A month with no History rows at all, while other months have some, takes the mean of the
 * months that have rows, so a gap in the data does not zero a month of the plan.
 * Returns null when the window holds no History of the metric (time shares then follow days).
 */
export function monthSlots(history: readonly FactRow[], metric: string, window: (row: FactRow) => boolean): Float64Array | null {
  const sums = new Float64Array(12);
  const seen = new Uint8Array(12);
  let total = 0;
  const slotOf = new Map<DayNum, number>();
  for (const row of history) {
    if (!window(row)) continue;
    const v = row.measures[metric];
    let slot = slotOf.get(row.start);
    if (slot === undefined) {
      slot = ymdOf(row.start).m - 1;
      slotOf.set(row.start, slot);
    }
    seen[slot] = 1;
    if (v) {
      sums[slot] += v;
      total += v;
    }
  }
  if (!(total > 0)) return null;
  let seenCount = 0;
  let seenSum = 0;
  for (let i = 0; i < 12; i++) if (seen[i]) { seenCount++; seenSum += sums[i]; }
  const mean = seenSum / seenCount;
  for (let i = 0; i < 12; i++) if (!seen[i]) sums[i] = mean;
  return sums;
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
export function periodSlots(input: PlanInput, cal: WorkCalendar): PeriodSlot[] {
  if (input.grain === "Stage") return stageSlots(input.stages, cal);

  const slots = monthSlots(input.history, input.metric, inWindow(input));
  const label = labellers[input.grain];
  const out: PeriodSlot[] = [];
  // Per-day intensity of each calendar month of the plan, cached by (year, month).
  const intensity = new Map<number, number>();
  const dayWeight = (day: DayNum): number => {
    if (!cal.isWorkday(day)) return 0;
    if (!slots) return 1;
    const { y, m } = ymdOf(day);
    const key = y * 12 + m;
    let v = intensity.get(key);
    if (v === undefined) {
      const first = dayFromYmd(y, m, 1);
      const work = countWorkdays(cal, first, first + daysInMonth(y, m) - 1);
      v = work > 0 ? slots[m - 1] / work : 0;
      intensity.set(key, v);
    }
    return v;
  };

  let current: PeriodSlot | null = null;
  for (let day = input.start; day <= input.end; day++) {
    const l = label(day);
    if (!current || current.label !== l) {
      current = { label: l, start: day, end: day, days: 0, workdays: 0, weight: 0 };
      out.push(current);
    }
    current.end = day;
    current.days++;
    if (cal.isWorkday(day)) current.workdays++;
    current.weight += dayWeight(day);
  }
  // At Day grain a non-working day is not a period of the plan: it would only ever hold zeros.
  if (input.grain === "Day" && cal.restricted) return out.filter((p) => p.workdays > 0);
  return out;
}

function stageSlots(stages: readonly StageDef[], cal: WorkCalendar): PeriodSlot[] {
  const sorted = [...stages].sort((a, b) => a.start - b.start);
  const byWeight = sorted.length > 0 && sorted.every((s) => s.weight !== undefined);
  return sorted.map((s) => {
    const workdays = countWorkdays(cal, s.start, s.end);
    return {
      label: s.name,
      start: s.start,
      end: s.end,
      days: s.end - s.start + 1,
      workdays,
      weight: byWeight ? (s.weight as number) : workdays,
    };
  });
}
