import { parseWorkbook } from "../../src/contract";
import type { RawCell } from "../../src/hosts/host";
import { day, ok, refsAndCodes, settings, sheet } from "./build";
import { factRows } from "../../src/engine/facts";

const base = () => [
  sheet("Targets", ["Period", "Target"], [["2027", 1_000]]),
  sheet(
    "History",
    ["Date", "区域", "Team", "销售员", "Store", "Amount", "Orders", "Visits", "Invitations"],
    [["2026-01", "E", "T", "Li", "S1", 1, 1, 1, 1]],
  ),
  sheet("Stages", ["Stage", "Start", "End"], [["All year", "2027-01-01", "2027-12-31"]]),
];
const read = (entries: [string, RawCell][]) => ok(parseWorkbook([...base(), settings(entries)]));

describe("Settings keys and values", () => {
  it.each<[string, string]>([
    ["Region > Team > Rep", "Region Team Rep"],
    ["区域＞团队＞销售员", "Region Team Rep"],
    ["大区 → 小组 → 人员", "Region Team Rep"],
    ["Region/Rep", "Region Rep"],
    ["Region, Rep", "Region Rep"],
    ["区域，销售员", "Region Rep"],
    ["区域、销售员", "Region Rep"],
    ["region -> REP", "Region Rep"],
    ["Store > Rep", "Store Rep"],
    ["store", "Store"],
  ])("Levels %j", (text, expected) => {
    expect(read([["Levels", text]]).input.levels).toEqual(expected.split(" "));
  });

  it("labels levels as History writes them", () => {
    expect(read([["分解层级", "Region > Rep"]]).input.levelLabels).toEqual(["区域", "销售员"]);
  });

  it("a custom level is a dimension even when its cells look like numbers", () => {
    const wb = ok(
      parseWorkbook([
        sheet("Targets", ["Period", "Target"], [["2027", 1]]),
        sheet(
          "History",
          ["Date", "Store No", "Amount"],
          [
            ["2026-01", 101, 5],
            ["2026-01", 102, 6],
          ],
        ),
        settings([["Levels", "store no"]]),
      ]),
    );
    expect(wb.input.levels).toEqual(["Store No"]);
    expect(factRows(wb.input.history).map((f) => f.dims)).toEqual([{ "Store No": "101" }, { "Store No": "102" }]);
    expect(factRows(wb.input.history)[0].measures).toEqual({ Amount: 5 });
  });

  it.each<[string, string]>([
    ["Year", "Year"],
    ["年", "Year"],
    ["quarterly", "Quarter"],
    ["季度", "Quarter"],
    ["MONTH", "Month"],
    ["月", "Month"],
    ["Week", "Week"],
    ["周", "Week"],
    ["Day", "Day"],
    ["日", "Day"],
    ["Stage", "Stage"],
    ["阶段", "Stage"],
  ])("Grain %j", (text, grain) => {
    expect(read([["Grain", text]]).input.grain).toBe(grain);
  });

  it.each<[string, string]>([
    ["History", "History"],
    ["历史", "History"],
    ["Equal", "Equal"],
    ["平均", "Equal"],
    ["Weights", "Weights"],
    ["权重", "Weights"],
  ])("Method %j applies to every level", (text, method) => {
    expect(
      read([
        ["Levels", "Region > Rep"],
        ["分解方法", text],
      ]).input.methods,
    ).toEqual({ Region: method, Rep: method });
  });

  it.each(["Method.Rep", "method.销售员", "分解方法.Rep", "分解方法．销售员", "Method: Rep", "Method.人员"])(
    "%s sets the Rep level",
    (key) => {
      const { input } = read([
        ["Levels", "Region > Rep"],
        ["Method", "Equal"],
        [key, "权重"],
      ]);
      expect(input.methods).toEqual({ Region: "Equal", Rep: "Weights" });
      expect(input.refs.methods).toEqual({ Region: "Settings!B3", Rep: "Settings!B4" });
    },
  );

  it("Method for a custom level", () => {
    expect(
      read([
        ["Levels", "Store"],
        ["Method.Store", "Equal"],
      ]).input.methods,
    ).toEqual({ Store: "Equal" });
  });

  it.each<[RawCell, number]>([
    [100, 100],
    ["1,000", 1000],
    ["1万", 10_000],
    [0.5, 0.5],
  ])("Unit %j", (value, unit) => {
    const { input } = read([["取整单位", value]]);
    expect(input.unit).toBe(unit);
    expect(input.refs.unit).toBe("Settings!B2");
  });

  it.each<[RawCell, number]>([
    [3, 3],
    ["2", 2],
    ["2年", 2],
  ])("HistoryYears %j", (value, years) => {
    expect(read([["History Years", value]]).input.historyYears).toBe(years);
  });

  it("FloorRatio and StretchRatio as numbers or percentages", () => {
    const { input } = read([
      ["floor_ratio", "85%"],
      ["冲刺系数", 1.25],
    ]);
    expect([input.floorRatio, input.stretchRatio]).toEqual([0.85, 1.25]);
    const edge = read([
      ["FloorRatio", 1],
      ["StretchRatio", "100%"],
    ]).input;
    expect([edge.floorRatio, edge.stretchRatio]).toEqual([1, 1]);
  });

  it.each<[string, string]>([
    ["All", "All"],
    ["全部", "All"],
    ["每天", "All"],
    ["Mon-Fri", "Mon-Fri"],
    ["mon – fri", "Mon-Fri"],
    ["周一至周五", "Mon-Fri"],
    ["周一到周五", "Mon-Fri"],
    ["周一~周五", "Mon-Fri"],
    ["双休", "Mon-Fri"],
    ["Mon-Sat", "Mon-Sat"],
    ["周一至周六", "Mon-Sat"],
    ["单休", "Mon-Sat"],
  ])("Workdays %j", (text, workdays) => {
    expect(read([["工作日", text]]).input.workdays).toBe(workdays);
  });

  it.each<[string, string[]]>([
    ["Invitations > Visits > Orders", ["Invitations", "Visits", "Orders"]],
    ["邀约数 > 二次进店数 > 订单数", ["Invitations", "Visits", "Orders"]],
    ["visits, orders", ["Visits", "Orders"]],
  ])("Funnel %j", (text, funnel) => {
    expect(read([["漏斗", text]]).settings.funnel).toEqual(funnel);
  });

  it.each<[RawCell, string]>([
    ["2027-05-05", "2027-05-05"],
    ["2027年5月5日", "2027-05-05"],
    [46512, "2027-05-05"],
    [new Date(Date.UTC(2027, 4, 5)), "2027-05-05"],
    ["2027-05", "2027-05-31"],
  ])("AsOf %j", (value, iso) => {
    expect(read([["统计日期", value]]).settings.asOf).toBe(day(iso));
  });

  it.each<[string, string]>([
    ["Completion", "Completion"],
    ["完成率", "Completion"],
    ["达成率", "Completion"],
    ["Actual", "Actual"],
    ["业绩", "Actual"],
  ])("RankBy %j", (text, rankBy) => {
    expect(read([["排名依据", text]]).settings.rankBy).toBe(rankBy);
  });

  it.each<[string, [number, number]]>([
    ["0.9, 0.8", [0.9, 0.8]],
    ["90%, 80%", [0.9, 0.8]],
    ["90%，80%", [0.9, 0.8]],
    ["1 0.8", [1, 0.8]],
    ["0.8/0.8", [0.8, 0.8]],
  ])("Pace %j", (text, pace) => {
    expect(read([["进度阈值", text]]).settings.pace).toEqual(pace);
  });

  it("keeps unknown keys and skips empty values", () => {
    const wb = read([
      ["Owner", "Ms Chen"],
      ["Grain", null],
      ["", "ignored"],
    ]);
    expect(wb.settings.raw).toEqual({ Owner: { value: "Ms Chen", ref: "Settings!B2" }, Grain: { value: "", ref: "Settings!B3" } });
    expect(wb.input.grain).toBe("Month");
  });

  it("reads a Settings table anywhere on its sheet", () => {
    const result = parseWorkbook([
      ...base(),
      { name: "设置", sheet: "Config", source: "table", top: 4, left: 3, headers: ["Key", "Value"], rows: [["Unit", "abc"]] },
    ]);
    expect(refsAndCodes(result)).toEqual(["Config!D5 badUnit"]);
  });
});
