/**
 * The report layer: PlanResult → the sheets the tool writes back (SheetSpec[]) and RESULT.json.
 * Host-free: the xlsx and Excel hosts write whatever these build.
 */
import type { DriversResult } from "../engine/drivers";
import type { PlanResult } from "../engine/types";
import type { Lang } from "../i18n";
import { buildDriversSheet } from "./drivers-sheet";
import { buildFunnelSheet } from "./funnel-sheet";
import { buildMatrixSheet } from "./matrix-sheet";
import { buildPlanSheet } from "./plan-sheet";
import { assertFitsOnSheet } from "./limits";
import type { SheetSpec } from "./spec";
import { buildWeightsSheet } from "./weights-sheet";

/**
 * The plan, matrix and weights-review sheets, in the order they are written. Throws
 * SheetTooLargeError when one of them would not fit on a worksheet.
 */
export function buildPlanSheets(result: PlanResult, lang: Lang): SheetSpec[] {
  const sheets = [buildPlanSheet(result, lang), buildMatrixSheet(result, lang), buildWeightsSheet(result, lang)];
  sheets.forEach(assertFitsOnSheet);
  return sheets;
}

/**
 * The funnel sheet (when there are channels) and the drivers sheet, written after the plan's.
 * Throws SheetTooLargeError when one of them would not fit on a worksheet.
 */
export function buildDriverSheets(result: PlanResult, drivers: DriversResult, lang: Lang): SheetSpec[] {
  const sheets = [...(drivers.funnel ? [buildFunnelSheet(result, drivers.funnel, lang)] : []), buildDriversSheet(result, drivers, lang)];
  sheets.forEach(assertFitsOnSheet);
  return sheets;
}

export { buildPlanSheet, PLAN_TABLE_NAME, uniqueHeaders } from "./plan-sheet";
export { buildMatrixSheet } from "./matrix-sheet";
export { buildWeightsSheet, CHECK_FAIL, CHECK_OK } from "./weights-sheet";
export { toResultJson, stringifyResult, resultJsonText, resultJsonChunks, cleanNumber, funnelJson, driversJson } from "./result-json";
export type { PlanResultJson, PeriodJson, NodeJson, PlanRowJson, TierAmounts, FunnelJson, DriversJson, MixJson } from "./result-json";
export { buildFunnelSheet, exactCeiling } from "./funnel-sheet";
export { buildDriversSheet };
export { assertFitsOnSheet, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, SheetTooLargeError } from "./limits";
export { sheetName, tierName, SHEET_NAMES } from "./labels";
export * from "./spec";
