/**
 * One tracking run over any host (CONTRACT §4.7–4.8, `target-cascade track`): the plan as
 * `plan` makes it, then progress at AsOf and the ranking, with their sheets. AsOf comes from the
 * caller (the --as-of flag), else the Settings, else today.
 */
import type { ParseOptions } from "../contract";
import { missingTableProblem } from "../contract/find";
import { computeProgress, PlanProblemsError, type DayNum, type ProgressResult } from "../engine";
import { buildProgressSheet, buildRankingSheet } from "../report/progress-sheet";
import type { WorkbookHost } from "./host";
import { SheetTooLargeError } from "../report/limits";
import { preparePlan, sheetTooLargeProblem, type PlanOutcome } from "./run";
import type { PayoutResult } from "../engine/payout";
import { preparePayouts, readOnce } from "./payouts";
import type { ProcessResult } from "../engine/process";
import type { ReviewResult } from "../engine/review";
import { prepareProcess, previousAsOfOf } from "./process";

export interface TrackOptions extends ParseOptions {
  /** AsOf given by the caller, with where it came from (for messages). */
  asOf?: { day: DayNum; ref: string };
  /** Today, for when neither the caller nor the Settings give AsOf. */
  today: DayNum;
  includeUnplanned?: boolean;
  /** The weekly review's previous AsOf given by the caller (--previous-as-of), with where it came from. */
  previousAsOf?: { day: DayNum; ref: string };
}

export type TrackOutcome = (PlanOutcome & { ok: false }) | (PlanOutcome & { ok: true; progress: ProgressResult; payouts?: PayoutResult; process?: ProcessResult; review?: ReviewResult });

export async function prepareTrack(given: WorkbookHost, options: TrackOptions): Promise<TrackOutcome> {
  const host = readOnce(given);
  const outcome = await preparePlan(host, options);
  if (!outcome.ok) return outcome;
  const { workbook, result } = outcome;
  if (!workbook.actuals) return { ok: false, lang: workbook.lang, problems: [missingTableProblem("actuals", workbook.lang === "zh")] };
  const settingsAsOf = workbook.settings.asOf;
  const asOf = options.asOf ?? (settingsAsOf !== undefined ? { day: settingsAsOf, ref: workbook.settings.raw.AsOf?.ref ?? "Settings!A1" } : { day: options.today, ref: "AsOf" });
  const previous = previousAsOfOf(workbook, asOf.day, options.previousAsOf, options.asOf === undefined && settingsAsOf !== undefined);
  try {
    const progress = computeProgress(workbook.input, result, workbook.actuals, {
      asOf: asOf.day,
      asOfRef: asOf.ref,
      pace: workbook.settings.pace,
      rankBy: workbook.settings.rankBy,
      includeUnplanned: options.includeUnplanned,
      forecast: workbook.settings.forecast,
      previousAsOf: previous.day,
      previousAsOfRef: previous.ref,
    });
    const progressSheet = buildProgressSheet(result, progress, workbook.lang);
    const sheets = [...outcome.sheets, progressSheet, buildRankingSheet(result, progress, workbook.lang)];
    // The incentives (a Payout table, a ranking award): after the ranking, over the Progress sheet.
    const paid = preparePayouts(workbook, await host.readTables(), result, progress, progressSheet);
    if (paid.problems.length) return { ok: false, lang: workbook.lang, problems: paid.problems };
    if (paid.sheet) sheets.push(paid.sheet);
    // Process tracking (过程追踪) and the weekly review (阶段性会议).
    const tracked = prepareProcess(workbook, await host.readTables(), result, outcome.drivers, progress);
    sheets.push(...tracked.sheets);
    return { ...outcome, sheets, progress, ...(paid.payouts ? { payouts: paid.payouts } : {}), ...(tracked.process ? { process: tracked.process } : {}), review: tracked.review };
  } catch (e) {
    if (e instanceof PlanProblemsError) return { ok: false, lang: workbook.lang, problems: e.problems };
    if (e instanceof SheetTooLargeError) return { ok: false, lang: workbook.lang, problems: [sheetTooLargeProblem(e, workbook)] };
    throw e;
  }
}
