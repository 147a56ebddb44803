/** The lines `target-cascade` prints about the parallel splits and the re-plan, in the workbook's language. */
import { amountDecimal, amountQuanta, isoDate, type PlanResult } from "../engine";
import { checkPlan } from "../engine/uplift";
import { decimalText } from "../engine/rational";
import type { HistoryColumns } from "../engine/funnel";
import type { ReplanResult } from "../engine/replan";
import type { SplitsResult } from "../engine/splits";
import { formatDecimal, type Lang } from "../i18n";
import { TIER_NAMES } from "../report/labels";

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** One line per split: the whole plan's members and shares, or how many nodes were split. */
export function splitsSummary(r: PlanResult, splits: SplitsResult, columns: HistoryColumns | undefined, lang: Lang): string[] {
  const zh = lang === "zh";
  const label = (d: string): string => columns?.labels[d] ?? d;
  return splits.splits.map((s) => {
    if (s.level === undefined) {
      const members = s.nodes[0]?.members ?? [];
      const shown = members.slice(0, 6).map((m) => `${m.member} ${pct(m.share)}`);
      if (members.length > shown.length) shown.push(zh ? `等 ${members.length} 个` : `… ${members.length} in all`);
      return zh ? `  并行分解 · ${label(s.dimension)}：${shown.join("，")}` : `  Split by ${label(s.dimension)}: ${shown.join(", ")}`;
    }
    const level = r.levelLabels[r.levels.indexOf(s.level)] ?? s.level;
    return zh ? `  并行分解 · 各${level}按${label(s.dimension)}：${s.nodes.length} 个${level}` : `  Split by ${label(s.dimension)} within each ${level}: ${s.nodes.length} in all`;
  });
}

/** What the re-plan did: where it cut, the Target before and after, and who is asked for what remains. */
export function replanSummary(replan: ReplanResult, lang: Lang): string[] {
  const zh = lang === "zh";
  const { original, revised } = replan;
  const P = revised.periods.length;
  const decimals = revised.exact?.decimals ?? 0;
  const tier = (t: "target"): string => TIER_NAMES[t][lang];
  const before = formatDecimal(amountDecimal(original, "target", "node", 0));
  const after = formatDecimal(amountDecimal(revised, "target", "node", 0));
  // Exact sums, in the revised plan's quanta.
  const actual = replan.actualQuanta.reduce((a, b) => a + b, 0n);
  // The members' total (in an uplifted plan, their quotas: more than the plan's own Target).
  let total = 0n;
  for (const leaf of revised.leaves) total += amountQuanta(revised, "target", "node", leaf);
  const actualText = formatDecimal(decimalText(actual, decimals));
  const remainingText = formatDecimal(decimalText(total - actual, decimals));
  const remaining = replan.remaining.target ?? new Float64Array();
  const ahead = Array.from(remaining).filter((x) => x <= 0).length;
  const asked = remaining.length - ahead;
  const pool = replan.pool === undefined ? undefined : (revised.levelLabels[revised.levels.indexOf(replan.pool)] ?? replan.pool);
  const how = pool === undefined
    ? zh ? "按各自差额" : "each member's own gap"
    : zh ? `按${pool}汇总差额，${{ Gap: "按各自差额", Target: "按原目标", Equal: "平均" }[replan.method]}分配` : `each ${pool}'s gap shared by ${{ Gap: "the members' own gaps", Target: "their original targets", Equal: "equal shares" }[replan.method]}`;
  // Each version by its own rule: in an uplifted plan, the members add up to their parent × (1 + u).
  const ok = checkPlan(original).ok && checkPlan(revised).ok;
  const lines = zh
    ? [
        `方法调整 · 统计日期 ${isoDate(replan.asOf)} · 实际业绩截至 ${isoDate(replan.actualsThrough)}（${P} 个期间中已结束 ${replan.ended} 个）· ${how}`,
        `  ${tier("target")} ${before} → ${after}（累计实际 ${actualText} · 剩余 ${remainingText}，分摊到 ${P - replan.ended} 个期间）`,
        `  已完成目标 ${ahead} 人（不再增加）· 仍有剩余目标 ${asked} 人`,
        ok ? "  ✓ 两个版本均精确相加" : "  ✗ 版本合计校验未通过",
      ]
    : [
        `Re-plan · AsOf ${isoDate(replan.asOf)} · actuals through ${isoDate(replan.actualsThrough)} (${replan.ended} of ${P} periods ended) · ${how}`,
        `  ${tier("target")} ${before} → ${after} (actual to date ${actualText} · remaining ${remainingText} over ${P - replan.ended} periods)`,
        `  ${ahead} at or past their target (asked for no more) · ${asked} with a remaining target`,
        ok ? "  ✓ Both versions add up exactly" : "  ✗ A version does not add up",
      ];
  if (replan.holds) lines.splice(3, 0, balancedLine(replan.holds, zh));
  return lines;
}

/** A balanced plan's re-plan: each member by its own cells, and the holds in the periods left (kept, or released at their Amount cells). */
function balancedLine(holds: NonNullable<ReplanResult["holds"]>, zh: boolean): string {
  const { kept, released } = holds;
  const cells = released.slice(0, 4).map((h) => h.refs.amount).join(zh ? "、" : ", ") + (released.length > 4 ? (zh ? " 等" : " …") : "");
  if (zh) {
    const held = kept.length + released.length === 0 ? "" : ` · 剩余期间的锁定值：${kept.length} 个精确保留${released.length ? `，${released.length} 个无法保留已释放（${cells}）` : ""}`;
    return `  各自季节：每人的剩余目标按其原计划在剩余期间的各期分摊${held}`;
  }
  const held = kept.length + released.length === 0 ? "" : ` · holds in the periods left: ${kept.length} kept exactly${released.length ? `, ${released.length} released, the remaining targets cannot carry them (${cells})` : ""}`;
  return `  Own seasons: each member's remaining target follows its own original cells in the periods left${held}`;
}
