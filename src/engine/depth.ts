/**
 * What the balanced plan (balance.ts) starts from (docs/planning-depth.md, "Engine"): each node's
 * own period pattern (Seasonality Own), each member's active-days × ramp profile (Start / End /
 * Ramp), and the holds, placed on the tree's nodes and the plan's periods.
 */
import { inWindow, type PeriodSlot, type WorkCalendar } from "./calendar";
import { ymdOf } from "./dates";
import { factTable } from "./facts";
import { fromNumber, type Rational } from "./rational";
import { monthComposition, patternOf } from "./season";
import { pathKey } from "./tree";
import type { HeldEdge } from "./balance";
import { MonthOfDay, type HistoryScan } from "./history";
import type { Problem } from "./problems";
import type { HoldRow, PlanInput, PlanNode, Tier, WeightRow } from "./types";

/** History shorter than this (first day to last, in days) does not make a pattern of its own: the parent's is used. */
export const OWN_PATTERN_DAYS = 365;

/** True when the plan needs the balanced path: Own seasonality, members with dates or a ramp, or holds. */
export function needsBalance(input: PlanInput): boolean {
  return input.seasonality === "Own" || (input.holds?.length ?? 0) > 0 || input.weights.some(isDated);
}

export function isDated(w: WeightRow): boolean {
  return w.start !== undefined || w.end !== undefined || (w.ramp !== undefined && w.ramp.length > 0);
}

/** The k-th month since Start of a day (anniversaries: 15 March → 14 April is month 0). */
function monthsSince(start: number, day: number): number {
  const a = ymdOf(start);
  const b = ymdOf(day);
  return (b.y - a.y) * 12 + (b.m - a.m) - (b.d < a.d ? 1 : 0);
}

/** A member's factor on a day: 0 outside Start..End, the ramp's step in its first months, 1 after. */
function dayFactor(w: WeightRow, day: number, steps: Rational[]): Rational {
  if ((w.start !== undefined && day < w.start) || (w.end !== undefined && day > w.end)) return { n: 0n, d: 1n };
  if (w.start === undefined || !steps.length) return { n: 1n, d: 1n };
  const k = monthsSince(w.start, day);
  return k >= 0 && k < steps.length ? steps[k] : { n: 1n, d: 1n };
}

/**
 * A dated member's active share of the plan, exactly: Σ over the plan's working days of its factor
 * (0 outside its dates, the ramp's step in its first months, else 1) ÷ the plan's working days.
 */
export function prorationOf(input: PlanInput, cal: WorkCalendar): (w: WeightRow) => Rational | undefined {
  let work = 0;
  for (let d = input.start; d <= input.end; d++) if (cal.isWorkday(d)) work++;
  return (w) => {
    if (!isDated(w) || work === 0) return undefined;
    const steps = (w.ramp ?? []).map(fromNumber);
    let scale = 1n;
    for (const s of steps) if (s.d > scale) scale = s.d;
    let sum = 0n;
    for (let d = input.start; d <= input.end; d++) {
      if (!cal.isWorkday(d)) continue;
      const f = dayFactor(w, d, steps);
      sum += f.n * (scale / f.d);
    }
    return { n: sum, d: scale * BigInt(work) };
  };
}

/** Per node and period (v·P + j): the member's activity (its own row × its ancestors'), 0 to 1, by working days. */
export function activities(input: PlanInput, nodes: PlanNode[], rowOf: (v: number) => WeightRow | undefined, slots: PeriodSlot[], cal: WorkCalendar): Float64Array | null {
  const P = slots.length;
  const N = nodes.length;
  let any = false;
  const act = new Float64Array(N * P).fill(1);
  for (let v = 1; v < N; v++) {
    const parent = nodes[v].parent;
    for (let j = 0; j < P; j++) act[v * P + j] = act[parent * P + j];
    const w = rowOf(v);
    if (!w || !isDated(w)) continue;
    any = true;
    const steps = (w.ramp ?? []).map(fromNumber);
    for (let j = 0; j < P; j++) {
      const s = slots[j];
      let sum = 0;
      let days = 0;
      const useAll = s.workdays === 0;
      for (let d = s.start; d <= s.end; d++) {
        if (!useAll && !cal.isWorkday(d)) continue;
        days++;
        const f = dayFactor(w, d, steps);
        sum += Number(f.n) / Number(f.d);
      }
      act[v * P + j] *= days ? sum / days : 0;
    }
  }
  return any ? act : null;
}

/**
 * Each node's period pattern (v·P + j), as period weights: Shared gives every node the plan's
 * period weights; Own gives a node with a year of History (first day to last) its own monthly sums
 * spread over the periods as the plan's are, and a node with less (or none) its parent's pattern.
 * `same` is true when every node's own pattern is exactly the plan's (proportional monthly sums).
 */
export function patterns(input: PlanInput, nodes: PlanNode[], slots: PeriodSlot[], cal: WorkCalendar, scan: HistoryScan): { seeds: Float64Array; same: boolean } {
  const P = slots.length;
  const N = nodes.length;
  const seeds = new Float64Array(N * P);
  for (let j = 0; j < P; j++) seeds[j] = slots[j].weight;
  if (input.seasonality !== "Own") {
    for (let v = 1; v < N; v++) seeds.copyWithin(v * P, 0, P);
    return { seeds, same: true };
  }
  // One pass over History: each fact to the deepest node it names, by month.
  const childByName: Map<string, number>[] = nodes.map(() => new Map());
  for (let v = 1; v < N; v++) childByName[nodes[v].parent].set(nodes[v].member, v);
  const months = new Float64Array(N * 12);
  const seen = new Uint8Array(N * 12);
  const first = new Float64Array(N).fill(Infinity);
  const last = new Float64Array(N).fill(-Infinity);
  const keep = inWindow(input);
  const { levels, metric } = input;
  let lastStart = NaN;
  let slot = 0;
  const facts = factTable(input.history);
  const values = facts.measure(metric);
  const columns = levels.map((l) => facts.codes(l));
  // Per node with children, its child by the next level's member code (−1: none), filled as codes are first met.
  const childByCode: (Map<number, number> | undefined)[] = new Array(N);
  const monthOf = new MonthOfDay();
  const names = levels.map((l) => facts.members(l));
  for (let r = 0; r < facts.length; r++) {
    const start = facts.start[r];
    if (!keep(start)) continue;
    let v = 0;
    for (let l = 0; l < levels.length; l++) {
      const code = columns[l][r];
      if (code === 0) break;
      const byCode = (childByCode[v] ??= new Map());
      let c = byCode.get(code);
      if (c === undefined) {
        c = childByName[v].get(names[l][code]) ?? -1;
        byCode.set(code, c);
      }
      if (c < 0) break;
      v = c;
    }
    if (v === 0) continue;
    if (start !== lastStart) {
      lastStart = start;
      slot = monthOf.of(start);
    }
    const amount = values ? values[r] : 0;
    if (amount) months[v * 12 + slot] += amount;
    seen[v * 12 + slot] = 1;
    if (start < first[v]) first[v] = start;
    const end = facts.end[r];
    if (end > last[v]) last[v] = end;
  }
  for (let v = N - 1; v > 0; v--) {
    const p = nodes[v].parent;
    if (p === 0) continue;
    for (let m = 0; m < 12; m++) {
      months[p * 12 + m] += months[v * 12 + m];
      seen[p * 12 + m] |= seen[v * 12 + m];
    }
    if (first[v] < first[p]) first[p] = first[v];
    if (last[v] > last[p]) last[p] = last[v];
  }
  const comp = monthComposition(slots, cal);
  const plan = scan.months;
  let same = true;
  const out = new Float64Array(P);
  for (let v = 1; v < N; v++) {
    const ms = months.subarray(v * 12, v * 12 + 12);
    const sn = seen.subarray(v * 12, v * 12 + 12);
    let total = 0;
    for (let m = 0; m < 12; m++) total += ms[m];
    const own = last[v] - first[v] + 1 >= OWN_PATTERN_DAYS && total > 0;
    if (!own) {
      seeds.copyWithin(v * P, nodes[v].parent * P, nodes[v].parent * P + P);
      continue;
    }
    if (same && !proportional(ms, sn, plan.approx, plan.seen)) same = false;
    patternOf(ms, sn, comp, out);
    seeds.set(out, v * P);
  }
  return { seeds, same };
}

/** Twelve monthly sums exactly proportional to the plan's (whole numbers compared as bigints), with the same months seen. */
function proportional(a: Float64Array, aSeen: Uint8Array, b: Float64Array, bSeen: Uint8Array): boolean {
  let sa = 0;
  let sb = 0;
  for (let m = 0; m < 12; m++) {
    if (aSeen[m] !== bSeen[m]) return false;
    if (!Number.isSafeInteger(a[m]) || !Number.isSafeInteger(b[m])) return false;
    sa += a[m];
    sb += b[m];
  }
  if (!Number.isSafeInteger(sa) || !Number.isSafeInteger(sb)) return false;
  for (let m = 0; m < 12; m++) if (BigInt(a[m]) * BigInt(sb) !== BigInt(b[m]) * BigInt(sa)) return false;
  return true;
}

/** Holds sorted by where they hold: node totals (for the tree), the plan's periods, and node × period edges. */
export interface PlacedHolds {
  totals: Map<string, HoldRow[]>;
  /** Per tier: period index → held quanta. */
  periods: Partial<Record<Tier, Map<number, { quanta: bigint; row: HoldRow }>>>;
  /** Per tier: the plan's total held (must equal it). */
  planTotals: HoldRow[];
  edges: HoldRow[];
}

/** The holds by kind; a hold that is not a whole number of Units is a problem at its Amount cell, exactly. */
export function placeHolds(input: PlanInput, decimals: number, U: bigint, labels: string[], problems: Problem[]): PlacedHolds {
  const out: PlacedHolds = { totals: new Map(), periods: {}, planTotals: [], edges: [] };
  const index = new Map(labels.map((l, j) => [l, j]));
  const scale = 10n ** BigInt(decimals);
  for (const h of input.holds ?? []) {
    const r = fromNumber(h.amount);
    const q = (r.n * scale) / r.d;
    if (h.amount < 0 || q * r.d !== r.n * scale || q % U !== 0n) {
      problems.push({ ref: h.refs.amount, code: "holdNotMultipleOfUnit", args: { amount: h.amount, unit: input.unit } });
      continue;
    }
    const root = Object.keys(h.path).length === 0;
    if (h.period === undefined) {
      if (root) out.planTotals.push(h);
      else {
        const key = pathKey(input.levels, h.path);
        const list = out.totals.get(key);
        if (list) list.push(h);
        else out.totals.set(key, [h]);
      }
      continue;
    }
    const j = index.get(h.period);
    if (j === undefined) {
      problems.push({ ref: h.refs.period ?? h.ref, code: "unknownHoldPeriod", args: { value: h.period, known: labels.slice(0, 6).join(", ") } });
      continue;
    }
    if (root) {
      const m = (out.periods[h.tier] ??= new Map());
      m.set(j, { quanta: q, row: h });
    } else out.edges.push(h);
  }
  return out;
}

/**
 * The period totals of one tier, exactly (quanta): held periods their hold, the others share what
 * the holds leave by `weights`. Returns null (with a problem) when the holds do not fit the total.
 */
export function periodTotals(total: bigint, weights: Rational[], held: Map<number, { quanta: bigint; row: HoldRow }> | undefined, planRef: string, problems: Problem[]): Rational[] | null {
  if (!held || !held.size) return weights.map((w) => ({ n: total * w.n, d: w.d }));
  let heldSum = 0n;
  let last: HoldRow | undefined;
  for (const { quanta, row } of held.values()) {
    heldSum += quanta;
    last = row;
  }
  const rest = total - heldSum;
  // The free periods' weights over one denominator.
  let common = 1n;
  weights.forEach((w, j) => { if (!held.has(j)) common = lcmOf(common, w.d); });
  const nums = weights.map((w, j) => (held.has(j) ? 0n : w.n * (common / w.d)));
  let freeSum = 0n;
  for (const n of nums) freeSum += n;
  const args = { holds: Number(heldSum), total: Number(total), other: planRef };
  if (rest < 0n) {
    problems.push({ ref: (last as HoldRow).refs.amount, code: "holdsAbovePlan", args });
    return null;
  }
  if (rest > 0n && !(freeSum > 0n)) {
    problems.push({ ref: (last as HoldRow).refs.amount, code: "holdsDoNotFillPlan", args });
    return null;
  }
  return weights.map((_, j) => {
    const h = held.get(j);
    if (h) return { n: h.quanta, d: 1n };
    return freeSum > 0n ? { n: rest * nums[j], d: freeSum } : { n: 0n, d: 1n };
  });
}

function lcmOf(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** Node × period holds as held edges per tier (v·P + j), found by path. */
export function heldEdges(input: PlanInput, nodes: PlanNode[], placed: PlacedHolds, labels: string[], U: bigint, decimals: number, problems: Problem[]): Partial<Record<Tier, Map<number, HeldEdge>>> {
  const P = labels.length;
  const byKey = new Map<string, number>();
  nodes.forEach((n, v) => byKey.set(pathKey(input.levels, n.path), v));
  const index = new Map(labels.map((l, j) => [l, j]));
  const out: Partial<Record<Tier, Map<number, HeldEdge>>> = {};
  const scale = 10n ** BigInt(decimals);
  for (const h of placed.edges) {
    const v = byKey.get(pathKey(input.levels, h.path));
    if (v === undefined || v === 0) {
      problems.push({ ref: h.refs.member ?? h.ref, code: "unknownHoldMember", args: { member: Object.values(h.path).join(" / "), level: "" } });
      continue;
    }
    const j = index.get(h.period as string) as number;
    const r = fromNumber(h.amount);
    const units = Number((r.n * scale) / r.d / U);
    (out[h.tier] ??= new Map()).set(v * P + j, { units, row: h });
  }
  // The plan in a period, as the root's edge.
  for (const t of ["floor", "target", "stretch"] as Tier[]) {
    const m = placed.periods[t];
    if (!m) continue;
    for (const [j, { quanta, row }] of m) (out[t] ??= new Map()).set(j, { units: Number(quanta / U), row });
  }
  return out;
}
