/**
 * The weights review sheet (Weights Review / 权重审核): how every allocated number follows
 * from the cells beside it, with live formulas a finance reviewer can click through.
 *
 * Layout: the plan total first, then one section per parent in depth-first order. A section is
 * a title row, the parent's children (so siblings sit together and their formulas use plain
 * ranges) and a subtotal row. The columns, for one child:
 *
 *   share      = basis ÷ Σ basis of the unlocked siblings        (a lock: lock ÷ parent's exact)
 *   available  = parent's exact − Σ locks of the siblings (not below zero)
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
import { checkSheetSize } from "./limits";
import type { ConditionalFormatSpec, CellSpec, FormulaCell, SheetSpec, StyleSpec } from "./spec";
import { upliftSentence } from "./uplift-note";
import { upliftAddsUpAt } from "../engine/uplift";
import { numberText } from "../engine/amounts";

export const CHECK_OK = "✓";
export const CHECK_FAIL = "✗";

/** ✓ in green and ✗ in red, for a range of check cells (every sheet with checks uses these). */
export function checkMarkFormats(range: string): ConditionalFormatSpec[] {
  return [
    { type: "cellIs", range, operator: "equal", formulae: [`"${CHECK_OK}"`], fill: COLORS.goodFill, fontColor: COLORS.good },
    { type: "cellIs", range, operator: "equal", formulae: [`"${CHECK_FAIL}"`], fill: COLORS.badFill, fontColor: COLORS.bad },
  ];
}

/** Column positions (1-based) of the weights review. */
interface Columns {
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

/**
 * Builds the review row by row. It remembers where each node's row is and the exact value its
 * formulas evaluate to, because a section's formulas point at its parent's row.
 */
class ReviewBuilder {
  readonly rows: CellSpec[][] = [];
  readonly styles: StyleSpec[] = [];
  private readonly rowOf = new Map<number, number>();
  private readonly exactOf = new Map<number, number>();
  private readonly labelOf: Map<string, string>;
  private readonly lastLetter: string;
  private rootRow: CellSpec[] = [];
  private rootRowNumber = 0;
  private sections = 0;
  private failedChecks = 0;

  constructor(
    private readonly result: PlanResult,
    private readonly cols: Columns,
    private readonly lang: Lang,
  ) {
    this.labelOf = new Map(result.levels.map((l, i) => [l, result.levelLabels[i]]));
    this.lastLetter = columnLetter(cols.width);
  }

  /** 1-based number of the row pushed next. */
  private get nextRow(): number {
    return this.rows.length + 1;
  }

  private emptyRow(): CellSpec[] {
    return Array<CellSpec>(this.cols.width).fill(null);
  }

  /** The whole width of row r, e.g. "A5:N5". */
  private rowRange(r: number): string {
    return `A${r}:${this.lastLetter}${r}`;
  }

  header(): void {
    const { cols, lang } = this;
    const row = this.emptyRow();
    this.result.levelLabels.forEach((label, i) => (row[i] = label));
    const put = (col: number, text: string) => (row[col - 1] = text);
    put(cols.level, word("level", lang));
    put(cols.method, word("method", lang));
    put(cols.basis, word("basis", lang));
    put(cols.share, word("share", lang));
    put(cols.lock, word("lock", lang));
    put(cols.available, word("available", lang));
    put(cols.exact, word("exact", lang));
    put(cols.allocated, allocatedHeader(lang));
    put(cols.rounding, word("difference", lang));
    cols.otherTiers.forEach(({ tier, col }) => put(col, tierName(tier, lang)));
    put(cols.check, word("check", lang));
    this.rows.push(row);
    this.styles.push(headerStyle(`A1:${this.lastLetter}1`));
  }

  /** The plan total: its exact value is the given total, the start of every chain of formulas. */
  root(rootIndex: number): void {
    const { cols } = this;
    const root = this.result.nodes[rootIndex];
    const r = this.nextRow;
    const row = this.emptyRow();
    row[cols.level - 1] = word("planTotal", this.lang);
    row[cols.share - 1] = 1;
    row[cols.exact - 1] = root.exact.target;
    this.amounts(row, root);
    row[cols.rounding - 1] = this.rounding(r, root.amount.target, root.exact.target);
    this.rows.push(row);
    this.styles.push(titleStyle(this.rowRange(r)));
    this.rowOf.set(rootIndex, r);
    this.exactOf.set(rootIndex, root.exact.target);
    this.rootRow = row;
    this.rootRowNumber = r;
  }

  /** A parent's children with their subtotal and check. The parent's row must already be written. */
  section(parentIndex: number): void {
    const { cols, lang, result } = this;
    const parent = result.nodes[parentIndex];
    const children = parent.children.map((i) => result.nodes[i]);
    const parentRow = this.rowOf.get(parentIndex)!;
    // Uplift / 超额分配: the children share the parent × (1 + u), rounded to Unit — written on the
    // section's title row, with the sentence that says so, and their formulas start from it.
    const uplift = result.uplift?.find((u) => u.index === parent.depth);
    let parentExact = this.exactOf.get(parentIndex)!;
    let parentExactRef = cellRef(parentRow, cols.exact, true);

    this.rows.push([]);
    const titleRow = this.nextRow;
    const title: CellSpec[] = [`${word("under", lang)}${lang === "zh" ? ":" : ": "}${this.describe(parent)}`];
    if (uplift) {
      title[0] = `${title[0]} · ${upliftSentence(result, uplift, lang)}`;
      const row = this.emptyRow();
      row[0] = title[0];
      const unit = numberText(result.unit);
      const uplifted = sum(children.map((c) => c.amount.target));
      row[cols.exact - 1] = { formula: `ROUND(${cellRef(parentRow, cols.allocated, true)}*(1+${numberText(uplift.fraction)})/${unit},0)*${unit}`, result: uplifted };
      title.splice(0, title.length, ...row);
      parentExact = uplifted;
      parentExactRef = cellRef(titleRow, cols.exact, true);
    }
    this.rows.push(title);
    this.styles.push({ range: this.rowRange(titleRow), bold: true, fill: COLORS.sectionFill });

    const first = titleRow + 1;
    const last = first + children.length - 1;
    const subtotal = last + 1;
    const basisTotalRef = cellRef(subtotal, cols.basis, true);
    const lockTotalRef = cellRef(subtotal, cols.lock, true);
    const basisTotal = sum(children.filter((c) => !isLocked(c)).map((c) => c.basis));
    const lockTotal = sum(children.filter(isLocked).map(lockOf));
    // As the engine does: what the locks leave, never below zero.
    const available = Math.max(0, parentExact - lockTotal);

    const exacts = children.map((child, k) => {
      const r = first + k;
      const row = this.emptyRow();
      result.levels.forEach((level, i) => {
        if (child.path[level] !== undefined) row[i] = child.path[level];
      });
      row[cols.level - 1] = this.labelOf.get(child.level) ?? child.level;
      row[cols.method - 1] = methodName(child.basisKind, child.fallback, lang);
      row[cols.available - 1] = { formula: `MAX(0,${parentExactRef}-${lockTotalRef})`, result: available };

      let exact: number;
      if (isLocked(child)) {
        const lock = lockOf(child);
        row[cols.lock - 1] = lock;
        row[cols.share - 1] = {
          formula: `IF(${parentExactRef}=0,0,${cellRef(r, cols.lock)}/${parentExactRef})`,
          result: parentExact === 0 ? 0 : lock / parentExact,
        };
        exact = lock;
        row[cols.exact - 1] = { formula: cellRef(r, cols.lock), result: exact };
      } else {
        const share = basisTotal === 0 ? 0 : child.basis / basisTotal;
        row[cols.basis - 1] = child.basis;
        row[cols.share - 1] = {
          formula: `IF(${basisTotalRef}=0,0,${cellRef(r, cols.basis)}/${basisTotalRef})`,
          result: share,
        };
        exact = available * share;
        row[cols.exact - 1] = { formula: `${cellRef(r, cols.available)}*${cellRef(r, cols.share)}`, result: exact };
      }
      this.amounts(row, child);
      row[cols.rounding - 1] = this.rounding(r, child.amount.target, exact);
      this.rows.push(row);
      this.rowOf.set(parent.children[k], r);
      this.exactOf.set(parent.children[k], exact);
      return exact;
    });

    const row = this.emptyRow();
    const sumOf = (col: number, value: number): FormulaCell => ({
      formula: `SUM(${rangeRef(first, col, last, col)})`,
      result: value,
    });
    row[cols.level - 1] = word("subtotal", lang);
    row[cols.basis - 1] = sumOf(cols.basis, basisTotal);
    row[cols.lock - 1] = sumOf(cols.lock, lockTotal);
    row[cols.exact - 1] = sumOf(cols.exact, sum(exacts));
    row[cols.allocated - 1] = sumOf(cols.allocated, sum(children.map((c) => c.amount.target)));
    row[cols.rounding - 1] = sumOf(cols.rounding, sum(children.map((c, k) => c.amount.target - exacts[k])));
    cols.otherTiers.forEach(({ tier, col }) => (row[col - 1] = sumOf(col, sum(children.map((c) => c.amount[tier])))));

    // ✓ when the children's allocated amounts add up to the parent's, in every tier.
    const tiers: { tier: Tier; col: number }[] = [{ tier: "target", col: cols.allocated }, ...cols.otherTiers];
    const parentOf = (col: number): string =>
      uplift ? `ROUND(${cellRef(parentRow, col)}*(1+${numberText(uplift.fraction)})/${numberText(result.unit)},0)*${numberText(result.unit)}` : cellRef(parentRow, col);
    const conditions = tiers.map(({ col }) => `ROUND(${cellRef(subtotal, col)}-${parentOf(col)},6)=0`);
    const ok = uplift
      ? upliftAddsUpAt(result, uplift, parentIndex)
      : tiers.every(({ tier }) => roundsToZero(sum(children.map((c) => c.amount[tier])) - parent.amount[tier]));
    row[cols.check - 1] = {
      formula: `IF(AND(${conditions.join(",")}),"${CHECK_OK}","${CHECK_FAIL}")`,
      result: ok ? CHECK_OK : CHECK_FAIL,
    };
    this.rows.push(row);
    this.styles.push(totalStyle(this.rowRange(subtotal)));
    this.sections++;
    if (!ok) this.failedChecks++;
  }

  /** The plan total's check: ✓ when no group below shows ✗. */
  overallCheck(): void {
    const { cols } = this;
    this.rootRow[cols.check - 1] =
      this.sections === 0
        ? CHECK_OK
        : {
            formula: `IF(COUNTIF(${rangeRef(this.rootRowNumber + 1, cols.check, this.rows.length, cols.check)},"${CHECK_FAIL}")=0,"${CHECK_OK}","${CHECK_FAIL}")`,
            result: this.failedChecks === 0 ? CHECK_OK : CHECK_FAIL,
          };
  }

  /** "Region East › Team T1", or "Plan total" for the root. */
  private describe(node: PlanNode): string {
    if (node.parent < 0) return word("planTotal", this.lang);
    return this.result.levels
      .filter((l) => node.path[l] !== undefined)
      .map((l) => `${this.labelOf.get(l)} ${node.path[l]}`)
      .join(" › ");
  }

  private amounts(row: CellSpec[], node: PlanNode): void {
    row[this.cols.allocated - 1] = node.amount.target;
    this.cols.otherTiers.forEach(({ tier, col }) => (row[col - 1] = node.amount[tier]));
  }

  private rounding(r: number, allocated: number, exact: number): FormulaCell {
    return { formula: `${cellRef(r, this.cols.allocated)}-${cellRef(r, this.cols.exact)}`, result: allocated - exact };
  }
}

/**
 * Rows and columns of the weights review: the header, the plan total, then per parent an empty
 * row, its title, its children and its subtotal.
 */
export function weightsSheetSize(result: PlanResult): { rows: number; columns: number } {
  let parents = 0;
  for (const node of result.nodes) if (node.children.length > 0) parents++;
  return { rows: 2 + (result.nodes.length - 1) + 3 * parents, columns: layoutColumns(result).width };
}

export function buildWeightsSheet(result: PlanResult, lang: Lang): SheetSpec {
  const size = weightsSheetSize(result);
  checkSheetSize(sheetName("weights", lang), "weights", size.rows, size.columns);
  const cols = layoutColumns(result);
  const { nodes, levels, levelLabels } = result;

  const builder = new ReviewBuilder(result, cols, lang);
  builder.header();
  builder.root(nodes.findIndex((n) => n.parent < 0));
  // Depth-first, so a parent's row is always written before its section.
  nodes.forEach((node, i) => {
    if (node.children.length > 0) builder.section(i);
  });
  builder.overallCheck();
  const { rows, styles } = builder;

  const lastRow = Math.max(2, rows.length);
  const columnSpan = (col: number) => rangeRef(2, col, lastRow, col);
  const amount = amountFormat(result.unit);
  const exactFormat = `#,##0.${"0".repeat(unitDecimals(result.unit) + 2)}`;
  const numberFormats: SheetSpec["numberFormats"] = [
    { range: columnSpan(cols.basis), format: BASIS_FORMAT },
    { range: columnSpan(cols.share), format: SHARE_FORMAT },
    { range: columnSpan(cols.lock), format: amount },
    { range: rangeRef(2, cols.available, lastRow, cols.exact), format: exactFormat },
    { range: columnSpan(cols.allocated), format: amount },
    { range: columnSpan(cols.rounding), format: exactFormat },
    ...cols.otherTiers.map(({ col }) => ({ range: columnSpan(col), format: amount })),
  ];

  const checkRange = columnSpan(cols.check);
  styles.push({ range: checkRange, align: "center", bold: true });

  return {
    kind: "weights",
    name: sheetName("weights", lang),
    rows,
    numberFormats,
    conditionalFormats: checkMarkFormats(checkRange),
    styles,
    columnWidths: [
      ...levels.map((level, i) => fitWidth([levelLabels[i], ...nodes.map((n) => n.path[level] ?? "")], 10, 30)),
      fitWidth([word("level", lang), word("planTotal", lang), word("subtotal", lang), ...levelLabels], 10, 20),
      fitWidth([word("method", lang), ...nodes.map((n) => methodName(n.basisKind, n.fallback, lang))], 10, 24),
      14, // basis
      10, // share
      14, // lock
      16, // available
      16, // exact
      18, // allocated (target)
      12, // rounding
      ...cols.otherTiers.map(() => 14),
      8, // check
    ],
    freeze: { rows: 1, cols: cols.level },
  };
}
