/**
 * The task pane in headless Chromium over the stand-in Excel JS API: Inputs → Check → Plan → Write
 * on the sample workbooks, with exactly the command line's numbers; bad inputs listed with their
 * cells and nothing written; the same number of requests for a workbook ten times the sample's
 * organisation; no request or response past 5 MB; no axe violations; names that look like
 * formulas arriving as text. Screenshots in test/artifacts/e2e/.
 *
 *   npx jest test/e2e          (builds the stand-in, and dist/ when it is older than src/)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { preparePlan } from "../../src/hosts/run";
import { XlsxHost } from "../../src/hosts/xlsx";
import type { SheetSpec } from "../../src/report/spec";
import { bookBytes, benchBytes, missingTargetsBook, textInNumberBook, trickyNamesBook, userPlanSheetBook } from "./fixtures";
import {
  ARTIFACTS,
  buildStandIn,
  byTestId,
  check,
  DIST,
  ensurePaneBuilt,
  exportWorkbook,
  launchChromium,
  openPane,
  planFlow,
  ROOT,
  screenshotPath,
  serveStatic,
  standInStats,
  type PaneOptions,
  type StaticServer,
} from "./harness";

jest.setTimeout(600_000);

const LIMIT = 5_000_000;
/** Requests of a plan run (Check → Write) below the request limit: the read, the change check, the write. */
const PLAN_RUN_REQUESTS = 3;
let browser: Browser;
let server: StaticServer;
/** Figures for the closing note, written to test/artifacts/e2e/figures.json. */
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  await buildStandIn();
  ensurePaneBuilt();
  server = await serveStatic(DIST);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, "figures.json"), JSON.stringify(figures, null, 2));
});

type Cells = Record<string, { value?: unknown; formula?: string }>;
const standIn = <T>(page: Page, fn: string, ...args: unknown[]): Promise<T> =>
  page.evaluate(([name, a]) => (window as unknown as { __standIn: Record<string, (...x: unknown[]) => unknown> }).__standIn[name as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;

/** Every cell of every spec, compared with the exported workbook read back by ExcelJS. */
async function expectSameSheets(xlsx: Uint8Array, specs: SheetSpec[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
  for (const spec of specs) {
    const ws = wb.getWorksheet(spec.name);
    expect(ws).toBeDefined();
    const mismatches: string[] = [];
    spec.rows.forEach((row, r) =>
      row.forEach((want, c) => {
        const got = (ws as ExcelJS.Worksheet).getCell(r + 1, c + 1).value;
        if (want === null || want === "") {
          if (got !== null && got !== "") mismatches.push(`${r + 1},${c + 1}: ${JSON.stringify(got)} for empty`);
        } else if (typeof want === "object") {
          const f = (got as { formula?: string } | null)?.formula;
          if (f !== want.formula.replace(/^=/, "")) mismatches.push(`${r + 1},${c + 1}: formula ${JSON.stringify(f)} ≠ ${want.formula}`);
        } else if (got !== want) mismatches.push(`${r + 1},${c + 1}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }),
    );
    expect({ sheet: spec.name, mismatches: mismatches.slice(0, 5) }).toEqual({ sheet: spec.name, mismatches: [] });
  }
}

async function axeViolations(page: Page): Promise<{ id: string; targets: string[] }[]> {
  const source = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
  // page.evaluate is not subject to the pane's Content-Security-Policy; a script tag would be.
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    // Tabster's focus guards (Fluent UI's <i data-tabster-dummy aria-hidden tabindex=0>) hand focus on at
    // once and are never a stop for the user; axe cannot know that and reports aria-hidden-focus on them.
    const result = await axe.run({ exclude: [["[data-tabster-dummy]"]] }, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

describe("a plan run on the sample workbooks", () => {
  it.each([
    ["厨电门店-2027.xlsx", "zh-CN", "sample-zh"],
    ["kitchen-appliances-2027.xlsx", "en-US", "sample-en"],
  ])("%s (%s): Inputs → Check → Plan → Write gives the command line's sheets", async (file, lang, tag) => {
    const bytes = new Uint8Array(readFileSync(join(ROOT, "sample", file)));
    const pane = await openPane(browser, server.url, { workbook: bytes, displayLanguage: lang });
    try {
      const { page } = pane;
      const flow = await planFlow(page, tag);
      const stats = await standInStats(page);
      expect(stats.syncLog.filter((s) => s.error)).toEqual([]);
      // Check: one request (the pane listed the workbook when it opened); Write: the change check, then everything.
      expect(flow.syncsAfterCheck - flow.syncsAtStart).toBe(1);
      expect(flow.syncsAfterWrite - flow.syncsAfterCheck).toBe(2);
      expect(flow.syncsAfterWrite - flow.syncsAtStart).toBeLessThanOrEqual(PLAN_RUN_REQUESTS);
      expect(stats.maxRequestBytes).toBeLessThanOrEqual(LIMIT);
      expect(stats.maxResponseBytes).toBeLessThanOrEqual(LIMIT);

      const expected = await preparePlan(await XlsxHost.fromBytes(bytes));
      if (!expected.ok) throw new Error(`${file} has problems`);
      const out = await exportWorkbook(page);
      writeFileSync(join(ARTIFACTS, `${tag}.planned.xlsx`), out);
      await expectSameSheets(out, expected.sheets);

      // Conditional formats went on whole ranges, one per range the report asked for.
      const recorded = (await page.evaluate(() => (window as unknown as { __standIn: { conditionalFormats: { sheet: string; range: string }[] } }).__standIn.conditionalFormats)).map((f) => `${f.sheet}!${f.range}`).sort();
      const asked = expected.sheets.flatMap((s) => s.conditionalFormats.flatMap((cf) => cf.range.split(",").map((r) => `${s.name}!${r}`))).sort();
      expect(recorded).toEqual(asked);

      // A summary link shows its sheet.
      const links = byTestId(page, "sheet-link");
      expect(await links.count()).toBe(expected.sheets.length);
      await links.nth(1).click();
      await page.waitForFunction((name) => (window as unknown as { __standIn: { activeSheet(): string } }).__standIn.activeSheet() === name, expected.sheets[1].name);

      expect(await axeViolations(page)).toEqual([]);
      expect(pane.errors).toEqual([]);
      figures[tag] = {
        timeToInteractiveMs: pane.timeToInteractiveMs,
        officeReadyMs: pane.officeReadyMs,
        paneAfterOfficeReadyMs: pane.paneAfterOfficeReadyMs,
        syncsPerPlanRun: flow.syncsAfterWrite - flow.syncsAtStart,
        syncsCheck: flow.syncsAfterCheck - flow.syncsAtStart,
        syncsWrite: flow.syncsAfterWrite - flow.syncsAfterCheck,
        maxRequestBytes: stats.maxRequestBytes,
        maxResponseBytes: stats.maxResponseBytes,
        checkMs: flow.checkMs,
        writeMs: flow.writeMs,
      };
    } finally {
      await pane.close();
    }
  });
});

describe("bad inputs", () => {
  it("text in a number column: the problem names its cell, Go to cell selects it, nothing is written", async () => {
    const pane = await openPane(browser, server.url, { workbook: await bookBytes(textInNumberBook()) });
    try {
      const { page } = pane;
      const sheetsBefore = await standIn<{ name: string }[]>(page, "sheets");
      await check(page);
      const problems = byTestId(page, "problem");
      await problems.first().waitFor();
      const texts = await problems.allInnerTexts();
      const index = texts.findIndex((t) => t.includes("'History data'!D7"));
      expect(index).toBeGreaterThanOrEqual(0);
      expect((await byTestId(page, "problem-count").innerText()).trim()).not.toBe("");
      await problems.nth(index).locator('[data-testid="goto-cell"]').click();
      await page.waitForFunction(() => (window as unknown as { __standIn: { selection(): { address: string } | undefined } }).__standIn.selection()?.address === "D7");
      expect(await standIn(page, "selection")).toEqual({ sheet: "History data", address: "D7" });
      await page.screenshot({ path: screenshotPath("bad-text-in-number"), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);

      // Nothing can be written, and nothing was.
      await byTestId(page, "step-plan").click();
      const write = byTestId(page, "write-plan");
      if (await write.count()) expect(await write.isDisabled()).toBe(true);
      expect(await standIn(page, "sheets")).toEqual(sheetsBefore);
      expect(await standIn<Record<string, unknown>>(page, "settings")).not.toHaveProperty(["TargetCascade.owned"]);
      const stats = await standInStats(page);
      expect(stats.syncLog.every((s) => s.cellsWritten === 0 && s.requestBytes < 20_000)).toBe(true);
    } finally {
      await pane.close();
    }
  });

  it("missing Targets: the problem is listed with a reference, nothing is written", async () => {
    const pane = await openPane(browser, server.url, { workbook: await bookBytes(missingTargetsBook()) });
    try {
      const { page } = pane;
      const sheetsBefore = await standIn<{ name: string }[]>(page, "sheets");
      await check(page);
      const problems = byTestId(page, "problem");
      await problems.first().waitFor();
      const text = (await problems.allInnerTexts()).join("\n");
      expect(text).toContain("Targets!A1");
      // Go to cell on a sheet that does not exist yet: the pane says so, it is never a blank failure.
      await problems.first().locator('[data-testid="goto-cell"]').click();
      await page.waitForFunction(() => document.body.innerText.split("Targets!A1").length > 2);
      await page.screenshot({ path: screenshotPath("bad-missing-targets"), fullPage: true });
      expect(pane.errors).toEqual([]);
      await byTestId(page, "step-plan").click();
      const write = byTestId(page, "write-plan");
      if (await write.count()) expect(await write.isDisabled()).toBe(true);
      expect(await standIn(page, "sheets")).toEqual(sheetsBefore);
    } finally {
      await pane.close();
    }
  });

  it("a user's sheet named Plan: the write is refused with an explanation, nothing is written", async () => {
    const pane = await openPane(browser, server.url, { workbook: await bookBytes(userPlanSheetBook()) });
    try {
      const { page } = pane;
      const before = await standIn<Cells>(page, "cells", "Plan");
      const sheetsBefore = await standIn<{ name: string }[]>(page, "sheets");
      await check(page);
      await byTestId(page, "step-plan").click();
      await page.locator('[data-testid="write-plan"]:enabled').waitFor({ timeout: 120_000 });
      await byTestId(page, "write-plan").click();
      const error = byTestId(page, "error");
      await error.waitFor({ timeout: 60_000 });
      expect(await error.innerText()).toContain("Plan");
      await page.screenshot({ path: screenshotPath("bad-user-plan-sheet"), fullPage: true });
      expect(await standIn(page, "cells", "Plan")).toEqual(before);
      expect(await standIn(page, "sheets")).toEqual(sheetsBefore);
    } finally {
      await pane.close();
    }
  });
});

describe("text stays text", () => {
  it("names like =1+1 and periods like 2027-01 arrive in Excel as text, never as formulas or dates", async () => {
    const pane = await openPane(browser, server.url, { workbook: await bookBytes(trickyNamesBook()) });
    try {
      const { page } = pane;
      await planFlow(page, "tricky-names");
      const cells = await standIn<Cells>(page, "cells", "Plan");
      const values = Object.values(cells);
      expect(values.filter((c) => c.formula)).toEqual([]);
      const texts = new Set(values.map((c) => c.value));
      for (const t of ["=1+1", "+SUM(1,2)", "-3", "@x", "2027-01", "2027-12"]) expect(texts.has(t)).toBe(true);
    } finally {
      await pane.close();
    }
  });
});

describe("round trips", () => {
  /** Requests of one plan run (Check → Write), and the largest request and response; optionally the sheets checked against the CLI's. */
  async function planRun(workbook: Uint8Array, tag: string, opts: { compare?: boolean; refusals?: boolean; pane?: Partial<PaneOptions> } = {}) {
    const pane = await openPane(browser, server.url, { ...opts.pane, workbook });
    try {
      const flow = await planFlow(pane.page, tag);
      const stats = await standInStats(pane.page);
      const refused = stats.syncLog.filter((s) => s.error).map((s) => s.error);
      if (!opts.refusals) expect(refused).toEqual([]);
      if (opts.compare) {
        const expected = await preparePlan(await XlsxHost.fromBytes(workbook));
        if (!expected.ok) throw new Error(`${tag} has problems`);
        await expectSameSheets(await exportWorkbook(pane.page), expected.sheets);
      }
      const run = stats.syncLog.slice(flow.syncsAtStart, flow.syncsAfterWrite);
      const bytes = run.reduce((n, x) => n + x.requestBytes + x.responseBytes, 0);
      return { syncs: flow.syncsAfterWrite - flow.syncsAtStart, stats, flow, refused, tti: pane.timeToInteractiveMs, bytes, run, progress: flow.progress };
    } finally {
      await pane.close();
    }
  }

  it("the same number of requests for the sample and for a workbook with ten times its organisation", async () => {
    const sample = await planRun(new Uint8Array(readFileSync(join(ROOT, "sample/kitchen-appliances-2027.xlsx"))), "requests-sample");
    // The sample plans 24 reps; the bench workbook 240 (Region > Team > Rep, weekly: 44× the plan rows).
    const large = await planRun(await benchBytes(240), "requests-10x", { compare: true });
    expect(sample.syncs).toBeLessThanOrEqual(PLAN_RUN_REQUESTS);
    expect(large.syncs).toBe(sample.syncs);
    for (const run of [sample, large]) {
      expect(run.stats.maxRequestBytes).toBeLessThanOrEqual(LIMIT);
      expect(run.stats.maxResponseBytes).toBeLessThanOrEqual(LIMIT);
    }
    figures.requests = {
      sample: { syncs: sample.syncs, maxRequestBytes: sample.stats.maxRequestBytes, maxResponseBytes: sample.stats.maxResponseBytes },
      tenTimes: { syncs: large.syncs, maxRequestBytes: large.stats.maxRequestBytes, maxResponseBytes: large.stats.maxResponseBytes, writeMs: large.flow.writeMs },
    };
  });

  it("the same number of requests with a 600,000-row sheet, or a sheet with a stray cell in Z1048576, beside the sample's inputs", async () => {
    const bytes = new Uint8Array(readFileSync(join(ROOT, "sample/kitchen-appliances-2027.xlsx")));
    const plain = await planRun(bytes, "requests-plain");
    // 600,000 rows × 9 columns: 5.4 million cells, past Excel's five-million-cell read (here answered with null values).
    const big = await planRun(bytes, "requests-600k", { pane: { cellLimit: "null", extraSheets: [{ name: "Sales export", rows: 600_000, cols: 9 }] } });
    // One value in Z1048576: a used range of 27 million cells (here answered with RangeExceedsLimit).
    const stray = await planRun(bytes, "requests-stray", { pane: { extraSheets: [{ name: "Notes", rows: 1, cols: 3, stray: { row: 1_048_576, col: 26, value: "stray" } }] } });
    expect(plain.syncs).toBeLessThanOrEqual(PLAN_RUN_REQUESTS);
    expect(big.syncs).toBe(plain.syncs);
    expect(stray.syncs).toBe(plain.syncs);
    for (const run of [big, stray]) {
      expect(run.refused).toEqual([]);
      expect(run.stats.maxResponseBytes).toBeLessThanOrEqual(plain.stats.maxResponseBytes + 10_000);
    }
    figures.largeSheets = {
      plain: { syncs: plain.syncs, maxResponseBytes: plain.stats.maxResponseBytes },
      rows600k: { syncs: big.syncs, maxResponseBytes: big.stats.maxResponseBytes, checkMs: big.flow.checkMs, tti: big.tti },
      strayZ1048576: { syncs: stray.syncs, maxResponseBytes: stray.stats.maxResponseBytes, checkMs: stray.flow.checkMs },
    };
  });

  it("past 5 MB: ⌈bytes ÷ 5 MB⌉ + 2 requests, each packed close to the limit, none refused, and the pane says which part it wrote", async () => {
    // 2,500 reps × 36 months: History is 90,000 rows (a ~6 MB response), the plan 132,500 rows.
    const run = await planRun(await benchBytes(2500), "past-limit");
    expect(run.refused).toEqual([]);
    expect(run.stats.maxRequestBytes).toBeLessThanOrEqual(LIMIT);
    expect(run.stats.maxResponseBytes).toBeLessThanOrEqual(LIMIT);
    expect(run.syncs).toBeLessThanOrEqual(Math.ceil(run.bytes / LIMIT) + 2);
    // Every request of the data but the last of the read and of the write carries more than 4 MB.
    const big = run.run.map((x) => Math.max(x.requestBytes, x.responseBytes)).filter((b) => b > 1_000_000);
    expect(big.slice(0, -1).filter((b) => b < 4_000_000).length).toBeLessThanOrEqual(1);
    // The write's parts, one by one: "Written 1 of n parts…" … (the first request is the change check).
    const parts = run.flow.syncsAfterWrite - run.flow.syncsAfterCheck - 1;
    expect(parts).toBeGreaterThan(1);
    expect(run.progress).toEqual(expect.arrayContaining([`Written 0 of ${parts} parts…`, `Written ${parts - 1} of ${parts} parts…`]));
    figures.pastLimit = {
      syncs: run.syncs,
      syncsCheck: run.flow.syncsAfterCheck - run.flow.syncsAtStart,
      syncsWrite: run.flow.syncsAfterWrite - run.flow.syncsAfterCheck,
      maxRequestBytes: run.stats.maxRequestBytes,
      maxResponseBytes: run.stats.maxResponseBytes,
      bytes: run.bytes,
      goal: Math.ceil(run.bytes / LIMIT) + 2,
      requests: run.run.map((x) => [x.requestBytes, x.responseBytes]),
      progress: run.progress,
      writeMs: run.flow.writeMs,
      checkMs: run.flow.checkMs,
    };
  });
});

describe("nothing half-written", () => {
  const sample = () => new Uint8Array(readFileSync(join(ROOT, "sample/kitchen-appliances-2027.xlsx")));

  it("a change to the inputs after the preview: Write sends one request, writes nothing, says so; the preview follows and the next Write goes through", async () => {
    const pane = await openPane(browser, server.url, { workbook: sample() });
    try {
      const { page } = pane;
      const sheetsBefore = await standIn<{ name: string }[]>(page, "sheets");
      await check(page);
      await byTestId(page, "step-plan").click();
      await page.locator('[data-testid="write-plan"]:enabled').waitFor({ timeout: 120_000 });
      // The user types a new Target after the preview.
      await standIn(page, "typeCell", "Targets", "C2", "112000000");
      const before = (await standInStats(page)).syncs;
      await byTestId(page, "write-plan").click();
      await byTestId(page, "notice").waitFor({ timeout: 60_000 });
      expect(await byTestId(page, "notice").innerText()).toContain("nothing was written");
      const log = (await standInStats(page)).syncLog.slice(before);
      // the change check (and the read that brings the preview up to date)
      expect(log[0].cellsWritten).toBe(0);
      expect(log.length).toBeLessThanOrEqual(2);
      expect(await standIn(page, "sheets")).toEqual(sheetsBefore);
      await page.locator('[data-testid="write-plan"]:enabled').waitFor({ timeout: 120_000 });
      await byTestId(page, "write-plan").click();
      await byTestId(page, "write-summary").waitFor({ timeout: 120_000 });
      const expected = await preparePlan(await XlsxHost.fromBytes(await exportWorkbook(page)));
      if (!expected.ok) throw new Error("problems");
      await expectSameSheets(await exportWorkbook(page), expected.sheets);
      expect(pane.errors).toEqual([]);
    } finally {
      await pane.close();
    }
  });

  it("a write request that fails part-way: one more request removes what it wrote, the pane says so, and Write again writes everything", async () => {
    const bytes = sample();
    const pane = await openPane(browser, server.url, { workbook: bytes });
    try {
      const { page } = pane;
      const sheetsBefore = await standIn<{ name: string }[]>(page, "sheets");
      await check(page);
      await byTestId(page, "step-plan").click();
      await page.locator('[data-testid="write-plan"]:enabled').waitFor({ timeout: 120_000 });
      await standIn(page, "failCommand", "numberFormat", 1);
      const before = (await standInStats(page)).syncs;
      await byTestId(page, "write-plan").click();
      const error = byTestId(page, "error");
      await error.waitFor({ timeout: 60_000 });
      expect(await error.innerText()).toContain("What had been written is removed again");
      await page.screenshot({ path: screenshotPath("write-failed-undone"), fullPage: true });
      const log = (await standInStats(page)).syncLog.slice(before);
      // the change check, the write (failed part-way), the cleanup
      expect(log.map((x) => x.error ?? "")).toEqual(["", "GeneralException", ""]);
      // New sheets, the register included, are gone: the workbook's sheets are as they were.
      expect((await standIn<{ name: string; visibility: string }[]>(page, "sheets")).filter((x) => x.visibility !== "VeryHidden")).toEqual(sheetsBefore);
      expect((await standIn<{ name: string }[]>(page, "tables")).filter((t) => t.name.startsWith("TC_"))).toEqual([]);

      await byTestId(page, "write-plan").click();
      await byTestId(page, "write-summary").waitFor({ timeout: 120_000 });
      const expected = await preparePlan(await XlsxHost.fromBytes(bytes));
      if (!expected.ok) throw new Error("problems");
      await expectSameSheets(await exportWorkbook(page), expected.sheets);
      expect(pane.errors).toEqual([]);
    } finally {
      await pane.close();
    }
  });
});
