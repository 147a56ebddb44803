/**
 * `npm run bench` (second part): tracking at scale — 5,000 reps planned at Week grain, then
 * progress and ranking over 1,000,000 Actuals rows (CONTRACT §4.7–4.8). Median of several runs.
 */
import { parseWorkbook } from "../src/contract";
import { computePlan, computeProgress, dayFromYmd, type FactRow } from "../src/engine";
import { computePayouts, exactActuals, shownForecast, type PayoutRules } from "../src/engine/payout";
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

  // The incentives: 1 % from Floor, 2 % from Target, 3 % from Stretch with a bonus per tier, a cap, awards for the top three.
  const band = (from: PayoutRules["bands"][number]["from"], rate: number, bonus: number, row: number) => ({ from, rate, bonus, label: String(row), refs: { from: `Payout!A${row}`, rate: `Payout!B${row}`, bonus: `Payout!C${row}` } });
  const rules: PayoutRules = {
    bands: [band({ tier: "floor" }, 0.01, 500, 2), band({ tier: "target" }, 0.02, 1000, 3), band({ tier: "stretch" }, 0.03, 2000, 4)],
    mode: "Whole",
    cap: 50_000,
    rankAward: [3000, 2000, 1000],
    refs: {},
  };

  const times: number[] = [];
  const payoutTimes: number[] = [];
  let ranked = 0;
  let paid = 0;
  for (let run = 0; run < 5; run++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    const p = computeProgress(input, plan, actuals, { asOf, includeUnplanned: true });
    const t1 = process.hrtime.bigint();
    paid = computePayouts(plan, p, rules, { actual: exactActuals(plan, p, actuals), forecast: shownForecast(p) }).members.length;
    const t2 = process.hrtime.bigint();
    times.push(Number(t2 - t0) / 1e6);
    payoutTimes.push(Number(t2 - t1) / 1e6);
    ranked = p.ranking.length;
  }
  const ms = median(times);
  console.log("4. Tracking (progress + ranking + payouts, in process; median of 5 runs)");
  console.log(`   ${reps.toLocaleString("en")} reps, ${rows.toLocaleString("en")} Actuals rows, ${plan.periods.length} weeks: ${ms.toFixed(0)} ms (${((rows / ms) * 1000 / 1e6).toFixed(1)} M rows/s), ${ranked.toLocaleString("en")} ranked`);
  console.log(`   of which payouts (3 bands, a cap, awards for the top 3): ${median(payoutTimes).toFixed(0)} ms, ${paid.toLocaleString("en")} members paid`);
  console.log(`  ${ms <= 2000 ? "✓" : "✗"} tracking 5,000 reps with 1,000,000 Actuals rows ≤ 2 s: ${ms.toFixed(0)} ms`);
}

main();
