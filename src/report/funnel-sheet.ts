/**
 * The funnel sheet (Funnel / 漏斗, CONTRACT §5): per channel, the Target and the work behind it —
 * orders, then each earlier stage of the funnel — and the same per period of the plan's grain.
 *
 * Layout: a title and notes that explain the arithmetic; the channel table (History, share, exact
 * and allocated Target, average order value, orders, then per earlier stage its conversion rate
 * and its required count, and a total row checked against the plan); then one block per channel
 * with its periods and a checked subtotal; then all channels per period.
 *
 * Live formulas where a reviewer traces a number: share = basis ÷ Σ basis, average order value =
 * History amount ÷ History orders, rate = History later stage ÷ History earlier stage, orders =
 * CEILING(Target × History orders ÷ History amount), each earlier stage = CEILING(next × History
 * earlier ÷ History later). The count is written in that form (not next ÷ rate), because then a
 * spreadsheet's floating point gives the exact count; `exactCeiling` checks this cell by cell and
 * writes the exact count as a value (in italics, with a note) where it cannot be sure.
 */
import { membersTarget, type ChannelFunnel, type FunnelResult } from "../engine/funnel";
import { ceil, decimalPlaces, fromNumber, mul, ratio } from "../engine/rational";
import type { PlanResult } from "../engine/types";
import { formatDecimal, type Lang } from "../i18n";
import { cellRef, columnLetter, rangeRef } from "./a1";
import { amountFormat, fitWidth, headerStyle, SHARE_FORMAT, titleStyle, totalStyle } from "./format";
import { sheetName, tierName, word } from "./labels";
import { checkSheetSize } from "./limits";
import type { CellSpec, FormulaCell, SheetSpec, StyleSpec } from "./spec";
import { upliftQuotasNote } from "./uplift-note";
import { CHECK_FAIL, CHECK_OK, checkMarkFormats } from "./weights-sheet";

export const COUNT_FORMAT = "#,##0";
export const VALUE_FORMAT = "#,##0.00";
/** History sums: whole numbers as such, decimals to two places or more. */
export const HISTORY_FORMAT = "#,##0.##";

type Words = Record<Lang, string>;

const WORDS = {
  title: { en: "Funnel: the orders, visits and invitations behind the Target", zh: "漏斗：力争目标背后的订单、二次进店与邀约" },
  channel: { en: "Channel", zh: "渠道" },
  aov: { en: "Average order value", zh: "平均单值" },
  perPeriod: { en: "Per channel and period", zh: "按渠道、期间" },
  allChannels: { en: "All channels", zh: "全部渠道" },
  note1: {
    en: "Orders = CEILING(Target × History orders ÷ History amount): the Target ÷ the average order value, rounded up.",
    zh: "订单数 = CEILING(力争目标 × 历史订单数 ÷ 历史销售额)：力争目标 ÷ 平均单值，向上取整。",
  },
  note2: {
    en: "Each earlier stage = CEILING(next stage × History of this stage ÷ History of the next): the next stage ÷ the conversion rate, rounded up — the least whole number that reaches the next stage, exactly (no rounding error of the rate).",
    zh: "每一前序环节 = CEILING(下一环节 × 本环节历史数 ÷ 下一环节历史数)：下一环节 ÷ 转化率，向上取整，即达成下一环节所需的最小整数；按精确值计算，不受转化率小数误差影响。",
  },
  note3: {
    en: "Per period: the count to date after each period is CEILING(count × Target to date ÷ Target), so the periods add up to the channel and never fall behind its pace.",
    zh: "按期间：截至每一期间的累计数 = CEILING(总数 × 累计力争目标 ÷ 力争目标)，各期间相加等于渠道总数，且不落后于进度。",
  },
  noteExact: {
    en: "Counts in italics are exact values: spreadsheet floating point would round their quotient the wrong way.",
    zh: "斜体的数为精确值：电子表格的浮点运算会把这些商取整错。",
  },
} satisfies Record<string, Words>;

function w(key: keyof typeof WORDS, lang: Lang): string {
  return WORDS[key][lang];
}

export function historyHeader(label: string, lang: Lang): string {
  return lang === "zh" ? `历史${label}` : `History ${label}`;
}

export function neededHeader(label: string, lang: Lang): string {
  return lang === "zh" ? `所需${label}` : `${label} needed`;
}

export function rateHeader(from: string, to: string, lang: Lang): string {
  return lang === "zh" ? `转化率 ${from}→${to}` : `Rate ${from} → ${to}`;
}

// ── ⌈x × y ÷ z⌉ that a spreadsheet evaluates exactly ──────────────────────────────────

export interface CeilingCell {
  cell: CellSpec;
  /** False when the exact count is written as a value (no formula form is safe). */
  live: boolean;
}

const NEAR = 1e-9;

/** Whether CEILING(q) gives `exact` whatever a spreadsheet's tolerance near whole numbers. */
function ceilingIsSafe(q: number, exact: number): boolean {
  if (!Number.isFinite(q)) return false;
  if (Number.isInteger(q)) return q === exact;
  const gap = Math.abs(q - Math.round(q));
  return Math.ceil(q) === exact && gap > NEAR * Math.max(1, Math.abs(q));
}

/**
 * ⌈x × y ÷ z⌉ for the cells `refs` holding `values`, as a formula whose spreadsheet result is
 * `exact`: `CEILING(x*y/z,1)` when the floating-point quotient is safe (a whole number that is
 * exact, or clear of every whole number); else the decimals scaled to whole numbers,
 * `CEILING(ROUND(x*y*100,0)/ROUND(z*100,0),1)`; else, when neither is safe, `exact` as a value.
 */
export function exactCeiling(refs: [string, string, string], values: [number, number, number], exact: number): CeilingCell {
  const [x, y, z] = values;
  const [rx, ry, rz] = refs;
  if (!(z > 0) || x < 0 || y < 0) return { cell: exact, live: false };
  // The count the cells themselves give, exactly; if the cells are not the engine's inputs, keep the engine's count.
  if (Number(ceil(ratio(mul(fromNumber(x), fromNumber(y)), fromNumber(z)))) !== exact) return { cell: exact, live: false };
  // A divisor of 1 (a rate given as a fraction) is left out of the formula.
  const over = (d: string) => (d === "1" ? "" : `/${d}`);
  if (ceilingIsSafe((x * y) / z, exact)) return { cell: { formula: `CEILING(${rx}*${ry}${over(rz)},1)`, result: exact }, live: true };
  const places = Math.max(decimalPlaces(x) + decimalPlaces(y), decimalPlaces(z));
  if (places > 0 && places <= 9) {
    const scale = 10 ** places;
    const top = x * y * scale;
    const bottom = z * scale;
    const a = Math.round(top);
    const b = Math.round(bottom);
    const whole = Math.abs(top - a) < 0.01 && Math.abs(bottom - b) < 0.01 && Number.isSafeInteger(a) && Number.isSafeInteger(b) && a < 1e15 && b > 0;
    if (whole && ceilingIsSafe(a / b, exact)) {
      const divisor = rz === "1" ? String(scale) : `ROUND(${rz}*${scale},0)`;
      return { cell: { formula: `CEILING(ROUND(${rx}*${ry}*${scale},0)/${divisor},1)`, result: exact }, live: true };
    }
  }
  return { cell: exact, live: false };
}

// ── column widths ─────────────────────────────────────────────────────────────────────

/** Characters a number takes as shown: thousands separators, two decimals unless whole. */
function numberWidth(v: number): number {
  const whole = Math.trunc(Math.abs(v));
  const digits = String(whole).length;
  return digits + Math.floor((digits - 1) / 3) + (Number.isInteger(v) ? 0 : 3) + (v < 0 ? 1 : 0);
}

/**
 * Column widths that fit what each column shows: text (CJK counting double), numbers as
 * formatted, formula results alike. Header rows (which wrap) count up to `headerCap` characters;
 * rows listed in `skip` (notes that run across) are left out.
 */
export function fitColumns(rows: readonly CellSpec[][], headerRows: ReadonlySet<number>, skip: ReadonlySet<number>, headerCap = 22): number[] {
  const widths: number[] = [];
  rows.forEach((row, r) => {
    if (skip.has(r)) return;
    row.forEach((cell, c) => {
      const value = cell !== null && typeof cell === "object" ? cell.result : cell;
      let w = 0;
      if (typeof value === "number") w = numberWidth(value) + 2;
      else if (typeof value === "string") w = Math.min(fitWidth([value], 0, 60), headerRows.has(r) ? headerCap : 60);
      widths[c] = Math.max(widths[c] ?? 8, w);
    });
  });
  return Array.from(widths, (w, c) => Math.min(c === 0 ? 28 : 22, Math.max(8, w ?? 8)));
}

// ── the sheet ─────────────────────────────────────────────────────────────────────────

interface ChannelColumns {
  channel: number;
  historyMetric: number;
  historyOrders: number;
  /** History column of each earlier stage, walk order (the stage before Orders first). */
  historyStage: Map<string, number>;
  share: number;
  exact: number;
  target: number;
  aov: number;
  orders: number;
  rate: Map<string, number>;
  count: Map<string, number>;
  check: number;
  width: number;
}

function channelColumns(earlier: readonly string[]): ChannelColumns {
  let c = 4;
  const historyStage = new Map<string, number>();
  for (const s of earlier) historyStage.set(s, c++);
  const share = c++;
  const exact = c++;
  const target = c++;
  const aov = c++;
  const orders = c++;
  const rate = new Map<string, number>();
  const count = new Map<string, number>();
  for (const s of earlier) {
    rate.set(s, c++);
    count.set(s, c++);
  }
  const check = c;
  return { channel: 1, historyMetric: 2, historyOrders: 3, historyStage, share, exact, target, aov, orders, rate, count, check, width: check };
}

function sumOf(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

const sameAmount = (a: number, b: number): boolean => Math.abs(a - b) < 5e-7;

/**
 * Rows and columns of the funnel sheet: seven rows of title, notes and header, a row per channel
 * and the total; then after an empty row, a title and a header, per channel its periods and a
 * subtotal; then after an empty row and a title, a row per period and the total.
 */
export function funnelSheetSize(funnel: FunnelResult): { rows: number; columns: number } {
  const earlier = funnel.stages.length - 1;
  let perChannel = 0;
  for (const c of funnel.channels) perChannel += c.periods.length + 1;
  return {
    rows: 7 + funnel.channels.length + 1 + 3 + perChannel + 2 + funnel.periods.length + 1,
    columns: Math.max(channelColumns(funnel.stages.slice(0, -1)).width, 5 + earlier),
  };
}

export function buildFunnelSheet(result: PlanResult, funnel: FunnelResult, lang: Lang): SheetSpec {
  const size = funnelSheetSize(funnel);
  checkSheetSize(sheetName("funnel", lang), "funnel", size.rows, size.columns);
  const { stages, metric, channels, columns } = funnel;
  const label = (name: string): string => columns.labels[name] ?? name;
  // Earlier stages in walk order: the stage before Orders first.
  const earlier = stages.slice(0, -1).reverse();
  const cols = channelColumns(earlier);
  const lastLetter = columnLetter(cols.width);
  const rows: CellSpec[][] = [];
  const styles: StyleSpec[] = [];
  const numberFormats: SheetSpec["numberFormats"] = [];
  const italic: string[] = [];
  const emptyRow = (): CellSpec[] => Array<CellSpec>(cols.width).fill(null);
  const K = channels.length;
  // The members' Target: in an uplifted plan, their quotas' total (what the funnel works back from).
  const planTarget = membersTarget(result);
  const quotasNote = upliftQuotasNote(result, formatDecimal(String(planTarget)), lang);

  // Title and notes.
  rows.push([w("title", lang)]);
  styles.push(titleStyle(`A1:${lastLetter}1`));
  const noteRows = [quotasNote ? `${w("note1", lang)} ${quotasNote}` : w("note1", lang), w("note2", lang), w("note3", lang)];
  for (const n of noteRows) rows.push([n]);
  const exactNoteRow = rows.length;
  rows.push([]);
  styles.push({ range: `A2:A${rows.length}`, italic: true });
  rows.push([]);

  // The channel table.
  const header = emptyRow();
  const headerRow = rows.length + 1;
  header[cols.channel - 1] = columns.labels[funnel.dimension] ?? w("channel", lang);
  header[cols.historyMetric - 1] = historyHeader(label(metric), lang);
  header[cols.historyOrders - 1] = historyHeader(label("Orders"), lang);
  for (const s of earlier) header[cols.historyStage.get(s)! - 1] = historyHeader(label(s), lang);
  header[cols.share - 1] = word("share", lang);
  header[cols.exact - 1] = word("exact", lang);
  header[cols.target - 1] = tierName("target", lang);
  header[cols.aov - 1] = w("aov", lang);
  header[cols.orders - 1] = neededHeader(label("Orders"), lang);
  earlier.forEach((s, i) => {
    const next = i === 0 ? "Orders" : earlier[i - 1];
    header[cols.rate.get(s)! - 1] = rateHeader(label(s), label(next), lang);
    header[cols.count.get(s)! - 1] = neededHeader(label(s), lang);
  });
  header[cols.check - 1] = word("check", lang);
  rows.push(header);
  styles.push(headerStyle(`A${headerRow}:${lastLetter}${headerRow}`));

  const first = headerRow + 1;
  const totalRow = first + K;
  const abs = (col: number) => cellRef(totalRow, col, true);
  const rowOf = new Map<ChannelFunnel, number>();
  channels.forEach((c, k) => {
    const r = first + k;
    rowOf.set(c, r);
    const row = emptyRow();
    const at = (col: number) => cellRef(r, col);
    row[cols.channel - 1] = c.channel;
    row[cols.historyMetric - 1] = c.history[metric];
    row[cols.historyOrders - 1] = c.history.Orders;
    for (const s of earlier) row[cols.historyStage.get(s)! - 1] = c.history[s];
    if (funnel.source === "History") {
      row[cols.share - 1] = { formula: `IF(${abs(cols.historyMetric)}=0,1/${K},${at(cols.historyMetric)}/${abs(cols.historyMetric)})`, result: c.share };
      row[cols.exact - 1] = { formula: `${at(cols.share)}*${abs(cols.target)}`, result: c.share * planTarget };
    } else {
      row[cols.share - 1] = { formula: `IF(${abs(cols.target)}=0,0,${at(cols.target)}/${abs(cols.target)})`, result: c.share };
      row[cols.exact - 1] = { formula: at(cols.target), result: c.target };
    }
    row[cols.target - 1] = c.target;
    row[cols.aov - 1] = { formula: `IF(${at(cols.historyOrders)}=0,0,${at(cols.historyMetric)}/${at(cols.historyOrders)})`, result: c.averageOrderValue };
    const place = (col: number, cell: CeilingCell) => {
      row[col - 1] = cell.cell;
      if (!cell.live) italic.push(cellRef(r, col));
    };
    place(cols.orders, exactCeiling([at(cols.target), at(cols.historyOrders), at(cols.historyMetric)], [c.target, c.history.Orders, c.history[metric]], c.counts.Orders));
    earlier.forEach((s, i) => {
      const next = i === 0 ? "Orders" : earlier[i - 1];
      const nextCol = i === 0 ? cols.orders : cols.count.get(next)!;
      const hs = cols.historyStage.get(s)!;
      const hn = next === "Orders" ? cols.historyOrders : cols.historyStage.get(next)!;
      row[cols.rate.get(s)! - 1] = { formula: `IF(${at(hs)}=0,0,${at(hn)}/${at(hs)})`, result: c.rates[s] };
      place(cols.count.get(s)!, exactCeiling([at(nextCol), at(hs), at(hn)], [c.counts[next], c.history[s], c.history[next]], c.counts[s]));
    });
    rows.push(row);
  });

  // Total row: sums, the overall average order value and rates, and the check against the plan.
  const total = emptyRow();
  const sumCol = (col: number, value: number): FormulaCell =>
    K > 0 ? { formula: `SUM(${rangeRef(first, col, totalRow - 1, col)})`, result: value } : { formula: "0", result: 0 };
  const t = funnel.totals;
  total[cols.channel - 1] = word("total", lang);
  total[cols.historyMetric - 1] = sumCol(cols.historyMetric, t.history[metric]);
  total[cols.historyOrders - 1] = sumCol(cols.historyOrders, t.history.Orders);
  for (const s of earlier) total[cols.historyStage.get(s)! - 1] = sumCol(cols.historyStage.get(s)!, t.history[s]);
  total[cols.share - 1] = sumCol(cols.share, sumOf(channels.map((c) => c.share)));
  total[cols.exact - 1] = sumCol(cols.exact, sumOf(channels.map((c) => (funnel.source === "History" ? c.share * planTarget : c.target))));
  total[cols.target - 1] = sumCol(cols.target, t.target);
  const tr = (col: number) => cellRef(totalRow, col);
  total[cols.aov - 1] = {
    formula: `IF(${tr(cols.historyOrders)}=0,0,${tr(cols.historyMetric)}/${tr(cols.historyOrders)})`,
    result: t.history.Orders === 0 ? 0 : t.history[metric] / t.history.Orders,
  };
  total[cols.orders - 1] = sumCol(cols.orders, t.counts.Orders);
  earlier.forEach((s, i) => {
    const next = i === 0 ? "Orders" : earlier[i - 1];
    const hs = cols.historyStage.get(s)!;
    const hn = next === "Orders" ? cols.historyOrders : cols.historyStage.get(next)!;
    total[cols.rate.get(s)! - 1] = { formula: `IF(${tr(hs)}=0,0,${tr(hn)}/${tr(hs)})`, result: t.history[s] === 0 ? 0 : t.history[next] / t.history[s] };
    total[cols.count.get(s)! - 1] = sumCol(cols.count.get(s)!, t.counts[s]);
  });
  total[cols.check - 1] = {
    formula: `IF(ROUND(${tr(cols.target)}-${planTarget},6)=0,"${CHECK_OK}","${CHECK_FAIL}")`,
    result: sameAmount(t.target, planTarget) ? CHECK_OK : CHECK_FAIL,
  };
  rows.push(total);
  styles.push(totalStyle(`A${totalRow}:${lastLetter}${totalRow}`));

  const amount = amountFormat(result.unit);
  const span = (col: number, from: number, to: number) => rangeRef(from, col, to, col);
  numberFormats.push(
    { range: rangeRef(first, cols.historyMetric, totalRow, cols.historyMetric), format: HISTORY_FORMAT },
    { range: rangeRef(first, cols.historyOrders, totalRow, cols.share - 1), format: HISTORY_FORMAT },
    { range: span(cols.share, first, totalRow), format: SHARE_FORMAT },
    { range: span(cols.exact, first, totalRow), format: VALUE_FORMAT },
    { range: span(cols.target, first, totalRow), format: amount },
    { range: span(cols.aov, first, totalRow), format: VALUE_FORMAT },
    { range: span(cols.orders, first, totalRow), format: COUNT_FORMAT },
  );
  for (const s of earlier) {
    numberFormats.push({ range: span(cols.rate.get(s)!, first, totalRow), format: SHARE_FORMAT });
    numberFormats.push({ range: span(cols.count.get(s)!, first, totalRow), format: COUNT_FORMAT });
  }

  // Per channel and period.
  const P = funnel.periods.length;
  const pCols = { channel: 1, period: 2, target: 3, count: new Map<string, number>(), check: 0, width: 0 };
  const walk = ["Orders", ...earlier];
  walk.forEach((s, i) => pCols.count.set(s, 4 + i));
  pCols.check = 4 + walk.length;
  pCols.width = pCols.check;
  const pLast = columnLetter(Math.max(pCols.width, cols.width));
  rows.push([]);
  const periodTitle = rows.length + 1;
  rows.push([w("perPeriod", lang)]);
  styles.push(titleStyle(`A${periodTitle}:${pLast}${periodTitle}`));
  const pHeader: CellSpec[] = [header[cols.channel - 1], word("period", lang), tierName("target", lang), ...walk.map((s) => label(s)), word("check", lang)];
  rows.push(pHeader);
  const pHeaderRow = rows.length;
  styles.push(headerStyle(`A${pHeaderRow}:${columnLetter(pCols.width)}${pHeaderRow}`));

  const detailRows: number[][] = []; // per channel, the sheet row of each period
  channels.forEach((c) => {
    const firstRow = rows.length + 1;
    const own: number[] = [];
    c.periods.forEach((p, j) => {
      own.push(rows.length + 1);
      rows.push([c.channel, funnel.periods[j], p.target, ...walk.map((s) => p.counts[s]), null]);
    });
    detailRows.push(own);
    const lastRow = rows.length;
    const sub: CellSpec[] = [c.channel, word("subtotal", lang)];
    const subRow = rows.length + 1;
    const sums = [sumOf(c.periods.map((p) => p.target)), ...walk.map((s) => sumOf(c.periods.map((p) => p.counts[s])))];
    const colsOf = [pCols.target, ...walk.map((s) => pCols.count.get(s)!)];
    const channelRow = rowOf.get(c)!;
    const against = [cols.target, ...walk.map((s) => (s === "Orders" ? cols.orders : cols.count.get(s)!))];
    const expected = [c.target, ...walk.map((s) => c.counts[s])];
    colsOf.forEach((col, i) => sub.push(P > 0 ? { formula: `SUM(${rangeRef(firstRow, col, lastRow, col)})`, result: sums[i] } : 0));
    sub.push({
      formula: `IF(AND(${colsOf.map((col, i) => `ROUND(${cellRef(subRow, col)}-${cellRef(channelRow, against[i])},6)=0`).join(",")}),"${CHECK_OK}","${CHECK_FAIL}")`,
      result: sums.every((s, i) => sameAmount(s, expected[i])) ? CHECK_OK : CHECK_FAIL,
    });
    rows.push(sub);
    styles.push(totalStyle(`A${subRow}:${columnLetter(pCols.width)}${subRow}`));
  });

  // All channels per period: each period's sum over the channels' rows.
  rows.push([]);
  const allTitle = rows.length + 1;
  rows.push([w("allChannels", lang)]);
  styles.push(titleStyle(`A${allTitle}:${pLast}${allTitle}`));
  const colsOf = [pCols.target, ...walk.map((s) => pCols.count.get(s)!)];
  const valueOf = (c: ChannelFunnel, j: number, i: number): number => (i === 0 ? c.periods[j].target : c.periods[j].counts[walk[i - 1]]);
  const allFirst = rows.length + 1;
  for (let j = 0; j < P; j++) {
    const row: CellSpec[] = [w("allChannels", lang), funnel.periods[j]];
    colsOf.forEach((col, i) => {
      const value = sumOf(channels.map((c) => valueOf(c, j, i)));
      const refs = detailRows.map((own) => cellRef(own[j], col));
      row.push(refs.length > 0 && refs.length <= 250 ? { formula: `SUM(${refs.join(",")})`, result: value } : value);
    });
    rows.push(row);
  }
  const allLast = rows.length;
  const allTotalRow = allLast + 1;
  const allTotal: CellSpec[] = [word("total", lang), null];
  const allSums = colsOf.map((_, i) => sumOf(channels.flatMap((c) => c.periods.map((__, j) => valueOf(c, j, i)))));
  colsOf.forEach((col, i) => allTotal.push(P > 0 ? { formula: `SUM(${rangeRef(allFirst, col, allLast, col)})`, result: allSums[i] } : 0));
  const totalsAgainst = [cols.target, ...walk.map((s) => (s === "Orders" ? cols.orders : cols.count.get(s)!))];
  const totalsExpected = [t.target, ...walk.map((s) => t.counts[s])];
  allTotal.push({
    formula: `IF(AND(${colsOf.map((col, i) => `ROUND(${cellRef(allTotalRow, col)}-${cellRef(totalRow, totalsAgainst[i])},6)=0`).join(",")}),"${CHECK_OK}","${CHECK_FAIL}")`,
    result: allSums.every((s, i) => sameAmount(s, totalsExpected[i])) ? CHECK_OK : CHECK_FAIL,
  });
  rows.push(allTotal);
  styles.push(totalStyle(`A${allTotalRow}:${columnLetter(pCols.width)}${allTotalRow}`));

  const detailFirst = pHeaderRow + 1;
  numberFormats.push(
    { range: rangeRef(detailFirst, pCols.target, allTotalRow, pCols.target), format: amount },
    { range: rangeRef(detailFirst, pCols.count.get("Orders")!, allTotalRow, pCols.check - 1), format: COUNT_FORMAT },
  );

  if (italic.length) {
    rows[exactNoteRow] = [w("noteExact", lang)];
    for (const ref of italic) styles.push({ range: ref, italic: true });
  }
  const checkRanges = [
    rangeRef(first, cols.check, totalRow, cols.check),
    rangeRef(detailFirst, pCols.check, allTotalRow, pCols.check),
  ];
  for (const range of checkRanges) styles.push({ range, align: "center", bold: true });

  // The title, the notes and the section titles run across; they do not set widths.
  const skip = new Set([0, 1, 2, 3, exactNoteRow, periodTitle - 1, allTitle - 1]);
  const widths = fitColumns(rows, new Set([headerRow - 1, pHeaderRow - 1]), skip);

  return {
    kind: "funnel",
    name: sheetName("funnel", lang),
    rows,
    numberFormats,
    conditionalFormats: checkRanges.flatMap(checkMarkFormats),
    styles,
    columnWidths: widths,
    freeze: { rows: 0, cols: 1 },
    landscape: true,
  };
}
