/**
 * `npm run bench` (add-in part): the task pane in headless Chromium over the stand-in Excel —
 * sync() calls and the largest request of a plan run (Check → Write) on the sample and on an
 * organisation ten times its size, time from page load to an interactive pane (median of 3), and
 * the pane's initial JavaScript, gzipped.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildStandIn, DIST, ensurePaneBuilt, launchChromium, openPane, planFlow, serveStatic, standInStats } from "../test/e2e/harness";
import { writeBenchWorkbook } from "./generate";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The scripts taskpane.html loads up front (Office.js excepted), gzipped. */
function initialJs(): { files: string[]; gzipKb: number } {
  const html = readFileSync(join(DIST, "taskpane.html"), "utf8");
  const files = [...html.matchAll(/<script[^>]*\ssrc=(?:"([^"]+)"|([^\s>]+))/g)].map((m) => m[1] ?? m[2]).filter((src) => !/^https?:/.test(src));
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, f.replace(/^\//, ""))), { level: 6 }).length, 0);
  return { files, gzipKb: bytes / 1024 };
}

async function main(): Promise<void> {
  await buildStandIn();
  ensurePaneBuilt();
  const tenfold = join(__dirname, "out", "bench-240.xlsx");
  try {
    statSync(tenfold);
  } catch {
    await writeBenchWorkbook(tenfold, { reps: 240 });
  }
  const server = await serveStatic(DIST);
  const browser = await launchChromium();
  try {
    console.log("5. The add-in in headless Chromium, over the stand-in Excel (plan run = Check → Write)");
    const rows: [string, string, string][] = [
      ["sample (24 reps)", join(__dirname, "..", "sample", "kitchen-appliances-2027.xlsx"), "en-US"],
      ["10× the organisation (240 reps)", tenfold, "en-US"],
    ];
    const syncs: number[] = [];
    for (const [label, file, lang] of rows) {
      const pane = await openPane(browser, server.url, { workbook: new Uint8Array(readFileSync(file)), displayLanguage: lang });
      const flow = await planFlow(pane.page);
      const stats = await standInStats(pane.page);
      await pane.close();
      syncs.push(flow.syncsAfterWrite - flow.syncsAtStart);
      console.log(`   ${label.padEnd(32)} ${String(flow.syncsAfterWrite - flow.syncsAtStart).padStart(3)} sync() calls · largest request ${(stats.maxRequestBytes / 1024).toFixed(0)} KB · Check ${flow.checkMs} ms · Write ${flow.writeMs} ms`);
    }
    const tti: number[] = [];
    for (let i = 0; i < 3; i++) {
      const pane = await openPane(browser, server.url, { workbook: new Uint8Array(readFileSync(rows[0][1])), displayLanguage: "en-US" });
      tti.push(pane.paneAfterOfficeReadyMs);
      await pane.close();
    }
    const js = initialJs();
    console.log(`   interactive ${median(tti).toFixed(0)} ms after Office.onReady (median of 3; the stand-in's own workbook load excluded)`);
    console.log(`   initial JavaScript: ${js.gzipKb.toFixed(0)} KB gzipped (${js.files.join(", ")})`);
    console.log(`  ${syncs[0] === syncs[1] ? "✓" : "✗"} the same number of sync() calls at 10× the organisation: ${syncs.join(" and ")}`);
    console.log(`  ${js.gzipKb <= 300 ? "✓" : "✗"} initial JavaScript ≤ 300 KB gzipped: ${js.gzipKb.toFixed(0)} KB`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
