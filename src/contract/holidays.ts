/**
 * The Holidays table: days off that Workdays does not already skip. A month names every
 * day of it (a company closed for a month).
 */
import type { Problem } from "../engine/problems";
import type { RawTable } from "../hosts/host";
import type { DayNum } from "../engine/types";
import { TableReader } from "./cells";
import { HOLIDAY_COLUMNS, INPUT_NAMES, matchHeaders } from "./headers";

export function readHolidays(table: RawTable, problems: Problem[]): DayNum[] {
  const reader = new TableReader(table, problems);
  const { columns } = matchHeaders(table.headers, HOLIDAY_COLUMNS);
  if (!columns.date) {
    reader.missingColumn(INPUT_NAMES.holidays, HOLIDAY_COLUMNS.date);
    return [];
  }
  const days = new Set<DayNum>();
  table.rows.forEach((_, r) => {
    const span = reader.date(r, columns.date);
    if (!span) return;
    for (let d = span.start; d <= span.end; d++) days.add(d);
  });
  return [...days].sort((a, b) => a - b);
}
