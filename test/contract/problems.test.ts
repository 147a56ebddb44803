import { parseWorkbook } from "../../src/contract";
import type { RawTable } from "../../src/hosts/host";
import { formatProblem } from "../../src/i18n";
import { problems, refsAndCodes, settings, sheet, table } from "./build";

const targets = (headers = ["Period", "Target"], row: unknown[] = ["2027", 1_000_000]) => sheet("Targets", headers, [row as never]);
const history = (rows: unknown[][] = [["2026-01", "East", "Li", 100]]) =>
  sheet("History", ["Date", "Region", "Rep", "Amount"], rows as never);

describe("every bad input names its cell", () => {
  it("missing Targets", () => {
    const result = parseWorkbook([history()]);
    expect(problems(result)).toEqual([{ ref: "Targets!A1", code: "missingTable", args: { table: "Targets", tableZh: "目标" } }]);
    expect(formatProblem(problems(result)[0], "en")).toBe(
      "Targets!A1: no Targets table or sheet was found; add one named Targets (or 目标)",
    );
  });

  it("missing Targets in a Chinese workbook is named where it belongs", () => {
    const result = parseWorkbook([sheet("历史", ["日期", "销售员", "销售额"], [["2026-01", "李雷", 1]])]);
    expect(refsAndCodes(result)).toEqual(["目标!A1 missingTable"]);
    expect(formatProblem(problems(result)[0], "zh")).toBe("目标!A1: 找不到目标表或工作表；请添加名为「目标」（或 Targets）的表");
  });

  it("missing metric column in History", () => {
    const result = parseWorkbook([targets(), sheet("History", ["Date", "Rep", "Orders"], [["2026-01", "Li", 3]])]);
    expect(problems(result)).toEqual([
      { ref: "History!A1", code: "missingColumn", args: { table: "History", tableZh: "历史", column: "Amount", columnZh: "销售额" } },
    ]);
    expect(formatProblem(problems(result)[0], "zh")).toBe("History!A1: 历史表缺少「销售额」列");
  });

  it("missing Date column, named at the table's own first cell", () => {
    const result = parseWorkbook([targets(), table("History", "Sales data", ["Rep", "Amount"], [["Li", 3]], { top: 3, left: 2 })]);
    expect(refsAndCodes(result)).toEqual(["'Sales data'!B3 missingColumn"]);
    expect(problems(result)[0].args).toMatchObject({ column: "Date", columnZh: "日期" });
  });

  it("text in a number column", () => {
    const rows = [
      ["2026-01", "East", "Li", 1],
      ["2026-01", "East", "Wang", 2],
      ["2026-02", "East", "Li", 3],
      ["2026-02", "East", "Wang", 4],
      ["2026-03", "East", "Li", 5],
      ["2026-03", "East", "Wang", "n/a"],
    ];
    const result = parseWorkbook([targets(), history(rows)]);
    expect(problems(result)).toEqual([{ ref: "History!D7", code: "notANumber", args: { column: "Amount", value: "n/a" } }]);
    expect(formatProblem(problems(result)[0], "en")).toBe('History!D7: Amount is not a number ("n/a")');
  });

  it("text in a number column, in Chinese as the UX writes it", () => {
    const rows = [
      ["2026-01", "华东", "李雷", 1],
      ["2026-01", "华东", "韩梅梅", "n/a"],
    ];
    const result = parseWorkbook([
      sheet("目标", ["期间", "力争"], [["2027", 100]]),
      sheet("历史", ["日期", "区域", "销售员", "销售额"], rows),
    ]);
    expect(formatProblem(problems(result)[0], "zh")).toBe('历史!D3: 销售额不是数字 ("n/a")');
  });

  it("negative target", () => {
    const result = parseWorkbook([targets(["Period", "Target"], ["2027", "-5"])]);
    expect(problems(result)).toEqual([{ ref: "Targets!B2", code: "negativeNumber", args: { column: "Target", value: "-5" } }]);
  });

  it("empty target", () => {
    expect(refsAndCodes(parseWorkbook([targets(["Period", "Target"], ["2027", null])]))).toEqual(["Targets!B2 missingTarget"]);
  });

  it("no Target column and no Growth", () => {
    const result = parseWorkbook([targets(["Period", "Stretch"], ["2027", 5])]);
    expect(problems(result)).toEqual([
      { ref: "Targets!A1", code: "missingColumn", args: { table: "Targets", tableZh: "目标", column: "Target", columnZh: "力争" } },
    ]);
  });

  it("unknown level in Settings Levels", () => {
    const result = parseWorkbook([targets(), history(), settings([["Levels", "Region > Store"]])]);
    expect(problems(result)).toEqual([{ ref: "Settings!B2", code: "unknownLevel", args: { level: "Store", known: "Region, Rep" } }]);
  });

  it("unknown level in Weights Dimension", () => {
    const weights = sheet(
      "Weights",
      ["Dimension", "Member", "Weight"],
      [
        ["Rep", "Li", 1],
        ["Store", "S01", 2],
      ],
    );
    const result = parseWorkbook([targets(), history(), weights]);
    expect(problems(result)).toEqual([
      { ref: "Weights!A3", code: "unknownLevel", args: { column: "Dimension", level: "Store", known: "Rep" } },
    ]);
  });

  it("duplicate members in Weights", () => {
    const weights = sheet(
      "Weights",
      ["Dimension", "Member", "Weight"],
      [
        ["Rep", "Li", 1],
        ["Rep", "Wang", 1],
        ["销售员", "Li", 2],
      ],
    );
    const result = parseWorkbook([targets(), history(), weights]);
    expect(refsAndCodes(result)).toEqual(["Weights!B4 duplicateMember"]);
    expect(formatProblem(problems(result)[0], "en")).toBe('Weights!B4: Rep "Li" is already in Weights; give each member one row');
  });

  it("the same name under two parents is not a duplicate", () => {
    const weights = sheet(
      "Weights",
      ["Dimension", "Member", "Region", "Weight"],
      [
        ["Rep", "Li", "East", 1],
        ["Rep", "Li", "West", 1],
      ],
    );
    const result = parseWorkbook([targets(), history(), settings([["Levels", "Region > Rep"]]), weights]);
    expect(result.ok).toBe(true);
  });

  it.each(["next year", "2027-Q5", "27"])("a Period that does not parse: %s", (period) => {
    const result = parseWorkbook([targets(["Period", "Target"], [period, 1])]);
    expect(problems(result)).toEqual([{ ref: "Targets!A2", code: "badPeriod", args: { column: "Period", value: period } }]);
  });

  it.each<[string, unknown, string]>([
    ["Levels", " > ", "badLevels"],
    ["Grain", "Fortnight", "badGrain"],
    ["Method", "Random", "badMethod"],
    ["Method.Rep", "Guess", "badMethod"],
    ["Unit", 0, "badUnit"],
    ["Unit", "-100", "badUnit"],
    ["Unit", "lots", "badUnit"],
    ["HistoryYears", 1.5, "badHistoryYears"],
    ["HistoryYears", 0, "badHistoryYears"],
    ["FloorRatio", 1.1, "badFloorRatio"],
    ["FloorRatio", "0%", "badFloorRatio"],
    ["StretchRatio", "90%", "badStretchRatio"],
    ["Workdays", "Sundays", "badWorkdays"],
    ["Funnel", "Visits > Invitations", "badFunnel"],
    ["Funnel", "Orders", "badFunnel"],
    ["Funnel", "Visits > Visits > Orders", "badFunnel"],
    ["AsOf", "soon", "badAsOf"],
    ["RankBy", "Luck", "badRankBy"],
    ["Pace", "0.9", "badPace"],
    ["Pace", "0.8, 0.9", "badPace"],
    ["Pace", 0.9, "badPace"],
  ])("a bad %s (%j)", (key, value, code) => {
    const result = parseWorkbook([
      targets(),
      history(),
      settings([
        ["Owner", "x"],
        [key, value as never],
      ]),
    ]);
    expect(refsAndCodes(result)).toEqual([`Settings!B3 ${code}`]);
  });

  it("a Settings key given twice", () => {
    const result = parseWorkbook([
      targets(),
      history(),
      settings([
        ["Unit", 100],
        ["取整单位", 1000],
      ]),
    ]);
    expect(refsAndCodes(result)).toEqual(["Settings!A3 duplicateSetting"]);
  });

  it("Method for a level that is not one", () => {
    const result = parseWorkbook([targets(), history(), settings([["Method.Team", "Equal"]])]);
    expect(problems(result)).toEqual([{ ref: "Settings!A2", code: "unknownLevel", args: { level: "Team", known: "Rep" } }]);
  });

  it("a Metric that History does not have", () => {
    const result = parseWorkbook([targets(["Period", "Metric", "Target"], ["2027", "Profit", 1]), history()]);
    expect(problems(result)).toEqual([{ ref: "Targets!B2", code: "unknownMetric", args: { metric: "Profit", known: "Amount" } }]);
  });

  it("a Funnel stage that History does not have", () => {
    const result = parseWorkbook([targets(), history(), settings([["Funnel", "Visits > Orders"]])]);
    expect(problems(result).map((p) => [p.ref, p.code, p.args?.name])).toEqual([
      ["Settings!B2", "unknownMeasure", "Visits"],
      ["Settings!B2", "unknownMeasure", "Orders"],
    ]);
  });
});

describe("Targets problems", () => {
  it("Period and Start/End that disagree", () => {
    const result = parseWorkbook([targets(["Period", "Start", "End", "Target"], ["2027", "2027-01-01", "2027-06-30", 1])]);
    expect(problems(result)).toEqual([
      {
        ref: "Targets!A2",
        code: "periodDisagrees",
        args: {
          column: "Period",
          period: "2027",
          periodStart: "2027-01-01",
          periodEnd: "2027-12-31",
          start: "2027-01-01",
          end: "2027-06-30",
        },
      },
    ]);
  });

  it("End before Start", () => {
    expect(refsAndCodes(parseWorkbook([targets(["Start", "End", "Target"], ["2027-05-01", "2027-04-01", 1])]))).toEqual([
      "Targets!B2 endBeforeStart",
    ]);
  });

  it("a Start without an End", () => {
    expect(refsAndCodes(parseWorkbook([targets(["Start", "End", "Target"], ["2027-05-01", null, 1])]))).toEqual([
      "Targets!B2 missingValue",
    ]);
    expect(refsAndCodes(parseWorkbook([targets(["Start", "Target"], ["2027-05-01", 1])]))).toEqual(["Targets!A1 missingColumn"]);
  });

  it("no period at all", () => {
    expect(refsAndCodes(parseWorkbook([targets(["Period", "Target"], [null, 1])]))).toEqual(["Targets!A2 missingPeriod"]);
    expect(refsAndCodes(parseWorkbook([targets(["Target"], [1])]))).toEqual(["Targets!A1 missingPeriod"]);
  });

  it("tiers out of order", () => {
    const result = parseWorkbook([targets(["Period", "Floor", "Target", "Stretch"], ["2027", 100, 90, 120])]);
    expect(problems(result)).toEqual([{ ref: "Targets!C2", code: "tiersOutOfOrder", args: { floor: 100, target: 90, stretch: 120 } }]);
    const partial = parseWorkbook([targets(["Period", "Target", "Stretch"], ["2027", 100, 90])]);
    expect(problems(partial)[0].args).toEqual({ floor: "—", target: 100, stretch: 90 });
  });

  it("a second row with values", () => {
    const result = parseWorkbook([
      sheet(
        "Targets",
        ["Period", "Target"],
        [
          ["2027", 1],
          [null, null],
          [null, "oops"],
        ],
      ),
    ]);
    expect(refsAndCodes(result)).toEqual(["Targets!A4 extraTargetRow"]);
  });

  it("no row at all", () => {
    expect(refsAndCodes(parseWorkbook([sheet("Targets", ["Period", "Target"], [])]))).toEqual(["Targets!A2 emptyTargets"]);
  });

  it("a Growth of -100% or less", () => {
    const result = parseWorkbook([targets(["Period", "Growth"], ["2027", "-100%"]), history()]);
    expect(refsAndCodes(result)).toEqual(["Targets!B2 badGrowth"]);
  });

  it("a repeated column", () => {
    const result = parseWorkbook([targets(["Period", "Target", "力争目标"], ["2027", 1, 2])]);
    expect(problems(result)).toEqual([{ ref: "Targets!C1", code: "duplicateColumn", args: { column: "力争目标", first: "Target" } }]);
  });
});

describe("History without the tables it needs", () => {
  it("Levels without History or Weights", () => {
    expect(refsAndCodes(parseWorkbook([targets(), settings([["Levels", "Region > Rep"]])]))).toEqual(["History!A1 missingTable"]);
  });

  it("Growth, Method History and Funnel without History", () => {
    const result = parseWorkbook([
      targets(["Period", "Growth"], ["2027", "10%"]),
      sheet("Weights", ["Dimension", "Member", "Weight"], [["Rep", "Li", 1]]),
      settings([
        ["Levels", "Rep"],
        ["Method", "History"],
        ["Funnel", "Visits > Orders"],
      ]),
    ]);
    expect(refsAndCodes(result)).toEqual(["Settings!B3 historyRequired", "Targets!B2 historyRequired", "Settings!B4 historyRequired"]);
  });

  it("Grain Stage without Stages", () => {
    expect(refsAndCodes(parseWorkbook([targets(), settings([["Grain", "Stage"]])]))).toEqual(["Settings!B2 stagesRequired"]);
  });
});

describe("all problems in one pass", () => {
  it("collects every problem of every table, in reading order", () => {
    const tables: RawTable[] = [
      sheet("Targets", ["Period", "Floor", "Target"], [["someday", "lots", -1]]),
      settings([
        ["Levels", "Region > Shop"],
        ["Grain", "Hourly"],
        ["Unit", 0],
        ["Pace", "fast"],
      ]),
      sheet(
        "History",
        ["Date", "Region", "Rep", "Amount", "Orders"],
        [
          ["2026-01", "East", "Li", 100, 1],
          ["2026-13", "East", "Li", "1,2", 1],
          [null, null, null, null, null],
          ["2026-02", null, "Wang", 5, "x"],
          [null, "East", "Li", 5, 1],
        ],
      ),
      sheet(
        "Weights",
        ["Dimension", "Member", "Weight", "Lock"],
        [
          ["Region", "East", "-1"],
          ["Planet", "Mars", 1],
          ["Region", "East", 1],
          ["Region", "West", null, null],
          ["Region", null, 1],
        ],
      ),
      sheet(
        "Stages",
        ["Stage", "Start", "End"],
        [
          ["A", "2027-01-01", "2027-01-10"],
          ["B", "2027-01-05", "2027-01-20"],
          ["A", "2027-02-01", "2027-02-02"],
          ["C", "2027-03-05", "2027-03-01"],
          ["D", "June", "2027-07-01"],
        ],
      ),
      sheet("Actuals", ["Date", "Region", "Amount"], [["2027-01-03", "East", "?"]]),
      sheet("Holidays", ["Date"], [["2027-05-01"], ["Labour day"]]),
    ];
    expect(refsAndCodes(parseWorkbook(tables))).toEqual([
      "Targets!A2 badPeriod",
      "Targets!B2 notANumber",
      "Targets!C2 negativeNumber",
      "Settings!B3 badGrain",
      "Settings!B4 badUnit",
      "Settings!B5 badPace",
      "Settings!B2 unknownLevel",
      "History!A3 notADate",
      "History!D3 notANumber",
      "History!B5 missingValue",
      "History!E5 notANumber",
      "History!A6 missingValue",
      "Weights!C2 negativeNumber",
      "Weights!A3 unknownLevel",
      "Weights!B4 duplicateMember",
      "Weights!C5 weightOrLockRequired",
      "Weights!B6 missingValue",
      "Stages!A4 duplicateStage",
      "Stages!C5 endBeforeStart",
      "Stages!B6 notADate",
      "Stages!B3 stagesOverlap",
      "Actuals!C2 notANumber",
      "Holidays!A3 notADate",
    ]);
  });
});
