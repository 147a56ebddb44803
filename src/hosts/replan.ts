/**
 * One re-plan run over any host (`target-cascade replan`, the pane's Re-plan in the Track step):
 * the plan as `plan` makes it, then the revision at AsOf — the ended periods' actuals as the plan
 * of record and what remains spread over the periods left. AsOf comes from the caller (the
 * --as-of flag, or the pane's AsOf), else the Settings, else today.
 *
 * Written: Plan and Plan Matrix of the revised plan, the Weights Review of the original allocation
 * (how the targets were set), Plan Versions (the original and the revision side by side) and,
 * when the Settings ask for parallel splits, the Split sheet of the revised plan.
 */
import type { ParseOptions } from "../contract";
import { missingTableProblem } from "../contract/find";
import { readReplanInputs, readSplitInputs } from "../contract/splits";
import { PlanProblemsError } from "../engine/problems";
import { computeReplan, type ReplanResult } from "../engine/replan";
import type { SplitsResult } from "../engine/splits";
import type { DayNum, PlanResult } from "../engine/types";
import { buildMatrixSheet, buildPlanSheet, buildWeightsSheet } from "../report";
import { assertFitsOnSheet, SheetTooLargeError } from "../report/limits";
import { buildVersionsSheet } from "../report/versions-sheet";
import type { WorkbookHost } from "./host";
import { readOnce } from "./payouts";
import { preparePlan, sheetTooLargeProblem, type PlanOutcome } from "./run";
import { planSplits } from "./splits";

export interface ReplanRunOptions extends ParseOptions {
  /** AsOf given by the caller, with where it came from (for messages). */
  asOf?: { day: DayNum; ref: string };
  /** Today, for when neither the caller nor the Settings give AsOf. */
  today: DayNum;
}

export type ReplanOutcome =
  | (PlanOutcome & { ok: false })
  | (Omit<PlanOutcome & { ok: true }, "drivers"> & {
      /** The original plan (`result` is the revised one, the plan of record). */
      original: PlanResult;
      replan: ReplanResult;
      splits?: SplitsResult;
    });

export async function prepareReplan(given: WorkbookHost, options: ReplanRunOptions): Promise<ReplanOutcome> {
  const host = readOnce(given);
  const outcome = await preparePlan(host, options);
  if (!outcome.ok) return outcome;
  const { workbook, result } = outcome;
  const lang = workbook.lang;
  if (!workbook.actuals) return { ok: false, lang, problems: [missingTableProblem("actuals", lang === "zh")] };
  const tables = await host.readTables();
  const inputs = readReplanInputs(workbook, tables);
  if (inputs.problems.length) return { ok: false, lang, problems: inputs.problems };
  const settingsAsOf = workbook.settings.asOf;
  const asOf = options.asOf ?? (settingsAsOf !== undefined ? { day: settingsAsOf, ref: workbook.settings.raw.AsOf?.ref ?? "Settings!A1" } : { day: options.today, ref: "AsOf" });
  try {
    const replan = computeReplan(workbook.input, result, workbook.actuals, { asOf: asOf.day, asOfRef: asOf.ref, ...inputs.options, ...(inputs.refs.replan ? { poolRef: inputs.refs.replan } : {}) });
    const revised = replan.revised;
    const sheets = [buildPlanSheet(revised, lang), buildMatrixSheet(revised, lang), buildWeightsSheet(result, lang), buildVersionsSheet(replan, lang)];
    sheets.forEach(assertFitsOnSheet);
    const split = planSplits(workbook, revised, readSplitInputs(workbook, tables));
    if (split.sheet) sheets.push(split.sheet);
    const { drivers: _drivers, ...rest } = outcome;
    return { ...rest, result: revised, original: result, replan, sheets, ...(split.splits ? { splits: split.splits } : {}) };
  } catch (e) {
    if (e instanceof PlanProblemsError) return { ok: false, lang, problems: e.problems };
    if (e instanceof SheetTooLargeError) return { ok: false, lang, problems: [sheetTooLargeProblem(e, workbook)] };
    throw e;
  }
}
