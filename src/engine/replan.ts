/**
 * The re-plan at AsOf (方法调整; docs/splits-and-replan.md): once some periods have ended, their
 * actuals become the plan of record, and what is left of each member's target is spread over the
 * periods still to come by the plan's own seasonality. The original plan stays as a version.
 *
 *  - **Ended periods.** A period has ended when its last day is on or before AsOf. Actuals through
 *    the last ended period's last day are counted (an AsOf inside a period counts up to the period
 *    before it); every tier of an ended cell is its actual.
 *  - **Remaining.** Each member's remaining target, per tier, is its target − its actual to date,
 *    and not below zero unless asked (ReplanNegative). With a pooling level (`Replan = Team`), each
 *    team's remaining gap — the team's target − the team's actual — is shared over its members
 *    by the chosen method: their own gaps (Gap, the default: a member far ahead is asked for
 *    nothing, and nobody for more than the team needs), their original targets (Target), or
 *    equally (Equal).
 *  - **Exactly.** The remaining amounts are spread by `spreadGroups` (splits.ts): every member's
 *    periods add up to its revised target, every period to its members, every remaining amount is
 *    a multiple of Unit except one cell per member (or team) and tier, which carries what the
 *    remaining target holds beyond a multiple of Unit, and every cell keeps Floor ≤ Target ≤ Stretch.
 *    The revised plan counts in quanta fine enough for both the plan and the actuals.
 */
import { amountQuanta, numberOfQuanta } from "./amounts";
import { isoDate } from "./dates";
import { PlanProblemsError, type Problem } from "./problems";
import { computeProgress } from "./progress";
import { ExactSum, fromNumber, pow10, toDouble, type Rational } from "./rational";
import { upliftedQuanta } from "./uplift";
import { remainingWeights, spreadBalanced } from "./replan-balanced";
import { leafRange, planScale, spreadCell, spreadGroups, type GroupSpread, type RowGroup } from "./splits";
import { TIERS, type DayNum, type ExactAmounts, type FactRow, type HoldRow, type PeriodInfo, type PlanInput, type PlanNode, type PlanResult, type Tier, type TierValues } from "./types";

/** How a pooled gap is shared over the members below: by their own gaps, their original targets, or equally. */
export type ReplanMethod = "Gap" | "Target" | "Equal";
export const REPLAN_METHODS: readonly ReplanMethod[] = ["Gap", "Target", "Equal"];

export interface ReplanOptions {
  asOf: DayNum;
  /** Where AsOf came from, for messages (`--as-of`, or the Settings cell). */
  asOfRef?: string;
  /** The level whose remaining gap is pooled and shared over its members; undefined for each member's own gap. */
  pool?: string;
  method?: ReplanMethod;
  /** Let a remaining target go below zero (a member ahead of target gives some back). */
  allowNegative?: boolean;
  /** The Replan setting's cell, for the problem when it names a level an uplifted plan cannot pool at. */
  poolRef?: string;
}

export interface ReplanResult {
  asOf: DayNum;
  /** The last day of the last period that had ended by AsOf: actuals up to and including it are the plan of record. */
  actualsThrough: DayNum;
  /** How many periods have ended (the first ones). */
  ended: number;
  pool?: string;
  method: ReplanMethod;
  allowNegative: boolean;
  original: PlanResult;
  /** The plan of record: actuals in the ended periods, the remaining target in the others. */
  revised: PlanResult;
  /** Per leaf position: the actual to date. */
  actual: Float64Array;
  /** The same exactly, in quanta of the revised plan (revised.exact.decimals). */
  actualQuanta: bigint[];
  /** Per leaf position and tier: the remaining target spread over the periods left. */
  remaining: Partial<Record<Tier, Float64Array>>;
  /**
   * A balanced plan's holds in the periods left (replan-balanced.ts): those kept exactly in the
   * revision, and those the remaining targets could not carry. Absent for a plan that is not balanced.
   */
  holds?: { kept: HoldRow[]; released: HoldRow[] };
}

const SWAP: Record<Tier, Tier> = { floor: "stretch", target: "target", stretch: "floor" };

/**
 * The revised plan at AsOf. Throws PlanProblemsError when no period has ended yet or none is
 * left (at AsOf's cell), or when the Actuals have problems (computeProgress's: rows outside the
 * plan, members the plan does not have, a member below zero, each at its row).
 */
export function computeReplan(input: PlanInput, plan: PlanResult, actuals: readonly FactRow[], options: ReplanOptions): ReplanResult {
  const { asOf } = options;
  const asOfRef = options.asOfRef ?? "Settings!A1";
  const method = options.method ?? "Gap";
  const allowNegative = options.allowNegative === true;
  const P = plan.periods.length;
  const L = plan.leaves.length;
  let ended = 0;
  while (ended < P && plan.periods[ended].end <= asOf) ended++;
  if (ended === 0) {
    throw new PlanProblemsError([{ ref: asOfRef, code: "replanNothingEnded", args: { asOf: isoDate(asOf), first: isoDate(plan.periods[0]?.end ?? plan.end) } }]);
  }
  if (ended === P) {
    throw new PlanProblemsError([{ ref: asOfRef, code: "replanNothingLeft", args: { asOf: isoDate(asOf), last: isoDate(plan.periods[P - 1].start) } }]);
  }
  const actualsThrough = plan.periods[ended - 1].end;
  // The Actuals' own problems, and the leaf each row counts to.
  const progress = computeProgress(input, plan, actuals, { asOf: actualsThrough, asOfRef });

  // Exact actuals per leaf and ended period.
  const periodOf = new Int32Array(actualsThrough - plan.start + 1).fill(-1);
  for (let j = 0; j < ended; j++) {
    const p = plan.periods[j];
    for (let d = Math.max(p.start, plan.start); d <= Math.min(p.end, actualsThrough); d++) periodOf[d - plan.start] = j;
  }
  const leafPos = new Map<number, number>();
  plan.leaves.forEach((leaf, i) => leafPos.set(leaf, i));
  const sums = new Map<number, ExactSum>();
  for (let r = 0; r < actuals.length; r++) {
    const leaf = progress.rowNodes[r];
    if (leaf < 0) continue;
    const row = actuals[r];
    const j = row.start >= plan.start && row.start <= actualsThrough ? periodOf[row.start - plan.start] : -1;
    if (j < 0) continue;
    const v = row.measures[plan.metric] ?? 0;
    if (!v) continue;
    const cell = leafPos.get(leaf)! * P + j;
    let s = sums.get(cell);
    if (!s) sums.set(cell, (s = new ExactSum()));
    s.add(v);
  }
  const exactActuals = new Map<number, Rational>();
  const scale = planScale(plan);
  let decimals = scale.decimals;
  for (const [cell, s] of sums) {
    const v = s.value;
    exactActuals.set(cell, v);
    decimals = Math.max(decimals, placesOf(v.d));
  }
  const up = pow10(decimals - scale.decimals);
  const U = scale.unitQuanta * up;
  const inQuanta = (v: Rational): bigint => v.n * (pow10(decimals) / v.d);
  const tiers = TIERS.filter((t) => plan.tiers.includes(t));

  // Actual to date and original targets per leaf, in quanta.
  const actualQ = new Array<bigint>(L).fill(0n);
  const endedQ = new Map<number, bigint>();
  for (const [cell, v] of exactActuals) {
    const q = inQuanta(v);
    endedQ.set(cell, q);
    actualQ[Math.floor(cell / P)] += q;
  }
  const originalOf = (t: Tier, node: number): bigint => (plan.exact ? amountQuanta(plan, t, "node", node) * up : BigInt(Math.round(plan.nodes[node].amount[t] * 10 ** decimals)));

  // What remains per leaf and tier (may be below zero when allowed), and how it is grouped.
  const groups: { rows: number; amount: Record<Tier, bigint>; parts: Record<Tier, Rational[]> }[] = [];
  // A balanced plan: each member's remaining amount follows its own original cells in the periods
  // left; a member with none there (it has left) carries nothing more.
  const ownWeights = plan.balance ? remainingWeights(plan, ended, decimals) : undefined;
  const carries = (i: number): boolean => !ownWeights || ownWeights[i].some((w) => w > 0n);
  let poolDepth = options.pool === undefined ? plan.levels.length : plan.levels.indexOf(options.pool) + 1;
  if (poolDepth <= 0) throw new RangeError(`"${options.pool}" is not a level of the plan`);
  // Uplift (超额分配): what is left of each uplifted parent's quotas is pooled over its members, so
  // that they still add up to roundToUnit(parent × (1 + u)), at the original plan's Unit.
  const uplift = upliftOfReplan(input, plan, options, poolDepth);
  const revisedParents = new Map<number, Record<Tier, bigint>>();
  if (uplift) poolDepth = uplift.index;
  if (poolDepth >= plan.levels.length) {
    plan.leaves.forEach((leaf, i) => {
      const amount = {} as Record<Tier, bigint>;
      const parts = {} as Record<Tier, Rational[]>;
      for (const t of tiers) {
        let v = originalOf(t, leaf) - actualQ[i];
        if ((v < 0n && !allowNegative) || !carries(i)) v = 0n;
        amount[t] = v;
        parts[t] = [{ n: v, d: 1n }];
      }
      groups.push({ rows: 1, amount, parts });
    });
  } else {
    plan.nodes.forEach((node, n) => {
      if (node.depth !== poolDepth) return;
      const [from, to] = leafRange(plan, n);
      if (to <= from) return;
      const amount = {} as Record<Tier, bigint>;
      const parts = {} as Record<Tier, Rational[]>;
      let actual = 0n;
      for (let i = from; i < to; i++) actual += actualQ[i];
      const targets = (t: Tier): bigint[] => Array.from({ length: to - from }, (_, k) => originalOf(t, plan.leaves[from + k]));
      const targetShares = targets("target");
      // Uplifted: the parent keeps its own target, raised (to a multiple of Unit) only as far as
      // its members' actual needs for its quotas to cover it; the members share its quotas' gap.
      const parentAmount = uplift ? revisedParent(tiers, (t) => originalOf(t, n), actual, uplift.fraction, U, allowNegative) : undefined;
      if (parentAmount) revisedParents.set(n, parentAmount);
      for (const t of tiers) {
        let gap = (parentAmount ? upliftedQuanta(parentAmount[t], uplift!.fraction, U) : originalOf(t, n)) - actual;
        if (gap < 0n && !allowNegative) gap = 0n;
        amount[t] = gap;
        let bases: bigint[];
        if (method === "Equal") bases = targetShares.map(() => 1n);
        else if (method === "Target" || gap < 0n) bases = targetShares.map((x) => (x > 0n ? x : 0n));
        else bases = targets(t).map((x, k) => (x - actualQ[from + k] > 0n ? x - actualQ[from + k] : 0n));
        if (ownWeights) bases = bases.map((b, k) => (carries(from + k) ? b : 0n));
        let sum = bases.reduce((a, b) => a + b, 0n);
        if (!(sum > 0n)) {
          bases = bases.map((_, k) => (carries(from + k) ? 1n : 0n));
          sum = bases.reduce((a, b) => a + b, 0n);
        }
        if (!(sum > 0n)) {
          gap = 0n;
          amount[t] = 0n;
          bases = bases.map(() => 1n);
          sum = BigInt(bases.length);
        }
        parts[t] = bases.map((b) => ({ n: gap * b, d: sum }));
      }
      // The team's gap in whole quanta per member, the tiers in order: a member whose basis is zero
      // (at or past its target, by the Gap method) is given exactly nothing, not even a remainder.
      const shared = shareInQuanta(to - from, amount, parts, tiers);
      for (let k = 0; k < to - from; k++) {
        const own = {} as Record<Tier, bigint>;
        const ownParts = {} as Record<Tier, Rational[]>;
        for (const t of tiers) {
          own[t] = shared[t][k];
          ownParts[t] = [{ n: shared[t][k], d: 1n }];
        }
        groups.push({ rows: 1, amount: own, parts: ownParts });
      }
    });
  }

  // Spread: the parts above zero in one run, those below (as magnitudes, tiers swapped so they stay in order) in another.
  const weights = plan.exact ? plan.exact.shareNumerators.slice(ended) : plan.periods.slice(ended).map((p) => BigInt(Math.round(p.share * 1e15)));
  const side = (sign: 1n | -1n): GroupSpread | undefined => {
    const flip = (t: Tier): Tier => (sign > 0n ? t : SWAP[t]);
    let any = false;
    const runGroups: RowGroup[] = groups.map((g) => {
      const amount: Partial<Record<Tier, bigint>> = {};
      const parts: Partial<Record<Tier, Rational[]>> = {};
      for (const t of tiers) {
        const a = g.amount[t] * sign;
        amount[flip(t)] = a > 0n ? a : 0n;
        if (a > 0n) any = true;
        parts[flip(t)] = g.parts[t].map((p) => (p.n * sign > 0n ? { n: p.n * sign, d: p.d } : { n: 0n, d: 1n }));
      }
      if (amount.target === undefined) {
        amount.target = 0n;
        parts.target = g.parts.target.map(() => ({ n: 0n, d: 1n }));
      }
      return g.rows === 1 ? { rows: 1, amount } : { rows: g.rows, amount, parts };
    });
    if (!any && sign < 0n) return undefined;
    const runTiers = tiers.map(flip);
    if (!runTiers.includes("target")) runTiers.push("target");
    return spreadGroups({ unitQuanta: U, tiers: runTiers, columnWeights: weights, groups: runGroups });
  };
  const R = P - ended;
  const balanced = ownWeights
    ? spreadBalanced({ plan, ended, decimals, U, tiers, amounts: groups.map((g) => g.amount), holds: input.holds ?? [] })
    : undefined;
  const above = balanced ? undefined : side(1n)!;
  const below = !balanced && allowNegative ? side(-1n) : undefined;
  const remainingCell = (t: Tier, i: number, k: number): bigint => {
    if (balanced) return balanced.cells[t][i * R + k];
    let q = spreadCell(above!, t, i * R + k);
    if (below) q -= spreadCell(below, SWAP[t], i * R + k);
    return q;
  };

  // The revised plan, in quanta.
  const problems: Problem[] = [];
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  let largest = 0n;
  const cellQ = {} as Record<Tier, Float64Array>;
  const periodQ = {} as Record<Tier, bigint[]>;
  const nodeQ = {} as Record<Tier, bigint[]>;
  for (const t of tiers) {
    const cells = new Float64Array(L * P);
    const periods = new Array<bigint>(P).fill(0n);
    const nodes = new Array<bigint>(plan.nodes.length).fill(0n);
    for (let i = 0; i < L; i++) {
      let row = 0n;
      for (let j = 0; j < P; j++) {
        const q = j < ended ? (endedQ.get(i * P + j) ?? 0n) : remainingCell(t, i, j - ended);
        cells[i * P + j] = Number(q);
        periods[j] += q;
        row += q;
        const size = q < 0n ? -q : q;
        if (size > largest) largest = size;
      }
      for (let n = plan.leaves[i]; n >= 0; n = plan.nodes[n].parent) nodes[n] += row;
    }
    if (uplift) {
      // The uplifted parents at their revised own targets, the levels above summing them.
      for (let n = plan.nodes.length - 1; n >= 0; n--) {
        const depth = plan.nodes[n].depth;
        if (depth > uplift.index) continue;
        if (depth === uplift.index) nodes[n] = revisedParents.get(n)?.[t] ?? 0n;
        else {
          let sum = 0n;
          for (const c of plan.nodes[n].children) sum += nodes[c];
          nodes[n] = sum;
        }
      }
    }
    for (const q of [...nodes, ...periods]) if ((q < 0n ? -q : q) > largest) largest = q < 0n ? -q : q;
    // Amounts are held as whole quanta in doubles: each must be a safe integer.
    if (largest > limit && problems.length === 0) {
      problems.push({ ref: input.refs[t] ?? input.refs.target ?? "Targets!A1", code: "replanTooFine", args: { decimals } });
    }
    cellQ[t] = cells;
    periodQ[t] = periods;
    nodeQ[t] = nodes;
  }
  if (problems.length) throw new PlanProblemsError(problems);

  const revised = revisedPlan(plan, tiers, decimals, cellQ, periodQ, nodeQ);
  if (uplift) revised.uplift = [{ level: uplift.level, index: uplift.index, fraction: uplift.fraction, unitQuanta: U }];
  const actual = Float64Array.from(actualQ, (q) => numberOfQuanta(q, decimals));
  const remaining: Partial<Record<Tier, Float64Array>> = {};
  for (const t of tiers) remaining[t] = Float64Array.from(plan.leaves, (leaf, i) => numberOfQuanta(nodeQ[t][leaf] - actualQ[i], decimals));
  return { asOf, actualsThrough, ended, ...(options.pool !== undefined && poolDepth < plan.levels.length ? { pool: options.pool } : {}), method, allowNegative, original: plan, revised, actual, actualQuanta: actualQ, remaining, ...(balanced ? { holds: { kept: balanced.kept, released: balanced.released } } : {}) };
}

/**
 * A gap shared over `rows` members by their exact parts, rounded to whole quanta: each member
 * within one quantum of its part, adding up to the gap, Floor ≤ Target ≤ Stretch for each member
 * (a one-column spread at a Unit of one quantum; gaps below zero as magnitudes, tiers swapped).
 */
function shareInQuanta(rows: number, amount: Record<Tier, bigint>, parts: Record<Tier, Rational[]>, tiers: Tier[]): Record<Tier, bigint[]> {
  const out = {} as Record<Tier, bigint[]>;
  for (const t of tiers) out[t] = new Array<bigint>(rows).fill(0n);
  for (const sign of [1n, -1n]) {
    const flip = (t: Tier): Tier => (sign > 0n ? t : SWAP[t]);
    const runAmount: Partial<Record<Tier, bigint>> = { target: 0n };
    const runParts: Partial<Record<Tier, Rational[]>> = { target: Array.from({ length: rows }, () => ({ n: 0n, d: 1n })) };
    let any = false;
    for (const t of tiers) {
      const a = amount[t] * sign;
      runAmount[flip(t)] = a > 0n ? a : 0n;
      if (a > 0n) any = true;
      runParts[flip(t)] = parts[t].map((p) => (p.n * sign > 0n ? { n: p.n * sign, d: p.d } : { n: 0n, d: 1n }));
    }
    if (!any) continue;
    const runTiers = tiers.map(flip);
    if (!runTiers.includes("target")) runTiers.push("target");
    const spread = spreadGroups({ unitQuanta: 1n, tiers: runTiers, columnWeights: [1n], groups: [rows === 1 ? { rows, amount: runAmount } : { rows, amount: runAmount, parts: runParts }] });
    for (const t of tiers) for (let k = 0; k < rows; k++) out[t][k] += sign * spreadCell(spread, flip(t), k);
  }
  return out;
}

function placesOf(d: bigint): number {
  let k = 0;
  for (let x = d; x > 1n; x /= 10n) k++;
  return k;
}

/** The revised PlanResult: the original's tree and periods with the revised amounts, exact in quanta (Unit one quantum). */
function revisedPlan(
  plan: PlanResult,
  tiers: Tier[],
  decimals: number,
  cellQ: Record<Tier, Float64Array>,
  periodQ: Record<Tier, bigint[]>,
  nodeQ: Record<Tier, bigint[]>,
): PlanResult {
  const value = (q: bigint): number => numberOfQuanta(q, decimals);
  const exact: ExactAmounts = {
    decimals,
    unitQuanta: 1n,
    tiers: {},
    nodeUnits: {},
    cellUnits: {},
    periodUnits: {},
    nodeExact: {},
    shareNumerators: [],
    shareDenominator: 1n,
  };
  const cells = {} as Record<Tier, Float64Array>;
  for (const t of tiers) {
    exact.tiers[t] = { remainder: 0n, path: { nodes: [], cell: -1, period: -1 } };
    exact.cellUnits[t] = cellQ[t];
    exact.nodeUnits[t] = Float64Array.from(nodeQ[t], Number);
    exact.periodUnits[t] = Float64Array.from(periodQ[t], Number);
    exact.nodeExact[t] = nodeQ[t].map((n) => ({ n, d: 1n }));
    cells[t] = Float64Array.from(cellQ[t], (q) => numberOfQuanta(BigInt(q), decimals));
  }
  // The periods' shares of their own total (in an uplifted plan, the members' quotas, not the root).
  const total = periodQ.target.reduce((a, b) => a + b, 0n);
  exact.shareNumerators = total > 0n ? [...periodQ.target] : periodQ.target.map(() => 1n);
  exact.shareDenominator = total > 0n ? total : BigInt(Math.max(1, plan.periods.length));
  const amounts = (q: Record<Tier, bigint[]>, i: number): TierValues => {
    const out: TierValues = { floor: 0, target: 0, stretch: 0 };
    for (const t of tiers) out[t] = value(q[t][i]);
    return out;
  };
  const nodes: PlanNode[] = plan.nodes.map((n, i) => ({ ...n, path: n.path, children: n.children, exact: amounts(nodeQ, i), amount: amounts(nodeQ, i) }));
  const periods: PeriodInfo[] = plan.periods.map((p, j) => ({
    ...p,
    share: toDouble(exact.shareNumerators[j], exact.shareDenominator),
    exact: amounts(periodQ, j),
    amount: amounts(periodQ, j),
  }));
  const empty = new Float64Array(plan.leaves.length * plan.periods.length);
  const out: PlanResult = {
    ...plan,
    nodes,
    periods,
    cells: { floor: cells.floor ?? empty, target: cells.target ?? empty, stretch: cells.stretch ?? empty },
    totals: amounts(nodeQ, 0),
    exact,
  };
  // The revision is not balanced itself: the original's balanced values do not describe its cells.
  delete out.balance;
  return out;
}

/**
 * The uplift a re-plan keeps (docs/planning-depth.md): one level at most, pooled at its parents.
 * A Replan level other than the parents' is a problem at the Replan cell; a second uplifted level
 * one at its Uplift cell.
 */
function upliftOfReplan(input: PlanInput, plan: PlanResult, options: ReplanOptions, poolDepth: number): { level: string; index: number; fraction: number } | undefined {
  const ups = plan.uplift ?? [];
  if (ups.length === 0) return undefined;
  if (ups.length > 1) {
    throw new PlanProblemsError([{ ref: input.refs.uplift?.[ups[1].level] ?? "Settings!A1", code: "upliftReplanLevels", args: { level: plan.levelLabels[ups[1].index] ?? ups[1].level } }]);
  }
  const u = ups[0];
  if (options.pool !== undefined && poolDepth !== u.index) {
    const parent = u.index > 0 ? (plan.levelLabels[u.index - 1] ?? plan.levels[u.index - 1]) : undefined;
    throw new PlanProblemsError([
      {
        ref: options.poolRef ?? input.refs.uplift?.[u.level] ?? "Settings!A1",
        code: "upliftReplanPool",
        args: { level: plan.levelLabels[u.index] ?? u.level, parent: parent ?? "the plan", parentZh: parent ?? "总目标" },
      },
    ]);
  }
  return { level: u.level, index: u.index, fraction: u.fraction };
}

/**
 * An uplifted parent's revised own target per tier: its original, or — when its members' actual
 * to date is more than its quotas, roundToUnit(original × (1 + u)), and nothing may go below zero
 * — the least multiple of Unit whose quotas cover the actual. The tiers stay in order (one raise
 * for all of them).
 */
function revisedParent(tiers: readonly Tier[], original: (t: Tier) => bigint, actual: bigint, fraction: number, U: bigint, allowNegative: boolean): Record<Tier, bigint> {
  const out = {} as Record<Tier, bigint>;
  let raised: bigint | undefined;
  const least = (): bigint => {
    if (raised !== undefined) return raised;
    // Start just below actual ÷ (1 + u) and step up by Unit: a few steps at most.
    const f = fromNumber(fraction);
    let m = actual <= 0n ? 0n : ((actual * f.d) / (f.d + f.n) / U - 2n) * U;
    if (m < 0n) m = 0n;
    while (upliftedQuanta(m, fraction, U) < actual) m += U;
    return (raised = m);
  };
  for (const t of tiers) {
    const own = original(t);
    if (allowNegative || upliftedQuanta(own, fraction, U) >= actual) out[t] = own;
    else {
      const m = least();
      out[t] = m > own ? m : own;
    }
  }
  // A tier kept at its own amount may now be below a raised tier before it (Target raised to 90
  // over a Stretch of 81 whose quotas already cover the actual): it rises to that tier's amount.
  for (let k = 1; k < tiers.length; k++) if (out[tiers[k]] < out[tiers[k - 1]]) out[tiers[k]] = out[tiers[k - 1]];
  return out;
}
