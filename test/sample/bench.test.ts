import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { BENCH_SHEETS, BENCH_TABLES, benchShape, generateBenchWorkbook, HISTORY_COLUMNS, writeBenchWorkbook } from "../../bench/generate";
import { readWorkbook, records, sheetRows, tablesOf, workbookRows } from "./helpers";

describe("the bench generator", () => {
  it("gives 180,000 History rows for 5,000 reps × 36 months: 500 teams in 20 regions", () => {
    expect(benchShape({ reps: 5000, months: 36 })).toEqual({
      regions: 20,
      teams: 500,
      reps: 5000,
      months: 36,
      channels: 8,
      historyRows: 180_000,
    });
    const history = generateBenchWorkbook({ reps: 5000, months: 36 }).getWorksheet(BENCH_SHEETS.history)!;
    expect(history.rowCount).toBe(180_001);
    expect(history.getRow(1).values).toEqual([undefined, ...HISTORY_COLUMNS]);
    expect(history.getRow(2).getCell(1).value).toBe("2024-01");
    expect(history.getRow(180_001).values).toEqual([
      undefined,
      "2026-12",
      expect.any(String),
      "Team 500",
      "Rep 05000",
      expect.any(String),
      expect.any(Number),
      expect.any(Number),
      expect.any(Number),
      expect.any(Number),
    ]);
  });

  it("is deterministic for a seed, and a different seed changes the numbers", () => {
    const opts = { reps: 40, months: 6, channels: 3 };
    const a = workbookRows(generateBenchWorkbook({ ...opts, seed: 9 }));
    expect(workbookRows(generateBenchWorkbook({ ...opts, seed: 9 }))).toEqual(a);
    expect(workbookRows(generateBenchWorkbook({ ...opts, seed: 10 }))).not.toEqual(a);
  });

  it("makes one row per rep per month, a consistent funnel, and rotates the reps over the channels", () => {
    const workbook = generateBenchWorkbook({ reps: 123, months: 14, channels: 5 });
    const rows = records(workbook.getWorksheet(BENCH_SHEETS.history)!);
    expect(rows).toHaveLength(123 * 14);
    const reps = new Set(rows.map((r) => r.Rep));
    expect(reps.size).toBe(123);
    expect(new Set(rows.map((r) => r.Team)).size).toBe(13);
    expect(new Set(rows.map((r) => r.Region)).size).toBe(1);
    expect(new Set(rows.map((r) => `${r.Rep}|${r.Date}`)).size).toBe(rows.length);
    const months = [...new Set(rows.map((r) => String(r.Date)))].sort();
    expect([months[0], months[months.length - 1], months.length]).toEqual(["2025-11", "2026-12", 14]);
    expect(new Set(rows.map((r) => r.Channel)).size).toBe(5);
    const first = rows.filter((r) => r.Rep === "Rep 00001").map((r) => r.Channel);
    expect(first[1]).not.toBe(first[0]);
    const broken = rows.filter((row) => {
      const [amount, orders, visits, invitations] = [row.Amount, row.Orders, row.Visits, row.Invitations] as number[];
      return !(orders >= 1 && visits >= orders && invitations >= visits && amount > 0);
    });
    expect(broken).toEqual([]);
  });

  it("has Targets and Settings tables for the plan", () => {
    const workbook = generateBenchWorkbook({ reps: 30, months: 12 });
    const [targets] = records(workbook.getWorksheet(BENCH_SHEETS.targets)!);
    expect(targets.Period).toBe("2027");
    expect(targets.Floor as number).toBeLessThan(targets.Target as number);
    expect(targets.Target as number).toBeLessThan(targets.Stretch as number);
    const settings = Object.fromEntries(records(workbook.getWorksheet(BENCH_SHEETS.settings)!).map((r) => [r.Key, r.Value]));
    expect(settings).toMatchObject({ Levels: "Region > Team > Rep", Grain: "Week", Unit: 100 });
  });

  it("writes the same workbook with the streaming writer, with its tables added", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tc-bench-"));
    try {
      const opts = { reps: 260, months: 13, channels: 4, seed: 3 };
      const file = path.join(dir, "bench.xlsx");
      const written = await writeBenchWorkbook(file, opts);
      expect(written).toMatchObject({ reps: 260, teams: 26, regions: 2, historyRows: 260 * 13 });
      const streamed = await readWorkbook(file);
      const inMemory = generateBenchWorkbook(opts);
      expect(streamed.worksheets.map((s) => s.name)).toEqual(["Targets", "Settings", "History data"]);
      for (const sheet of streamed.worksheets) {
        expect(sheetRows(sheet)).toEqual(sheetRows(inMemory.getWorksheet(sheet.name)!));
      }
      expect(tablesOf(streamed.getWorksheet(BENCH_SHEETS.history)!)).toEqual([{ name: BENCH_TABLES.history, ref: "A1:I3381" }]);
      expect(tablesOf(streamed.getWorksheet(BENCH_SHEETS.targets)!)).toEqual([{ name: "Targets", ref: "A1:D2" }]);
      expect(tablesOf(streamed.getWorksheet(BENCH_SHEETS.settings)!)).toEqual([{ name: "Settings", ref: "A1:B5" }]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects a count that is not a positive whole number", () => {
    expect(() => benchShape({ reps: 0 })).toThrow(/reps/);
    expect(() => benchShape({ reps: 10, months: 2.5 })).toThrow(/months/);
  });
});
