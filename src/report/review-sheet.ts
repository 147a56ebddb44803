/**
 * The Weekly Review sheet (阶段性会议): the one page the weekly meeting runs on — 业绩排名 (the
 * period's and the week's ranking, with the movement since the previous AsOf as ↑3 / ↓1), 表扬先进
 * (the top three and the biggest improvers), who needs help and at which stage of the funnel,
 * the team's completion against time elapsed, and next week's target per member. Ranks are live
 * RANK formulas over the table's own cells, every derived figure a formula over the cells beside
 * it, and the page prints landscape on one sheet of paper.
 */
import type { BottleneckLine, ProcessResult } from "../engine/process";
import type { ProgressResult } from "../engine/progress";
import type { ReviewResult } from "../engine/review";
import { isoDate } from "../engine/dates";
import type { PlanResult } from "../engine/types";
import type { Lang } from "../i18n";
import { cellRef, columnLetter, rangeRef } from "./a1";
import { amountFormat, COLORS, fitWidth, headerStyle, titleStyle, totalStyle } from "./format";
import { sheetName, tierName } from "./labels";
import { assertFitsOnSheet, checkSheetSize } from "./limits";
import { bottleneckWord } from "./process-sheet";
import { statusWord } from "./progress-sheet";
import type { CellSpec, SheetSpec, StyleSpec } from "./spec";

type Words = Record<Lang, string>;

const W = {
  title: { en: "Weekly review", zh: "阶段性会议" },
  to: { en: "to", zh: "至" },
  asOf: { en: "AsOf", zh: "统计日期" },
  previousAsOf: { en: "Previous AsOf", zh: "上期统计日期" },
  elapsedDays: { en: "Days elapsed", zh: "已过工作日" },
  totalDays: { en: "Working days", zh: "总工作日" },
  timeElapsed: { en: "Time elapsed", zh: "时间进度" },
  rankingTitle: { en: "Ranking and next week", zh: "业绩排名与下周目标" },
  rank: { en: "Rank", zh: "排名" },
  move: { en: "Move", zh: "升降" },
  team: { en: "Team", zh: "团队" },
  actual: { en: "Actual", zh: "实际" },
  completion: { en: "Completion", zh: "达成率" },
  previousActual: { en: "Prev. actual", zh: "上期实际" },
  previousCompletion: { en: "Prev. compl.", zh: "上期达成率" },
  previousRank: { en: "Prev. rank", zh: "上期排名" },
  weekActual: { en: "Week actual", zh: "本周实际" },
  weekPlan: { en: "Week plan", zh: "本周计划" },
  weekCompletion: { en: "Week compl.", zh: "本周达成" },
  weekRank: { en: "Week rank", zh: "本周排名" },
  toDate: { en: "To date", zh: "应完成" },
  nextPlan: { en: "Next wk plan", zh: "下周计划" },
  nextTarget: { en: "Next wk target", zh: "下周目标" },
  teamTitle: { en: "The team's completion", zh: "团队完成情况" },
  pace: { en: "Pace", zh: "进度比" },
  paceSeasonal: { en: "Act. ÷ to date", zh: "实际/应完成" },
  total: { en: "Total", zh: "合计" },
  praiseTitle: { en: "Praise", zh: "表扬先进" },
  topThree: { en: "Top three", zh: "前三名" },
  improvers: { en: "Biggest improvers", zh: "进步最大" },
  noImprovers: { en: "No one rose in the ranking this week", zh: "本周排名无人上升" },
  helpTitle: { en: "Who needs help", zh: "需要帮助" },
  status: { en: "Status", zh: "状态" },
  stage: { en: "Where", zh: "问题环节" },
  noHelp: { en: "Everyone is on track", zh: "全员达标" },
  more: { en: "more: see the Progress sheet", zh: "人，见进度表" },
  nextNote: {
    en: "Next week's target = the gap × next week's plan ÷ the plan still to come (the gap spread by the plan's own shape).",
    zh: "下周目标 = 差额 × 下周计划 ÷ 剩余计划（按计划的季节分布分摊差额）。",
  },
} satisfies Record<string, Words>;

const w = (key: keyof typeof W, lang: Lang): string => W[key][lang];

const PERCENT = "0.0%";
const PACE = "0.00";
const MOVE = '"↑"0;"↓"0;"–"';
/** Parameter cells (row 2). */
const P = { asOf: "C2", previous: "E2", elapsed: "G2", total: "I2", time: "K2" } as const;
const TABLE_HEADER = 5;
/** How many members the help list names on the page. */
export const HELP_LINES = 10;
/** Past this many members the page prints as many pages tall as it takes (one page wide). */
const ONE_PAGE_MEMBERS = 60;

const C = {
  rank: 1,
  move: 2,
  member: 3,
  team: 4,
  target: 5,
  actual: 6,
  completion: 7,
  previousActual: 8,
  previousCompletion: 9,
  previousRank: 10,
  weekActual: 11,
  weekPlan: 12,
  weekCompletion: 13,
  weekRank: 14,
  toDate: 15,
  nextPlan: 16,
  nextTarget: 17,
} as const;
const COLUMNS = 17;

/** Values that sit so close (a relative 1e-12, not equal) that a spreadsheet's RANK could tie them where the engine does not. */
function nearlyTied(values: readonly number[]): boolean {
  const sorted = [...values].sort((a, b) => a - b);
  for (let k = 1; k < sorted.length; k++) {
    const a = sorted[k - 1];
    const b = sorted[k];
    if (a !== b && Math.abs(b - a) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))) return true;
  }
  return false;
}

export function reviewSheetSize(plan: PlanResult, review: ReviewResult): { rows: number; columns: number } {
  const below = Math.max(1 + 1 + review.teams.length + 2 + 2 + Math.min(review.help.length, HELP_LINES) + 1, 2 + 4 + 2 + 4);
  return { rows: TABLE_HEADER + review.members.length + 2 + below + 2, columns: COLUMNS };
}

/** The Weekly Review sheet; throws SheetTooLargeError when it would not fit on a worksheet. */
export function buildReviewSheet(plan: PlanResult, progress: ProgressResult, review: ReviewResult, process: ProcessResult | undefined, labels: Record<string, string>, lang: Lang): SheetSpec {
  const size = reviewSheetSize(plan, review);
  checkSheetSize(sheetName("review", lang), "review", size.rows, size.columns);
  const sheet = reviewSheet(plan, progress, review, process, labels, lang);
  assertFitsOnSheet(sheet);
  return sheet;
}

function reviewSheet(plan: PlanResult, progress: ProgressResult, review: ReviewResult, process: ProcessResult | undefined, labels: Record<string, string>, lang: Lang): SheetSpec {
  const rows: CellSpec[][] = [];
  const put = (r: number, k: number, v: CellSpec): void => {
    while (rows.length < r) rows.push([]);
    const row = rows[r - 1];
    while (row.length < k) row.push(null);
    row[k - 1] = v;
  };
  const week = `${isoDate(review.previousAsOf + 1)} ${w("to", lang)} ${isoDate(review.asOf)}`;
  put(1, 1, `${w("title", lang)} · ${week}`);
  // Each label in the column before its value: A2 | C2, D2 | E2, F2 | G2, H2 | I2, J2 | K2.
  put(2, 1, w("asOf", lang));
  put(2, 3, isoDate(review.asOf));
  [
    [w("previousAsOf", lang), isoDate(review.previousAsOf)],
    [w("elapsedDays", lang), progress.elapsedDays],
    [w("totalDays", lang), progress.totalDays],
  ].forEach(([label, value], i) => {
    put(2, 4 + 2 * i, label);
    put(2, 5 + 2 * i, value);
  });
  put(2, 10, w("timeElapsed", lang));
  put(2, 11, { formula: `IF(${P.total}=0,0,${P.elapsed}/${P.total})`, result: progress.timeElapsed });

  // ── the ranking, with last week's and next week's figures ──
  put(TABLE_HEADER - 1, 1, w("rankingTitle", lang));
  const leafLevel = plan.levels.length - 1;
  const header: CellSpec[] = [
    w("rank", lang),
    w("move", lang),
    plan.levelLabels[leafLevel] ?? "",
    plan.levels.length > 1 ? plan.levelLabels[leafLevel - 1] : w("team", lang),
    tierName("target", lang),
    w("actual", lang),
    w("completion", lang),
    w("previousActual", lang),
    w("previousCompletion", lang),
    w("previousRank", lang),
    w("weekActual", lang),
    w("weekPlan", lang),
    w("weekCompletion", lang),
    w("weekRank", lang),
    w("toDate", lang),
    w("nextPlan", lang),
    w("nextTarget", lang),
  ];
  header.forEach((h, k) => put(TABLE_HEADER, k + 1, h));
  const first = TABLE_HEADER + 1;
  const last = TABLE_HEADER + Math.max(1, review.members.length);
  const byActual = progress.rankBy === "Actual";
  const range = (col: number): string => `$${columnLetter(col)}$${first}:$${columnLetter(col)}$${last}`;
  const rankCol = byActual ? C.actual : C.completion;
  const previousCol = byActual ? C.previousActual : C.previousCompletion;
  const weekCol = byActual ? C.weekActual : C.weekCompletion;
  const started = review.members.some((m) => m.previousRank !== null);
  const live = {
    rank: !nearlyTied(review.members.map((m) => (byActual ? progress.nodes[m.node].actual : progress.nodes[m.node].completion))),
    previous: !nearlyTied(review.members.map((m) => (byActual ? m.previousActual : m.previousCompletion))),
    week: !nearlyTied(review.members.map((m) => (byActual ? m.weekActual : m.weekCompletion))),
  };
  const rowOf = new Map<number, number>();
  const completion = (actual: string, target: string): string => `IF(${target}=0,IF(${actual}>=0,1,0),${actual}/${target})`;
  review.members.forEach((m, i) => {
    const r = first + i;
    rowOf.set(m.node, r);
    const ref = (col: number): string => cellRef(r, col);
    const node = plan.nodes[m.node];
    const n = progress.nodes[m.node];
    put(r, C.rank, live.rank ? { formula: `RANK(${ref(rankCol)},${range(rankCol)})`, result: m.rank } : m.rank);
    put(r, C.move, m.movement === null ? "" : { formula: `IF(${ref(C.previousRank)}="","",${ref(C.previousRank)}-${ref(C.rank)})`, result: m.movement });
    put(r, C.member, node.member);
    put(r, C.team, node.parent > 0 ? plan.nodes[node.parent].member : "");
    put(r, C.target, n.target);
    put(r, C.actual, n.actual);
    put(r, C.completion, { formula: completion(ref(C.actual), ref(C.target)), result: n.completion });
    put(r, C.previousActual, m.previousActual);
    put(r, C.previousCompletion, { formula: completion(ref(C.previousActual), ref(C.target)), result: m.previousCompletion });
    if (!started) put(r, C.previousRank, "");
    else put(r, C.previousRank, live.previous ? { formula: `RANK(${ref(previousCol)},${range(previousCol)})`, result: m.previousRank! } : m.previousRank!);
    put(r, C.weekActual, { formula: `${ref(C.actual)}-${ref(C.previousActual)}`, result: m.weekActual });
    put(r, C.weekPlan, m.weekPlan);
    put(r, C.weekCompletion, { formula: completion(ref(C.weekActual), ref(C.weekPlan)), result: m.weekCompletion });
    put(r, C.weekRank, live.week ? { formula: `RANK(${ref(weekCol)},${range(weekCol)})`, result: m.weekRank } : m.weekRank);
    put(r, C.toDate, n.targetToDate);
    put(r, C.nextPlan, m.nextWeekPlan);
    const gap = `MAX(${ref(C.target)}-${ref(C.actual)},0)`;
    const rest = `(${ref(C.target)}-${ref(C.toDate)})`;
    put(r, C.nextTarget, { formula: `IF(${rest}>0,${gap}*${ref(C.nextPlan)}/${rest},${gap})`, result: m.nextWeekTarget });
  });
  const tableLast = last;
  put(tableLast + 1, 1, w("nextNote", lang));

  // ── below: the team's completion and who needs help (left), praise (right) ──
  const below = tableLast + 3;
  const styles: StyleSpec[] = [
    titleStyle(`A1:${columnLetter(COLUMNS)}1`),
    titleStyle(`A${TABLE_HEADER - 1}:${columnLetter(COLUMNS)}${TABLE_HEADER - 1}`),
    headerStyle(`A${TABLE_HEADER}:${columnLetter(COLUMNS)}${TABLE_HEADER}`),
    { range: `A${tableLast + 1}`, italic: true, fontColor: "FF595959" },
  ];
  const amount = amountFormat(plan.unit);
  const numberFormats: SheetSpec["numberFormats"] = [
    { range: P.time, format: PERCENT },
    { range: rangeRef(first, C.move, last, C.move), format: MOVE },
    { range: rangeRef(first, C.target, last, C.actual), format: amount },
    { range: rangeRef(first, C.completion, last, C.completion), format: PERCENT },
    { range: rangeRef(first, C.previousActual, last, C.previousActual), format: amount },
    { range: rangeRef(first, C.previousCompletion, last, C.previousCompletion), format: PERCENT },
    { range: rangeRef(first, C.weekActual, last, C.weekPlan), format: amount },
    { range: rangeRef(first, C.weekCompletion, last, C.weekCompletion), format: PERCENT },
    { range: rangeRef(first, C.toDate, last, C.nextTarget), format: amount },
  ];

  // The team's completion against time elapsed.
  // Both left blocks start at column C, where the columns are wide enough for amounts.
  const L = 3;
  const at = (k: number): number => L + k - 1;
  const span = (r: number): string => `${columnLetter(L)}${r}:${columnLetter(L + 7)}${r}`;
  put(below, L, w("teamTitle", lang));
  styles.push(titleStyle(span(below)));
  const teamHeader = [plan.levels.length > 1 ? plan.levelLabels[leafLevel - 1] : w("team", lang), tierName("target", lang), w("toDate", lang), w("actual", lang), w("completion", lang), w("timeElapsed", lang), w("pace", lang), w("paceSeasonal", lang)];
  teamHeader.forEach((h, k) => put(below + 1, L + k, h));
  styles.push(headerStyle(span(below + 1)));
  const time = `$${P.time.slice(0, 1)}$${P.time.slice(1)}`;
  review.teams.forEach((node, i) => {
    const r = below + 2 + i;
    const ref = (k: number): string => cellRef(r, at(k));
    const n = progress.nodes[node];
    put(r, at(1), node === 0 ? w("total", lang) : plan.nodes[node].member);
    put(r, at(2), n.target);
    put(r, at(3), n.targetToDate);
    put(r, at(4), n.actual);
    put(r, at(5), { formula: completion(ref(4), ref(2)), result: n.completion });
    put(r, at(6), { formula: time, result: progress.timeElapsed });
    put(r, at(7), { formula: `IF(${time}=0,1,${ref(5)}/${time})`, result: n.pace });
    put(r, at(8), { formula: `IF(${ref(3)}=0,1,${ref(4)}/${ref(3)})`, result: n.paceSeasonal });
  });
  const teamFirst = below + 2;
  const teamLast = below + 1 + review.teams.length;
  styles.push(totalStyle(span(teamFirst)));
  numberFormats.push(
    { range: rangeRef(teamFirst, at(2), teamLast, at(4)), format: amount },
    { range: rangeRef(teamFirst, at(5), teamLast, at(6)), format: PERCENT },
    { range: rangeRef(teamFirst, at(7), teamLast, at(8)), format: PACE },
  );

  // Who needs help, and at which stage.
  const helpTitle = teamLast + 2;
  put(helpTitle, L, w("helpTitle", lang));
  styles.push(titleStyle(span(helpTitle)));
  const help = review.help.slice(0, HELP_LINES);
  if (help.length === 0) put(helpTitle + 1, L, w("noHelp", lang));
  else {
    [plan.levelLabels[leafLevel] ?? "", plan.levels.length > 1 ? plan.levelLabels[leafLevel - 1] : w("team", lang), w("status", lang), w("completion", lang), w("stage", lang)].forEach((h, k) => put(helpTitle + 1, L + k, h));
    styles.push(headerStyle(span(helpTitle + 1)));
    help.forEach((h, i) => {
      const r = helpTitle + 2 + i;
      const node = plan.nodes[h.node];
      const source = rowOf.get(h.node)!;
      put(r, at(1), node.member);
      put(r, at(2), node.parent > 0 ? plan.nodes[node.parent].member : "");
      put(r, at(3), statusWord(h.status, lang));
      put(r, at(4), { formula: cellRef(source, C.completion), result: progress.nodes[h.node].completion });
      put(r, at(5), h.bottleneck && process ? where(h.bottleneck, process, labels, lang) : "");
    });
    numberFormats.push({ range: rangeRef(helpTitle + 2, at(4), helpTitle + 1 + help.length, at(4)), format: PERCENT });
    if (review.help.length > help.length) put(helpTitle + 2 + help.length, L, `+${review.help.length - help.length} ${w("more", lang)}`);
  }
  const leftLast = helpTitle + 2 + help.length + (review.help.length > help.length ? 1 : 0);

  // Praise: the top three and the biggest improvers, as references into the ranking table.
  const pc = 12;
  put(below, pc, w("praiseTitle", lang));
  styles.push(titleStyle(`${columnLetter(pc)}${below}:${columnLetter(COLUMNS)}${below}`));
  put(below + 1, pc, w("topThree", lang));
  styles.push({ range: cellRef(below + 1, pc), bold: true });
  const top = review.top;
  top.forEach((node, i) => {
    const r = below + 2 + i;
    const source = rowOf.get(node)!;
    const m = review.members.find((x) => x.node === node)!;
    put(r, pc, { formula: cellRef(source, C.rank), result: m.rank });
    put(r, pc + 1, plan.nodes[node].member);
    put(r, pc + 3, plan.nodes[node].parent > 0 ? plan.nodes[plan.nodes[node].parent].member : "");
    put(r, pc + 5, { formula: cellRef(source, C.completion), result: progress.nodes[node].completion });
  });
  const topLast = below + 1 + top.length;
  if (top.length) {
    numberFormats.push({ range: rangeRef(below + 2, pc + 5, topLast, pc + 5), format: PERCENT });
    styles.push({ range: rangeRef(below + 2, pc, topLast, COLUMNS), fill: "FFFFE699", bold: true });
  }
  const impTitle = topLast + 2;
  put(impTitle, pc, w("improvers", lang));
  styles.push({ range: cellRef(impTitle, pc), bold: true });
  if (review.improvers.length === 0) put(impTitle + 1, pc, w("noImprovers", lang));
  review.improvers.forEach((node, i) => {
    const r = impTitle + 1 + i;
    const source = rowOf.get(node)!;
    const m = review.members.find((x) => x.node === node)!;
    put(r, pc, { formula: cellRef(source, C.move), result: m.movement! });
    put(r, pc + 1, plan.nodes[node].member);
    put(r, pc + 3, plan.nodes[node].parent > 0 ? plan.nodes[plan.nodes[node].parent].member : "");
    put(r, pc + 5, { formula: cellRef(source, C.weekCompletion), result: m.weekCompletion });
  });
  if (review.improvers.length) {
    const a = impTitle + 1;
    const b = impTitle + review.improvers.length;
    numberFormats.push({ range: rangeRef(a, pc, b, pc), format: MOVE }, { range: rangeRef(a, pc + 5, b, pc + 5), format: PERCENT });
    styles.push({ range: rangeRef(a, pc, b, COLUMNS), fill: COLORS.goodFill });
  }
  const rightLast = impTitle + Math.max(1, review.improvers.length);
  const lastRow = Math.max(leftLast, rightLast, tableLast + 1);
  while (rows.length < lastRow) rows.push([]);

  const conditionalFormats: SheetSpec["conditionalFormats"] = [
    { type: "expression", range: rangeRef(first, 1, last, COLUMNS), formula: `$A${first}<=3`, fill: "FFFFF2CC", bold: true },
    { type: "cellIs", range: rangeRef(first, C.move, last, C.move), operator: "greaterThan", formulae: ["0"], fill: COLORS.goodFill, fontColor: COLORS.good },
    { type: "cellIs", range: rangeRef(first, C.move, last, C.move), operator: "lessThan", formulae: ["0"], fill: COLORS.badFill, fontColor: COLORS.bad },
    { type: "dataBar", range: rangeRef(first, C.completion, last, C.completion), color: "FF5B9BD5", min: 0, max: 1 },
  ];

  const memberNames = review.members.map((m) => plan.nodes[m.node].member);
  const teamNames = review.teams.map((t) => (t === 0 ? w("total", lang) : plan.nodes[t].member));
  return {
    kind: "review",
    name: sheetName("review", lang),
    rows,
    numberFormats,
    conditionalFormats,
    styles,
    columnWidths: [
      fitWidth([w("rank", lang), w("asOf", lang)], 6, 12),
      fitWidth([w("move", lang)], 6, 8),
      fitWidth([header[2] as string, ...memberNames, ...teamNames, isoDate(review.asOf)], 10, 20),
      fitWidth([header[3] as string, w("previousAsOf", lang), ...review.members.map((m) => (plan.nodes[m.node].parent > 0 ? plan.nodes[plan.nodes[m.node].parent].member : ""))], 10, 22),
      13, 13, 11, 13, 12, 12, 12, 12, 12, 12, 12, 13, 14,
    ],
    freeze: { rows: TABLE_HEADER, cols: 0 },
    print: {
      orientation: "landscape",
      area: `A1:${columnLetter(COLUMNS)}${lastRow}`,
      fit: { width: 1, height: review.members.length <= ONE_PAGE_MEMBERS ? 1 : 0 },
    },
  };
}

/** "小区拓展 · 邀约不足" — the channel (when the Actuals name it) and the stage in words. */
function where(b: BottleneckLine, process: ProcessResult, labels: Record<string, string>, lang: Lang): string {
  const t = process.stages.indexOf(b.stage);
  const word = bottleneckWord(b.stage, t === 0, labels[b.stage] ?? b.stage, lang);
  return b.row.channel >= 0 ? `${process.channels[b.row.channel]} · ${word}` : word;
}

/** RESULT.json's `review`. */
export function reviewJson(plan: PlanResult, progress: ProgressResult, review: ReviewResult, process?: ProcessResult): object {
  const path = (i: number): Record<string, string> => Object.fromEntries(plan.levels.filter((l) => plan.nodes[i].path[l] !== undefined).map((l) => [l, plan.nodes[i].path[l]]));
  const clean = (v: number): number => (v === 0 ? 0 : Number.isSafeInteger(v) ? v : parseFloat(v.toPrecision(15)));
  const root = progress.nodes[0];
  return {
    asOf: isoDate(review.asOf),
    previousAsOf: isoDate(review.previousAsOf),
    nextWeek: { from: isoDate(review.nextWeek.from), to: isoDate(review.nextWeek.to) },
    team: { completion: clean(root.completion), timeElapsed: clean(progress.timeElapsed), pace: clean(root.pace) },
    ranking: review.members.map((m) => ({
      path: path(m.node),
      rank: m.rank,
      previousRank: m.previousRank,
      movement: m.movement,
      completion: clean(progress.nodes[m.node].completion),
      weekActual: clean(m.weekActual),
      weekPlan: clean(m.weekPlan),
      weekCompletion: clean(m.weekCompletion),
      weekRank: m.weekRank,
      nextWeekPlan: clean(m.nextWeekPlan),
      nextWeekTarget: clean(m.nextWeekTarget),
    })),
    praise: {
      top: review.top.map(path),
      improvers: review.improvers.map((node) => ({ path: path(node), movement: review.members.find((m) => m.node === node)!.movement })),
    },
    help: review.help.map((h) => ({
      path: path(h.node),
      status: h.status,
      channel: h.bottleneck && process && h.bottleneck.row.channel >= 0 ? process.channels[h.bottleneck.row.channel] : null,
      bottleneck: h.bottleneck ? h.bottleneck.stage : null,
    })),
  };
}
