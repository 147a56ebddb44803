/**
 * The words the output sheets use, in the workbook's language (glossary in UX.md). Sheet names
 * are part of the contract (CONTRACT.md §5): users build formulas on them, so they never change.
 */
import type { ShareBasis, Tier } from "../engine/types";
import type { Lang } from "../i18n";
import type { OwnedSheetKind } from "./spec";

type Words = Record<Lang, string>;

export const SHEET_NAMES: Record<OwnedSheetKind, Words> = {
  plan: { en: "Plan", zh: "分解明细" },
  matrix: { en: "Plan Matrix", zh: "分解矩阵" },
  weights: { en: "Weights Review", zh: "权重审核" },
  funnel: { en: "Funnel", zh: "漏斗" },
  drivers: { en: "Drivers", zh: "深度数据" },
  progress: { en: "Progress", zh: "进度" },
  ranking: { en: "Ranking", zh: "排名" },
  letters: { en: "Target Letters", zh: "目标责任书" },
  incentives: { en: "Incentives", zh: "激励核算" },
  process: { en: "Funnel Progress", zh: "过程追踪" },
  review: { en: "Weekly Review", zh: "阶段性会议" },
  split: { en: "Split", zh: "并行分解" },
  versions: { en: "Plan Versions", zh: "计划版本" },
};

export const TIER_NAMES: Record<Tier, Words> = {
  floor: { en: "Floor", zh: "保底" },
  target: { en: "Target", zh: "力争" },
  stretch: { en: "Stretch", zh: "冲刺" },
};

export const METHOD_NAMES: Record<ShareBasis, Words> = {
  History: { en: "History", zh: "历史" },
  Equal: { en: "Equal", zh: "平均" },
  Weights: { en: "Weights", zh: "权重" },
  Lock: { en: "Lock", zh: "锁定" },
};

const WORDS = {
  period: { en: "Period", zh: "期间" },
  total: { en: "Total", zh: "合计" },
  level: { en: "Level", zh: "层级" },
  method: { en: "Method", zh: "分解方法" },
  basis: { en: "Basis", zh: "基数" },
  share: { en: "Share", zh: "占比" },
  lock: { en: "Lock", zh: "锁定" },
  available: { en: "Available", zh: "可分配" },
  exact: { en: "Exact", zh: "精确值" },
  allocated: { en: "Allocated", zh: "分配值" },
  difference: { en: "Rounding", zh: "取整差" },
  check: { en: "Check", zh: "校验" },
  planTotal: { en: "Plan total", zh: "计划总额" },
  subtotal: { en: "Subtotal", zh: "小计" },
  under: { en: "Under", zh: "上级" },
  equalFallback: { en: "Equal (no history)", zh: "平均(历史为零)" },
} satisfies Record<string, Words>;

export type WordKey = keyof typeof WORDS;

export function word(key: WordKey, lang: Lang): string {
  return WORDS[key][lang];
}

export function sheetName(kind: OwnedSheetKind, lang: Lang): string {
  return SHEET_NAMES[kind][lang];
}

export function tierName(tier: Tier, lang: Lang): string {
  return TIER_NAMES[tier][lang];
}

/** How a node's share was set, in words; an equal split forced by all-zero history says so. */
export function methodName(kind: ShareBasis, fallback: boolean | undefined, lang: Lang): string {
  if (kind === "Equal" && fallback) return word("equalFallback", lang);
  return METHOD_NAMES[kind][lang];
}

/** "Allocated (Target)" / "分配值(力争)". */
export function allocatedHeader(lang: Lang): string {
  const tier = tierName("target", lang);
  return lang === "zh" ? `${word("allocated", lang)}(${tier})` : `${word("allocated", lang)} (${tier})`;
}
