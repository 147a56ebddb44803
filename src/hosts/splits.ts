/**
 * The parallel splits of a run (Splits / 并行分解): the specs the Settings ask for, the splits of a
 * plan and the Split sheet. Nothing at all when the Settings ask for none.
 */
import type { SplitInputs } from "../contract/splits";
import type { ParsedWorkbook } from "../contract/types";
import { computeSplits, type SplitsResult } from "../engine/splits";
import type { PlanResult } from "../engine/types";
import { assertFitsOnSheet } from "../report/limits";
import { buildSplitSheet } from "../report/split-sheet";
import type { SheetSpec } from "../report/spec";

export interface SplitOutcome {
  splits?: SplitsResult;
  sheet?: SheetSpec;
}

/** The splits of `plan` and their sheet. Throws PlanProblemsError (a split with no members, a negative basis) or SheetTooLargeError. */
export function planSplits(workbook: ParsedWorkbook, plan: PlanResult, inputs: SplitInputs): SplitOutcome {
  if (inputs.specs.length === 0) return {};
  const splits = computeSplits(workbook.input, plan, inputs.specs, inputs.columns);
  const sheet = buildSplitSheet(plan, splits, workbook.lang, inputs.columns);
  assertFitsOnSheet(sheet);
  return { splits, sheet };
}
