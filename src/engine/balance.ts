/**
 * The balanced plan (docs/planning-depth.md, "Engine"): each member's own seasonality, members who
 * join and leave, and holds anywhere — the leaf × period matrix balanced by RAS level by level
 * down the tree, then rounded to Unit by controlled rounding on one flow network, exactly.
 *
 * Balanced values. The plan's periods are the root's row. Each parent's children × periods block
 * is balanced by RAS (season.ts): rows to the children's exact amounts (the tree), columns to the
 * parent's balanced row; a child's seed row is its period pattern × its active-days × ramp
 * profile; held cells (and the zeros outside a member's dates) are fixed. So every node has a
 * balanced amount per period, and a leaf's are its cells.
 *
 * The network. Tree edges carry the nodes' amounts from the root down (edge v: parent → v; edge 0:
 * sink → root). Every node's amount in period j flows up to its parent's (v, j): edge N + v·P + j
 * goes from the leaf v itself (the cell) or from the aggregate node (v, j) to (parent, j); edge
 * N + j (v = 0) goes from (root, j) to the sink — the period. A balanced flow with every edge a
 * whole number of Units gives at once siblings that add up to their parent, rows that add up to
 * their member, every node's period amounts that add up over its members, and columns that add up
 * to the periods. Every edge is bounded by ⌊ ⌋ and ⌈ ⌉ of its balanced value in Units (the tree's
 * and the periods' exactly, from rationals; the aggregates' from the balanced doubles), a held
 * edge by [h, h]. The start is largest remainder down the tree, down each parent's block row by
 * row (the chairman rule against the columns' drift), and repairFlow (flow.ts) moves what is left.
 *
 * A tier's total mod Unit is carried by one path (root → the largest free member at each level →
 * its largest free period, and that period's aggregates up to the root): no held edge is on it.
 * Floor is rounded with every edge at or below Target's rounded value, Stretch at or above, as in
 * rounding.ts; should that not fit within one Unit of their own balanced values, they are rounded
 * within one Unit of Target's rounded amounts × their ratio (counted in `reproportioned`).
 */
import { repairFlow } from "./flow";
import { PLAN_TOKEN, type Problem } from "./problems";
import { floorDiv, toDouble, type Rational } from "./rational";
import type { RoundingOutput, TierRounding } from "./rounding";
import { ras } from "./season";
import type { HoldRow, PlanNode, Tier } from "./types";

/** A held edge: whole Units, and the Holds row that holds it. */
export interface HeldEdge {
  units: number;
  row: HoldRow;
}

export interface BalanceInput {
  nodes: PlanNode[];
  leaves: number[];
  P: number;
  /** The plan's tiers; Target is rounded first. */
  tiers: Tier[];
  /** The Unit in quanta, and as the number the workbook gives (for messages). */
  U: bigint;
  unit: number;
  /** Exact amount of every node per tier, in quanta (the tree's, holds of node totals included). */
  exact: Record<Tier, Rational[]>;
  /** Exact period totals per tier, in quanta (root-period holds included). */
  periodExact: Record<Tier, Rational[]>;
  /** Per node and period (v·P + j): the seed of v's row within its parent — pattern × activity. */
  seeds: Float64Array;
  /** Per tier: held edges by v·P + j (v ≥ 1: node v in period j; v = 0: the plan in period j). */
  held: Partial<Record<Tier, Map<number, HeldEdge>>>;
  /** The cell naming a member (for problems), and its label "East / Li". */
  memberRef(v: number): string;
  /** The periods' labels, for messages. */
  periodLabels?: string[];
  /** Per tier: nodes whose total is held, with the Holds row (they carry no remainder). */
  heldTotals?: Partial<Record<Tier, Map<number, HoldRow>>>;
  /** Per node and period (v·P + j): its own activity × its ancestors' (absent when no member has dates). */
  activity?: Float64Array;
  /** Per node: 1 where it is outside its dates in period j (v·P + j), so a hold there is a problem. */
  inactive?: Uint8Array;
}

export interface BalanceOutput extends RoundingOutput {
  /** Per tier, the balanced value of every node in every period (v·P + j), in Units. */
  balanced: Partial<Record<Tier, Float64Array>>;
  /** RAS iterations, summed over every block and tier, and the blocks stopped by the iteration cap. */
  iterations: number;
  capped: number;
}

const nameOf = (node: PlanNode, levels: string[]): string => (node.depth === 0 ? PLAN_TOKEN : levels.slice(0, node.depth).map((l) => node.path[l]).join(" / "));

/** Exact Units of a rational in quanta as a double. */
const unitsOf = (q: Rational, U: bigint): number => (q.n === 0n ? 0 : toDouble(q.n, q.d * U));

/**
 * The balanced values of one tier, level by level. Tiers after Target start from Target's balanced
 * values (so Floor and Stretch follow Target's pattern and holds) and are balanced to their own amounts.
 */
function balanceTier(inp: BalanceInput, tier: Tier, levels: string[], start: Float64Array | null, problems: Problem[]): { b: Float64Array; iterations: number; capped: number } {
  const { nodes, P, U } = inp;
  const N = nodes.length;
  const b = new Float64Array(N * P);
  const held = inp.held[tier] ?? new Map<number, HeldEdge>();
  const pe = inp.periodExact[tier];
  for (let j = 0; j < P; j++) b[j] = unitsOf(pe[j], U);
  let iterations = 0;
  let capped = 0;
  const exact = inp.exact[tier];
  const seeded = start ?? aggregateSeeds(inp, tier, held);
  // What the holds below each node need of it in each period (bottom up): its own hold, else its members' needs.
  const needs = new Float64Array(N * P);
  if (held.size) {
    for (let v = N - 1; v >= 1; v--) {
      const base = v * P;
      for (let j = 0; j < P; j++) {
        const h = held.get(base + j);
        if (h) needs[base + j] = h.units;
        else for (const c of nodes[v].children) needs[base + j] += needs[c * P + j];
      }
    }
  }
  for (let u = 0; u < N; u++) {
    const kids = nodes[u].children;
    const R = kids.length;
    if (!R) continue;
    const x = new Float64Array(R * P);
    const fixed = new Uint8Array(R * P);
    const rows = new Float64Array(R);
    const cols = b.subarray(u * P, u * P + P);
    let anyFixed = false;
    for (let i = 0; i < R; i++) {
      const c = kids[i];
      rows[i] = unitsOf(exact[c], U);
      const seed = seeded;
      let heldSum = 0;
      let freeSeed = 0;
      let lastHold: HeldEdge | undefined;
      for (let j = 0; j < P; j++) {
        const h = held.get(c * P + j);
        const k = i * P + j;
        if (h) {
          if (inp.inactive?.[c * P + j]) {
            problems.push({ ref: h.row.refs.amount, code: "holdOutsideDates", args: { member: nameOf(nodes[c], levels), period: h.row.period ?? "", other: inp.memberRef(c) } });
          }
          x[k] = h.units;
          fixed[k] = 1;
          anyFixed = true;
          heldSum += h.units;
          lastHold = h;
        } else {
          x[k] = seed[c * P + j];
          if (x[k] > 0) freeSeed += x[k];
        }
      }
      // A member's holds against its amount, exactly: Σ held · U against n ÷ d.
      if (lastHold) {
        const q = exact[c];
        const heldQ = BigInt(heldSum) * U * q.d;
        const totalHold = { row: inp.heldTotals?.[tier]?.get(c) };
        if (heldQ > q.n) {
          problems.push({ ref: lastHold.row.refs.amount, code: "holdsAboveRow", args: { member: nameOf(nodes[c], levels), holds: heldSum * inp.unit, amount: toDouble(q.n, q.d * U) * inp.unit, other: totalHold.row?.refs.amount ?? inp.memberRef(c) } });
        } else if (heldQ < q.n && !(freeSeed > 0)) {
          problems.push({ ref: lastHold.row.refs.amount, code: "holdsLeaveNoRoom", args: { member: nameOf(nodes[c], levels), holds: heldSum * inp.unit, amount: toDouble(q.n, q.d * U) * inp.unit, other: totalHold.row?.refs.amount ?? inp.memberRef(c) } });
        }
      } else if (exact[c].n > 0n && !(freeSeed > 0)) {
        problems.push({ ref: inp.memberRef(c), code: "memberHasNoPeriods", args: { member: nameOf(nodes[c], levels) } });
      }
    }
    // The holds in each period against the parent's amount there.
    if (anyFixed || held.size) {
      for (let j = 0; j < P; j++) {
        let s = 0;
        let last: HeldEdge | undefined;
        let free = 0;
        for (let i = 0; i < R; i++) {
          if (fixed[i * P + j]) { s += x[i * P + j]; last = held.get(kids[i] * P + j); }
          else {
            // What the holds under an unheld member need of it there counts too.
            s += needs[kids[i] * P + j];
            if (x[i * P + j] > 0) free++;
          }
        }
        const parentHold = held.get(u * P + j);
        // Without a hold here or on the parent, the parent's amount was raised to its members' needs already.
        const blame = last ?? parentHold;
        if (!blame) continue;
        const parentValue = cols[j];
        const other = last ? parentHold?.row.refs.amount ?? inp.memberRef(u) : inp.memberRef(u);
        const args = { parent: nameOf(nodes[u], levels), period: blame.row.period ?? "", holds: s * inp.unit, amount: Math.round(parentValue * inp.unit * 100) / 100, other };
        if (s > parentValue) problems.push({ ref: blame.row.refs.amount, code: "holdsAbovePeriod", args });
        else if (last && s < parentValue && free === 0) problems.push({ ref: blame.row.refs.amount, code: "holdsDoNotFillPeriod", args });
      }
    }
    // A period with an amount that no member can carry (all outside their dates, or a zero pattern).
    for (let j = 0; j < P; j++) {
      let fixedSum = 0;
      let free = false;
      for (let i = 0; i < R; i++) {
        if (fixed[i * P + j]) fixedSum += x[i * P + j];
        else if (x[i * P + j] > 0) free = true;
      }
      if (!free && cols[j] > fixedSum && !held.get(kids[0] * P + j)) {
        problems.push({ ref: inp.memberRef(kids[R - 1]), code: "periodHasNoMembers", args: { parent: nameOf(nodes[u], levels), period: inp.periodLabels?.[j] ?? String(j + 1) } });
        break;
      }
    }
    if (problems.length) continue;
    let out = ras(x, R, P, rows, cols, anyFixed ? fixed : undefined);
    iterations += out.iterations;
    // A member whose balanced amount in a period is below what the holds under it need there is
    // fixed at that need, and the block balanced again: the rest of the period goes to its siblings.
    if (held.size) {
      for (let round = 0; round < R * P; round++) {
        let raised = false;
        for (let i = 0; i < R; i++) {
          const c = kids[i];
          for (let j = 0; j < P; j++) {
            const k = i * P + j;
            const need = needs[c * P + j];
            if (!fixed[k] && need > 0 && x[k] < need) {
              x[k] = need;
              fixed[k] = 1;
              raised = true;
            }
          }
        }
        if (!raised) break;
        out = ras(x, R, P, rows, cols, fixed);
        iterations += out.iterations;
      }
    }
    if (!out.converged) capped++;
    for (let i = 0; i < R; i++) b.set(x.subarray(i * P, i * P + P), kids[i] * P);
  }
  return { b, iterations, capped };
}

/**
 * The seeds each block starts from. A leaf's row is its pattern × its activity. A node above the
 * leaves keeps its own pattern, × the share of its members' amounts that is active in each period
 * (bottom up: Σ members' amount × activity ÷ Σ amounts), so a team whose new hire starts in April
 * has, before April, only its other members' part of its season. Each row is then scaled to its
 * node's amount (held cells at their holds, the rest to what the holds leave). Where no member
 * has dates, the activity is 1 and the seeds are the patterns.
 */
function aggregateSeeds(inp: BalanceInput, tier: Tier, held: Map<number, HeldEdge>): Float64Array {
  const { nodes, P, U } = inp;
  const N = nodes.length;
  const agg = new Float64Array(N * P);
  const exact = inp.exact[tier];
  const act = inp.activity;
  // Per node and period: the active share of its amount (its own activity for a leaf).
  const share = act ? new Float64Array(N * P) : null;
  for (let v = N - 1; v >= 1; v--) {
    const base = v * P;
    const kids = nodes[v].children;
    if (share && act) {
      if (!kids.length) for (let j = 0; j < P; j++) share[base + j] = act[base + j];
      else {
        let total = 0;
        for (const c of kids) total += unitsOf(exact[c], U);
        for (const c of kids) {
          const w = total > 0 ? unitsOf(exact[c], U) / total : 1 / kids.length;
          for (let j = 0; j < P; j++) share[base + j] += w * share[c * P + j];
        }
      }
    }
    // The pattern (× activity for a leaf: inp.seeds holds it), × the members' active share above them.
    // (A node's seed is its pattern × its own and its ancestors' activity; its members' share includes those.)
    if (share && act && kids.length) for (let j = 0; j < P; j++) agg[base + j] = act[base + j] > 0 ? (inp.seeds[base + j] / act[base + j]) * share[base + j] : 0;
    else for (let j = 0; j < P; j++) agg[base + j] = inp.seeds[base + j];
    let rest = unitsOf(exact[v], U);
    let raw = 0;
    for (let j = 0; j < P; j++) {
      const h = held.get(base + j);
      if (h) rest -= h.units;
      else raw += agg[base + j];
    }
    const f = raw > 0 && rest > 0 ? rest / raw : 0;
    for (let j = 0; j < P; j++) {
      const h = held.get(base + j);
      agg[base + j] = h ? h.units : agg[base + j] * f;
    }
  }
  return agg;
}

/**
 * Holds that follow from others: a node all of whose members are fixed in a period — held there,
 * or with nothing to carry (outside their dates, or a zero pattern) — is held at their sum, bottom
 * up, so that its parent's block rebalances around it. Returns, per period, the root's derived
 * hold (when every first-level member is fixed), for the plan's period totals. Changes `held`.
 */
export function deriveHolds(nodes: PlanNode[], P: number, held: Map<number, HeldEdge>, seeds: Float64Array): Map<number, HeldEdge> {
  const N = nodes.length;
  const fixedSum = new Float64Array(N * P);
  const fixed = new Uint8Array(N * P);
  const rowOf = new Array<HoldRow | undefined>(N * P);
  const rootDerived = new Map<number, HeldEdge>();
  for (let v = N - 1; v >= 0; v--) {
    const kids = nodes[v].children;
    for (let j = 0; j < P; j++) {
      const k = v * P + j;
      const h = held.get(k);
      if (h && v > 0) {
        fixed[k] = 1;
        fixedSum[k] = h.units;
        rowOf[k] = h.row;
        continue;
      }
      if (!kids.length) {
        if (v > 0 && seeds[k] === 0) fixed[k] = 1;
        continue;
      }
      let all = true;
      let sum = 0;
      let row: HoldRow | undefined;
      for (const c of kids) {
        const ck = c * P + j;
        if (!fixed[ck]) { all = false; break; }
        sum += fixedSum[ck];
        row = rowOf[ck] ?? row;
      }
      // Only where a hold is among them: zeros alone are already the balanced values.
      if (!all || !row) continue;
      if (v === 0) {
        if (!h) rootDerived.set(j, { units: sum, row });
        continue;
      }
      fixed[k] = 1;
      fixedSum[k] = sum;
      rowOf[k] = row;
      held.set(k, { units: sum, row });
    }
  }
  return rootDerived;
}

/** The network's edges (see the header) and its node count. */
interface Net {
  N: number;
  P: number;
  E: number;
  nodeCount: number;
  from: Int32Array;
  to: Int32Array;
  /** Per edge: the network node it leaves, per node: its parent edge … (see build). */
  internal: Int32Array;
}

function buildNet(nodes: PlanNode[], P: number): Net {
  const N = nodes.length;
  const internal = new Int32Array(N).fill(-1);
  let I = 0;
  for (let v = 0; v < N; v++) if (nodes[v].children.length) internal[v] = I++;
  const agg = (u: number, j: number): number => N + internal[u] * P + j;
  const sink = N + I * P;
  const E = N + N * P;
  const from = new Int32Array(E);
  const to = new Int32Array(E);
  from[0] = sink;
  to[0] = 0;
  for (let v = 1; v < N; v++) {
    from[v] = nodes[v].parent;
    to[v] = v;
  }
  for (let j = 0; j < P; j++) {
    from[N + j] = agg(0, j);
    to[N + j] = sink;
  }
  for (let v = 1; v < N; v++) {
    const leaf = internal[v] < 0;
    for (let j = 0; j < P; j++) {
      from[N + v * P + j] = leaf ? v : agg(v, j);
      to[N + v * P + j] = agg(nodes[v].parent, j);
    }
  }
  return { N, P, E, nodeCount: sink + 1, from, to, internal };
}

/** One tier's attempt: bounds from `x` (approximate Units per edge) and exact ⌊ ⌋ where given. */
interface Bounds {
  lo: Float64Array;
  hi: Float64Array;
  fixedEdge: Uint8Array;
}

/** The remainder path's edges: tree edges of its nodes, and the aggregates of its period from the leaf up. */
function pathEdges(nodes: PlanNode[], N: number, P: number, pathNodes: number[], j: number): number[] {
  const edges: number[] = [...pathNodes];
  for (let k = pathNodes.length - 1; k >= 0; k--) edges.push(N + pathNodes[k] * P + j);
  return edges;
}

/**
 * The path carrying a remainder: from the root, the free child with the largest balanced amount
 * (a child whose total is held or locked is not free), down to a leaf, then the leaf's largest
 * period whose cell and aggregates up to the root are all free. Depth first, largest first.
 */
function findPath(inp: BalanceInput, tier: Tier, b: Float64Array): { nodes: number[]; period: number } | null {
  const { nodes, P } = inp;
  const held = inp.held[tier];
  const totalHeld = new Set<number>();
  for (let v = 0; v < nodes.length; v++) if (nodes[v].lock !== undefined && tier === "target") totalHeld.add(v);
  if (inp.heldTotals?.[tier]) for (const v of (inp.heldTotals[tier] as Map<number, HoldRow>).keys()) totalHeld.add(v);
  const amount = (v: number): number => {
    let s = 0;
    for (let j = 0; j < P; j++) s += b[v * P + j];
    return s;
  };
  const heldAt = (v: number, j: number): boolean => !!held?.has(v * P + j);
  const chain: number[] = [0];
  const walk = (v: number): { nodes: number[]; period: number } | null => {
    const kids = nodes[v].children;
    if (!kids.length) {
      let best = -1;
      for (let j = 0; j < P; j++) {
        let ok = true;
        for (const u of chain) if (heldAt(u, j)) ok = false;
        if (ok && (best < 0 || b[v * P + j] > b[v * P + best])) best = j;
      }
      return best < 0 ? null : { nodes: [...chain], period: best };
    }
    const order = kids.filter((c) => !totalHeld.has(c)).sort((a, c) => amount(c) - amount(a));
    for (const c of order) {
      chain.push(c);
      const found = walk(c);
      if (found) return found;
      chain.pop();
    }
    return null;
  };
  return walk(0);
}

export function balancePlan(inp: BalanceInput & { levels: string[] }, problems: Problem[]): BalanceOutput | null {
  const { nodes, leaves, P, U } = inp;
  const N = nodes.length;
  const order = [...inp.tiers].sort((a, c) => (a === "target" ? -1 : c === "target" ? 1 : 0));
  const balanced: Partial<Record<Tier, Float64Array>> = {};
  let iterations = 0;
  let capped = 0;
  for (const t of order) {
    const out = balanceTier(inp, t, inp.levels, t === order[0] ? null : scaleStart(balanced[order[0]] as Float64Array), problems);
    balanced[t] = out.b;
    iterations += out.iterations;
    capped += out.capped;
    if (problems.length) return null;
  }
  if (problems.length) return null;

  const net = buildNet(nodes, P);
  const E = net.E;
  const tiersOut: Partial<Record<Tier, TierRounding>> = {};
  let repairs = 0;
  let fallbacks = 0;
  let reproportioned = 0;
  let targetVal: Float64Array | null = null;
  let targetRem: Float64Array | null = null;
  let targetPath: { nodes: number[]; period: number } | null = null;
  const UD = Number(U);

  for (const t of order) {
    const total = inp.exact[t][0].n;
    const remainder = total % U;
    const b = balanced[t] as Float64Array;
    const held = inp.held[t];
    // Where the remainder may go: Target's path when it is free for this tier, else the largest
    // free path; for Floor and Stretch also the path along Target's largest rounded amounts.
    const candidates: { nodes: number[]; period: number }[] = [];
    const push = (p: { nodes: number[]; period: number } | null): void => {
      if (p && !candidates.some((c) => c.period === p.period && c.nodes.join() === p.nodes.join())) candidates.push(p);
    };
    if (targetPath && pathFree(inp, t, targetPath)) push(targetPath);
    if (targetVal && remainder > 0n) push(findPath(inp, t, rowsOf(targetVal, N, P)));
    push(findPath(inp, t, b));
    if (remainder > 0n && !candidates.length) {
      problems.push({ ref: inp.memberRef(0), code: "holdsLeaveNoRemainder", args: { remainder: (toDouble(remainder, U) * inp.unit) } });
      return null;
    }
    const r = remainder;
    const rUnits = Number(r) / UD;
    const fixedEdge = new Uint8Array(E);
    // Held edges: node v in period j is edge N + v·P + j (the plan's period j, v = 0, is N + j).
    if (held) for (const k of held.keys()) fixedEdge[N + k] = 1;
    // Held totals (and, for Target, Locks) keep their amounts in every attempt, widened or not.
    for (const v of inp.heldTotals?.[t]?.keys() ?? []) fixedEdge[v] = 1;
    if (t === "target") for (let v = 1; v < N; v++) if (nodes[v].lock !== undefined) fixedEdge[v] = 1;
    const rootUnits = Number((total - r) / U);

    /** The balanced values with the remainder reserved on `path`, as bounds. */
    const baseFor = (path: { nodes: number[]; period: number } | undefined): { x: Float64Array; lo0: Float64Array; frac: Uint8Array; rem: Float64Array } => {
      const onPath = new Uint8Array(E);
      if (r > 0n && path) for (const e of pathEdges(nodes, N, P, path.nodes, path.period)) onPath[e] = 1;
      const rem = new Float64Array(E);
      for (let e = 0; e < E; e++) if (onPath[e]) rem[e] = Number(r);
      const x = new Float64Array(E);
      const lo0 = new Float64Array(E);
      const frac = new Uint8Array(E);
      const exactEdge = (e: number, q: Rational): void => {
        const num = q.n - (onPath[e] ? r * q.d : 0n);
        const den = q.d * U;
        const f = floorDiv(num, den);
        lo0[e] = Number(f);
        frac[e] = num === f * den ? 0 : 1;
        x[e] = toDouble(num, den);
      };
      for (let v = 1; v < N; v++) exactEdge(v, inp.exact[t][v]);
      for (let j = 0; j < P; j++) exactEdge(N + j, inp.periodExact[t][j]);
      for (let v = 1; v < N; v++) {
        for (let j = 0; j < P; j++) {
          const e = N + v * P + j;
          const h = held?.get(v * P + j);
          if (h) {
            x[e] = lo0[e] = h.units;
            frac[e] = 0;
            continue;
          }
          let val = b[v * P + j] - (onPath[e] ? rUnits : 0);
          if (val < 0) val = 0;
          x[e] = val;
          const f = Math.floor(val);
          lo0[e] = f;
          frac[e] = val > f ? 1 : 0;
        }
      }
      return { x, lo0, frac, rem };
    };

    const attempt = (base: { x: Float64Array; lo0: Float64Array; frac: Uint8Array; rem: Float64Array }, slack: number, wide: boolean): Float64Array | null => {
      const rem = base.rem;
      const lo = new Float64Array(E);
      const hi = new Float64Array(E);
      for (let e = 0; e < E; e++) {
        if (fixedEdge[e]) {
          lo[e] = hi[e] = base.lo0[e];
          continue;
        }
        const l = base.lo0[e];
        lo[e] = wide ? 0 : Math.max(0, l - slack);
        hi[e] = wide ? Number.MAX_SAFE_INTEGER / 4 : l + base.frac[e] + slack;
        // A zero stays zero, even with wide bounds: a member outside its dates has no target there.
        if (l === 0 && !base.frac[e] && e >= N) hi[e] = 0;
      }
      lo[0] = hi[0] = rootUnits;
      if (targetVal && targetRem && t !== "target") {
        for (let e = 0; e < E; e++) {
          // A held edge keeps its hold (its order against Target's is checked before the tier is rounded).
          if (fixedEdge[e]) continue;
          if (t === "floor") {
            const c = targetVal[e] - (rem[e] > targetRem[e] ? 1 : 0);
            if (hi[e] > c) hi[e] = c;
            if (lo[e] > hi[e]) lo[e] = hi[e];
          } else {
            const c = targetVal[e] + (targetRem[e] > rem[e] ? 1 : 0);
            if (lo[e] < c) lo[e] = c;
            if (hi[e] < lo[e]) hi[e] = lo[e];
          }
        }
      }
      for (let e = 0; e < E; e++) if (hi[e] < 0) return null;
      // Target's caps may push an edge past its own bounds: then this is no rounding within (slack +) one Unit.
      if (!wide) {
        for (let e = 1; e < E; e++) {
          if (fixedEdge[e]) continue;
          const l = base.lo0[e];
          if (lo[e] > l + base.frac[e] + slack || hi[e] < l - slack) return null;
        }
      }
      const val = startValues(inp, net, base.x, { lo, hi, fixedEdge });
      const outcome = repairFlow(net.nodeCount, { from: net.from, to: net.to, lo, hi, val });
      repairs += outcome.moved;
      return outcome.balanced ? val : null;
    };

    /** Target's rounded amounts × the tier's ratio, as bounds (the path's remainder reserved). */
    const ratioBase = (own: { x: Float64Array; lo0: Float64Array; frac: Uint8Array; rem: Float64Array }): { x: Float64Array; lo0: Float64Array; frac: Uint8Array; rem: Float64Array } => {
      const ratio = toDouble(total, inp.exact.target[0].n || 1n);
      const rx = new Float64Array(E);
      const rlo = new Float64Array(E);
      const rfrac = new Uint8Array(E);
      for (let e = 0; e < E; e++) {
        if (fixedEdge[e]) { rx[e] = rlo[e] = own.lo0[e]; continue; }
        const v = (((targetVal as Float64Array)[e] * UD + (targetRem as Float64Array)[e]) * ratio - own.rem[e]) / UD;
        rx[e] = v > 0 ? v : 0;
        rlo[e] = Math.floor(rx[e]);
        rfrac[e] = rx[e] > rlo[e] ? 1 : 0;
      }
      return { x: rx, lo0: rlo, frac: rfrac, rem: own.rem };
    };

    let val: Float64Array | null = null;
    let path: { nodes: number[]; period: number } | null = null;
    let rem: Float64Array = new Float64Array(E);
    const paths = candidates.length ? candidates : [undefined];
    const made: ({ x: Float64Array; lo0: Float64Array; frac: Uint8Array; rem: Float64Array } | undefined)[] = [];
    const bases = { at: (i: number) => (made[i] ??= baseFor(paths[i])) };
    // A Floor hold above Target's rounded amount there, or a Stretch hold below it, breaks the tiers' order.
    if (targetVal && targetRem && held) {
      for (const [k, h] of held) {
        const e = N + k;
        const theirs = BigInt(targetVal[e]) * U + BigInt(targetRem[e]);
        const mine = BigInt(h.units) * U;
        if (t === "floor" ? mine > theirs : mine < theirs) {
          const v = Math.floor(k / P);
          problems.push({ ref: h.row.refs.amount, code: "holdTiersOutOfOrder", args: { member: `${nameOf(nodes[v], inp.levels)} (${h.row.period ?? ""})` } });
        }
      }
      if (problems.length) return null;
    }
    // Within one Unit of the balanced values; else of Target's rounded amounts × the ratio; else, where
    // RAS stopped at its cap short of balance, bounds widened step by step (1, 2, 4 … Units), and last any.
    const widen = [1, 2, 4, 8, 16, 64, 256, 4096];
    const stageList: { kind: "own" | "ratio" | "slack" | "wide"; slack: number }[] = [{ kind: "own", slack: 0 }, { kind: "ratio", slack: 0 }, ...widen.map((k) => ({ kind: "slack" as const, slack: k })), { kind: "wide", slack: 0 }];
    stages: for (const stage of stageList) {
      if (stage.kind === "ratio" && !(targetVal && t !== "target")) continue;
      for (let i = 0; i < paths.length; i++) {
        const own = bases.at(i);
        const base = stage.kind === "ratio" ? ratioBase(own) : own;
        val = attempt(base, stage.slack, stage.kind === "wide");
        if (val) {
          path = paths[i] ?? null;
          rem = own.rem;
          if (stage.kind === "ratio") reproportioned++;
          if (stage.kind === "slack" || stage.kind === "wide") fallbacks++;
          break stages;
        }
      }
    }
    if (!val) {
      // Holds that no rounding can keep together (their balancing stopped at its cap): a problem at the last hold.
      const rows = [...(inp.held[t]?.values() ?? [])].map((h) => h.row);
      const last = rows[rows.length - 1];
      if (!last) throw new Error(`rounding could not reconcile the ${t} tier`);
      problems.push({ ref: last.refs.amount, code: "holdsCannotBalance", args: { tier: t } });
      return null;
    }
    if (t === "target") {
      targetVal = val;
      targetRem = rem;
      targetPath = path;
    }
    if (remainder === 0n) path = path ?? candidates[0] ?? null;
    const leafPos = new Int32Array(N).fill(-1);
    leaves.forEach((v, i) => (leafPos[v] = i));
    const cellUnits = new Float64Array(leaves.length * P);
    for (let i = 0; i < leaves.length; i++) cellUnits.set(val.subarray(N + leaves[i] * P, N + leaves[i] * P + P), i * P);
    const nodeUnits = val.slice(0, N);
    const periodUnits = val.slice(N, N + P);
    tiersOut[t] = {
      nodeUnits,
      cellUnits,
      periodUnits,
      remainder,
      path: path && remainder > 0n
        ? { nodes: path.nodes, cell: leafPos[path.nodes[path.nodes.length - 1]] * P + path.period, period: path.period }
        : path
          ? { nodes: path.nodes, cell: leafPos[path.nodes[path.nodes.length - 1]] * P + path.period, period: path.period }
          : { nodes: [0], cell: -1, period: -1 },
    };
  }
  return { tiers: tiersOut, repairs, fallbacks, reproportioned, balanced, iterations, capped };
}

/** Per node and period (v·P + j), the rounded Units of the network's aggregate edges (for choosing a path). */
function rowsOf(val: Float64Array, N: number, P: number): Float64Array {
  return val.subarray(N, N + N * P);
}

/** Target's balanced values as the start of a later tier (a copy: RAS works in place). */
function scaleStart(b: Float64Array): Float64Array {
  return b.slice();
}

function pathFree(inp: BalanceInput, tier: Tier, path: { nodes: number[]; period: number }): boolean {
  const held = inp.held[tier];
  const totals = inp.heldTotals?.[tier];
  if (!totals && !held) return true;
  for (const v of path.nodes) {
    if (held?.has(v * inp.P + path.period)) return false;
    if (v > 0 && totals?.has(v)) return false;
  }
  return true;
}

/**
 * Start values: the tree by largest remainder, then each parent's block row by row, the units of
 * a row to the cells whose column has fallen furthest behind (the chairman rule), within bounds.
 */
function startValues(inp: BalanceInput, net: Net, x: Float64Array, bd: Bounds): Float64Array {
  const { nodes, P } = inp;
  const { N, E } = net;
  const { lo, hi } = bd;
  const val = new Float64Array(E);
  val[0] = lo[0];
  const share = (ids: number[], sum: number, at: (k: number) => number): void => {
    let need = sum;
    for (const k of ids) {
      const e = at(k);
      val[e] = lo[e];
      need -= lo[e];
    }
    if (need <= 0) return;
    const order = ids.filter((k) => hi[at(k)] > lo[at(k)]).sort((a, c) => x[at(c)] - lo[at(c)] - (x[at(a)] - lo[at(a)]) || a - c);
    // One unit each in order; past the first pass (wide bounds only), what each can take.
    for (let pass = 0; need > 0; pass++) {
      let progressed = false;
      for (const k of order) {
        const e = at(k);
        if (need > 0 && val[e] < hi[e]) {
          const give = pass === 0 ? 1 : Math.min(need, hi[e] - val[e]);
          val[e] += give;
          need -= give;
          progressed = true;
        }
      }
      if (!progressed) break;
    }
  };
  for (let v = 0; v < N; v++) {
    const kids = nodes[v].children;
    if (kids.length) share(kids, val[v], (k) => k);
  }
  const periods = Array.from({ length: P }, (_, j) => j);
  share(periods, val[0], (j) => N + j);
  // Blocks: each parent's children × periods, columns aiming at the parent's row.
  const drift = new Float64Array(P);
  const aim = new Float64Array(P);
  const pri = new Float64Array(P);
  const keys = new Float64Array(P);
  const idx: number[] = [];
  for (let u = 0; u < N; u++) {
    const kids = nodes[u].children;
    if (!kids.length) continue;
    drift.fill(0);
    for (let j = 0; j < P; j++) {
      let s = 0;
      for (const c of kids) s += x[N + c * P + j];
      aim[j] = s > 0 ? val[N + u * P + j] / s : 1;
    }
    for (const c of kids) {
      const base = N + c * P;
      let need = val[c];
      idx.length = 0;
      for (let j = 0; j < P; j++) {
        const e = base + j;
        val[e] = lo[e];
        need -= lo[e];
        if (hi[e] > lo[e]) {
          idx.push(j);
          pri[j] = x[e] * aim[j] - lo[e] - drift[j];
        }
      }
      if (need > 0 && idx.length) {
        // Highest priority first (ties: the earlier period), as sort keys: priority in the high bits, the period in the low 16.
        const n = idx.length;
        for (let k = 0; k < n; k++) {
          const j = idx[k];
          const q = Math.min(8, Math.max(0, 4 - pri[j]));
          keys[k] = Math.floor(q * 2 ** 30) * 65536 + j;
        }
        const sorted = keys.subarray(0, n).sort();
        for (let pass = 0; need > 0; pass++) {
          let progressed = false;
          for (let k = 0; k < n && need > 0; k++) {
            const key = sorted[k];
            const e = base + (key - Math.floor(key / 65536) * 65536);
            if (val[e] < hi[e]) {
              const give = pass === 0 ? 1 : Math.min(need, hi[e] - val[e]);
              val[e] += give;
              need -= give;
              progressed = true;
            }
          }
          if (!progressed) break;
        }
      }
      for (let j = 0; j < P; j++) drift[j] += val[base + j] - x[base + j] * aim[j];
    }
  }
  return val;
}
