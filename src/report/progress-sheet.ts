/**
 * The progress sheet (Progress / 进度) and the ranking sheet (Ranking / 排名) — the morning view
 * of CONTRACT §4.7–4.8 and §5. Progress: every node of the plan with its target, the plan to
 * date, the actual, completion and time elapsed side by side as data bars, pace with a traffic
 * light, the gap and what is still needed per remaining working day; every derived figure is a
 * live formula over the cells beside it and the parameters at the top. Ranking: the members in
 * rank order, the top three highlighted for 表扬.
 */
import type { ProgressResult } from "../engine/progress";
import type { PlanResult } from "../engine/types";
import { isoDate } from "../engine/dates";
import type { Lang } from "../i18n";
import { cellRef, columnLetter, rangeRef } from "./a1";
import { amountFormat, COLORS, fitWidth, headerStyle, titleStyle, totalStyle } from "./format";
import { sheetName, tierName, word } from "./labels";
import { assertFitsOnSheet, checkSheetSize } from "./limits";
import type { CellSpec, SheetSpec } from "./spec";

type Words = Record<Lang, string>;

const W = {
  title: { en: "Progress at", zh: "进度 · 统计日期" },
  asOf: { en: "AsOf", zh: "统计日期" },
  elapsedDays: { en: "Days elapsed", zh: "已过工作日" },
  totalDays: { en: "Working days", zh: "总工作日" },
  timeElapsed: { en: "Time elapsed", zh: "时间进度" },
  onTrackAt: { en: "On track ≥", zh: "达标线" },
  atRiskAt: { en: "At risk ≥", zh: "预警线" },
  toDate: { en: "Target to date", zh: "应完成" },
  actual: { en: "Actual", zh: "实际" },
  completion: { en: "Completion", zh: "达成率" },
  pace: { en: "Pace", zh: "进度比" },
  status: { en: "Status", zh: "状态" },
  gap: { en: "Gap", zh: "差额" },
  required: { en: "Required per day", zh: "日均需完成" },
  forecast: { en: "Forecast", zh: "预测" },
  forecastSeasonal: { en: "Forecast (seasonal)", zh: "预测(按季节)" },
  paceSeasonal: { en: "Actual ÷ to date", zh: "实际/应完成" },
  statusBy: { en: "Status follows", zh: "状态依据" },
  runRate: { en: "Run rate", zh: "按时间进度" },
  seasonal: { en: "Seasonal", zh: "按季节" },
  onTrack: { en: "On track", zh: "达标" },
  atRisk: { en: "At risk", zh: "预警" },
  behind: { en: "Behind", zh: "落后" },
  total: { en: "Total", zh: "合计" },
  rank: { en: "Rank", zh: "排名" },
  rankInParent: { en: "Rank in group", zh: "组内排名" },
  unplanned: { en: "Unplanned", zh: "未计划" },
} satisfies Record<string, Words>;

const w = (key: keyof typeof W, lang: Lang): string => W[key][lang];

const PERCENT = "0.0%";
const PACE = "0.00";
/** Parameter cells on the progress sheet (row 2). */
const P = { asOf: "B2", elapsed: "D2", total: "F2", time: "H2", onTrack: "J2", atRisk: "L2", statusBy: "N2" } as const;
const abs = (ref: string): string => ref.replace(/^([A-Z]+)(\d+)$/, "$$$1$$$2");

export function statusWord(status: "on-track" | "at-risk" | "behind", lang: Lang): string {
  return w(status === "on-track" ? "onTrack" : status === "at-risk" ? "atRisk" : "behind", lang);
}

/**
 * Rows and columns of the progress sheet: four rows of title and parameters, a row per node, the
 * unplanned members after an empty row and a title; beside them, from the header row, a row per
 * period (an empty column, then period, target to date and actual).
 */
export function progressSheetSize(plan: PlanResult, progress: ProgressResult): { rows: number; columns: number } {
  const headerRow = 4;
  const unplanned = progress.unplanned.length ? 2 + progress.unplanned.length : 0;
  return {
    rows: Math.max(headerRow + progress.nodes.length + unplanned, headerRow + progress.periods.length),
    columns: Math.max(1, plan.levelLabels.length) + 16,
  };
}

/** Rows and columns of the ranking sheet: the header and a row per ranked member; the chart's source block beside it. */
export function rankingSheetSize(plan: PlanResult, progress: ProgressResult): { rows: number; columns: number } {
  const ranked = new Set(progress.nodes.map((n) => n.node));
  let rows = 1;
  for (const entry of progress.ranking) if (ranked.has(entry.node)) rows++;
  return { rows, columns: plan.levels.length + 9 };
}

/** The progress sheet; throws SheetTooLargeError when it would not fit on a worksheet. */
export function buildProgressSheet(plan: PlanResult, progress: ProgressResult, lang: Lang): SheetSpec {
  const size = progressSheetSize(plan, progress);
  checkSheetSize(sheetName("progress", lang), "progress", size.rows, size.columns);
  const sheet = progressSheet(plan, progress, lang);
  assertFitsOnSheet(sheet);
  return sheet;
}

/** The ranking sheet; throws SheetTooLargeError when it would not fit on a worksheet. */
export function buildRankingSheet(plan: PlanResult, progress: ProgressResult, lang: Lang): SheetSpec {
  const size = rankingSheetSize(plan, progress);
  checkSheetSize(sheetName("ranking", lang), "ranking", size.rows, size.columns);
  const sheet = rankingSheet(plan, progress, lang);
  assertFitsOnSheet(sheet);
  return sheet;
}

function progressSheet(plan: PlanResult, progress: ProgressResult, lang: Lang): SheetSpec {
  const levels = plan.levelLabels.length;
  const firstLevels = Math.max(1, levels);
  // Columns after the level columns.
  const c = {
    target: firstLevels + 1,
    toDate: firstLevels + 2,
    actual: firstLevels + 3,
    completion: firstLevels + 4,
    time: firstLevels + 5,
    pace: firstLevels + 6,
    status: firstLevels + 7,
    gap: firstLevels + 8,
    required: firstLevels + 9,
    forecast: firstLevels + 10,
    forecastSeasonal: firstLevels + 11,
    paceSeasonal: firstLevels + 12,
  };
  const columns = c.paceSeasonal;
  const seasonal = progress.forecastBy === "Seasonal";
  const headerRow = 4;

  const rows: CellSpec[][] = [];
  rows.push([`${w("title", lang)} ${isoDate(progress.asOf)}`]);
  rows.push([
    w("asOf", lang),
    isoDate(progress.asOf),
    w("elapsedDays", lang),
    progress.elapsedDays,
    w("totalDays", lang),
    progress.totalDays,
    w("timeElapsed", lang),
    { formula: `IF(${P.total}=0,0,${P.elapsed}/${P.total})`, result: progress.timeElapsed },
    w("onTrackAt", lang),
    progress.pace[0],
    w("atRiskAt", lang),
    progress.pace[1],
    w("statusBy", lang),
    w(seasonal ? "seasonal" : "runRate", lang),
  ]);
  rows.push([]);
  const header: CellSpec[] = [
    ...(levels ? plan.levelLabels : [""]),
    tierName("target", lang),
    w("toDate", lang),
    w("actual", lang),
    w("completion", lang),
    w("timeElapsed", lang),
    w("pace", lang),
    w("status", lang),
    w("gap", lang),
    w("required", lang),
    w("forecast", lang),
    w("forecastSeasonal", lang),
    w("paceSeasonal", lang),
  ];
  rows.push(header);

  const time = abs(P.time);
  const remaining = `(${abs(P.total)}-${abs(P.elapsed)})`;
  const status = (paceRef: string): string =>
    `IF(${paceRef}>=${abs(P.onTrack)},"${w("onTrack", lang)}",IF(${paceRef}>=${abs(P.atRisk)},"${w("atRisk", lang)}","${w("behind", lang)}"))`;

  for (const n of progress.nodes) {
    const node = plan.nodes[n.node];
    const r = rows.length + 1;
    const ref = (col: number): string => cellRef(r, col);
    const members: CellSpec[] = node.depth === 0 ? [w("total", lang), ...Array(firstLevels - 1).fill(null)] : plan.levels.map((l, i) => (i < node.depth ? node.path[l] : null));
    rows.push([
      ...members,
      n.target,
      n.targetToDate,
      n.actual,
      { formula: `IF(${ref(c.target)}=0,IF(${ref(c.actual)}>=0,1,0),${ref(c.actual)}/${ref(c.target)})`, result: n.completion },
      { formula: time, result: n.timeElapsed },
      { formula: `IF(${time}=0,1,${ref(c.completion)}/${time})`, result: n.pace },
      { formula: status(ref(seasonal ? c.paceSeasonal : c.pace)), result: statusWord(n.status, lang) },
      { formula: `${ref(c.target)}-${ref(c.actual)}`, result: n.gap },
      { formula: `IF(${remaining}>0,MAX(${ref(c.gap)},0)/${remaining},MAX(${ref(c.gap)},0))`, result: n.requiredPerDay },
      { formula: `IF(${time}=0,${ref(c.target)},${ref(c.actual)}/${time})`, result: n.forecast },
      // The rest of the plan at the pace kept so far against its own shape.
      {
        formula: `IF(${ref(c.toDate)}=0,${ref(c.actual)}+${ref(c.target)},${ref(c.actual)}+(${ref(c.target)}-${ref(c.toDate)})*${ref(c.actual)}/${ref(c.toDate)})`,
        result: n.forecastSeasonal,
      },
      { formula: `IF(${ref(c.toDate)}=0,1,${ref(c.actual)}/${ref(c.toDate)})`, result: n.paceSeasonal },
    ]);
  }
  const first = headerRow + 1;
  const last = rows.length;
  const col = (k: number): string => rangeRef(first, k, last, k);
  // Actuals of members the plan does not have (track --unplanned), below the plan's nodes.
  const unplannedFirst = rows.length + 3;
  if (progress.unplanned.length) {
    rows.push([]);
    rows.push([w("unplanned", lang)]);
    for (const u of progress.unplanned) {
      const cells: CellSpec[] = plan.levels.map((l) => u.path[l] ?? null);
      while (cells.length < c.target - 1) cells.push(null);
      rows.push([...cells, 0, 0, u.actual]);
    }
  }
  const amount = amountFormat(plan.unit);

  // Beside the nodes: the plan to date against the actual, period by period, and its chart.
  const pc = { period: columns + 2, toDate: columns + 3, actual: columns + 4 };
  const put = (r: number, k: number, v: CellSpec): void => {
    while (rows.length < r) rows.push([]);
    const row = rows[r - 1];
    while (row.length < k) row.push(null);
    row[k - 1] = v;
  };
  put(headerRow, pc.period, word("period", lang));
  put(headerRow, pc.toDate, w("toDate", lang));
  put(headerRow, pc.actual, w("actual", lang));
  progress.periods.forEach((p, j) => {
    put(headerRow + 1 + j, pc.period, plan.periods[p.period].label);
    put(headerRow + 1 + j, pc.toDate, p.targetToDate);
    put(headerRow + 1 + j, pc.actual, p.actual);
  });
  const periodLast = headerRow + Math.max(1, progress.periods.length);
  const chartCol = pc.actual + 2;

  return {
    kind: "progress",
    name: sheetName("progress", lang),
    rows,
    numberFormats: [
      { range: P.time, format: PERCENT },
      { range: `${P.onTrack}:${P.atRisk}`, format: PACE },
      { range: rangeRef(first, c.target, last, c.actual), format: amount },
      { range: rangeRef(first, c.completion, last, c.time), format: PERCENT },
      { range: col(c.pace), format: PACE },
      { range: rangeRef(first, c.gap, last, c.forecastSeasonal), format: amount },
      { range: col(c.paceSeasonal), format: PACE },
      { range: rangeRef(first, pc.toDate, periodLast, pc.actual), format: amount },
      ...(progress.unplanned.length ? [{ range: rangeRef(unplannedFirst, c.target, rows.length, c.actual), format: amount }] : []),
    ],
    conditionalFormats: [
      // Completion and time elapsed on one 0–100 % scale, so the two bars compare at a glance.
      { type: "dataBar", range: col(c.completion), color: "FF5B9BD5", min: 0, max: 1 },
      { type: "dataBar", range: col(c.time), color: "FFA5A5A5", min: 0, max: 1 },
      { type: "iconSet", range: col(c.pace), iconSet: "3TrafficLights1", thresholds: [progress.pace[1], progress.pace[0]] },
      { type: "expression", range: col(c.status), formula: `${cellRef(first, c.status)}="${w("behind", lang)}"`, fill: COLORS.badFill, fontColor: COLORS.bad, bold: true },
      { type: "expression", range: col(c.status), formula: `${cellRef(first, c.status)}="${w("atRisk", lang)}"`, fill: "FFFFF2CC", fontColor: "FF9C5700" },
      { type: "expression", range: col(c.status), formula: `${cellRef(first, c.status)}="${w("onTrack", lang)}"`, fill: COLORS.goodFill, fontColor: COLORS.good },
    ],
    styles: [
      titleStyle(`A1:${columnLetter(columns)}1`),
      headerStyle(`A${headerRow}:${columnLetter(columns)}${headerRow}`),
      totalStyle(`A${first}:${columnLetter(columns)}${first}`),
      headerStyle(`${columnLetter(pc.period)}${headerRow}:${columnLetter(pc.actual)}${headerRow}`),
    ],
    columnWidths: [
      ...(levels ? plan.levels.map((l, i) => fitWidth([plan.levelLabels[i], ...plan.nodes.map((n) => n.path[l] ?? "")], 10, 28)) : [10]),
      14, 14, 14, 11, 11, 9, 9, 14, 14, 14, 14, 11, 3, 12, 14, 14,
    ],
    freeze: { rows: headerRow, cols: firstLevels },
    charts: [
      {
        type: "column",
        title: lang === "zh" ? "应完成与实际（按期间）" : "Target to date vs actual, by period",
        categories: rangeRef(first, pc.period, periodLast, pc.period),
        series: [
          { name: w("toDate", lang), values: rangeRef(first, pc.toDate, periodLast, pc.toDate), color: "A5A5A5" },
          { name: w("actual", lang), values: rangeRef(first, pc.actual, periodLast, pc.actual), color: "5B9BD5" },
        ],
        from: cellRef(headerRow, chartCol),
        to: cellRef(headerRow + 20, chartCol + 10),
        valueFormat: "#,##0",
      },
    ],
    landscape: true,
  };
}

function rankingSheet(plan: PlanResult, progress: ProgressResult, lang: Lang): SheetSpec {
  const levels = plan.levels;
  const header: CellSpec[] = [
    w("rank", lang),
    ...plan.levelLabels,
    w("rankInParent", lang),
    tierName("target", lang),
    w("actual", lang),
    w("completion", lang),
    w("status", lang),
  ];
  const rows: CellSpec[][] = [header];
  const byNode = new Map(progress.nodes.map((n) => [n.node, n]));
  for (const entry of progress.ranking) {
    const node = plan.nodes[entry.node];
    const n = byNode.get(entry.node);
    if (!n) continue;
    rows.push([entry.rank, ...levels.map((l) => node.path[l] ?? ""), entry.rankInParent, n.target, n.actual, n.completion, statusWord(n.status, lang)]);
  }
  const columns = header.length;
  const last = Math.max(2, rows.length);
  const targetCol = levels.length + 3;
  const completionCol = targetCol + 2;
  const memberCol = levels.length + 1;
  // Beside the table, after one empty column: member | completion (a formula over the table's cell
  // of the same row), the chart's one contiguous source block (an Excel chart added over one range).
  const bc = { member: columns + 2, completion: columns + 3 };
  const put = (r: number, k: number, v: CellSpec): void => {
    const row = rows[r - 1];
    while (row.length < k) row.push(null);
    row[k - 1] = v;
  };
  put(1, bc.member, plan.levelLabels[levels.length - 1] ?? "");
  put(1, bc.completion, w("completion", lang));
  for (let r = 2; r <= rows.length; r++) {
    put(r, bc.member, rows[r - 1][memberCol - 1]);
    put(r, bc.completion, { formula: cellRef(r, completionCol), result: rows[r - 1][completionCol - 1] as number });
  }
  const chartCol = bc.completion + 2;
  return {
    kind: "ranking",
    name: sheetName("ranking", lang),
    rows,
    table: { name: "TC_Ranking", headerRow: 0, dataRows: rows.length - 1, columns, style: "TableStyleLight9" },
    numberFormats: [
      { range: rangeRef(2, targetCol, last, targetCol + 1), format: amountFormat(plan.unit) },
      { range: rangeRef(2, completionCol, last, completionCol), format: PERCENT },
      { range: rangeRef(2, bc.completion, last, bc.completion), format: PERCENT },
    ],
    conditionalFormats: [
      // The top three, highlighted for praise (表扬先进).
      { type: "expression", range: `A2:${columnLetter(columns)}${last}`, formula: "$A2<=3", fill: "FFFFE699", bold: true },
      { type: "dataBar", range: rangeRef(2, completionCol, last, completionCol), color: "FF5B9BD5", min: 0, max: 1 },
    ],
    styles: [
      { range: `A1:${columnLetter(columns)}1`, bold: true, align: "center", wrap: true },
      headerStyle(rangeRef(1, bc.member, 1, bc.completion)),
    ],
    columnWidths: [
      8,
      ...levels.map((l, i) => fitWidth([plan.levelLabels[i], ...progress.ranking.map((e) => plan.nodes[e.node].path[l] ?? "")], 10, 28)),
      10, 14, 14, 11, 9,
      3,
      fitWidth([plan.levelLabels[levels.length - 1] ?? "", ...progress.ranking.map((e) => plan.nodes[e.node].path[levels[levels.length - 1]] ?? "")], 10, 28),
      11,
    ],
    freeze: { rows: 1, cols: 1 + levels.length },
    charts: [
      {
        type: "bar",
        title: lang === "zh" ? "达成率（按排名）" : "Completion, in rank order",
        categories: rangeRef(2, bc.member, last, bc.member),
        series: [{ name: w("completion", lang), values: rangeRef(2, bc.completion, last, bc.completion), color: "5B9BD5" }],
        from: cellRef(1, chartCol),
        to: cellRef(Math.max(20, Math.min(60, rows.length + 2)), chartCol + 8),
        valueFormat: "0%",
      },
    ],
    landscape: true,
  };
}

/** RESULT.json's `progress` and `ranking` sections (CONTRACT §6). */
export function progressJson(plan: PlanResult, progress: ProgressResult): { progress: object[]; ranking: object[]; unplanned?: object[] } {
  const path = (i: number): Record<string, string> => Object.fromEntries(plan.levels.filter((l) => plan.nodes[i].path[l] !== undefined).map((l) => [l, plan.nodes[i].path[l]]));
  const clean = (v: number): number => (v === 0 ? 0 : parseFloat(v.toPrecision(15)));
  return {
    progress: progress.nodes.map((n) => ({
      path: path(n.node),
      target: clean(n.target),
      targetToDate: clean(n.targetToDate),
      actual: clean(n.actual),
      completion: clean(n.completion),
      timeElapsed: clean(n.timeElapsed),
      pace: clean(n.pace),
      gap: clean(n.gap),
      requiredPerDay: clean(n.requiredPerDay),
      forecast: clean(n.forecast),
      forecastSeasonal: clean(n.forecastSeasonal),
      status: n.status,
    })),
    ranking: progress.ranking.map((r) => ({ path: path(r.node), value: clean(r.value), rank: r.rank, rankInParent: r.rankInParent })),
    ...(progress.unplanned.length ? { unplanned: progress.unplanned.map((u) => ({ path: u.path, actual: clean(u.actual) })) } : {}),
  };
}

