/**
 * `npm run bench` (planning depth): the engine on 5,000 reps at Week grain with Seasonality Own and
 * 500 holds (leaf cells, teams in a period, members' totals and the plan in a period), against the
 * Shared plan of the same input. Prints the medians, the RAS iterations, and whether the budget
 * (the Own plan with holds under 1 s, median) is kept.
 *
 *   node --expose-gc --import tsx bench/planning.ts
 */
import { parseWorkbook } from "../src/contract";
import { checkTotals, computePlan, type HoldRow, type PlanInput, type PlanResult } from "../src/engine";
import { benchRawTables } from "./generate";

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

/**
 * 500 holds from the Shared plan's own amounts, a little moved so that the rest must rebalance:
 * 440 rep cells, 40 teams in a week, 15 reps' totals and 5 of the plan's weeks.
 */
function holdsFor(shared: PlanResult, input: PlanInput): HoldRow[] {
  const unit = input.unit;
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
    // A team's week: the sum of its reps' cells there, 5% up.
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

function main(): void {
  const parsed = parseWorkbook(benchRawTables({ reps: REPS }));
  if (!parsed.ok) throw new Error(`bench workbook has problems: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
  const base: PlanInput = { ...parsed.workbook.input, grain: "Week" };
  const shared = timed(base);
  const own = timed({ ...base, seasonality: "Own" });
  const holds = holdsFor(shared.result, base);
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
