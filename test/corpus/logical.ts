/**
 * The corpus's one logical workbook (logical.json), resolved for a language and for a producer
 * that does or does not write date cells. The Python builders read the same file the same way.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type Lang = "en" | "zh";

type JsonCell = string | number | null | { month: string } | { date: string } | { en: string; zh: string };

interface JsonInput {
  input: string;
  sheet: Record<Lang, string>;
  tableSheet: string;
  columns: Record<Lang, string>[];
  rows: JsonCell[][];
}

/** A cell as a producer writes it. */
export type Cell =
  | { kind: "text"; text: string }
  | { kind: "number"; value: number }
  | { kind: "date"; year: number; month: number; day: number }
  | { kind: "empty" };

export interface InputSheet {
  /** The contract's input: Targets, History, Weights, Settings, Actuals. */
  input: string;
  /** The sheet's name when the input is a plain sheet. */
  sheet: string;
  /** The sheet that holds the input as an Excel table named `input`. */
  tableSheet: string;
  /** Header row first. */
  rows: Cell[][];
}

export const LOGICAL_PATH = join(__dirname, "logical.json");

const inputs = (): JsonInput[] => (JSON.parse(readFileSync(LOGICAL_PATH, "utf8")) as { inputs: JsonInput[] }).inputs;

function resolve(cell: JsonCell, lang: Lang, dates: boolean): Cell {
  if (cell === null) return { kind: "empty" };
  if (typeof cell === "string") return { kind: "text", text: cell };
  if (typeof cell === "number") return { kind: "number", value: cell };
  if ("en" in cell) return { kind: "text", text: cell[lang] };
  const iso = "month" in cell ? cell.month : cell.date;
  if (!dates) return { kind: "text", text: iso };
  const [year, month, day] = [...iso.split("-").map(Number), 1];
  return { kind: "date", year, month, day: "month" in cell ? 1 : day };
}

/** Every input sheet of the logical workbook, in workbook order. */
export function logicalWorkbook(lang: Lang, dates: boolean): InputSheet[] {
  return inputs().map((i) => ({
    input: i.input,
    sheet: i.sheet[lang],
    tableSheet: i.tableSheet,
    rows: [i.columns.map((c) => ({ kind: "text", text: c[lang] }) as Cell), ...i.rows.map((r) => r.map((c) => resolve(c, lang, dates)))],
  }));
}
