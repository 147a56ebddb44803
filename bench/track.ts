/**
 * `npm run bench` (second part): tracking at scale — 5,000 reps planned at Week grain, then
 * progress and ranking over 1,000,000 Actuals rows (CONTRACT §4.7–4.8). Median of several runs.
 */
import { parseWorkbook } from "../src/contract";
import { computePlan, computeProgress, dayFromYmd, type FactRow } from "../src/engine";
import { Random } from "../scripts/lib/prng";
import { benchRawTables } from "./generate";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function main(): void {
  const reps = 5_000;
  const rows = 1_000_000;
  const parsed = parseWorkbook(benchRawTables({ reps }));
  if (!parsed.ok) throw new Error("bench workbook has problems");
  const input = parsed.workbook.input;
  const plan = computePlan(input);

  // One million sales, spread over the reps and over 2027-01-01 … 2027-05-05, a few of them returns.
  const rng = new Random(7);
  const random = (): number => rng.uniform(0, 1);
  const first = dayFromYmd(2027, 1, 1);
  const asOf = dayFromYmd(2027, 5, 5);
  const actuals: FactRow[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const leaf = plan.leaves[Math.floor(random() * plan.leaves.length)];
    const day = first + Math.floor(random() * (asOf - first + 1));
    const amount = random() < 0.02 ? -Math.round(random() * 500) : Math.round(500 + random() * 9500);
    actuals[i] = { dims: plan.nodes[leaf].path, start: day, end: day, measures: { Amount: amount }, ref: `Actuals!A${i + 2}` };
  }

  const times: number[] = [];
  let ranked = 0;
  for (let run = 0; run < 5; run++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    const p = computeProgress(input, plan, actuals, { asOf, includeUnplanned: true });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    ranked = p.ranking.length;
  }
  const ms = median(times);
  console.log("4. Tracking (progress + ranking, in process; median of 5 runs)");
  console.log(`   ${reps.toLocaleString("en")} reps, ${rows.toLocaleString("en")} Actuals rows, ${plan.periods.length} weeks: ${ms.toFixed(0)} ms (${((rows / ms) * 1000 / 1e6).toFixed(1)} M rows/s), ${ranked.toLocaleString("en")} ranked`);
  console.log(`  ${ms <= 2000 ? "✓" : "✗"} tracking 5,000 reps with 1,000,000 Actuals rows ≤ 2 s: ${ms.toFixed(0)} ms`);
}

main();
