/**
 * Process tracking and the weekly review of a tracking run: the funnel's actuals against each
 * member's tasks (the Funnel Progress sheet, when the workbook has a funnel and the Actuals count
 * one of its stages), and the Weekly Review page over the actuals at AsOf and at the previous AsOf.
 */
import { readProcessInputs } from "../contract/process";
import type { ParsedWorkbook } from "../contract/types";
import type { DriversResult } from "../engine/drivers";
import { computeProcess, type ProcessResult } from "../engine/process";
import type { ProgressResult } from "../engine/progress";
import { computeReview, type ReviewResult } from "../engine/review";
import type { DayNum, PlanResult } from "../engine/types";
import { buildProcessSheet } from "../report/process-sheet";
import { buildReviewSheet } from "../report/review-sheet";
import type { SheetSpec } from "../report/spec";
import type { RawTable } from "./host";

/** How far before AsOf the previous AsOf is when neither the caller nor the Settings say. */
export const REVIEW_DAYS = 7;

/**
 * The previous AsOf: the caller's (the --previous-as-of flag), else the PreviousAsOf setting when
 * AsOf is the Settings' too (the two are a pair: a caller who moves AsOf moves the week), else a
 * week before AsOf; with where it came from, for messages.
 */
export function previousAsOfOf(
  workbook: ParsedWorkbook,
  asOf: DayNum,
  given: { day: DayNum; ref: string } | undefined,
  asOfFromSettings: boolean,
): { day: DayNum; ref: string } {
  if (given) return given;
  const setting = workbook.settings.previousAsOf;
  if (setting !== undefined && asOfFromSettings) return { day: setting, ref: workbook.settings.raw.PreviousAsOf?.ref ?? "Settings!A1" };
  return { day: asOf - REVIEW_DAYS, ref: "PreviousAsOf" };
}

export interface ProcessOutcome {
  process?: ProcessResult;
  review: ReviewResult;
  sheets: SheetSpec[];
}

/** Throws PlanProblemsError (bad funnel actuals) or SheetTooLargeError, like the rest of the run. */
export function prepareProcess(
  workbook: ParsedWorkbook,
  tables: readonly RawTable[],
  plan: PlanResult,
  drivers: DriversResult | undefined,
  progress: ProgressResult,
): ProcessOutcome {
  const spec = readProcessInputs(workbook, tables, drivers);
  const process = spec ? computeProcess(workbook.input, plan, progress, workbook.actuals ?? [], spec) : undefined;
  const labels = drivers?.columns.labels ?? {};
  const review = computeReview(workbook.input, plan, progress, process);
  const sheets: SheetSpec[] = [];
  if (process) sheets.push(buildProcessSheet(plan, progress, process, labels, workbook.lang));
  sheets.push(buildReviewSheet(plan, progress, review, process, labels, workbook.lang));
  return { ...(process ? { process } : {}), review, sheets };
}
