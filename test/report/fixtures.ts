/**
 * Small, consistent PlanResults for the report and host tests, built from a tree of members
 * with their basis and locks. The numbers follow CONTRACT.md §4: siblings share what their
 * parent's exact value leaves after locks; a lock keeps Floor and Stretch in its Target's
 * proportion; amounts are multiples of Unit that add up (largest remainder), and each leaf is
 * spread over the periods so that every row and column of the matrix adds up.
 */
import type { PeriodInfo, PlanNode, PlanResult, ShareBasis, Tier, TierValues } from "../../src/engine/types";

export interface MemberSpec {
  member: string;
  /** History, weight, or 1 for an equal split. Ignored for a lock. */
  basis?: number;
  lock?: number;
  kind?: ShareBasis;
  fallback?: boolean;
  children?: MemberSpec[];
}

export interface FixtureSpec {
  levels: string[];
  levelLabels?: string[];
  tiers: Tier[];
  totals: Partial<TierValues> & { target: number };
  unit: number;
  periods: { label: string; share: number }[];
  members: MemberSpec[];
}

const ALL_TIERS: Tier[] = ["floor", "target", "stretch"];

function tierValues(f: (t: Tier) => number): TierValues {
  return { floor: f("floor"), target: f("target"), stretch: f("stretch") };
}

/**
 * Multiples of `unit` close to `exact` that add up to `total`: each value rounds down, then the
 * largest remainders take the units left over. `fixed[i]` values are kept as they are.
 */
export function largestRemainder(exact: number[], total: number, unit: number, fixed: (number | undefined)[] = []): number[] {
  const out = exact.map((e, i) => fixed[i] ?? Math.floor(e / unit + 1e-9) * unit);
  let left = Math.round((total - out.reduce((a, b) => a + b, 0)) / unit);
  const order = exact
    .map((e, i) => ({ i, frac: e / unit - Math.floor(e / unit + 1e-9) }))
    .filter(({ i }) => fixed[i] === undefined)
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) out[order[k].i] += unit;
  if (left < 0) throw new Error("fixture: parent is smaller than its rounded-down children");
  return out;
}

export function buildFixture(spec: FixtureSpec): PlanResult {
  const { levels, unit } = spec;
  const total = (t: Tier) => spec.totals[t] ?? spec.totals.target;
  const nodes: PlanNode[] = [];

  const root: PlanNode = {
    path: {},
    depth: 0,
    parent: -1,
    children: [],
    member: "",
    level: "",
    basisKind: "History",
    basis: 1,
    share: 1,
    exact: tierValues(total),
    amount: tierValues(total),
  };
  nodes.push(root);

  const addChildren = (parentIndex: number, members: MemberSpec[]) => {
    const parent = nodes[parentIndex];
    const depth = parent.depth + 1;
    const level = levels[depth - 1];
    const locked = members.map((m) => m.lock !== undefined);
    const basisTotal = members.reduce((s, m, i) => (locked[i] ? s : s + (m.basis ?? 0)), 0);
    const ofParent = (lock: number) => (parent.exact.target === 0 ? 0 : lock / parent.exact.target);
    const shares = members.map((m, i) => (locked[i] ? ofParent(m.lock!) : basisTotal === 0 ? 0 : (m.basis ?? 0) / basisTotal));

    const exactFor = (tier: Tier): number[] => {
      const lockedExact = members.map((m, i) => (locked[i] ? (tier === "target" ? m.lock! : parent.exact[tier] * ofParent(m.lock!)) : 0));
      const available = parent.exact[tier] - lockedExact.reduce((a, b) => a + b, 0);
      return members.map((_, i) => (locked[i] ? lockedExact[i] : available * shares[i]));
    };
    const perTierExact = Object.fromEntries(ALL_TIERS.map((t) => [t, exactFor(t)])) as Record<Tier, number[]>;
    const perTierAmount = Object.fromEntries(
      ALL_TIERS.map((t) => [
        t,
        largestRemainder(perTierExact[t], parent.amount[t], unit, members.map((m, i) => (locked[i] && t === "target" ? m.lock : undefined))),
      ]),
    ) as Record<Tier, number[]>;

    members.forEach((m, i) => {
      const index = nodes.length;
      const node: PlanNode = {
        path: { ...parent.path, [level]: m.member },
        depth,
        parent: parentIndex,
        children: [],
        member: m.member,
        level,
        basisKind: locked[i] ? "Lock" : (m.kind ?? "History"),
        ...(m.fallback ? { fallback: true } : {}),
        basis: locked[i] ? m.lock! : (m.basis ?? 0),
        share: shares[i],
        ...(locked[i] ? { lock: m.lock } : {}),
        exact: tierValues((t) => perTierExact[t][i]),
        amount: tierValues((t) => perTierAmount[t][i]),
      };
      nodes.push(node);
      parent.children.push(index);
      if (m.children && m.children.length > 0) addChildren(index, m.children);
    });
  };
  addChildren(0, spec.members);

  const leaves = nodes.map((n, i) => (n.children.length === 0 && n.parent >= 0 ? i : -1)).filter((i) => i >= 0);
  const P = spec.periods.length;
  const cells = Object.fromEntries(
    ALL_TIERS.map((t) => {
      const arr = new Float64Array(leaves.length * P);
      leaves.forEach((n, leafPos) => {
        const amount = nodes[n].amount[t];
        const row = largestRemainder(
          spec.periods.map((p) => amount * p.share),
          amount,
          unit,
        );
        row.forEach((v, p) => (arr[leafPos * P + p] = v));
      });
      return [t, arr];
    }),
  ) as Record<Tier, Float64Array>;

  const periods: PeriodInfo[] = spec.periods.map((p, pi) => ({
    label: p.label,
    start: 0,
    end: 0,
    days: 0,
    workdays: 0,
    share: p.share,
    exact: tierValues((t) => total(t) * p.share),
    amount: tierValues((t) => leaves.reduce((s, _, leafPos) => s + cells[t][leafPos * P + pi], 0)),
  }));

  return {
    start: 0,
    end: 0,
    metric: "Amount",
    unit,
    grain: "Quarter",
    levels,
    levelLabels: spec.levelLabels ?? levels,
    tiers: spec.tiers,
    nodes,
    leaves,
    periods,
    cells,
    totals: tierValues(total),
    rounding: { repairs: 0, fallbacks: nodes.filter((n) => n.fallback).length, reproportioned: 0 },
  };
}

/**
 * Region > Rep, three tiers, Unit 10: East by history with a lock (Li holds 1,000), West split
 * equally because its history is all zero; one rep is called "=1+1".
 */
export function twoLevelPlan(): PlanResult {
  return buildFixture({
    levels: ["Region", "Rep"],
    tiers: ["floor", "target", "stretch"],
    totals: { floor: 8000, target: 10000, stretch: 12000 },
    unit: 10,
    periods: [
      { label: "2027-Q1", share: 0.4 },
      { label: "2027-Q2", share: 0.6 },
    ],
    members: [
      {
        member: "East",
        basis: 600,
        children: [
          { member: "Li", lock: 1000 },
          { member: "Wang", basis: 300 },
          { member: "Zhang", basis: 200 },
        ],
      },
      {
        member: "West",
        basis: 400,
        children: [
          { member: "Chen", basis: 1, kind: "Equal", fallback: true },
          { member: "=1+1", basis: 1, kind: "Equal", fallback: true },
        ],
      },
    ],
  });
}

/**
 * 区域 > 团队 > 销售员 (labels as a Chinese workbook writes them), Target only, Unit 100: three equal
 * reps share 1,000 (exact 333.33 each, so rounding shows), a team whose members are all locked
 * (its basis total is zero), and weights.
 */
export function threeLevelPlanZh(): PlanResult {
  return buildFixture({
    levels: ["Region", "Team", "Rep"],
    levelLabels: ["区域", "团队", "销售员"],
    tiers: ["target"],
    totals: { target: 4000 },
    unit: 100,
    periods: [
      { label: "2027-01", share: 0.25 },
      { label: "2027-02", share: 0.25 },
      { label: "2027-03", share: 0.5 },
    ],
    members: [
      {
        member: "华东",
        basis: 3,
        kind: "Weights",
        children: [
          {
            member: "一组",
            basis: 1,
            children: [
              { member: "张三", basis: 1, kind: "Equal" },
              { member: "李四", basis: 1, kind: "Equal" },
              { member: "+SUM(1,2)", basis: 1, kind: "Equal" },
            ],
          },
          {
            member: "二组",
            basis: 2,
            children: [
              { member: "@x", lock: 1000 },
              { member: "-3", lock: 1000 },
            ],
          },
        ],
      },
      {
        member: "华南",
        basis: 1,
        kind: "Weights",
        children: [{ member: "三组", basis: 5, children: [{ member: "王五", basis: 7 }] }],
      },
    ],
  });
}

/**
 * A plan of zero: every basis zero and a group whose only member holds a lock of zero, so every
 * guarded division in the weights review meets a zero denominator.
 */
export function zeroPlan(): PlanResult {
  return buildFixture({
    levels: ["Region", "Rep"],
    tiers: ["floor", "target"],
    totals: { floor: 0, target: 0 },
    unit: 0.01,
    periods: [{ label: "2027", share: 1 }],
    members: [
      { member: "East", basis: 0, kind: "Weights", children: [{ member: "Li", lock: 0 }] },
      { member: "West", basis: 0, kind: "Weights", children: [{ member: "Chen", basis: 0, kind: "Weights" }] },
    ],
  });
}
