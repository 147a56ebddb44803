/**
 * The matrix sheet (Plan Matrix / 分解矩阵): leaves down, periods across, one block per tier
 * (Target first), each with live SUM row totals, column totals and a grand total, so a
 * reviewer sees at a glance that every row and every column adds up.
 */
import type { PlanResult, Tier } from "../engine/types";
import type { Lang } from "../i18n";
import { columnLetter, rangeRef } from "./a1";
import { amountFormat, fitWidth, headerStyle, tiersTargetFirst, titleStyle, totalStyle } from "./format";
import { sheetName, tierName, word } from "./labels";
import { checkSheetSize } from "./limits";
import type { CellSpec, FormulaCell, SheetSpec, StyleSpec } from "./spec";

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * Rows and columns of the matrix: the header row, then per tier a title, a row per leaf and a
 * total row, with an empty row between tiers; the level columns, a column per period, the total.
 */
export function matrixSheetSize(result: PlanResult): { rows: number; columns: number } {
  const T = result.tiers.length;
  return {
    rows: 1 + T * (result.leaves.length + 2) + Math.max(0, T - 1),
    columns: Math.max(1, result.levels.length) + result.periods.length + 1,
  };
}

export function buildMatrixSheet(result: PlanResult, lang: Lang): SheetSpec {
  const size = matrixSheetSize(result);
  checkSheetSize(sheetName("matrix", lang), "matrix", size.rows, size.columns);
  const { levels, levelLabels, periods, leaves, nodes } = result;
  const P = periods.length;
  const labelCols = Math.max(1, levels.length);
  const firstPeriodCol = labelCols + 1;
  const totalCol = firstPeriodCol + P;
  const lastLetter = columnLetter(totalCol);
  const format = amountFormat(result.unit);

  const labelHeader = levels.length > 0 ? [...levelLabels] : [""];
  const rows: CellSpec[][] = [[...labelHeader, ...periods.map((p) => p.label), word("total", lang)]];
  const styles: StyleSpec[] = [headerStyle(`A1:${lastLetter}1`)];
  const numberFormats: SheetSpec["numberFormats"] = [];
  const memberRows = leaves.map((n) => (levels.length > 0 ? levels.map((l) => nodes[n].path[l] ?? "") : [""]));

  const addBlock = (tier: Tier) => {
    const values = result.cells[tier];
    const titleRow = rows.length + 1;
    rows.push([tierName(tier, lang)]);
    styles.push(titleStyle(`A${titleRow}:${lastLetter}${titleRow}`));

    const firstLeafRow = titleRow + 1;
    const rowTotals: number[] = [];
    leaves.forEach((_, leafPos) => {
      const r = firstLeafRow + leafPos;
      const amounts = Array.from({ length: P }, (_, p) => values[leafPos * P + p]);
      const total = sum(amounts);
      rowTotals.push(total);
      const totalCell: FormulaCell = {
        formula: `SUM(${rangeRef(r, firstPeriodCol, r, totalCol - 1)})`,
        result: total,
      };
      rows.push([...memberRows[leafPos], ...amounts, totalCell]);
    });

    const lastLeafRow = firstLeafRow + leaves.length - 1;
    const totalRow = lastLeafRow + 1;
    const columnTotal = (col: number, value: number): FormulaCell =>
      leaves.length > 0
        ? { formula: `SUM(${rangeRef(firstLeafRow, col, lastLeafRow, col)})`, result: value }
        : { formula: "0", result: 0 };
    const totals: CellSpec[] = [word("total", lang), ...Array<CellSpec>(labelCols - 1).fill(null)];
    periods.forEach((_, p) => {
      totals.push(columnTotal(firstPeriodCol + p, sum(leaves.map((__, leafPos) => values[leafPos * P + p]))));
    });
    totals.push(columnTotal(totalCol, sum(rowTotals)));
    rows.push(totals);

    styles.push(totalStyle(`A${totalRow}:${lastLetter}${totalRow}`));
    styles.push({ range: rangeRef(firstLeafRow, totalCol, totalRow, totalCol), bold: true });
    numberFormats.push({ range: rangeRef(firstLeafRow, firstPeriodCol, totalRow, totalCol), format });
  };

  tiersTargetFirst(result.tiers).forEach((tier, i) => {
    if (i > 0) rows.push([]);
    addBlock(tier);
  });

  const labelWidths = labelHeader.map((label, i) =>
    fitWidth([label, word("total", lang), ...result.tiers.map((t) => tierName(t, lang)), ...memberRows.map((m) => m[i])], 10, 30),
  );

  return {
    kind: "matrix",
    name: sheetName("matrix", lang),
    rows,
    numberFormats,
    conditionalFormats: [],
    styles,
    columnWidths: [...labelWidths, ...periods.map((p) => fitWidth([p.label], 12, 20)), 14],
    freeze: { rows: 1, cols: labelCols },
  };
}
