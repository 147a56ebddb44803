/**
 * The browser harness: Debian's Chromium (through playwright-core) opens the built task pane from a
 * local static server, with the office.js request answered by the stand-in Excel JS API
 * (test/e2e/stand-in) and the stand-in's workbook request answered by the .xlsx under test.
 * Nothing leaves 127.0.0.1: every other request is refused.
 *
 * Shared by the jest suite (e2e.test.ts) and the command-line runner (run.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from "playwright-core";
import type { ExtraSheet } from "./stand-in/model";

export const ROOT = resolve(__dirname, "../..");
export const ARTIFACTS = join(ROOT, "test/artifacts/e2e");
export const STAND_IN_JS = join(ARTIFACTS, "stand-in/office.js");
export const OFFICE_JS_URL = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
export const WORKBOOK_URL = "https://appsforoffice.microsoft.com/__stand-in/workbook.xlsx";

export const CHROMIUM = process.env.E2E_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The built add-in to test: dist/, or E2E_DIST. */
export const DIST = resolve(process.env.E2E_DIST ?? join(ROOT, "dist"));

function newestMtime(dir: string, filter: (name: string) => boolean): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, filter));
    else if (filter(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the stand-in office.js with its webpack config (a few seconds). */
export async function buildStandIn(): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const webpack = require("webpack") as typeof import("webpack");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require("./stand-in/webpack.config.js");
  await new Promise<void>((done, fail) => {
    webpack(config, (err, stats) => {
      if (err) return fail(err);
      if (stats?.hasErrors()) return fail(new Error(stats.toString({ all: false, errors: true })));
      done();
    });
  });
  return STAND_IN_JS;
}

/**
 * Makes sure DIST holds a build of the current sources: builds it (`webpack --mode production`)
 * when taskpane.html is missing or older than a file under src/, unless E2E_NO_BUILD=1.
 */
export function ensurePaneBuilt(): void {
  const html = join(DIST, "taskpane.html");
  const stale = !existsSync(html) || newestMtime(join(ROOT, "src"), () => true) > statSync(html).mtimeMs;
  if (!stale || process.env.E2E_NO_BUILD === "1") {
    if (!existsSync(html)) throw new Error(`${html} is missing: run \`npx webpack --mode production\` first`);
    return;
  }
  const args = ["webpack", "--mode", "production", ...(DIST === join(ROOT, "dist") ? [] : ["--output-path", DIST])];
  const r = spawnSync("npx", args, { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
  if (r.status !== 0) throw new Error(`building the add-in failed:\n${r.stdout}\n${r.stderr}`);
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1 (a free port). */
export async function serveStatic(dir: string): Promise<StaticServer> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    const file = normalize(join(root, path === "/" ? "taskpane.html" : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface PaneOptions {
  workbook: Uint8Array;
  displayLanguage?: string;
  officeTheme?: Record<string, string>;
  excelApi?: string;
  limitBytes?: number;
  /** Past five million cells a read throws (the default) or gives null values. */
  cellLimit?: "throw" | "null";
  /** An oversized request or response refused with the payload codes (the default) or GeneralException. */
  oversize?: "payload" | "general";
  /** Worksheet ids on opening: from the sheetId (the default) or new every time. */
  ids?: "sheetId" | "random";
  /** Sheets the stand-in makes in the workbook after loading it (a 600,000-row export, a stray cell …). */
  extraSheets?: ExtraSheet[];
  viewport?: { width: number; height: number };
}

export interface OpenPane {
  page: Page;
  context: BrowserContext;
  /** Page load start → the Inputs step's Check button enabled. */
  timeToInteractiveMs: number;
  /** Navigation start → Office.onReady (the stand-in has parsed the workbook with ExcelJS by then). */
  officeReadyMs: number;
  /** Office.onReady → the Check button enabled: the pane's own start-up. */
  paneAfterOfficeReadyMs: number;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  close(): Promise<void>;
}

function standInConfig(opts: PaneOptions) {
  return {
    workbookUrl: WORKBOOK_URL,
    displayLanguage: opts.displayLanguage ?? "en-US",
    officeTheme: opts.officeTheme,
    excelApi: opts.excelApi,
    limitBytes: opts.limitBytes,
    cellLimit: opts.cellLimit,
    oversize: opts.oversize,
    ids: opts.ids,
    extraSheets: opts.extraSheets,
  };
}

/** Answers the pane's requests: the built add-in, the stand-in as office.js, the workbook; refuses the rest. */
async function routeStandIn(context: BrowserContext, baseUrl: string, workbook: Uint8Array, extra?: (url: string) => string | undefined): Promise<void> {
  const officeJs = readFileSync(STAND_IN_JS);
  const body = Buffer.from(workbook);
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    const page = extra?.(url);
    if (page !== undefined) return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: page });
    if (url.startsWith(baseUrl)) return route.continue();
    if (url.split("?")[0] === OFFICE_JS_URL) return route.fulfill({ status: 200, contentType: "text/javascript", body: officeJs });
    if (url === WORKBOOK_URL) {
      return route.fulfill({
        status: 200,
        contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        body,
        headers: { "Access-Control-Allow-Origin": "*" },
      });
    }
    return route.abort("blockedbyclient");
  });
}

/** Two co-authors: each a pane in its own frame (its own Excel instance and add-in), over one workbook. */
export interface CoAuthors {
  page: Page;
  context: BrowserContext;
  /** The two panes, Alice's and Bob's. */
  frames: [Frame, Frame];
  errors: string[];
  close(): Promise<void>;
}

/**
 * Opens two panes on one workbook: a page with two frames of taskpane.html, whose stand-ins share
 * the workbook through the page's `__standInHub` (one client each: their own requests, handlers
 * and Local/Remote events). Waits until both are interactive.
 */
export async function openCoAuthors(browser: Browser, baseUrl: string, opts: PaneOptions): Promise<CoAuthors> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 800, height: 900 }, locale: opts.displayLanguage ?? "en-US" });
  const hubUrl = `${baseUrl}/__co-authors.html`;
  const hubPage = `<!doctype html><html><head><meta charset="utf-8"><title>co-authors</title>
<style>body{margin:0;display:flex}iframe{width:50%;height:100vh;border:0}</style></head>
<body><script>window.__standInHub = {};</script>
<iframe id="alice" title="Alice" src="${baseUrl}/taskpane.html"></iframe><iframe id="bob" title="Bob" src="${baseUrl}/taskpane.html"></iframe></body></html>`;
  await routeStandIn(context, baseUrl, opts.workbook, (url) => (url === hubUrl ? hubPage : undefined));
  await context.addInitScript((c) => {
    (window as unknown as { __standInConfig: unknown }).__standInConfig = c;
  }, standInConfig(opts));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(hubUrl, { waitUntil: "domcontentloaded" });
  const frameOf = async (id: string): Promise<Frame> => {
    const handle = await page.waitForSelector(`#${id}`);
    const frame = await handle.contentFrame();
    if (!frame) throw new Error(`no frame ${id}`);
    await frame.locator('[data-testid="check"]:enabled').waitFor({ state: "visible", timeout: 60_000 });
    return frame;
  };
  const frames: [Frame, Frame] = [await frameOf("alice"), await frameOf("bob")];
  return { page, context, frames, errors, close: () => context.close() };
}

/** Opens the pane on a workbook and waits until it is interactive. */
export async function openPane(browser: Browser, baseUrl: string, opts: PaneOptions): Promise<OpenPane> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 380, height: 900 }, locale: opts.displayLanguage ?? "en-US" });
  await routeStandIn(context, baseUrl, opts.workbook);
  const config = standInConfig(opts);
  await context.addInitScript((c) => {
    (window as unknown as { __standInConfig: unknown }).__standInConfig = c;
  }, config);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  const started = Date.now();
  await page.goto(`${baseUrl}/taskpane.html`, { waitUntil: "domcontentloaded" });
  await page.locator('[data-testid="check"]:enabled').waitFor({ state: "visible", timeout: 60_000 });
  const timeToInteractiveMs = Date.now() - started;
  const clock = await page.evaluate(() => ({
    now: performance.now(),
    ready: (window as unknown as { __standIn: { readyAt?: number } }).__standIn.readyAt ?? 0,
  }));
  return {
    page,
    context,
    timeToInteractiveMs,
    officeReadyMs: Math.round(clock.ready),
    paneAfterOfficeReadyMs: Math.round(clock.now - clock.ready),
    errors,
    close: () => context.close(),
  };
}

export interface StandInStats {
  syncs: number;
  requestBytes: number[];
  maxRequestBytes: number;
  responseBytes: number[];
  maxResponseBytes: number;
  syncLog: { requestBytes: number; responseBytes: number; actions: number; ms: number; error?: string; cellsWritten: number }[];
}

export async function standInStats(page: Page | Frame): Promise<StandInStats> {
  return page.evaluate(() => {
    const s = (window as unknown as { __standIn: StandInStats }).__standIn;
    return {
      syncs: s.syncs,
      requestBytes: s.requestBytes,
      maxRequestBytes: s.maxRequestBytes,
      responseBytes: s.responseBytes,
      maxResponseBytes: s.maxResponseBytes,
      syncLog: s.syncLog,
    };
  });
}

/** The stand-in's workbook as .xlsx bytes. */
export async function exportWorkbook(page: Page | Frame): Promise<Uint8Array> {
  const base64 = await page.evaluate(() => (window as unknown as { __standIn: { exportXlsx(): Promise<string> } }).__standIn.exportXlsx());
  return new Uint8Array(Buffer.from(base64, "base64"));
}

export const byTestId = (page: Page | Frame, id: string) => page.locator(`[data-testid="${id}"]`);

export interface FlowResult {
  /** Syncs before Check, after Check, after Write. */
  syncsAtStart: number;
  syncsAfterCheck: number;
  syncsAfterWrite: number;
  /** Milliseconds from the Write click to the summary. */
  writeMs: number;
  /** Milliseconds from the Check click to the result. */
  checkMs: number;
  /** Every text the write's progress line showed, in order. */
  progress: string[];
}

/** The check listed problems: the workbook cannot be planned as it is. */
export class ProblemsError extends Error {
  constructor(readonly problems: string[]) {
    super(`the workbook has ${problems.length} problem(s):\n${problems.join("\n")}`);
    this.name = "ProblemsError";
  }
}

export function screenshotPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, `${name}.png`);
}

const syncsOf = (page: Page | Frame) => page.evaluate(() => (window as unknown as { __standIn: { syncs: number } }).__standIn.syncs);

/** Inputs → Check; resolves when the check has finished (problems listed, or none). */
export async function check(page: Page | Frame): Promise<void> {
  await byTestId(page, "step-inputs").click();
  const button = byTestId(page, "check");
  await button.click();
  await page.waitForFunction(
    () => {
      const b = document.querySelector('[data-testid="check"]') as HTMLButtonElement | null;
      const count = document.querySelector('[data-testid="problem-count"]');
      return b !== null && !b.disabled && count !== null && (count.textContent ?? "").trim() !== "";
    },
    undefined,
    { timeout: 120_000 },
  );
}

/** The whole plan run: Inputs → Check → Plan → (preview) → Write → summary, with screenshots. */
export async function planFlow(page: Page | Frame, shots?: string): Promise<FlowResult> {
  const shoot = async (path: string) => {
    if ("screenshot" in page) await page.screenshot({ path, fullPage: true });
  };
  const syncsAtStart = await syncsOf(page);
  const t0 = Date.now();
  await check(page);
  const checkMs = Date.now() - t0;
  const syncsAfterCheck = await syncsOf(page);
  if (shots) await shoot(screenshotPath(`${shots}-1-inputs`));
  const problems = await byTestId(page, "problem").allInnerTexts();
  if (problems.length > 0) throw new ProblemsError(problems);
  await byTestId(page, "step-plan").click();
  await byTestId(page, "preview").waitFor({ state: "visible", timeout: 120_000 });
  const write = byTestId(page, "write-plan");
  await page.locator('[data-testid="write-plan"]:enabled').waitFor({ timeout: 120_000 });
  if (shots) await shoot(screenshotPath(`${shots}-2-plan`));
  // Every text of the progress line, as it changes (a MutationObserver in the page).
  // (No named functions inside: tsx would wrap them in a helper the page does not have.)
  await page.evaluate(() => {
    const w = window as unknown as { __progress: string[] };
    w.__progress = [];
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="write-progress"] [role="status"]')?.textContent ?? "";
      if (text !== "" && w.__progress[w.__progress.length - 1] !== text) w.__progress.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const t1 = Date.now();
  await write.click();
  await Promise.race([
    byTestId(page, "write-summary").waitFor({ state: "visible", timeout: 300_000 }),
    byTestId(page, "error")
      .waitFor({ state: "visible", timeout: 300_000 })
      .then(async () => {
        throw new Error(`the pane shows an error: ${await byTestId(page, "error").innerText()}`);
      }),
  ]);
  const writeMs = Date.now() - t1;
  const syncsAfterWrite = await syncsOf(page);
  const progress = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  if (shots) await shoot(screenshotPath(`${shots}-3-written`));
  return { syncsAtStart, syncsAfterCheck, syncsAfterWrite, writeMs, checkMs, progress };
}
