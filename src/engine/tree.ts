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
  const index = new Map<string, number>([["", 0]]);
  const child = (parent: number, level: string, member: string): number => {
    const p = drafts[parent];
    const key = p.key === "" ? member : p.key + SEP + member;
    let i = index.get(key);
    if (i === undefined) {
      i = drafts.length;
      drafts.push({
        path: { ...p.path, [level]: member },
        key,
        depth: p.depth + 1,
        parent,
        children: [],
        member,
        level,
        history: 0,
      });
      p.children.push(i);
      index.set(key, i);
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
  const kids = parent.children.map((c) => nodes[c]);
  const locked = kids.filter((k) => k.lock !== undefined);
  const open = kids.filter((k) => k.lock === undefined);
  const available = parent.exact.target;
  const unit = input.unit;

  // Locks: multiples of Unit, not above the parent, and filling it exactly when nobody is left to take the rest.
  let lockSum = 0;
  for (const k of locked) {
    const lock = k.lock as number;
    const w = drafts[parent.children[kids.indexOf(k)]].weightRow as WeightRow;
    const ratio = lock / unit;
    if (Math.abs(ratio - Math.round(ratio)) > EPS * Math.max(1, ratio)) {
      problems.push({ ref: w.refs.lock ?? w.refs.member, code: "lockNotMultipleOfUnit", args: { lock, unit, member: k.member } });
    }
    lockSum += lock;
  }
  const lockRef = locked.length ? (drafts[parent.children[kids.indexOf(locked[locked.length - 1])]].weightRow as WeightRow).refs : undefined;
  const tolerance = EPS * Math.max(1, available);
  if (locked.length && lockSum > available + tolerance) {
    problems.push({
      ref: lockRef?.lock ?? lockRef?.member ?? "Weights!A1",
      code: "lockAboveParent",
      args: { parent: parentName(input, parent), locks: lockSum, available: Math.round(available * 100) / 100 },
    });
    return;
  }
  if (locked.length && open.length === 0 && Math.abs(lockSum - available) > tolerance) {
    problems.push({
      ref: lockRef?.lock ?? lockRef?.member ?? "Weights!A1",
      code: "locksDoNotFill",
      args: { parent: parentName(input, parent), locks: lockSum, available: Math.round(available * 100) / 100 },
    });
    return;
  }

  // Bases of the unlocked children.
  let kind: PlanNode["basisKind"] = method;
  let fallback = false;
  const bases = open.map((k) => {
    if (method === "Equal") return 1;
    if (method === "Weights") {
      const w = drafts[parent.children[kids.indexOf(k)]].weightRow;
      if (w?.weight === undefined) {
        problems.push({ ref: w?.refs.member ?? input.refs.weightsHeader ?? "Weights!A1", code: "missingWeight", args: { level: levelLabel, member: k.member } });
        return 0;
      }
      return w.weight;
    }
    return k.basis;
  });
  let baseSum = bases.reduce((a, b) => a + b, 0);
  if (open.length && !(baseSum > 0)) {
    if (method === "Weights") {
      const first = drafts[parent.children[kids.indexOf(open[0])]].weightRow;
      if (!problems.some((x) => x.code === "missingWeight")) {
        problems.push({ ref: first?.refs.weight ?? first?.refs.member ?? "Weights!A1", code: "weightsSumZero", args: { level: levelLabel, parent: parentName(input, parent) } });
      }
      return;
    }
    kind = "Equal";
    fallback = method === "History";
    bases.fill(1);
    baseSum = open.length;
  }

  const t = parent.exact.target;
  const lockShare = (lock: number): number => (t > 0 ? lock / t : 0);
  let lockedFloor = 0;
  let lockedStretch = 0;
  for (const k of locked) {
    const lock = k.lock as number;
    k.basisKind = "Lock";
    k.basis = lock;
    k.share = lockShare(lock);
    k.exact = { floor: parent.exact.floor * k.share, target: lock, stretch: parent.exact.stretch * k.share };
    lockedFloor += k.exact.floor;
    lockedStretch += k.exact.stretch;
  }
  const rest = { floor: parent.exact.floor - lockedFloor, target: t - lockSum, stretch: parent.exact.stretch - lockedStretch };
  open.forEach((k, i) => {
    const share = bases[i] / baseSum;
    k.basisKind = kind;
    if (fallback) k.fallback = true;
    k.basis = kind === "Equal" ? 1 : bases[i];
    k.share = share;
    k.exact = {
      floor: Math.max(0, rest.floor) * share,
      target: Math.max(0, rest.target) * share,
      stretch: Math.max(0, rest.stretch) * share,
    };
  });
}
