/**
 * The Funnel step's pieces: the per-channel view (rows, totals, stage headers in both languages),
 * one channel per period, what Write funnel writes, and when the step is shown — on a small
 * funnel by hand and on the Chinese sample workbook through the pane's own pipeline.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FunnelResult } from "../../src/engine/funnel";
import { XlsxHost } from "../../src/hosts/xlsx";
import { PANE_STRINGS } from "../../src/i18n/pane";
import type { SheetSpec } from "../../src/report/spec";
import { workbookHasFunnel } from "../../src/taskpane/funnel/detect";
import { funnelSheets, funnelView, periodRows, stageLabel, walkOrder } from "../../src/taskpane/model/funnel";
import { planFromTables } from "../../src/taskpane/pipeline";
import { englishWorkbook, settings, sheet } from "../contract/build";

const SAMPLE = join(__dirname, "../../sample/厨电门店-2027.xlsx");

const channel = (name: string, target: number, aov: number, counts: Record<string, number>, periods: FunnelResult["channels"][number]["periods"]) => ({
  channel: name,
  history: {},
  basis: 0,
  share: 0,
  exact: target,
  target,
  averageOrderValue: aov,
  counts,
  rates: {},
  periods,
});

/** Two channels, a three-stage chain with a stage the glossary does not name (Calls, headed 电话数). */
const FUNNEL: FunnelResult = {
  dimension: "Channel",
  metric: "Amount",
  stages: ["Calls", "Invitations", "Visits", "Orders"],
  periods: ["2027-Q1", "2027-Q2"],
  source: "History",
  channels: [
    channel("小区拓展", 11_000, 1_000, { Orders: 11, Visits: 15, Invitations: 38, Calls: 90 }, [
      { target: 5_000, counts: { Orders: 5, Visits: 7, Invitations: 18, Calls: 41 } },
      { target: 6_000, counts: { Orders: 6, Visits: 8, Invitations: 20, Calls: 49 } },
    ]),
    channel("自然客流", 3_300, 2_200 / 30, { Orders: 45, Visits: 60, Invitations: 100, Calls: 200 }, [
      { target: 1_300, counts: { Orders: 18, Visits: 24, Invitations: 40, Calls: 79 } },
      { target: 2_000, counts: { Orders: 27, Visits: 36, Invitations: 60, Calls: 121 } },
    ]),
  ],
  totals: {
    target: 14_300,
    history: { Amount: 24_200, Orders: 52 },
    counts: { Orders: 56, Visits: 75, Invitations: 138, Calls: 290 },
  },
  columns: { table: "历史!A1", letters: {}, labels: { Calls: "电话数", Orders: "订单数", Visits: "到店数" } },
};

const spec = (kind: SheetSpec["kind"], name: string): SheetSpec => ({ kind, name, rows: [], numberFormats: [], conditionalFormats: [], styles: [] });

describe("the Funnel step's view", () => {
  it("walks the chain back from Orders, as the Funnel sheet does", () => {
    expect(walkOrder(FUNNEL)).toEqual(["Orders", "Visits", "Invitations", "Calls"]);
    expect(walkOrder({ stages: ["Orders"] })).toEqual(["Orders"]);
  });

  it("heads the stages with the glossary's words in the pane's language, others as written", () => {
    expect(funnelView(FUNNEL, "zh").stages.map((s) => s.label)).toEqual(["订单数", "二次进店数", "邀约数", "电话数"]);
    expect(funnelView(FUNNEL, "en").stages.map((s) => s.label)).toEqual(["Orders", "Visits", "Invitations", "电话数"]);
    expect(stageLabel("Leads", {}, "zh")).toBe("意向数");
    expect(stageLabel("Leads", {}, "en")).toBe("Leads");
    expect(stageLabel("Calls", {}, "en")).toBe("Calls");
  });

  it("gives a row per channel, in History order, and a totals row", () => {
    const view = funnelView(FUNNEL, "zh");
    expect(view.channels).toEqual(["小区拓展", "自然客流"]);
    expect(view.rows).toEqual([
      { channel: "小区拓展", target: 11_000, averageOrderValue: 1_000, counts: [11, 15, 38, 90] },
      { channel: "自然客流", target: 3_300, averageOrderValue: 2_200 / 30, counts: [45, 60, 100, 200] },
    ]);
    expect(view.totals).toEqual({ channel: "合计", target: 14_300, averageOrderValue: 24_200 / 52, counts: [56, 75, 138, 290] });
    expect(funnelView(FUNNEL, "en").totals.channel).toBe("Total");
  });

  it("gives an average order value of 0 when the channels have no History orders", () => {
    const none = { ...FUNNEL, totals: { ...FUNNEL.totals, history: { Amount: 0, Orders: 0 } } };
    expect(funnelView(none, "en").totals.averageOrderValue).toBe(0);
  });

  it("shows one channel per period, then a subtotal equal to its row", () => {
    expect(periodRows(FUNNEL, "自然客流", "zh")).toEqual([
      { period: "2027-Q1", target: 1_300, counts: [18, 24, 40, 79] },
      { period: "2027-Q2", target: 2_000, counts: [27, 36, 60, 121] },
      { period: "小计", target: 3_300, counts: [45, 60, 100, 200] },
    ]);
    expect(periodRows(FUNNEL, "小区拓展", "en").at(-1)?.period).toBe("Subtotal");
    expect(periodRows(FUNNEL, "异业联盟", "en")).toEqual([]);
  });

  it("writes the Funnel and Drivers sheets, never the plan's", () => {
    const sheets = [spec("plan", "Plan"), spec("matrix", "Plan Matrix"), spec("weights", "Weights Review"), spec("funnel", "Funnel"), spec("drivers", "Drivers")];
    expect(funnelSheets(sheets).map((s) => s.name)).toEqual(["Funnel", "Drivers"]);
  });
});

describe("the Funnel step on real workbooks", () => {
  it("is shown when History has channels and orders, hidden otherwise", () => {
    expect(workbookHasFunnel(englishWorkbook(), {})).toBe(true);
    const noChannel = [
      sheet("Targets", ["Period", "Target"], [["2027", 1_000_000]]),
      sheet("History", ["Date", "Rep", "Amount", "Orders"], [["2026-01", "Li", 120_000, 12]]),
      settings([["Levels", "Rep"]]),
    ];
    expect(workbookHasFunnel(noChannel, {})).toBe(false);
    expect(workbookHasFunnel([], {})).toBeUndefined();
  });

  it("adds up on the Chinese sample, per channel and per period", async () => {
    const tables = await (await XlsxHost.fromBytes(new Uint8Array(readFileSync(SAMPLE)))).readTables();
    expect(workbookHasFunnel(tables, {})).toBe(true);
    const outcome = await planFromTables(tables, {});
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const funnel = outcome.drivers?.funnel;
    if (!funnel) throw new Error("the sample has a funnel");
    const view = funnelView(funnel, "zh");
    expect(view.stages[0].label).toBe("订单数");
    expect(view.stages.map((s) => s.label)).toEqual(expect.arrayContaining(["二次进店数", "邀约数"]));
    expect(view.rows.length).toBeGreaterThan(1);
    expect(view.totals.target).toBe(outcome.result.nodes[0].amount.target);
    view.stages.forEach((_, i) => {
      expect(view.totals.counts[i]).toBe(view.rows.reduce((a, r) => a + r.counts[i], 0));
    });
    for (const row of view.rows) {
      const periods = periodRows(funnel, row.channel, "zh");
      const subtotal = periods.at(-1)!;
      expect(subtotal).toEqual({ period: "小计", target: row.target, counts: row.counts });
      const detail = periods.slice(0, -1);
      expect(detail.map((p) => p.period)).toEqual(funnel.periods);
      view.stages.forEach((_, i) => expect(detail.reduce((a, p) => a + p.counts[i], 0)).toBe(row.counts[i]));
    }
    expect(funnelSheets(outcome.sheets).map((s) => s.kind)).toEqual(["funnel", "drivers"]);
  });
});

it("the Funnel step speaks the glossary's words (UX.md)", () => {
  const zh = PANE_STRINGS.zh;
  expect([zh.stepFunnel, zh.writeFunnel, zh.funnelChannel, zh.funnelAov]).toEqual(["漏斗", "生成漏斗表", "渠道", "平均单值"]);
  expect([zh.stageInvitations, zh.stageVisits, zh.stageOrders]).toEqual(["邀约数", "二次进店数", "订单数"]);
  const en = PANE_STRINGS.en;
  expect([en.stepFunnel, en.writeFunnel, en.funnelAov]).toEqual(["Funnel", "Write funnel", "Average order value"]);
});
