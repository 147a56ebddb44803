/**
 * The totals check a reviewer sees (✓ when everything adds up): siblings to their parent,
 * matrix rows to their leaf, columns to their period, periods to the plan — per tier.
 *
 * Exactly, with no tolerance: amounts are compared as whole numbers of quanta. A plan from
 * computePlan carries them (PlanResult.exact); a result built by hand is read as the decimals its
 * numbers are written as.
 */
import { decimalParts, pow10 } from "./rational";
import type { PlanResult, Tier } from "./types";

export interface TotalsCheck {
  ok: boolean;
  /** Human-readable places that do not add up (empty when ok). */
  mismatches: string[];
}

/** Amounts of one tier as whole numbers: node, cell and period values with the quanta they stand for. */
interface TierQuanta {
  /** Whole Units (exact doubles) plus, for the few amounts that carry it, extra quanta. */
  node(i: number): number;
  cell(i: number): number;
  period(j: number): number;
  extraNode(i: number): bigint;
  extraCell(i: number): bigint;
  extraPeriod(j: number): bigint;
  /** Quanta per Unit of node()/cell()/period(). */
  unit: bigint;
}

function exactQuanta(r: PlanResult, t: Tier): TierQuanta | undefined {
  const x = r.exact;
  const nodes = x?.nodeUnits[t];
  const cells = x?.cellUnits[t];
  const periods = x?.periodUnits[t];
  const info = x?.tiers[t];
  if (!x || !nodes || !cells || !periods || !info) return undefined;
  const onPath = new Set(info.path.nodes);
  const rem = info.remainder;
  return {
    node: (i) => nodes[i],
    cell: (i) => cells[i],
    period: (j) => periods[j],
    extraNode: (i) => (onPath.has(i) ? rem : 0n),
    extraCell: (i) => (i === info.path.cell ? rem : 0n),
    extraPeriod: (j) => (j === info.path.period ? rem : 0n),
    unit: x.unitQuanta,
  };
}

/** A hand-built result: every number as the decimal it is written as, at the finest scale among them. */
function writtenQuanta(r: PlanResult, t: Tier): TierQuanta {
  const all = [...r.nodes.map((n) => n.amount[t]), ...r.cells[t], ...r.periods.map((p) => p.amount[t]), r.totals[t]];
  let places = 0;
  for (const v of all) places = Math.max(places, -decimalParts(v).exponent);
  const scale = places;
  const q = (v: number): bigint => {
    const { digits, exponent } = decimalParts(v);
    return digits * pow10(exponent + scale);
  };
  return {
    node: () => 0,
    cell: () => 0,
    period: () => 0,
    extraNode: (i) => q(r.nodes[i].amount[t]),
    extraCell: (i) => q(r.cells[t][i]),
    extraPeriod: (j) => q(r.periods[j].amount[t]),
    unit: 1n,
  };
}

/** Σ parts, exactly: the Units as doubles while they stay safe integers (then bigints), the extra quanta as bigints. */
class Tally {
  private units = 0;
  private big = 0n;
  private extra = 0n;
  add(units: number, extra: bigint): void {
    const s = this.units + units;
    if (Number.isSafeInteger(s)) this.units = s;
    else {
      this.big += BigInt(this.units) + BigInt(units);
      this.units = 0;
    }
    if (extra !== 0n) this.extra += extra;
  }
  equals(units: number, extra: bigint, unit: bigint): boolean {
    if (this.big === 0n && this.extra === extra) return this.units === units;
    return (this.big + BigInt(this.units)) * unit + this.extra === BigInt(units) * unit + extra;
  }
}

export function checkTotals(r: PlanResult): TotalsCheck {
  const mismatches: string[] = [];
  const P = r.periods.length;
  for (const t of r.tiers) {
    const q = exactQuanta(r, t) ?? writtenQuanta(r, t);
    const { unit } = q;
    const name = (i: number): string => Object.values(r.nodes[i].path).join(" / ");
    for (let p = 0; p < r.nodes.length; p++) {
      const parent = r.nodes[p];
      if (!parent.children.length) continue;
      const sum = new Tally();
      for (const c of parent.children) sum.add(q.node(c), q.extraNode(c));
      if (!sum.equals(q.node(p), q.extraNode(p), unit)) mismatches.push(`${t}: members of ${name(p) || "the plan"}`);
    }
    const columns = Array.from({ length: P }, () => new Tally());
    r.leaves.forEach((leaf, i) => {
      const row = new Tally();
      for (let j = 0; j < P; j++) {
        const k = i * P + j;
        const units = q.cell(k);
        const extra = q.extraCell(k);
        row.add(units, extra);
        columns[j].add(units, extra);
      }
      if (!row.equals(q.node(leaf), q.extraNode(leaf), unit)) mismatches.push(`${t}: periods of ${name(leaf)}`);
    });
    r.periods.forEach((p, j) => {
      if (!columns[j].equals(q.period(j), q.extraPeriod(j), unit)) mismatches.push(`${t}: members in ${p.label}`);
    });
    const periods = new Tally();
    for (let j = 0; j < P; j++) periods.add(q.period(j), q.extraPeriod(j));
    if (!periods.equals(q.node(0), q.extraNode(0), unit)) mismatches.push(`${t}: periods of the plan`);
    withinBalanced(r, t, name, mismatches);
  }
  return { ok: mismatches.length === 0, mismatches };
}

/**
 * A balanced plan (Seasonality Own, members' dates, holds): every cell within one Unit of its
 * balanced value — in [⌊b⌋, ⌈b⌉] of its Units, b less the remainder on the remainder's cell.
 * Target always; Floor and Stretch unless the plan says they were re-proportioned to Target's
 * rounded amounts, or had bounds widened (rounding.reproportioned, rounding.fallbacks).
 */
function withinBalanced(r: PlanResult, t: Tier, name: (i: number) => string, mismatches: string[]): void {
  const cells = r.balance?.cells[t];
  const x = r.exact;
  const units = x?.cellUnits[t];
  const info = x?.tiers[t];
  if (!cells || !x || !units || !info) return;
  if (r.rounding.fallbacks > 0 || r.balance?.capped) return;
  if (t !== "target" && r.rounding.reproportioned > 0) return;
  const P = r.periods.length;
  const rem = Number(info.remainder) / Number(x.unitQuanta);
  for (let k = 0; k < units.length; k++) {
    let b = cells[k] - (info.remainder > 0n && k === info.path.cell ? rem : 0);
    if (b < 0) b = 0;
    if (units[k] < Math.floor(b) || units[k] > Math.ceil(b)) {
      mismatches.push(`${t}: ${name(r.leaves[Math.floor(k / P)])} in ${r.periods[k % P].label} is more than one Unit from its balanced value`);
      if (mismatches.length > 20) return;
    }
  }
}
