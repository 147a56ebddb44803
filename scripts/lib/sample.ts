/**
 * Lays the kitchen-chain data out as the sample workbooks of CONTRACT.md §1–3, in Chinese or
 * English (same numbers, translated sheet names, headers, members and settings):
 *
 *  - the annual plan (厨电门店-2027.xlsx / kitchen-appliances-2027.xlsx): 说明, 目标, 历史, 权重,
 *    阶段, 设置, 实际业绩;
 *  - the May Day campaign (五一活动-2027.xlsx / may-day-campaign-2027.xlsx): a stage-grain plan
 *    for the East region.
 *
 * Every input sheet holds one Excel table named like the sheet (except the English History
 * table: Excel reserves the sheet name "History", see sheetName).
 */
import type ExcelJS from "exceljs";
import { isoDate } from "./calendar";
import { ADD_ONS, type KitchenChain, type Named, type Tiers } from "./kitchen";
import { addReadmeSheet, addTableSheet, newWorkbook, type Cell, type ColumnSpec } from "./xlsx";

export type Lang = "zh" | "en";

export const SAMPLE_FILES = {
  main: { zh: "厨电门店-2027.xlsx", en: "kitchen-appliances-2027.xlsx" },
  mayDay: { zh: "五一活动-2027.xlsx", en: "may-day-campaign-2027.xlsx" },
} as const;

export const README_SHEET: Named = { zh: "说明", en: "Read me" };

/** Names of the input tables; each sits on a sheet of the same name (but see sheetName). */
export const TABLES = {
  targets: { zh: "目标", en: "Targets" },
  history: { zh: "历史", en: "History" },
  weights: { zh: "权重", en: "Weights" },
  stages: { zh: "阶段", en: "Stages" },
  settings: { zh: "设置", en: "Settings" },
  actuals: { zh: "实际业绩", en: "Actuals" },
  /** The incentive bands (docs/incentives-and-letters.md). */
  payout: { zh: "激励", en: "Payout" },
} as const;

export type TableKey = keyof typeof TABLES;

/**
 * Excel refuses a sheet named "History" (it is reserved for the change-tracking log), so the
 * English History table sits on a sheet named "History data"; the table keeps its name.
 */
const SHEET_NAMES: Partial<Record<TableKey, Named>> = { history: { zh: "历史", en: "History data" } };

export function sheetName(key: TableKey, lang: Lang): string {
  return (SHEET_NAMES[key] ?? TABLES[key])[lang];
}

const HEADERS = {
  period: { zh: "期间", en: "Period" },
  start: { zh: "开始", en: "Start" },
  end: { zh: "结束", en: "End" },
  floor: { zh: "保底目标", en: "Floor" },
  target: { zh: "力争目标", en: "Target" },
  stretch: { zh: "冲刺目标", en: "Stretch" },
  month: { zh: "月份", en: "Date" },
  date: { zh: "日期", en: "Date" },
  region: { zh: "区域", en: "Region" },
  team: { zh: "团队", en: "Team" },
  rep: { zh: "销售员", en: "Rep" },
  channel: { zh: "渠道", en: "Channel" },
  product: { zh: "产品线", en: "Product" },
  customer: { zh: "客户群", en: "Customer" },
  amount: { zh: "销售额", en: "Amount" },
  orders: { zh: "订单数", en: "Orders" },
  leads: { zh: "意向数", en: "Leads" },
  visits: { zh: "二次进店数", en: "Visits" },
  invitations: { zh: "邀约数", en: "Invitations" },
  dimension: { zh: "维度", en: "Dimension" },
  member: { zh: "成员", en: "Member" },
  weight: { zh: "权重", en: "Weight" },
  lock: { zh: "锁定", en: "Lock" },
  stage: { zh: "阶段", en: "Stage" },
  key: { zh: "键", en: "Key" },
  value: { zh: "值", en: "Value" },
  from: { zh: "起点", en: "From" },
  rate: { zh: "提成比例", en: "Rate" },
  bonus: { zh: "奖金", en: "Bonus" },
} as const;

const SETTING_KEYS = {
  levels: { zh: "分解层级", en: "Levels" },
  grain: { zh: "时间粒度", en: "Grain" },
  unit: { zh: "取整单位", en: "Unit" },
  workdays: { zh: "工作日", en: "Workdays" },
  funnel: { zh: "漏斗", en: "Funnel" },
  asOf: { zh: "统计日期", en: "AsOf" },
  /** The weekly review's previous AsOf (阶段性会议: a week before AsOf). */
  previousAsOf: { zh: "上期统计日期", en: "PreviousAsOf" },
  rankBy: { zh: "排名依据", en: "RankBy" },
  /** Driver settings (docs/funnel-and-drivers.md): the add-ons whose attachment targets the campaign sets. */
  attach: { zh: "配套", en: "Attach" },
  /** Incentive settings: whole or marginal rates, the cap per member, the awards of the top three. */
  payoutMode: { zh: "激励方式", en: "PayoutMode" },
  payoutCap: { zh: "激励封顶", en: "PayoutCap" },
  rankAward: { zh: "排名奖", en: "RankAward" },
  /** Parallel splits and the July re-plan (docs/splits-and-replan.md). */
  splits: { zh: "并行分解", en: "Splits" },
  splitsRegion: { zh: "并行分解.区域", en: "Splits.Region" },
  replan: { zh: "重新分解", en: "Replan" },
  replanMethod: { zh: "调整方法", en: "ReplanMethod" },
  /** Over-assignment (docs/planning-depth.md "Uplift"): the reps' quotas add up to their team × 1.10. */
  upliftRep: { zh: "超额分配.销售员", en: "Uplift.Rep" },
} as const;

/** The May Day campaign's over-assignment: the reps' quotas cover their team's target by 10% more. */
const MAY_DAY_UPLIFT = "10%";

/** `Attach.<product>` / `配套率.<product>`: a Settings key naming an add-on product line. */
function attachRateKey(product: Named): Named {
  return { zh: `配套率.${product.zh}`, en: `Attach.${product.en}` };
}

/** The May Day campaign's attachment targets: water purifiers on 30% of orders; sterilising cabinets at their History rate. */
const MAY_DAY_ATTACH = { rate: { product: "净水器", value: "30%" }, fromHistory: "消毒柜" } as const;

const SETTING_VALUES = {
  month: { zh: "月", en: "Month" },
  stage: { zh: "阶段", en: "Stage" },
  allDays: { zh: "全部", en: "All" },
  completion: { zh: "完成率", en: "Completion" },
  whole: { zh: "整额", en: "Whole" },
  marginal: { zh: "分段", en: "Marginal" },
  gap: { zh: "缺口", en: "Gap" },
} as const;

/**
 * The incentive bands of both samples (issue example): nothing below 保底, 1 % of sales from 保底,
 * 2 % from 力争, 3 % from 冲刺, and a bonus for each tier reached.
 */
const PAYOUT_BANDS: { tier: "floor" | "target" | "stretch"; rate: string; bonus: number }[] = [
  { tier: "floor", rate: "1%", bonus: 500 },
  { tier: "target", rate: "2%", bonus: 1000 },
  { tier: "stretch", rate: "3%", bonus: 2000 },
];

function addPayout(workbook: ExcelJS.Workbook, lang: Lang): void {
  addInput(
    workbook,
    "payout",
    lang,
    [column(HEADERS.from, lang, undefined, 10), column(HEADERS.rate, lang, undefined, 10), column(HEADERS.bonus, lang, AMOUNT, 10)],
    PAYOUT_BANDS.map((b) => [t(HEADERS[b.tier], lang).replace(/目标$/, ""), b.rate, b.bonus]),
  );
}

const AMOUNT = "#,##0";
const COUNT = "#,##0";
const DATE = "yyyy-mm-dd";
const PERCENT = "0%";
const UNIT = 100;
const CREATOR = "Target Cascade sample generator (scripts/make-sample.ts)";

const t = (named: Named, lang: Lang): string => named[lang];
const chain = (lang: Lang, ...parts: Named[]): string => parts.map((p) => p[lang]).join(" > ");
const yuan = (value: number, lang: Lang): string =>
  lang === "zh" ? `${value.toLocaleString("en-US")} 元` : `CNY ${value.toLocaleString("en-US")}`;
const percent = (value: number): string => `${Math.round(value * 100)}%`;

/** Adds an input sheet holding its table (CONTRACT.md §1). */
function addInput(workbook: ExcelJS.Workbook, key: TableKey, lang: Lang, columns: ColumnSpec[], rows: readonly (readonly Cell[])[]): void {
  addTableSheet(workbook, sheetName(key, lang), t(TABLES[key], lang), columns, rows);
}

function column(header: Named, lang: Lang, numFmt?: string, width?: number): ColumnSpec {
  return { header: t(header, lang), numFmt, width };
}

function tierColumns(lang: Lang): ColumnSpec[] {
  return [column(HEADERS.floor, lang, AMOUNT, 16), column(HEADERS.target, lang, AMOUNT, 16), column(HEADERS.stretch, lang, AMOUNT, 16)];
}

function tierCells(tiers: Tiers): Cell[] {
  return [tiers.floor, tiers.target, tiers.stretch];
}

function addHistory(workbook: ExcelJS.Workbook, data: KitchenChain, lang: Lang, filter: (month: string, region: Named) => boolean): number {
  const rows = data.history
    .filter((f) => filter(f.month, f.rep.team.region))
    .map((f): Cell[] => [
      f.month,
      t(f.rep.team.region, lang),
      t(f.rep.team, lang),
      t(f.rep, lang),
      t(f.channel, lang),
      t(f.product, lang),
      t(f.customer, lang),
      f.amount,
      f.orders,
      f.leads,
      f.visits,
      f.invitations,
    ]);
  addInput(
    workbook,
    "history",
    lang,
    [
      column(HEADERS.month, lang, undefined, 10),
      column(HEADERS.region, lang, undefined, 12),
      column(HEADERS.team, lang, undefined, lang === "zh" ? 11 : 18),
      column(HEADERS.rep, lang, undefined, lang === "zh" ? 10 : 14),
      column(HEADERS.channel, lang, undefined, lang === "zh" ? 11 : 24),
      column(HEADERS.product, lang, undefined, lang === "zh" ? 10 : 19),
      column(HEADERS.customer, lang, undefined, lang === "zh" ? 10 : 12),
      column(HEADERS.amount, lang, AMOUNT, 12),
      column(HEADERS.orders, lang, COUNT),
      column(HEADERS.leads, lang, COUNT),
      column(HEADERS.visits, lang, COUNT),
      column(HEADERS.invitations, lang, COUNT, 12),
    ],
    rows,
  );
  return rows.length;
}

function addStages(workbook: ExcelJS.Workbook, data: KitchenChain, lang: Lang): void {
  addInput(
    workbook,
    "stages",
    lang,
    [column(HEADERS.stage, lang, undefined, 12), column(HEADERS.start, lang, DATE, 12), column(HEADERS.end, lang, DATE, 12), column(HEADERS.weight, lang, PERCENT)],
    data.stages.map((s) => [t(s, lang), s.start, s.end, s.weight]),
  );
}

function addSettings(workbook: ExcelJS.Workbook, lang: Lang, rows: [Named, Cell][]): void {
  addInput(
    workbook,
    "settings",
    lang,
    [column(HEADERS.key, lang, undefined, 14), column(HEADERS.value, lang, undefined, lang === "zh" ? 30 : 32)],
    rows.map(([key, value]) => [t(key, lang), value]),
  );
}

/**
 * The Actuals: a row per rep, day and channel with the funnel behind the day's orders (邀约数,
 * 二次进店数, 订单数). `tillExport` lays them out as a till gives them: the rep only (no region or
 * team, matched by the rep's name) and the add-ons sold as columns of their own (净水器, 消毒柜).
 */
function addActuals(
  workbook: ExcelJS.Workbook,
  data: KitchenChain,
  lang: Lang,
  filter: (date: Date, region: Named) => boolean,
  tillExport = false,
): number {
  const addOns = tillExport ? ADD_ONS.map((a) => product(data, a.zh)) : [];
  const rows = data.actuals
    .filter((f) => filter(f.date, f.rep.team.region))
    .map((f): Cell[] => [
      f.date,
      ...(tillExport ? [] : [t(f.rep.team.region, lang), t(f.rep.team, lang)]),
      t(f.rep, lang),
      t(f.channel, lang),
      f.amount,
      f.invitations,
      f.visits,
      f.orders,
      ...addOns.map((p) => f.addOns[p.zh]),
    ]);
  addInput(
    workbook,
    "actuals",
    lang,
    [
      column(HEADERS.date, lang, DATE, 12),
      ...(tillExport ? [] : [column(HEADERS.region, lang, undefined, 12), column(HEADERS.team, lang, undefined, lang === "zh" ? 11 : 18)]),
      column(HEADERS.rep, lang, undefined, lang === "zh" ? 10 : 14),
      column(HEADERS.channel, lang, undefined, lang === "zh" ? 11 : 24),
      column(HEADERS.amount, lang, AMOUNT, 12),
      column(HEADERS.invitations, lang, COUNT, 10),
      column(HEADERS.visits, lang, COUNT, 12),
      column(HEADERS.orders, lang, COUNT),
      ...addOns.map((p) => column(p, lang, COUNT, 10)),
    ],
    rows,
  );
  return rows.length;
}

/** Row counts of the input tables of a built sample, by sheet key. */
export type SampleCounts = Partial<Record<TableKey, number>>;

/** The annual 2027 plan of the whole chain. */
export function buildMainSample(data: KitchenChain, lang: Lang): { workbook: ExcelJS.Workbook; counts: SampleCounts } {
  const workbook = newWorkbook(CREATOR);
  const file = SAMPLE_FILES.main[lang];
  const { targets, lock } = data;
  const regionWeights = data.regions.map((r) => `${t(r, lang)} ${percent(r.planWeight)}`).join(lang === "zh" ? "、" : ", ");
  const readme =
    lang === "zh"
      ? [
          `虚构的厨电连锁：3 个区域、6 家门店、24 名销售员；${data.products.map((p) => p.zh).join("、")} 6 条产品线；${data.channels.map((c) => c.zh).join("、")} 4 个渠道。`,
          `目标：2027 年保底 ${yuan(targets.floor, lang)}、力争 ${yuan(targets.target, lang)}、冲刺 ${yuan(targets.stretch, lang)}（约为 2026 年销售额的 0.95 / 1.10 / 1.25 倍）。权重：区域权重经财务审定（${regionWeights}）；${lock.rep.zh}的力争目标锁定为 ${yuan(lock.amount, lang)}。`,
          "历史：2025-01 至 2026-12 每月按销售员 × 渠道 × 产品线的销售额与漏斗（意向数 → 邀约数 → 二次进店数 → 订单数），每行注明客户群（新房装修、旧房改造、以旧换新）；实际业绩：2027-01-01 至 2027-06-30 每日按销售员 × 渠道的销售额与漏斗（邀约数 → 二次进店数 → 订单数，供“过程追踪”表找瓶颈；上期统计日期 2027-04-28 供“阶段性会议”表比较排名），统计日期 2027-05-05 之后的业绩供 7 月的方法调整使用；阶段：五一活动三个阶段（时间粒度改为“阶段”时使用）。",
          `并行分解：设置“并行分解 = 产品线、客户群”和“并行分解.区域 = 产品线”，分解时另写“并行分解”表：总目标按产品线和客户群、各区域按产品线，逐期间、逐档位精确相加。方法调整：6 月 18 日${data.project.rep.zh}签下一笔 ${yuan(data.project.amount, lang)} 的楼盘团购，上半年即超过全年目标；“重新分解 = 团队”“调整方法 = 缺口”使 7 月的调整按门店汇总差额，不再向他追加目标。`,
          `分解：npx target-cascade plan sample/${file} --out sample/${file.replace(".xlsx", ".planned.xlsx")}（或 npm run demo）`,
          `跟踪：npx target-cascade track sample/${file} --out sample/${file.replace(".xlsx", ".planned.xlsx")} --as-of 2027-05-05`,
          `方法调整：npx target-cascade replan sample/${file} --out sample/${file.replace(".xlsx", ".replanned.xlsx")} --as-of 2027-07-01`,
          "在 Excel 中：打开本文件，启动 Target Cascade 加载项，依次完成 数据 → 分解 → 漏斗 → 跟踪。本文件由 scripts/make-sample.ts 生成（npm run sample），人名与数字均为虚构。",
        ]
      : [
          `A fictional kitchen-appliance retail chain: 3 regions, 6 stores, 24 sales reps; 6 product lines (${data.products.map((p) => p.en).join(", ")}) and 4 channels (${data.channels.map((c) => c.en).join(", ")}).`,
          `Targets for 2027: Floor ${yuan(targets.floor, lang)}, Target ${yuan(targets.target, lang)}, Stretch ${yuan(targets.stretch, lang)} (about 0.95 / 1.10 / 1.25 × 2026 revenue). Weights: region weights reviewed by finance (${regionWeights}); ${lock.rep.en}'s Target is locked at ${yuan(lock.amount, lang)}.`,
          "History: monthly revenue and funnel (Leads → Invitations → Visits → Orders) per rep × channel × product line, 2025-01 to 2026-12, each row with its customer group (New homes, Renovation, Trade-in); Actuals: daily per rep × channel, 2027-01-01 to 2027-06-30, with the funnel behind the orders (Invitations → Visits → Orders, for the bottlenecks on Funnel Progress; PreviousAsOf 2027-04-28 for the movement on the Weekly Review); the days after AsOf 2027-05-05 are for the July re-plan; Stages: the three May Day campaign stages (used when Grain is Stage).",
          `Parallel splits: the settings Splits = Product, Customer and Splits.Region = Product add the Split sheet to a plan: the whole plan by product line and by customer group, each region by product line, adding up exactly in every period and tier. Re-plan: on 18 June ${data.project.rep.en} signs a housing-development order worth ${yuan(data.project.amount, lang)}, which takes him past his target for the year in the first half; Replan = Team and ReplanMethod = Gap pool each store's gap in the July re-plan, so he is asked for nothing more.`,
          `Plan: npx target-cascade plan sample/${file} --out sample/${file.replace(".xlsx", ".planned.xlsx")} (or npm run demo)`,
          `Track: npx target-cascade track sample/${file} --out sample/${file.replace(".xlsx", ".planned.xlsx")} --as-of 2027-05-05`,
          `Re-plan: npx target-cascade replan sample/${file} --out sample/${file.replace(".xlsx", ".replanned.xlsx")} --as-of 2027-07-01`,
          "In Excel: open this file, start the Target Cascade add-in and go through Inputs → Plan → Funnel → Track. Generated by scripts/make-sample.ts (npm run sample); names and numbers are fictional.",
        ];
  addReadmeSheet(
    workbook,
    t(README_SHEET, lang),
    lang === "zh" ? "Target Cascade 示例：厨电连锁 2027 年销售目标分解" : "Target Cascade sample: a kitchen-appliance chain's 2027 sales plan",
    readme,
  );

  addInput(workbook, "targets", lang, [column(HEADERS.period, lang, undefined, 10), ...tierColumns(lang)], [["2027", ...tierCells(targets)]]);
  const history = addHistory(workbook, data, lang, () => true);

  const regionLevel = t(HEADERS.region, lang);
  addInput(
    workbook,
    "weights",
    lang,
    [column(HEADERS.dimension, lang, undefined, 12), column(HEADERS.member, lang, undefined, 14), column(HEADERS.weight, lang, PERCENT), column(HEADERS.lock, lang, AMOUNT, 14)],
    [
      ...data.regions.map((r): Cell[] => [regionLevel, t(r, lang), r.planWeight, null]),
      [t(HEADERS.rep, lang), t(lock.rep, lang), null, lock.amount],
    ],
  );
  addStages(workbook, data, lang);
  addSettings(workbook, lang, [
    [SETTING_KEYS.levels, chain(lang, HEADERS.region, HEADERS.team, HEADERS.rep)],
    [SETTING_KEYS.grain, t(SETTING_VALUES.month, lang)],
    [SETTING_KEYS.unit, UNIT],
    [SETTING_KEYS.workdays, t(SETTING_VALUES.allDays, lang)],
    [SETTING_KEYS.funnel, chain(lang, HEADERS.invitations, HEADERS.visits, HEADERS.orders)],
    [SETTING_KEYS.asOf, isoDate(data.asOf)],
    [SETTING_KEYS.previousAsOf, isoDate(data.previousAsOf)],
    [SETTING_KEYS.rankBy, t(SETTING_VALUES.completion, lang)],
    [SETTING_KEYS.payoutMode, t(SETTING_VALUES.whole, lang)],
    [SETTING_KEYS.payoutCap, 120_000],
    [SETTING_KEYS.rankAward, lang === "zh" ? "3000、2000、1000" : "3000, 2000, 1000"],
    [SETTING_KEYS.splits, lang === "zh" ? `${HEADERS.product.zh}、${HEADERS.customer.zh}` : `${HEADERS.product.en}, ${HEADERS.customer.en}`],
    [SETTING_KEYS.splitsRegion, t(HEADERS.product, lang)],
    [SETTING_KEYS.replan, t(HEADERS.team, lang)],
    [SETTING_KEYS.replanMethod, t(SETTING_VALUES.gap, lang)],
  ]);
  addPayout(workbook, lang);
  const actuals = addActuals(workbook, data, lang, () => true);
  return { workbook, counts: { targets: 1, history, weights: data.regions.length + 1, stages: data.stages.length, settings: 15, actuals, payout: PAYOUT_BANDS.length } };
}

/** The May Day campaign of the East region, planned by stage. */
export function buildMayDaySample(data: KitchenChain, lang: Lang): { workbook: ExcelJS.Workbook; counts: SampleCounts } {
  const workbook = newWorkbook(CREATOR);
  const file = SAMPLE_FILES.mayDay[lang];
  const { region, targets, start, end } = data.mayDay;
  const stores = data.teams.filter((team) => team.region === region);
  const repCount = data.reps.filter((rep) => rep.team.region === region).length;
  const wan = (value: number) => `${value / 10_000} 万`;
  const stageList = data.stages
    .map((s) => `${t(s, lang)} ${isoDate(s.start).slice(5)}${lang === "zh" ? " 至 " : " to "}${isoDate(s.end).slice(5)} (${percent(s.weight)})`)
    .join(lang === "zh" ? "、" : ", ");
  const readme =
    lang === "zh"
      ? [
          `${region.zh}区域（${stores.map((s) => s.zh).join("、")}，${repCount} 名销售员）的五一活动目标：保底 ${wan(targets.floor)}、力争 ${wan(targets.target)}、冲刺 ${wan(targets.stretch)}元，按 团队 > 销售员 分解。`,
          `时间粒度为“阶段”：${stageList}。`,
          `历史：2026 年${region.zh}每月按销售员 × 渠道 × 产品线的销售额与漏斗，用于人员占比、平均单值和各渠道转化率；实际业绩：${isoDate(start)} 至 2027-05-05 每日，按收银导出的格式：只有销售员（按姓名对应到团队）、渠道、漏斗和配套的净水器、消毒柜台数。`,
          `漏斗与深度数据：分解后的“漏斗”表按渠道、阶段给出所需的订单数、二次进店数和邀约数；“深度数据”表给出平均单值、各产品线数量，以及净水器 30% 的配套目标（设置“配套率.净水器”）和按历史配套率计算的消毒柜配套目标（设置“配套”）。`,
          `超额分配：设置“超额分配.销售员 = ${MAY_DAY_UPLIFT}”使每个团队的销售员目标在每个档位合计为团队目标 × 1.10（按取整单位取整，精确相加），团队和${region.zh}区域保留自己的目标，部分销售员未完成时团队仍能完成。分解时的合计校验和“权重审核”表注明这一规则，以免误认为错误；漏斗、深度数据按销售员目标合计计算；“进度”“排名”中销售员按自己的目标、团队按团队目标衡量。`,
          `分解：npx target-cascade plan sample/${file} --out sample/${file.replace(".xlsx", ".planned.xlsx")}`,
          `跟踪：npx target-cascade track sample/${file} --out sample/${file.replace(".xlsx", ".planned.xlsx")} --as-of 2027-05-05`,
          "本文件由 scripts/make-sample.ts 生成（npm run sample），人名与数字均为虚构。",
        ]
      : [
          `The May Day campaign of the ${region.en} region (${stores.map((s) => s.en).join(", ")}; ${repCount} reps): Floor ${yuan(targets.floor, lang)}, Target ${yuan(targets.target, lang)}, Stretch ${yuan(targets.stretch, lang)}, split Team > Rep.`,
          `The grain is Stage: ${stageList}.`,
          `History: the region's monthly revenue and funnel per rep × channel × product line in 2026, for the reps' shares, average order values and channel conversion rates; Actuals: daily, ${isoDate(start)} to 2027-05-05, as a till exports them: the rep only (matched to the team by name), the channel, the funnel and the water purifiers and sterilising cabinets sold with the orders.`,
          "Funnel and drivers: once planned, the Funnel sheet gives the orders, visits and invitations each channel needs per stage; the Drivers sheet gives the average order value, the units per product line, a 30% attachment target for water purifiers (setting Attach.Water purifier) and one for sterilising cabinets at their History rate (setting Attach).",
          `Uplift: the setting Uplift.Rep = ${MAY_DAY_UPLIFT} makes each team's reps' quotas add up to the team's target × 1.10 in every tier (rounded to Unit, exactly), while the teams and the ${region.en} region keep their own targets, so a team makes its number even when some of its reps miss theirs. The totals check and the Weights Review say so, so it is not mistaken for an error; the Funnel and Drivers sheets work from the reps' quotas; on Progress and Ranking a rep is measured against the quota and a team against its own target.`,
          `Plan: npx target-cascade plan sample/${file} --out sample/${file.replace(".xlsx", ".planned.xlsx")}`,
          `Track: npx target-cascade track sample/${file} --out sample/${file.replace(".xlsx", ".planned.xlsx")} --as-of 2027-05-05`,
          "Generated by scripts/make-sample.ts (npm run sample); names and numbers are fictional.",
        ];
  addReadmeSheet(
    workbook,
    t(README_SHEET, lang),
    lang === "zh"
      ? `Target Cascade 示例：五一活动（${isoDate(start)} 至 ${isoDate(end)}）`
      : `Target Cascade sample: the May Day campaign (${isoDate(start)} to ${isoDate(end)})`,
    readme,
  );

  addInput(
    workbook,
    "targets",
    lang,
    [column(HEADERS.start, lang, DATE, 12), column(HEADERS.end, lang, DATE, 12), ...tierColumns(lang)],
    [[start, end, ...tierCells(targets)]],
  );
  const history = addHistory(workbook, data, lang, (month, r) => r === region && month.startsWith("2026-"));
  addStages(workbook, data, lang);
  addSettings(workbook, lang, [
    [SETTING_KEYS.levels, chain(lang, HEADERS.team, HEADERS.rep)],
    [SETTING_KEYS.grain, t(SETTING_VALUES.stage, lang)],
    [SETTING_KEYS.unit, UNIT],
    [SETTING_KEYS.workdays, t(SETTING_VALUES.allDays, lang)],
    [SETTING_KEYS.funnel, chain(lang, HEADERS.invitations, HEADERS.visits, HEADERS.orders)],
    [SETTING_KEYS.asOf, isoDate(data.asOf)],
    [SETTING_KEYS.previousAsOf, isoDate(data.previousAsOf)],
    [SETTING_KEYS.rankBy, t(SETTING_VALUES.completion, lang)],
    [attachRateKey(product(data, MAY_DAY_ATTACH.rate.product)), MAY_DAY_ATTACH.rate.value],
    [SETTING_KEYS.attach, t(product(data, MAY_DAY_ATTACH.fromHistory), lang)],
    [SETTING_KEYS.payoutMode, t(SETTING_VALUES.marginal, lang)],
    [SETTING_KEYS.upliftRep, MAY_DAY_UPLIFT],
  ]);
  addPayout(workbook, lang);
  const actuals = addActuals(workbook, data, lang, (date, r) => r === region && date >= start && date <= data.asOf, true);
  return { workbook, counts: { targets: 1, history, stages: data.stages.length, settings: 12, actuals, payout: PAYOUT_BANDS.length } };
}

function product(data: KitchenChain, zh: string): Named {
  const found = data.products.find((p) => p.zh === zh);
  if (!found) throw new Error(`no product line ${zh}`);
  return found;
}
