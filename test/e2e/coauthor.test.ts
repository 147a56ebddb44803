/**
 * Two co-authors in headless Chromium: Alice's and Bob's panes, each in its own frame — its own
 * Excel instance with its own add-in, requests and event handlers — over one workbook (the
 * stand-in's co-authoring: a change reaches every instance, Local for the one that made it and
 * Remote for the other), on sample/厨电门店-2027.xlsx.
 *
 * Alice refreshes the progress sheets and writes a note beside them; both turn live refresh on;
 * Bob adds an Actuals row. Exactly one pane writes (Bob's, whose user made the change, and only
 * the changed cells, though Bob's pane never wrote those sheets); Alice's pane says a co-author
 * changed the Actuals; Alice's note is kept; the sheets hold the command line's figures.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Frame } from "playwright-core";
import { dayFromYmd } from "../../src/engine/dates";
import { XlsxHost } from "../../src/hosts/xlsx";
import type { SheetSpec } from "../../src/report/spec";
import { trackFromTables } from "../../src/taskpane/pipeline";
import { ARTIFACTS, buildStandIn, byTestId, DIST, ensurePaneBuilt, launchChromium, openCoAuthors, ROOT, screenshotPath, serveStatic, type StaticServer } from "./harness";

jest.setTimeout(600_000);

let browser: Browser;
let server: StaticServer;
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
  writeFileSync(join(ARTIFACTS, "coauthor-figures.json"), JSON.stringify(figures, null, 2));
});

type Cells = Record<string, { value?: unknown; formula?: string }>;
interface Sync {
  cellsWritten: number;
  error?: string;
}
interface StandInFrame {
  __standIn: {
    syncLog: Sync[];
    handlers: number;
    cells(sheet: string): Cells;
    appendRow(table: string, values: unknown[]): string;
    typeCell(sheet: string, address: string, text: string): void;
  };
}
const call = <T>(frame: Frame, fn: (s: StandInFrame["__standIn"], arg: unknown) => T, arg?: unknown): Promise<T> =>
  frame.evaluate(([source, a]) => new Function("s", "a", `return (${source})(s, a)`)((window as unknown as StandInFrame).__standIn, a), [fn.toString(), arg] as const) as Promise<T>;

const column = (n: number): string => {
  let s = "";
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

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

async function openTrack(frame: Frame): Promise<void> {
  await byTestId(frame, "step-track").click();
  await frame.locator('[data-testid="as-of"]').waitFor({ timeout: 60_000 });
}

async function liveOn(frame: Frame): Promise<void> {
  await byTestId(frame, "live-switch").click();
  await frame.waitForFunction(() => (window as unknown as StandInFrame).__standIn.handlers === 1, undefined, { timeout: 10_000 });
}

describe("two co-authors with live refresh on", () => {
  it("one writer (the pane of whoever changed the Actuals), a co-author's note kept, the other pane told", async () => {
    const bytes = new Uint8Array(readFileSync(join(ROOT, "sample", "厨电门店-2027.xlsx")));
    const today = dayFromYmd(2027, 5, 5);
    const both = await openCoAuthors(browser, server.url, { workbook: bytes, displayLanguage: "zh-CN", excelApi: "1.7" });
    try {
      const [alice, bob] = both.frames;

      // Alice refreshes the progress sheets (进度, 排名), then types a note beside 进度.
      await openTrack(alice);
      await byTestId(alice, "refresh").click();
      await byTestId(alice, "track-summary").waitFor({ timeout: 120_000 });
      const note = "周五前与王建国确认华东数据";
      await call(alice, (s, n) => s.typeCell("进度", "AZ2", n as string), note);
      await call(alice, (s) => s.typeCell("进度", "B60", "财务已核对"));

      await liveOn(alice);
      await openTrack(bob);
      await liveOn(bob);

      // Bob adds an Actuals row in his Excel.
      const aliceBefore = (await call(alice, (s) => s.syncLog)).length;
      const bobBefore = (await call(bob, (s) => s.syncLog)).length;
      const t0 = Date.now();
      await call(bob, (s, r) => s.appendRow("实际业绩", r as unknown[]), [today + 25569, "华东", "上海一店", "王建国", "小区拓展", 50000, 20, 12, 8]);
      await byTestId(bob, "live-status").waitFor({ timeout: 10_000 });
      const bobMs = Date.now() - t0;
      await byTestId(alice, "live-remote").waitFor({ timeout: 10_000 });
      // Give Alice's pane time to write, if it were going to.
      await alice.waitForTimeout(1_500);

      const aliceLog = (await call(alice, (s) => s.syncLog)).slice(aliceBefore);
      const bobLog = (await call(bob, (s) => s.syncLog)).slice(bobBefore);
      const written = (log: Sync[]) => log.reduce((n, s) => n + s.cellsWritten, 0);
      expect([...aliceLog, ...bobLog].filter((s) => s.error)).toEqual([]);
      // Exactly one writer: Bob's pane. Alice's pane wrote nothing: it only says a co-author changed the Actuals.
      expect(written(aliceLog)).toBe(0);
      expect(written(bobLog)).toBeGreaterThan(0);
      // Bob's pane never wrote these sheets, yet writes only the changed cells: the register holds their shape.
      const shown = Number(await byTestId(bob, "live-status").getAttribute("data-changed"));
      expect(shown).toBe(written(bobLog));
      expect(shown).toBeLessThan(100);

      // Alice's note and the finance check are kept; the sheets hold the command line's figures with Bob's row.
      const cells = await call(alice, (s) => s.cells("进度"));
      expect(cells.AZ2?.value).toBe(note);
      expect(cells.B60?.value).toBe("财务已核对");
      const tables = await (await XlsxHost.fromBytes(bytes)).readTables();
      tables.find((t) => t.name === "实际业绩")?.rows.push([new Date(Date.UTC(2027, 4, 5)), "华东", "上海一店", "王建国", "小区拓展", 50000, 20, 12, 8]);
      const after = await trackFromTables(tables, { today });
      if (!after.ok) throw new Error(JSON.stringify(after.problems));
      for (const spec of after.sheets.filter((s) => s.kind === "progress" || s.kind === "ranking")) {
        expect(mismatches(spec, await call(bob, (s, n) => s.cells(n as string), spec.name)).slice(0, 5)).toEqual([]);
      }
      await both.page.screenshot({ path: screenshotPath("coauthors-live"), fullPage: true });
      expect(both.errors).toEqual([]);
      Object.assign(figures, { bobChangedCells: shown, bobRequests: bobLog.length, aliceRequests: aliceLog.length, bobMs });
    } finally {
      await both.close();
    }
  });
});
