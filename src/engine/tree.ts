/**
 * Shares at each level (CONTRACT §4.1): the organisation tree from History (and Weights),
 * each node's basis and share of its parent, locks, and the exact proportional value per tier.
 */
import { inWindow } from "./calendar";
import { PLAN_TOKEN, type Problem } from "./problems";
import type { Method, PlanInput, PlanNode, TierValues, WeightRow } from "./types";

const SEP = "\u0001";

interface Draft {
  path: Record<string, string>;
  key: string;
  depth: number;
  parent: number;
  children: number[];
  member: string;
  level: string;
  history: number;
  weightRow?: WeightRow;
}

/** Builds the tree in depth-first order, members in order of first appearance (History, then Weights). */
function draftTree(input: PlanInput, problems: Problem[]): Draft[] {
  const { levels, metric } = input;
  const drafts: Draft[] = [{ path: {}, key: "", depth: 0, parent: -1, children: [], member: "", level: "", history: 0 }];
  // Children of each draft by member name.
  const kidsByName: Map<string, number>[] = [new Map()];
  const child = (parent: number, level: string, member: string): number => {
    const byName = kidsByName[parent];
    let i = byName.get(member);
    if (i === undefined) {
      const p = drafts[parent];
      i = drafts.length;
      drafts.push({
        path: { ...p.path, [level]: member },
        key: p.key === "" ? member : p.key + SEP + member,
        depth: p.depth + 1,
        parent,
        children: [],
        member,
        level,
        history: 0,
      });
      kidsByName.push(new Map());
      p.children.push(i);
      byName.set(member, i);
    }
    return i;
  };

  const window = inWindow(input);
  const chain = new Array<number>(levels.length);
  for (const row of input.history) {
    if (!window(row)) continue;
    let at = 0;
    let complete = true;
    for (let l = 0; l < levels.length; l++) {
      const member = row.dims[levels[l]];
      if (member === undefined || member === "") { complete = false; break; }
      at = child(at, levels[l], member);
      chain[l] = at;
    }
    if (!complete) continue;
    const v = row.measures[metric] ?? 0;
    if (v) {
      drafts[0].history += v;
      for (let l = 0; l < levels.length; l++) drafts[chain[l]].history += v;
    }
  }

  // Place Weights rows: by their parent columns when given, else by a unique member name at their level.
  const byLevelMember = new Map<string, number[]>();
  for (let i = 1; i < drafts.length; i++) {
    const k = drafts[i].level + SEP + drafts[i].member;
    const list = byLevelMember.get(k);
    if (list) list.push(i); else byLevelMember.set(k, [i]);
  }
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
      const found = (byLevelMember.get(w.level + SEP + w.member) ?? []).filter((i) =>
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

/** Re-orders drafts depth-first (children after their parent, siblings in insertion order). */
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
  return order.map((old) => {
    const d = drafts[old];
    return { ...d, parent: d.parent < 0 ? -1 : newIndex[d.parent], children: d.children.map((c) => newIndex[c]) };
  });
}

/** The method each level is split by: Settings, else Weights where the Weights table gives weights for the level, else History. */
export function levelMethods(input: PlanInput): Record<string, Method> {
  const out: Record<string, Method> = {};
  for (const level of input.levels) {
    const hasWeights = input.weights.some((w) => w.level === level && w.weight !== undefined);
    out[level] = input.methods[level] ?? (hasWeights ? "Weights" : "History");
  }
  return out;
}

const zeroTiers = (): TierValues => ({ floor: 0, target: 0, stretch: 0 });

/** Relative tolerance for comparing exact amounts computed in floating point. */
const EPS = 1e-9;

/**
 * The tree with bases, shares and exact values (not yet rounded). `totals` are the plan's exact
 * tier totals; a tier the plan does not have is carried as a copy of Target and dropped later.
 */
export function buildTree(input: PlanInput, totals: TierValues, problems: Problem[]): PlanNode[] {
  const drafts = draftTree(input, problems);
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
    lock: d.weightRow?.lock,
    exact: zeroTiers(),
    amount: zeroTiers(),
  }));
  nodes[0].exact = { ...totals };

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
  if (problems.length) return nodes;

  for (let p = 0; p < nodes.length; p++) {
    const parent = nodes[p];
    if (parent.children.length === 0) continue;
    const l = parent.depth; // children are at level index l
    splitChildren(input, nodes, p, methods[input.levels[l]], input.levelLabels[l], drafts, problems);
  }
  return nodes;
}

function parentName(input: PlanInput, node: PlanNode): string {
  if (node.depth === 0) return PLAN_TOKEN;
  return input.levels.slice(0, node.depth).map((l) => node.path[l]).join(" / ");
}

function splitChildren(
  input: PlanInput,
  nodes: PlanNode[],
  p: number,
  method: Method,
  levelLabel: string,
  drafts: Draft[],
  problems: Problem[],
): void {
  const parent = nodes[p];
  const locked = parent.children.filter((c) => nodes[c].lock !== undefined);
  const open = parent.children.filter((c) => nodes[c].lock === undefined);
  const available = parent.exact.target;
  const unit = input.unit;
  const rowOf = (c: number): WeightRow | undefined => drafts[c].weightRow;

  // Locks: multiples of Unit, not above the parent, and filling it exactly when nobody is left to take the rest.
  let lockSum = 0;
  for (const c of locked) {
    const lock = nodes[c].lock as number;
    const refs = (rowOf(c) as WeightRow).refs;
    const ratio = lock / unit;
    if (Math.abs(ratio - Math.round(ratio)) > EPS * Math.max(1, ratio)) {
      problems.push({ ref: refs.lock ?? refs.member, code: "lockNotMultipleOfUnit", args: { lock, unit, member: nodes[c].member } });
    }
    lockSum += lock;
  }
  if (locked.length) {
    const refs = (rowOf(locked[locked.length - 1]) as WeightRow).refs;
    const tolerance = EPS * Math.max(1, available);
    const args = { parent: parentName(input, parent), locks: lockSum, available: Math.round(available * 100) / 100 };
    if (lockSum > available + tolerance) {
      problems.push({ ref: refs.lock ?? refs.member, code: "lockAboveParent", args });
      return;
    }
    if (open.length === 0 && Math.abs(lockSum - available) > tolerance) {
      problems.push({ ref: refs.lock ?? refs.member, code: "locksDoNotFill", args });
      return;
    }
  }

  // Bases of the unlocked children.
  let kind: PlanNode["basisKind"] = method;
  let fallback = false;
  let missing = false;
  const bases = open.map((c) => {
    if (method === "Equal") return 1;
    if (method === "History") return nodes[c].basis;
    const w = rowOf(c);
    if (w?.weight === undefined) {
      missing = true;
      problems.push({ ref: w?.refs.member ?? input.refs.weightsHeader ?? "Weights!A1", code: "missingWeight", args: { level: levelLabel, member: nodes[c].member } });
      return 0;
    }
    return w.weight;
  });
  if (missing) return;
  let baseSum = bases.reduce((a, b) => a + b, 0);
  if (open.length && !(baseSum > 0)) {
    if (method === "Weights") {
      const refs = (rowOf(open[0]) as WeightRow).refs;
      problems.push({ ref: refs.weight ?? refs.member, code: "weightsSumZero", args: { level: levelLabel, parent: parentName(input, parent) } });
      return;
    }
    kind = "Equal";
    fallback = method === "History";
    bases.fill(1);
    baseSum = open.length;
  }

  const t = parent.exact.target;
  let lockedFloor = 0;
  let lockedStretch = 0;
  for (const c of locked) {
    const k = nodes[c];
    const lock = k.lock as number;
    k.basisKind = "Lock";
    k.basis = lock;
    k.share = t > 0 ? lock / t : 0;
    k.exact = { floor: parent.exact.floor * k.share, target: lock, stretch: parent.exact.stretch * k.share };
    lockedFloor += k.exact.floor;
    lockedStretch += k.exact.stretch;
  }
  const rest = {
    floor: Math.max(0, parent.exact.floor - lockedFloor),
    target: Math.max(0, t - lockSum),
    stretch: Math.max(0, parent.exact.stretch - lockedStretch),
  };
  open.forEach((c, i) => {
    const k = nodes[c];
    const share = bases[i] / baseSum;
    k.basisKind = kind;
    if (fallback) k.fallback = true;
    k.basis = bases[i];
    k.share = share;
    k.exact = { floor: rest.floor * share, target: rest.target * share, stretch: rest.stretch * share };
  });
}
