/**
 * Shares at each level (CONTRACT §4.1): the organisation tree from History (and Weights),
 * each node's basis and share of its parent, locks, and the exact proportional value per tier.
 *
 * Exact values are rationals in quanta (see ExactAmounts): bases are decimals as written (History
 * sums kept exact, weights, 1 for an equal split), brought to whole numbers per sibling group, so
 * a child's value is the parent's rest × its basis ÷ the group's sum, with no rounding anywhere.
 */
import { scanHistory, type HistoryScan } from "./history";
import { PLAN_TOKEN, type Problem } from "./problems";
import { fromNumber, toDouble, type Rational } from "./rational";
import { TIERS, type HoldRow, type Method, type PlanInput, type PlanNode, type Tier, type TierValues, type WeightRow } from "./types";

const SEP = "\u0001";
const ZERO_Q: Rational = { n: 0n, d: 1n };

interface Draft {
  path: Record<string, string>;
  depth: number;
  parent: number;
  children: number[];
  member: string;
  level: string;
  history: number;
  /** The History sum exactly (set after the pass over History). */
  historyExact: Rational;
  weightRow: WeightRow | undefined;
}

/**
 * Builds the tree in depth-first order, members in order of first appearance (History, then
 * Weights), from the member paths of the pass over History with their sums.
 */
function draftTree(input: PlanInput, scan: HistoryScan, problems: Problem[]): Draft[] {
  const { levels } = input;
  const drafts: Draft[] = [{ path: {}, depth: 0, parent: -1, children: [], member: "", level: "", history: 0, historyExact: ZERO_Q, weightRow: undefined }];
  // Children of each draft by member name (made when the draft gets its first child).
  const kidsByName: (Map<string, number> | undefined)[] = [undefined];
  const child = (parent: number, level: string, member: string): number => {
    let byName = kidsByName[parent];
    if (!byName) kidsByName[parent] = byName = new Map();
    let i = byName.get(member);
    if (i === undefined) {
      const p = drafts[parent];
      i = drafts.length;
      drafts.push({
        path: { ...p.path, [level]: member },
        depth: p.depth + 1,
        parent,
        children: [],
        member,
        level,
        history: 0,
        historyExact: ZERO_Q,
        weightRow: undefined,
      });
      kidsByName.push(undefined);
      p.children.push(i);
      byName.set(member, i);
    }
    return i;
  };

  // The paths in order of first appearance make the drafts in the order History first names them.
  // A path shares its first members with the path before it, as often as not: those drafts are kept.
  const depth = levels.length;
  const chain = new Array<number>(depth + 1).fill(0);
  let previous: string[] = [];
  for (let id = 0; id < scan.paths.length; id++) {
    const path = scan.paths[id];
    let l = 0;
    while (l < path.length && l < previous.length && path[l] === previous[l]) l++;
    for (; l < path.length; l++) chain[l + 1] = child(chain[l], levels[l], path[l]);
    previous = path;
    if (path.length === depth) {
      const d = drafts[chain[depth]];
      d.history = scan.sums[id];
      d.historyExact = scan.exact[id];
    }
  }
  // Each member's sum is its members' (drafts come after their parent); the plan's is History's, in
  // its order. Sums that are exact as doubles (whole numbers, below 2^53) are exact as they are.
  for (let i = drafts.length - 1; i > 0; i--) {
    const d = drafts[i];
    if (d.depth === depth) continue;
    let sum = 0;
    for (const c of d.children) sum += drafts[c].history;
    d.history = sum;
    d.historyExact = scan.exactAsDoubles ? { n: BigInt(sum), d: 1n } : sumOfChildren(drafts, d);
  }
  drafts[0].history = scan.total;
  drafts[0].historyExact = scan.exactAsDoubles ? { n: BigInt(scan.total), d: 1n } : sumOfChildren(drafts, drafts[0]);

  // Place Weights rows: by their parent columns when given, else by a unique member name at their
  // level among the members History names (the index is made on the first such row).
  let byLevelMember: Map<string, number[]> | undefined;
  const fromHistory = drafts.length;
  const named = (level: string, member: string): number[] => {
    if (!byLevelMember) {
      byLevelMember = new Map();
      for (let i = 1; i < fromHistory; i++) {
        const k = drafts[i].level + SEP + drafts[i].member;
        const list = byLevelMember.get(k);
        if (list) list.push(i); else byLevelMember.set(k, [i]);
      }
    }
    return byLevelMember.get(level + SEP + member) ?? [];
  };
  for (const w of input.weights) {
    const depth = levels.indexOf(w.level) + 1;
    if (depth === 0) continue; // the contract reports Weights rows for levels not in Levels
    let target: number | undefined;
    const parents = levels.slice(0, depth - 1);
    if (parents.length === 0) {
      target = child(0, w.level, w.member);
    } else if (parents.every((p) => w.parents?.[p])) {
      let at = 0;
      for (const p of parents) at = child(at, p, (w.parents as Record<string, string>)[p]);
      target = child(at, w.level, w.member);
    } else {
      const found = named(w.level, w.member).filter((i) =>
        parents.every((p) => !w.parents?.[p] || drafts[i].path[p] === w.parents[p]),
      );
      if (found.length === 1) target = found[0];
      else if (found.length === 0) {
        problems.push({ ref: w.refs.member, code: "unknownWeightMember", args: { level: w.level, member: w.member } });
      } else {
        const names = found.map((i) => parents.map((p) => drafts[i].path[p]).join(" / ")).join("; ");
        problems.push({ ref: w.refs.member, code: "ambiguousWeightMember", args: { level: w.level, member: w.member, parents: names } });
      }
    }
    if (target !== undefined) drafts[target].weightRow = w;
  }
  // A member placed only through Weights above the leaf level still needs leaves below it.
  return depthFirst(drafts);
}

/** The exact sum of a draft's members' History. */
function sumOfChildren(drafts: Draft[], d: Draft): Rational {
  let exact = ZERO_Q;
  for (const c of d.children) exact = addDecimals(exact, drafts[c].historyExact);
  return exact;
}

/**
 * a + b for decimals (denominators powers of ten), over the larger denominator: the sum an
 * ExactSum of both sets of values gives.
 */
function addDecimals(a: Rational, b: Rational): Rational {
  if (a.d === b.d) return { n: a.n + b.n, d: a.d };
  return a.d > b.d ? { n: a.n + b.n * (a.d / b.d), d: a.d } : { n: a.n * (b.d / a.d) + b.n, d: b.d };
}

/** Re-orders drafts depth-first (children after their parent, siblings in insertion order), renumbering them in place. */
function depthFirst(drafts: Draft[]): Draft[] {
  const order: number[] = [];
  const stack = [0];
  while (stack.length) {
    const i = stack.pop() as number;
    order.push(i);
    const kids = drafts[i].children;
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]);
  }
  const newIndex = new Int32Array(drafts.length);
  order.forEach((old, pos) => (newIndex[old] = pos));
  for (const d of drafts) {
    if (d.parent >= 0) d.parent = newIndex[d.parent];
    const kids = d.children;
    for (let k = 0; k < kids.length; k++) kids[k] = newIndex[kids[k]];
  }
  return order.map((old) => drafts[old]);
}

/** The method each level is split by: Settings, else Weights where the Weights table gives weights for the level, else History. */
export function levelMethods(input: PlanInput): Record<string, Method> {
  const out: Record<string, Method> = {};
  for (const level of input.levels) {
    // A Weight on a member with Start, End or Ramp is a new member's basis; it does not make the level weight-based.
    const hasWeights = input.weights.some((w) => w.level === level && w.weight !== undefined && !dated(w));
    out[level] = input.methods[level] ?? (hasWeights ? "Weights" : "History");
  }
  return out;
}

const zeroTiers = (): TierValues => ({ floor: 0, target: 0, stretch: 0 });

/** How amounts are counted: quanta of 10^-decimals, and the Unit in quanta. */
export interface Quantum {
  decimals: number;
  unitQuanta: bigint;
}

/** Exact node values per tier, in quanta, index-aligned with the nodes. */
export type ExactValues = Record<Tier, Rational[]>;

export interface Tree {
  nodes: PlanNode[];
  exact: ExactValues;
  /** Each exact value in quanta as a double (rational.toDouble: within 4 units in the last place), per tier; empty when there are problems. */
  approx: Record<Tier, Float64Array>;
  /** The Weights row placed at each node (index-aligned with nodes), if any. */
  rows?: (WeightRow | undefined)[];
}

/**
 * The tree with bases, shares and exact values (not yet rounded). `totals` are the plan's exact
 * tier totals in quanta; a tier the plan does not have is carried as a copy of Target and dropped later.
 */
/**
 * Members who join and leave, and holds of node totals (docs/planning-depth.md, "Engine"): what
 * buildTree needs beyond PlanInput. `proration` gives a member's active share of the plan (its
 * active working days × ramp ÷ the plan's working days) for a Weights row with Start / End / Ramp;
 * `totalHolds` the Holds rows of node totals by path key (levels' members joined by U+0001).
 */
export interface TreeDepth {
  proration?: (row: WeightRow) => Rational | undefined;
  totalHolds?: Map<string, HoldRow[]>;
}

/** The key of a node's path in TreeDepth.totalHolds. */
export function pathKey(levels: readonly string[], path: Record<string, string>): string {
  const parts: string[] = [];
  for (const l of levels) {
    const m = path[l];
    if (m === undefined) break;
    parts.push(m);
  }
  return parts.join(SEP);
}

export function buildTree(input: PlanInput, totals: Record<Tier, bigint>, quantum: Quantum, problems: Problem[], scan: HistoryScan = scanHistory(input), depth: TreeDepth = {}): Tree {
  const drafts = draftTree(input, scan, problems);
  const methods = levelMethods(input);
  const nodes: PlanNode[] = drafts.map((d) => ({
    path: d.path,
    depth: d.depth,
    parent: d.parent,
    children: d.children,
    member: d.member,
    level: d.level,
    basisKind: "History",
    basis: d.history,
    share: 1,
    lock: d.weightRow?.lock ?? targetHold(depth, input.levels, d.path)?.amount,
    exact: zeroTiers(),
    amount: zeroTiers(),
  }));
  const exact = {} as ExactValues;
  for (const t of TIERS) {
    exact[t] = new Array<Rational>(nodes.length).fill(ZERO_Q);
    exact[t][0] = { n: totals[t], d: 1n };
  }

  for (let l = 0; l < input.levels.length; l++) {
    const level = input.levels[l];
    if (!nodes.some((n) => n.depth === l + 1)) {
      problems.push({ ref: input.refs.methods?.[level] ?? "History!A1", code: "noMembers", args: { level: input.levelLabels[l] } });
      continue;
    }
    if (methods[level] === "Weights" && !input.weights.some((w) => w.level === level && w.weight !== undefined)) {
      problems.push({
        ref: input.refs.methods?.[level] ?? input.refs.weightsHeader ?? "Weights!A1",
        code: "methodWeightsWithoutWeights",
        args: { level: input.levelLabels[l] },
      });
    }
  }
  const none = new Float64Array(0);
  if (problems.length) return { nodes, exact, approx: { floor: none, target: none, stretch: none } };

  for (let p = 0; p < nodes.length; p++) {
    const parent = nodes[p];
    if (parent.children.length === 0) continue;
    const l = parent.depth; // children are at level index l
    splitChildren(input, nodes, exact, quantum, p, methods[input.levels[l]], input.levelLabels[l], drafts, problems, depth);
  }
  const approx = setDoubles(nodes, exact, quantum.decimals);
  return { nodes, exact, approx, rows: drafts.map((d) => d.weightRow) };
}

/** The doubles beside the exact values, for display: quanta ÷ 10^decimals. */
function setDoubles(nodes: PlanNode[], exact: ExactValues, decimals: number): Record<Tier, Float64Array> {
  const scale = 10 ** decimals;
  const N = nodes.length;
  const approx = { floor: new Float64Array(N), target: new Float64Array(N), stretch: new Float64Array(N) };
  for (const t of TIERS) {
    const values = exact[t];
    const a = approx[t];
    for (let v = 0; v < N; v++) a[v] = toDouble(values[v].n, values[v].d);
  }
  for (let v = 0; v < N; v++) {
    const e = nodes[v].exact;
    e.floor = approx.floor[v] / scale;
    e.target = approx.target[v] / scale;
    e.stretch = approx.stretch[v] / scale;
  }
  return approx;
}

function parentName(input: PlanInput, node: PlanNode): string {
  if (node.depth === 0) return PLAN_TOKEN;
  return input.levels.slice(0, node.depth).map((l) => node.path[l]).join(" / ");
}

function splitChildren(
  input: PlanInput,
  nodes: PlanNode[],
  exact: ExactValues,
  quantum: Quantum,
  p: number,
  method: Method,
  levelLabel: string,
  drafts: Draft[],
  problems: Problem[],
  depth: TreeDepth = {},
): void {
  const parent = nodes[p];
  const heldTarget = (c: number): HoldRow | undefined => (drafts[c].weightRow?.lock === undefined ? targetHold(depth, input.levels, nodes[c].path) : undefined);
  // A lock's cells: the Weights row's, or the Holds row's that holds the member's Target total.
  const lockRefs = (c: number): { member: string; lock?: string } => {
    const h = heldTarget(c);
    return h ? { member: h.refs.member ?? h.ref, lock: h.refs.amount } : (drafts[c].weightRow as WeightRow).refs;
  };
  // A member with both a lock and a held Target total: the two must agree (only where there are holds).
  if (depth.totalHolds) {
    for (const c of parent.children) {
      const w = drafts[c].weightRow;
      const h = targetHold(depth, input.levels, nodes[c].path);
      if (h && w?.lock !== undefined && fromNumber(w.lock).n * fromNumber(h.amount).d !== fromNumber(h.amount).n * fromNumber(w.lock).d) {
        problems.push({ ref: h.refs.amount, code: "holdAndLockDiffer", args: { member: nodes[c].member, hold: h.amount, lock: w.lock, other: w.refs.lock ?? w.refs.member } });
      }
    }
  }
  const locked = parent.children.filter((c) => nodes[c].lock !== undefined);
  const open = parent.children.filter((c) => nodes[c].lock === undefined);
  const unit = input.unit;
  const U = quantum.unitQuanta;
  const rowOf = (c: number): WeightRow | undefined => drafts[c].weightRow;
  const pt = exact.target[p];
  const pf = exact.floor[p];
  const ps = exact.stretch[p];
  const available = toDouble(pt.n, pt.d) / 10 ** quantum.decimals;

  // Locks: multiples of Unit, not above the parent, and filling it exactly when nobody is left to take the rest.
  let lockSum = 0n;
  let lockSumShown = 0;
  const lockQuanta = new Map<number, bigint>();
  for (const c of locked) {
    const lock = nodes[c].lock as number;
    const refs = lockRefs(c);
    const q = quantaOfLock(lock, quantum.decimals);
    lockQuanta.set(c, q);
    // A held total is checked with the other holds (holdNotMultipleOfUnit, at its Amount cell).
    if (q % U !== 0n && !heldTarget(c)) {
      problems.push({ ref: refs.lock ?? refs.member, code: "lockNotMultipleOfUnit", args: { lock, unit, member: nodes[c].member } });
    }
    lockSum += q;
    lockSumShown += lock;
  }
  if (locked.length) {
    const refs = lockRefs(locked[locked.length - 1]);
    const args = { parent: parentName(input, parent), locks: lockSumShown, available: Math.round(available * 100) / 100 };
    // lockSum against the parent's exact Target n ÷ d, in whole numbers.
    const lockScaled = lockSum * pt.d;
    // Held totals among them: the holds' codes, naming the parent's own hold (or the plan's Target cell) too.
    const fromHolds = locked.some((c) => heldTarget(c));
    const parentHold = parent.depth === 0 ? undefined : targetHold(depth, input.levels, parent.path);
    const holdArgs = { parent: args.parent, holds: args.locks, available: args.available, other: parentHold?.refs.amount ?? (parent.depth === 0 ? input.refs.target ?? "Targets!A1" : drafts[p].weightRow?.refs.lock ?? drafts[p].weightRow?.refs.member ?? "") };
    if (lockScaled > pt.n) {
      if (fromHolds) problems.push({ ref: refs.lock ?? refs.member, code: "holdsAboveParent", args: holdArgs });
      else problems.push({ ref: refs.lock ?? refs.member, code: "lockAboveParent", args });
      return;
    }
    if (open.length === 0 && lockScaled !== pt.n) {
      if (fromHolds) problems.push({ ref: refs.lock ?? refs.member, code: "holdsDoNotFill", args: holdArgs });
      else problems.push({ ref: refs.lock ?? refs.member, code: "locksDoNotFill", args });
      return;
    }
  }

  // Bases of the unlocked children, exactly.
  let kind: PlanNode["basisKind"] = method;
  let fallback = false;
  let missing = false;
  const bases: Rational[] = open.map((c) => {
    if (method === "Equal") return { n: 1n, d: 1n };
    if (method === "History") return drafts[c].historyExact;
    const w = rowOf(c);
    if (w?.weight === undefined) {
      missing = true;
      problems.push({ ref: w?.refs.member ?? input.refs.weightsHeader ?? "Weights!A1", code: "missingWeight", args: { level: levelLabel, member: nodes[c].member } });
      return ZERO_Q;
    }
    return fromNumber(w.weight);
  });
  if (missing) return;
  // Members who join or leave: a new member without History takes its Weight, else the median of
  // its siblings' bases; then every dated member's basis is prorated by its active share of the plan.
  const prorations = depth.proration ? open.map((c) => { const w = rowOf(c); return w && dated(w) ? depth.proration?.(w) : undefined; }) : [];
  if (method === "History" && prorations.some((f) => f !== undefined)) {
    const withHistory = bases.filter((b) => b.n > 0n);
    open.forEach((c, i) => {
      if (prorations[i] === undefined || bases[i].n > 0n) return;
      const w = rowOf(c) as WeightRow;
      if (w.weight !== undefined) bases[i] = fromNumber(w.weight);
      else if (withHistory.length) bases[i] = medianOf(withHistory);
    });
  }
  // Whole numbers at a common denominator (decimals: the finest power of ten among them).
  let scale = 1n;
  for (const b of bases) scale = lcm(scale, b.d);
  let whole = bases.map((b) => (b.d === scale ? b.n : b.n * (scale / b.d)));
  let baseSum = 0n;
  for (const b of whole) baseSum += b;
  if (open.length && !(baseSum > 0n)) {
    if (method === "Weights") {
      const refs = (rowOf(open[0]) as WeightRow).refs;
      problems.push({ ref: refs.weight ?? refs.member, code: "weightsSumZero", args: { level: levelLabel, parent: parentName(input, parent) } });
      return;
    }
    kind = "Equal";
    fallback = method === "History";
    whole = open.map(() => 1n);
    baseSum = BigInt(open.length);
  }
  if (prorations.some((f) => f !== undefined)) {
    // basis × active share, over one common denominator.
    let common = 1n;
    for (const f of prorations) if (f) common = lcm(common, f.d);
    whole = whole.map((b, i) => { const f = prorations[i]; return f ? b * f.n * (common / f.d) : b * common; });
    baseSum = 0n;
    for (const b of whole) baseSum += b;
    if (open.length && !(baseSum > 0n)) {
      const w = rowOf(open[open.length - 1]);
      problems.push({ ref: w?.refs.start ?? w?.refs.member ?? input.refs.weightsHeader ?? "Weights!A1", code: "noActiveMembers", args: { level: levelLabel, parent: parentName(input, parent) } });
      return;
    }
  }

  // A locked member's Floor and Stretch are the parent's × lock ÷ the parent's Target.
  for (const c of locked) {
    const k = nodes[c];
    const lock = lockQuanta.get(c) as bigint;
    k.basisKind = "Lock";
    k.basis = k.lock as number;
    k.share = pt.n > 0n ? toDouble(lock * pt.d, pt.n) : 0;
    exact.target[c] = { n: lock, d: 1n };
    exact.floor[c] = pt.n > 0n ? { n: pf.n * lock * pt.d, d: pf.d * pt.n } : ZERO_Q;
    exact.stretch[c] = pt.n > 0n ? { n: ps.n * lock * pt.d, d: ps.d * pt.n } : ZERO_Q;
  }
  // What the locks leave: Target − locks; Floor and Stretch × (1 − locks ÷ Target).
  const restTarget: Rational = { n: pt.n - lockSum * pt.d, d: pt.d };
  const keep = (r: Rational): Rational => (locked.length && pt.n > 0n ? { n: r.n * restTarget.n, d: r.d * pt.n } : r);
  const rest: Record<Tier, Rational> = { floor: keep(pf), target: restTarget, stretch: keep(ps) };
  // Siblings share one denominator per tier: what the locks leave × the group's basis sum.
  const dFloor = rest.floor.d * baseSum;
  const dTarget = rest.target.d * baseSum;
  const dStretch = rest.stretch.d * baseSum;
  const sumDouble = Number(baseSum);
  open.forEach((c, i) => {
    const k = nodes[c];
    k.basisKind = kind;
    if (fallback) k.fallback = true;
    k.basis = kind === "Equal" ? 1 : method === "Weights" ? (rowOf(c)?.weight as number) : toDouble(bases[i].n, bases[i].d);
    if (prorations[i]) k.basis *= toDouble((prorations[i] as Rational).n, (prorations[i] as Rational).d);
    k.share = Number.isFinite(sumDouble) ? Number(whole[i]) / sumDouble : toDouble(whole[i], baseSum);
    const w = whole[i];
    exact.floor[c] = { n: rest.floor.n * w, d: dFloor };
    exact.target[c] = { n: rest.target.n * w, d: dTarget };
    exact.stretch[c] = { n: rest.stretch.n * w, d: dStretch };
  });
  if (depth.totalHolds) holdOtherTiers(input, nodes, exact, quantum, p, depth, problems);
}

/**
 * Floor and Stretch totals held among p's children: each held child gets its hold, the others
 * share what the holds leave in proportion to the values they had (equally when those are zero).
 * Then each held child's tiers must stay in order (Floor ≤ Target ≤ Stretch), exactly.
 */
function holdOtherTiers(input: PlanInput, nodes: PlanNode[], exact: ExactValues, quantum: Quantum, p: number, depth: TreeDepth, problems: Problem[]): void {
  const kids = nodes[p].children;
  const holdsOf = (c: number): HoldRow[] => depth.totalHolds?.get(pathKey(input.levels, nodes[c].path)) ?? [];
  if (!kids.some((c) => holdsOf(c).length)) return;
  for (const t of ["floor", "stretch"] as const) {
    const held = new Map<number, HoldRow>();
    for (const c of kids) for (const h of holdsOf(c)) if (h.tier === t) held.set(c, h);
    if (!held.size) continue;
    let heldSum: Rational = ZERO_Q;
    let last: HoldRow | undefined;
    for (const [c, h] of held) {
      exact[t][c] = { n: quantaOfLock(h.amount, quantum.decimals), d: 1n };
      heldSum = { n: heldSum.n + exact[t][c].n, d: 1n };
      last = h;
    }
    const pv = exact[t][p];
    const rest: Rational = { n: pv.n - heldSum.n * pv.d, d: pv.d };
    const free = kids.filter((c) => !held.has(c));
    const h = last as HoldRow;
    const parentHold = nodes[p].depth === 0 ? undefined : depth.totalHolds?.get(pathKey(input.levels, nodes[p].path))?.find((x) => x.tier === t);
    const other = parentHold?.refs.amount ?? (nodes[p].depth === 0 ? input.refs[t] ?? input.refs.target ?? "Targets!A1" : "");
    const args = { parent: parentName(input, nodes[p]), holds: toDouble(heldSum.n, 10n ** BigInt(quantum.decimals)), available: toDouble(pv.n, pv.d * 10n ** BigInt(quantum.decimals)), other };
    if (rest.n < 0n) { problems.push({ ref: h.refs.amount, code: "holdsAboveParent", args }); continue; }
    if (!free.length) {
      if (rest.n !== 0n) problems.push({ ref: h.refs.amount, code: "holdsDoNotFill", args });
      continue;
    }
    // The free children's values over one denominator, scaled to what is left.
    let common = 1n;
    for (const c of free) common = lcm(common, exact[t][c].d);
    const nums = free.map((c) => exact[t][c].n * (common / exact[t][c].d));
    let sum = 0n;
    for (const n of nums) sum += n;
    free.forEach((c, i) => {
      exact[t][c] = sum > 0n ? { n: rest.n * nums[i], d: rest.d * sum } : { n: rest.n, d: rest.d * BigInt(free.length) };
    });
  }
  for (const c of kids) {
    const hs = holdsOf(c);
    if (!hs.length) continue;
    const le = (a: Rational, b: Rational): boolean => a.n * b.d <= b.n * a.d;
    if (!le(exact.floor[c], exact.target[c]) || !le(exact.target[c], exact.stretch[c])) {
      problems.push({ ref: hs[hs.length - 1].refs.amount, code: "holdTiersOutOfOrder", args: { member: nodes[c].member } });
    }
  }
}

/** A Weights row that gives a Start, an End or a Ramp. */
function dated(w: WeightRow): boolean {
  return w.start !== undefined || w.end !== undefined || (w.ramp !== undefined && w.ramp.length > 0);
}

/** The Holds row holding a node's Target total, if any. */
function targetHold(depth: TreeDepth, levels: readonly string[], path: Record<string, string>): HoldRow | undefined {
  const list = depth.totalHolds?.get(pathKey(levels, path));
  return list?.find((h) => h.tier === "target");
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

function lcm(a: bigint, b: bigint): bigint {
  if (a === b || b === 1n) return a;
  if (a === 1n) return b;
  return (a / gcd(a, b)) * b;
}

/** The median of positive rationals (the mean of the middle two for an even count), exactly. */
function medianOf(values: Rational[]): Rational {
  const sorted = [...values].sort((a, b) => (a.n * b.d < b.n * a.d ? -1 : a.n * b.d > b.n * a.d ? 1 : 0));
  const m = sorted.length >> 1;
  if (sorted.length % 2) return sorted[m];
  const a = sorted[m - 1];
  const b = sorted[m];
  return { n: a.n * b.d + b.n * a.d, d: 2n * a.d * b.d };
}

function quantaOfLock(lock: number, decimals: number): bigint {
  const r = fromNumber(lock);
  // decimals covers every lock's decimal places (see computePlan), so this divides exactly.
  return (r.n * 10n ** BigInt(decimals)) / r.d;
}
