/**
 * The totals check a reviewer sees (✓ when everything adds up): siblings to their parent,
 * matrix rows to their leaf, columns to their period, periods to the plan — per tier.
 */
import type { PlanResult } from "./types";

export interface TotalsCheck {
  ok: boolean;
  /** Human-readable places that do not add up (empty when ok). */
  mismatches: string[];
}

export function checkTotals(r: PlanResult): TotalsCheck {
  const mismatches: string[] = [];
  const tolerance = r.unit * 1e-9 + 1e-9;
  const off = (a: number, b: number): boolean => Math.abs(a - b) > tolerance * Math.max(1, Math.abs(b));
  const P = r.periods.length;
  for (const t of r.tiers) {
    for (const parent of r.nodes) {
      if (!parent.children.length) continue;
      const sum = parent.children.reduce((a, c) => a + r.nodes[c].amount[t], 0);
      if (off(sum, parent.amount[t])) mismatches.push(`${t}: members of ${Object.values(parent.path).join(" / ") || "the plan"}`);
    }
    const columns = new Float64Array(P);
    r.leaves.forEach((leaf, i) => {
      let row = 0;
      for (let j = 0; j < P; j++) {
        const v = r.cells[t][i * P + j];
        row += v;
        columns[j] += v;
      }
      if (off(row, r.nodes[leaf].amount[t])) mismatches.push(`${t}: periods of ${Object.values(r.nodes[leaf].path).join(" / ")}`);
    });
    r.periods.forEach((p, j) => {
      if (off(columns[j], p.amount[t])) mismatches.push(`${t}: members in ${p.label}`);
    });
    const periods = r.periods.reduce((a, p) => a + p.amount[t], 0);
    if (off(periods, r.totals[t])) mismatches.push(`${t}: periods of the plan`);
  }
  return { ok: mismatches.length === 0, mismatches };
}
