/**
 * The planning pipeline's pure core: PlanInput → PlanResult (CONTRACT §4.1–4.5).
 */
import { makeCalendar, periodSlots } from "./calendar";
import { addYears, isoDate } from "./dates";
import { PlanProblemsError, type Problem } from "./problems";
import { roundPlan, tidy } from "./rounding";
import { buildTree } from "./tree";
import { TIERS, type PeriodInfo, type PlanInput, type PlanResult, type Tier, type TierValues } from "./types";

/** Round half away from zero to a multiple of unit. */
export function roundToUnit(value: number, unit: number): number {
  return tidy(Math.round(value / unit + 1e-9) * unit);
}

/** History of the metric over [from, to]; month facts that straddle the edges count by their days inside. */
export function historyBetween(input: PlanInput, from: number, to: number): { sum: number; rows: number } {
  let sum = 0;
  let rows = 0;
  for (const row of input.history) {
    if (row.end < from || row.start > to) continue;
    const v = row.measures[input.metric] ?? 0;
    const span = row.end - row.start + 1;
    const inside = Math.min(row.end, to) - Math.max(row.start, from) + 1;
    sum += span === inside ? v : (v * inside) / span;
    rows++;
  }
  return { sum, rows };
}

/** The plan's tier totals: given, from Growth, or derived by FloorRatio / StretchRatio. */
function resolveTiers(input: PlanInput, problems: Problem[]): { totals: Partial<TierValues>; tiers: Tier[] } {
  const totals: Partial<TierValues> = { ...input.tiers };
  if (totals.target === undefined && input.growth !== undefined) {
    const from = addYears(input.start, -1);
    const to = addYears(input.end, -1);
    const base = historyBetween(input, from, to);
    if (!(base.sum > 0)) {
      problems.push({
        ref: input.refs.growth ?? "Targets!A1",
        code: "growthWithoutHistory",
        args: { metric: input.metric, from: isoDate(from), to: isoDate(to) },
      });
    } else {
      totals.target = roundToUnit(base.sum * (1 + input.growth), input.unit);
    }
  }
  if (totals.target !== undefined) {
    if (totals.floor === undefined && input.floorRatio !== undefined) totals.floor = roundToUnit(totals.target * input.floorRatio, input.unit);
    if (totals.stretch === undefined && input.stretchRatio !== undefined) totals.stretch = roundToUnit(totals.target * input.stretchRatio, input.unit);
    const f = totals.floor ?? totals.target;
    const s = totals.stretch ?? totals.target;
    if (f > totals.target || s < totals.target) {
      problems.push({
        ref: (f > totals.target ? input.refs.floor : input.refs.stretch) ?? input.refs.target ?? "Targets!A1",
        code: "tiersOutOfOrder",
        args: { floor: totals.floor ?? "—", target: totals.target, stretch: totals.stretch ?? "—" },
      });
    }
  }
  const tiers = TIERS.filter((t) => totals[t] !== undefined);
  return { totals, tiers };
}

export function computePlan(input: PlanInput): PlanResult {
  const problems: Problem[] = [];
  const { totals: given, tiers } = resolveTiers(input, problems);
  const target = given.target ?? 0;
  // A tier the plan lacks is carried as Target through the shares, and never written.
  const totals: TierValues = { floor: given.floor ?? target, target, stretch: given.stretch ?? target };

  const cal = makeCalendar(input.workdays, input.holidays);
  const slots = periodSlots(input, cal);
  let weights = slots.map((s) => s.weight);
  if (!(weights.reduce((a, b) => a + b, 0) > 0)) weights = slots.map((s) => s.workdays);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (!(weightSum > 0)) {
    problems.push({
      ref: input.grain === "Stage" ? input.refs.stages ?? "Stages!A1" : input.refs.target ?? "Targets!A1",
      code: "noWorkingDays",
      args: { from: isoDate(input.start), to: isoDate(input.end) },
    });
  }

  const nodes = buildTree(input, totals, problems);
  const leaves: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (nodes[i].children.length) continue;
    if (nodes[i].depth === input.levels.length) leaves.push(i);
    else if (i > 0) {
      const w = input.weights.find((r) => r.level === nodes[i].level && r.member === nodes[i].member);
      problems.push({
        ref: w?.refs.member ?? "Weights!A1",
        code: "noMembersBelow",
        args: { level: input.levelLabels[nodes[i].depth - 1], member: nodes[i].member },
      });
    }
  }
  if (problems.length) throw new PlanProblemsError(problems);

  const shares = weights.map((w) => w / weightSum);
  const rounded = roundPlan({ nodes, leaves, shares, unit: input.unit, totals, tiers });

  for (let v = 0; v < nodes.length; v++) {
    const amount: TierValues = { floor: 0, target: 0, stretch: 0 };
    for (const t of tiers) amount[t] = rounded.nodeAmounts[t][v];
    nodes[v].amount = amount;
    const exact = nodes[v].exact;
    for (const t of TIERS) if (!tiers.includes(t)) exact[t] = 0;
  }
  const periods: PeriodInfo[] = slots.map((s, j) => {
    const exact: TierValues = { floor: 0, target: 0, stretch: 0 };
    const amount: TierValues = { floor: 0, target: 0, stretch: 0 };
    for (const t of tiers) {
      exact[t] = rounded.periodExact[t][j];
      amount[t] = rounded.periodAmounts[t][j];
    }
    return { label: s.label, start: s.start, end: s.end, days: s.days, workdays: s.workdays, share: shares[j], exact, amount };
  });
  const empty = new Float64Array(leaves.length * slots.length);
  const cells = { floor: rounded.cells.floor ?? empty, target: rounded.cells.target ?? empty, stretch: rounded.cells.stretch ?? empty };
  const planTotals: TierValues = { floor: 0, target: 0, stretch: 0 };
  for (const t of tiers) planTotals[t] = totals[t];

  return {
    start: input.start,
    end: input.end,
    metric: input.metric,
    unit: input.unit,
    grain: input.grain,
    levels: input.levels,
    levelLabels: input.levelLabels,
    tiers,
    nodes,
    leaves,
    periods,
    cells,
    totals: planTotals,
    rounding: { repairs: rounded.repairs, fallbacks: rounded.fallbacks, reproportioned: rounded.reproportioned },
  };
}
