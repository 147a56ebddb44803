/**
 * One plan run over any host: read → contract → engine → report → write. The command line and
 * the task pane both call this, so the same workbook gives the same numbers in both. Nothing is
 * written unless every step before the write succeeded.
 */
import { parseWorkbook, type ParseOptions } from "../contract";
import { readDriverInputs } from "../contract/funnel";
import type { ParsedWorkbook } from "../contract/types";
import { computeDrivers, PlanProblemsError, type DriversResult, type HoldRow, type PlanResult, type Problem } from "../engine";
import type { Lang } from "../i18n";
import { buildDriverSheets, buildPlanSheets, MAX_SHEET_COLUMNS, SheetTooLargeError, type SheetSpec } from "../report";
import type { WorkbookHost, WriteSummary } from "./host";
import { readSplitInputs } from "../contract/splits";
import type { SplitsResult } from "../engine/splits";
import type { HistoryColumns } from "../engine/funnel";
import { planSplits } from "./splits";
import { computeUpliftedPlan } from "../engine/uplift";

export type PlanOutcome =
  | {
      ok: true;
      lang: Lang;
      workbook: ParsedWorkbook;
      result: PlanResult;
      sheets: SheetSpec[];
      /** The funnel (drivers.funnel) and the driver targets, when the workbook has channels, product lines or add-ons. */
      drivers?: DriversResult;
      /** The parallel splits (Splits / 并行分解), when the Settings ask for some; with History's columns for their headers. */
      splits?: SplitsResult;
      splitColumns?: HistoryColumns;
    }
  | { ok: false; lang: Lang; problems: Problem[] };

/** A plan run's options: the parse's, and holds to plan with besides the Holds table's (the pane's Rebalance). */
export interface PlanRunOptions extends ParseOptions {
  /** Holds over the Holds table's: one for the same node, period and tier replaces the table's. */
  holds?: HoldRow[];
}

/** The holds of the Holds table with `extra` over them: an extra hold replaces the table's for the same node, period and tier. */
export function withHolds(table: readonly HoldRow[] | undefined, extra: readonly HoldRow[]): HoldRow[] {
  const key = (h: HoldRow) => JSON.stringify([Object.entries(h.path).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), h.period ?? null, h.tier]);
  const replaced = new Set(extra.map(key));
  return [...(table ?? []).filter((h) => !replaced.has(key(h))), ...extra];
}

/** Reads and plans, without writing: what the task pane previews and the CLI then writes. */
export async function preparePlan(host: WorkbookHost, options?: PlanRunOptions): Promise<PlanOutcome> {
  const tables = await host.readTables();
  const parsed = parseWorkbook(tables, options);
  if (!parsed.ok) return parsed;
  const extra = options?.holds;
  const workbook = extra && extra.length > 0 ? { ...parsed.workbook, input: { ...parsed.workbook.input, holds: withHolds(parsed.workbook.input.holds, extra) } } : parsed.workbook;
  // The funnel's and drivers' settings are read first, so their problems come with the plan's.
  const driverInputs = readDriverInputs(workbook, tables);
  // The parallel splits' settings too (Splits / 并行分解).
  const splitInputs = readSplitInputs(workbook, tables);
  const inputProblems = [...driverInputs.problems, ...splitInputs.problems];
  try {
    // The plan, with each Uplift / 超额分配 level applied (engine/uplift.ts).
    const result = computeUpliftedPlan(workbook.input);
    if (inputProblems.length) return { ok: false, lang: workbook.lang, problems: inputProblems };
    const sheets = buildPlanSheets(result, workbook.lang);
    const split = planSplits(workbook, result, splitInputs);
    if (split.sheet) sheets.push(split.sheet);
    const splitParts = split.splits ? { splits: split.splits, splitColumns: splitInputs.columns } : {};
    if (!driverInputs.spec) return { ok: true, lang: workbook.lang, workbook, result, sheets, ...splitParts };
    const drivers = computeDrivers(workbook.input, result, driverInputs.spec);
    sheets.push(...buildDriverSheets(result, drivers, workbook.lang));
    return { ok: true, lang: workbook.lang, workbook, result, sheets, drivers, ...splitParts };
  } catch (e) {
    if (e instanceof PlanProblemsError) return { ok: false, lang: workbook.lang, problems: [...e.problems, ...inputProblems] };
    if (e instanceof SheetTooLargeError) return { ok: false, lang: workbook.lang, problems: [sheetTooLargeProblem(e, workbook)] };
    throw e;
  }
}

/**
 * An output sheet that would not fit on a worksheet, as a problem at the setting that sizes it.
 * Periods run across the matrix, so too many columns is the Grain (or the plan's length); the plan
 * and funnel sheets have a row per member (or channel) and period, so the Grain too; the other
 * sheets have a row per member, so the Levels.
 */
export function sheetTooLargeProblem(e: SheetTooLargeError, workbook: ParsedWorkbook): Problem {
  const { raw } = workbook.settings;
  const fallback = workbook.sources.targets?.ref ?? "Targets!A1";
  const args = { sheet: e.sheet, rows: e.rows, columns: e.columns };
  if (e.columns > MAX_SHEET_COLUMNS) return { ref: raw.Grain?.ref ?? fallback, code: "sheetTooWide", args };
  if (e.kind === undefined || e.kind === "plan" || e.kind === "funnel") return { ref: raw.Grain?.ref ?? raw.Levels?.ref ?? fallback, code: "sheetTooLarge", args };
  return { ref: raw.Levels?.ref ?? fallback, code: "sheetTooManyMembers", args };
}

/** Plans and writes the owned sheets. Problems come back unwritten. */
export async function planWorkbook(
  host: WorkbookHost,
  options?: ParseOptions,
): Promise<PlanOutcome & { written?: WriteSummary }> {
  const outcome = await preparePlan(host, options);
  if (!outcome.ok) return outcome;
  const written = await host.writeSheets(outcome.sheets);
  return { ...outcome, written };
}
