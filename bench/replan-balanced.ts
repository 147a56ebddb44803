/**
 * `npm run bench` (re-plan of a balanced plan): the July re-plan of 5,000 reps at Week grain, the
 * plan balanced (Seasonality Own and 500 holds, as bench/planning.ts builds them), against the
 * re-plan of the Shared plan of the same input. Actuals: every rep's first 26 weeks at 80–115% of
 * its Target there. Prints the medians, the holds kept and released, and whether both versions add up.
 *
 *   node --expose-gc --import tsx bench/replan-balanced.ts
 */
import { parseWorkbook } from "../src/contract";
import { checkTotals, computePlan, type FactRow, type HoldRow, type PlanInput, type PlanResult } from "../src/engine";
import { computeReplan, type ReplanResult } from "../src/engine/replan";
import { benchRawTables } from "./generate";

const REPS = Number(process.env.BENCH_REPS ?? 5_000);
const RUNS = 5;
const ENDED = 26;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Holds as bench/planning.ts makes them: rep cells, teams in a week, reps' totals, the plan's weeks. */
function holdsFor(shared: PlanResult, unit: number): HoldRow[] {
  const P = shared.periods.length;
  const round = (x: number): number => Math.max(0, Math.round(x / unit) * unit);
  const holds: HoldRow[] = [];
  const row = (path: Record<string, string>, amount: number, period?: string): void => {
    const n = holds.length + 2;
    holds.push({ path, period, tier: "target", amount, ref: `Holds!A${n}`, refs: { amount: `Holds!E${n}`, period: period ? `Holds!D${n}` : undefined } });
  };
  const leaves = shared.leaves;
  const step = Math.floor(leaves.length / 440);
  for (let k = 0; k < 440; k++) {
    const i = k * step + 1;
    const j = (k * 7) % P;
    row(shared.nodes[leaves[i]].path, round(shared.cells.target[i * P + j] * 1.1), shared.periods[j].label);
  }
  const teams = shared.nodes.filter((n) => n.depth === shared.levels.length - 1);
  for (let k = 0; k < 40; k++) {
    const t = teams[(k * 3) % teams.length];
    const j = (k * 11 + 3) % P;
    const sum = t.children.reduce((s, c) => s + shared.cells.target[leaves.indexOf(c) * P + j], 0);
    row(t.path, round(sum * 1.05), shared.periods[j].label);
  }
  for (let k = 0; k < 15; k++) {
    const i = k * step + 2;
    row(shared.nodes[leaves[i]].path, round(shared.nodes[leaves[i]].amount.target * 0.95));
  }
  for (let k = 0; k < 5; k++) {
    const j = 20 + k * 5;
    row({}, round(shared.periods[j].amount.target * 1.02), shared.periods[j].label);
  }
  return holds;
}

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
  const heldInput: PlanInput = { ...base, seasonality: "Own", holds: holdsFor(sharedPlan, base.unit) };
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
