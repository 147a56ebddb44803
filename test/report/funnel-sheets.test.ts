/**
 * The Funnel and Drivers sheets and the `funnel` / `drivers` sections of RESULT.json, built from
 * small plans: counts as formulas only in a form a spreadsheet evaluates exactly, checks that
 * hold, and JSON in the shape of CONTRACT §6.
 */
import { computeDrivers, computePlan, type DriversResult, type HistoryColumns, type PlanResult } from "../../src/engine";
import type { FactRow } from "../../src/engine/types";
import { buildDriverSheets, exactCeiling, toResultJson, type SheetSpec } from "../../src/report";
import { monthFact, planInput } from "../engine/build";
import { twoLevelPlan } from "./fixtures";

const COLUMNS: HistoryColumns = {
  table: "History!A1",
  letters: {},
  labels: { Channel: "渠道", Amount: "销售额", Orders: "订单数", Visits: "二次进店数", Invitations: "邀约数", Product: "产品线" },
};

describe("exactCeiling: ⌈x × y ÷ z⌉ in a form a spreadsheet gets right", () => {
  const refs: [string, string, string] = ["A1", "B1", "C1"];

  it("uses CEILING(x*y/z,1) where the floating-point quotient is safe, even for 11 × 30 ÷ 22", () => {
    expect(exactCeiling(refs, [11, 30, 22], 15)).toEqual({ cell: { formula: "CEILING(A1*B1/C1,1)", result: 15 }, live: true });
    expect(exactCeiling(refs, [370_400, 60, 300_000], 75)).toEqual({ cell: { formula: "CEILING(A1*B1/C1,1)", result: 75 }, live: true });
  });

  it("scales decimals to whole numbers where the plain quotient would land just above a whole number", () => {
    expect((1.1 * 3) / 0.22).toBe(15.000000000000002);
    expect(exactCeiling(refs, [1.1, 3, 0.22], 15)).toEqual({
      cell: { formula: "CEILING(ROUND(A1*B1*100,0)/ROUND(C1*100,0),1)", result: 15 },
      live: true,
    });
    expect(100 * 0.07).toBe(7.000000000000001);
    expect(exactCeiling(["F9", "E9", "1"], [100, 0.07, 1], 7)).toEqual({ cell: { formula: "CEILING(ROUND(F9*E9*100,0)/100,1)", result: 7 }, live: true });
  });

  it("writes the exact count as a value where no formula would be safe", () => {
    expect(exactCeiling(refs, [3, 1e-10, 1], 1)).toEqual({ cell: 1, live: false });
    // Cells that are not the engine's inputs: the engine's count stands.
    expect(exactCeiling(refs, [10, 1, 3], 5)).toEqual({ cell: 5, live: false });
  });
});

function channelHistory(): FactRow[] {
  const rows: [string, string, number, number, number, number][] = [
    ["小区拓展", "油烟机", 22_000, 22, 30, 60],
    ["自然客流", "净水器", 2_200, 30, 45, 90],
  ];
  return rows.map(([channel, product, amount, orders, visits, invitations], i) => ({
    ...monthFact(2026, 3, { Rep: "王伟", Channel: channel, Product: product }, amount, { Orders: orders, Visits: visits, Invitations: invitations }),
    ref: `历史!A${i + 2}`,
  }));
}

function driversFor(): { plan: PlanResult; drivers: DriversResult } {
  const input = planInput({ tiers: { target: 12_100 }, unit: 100, grain: "Quarter", history: channelHistory() });
  const plan = computePlan(input);
  const drivers = computeDrivers(input, plan, {
    funnel: { dimension: "Channel", stages: ["Invitations", "Visits", "Orders"] },
    product: "Product",
    units: "Orders",
    attachments: [
      { product: "净水器", rate: 0.3, ref: "设置!B5" },
      { product: "油烟机", ref: "设置!B6" },
    ],
    columns: COLUMNS,
  });
  return { plan, drivers };
}

const text = (sheet: SheetSpec) => sheet.rows.map((r) => r.map((c) => (c !== null && typeof c === "object" ? `=${c.formula}` : c)));

describe("the Funnel sheet", () => {
  const { plan, drivers } = driversFor();
  const [funnel, driverSheet] = buildDriverSheets(plan, drivers, "zh");

  it("is named in the workbook's language, kind funnel, then the drivers sheet", () => {
    expect([funnel.kind, funnel.name, driverSheet.kind, driverSheet.name]).toEqual(["funnel", "漏斗", "drivers", "深度数据"]);
    expect(buildDriverSheets(plan, drivers, "en").map((s) => s.name)).toEqual(["Funnel", "Drivers"]);
  });

  it("explains the arithmetic, then one row per channel with History, share, target and each stage", () => {
    const rows = text(funnel);
    expect(String(rows[1][0])).toContain("CEILING");
    const header = rows.find((r) => r[0] === "渠道")!;
    expect(header).toEqual([
      "渠道", "历史销售额", "历史订单数", "历史二次进店数", "历史邀约数", "占比", "精确值", "力争", "平均单值",
      "所需订单数", "转化率 二次进店数→订单数", "所需二次进店数", "转化率 邀约数→二次进店数", "所需邀约数", "校验",
    ]);
    const r = rows.indexOf(header) + 2;
    expect(rows[r - 1]).toEqual([
      "小区拓展", 22_000, 22, 30, 60, `=IF($B$${r + 2}=0,1/2,B${r}/$B$${r + 2})`, `=F${r}*$H$${r + 2}`, 11_000, `=IF(C${r}=0,0,B${r}/C${r})`,
      `=CEILING(H${r}*C${r}/B${r},1)`, `=IF(D${r}=0,0,C${r}/D${r})`, `=CEILING(J${r}*D${r}/C${r},1)`, `=IF(E${r}=0,0,D${r}/E${r})`, `=CEILING(L${r}*E${r}/D${r},1)`, null,
    ]);
  });

  it("caches the engine's counts in its formulas, and ✓ in every check", () => {
    const cells = funnel.rows.flat();
    const checks = cells.filter((c) => c !== null && typeof c === "object" && c.formula.startsWith("IF(") && (c.result === "✓" || c.result === "✗"));
    expect(checks.length).toBe(drivers.funnel!.channels.length + 2);
    expect(checks.every((c) => (c as { result: string }).result === "✓")).toBe(true);
    const counts = cells.filter((c) => c !== null && typeof c === "object" && c.formula.startsWith("CEILING")).map((c) => (c as { result: number }).result);
    expect(counts).toEqual([11, 15, 30, 15, 23, 46]);
  });
});

describe("the Drivers sheet", () => {
  const { plan, drivers } = driversFor();
  const [, sheet] = buildDriverSheets(plan, drivers, "zh");
  const rows = text(sheet);

  it("holds the average order value, product lines and attachments, with the rate of Settings or of History", () => {
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(["平均单值", "产品线", "配套率", "总目标", "油烟机", "净水器"]));
    const attach = rows.filter((r) => r[1] === "设置" || r[1] === "历史");
    expect(attach.map((r) => [r[0], r[1], r[4]])).toEqual([
      ["净水器", "设置", 0.3],
      ["油烟机", "历史", expect.stringMatching(/^=IF\(D\d+=0,0,C\d+\/D\d+\)$/)],
    ]);
    expect(drivers.attachments.map((a) => [a.product, a.orders, a.units])).toEqual([
      ["净水器", 26, 8],
      ["油烟机", 26, 11],
    ]);
  });
});

describe("RESULT.json", () => {
  it("adds `funnel` in the contract's shape, and `drivers`", () => {
    const { plan, drivers } = driversFor();
    const json = toResultJson(plan, drivers);
    expect(Object.keys(json)).toEqual(["periods", "nodes", "plan", "funnel", "drivers"]);
    expect(json.funnel![0]).toEqual({
      channel: "小区拓展",
      share: 0.909090909090909,
      target: 11_000,
      averageOrderValue: 1000,
      orders: 11,
      stages: { Visits: 15, Invitations: 30 },
      rates: { Visits: 0.733333333333333, Invitations: 0.5 },
      periods: expect.any(Array),
    });
    expect(json.funnel![0].periods.map((p) => p.period)).toEqual(["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]);
    expect(Object.keys(json.drivers!)).toEqual(["averageOrderValue", "products", "attachments"]);
    expect(json.drivers!.attachments).toEqual([
      { product: "净水器", source: "Settings", rate: 0.3, orders: 26, units: 8 },
      { product: "油烟机", source: "History", rate: 0.423076923076923, orders: 26, units: 11 },
    ]);
  });

  it("stays as it was without drivers", () => {
    expect(toResultJson(twoLevelPlan(), undefined)).toEqual(toResultJson(twoLevelPlan()));
    expect(Object.keys(toResultJson(twoLevelPlan()))).toEqual(["periods", "nodes", "plan"]);
  });
});
