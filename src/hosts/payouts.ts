/**
 * The incentives of a tracking run: the Payout table and its Settings read, every member's payout
 * worked out at AsOf and at the forecast, and the Incentives sheet built over the Progress sheet.
 * Nothing here when the workbook has neither a Payout table nor a ranking award.
 */
import { readPayoutInputs } from "../contract/payout";
import type { ParsedWorkbook } from "../contract/types";
import { computePayouts, exactActuals, shownForecast, type PayoutResult } from "../engine/payout";
import { PlanProblemsError, type Problem } from "../engine/problems";
import type { ProgressResult } from "../engine/progress";
import type { PlanResult } from "../engine/types";
import { buildIncentivesSheet } from "../report/incentives-sheet";
import type { SheetSpec } from "../report/spec";
import type { RawTable, WorkbookHost } from "./host";

export interface PayoutOutcome {
  payouts?: PayoutResult;
  sheet?: SheetSpec;
  problems: Problem[];
}

/** The payouts and the Incentives sheet; problems (the Payout table's, or its bands against the plan) come back instead. */
export function preparePayouts(workbook: ParsedWorkbook, tables: readonly RawTable[], plan: PlanResult, progress: ProgressResult, progressSheet: SheetSpec): PayoutOutcome {
  const inputs = readPayoutInputs(workbook, tables);
  if (inputs.problems.length || !inputs.rules) return { problems: inputs.problems };
  try {
    const actual = exactActuals(plan, progress, workbook.actuals ?? []);
    const payouts = computePayouts(plan, progress, inputs.rules, { actual, forecast: shownForecast(progress) });
    return { payouts, sheet: buildIncentivesSheet(plan, progress, payouts, progressSheet, workbook.lang), problems: [] };
  } catch (e) {
    if (e instanceof PlanProblemsError) return { problems: e.problems };
    throw e;
  }
}

/** The host with its tables read once: a run that needs them twice (the plan, then the Payout table) reads the workbook once. */
export function readOnce(host: WorkbookHost): WorkbookHost {
  let tables: Promise<RawTable[]> | undefined;
  return {
    readTables: () => (tables ??= host.readTables()),
    writeSheets: (specs) => host.writeSheets(specs),
  };
}
