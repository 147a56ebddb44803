/**
 * `npm run bench` (second part): tracking at scale — 5,000 reps planned at Week grain, then
 * progress and ranking over 1,000,000 Actuals rows with funnel columns (CONTRACT §4.7–4.8), the
 * payouts, process tracking with the Funnel Progress sheet, and the weekly review with its sheet.
 * Median of several runs.
 */
import { parseWorkbook } from "../src/contract";
import { readDriverInputs } from "../src/contract/funnel";
import { computeDrivers, computePlan, computeProcess, computeProgress, computeReview, dayFromYmd, type FactRow, type ProcessSpec } from "../src/engine";
import { buildProcessSheet } from "../src/report/process-sheet";
import { buildProgressSheet } from "../src/report/progress-sheet";
import { buildReviewSheet } from "../src/report/review-sheet";
import { computePayouts, exactActuals, shownForecast, type PayoutRules } from "../src/engine/payout";
import { Random } from "../scripts/lib/prng";
import { benchRawTables } from "./generate";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function main(): void {
  const reps = 5_000;
  const rows = 1_000_000;
  const tables = benchRawTables({ reps });
  const parsed = parseWorkbook(tables);
  if (!parsed.ok) throw new Error("bench workbook has problems");
  const input = parsed.workbook.input;
  const plan = computePlan(input);
  const driverSpec = readDriverInputs(parsed.workbook, tables).spec;
  const drivers = driverSpec && computeDrivers(input, plan, driverSpec);
  const funnel = drivers?.funnel;
  if (!drivers || !funnel) throw new Error("the bench workbook has no funnel");
  const channels = funnel.channels.map((c) => c.channel);

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
    // The funnel behind the sale, in one of the channels: invitations, the visits they brought, the orders.
    const orders = amount > 0 ? 1 + Math.floor(random() * 2) : 0;
    const visits = orders + Math.floor(random() * 3);
    const invitations = visits + Math.floor(random() * 4);
    const channel = channels[Math.floor(random() * channels.length)];
    actuals[i] = { dims: { ...plan.nodes[leaf].path, Channel: channel }, start: day, end: day, measures: { Amount: amount, Invitations: invitations, Visits: visits, Orders: orders }, ref: `Actuals!A${i + 2}` };
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

  const columns = { table: "Actuals!A1", letters: { Channel: "E", Invitations: "G", Visits: "H", Orders: "I" }, labels: {} };
  const spec: ProcessSpec = { drivers, funnel, stages: funnel.stages, byChannel: true, columns };
  const times: number[] = [];
  const payoutTimes: number[] = [];
  const processTimes: number[] = [];
  const reviewTimes: number[] = [];
  let processRows = 0;
  let ranked = 0;
  let paid = 0;
  for (let run = 0; run < 5; run++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    const p = computeProgress(input, plan, actuals, { asOf, includeUnplanned: true, previousAsOf: asOf - 7 });
    const t1 = process.hrtime.bigint();
    paid = computePayouts(plan, p, rules, { actual: exactActuals(plan, p, actuals), forecast: shownForecast(p) }).members.length;
    const t2 = process.hrtime.bigint();
    // Process tracking and its sheet (the Progress sheet is built too: the sheets of a tracking run).
    buildProgressSheet(plan, p, "en");
    const tracked = computeProcess(input, plan, p, actuals, spec);
    processRows = buildProcessSheet(plan, p, tracked, drivers.columns.labels, "en").rows.length;
    const t3 = process.hrtime.bigint();
    buildReviewSheet(plan, p, computeReview(input, plan, p, tracked), tracked, drivers.columns.labels, "en");
    const t4 = process.hrtime.bigint();
    times.push(Number(t4 - t0) / 1e6);
    payoutTimes.push(Number(t2 - t1) / 1e6);
    processTimes.push(Number(t3 - t2) / 1e6);
    reviewTimes.push(Number(t4 - t3) / 1e6);
    ranked = p.ranking.length;
  }
  const ms = median(times);
  console.log("4. Tracking (progress + ranking + payouts + process tracking + weekly review, with their sheets, in process; median of 5 runs)");
  console.log(`   ${reps.toLocaleString("en")} reps, ${rows.toLocaleString("en")} Actuals rows, ${plan.periods.length} weeks: ${ms.toFixed(0)} ms (${((rows / ms) * 1000 / 1e6).toFixed(1)} M rows/s), ${ranked.toLocaleString("en")} ranked`);
  console.log(`   of which payouts (3 bands, a cap, awards for the top 3): ${median(payoutTimes).toFixed(0)} ms, ${paid.toLocaleString("en")} members paid`);
  console.log(`   of which process tracking (${channels.length} channels, ${funnel.stages.length} stages) with the Progress and Funnel Progress sheets: ${median(processTimes).toFixed(0)} ms, ${processRows.toLocaleString("en")} sheet rows`);
  console.log(`   of which the weekly review and its sheet: ${median(reviewTimes).toFixed(0)} ms`);
  console.log(`  ${ms <= 2000 ? "✓" : "✗"} tracking 5,000 reps with 1,000,000 Actuals rows ≤ 2 s: ${ms.toFixed(0)} ms`);
}

main();
