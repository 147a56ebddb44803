/**
 * `npm run bench` (planning depth): the engine on 5,000 reps at Week grain with Seasonality Own and
 * 500 holds (leaf cells, teams in a period, members' totals and the plan in a period), against the
 * Shared plan of the same input. Prints the medians, the RAS iterations, and whether the budget
 * (the Own plan with holds under 1 s, median) is kept.
 *
 *   node --expose-gc --import tsx bench/planning.ts
 */
import { parseWorkbook } from "../src/contract";
import { checkTotals, computePlan, type PlanInput, type PlanResult } from "../src/engine";
import { benchHolds, benchRawTables } from "./generate";

const REPS = Number(process.env.BENCH_REPS ?? 5_000);
const HOLDS = 500;
const RUNS = 7;
const BUDGET_MS = 1000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function timed(input: PlanInput): { ms: number; result: PlanResult } {
  let result!: PlanResult;
  result = computePlan(input); // warm-up
  global.gc?.();
  const walls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    result = computePlan(input);
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: median(walls), result };
}

function main(): void {
  const parsed = parseWorkbook(benchRawTables({ reps: REPS }));
  if (!parsed.ok) throw new Error(`bench workbook has problems: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
  const base: PlanInput = { ...parsed.workbook.input, grain: "Week" };
  const shared = timed(base);
  const own = timed({ ...base, seasonality: "Own" });
  const holds = benchHolds(shared.result, base.unit);
  const held = timed({ ...base, seasonality: "Own", holds });
  const cells = shared.result.leaves.length * shared.result.periods.length;
  const line = (name: string, t: { ms: number; result: PlanResult }): string => {
    const b = t.result.balance;
    const ok = checkTotals(t.result).ok ? "✓" : "✗";
    return `  ${name.padEnd(34)} ${t.ms.toFixed(0).padStart(6)} ms  ${b ? `${String(b.iterations).padStart(6)} RAS iterations${b.capped ? ` (${b.capped} blocks at the cap)` : ""}` : "     — (no balancing)"}  repairs ${t.result.rounding.repairs}, fallbacks ${t.result.rounding.fallbacks}  ${ok}`;
  };
  console.log(`Planning depth — ${REPS.toLocaleString("en")} reps × ${shared.result.periods.length} weeks (${cells.toLocaleString("en")} cells), three tiers, median of ${RUNS}`);
  console.log(line("Seasonality Shared", shared));
  console.log(line("Seasonality Own", own));
  console.log(line(`Seasonality Own + ${holds.length} holds`, held));
  const pass = held.ms < BUDGET_MS;
  console.log(`  budget: Own with ${HOLDS} holds under ${BUDGET_MS} ms … ${pass ? "kept" : "MISSED"}`);
  if (!pass) process.exitCode = 1;
}

main();
