/**
 * The Funnel Progress sheet (过程追踪): per member and channel, each funnel stage's actual against
 * its task to date, the actual conversion rates against the plan's, and the bottleneck in words
 * ("邀约不足", "二次进店转化率低"); below it, the deep data — average order value, attachment
 * rates, series mix — actual against plan. Every derived figure is a live formula over the cells
 * beside it; where a spreadsheet's floating point could pick another bottleneck than the exact
 * numbers (two ratios a hair apart), the engine's word is written as a value, in italics.
 */
import type { ProcessResult, ProcessRow } from "../engine/process";
import type { ProgressResult } from "../engine/progress";
import { isoDate } from "../engine/dates";
import type { PlanResult } from "../engine/types";
import type { Lang } from "../i18n";
import { cellRef, columnLetter, rangeRef } from "./a1";
import { amountFormat, COLORS, fitWidth, headerStyle, titleStyle, totalStyle } from "./format";
import { sheetName } from "./labels";
import { assertFitsOnSheet, checkSheetSize } from "./limits";
import type { CellSpec, SheetSpec, StyleSpec } from "./spec";

type Words = Record<Lang, string>;

const W = {
  title: { en: "Funnel progress at", zh: "过程追踪 · 统计日期" },
  note1: {
    en: "Tasks are each member's target letter's. To date = task × the share of the member's Target due by AsOf (the plan's own shape), rounded up.",
    zh: "任务即各人目标责任书中的任务；应完成 = 任务 × 本人力争目标截至统计日期的应完成比例（按计划的季节分布），向上取整。",
  },
  note2: {
    en: "The bottleneck is the stage furthest behind the plan: the first stage by its count, a later one by its conversion rate against the plan's; a tie goes to the earlier stage.",
    zh: "瓶颈为最落后于计划的环节：第一个环节看数量，之后的环节看转化率与计划之比；相同时取靠前的环节（根源在前）。",
  },
  noteExact: {
    en: "A bottleneck in italics was decided on the exact numbers: two of its ratios are too close for floating point.",
    zh: "斜体的瓶颈按精确数值判定：其中两个比值过于接近，浮点计算无法区分。",
  },
  channel: { en: "Channel", zh: "渠道" },
  allChannels: { en: "All channels", zh: "全部渠道" },
  total: { en: "Total", zh: "合计" },
  task: { en: "Task", zh: "任务" },
  toDate: { en: "To date", zh: "应完成" },
  actual: { en: "Actual", zh: "实际" },
  ofToDate: { en: "% to date", zh: "达成" },
  planRate: { en: "Plan rate", zh: "计划转化率" },
  actualRate: { en: "Actual rate", zh: "实际转化率" },
  vsPlan: { en: "vs plan", zh: "对比计划" },
  conversionTo: { en: "Conversion to", zh: "转化 →" },
  bottleneck: { en: "Bottleneck", zh: "瓶颈" },
  none: { en: "—", zh: "—" },
  deepTitle: { en: "Deep data, actual against plan", zh: "深度数据 · 实际与计划" },
  amount: { en: "Amount", zh: "销售额" },
  orders: { en: "Orders", zh: "订单数" },
  aovActual: { en: "Average order value", zh: "平均单值 实际" },
  aovPlan: { en: "AOV plan", zh: "平均单值 计划" },
  units: { en: "units", zh: "台数" },
  attachActual: { en: "attachment rate", zh: "配套率 实际" },
  attachPlan: { en: "plan", zh: "配套率 计划" },
  seriesAmount: { en: "amount", zh: "销售额" },
  seriesShare: { en: "share", zh: "占比 实际" },
  seriesPlan: { en: "plan", zh: "占比 计划" },
} satisfies Record<string, Words>;

const w = (key: keyof typeof W, lang: Lang): string => W[key][lang];

/** The stages' names in the method's words, for the bottleneck. */
const STAGE_WORDS: Record<string, Words> = {
  Leads: { en: "leads", zh: "意向" },
  Invitations: { en: "invitations", zh: "邀约" },
  Visits: { en: "visits", zh: "二次进店" },
  Orders: { en: "orders", zh: "成交" },
};

/** "邀约不足" / "Too few invitations" for the first stage; "二次进店转化率低" / "Low conversion to visits" for a later one. */
export function bottleneckWord(stage: string, first: boolean, label: string, lang: Lang): string {
  const name = STAGE_WORDS[stage]?.[lang] ?? label;
  if (lang === "zh") return first ? `${name}不足` : `${name}转化率低`;
  return first ? `Too few ${name}` : `Low conversion to ${name}`;
}

const COUNT = "#,##0";
const PERCENT = "0.0%";
const RATIO = "0.00";
const HEADER_ROW = 5;

interface Layout {
  levels: number;
  channel: number;
  /** Per stage: task, to date, actual, % of to date. */
  stage: { task: number; toDate: number; actual: number; of: number }[];
  /** Per stage after the first (index t ≥ 1): plan rate, actual rate, vs plan. */
  rate: ({ plan: number; actual: number; vs: number } | undefined)[];
  bottleneck: number;
  columns: number;
}

function layout(plan: PlanResult, process: ProcessResult): Layout {
  const levels = Math.max(1, plan.levels.length);
  let col = levels + 1;
  const channel = col++;
  const stage = process.stages.map(() => ({ task: col++, toDate: col++, actual: col++, of: col++ }));
  const rate = process.stages.map((_, t) => (t === 0 ? undefined : { plan: col++, actual: col++, vs: col++ }));
  const bottleneck = col;
  return { levels, channel, stage, rate, bottleneck, columns: bottleneck };
}

/** Rows and columns of the sheet: title and notes, the header, a row per process row; then the deep data's title, header and a row per node. */
export function processSheetSize(plan: PlanResult, process: ProcessResult): { rows: number; columns: number } {
  const l = layout(plan, process);
  const deep = process.deep ? deepColumns(plan, process) : 0;
  return { rows: HEADER_ROW + process.rows.length + (process.deep ? 3 + plan.nodes.length : 0), columns: Math.max(l.columns, deep) };
}

function deepColumns(plan: PlanResult, process: ProcessResult): number {
  const d = process.deep!;
  return Math.max(1, plan.levels.length) + 5 + d.addOns.length * 3 + d.series.length * 3;
}

/** The Funnel Progress sheet; throws SheetTooLargeError when it would not fit on a worksheet. */
export function buildProcessSheet(plan: PlanResult, progress: ProgressResult, process: ProcessResult, labels: Record<string, string>, lang: Lang): SheetSpec {
  const size = processSheetSize(plan, process);
  checkSheetSize(sheetName("process", lang), "process", size.rows, size.columns);
  const sheet = processSheet(plan, progress, process, labels, lang);
  assertFitsOnSheet(sheet);
  return sheet;
}

function members(plan: PlanResult, node: number, width: number, lang: Lang): CellSpec[] {
  const n = plan.nodes[node];
  if (n.depth === 0) return [w("total", lang), ...Array<CellSpec>(width - 1).fill(null)];
  const cells: CellSpec[] = plan.levels.map((l, i) => (i < n.depth ? n.path[l] : null));
  while (cells.length < width) cells.push(null);
  return cells;
}

function processSheet(plan: PlanResult, progress: ProgressResult, process: ProcessResult, labels: Record<string, string>, lang: Lang): SheetSpec {
  const l = layout(plan, process);
  const S = process.stages.length;
  const label = (stage: string): string => labels[stage] ?? stage;
  const words = process.stages.map((s, t) => bottleneckWord(s, t === 0, label(s), lang));
  const rows: CellSpec[][] = [];
  rows.push([`${w("title", lang)} ${isoDate(progress.asOf)}`]);
  rows.push([w("note1", lang)]);
  rows.push([w("note2", lang)]);
  // Two header rows: each stage over its columns, then what each column holds.
  const groups: CellSpec[] = [...Array<CellSpec>(l.channel).fill(null)];
  const header: CellSpec[] = [...(plan.levels.length ? plan.levelLabels : [""]), w("channel", lang)];
  process.stages.forEach((s, t) => {
    groups[l.stage[t].task - 1] = label(s);
    header.push(w("task", lang), w("toDate", lang), w("actual", lang), w("ofToDate", lang));
  });
  process.stages.forEach((s, t) => {
    if (t === 0) return;
    groups[l.rate[t]!.plan - 1] = `${w("conversionTo", lang)} ${label(s)}`;
    header.push(w("planRate", lang), w("actualRate", lang), w("vsPlan", lang));
  });
  header.push(w("bottleneck", lang));
  rows.push(groups);
  rows.push(header);

  const italic: number[] = [];
  const totalRows: number[] = [];
  const tpl = templates(process, l, words, lang);
  for (const row of process.rows) {
    const r = rows.length + 1;
    rows.push(processCells(plan, process, row, r, l, words, tpl, lang));
    if (row.nearTie) italic.push(r);
    if (row.channel < 0 && process.byChannel) totalRows.push(r);
  }
  const first = HEADER_ROW + 1;
  const last = Math.max(first, rows.length);
  const lastProcessRow = rows.length;

  const numberFormats: SheetSpec["numberFormats"] = [];
  const counts = l.stage.map((s) => rangeRef(first, s.task, last, s.actual));
  for (const range of counts) numberFormats.push({ range, format: COUNT });
  for (const s of l.stage) numberFormats.push({ range: rangeRef(first, s.of, last, s.of), format: PERCENT });
  for (const r of l.rate) {
    if (!r) continue;
    numberFormats.push({ range: rangeRef(first, r.plan, last, r.actual), format: PERCENT });
    numberFormats.push({ range: rangeRef(first, r.vs, last, r.vs), format: RATIO });
  }
  const styles: StyleSpec[] = [
    titleStyle(`A1:${columnLetter(l.columns)}1`),
    { range: "A2:A3", italic: true, fontColor: "FF595959" },
    headerStyle(`A${HEADER_ROW - 1}:${columnLetter(l.columns)}${HEADER_ROW}`),
    // A stage's name runs over its columns.
    { range: rangeRef(HEADER_ROW - 1, 1, HEADER_ROW - 1, l.columns), align: "left", wrap: false },
  ];
  if (process.rows.length) styles.push(totalStyle(`A${first}:${columnLetter(l.columns)}${first + (process.byChannel ? process.channels.length : 0)}`));
  for (const r of totalRows) styles.push({ range: `${columnLetter(l.channel)}${r}:${columnLetter(l.columns)}${r}`, bold: true });
  for (const r of italic) styles.push({ range: cellRef(r, l.bottleneck), italic: true });
  if (italic.length) rows[2] = [`${w("note2", lang)} ${w("noteExact", lang)}`];

  const bottleneckCol = rangeRef(first, l.bottleneck, last, l.bottleneck);
  const bottleneckTop = cellRef(first, l.bottleneck);
  const conditionalFormats: SheetSpec["conditionalFormats"] = [
    { type: "expression", range: bottleneckCol, formula: `AND(${bottleneckTop}<>"",${bottleneckTop}<>"${w("none", lang)}")`, fill: COLORS.badFill, fontColor: COLORS.bad, bold: true },
    ...l.stage.map((s) => ({ type: "dataBar" as const, range: rangeRef(first, s.of, last, s.of), color: "FF5B9BD5", min: 0, max: 1 })),
  ];

  const widths: number[] = [
    ...(plan.levels.length ? plan.levels.map((lv, i) => fitWidth([plan.levelLabels[i], ...plan.nodes.map((n) => n.path[lv] ?? "")], 10, 24)) : [10]),
    fitWidth([w("channel", lang), w("allChannels", lang), ...process.channels], 10, 24),
  ];
  for (let t = 0; t < S; t++) widths.push(9, 9, 9, 8);
  for (let t = 1; t < S; t++) widths.push(11, 11, 9);
  widths.push(fitWidth([w("bottleneck", lang), ...words], 10, 26));

  if (process.deep) {
    deepBlock(plan, process, rows, numberFormats, styles, lastProcessRow + 2, labels, lang);
    while (widths.length < deepColumns(plan, process)) widths.push(11);
  }

  return {
    kind: "process",
    name: sheetName("process", lang),
    rows,
    numberFormats,
    conditionalFormats,
    styles,
    columnWidths: widths,
    freeze: { rows: HEADER_ROW, cols: l.channel },
    landscape: true,
  };
}

/** A formula of any row, cut where its row number goes: the pieces joined by the row's number give the row's formula. */
type Template = string[];
const ROW = "\u0000";
const template = (formula: string): Template => formula.split(ROW);

interface Templates {
  of: Template[];
  planAll: (Template | undefined)[];
  actualRate: (Template | undefined)[];
  vs: (Template | undefined)[];
  bottleneck: Template;
}

/** Every formula of a row of the funnel block, once, for a row number to be put in. */
function templates(process: ProcessResult, l: Layout, words: string[], lang: Lang): Templates {
  const S = process.stages.length;
  const ref = (col: number): string => `${columnLetter(col)}${ROW}`;
  const of = l.stage.map((s) => template(`IF(${ref(s.toDate)}=0,"",${ref(s.actual)}/${ref(s.toDate)})`));
  const planAll: (Template | undefined)[] = [undefined];
  const actualRate: (Template | undefined)[] = [undefined];
  const vs: (Template | undefined)[] = [undefined];
  for (let t = 1; t < S; t++) {
    const c = l.rate[t]!;
    const prev = l.stage[t - 1];
    const cur = l.stage[t];
    planAll.push(template(`IF(OR(${ref(prev.task)}=0,${ref(cur.task)}=0),"",${ref(cur.task)}/${ref(prev.task)})`));
    actualRate.push(template(`IF(${ref(prev.actual)}=0,"",${ref(cur.actual)}/${ref(prev.actual)})`));
    vs.push(template(`IF(OR(${ref(c.actual)}="",${ref(c.plan)}=""),"",${ref(c.actual)}/${ref(c.plan)})`));
  }
  const candidates = [ref(l.stage[0].of), ...l.rate.filter((x) => x !== undefined).map((x) => ref(x!.vs))];
  const list = candidates.join(",");
  const min = `MIN(${list})`;
  let pick = `"${words[S - 1]}"`;
  for (let t = S - 2; t >= 0; t--) pick = `IF(${candidates[t]}=${min},"${words[t]}",${pick})`;
  const bottleneck = template(`IF(COUNT(${list})=0,"",IF(${min}>=1,"${w("none", lang)}",${pick}))`);
  return { of, planAll, actualRate, vs, bottleneck };
}

function processCells(plan: PlanResult, process: ProcessResult, row: ProcessRow, r: number, l: Layout, words: string[], tpl: Templates, lang: Lang): CellSpec[] {
  const S = process.stages.length;
  const cells: CellSpec[] = members(plan, row.node, l.levels, lang);
  cells.push(row.channel < 0 ? w("allChannels", lang) : process.channels[row.channel]);
  const at = String(r);
  for (let t = 0; t < S; t++) {
    const of = row.toDate[t] > 0 ? row.actual[t] / row.toDate[t] : "";
    cells.push(row.target[t], row.toDate[t], row.actual[t], { formula: tpl.of[t].join(at), result: of });
  }
  for (let t = 1; t < S; t++) {
    const plan = row.planRate[t];
    if (row.channel < 0) cells.push({ formula: tpl.planAll[t]!.join(at), result: plan ?? "" });
    else cells.push(plan);
    cells.push({ formula: tpl.actualRate[t]!.join(at), result: row.actualRate[t] ?? "" });
    cells.push({ formula: tpl.vs[t]!.join(at), result: row.ratio[t] ?? "" });
  }
  let present = false;
  for (const v of row.ratio) if (v !== null) present = true;
  const word = row.bottleneck >= 0 ? words[row.bottleneck] : present ? w("none", lang) : "";
  cells.push(row.nearTie ? word : { formula: tpl.bottleneck.join(at), result: word });
  return cells;
}

/** The deep data below the funnel: per node, amount and orders, average order value, add-ons and series, actual against plan. */
function deepBlock(
  plan: PlanResult,
  process: ProcessResult,
  rows: CellSpec[][],
  numberFormats: SheetSpec["numberFormats"],
  styles: StyleSpec[],
  titleRow: number,
  labels: Record<string, string>,
  lang: Lang,
): void {
  const d = process.deep!;
  const levels = Math.max(1, plan.levels.length);
  while (rows.length < titleRow - 1) rows.push([]);
  rows.push([w("deepTitle", lang)]);
  const c = { amount: levels + 1, orders: levels + 2, aov: levels + 3, aovPlan: levels + 4, aovVs: levels + 5 };
  const addOnCol = (x: number) => ({ units: levels + 6 + 3 * x, rate: levels + 7 + 3 * x, plan: levels + 8 + 3 * x });
  const seriesCol = (z: number) => {
    const base = levels + 6 + 3 * d.addOns.length + 3 * z;
    return { amount: base, share: base + 1, plan: base + 2 };
  };
  const header: CellSpec[] = [...(plan.levels.length ? plan.levelLabels : [""]), w("amount", lang), labels.Orders ?? w("orders", lang), w("aovActual", lang), w("aovPlan", lang), w("vsPlan", lang)];
  d.addOns.forEach((a) => header.push(`${a.product} ${w("units", lang)}`, `${a.product} ${w("attachActual", lang)}`, `${a.product} ${w("attachPlan", lang)}`));
  d.series.forEach((s) => header.push(`${s.member} ${w("seriesAmount", lang)}`, `${s.member} ${w("seriesShare", lang)}`, `${s.member} ${w("seriesPlan", lang)}`));
  const headerRow = rows.length + 1;
  rows.push(header);
  const columns = header.length;
  styles.push(titleStyle(`A${titleRow}:${columnLetter(columns)}${titleRow}`));
  styles.push(headerStyle(`A${headerRow}:${columnLetter(columns)}${headerRow}`));
  const first = headerRow + 1;
  for (const row of d.rows) {
    const r = rows.length + 1;
    const ref = (col: number): string => cellRef(r, col);
    const cells = members(plan, row.node, levels, lang);
    const aov = row.orders > 0 ? row.amount / row.orders : "";
    cells.push(row.amount, d.orders ? row.orders : null, { formula: `IF(N(${ref(c.orders)})=0,"",${ref(c.amount)}/${ref(c.orders)})`, result: aov });
    cells.push(row.planAverageOrderValue, {
      formula: `IF(OR(${ref(c.aov)}="",N(${ref(c.aovPlan)})=0),"",${ref(c.aov)}/${ref(c.aovPlan)})`,
      result: aov !== "" && row.planAverageOrderValue > 0 ? aov / row.planAverageOrderValue : "",
    });
    d.addOns.forEach((a, x) => {
      const k = addOnCol(x);
      const units = row.addOnUnits[x];
      cells.push(units, { formula: `IF(N(${ref(c.orders)})=0,"",${ref(k.units)}/${ref(c.orders)})`, result: row.orders > 0 ? units / row.orders : "" }, a.rate);
    });
    d.series.forEach((s, z) => {
      const k = seriesCol(z);
      const amount = row.seriesAmounts[z];
      cells.push(amount, { formula: `IF(${ref(c.amount)}=0,"",${ref(k.amount)}/${ref(c.amount)})`, result: row.amount !== 0 ? amount / row.amount : "" }, s.share);
    });
    rows.push(cells);
  }
  const last = Math.max(first, rows.length);
  styles.push(totalStyle(`A${first}:${columnLetter(columns)}${first}`));
  const money = amountFormat(plan.unit);
  numberFormats.push({ range: rangeRef(first, c.amount, last, c.amount), format: money });
  numberFormats.push({ range: rangeRef(first, c.orders, last, c.orders), format: COUNT });
  numberFormats.push({ range: rangeRef(first, c.aov, last, c.aovPlan), format: "#,##0" });
  numberFormats.push({ range: rangeRef(first, c.aovVs, last, c.aovVs), format: RATIO });
  d.addOns.forEach((_, x) => {
    const k = addOnCol(x);
    numberFormats.push({ range: rangeRef(first, k.units, last, k.units), format: COUNT });
    numberFormats.push({ range: rangeRef(first, k.rate, last, k.plan), format: PERCENT });
  });
  d.series.forEach((_, z) => {
    const k = seriesCol(z);
    numberFormats.push({ range: rangeRef(first, k.amount, last, k.amount), format: money });
    numberFormats.push({ range: rangeRef(first, k.share, last, k.plan), format: PERCENT });
  });
}

/** RESULT.json's `processProgress`: one entry per row of the sheet's funnel block, with the deep data on each node's all-channels entry. */
export function processJson(plan: PlanResult, process: ProcessResult): object[] {
  const path = (i: number): Record<string, string> => Object.fromEntries(plan.levels.filter((l) => plan.nodes[i].path[l] !== undefined).map((l) => [l, plan.nodes[i].path[l]]));
  const clean = (v: number | null): number | null => (v === null ? null : v === 0 ? 0 : Number.isSafeInteger(v) ? v : parseFloat(v.toPrecision(15)));
  const deepOf = new Map((process.deep?.rows ?? []).map((r) => [r.node, r]));
  const d = process.deep;
  return process.rows.map((row) => {
    const stages: Record<string, { target: number; targetToDate: number; actual: number }> = {};
    const rates: Record<string, { plan: number | null; actual: number | null }> = {};
    process.stages.forEach((s, t) => {
      stages[s] = { target: row.target[t], targetToDate: row.toDate[t], actual: row.actual[t] };
      if (t > 0) rates[s] = { plan: clean(row.planRate[t]), actual: clean(row.actualRate[t]) };
    });
    const entry: Record<string, unknown> = {
      path: path(row.node),
      channel: row.channel < 0 ? null : process.channels[row.channel],
      stages,
      ...(process.stages.length > 1 ? { rates } : {}),
      bottleneck: row.bottleneck < 0 ? null : process.stages[row.bottleneck],
    };
    const deep = row.channel < 0 && d ? deepOf.get(row.node) : undefined;
    if (deep && d) {
      entry.deep = {
        amount: clean(deep.amount),
        ...(d.orders ? { orders: deep.orders, averageOrderValue: { actual: deep.orders > 0 ? clean(deep.amount / deep.orders) : null, plan: clean(deep.planAverageOrderValue) } } : {}),
        ...(d.addOns.length
          ? { attachments: Object.fromEntries(d.addOns.map((a, x) => [a.product, { units: deep.addOnUnits[x], actual: deep.orders > 0 ? clean(deep.addOnUnits[x] / deep.orders) : null, plan: clean(a.rate) }])) }
          : {}),
        ...(d.series.length
          ? { series: Object.fromEntries(d.series.map((s, z) => [s.member, { actual: deep.amount !== 0 ? clean(deep.seriesAmounts[z] / deep.amount) : null, plan: clean(s.share) }])) }
          : {}),
      };
    }
    return entry;
  });
}
