#!/usr/bin/env node
/**
 * `npm run demo`: plans the bundled sample workbooks with the command line, writes each result
 * next to its workbook (NAME.planned.xlsx and NAME.result.json) and prints the summaries.
 */
"use strict";
const path = require("node:path");
const { main } = require("../lib/cli/main.js");

const SAMPLES = ["厨电门店-2027.xlsx", "五一活动-2027.xlsx", "kitchen-appliances-2027.xlsx"];

async function demo() {
  const dir = path.join(__dirname, "..", "sample");
  for (const file of SAMPLES) {
    const input = path.join(dir, file);
    const stem = file.replace(/\.xlsx$/, "");
    const out = path.join(dir, `${stem}.planned.xlsx`);
    const json = path.join(dir, `${stem}.result.json`);
    const code = await main(["plan", input, "--out", out, "--json", json]);
    if (code !== 0) return code;
    process.stdout.write("\n");
  }
  process.stdout.write(`Open the *.planned.xlsx files in ${path.relative(process.cwd(), dir) || "."}/ to see the plan, the matrix and the weights review.\n`);
  return 0;
}

demo().then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err); process.exitCode = 1; },
);
