/**
 * The incentives sheet (Incentives / 激励核算): per member the tier reached, the payout to date as
 * a live formula over the Progress sheet's actual, the payout at the forecast, and what the next
 * step up would add ("再卖 X 到达力争，多得 Y"); below, the totals per team and the cost of the
 * incentives as a share of sales. RESULT.json's `payouts` comes from the same figures.
 *
 * Layout: the title and the rules (mode, cap) on top; the bands (From, Rate, Bonus) and the
 * ranking awards as parameter blocks that every formula reads; a row per member; a row per team.
 * Each member's tier amounts and band starts are working columns at the right (values: the plan's
 * amounts), so every formula reads visible cells. The cached results are the engine's exact
 * figures.
 */
import type { PayoutResult, MemberPayout } from "../engine/payout";
import type { ProgressResult } from "../engine/progress";
import { isoDate } from "../engine/dates";
import { TIERS, type PlanResult, type Tier } from "../engine/types";
import type { Lang } from "../i18n";
import { cellRef, columnLetter, rangeRef } from "./a1";
import { amountFormat, COLORS, fitWidth, headerStyle, titleStyle, totalStyle } from "./format";
import { sheetName, tierName } from "./labels";
import { assertFitsOnSheet, checkSheetSize } from "./limits";
import { cleanNumber } from "./result-json";
import type { CellSpec, SheetSpec, StyleSpec } from "./spec";

type Words = Record<Lang, string>;

const W = {
  title: { en: "Incentives at", zh: "激励核算 · 统计日期" },
  mode: { en: "Payout mode", zh: "计算方式" },
  whole: { en: "Whole (the rate of the band reached on all sales)", zh: "整额提成（达到档位的比例乘以全部业绩）" },
  marginal: { en: "Marginal (each rate on the sales inside its band)", zh: "分段提成（各档比例只计本档内业绩）" },
  cap: { en: "Cap", zh: "激励封顶" },
  none: { en: "none", zh: "无" },
  from: { en: "From", zh: "起点" },
  rate: { en: "Rate", zh: "提成比例" },
  bonus: { en: "Bonus", zh: "奖金" },
  rank: { en: "Rank", zh: "排名" },
  rankAward: { en: "Rank award", zh: "排名奖" },
  actual: { en: "Actual", zh: "实际" },
  completion: { en: "Completion", zh: "达成率" },
  reached: { en: "Tier reached", zh: "达到档位" },
  payout: { en: "Payout to date", zh: "本期激励" },
  forecast: { en: "Forecast", zh: "预测" },
  atForecast: { en: "Payout at forecast", zh: "预测激励" },
  next: { en: "Next step", zh: "下一档" },
  sell: { en: "Still to sell", zh: "还需销售" },
  earn: { en: "Earns more", zh: "可多得" },
  hint: { en: "What it takes", zh: "提示" },
  costShare: { en: "Cost share of sales", zh: "激励占销售额" },
  nextAt: { en: "Next step at", zh: "下一档起点" },
  startOf: { en: "Start:", zh: "起点：" },
  teams: { en: "Totals per team", zh: "团队合计" },
  total: { en: "Total", zh: "合计" },
  belowFirst: { en: "—", zh: "—" },
} satisfies Record<string, Words>;

const w = (key: keyof typeof W, lang: Lang): string => W[key][lang];

const PERCENT = "0.0%";
const RATE = "0.00%";
const MONEY = "#,##0.00";

/** A sheet name in a formula: always quoted ('Progress'!E5, '进度'!E5). */
const onSheet = (sheet: string, ref: string): string => `'${sheet.replace(/'/g, "''")}'!${ref}`;
/** Text in a formula: quotes doubled. */
const text = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const abs = (row: number, col: number): string => cellRef(row, col, true);

/** Where the Progress sheet holds each node's target, actual and forecast (found by its headers, checked against its rows). */
interface ProgressCells {
  sheet: string;
  /** Row (1-based) of node i: first + i. */
  first: number;
  target: number;
  actual: number;
  forecast: number;
}

const PROGRESS_WORDS = { actual: { en: "Actual", zh: "实际" }, forecast: { en: "Forecast", zh: "预测" }, seasonal: { en: ["Seasonal", "seasonal"], zh: ["季节"] } } as const;

/** The Progress sheet's columns, by the headers it was written with; throws when its layout is not the one read here. */
export function locateProgress(plan: PlanResult, progress: ProgressResult, sheet: SheetSpec, lang: Lang): ProgressCells {
  const targetWord = tierName("target", lang);
  for (let r = 0; r < Math.min(12, sheet.rows.length); r++) {
    const row = sheet.rows[r];
    const at = (word: string, prefix = false): number => row.findIndex((c) => typeof c === "string" && (prefix ? c.startsWith(word) : c === word));
    const target = at(targetWord);
    const actual = at(PROGRESS_WORDS.actual[lang]);
    if (target < 0 || actual < 0) continue;
    // The forecast the status follows: the run rate's column, or the seasonal one's.
    const seasonal = (progress as { forecastBy?: string }).forecastBy === "Seasonal";
    const forecast = seasonal
      ? row.findIndex((c) => typeof c === "string" && PROGRESS_WORDS.seasonal[lang].some((word) => c.includes(word)))
      : at(PROGRESS_WORDS.forecast[lang]) >= 0
        ? at(PROGRESS_WORDS.forecast[lang])
        : at(PROGRESS_WORDS.forecast[lang], true);
    if (forecast < 0) break;
    const cells: ProgressCells = { sheet: sheet.name, first: r + 2, target: target + 1, actual: actual + 1, forecast: forecast + 1 };
    // Every member's row holds its own target and actual.
    const value = (v: CellSpec | undefined): CellSpec | undefined => (v !== null && typeof v === "object" ? (v.result ?? null) : v);
    for (const leaf of plan.leaves) {
      const values = sheet.rows[cells.first - 1 + leaf];
      const n = progress.nodes[leaf];
      if (!values || value(values[cells.target - 1]) !== n.target || value(values[cells.actual - 1]) !== n.actual) throw new Error(`the ${sheet.name} sheet does not hold node ${leaf} on row ${cells.first + leaf}`);
    }
    return cells;
  }
  throw new Error(`the ${sheet.name} sheet has no header row with ${targetWord}, ${PROGRESS_WORDS.actual[lang]} and ${PROGRESS_WORDS.forecast[lang]}`);
}

/** What a step is called on the sheet: a tier's name, or a band's From as written. */
function stepLabel(m: MemberPayout, lang: Lang): string {
  if (!m.next) return w("belowFirst", lang);
  return m.next.tier ? tierName(m.next.tier, lang) : m.next.label;
}

/** Rows and columns of the incentives sheet. */
export function incentivesSheetSize(plan: PlanResult, payouts: PayoutResult): { rows: number; columns: number } {
  const params = Math.max(payouts.rules.bands.length, payouts.rules.rankAward.length, 1);
  const header = 4 + params + 2;
  return { rows: header + plan.leaves.length + 3 + payouts.teams.length, columns: Math.max(1, plan.levels.length) + 16 + plan.tiers.length + payouts.rules.bands.length + 1 };
}

/** The incentives sheet; throws SheetTooLargeError when it would not fit on a worksheet. */
export function buildIncentivesSheet(plan: PlanResult, progress: ProgressResult, payouts: PayoutResult, progressSheet: SheetSpec, lang: Lang): SheetSpec {
  const size = incentivesSheetSize(plan, payouts);
  checkSheetSize(sheetName("incentives", lang), "incentives", size.rows, size.columns);
  const sheet = incentivesSheet(plan, progress, payouts, locateProgress(plan, progress, progressSheet, lang), lang);
  assertFitsOnSheet(sheet);
  return sheet;
}

function incentivesSheet(plan: PlanResult, progress: ProgressResult, payouts: PayoutResult, pc: ProgressCells, lang: Lang): SheetSpec {
  const { rules } = payouts;
  const K = rules.bands.length;
  const N = rules.rankAward.length;
  const levels = plan.levels.length;
  const firstLevels = Math.max(1, levels);
  const rows: CellSpec[][] = [];
  const styles: StyleSpec[] = [];
  const put = (r: number, k: number, v: CellSpec): void => {
    while (rows.length < r) rows.push([]);
    const row = rows[r - 1];
    while (row.length < k) row.push(null);
    row[k - 1] = v;
  };

  // ── the rules ──
  put(1, 1, `${w("title", lang)} ${isoDate(progress.asOf)}`);
  put(2, 1, w("mode", lang));
  put(2, 2, w(rules.mode === "Whole" ? "whole" : "marginal", lang));
  put(2, 6, w("cap", lang));
  const capRef = abs(2, 7);
  put(2, 7, rules.cap ?? w("none", lang));
  const paramHeader = 4;
  put(paramHeader, 1, w("from", lang));
  put(paramHeader, 2, w("rate", lang));
  put(paramHeader, 3, w("bonus", lang));
  rules.bands.forEach((b, k) => {
    put(paramHeader + 1 + k, 1, "tier" in b.from ? tierName(b.from.tier, lang) : b.label);
    put(paramHeader + 1 + k, 2, b.rate);
    put(paramHeader + 1 + k, 3, b.bonus);
  });
  const rateRef = (k: number): string => abs(paramHeader + 1 + k, 2);
  const bonusRef = (k: number): string => abs(paramHeader + 1 + k, 3);
  if (N) {
    put(paramHeader, 5, w("rank", lang));
    put(paramHeader, 6, w("rankAward", lang));
    rules.rankAward.forEach((a, i) => {
      put(paramHeader + 1 + i, 5, i + 1);
      put(paramHeader + 1 + i, 6, a);
    });
  }
  const awardRange = N ? `${abs(paramHeader + 1, 6)}:${abs(paramHeader + N, 6)}` : "";
  const paramLast = paramHeader + Math.max(K, N, 1);

  // ── the members ──
  const header = paramLast + 2;
  const c = {
    target: firstLevels + 1,
    actual: firstLevels + 2,
    completion: firstLevels + 3,
    reached: firstLevels + 4,
    rank: firstLevels + 5,
    award: firstLevels + 6,
    payout: firstLevels + 7,
    forecast: firstLevels + 8,
    atForecast: firstLevels + 9,
    next: firstLevels + 10,
    sell: firstLevels + 11,
    earn: firstLevels + 12,
    hint: firstLevels + 13,
    cost: firstLevels + 14,
    // Working columns, after an empty one.
    nextAt: firstLevels + 16,
    tier: (t: Tier) => firstLevels + 17 + plan.tiers.indexOf(t),
    start: (k: number) => firstLevels + 17 + plan.tiers.length + k,
  };
  const lastColumn = c.nextAt + plan.tiers.length + K;
  const headerRow: CellSpec[] = [
    ...(levels ? plan.levelLabels : [""]),
    tierName("target", lang),
    w("actual", lang),
    w("completion", lang),
    w("reached", lang),
    w("rank", lang),
    w("rankAward", lang),
    w("payout", lang),
    w("forecast", lang),
    w("atForecast", lang),
    w("next", lang),
    w("sell", lang),
    w("earn", lang),
    w("hint", lang),
    w("costShare", lang),
    null,
    w("nextAt", lang),
    ...plan.tiers.map((t) => tierName(t, lang)),
    ...rules.bands.map((b) => `${w("startOf", lang)}${"tier" in b.from ? tierName(b.from.tier, lang) : b.label}`),
  ];
  headerRow.forEach((v, i) => put(header, i + 1, v));
  const first = header + 1;
  const last = header + Math.max(1, payouts.members.length);
  const valueCol = progress.rankBy === "Actual" ? c.actual : c.completion;

  /** The payout of amount `a` (a cell) on row r, as a formula: commission, bonuses, award, rounded, capped. */
  const payoutFormula = (a: string, r: number): string => {
    const start = (k: number): string => cellRef(r, c.start(k));
    let commission = "0";
    if (K > 0) {
      if (rules.mode === "Whole") {
        commission = "0";
        for (let k = 0; k < K; k++) commission = `IF(${a}>=${start(k)},${rateRef(k)}*${a},${commission})`;
      } else {
        const parts: string[] = [];
        for (let k = 0; k < K; k++) {
          const upper = k + 1 < K ? `MIN(${a},${start(k + 1)})` : a;
          parts.push(`${rateRef(k)}*MAX(0,${upper}-${start(k)})`);
        }
        commission = parts.join("+");
      }
    }
    const bonuses = rules.bands.map((_, k) => `IF(${a}>=${start(k)},${bonusRef(k)},0)`);
    const award = N ? cellRef(r, c.award) : "";
    const total = `ROUND(${[commission, ...bonuses, ...(award ? [award] : [])].join("+")},2)`;
    return rules.cap === undefined ? total : `MIN(${capRef},${total})`;
  };

  const tierFormula = (a: string, r: number): string => {
    let f = text(w("belowFirst", lang));
    for (const t of TIERS) if (plan.tiers.includes(t)) f = `IF(${a}>=${cellRef(r, c.tier(t))},${text(tierName(t, lang))},${f})`;
    return f;
  };

  payouts.members.forEach((m, i) => {
    const r = first + i;
    const node = plan.nodes[m.node];
    const ref = (col: number): string => cellRef(r, col);
    const a = ref(c.actual);
    const pRow = pc.first + m.node;
    plan.levels.forEach((l, k) => put(r, k + 1, node.path[l] ?? null));
    if (!levels) put(r, 1, w("total", lang));
    put(r, c.target, { formula: onSheet(pc.sheet, cellRef(pRow, pc.target)), result: progress.nodes[m.node].target });
    put(r, c.actual, { formula: onSheet(pc.sheet, cellRef(pRow, pc.actual)), result: m.actual });
    const completion = progress.nodes[m.node].completion;
    put(r, c.completion, { formula: `IF(${ref(c.target)}=0,IF(${a}>=0,1,0),${a}/${ref(c.target)})`, result: completion });
    put(r, c.reached, { formula: tierFormula(a, r), result: m.tier ? tierName(m.tier, lang) : w("belowFirst", lang) });
    put(r, c.rank, { formula: `RANK(${ref(valueCol)},${rangeRef(first, valueCol, last, valueCol).replace(/([A-Z]+)(\d+)/g, "$$$1$$$2")},0)`, result: m.rank });
    put(r, c.award, N ? { formula: `IF(${ref(c.rank)}<=${N},INDEX(${awardRange},${ref(c.rank)}),0)`, result: m.rankAward } : 0);
    put(r, c.payout, { formula: payoutFormula(a, r), result: m.payout });
    put(r, c.forecast, { formula: onSheet(pc.sheet, cellRef(pRow, pc.forecast)), result: m.forecast });
    put(r, c.atForecast, { formula: payoutFormula(ref(c.forecast), r), result: m.atForecast });

    // The steps above the actual, in the member's own order: each tier and each band start.
    const steps: { col: number; label: string; at: number; tierFirst: number }[] = [
      ...plan.tiers.map((t) => ({ col: c.tier(t), label: tierName(t, lang), at: plan.nodes[m.node].amount[t], tierFirst: 0 })),
      ...rules.bands.map((b, k) => ({ col: c.start(k), label: "tier" in b.from ? tierName(b.from.tier, lang) : b.label, at: m.starts[k], tierFirst: 1 })),
    ].sort((x, y) => x.at - y.at || x.tierFirst - y.tierFirst);
    let nextAt = a;
    let nextLabel = text(w("belowFirst", lang));
    for (let k = steps.length - 1; k >= 0; k--) {
      nextAt = `IF(${a}<${ref(steps[k].col)},${ref(steps[k].col)},${nextAt})`;
      nextLabel = `IF(${a}<${ref(steps[k].col)},${text(steps[k].label)},${nextLabel})`;
    }
    put(r, c.nextAt, { formula: nextAt, result: m.next ? m.next.at : m.actual });
    put(r, c.next, { formula: nextLabel, result: stepLabel(m, lang) });
    put(r, c.sell, { formula: `${ref(c.nextAt)}-${a}`, result: m.next ? m.next.sell : 0 });
    put(r, c.earn, { formula: `${payoutFormula(ref(c.nextAt), r)}-${ref(c.payout)}`, result: m.next ? m.next.earn : 0 });
    const hint =
      lang === "zh"
        ? `"再卖 "&FIXED(CEILING(${ref(c.sell)},1),0)&" 到达"&${ref(c.next)}&"，多得 "&FIXED(${ref(c.earn)},2)`
        : `"Sell "&FIXED(CEILING(${ref(c.sell)},1),0)&" more to reach "&${ref(c.next)}&": earn "&FIXED(${ref(c.earn)},2)&" more"`;
    const hintResult = m.next ? hintText(m.next.sell, stepLabel(m, lang), m.next.earn, lang) : "";
    put(r, c.hint, { formula: `IF(${ref(c.sell)}<=0,"",${hint})`, result: hintResult });
    put(r, c.cost, { formula: `IF(${a}=0,0,${ref(c.payout)}/${a})`, result: m.actual > 0 ? m.payout / m.actual : 0 });
    for (const t of plan.tiers) put(r, c.tier(t), plan.nodes[m.node].amount[t]);
    m.starts.forEach((s, k) => put(r, c.start(k), s));
  });

  // ── the teams ──
  const teamsTitle = last + 2;
  put(teamsTitle, 1, w("teams", lang));
  // The teams' figures under the members' columns of the same name.
  const tc = { actual: c.actual, payout: c.payout, atForecast: c.atForecast, cost: c.cost };
  const teamHeader = teamsTitle + 1;
  (levels ? plan.levelLabels : [""]).forEach((v, i) => put(teamHeader, i + 1, v));
  for (const [key, k] of [["actual", tc.actual], ["payout", tc.payout], ["atForecast", tc.atForecast], ["costShare", tc.cost]] as const) put(teamHeader, k, w(key, lang));
  // A team's members are contiguous in depth-first order.
  const leafRow = new Map(payouts.members.map((m, i) => [m.node, first + i]));
  const leafSpan = (node: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    const walk = (n: number): void => {
      const row = leafRow.get(n);
      if (row !== undefined) {
        lo = Math.min(lo, row);
        hi = Math.max(hi, row);
      }
      for (const ch of plan.nodes[n].children) walk(ch);
    };
    walk(node);
    return [lo, hi];
  };
  payouts.teams.forEach((t, i) => {
    const r = teamHeader + 1 + i;
    const node = plan.nodes[t.node];
    if (node.depth === 0) put(r, 1, w("total", lang));
    else plan.levels.forEach((l, k) => k < node.depth && put(r, k + 1, node.path[l]));
    const [lo, hi] = leafSpan(t.node);
    put(r, tc.actual, { formula: onSheet(pc.sheet, cellRef(pc.first + t.node, pc.actual)), result: t.actual });
    put(r, tc.payout, { formula: `SUM(${rangeRef(lo, c.payout, hi, c.payout)})`, result: t.payout });
    put(r, tc.atForecast, { formula: `SUM(${rangeRef(lo, c.atForecast, hi, c.atForecast)})`, result: t.atForecast });
    put(r, tc.cost, { formula: `IF(${cellRef(r, tc.actual)}=0,0,${cellRef(r, tc.payout)}/${cellRef(r, tc.actual)})`, result: t.costShare });
  });
  const teamFirst = teamHeader + 1;
  const teamLast = teamHeader + Math.max(1, payouts.teams.length);

  const amount = amountFormat(plan.unit);
  const memberCol = (k: number): string => rangeRef(first, k, last, k);
  styles.push(
    titleStyle(`A1:${columnLetter(c.cost)}1`),
    headerStyle(rangeRef(paramHeader, 1, paramHeader, 3)),
    ...(N ? [headerStyle(rangeRef(paramHeader, 5, paramHeader, 6))] : []),
    headerStyle(rangeRef(header, 1, header, c.cost)),
    headerStyle(rangeRef(header, c.nextAt, header, lastColumn)),
    { range: rangeRef(first, c.nextAt, last, lastColumn), italic: true, fontColor: "FF7F7F7F" },
    { range: memberCol(c.payout), bold: true },
    { range: `A${teamsTitle}`, bold: true },
    headerStyle(rangeRef(teamHeader, 1, teamHeader, tc.cost)),
    totalStyle(rangeRef(teamFirst, 1, teamFirst, tc.cost)),
  );
  return {
    kind: "incentives",
    name: sheetName("incentives", lang),
    rows,
    numberFormats: [
      ...(rules.cap === undefined ? [] : [{ range: "G2", format: MONEY }]),
      ...(K ? [{ range: rangeRef(paramHeader + 1, 2, paramHeader + K, 2), format: RATE }, { range: rangeRef(paramHeader + 1, 3, paramHeader + K, 3), format: MONEY }] : []),
      ...(N ? [{ range: rangeRef(paramHeader + 1, 6, paramHeader + N, 6), format: MONEY }] : []),
      { range: rangeRef(first, c.target, last, c.actual), format: amount },
      { range: memberCol(c.completion), format: PERCENT },
      { range: memberCol(c.award), format: MONEY },
      { range: memberCol(c.payout), format: MONEY },
      { range: memberCol(c.forecast), format: amount },
      { range: memberCol(c.atForecast), format: MONEY },
      { range: memberCol(c.sell), format: amount },
      { range: memberCol(c.earn), format: MONEY },
      { range: memberCol(c.cost), format: RATE },
      { range: rangeRef(first, c.nextAt, last, lastColumn), format: amount },
      { range: rangeRef(teamFirst, tc.actual, teamLast, tc.actual), format: amount },
      { range: rangeRef(teamFirst, tc.payout, teamLast, tc.payout), format: MONEY },
      { range: rangeRef(teamFirst, tc.atForecast, teamLast, tc.atForecast), format: MONEY },
      { range: rangeRef(teamFirst, tc.cost, teamLast, tc.cost), format: RATE },
    ],
    conditionalFormats: [
      { type: "dataBar", range: memberCol(c.completion), color: "FF5B9BD5", min: 0, max: 1 },
      { type: "expression", range: memberCol(c.reached), formula: `${cellRef(first, c.reached)}=${text(w("belowFirst", lang))}`, fill: COLORS.badFill, fontColor: COLORS.bad },
      ...(N ? [{ type: "expression" as const, range: rangeRef(first, 1, last, c.cost), formula: `AND(${cellRef(first, c.rank, false).replace(/^([A-Z]+)/, "$$$1")}<=${N},${cellRef(first, c.award).replace(/^([A-Z]+)/, "$$$1")}>0)`, fill: "FFFFE699" }] : []),
    ],
    styles,
    columnWidths: [
      ...(levels ? plan.levels.map((l, i) => fitWidth([plan.levelLabels[i], ...plan.nodes.map((n) => n.path[l] ?? "")], 10, 28)) : [10]),
      14, 14, 10, 10, 7, 11, 14, 14, 14, 10, 13, 12,
      lang === "zh" ? 42 : 54,
      11, 3, 14,
      ...plan.tiers.map(() => 13),
      ...rules.bands.map((b) => fitWidth([`${w("startOf", lang)}${b.label}`], 12, 20)),
    ],
    freeze: { rows: header, cols: firstLevels },
    print: { orientation: "landscape", fit: { width: 1, height: 0 }, area: rangeRef(1, 1, teamLast, c.cost) },
  };
}

/** The hint as the sheet's formula writes it (FIXED: thousands separators, 0 and 2 decimals). */
function hintText(sell: number, label: string, earn: number, lang: Lang): string {
  const fixed = (v: number, d: number): string => v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  const s = fixed(Math.ceil(sell), 0);
  const e = fixed(earn, 2);
  return lang === "zh" ? `再卖 ${s} 到达${label}，多得 ${e}` : `Sell ${s} more to reach ${label}: earn ${e} more`;
}

/** RESULT.json's `payouts`: one entry per member (CONTRACT §6 as extended by docs/incentives-and-letters.md). */
export function payoutsJson(plan: PlanResult, payouts: PayoutResult): object[] {
  const path = (i: number): Record<string, string> => Object.fromEntries(plan.levels.filter((l) => plan.nodes[i].path[l] !== undefined).map((l) => [l, plan.nodes[i].path[l]]));
  return payouts.members.map((m) => ({
    path: path(m.node),
    tier: m.tier,
    payout: cleanNumber(m.payout),
    atForecast: cleanNumber(m.atForecast),
    toNextTier: m.next
      ? {
          ...(m.next.tier ? { tier: m.next.tier } : { completion: cleanNumber(m.next.completion ?? 0) }),
          sell: cleanNumber(m.next.sell),
          earn: cleanNumber(m.next.earn),
        }
      : null,
    ...(payouts.rules.rankAward.length ? { rank: m.rank, rankAward: cleanNumber(m.rankAward) } : {}),
  }));
}
