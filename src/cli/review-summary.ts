/** What `target-cascade track` prints about process tracking and the weekly review, in the workbook's language. */
import { isoDate, memberBottlenecks, type PlanResult, type ProcessResult, type ReviewResult } from "../engine";
import type { Lang } from "../i18n";
import { formatNumber } from "../i18n";
import { bottleneckWord } from "../report/process-sheet";

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

export function reviewSummary(plan: PlanResult, review: ReviewResult, process: ProcessResult | undefined, lang: Lang, labels: Record<string, string> = {}): string[] {
  const zh = lang === "zh";
  const sep = zh ? "，" : ", ";
  const name = (node: number): string => plan.nodes[node].member;
  const lines: string[] = [];
  if (process) {
    const bottlenecks = memberBottlenecks(plan, process);
    const word = (stage: string): string => bottleneckWord(stage, process.stages.indexOf(stage) === 0, labels[stage] ?? stage, lang);
    const counts = process.stages.map((s) => ({ s, n: bottlenecks.filter((b) => b.stage === s).length })).filter((x) => x.n > 0);
    const tally = counts.map((x) => (zh ? `${word(x.s)} ${x.n} 人` : `${word(x.s).toLowerCase()} ${x.n}`)).join(" · ");
    const worst = bottlenecks.slice(0, 3).map((b) => {
      const where = b.row.channel >= 0 ? `${process.channels[b.row.channel]} · ` : "";
      return `${name(b.node)} · ${where}${word(b.stage)} (${pct(b.ratio)})`;
    });
    lines.push(zh ? `过程追踪：${tally || "无瓶颈"}` : `Funnel progress: ${tally ? `bottlenecks — ${tally}` : "no bottleneck"}`);
    if (worst.length) lines.push(zh ? `  最大瓶颈：${worst.join(sep)}` : `  Biggest bottlenecks: ${worst.join(sep)}`);
  }
  const week = `${isoDate(review.previousAsOf + 1)} ${zh ? "至" : "to"} ${isoDate(review.asOf)}`;
  const improvers = review.improvers.map((node) => `${name(node)} ↑${review.members.find((m) => m.node === node)!.movement}`);
  const nextWeek = review.members.reduce((a, m) => a + m.nextWeekTarget, 0);
  lines.push(
    zh
      ? `阶段性会议 · ${week}：进步最大 ${improvers.join(sep) || "无"} · 需要帮助 ${review.help.length} 人 · 下周目标合计 ${formatNumber(Math.round(nextWeek))}`
      : `Weekly review · ${week}: biggest improvers ${improvers.join(sep) || "none"} · ${review.help.length} need help · next week's targets ${formatNumber(Math.round(nextWeek))} in all`,
  );
  return lines;
}
