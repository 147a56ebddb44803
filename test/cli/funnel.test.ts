/**
 * `target-cascade plan` with channels and a funnel: the Funnel and Drivers sheets and the
 * `funnel` / `drivers` sections of RESULT.json, exact where floating point would not be; every
 * bad funnel input exits 2, names its cell, and writes nothing; a workbook without channels
 * gets exactly the output it got before.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { englishBook, tempDir, writeWorkbook, type Rows, type WorkbookSpec } from "./fixtures";
import { trapBook, trapHistory, trapSettings } from "./funnel-fixtures";

async function planBook(spec: WorkbookSpec) {
  const dir = tempDir("tc-funnel-");
  const input = await writeWorkbook(join(dir, "in.xlsx"), spec);
  const out = join(dir, "out.xlsx");
  const json = join(dir, "result.json");
  const lines: string[] = [];
  const err: string[] = [];
  const code = await main(["plan", input, "--out", out, "--json", json], { out: (l) => lines.push(l), err: (l) => err.push(l) });
  return { code, out: lines, err, outPath: out, jsonPath: json };
}

interface FunnelJson {
  channel: string;
  target: number;
  orders: number;
  stages: Record<string, number>;
  periods: { period: string; target: number; orders: number; stages: Record<string, number> }[];
}

describe("plan with channels and a funnel", () => {
  let r: Awaited<ReturnType<typeof planBook>>;
  let json: { funnel: FunnelJson[]; drivers: Record<string, unknown>; periods: { period: string; target: number }[] };
  beforeAll(async () => {
    r = await planBook(trapBook());
    json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
  });

  it("exits 0, writes the Funnel and Drivers sheets after the plan's, and prints the funnel", async () => {
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    expect(wb.worksheets.map((w) => w.name).filter((n) => !["Targets", "History data", "Settings", "TargetCascade"].includes(n))).toEqual([
      "Plan",
      "Plan Matrix",
      "Weights Review",
      "Funnel",
      "Drivers",
    ]);
    const text = r.out.join("\n");
    expect(text).toContain("Funnel: 3 channels · Orders 50 · Visits 68 · Invitations 159");
    expect(text).toContain("Invitations → Orders: Referral 38 → 11, Walk-in 46 → 15, Online 75 → 24");
    expect(text).toMatch(/Filter attached 7 \(14\.0%\)/);
  });

  it("gives the exact counts, where floating point would give one more", () => {
    expect(json.funnel.map(({ channel, target, orders, stages }) => ({ channel, target, orders, stages }))).toEqual([
      { channel: "Referral", target: 11_000, orders: 11, stages: { Visits: 15, Invitations: 38 } },
      { channel: "Walk-in", target: 1_100, orders: 15, stages: { Visits: 23, Invitations: 46 } },
      { channel: "Online", target: 2_200, orders: 24, stages: { Visits: 30, Invitations: 75 } },
    ]);
    expect(json.drivers.attachments).toEqual([{ product: "Filter", source: "Settings", rate: 0.14, orders: 50, units: 7 }]);
  });

  it("gives every channel a weekly task whose weeks add up to it, and whose channels add up to the plan's week", () => {
    for (const c of json.funnel) {
      expect(c.periods).toHaveLength(json.periods.length);
      expect(c.periods[0].period).toBe("2027-W13");
      expect(c.periods.reduce((a, p) => a + p.target, 0)).toBe(c.target);
      expect(c.periods.reduce((a, p) => a + p.orders, 0)).toBe(c.orders);
      for (const s of ["Visits", "Invitations"]) expect(c.periods.reduce((a, p) => a + p.stages[s], 0)).toBe(c.stages[s]);
    }
    json.periods.forEach((p, j) => expect(json.funnel.reduce((a, c) => a + c.periods[j].target, 0)).toBe(p.target));
  });

  it("writes the counts as live formulas in the form that is exact", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    const funnel = wb.getWorksheet("Funnel")!;
    const formulas: Record<string, unknown> = {};
    funnel.getRow(8).eachCell((cell) => {
      if (cell.formula) formulas[cell.address.replace(/\d+$/, "")] = [cell.formula, cell.result];
    });
    expect(formulas).toMatchObject({ J: ["CEILING(H8*C8/B8,1)", 11], L: ["CEILING(J8*D8/C8,1)", 15], N: ["CEILING(L8*E8/D8,1)", 38] });
    const drivers = wb.getWorksheet("Drivers")!;
    const attach: unknown[] = [];
    drivers.eachRow((row) => {
      if (row.getCell(1).value === "Filter" && row.getCell(2).value === "Settings") attach.push(row.getCell(7).formula, row.getCell(7).result);
    });
    expect(attach).toEqual([expect.stringMatching(/^CEILING\(ROUND\(F\d+\*E\d+\*100,0\)\/100,1\)$/), 7]);
  });

  it("re-plans its own output, replacing the Funnel and Drivers sheets it owns", async () => {
    const again = r.outPath.replace(/out\.xlsx$/, "again.xlsx");
    const code = await main(["plan", r.outPath, "--out", again, "--quiet"], { out: () => undefined, err: (l) => process.stderr.write(l + "\n") });
    expect(code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(again);
    expect(wb.worksheets.filter((w) => w.name === "Funnel" || w.name === "Drivers")).toHaveLength(2);
  });

  it("gives byte-identical RESULT.json for the same workbook", async () => {
    const again = await planBook(trapBook());
    expect(readFileSync(again.jsonPath, "utf8")).toBe(readFileSync(r.jsonPath, "utf8"));
  });
});

describe("a workbook without channels", () => {
  it("gets no funnel and no drivers: the same sheets and RESULT.json keys as before", async () => {
    const r = await planBook(englishBook());
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
    expect(Object.keys(json)).toEqual(["periods", "nodes", "plan"]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.outPath);
    expect(wb.worksheets.map((w) => w.name)).not.toContain("Funnel");
    expect(r.out.join("\n")).not.toMatch(/Funnel|Drivers/);
  });
});

describe("bad funnel and driver input: exit 2, the cell named, nothing written", () => {
  const zeroOrders = trapHistory((row, channel) => {
    if (channel === "Walk-in") row[5] = 0;
  });
  const noVisits = trapHistory((row, channel) => {
    if (channel === "Online") row[6] = 0;
  });
  const cases: [string, { history?: Rows; settings?: Rows }, RegExp][] = [
    ["a channel with zero History orders", { history: zeroOrders }, /^'History data'!F4: channel "Walk-in" has no Orders in History/],
    ["a missing rate (no History of a stage)", { history: noVisits }, /^'History data'!G6: channel "Online" has no Visits in History, so the conversion rate Visits → Orders is missing/],
    ["a Funnel setting naming a column that does not exist", { settings: trapSettings([], "Calls > Visits > Orders") }, /^Settings!B5: "Calls" is not a number column of History/],
    ["an attachment rate above 100%", { settings: trapSettings([["Attach.Filter", "120%"]]) }, /^Settings!B6: the attachment rate of Filter must be a number from 0% to 100%/],
    ["an attachment rate below 0", { settings: trapSettings([["Attach.Filter", -0.1]]) }, /^Settings!B6: the attachment rate of Filter must be/],
    ["an add-on History cannot measure", { settings: trapSettings([["Attach", "Dishwasher"]]) }, /^Settings!B6: "Dishwasher" is not a Product in History/],
    ["a Channel setting naming a column that does not exist", { settings: trapSettings([["Channel", "Store"]]) }, /^Settings!B6: Channel: "Store" is not a column of History/],
  ];
  it.each(cases)("%s", async (_name, over, pattern) => {
    const r = await planBook(trapBook(over));
    expect(r.code).toBe(2);
    expect(r.err.some((line) => pattern.test(line))).toBe(true);
    expect(existsSync(r.outPath)).toBe(false);
    expect(existsSync(r.jsonPath)).toBe(false);
  });

  it("reports the funnel's problems in Chinese for a Chinese workbook", async () => {
    const history: Rows = [
      ["月份", "销售员", "渠道", "销售额", "订单数", "二次进店数", "邀约数"],
      ["2026-03", "王伟", "小区拓展", 10_000, 10, 20, 40],
      ["2026-03", "李娜", "自然客流", 10_000, 0, 20, 40],
    ];
    const r = await planBook({
      sheets: {
        目标: [["期间", "力争目标"], ["2027", 100_000]],
        历史: history,
        设置: [["键", "值"], ["漏斗", "邀约数 > 二次进店数 > 订单数"]],
      },
    });
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/^历史!E3: 渠道「自然客流」在历史数据中没有订单数/m);
  });
});
