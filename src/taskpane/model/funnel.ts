/**
 * The Funnel step's view (UX.md: sees orders, visits and invitations per channel): per channel
 * its Target, average order value (平均单值) and the count each funnel stage needs, Orders first
 * and then walking the workbook's own chain back (订单数, 二次进店数, 邀约数 …), with a totals row;
 * and one channel's counts per period. Pure: the numbers are the engine's (`computeFunnel`), the
 * same ones the Funnel sheet writes.
 */
import type { FunnelResult } from "../../engine/funnel";
import type { Lang } from "../../i18n";
import { paneText, type PaneStringKey } from "../../i18n/pane";
import type { SheetSpec } from "../../report/spec";

/** The stages the glossary names (UX.md), in the pane's language; any other stage keeps its header. */
export const STAGE_LABEL: Readonly<Record<string, PaneStringKey>> = {
  Orders: "stageOrders",
  Visits: "stageVisits",
  Invitations: "stageInvitations",
  Leads: "stageLeads",
};

export interface StageColumn {
  /** The stage's name in the engine (Orders, Visits, Invitations, or a History column's name). */
  stage: string;
  label: string;
}

export interface FunnelRow {
  channel: string;
  target: number;
  averageOrderValue: number;
  /** Count needed per stage, aligned with FunnelView.stages. */
  counts: number[];
}

export interface FunnelView {
  /** Orders, then each earlier stage walking the chain back. */
  stages: StageColumn[];
  rows: FunnelRow[];
  /** Sums over the channels; the average order value is History amount ÷ History orders over them. */
  totals: FunnelRow;
  channels: string[];
}

export interface PeriodRow {
  period: string;
  target: number;
  counts: number[];
}

/** Orders first, then each earlier stage of the chain: the order the Funnel sheet uses. */
export function walkOrder(funnel: Pick<FunnelResult, "stages">): string[] {
  const earlier = funnel.stages.filter((s) => s !== "Orders").reverse();
  return ["Orders", ...earlier];
}

/** A stage's header: the glossary's word in the pane's language, else the History header as written. */
export function stageLabel(
  stage: string,
  labels: Readonly<Record<string, string>>,
  lang: Lang
): string {
  const key = STAGE_LABEL[stage];
  return key ? paneText(lang, key) : (labels[stage] ?? stage);
}

export function funnelView(funnel: FunnelResult, lang: Lang): FunnelView {
  const walk = walkOrder(funnel);
  const stages = walk.map((stage) => ({
    stage,
    label: stageLabel(stage, funnel.columns.labels, lang),
  }));
  const rows = funnel.channels.map((c) => ({
    channel: c.channel,
    target: c.target,
    averageOrderValue: c.averageOrderValue,
    counts: walk.map((s) => c.counts[s] ?? 0),
  }));
  const { totals } = funnel;
  const orders = totals.history.Orders ?? 0;
  const amount = totals.history[funnel.metric] ?? 0;
  return {
    stages,
    rows,
    totals: {
      channel: paneText(lang, "funnelTotal"),
      target: totals.target,
      averageOrderValue: orders > 0 ? amount / orders : 0,
      counts: walk.map((s) => totals.counts[s] ?? 0),
    },
    channels: funnel.channels.map((c) => c.channel),
  };
}

/**
 * One channel per period of the plan (its Target and each stage, in walk order), then a subtotal
 * row that equals the channel's row of the main table. Empty for a channel the funnel lacks.
 */
export function periodRows(funnel: FunnelResult, channel: string, lang: Lang): PeriodRow[] {
  const c = funnel.channels.find((x) => x.channel === channel);
  if (!c) return [];
  const walk = walkOrder(funnel);
  const rows = c.periods.map((p, j) => ({
    period: funnel.periods[j] ?? String(j + 1),
    target: p.target,
    counts: walk.map((s) => p.counts[s] ?? 0),
  }));
  const subtotal: PeriodRow = {
    period: paneText(lang, "funnelSubtotal"),
    target: c.target,
    counts: walk.map((s) => c.counts[s] ?? 0),
  };
  return [...rows, subtotal];
}

/** What Write funnel writes: the Funnel and Drivers sheets, never the plan's (the Plan step writes those). */
export function funnelSheets(sheets: readonly SheetSpec[]): SheetSpec[] {
  return sheets.filter((s) => s.kind === "funnel" || s.kind === "drivers");
}
