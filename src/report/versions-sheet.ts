/**
 * The plan versions sheet (Plan Versions / 计划版本): the original plan and the re-plan at AsOf side
 * by side, per member and per member and period, with the change.
 *
 *  1. Per member: its actual to date, then per tier the original, the revised and the change
 *     (revised − original, live), and a ✓ when both versions equal the sums of the member's
 *     periods below; a total row and the plans' own totals, checked.
 *  2. Per member and period: the period, its status (actual: ended, the plan of record; plan: to
 *     come), then per tier the original, the revised and the change.
 *
 * Also RESULT.json's `versions` (the original first, the revision last), written row by row.
 */
import type { ReplanResult } from "../engine/replan";
import { amountQuanta, numberOfQuanta } from "../engine/amounts";
import { isoDate } from "../engine/dates";
import { TIERS, type PlanResult, type Tier } from "../engine/types";
import type { Lang } from "../i18n";
import { cellRef, columnLetter, rangeRef } from "./a1";
import { fitWidth, headerStyle, planAmountFormat, titleStyle, totalStyle } from "./format";
import { sheetName, tierName, word } from "./labels";
import { checkSheetSize } from "./limits";
import { cleanNumber } from "./result-json";
import type { CellSpec, FormulaCell, SheetSpec, StyleSpec } from "./spec";
import { upliftSentence } from "./uplift-note";
import { CHECK_FAIL, CHECK_OK, checkMarkFormats } from "./weights-sheet";

type Words = Record<Lang, string>;

const WORDS = {
  title: { en: "Plan versions: the original plan and the re-plan at {asOf}", zh: "计划版本：原计划与 {asOf} 的调整计划" },
  note1: {
    en: "Periods ended by {through} keep their actuals as the plan of record. Each member's remaining target (target − actual to date{floor}) is spread over the periods left {by}{pool}{holds}.",
    zh: "截至 {through} 已结束的期间以实际业绩为准。每位成员的剩余目标（目标 − 累计实际{floor}）{by}分摊到剩余期间{pool}{holds}。",
  },
  note2: {
    en: "Change = revised − original. Both versions add up exactly: members to the plan, periods to each member (✓).",
    zh: "变化 = 调整后 − 原计划。两个版本均精确相加：成员合计等于总目标，各期间合计等于成员目标（✓）。",
  },
  notBelowZero: { en: ", not below zero", zh: "，不低于零" },
  bySeason: { en: "by the plan's seasonality", zh: "按计划的季节性" },
  byOwnCells: { en: "in proportion to the member's own cells of the original plan there (its season, its Start, End and ramp)", zh: "按其原计划在剩余期间各期的比例（各自的季节、入职、离职与爬坡）" },
  holdsKept: { en: "; holds in the periods left kept exactly: {kept}", zh: "；剩余期间的锁定值精确保留：{kept} 个" },
  holdsReleased: { en: ", released (the remaining targets cannot carry them): {released}", zh: "，无法保留已释放：{released} 个" },
  pooled: { en: "; each {level}'s remaining gap is shared over its members by {method}", zh: "；各{level}的剩余差额按{method}分配给其成员" },
  byMember: { en: "By member", zh: "按成员" },
  byPeriod: { en: "By member and period", zh: "按成员、期间" },
  actualToDate: { en: "Actual to date", zh: "累计实际" },
  status: { en: "Status", zh: "状态" },
  actual: { en: "Actual", zh: "实际" },
  planned: { en: "Plan", zh: "计划" },
  original: { en: "original", zh: "原计划" },
  revised: { en: "revised", zh: "调整后" },
  change: { en: "change", zh: "变化" },
  plan: { en: "Plan", zh: "总目标" },
  gap: { en: "their own gaps", zh: "各自差额" },
  target: { en: "their original targets", zh: "原目标" },
  equal: { en: "equal shares", zh: "平均" },
} satisfies Record<string, Words>;

function w(key: keyof typeof WORDS, lang: Lang): string {
  return WORDS[key][lang];
}

/** A balanced plan's holds in the periods left: how many kept, how many released. */
function holdsNote(replan: ReplanResult, lang: Lang): string {
  const h = replan.holds;
  if (!h || h.kept.length + h.released.length === 0) return "";
  const kept = w("holdsKept", lang).replace("{kept}", String(h.kept.length));
  return h.released.length ? kept + w("holdsReleased", lang).replace("{released}", String(h.released.length)) : kept;
}

function header(tier: Tier, which: "original" | "revised" | "change", lang: Lang): string {
  return lang === "zh" ? `${tierName(tier, lang)}(${w(which, lang)})` : `${tierName(tier, lang)} (${w(which, lang)})`;
}

/** Rows and columns: three notes and an empty row; per member a header, a row each, a total and the plans' row; then a header, a row per member and period, and a total. */
export function versionsSheetSize(replan: ReplanResult): { rows: number; columns: number } {
  const plan = replan.revised;
  const L = plan.leaves.length;
  const P = plan.periods.length;
  const T = plan.tiers.length;
  const levels = Math.max(1, plan.levels.length);
  return { rows: 4 + 2 + L + 2 + 2 + 1 + L * P + 1, columns: Math.max(levels + 2 + 3 * T, levels + 1 + 3 * T + 1) };
}

export function buildVersionsSheet(replan: ReplanResult, lang: Lang): SheetSpec {
  const size = versionsSheetSize(replan);
  const name = sheetName("versions", lang);
  checkSheetSize(name, "versions", size.rows, size.columns);
  const { original, revised } = replan;
  const tiers = TIERS.filter((t) => revised.tiers.includes(t));
  const P = revised.periods.length;
  const L = revised.leaves.length;
  const levelCols = Math.max(1, revised.levels.length);
  const rows: CellSpec[][] = [];
  const styles: StyleSpec[] = [];
  const numberFormats: SheetSpec["numberFormats"] = [];
  const amount = planAmountFormat(revised);
  const last = columnLetter(size.columns);
  const members = revised.leaves.map((leaf) => (revised.levels.length ? revised.levels.map((l) => revised.nodes[leaf].path[l] ?? "") : [""]));
  const levelHeader = revised.levels.length ? [...revised.levelLabels] : [""];

  const methodWord = replan.method === "Target" ? w("target", lang) : replan.method === "Equal" ? w("equal", lang) : w("gap", lang);
  const poolLabel = replan.pool === undefined ? undefined : revised.levelLabels[revised.levels.indexOf(replan.pool)] ?? replan.pool;
  const note1 = w("note1", lang)
    .replace("{through}", isoDate(replan.actualsThrough))
    .replace("{floor}", replan.allowNegative ? "" : w("notBelowZero", lang))
    .replace("{by}", w(replan.holds ? "byOwnCells" : "bySeason", lang))
    .replace("{holds}", holdsNote(replan, lang))
    .replace("{pool}", poolLabel === undefined ? "" : w("pooled", lang).replace("{level}", poolLabel).replace("{method}", methodWord));
  rows.push([w("title", lang).replace("{asOf}", isoDate(replan.asOf))]);
  styles.push(titleStyle(`A1:${last}1`));
  rows.push([note1]);
  rows.push([w("note2", lang)]);
  styles.push({ range: "A2:A3", italic: true });
  rows.push([]);

  // 1. Per member.
  const memberTitle = rows.length + 1;
  rows.push([w("byMember", lang)]);
  styles.push(titleStyle(`A${memberTitle}:${last}${memberTitle}`));
  const actualCol = levelCols + 1;
  const tierCols = (i: number) => ({ original: actualCol + 1 + 3 * i, revised: actualCol + 2 + 3 * i, change: actualCol + 3 + 3 * i });
  const checkCol = actualCol + 1 + 3 * tiers.length;
  const head1 = rows.length + 1;
  rows.push([...levelHeader, w("actualToDate", lang), ...tiers.flatMap((t) => [header(t, "original", lang), header(t, "revised", lang), header(t, "change", lang)]), word("check", lang)]);
  styles.push(headerStyle(rangeRef(head1, 1, head1, checkCol)));
  const firstMember = head1 + 1;
  const lastMember = firstMember + L - 1;
  const totalRow = lastMember + 1;
  const planRow = totalRow + 1;
  // Section 2's rows: after the plans' row, an empty row, a title and a header.
  const firstPeriodRow = planRow + 4;
  const periodCols = (i: number) => ({ original: levelCols + 3 + 3 * i, revised: levelCols + 4 + 3 * i, change: levelCols + 5 + 3 * i });
  const sums = { original: new Map<Tier, number>(), revised: new Map<Tier, number>() };
  let failed = 0;
  revised.leaves.forEach((leaf, i) => {
    const r = firstMember + i;
    const row: CellSpec[] = [...members[i], replan.actual[i]];
    const from = firstPeriodRow + i * P;
    const to = from + P - 1;
    const conditions: string[] = [];
    let ok = true;
    tiers.forEach((t, k) => {
      const c = tierCols(k);
      const o = original.nodes[leaf].amount[t];
      const v = revised.nodes[leaf].amount[t];
      row[c.original - 1] = o;
      row[c.revised - 1] = v;
      row[c.change - 1] = { formula: `${cellRef(r, c.revised)}-${cellRef(r, c.original)}`, result: v - o };
      const pc = periodCols(k);
      conditions.push(`ROUND(${cellRef(r, c.original)}-SUM(${rangeRef(from, pc.original, to, pc.original)}),6)=0`);
      conditions.push(`ROUND(${cellRef(r, c.revised)}-SUM(${rangeRef(from, pc.revised, to, pc.revised)}),6)=0`);
      ok &&= roundsToZero(o - rowSum(original, t, i)) && roundsToZero(v - rowSum(revised, t, i));
      sums.original.set(t, (sums.original.get(t) ?? 0) + o);
      sums.revised.set(t, (sums.revised.get(t) ?? 0) + v);
    });
    if (!ok) failed++;
    row[checkCol - 1] = { formula: `IF(AND(${conditions.join(",")}),"${CHECK_OK}","${CHECK_FAIL}")`, result: ok ? CHECK_OK : CHECK_FAIL };
    rows.push(row);
  });
  const total: CellSpec[] = [word("total", lang), ...Array<CellSpec>(levelCols - 1).fill(null), sumOf(firstMember, lastMember, actualCol, sum(replan.actual))];
  // The plans' own totals; in an uplifted plan the members' quotas add up to more: their total (the
  // periods', exactly), and the row says so.
  const ups = revised.uplift ?? original.uplift ?? [];
  const planLabel = ups.length ? `${w("plan", lang)} · ${ups.map((u) => upliftSentence(revised, u, lang)).join(lang === "zh" ? "；" : "; ")}` : w("plan", lang);
  const planTotal = (plan: PlanResult, t: Tier): number => (plan.uplift?.length ? membersTotal(plan, t) : plan.totals[t]);
  const planCells: CellSpec[] = [planLabel, ...Array<CellSpec>(levelCols - 1).fill(null), null];
  const conditions: string[] = [];
  let totalsOk = true;
  tiers.forEach((t, k) => {
    const c = tierCols(k);
    total[c.original - 1] = sumOf(firstMember, lastMember, c.original, sums.original.get(t) ?? 0);
    total[c.revised - 1] = sumOf(firstMember, lastMember, c.revised, sums.revised.get(t) ?? 0);
    total[c.change - 1] = sumOf(firstMember, lastMember, c.change, (sums.revised.get(t) ?? 0) - (sums.original.get(t) ?? 0));
    planCells[c.original - 1] = planTotal(original, t);
    planCells[c.revised - 1] = planTotal(revised, t);
    planCells[c.change - 1] = { formula: `${cellRef(planRow, c.revised)}-${cellRef(planRow, c.original)}`, result: planTotal(revised, t) - planTotal(original, t) };
    conditions.push(`ROUND(${cellRef(totalRow, c.original)}-${cellRef(planRow, c.original)},6)=0`);
    conditions.push(`ROUND(${cellRef(totalRow, c.revised)}-${cellRef(planRow, c.revised)},6)=0`);
    totalsOk &&= roundsToZero((sums.original.get(t) ?? 0) - planTotal(original, t)) && roundsToZero((sums.revised.get(t) ?? 0) - planTotal(revised, t));
  });
  total[checkCol - 1] =
    L === 0
      ? CHECK_OK
      : {
          formula: `IF(AND(COUNTIF(${rangeRef(firstMember, checkCol, lastMember, checkCol)},"${CHECK_FAIL}")=0,${conditions.join(",")}),"${CHECK_OK}","${CHECK_FAIL}")`,
          result: failed === 0 && totalsOk ? CHECK_OK : CHECK_FAIL,
        };
  rows.push(total);
  rows.push(planCells);
  styles.push(totalStyle(rangeRef(totalRow, 1, totalRow, checkCol)));
  styles.push({ range: rangeRef(planRow, 1, planRow, checkCol), italic: true });
  numberFormats.push({ range: rangeRef(firstMember, actualCol, planRow, checkCol - 1), format: amount });

  // 2. Per member and period.
  rows.push([]);
  const periodTitle = rows.length + 1;
  rows.push([w("byPeriod", lang)]);
  styles.push(titleStyle(`A${periodTitle}:${last}${periodTitle}`));
  const head2 = rows.length + 1;
  const lastCol2 = levelCols + 2 + 3 * tiers.length;
  rows.push([...levelHeader, word("period", lang), w("status", lang), ...tiers.flatMap((t) => [header(t, "original", lang), header(t, "revised", lang), header(t, "change", lang)])]);
  styles.push(headerStyle(rangeRef(head2, 1, head2, lastCol2)));
  const status = (j: number) => (j < replan.ended ? w("actual", lang) : w("planned", lang));
  const changeSums = new Map<Tier, { o: number; v: number }>();
  revised.leaves.forEach((_, i) => {
    for (let j = 0; j < P; j++) {
      const r = rows.length + 1;
      const row: CellSpec[] = [...members[i], revised.periods[j].label, status(j)];
      tiers.forEach((t, k) => {
        const c = periodCols(k);
        const o = original.cells[t][i * P + j];
        const v = revised.cells[t][i * P + j];
        row[c.original - 1] = o;
        row[c.revised - 1] = v;
        row[c.change - 1] = { formula: `${cellRef(r, c.revised)}-${cellRef(r, c.original)}`, result: v - o };
        const s = changeSums.get(t) ?? { o: 0, v: 0 };
        s.o += o;
        s.v += v;
        changeSums.set(t, s);
      });
      rows.push(row);
    }
  });
  const lastPeriodRow = rows.length;
  const total2: CellSpec[] = [word("total", lang), ...Array<CellSpec>(levelCols - 1).fill(null), null, null];
  tiers.forEach((t, k) => {
    const c = periodCols(k);
    const s = changeSums.get(t) ?? { o: 0, v: 0 };
    total2[c.original - 1] = sumOf(firstPeriodRow, lastPeriodRow, c.original, s.o);
    total2[c.revised - 1] = sumOf(firstPeriodRow, lastPeriodRow, c.revised, s.v);
    total2[c.change - 1] = sumOf(firstPeriodRow, lastPeriodRow, c.change, s.v - s.o);
  });
  rows.push(total2);
  const total2Row = rows.length;
  styles.push(totalStyle(rangeRef(total2Row, 1, total2Row, lastCol2)));
  if (lastPeriodRow >= firstPeriodRow) {
    numberFormats.push({ range: rangeRef(firstPeriodRow, levelCols + 3, total2Row, lastCol2), format: amount });
    // The ended periods are shaded: their amounts are actuals.
    styles.push(...endedRows(firstPeriodRow, L, P, replan.ended, lastCol2));
  }

  const labelWidths = levelHeader.map((h, i) => fitWidth([h, word("total", lang), w("plan", lang), ...members.map((m) => m[i])], 10, 30));
  return {
    kind: "versions",
    name,
    rows,
    numberFormats,
    conditionalFormats: checkMarkFormats(rangeRef(firstMember, checkCol, totalRow, checkCol)),
    styles,
    columnWidths: [...labelWidths, ...Array.from({ length: size.columns - levelCols }, (_, i) => (i === 0 ? 14 : 13))],
    freeze: { rows: 0, cols: levelCols },
  };
}

/** The rows of ended periods, one style per member's run of them. */
function endedRows(first: number, L: number, P: number, ended: number, lastCol: number): StyleSpec[] {
  const out: StyleSpec[] = [];
  for (let i = 0; i < L; i++) {
    const from = first + i * P;
    out.push({ range: rangeRef(from, 1, from + ended - 1, lastCol), fill: "FFF2F2F2" });
  }
  return out;
}

/** The members' total of a tier, exactly (in an uplifted plan, their quotas' total): the sum of the period amounts. */
function membersTotal(plan: PlanResult, tier: Tier): number {
  if (plan.exact?.periodUnits[tier]) {
    let q = 0n;
    for (let j = 0; j < plan.periods.length; j++) q += amountQuanta(plan, tier, "period", j);
    return numberOfQuanta(q, plan.exact.decimals);
  }
  return sum(plan.periods.map((p) => p.amount[tier]));
}

function rowSum(plan: PlanResult, tier: Tier, leafPos: number): number {
  const P = plan.periods.length;
  let s = 0;
  for (let j = 0; j < P; j++) s += plan.cells[tier][leafPos * P + j];
  return s;
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

// ── RESULT.json: versions ────────────────────────────────────────────────────────────────

const VERSIONS_SLOT = "\u0000versions\u0000";

export interface VersionJsonHead {
  name: string;
  asOf: string | null;
  actualsThrough?: string;
}

/** The names and dates of the versions, the original first. */
export function versionHeads(replan: ReplanResult): VersionJsonHead[] {
  return [
    { name: "Original", asOf: null },
    { name: "Revised", asOf: isoDate(replan.asOf), actualsThrough: isoDate(replan.actualsThrough) },
  ];
}

/** RESULT.json's `versions` as an object to merge into the extras: a slot the chunks below fill. */
export function versionsJsonSlot(): { versions: string } {
  return { versions: VERSIONS_SLOT };
}

/** A path keyed by level, in cascade order. */
function orderedPath(levels: readonly string[], path: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const level of levels) if (path[level] !== undefined) out[level] = path[level];
  return out;
}

/**
 * A plan's rows ("plan" in RESULT.json) as text at `indent` spaces (the array's own line), in
 * pieces: byte for byte what JSON.stringify(rows, null, 2) gives at that depth.
 */
export function* planRowsText(result: PlanResult, indent: number): Generator<string> {
  const tiers = TIERS.filter((t) => result.tiers.includes(t));
  const P = result.periods.length;
  if (result.leaves.length === 0 || P === 0) {
    yield "[]";
    return;
  }
  const pad = " ".repeat(indent + 2);
  const inner = " ".repeat(indent + 4);
  const periods = result.periods.map((p) => `,\n${inner}"period": ${JSON.stringify(p.label)}`);
  const keys = tiers.map((t) => `,\n${inner}"${t}": `);
  const cells = tiers.map((t) => result.cells[t]);
  let piece = "[\n";
  let first = true;
  for (let i = 0; i < result.leaves.length; i++) {
    const node = result.nodes[result.leaves[i]];
    const path = `${pad}{\n${inner}"path": ${JSON.stringify(orderedPath(result.levels, node.path), null, 2).replace(/\n/g, `\n${inner}`)}`;
    for (let j = 0; j < P; j++) {
      let row = (first ? "" : ",\n") + path + periods[j];
      for (let k = 0; k < keys.length; k++) row += keys[k] + String(cleanNumber(cells[k][i * P + j]));
      piece += row + `\n${pad}}`;
      first = false;
    }
    if (piece.length > 1 << 20) {
      yield piece;
      piece = "";
    }
  }
  yield piece + `\n${" ".repeat(indent)}]`;
}

/**
 * The chunks of RESULT.json with the versions' slot filled: each version's head, then its plan
 * rows streamed, never held whole.
 */
export function* withVersions(chunks: Iterable<string>, replan: ReplanResult): Generator<string> {
  const slot = JSON.stringify(VERSIONS_SLOT);
  for (const chunk of chunks) {
    const at = chunk.indexOf(slot);
    if (at < 0) {
      yield chunk;
      continue;
    }
    yield chunk.slice(0, at);
    yield* versionsText(replan, 2);
    yield chunk.slice(at + slot.length);
  }
}

const PLAN_SLOT = "\u0000plan\u0000";

function* versionsText(replan: ReplanResult, indent: number): Generator<string> {
  const heads = versionHeads(replan);
  const plans = [replan.original, replan.revised];
  const pad = " ".repeat(indent + 2);
  yield "[\n";
  for (let v = 0; v < heads.length; v++) {
    const text = JSON.stringify({ ...heads[v], plan: PLAN_SLOT }, null, 2).replace(/\n/g, `\n${pad}`);
    const slot = JSON.stringify(PLAN_SLOT);
    const at = text.indexOf(slot);
    yield (v > 0 ? ",\n" : "") + pad + text.slice(0, at);
    yield* planRowsText(plans[v], indent + 4);
    yield text.slice(at + slot.length);
  }
  yield `\n${" ".repeat(indent)}]`;
}
