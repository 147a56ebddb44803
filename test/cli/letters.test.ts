/**
 * `target-cascade letters` and the incentives of `track`, end to end on .xlsx files: the letters
 * sheet alone, one letter per member with its print settings; the Incentives sheet and RESULT.json's
 * payouts; every bad Payout table exits 2, names the cell, and writes nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { main } from "../../src/cli/main";
import { englishBook, tempDir, writeWorkbook, type Rows, type WorkbookSpec } from "./fixtures";

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const ACTUALS: Rows = [
  ["Date", "Region", "Rep", "Amount"],
  ["2027-02-01", "East", "Li", 300_000],
  ["2027-03-01", "East", "Wang", 120_000],
  ["2027-03-05", "West", "Zhao", 250_000],
  ["2027-04-01", "West", "Chen", 20_000],
];

const PAYOUT: Rows = [
  ["From", "Rate", "Bonus"],
  ["Floor", "1%", 500],
  ["Target", "2%", 1000],
  ["Stretch", "3%", 2000],
];

/** The small English workbook with Actuals, a Payout table and its settings. */
function paidBook(over: Partial<Record<string, Rows>> = {}): WorkbookSpec {
  const base = englishBook();
  const settings: Rows = [...(base.sheets.Settings as Rows), ["AsOf", "2027-04-30"], ["PayoutCap", 50_000], ["RankAward", "300, 200"]];
  const spec = englishBook({ Actuals: ACTUALS, Payout: PAYOUT, Settings: settings, ...over });
  return spec;
}

async function book(spec: WorkbookSpec): Promise<{ dir: string; input: string }> {
  const dir = tempDir("tc-letters-");
  return { dir, input: await writeWorkbook(join(dir, "in.xlsx"), spec) };
}

async function sheetNames(path: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb.worksheets.map((w) => w.name);
}

async function part(path: string, name: RegExp): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  const files = Object.keys(zip.files).filter((f) => name.test(f));
  return Promise.all(files.map((f) => zip.file(f)!.async("string")));
}

describe("target-cascade letters", () => {
  it("writes the target letters alone: one letter per member, printing one page each", async () => {
    const { dir, input } = await book(paidBook());
    const out = join(dir, "letters.xlsx");
    const r = await run(["letters", input, "--out", out]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toMatch(/Target letters · in\.xlsx\n {2}4 letters, one page each \(portrait, at \d+%\)/);
    const names = await sheetNames(out);
    expect(names).toContain("Target Letters");
    expect(names.filter((n) => ["Plan", "Plan Matrix", "Weights Review", "Progress", "Incentives"].includes(n))).toEqual([]);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet("Target Letters")!;
    const titles: { row: number; text: string }[] = [];
    ws.eachRow((row, i) => {
      const v = row.getCell(1).value;
      if (typeof v === "string" && v.startsWith("Target letter · ")) titles.push({ row: i, text: v });
    });
    expect(titles.map((t) => t.text)).toEqual(["Li", "Wang", "Zhao", "Chen"].map((m) => `Target letter · ${m}`));
    // Every letter as tall as the others.
    const height = titles[1].row - titles[0].row;
    expect(titles.map((t) => t.row)).toEqual([1, 1 + height, 1 + 2 * height, 1 + 3 * height]);

    // Li: East, Floor/Target/Stretch, and what each tier is worth (whole rates, bonuses, capped at 50,000).
    const rowOf = (label: string, from: number) => {
      for (let i = from; i < from + height; i++) if (ws.getRow(i).getCell(1).value === label) return ws.getRow(i);
      throw new Error(`no ${label}`);
    };
    expect(rowOf("Team", 1).getCell(2).value).toBe("East");
    const amounts = rowOf("Target amount", 1);
    const [floor, target, stretch] = [2, 3, 4].map((c) => amounts.getCell(c).value as number);
    expect(floor).toBeLessThanOrEqual(target);
    const worth = rowOf("Payout on reaching it", 1);
    expect(worth.getCell(2).value).toBe(Math.round((floor * 0.01 + 500) * 100) / 100);
    expect(worth.getCell(3).value).toBe(Math.round((target * 0.02 + 1500) * 100) / 100);
    expect(worth.getCell(4).value).toBe(Math.min(50_000, Math.round((stretch * 0.03 + 3500) * 100) / 100));
    expect(rowOf("Member's signature:", 1).getCell(2).value).toMatch(/^_+$/);

    // Print: the area over all letters, a page break after each but the last, portrait at a scale.
    const [sheetXml] = (await part(out, /^xl\/worksheets\/sheet\d+\.xml$/)).filter((x) => x.includes("Target letter · Li"));
    expect(sheetXml).toMatch(/<pageSetup scale="\d+" orientation="portrait"\/>/);
    const breaks = [...sheetXml.matchAll(/<brk id="(\d+)" max="16383" man="1"\/>/g)].map((m) => Number(m[1]));
    expect(breaks).toEqual([height, 2 * height, 3 * height]);
    expect(sheetXml).not.toContain("fitToPage");
    const [workbook] = await part(out, /^xl\/workbook\.xml$/);
    const index = names.indexOf("Target Letters");
    expect(workbook).toContain(`<definedName name="_xlnm.Print_Area" localSheetId="${index}">'Target Letters'!$A$1:$`);
  });

  it("writes the letters in the workbook's language", async () => {
    const spec: WorkbookSpec = {
      sheets: {
        目标: [["期间", "保底", "力争", "冲刺"], ["2027", 90_000, 100_000, 120_000]],
        历史: [["月份", "销售员", "销售额"], ["2026-01", "王芳", 300], ["2026-02", "李强", 100]],
        设置: [["键", "值"], ["分解层级", "销售员"], ["时间粒度", "季度"]],
      },
    };
    const { dir, input } = await book(spec);
    const out = join(dir, "out.xlsx");
    const r = await run(["letters", input, "--out", out]);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toBe("目标责任书 · in.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet("目标责任书")!;
    expect(ws.getCell("A1").value).toBe("目标责任书 · 王芳");
    const firstColumn: unknown[] = [];
    ws.eachRow((row) => firstColumn.push(row.getCell(1).value));
    expect(firstColumn).toEqual(expect.arrayContaining(["姓名", "计划期间", "一、业绩目标", "二、分期目标", "责任人签字：", "上级签字：", "日期："]));
    // Without a Payout table the letter has no incentives.
    expect(firstColumn.filter((v) => typeof v === "string" && v.includes("激励"))).toEqual([]);
  });

  it("replaces its own letters sheet when run again", async () => {
    const { dir, input } = await book(paidBook());
    const first = join(dir, "first.xlsx");
    expect((await run(["letters", input, "--out", first])).code).toBe(0);
    const again = join(dir, "again.xlsx");
    const r = await run(["letters", first, "--out", again, "--quiet"]);
    expect(r.err).toEqual([]);
    expect(r.out).toEqual([]);
    expect((await sheetNames(again)).filter((n) => n === "Target Letters")).toHaveLength(1);
    const [workbook] = await part(again, /^xl\/workbook\.xml$/);
    expect(workbook.match(/_xlnm\.Print_Area/g)).toHaveLength(1);
  });

  it("refuses more members than one sheet prints (Excel keeps 1,026 page breaks), at the Levels setting, writing nothing", async () => {
    const history: Rows = [["Date", "Rep", "Amount"]];
    for (let i = 0; i < 1028; i++) history.push(["2026-03", `Rep ${i + 1}`, 100 + i]);
    const { dir, input } = await book({
      sheets: { Targets: [["Period", "Target"], ["2027", 10_000_000]], "History data": history, Settings: [["Key", "Value"], ["Levels", "Rep"], ["Grain", "Quarter"]] },
      tables: { "History data": "History" },
    });
    const out = join(dir, "out.xlsx");
    const r = await run(["letters", input, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(["Settings!B2: 1,028 members need 1,028 target letters, more than one sheet prints (1,027 pages: Excel keeps at most 1,026 page breaks); plan fewer members at a time"]);
    expect(existsSync(out)).toBe(false);
  });

  it("takes no --json", async () => {
    const { dir, input } = await book(paidBook());
    const r = await run(["letters", input, "--out", join(dir, "o.xlsx"), "--json", join(dir, "r.json")]);
    expect(r.code).toBe(64);
    expect(r.err[0].split("\n")[0]).toBe('target-cascade: unknown option "--json"');
  });
});

describe("track with a Payout table", () => {
  it("adds the Incentives sheet and RESULT.json's payouts", async () => {
    const { dir, input } = await book(paidBook());
    const out = join(dir, "out.xlsx");
    const json = join(dir, "result.json");
    const r = await run(["track", input, "--out", out, "--json", json]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toMatch(/Incentives: [\d,.]+ to date \([\d.]+% of sales\) · [\d,.]+ at the forecast/);
    expect(await sheetNames(out)).toContain("Incentives");
    const result = JSON.parse(readFileSync(json, "utf8"));
    expect(result.payouts).toHaveLength(4);
    const li = result.payouts.find((p: { path: Record<string, string> }) => p.path.Rep === "Li");
    expect(Object.keys(li)).toEqual(["path", "tier", "payout", "atForecast", "toNextTier", "rank", "rankAward"]);
    expect(li.path).toEqual({ Region: "East", Rep: "Li" });
    expect(li.toNextTier === null || typeof li.toNextTier.sell === "number").toBe(true);
    // Ranks by completion: the top two get 300 and 200.
    const awards = result.payouts.map((p: { rank: number; rankAward: number }) => [p.rank, p.rankAward]).sort((a: number[], b: number[]) => a[0] - b[0]);
    expect(awards.slice(0, 2).map((a: number[]) => a[1])).toEqual([300, 200]);
    expect(awards.slice(2).every((a: number[]) => a[1] === 0)).toBe(true);
    // The payout to date is a live formula over Progress.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet("Incentives")!;
    const formulas: string[] = [];
    ws.eachRow((row) => row.eachCell((c) => c.formula && formulas.push(c.formula)));
    expect(formulas.some((f) => /^'Progress'!\$?[A-Z]+\d+$/.test(f))).toBe(true);
    expect(formulas.some((f) => f.startsWith("MIN($G$2,ROUND("))).toBe(true);
  });

  it("pays at the forecast the status follows: the seasonal one when Forecast is Seasonal", async () => {
    const settings = [...(paidBook().sheets.Settings as Rows), ["Forecast", "Seasonal"]];
    const { dir, input } = await book(paidBook({ Settings: settings }));
    const out = join(dir, "out.xlsx");
    const json = join(dir, "result.json");
    const r = await run(["track", input, "--out", out, "--json", json, "--quiet"]);
    expect(r.err).toEqual([]);
    const result = JSON.parse(readFileSync(json, "utf8"));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const progress = wb.getWorksheet("Progress")!;
    const incentives = wb.getWorksheet("Incentives")!;
    let forecastCol = 0;
    let headerRow = 0;
    incentives.eachRow((row, i) => row.eachCell((c, col) => {
      if (c.value === "Forecast") [forecastCol, headerRow] = [col, i];
    }));
    const li = result.progress.find((p: { path: Record<string, string> }) => p.path.Rep === "Li");
    let ref = "";
    incentives.getRow(headerRow + 1).eachCell((c, col) => {
      if (col === forecastCol) ref = /^'Progress'!([A-Z]+\d+)$/.exec(String(c.formula))![1];
    });
    expect(progress.getCell(ref).result ?? progress.getCell(ref).value).toBeCloseTo(li.forecastSeasonal, 6);
    expect(incentives.getRow(headerRow + 1).getCell(1).value).toBe("East");
    expect(li.forecastSeasonal).not.toBe(li.forecast);
  });

  it("writes no Incentives sheet and no payouts without a Payout table", async () => {
    const base = paidBook();
    delete base.sheets.Payout;
    base.sheets.Settings = (base.sheets.Settings as Rows).filter((r) => r[0] !== "PayoutCap" && r[0] !== "RankAward");
    const { dir, input } = await book(base);
    const json = join(dir, "result.json");
    const r = await run(["track", input, "--out", join(dir, "out.xlsx"), "--json", json, "--quiet"]);
    expect(r.err).toEqual([]);
    expect(JSON.parse(readFileSync(json, "utf8")).payouts).toBeUndefined();
    expect(await sheetNames(join(dir, "out.xlsx"))).not.toContain("Incentives");
  });
});

describe("bad Payout tables: exit 2, the cell named, nothing written", () => {
  const cases: [string, Rows | undefined, Rows | undefined, string][] = [
    ["a rate below zero", [["From", "Rate", "Bonus"], ["Floor", "-1%", 0]], undefined, "Payout!B2: Rate is below zero"],
    ["a rate above 100 %", [["From", "Rate", "Bonus"], ["Floor", 2, 0]], undefined, "Payout!B2: Rate must be a share"],
    ["a negative bonus", [["From", "Rate", "Bonus"], ["Floor", "1%", -100]], undefined, "Payout!C2: Bonus must be an amount"],
    ["bands out of order", [["From", "Rate", "Bonus"], ["Stretch", "3%", 0], ["Floor", "1%", 0]], undefined, "Payout!A3: the bands are out of order"],
    ["overlapping bands", [["From", "Rate", "Bonus"], ["Target", "2%", 0], ["100%", "3%", 0]], undefined, "Payout!A3: the bands overlap"],
    ["a band on the plan's ratios out of order", [["From", "Rate", "Bonus"], ["Stretch", "3%", 0], ["110%", "4%", 0]], undefined, "Payout!A3: the bands are out of order"],
    ["a tier the plan does not have", [["From", "Rate", "Bonus"], ["Floor", "1%", 0]], [["Period", "Target"], ["2027", 1_000_000]], "Payout!A2: the band Floor starts at Floor, but the plan has no Floor tier"],
    ["a From that is not a tier", [["From", "Rate", "Bonus"], ["Gold", "1%", 0]], undefined, "Payout!A2: From must be a tier"],
  ];
  it.each(cases)("%s", async (_what, payout, targets, message) => {
    const { dir, input } = await book(paidBook({ Payout: payout, ...(targets ? { Targets: targets } : {}) }));
    for (const command of ["track", "letters"]) {
      const out = join(dir, `${command}.xlsx`);
      const json = join(dir, `${command}.json`);
      const r = await run(command === "track" ? ["track", input, "--out", out, "--json", json] : ["letters", input, "--out", out]);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([expect.stringContaining(message)]);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(json)).toBe(false);
    }
  });

  it("a setting that cannot be read", async () => {
    const settings = [...(paidBook().sheets.Settings as Rows), ["PayoutMode", "Generous"]];
    const { dir, input } = await book(paidBook({ Settings: settings }));
    const out = join(dir, "out.xlsx");
    const r = await run(["track", input, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`Settings!B${settings.length}: PayoutMode "Generous" is not one of Whole, Marginal`]);
    expect(existsSync(out)).toBe(false);
  });

  it("plan ignores the Payout table", async () => {
    const { dir, input } = await book(paidBook({ Payout: [["From", "Rate", "Bonus"], ["Floor", "-1%", 0]] }));
    const r = await run(["plan", input, "--out", join(dir, "out.xlsx"), "--quiet"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
  });
});
