/**
 * The planning pipeline's pure core: PlanInput → PlanResult (CONTRACT §4.1–4.5).
 */
import { MAX_UNITS, numberOfQuanta, UnitScale } from "./amounts";
import { makeCalendar, periodSlots } from "./calendar";
import { addYears, isoDate } from "./dates";
import { factTable, FactTable } from "./facts";
import { scanHistory } from "./history";
import { PlanProblemsError, type Problem } from "./problems";
import { add, ExactSum, fromNumber, mul, pow10, ratio, roundHalfUp, toDouble, type Rational } from "./rational";
import { balancePlan, deriveHolds, type BalanceOutput, type HeldEdge } from "./balance";
import type { PeriodSlot, WorkCalendar } from "./calendar";
import { activities, heldEdges, needsBalance, patterns, periodTotals, placeHolds, prorationOf, type PlacedHolds } from "./depth";
import type { HistoryScan } from "./history";
import { roundPlan, type RoundingOutput } from "./rounding";
import { buildTree, pathKey } from "./tree";
import { TIERS, type ExactAmounts, type PeriodInfo, type PlanInput, type PlanNode, type HoldRow, type PlanResult, type Tier, type TierValues, type WeightRow } from "./types";

/** x rounded to a multiple of unit, halves up, exactly (x and unit as decimals, unit > 0). */
export function roundToUnitExact(x: Rational, unit: Rational): Rational {
  const m = roundHalfUp(ratio(x, unit));
  return { n: m * unit.n, d: unit.d };
}

/** Rounds to a multiple of unit, halves up, on the decimals as written: 13,579.5 at Unit 100 is 13,600. */
export function roundToUnit(value: number, unit: number): number {
  const r = roundToUnitExact(fromNumber(value), fromNumber(unit));
  return numberOfQuanta(r.n, placesOf(r.d));
}

/** The decimal places of a power of ten (10^k → k). */
function placesOf(powerOfTen: bigint): number {
  return powerOfTen.toString().length - 1;
}

/**
 * History of the metric over [from, to]; month facts that straddle the edges count by their days
 * inside. `exact` is the same sum as an exact rational (the decimals as written, days as fractions).
 */
export function historyBetween(input: PlanInput, from: number, to: number): { sum: number; rows: number; exact: Rational } {
  let sum = 0;
  let rows = 0;
  const whole = new ExactSum();
  let parts: Rational = { n: 0n, d: 1n };
  const facts = factTable(input.history);
  const values = facts.measure(input.metric);
  for (let r = 0; r < facts.length; r++) {
    const start = facts.start[r];
    const end = facts.end[r];
    if (end < from || start > to) continue;
    const v = values ? values[r] : 0;
    const span = end - start + 1;
    const inside = Math.min(end, to) - Math.max(start, from) + 1;
    if (span === inside) {
      sum += v;
      if (v) whole.add(v);
    } else {
      sum += (v * inside) / span;
      if (v) parts = add(parts, mul(fromNumber(v), { n: BigInt(inside), d: BigInt(span) }));
    }
    rows++;
  }
  return { sum, rows, exact: add(whole.value, parts) };
}

/** The plan's tier totals exactly (decimals: d a power of ten): given, from Growth, or derived by FloorRatio / StretchRatio. */
function resolveTiers(input: PlanInput, problems: Problem[]): { totals: Partial<Record<Tier, Rational>>; tiers: Tier[] } {
  const totals: Partial<Record<Tier, Rational>> = {};
  for (const t of TIERS) {
    const v = input.tiers[t];
    if (v !== undefined) totals[t] = fromNumber(v);
  }
  const unit = fromNumber(input.unit);
  if (totals.target === undefined && input.growth !== undefined) {
    const from = addYears(input.start, -1);
    const to = addYears(input.end, -1);
    const base = historyBetween(input, from, to);
    if (!(base.exact.n > 0n)) {
      problems.push({
        ref: input.refs.growth ?? "Targets!A1",
        code: "growthWithoutHistory",
        args: { metric: input.metric, from: isoDate(from), to: isoDate(to) },
      });
    } else {
      totals.target = roundToUnitExact(mul(base.exact, add(fromNumber(1), fromNumber(input.growth))), unit);
    }
  }
  const target = totals.target;
  if (target !== undefined) {
    if (totals.floor === undefined && input.floorRatio !== undefined) totals.floor = roundToUnitExact(mul(target, fromNumber(input.floorRatio)), unit);
    if (totals.stretch === undefined && input.stretchRatio !== undefined) totals.stretch = roundToUnitExact(mul(target, fromNumber(input.stretchRatio)), unit);
    const above = (a: Rational, b: Rational): boolean => a.n * b.d > b.n * a.d;
    const floorAbove = totals.floor !== undefined && above(totals.floor, target);
    const stretchBelow = totals.stretch !== undefined && above(target, totals.stretch);
    if (floorAbove || stretchBelow) {
      const shown = (r: Rational | undefined): number | string => (r === undefined ? "—" : toDouble(r.n, r.d));
      problems.push({
        ref: (floorAbove ? input.refs.floor : input.refs.stretch) ?? input.refs.target ?? "Targets!A1",
        code: "tiersOutOfOrder",
        args: { floor: shown(totals.floor), target: toDouble(target.n, target.d), stretch: shown(totals.stretch) },
      });
    }
  }
  const tiers = TIERS.filter((t) => totals[t] !== undefined);
  return { totals, tiers };
}

/** The quantum: the most decimal places that the Unit, the tier totals and the locks are written with. */
function decimalsOf(input: PlanInput, totals: Partial<Record<Tier, Rational>>): number {
  let k = placesOf(fromNumber(input.unit).d);
  for (const t of TIERS) {
    const r = totals[t];
    if (r) k = Math.max(k, placesOf(r.d));
  }
  for (const w of input.weights) if (w.lock !== undefined) k = Math.max(k, placesOf(fromNumber(w.lock).d));
  for (const h of input.holds ?? []) if (Number.isFinite(h.amount)) k = Math.max(k, placesOf(fromNumber(h.amount).d));
  return k;
}

export function computePlan(planInput: PlanInput): PlanResult {
  // History as columns once, for every pass over it below.
  const input = planInput.history instanceof FactTable ? planInput : { ...planInput, history: FactTable.of(planInput.history) };
  const problems: Problem[] = [];
  const { totals: given, tiers } = resolveTiers(input, problems);
  const k = decimalsOf(input, given);
  const scale = pow10(k);
  const inQuanta = (r: Rational): bigint => (r.n * scale) / r.d;
  const U = inQuanta(fromNumber(input.unit));
  const givenQuanta: Partial<Record<Tier, bigint>> = {};
  for (const t of tiers) givenQuanta[t] = inQuanta(given[t] as Rational);
  // Whole Units up to 10^15 are exact as doubles; past that the plan cannot be held exactly.
  for (const t of tiers) {
    const q = givenQuanta[t] as bigint;
    if (q > MAX_UNITS * U) {
      problems.push({
        ref: input.refs[t] ?? input.refs.target ?? input.refs.growth ?? "Targets!A1",
        code: "amountTooLarge",
        args: { amount: numberOfQuanta(q, k), unit: input.unit },
      });
    }
  }
  const target = givenQuanta.target ?? 0n;
  // A tier the plan lacks is carried as Target through the shares, and never written.
  const totals: Record<Tier, bigint> = { floor: givenQuanta.floor ?? target, target, stretch: givenQuanta.stretch ?? target };

  const cal = makeCalendar(input.workdays, input.holidays);
  const scan = scanHistory(input);
  const slots = periodSlots(input, cal, scan.months);
  let weights = slots.map((s) => s.exactWeight);
  const sum = (xs: bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);
  if (!(sum(weights) > 0n)) weights = slots.map((s) => BigInt(s.workdays));
  const weightSum = sum(weights);
  if (!(weightSum > 0n)) {
    problems.push({
      ref: input.grain === "Stage" ? input.refs.stages ?? "Stages!A1" : input.refs.target ?? "Targets!A1",
      code: "noWorkingDays",
      args: { from: isoDate(input.start), to: isoDate(input.end) },
    });
  }

  // Members who join and leave, and holds (docs/planning-depth.md, "Engine"): the balanced path.
  const balancedPath = needsBalance(input);
  const labels = slots.map((s) => s.label);
  const placed = balancedPath ? placeHolds(input, k, U, labels, problems) : undefined;
  for (const h of placed?.planTotals ?? []) {
    const q = totals[h.tier];
    const r = fromNumber(h.amount);
    if (!(givenQuanta[h.tier] !== undefined && r.n * scale === q * r.d)) {
      problems.push({ ref: h.refs.amount, code: "holdNotPlanTotal", args: { amount: h.amount, total: numberOfQuanta(q, k), other: input.refs[h.tier] ?? input.refs.target ?? "Targets!A1" } });
    }
  }
  const depth = balancedPath ? { proration: prorationOf(input, cal), totalHolds: placed?.totals } : {};
  const { nodes, exact: nodeExact, approx, rows: nodeRows } = buildTree(input, totals, { decimals: k, unitQuanta: U }, problems, scan, depth);
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

  let rounded: RoundingOutput | null = null;
  let balance: BalanceOutput | null = null;
  let periodExact: Record<Tier, Rational[]> | null = null;
  if (balancedPath) {
    const out = balancedPlan(input, { nodes, leaves, slots, weights, weightSum, cal, scan, tiers, totals, U, k, nodeExact, placed: placed as PlacedHolds, rows: nodeRows }, problems);
    if (problems.length) throw new PlanProblemsError(problems);
    if (out) {
      balance = out.balance;
      periodExact = out.periodExact;
      rounded = out.balance;
    }
  }
  rounded ??= roundPlan({ nodes, leaves, exact: nodeExact, shareNumerators: weights, shareDenominator: weightSum, unitQuanta: U, tiers, approx });

  // The doubles the pipeline reads, each from the exact quanta.
  const units = new UnitScale(U, k);
  const P = slots.length;
  const exactForm: ExactAmounts = {
    decimals: k,
    unitQuanta: U,
    tiers: {},
    nodeUnits: {},
    cellUnits: {},
    periodUnits: {},
    nodeExact: {},
    shareNumerators: weights,
    shareDenominator: weightSum,
  };
  const cells = {} as Record<Tier, Float64Array>;
  const periodAmounts = {} as Record<Tier, Float64Array>;
  const cellCount = leaves.length * P;
  for (const t of tiers) {
    const r = rounded.tiers[t];
    if (!r) throw new Error(`rounding gave no ${t} tier`);
    exactForm.tiers[t] = { remainder: r.remainder, path: r.path };
    exactForm.nodeUnits[t] = r.nodeUnits;
    exactForm.cellUnits[t] = r.cellUnits;
    exactForm.periodUnits[t] = r.periodUnits;
    exactForm.nodeExact[t] = nodeExact[t];
    const onPath = new Set(r.path.nodes);
    for (let v = 0; v < nodes.length; v++) nodes[v].amount[t] = units.amount(r.nodeUnits[v], onPath.has(v) ? r.remainder : 0n);
    const c = units.amounts(r.cellUnits, new Float64Array(cellCount));
    if (r.remainder > 0n && r.path.cell >= 0) c[r.path.cell] = units.amount(r.cellUnits[r.path.cell], r.remainder);
    cells[t] = c;
    const pa = new Float64Array(P);
    for (let j = 0; j < P; j++) pa[j] = units.amount(r.periodUnits[j], j === r.path.period ? r.remainder : 0n);
    periodAmounts[t] = pa;
  }
  for (let v = 0; v < nodes.length; v++) {
    const exact = nodes[v].exact;
    for (const t of TIERS) if (!tiers.includes(t)) exact[t] = 0;
  }
  const divisor = 10 ** k;
  const periods: PeriodInfo[] = slots.map((s, j) => {
    const exact: TierValues = { floor: 0, target: 0, stretch: 0 };
    const amount: TierValues = { floor: 0, target: 0, stretch: 0 };
    for (const t of tiers) {
      exact[t] = periodExact ? toDouble(periodExact[t][j].n, periodExact[t][j].d) / divisor : toDouble(totals[t] * weights[j], weightSum) / divisor;
      amount[t] = periodAmounts[t][j];
    }
    return { label: s.label, start: s.start, end: s.end, days: s.days, workdays: s.workdays, share: toDouble(weights[j], weightSum), exact, amount };
  });
  // Zeros for a tier the plan does not have (one array for all of them).
  let zeros: Float64Array | undefined;
  const empty = (): Float64Array => (zeros ??= new Float64Array(cellCount));
  const planTotals: TierValues = { floor: 0, target: 0, stretch: 0 };
  for (const t of tiers) planTotals[t] = numberOfQuanta(totals[t], k);

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
    cells: { floor: cells.floor ?? empty(), target: cells.target ?? empty(), stretch: cells.stretch ?? empty() },
    totals: planTotals,
    exact: exactForm,
    rounding: { repairs: rounded.repairs, fallbacks: rounded.fallbacks, reproportioned: rounded.reproportioned },
    ...(balance ? { balance: balanceInfo(balance, leaves, P, tiers) } : {}),
  };
}

/** The balanced values of the leaves' cells (leaf-major, in Units) and the RAS figures, for checks and the bench. */
function balanceInfo(b: BalanceOutput, leaves: number[], P: number, tiers: Tier[]): NonNullable<PlanResult["balance"]> {
  const cells: Partial<Record<Tier, Float64Array>> = {};
  for (const t of tiers) {
    const src = b.balanced[t] as Float64Array;
    const out = new Float64Array(leaves.length * P);
    leaves.forEach((v, i) => out.set(src.subarray(v * P, v * P + P), i * P));
    cells[t] = out;
  }
  return { iterations: b.iterations, capped: b.capped, cells };
}

/**
 * What the holds need of each of the plan's periods (whole Units): Σ over the first level of each
 * node's hold there, else its members' needs, bottom up; null without holds. `rows` names a hold
 * that makes each need, for messages.
 */
function rootNeeds(nodes: PlanNode[], P: number, held: Map<number, HeldEdge> | undefined): (Float64Array & { rows: HoldRow[] }) | null {
  if (!held || !held.size) return null;
  const N = nodes.length;
  const needs = new Float64Array(N * P);
  const rows: HoldRow[] = [];
  for (let v = N - 1; v >= 1; v--) {
    for (let j = 0; j < P; j++) {
      const h = held.get(v * P + j);
      if (h) {
        needs[v * P + j] = h.units;
        rows[j] ??= h.row;
      } else for (const c of nodes[v].children) needs[v * P + j] += needs[c * P + j];
    }
  }
  const out = new Float64Array(P) as Float64Array & { rows: HoldRow[] };
  for (const c of nodes[0].children) for (let j = 0; j < P; j++) out[j] += needs[c * P + j];
  out.rows = rows;
  return out;
}

interface BalanceContext {
  nodes: PlanNode[];
  leaves: number[];
  slots: PeriodSlot[];
  weights: bigint[];
  weightSum: bigint;
  cal: WorkCalendar;
  scan: HistoryScan;
  tiers: Tier[];
  totals: Record<Tier, bigint>;
  U: bigint;
  k: number;
  nodeExact: Record<Tier, Rational[]>;
  placed: PlacedHolds;
  /** The Weights row the tree placed at each node. */
  rows?: (WeightRow | undefined)[];
}

/**
 * The balanced plan: period totals with the plan's period holds, each node's pattern × activity,
 * the node × period holds, then balancePlan. Null when nothing differs from the Shared plan (Own
 * seasonality where every pattern is the plan's, with no dated member and no hold).
 */
function balancedPlan(input: PlanInput, c: BalanceContext, problems: Problem[]): { balance: BalanceOutput; periodExact: Record<Tier, Rational[]> } | null {
  const { nodes, slots, tiers, U, k } = c;
  const P = slots.length;
  // The Weights row the tree placed at each node.
  const rows = c.rows ?? nodes.map(() => undefined);
  const act = activities(input, nodes, (v) => rows[v], slots, c.cal);
  const { seeds, same } = patterns(input, nodes, slots, c.cal, c.scan);
  if (same && !act && !(input.holds?.length)) return null;
  if (act) for (let e = 0; e < seeds.length; e++) seeds[e] *= act[e];
  let inactive: Uint8Array | undefined;
  if (act) {
    inactive = new Uint8Array(act.length);
    for (let e = 0; e < act.length; e++) inactive[e] = act[e] > 0 ? 0 : 1;
  }
  const planRef = (t: Tier): string => input.refs[t] ?? input.refs.target ?? "Targets!A1";
  const held = heldEdges(input, nodes, c.placed, slots.map((s) => s.label), U, k, problems);
  // Nodes whose members are all fixed in a period are held at their sum; so is the plan's period.
  for (const t of tiers) {
    const m = held[t];
    if (!m) continue;
    for (const [j, h] of deriveHolds(nodes, P, m, seeds)) {
      const periods = (c.placed.periods[t] ??= new Map());
      if (!periods.has(j)) {
        periods.set(j, { quanta: BigInt(h.units) * U, row: h.row });
        m.set(j, h);
      }
    }
  }
  // Target's period totals, then Floor's and Stretch's from Target's (so they follow its period holds).
  const periodExact = {} as Record<Tier, Rational[]>;
  const base = c.weights.map((w) => ({ n: w, d: c.weightSum }));
  // A period the holds below need more of than its share gives is raised to that need, the rest re-spread.
  const raise = (t: Tier, w: Rational[]): Rational[] | null => {
    const need = rootNeeds(nodes, P, held[t]);
    for (let round = 0; round <= P; round++) {
      const out = periodTotals(c.totals[t], w, c.placed.periods[t], planRef(t), problems);
      if (!out || !need) return out;
      let raised = false;
      out.forEach((q, j) => {
        const units = need[j];
        if (units > 0 && !c.placed.periods[t]?.has(j) && q.n < BigInt(units) * U * q.d) {
          const row = need.rows[j];
          (c.placed.periods[t] ??= new Map()).set(j, { quanta: BigInt(units) * U, row });
          // Held from now on: the remainder's path keeps off it.
          held[t]?.set(j, { units, row });
          raised = true;
        }
      });
      if (!raised) return out;
    }
    return null;
  };
  const target = raise("target", base);
  if (!target) return null;
  periodExact.target = target;
  const T = c.totals.target;
  for (const t of ["floor", "stretch"] as Tier[]) {
    const w = T > 0n ? target.map((q) => ({ n: q.n, d: q.d * T })) : base;
    const out = raise(t, w);
    if (!out) return null;
    periodExact[t] = out;
  }
  const heldTotals: Partial<Record<Tier, Map<number, HoldRow>>> = {};
  nodes.forEach((n, v) => {
    const list = c.placed.totals.get(pathKey(input.levels, n.path));
    for (const h of list ?? []) (heldTotals[h.tier] ??= new Map()).set(v, h);
  });
  if (problems.length) return null;
  const memberRef = (v: number): string => {
    const w = rows[v];
    return v === 0 ? planRef("target") : w?.refs.start ?? w?.refs.member ?? input.refs.weightsHeader ?? "Weights!A1";
  };
  const balance = balancePlan({ nodes, leaves: c.leaves, P, tiers, U, unit: input.unit, exact: c.nodeExact, periodExact, seeds, held, heldTotals, memberRef, inactive, activity: act ?? undefined, levels: input.levels, periodLabels: slots.map((s) => s.label) }, problems);
  if (!balance) return null;
  return { balance, periodExact };
}
