/**
 * The Excel host (src/hosts/excel) in Node, over the stand-in Excel JS API (test/e2e/stand-in):
 * the same tables as the .xlsx host, a constant number of requests, payload limits, text safety,
 * ownership, and interplay with the command line's host on the same file.
 */
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { ExcelHost, OWNED_SETTING, SheetOwnershipError, SETUP_SETTING, type OfficeApi } from "../../src/hosts/excel";
import { READ_BYTES_PER_CELL } from "../../src/hosts/excel/payload";
import type { RawTable } from "../../src/hosts/host";
import { INPUT_NAMES, normalizeName } from "../../src/contract/headers";
import { planWorkbook, preparePlan } from "../../src/hosts/run";
import { prepareTrack } from "../../src/hosts/track";
import { dayFromYmd } from "../../src/engine/dates";
import { chartSource } from "../../src/hosts/excel/write";
import { XlsxHost } from "../../src/hosts/xlsx";
import type { SheetSpec } from "../../src/report/spec";
import { installStandIn, type Installed } from "../e2e/stand-in/install";
import { dateToSerial, isFormula } from "../e2e/stand-in/values";
import { bookBytes, englishBook, trickyNamesBook, userPlanSheetBook } from "../e2e/fixtures";

const SAMPLE_ZH = "sample/厨电门店-2027.xlsx";
const SAMPLE_EN = "sample/kitchen-appliances-2027.xlsx";

let installed: Installed | undefined;
afterEach(() => {
  installed?.uninstall();
  installed = undefined;
});

async function install(bytes: Uint8Array, options: Parameters<typeof installStandIn>[1] = {}): Promise<Installed> {
  installed = await installStandIn(bytes, options);
  return installed;
}

const file = (path: string) => new Uint8Array(readFileSync(path));

/** RawTables with dates as Excel serials (the .xlsx host gives Dates for date-formatted cells). */
function serialDates(tables: RawTable[]): RawTable[] {
  const fix = (v: unknown) => (v instanceof Date ? dateToSerial(v) : v);
  return tables.map((t) => ({ ...t, headers: t.headers.map(fix), rows: t.rows.map((r) => r.map(fix)) }) as RawTable);
}

/** A sheet's values from the stand-in (formulas as "=…"). */
function sheetCells(i: Installed, name: string): unknown[][] {
  const sheet = i.standIn.model.sheetNamed(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const out: unknown[][] = [];
  sheet.rows.forEach((row, r) => {
    out[r - 1] = [];
    row?.forEach((v, c) => {
      out[r - 1][c - 1] = isFormula(v) ? `=${v.f}` : v;
    });
  });
  return out;
}

/** What a spec says each cell holds, in the same form. */
function specCells(spec: SheetSpec): unknown[][] {
  return spec.rows.map((row) => row.map((v) => (v !== null && typeof v === "object" ? `=${v.formula.replace(/^=/, "")}` : v)));
}

function sameCells(actual: unknown[][], spec: SheetSpec): void {
  const expected = specCells(spec);
  for (let r = 0; r < expected.length; r++) {
    for (let c = 0; c < expected[r].length; c++) {
      const want = expected[r][c] === "" ? null : (expected[r][c] ?? null);
      const got = actual[r]?.[c] ?? null;
      if (got !== want) throw new Error(`${spec.name} row ${r + 1} col ${c + 1}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    }
  }
}

/** The .xlsx host's tables as the Excel host reads them: a table or sheet that cannot be an input gives its header row only. */
function headersOfOthers(tables: RawTable[], picked: string[] = []): RawTable[] {
  const names = new Set([...Object.values(INPUT_NAMES).flatMap((d) => d.aliases), ...picked].map(normalizeName));
  return tables.map((t) => (names.has(normalizeName(t.name)) || (t.source === "table" && names.has(normalizeName(t.sheet))) ? t : { ...t, rows: [] }));
}

describe("ExcelHost.readTables", () => {
  it.each([SAMPLE_ZH, SAMPLE_EN])("gives the .xlsx host's tables for %s, in two requests (other sheets: their header row)", async (path) => {
    const bytes = file(path);
    const i = await install(bytes);
    const tables = await new ExcelHost().readTables();
    expect(i.standIn.syncCount).toBe(2);
    const expected = await (await XlsxHost.fromBytes(bytes)).readTables();
    expect(serialDates(tables)).toEqual(serialDates(headersOfOthers(expected)));
    // The sample's read-me sheet is no input: its header row only.
    expect(tables.find((t) => t.name === "Read me" || t.name === "说明")?.rows).toEqual([]);
  });

  it("reads in row blocks only when one response would pass the limit, with the same result", async () => {
    const bytes = file(SAMPLE_EN);
    const whole = await install(bytes);
    const expected = await new ExcelHost().readTables();
    const largest = Math.max(...whole.standIn.responseBytes);
    whole.uninstall();

    const limit = Math.floor(largest / 3);
    const i = await install(bytes, { limitBytes: limit });
    const host = new ExcelHost({ budget: Math.floor(limit * 0.8) });
    const tables = await host.readTables();
    expect(tables).toEqual(expected);
    const log = i.standIn.syncs;
    // structure, the refused batch, the sizes, then blocks: more requests, none answered past the limit
    expect(log[1].error).toBe("ResponsePayloadSizeLimitExceeded");
    expect(log.length).toBeGreaterThan(4);
    for (const s of log.filter((x) => !x.error)) {
      expect(s.requestBytes).toBeLessThanOrEqual(limit);
      expect(s.responseBytes).toBeLessThanOrEqual(limit);
    }
    // The host remembers: its next read goes to blocks at once, nothing refused, fewer requests.
    const first = log.length;
    expect(await host.readTables()).toEqual(expected);
    const second = i.standIn.syncs.slice(first);
    expect(second.filter((s) => s.error)).toEqual([]);
    expect(second.length).toBeLessThan(first);
    expect(Math.max(...second.map((s) => s.responseBytes))).toBeLessThanOrEqual(limit);
  });

  it("leaves out owned sheets and the register", async () => {
    const i = await install(file(SAMPLE_EN));
    const host = new ExcelHost();
    const outcome = await planWorkbook(host);
    expect(outcome.ok).toBe(true);
    const names = new Set((await host.readTables()).map((t) => t.sheet));
    for (const s of i.standIn.model.sheets) {
      if (s.name === "TargetCascade" || ["Plan", "Plan Matrix", "Weights Review", "Funnel", "Drivers"].includes(s.name)) expect(names.has(s.name)).toBe(false);
    }
    expect(names.has("History data")).toBe(true);
  });
});

describe("ExcelHost.writeSheets", () => {
  it.each([SAMPLE_ZH, SAMPLE_EN])("writes what the CLI writes for %s, in a constant number of requests", async (path) => {
    const bytes = file(path);
    const expected = await preparePlan(await XlsxHost.fromBytes(bytes));
    if (!expected.ok) throw new Error("sample has problems");
    const i = await install(bytes);
    const host = new ExcelHost();
    const outcome = await preparePlan(host);
    if (!outcome.ok) throw new Error("sample has problems");
    const before = i.standIn.syncCount;
    const progress: number[] = [];
    const summary = await host.writeSheets(outcome.sheets, { onProgress: (p) => progress.push(p.done) });
    // the state, everything: one part (the marks by id of the sheets it added go with the next request)
    expect(i.standIn.syncCount - before).toBe(2);
    expect(host.lastWriteRequests).toBe(2);
    expect(progress).toEqual([0, 1]);
    expect(summary.sheets.map((s) => s.name)).toEqual(expected.sheets.map((s) => s.name));
    for (const spec of expected.sheets) sameCells(sheetCells(i, spec.name), spec);

    // A second run replaces the same sheets in place: same ids, no new sheets, two requests.
    const ids = i.standIn.model.sheets.map((s) => s.id);
    const again = i.standIn.syncCount;
    await host.writeSheets(outcome.sheets);
    expect(i.standIn.syncCount - again).toBe(2);
    expect(i.standIn.model.sheets.map((s) => s.id)).toEqual(ids);
  });

  it("keeps every request under the budget by splitting only past it, with the same cells", async () => {
    const bytes = await bookBytes(englishBook());
    const whole = await install(bytes);
    const outcome = await preparePlan(new ExcelHost());
    if (!outcome.ok) throw new Error("problems");
    await new ExcelHost().writeSheets(outcome.sheets);
    const oneBatch = whole.standIn.syncs.length;
    const expected = outcome.sheets.map((s) => sheetCells(whole, s.name));
    whole.uninstall();

    // 2 reads, the state, one batch
    expect(oneBatch).toBe(4);
    const i = await install(bytes, { limitBytes: 6000 });
    const host = new ExcelHost({ budget: 4000 });
    await host.writeSheets(outcome.sheets);
    const requests = i.standIn.syncs.length;
    const total = whole.standIn.syncs[3].requestBytes;
    // the state, then batches of at most the budget: at least total ÷ budget of them; the host
    // counts 160 bytes per action (Office.js's envelope), more than the stand-in's, so a few more
    expect(requests).toBeGreaterThanOrEqual(1 + Math.ceil(total / 4000));
    expect(requests).toBeLessThanOrEqual(2 + Math.ceil((total * 3) / 4000));
    expect(Math.max(...i.standIn.requestBytes)).toBeLessThanOrEqual(6000);
    expect(i.standIn.syncs.every((s) => !s.error)).toBe(true);
    expect(outcome.sheets.map((s) => sheetCells(i, s.name))).toEqual(expected);
  });

  it("writes names that Excel would read as formulas, numbers or dates as text", async () => {
    const i = await install(await bookBytes(trickyNamesBook()));
    const outcome = await planWorkbook(new ExcelHost());
    expect(outcome.ok).toBe(true);
    const plan = i.standIn.model.sheetNamed("Plan");
    const texts = new Set<string>();
    plan?.rows.forEach((row) =>
      row?.forEach((v) => {
        expect(isFormula(v)).toBe(false);
        if (typeof v === "string") texts.add(v);
      }),
    );
    for (const name of ["=1+1", "+SUM(1,2)", "-3", "@x", "2027-01", "2027-12"]) expect(texts.has(name)).toBe(true);
  });

  it("keeps numbers at full precision", async () => {
    const i = await install(await bookBytes(englishBook()));
    const spec: SheetSpec = {
      kind: "plan",
      name: "Plan",
      rows: [["x"], [0.1 + 0.2], [1 / 3], [123456789.12345678], [-0]],
      numberFormats: [],
      conditionalFormats: [],
      styles: [],
    };
    await new ExcelHost().writeSheets([spec]);
    expect(sheetCells(i, "Plan").map((r) => r[0])).toEqual(["x", 0.1 + 0.2, 1 / 3, 123456789.12345678, -0]);
  });

  it("sets formats, conditional formats and views once per range", async () => {
    const i = await install(await bookBytes(englishBook()), { excelApi: "1.7" });
    const rows = [["Rep", "Completion", "Status"], ...Array.from({ length: 40 }, (_, k) => [`R${k}`, k / 40, k % 3])];
    const spec: SheetSpec = {
      kind: "progress",
      name: "Progress",
      rows,
      table: { name: "TC_Progress", headerRow: 0, dataRows: 40, columns: 3 },
      numberFormats: [{ range: "B2:B41", format: "0.0%" }],
      conditionalFormats: [
        { type: "dataBar", range: "B2:B41", color: "FF63BE7B", min: 0, max: 1 },
        { type: "iconSet", range: "C2:C41", iconSet: "3TrafficLights1", thresholds: [1, 2] },
        { type: "cellIs", range: "C2:C41", operator: "equal", formulae: ["0"], fill: "FFFCE4E4", fontColor: "FFC00000" },
        { type: "expression", range: "A2:A41,C2:C41", formula: "$B2>0.5", fill: "FFE2EFDA", bold: true },
      ],
      styles: [{ range: "A1:C1", bold: true, fill: "FF1F4E78", fontColor: "FFFFFFFF", align: "center", wrap: true }],
      columnWidths: [12, 12, 10],
      freeze: { rows: 1, cols: 1 },
    };
    await new ExcelHost().writeSheets([spec]);
    const cfs = i.standIn.conditionalFormats().filter((f) => f.sheet === "Progress");
    expect(cfs.map((f) => `${f.type} ${f.range}`).sort()).toEqual(
      ["CellValue C2:C41", "Custom A2:A41", "Custom C2:C41", "DataBar B2:B41", "IconSet C2:C41"].sort(),
    );
    const bar = cfs.find((f) => f.type === "DataBar")?.settings;
    expect(bar).toMatchObject({
      "dataBar.lowerBoundRule": { type: "Number", formula: "=0" },
      "dataBar.upperBoundRule": { type: "Number", formula: "=1" },
      "dataBar.positiveFormat.fillColor": "#63BE7B",
    });
    const icons = cfs.find((f) => f.type === "IconSet")?.settings;
    expect(icons?.["iconSet.style"]).toBe("ThreeTrafficLights1");
    expect((icons?.["iconSet.criteria"] as { formula?: string }[]).map((c) => c.formula)).toEqual([undefined, "=1", "=2"]);
    const sheet = i.standIn.model.sheetNamed("Progress");
    expect(sheet?.numberFormats).toEqual([{ block: { top: 2, left: 2, bottom: 41, right: 2 }, format: "0.0%" }]);
    expect(sheet?.freeze).toEqual({ rows: 1, cols: 1 });
    expect(sheet?.columnWidths.get(1)).toBeCloseTo(Math.floor(12 * 7 + 0.5) * 0.75);
    expect(i.standIn.model.tableNamed("TC_Progress")?.block).toEqual({ top: 1, left: 1, bottom: 41, right: 3 });
  });

  it("skips frozen panes where ExcelApi 1.7 is missing", async () => {
    const i = await install(await bookBytes(englishBook()), { excelApi: "1.6" });
    const outcome = await planWorkbook(new ExcelHost());
    expect(outcome.ok).toBe(true);
    expect(i.standIn.model.sheets.some((s) => s.freeze)).toBe(false);
    expect(i.standIn.syncs.every((s) => !s.error)).toBe(true);
  });
});

describe("ExcelHost ownership", () => {
  it("refuses a user's sheet with an output's name before sending anything", async () => {
    const i = await install(await bookBytes(userPlanSheetBook()));
    const host = new ExcelHost();
    const outcome = await preparePlan(host);
    if (!outcome.ok) throw new Error("problems");
    const before = i.standIn.syncCount;
    const names = i.standIn.model.sheets.map((s) => s.name);
    await expect(host.writeSheets(outcome.sheets)).rejects.toThrow(SheetOwnershipError);
    await expect(host.writeSheets(outcome.sheets)).rejects.toMatchObject({ name: "SheetOwnershipError", clashes: [{ sheet: "Plan" }] });
    // Only the structure was read.
    expect(i.standIn.syncCount - before).toBe(2);
    expect(i.standIn.model.sheets.map((s) => s.name)).toEqual(names);
    expect(i.standIn.model.settings.has(OWNED_SETTING)).toBe(false);
  });

  it("refuses a user's table with an output table's name", async () => {
    const book = englishBook();
    const bytes = await bookBytes({ ...book, sheets: { ...book.sheets, Mine: [["a", "b"], [1, 2]] }, tables: { ...book.tables, Mine: "TC_Plan" } });
    await install(bytes);
    const outcome = await preparePlan(new ExcelHost());
    if (!outcome.ok) throw new Error("problems");
    await expect(new ExcelHost().writeSheets(outcome.sheets)).rejects.toMatchObject({ clashes: [{ sheet: "Mine", table: "TC_Plan" }] });
  });

  it("finds an owned sheet the user renamed by its id, and replaces it in place", async () => {
    const i = await install(await bookBytes(englishBook()));
    const host = new ExcelHost();
    await planWorkbook(host);
    const plan = i.standIn.model.sheetNamed("Plan");
    if (!plan) throw new Error("no plan");
    plan.name = "Old plan";
    const count = i.standIn.model.sheets.length;
    const outcome = await planWorkbook(host);
    expect(outcome.ok).toBe(true);
    expect(i.standIn.model.sheets.length).toBe(count);
    expect(plan.name).toBe("Plan");
    expect(i.standIn.model.sheetNamed("Old plan")).toBeUndefined();
  });

  it("replaces the sheets of a run in the other language, keeping their ids", async () => {
    const bytes = file(SAMPLE_ZH);
    const i = await install(bytes);
    const host = new ExcelHost();
    const zh = await preparePlan(host);
    if (!zh.ok) throw new Error("problems");
    await host.writeSheets(zh.sheets);
    const ids = i.standIn.model.sheets.map((s) => s.id);
    const en = zh.sheets.map((s) => ({ ...s, name: `${s.kind} (en)` }));
    await host.writeSheets(en);
    expect(i.standIn.model.sheets.map((s) => s.id)).toEqual(ids);
    expect(en.every((s) => i.standIn.model.sheetNamed(s.name))).toBe(true);
    expect(zh.sheets.some((s) => i.standIn.model.sheetNamed(s.name))).toBe(false);
  });

  it("agrees with the command line's host on the same file, both ways", async () => {
    // Excel first, then the CLI: the CLI replaces the sheets Excel wrote.
    const i = await install(await bookBytes(englishBook()));
    await planWorkbook(new ExcelHost());
    const exported = await i.exportXlsx();
    const cli = await XlsxHost.fromBytes(exported);
    expect((await cli.ownedSheets()).map((o) => o.name).sort()).toEqual(expect.arrayContaining(["Plan", "Plan Matrix", "Weights Review"]));
    const replanned = await planWorkbook(cli);
    expect(replanned.ok).toBe(true);
    const names = (await cli.sheets()).map((s) => s.name);
    expect(names.filter((n) => n === "Plan")).toHaveLength(1);
    i.uninstall();

    // Then Excel again, on the CLI's file: no clash, nothing added but what was there.
    const j = await install(await cli.toBytes());
    const before = j.standIn.model.sheets.map((s) => s.name);
    expect((await planWorkbook(new ExcelHost())).ok).toBe(true);
    expect(j.standIn.model.sheets.map((s) => s.name)).toEqual(before);
    // The settings written in Excel survived the CLI (it keeps the parts it does not know).
    expect(j.standIn.model.settings.has(OWNED_SETTING)).toBe(true);
  });
});

describe("ExcelHost: the pane's other calls", () => {
  it("lists tables and sheets with their data rows, owned sheets left out", async () => {
    const i = await install(file(SAMPLE_EN));
    const listed = await new ExcelHost().listTables();
    expect(i.standIn.syncCount).toBe(2);
    const history = (await (await XlsxHost.fromBytes(file(SAMPLE_EN))).readTables()).find((t) => t.name === "History");
    const right = String.fromCharCode(64 + (history?.headers.length ?? 0));
    expect(listed.find((t) => t.name === "History")).toMatchObject({ source: "table", sheet: "History data", rows: 13824, address: `'History data'!A1:${right}13825` });
    expect(listed.find((t) => t.source === "sheet" && t.name === "Targets")).toMatchObject({ rows: 1 });
  });

  it("goes to a cell, quoted sheet names too, in one request", async () => {
    const i = await install(file(SAMPLE_EN));
    const host = new ExcelHost();
    await host.selectCell("'History data'!D7");
    expect(i.standIn.syncCount).toBe(1);
    expect(i.standIn.model.selection).toMatchObject({ block: { top: 7, left: 4, bottom: 7, right: 4 } });
    expect(i.standIn.model.active?.name).toBe("History data");
    await host.selectCell("Targets!B2");
    expect(i.standIn.model.active?.name).toBe("Targets");
    await expect(host.selectCell("Nowhere!A1")).rejects.toMatchObject({ name: "CellRefError", reason: "noSheet", sheet: "Nowhere" });
    await expect(host.selectCell("Targets!ZZZZ1")).rejects.toMatchObject({ name: "CellRefError", reason: "badAddress" });
  });

  it("remembers the pane's setup in the workbook, also after saving and reopening", async () => {
    const i = await install(await bookBytes(englishBook()));
    const host = new ExcelHost();
    expect(await host.loadSetup()).toBeUndefined();
    const setup = { choices: { history: "History" }, plan: { grain: "Month" as const, unit: 1000, levels: ["Region", "Rep"] } };
    await host.saveSetup(setup);
    expect(await host.loadSetup()).toEqual(setup);
    const bytes = await i.exportXlsx();
    i.uninstall();
    await install(bytes);
    expect(await new ExcelHost().loadSetup()).toEqual(setup);
    // and the .xlsx host keeps the part that holds it
    const cli = await XlsxHost.fromBytes(bytes);
    await planWorkbook(cli);
    installed?.uninstall();
    await install(await cli.toBytes());
    expect(await new ExcelHost().loadSetup()).toEqual(setup);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBeGreaterThan(0);
    expect(SETUP_SETTING).toBe("TargetCascade.setup");
  });

  it("shows a sheet", async () => {
    const i = await install(file(SAMPLE_EN));
    await new ExcelHost().activateSheet("Settings");
    expect(i.standIn.model.active?.name).toBe("Settings");
  });
});

describe("ExcelHost.writeSheets charts", () => {
  it("adds the Progress and Ranking charts over their contiguous blocks, in the same requests, and replaces them on a second run", async () => {
    const i = await install(file(SAMPLE_ZH));
    const host = new ExcelHost();
    const planned = await preparePlan(host);
    if (!planned.ok) throw new Error("sample has problems");
    await host.writeSheets(planned.sheets);
    const outcome = await prepareTrack(host, { today: dayFromYmd(2027, 5, 5) });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const progress = outcome.sheets.find((s) => s.kind === "progress") as SheetSpec;
    const ranking = outcome.sheets.find((s) => s.kind === "ranking") as SheetSpec;
    const expected = (spec: SheetSpec, type: string) => {
      const chart = (spec.charts ?? [])[0];
      return { sheet: spec.name, name: "TC_Chart_1", type, source: chartSource(chart), seriesBy: "Columns", title: chart.title, from: chart.from, to: chart.to };
    };
    const want = [expected(progress, "ColumnClustered"), expected(ranking, "BarClustered")];
    // The period block (header row included) and the member | completion block beside the ranking.
    expect(want.map((c) => c.source)).toEqual([expect.stringMatching(/^[A-Z]+4:[A-Z]+\d+$/), expect.stringMatching(/^[A-Z]+1:[A-Z]+\d+$/)]);

    for (let run = 0; run < 2; run++) {
      const before = i.standIn.syncCount;
      await host.writeSheets(outcome.sheets);
      // state, everything (the marks of the sheets the first run added go with the second's first request)
      expect(i.standIn.syncCount - before).toBe(2);
      expect(i.standIn.syncs.every((s) => !s.error)).toBe(true);
      const charts = i.standIn.charts().sort((a, b) => a.sheet.localeCompare(b.sheet));
      expect(charts).toEqual([...want].sort((a, b) => a.sheet.localeCompare(b.sheet)));
    }
    // The ranking block's header and its first row: the member, and a formula over the table's completion.
    const cells = sheetCells(i, ranking.name);
    const source = chartSource((ranking.charts ?? [])[0]) as string;
    const left = source.charCodeAt(0) - 64;
    expect(cells[0][left]).toBe("达成率");
    expect(String(cells[1][left])).toMatch(/^=[A-Z]+2$/);
  });
});

describe("ExcelHost in the real Excel's conditions (the stand-in as strict as Excel)", () => {
  const extras = [
    { name: "Sales export", rows: 600_000, cols: 9 },
    { name: "Notes", rows: 1, cols: 2, stray: { row: 1_048_576, col: 26, value: "stray" } },
  ];

  it.each(["throw", "null"] as const)(
    "a 600,000-row sheet and a sheet with a stray value in Z1048576, neither an input, cost nothing (past five million cells Excel %s)",
    async (cellLimit) => {
      const bytes = file(SAMPLE_EN);
      const base = await install(bytes);
      const expected = await new ExcelHost().readTables();
      const baseRequests = base.standIn.syncCount;
      const baseLargest = Math.max(...base.standIn.responseBytes);
      base.uninstall();

      const i = await install(bytes, { cellLimit, extraSheets: extras });
      const host = new ExcelHost();
      const tables = await host.readTables();
      expect(i.standIn.syncCount).toBe(baseRequests);
      expect(i.standIn.syncs.filter((s) => s.error)).toEqual([]);
      expect(tables.filter((t) => t.sheet !== "Sales export" && t.sheet !== "Notes")).toEqual(expected);
      // Their header rows, so the pane can offer them.
      expect(tables.find((t) => t.name === "Sales export")).toMatchObject({ source: "sheet", top: 1, left: 1, rows: [] });
      expect(tables.find((t) => t.name === "Sales export")?.headers).toHaveLength(9);
      expect(host.lastRead).toEqual({ large: [], requests: 2 });
      expect(Math.max(...i.standIn.responseBytes)).toBeLessThan(baseLargest + 10_000);
      // The whole plan run, too.
      expect((await preparePlan(host)).ok).toBe(true);
    },
  );

  it.each(["throw", "null"] as const)("reads an input past five million cells in blocks under its header's columns, with the same tables (Excel %s)", async (cellLimit) => {
    const bytes = file(SAMPLE_EN);
    const base = await install(bytes);
    const expected = await new ExcelHost().readTables();
    base.uninstall();

    const i = await install(bytes, { cellLimit });
    // A stray value at Z1048576 of the History data sheet: its used range is 27 million cells.
    i.standIn.model.sheetNamed("History data")?.set(1_048_576, 26, "stray");
    const host = new ExcelHost();
    const tables = await host.readTables();
    expect(tables).toEqual(expected);
    const history = expected.find((t) => t.name === "History data" && t.source === "sheet");
    expect(host.lastRead?.large).toEqual([{ name: "History data", sheet: "History data", cells: 13825 * (history?.headers.length ?? 0) }]);
    // structure, the refused (or null) read, [the extents], the used rows under the header, the block(s)
    expect(host.lastRead?.requests).toBe(cellLimit === "throw" ? 5 : 4);
    expect(i.standIn.syncs.filter((s) => s.error).map((s) => s.error)).toEqual(cellLimit === "throw" ? ["RangeExceedsLimit"] : []);
  });

  it("gives nothing for a blank sheet, and reads a picked table or sheet in full", async () => {
    const book = englishBook();
    const bytes = await bookBytes({ ...book, sheets: { ...book.sheets, Blank: [], "My targets": [["Period", "Target"], ["2027", 5000]] } });
    await install(bytes);
    const host = new ExcelHost();
    const tables = await host.readTables();
    expect(tables.some((t) => t.sheet === "Blank")).toBe(false);
    expect(tables.find((t) => t.name === "My targets")).toMatchObject({ headers: ["Period", "Target"], rows: [] });
    const picked = await host.readTables({ choices: { targets: "my targets" } });
    expect(picked.find((t) => t.name === "My targets")?.rows).toEqual([["2027", 5000]]);
  });

  it("reads in blocks when Excel on the web answers an oversized response with GeneralException", async () => {
    const bytes = file(SAMPLE_EN);
    const whole = await install(bytes);
    const expected = await new ExcelHost().readTables();
    const largest = Math.max(...whole.standIn.responseBytes);
    whole.uninstall();

    const limit = Math.floor(largest / 3);
    const i = await install(bytes, { limitBytes: limit, oversize: "general" });
    const host = new ExcelHost({ budget: Math.floor(limit * 0.8) });
    expect(await host.readTables()).toEqual(expected);
    expect(i.standIn.syncs[1].error).toBe("GeneralException");
    expect(host.lastRead?.large.map((l) => l.name)).toEqual(expect.arrayContaining(["History data"]));
    for (const s of i.standIn.syncs.filter((x) => !x.error)) expect(s.responseBytes).toBeLessThanOrEqual(limit);
  });

  it("takes no sheet as the tool's on a stale id: the ids are new on reopening, and a user's sheet now holds the Plan sheet's old id", async () => {
    const i = await install(await bookBytes(englishBook()));
    await planWorkbook(new ExcelHost());
    const oldPlanId = i.standIn.model.sheetNamed("Plan")?.id as string;
    const bytes = await i.exportXlsx();
    i.uninstall();

    const j = await install(bytes, { ids: "random" });
    expect(j.standIn.model.sheetNamed("Plan")?.id).not.toBe(oldPlanId);
    const notes = j.standIn.model.addSheet("Notes");
    notes.set(1, 1, "my notes");
    notes.id = oldPlanId;
    const host = new ExcelHost();
    const outcome = await preparePlan(host);
    if (!outcome.ok) throw new Error("problems");
    // A run in the other language: each spec looks for the owned sheet of its kind.
    await host.writeSheets(outcome.sheets.map((s) => ({ ...s, name: `${s.name} (zh)` })));
    expect(j.standIn.model.sheetNamed("Notes")?.get(1, 1)).toBe("my notes");
    expect(notes.name).toBe("Notes");
    expect(j.standIn.model.sheetNamed("Plan (zh)")).toBeDefined();
    expect(j.standIn.model.sheetNamed("Plan")).toBeUndefined();
  });

  it("deletes a stale owned sheet that is very hidden (which Excel refuses) by hiding it plainly first", async () => {
    const i = await install(await bookBytes(englishBook()));
    await planWorkbook(new ExcelHost());
    // An odd register: the Plan sheet listed as a second matrix sheet, and the Plan sheet made very hidden.
    const register = i.standIn.model.sheetNamed("TargetCascade");
    register?.set(2, 2, "matrix");
    const plan = i.standIn.model.sheetNamed("Plan");
    if (!plan) throw new Error("no Plan");
    plan.visibility = "VeryHidden";
    const outcome = await planWorkbook(new ExcelHost());
    expect(outcome.ok).toBe(true);
    expect(i.standIn.syncs.filter((s) => s.error)).toEqual([]);
    expect(plan.deleted).toBe(true);
    expect(i.standIn.model.sheetNamed("Plan")?.visibility).toBe("Visible");
  });

  it("writes duplicate table headers as Excel renames them, so a live refresh finds nothing to rewrite", async () => {
    const i = await install(await bookBytes(englishBook()));
    const spec: SheetSpec = {
      kind: "ranking",
      name: "Ranking",
      rows: [
        ["Rank", "Actual", "Actual", "Completion"],
        [1, "East", 1200, 0.9],
        [2, "West", 800, 0.7],
      ],
      table: { name: "TC_Ranking", headerRow: 0, dataRows: 2, columns: 4 },
      numberFormats: [],
      conditionalFormats: [],
      styles: [],
    };
    const host = new ExcelHost();
    await host.writeSheets([spec]);
    expect(i.standIn.model.sheetNamed("Ranking")?.get(1, 3)).toBe("Actual2");
    for (let run = 0; run < 2; run++) {
      const changes = await host.writeChanges([spec]);
      expect(changes).toMatchObject({ full: false, changedCells: 0 });
    }
    // A new session (a co-author's pane) finds the same shape in the register.
    expect(await new ExcelHost().writeChanges([spec])).toMatchObject({ full: false, changedCells: 0 });
  });

  /** A small Progress sheet: member, target, actual, completion (a data bar on it). */
  function progressSpec(actualEast: number): SheetSpec {
    return {
      kind: "progress",
      name: "Progress",
      rows: [
        ["Member", "Target", "Actual", "Completion"],
        ["East", 1000, actualEast, { formula: "C2/B2" }],
        ["West", 800, 400, { formula: "C3/B3" }],
      ],
      numberFormats: [{ range: "D2:D3", format: "0.0%" }],
      conditionalFormats: [{ type: "dataBar", range: "D2:D3", color: "FF63BE7B", min: 0, max: 1 }],
      styles: [{ range: "A1:D1", bold: true }],
    };
  }

  it("keeps a co-author's note beside the output: a pane that never wrote the sheet writes only the changed cells, and a full write clears only what the tool wrote", async () => {
    const i = await install(await bookBytes(englishBook()), { excelApi: "1.7" });
    await new ExcelHost().writeSheets([progressSpec(500)]);
    const sheet = i.standIn.model.sheetNamed("Progress");
    if (!sheet) throw new Error("no Progress");
    i.standIn.typeCell("Progress", "F2", "call Li about East");
    i.standIn.typeCell("Progress", "A6", "checked by finance");

    // Another session, or a co-author's pane: it never wrote Progress.
    const other = new ExcelHost();
    const changes = await other.writeChanges([progressSpec(650)]);
    expect(changes).toMatchObject({ full: false, changedCells: 1 });
    expect(sheet.get(2, 3)).toBe(650);
    expect(sheet.get(2, 6)).toBe("call Li about East");
    expect(sheet.get(6, 1)).toBe("checked by finance");

    // A Refresh (a full write) clears only A1:D3, where the tool wrote.
    await other.writeSheets([progressSpec(700)]);
    expect(sheet.get(2, 3)).toBe(700);
    expect(sheet.get(2, 6)).toBe("call Li about East");
    expect(sheet.get(6, 1)).toBe("checked by finance");
    expect(i.standIn.conditionalFormats().filter((f) => f.sheet === "Progress")).toHaveLength(1);
  });

  it("keeps both co-authors' register rows when they write different sheets at the same time", async () => {
    const i = await install(await bookBytes(englishBook()), { excelApi: "1.7" });
    const first = new ExcelHost();
    const planned = await preparePlan(first);
    if (!planned.ok) throw new Error("problems");
    await first.writeSheets(planned.sheets);
    const coAuthor = i.coAuthor();
    const second = new ExcelHost({ api: i.globals(coAuthor) as unknown as OfficeApi });
    const ranking: SheetSpec = { ...progressSpec(500), kind: "ranking", name: "Ranking" };
    // Both read the workbook (and its register) before either writes.
    await Promise.all([first.writeSheets([progressSpec(500)]), second.writeSheets([ranking])]);
    expect([...i.standIn.syncs, ...coAuthor.syncs].filter((s) => s.error)).toEqual([]);
    const check = await XlsxHost.fromBytes(await i.exportXlsx());
    expect((await check.ownedSheets()).map((o) => o.kind).sort()).toEqual([...planned.sheets.map((s) => s.kind), "progress", "ranking"].sort());
  });

  it("tells the live refresh which changes are a co-author's (Remote) and its own (Local), and when the Actuals table is gone", async () => {
    const book = englishBook();
    const bytes = await bookBytes({ ...book, sheets: { ...book.sheets, Actuals: [["Date", "Rep", "Amount"], ["2027-01-05", "Li", 100]] }, tables: { ...book.tables, Actuals: "Actuals" } });
    const i = await install(bytes, { excelApi: "1.7" });
    const events: unknown[] = [];
    const stop = await new ExcelHost().watchInput({ name: "Actuals", sheet: "Actuals", source: "table" }, (e) => events.push(e));
    expect(i.standIn.syncCount).toBe(1);
    const coAuthor = i.coAuthor();
    coAuthor.appendRow("Actuals", [46392, "Wang", 50]);
    await new Promise((r) => setTimeout(r, 10));
    i.standIn.appendRow("Actuals", [46393, "Li", 70]);
    await new Promise((r) => setTimeout(r, 10));
    coAuthor.deleteTable("Actuals");
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual([
      { type: "changed", source: "Remote" },
      { type: "changed", source: "Local" },
      { type: "lost", source: "Remote" },
    ]);
    await stop();
    expect(i.standIn.registrations).toEqual([]);
  });

  it("saves the setup merged with what a co-author saved since (read again first: two requests)", async () => {
    const i = await install(await bookBytes(englishBook()));
    const host = new ExcelHost();
    await host.saveSetup({ choices: {}, plan: { grain: "Month" } });
    const before = i.standIn.syncCount;
    const saved = await host.saveSetup({ choices: {}, plan: { unit: 1000 } }, (stored) => ({ choices: {}, plan: { ...stored?.plan, unit: 1000 } }));
    expect(i.standIn.syncCount - before).toBe(2);
    expect(saved).toEqual({ choices: {}, plan: { grain: "Month", unit: 1000 } });
    expect(await host.loadSetup()).toEqual(saved);
  });
});

describe("ExcelHost: a plan run in three requests (read, change check, write)", () => {
  /** A host over tables already read: the pane's preview plans from memory. */
  const memory = (tables: RawTable[]) => ({
    readTables: async () => tables,
    writeSheets: async (): Promise<never> => {
      throw new Error("the preview never writes");
    },
  });
  async function check(host: ExcelHost) {
    const read = await host.readWorkbook();
    const outcome = await preparePlan(memory(read.tables));
    if (!outcome.ok) throw new Error(`problems: ${JSON.stringify(outcome.problems.slice(0, 3))}`);
    return { read, sheets: outcome.sheets };
  }

  it.each([SAMPLE_ZH, SAMPLE_EN])("%s: listed when the pane opens, then Check in one request and Write in two, with the CLI's sheets", async (path) => {
    const bytes = file(path);
    const cli = await XlsxHost.fromBytes(bytes);
    const expected = await preparePlan(cli);
    if (!expected.ok) throw new Error("sample has problems");
    const i = await install(bytes);
    const host = new ExcelHost();
    await host.listTables();
    const opened = i.standIn.syncCount;
    const { read, sheets } = await check(host);
    expect(i.standIn.syncCount - opened).toBe(1);
    // The structure and the values in one request: the same tables as the .xlsx host's.
    expect(serialDates(read.tables)).toEqual(serialDates(headersOfOthers(await (await XlsxHost.fromBytes(bytes)).readTables())));
    expect(read.detected).toEqual(await new ExcelHost().listTables());
    const written = i.standIn.syncCount;
    await host.writeSheets(sheets, { since: read.fingerprint });
    expect(i.standIn.syncCount - written).toBe(2);
    for (const spec of expected.sheets) sameCells(sheetCells(i, spec.name), spec);

    // Again, over the sheets it wrote (their marks by id go with the Check's request): three.
    const again = i.standIn.syncCount;
    const second = await check(host);
    await host.writeSheets(second.sheets, { since: second.read.fingerprint });
    expect(i.standIn.syncCount - again).toBe(3);
    expect(i.standIn.syncs.filter((s) => s.error)).toEqual([]);
    const stored = JSON.parse(i.standIn.model.settings.get(OWNED_SETTING) ?? "[]") as unknown;
    const marks = (typeof stored === "string" ? JSON.parse(stored) : stored) as { id: string; name: string }[];
    expect(marks.map((m) => m.name).sort()).toEqual(expected.sheets.map((s) => s.name).sort());
    for (const m of marks) expect(i.standIn.model.sheetNamed(m.name)?.id).toBe(m.id);
  });

  it("reads what the structure names when it changed since the last read, in one more request", async () => {
    const i = await install(await bookBytes(englishBook()));
    const host = new ExcelHost();
    await host.listTables();
    // A Stages sheet appears, the Weights sheet is renamed: the guess from the listing does not hold.
    const stages = i.standIn.model.addSheet("Stages");
    [["Stage", "Start", "End"], ["Spring", "2027-01-01", "2027-06-30"]].forEach((row, r) => row.forEach((v, c) => stages.set(r + 1, c + 1, v)));
    const weights = i.standIn.model.sheetNamed("Weights");
    if (!weights) throw new Error("no Weights");
    weights.name = "权重";
    const before = i.standIn.syncCount;
    const tables = await host.readTables();
    expect(i.standIn.syncCount - before).toBe(2);
    expect(tables.find((t) => t.name === "Stages")?.rows).toEqual([["Spring", "2027-01-01", "2027-06-30"]]);
    expect(tables.find((t) => t.name === "权重")?.rows).toHaveLength(2);
    expect(tables.some((t) => t.name === "Weights")).toBe(false);
    // And the next read guesses from this one: one request.
    const next = i.standIn.syncCount;
    expect(await host.readTables()).toEqual(tables);
    expect(i.standIn.syncCount - next).toBe(1);
  });

  const edits: [string, (i: Installed) => void][] = [
    ["a Target typed over", (i) => i.standIn.typeCell("Targets", "C2", "1200000")],
    ["a row added to History", (i) => i.standIn.appendRow("History", ["2026-12", "East", "Li", 100, 1])],
    ["a Weight typed over", (i) => i.standIn.typeCell("Weights", "C2", "50%")],
    ["a Stages sheet added", (i) => i.standIn.model.addSheet("Stages").set(1, 1, "Stage")],
    ["the Weights sheet renamed", (i) => ((i.standIn.model.sheetNamed("Weights") as { name: string }).name = "Old weights")],
    ["the History table deleted", (i) => i.standIn.deleteTable("History")],
  ];
  it.each(edits)("writes nothing when the inputs changed since the read (%s): one request, WorkbookChangedError", async (_what, edit) => {
    const i = await install(await bookBytes(englishBook()));
    const host = new ExcelHost();
    const { read, sheets } = await check(host);
    edit(i);
    const names = i.standIn.model.sheets.map((s) => s.name);
    const before = i.standIn.syncCount;
    await expect(host.writeSheets(sheets, { since: read.fingerprint })).rejects.toMatchObject({ name: "WorkbookChangedError" });
    expect(i.standIn.syncCount - before).toBe(1);
    expect(i.standIn.model.sheets.map((s) => s.name)).toEqual(names);
    expect(i.standIn.model.sheetNamed("Plan")).toBeUndefined();
  });

  it("sees the first and last rows of a large input change, and writes when only a sheet that is no input changed", async () => {
    const i = await install(file(SAMPLE_EN));
    const host = new ExcelHost();
    const { read, sheets } = await check(host);
    const history = read.fingerprint.inputs.find((x) => x.name === "History data");
    // 13,825 rows: its header, first and last rows.
    const right = /:([A-Z]+)13825$/.exec(history?.address ?? "")?.[1];
    expect(history?.checks.map((c) => c.address)).toEqual([`A1:${right}1`, `A2:${right}2`, `A13825:${right}13825`]);
    // An amount in the last row (the column headed Amount).
    const amount = (history?.checks[0].cells[0] ?? []).indexOf("Amount");
    expect(amount).toBeGreaterThanOrEqual(0);
    const last = i.standIn.model.sheetNamed("History data")?.get(13825, amount + 1);
    i.standIn.typeCell("History data", `${String.fromCharCode(65 + amount)}13825`, String(Number(last) + 1));
    await expect(host.writeSheets(sheets, { since: read.fingerprint })).rejects.toMatchObject({ name: "WorkbookChangedError", change: `History data: A13825:${right}13825` });

    const again = await check(host);
    i.standIn.typeCell("Read me", "C3", "a note");
    await host.writeSheets(again.sheets, { since: again.read.fingerprint });
    expect(i.standIn.model.sheetNamed("Plan")).toBeDefined();
  });
});

describe("ExcelHost: nothing half-written when a write request fails", () => {
  async function planned(host: ExcelHost) {
    const outcome = await preparePlan(host);
    if (!outcome.ok) throw new Error("problems");
    return outcome.sheets;
  }

  it("a first run's failed request: one more deletes the sheets it added, and the workbook is as it was", async () => {
    const i = await install(await bookBytes(englishBook()));
    const host = new ExcelHost();
    const sheets = await planned(host);
    const names = i.standIn.model.sheets.map((s) => s.name);
    const tables = i.standIn.model.tables.map((t) => t.name);
    i.standIn.failing = { pattern: "numberFormat", times: 1 };
    const before = i.standIn.syncCount;
    await expect(host.writeSheets(sheets)).rejects.toMatchObject({ name: "WriteFailedError", written: true, cleaned: true, sheets: sheets.map((s) => s.name) });
    // the structure, the write (failed part-way), the cleanup
    expect(i.standIn.syncCount - before).toBe(3);
    expect(i.standIn.syncs.map((s) => s.error ?? "")).toEqual([...Array(before + 1).fill(""), "GeneralException", ""]);
    expect(i.standIn.model.sheets.filter((s) => s.visibility !== "VeryHidden").map((s) => s.name)).toEqual(names);
    expect(i.standIn.model.tables.map((t) => t.name)).toEqual(tables);
    // The next write goes through, with the command line's sheets.
    await host.writeSheets(sheets);
    const expected = await preparePlan(await XlsxHost.fromBytes(await bookBytes(englishBook())));
    if (!expected.ok) throw new Error("problems");
    for (const spec of expected.sheets) sameCells(sheetCells(i, spec.name), spec);
  });

  it("a failed request over the tool's own sheets: their cells are cleared, a note beside them kept, the register still names them, and the next write fills them", async () => {
    const i = await install(await bookBytes(englishBook()), { excelApi: "1.7" });
    const host = new ExcelHost();
    const sheets = await planned(host);
    await host.writeSheets(sheets);
    const ids = i.standIn.model.sheets.map((s) => s.id);
    i.standIn.typeCell("Plan Matrix", "Z2", "checked by finance");
    // Every value is written by then (values come before formats): all of it must go.
    i.standIn.failing = { pattern: "numberFormat", times: 1 };
    await expect(host.writeSheets(sheets)).rejects.toMatchObject({ name: "WriteFailedError", written: true, cleaned: true });
    expect(i.standIn.model.sheets.map((s) => s.id)).toEqual(ids);
    for (const spec of sheets) {
      const sheet = i.standIn.model.sheetNamed(spec.name);
      expect(sheet).toBeDefined();
      const cells: unknown[] = [];
      sheet?.rows.forEach((row, r) => row?.forEach((v, c) => (v !== null && v !== undefined && !(spec.name === "Plan Matrix" && r === 2 && c === 26) ? cells.push(v) : undefined)));
      expect({ sheet: spec.name, cells }).toEqual({ sheet: spec.name, cells: [] });
    }
    expect(i.standIn.model.sheetNamed("Plan Matrix")?.get(2, 26)).toBe("checked by finance");
    expect(i.standIn.model.tables.filter((t) => t.name.startsWith("TC_"))).toEqual([]);
    const owned = await (await XlsxHost.fromBytes(await i.exportXlsx())).ownedSheets();
    expect(owned.map((o) => o.name).sort()).toEqual(sheets.map((s) => s.name).sort());

    await host.writeSheets(sheets);
    expect(i.standIn.model.sheets.map((s) => s.id)).toEqual(ids);
    for (const spec of sheets) sameCells(sheetCells(i, spec.name), spec);
    expect(i.standIn.model.sheetNamed("Plan Matrix")?.get(2, 26)).toBe("checked by finance");
  });

  it("a write request refused for its size ran nothing: no cleanup, the workbook as it was", async () => {
    const i = await install(await bookBytes(englishBook()), { limitBytes: 60_000 });
    // A host that packs past what this Excel takes.
    const host = new ExcelHost({ budget: 10_000_000, readBudget: 50_000 });
    const sheets = await planned(host);
    const plan = { ...sheets[0], rows: [...sheets[0].rows, ...Array.from({ length: 4000 }, (_, r) => [`filler ${r}`, r, r, r])] };
    const names = i.standIn.model.sheets.map((s) => s.name);
    const before = i.standIn.syncCount;
    await expect(host.writeSheets([plan, ...sheets.slice(1)])).rejects.toMatchObject({ name: "WriteFailedError", written: false, cleaned: false });
    expect(i.standIn.syncCount - before).toBe(2);
    expect(i.standIn.syncs[i.standIn.syncs.length - 1].error).toBe("RequestPayloadSizeLimitExceeded");
    expect(i.standIn.model.sheets.map((s) => s.name)).toEqual(names);
  });
});

describe("ExcelHost: requests packed close to the limit", () => {
  it.each([SAMPLE_ZH, SAMPLE_EN])("estimates each write request at or above what it is, a request of rows within 3 %% (%s, CJK text included), in parts", async (path) => {
    const bytes = file(path);
    const i = await install(bytes);
    const host = new ExcelHost({ budget: 20_000 });
    const outcome = await preparePlan(host);
    if (!outcome.ok) throw new Error("problems");
    const before = i.standIn.syncCount;
    const progress: [number, number][] = [];
    await host.writeSheets(outcome.sheets, { onProgress: (p) => progress.push([p.done, p.total]) });
    const sent = i.standIn.requestBytes.slice(before + 1);
    const estimates = host.lastWriteEstimates;
    expect(sent.length).toBe(estimates.length);
    expect(sent.length).toBeGreaterThan(3);
    sent.forEach((bytesSent, k) => {
      expect(bytesSent).toBeLessThanOrEqual(estimates[k]);
      expect(bytesSent).toBeLessThanOrEqual(20_000);
    });
    // The values, the bulk of a large write, are estimated exactly: a request of rows (a few
    // actions) within 3 % — the rest is the 160 bytes an action the host counts for the envelope.
    const actions = i.standIn.syncs.slice(before + 1).map((x) => x.actions);
    const rows = sent.filter((_, k) => actions[k] <= 5);
    expect(rows.length).toBeGreaterThan(1);
    sent.forEach((b, k) => {
      if (actions[k] <= 5) expect(estimates[k] / b).toBeLessThan(1.03);
    });
    expect(progress).toEqual([[0, sent.length], ...sent.map((_, k): [number, number] => [k + 1, sent.length])]);
  });

  it.each([SAMPLE_ZH, SAMPLE_EN])("a cell of a large input takes at most READ_BYTES_PER_CELL in a response (%s)", async (path) => {
    const i = await install(file(path));
    const read = await new ExcelHost().readWorkbook();
    // The second request: every input's values (and the other sheets' header rows).
    const values = i.standIn.syncs[1];
    const inputCells = read.fingerprint.inputs.reduce((n, x) => {
      const at = x.address ? /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(x.address) : null;
      if (!at) return n;
      const col = (l: string) => [...l].reduce((v, ch) => v * 26 + ch.charCodeAt(0) - 64, 0);
      return n + (Number(at[4]) - Number(at[2]) + 1) * (col(at[3]) - col(at[1]) + 1);
    }, 0);
    const perCell = values.responseBytes / inputCells;
    expect(perCell).toBeLessThanOrEqual(READ_BYTES_PER_CELL);
    expect(perCell).toBeGreaterThan(READ_BYTES_PER_CELL / 2);
  });

  it("reads past the limit in blocks of 75–100 % of the budget, the first with the structure, none refused", async () => {
    const bytes = file(SAMPLE_EN);
    const whole = await install(bytes);
    const expected = await new ExcelHost().readTables();
    whole.uninstall();
    const limit = 400_000;
    const i = await install(bytes, { limitBytes: limit });
    const host = new ExcelHost({ budget: limit - 10_000 });
    await host.listTables();
    const before = i.standIn.syncCount;
    const tables = await host.readTables();
    const responses = i.standIn.responseBytes.slice(before);
    expect(i.standIn.syncs.filter((s) => s.error)).toEqual([]);
    const total = responses.reduce((a, b) => a + b, 0);
    // The response bytes in as few requests as the limit allows, give or take one.
    expect(responses.length).toBeLessThanOrEqual(Math.ceil(total / limit) + 1);
    responses.slice(0, -1).forEach((b) => expect(b).toBeGreaterThan(0.75 * (limit - 10_000)));
    expect(tables).toEqual(expected);
  });
});
