/**
 * RESULT.json (CONTRACT.md §6): the plan as plain data for scripts and tests. Keys come in a
 * fixed order, amounts are numbers, rates are fractions, and a tier the workbook does not give
 * is left out of every object.
 */
import type { DriversResult, MixResult } from "../engine/drivers";
import type { FunnelResult } from "../engine/funnel";
import { upliftAddsUp } from "../engine/uplift";
import { TIERS, type PlanNode, type PlanResult, type Tier, type TierValues } from "../engine/types";

export type TierAmounts = Partial<Record<Tier, number>>;

export type PeriodJson = { period: string } & TierAmounts;
export type NodeJson = { path: Record<string, string>; share?: number } & TierAmounts;
export type PlanRowJson = { path: Record<string, string>; period: string } & TierAmounts;

export interface PlanResultJson {
  periods: PeriodJson[];
  nodes: NodeJson[];
  plan: PlanRowJson[];
  funnel?: FunnelJson[];
  drivers?: DriversJson;
  uplift?: UpliftJson[];
}

/** One channel of the funnel (CONTRACT §6): stages keyed by their canonical names, walking back from Orders. */
export interface FunnelJson {
  channel: string;
  share: number;
  target: number;
  averageOrderValue: number;
  orders: number;
  stages: Record<string, number>;
  /** Conversion rate from each earlier stage to the next one, as a fraction. */
  rates: Record<string, number>;
  periods: { period: string; target: number; orders: number; stages: Record<string, number> }[];
}

export interface DriversJson {
  averageOrderValue: { channel?: string; history: number; target: number; orders: number }[];
  products?: MixJson[];
  series?: MixJson[];
  attachments?: { product: string; source: "History" | "Settings"; rate: number; orders: number; units: number }[];
}

export type MixJson = { share: number; target: number; averageValue: number; units: number } & Record<string, string | number>;

/** Drops binary noise (0.1 + 0.2 → 0.3) that would make the file differ between runs or machines. */
export function cleanNumber(v: number): number {
  // Whole numbers (every amount, most counts) are exact as they are.
  if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
  if (!Number.isFinite(v)) return v;
  const clean = Number(v.toPrecision(15));
  return clean === 0 ? 0 : clean;
}

/** The plan's tiers in Floor, Target, Stretch order. */
function orderedTiers(result: PlanResult): Tier[] {
  return TIERS.filter((t) => result.tiers.includes(t));
}

function tierAmounts(tiers: Tier[], value: (tier: Tier) => number): TierAmounts {
  const out: TierAmounts = {};
  for (const tier of tiers) out[tier] = cleanNumber(value(tier));
  return out;
}

/** A path keyed by level, in cascade order. */
function orderedPath(levels: readonly string[], path: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const level of levels) {
    if (path[level] !== undefined) out[level] = path[level];
  }
  return out;
}

/** The funnel per channel, earlier stages in walk order (the one before Orders first). */
export function funnelJson(funnel: FunnelResult): FunnelJson[] {
  const earlier = funnel.stages.slice(0, -1).reverse();
  const stagesOf = (counts: Record<string, number>) => Object.fromEntries(earlier.map((s) => [s, counts[s]]));
  return funnel.channels.map((c) => ({
    channel: c.channel,
    share: cleanNumber(c.share),
    target: cleanNumber(c.target),
    averageOrderValue: cleanNumber(c.averageOrderValue),
    orders: c.counts.Orders,
    stages: stagesOf(c.counts),
    rates: Object.fromEntries(earlier.map((s) => [s, cleanNumber(c.rates[s])])),
    periods: c.periods.map((p, j) => ({ period: funnel.periods[j], target: cleanNumber(p.target), orders: p.counts.Orders, stages: stagesOf(p.counts) })),
  }));
}

function mixJson(mix: MixResult, key: string): MixJson[] {
  return mix.rows.map((m) => ({ [key]: m.member, share: cleanNumber(m.share), target: cleanNumber(m.target), averageValue: cleanNumber(m.averageValue), units: m.units }) as MixJson);
}

export function driversJson(drivers: DriversResult): DriversJson {
  const out: DriversJson = {
    averageOrderValue: drivers.averageOrderValue.map((a) => ({
      ...(a.channel === undefined ? {} : { channel: a.channel }),
      history: cleanNumber(a.history.value),
      target: cleanNumber(a.value),
      orders: a.orders,
    })),
  };
  if (drivers.products) out.products = mixJson(drivers.products, "product");
  if (drivers.series) out.series = mixJson(drivers.series, "series");
  if (drivers.attachments.length) {
    out.attachments = drivers.attachments.map((a) => ({ product: a.product, source: a.source, rate: cleanNumber(a.rate), orders: a.orders, units: a.units }));
  }
  return out;
}

/** The plan as JSON; with the drivers of the run, also `funnel` (when there are channels) and `drivers`. */
/** One uplifted level in RESULT.json. */
export interface UpliftJson {
  level: string;
  parent: string | null;
  uplift: number;
  ok: boolean;
}

export function toResultJson(result: PlanResult, drivers?: DriversResult): PlanResultJson {
  const tiers = orderedTiers(result);
  const fromValues = (values: TierValues) => tierAmounts(tiers, (t) => values[t]);

  const periods: PeriodJson[] = result.periods.map((p) => ({ period: p.label, ...fromValues(p.amount) }));

  const nodes: NodeJson[] = result.nodes.map((node: PlanNode) => {
    const path = orderedPath(result.levels, node.path);
    return node.parent < 0
      ? { path, ...fromValues(node.amount) }
      : { path, share: node.share, ...fromValues(node.amount) };
  });

  const plan: PlanRowJson[] = [];
  const P = result.periods.length;
  result.leaves.forEach((nodeIndex, leafPos) => {
    const path = orderedPath(result.levels, result.nodes[nodeIndex].path);
    result.periods.forEach((p, periodPos) => {
      const cell = leafPos * P + periodPos;
      plan.push({ path, period: p.label, ...tierAmounts(tiers, (t) => result.cells[t][cell]) });
    });
  });

  const json: PlanResultJson = { periods, nodes, plan };
  if (drivers?.funnel) json.funnel = funnelJson(drivers.funnel);
  if (drivers) json.drivers = driversJson(drivers);
  // Uplift / 超额分配: each uplifted level, its parent level (null: the plan) and whether its members add up to the parent × (1 + uplift).
  if (result.uplift?.length) {
    json.uplift = result.uplift.map((u) => ({ level: u.level, parent: u.index > 0 ? result.levels[u.index - 1] : null, uplift: u.fraction, ok: upliftAddsUp(result, u) }));
  }
  return json;
}

/** Stable JSON: two-space indent and a trailing newline. */
export function stringifyResult(obj: unknown): string {
  return JSON.stringify(obj, null, 2) + "\n";
}

const PLAN_SLOT = "\u0000plan\u0000";

/** A number as JSON.stringify writes it (finite numbers only occur here). */
const jsonNumber = (v: number): string => (Number.isFinite(v) ? String(cleanNumber(v)) : "null");

/**
 * RESULT.json as text, in pieces of about a megabyte, byte for byte what stringifyResult gives
 * for `{...toResultJson(result, drivers), ...extra}`, without building an object per plan row:
 * the rows (members × periods, 265,000 of them at 5,000 reps by week) are written straight to
 * text, each member's path once, and never held whole.
 */
export function* resultJsonChunks(result: PlanResult, drivers?: DriversResult, extra: object = {}): Generator<string> {
  const json = toResultJson({ ...result, leaves: [] }, drivers);
  const text = stringifyResult({ ...json, plan: PLAN_SLOT, ...extra });
  const slot = JSON.stringify(PLAN_SLOT);
  const at = text.indexOf(slot);
  yield text.slice(0, at);
  const tiers = orderedTiers(result);
  const P = result.periods.length;
  if (result.leaves.length === 0 || P === 0) yield "[]";
  else {
    const periods = result.periods.map((p) => `,\n      "period": ${JSON.stringify(p.label)}`);
    const cells = tiers.map((t) => result.cells[t]);
    const keys = tiers.map((t) => `,\n      "${t}": `);
    let piece = "[\n";
    let first = true;
    for (let leafPos = 0; leafPos < result.leaves.length; leafPos++) {
      const node = result.nodes[result.leaves[leafPos]];
      const path = `    {\n      "path": ${JSON.stringify(orderedPath(result.levels, node.path), null, 2).replace(/\n/g, "\n      ")}`;
      for (let j = 0; j < P; j++) {
        const cell = leafPos * P + j;
        let row = (first ? "" : ",\n") + path + periods[j];
        for (let k = 0; k < keys.length; k++) row += keys[k] + jsonNumber(cells[k][cell]);
        piece += row + "\n    }";
        first = false;
      }
      if (piece.length > 1 << 20) {
        yield piece;
        piece = "";
      }
    }
    yield piece + "\n  ]";
  }
  yield text.slice(at + slot.length);
}

/** RESULT.json as one string (see resultJsonChunks). */
export function resultJsonText(result: PlanResult, drivers?: DriversResult, extra: object = {}): string {
  return [...resultJsonChunks(result, drivers, extra)].join("");
}
