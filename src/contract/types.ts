import type { DayNum, FactRow, PlanInput } from "../engine/types";
import type { Problem } from "../engine/problems";
import type { Lang } from "../i18n";

export type InputKind = "targets" | "history" | "weights" | "stages" | "actuals" | "settings" | "holidays" | "payout" | "members" | "holds";

/** Where an input was found. */
export interface InputSource {
  kind: InputKind;
  /** Table name, or sheet name for a sheet-based input. */
  name: string;
  sheet: string;
  source: "table" | "sheet";
  /** Header cell of the first column, e.g. `History!A1`. */
  ref: string;
  rows: number;
}

/** The parsed Settings beyond what the planning engine takes (used by track / funnel). */
export interface ExtraSettings {
  asOf?: DayNum;
  rankBy?: "Completion" | "Actual";
  pace?: [number, number];
  /** Which forecast the status follows (Forecast / 预测依据). */
  forecast?: "RunRate" | "Seasonal";
  /** The weekly review's previous AsOf (PreviousAsOf / 上期统计日期), when the Settings give one. */
  previousAsOf?: DayNum;
  /** Funnel chain, canonical measure names, ending in Orders. */
  funnel?: string[];
  /** Every Settings row as given (canonical key → raw text), for features that read their own keys. */
  raw: Record<string, { value: string; ref: string }>;
}

export interface ParsedWorkbook {
  /** The workbook's language: zh when the input headers or table names are Chinese. */
  lang: Lang;
  input: PlanInput;
  actuals?: FactRow[];
  settings: ExtraSettings;
  sources: Partial<Record<InputKind, InputSource>>;
}

export type ContractResult =
  | { ok: true; workbook: ParsedWorkbook }
  | { ok: false; lang: Lang; problems: Problem[] };
