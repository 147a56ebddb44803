/**
 * `target-cascade plan` end to end on .xlsx files: a good workbook plans and writes; every
 * bad-input class exits 2, names the cell, and writes nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { englishBook, tempDir, writeWorkbook, type Rows, type WorkbookSpec } from "./fixtures";

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

async function planBook(spec: WorkbookSpec) {
  const dir = tempDir();
  const input = await writeWorkbook(join(dir, "in.xlsx"), spec);
  const out = join(dir, "out.xlsx");
  const json = join(dir, "result.json");
  const result = await run(["plan", input, "--out", out, "--json", json]);
  return { ...result, dir, input, outPath: out, jsonPath: json };
}

describe("plan on a good workbook", () => {
  it("writes the owned sheets and RESULT.json, and says the totals check passed", async () => {
    const r = await planBook(englishBook());
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toContain("✓ Totals check");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(["Targets", "History data", "Settings", "Weights", "Plan", "Plan Matrix", "Weights Review"]));
    const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
    expect(json.nodes[0]).toEqual({ path: {}, floor: 900000, target: 1000000, stretch: 1200000 });
    expect(json.nodes.find((n: { path: Record<string, string> }) => n.path.Region === "East" && !n.path.Rep)).toMatchObject({ share: 0.6, target: 600000 });
    expect(json.periods.map((p: { period: string }) => p.period)).toEqual(["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]);
    expect(json.plan).toHaveLength(16);
  });

  it("gives byte-identical RESULT.json for the same workbook", async () => {
    const a = await planBook(englishBook());
    const b = await planBook(englishBook());
    expect(readFileSync(a.jsonPath, "utf8")).toBe(readFileSync(b.jsonPath, "utf8"));
  });

  it("re-plans its own output, replacing only the sheets it owns", async () => {
    const first = await planBook(englishBook());
    const again = join(first.dir, "again.xlsx");
    const r = await run(["plan", first.outPath, "--out", again]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(again);
    expect(wb.worksheets.filter((w) => w.name === "Plan")).toHaveLength(1);
  });

  it("writes names that look like formulas as text", async () => {
    const names = ["=1+1", "+SUM(1,2)", "@x", "-3"];
    const history: Rows = [["Date", "Rep", "Amount"]];
    names.forEach((n, i) => history.push(["2026-03", n, 100 * (i + 1)]));
    const r = await planBook({
      sheets: { Targets: [["Period", "Target"], ["2027", 10000]], "History data": history, Settings: [["Key", "Value"], ["Levels", "Rep"]] },
      tables: { "History data": "History" },
    });
    expect(r.err).toEqual([]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    const plan = wb.getWorksheet("Plan") as ExcelJS.Worksheet;
    const reps = new Set<unknown>();
    plan.eachRow((row, i) => {
      if (i > 1) reps.add(row.getCell(1).value);
    });
    expect([...reps].sort()).toEqual([...names].sort());
    plan.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });
});

describe("bad input: exit 2, the cell named, nothing written", () => {
  const cases: [string, Partial<Record<string, Rows>>, RegExp][] = [
    ["missing Targets table", { Targets: undefined }, /^Targets!A1: /],
    ["missing column (Amount)", { "History data": [["Date", "Region", "Rep", "Sales"], ["2026-01", "East", "Li", 5]] }, /^'History data'!A1: .*Amount/],
    ["text in a number column", { "History data": [["Date", "Region", "Rep", "Amount"], ["2026-01", "East", "Li", 5], ["2026-02", "East", "Li", "n/a"]] }, /^'History data'!D3: .*n\/a/],
    ["negative target", { Targets: [["Period", "Target"], ["2027", -5]] }, /^Targets!B2: /],
    ["empty target", { Targets: [["Period", "Target"], ["2027", null]] }, /^Targets!B2: /],
    ["unknown level in Settings", { Settings: [["Key", "Value"], ["Levels", "Region > Store"]] }, /^Settings!B2: .*Store/],
    ["unknown level in Weights", { Weights: [["Dimension", "Member", "Weight"], ["Country", "CN", 1]] }, /^Weights!A2: /],
    ["duplicate member in Weights", { Weights: [["Dimension", "Member", "Weight"], ["Region", "East", 1], ["Region", "West", 1], ["Region", "East", 2]] }, /^Weights!B4: .*East/],
    ["weights that sum to zero", { Weights: [["Dimension", "Member", "Weight"], ["Region", "East", 0], ["Region", "West", 0]] }, /^Weights!C2: /],
    ["a lock above its parent", { Weights: [["Dimension", "Member", "Weight", "Lock"], ["Rep", "Li", null, 700000]] }, /^Weights!D2: /],
    ["a Period that does not parse", { Targets: [["Period", "Target"], ["next year", 1000]] }, /^Targets!A2: .*next year/],
  ];
  it.each(cases)("%s", async (_name, over, pattern) => {
    const r = await planBook(englishBook(over));
    expect(r.code).toBe(2);
    expect(r.err.some((line) => pattern.test(line))).toBe(true);
    expect(existsSync(r.outPath)).toBe(false);
    expect(existsSync(r.jsonPath)).toBe(false);
  });

  it("a plan too large for one worksheet names the Grain setting", async () => {
    const history: Rows = [["Date", "Rep", "Amount"]];
    for (let i = 0; i < 3000; i++) history.push(["2026-01", `Rep ${i}`, 100 + i]);
    const r = await planBook(
      englishBook({
        "History data": history,
        Settings: [["Key", "Value"], ["Levels", "Rep"], ["Grain", "Day"]],
        Weights: undefined,
        Targets: [["Period", "Target"], ["2027", 1e9]],
      }),
    );
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/^Settings!B3: the Plan sheet would need 1,095,001 rows/m);
    expect(existsSync(r.outPath)).toBe(false);
  });

  it("refuses to replace a user's sheet named like an output, and writes nothing", async () => {
    const spec = englishBook();
    spec.sheets.Plan = [["my own notes"]];
    const r = await planBook(spec);
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/^Plan!A1: /m);
    expect(existsSync(r.outPath)).toBe(false);
  });

  it("reports problems in Chinese for a Chinese workbook", async () => {
    const r = await planBook({
      sheets: {
        目标: [["期间", "力争目标"], ["2027", "很多"]],
        历史: [["月份", "销售员", "销售额"], ["2026-01", "王伟", 100]],
      },
    });
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/^目标!B2: .*很多/m);
  });
});

describe("arguments", () => {
  it("exits 64 with the usage on a missing --out", async () => {
    const r = await run(["plan", "x.xlsx"]);
    expect(r.code).toBe(64);
    expect(r.err.join("\n")).toContain("Usage:");
  });
});
