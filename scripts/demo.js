#!/usr/bin/env node
/**
 * `npm run demo`: plans the bundled sample workbooks with the command line, writes each result
 * next to its workbook (NAME.planned.xlsx and NAME.result.json) and prints the summaries. The
 * samples are tracked too (their Actuals at the AsOf setting): the morning view, with the
 * Progress and Ranking sheets, Funnel Progress and the Weekly Review; the May Day campaign's
 * Actuals are laid out as a till exports them (the rep only, add-ons as columns), and its reps'
 * quotas are over-assigned by 10% (超额分配.销售员 = 10%: each store's reps add up to the store ×
 * 1.10, the check line says so). The Chinese
 * sample is also re-planned in July (方法调整, NAME.replanned.xlsx), with its parallel splits.
 * The store-seasons samples are planned: each store's own season, new hires who ramp and a
 * leaver (Members), and holds on a region's Q4, a rep's June and a store's year (Holds).
 */
"use strict";
const path = require("node:path");
const { main } = require("../lib/cli/main.js");

const SAMPLES = [
  ["track", "厨电门店-2027.xlsx"],
  ["letters", "厨电门店-2027.xlsx"],
  ["replan", "厨电门店-2027.xlsx", "2027-07-01"],
  ["track", "五一活动-2027.xlsx"],
  ["track", "kitchen-appliances-2027.xlsx"],
  ["plan", "门店季节-2027.xlsx"],
  ["plan", "store-seasons-2027.xlsx"],
];

async function demo() {
  const dir = path.join(__dirname, "..", "sample");
  for (const [command, file, asOf] of SAMPLES) {
    const input = path.join(dir, file);
    const stem = file.replace(/\.xlsx$/, "");
    const out = path.relative(process.cwd(), path.join(dir, `${stem}.planned.xlsx`));
    const json = path.relative(process.cwd(), path.join(dir, `${stem}.result.json`));
    // The target letters go to a file of their own (NAME.letters.xlsx), with no RESULT.json.
    const letters = path.relative(process.cwd(), path.join(dir, `${stem}.letters.xlsx`));
    // The re-plan goes to NAME.replanned.xlsx and NAME.replanned.json.
    const replanned = path.relative(process.cwd(), path.join(dir, `${stem}.replanned`));
    const args =
      command === "letters"
        ? [command, input, "--out", letters]
        : command === "replan"
          ? [command, input, "--out", `${replanned}.xlsx`, "--json", `${replanned}.json`, "--as-of", asOf]
          : [command, input, "--out", out, "--json", json];
    const code = await main(args);
    if (code !== 0) return code;
    process.stdout.write("\n");
  }
  process.stdout.write(`Open the *.planned.xlsx files in ${path.relative(process.cwd(), dir) || "."}/ to see the plan, the matrix, the weights review, the morning view (Progress, Ranking), the incentives (Incentives), process tracking (Funnel Progress), the one-page weekly review (Weekly Review) and the parallel splits (Split); the *.letters.xlsx file holds the target letters, one printed page per member; the *.replanned.xlsx file the July re-plan with both versions (Plan Versions); the May Day campaign's reps' quotas add up to their store's target × 1.10 (uplift 10%, Weights Review); the store-seasons plans each store's own season, the new hires' ramps, the leaver and the holds (Plan Matrix).\n`);
  return 0;
}

demo().then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err); process.exitCode = 1; },
);
