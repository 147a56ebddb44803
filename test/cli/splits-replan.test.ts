/**
 * `target-cascade plan` with parallel splits and `target-cascade replan` end to end on .xlsx
 * files: the Split and Plan Versions sheets, RESULT.json's `splits` and `versions` (streamed, byte
 * for byte what JSON.stringify gives), and every bad-input class (exit 2, the cell named, nothing
 * written).
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

async function runBook(command: "plan" | "replan" | "track", spec: WorkbookSpec, extra: string[] = []) {
  const dir = tempDir("tc-split-");
  const input = await writeWorkbook(join(dir, "in.xlsx"), spec);
  const outPath = join(dir, "out.xlsx");
  const jsonPath = join(dir, "result.json");
  const r = await run([command, input, "--out", outPath, "--json", jsonPath, ...extra]);
  return { ...r, dir, input, outPath, jsonPath };
}

/** The small English book with a Product and a Customer column in History, and Settings rows added. */
function bookWith(settings: Rows, extra: Partial<Record<string, Rows>> = {}): WorkbookSpec {
  const base = englishBook();
  const history = base.sheets["History data"];
  const products = ["Hood", "Hob", "Dishwasher"];
  const customers = ["New homes", "Renovation"];
  const rows: Rows = [[...history[0], "Product", "Customer"]];
  history.slice(1).forEach((row, i) => rows.push([...row, products[i % 3], customers[(i >> 1) % 2]]));
  const spec = englishBook({ "History data": rows, Settings: [...base.sheets.Settings, ...settings], ...extra });
  return spec;
}

/** Daily actuals for the four reps of the small book, January to the given month. */
function actualsTo(month: number, scale: Record<string, number> = {}): Rows {
  const rows: Rows = [["Date", "Region", "Rep", "Amount"]];
  const reps: [string, string, number][] = [
    ["East", "Li", 120],
    ["East", "Wang", 80],
    ["West", "Zhao", 100],
    ["West", "Chen", 50],
  ];
  for (let m = 1; m <= month; m++) {
    for (const [region, rep, base] of reps) rows.push([`2027-${String(m).padStart(2, "0")}-15`, region, rep, Math.round(base * 90 * (scale[rep] ?? 1)) + 0.25]);
  }
  return rows;
}

describe("plan with parallel splits", () => {
  it("writes the Split sheet and RESULT.json's splits, reconciled to the plan's periods and tiers", async () => {
    const r = await runBook("plan", bookWith([["Splits", "Product, Customer"], ["Splits.Region", "Product"]]));
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toMatch(/Split by Product: Hood \d+\.\d%, Hob/);
    expect(r.out.join("\n")).toMatch(/Split by Product within each Region: 2 in all/);
    const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
    expect(json.splits.map((s: { dimension: string; level?: string }) => [s.dimension, s.level])).toEqual([["Product", undefined], ["Customer", undefined], ["Product", "Region"]]);
    const [byProduct] = json.splits;
    for (const tier of ["floor", "target", "stretch"]) {
      const total = byProduct.nodes[0].members.reduce((a: number, m: Record<string, number>) => a + m[tier], 0);
      expect(total).toBe(json.nodes[0][tier]);
      json.periods.forEach((p: Record<string, number | string>, j: number) => {
        const sum = byProduct.nodes[0].members.reduce((a: number, m: { periods: Record<string, number>[] }) => a + m.periods[j][tier], 0);
        expect(sum).toBe(p[tier]);
      });
    }
    const byRegion = json.splits[2];
    expect(byRegion.nodes.map((n: { path: Record<string, string> }) => n.path)).toEqual([{ Region: "East" }, { Region: "West" }]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    const sheet = wb.getWorksheet("Split")!;
    expect(sheet).toBeDefined();
    expect(String(sheet.getCell("A1").value)).toMatch(/^Split: the plan by Product, Customer/);
    // No check on the sheet shows ✗.
    let checks = 0;
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value as { result?: unknown } | null;
        if (v && typeof v === "object" && "result" in v && (v.result === "✓" || v.result === "✗")) {
          checks++;
          expect(v.result).toBe("✓");
        }
      }),
    );
    expect(checks).toBeGreaterThan(10);
  });

  it("writes nothing more when the Settings ask for no split", async () => {
    const r = await runBook("plan", bookWith([]));
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(r.jsonPath, "utf8")).splits).toBeUndefined();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    expect(wb.getWorksheet("Split")).toBeUndefined();
  });
});

describe("replan", () => {
  it("keeps the first half's actuals, spreads the rest, and writes Plan Versions and RESULT.json's versions", async () => {
    const r = await runBook("replan", bookWith([], { Actuals: actualsTo(6, { Li: 8 }) }), ["--as-of", "2027-07-03"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const out = r.out.join("\n");
    expect(out).toMatch(/Re-plan · AsOf 2027-07-03 · actuals through 2027-06-30 \(2 of 4 periods ended\) · each member's own gap/);
    expect(out).toMatch(/✓ Both versions add up exactly/);
    const text = readFileSync(r.jsonPath, "utf8");
    const json = JSON.parse(text);
    // Streamed, byte for byte what JSON.stringify gives.
    expect(text).toBe(JSON.stringify(json, null, 2) + "\n");
    expect(json.versions.map((v: { name: string; asOf: string | null }) => [v.name, v.asOf])).toEqual([["Original", null], ["Revised", "2027-07-03"]]);
    expect(json.versions[1].actualsThrough).toBe("2027-06-30");
    expect(json.versions[1].plan).toEqual(json.plan);
    const original = json.versions[0].plan;
    const li = (plan: { path: Record<string, string>; period: string; target: number }[], period: string) => plan.find((c) => c.path.Rep === "Li" && c.period === period)!.target;
    // Li sold more in six months than his target for the year: his ended quarters are his actuals, and nothing more is asked of him.
    expect(li(json.plan, "2027-Q1")).toBe(3 * (120 * 90 * 8 + 0.25));
    expect(li(json.plan, "2027-Q3")).toBe(0);
    expect(li(original, "2027-Q3")).toBeGreaterThan(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(["Plan", "Plan Matrix", "Weights Review", "Plan Versions"]));
    const versions = wb.getWorksheet("Plan Versions")!;
    expect(String(versions.getCell("A1").value)).toBe("Plan versions: the original plan and the re-plan at 2027-07-03");
  });

  it("pools the gap per Region when Replan = Region, and shares it by the members' own gaps", async () => {
    const book = (settings: Rows) => bookWith(settings, { Actuals: actualsTo(6, { Li: 8 }) });
    const pooled = await runBook("replan", book([["Replan", "Region"], ["ReplanMethod", "Gap"]]), ["--as-of", "2027-06-30", "--quiet"]);
    const own = await runBook("replan", book([]), ["--as-of", "2027-06-30", "--quiet"]);
    expect(pooled.err).toEqual([]);
    const node = (r: { jsonPath: string }, path: Record<string, string>) =>
      JSON.parse(readFileSync(r.jsonPath, "utf8")).nodes.find((n: { path: Record<string, string> }) => JSON.stringify(n.path) === JSON.stringify(path)).target;
    // Li has sold 518,401.50 of his 360,000; Wang 43,201.50 of his 240,000. East needs 600,000.
    expect(node(pooled, { Region: "East", Rep: "Li" })).toBe(518401.5);
    expect(node(pooled, { Region: "East", Rep: "Wang" })).toBe(81598.5);
    expect(node(pooled, { Region: "East" })).toBe(600000);
    // Each on his own gap, Wang is still asked for his 240,000, and East for more than it needs.
    expect(node(own, { Region: "East", Rep: "Wang" })).toBe(240000);
    expect(node(own, { Region: "East" })).toBe(758401.5);
  });
});

describe("bad input: exit 2, the cell named, nothing written", () => {
  const withActuals = { Actuals: actualsTo(6) };
  const cases: [string, "plan" | "replan", WorkbookSpec, string[], RegExp][] = [
    ["a split by a column History does not have", "plan", bookWith([["Splits", "Brand"]]), [], /^Settings!B5: Brand is not a column of History/],
    ["a split by a level of the plan", "plan", bookWith([["Splits", "Region"]]), [], /^Settings!B5: Region is a level of the plan/],
    ["a split by a column of numbers", "plan", bookWith([["Splits", "Orders"]]), [], /^Settings!B5: Orders holds numbers, not names/],
    ["a split listed twice", "plan", bookWith([["Splits", "Product, Product"]]), [], /^Settings!B5: Product is listed twice/],
    ["a split within a level the plan does not have", "plan", bookWith([["Splits.Store", "Product"]]), [], /^Settings!A5: "Store" is not a level of the plan/],
    ["an empty split list", "plan", bookWith([["Splits", ","]]), [], /^Settings!B5: Splits must name History columns/],
    ["a Replan level the plan does not have", "replan", bookWith([["Replan", "Store"]], withActuals), ["--as-of", "2027-06-30"], /^Settings!B5: "Store" is not a level of the plan/],
    ["a ReplanMethod that is not one", "replan", bookWith([["ReplanMethod", "Fair"]], withActuals), ["--as-of", "2027-06-30"], /^Settings!B5: ReplanMethod must be Gap, Target or Equal/],
    ["a ReplanNegative that is not yes or no", "replan", bookWith([["ReplanNegative", "maybe"]], withActuals), ["--as-of", "2027-06-30"], /^Settings!B5: ReplanNegative must be Yes or No/],
    ["a re-plan before any period has ended", "replan", bookWith([], withActuals), ["--as-of", "2027-02-15"], /^--as-of: AsOf 2027-02-15: no period of the plan has ended yet/],
    ["a re-plan after every period has ended", "replan", bookWith([], withActuals), ["--as-of", "2027-12-31"], /^--as-of: AsOf 2027-12-31: every period of the plan has ended/],
    ["a re-plan without Actuals", "replan", bookWith([]), ["--as-of", "2027-06-30"], /^Actuals!A1: /],
    ["a re-plan with an Actuals row for a member the plan does not have", "replan", bookWith([], { Actuals: [...actualsTo(1), ["2027-02-03", "East", "Nobody", 5]] }), ["--as-of", "2027-06-30"], /^Actuals!A6: "East \/ Nobody" is not in the plan/],
    ["a re-plan at an AsOf set in Settings before the plan", "replan", bookWith([["AsOf", "2026-12-01"]], withActuals), [], /^Settings!B5: AsOf 2026-12-01: no period of the plan has ended yet/],
  ];
  it.each(cases)("%s", async (_name, command, spec, extra, pattern) => {
    const r = await runBook(command, spec, extra);
    expect(r.code).toBe(2);
    expect(r.err.some((line) => pattern.test(line))).toBe(true);
    expect(existsSync(r.outPath)).toBe(false);
    expect(existsSync(r.jsonPath)).toBe(false);
  });

  it("reports a bad split in Chinese for a Chinese workbook", async () => {
    const r = await runBook("plan", {
      sheets: {
        目标: [["期间", "力争目标"], ["2027", 10000]],
        历史: [["月份", "销售员", "销售额", "客户群"], ["2026-01", "王伟", 100, "新房"]],
        设置: [["键", "值"], ["并行分解", "品牌"]],
      },
    });
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/^设置!B2: 历史数据中没有「品牌」列/m);
  });
});

describe("arguments", () => {
  it("replan takes --as-of and --json; a bad date exits 64", async () => {
    const dir = tempDir("tc-split-");
    const r = await run(["replan", join(dir, "in.xlsx"), "--out", join(dir, "o.xlsx"), "--as-of", "July"]);
    expect(r.code).toBe(64);
    expect(r.err.join("\n")).toMatch(/--as-of "July" is not a date/);
  });
});
