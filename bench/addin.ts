/**
 * `npm run bench` (add-in part): the task pane in headless Chromium over the stand-in Excel.
 *
 *   - a plan run (Check → Write) on the sample and on an organisation ten times its size: the
 *     requests (sync() calls), against the goal of at most three;
 *   - 500 and 5,000 reps (bench/out/bench-500.xlsx, bench-5000.xlsx): the requests and each one's
 *     size, against ⌈bytes ÷ 5 MB⌉ + 2;
 *   - 50,000 reps: the same host calls a plan run makes (list, read, change check, write), in Node
 *     over the stand-in with the workbook made in memory (as an .xlsx the stand-in's ExcelJS would
 *     take minutes to parse it in the page). The largest such workbook a worksheet can hold: 12
 *     months of History (600,000 rows; 36 months would be 1,800,000, and a sheet holds 1,048,576)
 *     and Month grain (at Week grain the Plan sheet would need 2,650,001 rows, and the pane refuses it);
 *   - time from page load to an interactive pane (median of 3), and the pane's initial JavaScript, gzipped.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ExcelHost } from "../src/hosts/excel";
import type { RawTable } from "../src/hosts/host";
import { preparePlan } from "../src/hosts/run";
import { buildStandIn, DIST, ensurePaneBuilt, launchChromium, openPane, planFlow, serveStatic, standInStats } from "../test/e2e/harness";
import { installStandIn } from "../test/e2e/stand-in/install";
import { modelFromTables } from "../test/e2e/stand-in/model";
import { benchRawTables, writeBenchWorkbook } from "./generate";

const LIMIT = 5_000_000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The scripts taskpane.html loads up front (Office.js excepted), gzipped. */
function initialJs(): { files: string[]; gzipKb: number } {
  const html = readFileSync(join(DIST, "taskpane.html"), "utf8");
  const files = [...html.matchAll(/<script[^>]*\ssrc=(?:"([^"]+)"|([^\s>]+))/g)].map((m) => m[1] ?? m[2]).filter((src) => !/^https?:/.test(src));
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, f.replace(/^\//, ""))), { level: 6 }).length, 0);
  return { files, gzipKb: bytes / 1024 };
}

async function benchFile(reps: number): Promise<string> {
  const file = join(__dirname, "out", `bench-${reps}.xlsx`);
  try {
    statSync(file);
  } catch {
    await writeBenchWorkbook(file, { reps });
  }
  return file;
}

interface Request {
  requestBytes: number;
  responseBytes: number;
}

const size = (n: number): string => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(2)} MB` : `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)} KB`);

/** One line per request: what went, what came back; the largest of the two is what the limit is about. */
function printRequests(label: string, requests: Request[], checkRequests: number): { bytes: number; goal: number } {
  const bytes = requests.reduce((n, r) => n + r.requestBytes + r.responseBytes, 0);
  const goal = Math.ceil(bytes / LIMIT) + 2;
  console.log(`   ${label}: ${requests.length} requests for ${size(bytes)} (goal ⌈bytes ÷ 5 MB⌉ + 2 = ${goal}); each request sent → answered:`);
  requests.forEach((r, k) => {
    const part = k < checkRequests ? "Check" : k === checkRequests ? "Write, change check" : "Write";
    console.log(`     ${String(k + 1).padStart(2)}. ${size(r.requestBytes).padStart(9)} → ${size(r.responseBytes).padStart(9)}   ${part}`);
  });
  return { bytes, goal };
}

/** A plan run of the host in Node over a workbook made in memory: the pane's calls, without the page. */
async function hostPlanRun(tables: RawTable[]): Promise<{ requests: Request[]; check: number; ms: number; refused: string[] }> {
  const installed = await installStandIn(undefined, { model: modelFromTables(tables) });
  try {
    const host = new ExcelHost();
    await host.listTables(); // the pane opening
    const start = installed.standIn.syncCount;
    const t0 = Date.now();
    const read = await host.readWorkbook();
    const check = installed.standIn.syncCount - start;
    const outcome = await preparePlan({ readTables: async () => read.tables, writeSheets: async () => ({ sheets: [] }) }, { overrides: { grain: "Month" } });
    if (!outcome.ok) throw new Error(`the 50,000-rep workbook has problems: ${JSON.stringify(outcome.problems.slice(0, 2))}`);
    await host.writeSheets(outcome.sheets, { since: read.fingerprint });
    const log = installed.standIn.syncs.slice(start);
    return { requests: log, check, ms: Date.now() - t0, refused: log.filter((s) => s.error).map((s) => s.error as string) };
  } finally {
    installed.uninstall();
  }
}

async function main(): Promise<void> {
  await buildStandIn();
  ensurePaneBuilt();
  const tenfold = await benchFile(240);
  const server = await serveStatic(DIST);
  const browser = await launchChromium();
  const checks: [boolean, string][] = [];
  try {
    console.log("5. The add-in in headless Chromium, over the stand-in Excel (plan run = Check → Write)");
    const rows: [string, string][] = [
      ["sample (24 reps)", join(__dirname, "..", "sample", "kitchen-appliances-2027.xlsx")],
      ["10× the organisation (240 reps)", tenfold],
    ];
    const syncs: number[] = [];
    for (const [label, file] of rows) {
      const pane = await openPane(browser, server.url, { workbook: new Uint8Array(readFileSync(file)), displayLanguage: "en-US" });
      const flow = await planFlow(pane.page);
      const stats = await standInStats(pane.page);
      await pane.close();
      const n = flow.syncsAfterWrite - flow.syncsAtStart;
      syncs.push(n);
      console.log(
        `   ${label.padEnd(32)} ${String(n).padStart(3)} sync() calls (Check ${flow.syncsAfterCheck - flow.syncsAtStart}, Write ${flow.syncsAfterWrite - flow.syncsAfterCheck}) · largest request ${size(stats.maxRequestBytes)}, response ${size(stats.maxResponseBytes)} · Check ${flow.checkMs} ms · Write ${flow.writeMs} ms`,
      );
    }
    checks.push([syncs.every((n) => n <= 3), `at most 3 requests a plan run below the request limit: ${syncs.join(" and ")}`]);
    checks.push([syncs[0] === syncs[1], `the same number at 10× the organisation: ${syncs.join(" and ")}`]);

    for (const reps of [500, 5_000]) {
      const file = await benchFile(reps);
      const pane = await openPane(browser, server.url, { workbook: new Uint8Array(readFileSync(file)), displayLanguage: "en-US" });
      const flow = await planFlow(pane.page);
      const stats = await standInStats(pane.page);
      await pane.close();
      const log = stats.syncLog.slice(flow.syncsAtStart, flow.syncsAfterWrite);
      const { goal } = printRequests(`${reps.toLocaleString("en-US")} reps (${size(statSync(file).size)} .xlsx, Week grain)`, log, flow.syncsAfterCheck - flow.syncsAtStart);
      const refused = log.filter((s) => s.error).length;
      checks.push([log.length <= goal && refused === 0, `${reps.toLocaleString("en-US")} reps: ${log.length} requests ≤ ⌈bytes ÷ 5 MB⌉ + 2 = ${goal}, ${refused} refused`]);
    }

    const big = await hostPlanRun(benchRawTables({ reps: 50_000, months: 12 }));
    const { goal } = printRequests("50,000 reps (the host's calls in Node, workbook in memory: 12 months of History, Month grain)", big.requests, big.check);
    console.log(`     (${(big.ms / 1000).toFixed(1)} s in Node, the plan computed between Check and Write included)`);
    checks.push([big.requests.length <= goal && big.refused.length === 0, `50,000 reps: ${big.requests.length} requests ≤ ⌈bytes ÷ 5 MB⌉ + 2 = ${goal}, ${big.refused.length} refused`]);

    const tti: number[] = [];
    for (let i = 0; i < 3; i++) {
      const pane = await openPane(browser, server.url, { workbook: new Uint8Array(readFileSync(rows[0][1])), displayLanguage: "en-US" });
      tti.push(pane.paneAfterOfficeReadyMs);
      await pane.close();
    }
    const js = initialJs();
    console.log(`   interactive ${median(tti).toFixed(0)} ms after Office.onReady (median of 3; the stand-in's own workbook load excluded)`);
    console.log(`   initial JavaScript: ${js.gzipKb.toFixed(0)} KB gzipped (${js.files.join(", ")})`);
    checks.push([js.gzipKb <= 300, `initial JavaScript ≤ 300 KB gzipped: ${js.gzipKb.toFixed(0)} KB`]);
    for (const [ok, text] of checks) console.log(`  ${ok ? "✓" : "✗"} ${text}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
