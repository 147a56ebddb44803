/**
 * The drivers sheet (Drivers / 深度数据): the method's "deep data" targets behind the plan.
 *
 *  1. Average order value (平均单值): History amount ÷ History orders, overall and per channel,
 *     beside the Target, the orders the plan needs and the value that implies (Target ÷ orders).
 *  2. Product lines (产品线) and series (系列): the Target split by History share (live share and
 *     exact value, allocated amount), each line's average value and the units it needs,
 *     CEILING(Target × History units ÷ History amount); the total row is checked against the plan.
 *  3. Attachments (配套率): the add-on's rate — from Settings, or live from History (the add-on's
 *     units ÷ all orders) — and the units it needs, CEILING(orders × rate), exactly.
 *
 * Counts are written as formulas in the form a spreadsheet evaluates exactly (see exactCeiling).
 */
import type { DriversResult, MixResult } from "../engine/drivers";
import { membersTarget } from "../engine/funnel";
import type { PlanResult } from "../engine/types";
import { formatDecimal, type Lang } from "../i18n";
import { cellRef, columnLetter, rangeRef } from "./a1";
import { amountFormat, headerStyle, SHARE_FORMAT, titleStyle, totalStyle } from "./format";
import { COUNT_FORMAT, exactCeiling, fitColumns, HISTORY_FORMAT, historyHeader, neededHeader, VALUE_FORMAT, type CeilingCell } from "./funnel-sheet";
import { sheetName, tierName, word } from "./labels";
import { checkSheetSize } from "./limits";
import type { CellSpec, FormulaCell, SheetSpec, StyleSpec } from "./spec";
import { upliftQuotasNote } from "./uplift-note";
import { CHECK_FAIL, CHECK_OK, checkMarkFormats } from "./weights-sheet";

type Words = Record<Lang, string>;

const WORDS = {
  title: { en: "Drivers: average order value, product mix and attachment targets", zh: "深度数据：平均单值、产品结构与配套目标" },
  aovTitle: { en: "Average order value", zh: "平均单值" },
  historyAov: { en: "History average order value", zh: "历史平均单值" },
  targetAov: { en: "Average order value needed", zh: "目标平均单值" },
  averageValue: { en: "Average value", zh: "平均单值" },
  plan: { en: "Plan", zh: "总目标" },
  products: { en: "Product lines", zh: "产品线" },
  series: { en: "Series", zh: "系列占比" },
  attachments: { en: "Attachments", zh: "配套率" },
  addOn: { en: "Add-on", zh: "配套产品" },
  addOnHistory: { en: "Add-on units, History", zh: "配套产品历史数量" },
  addOnNeeded: { en: "Add-on units needed", zh: "所需配套数量" },
  source: { en: "Source", zh: "来源" },
  rate: { en: "Attachment rate", zh: "配套率" },
  fromSettings: { en: "Settings", zh: "设置" },
  fromHistory: { en: "History", zh: "历史" },
  channel: { en: "Channel", zh: "渠道" },
  note1: {
    en: "Average order value needed = Target ÷ the orders the funnel asks for (each channel's orders are rounded up, so it is a little below History's).",
    zh: "目标平均单值 = 力争目标 ÷ 漏斗所需订单数（各渠道订单数向上取整，故略低于历史平均单值）。",
  },
  note2: {
    en: "Units = CEILING(Target × History units ÷ History amount): the line's Target ÷ its average value, rounded up. Attachment units = CEILING(orders × rate), exactly.",
    zh: "数量 = CEILING(力争目标 × 历史数量 ÷ 历史销售额)：该产品线的力争目标 ÷ 平均单值，向上取整。配套数量 = CEILING(订单数 × 配套率)，精确计算。",
  },
  noteExact: {
    en: "Counts in italics are exact values: spreadsheet floating point would round their quotient the wrong way.",
    zh: "斜体的数为精确值：电子表格的浮点运算会把这些商取整错。",
  },
} satisfies Record<string, Words>;

function w(key: keyof typeof WORDS, lang: Lang): string {
  return WORDS[key][lang];
}

const WIDTH = 8;

/**
 * Rows and columns of the drivers sheet: the title and notes (four rows); the average order values
 * (an empty row, a title, a header, a row each); per mix (product lines, series) the same and a
 * total row; the attachments like the average order values. Nine columns with a mix, else seven.
 */
export function driversSheetSize(drivers: DriversResult): { rows: number; columns: number } {
  let rows = 4;
  if (drivers.averageOrderValue.length > 0) rows += 3 + drivers.averageOrderValue.length;
  for (const mix of [drivers.products, drivers.series]) if (mix) rows += 4 + mix.rows.length;
  if (drivers.attachments.length > 0) rows += 3 + drivers.attachments.length;
  const columns = drivers.products || drivers.series ? 9 : drivers.averageOrderValue.length > 0 || drivers.attachments.length > 0 ? 7 : 1;
  return { rows, columns };
}

export function buildDriversSheet(result: PlanResult, drivers: DriversResult, lang: Lang): SheetSpec {
  const size = driversSheetSize(drivers);
  checkSheetSize(sheetName("drivers", lang), "drivers", size.rows, size.columns);
  const { columns, metric, units } = drivers;
  const label = (name: string): string => columns.labels[name] ?? name;
  const rows: CellSpec[][] = [];
  const styles: StyleSpec[] = [];
  const numberFormats: SheetSpec["numberFormats"] = [];
  const italic: string[] = [];
  const checkCells: string[] = [];
  const last = columnLetter(WIDTH);
  const amount = amountFormat(result.unit);
  // The members' Target: in an uplifted plan, their quotas' total (what the drivers work back from).
  const planTarget = membersTarget(result);
  const quotasNote = upliftQuotasNote(result, formatDecimal(String(planTarget)), lang);
  const next = () => rows.length + 1;
  const place = (row: CellSpec[], r: number, col: number, cell: CeilingCell) => {
    row[col - 1] = cell.cell;
    if (!cell.live) italic.push(cellRef(r, col));
  };
  const titleRows: number[] = [];
  const headerRows = new Set<number>();
  const title = (text: string) => {
    rows.push([]);
    titleRows.push(rows.length);
    styles.push(titleStyle(`A${next()}:${last}${next()}`));
    rows.push([text]);
  };
  const headerRow = (cells: CellSpec[]) => {
    headerRows.add(rows.length);
    styles.push(headerStyle(`A${next()}:${columnLetter(cells.length)}${next()}`));
    rows.push(cells);
  };
  const fmt = (format: string, col: number, from: number, to: number) => {
    if (to >= from) numberFormats.push({ range: rangeRef(from, col, to, col), format });
  };

  rows.push([w("title", lang)]);
  styles.push(titleStyle(`A1:${last}1`));
  rows.push([quotasNote ? `${w("note1", lang)} ${quotasNote}` : w("note1", lang)]);
  rows.push([w("note2", lang)]);
  const exactNoteRow = rows.length;
  rows.push([]);
  styles.push({ range: "A2:A4", italic: true });

  // 1. Average order value: overall, then per channel.
  let ordersRef: string | undefined;
  if (drivers.averageOrderValue.length > 0) {
    title(w("aovTitle", lang));
    const channelLabel = drivers.funnel ? (columns.labels[drivers.funnel.dimension] ?? w("channel", lang)) : null;
    headerRow([
      channelLabel,
      historyHeader(label(metric), lang),
      historyHeader(label("Orders"), lang),
      w("historyAov", lang),
      tierName("target", lang),
      neededHeader(label("Orders"), lang),
      w("targetAov", lang),
    ]);
    const first = next();
    const lastRow = first + drivers.averageOrderValue.length - 1;
    drivers.averageOrderValue.forEach((a, k) => {
      const r = first + k;
      const at = (col: number) => cellRef(r, col);
      const row: CellSpec[] = [a.channel ?? w("plan", lang), a.history.amount, a.history.orders];
      row[3] = { formula: `IF(${at(3)}=0,0,${at(2)}/${at(3)})`, result: a.history.value };
      row[4] = a.target;
      if (k === 0 && drivers.funnel && drivers.averageOrderValue.length > 1) {
        row[5] = { formula: `SUM(${rangeRef(first + 1, 6, lastRow, 6)})`, result: a.orders };
      } else {
        place(row, r, 6, exactCeiling([at(5), at(3), at(2)], [a.target, a.history.orders, a.history.amount], a.orders));
      }
      row[6] = { formula: `IF(${at(6)}=0,0,${at(5)}/${at(6)})`, result: a.value };
      rows.push(row);
    });
    styles.push(totalStyle(`A${first}:G${first}`));
    ordersRef = cellRef(first, 6, true);
    fmt(HISTORY_FORMAT, 2, first, lastRow);
    fmt(HISTORY_FORMAT, 3, first, lastRow);
    fmt(VALUE_FORMAT, 4, first, lastRow);
    fmt(amount, 5, first, lastRow);
    fmt(COUNT_FORMAT, 6, first, lastRow);
    fmt(VALUE_FORMAT, 7, first, lastRow);
  }

  // 2. Product lines and series.
  const mixSection = (mix: MixResult, heading: string) => {
    title(heading);
    headerRow([
      label(mix.dimension),
      historyHeader(label(metric), lang),
      historyHeader(label(units), lang),
      word("share", lang),
      word("exact", lang),
      tierName("target", lang),
      w("averageValue", lang),
      neededHeader(label(units), lang),
      word("check", lang),
    ]);
    const first = next();
    const n = mix.rows.length;
    const totalRow = first + n;
    const abs = (col: number) => cellRef(totalRow, col, true);
    mix.rows.forEach((m, k) => {
      const r = first + k;
      const at = (col: number) => cellRef(r, col);
      const row: CellSpec[] = [m.member, m.history.amount, m.history.units];
      row[3] = { formula: `IF(${abs(2)}=0,1/${n},${at(2)}/${abs(2)})`, result: m.share };
      row[4] = { formula: `${at(4)}*${abs(6)}`, result: m.share * planTarget };
      row[5] = m.target;
      row[6] = { formula: `IF(${at(3)}=0,0,${at(2)}/${at(3)})`, result: m.averageValue };
      place(row, r, 8, exactCeiling([at(6), at(3), at(2)], [m.target, m.history.units, m.history.amount], m.units));
      rows.push(row);
    });
    const sumCol = (col: number, value: number): FormulaCell => ({ formula: `SUM(${rangeRef(first, col, totalRow - 1, col)})`, result: value });
    const tr = (col: number) => cellRef(totalRow, col);
    const total: CellSpec[] = [word("total", lang)];
    total[1] = sumCol(2, mix.totals.history.amount);
    total[2] = sumCol(3, mix.totals.history.units);
    total[3] = sumCol(4, mix.rows.reduce((a, m) => a + m.share, 0));
    total[4] = sumCol(5, mix.rows.reduce((a, m) => a + m.share * planTarget, 0));
    total[5] = sumCol(6, mix.totals.target);
    total[6] = { formula: `IF(${tr(3)}=0,0,${tr(2)}/${tr(3)})`, result: mix.totals.history.units === 0 ? 0 : mix.totals.history.amount / mix.totals.history.units };
    total[7] = sumCol(8, mix.totals.units);
    total[8] = {
      formula: `IF(ROUND(${tr(6)}-${planTarget},6)=0,"${CHECK_OK}","${CHECK_FAIL}")`,
      result: Math.abs(mix.totals.target - planTarget) < 5e-7 ? CHECK_OK : CHECK_FAIL,
    };
    checkCells.push(cellRef(totalRow, 9));
    rows.push(total);
    styles.push(totalStyle(`A${totalRow}:I${totalRow}`));
    fmt(HISTORY_FORMAT, 2, first, totalRow);
    fmt(HISTORY_FORMAT, 3, first, totalRow);
    fmt(SHARE_FORMAT, 4, first, totalRow);
    fmt(VALUE_FORMAT, 5, first, totalRow);
    fmt(amount, 6, first, totalRow);
    fmt(VALUE_FORMAT, 7, first, totalRow);
    fmt(COUNT_FORMAT, 8, first, totalRow);
  };
  if (drivers.products) mixSection(drivers.products, w("products", lang));
  if (drivers.series) mixSection(drivers.series, w("series", lang));

  // 3. Attachments.
  if (drivers.attachments.length > 0) {
    title(w("attachments", lang));
    headerRow([
      w("addOn", lang),
      w("source", lang),
      w("addOnHistory", lang),
      lang === "zh" ? `全部历史${label("Orders")}` : `All History ${label("Orders")}`,
      w("rate", lang),
      neededHeader(label("Orders"), lang),
      w("addOnNeeded", lang),
    ]);
    const first = next();
    drivers.attachments.forEach((a, k) => {
      const r = first + k;
      const at = (col: number) => cellRef(r, col);
      const row: CellSpec[] = [a.product, w(a.source === "Settings" ? "fromSettings" : "fromHistory", lang)];
      row[5] = ordersRef ? { formula: ordersRef.replace(/\$/g, ""), result: a.orders } : a.orders;
      if (a.history) {
        row[2] = a.history.units;
        row[3] = a.history.orders;
        row[4] = { formula: `IF(${at(4)}=0,0,${at(3)}/${at(4)})`, result: a.rate };
        place(row, r, 7, exactCeiling([at(6), at(3), at(4)], [a.orders, a.history.units, a.history.orders], a.units));
      } else {
        row[2] = null;
        row[3] = null;
        row[4] = a.rate;
        place(row, r, 7, exactCeiling([at(6), at(5), "1"], [a.orders, a.rate, 1], a.units));
      }
      rows.push(row);
    });
    const lastRow = rows.length;
    fmt(HISTORY_FORMAT, 3, first, lastRow);
    fmt(HISTORY_FORMAT, 4, first, lastRow);
    fmt(SHARE_FORMAT, 5, first, lastRow);
    fmt(COUNT_FORMAT, 6, first, lastRow);
    fmt(COUNT_FORMAT, 7, first, lastRow);
  }

  if (italic.length) {
    rows[exactNoteRow] = [w("noteExact", lang)];
    for (const ref of italic) styles.push({ range: ref, italic: true });
  }
  for (const ref of checkCells) styles.push({ range: ref, align: "center", bold: true });

  // The title, the notes and the section titles run across; they do not set widths.
  const widths = fitColumns(rows, headerRows, new Set([0, 1, 2, exactNoteRow, ...titleRows]));

  return {
    kind: "drivers",
    name: sheetName("drivers", lang),
    rows,
    numberFormats,
    conditionalFormats: checkCells.flatMap(checkMarkFormats),
    styles,
    columnWidths: widths,
    freeze: { rows: 0, cols: 1 },
    landscape: true,
  };
}
