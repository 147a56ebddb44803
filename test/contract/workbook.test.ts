import { parseWorkbook } from "../../src/contract";
import { day, ok, settings, sheet, table } from "./build";
import { factRows } from "../../src/engine/facts";

describe("an English workbook", () => {
  const workbook = () => [
    table("Targets", "Plan", ["Period", "Metric", "Floor", "Target", "Stretch"], [["2027", "Amount", "9,000,000", "1000万", 12_000_000]], {
      top: 2,
      left: 2,
    }),
    sheet(
      "History",
      ["Date", "Region", "Team", "Rep", "Channel", "Store", "Amount", "Orders", "Visits", "Invitations", "Margin"],
      [
        ["2026-01", "East", "E1", "Li", "Referral", "S01", "120,000", 12, 30, 60, 0.3],
        [46054, "East", "E1", "Wang", "Walk-in", "S01", 80_000, 8, 20, 40, null],
        [new Date(Date.UTC(2026, 1, 3)), "West", "W1", "Zhao", "Referral", "S02", 100_000, 10, 25, 50, "25%"],
      ],
    ),
    sheet(
      "Weights",
      ["Dimension", "Member", "Region", "Weight", "Lock", "Note"],
      [
        ["Region", "East", null, "40%", null, "finance"],
        ["Region", "West", null, "60%"],
        ["Rep", "Li", "East", null, 2_000_000],
        ["Rep", "Wang", "East", 1],
      ],
    ),
    sheet(
      "Stages",
      ["Stage", "Start", "End", "Weight"],
      [
        ["Warm-up", "2027-04-25", "2027-04-30", 1],
        ["Peak", "2027/5/1", "2027/5/3", 3],
        ["Tail", "2027年5月4日", "2027年5月7日"],
      ],
    ),
    sheet(
      "Actuals",
      ["Date", "Region", "Team", "Rep", "Amount"],
      [
        ["2027-01", "East", "E1", "Li", 50_000],
        ["2027-01-15", "East", "E1", "Wang", "1.5万"],
      ],
    ),
    settings([
      ["Levels", "Region > Team > Rep"],
      ["Grain", "Month"],
      ["Method", "History"],
      ["Method.Rep", "Weights"],
      ["Unit", "1,000"],
      ["HistoryYears", 2],
      ["FloorRatio", "90%"],
      ["StretchRatio", 1.2],
      ["Workdays", "Mon-Fri"],
      ["Funnel", "Invitations > Visits > Orders"],
      ["AsOf", "2027-05-05"],
      ["RankBy", "Actual"],
      ["Pace", "0.9, 0.8"],
      ["Owner", "Ms Chen"],
    ]),
    sheet(
      "Holidays",
      ["Date", "Name"],
      [
        ["2027-05-01", "Labour Day"],
        [new Date(Date.UTC(2027, 0, 1)), "New Year"],
      ],
    ),
  ];

  const wb = () => ok(parseWorkbook(workbook()));

  it("gives the plan's period, metric and tiers", () => {
    const { input } = wb();
    expect(input.start).toBe(day("2027-01-01"));
    expect(input.end).toBe(day("2027-12-31"));
    expect(input.metric).toBe("Amount");
    expect(input.tiers).toEqual({ floor: 9_000_000, target: 10_000_000, stretch: 12_000_000 });
    expect(input.growth).toBeUndefined();
  });

  it("gives the levels and settings", () => {
    const { input, settings: extra, lang } = wb();
    expect(lang).toBe("en");
    expect(input.levels).toEqual(["Region", "Team", "Rep"]);
    expect(input.levelLabels).toEqual(["Region", "Team", "Rep"]);
    expect(input.methods).toEqual({ Region: "History", Team: "History", Rep: "Weights" });
    expect(input.unit).toBe(1000);
    expect(input.historyYears).toBe(2);
    expect(input.floorRatio).toBe(0.9);
    expect(input.stretchRatio).toBe(1.2);
    expect(input.grain).toBe("Month");
    expect(input.workdays).toBe("Mon-Fri");
    expect(input.holidays).toEqual([day("2027-01-01"), day("2027-05-01")]);
    expect(extra.asOf).toBe(day("2027-05-05"));
    expect(extra.rankBy).toBe("Actual");
    expect(extra.pace).toEqual([0.9, 0.8]);
    expect(extra.funnel).toEqual(["Invitations", "Visits", "Orders"]);
    expect(extra.raw.Owner).toEqual({ value: "Ms Chen", ref: "Settings!B15" });
    expect(extra.raw["Method.Rep"]).toEqual({ value: "Weights", ref: "Settings!B5" });
    expect(extra.raw.Unit).toEqual({ value: "1,000", ref: "Settings!B6" });
  });

  it("reads History: months as whole months, dates as days, other columns by their cells", () => {
    const { input } = wb();
    expect(factRows(input.history)).toEqual([
      {
        dims: { Region: "East", Team: "E1", Rep: "Li", Channel: "Referral", Store: "S01" },
        start: day("2026-01-01"),
        end: day("2026-01-31"),
        measures: { Amount: 120_000, Orders: 12, Visits: 30, Invitations: 60, Margin: 0.3 },
        ref: "History!A2",
      },
      {
        dims: { Region: "East", Team: "E1", Rep: "Wang", Channel: "Walk-in", Store: "S01" },
        start: day("2026-02-01"),
        end: day("2026-02-01"),
        measures: { Amount: 80_000, Orders: 8, Visits: 20, Invitations: 40, Margin: 0 },
        ref: "History!A3",
      },
      {
        dims: { Region: "West", Team: "W1", Rep: "Zhao", Channel: "Referral", Store: "S02" },
        start: day("2026-02-03"),
        end: day("2026-02-03"),
        measures: { Amount: 100_000, Orders: 10, Visits: 25, Invitations: 50, Margin: 0.25 },
        ref: "History!A4",
      },
    ]);
  });

  it("reads Weights with parents and cell refs", () => {
    const { input } = wb();
    expect(input.weights).toEqual([
      { level: "Region", member: "East", weight: 0.4, refs: { member: "Weights!B2", weight: "Weights!D2" } },
      { level: "Region", member: "West", weight: 0.6, refs: { member: "Weights!B3", weight: "Weights!D3" } },
      { level: "Rep", member: "Li", parents: { Region: "East" }, lock: 2_000_000, refs: { member: "Weights!B4", lock: "Weights!E4" } },
      { level: "Rep", member: "Wang", parents: { Region: "East" }, weight: 1, refs: { member: "Weights!B5", weight: "Weights!D5" } },
    ]);
  });

  it("reads Stages", () => {
    expect(wb().input.stages).toEqual([
      { name: "Warm-up", start: day("2027-04-25"), end: day("2027-04-30"), weight: 1, ref: "Stages!A2" },
      { name: "Peak", start: day("2027-05-01"), end: day("2027-05-03"), weight: 3, ref: "Stages!A3" },
      { name: "Tail", start: day("2027-05-04"), end: day("2027-05-07"), ref: "Stages!A4" },
    ]);
  });

  it("reads Actuals, a month counting as its first day", () => {
    expect(wb().actuals).toEqual([
      {
        dims: { Region: "East", Team: "E1", Rep: "Li" },
        start: day("2027-01-01"),
        end: day("2027-01-01"),
        measures: { Amount: 50_000 },
        ref: "Actuals!A2",
      },
      {
        dims: { Region: "East", Team: "E1", Rep: "Wang" },
        start: day("2027-01-15"),
        end: day("2027-01-15"),
        measures: { Amount: 15_000 },
        ref: "Actuals!A3",
      },
    ]);
  });

  it("names the cells the engine may need to blame", () => {
    expect(wb().input.refs).toEqual({
      floor: "Plan!D3",
      target: "Plan!E3",
      stretch: "Plan!F3",
      unit: "Settings!B6",
      weightsHeader: "Weights!D1",
      stages: "Stages!A1",
      methods: { Region: "Settings!B4", Team: "Settings!B4", Rep: "Settings!B5" },
    });
  });
});

describe("a Chinese workbook", () => {
  const workbook = () => [
    sheet("目标", ["期间", "指标", "保底目标", "力争目标", "冲刺目标"], [["2027年第2季度", "销售额", "90万", "1,000,000", "1.2百万"]]),
    sheet(
      "历史数据",
      ["月份", "大区", "小组", "销售员", "渠道", "销售额", "订单数", "二次进店数", "邀约数"],
      [
        ["2026年4月", "华东", "一组", "李雷", "小区拓展", "12万", 12, 30, 60],
        ["2026年5月", "华北", "二组", "韩梅梅", "异业联盟", 80_000, 8, 20, 40],
      ],
    ),
    sheet(
      "权重",
      ["维度", "成员", "权重", "锁定", "区域"],
      [
        ["区域", "华东", "40%"],
        ["大区", "华北", "60%"],
        ["销售员", "李雷", null, "10万", "华东"],
      ],
    ),
    settings(
      [
        ["分解层级", "大区 > 小组 > 销售员"],
        ["时间粒度", "季度"],
        ["分解方法.销售员", "平均"],
        ["取整单位", "1万"],
        ["历史年数", "2年"],
        ["保底系数", "80%"],
        ["冲刺系数", "120%"],
        ["工作日", "周一至周五"],
        ["漏斗", "邀约数 → 二次进店数 → 订单数"],
        ["统计日期", "2027年5月5日"],
        ["排名依据", "业绩"],
        ["进度阈值", "90%，80%"],
      ],
      "设置",
      ["键", "值"],
    ),
    sheet("节假日", ["日期"], [["2027年5月1日"], ["2027-05-02"]]),
    sheet("实际业绩", ["日期", "大区", "小组", "销售员", "业绩"], [["2027-04-03", "华东", "一组", "李雷", "3,000"]]),
  ];

  it("reads every input in Chinese", () => {
    const wb = ok(parseWorkbook(workbook()));
    expect(wb.lang).toBe("zh");
    const { input } = wb;
    expect([input.start, input.end]).toEqual([day("2027-04-01"), day("2027-06-30")]);
    expect(input.metric).toBe("Amount");
    expect(input.tiers).toEqual({ floor: 900_000, target: 1_000_000, stretch: 1_200_000 });
    expect(input.levels).toEqual(["Region", "Team", "Rep"]);
    expect(input.levelLabels).toEqual(["大区", "小组", "销售员"]);
    expect(input.methods).toEqual({ Region: undefined, Team: undefined, Rep: "Equal" });
    expect(input.grain).toBe("Quarter");
    expect(input.unit).toBe(10_000);
    expect(input.historyYears).toBe(2);
    expect(input.floorRatio).toBe(0.8);
    expect(input.stretchRatio).toBe(1.2);
    expect(input.workdays).toBe("Mon-Fri");
    expect(input.holidays).toEqual([day("2027-05-01"), day("2027-05-02")]);
    expect(wb.settings).toMatchObject({
      asOf: day("2027-05-05"),
      rankBy: "Actual",
      pace: [0.9, 0.8],
      funnel: ["Invitations", "Visits", "Orders"],
    });
    expect(wb.settings.raw["Method.Rep"]).toEqual({ value: "平均", ref: "设置!B4" });
  });

  it("keys History by canonical names and members as written", () => {
    const { input } = ok(parseWorkbook(workbook()));
    expect(factRows(input.history)[0]).toEqual({
      dims: { Region: "华东", Team: "一组", Rep: "李雷", Channel: "小区拓展" },
      start: day("2026-04-01"),
      end: day("2026-04-30"),
      measures: { Amount: 120_000, Orders: 12, Visits: 30, Invitations: 60 },
      ref: "历史数据!A2",
    });
  });

  it("reads Weights whose dimensions and parents use aliases", () => {
    const { input } = ok(parseWorkbook(workbook()));
    expect(input.weights).toEqual([
      { level: "Region", member: "华东", weight: 0.4, refs: { member: "权重!B2", weight: "权重!C2" } },
      { level: "Region", member: "华北", weight: 0.6, refs: { member: "权重!B3", weight: "权重!C3" } },
      { level: "Rep", member: "李雷", parents: { Region: "华东" }, lock: 100_000, refs: { member: "权重!B4", lock: "权重!D4" } },
    ]);
    expect(input.refs.weightsHeader).toBe("权重!C1");
  });

  it("reads Actuals by the same aliases", () => {
    const wb = ok(parseWorkbook(workbook()));
    expect(wb.actuals).toEqual([
      {
        dims: { Region: "华东", Team: "一组", Rep: "李雷" },
        start: day("2027-04-03"),
        end: day("2027-04-03"),
        measures: { Amount: 3000 },
        ref: "实际业绩!A2",
      },
    ]);
  });
});

describe("defaults", () => {
  const targets = sheet("Targets", ["Period", "Target"], [["2027-05", 100_000]]);

  it("plans the first of Rep, Team, Region by Month, in units of 1, every day, on Amount", () => {
    const wb = ok(
      parseWorkbook([targets, sheet("History", ["Date", "Region", "Team", "Rep", "Amount"], [["2026-05", "E", "T", "Li", 1]])]),
    );
    const { input } = wb;
    expect(input.levels).toEqual(["Rep"]);
    expect(input.levelLabels).toEqual(["Rep"]);
    expect(input.methods).toEqual({ Rep: undefined });
    expect(input.grain).toBe("Month");
    expect(input.unit).toBe(1);
    expect(input.workdays).toBe("All");
    expect(input.metric).toBe("Amount");
    expect(input.holidays).toEqual([]);
    expect(input.stages).toEqual([]);
    expect(input.weights).toEqual([]);
    expect(input.historyYears).toBeUndefined();
    expect(input.refs).toEqual({ target: "Targets!B2" });
    expect(wb.settings).toEqual({ raw: {} });
    expect([input.start, input.end]).toEqual([day("2027-05-01"), day("2027-05-31")]);
  });

  it("takes Team when there is no Rep, and the header as written", () => {
    const { input } = ok(parseWorkbook([targets, sheet("History", ["Date", "区域", "团队", "金额"], [["2026-05", "E", "T", 1]])]));
    expect(input.levels).toEqual(["Team"]);
    expect(input.levelLabels).toEqual(["团队"]);
  });

  it("plans over time only when History has no Rep, Team or Region", () => {
    const { input } = ok(parseWorkbook([targets, sheet("History", ["Date", "Amount"], [["2026-05", 1]])]));
    expect(input.levels).toEqual([]);
    expect(input.history).toHaveLength(1);
  });

  it("without History, splits by weights where Weights cover a level, else equally", () => {
    const { input } = ok(
      parseWorkbook([
        targets,
        sheet(
          "Weights",
          ["Dimension", "Member", "Region", "Weight"],
          [
            ["Region", "East", null, 1],
            ["Region", "West", null, 2],
            ["Rep", "Li", "East", 1],
          ],
        ),
        settings([["Levels", "Region > Team > Rep"]]),
      ]),
    );
    expect(input.levels).toEqual(["Region", "Team", "Rep"]);
    expect(input.methods).toEqual({ Region: "Weights", Team: "Equal", Rep: "Weights" });
    expect(factRows(input.history)).toEqual([]);
  });

  it("without History or Levels, takes its level from the Weights", () => {
    const { input } = ok(
      parseWorkbook([
        targets,
        sheet(
          "Weights",
          ["Dimension", "Member", "Weight"],
          [
            ["小组", "T1", 1],
            ["小组", "T2", 2],
          ],
        ),
      ]),
    );
    expect(input.levels).toEqual(["Team"]);
    expect(input.levelLabels).toEqual(["小组"]);
    expect(input.methods).toEqual({ Team: "Weights" });
  });

  it("a single level needs no Dimension column in Weights", () => {
    const { input } = ok(
      parseWorkbook([
        targets,
        sheet("History", ["Date", "Rep", "Amount"], [["2026-05", "Li", 1]]),
        sheet(
          "Weights",
          ["Member", "Weight"],
          [
            ["Li", "50%"],
            ["Wang", "50%"],
          ],
        ),
      ]),
    );
    expect(input.weights.map((w) => [w.level, w.member, w.weight])).toEqual([
      ["Rep", "Li", 0.5],
      ["Rep", "Wang", 0.5],
    ]);
  });

  it("the funnel is the funnel columns History has, ending in Orders", () => {
    const wb = ok(parseWorkbook([targets, sheet("History", ["Date", "Amount", "订单数", "Visits", "Leads"], [["2026-05", 1, 1, 1, 1]])]));
    expect(wb.settings.funnel).toEqual(["Leads", "Visits", "Orders"]);
  });

  it("takes the plan's period from its Stages when Targets give none", () => {
    const { input } = ok(
      parseWorkbook([
        sheet("Targets", ["Target"], [[100]]),
        sheet(
          "Stages",
          ["阶段", "开始", "结束"],
          [
            ["预热", "2027-04-25", "2027-04-30"],
            ["爆发", "2027-05-01", "2027-05-03"],
          ],
        ),
        settings([["Grain", "阶段"]]),
      ]),
    );
    expect([input.start, input.end]).toEqual([day("2027-04-25"), day("2027-05-03")]);
    expect(input.grain).toBe("Stage");
    expect(input.refs.stages).toBe("Stages!A1");
  });

  it("a Start and an End give the period; a month as End means its last day", () => {
    const { input } = ok(parseWorkbook([sheet("Targets", ["Start", "End", "Target"], [["2027-04", "2027-06", 1]])]));
    expect([input.start, input.end]).toEqual([day("2027-04-01"), day("2027-06-30")]);
  });

  it("Period with agreeing Start and End is fine", () => {
    const { input } = ok(parseWorkbook([sheet("Targets", ["Period", "Start", "End", "Target"], [[2027, "2027-01-01", "2027-12-31", 1]])]));
    expect([input.start, input.end]).toEqual([day("2027-01-01"), day("2027-12-31")]);
  });

  it("Growth stands in for Target", () => {
    const { input } = ok(
      parseWorkbook([sheet("Targets", ["Period", "Growth"], [["2027", "15%"]]), sheet("History", ["Date", "Amount"], [["2026-05", 1]])]),
    );
    expect(input.growth).toBe(0.15);
    expect(input.tiers).toEqual({});
    expect(input.refs.growth).toBe("Targets!B2");
  });

  it("reads only the first row with values, skipping empty rows above it", () => {
    const { input } = ok(
      parseWorkbook([
        sheet(
          "Targets",
          ["Period", "Target"],
          [
            [null, "  "],
            ["2027", 5],
          ],
        ),
      ]),
    );
    expect(input.tiers.target).toBe(5);
  });
});
