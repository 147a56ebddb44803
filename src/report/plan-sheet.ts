/**
 * The plan sheet (Plan / 分解明细): one Excel table, one row per leaf and period, with every
 * level column, the period and the tier columns (CONTRACT.md §5). Users build their own
 * formulas on it, so its layout is plain and stable: header in row 1, data from row 2.
 */
import type { PlanResult } from "../engine/types";
import type { Lang } from "../i18n";
import { columnLetter, rangeRef } from "./a1";
import { amountFormat, fitWidth } from "./format";
import { sheetName, tierName, word } from "./labels";
import { MAX_SHEET_ROWS, SheetTooLargeError } from "./limits";
import type { CellSpec, SheetSpec } from "./spec";

export const PLAN_TABLE_NAME = "TC_Plan";

/**
 * Excel table column names must be non-empty and unique (case-insensitively); a level the user
 * called "Period" would otherwise clash with the period column. Later duplicates get " (2)", " (3)" …
 */
export function uniqueHeaders(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    const base = raw.trim() === "" ? `Column${i + 1}` : raw;
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base} (${n})`;
    seen.add(name.toLowerCase());
    return name;
  });
}

export function buildPlanSheet(result: PlanResult, lang: Lang): SheetSpec {
  const { levelLabels, tiers, periods, leaves, nodes } = result;
  const levelCount = levelLabels.length;
  const periodCol = levelCount + 1;
  const firstTierCol = levelCount + 2;
  const columns = levelCount + 1 + tiers.length;

  const rowCount = 1 + leaves.length * periods.length;
  if (rowCount > MAX_SHEET_ROWS) throw new SheetTooLargeError(sheetName("plan", lang), rowCount, columns, "plan");

  const header = uniqueHeaders([...levelLabels, word("period", lang), ...tiers.map((t) => tierName(t, lang))]);
  const rows: CellSpec[][] = [header];

  leaves.forEach((nodeIndex, leafPos) => {
    const members = result.levels.map((level) => nodes[nodeIndex].path[level] ?? "");
    periods.forEach((period, periodPos) => {
      const cell = leafPos * periods.length + periodPos;
      rows.push([...members, period.label, ...tiers.map((t) => result.cells[t][cell])]);
    });
  });

  const dataRows = rows.length - 1;
  const lastRow = Math.max(2, rows.length);
  const amountRange = rangeRef(2, firstTierCol, lastRow, columns);

  const levelWidths = result.levels.map((level, i) =>
    fitWidth([levelLabels[i], ...leaves.map((n) => nodes[n].path[level] ?? "")], 10, 30),
  );

  return {
    kind: "plan",
    name: sheetName("plan", lang),
    rows,
    table: { name: PLAN_TABLE_NAME, headerRow: 0, dataRows, columns, style: "TableStyleMedium2" },
    numberFormats: tiers.length > 0 ? [{ range: amountRange, format: amountFormat(result.unit) }] : [],
    conditionalFormats: [],
    // The table style colours the header row; bold and centred on top of it.
    styles: [{ range: `A1:${columnLetter(columns)}1`, bold: true, align: "center", wrap: true }],
    columnWidths: [
      ...levelWidths,
      fitWidth([header[periodCol - 1], ...periods.map((p) => p.label)], 10, 24),
      ...tiers.map(() => 14),
    ],
    freeze: { rows: 1, cols: levelCount },
  };
}
