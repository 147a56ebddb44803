import ExcelJS from "exceljs";
import { monthsBefore } from "../../scripts/lib/calendar";
import { mulberry32, Random } from "../../scripts/lib/prng";
import { addTablesToXlsx } from "../../scripts/lib/xlsx";
import { entryContent, makeEntry, readZip, writeZip } from "../../scripts/lib/zip";
import { sum } from "./helpers";

describe("the seeded generator", () => {
  it("repeats its sequence for a seed, and forks independent streams", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
    const random = new Random(7);
    expect(random.fork("history").float()).toBe(new Random(7).fork("history").float());
    expect(random.fork("history").float()).not.toBe(random.fork("actuals").float());
  });

  it("draws Poisson counts with the asked mean", () => {
    const random = new Random(1);
    for (const lambda of [0.5, 4, 60]) {
      const mean = sum(Array.from({ length: 20_000 }, () => random.poisson(lambda))) / 20_000;
      expect(Math.abs(mean - lambda)).toBeLessThan(0.05 * lambda + 0.02);
    }
  });
});

describe("monthsBefore", () => {
  it("lists the months that end with the December before the plan year", () => {
    const months = monthsBefore(2027, 36);
    expect(months).toHaveLength(36);
    expect(months[0]).toEqual({ year: 2024, month: 1 });
    expect(months[35]).toEqual({ year: 2026, month: 12 });
    expect(monthsBefore(2027, 2)).toEqual([{ year: 2026, month: 11 }, { year: 2026, month: 12 }]);
  });
});

describe("the zip helpers", () => {
  it("round-trip entries and stamp one fixed time", () => {
    const entries = [makeEntry("a.xml", "<a/>"), makeEntry("dir/b.txt", "hello ".repeat(100))];
    const date = new Date(Date.UTC(2026, 11, 1));
    const zip = writeZip(entries, date);
    expect(writeZip(readZip(zip), date)).toEqual(zip);
    expect(readZip(zip).map((e) => [e.name, entryContent(e).toString()])).toEqual([
      ["a.xml", "<a/>"],
      ["dir/b.txt", "hello ".repeat(100)],
    ]);
  });

  it("add a table to a workbook written without one", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Data & more");
    sheet.addRows([["Key", "Value"], ["a", 1], ["b", 2]]);
    const xlsx = addTablesToXlsx(Buffer.from(await workbook.xlsx.writeBuffer()), [
      { sheet: "Data & more", name: "Settings", ref: "A1:B3", columns: ["Key", "Value"] },
    ]);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(new Uint8Array(xlsx).buffer);
    const table = back.getWorksheet("Data & more")!.getTable("Settings") as unknown as { table: { name: string; tableRef: string } };
    expect([table.table.name, table.table.tableRef]).toEqual(["Settings", "A1:B3"]);
    expect(() => addTablesToXlsx(xlsx, [{ sheet: "Nope", name: "X", ref: "A1:A2", columns: ["Key"] }])).toThrow(/no sheet Nope/);
  });
});
