/**
 * What a target letter (目标责任书, "目标下达") hands each member besides their tiers: their share of
 * the funnel's tasks per channel (邀约数, 二次进店数, 订单数) and of the attachment units, and the
 * plan's deep-data targets (平均单值, 配套率, 系列占比).
 *
 * Every count of the funnel (a channel's orders, visits, invitations) and every add-on's units are
 * split over the members by their Target, exactly, by largest remainder: each member gets the
 * whole part of count × their Target ÷ the plan's Target, and the units left over go one each to
 * the largest remainders (the earlier member on a tie). So the letters add up to the Funnel and
 * Drivers sheets exactly, and each member is within one of their exact share.
 *
 * Pure: plain data in, plain data out.
 */
import { amountQuanta } from "./amounts";
import type { DriversResult } from "./drivers";
import { fromNumber } from "./rational";
import type { PlanResult } from "./types";

/**
 * `count` split by `weights` (≥ 0): ⌊count × wᵢ ÷ Σw⌋ each, and what is left one each to the largest
 * remainders, the earlier on a tie. Equal weights when they are all zero. The parts add up to count.
 */
export function splitCount(count: number, weights: readonly bigint[]): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const all = weights.some((w) => w > 0n) ? weights : weights.map(() => 1n);
  const total = all.reduce((a, b) => a + b, 0n);
  const c = BigInt(count);
  const parts = all.map((w) => (c * w) / total);
  const rest = all.map((w, i) => c * w - parts[i] * total);
  let left = Number(c - parts.reduce((a, b) => a + b, 0n));
  const order = all.map((_, i) => i).sort((a, b) => (rest[b] > rest[a] ? 1 : rest[b] < rest[a] ? -1 : a - b));
  for (const i of order) {
    if (left <= 0) break;
    parts[i] += 1n;
    left--;
  }
  return parts.map(Number);
}

export interface MemberTasks {
  /** Index into PlanResult.nodes (a leaf). */
  node: number;
  /** Per channel of the funnel, in its order: the count of every stage of the chain (Orders included). */
  channels: { channel: string; counts: Record<string, number> }[];
  /** The same over all channels. */
  totals: Record<string, number>;
  /** Per add-on: the rate, and the member's units. */
  attachments: { product: string; rate: number; units: number }[];
}

export interface LetterTasks {
  /** The funnel's chain, ending in Orders (empty without a funnel). */
  stages: string[];
  /** Each stage's History header as written (邀约数), by its name. */
  stageLabels: Record<string, string>;
  members: MemberTasks[];
  /** Target ÷ the orders the plan asks for (absent without orders). */
  averageOrderValue?: number;
  /** The series mix (经典 / 尊贵 …): each series' share of the Target. */
  series: { series: string; share: number }[];
}

/** The members' Targets exactly, in quanta of one scale, in leaf order. */
function targetWeights(plan: PlanResult): bigint[] {
  if (plan.exact?.nodeUnits.target) return plan.leaves.map((leaf) => amountQuanta(plan, "target", "node", leaf));
  // A plan built by hand: its doubles as the decimals they show, on a common scale.
  const exact = plan.leaves.map((leaf) => fromNumber(plan.nodes[leaf].amount.target));
  const d = exact.reduce((m, r) => (r.d > m ? r.d : m), 1n);
  return exact.map((r) => (r.n * d) / r.d);
}

/** The tasks of every member's letter, from the plan and (when the workbook has them) the funnel and driver targets. */
export function letterTasks(plan: PlanResult, drivers?: DriversResult): LetterTasks {
  const weights = targetWeights(plan);
  const funnel = drivers?.funnel;
  const stages = funnel?.stages ?? [];
  const members: MemberTasks[] = plan.leaves.map((node) => ({ node, channels: [], totals: Object.fromEntries(stages.map((s) => [s, 0])), attachments: [] }));
  for (const channel of funnel?.channels ?? []) {
    const split = Object.fromEntries(stages.map((s) => [s, splitCount(channel.counts[s] ?? 0, weights)]));
    members.forEach((m, i) => {
      const counts = Object.fromEntries(stages.map((s) => [s, split[s][i]]));
      m.channels.push({ channel: channel.channel, counts });
      for (const s of stages) m.totals[s] += counts[s];
    });
  }
  for (const a of drivers?.attachments ?? []) {
    const units = splitCount(a.units, weights);
    members.forEach((m, i) => m.attachments.push({ product: a.product, rate: a.rate, units: units[i] }));
  }
  const plain = drivers?.averageOrderValue.find((r) => r.channel === undefined);
  return {
    stages,
    stageLabels: Object.fromEntries(stages.map((s) => [s, funnel?.columns.labels[s] ?? s])),
    members,
    ...(plain && plain.orders > 0 ? { averageOrderValue: plain.value } : {}),
    series: (drivers?.series?.rows ?? []).map((r) => ({ series: r.member, share: r.share })),
  };
}
