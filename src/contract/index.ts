/**
 * The workbook contract (CONTRACT.md §1–3): from the raw tables a host read to a validated
 * PlanInput, or the complete list of problems, each naming the cell to fix.
 */
import type { PlanOverrides } from "../hosts/addin";
import type { RawTable } from "../hosts/host";
import { assembleWorkbook } from "./assemble";
import { parseWithOverrides } from "./overrides";
import type { ContractResult, InputKind } from "./types";

export interface ParseOptions {
  /** The table or sheet (by its name) the user picked for an input, instead of finding it by name. */
  choices?: Partial<Record<InputKind, string>>;
  /** Plan settings chosen in the task pane; each one given wins over the Settings table (overrides.ts). */
  overrides?: PlanOverrides;
}

export function parseWorkbook(tables: RawTable[], options: ParseOptions = {}): ContractResult {
  const choices = options.choices ?? {};
  return options.overrides ? parseWithOverrides(tables, choices, options.overrides) : assembleWorkbook(tables, choices);
}

export type { ContractResult, ExtraSettings, InputKind, InputSource, ParsedWorkbook } from "./types";
export { INPUT_KINDS } from "./find";
export { levelChoices, PANE_SETTING_CODE, sameLevel, type LevelChoice } from "./overrides";
export { INPUT_NAMES } from "./headers";
export { cellRef, columnLetters, sheetInRef } from "./refs";
export { formatDay, parseDate, parseNumber, parsePeriod, type DaySpan } from "./parse";
export { readPayoutInputs, PAYOUT_COLUMNS, PAYOUT_SETTING_KEYS, type PayoutInputs } from "./payout";
