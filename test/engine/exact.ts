/**
 * Checks a plan from its exact form (PlanResult.exact), in bigint quanta and bigint rationals,
 * with no tolerance: every set of siblings adds up to its parent, every row and column of the
 * matrix adds up, each value is within one Unit of its exact proportional value (the remainder's
 * path within one Unit plus the remainder), every value off the path is a multiple of Unit,
 * Floor ≤ Target ≤ Stretch everywhere, and each number is the double of its exact decimal.
 * Returns the first thing that fails, or null.
 */
import { amountQuanta, numberOfQuanta, type AmountPlace } from "../../src/engine/amounts";
import type { PlanResult, Tier } from "../../src/engine/types";

interface Q {
  n: bigint;
  d: bigint;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

export function exactProblems(r: PlanResult): string | null {
  const x = r.exact;
  if (!x) return "no exact form";
  const U = x.unitQuanta;
  const P = r.periods.length;
  const L = r.leaves.length;
  const S = x.shareDenominator;
  const sn = x.shareNumerators;
  let shareSum = 0n;
  for (const n of sn) shareSum += n;
  if (shareSum !== S) return "period shares do not add up to 1";

  const quanta = (t: Tier, where: AmountPlace, i: number): bigint => amountQuanta(r, t, where, i);
  for (const t of r.tiers) {
    const info = x.tiers[t];
    const exactNodes = x.nodeExact[t];
    if (!info || !exactNodes) return `${t}: no exact amounts`;
    const rem = info.remainder;
    const total = exactNodes[0];
    if (total.d !== 1n) return `${t}: the total is not whole quanta`;
    if (rem !== total.n % U) return `${t}: remainder ${rem} is not the total mod Unit`;
    if (quanta(t, "node", 0) !== total.n) return `${t}: root ${quanta(t, "node", 0)} is not the total ${total.n}`;
    const pathNodes = new Set(info.path.nodes);

    // Numbers are the doubles of the exact decimals.
    for (let v = 0; v < r.nodes.length; v++) if (r.nodes[v].amount[t] !== numberOfQuanta(quanta(t, "node", v), x.decimals)) return `${t}: node ${v}'s number`;
    for (let j = 0; j < P; j++) if (r.periods[j].amount[t] !== numberOfQuanta(quanta(t, "period", j), x.decimals)) return `${t}: period ${j}'s number`;
    for (let c = 0; c < L * P; c++) if (r.cells[t][c] !== numberOfQuanta(quanta(t, "cell", c), x.decimals)) return `${t}: cell ${c}'s number`;
    if (r.totals[t] !== numberOfQuanta(total.n, x.decimals)) return `${t}: total's number`;

    // Exact values add up exactly.
    for (const parent of r.nodes) {
      if (!parent.children.length) continue;
      const p = exactNodes[r.nodes.indexOf(parent)];
      let n = 0n;
      let d = 1n;
      for (const c of parent.children) {
        const e = exactNodes[c];
        n = n * e.d + e.n * d;
        d *= e.d;
      }
      if (n * p.d !== p.n * d) return `${t}: exact values of ${JSON.stringify(parent.path)}'s members do not add up`;
    }

    // Sums, exactly.
    for (let v = 0; v < r.nodes.length; v++) {
      const kids = r.nodes[v].children;
      if (!kids.length) continue;
      let sum = 0n;
      for (const c of kids) sum += quanta(t, "node", c);
      if (sum !== quanta(t, "node", v)) return `${t}: members of node ${v} add up to ${sum}, not ${quanta(t, "node", v)}`;
    }
    const columns = new Array<bigint>(P).fill(0n);
    for (let i = 0; i < L; i++) {
      let row = 0n;
      for (let j = 0; j < P; j++) {
        const q = quanta(t, "cell", i * P + j);
        if (q < 0n) return `${t}: cell ${i}×${j} is negative`;
        row += q;
        columns[j] += q;
      }
      if (row !== quanta(t, "node", r.leaves[i])) return `${t}: row ${i} adds up to ${row}, not ${quanta(t, "node", r.leaves[i])}`;
    }
    let periods = 0n;
    for (let j = 0; j < P; j++) {
      if (columns[j] !== quanta(t, "period", j)) return `${t}: column ${j} adds up to ${columns[j]}, not ${quanta(t, "period", j)}`;
      periods += columns[j];
    }
    if (periods !== total.n) return `${t}: periods add up to ${periods}, not ${total.n}`;

    // Multiples of Unit off the path; the path carries the remainder.
    const multiple = (q: bigint, onPath: boolean): boolean => (q - (onPath && rem ? rem : 0n)) % U === 0n;
    for (let v = 0; v < r.nodes.length; v++) if (!multiple(quanta(t, "node", v), pathNodes.has(v))) return `${t}: node ${v} is not a multiple of Unit`;
    for (let j = 0; j < P; j++) if (!multiple(quanta(t, "period", j), info.path.period === j)) return `${t}: period ${j} is not a multiple of Unit`;
    for (let c = 0; c < L * P; c++) if (!multiple(quanta(t, "cell", c), info.path.cell === c)) return `${t}: cell ${c} is not a multiple of Unit`;

    // Within one Unit (plus the remainder on its path) of exact: |q·d − n| < limit·d. A re-proportioned
    // Floor or Stretch is within one Unit of Target's rounded amount × the tier's ratio instead.
    const targetTotal = x.nodeExact.target?.[0].n ?? 0n;
    const ratio: Q = targetTotal > 0n ? { n: total.n, d: targetTotal } : { n: 1n, d: 1n };
    const near = (q: bigint, e: Q, onPath: boolean, where: AmountPlace, i: number): boolean => {
      const limit = U + (onPath ? rem : 0n);
      if (abs(q * e.d - e.n) < limit * e.d) return true;
      if (t === "target" || r.rounding.reproportioned === 0) return false;
      const base = quanta("target", where, i);
      return abs(q * ratio.d - base * ratio.n) < limit * ratio.d;
    };
    for (let v = 0; v < r.nodes.length; v++) {
      if (!near(quanta(t, "node", v), exactNodes[v], pathNodes.has(v), "node", v)) return `${t}: node ${v} is more than one Unit from exact`;
    }
    for (let j = 0; j < P; j++) {
      if (!near(quanta(t, "period", j), { n: total.n * sn[j], d: S }, info.path.period === j, "period", j)) return `${t}: period ${j} is more than one Unit from exact`;
    }
    for (let i = 0; i < L; i++) {
      const leaf = exactNodes[r.leaves[i]];
      for (let j = 0; j < P; j++) {
        const c = i * P + j;
        if (!near(quanta(t, "cell", c), { n: leaf.n * sn[j], d: leaf.d * S }, info.path.cell === c, "cell", c)) return `${t}: cell ${i}×${j} is more than one Unit from exact`;
      }
    }
  }

  // Floor ≤ Target ≤ Stretch everywhere.
  const pairs: [Tier, Tier][] = [];
  if (r.tiers.includes("floor")) pairs.push(["floor", "target"]);
  if (r.tiers.includes("stretch")) pairs.push(["target", "stretch"]);
  for (const [lo, hi] of pairs) {
    for (let v = 0; v < r.nodes.length; v++) if (quanta(lo, "node", v) > quanta(hi, "node", v)) return `node ${v}: ${lo} above ${hi}`;
    for (let j = 0; j < P; j++) if (quanta(lo, "period", j) > quanta(hi, "period", j)) return `period ${j}: ${lo} above ${hi}`;
    for (let c = 0; c < L * P; c++) if (quanta(lo, "cell", c) > quanta(hi, "cell", c)) return `cell ${c}: ${lo} above ${hi}`;
  }
  return null;
}
