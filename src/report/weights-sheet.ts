/**
 * The weights review sheet (Weights Review / 权重审核): how every allocated number follows
 * from the cells beside it, with live formulas a finance reviewer can click through.
 *
 * Layout: the plan total first, then one section per parent in depth-first order. A section is
 * a title row, the parent's children (so siblings sit together and their formulas use plain
 * ranges) and a subtotal row:
 *
 *   share      = basis ÷ Σ basis of the unlocked siblings        (a lock: lock ÷ parent's exact)
 *   available  = parent's exact − Σ locks of the siblings
 *   exact      = available × share                                (a lock: the lock)
 *   rounding   = allocated − exact
 *   check      = ✓ when the siblings' allocated amounts add up to the parent's, in every tier
 *
 * Every division is guarded, so a group whose basis is zero shows 0, not #DIV/0!. The cached
 * result of each formula is computed here with the same arithmetic, in the same order.
 */
import type { PlanNode, PlanResult, Tier } from "../engine/types";
import type { Lang } from "../i18n";
import { cellRef, columnLetter, rangeRef } from "./a1";
import {
  amountFormat,
  BASIS_FORMAT,
  COLORS,
  fitWidth,
  headerStyle,
  SHARE_FORMAT,
  titleStyle,
  totalStyle,
  unitDecimals,
} from "./format";
import { allocatedHeader, methodName, sheetName, tierName, word } from "./labels";
import type { CellSpec, FormulaCell, SheetSpec, StyleSpec } from "./spec";

export const CHECK_OK = "✓";
export const CHECK_FAIL = "✗";

/** Column positions (1-based) of the weights review. */
interface Columns {
  levels: number;
  level: number;
  method: number;
  basis: number;
  share: number;
  lock: number;
  available: number;
  exact: number;
  allocated: number;
  rounding: number;
  /** Allocated amounts of the tiers other than Target, in tier order. */
  otherTiers: { tier: Tier; col: number }[];
  check: number;
  width: number;
}

function layoutColumns(result: PlanResult): Columns {
  const levels = result.levels.length;
  const otherTiers = result.tiers.filter((t) => t !== "target");
  const check = levels + 10 + otherTiers.length;
  return {
    levels,
    level: levels + 1,
    method: levels + 2,
    basis: levels + 3,
    share: levels + 4,
    lock: levels + 5,
    available: levels + 6,
    exact: levels + 7,
    allocated: levels + 8,
    rounding: levels + 9,
    otherTiers: otherTiers.map((tier, i) => ({ tier, col: levels + 10 + i })),
    check,
    width: check,
  };
}

const isLocked = (node: PlanNode) => node.basisKind === "Lock";
const lockOf = (node: PlanNode) => node.lock ?? node.basis;

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Excel's ROUND(x, 6) = 0, as the check formula tests it. */
const roundsToZero = (x: number) => Math.abs(x) < 5e-7;

export function buildWeightsSheet(result: PlanResult, lang: Lang): SheetSpec {
  const cols = layoutColumns(result);
  const { nodes, levels, levelLabels } = result;
  const labelOf = new Map(levels.map((l, i) => [l, levelLabels[i]]));
  const lastLetter = columnLetter(cols.width);

  const rows: CellSpec[][] = [];
  const styles: StyleSpec[] = [];
  const set = (row: CellSpec[], col: number, value: CellSpec) => {
    row[col - 1] = value;
  };
  const emptyRow = (): CellSpec[] => Array<CellSpec>(cols.width).fill(null);

  // Header.
  const header = emptyRow();
  levelLabels.forEach((label, i) => set(header, i + 1, label));
  set(header, cols.level, word("level", lang));
  set(header, cols.method, word("method", lang));
  set(header, cols.basis, word("basis", lang));
  set(header, cols.share, word("share", lang));
  set(header, cols.lock, word("lock", lang));
  set(header, cols.available, word("available", lang));
  set(header, cols.exact, word("exact", lang));
  set(header, cols.allocated, allocatedHeader(lang));
  set(header, cols.rounding, word("difference", lang));
  cols.otherTiers.forEach(({ tier, col }) => set(header, col, tierName(tier, lang)));
  set(header, cols.check, word("check", lang));
  rows.push(header);
  styles.push(headerStyle(`A1:${lastLetter}1`));

  const allocatedCol = (tier: Tier) =>
    tier === "target" ? cols.allocated : cols.otherTiers.find((t) => t.tier === tier)!.col;

  /** Where each node's row is, and the exact value its formulas evaluate to. */
  const rowOf = new Map<number, number>();
  const exactOf = new Map<number, number>();
  const checkCells: string[] = [];
  let failedChecks = 0;

  const pathCells = (row: CellSpec[], node: PlanNode) => {
    levels.forEach((level, i) => {
      const member = node.path[level];
      if (member !== undefined) set(row, i + 1, member);
    });
  };
  const tierCells = (row: CellSpec[], node: PlanNode) => {
    set(row, cols.allocated, node.amount.target);
    cols.otherTiers.forEach(({ tier, col }) => set(row, col, node.amount[tier]));
  };
  const roundingCell = (r: number, allocated: number, exact: number): FormulaCell => ({
    formula: `${cellRef(r, cols.allocated)}-${cellRef(r, cols.exact)}`,
    result: allocated - exact,
  });

  // The plan total.
  const rootIndex = nodes.findIndex((n) => n.parent < 0);
  const root = nodes[rootIndex];
  const rootRowNumber = rows.length + 1;
  const rootRow = emptyRow();
  set(rootRow, cols.level, word("planTotal", lang));
  set(rootRow, cols.share, 1);
  set(rootRow, cols.exact, root.exact.target);
  tierCells(rootRow, root);
  set(rootRow, cols.rounding, roundingCell(rootRowNumber, root.amount.target, root.exact.target));
  rows.push(rootRow);
  styles.push(titleStyle(`A${rootRowNumber}:${lastLetter}${rootRowNumber}`));
  rowOf.set(rootIndex, rootRowNumber);
  exactOf.set(rootIndex, root.exact.target);

  // One section per parent, depth-first, so a parent's row is always written before its children's.
  nodes.forEach((parent, parentIndex) => {
    if (parent.children.length === 0) return;
    const children = parent.children.map((i) => nodes[i]);
    const parentRow = rowOf.get(parentIndex)!;
    const parentExact = exactOf.get(parentIndex)!;
    const parentExactRef = cellRef(parentRow, cols.exact, true);

    rows.push([]);
    const titleRowNumber = rows.length + 1;
    const title =
      parent.parent < 0
        ? word("planTotal", lang)
        : levels
            .filter((l) => parent.path[l] !== undefined)
            .map((l) => `${labelOf.get(l)} ${parent.path[l]}`)
            .join(" › ");
    rows.push([`${word("under", lang)}${lang === "zh" ? ":" : ": "}${title}`]);
    styles.push({ range: `A${titleRowNumber}:${lastLetter}${titleRowNumber}`, bold: true, fill: COLORS.sectionFill });

    const first = titleRowNumber + 1;
    const last = first + children.length - 1;
    const subtotal = last + 1;
    const columnRange = (col: number) => rangeRef(first, col, last, col);
    const basisTotalRef = cellRef(subtotal, cols.basis, true);
    const lockTotalRef = cellRef(subtotal, cols.lock, true);

    const basisTotal = sum(children.filter((c) => !isLocked(c)).map((c) => c.basis));
    const lockTotal = sum(children.filter(isLocked).map(lockOf));
    const available = parentExact - lockTotal;

    const exacts: number[] = [];
    children.forEach((child, k) => {
      const r = first + k;
      const row = emptyRow();
      pathCells(row, child);
      set(row, cols.level, labelOf.get(child.level) ?? child.level);
      set(row, cols.method, methodName(child.basisKind, child.fallback, lang));
      set(row, cols.available, { formula: `${parentExactRef}-${lockTotalRef}`, result: available });

      let exact: number;
      if (isLocked(child)) {
        const lock = lockOf(child);
        set(row, cols.lock, lock);
        set(row, cols.share, {
          formula: `IF(${parentExactRef}=0,0,${cellRef(r, cols.lock)}/${parentExactRef})`,
          result: parentExact === 0 ? 0 : lock / parentExact,
        });
        exact = lock;
        set(row, cols.exact, { formula: cellRef(r, cols.lock), result: exact });
      } else {
        const share = basisTotal === 0 ? 0 : child.basis / basisTotal;
        set(row, cols.basis, child.basis);
        set(row, cols.share, {
          formula: `IF(${basisTotalRef}=0,0,${cellRef(r, cols.basis)}/${basisTotalRef})`,
          result: share,
        });
        exact = available * share;
        set(row, cols.exact, { formula: `${cellRef(r, cols.available)}*${cellRef(r, cols.share)}`, result: exact });
      }
      tierCells(row, child);
      set(row, cols.rounding, roundingCell(r, child.amount.target, exact));
      rows.push(row);

      rowOf.set(parent.children[k], r);
      exactOf.set(parent.children[k], exact);
      exacts.push(exact);
    });

    // Subtotal and check.
    const totalRow = emptyRow();
    const sumCell = (col: number, value: number): FormulaCell => ({ formula: `SUM(${columnRange(col)})`, result: value });
    const allocatedSum = sum(children.map((c) => c.amount.target));
    set(totalRow, cols.level, word("subtotal", lang));
    set(totalRow, cols.basis, sumCell(cols.basis, basisTotal));
    set(totalRow, cols.lock, sumCell(cols.lock, lockTotal));
    set(totalRow, cols.exact, sumCell(cols.exact, sum(exacts)));
    set(totalRow, cols.allocated, sumCell(cols.allocated, allocatedSum));
    set(totalRow, cols.rounding, sumCell(cols.rounding, sum(children.map((c, k) => c.amount.target - exacts[k]))));
    cols.otherTiers.forEach(({ tier, col }) => set(totalRow, col, sumCell(col, sum(children.map((c) => c.amount[tier])))));

    const tiers: Tier[] = ["target", ...cols.otherTiers.map((t) => t.tier)];
    const conditions = tiers.map((tier) => {
      const col = allocatedCol(tier);
      return `ROUND(${cellRef(subtotal, col)}-${cellRef(parentRow, col)},6)=0`;
    });
    const ok = tiers.every((tier) => roundsToZero(sum(children.map((c) => c.amount[tier])) - parent.amount[tier]));
    if (!ok) failedChecks++;
    set(totalRow, cols.check, {
      formula: `IF(AND(${conditions.join(",")}),"${CHECK_OK}","${CHECK_FAIL}")`,
      result: ok ? CHECK_OK : CHECK_FAIL,
    });
    checkCells.push(cellRef(subtotal, cols.check));
    rows.push(totalRow);
    styles.push(totalStyle(`A${subtotal}:${lastLetter}${subtotal}`));
  });

  // The plan total's check: every group adds up.
  const lastRow = rows.length;
  set(
    rootRow,
    cols.check,
    checkCells.length > 0
      ? {
          formula: `IF(COUNTIF(${rangeRef(rootRowNumber + 1, cols.check, lastRow, cols.check)},"${CHECK_FAIL}")=0,"${CHECK_OK}","${CHECK_FAIL}")`,
          result: failedChecks === 0 ? CHECK_OK : CHECK_FAIL,
        }
      : CHECK_OK,
  );

  const amount = amountFormat(result.unit);
  const exactFormat = `#,##0.${"0".repeat(Math.max(2, unitDecimals(result.unit) + 2))}`;
  const columnSpan = (col: number) => rangeRef(2, col, Math.max(2, lastRow), col);
  const numberFormats: SheetSpec["numberFormats"] = [
    { range: columnSpan(cols.basis), format: BASIS_FORMAT },
    { range: columnSpan(cols.share), format: SHARE_FORMAT },
    { range: columnSpan(cols.lock), format: amount },
    { range: rangeRef(2, cols.available, Math.max(2, lastRow), cols.exact), format: exactFormat },
    { range: columnSpan(cols.allocated), format: amount },
    { range: columnSpan(cols.rounding), format: exactFormat },
    ...cols.otherTiers.map(({ col }) => ({ range: columnSpan(col), format: amount })),
  ];

  const checkRange = columnSpan(cols.check);
  styles.push({ range: checkRange, align: "center", bold: true });

  const levelWidths = levels.map((level, i) =>
    fitWidth([levelLabels[i], ...nodes.map((n) => n.path[level] ?? "")], 10, 30),
  );
  const methodWidth = fitWidth(
    [word("method", lang), ...nodes.map((n) => methodName(n.basisKind, n.fallback, lang))],
    10,
    24,
  );

  return {
    kind: "weights",
    name: sheetName("weights", lang),
    rows,
    numberFormats,
    conditionalFormats: [
      { type: "cellIs", range: checkRange, operator: "equal", formulae: [`"${CHECK_OK}"`], fill: COLORS.goodFill, fontColor: COLORS.good },
      { type: "cellIs", range: checkRange, operator: "equal", formulae: [`"${CHECK_FAIL}"`], fill: COLORS.badFill, fontColor: COLORS.bad },
    ],
    styles,
    columnWidths: [
      ...levelWidths,
      fitWidth([word("level", lang), word("planTotal", lang), word("subtotal", lang), ...levelLabels], 10, 20),
      methodWidth,
      14, // basis
      10, // share
      14, // lock
      16, // available
      16, // exact
      18, // allocated (target)
      12, // rounding
      ...cols.otherTiers.map(() => 14),
      8,
    ],
    freeze: { rows: 1, cols: cols.level },
  };
}
