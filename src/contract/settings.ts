/**
 * The Settings table (CONTRACT.md §3): Key / Value rows, keys in English or Chinese. Each value
 * is read here on its own; what needs History's columns (which dimensions Levels may name,
 * which measures Funnel may name) is checked when the workbook is assembled.
 */
import type { Problem } from "../engine/problems";
import type { RawCell, RawTable } from "../hosts/host";
import type { DayNum, Grain, Method, Seasonality, Workdays } from "../engine/types";
import type { ReplanMethod } from "../engine/replan";
import { TableReader } from "./cells";
import {
  DIMENSION_INDEX,
  INPUT_NAMES,
  MEASURE_INDEX,
  matchHeaders,
  normalizeName,
  SETTING_KEYS,
  SETTINGS_COLUMNS,
  type SettingKey,
} from "./headers";
import { cellText, halfWidth, isEmpty, parseDate, parseNumber, parseNumberText } from "./parse";
import type { ExtraSettings } from "./types";

export interface Setting<T> {
  value: T;
  /** The Value cell. */
  ref: string;
}

/** The value each key takes once read. */
export interface SettingValues {
  /** Level names as written, in cascade order. */
  levels: string[];
  grain: Grain;
  method: Method;
  unit: number;
  historyYears: number;
  floorRatio: number;
  stretchRatio: number;
  workdays: Workdays;
  /** Stage names, canonical where known (邀约数 → Invitations), ending in Orders. */
  funnel: string[];
  asOf: DayNum;
  rankBy: "Completion" | "Actual";
  pace: [number, number];
  forecast: "RunRate" | "Seasonal";
  previousAsOf: DayNum;
  /** History dimensions split in parallel with the plan, as written (resolved against History in contract/splits.ts). */
  splits: string[];
  /** `Member`, or the level whose remaining gap is pooled and shared again (resolved in contract/splits.ts). */
  replan: string;
  replanMethod: ReplanMethod;
  replanNegative: boolean;
  seasonality: Seasonality;
  /** A bare `Uplift`: the most specific level's (resolved in assemble.ts). */
  uplift: number;
}

/** `Method.Rep` / `分解方法.销售员`: the method for one level, named as written. */
export interface LevelMethod extends Setting<Method> {
  level: string;
  keyRef: string;
}

/** `Splits.Region` / `并行分解.区域`: dimensions split in parallel within each node of one level. */
export interface LevelSplits extends Setting<string[]> {
  level: string;
  keyRef: string;
}

/** `Uplift.Rep` / `超额分配.销售员`: the level's members add up to their parent × (1 + value). */
export interface LevelUplift extends Setting<number> {
  level: string;
  keyRef: string;
}

export type SettingsRead = { [K in SettingKey]?: Setting<SettingValues[K]> } & {
  levelMethods: LevelMethod[];
  levelSplits?: LevelSplits[];
  levelUplifts?: LevelUplift[];
  /** The key cell of a bare `Uplift`. */
  upliftKeyRef?: string;
  raw: ExtraSettings["raw"];
};

// ── value vocabularies ────────────────────────────────────────────────────────────────

function vocabulary<T>(entries: [T, string[]][]): (text: string) => T | undefined {
  const map = new Map<string, T>();
  for (const [value, words] of entries) for (const w of words) map.set(normalizeWord(w), value);
  return (text) => map.get(normalizeWord(text));
}

/** Lower case, no spaces, and every dash, tilde, 至 or 到 as one hyphen: `周一 至 周五` = `周一-周五`. */
function normalizeWord(text: string): string {
  return normalizeName(text).replace(/[–—~～至到]/g, "-");
}

const GRAIN_WORDS = vocabulary<Grain>([
  ["Year", ["Year", "Years", "Yearly", "Annual", "年", "年度", "按年"]],
  ["Quarter", ["Quarter", "Quarters", "Quarterly", "季", "季度", "按季", "按季度"]],
  ["Month", ["Month", "Months", "Monthly", "月", "月度", "月份", "按月"]],
  ["Week", ["Week", "Weeks", "Weekly", "周", "星期", "按周"]],
  ["Day", ["Day", "Days", "Daily", "日", "天", "按日", "按天"]],
  ["Stage", ["Stage", "Stages", "阶段", "按阶段"]],
]);

const METHOD_WORDS = vocabulary<Method>([
  ["History", ["History", "Historical", "历史", "按历史", "历史数据", "历史占比"]],
  ["Equal", ["Equal", "Equally", "Even", "Evenly", "平均", "均分", "平均分配"]],
  ["Weights", ["Weights", "Weight", "Weighted", "权重", "按权重"]],
]);

const WORKDAY_WORDS = vocabulary<Workdays>([
  ["All", ["All", "All days", "Every day", "全部", "每天", "全年无休"]],
  ["Mon-Fri", ["Mon-Fri", "Monday-Friday", "Weekdays", "周一至周五", "星期一至星期五", "双休"]],
  ["Mon-Sat", ["Mon-Sat", "Monday-Saturday", "周一至周六", "星期一至星期六", "单休"]],
]);

const RANK_WORDS = vocabulary<"Completion" | "Actual">([
  ["Completion", ["Completion", "完成率", "达成率"]],
  ["Actual", ["Actual", "Actuals", "业绩", "实际", "实际业绩"]],
]);

const FORECAST_WORDS = vocabulary<"RunRate" | "Seasonal">([
  ["RunRate", ["RunRate", "Run rate", "Run-rate", "Linear", "Time", "Time elapsed", "按时间", "按时间进度", "时间进度", "线性"]],
  ["Seasonal", ["Seasonal", "Season", "Seasonality", "Plan", "按季节", "季节", "季节性", "按计划", "按计划进度"]],
]);

const REPLAN_METHOD_WORDS = vocabulary<ReplanMethod>([
  ["Gap", ["Gap", "Gaps", "Remaining", "缺口", "差额", "按缺口", "按差额", "剩余"]],
  ["Target", ["Target", "Targets", "Plan", "目标", "原目标", "按目标", "按原目标", "力争"]],
  ["Equal", ["Equal", "Equally", "Even", "平均", "均分", "平均分配"]],
]);

const SEASONALITY_WORDS = vocabulary<Seasonality>([
  ["Shared", ["Shared", "Share", "Same", "Common", "Plan", "统一", "共同", "相同", "统一季节性", "按计划"]],
  ["Own", ["Own", "Each", "Individual", "Per member", "各自", "各自季节性", "独立", "个别", "按各自历史"]],
]);

/**
 * An uplift: a fraction from 0 to 1 (`10%`, `0.1`, `10 %`). Above 100% is refused, as a plain
 * `10` is far likelier a per cent written without its sign than an elevenfold over-assignment.
 */
export function parseUplift(cell: RawCell): number | undefined {
  const n = parseNumber(cell);
  return n >= 0 && n <= 1 ? n : undefined;
}

const YES_NO_WORDS = vocabulary<boolean>([
  [true, ["Yes", "Y", "True", "On", "Allow", "Allowed", "是", "允许", "可以", "开"]],
  [false, ["No", "N", "False", "Off", "否", "不允许", "不", "关"]],
]);

/** Separators of a list of names: `Region > Team > Rep`, `区域、团队、销售员`, `A → B`, `A/B`. */
const LIST_SEPARATOR = /\s*(?:->|=>|[>→/,、;|])\s*/;

export function splitList(text: string): string[] {
  return halfWidth(text)
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function textOf(cell: RawCell): string {
  return typeof cell === "string" ? cell : cellText(cell);
}

function parseFunnel(cell: RawCell): string[] | undefined {
  const stages = splitList(textOf(cell)).map((s) => MEASURE_INDEX.find(s)?.name ?? s);
  const unique = new Set(stages.map(normalizeName)).size === stages.length;
  return stages.length >= 2 && unique && stages[stages.length - 1] === "Orders" ? stages : undefined;
}

function parsePace(cell: RawCell): [number, number] | undefined {
  if (typeof cell !== "string") return undefined;
  const parts = halfWidth(cell)
    .split(/\s*[,;、/]\s*|\s+/)
    .filter((s) => s !== "");
  if (parts.length !== 2) return undefined;
  const [onTrack, behind] = parts.map(parseNumberText);
  return onTrack > 0 && behind > 0 && onTrack >= behind ? [onTrack, behind] : undefined;
}

function positive(cell: RawCell): number | undefined {
  const n = parseNumber(cell);
  return n > 0 ? n : undefined;
}

const VALUE_READERS: { [K in SettingKey]: { code: string; read: (cell: RawCell) => SettingValues[K] | undefined } } = {
  levels: { code: "badLevels", read: (c) => nonEmpty(splitList(textOf(c))) },
  grain: { code: "badGrain", read: (c) => GRAIN_WORDS(textOf(c)) },
  method: { code: "badMethod", read: (c) => METHOD_WORDS(textOf(c)) },
  unit: { code: "badUnit", read: positive },
  historyYears: {
    code: "badHistoryYears",
    read: (c) => {
      const n = typeof c === "string" ? parseNumberText(c.replace(/年\s*$/, "")) : parseNumber(c);
      return Number.isInteger(n) && n >= 1 ? n : undefined;
    },
  },
  floorRatio: {
    code: "badFloorRatio",
    read: (c) => {
      const n = parseNumber(c);
      return n > 0 && n <= 1 ? n : undefined;
    },
  },
  stretchRatio: {
    code: "badStretchRatio",
    read: (c) => {
      const n = parseNumber(c);
      return n >= 1 ? n : undefined;
    },
  },
  workdays: { code: "badWorkdays", read: (c) => WORKDAY_WORDS(textOf(c)) },
  funnel: { code: "badFunnel", read: parseFunnel },
  // A month as AsOf means progress through its last day.
  asOf: { code: "badAsOf", read: (c) => parseDate(c)?.end },
  rankBy: { code: "badRankBy", read: (c) => RANK_WORDS(textOf(c)) },
  pace: { code: "badPace", read: parsePace },
  forecast: { code: "badForecast", read: (c) => FORECAST_WORDS(textOf(c)) },
  previousAsOf: { code: "badPreviousAsOf", read: (c) => parseDate(c)?.end },
  splits: { code: "badSplits", read: (c) => nonEmpty(splitList(textOf(c))) },
  replan: { code: "badReplan", read: (c) => (textOf(c).trim() === "" ? undefined : halfWidth(textOf(c)).trim()) },
  replanMethod: { code: "badReplanMethod", read: (c) => REPLAN_METHOD_WORDS(textOf(c)) },
  replanNegative: { code: "badReplanNegative", read: (c) => (typeof c === "boolean" ? c : YES_NO_WORDS(textOf(c))) },
  seasonality: { code: "badSeasonality", read: (c) => SEASONALITY_WORDS(textOf(c)) },
  uplift: { code: "badUplift", read: parseUplift },
};

/** `Uplift.Rep`, `超额分配.销售员`, `Uplift: Rep` → the level as written. */
function levelOfUpliftKey(key: string): string | undefined {
  const m = /^(.+?)\s*[.:．：]\s*(.+)$/.exec(halfWidth(key).trim());
  return m && KEY_INDEX.get(normalizeName(m[1])) === "uplift" ? m[2].trim() : undefined;
}

/** `Splits.Region`, `并行分解.区域`, `Splits: Region` → the level as written. */
function levelOfSplitKey(key: string): string | undefined {
  const m = /^(.+?)\s*[.:．：]\s*(.+)$/.exec(halfWidth(key).trim());
  return m && KEY_INDEX.get(normalizeName(m[1])) === "splits" ? m[2].trim() : undefined;
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

// ── keys ──────────────────────────────────────────────────────────────────────────────

const KEY_INDEX = new Map<string, SettingKey>();
for (const key of Object.keys(SETTING_KEYS) as SettingKey[]) {
  for (const alias of SETTING_KEYS[key].aliases) KEY_INDEX.set(normalizeName(alias), key);
}

/** `Method.Rep`, `分解方法.销售员`, `Method: Rep` → the level as written. */
function levelOfMethodKey(key: string): string | undefined {
  const m = /^(.+?)\s*[.:]\s*(.+)$/.exec(halfWidth(key).trim());
  return m && KEY_INDEX.get(normalizeName(m[1])) === "method" ? m[2].trim() : undefined;
}

// ── the table ─────────────────────────────────────────────────────────────────────────

export function emptySettings(): SettingsRead {
  return { levelMethods: [], raw: {} };
}

export function readSettings(table: RawTable, problems: Problem[]): SettingsRead {
  const reader = new TableReader(table, problems);
  const { columns, duplicates } = matchHeaders(table.headers, SETTINGS_COLUMNS);
  reader.reportDuplicates(duplicates);
  const settings = emptySettings();
  const { key: keyColumn, value: valueColumn } = columns;
  if (!keyColumn) reader.missingColumn(INPUT_NAMES.settings, SETTINGS_COLUMNS.key);
  if (!valueColumn) reader.missingColumn(INPUT_NAMES.settings, SETTINGS_COLUMNS.value);
  if (!keyColumn || !valueColumn) return settings;

  const seen = new Set<string>();
  table.rows.forEach((_, r) => {
    const key = reader.text(r, keyColumn);
    if (key === "") return;
    const keyRef = reader.ref(r, keyColumn);
    const ref = reader.ref(r, valueColumn);
    const cell = reader.cell(r, valueColumn);
    const known = KEY_INDEX.get(normalizeName(key));
    const level = known === undefined ? levelOfMethodKey(key) : undefined;
    const splitLevel = known === undefined && level === undefined ? levelOfSplitKey(key) : undefined;
    const upliftLevel = known === undefined && level === undefined && splitLevel === undefined ? levelOfUpliftKey(key) : undefined;
    const canonical = known
      ? SETTING_KEYS[known].name
      : level !== undefined
        ? `Method.${DIMENSION_INDEX.find(level)?.name ?? level}`
        : splitLevel !== undefined
          ? `Splits.${DIMENSION_INDEX.find(splitLevel)?.name ?? splitLevel}`
          : upliftLevel !== undefined
            ? `Uplift.${DIMENSION_INDEX.find(upliftLevel)?.name ?? upliftLevel}`
            : key;

    const id = normalizeName(canonical);
    if (seen.has(id)) {
      problems.push({ ref: keyRef, code: "duplicateSetting", args: { key } });
      return;
    }
    seen.add(id);
    settings.raw[canonical] = { value: cellText(cell), ref };
    if (isEmpty(cell)) return;

    if (known) {
      readValue(settings, known, cell, ref, problems);
      if (known === "uplift") settings.upliftKeyRef = keyRef;
    } else if (upliftLevel !== undefined) {
      const value = parseUplift(cell);
      if (value !== undefined) (settings.levelUplifts ??= []).push({ level: upliftLevel, value, ref, keyRef });
      else problems.push({ ref, code: "badUplift", args: { value: cellText(cell) } });
    } else if (level !== undefined) {
      const method = METHOD_WORDS(textOf(cell));
      if (method) settings.levelMethods.push({ level, value: method, ref, keyRef });
      else problems.push({ ref, code: "badMethod", args: { value: cellText(cell) } });
    } else if (splitLevel !== undefined) {
      const dimensions = splitList(textOf(cell));
      if (dimensions.length) (settings.levelSplits ??= []).push({ level: splitLevel, value: dimensions, ref, keyRef });
      else problems.push({ ref, code: "badSplits", args: { value: cellText(cell) } });
    }
  });

  return settings;
}

function readValue<K extends SettingKey>(settings: SettingsRead, key: K, cell: RawCell, ref: string, problems: Problem[]): void {
  const { code, read } = VALUE_READERS[key];
  const value = read(cell);
  if (value === undefined) problems.push({ ref, code, args: { value: cellText(cell) } });
  else (settings as { [P in K]?: Setting<SettingValues[P]> })[key] = { value, ref };
}
