/** UTC calendar helpers for the generators (every date is a UTC midnight). */

export function utcDate(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

/** `2025-01` for year 2025, month 1. */
export function monthLabel(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** `2027-05-05`. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Every day from `first` to `last`, both inclusive. */
export function* eachDay(first: Date, last: Date): Generator<Date> {
  for (let t = first.getTime(); t <= last.getTime(); t += 86_400_000) yield new Date(t);
}

/** The `count` months ending with the month before `endYear`-01: e.g. 36 → 2024-01 … 2026-12 for 2027. */
export function monthsBefore(endYear: number, count: number): { year: number; month: number }[] {
  const months: { year: number; month: number }[] = [];
  for (let i = count; i >= 1; i--) {
    const index = endYear * 12 - i;
    months.push({ year: Math.floor(index / 12), month: (index % 12) + 1 });
  }
  return months;
}

/** Rounds to the nearest multiple of `unit`. */
export function roundTo(value: number, unit: number): number {
  return Math.round(value / unit) * unit;
}
