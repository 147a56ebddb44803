/** The short summary `target-cascade plan` prints after a run, in the workbook's language. */
import { amountDecimal, amountQuanta, isoDate, numberText, type DriversResult, type PlanResult, type ProgressResult, type TotalsCheck } from "../engine";
import type { HoldRow, PlanInput, WeightRow } from "../engine/types";
import { quantaOf } from "../engine/amounts";
import { formatDecimal, formatNumber, type Lang } from "../i18n";
import { TIER_NAMES } from "../report/labels";
import type { PayoutResult } from "../engine/payout";
import type { SheetSpec } from "../report/spec";
import { upliftSentence } from "../report/uplift-note";
import type { UpliftCheck } from "../engine/uplift";

const GRAIN_NAMES: Record<PlanResult["grain"], Record<Lang, string>> = {
  Year: { en: "Year", zh: "年" },
  Quarter: { en: "Quarter", zh: "季度" },
  Month: { en: "Month", zh: "月" },
  Week: { en: "Week", zh: "周" },
  Day: { en: "Day", zh: "日" },
  Stage: { en: "Stage", zh: "阶段" },
};

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function planSummary(
  r: PlanResult,
  lang: Lang,
  check: TotalsCheck & { uplift?: UpliftCheck[] },
  files: { input: string; out: string; json?: string; sheets: string[] },
): string[] {
  const zh = lang === "zh";
  // Amounts from their exact decimals, never from the doubles.
  const amount = (tier: PlanResult["tiers"][number], node: number): string => formatDecimal(amountDecimal(r, tier, "node", node));
  const tierLine = r.tiers.map((t) => `${TIER_NAMES[t][lang]} ${amount(t, 0)}`).join(" · ");
  const levels = r.levelLabels.join(" > ");
  const top = r.nodes[0].children;
  const shown = top.slice(0, 6).map((c) => `${r.nodes[c].member} ${amount("target", c)} (${pct(r.nodes[c].amount.target / (r.totals.target || 1))})`);
  if (top.length > shown.length) shown.push(zh ? `等 ${top.length} 个` : `… ${top.length} in all`);
  const periods = r.periods.length;
  const first = r.periods[0]?.label ?? "";
  const last = r.periods[periods - 1]?.label ?? "";
  const lines = zh
    ? [
        `目标分解 · ${files.input}`,
        `  计划期间 ${isoDate(r.start)} 至 ${isoDate(r.end)} · 时间粒度 ${GRAIN_NAMES[r.grain][lang]} · 取整单位 ${formatDecimal(numberText(r.unit))}`,
        `  ${tierLine}`,
        `  分解层级 ${levels}：${r.leaves.length} 个末级成员 × ${periods} 个期间（${first} … ${last}）`,
        `  ${r.levelLabels[0] ?? ""}：${shown.join("，")}`,
        check.ok ? "  ✓ 合计校验通过：每一层、每一期间都精确相加" : `  ✗ 合计校验未通过：${check.mismatches.slice(0, 3).join("；")}`,
        `  已写入 ${files.out}：${files.sheets.join("、")}${files.json ? `；结果 ${files.json}` : ""}`,
      ]
    : [
        `Target Cascade · ${files.input}`,
        `  Plan ${isoDate(r.start)} to ${isoDate(r.end)} · grain ${GRAIN_NAMES[r.grain][lang]} · unit ${formatDecimal(numberText(r.unit))}`,
        `  ${tierLine}`,
        `  Levels ${levels}: ${r.leaves.length} members × ${periods} periods (${first} … ${last})`,
        `  ${r.levelLabels[0] ?? ""}: ${shown.join(", ")}`,
        check.ok ? "  ✓ Totals check: every level and every period adds up exactly" : `  ✗ Totals check failed: ${check.mismatches.slice(0, 3).join("; ")}`,
        `  Wrote ${files.out}: ${files.sheets.join(", ")}${files.json ? `; results in ${files.json}` : ""}`,
      ];
  // Each uplifted level under the check line, so its members adding up to more than their parent reads as the rule it is.
  const uplift = (check.uplift ?? []).map((u) => `    ${u.ok ? "✓" : "✗"} ${upliftSentence(r, u, lang)}`);
  if (uplift.length) lines.splice(lines.length - 1, 0, ...uplift);
  return lines;
}

/** The morning view in a few lines: where the plan stands at AsOf, the leaders and who is behind. */
export function trackSummary(r: PlanResult, p: ProgressResult, lang: Lang): string[] {
  const zh = lang === "zh";
  const root = p.nodes[0];
  const name = (node: number): string => r.levels.map((l) => r.nodes[node].path[l]).filter(Boolean).slice(-1)[0] ?? "";
  const statusWord = (s: ProgressResult["nodes"][number]["status"]): string =>
    zh ? { "on-track": "达标", "at-risk": "预警", behind: "落后" }[s] : { "on-track": "on track", "at-risk": "at risk", behind: "behind" }[s];
  const leaders = p.ranking.filter((e) => e.rank <= 3).map((e) => `${e.rank}. ${name(e.node)} ${pct(p.nodes[e.node].completion)}`);
  const behind = p.nodes.filter((n) => r.nodes[n.node].children.length === 0 && n.status === "behind").length;
  const atRisk = p.nodes.filter((n) => r.nodes[n.node].children.length === 0 && n.status === "at-risk").length;
  return zh
    ? [
        `跟踪 · 统计日期 ${isoDate(p.asOf)} · 时间进度 ${pct(p.timeElapsed)}（${p.elapsedDays}/${p.totalDays} 个工作日）`,
        `  力争 ${formatDecimal(amountDecimal(r, "target", "node", 0))} · 实际 ${formatNumber(root.actual)} · 达成率 ${pct(root.completion)} · 进度比 ${root.pace.toFixed(2)} · ${statusWord(root.status)}`,
        `  表扬：${leaders.join("，")}`,
        `  落后 ${behind} 人 · 预警 ${atRisk} 人 · 剩余每个工作日需完成 ${formatNumber(Math.round(root.requiredPerDay))}`,
      ]
    : [
        `Tracking · AsOf ${isoDate(p.asOf)} · time elapsed ${pct(p.timeElapsed)} (${p.elapsedDays} of ${p.totalDays} working days)`,
        `  Target ${formatDecimal(amountDecimal(r, "target", "node", 0))} · actual ${formatNumber(root.actual)} · completion ${pct(root.completion)} · pace ${root.pace.toFixed(2)} · ${statusWord(root.status)}`,
        `  Leaders: ${leaders.join(", ")}`,
        `  ${behind} behind · ${atRisk} at risk · ${formatNumber(Math.round(root.requiredPerDay))} needed per remaining working day`,
      ];
}

/** The funnel in a line or two: per channel the orders and the first stage's count, and the totals per stage. */
export function driversSummary(d: DriversResult, lang: Lang): string[] {
  const zh = lang === "zh";
  const label = (name: string): string => d.columns.labels[name] ?? name;
  const lines: string[] = [];
  const f = d.funnel;
  if (f) {
    const walk = [...f.stages].reverse();
    const totals = walk.map((s) => `${label(s)} ${formatNumber(f.totals.counts[s])}`).join(" · ");
    lines.push(zh ? `  漏斗：${f.channels.length} 个渠道 · ${totals}` : `  Funnel: ${f.channels.length} channels · ${totals}`);
    const first = f.stages[0];
    const shown = f.channels.slice(0, 6).map((c) =>
      first === "Orders" ? `${c.channel} ${formatNumber(c.counts.Orders)}` : `${c.channel} ${formatNumber(c.counts[first])} → ${formatNumber(c.counts.Orders)}`,
    );
    if (f.channels.length > shown.length) shown.push(zh ? `等 ${f.channels.length} 个` : `… ${f.channels.length} in all`);
    const what = first === "Orders" ? label("Orders") : `${label(first)} → ${label("Orders")}`;
    lines.push(zh ? `  ${what}：${shown.join("，")}` : `  ${what}: ${shown.join(", ")}`);
  }
  const overall = d.averageOrderValue[0];
  const parts: string[] = [];
  if (overall) parts.push(zh ? `平均单值 ${formatNumber(Math.round(overall.history.value))} → ${formatNumber(Math.round(overall.value))}` : `average order value ${formatNumber(Math.round(overall.history.value))} → ${formatNumber(Math.round(overall.value))}`);
  if (d.products) parts.push(zh ? `${d.products.rows.length} 条产品线` : `${d.products.rows.length} product lines`);
  for (const a of d.attachments.slice(0, 3)) parts.push(zh ? `${a.product} 配套 ${formatNumber(a.units)}（${pct(a.rate)}）` : `${a.product} attached ${formatNumber(a.units)} (${pct(a.rate)})`);
  if (parts.length) lines.push(zh ? `  深度数据：${parts.join(" · ")}` : `  Drivers: ${parts.join(" · ")}`);
  return lines;
}

/** The incentives in a few lines: what is earned so far and at the forecast, the tiers reached, and the closest step up. */
export function payoutsSummary(r: PlanResult, p: PayoutResult, lang: Lang): string[] {
  const zh = lang === "zh";
  const root = p.teams.find((t) => t.node === 0);
  const money = (v: number): string => v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const total = p.members.reduce((a, m) => a + m.payout, 0);
  const atForecast = p.members.reduce((a, m) => a + m.atForecast, 0);
  const reached = r.tiers
    .slice()
    .reverse()
    .map((t) => `${TIER_NAMES[t][lang]} ${p.members.filter((m) => m.tier === t).length}`)
    .join(zh ? "、" : ", ");
  const closest = p.members
    .filter((m) => m.next && m.next.sell > 0)
    .sort((a, b) => (a.next!.sell - b.next!.sell) || a.node - b.node)
    .slice(0, 3)
    .map((m) => {
      const name = r.nodes[m.node].member;
      const to = m.next!.tier ? TIER_NAMES[m.next!.tier][lang] : m.next!.label;
      return zh ? `${name} 再卖 ${formatNumber(Math.ceil(m.next!.sell))} 到达${to}，多得 ${money(m.next!.earn)}` : `${name}: sell ${formatNumber(Math.ceil(m.next!.sell))} more to reach ${to}, earn ${money(m.next!.earn)} more`;
    });
  // Incentives cost a small share of sales: two decimals of a per cent.
  const share = `${((root?.costShare ?? 0) * 100).toFixed(2)}%`;
  return zh
    ? [`激励：本期合计 ${money(total)}（占销售额 ${share}）· 按预测 ${money(atForecast)} · 已达 ${reached} 人`, ...(closest.length ? [`  离下一档最近：${closest.join("；")}`] : [])]
    : [`Incentives: ${money(total)} to date (${share} of sales) · ${money(atForecast)} at the forecast · reached ${reached}`, ...(closest.length ? [`  Closest to the next step: ${closest.join("; ")}`] : [])];
}

/** What `target-cascade letters` wrote: how many letters, how they print, and where. */
export function lettersSummary(r: PlanResult, sheet: SheetSpec | undefined, lang: Lang, files: { input: string; out: string }): string[] {
  const zh = lang === "zh";
  const scale = sheet?.print?.scale ?? 100;
  const name = sheet?.name ?? "";
  return zh
    ? [`目标责任书 · ${files.input}`, `  ${r.leaves.length} 份，每人一页（纵向，缩放 ${scale}%），含目标、分期、过程与深度数据目标和签字栏`, `  已写入 ${files.out}：${name}`]
    : [`Target letters · ${files.input}`, `  ${r.leaves.length} letters, one page each (portrait, at ${scale}%), with the targets, periods, funnel and deep-data tasks and room to sign`, `  Wrote ${files.out}: ${name}`];
}

/**
 * The planning-depth inputs a run used, one line each: own seasonality (with the balancing's
 * iterations), who joins and leaves, and the holds with a check, exact in quanta, that each is kept.
 */
export function depthSummary(input: PlanInput, r: PlanResult, lang: Lang): string[] {
  const zh = lang === "zh";
  const lines: string[] = [];
  if (input.seasonality === "Own") {
    const it = r.balance?.iterations ?? 0;
    lines.push(
      zh
        ? `  季节性 各自：每名成员按自己的历史分布各期间，再平衡到计划的各期间合计（RAS，${it} 次迭代）`
        : `  Seasonality Own: each member's periods follow their own History, balanced to the plan's period totals (RAS, ${it} iterations)`,
    );
  }
  const leafLevel = r.levels[r.levels.length - 1];
  const dated = input.weights.filter((w) => w.start !== undefined || w.end !== undefined || w.ramp !== undefined);
  const ramp = (w: WeightRow): string => (w.ramp?.length ? (zh ? `，爬坡 ${w.ramp.map(pctText).join("、")}` : `, ramp ${w.ramp.map(pctText).join(", ")}`) : "");
  const joining = dated.filter((w) => w.start !== undefined && w.start > r.start);
  const leaving = dated.filter((w) => w.end !== undefined && w.end < r.end);
  const who = (w: WeightRow, day: number): string => `${w.member}${w.level === leafLevel ? "" : zh ? "（全员）" : " (all)"} ${isoDate(day)}`;
  if (joining.length || leaving.length) {
    const join = joining.slice(0, 4).map((w) => who(w, w.start as number) + ramp(w));
    const leave = leaving.slice(0, 4).map((w) => who(w, w.end as number));
    const more = (all: number, shown: number): string => (all > shown ? (zh ? "，……" : ", …") : "");
    lines.push(
      zh
        ? `  人员：${joining.length} 人入职${join.length ? `（${join.join("；")}${more(joining.length, join.length)}）` : ""}，${leaving.length} 人离职${leave.length ? `（${leave.join("；")}${more(leaving.length, leave.length)}）` : ""}；在职日期之外没有目标`
        : `  Members: ${joining.length} joining${join.length ? ` (${join.join("; ")}${more(joining.length, join.length)})` : ""}, ${leaving.length} leaving${leave.length ? ` (${leave.join("; ")}${more(leaving.length, leave.length)})` : ""}; no target outside their dates`,
    );
  }
  const holds = input.holds ?? [];
  if (holds.length) {
    const missed = holds.filter((h) => {
      try {
        return heldQuanta(r, h) !== quantaOf(h.amount, r.exact?.decimals ?? 0);
      } catch {
        return true; // more decimal places than the plan's quanta: it cannot have been kept
      }
    });
    const shown = holds.slice(0, 3).map((h) => `${holdName(r, h, lang)} ${formatDecimal(numberText(h.amount))}`);
    const rest = holds.length > shown.length ? (zh ? "，……" : ", …") : "";
    lines.push(
      missed.length === 0
        ? zh
          ? `  ✓ 锁定值 ${holds.length} 项，精确保持（${shown.join("，")}${rest}）；其余行、列与上下级重新平衡`
          : `  ✓ Holds: ${holds.length} kept exactly (${shown.join(", ")}${rest}); everything else rebalanced`
        : zh
          ? `  ✗ 锁定值未保持：${missed.map((h) => h.ref).join("、")}`
          : `  ✗ Holds not kept: ${missed.map((h) => h.ref).join(", ")}`,
    );
  }
  return lines;
}

const pctText = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** The node a hold names, and its period when it has one ("South China 2027-10"). */
function holdName(r: PlanResult, h: HoldRow, lang: Lang): string {
  const names = r.levels.map((l) => h.path[l]).filter((m): m is string => m !== undefined && m !== "");
  const node = names.length ? names.join(" › ") : lang === "zh" ? "总目标" : "the plan";
  return h.period ? `${node} ${h.period}` : node;
}

/** What the plan gives the node and period a hold names, in quanta. */
function heldQuanta(r: PlanResult, h: HoldRow): bigint {
  const depth = r.levels.filter((l) => h.path[l] !== undefined && h.path[l] !== "").length;
  const node = r.nodes.findIndex((n) => n.depth === depth && r.levels.slice(0, depth).every((l) => n.path[l] === h.path[l]));
  if (node < 0) return -1n;
  const period = h.period === undefined ? -1 : r.periods.findIndex((p) => p.label === h.period);
  if (period < 0 && h.period !== undefined) return -1n;
  if (period < 0) return amountQuanta(r, h.tier, "node", node);
  if (node === 0) return amountQuanta(r, h.tier, "period", period);
  const P = r.periods.length;
  let sum = 0n;
  r.leaves.forEach((leaf, pos) => {
    let v = leaf;
    while (v >= 0 && v !== node) v = r.nodes[v].parent;
    if (v === node) sum += amountQuanta(r, h.tier, "cell", pos * P + period);
  });
  return sum;
}
