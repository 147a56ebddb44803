/**
 * The weekly review (阶段性会议: 业绩排名, 表扬先进, 案例分享) on one page: the period's ranking with
 * the movement since the previous AsOf (a week earlier by default), the week's own ranking, the
 * praise list (the top three and the biggest improvers), who needs help and at which stage of
 * the funnel, the team's completion against time elapsed, and next week's target per member.
 *
 *  - **Ranks** are competition ranks by RankBy, as on the Ranking sheet, at AsOf and at the
 *    previous AsOf; movement = previous rank − rank (up is positive). Before the plan started
 *    there was no ranking, so no movement.
 *  - **The week** runs from the day after the previous AsOf to AsOf: its actual is the actual at
 *    AsOf less the actual at the previous AsOf, its plan the Target to date at AsOf less the one at
 *    the previous AsOf.
 *  - **Next week** is the seven days after AsOf (to the plan's end). Its plan is the Target to
 *    date at its last day less the one at AsOf; its target, the member's remaining gap spread over
 *    the rest of the plan by the plan's own shape: max(gap, 0) × next week's plan ÷ the plan still
 *    to come (the whole gap when the plan has nothing more to come).
 */
import { memberBottlenecks, type BottleneckLine, type ProcessResult } from "./process";
import { planToDate, type ProgressResult, type Status } from "./progress";
import { competitionRanks } from "./ranking";
import type { DayNum, PlanInput, PlanResult } from "./types";

export interface ReviewMember {
  /** Index into PlanResult.nodes (a leaf). */
  node: number;
  rank: number;
  /** The rank at the previous AsOf, and previous rank − rank; null before the plan started. */
  previousRank: number | null;
  movement: number | null;
  /** The actual at the previous AsOf, and its completion. */
  previousActual: number;
  previousCompletion: number;
  weekActual: number;
  weekPlan: number;
  weekCompletion: number;
  weekRank: number;
  nextWeekPlan: number;
  nextWeekTarget: number;
}

export interface HelpLine {
  node: number;
  status: Status;
  /** The member's worst funnel bottleneck, when process tracking has one. */
  bottleneck?: BottleneckLine;
}

export interface ReviewResult {
  asOf: DayNum;
  previousAsOf: DayNum;
  /** Next week's first and last day. */
  nextWeek: { from: DayNum; to: DayNum };
  /** The members in rank order (the Ranking sheet's). */
  members: ReviewMember[];
  /** The whole plan, then the groups the members belong to (their parents), in plan order. */
  teams: number[];
  /** Praise (表扬先进): the members ranked in the top three, and the three who rose most since the previous AsOf. */
  top: number[];
  improvers: number[];
  /** Who needs help: behind, then at risk, the furthest behind first. */
  help: HelpLine[];
}

/** Members in the praise list's top (rank 1 to 3, ties included) and how many improvers it names. */
export const PRAISE_TOP_RANKS = 3;
export const PRAISE_IMPROVERS = 3;
export const NEXT_WEEK_DAYS = 7;

export function computeReview(input: PlanInput, plan: PlanResult, progress: ProgressResult, process?: ProcessResult): ReviewResult {
  const previous = progress.previous;
  if (!previous) throw new Error("the review needs the actuals at the previous AsOf (computeProgress with previousAsOf)");
  const { asOf } = progress;
  const previousAsOf = previous.asOf;
  const byActual = progress.rankBy === "Actual";
  const nodes = progress.nodes;
  const dueBefore = planToDate(input, plan, previousAsOf);
  const nextTo = Math.min(asOf + NEXT_WEEK_DAYS, plan.end);
  const dueNext = planToDate(input, plan, nextTo);
  const completionOf = (actual: number, target: number): number => (target > 0 ? actual / target : actual >= 0 ? 1 : 0);

  const leaves = plan.leaves;
  const started = previousAsOf >= plan.start;
  const previousValues = leaves.map((leaf) => (byActual ? previous.actual[leaf] : completionOf(previous.actual[leaf], nodes[leaf].target)));
  const previousRanks = competitionRanks(previousValues);
  const weekActual = leaves.map((leaf) => nodes[leaf].actual - previous.actual[leaf]);
  const weekPlan = leaves.map((leaf) => nodes[leaf].targetToDate - dueBefore[leaf]);
  const weekCompletion = leaves.map((_, i) => completionOf(weekActual[i], weekPlan[i]));
  const weekRanks = competitionRanks(byActual ? weekActual : weekCompletion);
  const position = new Map(leaves.map((leaf, i) => [leaf, i]));

  const members: ReviewMember[] = progress.ranking.map((entry) => {
    const i = position.get(entry.node)!;
    const n = nodes[entry.node];
    const nextWeekPlan = dueNext[entry.node] - n.targetToDate;
    const rest = n.target - n.targetToDate;
    // As the sheet's formula: MAX(gap, 0) × next week's plan ÷ the plan still to come.
    const nextWeekTarget = rest > 0 ? (Math.max(n.target - n.actual, 0) * nextWeekPlan) / rest : Math.max(n.target - n.actual, 0);
    return {
      node: entry.node,
      rank: entry.rank,
      previousRank: started ? previousRanks[i] : null,
      movement: started ? previousRanks[i] - entry.rank : null,
      previousActual: previous.actual[entry.node],
      previousCompletion: completionOf(previous.actual[entry.node], n.target),
      weekActual: weekActual[i],
      weekPlan: weekPlan[i],
      weekCompletion: weekCompletion[i],
      weekRank: weekRanks[i],
      nextWeekPlan,
      nextWeekTarget,
    };
  });

  const teams = [0];
  const seen = new Set<number>([0]);
  for (const leaf of leaves) {
    const parent = plan.nodes[leaf].parent;
    if (parent > 0 && !seen.has(parent)) {
      seen.add(parent);
      teams.push(parent);
    }
  }
  teams.sort((a, b) => a - b);

  const top = members.filter((m) => m.rank <= PRAISE_TOP_RANKS).map((m) => m.node);
  const improvers = members
    .map((m, order) => ({ m, order }))
    .filter((x) => x.m.movement !== null && x.m.movement > 0)
    .sort((a, b) => b.m.movement! - a.m.movement! || a.order - b.order)
    .slice(0, PRAISE_IMPROVERS)
    .map((x) => x.m.node);

  const bottlenecks = new Map((process ? memberBottlenecks(plan, process) : []).map((b) => [b.node, b]));
  const seasonal = progress.forecastBy === "Seasonal";
  const paceOf = (leaf: number): number => (seasonal ? nodes[leaf].paceSeasonal : nodes[leaf].pace);
  const help: HelpLine[] = leaves
    .map((leaf, order) => ({ leaf, order }))
    .filter(({ leaf }) => nodes[leaf].status !== "on-track")
    .sort(
      (a, b) =>
        (nodes[a.leaf].status === "behind" ? 0 : 1) - (nodes[b.leaf].status === "behind" ? 0 : 1) || paceOf(a.leaf) - paceOf(b.leaf) || a.order - b.order,
    )
    .map(({ leaf }) => {
      const line: HelpLine = { node: leaf, status: nodes[leaf].status };
      const b = bottlenecks.get(leaf);
      if (b) line.bottleneck = b;
      return line;
    });

  return { asOf, previousAsOf, nextWeek: { from: asOf + 1, to: nextTo }, members, teams, top, improvers, help };
}
