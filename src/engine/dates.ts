/** Calendar arithmetic on day numbers (whole days since 1970-01-01, UTC). */
import type { DayNum } from "./types";

const MS_PER_DAY = 86_400_000;

export function dayFromYmd(year: number, month: number, day: number): DayNum {
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function ymdOf(day: DayNum): { y: number; m: number; d: number } {
  const dt = new Date(day * MS_PER_DAY);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

/** 1 = Monday … 7 = Sunday (ISO). 1970-01-01 was a Thursday. */
export function isoWeekday(day: DayNum): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function daysInMonth(year: number, month: number): number {
  return dayFromYmd(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - dayFromYmd(year, month, 1);
}

export function monthStart(day: DayNum): DayNum {
  const { y, m } = ymdOf(day);
  return dayFromYmd(y, m, 1);
}

export function monthEnd(day: DayNum): DayNum {
  const { y, m } = ymdOf(day);
  return dayFromYmd(y, m, daysInMonth(y, m));
}

/** The same calendar date `years` years later (29 February becomes 28 February in a common year). */
export function addYears(day: DayNum, years: number): DayNum {
  const { y, m, d } = ymdOf(day);
  return dayFromYmd(y + years, m, Math.min(d, daysInMonth(y + years, m)));
}

/** ISO week-numbering year and week of a day. */
export function isoWeek(day: DayNum): { year: number; week: number } {
  const thursday = day - isoWeekday(day) + 4;
  const year = ymdOf(thursday).y;
  const week = Math.floor((thursday - dayFromYmd(year, 1, 1)) / 7) + 1;
  return { year, week };
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

export function isoDate(day: DayNum): string {
  const { y, m, d } = ymdOf(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function monthLabel(day: DayNum): string {
  const { y, m } = ymdOf(day);
  return `${y}-${pad2(m)}`;
}

export function quarterLabel(day: DayNum): string {
  const { y, m } = ymdOf(day);
  return `${y}-Q${Math.ceil(m / 3)}`;
}

export function weekLabel(day: DayNum): string {
  const { year, week } = isoWeek(day);
  return `${year}-W${pad2(week)}`;
}
