/**
 * The Track step's pieces: the morning view, AsOf parsing, the cell diff of a live refresh, and the
 * live path end to end in Node — ExcelHost over the stand-in Excel: Refresh writes Progress and
 * Ranking in full, one new Actuals row fires the table's onChanged, and writeChanges writes only
 * the cells that changed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { dayFromYmd } from "../../src/engine/dates";
import { ExcelHost } from "../../src/hosts/excel";
import { diffSheet, sameCell, specShape } from "../../src/hosts/excel/diff";
import { prepareTrack } from "../../src/hosts/track";
import { XlsxHost } from "../../src/hosts/xlsx";
import type { SheetSpec } from "../../src/report/spec";
import { BOTTLENECK_LINES, biggestBottlenecks, dayOfIso, debounce, hasUnplanned, liveAction, morningView, todayDay, trackSheets } from "../../src/taskpane/model/track";
import { trackFromTables } from "../../src/taskpane/pipeline";
import { PANE_STRINGS } from "../../src/i18n/pane";
import { installStandIn, type Installed } from "../e2e/stand-in/install";

const SAMPLE = join(__dirname, "../../sample/厨电门店-2027.xlsx");

const spec = (rows: SheetSpec["rows"]): SheetSpec => ({ kind: "progress", name: "P", rows, numberFormats: [], conditionalFormats: [], styles: [] });

it("the Track step speaks the glossary's words (UX.md)", () => {
  const zh = PANE_STRINGS.zh;
  expect([zh.stepTrack, zh.asOfLabel, zh.refresh, zh.liveLabel, zh.leadersHeading, zh.laggardsHeading, zh.includeUnplanned]).toEqual(["跟踪", "统计日期", "刷新进度", "实时刷新", "表扬", "落后", "计为未计划"]);
  for (const word of ["达成率", "时间进度", "进度比"]) expect(zh.trackCompletion).toContain(word);
  for (const word of ["差额", "日均需完成"]) expect(zh.trackGap).toContain(word);
  for (const word of ["达标", "预警", "落后"]) expect(zh.statusCounts).toContain(word);
  expect([PANE_STRINGS.en.stepTrack, PANE_STRINGS.en.refresh]).toEqual(["Track", "Refresh"]);
});

describe("the cell diff of a live refresh", () => {
  it("compares cells as Range.formulas reads them back", () => {
    expect(sameCell("'王建国", "王建国")).toBe(true);
    expect(sameCell("'2027-01", "2027-01")).toBe(true);
    expect(sameCell("=B2/C2", "=B2/C2")).toBe(true);
    expect(sameCell(12, 12)).toBe(true);
    expect(sameCell(12, 13)).toBe(false);
    expect(sameCell("", null)).toBe(true);
    expect(sameCell("", 0)).toBe(false);
  });

  it("writes only changed cells, grouped into rectangles", () => {
    const next = spec([
      ["a", 1, 2, 3],
      ["b", 9, 9, 3],
      ["c", 9, 9, 3],
      ["d", 4, { formula: "B4*2" }, 7],
    ]);
    const held = [
      ["a", 1, 2, 3],
      ["b", 1, 1, 3],
      ["c", 1, 1, 3],
      ["d", 4, "=B4*2", 6],
    ];
    const diff = diffSheet(next, { at: { top: 1, left: 1 }, formulas: held });
    expect(diff?.ranges.map((r) => r.address)).toEqual(["B2:C3", "D4"]);
    expect(diff?.cells).toBe(5);
    expect(diff?.ranges[0].formulas).toEqual([
      [9, 9],
      [9, 9],
    ]);
  });

  it("nothing to write when nothing changed; a full write when the sheet holds more than the spec", () => {
    const s = spec([["x", 1]]);
    expect(diffSheet(s, { at: { top: 1, left: 1 }, formulas: [["x", 1]] })).toEqual({ ranges: [], cells: 0 });
    expect(diffSheet(s, { at: { top: 1, left: 1 }, formulas: [["x", 1, "stray"]] })).toBeUndefined();
    expect(diffSheet(s, { at: { top: 3, left: 1 }, formulas: [["y"]] })).toBeUndefined();
  });

  it("a shape ignores values but not formats", () => {
    const a = spec([["x", 1]]);
    expect(specShape(a)).toBe(specShape(spec([["y", 2]])));
    expect(specShape(a)).not.toBe(specShape({ ...a, styles: [{ range: "A1", bold: true }] }));
    expect(specShape(a)).not.toBe(specShape(spec([["x", 1], ["z"]])));
  });
});

describe("the morning view", () => {
  it("gives completion against time, status counts, leaders by rank and laggards", async () => {
    const bytes = new Uint8Array(readFileSync(SAMPLE));
    const tables = await (await XlsxHost.fromBytes(bytes)).readTables();
    const outcome = await trackFromTables(tables, { today: dayFromYmd(2027, 5, 5) });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const view = morningView(outcome.result, outcome.progress);
    expect(view.asOf).toBe("2027-05-05");
    expect(view.counts["on-track"] + view.counts["at-risk"] + view.counts.behind).toBe(outcome.result.leaves.length);
    expect(view.leaders.length).toBeGreaterThanOrEqual(3);
    expect(view.leaders.every((l) => l.rank <= 3)).toBe(true);
    expect(view.laggards.every((l) => l.status === "behind")).toBe(true);
    for (let i = 1; i < view.laggards.length; i++) expect(view.laggards[i].pace).toBeGreaterThanOrEqual(view.laggards[i - 1].pace);
    expect(trackSheets(outcome.sheets).map((s) => s.kind)).toEqual(["progress", "ranking", "incentives", "process", "review"]);
    expect(view.bottlenecks).toBeUndefined();
  });

  it("lists the three biggest bottlenecks in the team, in the pane's language", async () => {
    const bytes = new Uint8Array(readFileSync(SAMPLE));
    const tables = await (await XlsxHost.fromBytes(bytes)).readTables();
    const outcome = await trackFromTables(tables, { today: dayFromYmd(2027, 5, 5) });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const zh = biggestBottlenecks(outcome.result, outcome.process, "zh")!;
    const en = biggestBottlenecks(outcome.result, outcome.process, "en")!;
    expect(zh).toHaveLength(BOTTLENECK_LINES);
    // Furthest behind first, one line per member, each below the plan.
    for (let i = 1; i < zh.length; i++) expect(zh[i].ratio).toBeGreaterThanOrEqual(zh[i - 1].ratio);
    expect(new Set(zh.map((b) => b.node)).size).toBe(zh.length);
    expect(zh.every((b) => b.ratio < 1)).toBe(true);
    expect(zh[0].where).toMatch(/^(小区拓展|家装拓展|异业联盟|自然客流) · .+(不足|转化率低)$/);
    expect(en[0].where).toMatch(/ · (Too few|Low conversion to) /);
    expect(zh[0].name).toMatch(/ · /);
    // The same members as the engine's worst rows, and nothing without process tracking.
    const view = morningView(outcome.result, outcome.progress, zh);
    expect(view.bottlenecks).toEqual(zh);
    expect(biggestBottlenecks(outcome.result, undefined, "zh")).toBeUndefined();
  });

  it("parses AsOf strictly; knows unplanned problems; debounces", () => {
    expect(dayOfIso("2027-05-05")).toBe(dayFromYmd(2027, 5, 5));
    expect(dayOfIso("2027-02-30")).toBeUndefined();
    expect(dayOfIso("")).toBeUndefined();
    expect(todayDay(new Date(2027, 4, 5, 23, 59))).toBe(dayFromYmd(2027, 5, 5));
    expect(hasUnplanned([{ ref: "A!A1", code: "unplannedMember" }])).toBe(true);
    expect(hasUnplanned([{ ref: "A!A1", code: "asOfOutsidePlan" }])).toBe(false);
    jest.useFakeTimers();
    const fn = jest.fn();
    const d = debounce(fn, 500);
    d.call();
    jest.advanceTimersByTime(300);
    d.call();
    jest.advanceTimersByTime(499);
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    jest.useRealTimers();
  });
});

describe("live refresh with co-authors", () => {
  it("writes only for a change made in this Excel; a co-author's is reported; a lost table is looked for again", () => {
    expect(liveAction({ type: "changed", source: "Local" }, false)).toBe("refresh");
    expect(liveAction({ type: "changed", source: "Remote" }, false)).toBe("remote");
    expect(liveAction({ type: "lost", source: "Remote" }, false)).toBe("find");
    expect(liveAction({ type: "added", name: "Actuals", source: "Local" }, true)).toBe("find");
    expect(liveAction({ type: "added", name: "Other", source: "Local" }, false)).toBe("ignore");
    expect(liveAction({ type: "changed", source: "Local" }, true)).toBe("ignore");
  });
});

describe("live refresh through ExcelHost over the stand-in", () => {
  let installed: Installed | undefined;
  afterEach(() => installed?.uninstall());

  it("one new Actuals row: the table's onChanged fires, and only the changed cells are written", async () => {
    const bytes = new Uint8Array(readFileSync(SAMPLE));
    installed = await installStandIn(bytes, { excelApi: "1.7" });
    const { standIn } = installed;
    const host = new ExcelHost();
    expect(host.canWatch()).toBe(true);
    const options = { today: dayFromYmd(2027, 5, 5) };

    const first = await prepareTrack(host, options);
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    await host.writeSheets(trackSheets(first.sheets));
    const cfs = standIn.conditionalFormats().filter((f) => f.type === "DataBar" || f.type === "IconSet");
    expect(cfs.length).toBeGreaterThanOrEqual(4);

    // A second write of the same figures changes nothing.
    const same = await host.writeChanges(trackSheets(first.sheets));
    expect(same).toMatchObject({ changedCells: 0, changedRanges: 0, full: false });

    let fired = 0;
    const stop = await host.watchInput({ name: "实际业绩", sheet: "实际业绩", source: "table" }, (e) => {
      if (e.type === "changed" && e.source === "Local") fired++;
    });
    expect(standIn.changeHandlers).toBe(1);
    standIn.appendRow("实际业绩", [dayFromYmd(2027, 5, 5) + 25569, "华东", "上海一店", "王建国", "小区拓展", 50000, 20, 12, 8]);
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toBe(1);

    const second = await prepareTrack(host, options);
    if (!second.ok) throw new Error(JSON.stringify(second.problems));
    const before = standIn.syncCount;
    const changes = await host.writeChanges(trackSheets(second.sheets));
    expect(changes.full).toBe(false);
    expect(standIn.syncCount - before).toBe(2);
    const written = standIn.syncs.slice(before).reduce((n, s) => n + s.cellsWritten, 0);
    expect(written).toBe(changes.changedCells);
    // The rep's row, its team, its region and the total (actual), the period's actual, and the
    // ranking rows that moved: small, and far fewer than the sheets' cells.
    const all = trackSheets(second.sheets).reduce((n, s) => n + s.rows.length * Math.max(...s.rows.map((r) => r.length)), 0);
    expect(changes.changedCells).toBeGreaterThan(0);
    expect(changes.changedCells).toBeLessThan(all / 5);
    // The conditional formats are untouched by a diff write.
    expect(standIn.conditionalFormats().filter((f) => f.type === "DataBar" || f.type === "IconSet")).toHaveLength(cfs.length);

    await stop();
    expect(standIn.registrations).toHaveLength(0);
    console.log(`live refresh after one Actuals row: ${changes.changedCells} cells in ${changes.changedRanges} ranges, of ${all}`);
  });
});
