/**
 * How Excel reads a value written through Range.values / Range.formulas: a string is read like
 * typing into the cell (the Excel JavaScript API reference, Range.values: "+", "-" and "=" start a
 * formula; ISO dates are stored as dates). An apostrophe in front keeps the rest as text.
 *
 * The stand-in implements the en-US reading of: formulas (= + - @), numbers (1,200 · 1.5 · 12% ·
 * 1e3), ISO dates (2027-01-31, 2027-01 → its first day), m/d/yyyy dates, TRUE/FALSE.
 */

/** A formula cell: its text without "=", and the cached result read from a file (the stand-in does not calculate). */
export interface FormulaValue {
  f: string;
  r?: string | number | boolean;
}

export type CellValue = null | string | number | boolean | FormulaValue;

export const isFormula = (v: CellValue | undefined): v is FormulaValue => typeof v === "object" && v !== null;

const MS_PER_DAY = 86_400_000;

/** A UTC calendar day → its Excel serial (1900 date system). */
export function serialOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY + 25569;
}

/** A JS Date (ExcelJS reads date cells as UTC Dates) → Excel serial. */
export function dateToSerial(d: Date): number {
  return d.getTime() / MS_PER_DAY + 25569;
}

const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?$/;
const ISO_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const ISO_MONTH = /^(\d{4})-(\d{1,2})$/;
const US_DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** What a typed string becomes; `quoted` when it started with the apostrophe. */
export function typedInput(text: string): { value: CellValue; quoted: boolean } {
  if (text === "") return { value: null, quoted: false };
  if (text.startsWith("'")) return { value: text.slice(1), quoted: true };
  const first = text[0];
  if (first === "=" && text.length > 1) return { value: { f: text.slice(1) }, quoted: false };
  const trimmed = text.trim();
  if (/\d/.test(trimmed) && NUMBER.test(trimmed)) {
    const percent = trimmed.endsWith("%");
    const n = Number(trimmed.replace(/,/g, "").replace(/%$/, ""));
    if (Number.isFinite(n)) return { value: percent ? n / 100 : n, quoted: false };
  }
  if ((first === "+" || first === "-" || first === "@") && text.length > 1) {
    return { value: { f: text }, quoted: false };
  }
  let m = ISO_DAY.exec(trimmed);
  if (m && validDay(+m[1], +m[2], +m[3])) return { value: serialOf(+m[1], +m[2], +m[3]), quoted: false };
  m = ISO_MONTH.exec(trimmed);
  if (m && +m[2] >= 1 && +m[2] <= 12) return { value: serialOf(+m[1], +m[2], 1), quoted: false };
  m = US_DAY.exec(trimmed);
  if (m && validDay(+m[3], +m[1], +m[2])) return { value: serialOf(+m[3], +m[1], +m[2]), quoted: false };
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toUpperCase() === "TRUE", quoted: false };
  return { value: text, quoted: false };
}

/** A value given to Range.values / Range.formulas → the cell's content; undefined leaves the cell unchanged (null input). */
export function inputToCell(v: unknown): { value: CellValue; quoted: boolean } | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new TypeError("not a finite number");
    return { value: v, quoted: false };
  }
  if (typeof v === "boolean") return { value: v, quoted: false };
  if (typeof v === "string") return typedInput(v);
  throw new TypeError(`unsupported cell input ${JSON.stringify(v)}`);
}

/** A cell as Range.values gives it: formulas give their cached result (or "" — the stand-in does not calculate). */
export function cellForValues(v: CellValue | undefined): string | number | boolean {
  if (v === null || v === undefined) return "";
  if (isFormula(v)) return v.r ?? "";
  return v;
}

/** A cell as Range.formulas gives it. */
export function cellForFormulas(v: CellValue | undefined): string | number | boolean {
  if (v === null || v === undefined) return "";
  if (isFormula(v)) return `=${v.f}`;
  return v;
}
