/**
 * The browser plan run on any workbook:
 *
 *   E2E_WORKBOOK=in.xlsx E2E_OUT=out.xlsx E2E_REPORT=report.json npx tsx test/e2e/run.ts
 *
 * opens the built task pane (dist/, or E2E_DIST) in headless Chromium over the stand-in Excel,
 * clicks Inputs → Check → Plan → Write, saves the resulting workbook to E2E_OUT and writes
 *
 *   {"syncs": N,              requests of the plan run (Check → Write summary)
 *    "requestBytes": N,       the largest request of the page's life, in bytes
 *    "ms": N,                 the plan run's wall time (Check click → Write summary)
 *    "timeToInteractiveMs": N page load → the Check button enabled
 *    ...}                     and: responseBytes (largest), syncsCheck, syncsWrite, syncsTotal,
 *                             checkMs, writeMs, limitBytes, refused (requests refused past the limit),
 *                             officeReadyMs, paneAfterOfficeReadyMs, log ([request, response, error] per sync)
 *
 * Optional: E2E_LANG (display language, default en-US, or zh-CN for a Chinese workbook),
 * E2E_SHOTS=name (screenshots to test/artifacts/e2e/name-*.png), E2E_LIMIT_BYTES.
 * Exit 0 when written, 2 when the workbook has problems (listed on stderr), 1 on anything else.
 */
import { readFileSync, writeFileSync } from "node:fs";
import {
  buildStandIn,
  DIST,
  ensurePaneBuilt,
  exportWorkbook,
  launchChromium,
  openPane,
  planFlow,
  ProblemsError,
  serveStatic,
  standInStats,
} from "./harness";

async function main(): Promise<number> {
  const input = process.env.E2E_WORKBOOK;
  if (!input) {
    process.stderr.write("E2E_WORKBOOK=in.xlsx [E2E_OUT=out.xlsx] [E2E_REPORT=report.json] npx tsx test/e2e/run.ts\n");
    return 64;
  }
  await buildStandIn();
  ensurePaneBuilt();
  const server = await serveStatic(DIST);
  const browser = await launchChromium();
  try {
    const lang = process.env.E2E_LANG ?? (/[\u4e00-\u9fff]/.test(input) ? "zh-CN" : "en-US");
    const limitBytes = process.env.E2E_LIMIT_BYTES ? Number(process.env.E2E_LIMIT_BYTES) : undefined;
    const pane = await openPane(browser, server.url, { workbook: new Uint8Array(readFileSync(input)), displayLanguage: lang, limitBytes });
    const report: Record<string, unknown> = {
      workbook: input,
      timeToInteractiveMs: pane.timeToInteractiveMs,
      officeReadyMs: pane.officeReadyMs,
      paneAfterOfficeReadyMs: pane.paneAfterOfficeReadyMs,
    };
    let code = 0;
    try {
      const flow = await planFlow(pane.page, process.env.E2E_SHOTS);
      const stats = await standInStats(pane.page);
      Object.assign(report, {
        syncs: flow.syncsAfterWrite - flow.syncsAtStart,
        requestBytes: stats.maxRequestBytes,
        ms: flow.checkMs + (flow.writeMs ?? 0),
        responseBytes: stats.maxResponseBytes,
        syncsCheck: flow.syncsAfterCheck - flow.syncsAtStart,
        syncsWrite: flow.syncsAfterWrite - flow.syncsAfterCheck,
        syncsTotal: stats.syncs,
        checkMs: flow.checkMs,
        writeMs: flow.writeMs,
        limitBytes: limitBytes ?? 5_000_000,
        refused: stats.syncLog.filter((s) => s.error).map((s) => s.error),
        log: stats.syncLog.map((s) => [s.requestBytes, s.responseBytes, s.error ?? ""]),
      });
      if (process.env.E2E_OUT) writeFileSync(process.env.E2E_OUT, await exportWorkbook(pane.page));
      if (pane.errors.length) report.pageErrors = pane.errors;
    } catch (e) {
      if (e instanceof ProblemsError) {
        for (const p of e.problems) process.stderr.write(`${p}\n`);
        report.problems = e.problems;
        code = 2;
      } else {
        report.error = String((e as Error)?.stack ?? e);
        process.stderr.write(`${report.error}\n`);
        code = 1;
      }
    } finally {
      await pane.close();
    }
    const json = JSON.stringify(report, null, 2);
    if (process.env.E2E_REPORT) writeFileSync(process.env.E2E_REPORT, `${json}\n`);
    process.stdout.write(`${json}\n`);
    return code;
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`);
    process.exit(1);
  },
);
