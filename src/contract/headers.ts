/**
 * The names a user may give inputs, columns and settings, in English and Chinese (CONTRACT.md
 * §1–3). Every name is compared in its normalised form: trimmed, lower-case, half-width, with
 * spaces and underscores removed, so `Floor Ratio`, `floor_ratio` and `FLOORRATIO` are one name.
 */
import type { RawCell } from "../hosts/host";
import type { InputKind } from "./types";
import { cellText, halfWidth } from "./parse";

export function normalizeName(text: string): string {
  return halfWidth(text)
    .toLowerCase()
    .replace(/[\s_]+/g, "");
}

/** A name with its English and Chinese spellings, for messages that name a thing of the contract. */
export interface Named {
  /** The canonical English name (also the key in FactRow.dims/measures and PlanInput.levels). */
  name: string;
  /** The Chinese name used in messages. */
  zh: string;
}

export interface NameDef extends Named {
  /** Every accepted spelling, English and Chinese (the canonical names included). */
  aliases: readonly string[];
}

function def(name: string, zh: string, ...others: string[]): NameDef {
  return { name, zh, aliases: [name, zh, ...others] };
}

/** Names of the inputs (tables or sheets). Exact aliases only: `Sales_History` is not History. */
export const INPUT_NAMES: Record<InputKind, NameDef> = {
  targets: def("Targets", "目标"),
  // Excel reserves the sheet name "History", so an English History sheet needs another name.
  history: def("History", "历史", "历史数据", "History data"),
  weights: def("Weights", "权重"),
  stages: def("Stages", "阶段"),
  actuals: def("Actuals", "实际", "实际业绩"),
  settings: def("Settings", "设置"),
  holidays: def("Holidays", "节假日"),
  // The incentive bands (contract/payout.ts). "Incentives" / 激励核算 is the output sheet's name, so it is not one of these.
  payout: def("Payout", "激励", "Payouts", "Payout table", "激励方案", "提成方案", "激励规则"),
  // Members who join and leave, and holds at any node and period (docs/planning-depth.md).
  members: def("Members", "人员", "成员", "Member list", "人员名单", "人员表"),
  holds: def("Holds", "锁定值", "Hold", "锁定表", "锁定值表"),
};

export const TARGET_COLUMNS = {
  period: def("Period", "期间"),
  start: def("Start", "开始", "开始日期"),
  end: def("End", "结束", "结束日期"),
  metric: def("Metric", "指标"),
  floor: def("Floor", "保底", "保底目标"),
  target: def("Target", "力争", "力争目标", "目标值", "目标"),
  stretch: def("Stretch", "冲刺", "冲刺目标"),
  growth: def("Growth", "增长率"),
} as const;

export const DATE_COLUMN = def("Date", "日期", "月份", "Month");

/** Dimensions known by name; any other text column of History or Actuals is a dimension too. */
export const KNOWN_DIMENSIONS: readonly NameDef[] = [
  def("Region", "区域", "大区"),
  def("Team", "团队", "小组"),
  def("Rep", "销售员", "姓名", "人员", "Salesperson", "Sales Rep"),
  def("Product", "产品", "产品线"),
  def("Channel", "渠道"),
  def("Customer", "客户", "客户群"),
];

/** Measures known by name; any other numeric column of History or Actuals is a measure too. */
export const KNOWN_MEASURES: readonly NameDef[] = [
  def("Amount", "销售额", "金额", "业绩"),
  def("Orders", "订单数", "成交数", "单数"),
  def("Leads", "意向数"),
  def("Visits", "二次进店数", "到店数"),
  def("Invitations", "邀约数"),
];

/** The default funnel chain, in order, when Settings do not give one. */
export const FUNNEL_ORDER: readonly string[] = ["Leads", "Invitations", "Visits", "Orders"];

/** The levels the contract picks by default, in order of preference. */
export const DEFAULT_LEVEL_ORDER: readonly string[] = ["Rep", "Team", "Region"];

export const WEIGHT_COLUMNS = {
  dimension: def("Dimension", "维度", "Level", "层级"),
  member: def("Member", "成员"),
  weight: def("Weight", "权重"),
  lock: def("Lock", "锁定"),
  // A member who joins or leaves within the plan, and the ramp of their first months (docs/planning-depth.md).
  start: def("Start", "入职", "入职日期", "Start date", "Joins"),
  end: def("End", "离职", "离职日期", "End date", "Leaves"),
  ramp: def("Ramp", "爬坡", "爬坡期", "Ramp-up"),
} as const;

/** The Members / 人员 table: the level columns (matched against the plan's levels), then these. */
export const MEMBER_COLUMNS = {
  start: WEIGHT_COLUMNS.start,
  end: WEIGHT_COLUMNS.end,
  ramp: WEIGHT_COLUMNS.ramp,
  weight: WEIGHT_COLUMNS.weight,
} as const;

/** The Holds / 锁定值 table: the level columns (matched against the plan's levels), then these. */
export const HOLD_COLUMNS = {
  period: def("Period", "期间"),
  tier: def("Tier", "档位", "目标档位"),
  amount: def("Amount", "金额", "Hold", "锁定值"),
} as const;

export const STAGE_COLUMNS = {
  stage: def("Stage", "阶段"),
  start: def("Start", "开始", "开始日期"),
  end: def("End", "结束", "结束日期"),
  weight: def("Weight", "权重"),
} as const;

export const SETTINGS_COLUMNS = {
  key: def("Key", "键", "Setting", "设置项"),
  value: def("Value", "值"),
} as const;

export const HOLIDAY_COLUMNS = {
  date: def("Date", "日期"),
} as const;

/** A lookup from normalised alias to its definition. */
export class NameIndex<T extends NameDef> {
  private readonly byAlias = new Map<string, T>();

  constructor(defs: Iterable<T>) {
    for (const d of defs) for (const alias of d.aliases) this.byAlias.set(normalizeName(alias), d);
  }

  find(text: string): T | undefined {
    return this.byAlias.get(normalizeName(text));
  }
}

export const DIMENSION_INDEX = new NameIndex(KNOWN_DIMENSIONS);
export const MEASURE_INDEX = new NameIndex(KNOWN_MEASURES);

/** Where a column of a table was found. */
export interface ColumnAt {
  index: number;
  /** The header text as the user wrote it (trimmed). */
  label: string;
}

export interface HeaderMatch<K extends string> {
  columns: Partial<Record<K, ColumnAt>>;
  /** Columns whose header matched none of the definitions (non-empty headers only). */
  others: ColumnAt[];
  /** A second column for a name already matched: the first one is used. */
  duplicates: { column: ColumnAt; first: ColumnAt }[];
}

export function headerLabel(cell: RawCell): string {
  return cellText(cell);
}

/** Match a table's headers against named column definitions. Empty headers are ignored. */
export function matchHeaders<K extends string>(headers: readonly RawCell[], defs: Record<K, NameDef>): HeaderMatch<K> {
  const index = new Map<string, K>();
  for (const key of Object.keys(defs) as K[]) {
    for (const alias of defs[key].aliases) index.set(normalizeName(alias), key);
  }
  const match: HeaderMatch<K> = { columns: {}, others: [], duplicates: [] };
  headers.forEach((cell, i) => {
    const label = headerLabel(cell);
    if (label === "") return;
    const at = { index: i, label };
    const key = index.get(normalizeName(label));
    if (key === undefined) match.others.push(at);
    else if (match.columns[key]) match.duplicates.push({ column: at, first: match.columns[key]! });
    else match.columns[key] = at;
  });
  return match;
}

/** Keys of the Settings table (CONTRACT.md §3). `Method.<Level>` is matched separately. */
export const SETTING_KEYS = {
  levels: def("Levels", "分解层级"),
  grain: def("Grain", "时间粒度"),
  method: def("Method", "分解方法"),
  unit: def("Unit", "取整单位"),
  historyYears: def("HistoryYears", "历史年数"),
  floorRatio: def("FloorRatio", "保底系数"),
  stretchRatio: def("StretchRatio", "冲刺系数"),
  workdays: def("Workdays", "工作日"),
  funnel: def("Funnel", "漏斗"),
  asOf: def("AsOf", "统计日期"),
  rankBy: def("RankBy", "排名依据"),
  pace: def("Pace", "进度阈值"),
  forecast: def("Forecast", "预测依据", "预测", "预测方法", "ForecastBy"),
  previousAsOf: def("PreviousAsOf", "上期统计日期", "Previous AsOf", "LastAsOf", "上周统计日期", "上次统计日期"),
  // Parallel splits and the re-plan at AsOf (docs/splits-and-replan.md). `Splits.<Level>` is matched separately.
  splits: def("Splits", "并行分解", "Split", "平行分解"),
  replan: def("Replan", "重新分解", "Re-plan", "调整方式"),
  replanMethod: def("ReplanMethod", "调整方法", "Replan method", "重新分解方法"),
  replanNegative: def("ReplanNegative", "允许负目标", "Replan negative", "剩余可为负"),
  // Each member's own seasonality, and over-assignment (docs/planning-depth.md). `Uplift.<Level>` is matched separately.
  seasonality: def("Seasonality", "季节性", "Season", "季节模式"),
  uplift: def("Uplift", "超额分配", "Over-assignment", "超额"),
} as const;

export type SettingKey = keyof typeof SETTING_KEYS;
