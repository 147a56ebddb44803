/**
 * Reading one cell: numbers (`1,200`, `12%`, `1.2万`, `¥1,200`), dates (Excel serials, Date
 * objects, `2026-05-03`, `2026年5月3日`, months `2026-05`) and plan periods (`2027`, `2027-Q2`,
 * `2027-05`). Numeric cells and Date objects take a fast path with no text work at all.
 */
import type { RawCell } from "../hosts/host";
import type { DayNum } from "../engine/types";

const MS_PER_DAY = 86_400_000;
/** Excel serial of 1970-01-01. */
const EXCEL_EPOCH = 25_569;
/** 9999-12-31, the last day Excel knows. */
export const MAX_SERIAL = 2_958_465;

// ── cells ─────────────────────────────────────────────────────────────────────────────

export function isEmpty(cell: RawCell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === "string" && cell.trim() === "");
}

/** A cell as text, for names, members and messages: trimmed text, numbers as written, dates as ISO days. */
export function cellText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return cell.trim();
  if (typeof cell === "number") return String(cell);
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  return Number.isNaN(cell.getTime()) ? "" : formatDay(dayOfDate(cell));
}

/**
 * Full-width ASCII forms (ＡＢＣ，１２３％, －5) to half-width, the ideographic space to a space and
 * the minus sign (−) to a hyphen, as a Chinese input method may type them.
 */
export function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000\u2212]/g, (ch) => {
    if (ch === "\u3000") return " ";
    if (ch === "\u2212") return "-";
    return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
  });
}

// ── numbers ───────────────────────────────────────────────────────────────────────────

/** Suffixes that scale a number, as powers of ten. */
const SCALE_SUFFIXES: readonly [string, number][] = [
  ["%", -2],
  ["‰", -3],
  ["千万", 7],
  ["百万", 6],
  ["千", 3],
  ["万", 4],
  ["亿", 8],
];
const CURRENCY_PREFIX = /^(?:[¥￥$€£]|RMB|CNY)\s*/i;
/** Digits with optional thousands separators in groups of three, a fraction and an exponent. */
const DECIMAL = /^(\d{1,3}(?:,\d{3})+|\d*)(\.\d+)?(?:e([+-]?\d+))?$/i;

/**
 * The number in a cell: a numeric cell as it is, or text such as `1,200`, `1，200`, ` 12% `,
 * `1.2万`, `3亿`, `¥1,200`, `-5`, `(1,200)`. Percentages become fractions. NaN when the cell
 * holds anything else (callers test for empty cells first).
 */
export function parseNumber(cell: RawCell): number {
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : NaN;
  if (typeof cell === "string") return parseNumberText(cell);
  return NaN;
}

export function parseNumberText(input: string): number {
  let text = halfWidth(input).trim();
  // One sign: accounting parentheses `(1,200)`, or a sign before or after a currency symbol: `-¥5`, `¥-5`.
  const parenthesised = /^\((.*)\)$/.exec(text);
  if (parenthesised) text = parenthesised[1].trim();
  let negative = parenthesised !== null;
  let signed = negative;
  const sign = (): void => {
    if (signed || !(text.startsWith("-") || text.startsWith("+"))) return;
    negative = text[0] === "-";
    text = text.slice(1).trim();
    signed = true;
  };
  sign();
  const withoutCurrency = text.replace(CURRENCY_PREFIX, "");
  if (withoutCurrency !== text) {
    text = withoutCurrency;
    sign();
  }
  text = text.replace(/\s*元$/, "");
  let shift = 0;
  for (const [suffix, power] of SCALE_SUFFIXES) {
    if (text.endsWith(suffix)) {
      shift = power;
      text = text.slice(0, -suffix.length).trimEnd();
      break;
    }
  }
  const m = DECIMAL.exec(text);
  if (!m || (m[1] === "" && m[2] === undefined)) return NaN;
  const exponent = Number(m[3] ?? 0) + shift;
  // Shifting the exponent (not multiplying) keeps `1.1万` at exactly 11000 and `12.34%` at 0.1234.
  const value = Number(`${m[1].replace(/,/g, "") || "0"}${m[2] ?? ""}e${exponent}`);
  if (!Number.isFinite(value)) return NaN;
  return negative ? -value : value;
}

// ── days ──────────────────────────────────────────────────────────────────────────────

/** A span of days a cell stands for: one day for a date, the whole month for a month. */
export interface DaySpan {
  start: DayNum;
  end: DayNum;
  /** True when the cell named a month (`2026-05`), not a day. */
  month: boolean;
}

export function dayOf(year: number, month: number, day: number): DayNum {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** The day of a Date as ExcelJS gives it (UTC midnight); any time of day is dropped. */
export function dayOfDate(date: Date): DayNum {
  return Math.floor(date.getTime() / MS_PER_DAY);
}

/** The day of an Excel serial (1900 date system); the time of day is dropped. */
export function dayOfSerial(serial: number): DayNum {
  const whole = Math.floor(serial);
  // Excel counts a 29 February 1900 that never was: serials before 1 March 1900 are one day off.
  return whole >= 61 ? whole - EXCEL_EPOCH : whole - EXCEL_EPOCH + 1;
}

export function formatDay(day: DayNum): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function validDay(year: number, month: number, day: number): DayNum | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = dayOf(year, month, day);
  return new Date(d * MS_PER_DAY).getUTCDate() === day ? d : undefined;
}

function monthSpan(year: number, month: number): DaySpan | undefined {
  if (month < 1 || month > 12) return undefined;
  return { start: dayOf(year, month, 1), end: dayOf(year, month + 1, 1) - 1, month: true };
}

function daySpan(day: DayNum | undefined): DaySpan | undefined {
  return day === undefined ? undefined : { start: day, end: day, month: false };
}

/** `20260503` as a number or text: eight digits that cannot be an Excel serial. */
function compactDate(value: number): DayNum | undefined {
  if (!Number.isInteger(value) || value < 10000101 || value > 99991231) return undefined;
  return validDay(Math.floor(value / 10000), Math.floor(value / 100) % 100, value % 100);
}

const TIME_OF_DAY = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?`;
const DATE_TEXT = new RegExp(String.raw`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?` + TIME_OF_DAY + "$");
const MONTH_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份?)?$/;
const COMPACT_DATE_TEXT = /^\d{8}$/;

/**
 * The days a cell stands for: an Excel serial, a Date, ISO-like text (`2026-05-03`, `2026/5/3`,
 * `2026.5.3`, `2026年5月3日`, `20260503`), or a month (`2026-05`, `2026/05`, `2026年5月`).
 * undefined when it is none of these.
 */
export function parseDate(cell: RawCell): DaySpan | undefined {
  if (typeof cell === "number") {
    if (!Number.isFinite(cell) || cell < 1) return undefined;
    if (cell > MAX_SERIAL) return daySpan(compactDate(cell));
    const day = dayOfSerial(cell);
    return { start: day, end: day, month: false };
  }
  if (cell instanceof Date) {
    const time = cell.getTime();
    if (Number.isNaN(time)) return undefined;
    const day = Math.floor(time / MS_PER_DAY);
    return { start: day, end: day, month: false };
  }
  if (typeof cell === "string") return parseDateText(cell);
  return undefined;
}

export function parseDateText(input: string): DaySpan | undefined {
  const text = halfWidth(input).trim();
  let m = DATE_TEXT.exec(text);
  if (m) return daySpan(validDay(Number(m[1]), Number(m[2]), Number(m[3])));
  m = MONTH_TEXT.exec(text);
  if (m) return monthSpan(Number(m[1]), Number(m[2]));
  if (COMPACT_DATE_TEXT.test(text)) return daySpan(compactDate(Number(text)));
  return undefined;
}

// ── periods ───────────────────────────────────────────────────────────────────────────

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };
const YEAR_TEXT = /^(\d{4})\s*(?:年度?)?$/;
const QUARTER_TEXT = /^(\d{4})\s*(?:[-/ 年]?\s*Q\s*([1-4])|年?\s*第?\s*([1-4一二三四])\s*季度?)$/i;
const QUARTER_FIRST_TEXT = /^Q\s*([1-4])\s*[-/ ]?\s*(\d{4})$/i;
const HALF_TEXT = /^(\d{4})\s*(?:[-/ ]?\s*H\s*([12])|年?\s*([上下])半年)$/i;

function yearSpan(year: number): DaySpan {
  return { start: dayOf(year, 1, 1), end: dayOf(year + 1, 1, 1) - 1, month: false };
}

function monthsSpan(year: number, firstMonth: number, months: number): DaySpan {
  return { start: dayOf(year, firstMonth, 1), end: dayOf(year, firstMonth + months, 1) - 1, month: false };
}

/**
 * The days a plan Period names: a year (`2027`, `2027年`), a quarter (`2027-Q2`, `2027Q2`,
 * `Q2 2027`, `2027年第2季度`), a half (`2027-H1`, `2027年上半年`), a month (`2027-05`,
 * `2027年5月`) or a single date. A numeric cell from 1000 to 9999 is a year; other numbers and
 * Dates are single days.
 */
export function parsePeriod(cell: RawCell): DaySpan | undefined {
  if (typeof cell === "number" && Number.isInteger(cell) && cell >= 1000 && cell <= 9999) return yearSpan(cell);
  if (typeof cell !== "string") return parseDate(cell);
  const text = halfWidth(cell).trim();
  let m = YEAR_TEXT.exec(text);
  if (m) return yearSpan(Number(m[1]));
  m = QUARTER_TEXT.exec(text);
  if (m) {
    const q = m[2] ? Number(m[2]) : (CHINESE_DIGITS[m[3]] ?? Number(m[3]));
    return monthsSpan(Number(m[1]), q * 3 - 2, 3);
  }
  m = QUARTER_FIRST_TEXT.exec(text);
  if (m) return monthsSpan(Number(m[2]), Number(m[1]) * 3 - 2, 3);
  m = HALF_TEXT.exec(text);
  if (m) {
    const second = m[2] === "2" || m[3] === "下";
    return monthsSpan(Number(m[1]), second ? 7 : 1, 6);
  }
  return parseDateText(text);
}
