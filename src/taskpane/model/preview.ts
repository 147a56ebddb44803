/**
 * The live preview (UX.md "Nothing happens without a preview"): the top-level split, the
 * periods and the totals check of a computed plan, cut to what fits in a task pane.
 */
import { checkPlan } from "../../engine/uplift";
import type { Grain, Method, PlanResult, Tier } from "../../engine/types";
import { formatNumber } from "../../i18n";

export interface PreviewRow {
  label: string;
  /** Share of the plan's Target, 0…1. */
  share: number;
  /** Amount per tier of the plan (only the tiers it has). */
  amounts: Partial<Record<Tier, number>>;
  /** Length of its bar, 0…1 of the largest Target in the list. */
  bar: number;
}

export interface Preview {
  tiers: Tier[];
  totals: Partial<Record<Tier, number>>;
  grain: Grain;
  /** The first level's name as the user wrote it; undefined for a plan over time only. */
  levelLabel?: string;
  split: PreviewRow[];
  /** Members of the first level not listed. */
  splitMore: number;
  periods: PreviewRow[];
  periodsMore: number;
  /** Members at the lowest level, and periods: the size of the plan sheet. */
  leaves: number;
  periodCount: number;
  totalsOk: boolean;
  mismatches: string[];
}

export const PREVIEW_LIMITS = { split: 12, periods: 24 };

function rows(
  items: { label: string; amount: Record<Tier, number> }[],
  tiers: readonly Tier[],
  total: number
): PreviewRow[] {
  const largest = Math.max(0, ...items.map((i) => i.amount.target));
  return items.map(({ label, amount }) => ({
    label,
    share: total > 0 ? amount.target / total : 0,
    amounts: Object.fromEntries(tiers.map((t) => [t, amount[t]])),
    bar: largest > 0 ? Math.max(0, amount.target) / largest : 0,
  }));
}

export function buildPreview(result: PlanResult, limits = PREVIEW_LIMITS): Preview {
  const total = result.totals.target;
  const top = (result.nodes[0]?.children ?? []).map((i) => result.nodes[i]);
  // The totals check, with each Uplift / 超额分配 level read as the rule it is.
  const check = checkPlan(result);
  return {
    tiers: [...result.tiers],
    totals: Object.fromEntries(result.tiers.map((t) => [t, result.totals[t]])),
    grain: result.grain,
    levelLabel: result.levelLabels[0],
    split: rows(
      top.slice(0, limits.split).map((n) => ({ label: n.member, amount: n.amount })),
      result.tiers,
      total
    ),
    splitMore: Math.max(0, top.length - limits.split),
    periods: rows(
      result.periods.slice(0, limits.periods).map((p) => ({ label: p.label, amount: p.amount })),
      result.tiers,
      total
    ),
    periodsMore: Math.max(0, result.periods.length - limits.periods),
    leaves: result.leaves.length,
    periodCount: result.periods.length,
    totalsOk: check.ok,
    mismatches: check.mismatches,
  };
}

/** 1234567 → "1,234,567". */
export function formatAmount(value: number): string {
  return formatNumber(value);
}

/** 0.4 → "40.0%". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * How each level was split in a computed plan (level name → method): what "Automatic" came to,
 * for the form to say. Locked members do not count; an equal split forced by all-zero history
 * counts as the History it was asked for.
 */
export function methodsUsed(result: PlanResult): Record<string, Method> {
  const used: Record<string, Method> = {};
  for (const node of result.nodes) {
    if (node.depth === 0 || node.basisKind === "Lock" || used[node.level] !== undefined) continue;
    used[node.level] = node.basisKind === "Equal" && node.fallback ? "History" : node.basisKind;
  }
  return used;
}
