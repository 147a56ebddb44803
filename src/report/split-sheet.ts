/**
 * The parallel splits sheet (Split / 并行分解): the plan, or each node of a level, split over the
 * members of another History dimension (product series, customer group …).
 *
 * Per split and node: a title; the members' table — the member, its History (basis), share =
 * basis ÷ Σ basis (live), and per tier its amount = SUM of its row in the tier's block (live),
 * with a total row and the node's own amounts, checked ✓; then per tier (Target first) a block of
 * members down and periods across, row totals, a total row, the node's periods and a ✓ per
 * period when the members add up to it. Amounts are values (the engine's exact rounding); every
 * total and check is a live formula, guarded so none can show an error.
 */
import type { NodeSplit, SplitResult, SplitsResult } from "../engine/splits";
import type { HistoryColumns } from "../engine/funnel";
import type { PlanResult, Tier } from "../engine/types";
import type { Lang } from "../i18n";
import { cellRef, columnLetter, rangeRef } from "./a1";
import { BASIS_FORMAT, fitWidth, headerStyle, planAmountFormat, SHARE_FORMAT, tiersTargetFirst, titleStyle, totalStyle } from "./format";
import { sheetName, tierName, word } from "./labels";
import { checkSheetSize } from "./limits";
import { cleanNumber } from "./result-json";
import type { CellSpec, FormulaCell, SheetSpec, StyleSpec } from "./spec";
import { CHECK_FAIL, CHECK_OK, checkMarkFormats } from "./weights-sheet";

type Words = Record<Lang, string>;

const WORDS = {
  title: { en: "Split: the plan by {dimensions}, in parallel with the organisation", zh: "并行分解：按{dimensions}分解的目标（与组织分解并行）" },
  note1: {
    en: "Share = the member's History of the metric ÷ the History of all members under the same node (equal when that History is zero).",
    zh: "占比 = 该成员的历史业绩 ÷ 同一上级下全部成员的历史业绩（历史为零时平均分配）。",
  },
  note2: {
    en: "Every amount is a multiple of the rounding unit, within one unit of share × the node's amount; the members add up exactly to the node in every period and tier (✓).",
    zh: "每个金额均为取整单位的整数倍，与“占比 × 上级金额”相差不超过一个单位；各成员在每一期间、每一档位精确相加等于上级（✓）。",
  },
  basis: { en: "Basis (History)", zh: "基数(历史)" },
  equalBasis: { en: "Basis (equal: no History)", zh: "基数(平均：无历史)" },
  plan: { en: "Plan", zh: "总目标" },
  byPeriod: { en: "by period", zh: "分期" },
} satisfies Record<string, Words>;

function w(key: keyof typeof WORDS, lang: Lang): string {
  return WORDS[key][lang];
}

/** "Region East" / "区域 华东" for a node, "Plan" / "总目标" for the root. */
export function nodeLabel(result: PlanResult, node: number, lang: Lang): string {
  const path = result.nodes[node].path;
  const parts = result.levels.flatMap((l, i) => (path[l] !== undefined ? [`${result.levelLabels[i]} ${path[l]}`] : []));
  return parts.length ? parts.join(" › ") : w("plan", lang);
}

/** Rows and columns: title and notes; per node split a title, header, members, total, node row, then per tier a title, header, members, total, node row, check. */
export function splitSheetSize(result: PlanResult, splits: SplitsResult): { rows: number; columns: number } {
  const T = splits.tiers.length;
  let rows = 3;
  for (const s of splits.splits) for (const n of s.nodes) rows += 1 + 1 + 1 + n.members.length + 2 + T * (1 + 1 + n.members.length + 3);
  const P = result.periods.length;
  return { rows, columns: Math.max(4 + T, P + 2) };
}

export function buildSplitSheet(result: PlanResult, splits: SplitsResult, lang: Lang, columns?: HistoryColumns): SheetSpec {
  const size = splitSheetSize(result, splits);
  const name = sheetName("split", lang);
  checkSheetSize(name, "split", size.rows, size.columns);
  const label = (dimension: string): string => columns?.labels[dimension] ?? dimension;
  const dimensions = [...new Set(splits.splits.map((s) => label(s.dimension)))].join(lang === "zh" ? "、" : ", ");
  const rows: CellSpec[][] = [];
  const styles: StyleSpec[] = [];
  const numberFormats: SheetSpec["numberFormats"] = [];
  const amount = planAmountFormat(result);
  const width = size.columns;
  const last = columnLetter(width);
  const P = result.periods.length;

  rows.push([w("title", lang).replace("{dimensions}", dimensions)]);
  styles.push(titleStyle(`A1:${last}1`));
  rows.push([w("note1", lang)]);
  rows.push([w("note2", lang)]);
  styles.push({ range: "A2:A3", italic: true });

  const tiers = splits.tiers;
  for (const split of splits.splits) for (const node of split.nodes) section(split, node);

  function section(split: SplitResult, node: NodeSplit): void {
    const K = node.members.length;
    const dimLabel = label(split.dimension);
    rows.push([]);
    const titleRow = rows.length + 1;
    rows.push([`${dimLabel} · ${nodeLabel(result, node.node, lang)}`]);
    styles.push(titleStyle(`A${titleRow}:${last}${titleRow}`));

    // The members' table.
    const tierCol = (k: number) => 4 + k;
    const checkCol = 4 + tiers.length;
    const headerRow = rows.length + 1;
    rows.push([dimLabel, w(node.basisKind === "Equal" ? "equalBasis" : "basis", lang), word("share", lang), ...tiers.map((t) => tierName(t, lang)), word("check", lang)]);
    styles.push(headerStyle(rangeRef(headerRow, 1, headerRow, checkCol)));
    const firstMember = headerRow + 1;
    const lastMember = firstMember + K - 1;
    const totalRow = lastMember + 1;
    const nodeRow = totalRow + 1;
    // The tier blocks follow: block b starts after the node row; its member rows hold each member's periods.
    const blockStart = (b: number) => nodeRow + 1 + b * (K + 5);
    const order = tiersTargetFirst(tiers);
    const memberRowIn = (tier: Tier, k: number) => blockStart(order.indexOf(tier)) + 2 + k;
    const totalColumn = P + 2;
    const basisSum = node.members.reduce((a, m) => a + m.basis, 0);
    const bases = `${cellRef(firstMember, 2, true)}:${cellRef(lastMember, 2, true)}`;
    node.members.forEach((m, k) => {
      const r = firstMember + k;
      const row: CellSpec[] = [m.member, m.basis];
      row[2] = { formula: `IF(SUM(${bases})=0,0,${cellRef(r, 2)}/SUM(${bases}))`, result: basisSum === 0 ? 0 : m.basis / basisSum };
      tiers.forEach((t, i) => {
        const at = memberRowIn(t, k);
        row[tierCol(i) - 1] = { formula: cellRef(at, totalColumn), result: m.amount[t] };
      });
      rows.push(row);
    });
    const total: CellSpec[] = [word("total", lang), sumOf(firstMember, lastMember, 2, basisSum), sumOf(firstMember, lastMember, 3, node.members.reduce((a, m) => a + m.share, 0))];
    tiers.forEach((t, i) => (total[tierCol(i) - 1] = sumOf(firstMember, lastMember, tierCol(i), node.members.reduce((a, m) => a + m.amount[t], 0))));
    const conditions = tiers.map((_, i) => `ROUND(${cellRef(totalRow, tierCol(i))}-${cellRef(nodeRow, tierCol(i))},6)=0`);
    const agrees = tiers.every((t) => roundsToZero(node.members.reduce((a, m) => a + m.amount[t], 0) - sumPeriods(node, t)));
    total[checkCol - 1] = { formula: `IF(AND(${conditions.join(",")}),"${CHECK_OK}","${CHECK_FAIL}")`, result: agrees ? CHECK_OK : CHECK_FAIL };
    rows.push(total);
    const nodeCells: CellSpec[] = [nodeLabel(result, node.node, lang), null, null];
    tiers.forEach((t, i) => (nodeCells[tierCol(i) - 1] = sumPeriods(node, t)));
    rows.push(nodeCells);
    styles.push(totalStyle(rangeRef(totalRow, 1, totalRow, checkCol)));
    styles.push({ range: rangeRef(nodeRow, 1, nodeRow, checkCol), italic: true });
    numberFormats.push({ range: rangeRef(firstMember, 2, totalRow, 2), format: BASIS_FORMAT });
    numberFormats.push({ range: rangeRef(firstMember, 3, totalRow, 3), format: SHARE_FORMAT });
    numberFormats.push({ range: rangeRef(firstMember, 4, nodeRow, checkCol - 1), format: amount });

    // Per tier: members × periods.
    for (const tier of order) {
      const cells = node.cells[tier]!;
      const periods = node.periods[tier]!;
      const blockTitle = rows.length + 1;
      rows.push([`${tierName(tier, lang)} · ${w("byPeriod", lang)}`]);
      styles.push({ range: rangeRef(blockTitle, 1, blockTitle, totalColumn), bold: true });
      const head = rows.length + 1;
      rows.push([dimLabel, ...result.periods.map((p) => p.label), word("total", lang)]);
      styles.push(headerStyle(rangeRef(head, 1, head, totalColumn)));
      const first = head + 1;
      node.members.forEach((m, k) => {
        const r = first + k;
        const values = Array.from({ length: P }, (_, j) => cells[k * P + j]);
        rows.push([m.member, ...values, { formula: `SUM(${rangeRef(r, 2, r, P + 1)})`, result: sum(values) }]);
      });
      const lastRow = first + K - 1;
      const tot = lastRow + 1;
      const planRow = tot + 1;
      const totals: CellSpec[] = [word("total", lang)];
      for (let j = 0; j <= P; j++) totals.push(sumOf(first, lastRow, j + 2, j < P ? sum(node.members.map((_, k) => cells[k * P + j])) : sum(Array.from(cells))));
      rows.push(totals);
      rows.push([nodeLabel(result, node.node, lang), ...Array.from(periods), { formula: `SUM(${rangeRef(planRow, 2, planRow, P + 1)})`, result: sum(Array.from(periods)) }]);
      const checks: CellSpec[] = [word("check", lang)];
      for (let j = 0; j <= P; j++) {
        const col = j + 2;
        const ok = roundsToZero((totals[j + 1] as FormulaCell).result as number - (j < P ? periods[j] : sum(Array.from(periods))));
        checks.push({ formula: `IF(ROUND(${cellRef(tot, col)}-${cellRef(planRow, col)},6)=0,"${CHECK_OK}","${CHECK_FAIL}")`, result: ok ? CHECK_OK : CHECK_FAIL });
      }
      rows.push(checks);
      styles.push(totalStyle(rangeRef(tot, 1, tot, totalColumn)));
      styles.push({ range: rangeRef(planRow, 1, planRow, totalColumn), italic: true });
      styles.push({ range: rangeRef(first, totalColumn, tot, totalColumn), bold: true });
      numberFormats.push({ range: rangeRef(first, 2, planRow, totalColumn), format: amount });
    }
  }

  const labelTexts = [w("plan", lang), word("total", lang), word("check", lang)];
  for (const s of splits.splits) {
    labelTexts.push(label(s.dimension));
    for (const n of s.nodes) for (const m of n.members) labelTexts.push(m.member);
  }
  return {
    kind: "split",
    name,
    rows,
    numberFormats,
    conditionalFormats: checkMarkFormats(`A1:${last}${Math.max(1, rows.length)}`),
    styles,
    columnWidths: [fitWidth(labelTexts, 12, 30), ...Array.from({ length: width - 1 }, () => 14)],
    freeze: { rows: 0, cols: 1 },
  };

  function sumPeriods(node: NodeSplit, tier: Tier): number {
    return sum(Array.from(node.periods[tier]!));
  }
}

/** Excel's ROUND(x, 6) = 0, as the check formulas test it. */
function roundsToZero(x: number): boolean {
  return Math.abs(x) < 5e-7;
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function sumOf(from: number, to: number, col: number, result: number): FormulaCell {
  return to >= from ? { formula: `SUM(${rangeRef(from, col, to, col)})`, result } : { formula: "0", result: 0 };
}

// ── RESULT.json: splits ──────────────────────────────────────────────────────────────────

export type SplitTierJson = Partial<Record<Tier, number>>;

export interface SplitJson {
  /** The History dimension, by its canonical name (Product, Customer) or its header. */
  dimension: string;
  /** The level whose nodes are split; left out for the whole plan. */
  level?: string;
  nodes: {
    path: Record<string, string>;
    basis: "History" | "Equal";
    members: ({ member: string; share: number } & SplitTierJson & { periods: ({ period: string } & SplitTierJson)[] })[];
  }[];
}

/** RESULT.json's `splits`: per split and node, each member's share and amounts, per period too. */
export function splitsJson(result: PlanResult, splits: SplitsResult): SplitJson[] {
  const P = result.periods.length;
  const tiers = splits.tiers;
  const amounts = (value: (t: Tier) => number): SplitTierJson => {
    const out: SplitTierJson = {};
    for (const t of tiers) out[t] = cleanNumber(value(t));
    return out;
  };
  return splits.splits.map((s) => ({
    dimension: s.dimension,
    ...(s.level !== undefined ? { level: s.level } : {}),
    nodes: s.nodes.map((n) => {
      const path: Record<string, string> = {};
      for (const l of result.levels) if (result.nodes[n.node].path[l] !== undefined) path[l] = result.nodes[n.node].path[l];
      return {
        path,
        basis: n.basisKind,
        members: n.members.map((m, k) => ({
          member: m.member,
          share: cleanNumber(m.share),
          ...amounts((t) => m.amount[t]),
          periods: result.periods.map((p, j) => ({ period: p.label, ...amounts((t) => n.cells[t]![k * P + j]) })),
        })),
      };
    }),
  }));
}
