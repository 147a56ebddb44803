/**
 * The Track step's morning view (UX.md: sets AsOf; sees leaders and laggards): the plan's
 * completion against time elapsed, how many members are on track, at risk and behind, the top of
 * the ranking for 表扬, who is behind with what they still need per day, and the three biggest
 * bottlenecks of the funnel in the team (过程追踪). Pure.
 */
import { dayFromYmd, isoDate } from "../../engine/dates";
import type { Problem } from "../../engine/problems";
import type { ProgressResult, Status } from "../../engine/progress";
import { memberBottlenecks, type ProcessResult } from "../../engine/process";
import { bottleneckWord } from "../../report/process-sheet";
import type { Lang } from "../../i18n";
import type { DayNum, PlanResult } from "../../engine/types";
import type { SheetSpec } from "../../report/spec";
import type { WatchEvent } from "../../hosts/addin";

/** Members highlighted for 表扬: rank 1 to 3 (ties share a rank, as on the Ranking sheet). */
export const LEADER_RANKS = 3;

export interface MemberLine {
  node: number;
  /** The member, with its parent when there is one: `王建国 · 上海一店`. */
  name: string;
  member: string;
  rank: number;
  completion: number;
  pace: number;
  requiredPerDay: number;
  status: Status;
}

export interface MorningView {
  asOf: string;
  completion: number;
  timeElapsed: number;
  pace: number;
  gap: number;
  requiredPerDay: number;
  status: Status;
  counts: Record<Status, number>;
  leaders: MemberLine[];
  /** Members behind, the furthest behind first. */
  laggards: MemberLine[];
  unplanned: number;
  /** The team's biggest bottlenecks: each member's worst stage, furthest behind the plan first; absent without process tracking. */
  bottlenecks?: BottleneckView[];
}

/** How many bottlenecks the Track step lists. */
export const BOTTLENECK_LINES = 3;

export interface BottleneckView {
  node: number;
  name: string;
  /** "小区拓展 · 邀约不足": the channel, when the Actuals name it, and the stage in the method's words. */
  where: string;
  /** The stage's count or conversion against the plan's (below 1). */
  ratio: number;
}

/** The three biggest bottlenecks in the team, in the pane's language. */
export function biggestBottlenecks(
  plan: PlanResult,
  process: ProcessResult | undefined,
  lang: Lang,
  labels: Record<string, string> = {}
): BottleneckView[] | undefined {
  if (!process) return undefined;
  return memberBottlenecks(plan, process)
    .slice(0, BOTTLENECK_LINES)
    .map((b) => {
      const n = plan.nodes[b.node];
      const parent = n.parent > 0 ? plan.nodes[n.parent].member : "";
      const word = bottleneckWord(
        b.stage,
        process.stages.indexOf(b.stage) === 0,
        labels[b.stage] ?? b.stage,
        lang
      );
      return {
        node: b.node,
        name: parent ? `${n.member} · ${parent}` : n.member,
        where: b.row.channel >= 0 ? `${process.channels[b.row.channel]} · ${word}` : word,
        ratio: b.ratio,
      };
    });
}

export function morningView(
  plan: PlanResult,
  progress: ProgressResult,
  bottlenecks?: BottleneckView[]
): MorningView {
  const rankOf = new Map(progress.ranking.map((e) => [e.node, e.rank]));
  const line = (node: number): MemberLine => {
    const n = plan.nodes[node];
    const p = progress.nodes[node];
    const parent = n.parent > 0 ? plan.nodes[n.parent].member : "";
    return {
      node,
      name: parent ? `${n.member} · ${parent}` : n.member,
      member: n.member,
      rank: rankOf.get(node) ?? 0,
      completion: p.completion,
      pace: p.pace,
      requiredPerDay: p.requiredPerDay,
      status: p.status,
    };
  };
  const counts: Record<Status, number> = { "on-track": 0, "at-risk": 0, behind: 0 };
  for (const leaf of plan.leaves) counts[progress.nodes[leaf].status]++;
  const total = progress.nodes[0];
  return {
    asOf: isoDate(progress.asOf),
    completion: total.completion,
    timeElapsed: progress.timeElapsed,
    pace: total.pace,
    gap: total.gap,
    requiredPerDay: total.requiredPerDay,
    status: total.status,
    counts,
    leaders: progress.ranking.filter((e) => e.rank <= LEADER_RANKS).map((e) => line(e.node)),
    laggards: plan.leaves
      .filter((leaf) => progress.nodes[leaf].status === "behind")
      .map(line)
      .sort((a, b) => a.pace - b.pace || a.rank - b.rank),
    unplanned: progress.unplanned.length,
    ...(bottlenecks ? { bottlenecks } : {}),
  };
}

/** `2027-05-05` → its day number; undefined for anything else. */
export function dayOfIso(text: string): DayNum | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const day = dayFromYmd(y, mo, d);
  return isoDate(day) === text.trim() ? day : undefined;
}

/** Today in the user's time zone, as a day number. */
export function todayDay(now: Date = new Date()): DayNum {
  return dayFromYmd(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

export { isoDate };

/** Whether some problem is an Actuals row for a member the plan does not have (计为未计划 helps). */
export function hasUnplanned(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.code === "unplannedMember");
}

/** What a Refresh writes: the Progress and Ranking sheets, the Incentives sheet over them, Funnel Progress and the Weekly Review; never the plan's (the Plan step writes those). */
export function trackSheets(sheets: readonly SheetSpec[]): SheetSpec[] {
  return sheets.filter(
    (s) =>
      s.kind === "progress" ||
      s.kind === "ranking" ||
      s.kind === "incentives" ||
      s.kind === "process" ||
      s.kind === "review"
  );
}

/** Waits `ms` after the last call before running `fn`; `cancel` drops a pending run. */
export function debounce(fn: () => void, ms: number): { call: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    call: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        fn();
      }, ms);
    },
    cancel: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** What the live refresh does with what it hears about the Actuals (WatchEvent). */
export type LiveAction = "refresh" | "remote" | "find" | "ignore";

/**
 * Co-author-safe live refresh: a change made in this Excel (source Local: this user, or an add-in
 * here) is refreshed and written; a co-author's (Remote) is only reported — their own pane writes
 * it, if their live refresh is on. Excel runs every co-author's handlers for every change, so
 * without this each pane would write the same cells at once.
 * A deleted or replaced table (`lost`), and any table added while it is lost, sends the pane
 * looking for the Actuals again.
 */
export function liveAction(event: WatchEvent, lost: boolean): LiveAction {
  switch (event.type) {
    case "changed":
      return lost ? "ignore" : event.source === "Local" ? "refresh" : "remote";
    case "lost":
      return "find";
    case "added":
      return lost ? "find" : "ignore";
  }
}
