/**
 * The target letters over any host (`target-cascade letters`, the pane's *Write target letters*):
 * the plan as `plan` makes it, then one letter per member, with what each tier is worth when the
 * workbook has a Payout table. Only the letters sheet is written.
 */
import type { ParseOptions } from "../contract";
import { readPayoutInputs } from "../contract/payout";
import { checkPayoutRules, type PayoutRules } from "../engine/payout";
import { PlanProblemsError } from "../engine/problems";
import { buildLettersSheet, MAX_LETTERS } from "../report/letters-sheet";
import { SheetTooLargeError } from "../report/limits";
import type { WorkbookHost, WriteSummary } from "./host";
import { readOnce } from "./payouts";
import { preparePlan, sheetTooLargeProblem, type PlanOutcome } from "./run";

export type LettersOutcome = (PlanOutcome & { ok: false }) | (PlanOutcome & { ok: true; rules?: PayoutRules });

/** Plans and builds the letters sheet, without writing; `sheets` holds the letters alone. */
export async function prepareLetters(given: WorkbookHost, options?: ParseOptions): Promise<LettersOutcome> {
  const host = readOnce(given);
  const outcome = await preparePlan(host, options);
  if (!outcome.ok) return outcome;
  const { workbook, result } = outcome;
  const payout = readPayoutInputs(workbook, await host.readTables());
  const problems = [...payout.problems, ...(payout.rules ? checkPayoutRules(result, payout.rules) : [])];
  if (problems.length) return { ok: false, lang: workbook.lang, problems };
  if (result.leaves.length > MAX_LETTERS) {
    const ref = workbook.settings.raw.Levels?.ref ?? workbook.sources.targets?.ref ?? "Targets!A1";
    return { ok: false, lang: workbook.lang, problems: [{ ref, code: "tooManyLetters", args: { members: result.leaves.length, max: MAX_LETTERS } }] };
  }
  try {
    const sheets = [buildLettersSheet(result, outcome.drivers, payout.rules, workbook.lang)];
    return { ...outcome, sheets, ...(payout.rules ? { rules: payout.rules } : {}) };
  } catch (e) {
    if (e instanceof PlanProblemsError) return { ok: false, lang: workbook.lang, problems: e.problems };
    if (e instanceof SheetTooLargeError) return { ok: false, lang: workbook.lang, problems: [sheetTooLargeProblem(e, workbook)] };
    throw e;
  }
}

/** Plans and writes the letters sheet. Problems come back unwritten. */
export async function lettersWorkbook(host: WorkbookHost, options?: ParseOptions): Promise<LettersOutcome & { written?: WriteSummary }> {
  const outcome = await prepareLetters(host, options);
  if (!outcome.ok) return outcome;
  const written = await host.writeSheets(outcome.sheets);
  return { ...outcome, written };
}
