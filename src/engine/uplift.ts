/**
 * Over-assignment (Uplift / 超额分配; docs/planning-depth.md): `Uplift.Rep = 10%` makes every
 * team's reps add up to the team × 1.10, rounded to Unit, exactly — in every tier — while the
 * levels above keep their amounts. It is standard quota practice (team quota uplift): the
 * members' quotas cover more than the parent's, so the parent reaches its target even when
 * some of them miss theirs.
 *
 * How: the plan is computed as usual. Then, for the uplifted level, each parent p's amount in
 * each tier is taken to A'(p) = roundToUnit(A(p) × (1 + u)), exactly, from its quanta; the
 * parent's subtree keeps its shares (a locked member keeps its lock, the unlocked ones share
 * the rest in proportion to their exact values as planned; Floor and Stretch of a locked member
 * keep the proportion to their parent's that its Target has); and the tree is rounded again by
 * the plan's own controlled rounding (roundPlan) with every parent held at A'(p) — the
 * levels above summing the parents' A', so they are whole Units and held too. From that
 * rounding the uplifted level and everything below it are taken: the members, the leaf ×
 * period cells and the period totals (which are the columns of those cells). The root and
 * the levels above keep the plan's amounts. Several uplifted levels compose top-down: a
 * lower one uplifts the parents the upper one gave.
 *
 * The check (checkPlan) is then the totals check with one change: the members of a parent of
 * an uplifted level add up to roundToUnit(parent × (1 + u)), not to the parent; the periods add
 * up to the leaves' total. Every other rule holds as before: rows to their leaf, columns to
 * their period, exactly, with each amount within one Unit of its exact (uplifted) value and
 * Floor ≤ Target ≤ Stretch in every cell.
 */
import { amountQuanta, numberOfQuanta, UnitScale } from "./amounts";
import { checkTotals, type TotalsCheck } from "./check";
import { computePlan } from "./plan";
import { PlanProblemsError, type Problem } from "./problems";
import { fromNumber, roundHalfUp, toDouble, type Rational } from "./rational";
import { roundPlan, type TierRounding } from "./rounding";
import { spreadGroups } from "./splits";
import { TIERS, type ExactAmounts, type PlanInput, type PlanNode, type PlanResult, type Tier, type TierValues, type UpliftApplied } from "./types";

/** The uplifted levels of an input, top level first (a zero uplift changes nothing and is left out). */
export function upliftLevels(input: Pick<PlanInput, "levels" | "uplift">): UpliftApplied[] {
  const out: UpliftApplied[] = [];
  input.levels.forEach((level, index) => {
    const fraction = input.uplift?.[level];
    if (fraction !== undefined && fraction > 0) out.push({ level, index, fraction });
  });
  return out;
}

/** What Uplift cannot be combined with yet: rules whose cells do not follow one period pattern per plan. */
function unsupported(input: PlanInput): { what: string; whatZh: string } | undefined {
  if (input.seasonality === "Own") return { what: "Seasonality Own", whatZh: "各自季节性" };
  if (input.holds && input.holds.length > 0) return { what: "Holds", whatZh: "锁定值" };
  if (input.weights.some((w) => w.start !== undefined || w.end !== undefined || w.ramp !== undefined)) return { what: "members' Start, End or Ramp", whatZh: "人员的入职、离职或爬坡" };
  return undefined;
}

/** computePlan, then each Uplift level applied top-down. */
export function computeUpliftedPlan(input: PlanInput): PlanResult {
  const levels = upliftLevels(input);
  if (levels.length > 0) {
    const blocked = unsupported(input);
    if (blocked) {
      const ref = input.refs.uplift?.[levels[0].level] ?? "Settings!A1";
      throw new PlanProblemsError([{ ref, code: "upliftNotYetWith", args: blocked }]);
    }
  }
  let plan = computePlan(input);
  for (const u of levels) plan = applyUplift(plan, u, input.refs.uplift?.[u.level]);
  return plan;
}

/** roundToUnit(q × (1 + fraction)) in quanta, halves up, exactly. */
export function upliftedQuanta(quanta: bigint, fraction: number, unitQuanta: bigint): bigint {
  const f = fromNumber(fraction);
  // q × (d + n) / d, in Units, rounded half up.
  return roundHalfUp({ n: quanta * (f.d + f.n), d: f.d * unitQuanta }) * unitQuanta;
}

function depthsOf(nodes: readonly PlanNode[]): Int32Array {
  const depth = new Int32Array(nodes.length);
  for (let v = 1; v < nodes.length; v++) depth[v] = depth[nodes[v].parent] + 1;
  return depth;
}

function sumR(values: readonly Rational[]): Rational {
  let n = 0n;
  let d = 1n;
  for (const v of values) {
    if (v.d === d) n += v.n;
    else {
      n = n * v.d + v.n * d;
      d *= v.d;
    }
  }
  return reduceR({ n, d });
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b) [a, b] = [b, a % b];
  return a;
}

function reduceR(r: Rational): Rational {
  if (r.d === 1n || r.n === 0n) return r.n === 0n ? { n: 0n, d: 1n } : r;
  const g = gcd(r.n, r.d);
  return g === 1n ? r : { n: r.n / g, d: r.d / g };
}

/**
 * The plan with one more level uplifted: that level and those below rounded again under parents
 * raised to roundToUnit(parent × (1 + fraction)); the levels above as they were.
 */
export function applyUplift(plan: PlanResult, u: UpliftApplied, ref?: string): PlanResult {
  const exact = plan.exact;
  if (!exact) throw new RangeError("an uplift needs the plan's exact amounts");
  const { nodes, leaves, tiers } = plan;
  const U = exact.unitQuanta;
  const D = exact.decimals;
  const scale = 10n ** BigInt(D);
  const depth = depthsOf(nodes);
  const parentDepth = u.index; // the uplifted level's members are at depth index + 1
  const problems: Problem[] = [];

  const values = {} as Record<Tier, Rational[]>;
  for (const t of tiers) values[t] = new Array<Rational>(nodes.length);
  // Parents: their uplifted amounts, whole Units.
  for (let v = 0; v < nodes.length; v++) {
    if (depth[v] !== parentDepth) continue;
    for (const t of tiers) values[t][v] = { n: upliftedQuanta(amountQuanta(plan, t, "node", v), u.fraction, U), d: 1n };
  }
  // Below them: top-down, in depth-first order (a parent before its children), by the plan's shares.
  for (let v = 0; v < nodes.length; v++) {
    if (depth[v] < parentDepth || nodes[v].children.length === 0) continue;
    const kids = nodes[v].children;
    const locked = kids.filter((c) => nodes[c].lock !== undefined);
    const open = kids.filter((c) => nodes[c].lock === undefined);
    for (const t of tiers) {
      const whole = values[t][v];
      const lockedValues: Rational[] = [];
      for (const c of locked) {
        const lockQ = fromNumber(nodes[c].lock as number);
        const lockQuanta: Rational = { n: lockQ.n * scale, d: lockQ.d };
        let value: Rational;
        if (t === "target") value = lockQuanta;
        else {
          // Floor and Stretch of a locked member: its Target's proportion of the parent's Target.
          const target = values.target[v];
          value = target.n === 0n ? { n: 0n, d: 1n } : reduceR({ n: whole.n * lockQuanta.n * target.d, d: whole.d * lockQuanta.d * target.n });
        }
        values[t][c] = value;
        lockedValues.push(value);
      }
      const taken = sumR(lockedValues);
      const rest = reduceR({ n: whole.n * taken.d - taken.n * whole.d, d: whole.d * taken.d });
      if (rest.n < 0n || (open.length === 0 && rest.n > 0n)) {
        if (t === "target") problems.push({ ref: ref ?? "Settings!A1", code: "upliftLockedSiblings", args: { parent: Object.values(nodes[v].path).join(" / ") || "@plan", uplifted: numberOfQuanta(whole.n / whole.d, D) } });
        for (const c of open) values[t][c] = { n: 0n, d: 1n };
        continue;
      }
      const planned = exact.nodeExact[t] ?? exact.nodeExact.target!;
      const weights = open.map((c) => planned[c]);
      const weightSum = sumR(weights);
      for (let i = 0; i < open.length; i++) {
        const c = open[i];
        if (weightSum.n === 0n) values[t][c] = reduceR({ n: rest.n, d: rest.d * BigInt(open.length) });
        else values[t][c] = reduceR({ n: rest.n * weights[i].n * weightSum.d, d: rest.d * weights[i].d * weightSum.n });
      }
    }
  }
  if (problems.length) throw new PlanProblemsError(problems);
  // Above them: the sum of their children (whole Units), bottom-up.
  for (let v = nodes.length - 1; v >= 0; v--) {
    if (depth[v] >= parentDepth) continue;
    for (const t of tiers) {
      let n = 0n;
      for (const c of nodes[v].children) n += values[t][c].n / values[t][c].d;
      values[t][v] = { n, d: 1n };
    }
  }

  const divisor = 10 ** D;
  const treeNodes: PlanNode[] = nodes.map((n, v) => {
    const e: TierValues = { floor: 0, target: 0, stretch: 0 };
    for (const t of tiers) e[t] = toDouble(values[t][v].n, values[t][v].d) / divisor;
    return { ...n, exact: e, amount: { ...n.amount } };
  });
  const all = {} as Record<Tier, Rational[]>;
  for (const t of TIERS) all[t] = values[t] ?? values.target;
  let rounded = roundPlan({
    nodes: treeNodes,
    leaves,
    exact: all,
    shareNumerators: exact.shareNumerators,
    shareDenominator: exact.shareDenominator,
    unitQuanta: U,
    tiers,
  });
  // Floor or Stretch re-proportioned to Target's rounded values (tiers very close together) no
  // longer holds the parents at their own uplifted amounts: then every parent's leaves are
  // spread as rows held at it (spreadGroups), the levels between being the sums of their leaves.
  if (!parentsHeld(rounded.tiers, values, nodes, depth, parentDepth, tiers, U)) rounded = spreadUnderParents(plan, values, depth, parentDepth);

  // The result: the levels down to the parents as planned, the rest from the new rounding.
  const units = new UnitScale(U, D);
  const P = plan.periods.length;
  const out: ExactAmounts = { ...exact, tiers: {}, nodeUnits: {}, cellUnits: {}, periodUnits: {}, nodeExact: {} };
  const cells = { ...plan.cells };
  const resultNodes = nodes.map((n) => ({ ...n, exact: { ...n.exact }, amount: { ...n.amount } }));
  const periods = plan.periods.map((p) => ({ ...p, exact: { ...p.exact }, amount: { ...p.amount } }));
  for (const t of tiers) {
    const r = rounded.tiers[t];
    if (!r) throw new Error(`the uplift's rounding gave no ${t} tier`);
    const before = exact.tiers[t]!;
    const kept = before.path.nodes.filter((v) => depth[v] <= parentDepth);
    out.tiers[t] = { remainder: before.remainder, path: { nodes: kept, cell: -1, period: -1 } };
    const nodeUnits = Float64Array.from(exact.nodeUnits[t]!);
    const nodeExact = [...(exact.nodeExact[t] ?? [])];
    for (let v = 0; v < nodes.length; v++) {
      if (depth[v] <= parentDepth) continue;
      nodeUnits[v] = r.nodeUnits[v];
      nodeExact[v] = values[t][v];
      resultNodes[v].amount[t] = units.amount(r.nodeUnits[v]);
      resultNodes[v].exact[t] = treeNodes[v].exact[t];
    }
    out.nodeUnits[t] = nodeUnits;
    out.nodeExact[t] = nodeExact;
    out.cellUnits[t] = r.cellUnits;
    out.periodUnits[t] = r.periodUnits;
    cells[t] = units.amounts(r.cellUnits, new Float64Array(r.cellUnits.length));
    const total = values[t][0].n;
    for (let j = 0; j < P; j++) {
      periods[j].amount[t] = units.amount(r.periodUnits[j]);
      periods[j].exact[t] = toDouble(total * exact.shareNumerators[j], exact.shareDenominator) / divisor;
    }
  }
  return {
    ...plan,
    nodes: resultNodes,
    periods,
    cells,
    exact: out,
    uplift: [...(plan.uplift ?? []), u],
    rounding: {
      repairs: plan.rounding.repairs + rounded.repairs,
      fallbacks: plan.rounding.fallbacks + rounded.fallbacks,
      reproportioned: plan.rounding.reproportioned + rounded.reproportioned,
    },
  };
}

function parentsHeld(
  rounded: Partial<Record<Tier, TierRounding>>,
  values: Record<Tier, Rational[]>,
  nodes: readonly PlanNode[],
  depth: Int32Array,
  parentDepth: number,
  tiers: readonly Tier[],
  unitQuanta: bigint,
): boolean {
  for (const t of tiers) {
    const r = rounded[t];
    if (!r) return false;
    const U = r.nodeUnits;
    for (let v = 0; v < nodes.length; v++) {
      if (depth[v] !== parentDepth) continue;
      let sum = 0;
      for (const c of nodes[v].children) sum += U[c];
      // In Units; the parent's uplifted amount is a whole number of them.
      if (sum !== U[v] || BigInt(U[v]) * unitQuanta !== values[t][v].n) return false;
    }
  }
  return true;
}

/** Each parent's leaves as rows held at the parent's uplifted amount, spread over the periods by the plan's shares. */
function spreadUnderParents(
  plan: PlanResult,
  values: Record<Tier, Rational[]>,
  depth: Int32Array,
  parentDepth: number,
): { tiers: Partial<Record<Tier, TierRounding>>; repairs: number; fallbacks: number; reproportioned: number } {
  const { nodes, leaves, tiers } = plan;
  const exact = plan.exact!;
  const U = exact.unitQuanta;
  const P = plan.periods.length;
  const leafPos = new Map(leaves.map((v, i) => [v, i]));
  const parents: number[] = [];
  for (let v = 0; v < nodes.length; v++) if (depth[v] === parentDepth) parents.push(v);
  // The leaves under each parent: a contiguous run of plan.leaves (depth-first order).
  const runs = parents.map((p) => {
    const out: number[] = [];
    const stack = [p];
    while (stack.length) {
      const v = stack.pop() as number;
      if (nodes[v].children.length === 0) out.push(v);
      for (let k = nodes[v].children.length - 1; k >= 0; k--) stack.push(nodes[v].children[k]);
    }
    return out;
  });
  const spread = spreadGroups({
    unitQuanta: U,
    tiers,
    columnWeights: exact.shareNumerators,
    groups: parents.map((p, g) => ({
      rows: runs[g].length,
      amount: Object.fromEntries(tiers.map((t) => [t, values[t][p].n])) as Partial<Record<Tier, bigint>>,
      parts: Object.fromEntries(tiers.map((t) => [t, runs[g].map((leaf) => values[t][leaf])])) as Partial<Record<Tier, Rational[]>>,
    })),
  });
  const order = runs.flat();
  const out: Partial<Record<Tier, TierRounding>> = {};
  for (const t of tiers) {
    const units = spread.units[t] ?? spread.units.target!;
    const nodeUnits = new Float64Array(nodes.length);
    const cellUnits = new Float64Array(leaves.length * P);
    const periodUnits = new Float64Array(P);
    order.forEach((leaf, row) => {
      const i = leafPos.get(leaf) as number;
      let sum = 0;
      for (let j = 0; j < P; j++) {
        const x = units[row * P + j];
        cellUnits[i * P + j] = x;
        periodUnits[j] += x;
        sum += x;
      }
      nodeUnits[leaf] = sum;
    });
    // The levels between: the sums of their members, bottom-up; above, the parents' whole Units.
    for (let v = nodes.length - 1; v >= 0; v--) {
      if (nodes[v].children.length === 0) continue;
      let sum = 0;
      for (const c of nodes[v].children) sum += nodeUnits[c];
      nodeUnits[v] = sum;
    }
    out[t] = { nodeUnits, cellUnits, periodUnits, remainder: 0n, path: { nodes: [], cell: -1, period: -1 } };
  }
  return { tiers: out, repairs: 0, fallbacks: spread.fallbacks, reproportioned: spread.reproportioned };
}

/** Whether node v's members add up to roundToUnit(v × (1 + u)) in every tier, exactly. */
export function upliftAddsUpAt(r: PlanResult, u: UpliftApplied, v: number): boolean {
  if (!r.exact) return false;
  const U = u.unitQuanta ?? r.exact.unitQuanta;
  for (const t of r.tiers) {
    let sum = 0n;
    for (const c of r.nodes[v].children) sum += amountQuanta(r, t, "node", c);
    if (sum !== upliftedQuanta(amountQuanta(r, t, "node", v), u.fraction, U)) return false;
  }
  return true;
}

/** Whether every parent of the uplifted level has members adding up to roundToUnit(parent × (1 + u)), in every tier (the nodes only). */
export function upliftAddsUp(r: PlanResult, u: UpliftApplied): boolean {
  return r.nodes.every((node, v) => node.depth !== u.index || node.children.length === 0 || upliftAddsUpAt(r, u, v));
}

/** An uplift's line for the check, with the level's parent: `Rep` under `Team` at 10%. */
export interface UpliftCheck extends UpliftApplied {
  /** The parent level's name, or "" when the parent is the whole plan. */
  parent: string;
  ok: boolean;
}

export interface PlanCheck extends TotalsCheck {
  /** The uplifted levels and whether each adds up as it should. */
  uplift: UpliftCheck[];
}

/**
 * The totals check of a plan, uplift or not: without an uplift it is checkTotals; with one, the
 * same rules exactly except that a parent of an uplifted level has members adding up to
 * roundToUnit(parent × (1 + u)), and the periods add up to the leaves' total.
 */
export function checkPlan(r: PlanResult): PlanCheck {
  const ups = r.uplift ?? [];
  if (ups.length === 0) return { ...checkTotals(r), uplift: [] };
  const mismatches: string[] = [];
  const byIndex = new Map(ups.map((u) => [u.index, u]));
  const failed = new Set<number>();
  const depth = depthsOf(r.nodes);
  const P = r.periods.length;
  const U = r.exact!.unitQuanta;
  const name = (i: number): string => Object.values(r.nodes[i].path).join(" / ") || "the plan";
  for (const t of r.tiers) {
    const node = (v: number): bigint => amountQuanta(r, t, "node", v);
    for (let v = 0; v < r.nodes.length; v++) {
      const kids = r.nodes[v].children;
      if (!kids.length) continue;
      let sum = 0n;
      for (const c of kids) sum += node(c);
      const u = byIndex.get(depth[v]);
      const want = u ? upliftedQuanta(node(v), u.fraction, u.unitQuanta ?? U) : node(v);
      if (sum !== want) {
        mismatches.push(u ? `${t}: members of ${name(v)} × ${1 + u.fraction}` : `${t}: members of ${name(v)}`);
        if (u) failed.add(u.index);
      }
    }
    const columns = new Array<bigint>(P).fill(0n);
    let leavesTotal = 0n;
    r.leaves.forEach((leaf, i) => {
      let row = 0n;
      for (let j = 0; j < P; j++) {
        const q = amountQuanta(r, t, "cell", i * P + j);
        row += q;
        columns[j] += q;
      }
      const own = node(leaf);
      leavesTotal += own;
      if (row !== own) mismatches.push(`${t}: periods of ${name(leaf)}`);
    });
    let periods = 0n;
    for (let j = 0; j < P; j++) {
      const q = amountQuanta(r, t, "period", j);
      periods += q;
      if (columns[j] !== q) mismatches.push(`${t}: members in ${r.periods[j].label}`);
    }
    if (periods !== leavesTotal) mismatches.push(`${t}: periods of the plan`);
  }
  const uplift = ups.map((u) => ({ ...u, parent: u.index > 0 ? r.levels[u.index - 1] : "", ok: !failed.has(u.index) }));
  return { ok: mismatches.length === 0, mismatches, uplift };
}
