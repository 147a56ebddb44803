/**
 * The look the output sheets share: number formats, colours and header styles of a tidy
 * finance sheet.
 */
import { decimalPlaces } from "../engine/rational";
import type { PlanResult, Tier } from "../engine/types";
import type { StyleSpec } from "./spec";

/** Colours, ARGB. */
export const COLORS = {
  headerFill: "FF1F4E78",
  headerFont: "FFFFFFFF",
  titleFill: "FFDDEBF7",
  totalFill: "FFF2F2F2",
  sectionFill: "FFEDEDED",
  good: "FF548235",
  goodFill: "FFE2EFDA",
  bad: "FFC00000",
  badFill: "FFFCE4E4",
} as const;

/** Decimal places needed to show multiples of `unit` exactly (100 → 0, 0.5 → 1, 0.01 → 2): the unit's decimals as written. */
export function unitDecimals(unit: number): number {
  if (!(unit > 0) || Number.isInteger(unit)) return 0;
  return decimalPlaces(unit);
}

/** Thousands separators, with as many decimals as the rounding unit needs. */
export function amountFormat(unit: number): string {
  return decimalsFormat(unitDecimals(unit));
}

/**
 * The amount format for a plan: as many decimals as its exact amounts have, which is more than
 * the unit's when a total carries a finer remainder (Target 1,000.37 at Unit 1 shows .37).
 */
export function planAmountFormat(result: Pick<PlanResult, "unit" | "exact">): string {
  return decimalsFormat(Math.max(unitDecimals(result.unit), result.exact?.decimals ?? 0));
}

function decimalsFormat(d: number): string {
  return d === 0 ? "#,##0" : `#,##0.${"0".repeat(d)}`;
}

export const SHARE_FORMAT = "0.00%";
/** Basis: history amounts, weights or 1 for an equal split; two to four decimals. */
export const BASIS_FORMAT = "#,##0.00##";

/** Tier columns always run Floor, Target, Stretch; the Matrix shows Target first. */
export function tiersTargetFirst(tiers: readonly Tier[]): Tier[] {
  return [...tiers].sort((a, b) => (a === "target" ? -1 : b === "target" ? 1 : 0));
}

export function headerStyle(range: string): StyleSpec {
  return { range, bold: true, fill: COLORS.headerFill, fontColor: COLORS.headerFont, align: "center", wrap: true };
}

export function titleStyle(range: string): StyleSpec {
  return { range, bold: true, fill: COLORS.titleFill };
}

export function totalStyle(range: string): StyleSpec {
  return { range, bold: true, fill: COLORS.totalFill };
}

/** A column width that fits the longest of `texts` (CJK characters count double), within bounds. */
export function fitWidth(texts: Iterable<string>, min = 8, max = 40): number {
  let longest = 0;
  for (const t of texts) {
    let w = 0;
    for (const ch of t) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
    if (w > longest) longest = w;
  }
  return Math.min(max, Math.max(min, longest + 2));
}
