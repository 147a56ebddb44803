/**
 * The Targets table (CONTRACT.md §2): one row for the whole plan, with its period, its
 * metric, its tiers (Floor / Target / Stretch) and an optional Growth.
 */
import type { Problem } from "../engine/problems";
import type { RawTable } from "../hosts/host";
import type { TierValues } from "../engine/types";
import { TableReader } from "./cells";
import { INPUT_NAMES, matchHeaders, TARGET_COLUMNS, type ColumnAt } from "./headers";
import { cellText, formatDay, parsePeriod, type DaySpan } from "./parse";

export interface TargetsRead {
  /** False when the table has no row at all (a problem already says so). */
  hasRow: boolean;
  /** The plan's days when Targets give them (Period, or Start and End). */
  period?: { start: number; end: number };
  /** Whether any of Period, Start, End is filled (when they do not parse, a problem says why). */
  periodGiven: boolean;
  /** Where to name a missing period: the Period cell, else the header row's first cell. */
  periodRef: string;
  /** The Metric as written, when given. */
  metric?: { text: string; ref: string };
  tiers: Partial<TierValues>;
  growth?: number;
  refs: { floor?: string; target?: string; stretch?: string; growth?: string };
}

type TargetColumn = keyof typeof TARGET_COLUMNS;
const TIER_COLUMNS: readonly ("floor" | "target" | "stretch")[] = ["floor", "target", "stretch"];

export function readTargets(table: RawTable, problems: Problem[]): TargetsRead {
  const reader = new TableReader(table, problems);
  const { columns, duplicates } = matchHeaders(table.headers, TARGET_COLUMNS);
  reader.reportDuplicates(duplicates);
  const read: TargetsRead = { hasRow: false, periodGiven: false, periodRef: reader.refs.first, tiers: {}, refs: {} };

  const row = reader.firstRowWithValues();
  for (let r = row + 1; row >= 0 && r < table.rows.length; r++) {
    if (reader.rowHasValues(r)) problems.push({ ref: reader.refs.row(r), code: "extraTargetRow" });
  }
  if (row < 0) {
    problems.push({ ref: reader.refs.row(0), code: "emptyTargets" });
    return read;
  }
  read.hasRow = true;
  const refOf = (column: ColumnAt | undefined): string | undefined => column && reader.ref(row, column);
  if (columns.period) read.periodRef = reader.ref(row, columns.period);

  read.period = readPeriod(reader, row, columns);
  read.periodGiven = (["period", "start", "end"] as const).some((key) => columns[key] && !reader.isEmpty(row, columns[key]));

  const metric = reader.text(row, columns.metric);
  if (metric !== "" && columns.metric) read.metric = { text: metric, ref: reader.ref(row, columns.metric) };

  for (const tier of TIER_COLUMNS) {
    read.refs[tier] = refOf(columns[tier]);
    const value = reader.number(row, columns[tier]);
    if (value !== undefined) read.tiers[tier] = value;
  }

  read.refs.growth = refOf(columns.growth);
  if (columns.growth && !reader.isEmpty(row, columns.growth)) {
    const growth = reader.number(row, columns.growth, { allowNegative: true });
    if (growth !== undefined && growth <= -1) {
      reader.report(row, columns.growth, "badGrowth", { value: reader.text(row, columns.growth) });
    } else if (growth !== undefined) read.growth = growth;
  }
  const growthGiven = columns.growth !== undefined && !reader.isEmpty(row, columns.growth);

  if (!growthGiven) {
    if (!columns.target) reader.missingColumn(INPUT_NAMES.targets, TARGET_COLUMNS.target);
    else if (reader.isEmpty(row, columns.target)) problems.push({ ref: reader.ref(row, columns.target), code: "missingTarget" });
  }

  checkTierOrder(read, reader.refs.row(row), problems);
  return read;
}

/** Period, else Start and End. When both are given they must agree. */
function readPeriod(
  reader: TableReader,
  row: number,
  columns: Partial<Record<TargetColumn, ColumnAt>>,
): { start: number; end: number } | undefined {
  let period: DaySpan | undefined;
  if (columns.period && !reader.isEmpty(row, columns.period)) {
    period = parsePeriod(reader.cell(row, columns.period));
    if (!period) reader.report(row, columns.period, "badPeriod", { value: reader.text(row, columns.period) });
  }
  const periodGiven = columns.period !== undefined && !reader.isEmpty(row, columns.period);
  const start = reader.date(row, columns.start)?.start;
  const end = reader.date(row, columns.end)?.end;

  if (periodGiven) {
    if (!period) return undefined;
    const startDisagrees = start !== undefined && start !== period.start;
    const endDisagrees = end !== undefined && end !== period.end;
    if (startDisagrees || endDisagrees) {
      reader.report(row, columns.period!, "periodDisagrees", {
        period: cellText(reader.cell(row, columns.period)),
        periodStart: formatDay(period.start),
        periodEnd: formatDay(period.end),
        start: start === undefined ? "…" : formatDay(start),
        end: end === undefined ? "…" : formatDay(end),
      });
    }
    return { start: period.start, end: period.end };
  }

  const startGiven = columns.start !== undefined && !reader.isEmpty(row, columns.start);
  const endGiven = columns.end !== undefined && !reader.isEmpty(row, columns.end);
  if (!startGiven && !endGiven) return undefined;
  for (const [given, key] of [
    [startGiven, "start"],
    [endGiven, "end"],
  ] as const) {
    if (given) continue;
    const column = columns[key];
    if (column) reader.required(row, column);
    else reader.missingColumn(INPUT_NAMES.targets, TARGET_COLUMNS[key]);
  }
  if (start === undefined || end === undefined) return undefined;
  if (end < start) {
    reader.report(row, columns.end!, "endBeforeStart", { start: formatDay(start), end: formatDay(end) });
    return undefined;
  }
  return { start, end };
}

/** Floor ≤ Target ≤ Stretch among the tiers given, named at the Target cell (else the row). */
function checkTierOrder(read: TargetsRead, rowRef: string, problems: Problem[]): void {
  const { floor, target, stretch } = read.tiers;
  const given = [floor, target, stretch].filter((v): v is number => v !== undefined);
  const ordered = given.every((v, i) => i === 0 || given[i - 1] <= v);
  if (ordered) return;
  problems.push({
    ref: read.refs.target ?? read.refs.floor ?? rowRef,
    code: "tiersOutOfOrder",
    args: { floor: floor ?? "—", target: target ?? "—", stretch: stretch ?? "—" },
  });
}
