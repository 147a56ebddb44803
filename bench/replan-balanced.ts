/**
 * `npm run bench` (re-plan of a balanced plan): the July re-plan of 5,000 reps at Week grain, the
 * plan balanced (Seasonality Own and 500 holds, as bench/planning.ts builds them), against the
 * re-plan of the Shared plan of the same input. Actuals: every rep's first 26 weeks at 80–115% of
 * its Target there. Prints the medians, the holds kept and released, and whether both versions add up.
 *
 *   node --expose-gc --import tsx bench/replan-balanced.ts
 */
import { parseWorkbook } from "../src/contract";
import { checkTotals, computePlan, type FactRow, type PlanInput, type PlanResult } from "../src/engine";
import { computeReplan, type ReplanResult } from "../src/engine/replan";
import { benchHolds, benchRawTables } from "./generate";

const REPS = Number(process.env.BENCH_REPS ?? 5_000);
const RUNS = 5;
const ENDED = 26;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function actualsFor(plan: PlanResult): FactRow[] {
  const P = plan.periods.length;
  const rows: FactRow[] = [];
  plan.leaves.forEach((leaf, i) => {
    for (let j = 0; j < ENDED; j++) {
      const v = Math.round(plan.cells.target[i * P + j] * (0.8 + ((i + j) % 8) * 0.05));
      if (v) rows.push({ dims: { ...plan.nodes[leaf].path }, start: plan.periods[j].start, end: plan.periods[j].start, measures: { [plan.metric]: v }, ref: `Actuals!A${rows.length + 2}` });
    }
  });
  return rows;
}

function timed(input: PlanInput, plan: PlanResult): { ms: number; r: ReplanResult } {
  const actuals = actualsFor(plan);
  const asOf = plan.periods[ENDED - 1].end;
  let r = computeReplan(input, plan, actuals, { asOf }); // warm-up
  global.gc?.();
  const walls: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = process.hrtime.bigint();
    r = computeReplan(input, plan, actuals, { asOf });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: median(walls), r };
}

function main(): void {
  const parsed = parseWorkbook(benchRawTables({ reps: REPS }));
  if (!parsed.ok) throw new Error(`bench workbook has problems: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
  const base: PlanInput = { ...parsed.workbook.input, grain: "Week" };
  const sharedPlan = computePlan(base);
  const heldInput: PlanInput = { ...base, seasonality: "Own", holds: benchHolds(sharedPlan, base.unit) };
  const heldPlan = computePlan(heldInput);
  const shared = timed(base, sharedPlan);
  const held = timed(heldInput, heldPlan);
  const P = sharedPlan.periods.length;
  const line = (name: string, t: { ms: number; r: ReplanResult }): string => {
    const h = t.r.holds;
    const ok = checkTotals(t.r.revised).ok ? "✓" : "✗";
    return `  ${name.padEnd(34)} ${t.ms.toFixed(0).padStart(6)} ms  ${h ? `holds in the weeks left: ${h.kept.length} kept, ${h.released.length} released` : "— (shared period shares)"}  ${ok}`;
  };
  console.log(`Re-plan after ${ENDED} of ${P} weeks — ${REPS.toLocaleString("en")} reps, three tiers, median of ${RUNS}`);
  console.log(line("Shared plan", shared));
  console.log(line(`Own + ${heldInput.holds!.length} holds (balanced)`, held));
}

main();
