/**
 * 生成目标责任书 in headless Chromium over the stand-in Excel, on sample/厨电门店-2027.xlsx: after
 * the plan is written, the Plan step's Write target letters writes 目标责任书 with the command
 * line's cells and links to it; then the Track step's Refresh writes 激励核算 beside 进度 and 排名.
 * Screenshots in test/artifacts/e2e/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { dayFromYmd } from "../../src/engine/dates";
import { prepareLetters } from "../../src/hosts/letters";
import { prepareTrack } from "../../src/hosts/track";
import { XlsxHost } from "../../src/hosts/xlsx";
import type { SheetSpec } from "../../src/report/spec";
import { buildStandIn, byTestId, DIST, ensurePaneBuilt, launchChromium, openPane, planFlow, ROOT, screenshotPath, serveStatic, type StaticServer } from "./harness";

jest.setTimeout(600_000);

let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  await buildStandIn();
  ensurePaneBuilt();
  server = await serveStatic(DIST);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Cells = Record<string, { value?: unknown; formula?: string }>;
const cellsOf = (page: Page, sheet: string): Promise<Cells> =>
  page.evaluate((name) => (window as unknown as { __standIn: { cells(s: string): Cells } }).__standIn.cells(name), sheet);

const column = (n: number): string => {
  let s = "";
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

/** Cells of a spec the sheet does not hold (formulas by their text; the stand-in does not calculate). */
function mismatches(spec: SheetSpec, cells: Cells): string[] {
  const out: string[] = [];
  spec.rows.forEach((row, r) =>
    row.forEach((want, c) => {
      const at = `${column(c + 1)}${r + 1}`;
      const got = cells[at];
      if (want === null || want === "") {
        if (got && got.value !== "" && got.value !== null) out.push(`${at}: ${JSON.stringify(got)} for empty`);
      } else if (typeof want === "object") {
        if (got?.formula !== `=${want.formula.replace(/^=/, "")}`) out.push(`${at}: ${JSON.stringify(got)} ≠ =${want.formula}`);
      } else if (got?.value !== want) out.push(`${at}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    }),
  );
  return out;
}

describe("生成目标责任书 on 厨电门店-2027.xlsx", () => {
  it("writes 目标责任书 as the command line does, then a Refresh writes 激励核算", async () => {
    const bytes = new Uint8Array(readFileSync(join(ROOT, "sample", "厨电门店-2027.xlsx")));
    const letters = await prepareLetters(await XlsxHost.fromBytes(bytes));
    if (!letters.ok) throw new Error(JSON.stringify(letters.problems));
    const lettersSpec = letters.sheets[0];
    const tracked = await prepareTrack(await XlsxHost.fromBytes(bytes), { today: dayFromYmd(2027, 5, 5) });
    if (!tracked.ok) throw new Error(JSON.stringify(tracked.problems));
    const incentivesSpec = tracked.sheets.find((s) => s.kind === "incentives") as SheetSpec;

    const pane = await openPane(browser, server.url, { workbook: bytes, displayLanguage: "zh-CN", excelApi: "1.7" });
    try {
      const { page } = pane;
      await planFlow(page);
      const section = page.locator('section[aria-labelledby="letters-heading"]');
      expect(await section.locator("h3").innerText()).toBe("目标责任书");
      const button = section.locator('[data-testid="write-letters"]');
      expect(await button.innerText()).toBe("生成目标责任书");
      await section.locator('[data-testid="write-letters"]:enabled').waitFor({ timeout: 60_000 });
      await button.click();
      await Promise.race([
        section.locator('[data-testid="write-summary"]').waitFor({ state: "visible", timeout: 300_000 }),
        section
          .locator('[data-testid="error"], [data-testid="problem"]')
          .first()
          .waitFor({ state: "visible", timeout: 300_000 })
          .then(async () => {
            throw new Error(`the pane shows: ${await section.innerText()}`);
          }),
      ]);
      expect(await section.locator('[data-testid="sheet-link"]').allInnerTexts()).toEqual(["目标责任书"]);
      expect(mismatches(lettersSpec, await cellsOf(page, "目标责任书")).slice(0, 5)).toEqual([]);
      await page.screenshot({ path: screenshotPath("letters-1-written"), fullPage: true });

      await byTestId(page, "step-track").click();
      await page.locator('[data-testid="as-of"]').waitFor({ timeout: 60_000 });
      await byTestId(page, "refresh").click();
      await byTestId(page, "track-summary").waitFor({ timeout: 120_000 });
      expect(mismatches(incentivesSpec, await cellsOf(page, "激励核算")).slice(0, 5)).toEqual([]);
      expect(pane.errors).toEqual([]);
    } finally {
      await pane.close();
    }
  });
});
