/**
 * Rebalance / 重新平衡 in headless Chromium over the stand-in Excel, on the small English workbook:
 * the plan written, then values typed into the Plan Matrix as a user types them. A value that is
 * not a number is a problem at its cell (Go to cell selects it) and nothing is written; then a rep's
 * quarter and another rep's total typed, Rebalance previews them as held with what moves, Write
 * writes the plan and keeps the holds in a new Holds table: the matrix holds the typed values
 * exactly, and every row and column still adds up. Screenshots in test/artifacts/e2e/.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { parseWorkbook } from "../../src/contract";
import { XlsxHost } from "../../src/hosts/xlsx";
import { planFromTables } from "../../src/taskpane/pipeline";
import { bookBytes, englishBook } from "./fixtures";
import { buildStandIn, byTestId, DIST, ensurePaneBuilt, exportWorkbook, launchChromium, openPane, planFlow, ROOT, screenshotPath, serveStatic, type StaticServer } from "./harness";

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
type StandInPage = { __standIn: Record<string, unknown> & { cells(s: string): Cells; syncs: number; syncLog: { cellsWritten: number; error?: string }[] } };
const standIn = <T>(page: Page, fn: (s: StandInPage["__standIn"], arg: unknown) => T, arg?: unknown): Promise<T> =>
  page.evaluate(([source, a]) => new Function("s", "a", `return (${source})(s, a)`)((window as unknown as StandInPage).__standIn, a), [fn.toString(), arg] as const) as Promise<T>;
const typeCell = (page: Page, sheet: string, address: string, text: string) =>
  standIn(page, (s, a) => (s.typeCell as (x: string, y: string, z: string) => void)(...(a as [string, string, string])), [sheet, address, text]);

const MATRIX = "Plan Matrix";

async function axeViolations(page: Page): Promise<{ id: string; targets: string[] }[]> {
  await page.evaluate(readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8"));
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    // Fluent UI's focus guards hand focus on at once (see e2e.test.ts).
    const result = await axe.run({ exclude: [["[data-tabster-dummy]"]] }, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

describe("Rebalance in the Plan step", () => {
  it("typed values are read as holds, a bad one named at its cell; the preview shows what moves; Write keeps them exactly, and everything still adds up", async () => {
    const bytes = await bookBytes(englishBook());
    const tables = await (await XlsxHost.fromBytes(bytes)).readTables();
    const expected = await planFromTables(tables, {});
    if (!expected.ok) throw new Error("the workbook has problems");
    const P = expected.result.periods.length; // Quarter: C…F, the total in G
    const L = expected.result.leaves.length; // Target block: rows 3…6, its total on row 7
    expect([P, L]).toEqual([4, 4]);

    const pane = await openPane(browser, server.url, { workbook: bytes, displayLanguage: "en-US" });
    try {
      const { page } = pane;
      await planFlow(page);

      // ── A value that is not a number: its cell, Go to cell, nothing written ──
      await typeCell(page, MATRIX, "C3", "lots");
      const before = await standIn(page, (s) => s.syncLog.length);
      await byTestId(page, "rebalance-button").click();
      const problem = byTestId(page, "rebalance").locator('[data-testid="problem"]');
      await problem.first().waitFor({ timeout: 60_000 });
      expect(await problem.allInnerTexts()).toEqual([expect.stringContaining(`'${MATRIX}'!C3`)]);
      expect(await problem.first().innerText()).toContain('"lots" is not a number');
      await byTestId(page, "rebalance").locator('[data-testid="goto-cell"]').first().click();
      await page.waitForFunction(() => {
        const sel = ((window as unknown as StandInPage).__standIn.selection as () => { sheet: string; address: string } | undefined)();
        return sel?.sheet === "Plan Matrix" && sel.address === "C3";
      });
      const log = (await standIn(page, (s) => s.syncLog)).slice(before);
      expect(log.reduce((n, s) => n + s.cellsWritten, 0)).toBe(0);

      // ── Li's first quarter and Wang's year typed: held in the preview ──
      const li = expected.result.cells.target[0] + 10_000;
      const wang = expected.result.nodes[expected.result.leaves[1]].amount.target - 20_000;
      await typeCell(page, MATRIX, "C3", String(li));
      await typeCell(page, MATRIX, "G4", String(wang));
      await byTestId(page, "rebalance-button").click();
      await byTestId(page, "rebalance-preview").waitFor({ timeout: 60_000 });
      const rows = byTestId(page, "rebalance-row");
      const held = await page.$$eval('[data-testid="rebalance-row"][data-held="typed"]', (els) => els.map((e) => e.getAttribute("data-ref")));
      expect(held).toEqual([`'${MATRIX}'!C3`, `'${MATRIX}'!G4`]);
      expect(await rows.count()).toBeGreaterThan(2);
      expect(await byTestId(page, "rebalance-summary").innerText()).toMatch(/^2 typed, held; \d+ cells move\.$/);
      expect(await byTestId(page, "rebalance-keep").isChecked()).toBe(true);
      await page.screenshot({ path: screenshotPath("rebalance-1-preview"), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);

      // ── Write: the plan's sheets, and the holds kept in a new Holds table ──
      await byTestId(page, "rebalance-write").click();
      await byTestId(page, "rebalance-written").waitFor({ timeout: 120_000 });
      expect(await byTestId(page, "rebalance-kept").innerText()).toBe("Holds kept in Holds: 2 added, 0 changed.");
      expect(pane.errors).toEqual([]);
      await page.screenshot({ path: screenshotPath("rebalance-2-written"), fullPage: true });

      const out = await exportWorkbook(page);
      const after = await (await XlsxHost.fromBytes(out)).readTables();
      const parsed = parseWorkbook(after);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      expect(parsed.workbook.input.holds?.map((h) => [h.path, h.period ?? null, h.tier, h.amount])).toEqual([
        [{ Region: "East", Rep: "Li" }, "2027-Q1", "target", li],
        [expected.result.nodes[expected.result.leaves[1]].path, null, "target", wang],
      ]);

      // The matrix: the typed values kept exactly, every row and column adding up to its total.
      const cells = await standIn(page, (s, n) => s.cells(n as string), MATRIX);
      const amount = (col: string, row: number) => cells[`${col}${row}`]?.value as number;
      const cols = ["C", "D", "E", "F"];
      const rowSum = (r: number) => cols.reduce((n, c) => n + amount(c, r), 0);
      expect(amount("C", 3)).toBe(li);
      expect(rowSum(4)).toBe(wang);
      const replanned = await planFromTables(after, {});
      if (!replanned.ok) throw new Error("the rebalanced workbook has problems");
      const result = replanned.result;
      for (let r = 0; r < L; r++) {
        expect(rowSum(3 + r)).toBe(result.nodes[result.leaves[r]].amount.target);
        expect(cells[`G${3 + r}`]?.formula).toBe(`=SUM(C${3 + r}:F${3 + r})`);
      }
      cols.forEach((c, p) => {
        let sum = 0;
        for (let r = 0; r < L; r++) sum += amount(c, 3 + r);
        expect(sum).toBe(result.periods[p].amount.target);
        expect(cells[`${c}7`]?.formula).toBe(`=SUM(${c}3:${c}6)`);
      });
      expect(result.nodes[0].amount.target).toBe(expected.result.nodes[0].amount.target);

      // The next Rebalance finds nothing typed: the kept holds are the plan of record.
      await byTestId(page, "rebalance-button").click();
      await byTestId(page, "rebalance").locator('[data-testid="notice"]').waitFor({ timeout: 60_000 });
      expect(await byTestId(page, "rebalance").locator('[data-testid="notice"]').innerText()).toContain("Nothing was typed");
    } finally {
      await pane.close();
    }
  });
});
