/**
 * The sentence that says an uplifted level adds up to more than its parent, on purpose
 * (docs/planning-depth.md): "Reps add up to their Team × 1.10 (uplift 10%)" /
 * "各销售员合计为所属团队的 1.10 倍（超额分配 10%）". The CLI's check line and the Weights Review
 * both show it, so a reviewer never mistakes the uplift for an error.
 */
import type { PlanResult, UpliftApplied } from "../engine/types";
import type { Lang } from "../i18n";

/** 1 + u with at least two decimals: 1.10, 1.125, 2.00. */
export function upliftFactor(fraction: number): string {
  const text = String(Math.round((1 + fraction) * 1e6) / 1e6);
  const [whole, decimals = ""] = text.split(".");
  return `${whole}.${decimals.padEnd(2, "0")}`;
}

/** u as a per cent: 10%, 12.5%, 33%. */
export function upliftPercent(fraction: number): string {
  return `${Math.round(fraction * 1e8) / 1e6}%`;
}

function plural(label: string): string {
  return /^[A-Za-z][A-Za-z ]*[^sS]$/.test(label) ? `${label}s` : label;
}

export function upliftSentence(result: Pick<PlanResult, "levelLabels">, u: UpliftApplied, lang: Lang): string {
  const label = result.levelLabels[u.index] ?? u.level;
  const parent = u.index > 0 ? result.levelLabels[u.index - 1] : undefined;
  const factor = upliftFactor(u.fraction);
  const pct = upliftPercent(u.fraction);
  if (lang === "zh") return parent ? `各${label}合计为所属${parent}的 ${factor} 倍（超额分配 ${pct}）` : `各${label}合计为总目标的 ${factor} 倍（超额分配 ${pct}）`;
  return parent ? `${plural(label)} add up to their ${parent} × ${factor} (uplift ${pct})` : `${plural(label)} add up to the plan × ${factor} (uplift ${pct})`;
}

/**
 * The note of the sheets that work back from the members' quotas (Funnel, Drivers) in an uplifted
 * plan: their Target is the quotas' total, more than the plan's. Empty without an uplift.
 */
export function upliftQuotasNote(result: Pick<PlanResult, "levelLabels" | "uplift">, quotas: string, lang: Lang): string {
  const ups = result.uplift ?? [];
  if (ups.length === 0) return "";
  const rules = ups.map((u) => upliftSentence(result, u, lang)).join(lang === "zh" ? "；" : "; ");
  return lang === "zh"
    ? `成员目标合计高于总目标（${rules}）：此处的力争目标为成员目标合计 ${quotas}。`
    : `The members' quotas add up to more than the plan's Target (${rules}): the Target here is their total, ${quotas}.`;
}
