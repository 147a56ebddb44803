import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import type ExcelJS from "exceljs";
import { generateKitchenChain } from "../../scripts/lib/kitchen";
import { buildMainSample, buildMayDaySample, README_SHEET, SAMPLE_FILES, TABLES, sheetName, type Lang } from "../../scripts/lib/sample";
import { writeWorkbookStable } from "../../scripts/lib/xlsx";
import { readSample, records, SAMPLE_DIR, sum, tablesOf, totalBy, workbookRows, type Value } from "./helpers";

const MB = 1024 * 1024;

describe("the sample generator", () => {
  it("is deterministic: two runs give the same data and byte-identical files", async () => {
    const first = generateKitchenChain();
    const second = generateKitchenChain();
    expect(workbookRows(buildMainSample(second, "zh").workbook)).toEqual(workbookRows(buildMainSample(first, "zh").workbook));
    expect(workbookRows(buildMayDaySample(second, "en").workbook)).toEqual(workbookRows(buildMayDaySample(first, "en").workbook));

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tc-sample-"));
    try {
      await writeWorkbookStable(buildMayDaySample(first, "zh").workbook, path.join(dir, "a.xlsx"));
      await writeWorkbookStable(buildMayDaySample(second, "zh").workbook, path.join(dir, "b.xlsx"));
      expect(await fs.readFile(path.join(dir, "b.xlsx"))).toEqual(await fs.readFile(path.join(dir, "a.xlsx")));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("gives different numbers for a different seed", () => {
    const a = generateKitchenChain(1).history.slice(0, 50).map((f) => f.amount);
    const b = generateKitchenChain(2).history.slice(0, 50).map((f) => f.amount);
    expect(b).not.toEqual(a);
  });
});

describe.each([
  ["main", buildMainSample],
  ["mayDay", buildMayDaySample],
] as const)("the committed %s sample", (kind, build) => {
  const data = generateKitchenChain();
  it.each(["zh", "en"] as Lang[])("%s is up to date with the generator and under 2 MB", async (lang) => {
    const file = path.join(SAMPLE_DIR, SAMPLE_FILES[kind][lang]);
    expect((await fs.stat(file)).size).toBeLessThan(2 * MB);
    const committed = await readSample(SAMPLE_FILES[kind][lang]);
    expect(workbookRows(committed)).toEqual(workbookRows(build(data, lang).workbook));
  });

  it.each(["zh", "en"] as Lang[])("%s starts with a read-me sheet, and each other sheet holds one table at A1", async (lang) => {
    const workbook = await readSample(SAMPLE_FILES[kind][lang]);
    const [readme, ...inputs] = workbook.worksheets;
    expect(readme.name).toBe(README_SHEET[lang]);
    expect(tablesOf(readme)).toEqual([]);
    expect(readme.rowCount).toBeGreaterThanOrEqual(5);
    for (const sheet of inputs) {
      const key = (Object.keys(TABLES) as (keyof typeof TABLES)[]).find((k) => sheetName(k, lang) === sheet.name);
      expect(key).toBeDefined();
      const tables = tablesOf(sheet);
      expect(tables).toHaveLength(1);
      expect(tables[0].name).toBe(TABLES[key!][lang]);
      expect(tables[0].ref).toBe(`A1:${String.fromCharCode(64 + sheet.columnCount)}${sheet.rowCount}`);
    }
  });
});

describe("table and sheet names", () => {
  it("match, except the English History table, on a sheet named 'History data' because Excel reserves 'History'", () => {
    for (const lang of ["zh", "en"] as Lang[]) {
      for (const key of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
        if (lang === "en" && key === "history") expect(sheetName(key, lang)).toBe("History data");
        else expect(sheetName(key, lang)).toBe(TABLES[key][lang]);
      }
    }
  });
});

describe("the kitchen-appliance sample (厨电门店-2027.xlsx)", () => {
  let workbook: ExcelJS.Workbook;
  let history: Record<string, Value>[];
  let actuals: Record<string, Value>[];
  const sheet = (name: string) => workbook.getWorksheet(name)!;

  beforeAll(async () => {
    workbook = await readSample(SAMPLE_FILES.main.zh);
    history = records(sheet("历史"));
    actuals = records(sheet("实际业绩"));
  });

  it("has the sheets in order, read-me first", () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["说明", "目标", "历史", "权重", "阶段", "设置", "激励", "实际业绩"]);
  });

  it("has 3 regions, 6 teams (2 per region) and 24 reps (4 per team) with unique names", () => {
    const teamsOf = new Map<string, Set<string>>();
    const repsOf = new Map<string, Set<string>>();
    const teamOfRep = new Map<string, string>();
    const repsInTwoTeams: string[] = [];
    for (const row of history) {
      const [region, team, rep] = [String(row["区域"]), String(row["团队"]), String(row["销售员"])];
      (teamsOf.get(region) ?? teamsOf.set(region, new Set()).get(region)!).add(team);
      (repsOf.get(team) ?? repsOf.set(team, new Set()).get(team)!).add(rep);
      if ((teamOfRep.get(rep) ?? team) !== team) repsInTwoTeams.push(rep);
      teamOfRep.set(rep, team);
    }
    expect(repsInTwoTeams).toEqual([]);
    expect([...teamsOf.keys()].sort()).toEqual(["华东", "华北", "华南"].sort());
    for (const teams of teamsOf.values()) expect(teams.size).toBe(2);
    expect(repsOf.size).toBe(6);
    for (const reps of repsOf.values()) expect(reps.size).toBe(4);
    expect(teamOfRep.size).toBe(24);
  });

  it("has two full years of monthly history for every rep × channel × product line", () => {
    const months = [...new Set(history.map((r) => String(r["月份"])))].sort();
    expect(months).toHaveLength(24);
    expect(months[0]).toBe("2025-01");
    expect(months[23]).toBe("2026-12");
    expect(new Set(history.map((r) => r["渠道"]))).toEqual(new Set(["小区拓展", "家装拓展", "异业联盟", "自然客流"]));
    expect(new Set(history.map((r) => r["产品线"]))).toEqual(new Set(["油烟机", "燃气灶", "消毒柜", "净水器", "洗碗机", "集成灶"]));
    expect(history).toHaveLength(24 * 24 * 4 * 6);
    const keys = new Set(history.map((r) => [r["月份"], r["销售员"], r["渠道"], r["产品线"]].join("|")));
    expect(keys.size).toBe(history.length);
  });

  it("has a consistent funnel on every row: leads ≥ invitations ≥ visits ≥ orders ≥ 1", () => {
    const broken = history.filter((row) => {
      const [amount, orders, visits, invitations, leads] = ["销售额", "订单数", "二次进店数", "邀约数", "意向数"].map((k) => row[k] as number);
      return !(Number.isInteger(orders) && orders >= 1 && visits >= orders && invitations >= visits && leads >= invitations && amount > 0);
    });
    expect(broken).toEqual([]);
  });

  it("has plausible conversion rates per channel and average order values per product line", () => {
    for (const channel of new Set(history.map((r) => String(r["渠道"])))) {
      const rows = history.filter((r) => r["渠道"] === channel);
      const total = (k: string) => sum(rows.map((r) => r[k] as number));
      expect(total("二次进店数") / total("邀约数")).toBeGreaterThanOrEqual(0.3);
      expect(total("二次进店数") / total("邀约数")).toBeLessThanOrEqual(0.6);
      expect(total("订单数") / total("二次进店数")).toBeGreaterThanOrEqual(0.5);
      expect(total("订单数") / total("二次进店数")).toBeLessThanOrEqual(0.8);
    }
    for (const product of new Set(history.map((r) => String(r["产品线"])))) {
      const rows = history.filter((r) => r["产品线"] === product);
      const aov = sum(rows.map((r) => r["销售额"] as number)) / sum(rows.map((r) => r["订单数"] as number));
      expect(aov).toBeGreaterThanOrEqual(3000);
      expect(aov).toBeLessThanOrEqual(9000);
    }
  });

  it("is seasonal (五一, 十一 and 双十一 peaks, a Spring Festival dip) and grows about 8% a year", () => {
    const byMonth = totalBy(history, (r) => String(r["月份"]), "销售额");
    for (const year of [2025, 2026]) {
      const m = (month: number) => byMonth.get(`${year}-${String(month).padStart(2, "0")}`)!;
      expect(m(5)).toBeGreaterThan(1.5 * m(2));
      expect(m(10)).toBeGreaterThan(m(8));
      expect(m(11)).toBeGreaterThan(m(7));
    }
    const byRepMonth = totalBy(history, (r) => `${r["销售员"]}|${r["月份"]}`, "销售额");
    for (const rep of new Set(history.map((r) => String(r["销售员"])))) {
      for (const year of [2025, 2026]) expect(byRepMonth.get(`${rep}|${year}-05`)!).toBeGreaterThan(byRepMonth.get(`${rep}|${year}-02`)!);
    }
    const byYear = totalBy(history, (r) => String(r["月份"]).slice(0, 4), "销售额");
    const growth = byYear.get("2026")! / byYear.get("2025")!;
    expect(growth).toBeGreaterThan(1.05);
    expect(growth).toBeLessThan(1.11);
  });

  it("has some reps much stronger than others", () => {
    const byRep = [...totalBy(history, (r) => String(r["销售员"]), "销售额").values()].sort((a, b) => a - b);
    expect(byRep[byRep.length - 1] / byRep[0]).toBeGreaterThan(2);
  });

  it("targets 2027 at about 0.95 / 1.10 / 1.25 × 2026 revenue", () => {
    const [target] = records(sheet("目标"));
    expect(target["期间"]).toBe("2027");
    const revenue2026 = sum(history.filter((r) => String(r["月份"]).startsWith("2026")).map((r) => r["销售额"] as number));
    for (const [column, ratio] of [["保底目标", 0.95], ["力争目标", 1.1], ["冲刺目标", 1.25]] as const) {
      expect(target[column] as number % 1_000_000).toBe(0);
      expect(Math.abs((target[column] as number) - revenue2026 * ratio)).toBeLessThanOrEqual(500_000);
    }
  });

  it("has finance weights for every region and one lock on a rep, held at a round amount", () => {
    const weights = records(sheet("权重"));
    const regions = weights.filter((w) => w["维度"] === "区域");
    expect(regions.map((w) => [w["成员"], w["权重"]])).toEqual([["华东", 0.4], ["华南", 0.35], ["华北", 0.25]]);
    const locks = weights.filter((w) => w["锁定"] !== null);
    expect(locks).toHaveLength(1);
    const [lock] = locks;
    expect(lock["维度"]).toBe("销售员");
    expect(lock["权重"]).toBeNull();
    expect(history.some((r) => r["销售员"] === lock["成员"])).toBe(true);
    expect(lock["锁定"] as number % 500_000).toBe(0);
    const [target] = records(sheet("目标"));
    // The locked rep's team must still have something left for the other three reps.
    expect(lock["锁定"] as number).toBeLessThan(((target["力争目标"] as number) * 0.4) / 2);
  });

  it("has the May Day campaign stages and the plan settings", () => {
    expect(records(sheet("阶段"))).toEqual([
      { 阶段: "第一阶段", 开始: "2027-04-25", 结束: "2027-04-30", 权重: 0.3 },
      { 阶段: "第二阶段", 开始: "2027-05-01", 结束: "2027-05-03", 权重: 0.45 },
      { 阶段: "第三阶段", 开始: "2027-05-04", 结束: "2027-05-07", 权重: 0.25 },
    ]);
    const settings = Object.fromEntries(records(sheet("设置")).map((r) => [r["键"], r["值"]]));
    expect(settings).toEqual({
      分解层级: "区域 > 团队 > 销售员",
      时间粒度: "月",
      取整单位: 100,
      工作日: "全部",
      漏斗: "邀约数 > 二次进店数 > 订单数",
      统计日期: "2027-05-05",
      上期统计日期: "2027-04-28",
      排名依据: "完成率",
      激励方式: "整额",
      激励封顶: 120_000,
      排名奖: "3000、2000、1000",
      并行分解: "产品线、客户群",
      "并行分解.区域": "产品线",
      重新分解: "团队",
      调整方法: "缺口",
    });
  });

  it("has the incentive bands: 1 % from 保底, 2 % from 力争, 3 % from 冲刺, a bonus for each tier reached", () => {
    expect(records(sheet("激励"))).toEqual([
      { 起点: "保底", 提成比例: "1%", 奖金: 500 },
      { 起点: "力争", 提成比例: "2%", 奖金: 1000 },
      { 起点: "冲刺", 提成比例: "3%", 奖金: 2000 },
    ]);
  });

  it("has daily actuals from 2027-01-01 to 2027-06-30 for every rep, by channel, with the funnel behind the orders", () => {
    const dates = actuals.map((r) => String(r["日期"])).sort();
    expect(dates[0]).toBe("2027-01-01");
    expect(dates[dates.length - 1]).toBe("2027-06-30");
    expect(new Set(actuals.map((r) => r["销售员"]))).toEqual(new Set(history.map((r) => r["销售员"])));
    expect(new Set(actuals.map((r) => r["渠道"]))).toEqual(new Set(history.map((r) => r["渠道"])));
    const keys = new Set(actuals.map((r) => `${r["日期"]}|${r["销售员"]}|${r["渠道"]}`));
    expect(keys.size).toBe(actuals.length);
    expect(actuals.filter((row) => !((row["订单数"] as number) >= 1 && (row["销售额"] as number) > 0))).toEqual([]);
    // 邀约数 ≥ 二次进店数 ≥ 订单数 on every row.
    expect(actuals.filter((row) => !((row["邀约数"] as number) >= (row["二次进店数"] as number) && (row["二次进店数"] as number) >= (row["订单数"] as number)))).toEqual([]);
  });
});

describe("the English twin (kitchen-appliances-2027.xlsx)", () => {
  it("has the same numbers and a one-to-one translation of every name", async () => {
    const zh = workbookRows(await readSample(SAMPLE_FILES.main.zh));
    const en = workbookRows(await readSample(SAMPLE_FILES.main.en));
    const pairs = (["targets", "history", "weights", "stages", "settings", "actuals"] as const).map((key) => [
      zh[sheetName(key, "zh")],
      en[sheetName(key, "en")],
    ]);
    const translation = new Map<string, string>();
    const reverse = new Map<string, string>();
    const mismatches: string[] = [];
    for (const [zhRows, enRows] of pairs) {
      expect(enRows.length).toBe(zhRows.length);
      zhRows.forEach((row, r) =>
        row.forEach((value, c) => {
          const other = enRows[r][c];
          const where = `${zhRows[0][0]} row ${r + 1} column ${c + 1}`;
          if (typeof value === "string" && typeof other === "string" && !/^\d{4}(-\d\d){0,2}$/.test(value)) {
            if ((translation.get(value) ?? other) !== other) mismatches.push(`${where}: ${value} → ${other}`);
            translation.set(value, other);
            // Headers may merge (月份 and 日期 are both Date); every other text maps one to one.
            if (r > 0 && (reverse.get(other) ?? value) !== value) mismatches.push(`${where}: ${other} ← ${value}`);
            if (r > 0) reverse.set(other, value);
          } else if (other !== value) {
            mismatches.push(`${where}: ${value} ≠ ${other}`);
          }
        }),
      );
    }
    expect(mismatches).toEqual([]);
    expect(translation.get("王建国")).toBe("Wang Jianguo");
    expect(translation.get("区域 > 团队 > 销售员")).toBe("Region > Team > Rep");
    const reps = new Set(en[sheetName("history", "en")].slice(1).map((row) => row[3]));
    expect(reps.size).toBe(24);
  });
});

describe("the May Day sample (五一活动-2027.xlsx)", () => {
  it("is a stage-grain plan of the East region from 2027-04-25 to 2027-05-07", async () => {
    const workbook = await readSample(SAMPLE_FILES.mayDay.zh);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["说明", "目标", "历史", "阶段", "设置", "激励", "实际业绩"]);
    const [target] = records(workbook.getWorksheet("目标")!);
    expect(target).toEqual({ 开始: "2027-04-25", 结束: "2027-05-07", 保底目标: 2_600_000, 力争目标: 3_000_000, 冲刺目标: 3_500_000 });
    const settings = Object.fromEntries(records(workbook.getWorksheet("设置")!).map((r) => [r["键"], r["值"]]));
    expect(settings["时间粒度"]).toBe("阶段");
    expect(settings["分解层级"]).toBe("团队 > 销售员");
    expect(settings["激励方式"]).toBe("分段");
    // The campaign over-assigns the reps' quotas by 10%, and the read-me says what that shows.
    expect(settings["超额分配.销售员"]).toBe("10%");
    const readme = workbook.getWorksheet("说明")!.getSheetValues().flat().map(String).join("\n");
    expect(readme).toContain("超额分配：设置“超额分配.销售员 = 10%”使每个团队的销售员目标在每个档位合计为团队目标 × 1.10");
    const history = records(workbook.getWorksheet("历史")!);
    expect(new Set(history.map((r) => r["区域"]))).toEqual(new Set(["华东"]));
    expect(new Set(history.map((r) => r["销售员"])).size).toBe(8);
    const actuals = records(workbook.getWorksheet("实际业绩")!);
    const dates = actuals.map((r) => String(r["日期"])).sort();
    expect([dates[0], dates[dates.length - 1]]).toEqual(["2027-04-25", "2027-05-05"]);
  });

  it("has its English twin's Uplift.Rep = 10%, explained on the Read me sheet", async () => {
    const workbook = await readSample(SAMPLE_FILES.mayDay.en);
    const settings = Object.fromEntries(records(workbook.getWorksheet("Settings")!).map((r) => [r["Key"], r["Value"]]));
    expect(settings["Uplift.Rep"]).toBe("10%");
    const readme = workbook.getWorksheet("Read me")!.getSheetValues().flat().map(String).join("\n");
    expect(readme).toContain("Uplift: the setting Uplift.Rep = 10% makes each team's reps' quotas add up to the team's target × 1.10");
  });
});
