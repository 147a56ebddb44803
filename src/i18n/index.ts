/**
 * en-US and zh-CN strings for problems (and, later, the task pane). A problem is a code with
 * arguments; `formatProblem` writes it as `Sheet!A1: what is wrong` in the workbook's language.
 */
import { PLAN_TOKEN, type Problem } from "../engine/problems";
import { messages, type MessageCatalog } from "./messages";

export type Lang = "en" | "zh";

export function formatMessage(code: string, args: Record<string, string | number> | undefined, lang: Lang): string {
  const entry = (messages as MessageCatalog)[code];
  if (!entry) return code + (args ? " " + JSON.stringify(args) : "");
  const template = entry[lang];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = args?.[key];
    if (v === undefined) return whole;
    if (v === PLAN_TOKEN) return lang === "zh" ? "总目标" : "the plan";
    return typeof v === "number" ? formatNumber(v) : v;
  });
}

export function formatProblem(p: Problem, lang: Lang): string {
  return `${p.ref}: ${formatMessage(p.code, p.args, lang)}`;
}

/** 1234567.5 → "1,234,567.5"; integers without decimals. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  // Six decimals at most; whole and large numbers as they are, since scaling them by 10^6 would
  // go past 2^53 and change their digits (796,604,751,817 → 796,604,751,816.9999).
  const rounded = Number.isInteger(v) || Math.abs(v) * 1e6 > Number.MAX_SAFE_INTEGER ? v : Math.round(v * 1e6) / 1e6;
  const [int, frac] = String(Math.abs(rounded)).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (rounded < 0 ? "-" : "") + grouped + (frac ? "." + frac : "");
}

/** Exact decimal text with thousands separators: "796604751817" → "796,604,751,817", "-1234.50" → "-1,234.50". */
export function formatDecimal(text: string): string {
  const negative = text.startsWith("-");
  const [int, frac] = (negative ? text.slice(1) : text).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (negative ? "-" : "") + grouped + (frac ? "." + frac : "");
}

export { messages };
