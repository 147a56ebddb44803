/**
 * The target letters (Target Letters / 目标责任书, "目标下达": 深度沟通, 军令状): one printed page per
 * member, in the workbook's language, to hand over and sign. Each page holds the member's name
 * and team, their tiers (and, with a Payout table, what reaching each is worth), their periods or
 * stages, their funnel tasks per channel, their deep-data targets, the incentive rules, and room
 * for two signatures and the date.
 *
 * Printing: one sheet, every letter the same height, a manual page break after each, the print
 * area over all of them, portrait, at a scale that fits one letter on one A4 or Letter page
 * (Excel ignores manual breaks on a sheet fitted to pages, so the fit is worked out here).
 */
import { amountQuanta, numberOfQuanta } from "../engine/amounts";
import type { DriversResult } from "../engine/drivers";
import { isoDate, monthLabel } from "../engine/dates";
import { letterTasks, type LetterTasks, type MemberTasks } from "../engine/letters";
import { tierWorth, type PayoutRules } from "../engine/payout";
import type { PlanResult, Tier } from "../engine/types";
import type { Lang } from "../i18n";
import { rangeRef } from "./a1";
import { amountFormat, fitWidth, headerStyle, titleStyle } from "./format";
import { sheetName, tierName } from "./labels";
import { assertFitsOnSheet, checkSheetSize } from "./limits";
import type { CellSpec, SheetSpec, StyleSpec } from "./spec";

type Words = Record<Lang, string>;

const W = {
  title: { en: "Target letter", zh: "目标责任书" },
  member: { en: "Member", zh: "姓名" },
  team: { en: "Team", zh: "所属" },
  period: { en: "Plan period", zh: "计划期间" },
  to: { en: "to", zh: "至" },
  targets: { en: "Targets", zh: "业绩目标" },
  amount: { en: "Target amount", zh: "目标金额" },
  worth: { en: "Payout on reaching it", zh: "达成可得激励" },
  byPeriod: { en: "Targets by period", zh: "分期目标" },
  byStage: { en: "Targets by stage", zh: "分阶段目标" },
  byMonth: { en: "Targets by month", zh: "分月目标" },
  periodCol: { en: "Period", zh: "期间" },
  stageCol: { en: "Stage", zh: "阶段" },
  funnel: { en: "Funnel tasks by channel", zh: "过程目标（按渠道）" },
  channel: { en: "Channel", zh: "渠道" },
  total: { en: "Total", zh: "合计" },
  deep: { en: "Deep-data targets", zh: "深度数据目标" },
  aov: { en: "Average order value", zh: "平均单值" },
  attach: { en: "Attachment rate", zh: "配套率" },
  units: { en: "Units", zh: "数量" },
  series: { en: "Series share", zh: "系列占比" },
  share: { en: "Share", zh: "占比" },
  incentives: { en: "Incentives", zh: "激励规则" },
  from: { en: "From", zh: "起点" },
  rate: { en: "Rate", zh: "提成比例" },
  bonus: { en: "Bonus", zh: "奖金" },
  mode: { en: "Payout mode", zh: "计算方式" },
  whole: { en: "Whole: the rate of the highest band reached, on all sales", zh: "整额：达到的最高档比例乘以全部业绩" },
  marginal: { en: "Marginal: each band's rate on the sales inside it", zh: "分段：各档比例只计本档内的业绩" },
  cap: { en: "Cap", zh: "封顶" },
  rankAward: { en: "Rank award", zh: "排名奖" },
  commit: { en: "I have read the targets above and commit to reaching them.", zh: "本人已知悉上述目标，承诺全力以赴完成。" },
  commitPaid: { en: "I have read the targets and incentives above and commit to reaching them.", zh: "本人已知悉上述目标与激励，承诺全力以赴完成。" },
  signMember: { en: "Member's signature", zh: "责任人签字" },
  signManager: { en: "Manager's signature", zh: "上级签字" },
  date: { en: "Date", zh: "日期" },
} satisfies Record<string, Words>;

const w = (key: keyof typeof W, lang: Lang): string => W[key][lang];

/** Excel keeps at most 1,026 manual page breaks on a sheet: one sheet holds this many letters. */
export const MAX_LETTERS = 1027;

const LINE = "____________________";
const MONEY = "#,##0.00";
const COUNT = "#,##0";
const SHARE = "0.0%";

/** The printable page both A4 and Letter give in portrait, inside the margins the sheets are written with (0.5″ and 0.6″), in points, with room for a header and footer. */
export const PAGE = { width: (8.27 - 1.0) * 72, height: (11 - 1.2 - 0.6) * 72 };
/** A row as LibreOffice and Excel size it for 11-point text with CJK glyphs, with a margin (points). */
export const ROW_POINTS = 17;

/**
 * A column of `chars` characters in points, as wide as the widest spreadsheet makes it: Excel with
 * Calibri 11 gives 7 pixels a character and 5 of padding (5.25 pt a character), LibreOffice without
 * Calibri measures the digits of its fallback font (about 7 pt).
 */
export const columnPoints = (chars: number): number => chars * 7 + 4;

/** The print zoom that fits a block of these columns and rows on one page, 10 … 100 %. */
export function letterScale(widths: readonly number[], rows: number): number {
  const width = widths.reduce((a, c) => a + columnPoints(c), 0);
  const fit = Math.min(1, PAGE.width / width, PAGE.height / (rows * ROW_POINTS));
  return Math.max(10, Math.floor(fit * 100 * 0.97));
}

const numeral = (n: number, lang: Lang): string => (lang === "zh" ? `${"一二三四五六七八九十"[n - 1]}、` : `${n}. `);

interface PeriodRow {
  label: string;
  amounts: Partial<Record<Tier, number>>;
}

/** A member's periods, as the letter lists them: the plan's, or by month when the grain is Day. */
function memberPeriods(plan: PlanResult, leafPos: number): PeriodRow[] {
  const P = plan.periods.length;
  if (plan.grain !== "Day") {
    return plan.periods.map((p, j) => ({ label: p.label, amounts: Object.fromEntries(plan.tiers.map((t) => [t, plan.cells[t][leafPos * P + j]])) }));
  }
  // Days add up to their month exactly, in quanta.
  const months = new Map<string, Partial<Record<Tier, bigint>>>();
  plan.periods.forEach((p, j) => {
    const key = monthLabel(p.start);
    const m = months.get(key) ?? {};
    for (const t of plan.tiers) m[t] = (m[t] ?? 0n) + (plan.exact ? amountQuanta(plan, t, "cell", leafPos * P + j) : BigInt(Math.round(plan.cells[t][leafPos * P + j])));
    months.set(key, m);
  });
  const decimals = plan.exact?.decimals ?? 0;
  return [...months].map(([label, q]) => ({ label, amounts: Object.fromEntries(plan.tiers.map((t) => [t, numberOfQuanta(q[t] ?? 0n, decimals)])) }));
}

/** "第1名 3,000；第2名 2,000" / "1st 3,000; 2nd 2,000". */
function awardText(awards: readonly number[], lang: Lang): string {
  const n = (v: number): string => v.toLocaleString("en-US", { maximumFractionDigits: 2 });
  const ordinal = (i: number): string => {
    if (lang === "zh") return `第${i}名`;
    const s = i % 100 >= 11 && i % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][i % 10] ?? "th";
    return `${i}${s}`;
  };
  return awards.map((a, i) => `${ordinal(i + 1)} ${n(a)}`).join(lang === "zh" ? "；" : "; ");
}

interface Layout {
  /** Side-by-side groups of the periods table, and the rows of each. */
  groups: number;
  perGroup: number;
  columns: number;
  widths: number[];
  /** Rows of one letter (every letter takes as many). */
  height: number;
  scale: number;
}

/** Width in characters of the longest text (CJK characters count double), as fitWidth measures it. */
const textWidth = (texts: Iterable<string>): number => fitWidth(texts, 0, 1000);

function deepRowCount(tasks: LetterTasks): number {
  const attachments = tasks.members[0]?.attachments.length ?? 0;
  return (tasks.averageOrderValue !== undefined ? 1 : 0) + (attachments ? 1 + attachments : 0) + (tasks.series.length ? 1 + tasks.series.length : 0);
}

function letterHeight(tasks: LetterTasks, rules: PayoutRules | undefined, perGroup: number): number {
  let rows = 5; // title, member, team, period; gap
  rows += 4 + (rules ? 1 : 0); // targets: title, header, amounts, (worth), gap
  rows += 3 + perGroup; // periods: title, header, rows, gap
  if (tasks.stages.length) rows += 4 + tasks.members[0].channels.length; // funnel: title, header, channels, total, gap
  const deep = deepRowCount(tasks);
  if (deep) rows += 2 + deep;
  if (rules) rows += 4 + rules.bands.length + (rules.cap !== undefined ? 1 : 0) + (rules.rankAward.length ? 1 : 0); // title, header, bands, mode, (cap), (award), gap
  rows += 7; // commitment, gap, member's signature, gap, manager's, gap, date
  return rows;
}

/**
 * How the letters are laid out: the periods side by side in as many groups as give the largest
 * print scale, every column as wide as its widest content, and the last one wide enough for the
 * texts that run across the empty cells beside them (the team, the plan period, the rules).
 */
function layoutOf(plan: PlanResult, tasks: LetterTasks, rules: PayoutRules | undefined, periods: readonly PeriodRow[], lang: Lang, texts: { inA: string[]; inB: string[]; labels: string[] }): Layout {
  const T = plan.tiers.length;
  const P = periods.length;
  const label = fitWidth(texts.labels, 12, 30);
  const value = fitWidth(
    plan.leaves.flatMap((leaf) => plan.tiers.map((t) => plan.nodes[leaf].amount[t].toLocaleString("en-US"))).concat(plan.tiers.map((t) => tierName(t, lang)), tasks.stages.map((s) => tasks.stageLabels[s])),
    11,
    16,
  );
  const periodLabel = fitWidth(periods.map((p) => p.label), 10, 24);
  const need = Math.max(textWidth(texts.inA), label + textWidth(texts.inB));
  let best: Layout | undefined;
  for (let groups = 1; groups <= Math.max(1, Math.floor(8 / (1 + T))); groups++) {
    if (groups > 1 && P <= 6 * (groups - 1)) break;
    const perGroup = Math.ceil(P / groups);
    const columns = Math.max(groups * (1 + T), 1 + tasks.stages.length, 3);
    const widths = [label];
    for (let c = 2; c <= columns; c++) widths.push(groups > 1 && (c - 1) % (1 + T) === 0 ? Math.max(value, periodLabel) : value);
    const short = need - widths.reduce((a, b) => a + b, 0);
    if (short > 0) widths[widths.length - 1] += short;
    const height = letterHeight(tasks, rules, perGroup);
    const layout = { groups, perGroup, columns, widths, height, scale: letterScale(widths, height) };
    if (!best || layout.scale > best.scale) best = layout;
  }
  return best!;
}

/** Rows and columns of the letters sheet. */
export function lettersSheetSize(plan: PlanResult, drivers: DriversResult | undefined, rules: PayoutRules | undefined): { rows: number; columns: number } {
  const tasks = letterTasks({ ...plan, leaves: plan.leaves.slice(0, 1) }, drivers);
  const perGroup = memberPeriods(plan, 0).length;
  return { rows: letterHeight(tasks, rules, perGroup) * plan.leaves.length, columns: 8 };
}

/** The target letters, one page per member. Throws SheetTooLargeError when they would not fit on a worksheet. */
export function buildLettersSheet(plan: PlanResult, drivers: DriversResult | undefined, rules: PayoutRules | undefined, lang: Lang): SheetSpec {
  const size = lettersSheetSize(plan, drivers, rules);
  checkSheetSize(sheetName("letters", lang), "letters", size.rows, size.columns);
  const sheet = lettersSheet(plan, drivers, rules, lang);
  assertFitsOnSheet(sheet);
  return sheet;
}

function lettersSheet(plan: PlanResult, drivers: DriversResult | undefined, rules: PayoutRules | undefined, lang: Lang): SheetSpec {
  const tasks = letterTasks(plan, drivers);
  const rows: CellSpec[][] = [];
  const styles: StyleSpec[] = [];
  const formats: { range: string; format: string }[] = [];
  const amount = amountFormat(plan.unit);
  const tiers = plan.tiers;
  const T = tiers.length;
  const periodsOf = plan.leaves.map((_, i) => memberPeriods(plan, i));
  const periodWord = plan.grain === "Stage" ? w("stageCol", lang) : w("periodCol", lang);
  const periodTitle = plan.grain === "Stage" ? w("byStage", lang) : plan.grain === "Day" ? w("byMonth", lang) : w("byPeriod", lang);
  const range = `${isoDate(plan.start)} ${w("to", lang)} ${isoDate(plan.end)}`;
  const colon = lang === "zh" ? "：" : ":";
  const teamOf = (leaf: number): string => {
    const node = plan.nodes[leaf];
    const team = plan.levels.slice(0, Math.max(0, node.depth - 1)).map((l) => node.path[l]).join(" / ");
    return team === "" ? "—" : team;
  };
  const modeText = rules ? w(rules.mode === "Whole" ? "whole" : "marginal", lang) : "";
  const awards = rules?.rankAward.length ? awardText(rules.rankAward, lang) : "";
  // The sections a letter has, numbered in order.
  const sections = [w("targets", lang), periodTitle, ...(tasks.stages.length ? [w("funnel", lang)] : []), ...(deepRowCount(tasks) ? [w("deep", lang)] : []), ...(rules ? [w("incentives", lang)] : [])].map(
    (t, k) => `${numeral(k + 1, lang)}${t}`,
  );
  const layout = layoutOf(plan, tasks, rules, periodsOf[0] ?? [], lang, {
    inA: [w(rules ? "commitPaid" : "commit", lang), ...sections, ...plan.leaves.map((leaf) => `${w("title", lang)} · ${plan.nodes[leaf].member}`)],
    inB: [range, modeText, awards, LINE, ...plan.leaves.map(teamOf), ...plan.leaves.map((leaf) => plan.nodes[leaf].member)],
    labels: [
      w("member", lang), w("team", lang), w("period", lang), w("amount", lang), w("worth", lang), w("channel", lang), w("total", lang), w("aov", lang),
      w("attach", lang), w("series", lang), w("from", lang), w("mode", lang), w("cap", lang), w("rankAward", lang),
      `${w("signMember", lang)}${colon}`, `${w("signManager", lang)}${colon}`, `${w("date", lang)}${colon}`,
      ...(drivers?.funnel?.channels ?? []).map((c) => c.channel),
      ...(tasks.members[0]?.attachments ?? []).map((x) => x.product),
      ...tasks.series.map((s) => s.series),
      ...(rules?.bands ?? []).map((b) => b.label),
      ...(periodsOf[0] ?? []).map((p) => p.label),
    ],
  });
  const { groups, perGroup, columns, height } = layout;
  const breaks: number[] = [];

  plan.leaves.forEach((leaf, i) => {
    const top = rows.length + 1;
    const node = plan.nodes[leaf];
    const m: MemberTasks = tasks.members[i];
    const row = (...cells: CellSpec[]): number => {
      rows.push(cells);
      return rows.length;
    };
    let numbered = 0;
    const section = (): void => {
      const r = row(sections[numbered++]);
      styles.push({ range: `A${r}`, bold: true });
    };

    const t = row(`${w("title", lang)} · ${node.member}`);
    styles.push(titleStyle(rangeRef(t, 1, t, columns)));
    row(w("member", lang), node.member);
    row(w("team", lang), teamOf(leaf));
    row(w("period", lang), range);
    styles.push({ range: rangeRef(top + 1, 1, top + 3, 1), bold: true });
    row();

    section();
    const h = row(null, ...tiers.map((x) => tierName(x, lang)));
    styles.push(headerStyle(rangeRef(h, 1, h, 1 + T)));
    const a = row(w("amount", lang), ...tiers.map((x) => node.amount[x]));
    formats.push({ range: rangeRef(a, 2, a, 1 + T), format: amount });
    if (rules) {
      const worth = tierWorth(plan, rules, leaf);
      const r = row(w("worth", lang), ...tiers.map((x) => worth[x] ?? 0));
      formats.push({ range: rangeRef(r, 2, r, 1 + T), format: MONEY });
    }
    row();

    section();
    const ph = row(...Array.from({ length: groups }, () => [periodWord, ...tiers.map((x) => tierName(x, lang))]).flat());
    styles.push(headerStyle(rangeRef(ph, 1, ph, groups * (1 + T))));
    const periods = periodsOf[i];
    for (let k = 0; k < perGroup; k++) {
      const cells: CellSpec[] = [];
      for (let g = 0; g < groups; g++) {
        const p = periods[g * perGroup + k];
        cells.push(p ? p.label : null, ...tiers.map((x) => (p ? (p.amounts[x] ?? 0) : null)));
      }
      const r = row(...cells);
      for (let g = 0; g < groups; g++) formats.push({ range: rangeRef(r, g * (1 + T) + 2, r, g * (1 + T) + 1 + T), format: amount });
    }
    row();

    if (tasks.stages.length) {
      section();
      const fh = row(w("channel", lang), ...tasks.stages.map((s) => tasks.stageLabels[s]));
      styles.push(headerStyle(rangeRef(fh, 1, fh, 1 + tasks.stages.length)));
      for (const ch of m.channels) row(ch.channel, ...tasks.stages.map((s) => ch.counts[s]));
      const ft = row(w("total", lang), ...tasks.stages.map((s) => m.totals[s]));
      styles.push({ range: rangeRef(ft, 1, ft, 1 + tasks.stages.length), bold: true });
      formats.push({ range: rangeRef(fh + 1, 2, ft, 1 + tasks.stages.length), format: COUNT });
      row();
    }

    if (deepRowCount(tasks)) {
      section();
      if (tasks.averageOrderValue !== undefined) {
        const r = row(w("aov", lang), tasks.averageOrderValue);
        formats.push({ range: `B${r}`, format: amount });
      }
      if (m.attachments.length) {
        const ah = row(w("attach", lang), w("rate", lang), w("units", lang));
        styles.push(headerStyle(rangeRef(ah, 1, ah, 3)));
        for (const x of m.attachments) row(x.product, x.rate, x.units);
        formats.push({ range: rangeRef(ah + 1, 2, ah + m.attachments.length, 2), format: SHARE }, { range: rangeRef(ah + 1, 3, ah + m.attachments.length, 3), format: COUNT });
      }
      if (tasks.series.length) {
        const sh = row(w("series", lang), w("share", lang));
        styles.push(headerStyle(rangeRef(sh, 1, sh, 2)));
        for (const x of tasks.series) row(x.series, x.share);
        formats.push({ range: rangeRef(sh + 1, 2, sh + tasks.series.length, 2), format: SHARE });
      }
      row();
    }

    if (rules) {
      section();
      const ih = row(w("from", lang), w("rate", lang), w("bonus", lang));
      styles.push(headerStyle(rangeRef(ih, 1, ih, 3)));
      for (const b of rules.bands) row("tier" in b.from ? tierName(b.from.tier, lang) : b.label, b.rate, b.bonus);
      if (rules.bands.length) formats.push({ range: rangeRef(ih + 1, 2, ih + rules.bands.length, 2), format: "0.00%" }, { range: rangeRef(ih + 1, 3, ih + rules.bands.length, 3), format: MONEY });
      row(w("mode", lang), modeText);
      if (rules.cap !== undefined) {
        const r = row(w("cap", lang), rules.cap);
        formats.push({ range: `B${r}`, format: MONEY });
      }
      if (awards) row(w("rankAward", lang), awards);
      row();
    }

    row(w(rules ? "commitPaid" : "commit", lang));
    row();
    const s1 = row(`${w("signMember", lang)}${colon}`, LINE);
    row();
    row(`${w("signManager", lang)}${colon}`, LINE);
    row();
    const s2 = row(`${w("date", lang)}${colon}`, LINE);
    styles.push({ range: `A${s1}:A${s2}`, bold: true });
    // Every letter is as tall as the others, so the pages line up.
    while (rows.length < top + height - 1) row();
    if (i < plan.leaves.length - 1) breaks.push(rows.length);
  });

  const last = Math.max(1, rows.length);
  return {
    kind: "letters",
    name: sheetName("letters", lang),
    rows,
    numberFormats: formats,
    conditionalFormats: [],
    styles,
    columnWidths: layout.widths,
    print: { area: rangeRef(1, 1, last, columns), rowBreaks: breaks, orientation: "portrait", scale: layout.scale },
  };
}
