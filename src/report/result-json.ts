/**
 * RESULT.json (CONTRACT.md §6): the plan as plain data for scripts and tests. Keys come in a
 * fixed order, amounts are numbers, rates are fractions, and a tier the workbook does not give
 * is left out of every object.
 */
import { TIERS, type PlanNode, type PlanResult, type Tier, type TierValues } from "../engine/types";

export type TierAmounts = Partial<Record<Tier, number>>;

export type PeriodJson = { period: string } & TierAmounts;
export type NodeJson = { path: Record<string, string>; share?: number } & TierAmounts;
export type PlanRowJson = { path: Record<string, string>; period: string } & TierAmounts;

export interface PlanResultJson {
  periods: PeriodJson[];
  nodes: NodeJson[];
  plan: PlanRowJson[];
}

/** Drops binary noise (0.1 + 0.2 → 0.3) that would make the file differ between runs or machines. */
export function cleanNumber(v: number): number {
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

export function toResultJson(result: PlanResult): PlanResultJson {
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

  return { periods, nodes, plan };
}

/** Stable JSON: two-space indent and a trailing newline. */
export function stringifyResult(obj: unknown): string {
  return JSON.stringify(obj, null, 2) + "\n";
}
