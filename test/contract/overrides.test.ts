import { levelChoices, parseWorkbook, PANE_SETTING_CODE } from "../../src/contract";
import type { PlanOverrides } from "../../src/hosts/addin";
import type { RawCell, RawTable } from "../../src/hosts/host";
import { formatProblem } from "../../src/i18n";
import { englishWorkbook, ok, problems, settings, sheet, table } from "./build";

/** Targets, History (Region, Team, Rep, Channel), Stages and a Settings sheet. */
function workbook(entries: [string, RawCell][] = [["Levels", "Region > Rep"], ["Unit", 100]]): RawTable[] {
  return [
    sheet("Targets", ["Period", "Target"], [["2027", 1_000_000]]),
    sheet(
      "History",
      ["Date", "Region", "Team", "Rep", "Channel", "Amount"],
      [
        ["2026-01", "East", "T1", "Li", "Referral", 120_000],
        ["2026-02", "East", "T2", "Wang", "Walk-in", 80_000],
        ["2026-03", "West", "T3", "Zhao", "Referral", 100_000],
      ],
    ),
    settings(entries),
  ];
}

const parse = (overrides: PlanOverrides, tables = workbook()) => parseWorkbook(tables, { overrides });
const lines = (tables: RawTable[], overrides: PlanOverrides, lang: "en" | "zh" = "en") =>
  problems(parse(overrides, tables)).map((p) => formatProblem(p, lang));

describe("task-pane overrides win over the Settings table", () => {
  it("changes nothing when no override is given", () => {
    expect(ok(parse({})).input).toEqual(ok(parseWorkbook(workbook())).input);
  });

  it("levels, by canonical name or alias, in the pane's order", () => {
    const wb = ok(parse({ levels: ["团队", "rep"] }));
    expect(wb.input.levels).toEqual(["Team", "Rep"]);
    expect(wb.input.levelLabels).toEqual(["Team", "Rep"]);
  });

  it("grain, unit and the tier ratios", () => {
    const wb = ok(parse({ grain: "Quarter", unit: 1000, floorRatio: 0.8, stretchRatio: 1.2 }));
    expect(wb.input.grain).toBe("Quarter");
    expect(wb.input.unit).toBe(1000);
    expect(wb.input.floorRatio).toBe(0.8);
    expect(wb.input.stretchRatio).toBe(1.2);
  });

  it("a Settings value the pane does not set still applies", () => {
    const wb = ok(parse({ grain: "Week" }, workbook([["Unit", 500], ["Grain", "Month"]])));
    expect(wb.input.unit).toBe(500);
    expect(wb.input.grain).toBe("Week");
  });

  it("one method for every level, over the Settings' per-level methods", () => {
    const tables = workbook([["Levels", "Region > Rep"], ["Method.Rep", "History"]]);
    const wb = ok(parse({ method: "Equal" }, tables));
    expect(wb.input.methods).toEqual({ Region: "Equal", Rep: "Equal" });
  });

  it("a method per level wins over the one for every level", () => {
    const wb = ok(parse({ method: "Equal", methods: { Rep: "History" } }));
    expect(wb.input.methods).toEqual({ Region: "Equal", Rep: "History" });
    expect(ok(parse({ methods: { 销售员: "Equal" } })).input.methods.Rep).toBe("Equal");
  });

  it("a Settings method for a column the pane leaves out of the levels no longer applies", () => {
    const tables = workbook([["Levels", "Region > Team > Rep"], ["Method.Team", "Weights"]]);
    const wb = ok(parse({ levels: ["Region", "Rep"] }, tables));
    expect(wb.input.levels).toEqual(["Region", "Rep"]);
    expect(wb.input.methods).toEqual({ Region: undefined, Rep: undefined });
  });

  it("plans with an override's cell in the refs, never a placeholder", () => {
    const wb = ok(parse({ unit: 1000, methods: { Rep: "Equal" } }));
    expect(wb.input.refs.unit).toBe("Settings!A3");
    // No Method.Rep row in Settings: the Settings table's first cell.
    expect(wb.input.refs.methods).toEqual({ Rep: "Settings!A1" });
    expect(JSON.stringify(wb.input.refs)).not.toMatch(/\u0000/);
  });
});

describe("an override is checked like the Settings value it replaces", () => {
  it.each<[PlanOverrides, string]>([
    [{ grain: "Fortnight" as never }, 'Settings!A1: set in the task pane: Grain "Fortnight" is not one of Year, Quarter, Month, Week, Day, Stage'],
    [{ unit: 0 }, 'Settings!A3: set in the task pane: Unit must be a number greater than zero ("0")'],
    [{ unit: Number.NaN }, 'Settings!A3: set in the task pane: Unit must be a number greater than zero ("NaN")'],
    [{ floorRatio: 1.5 }, "Settings!A1: set in the task pane: FloorRatio must be a number above 0 and at most 1, e.g. 0.8 or 80% (\"1.5\")"],
    [{ stretchRatio: 0.9 }, "Settings!A1: set in the task pane: StretchRatio must be a number of at least 1, e.g. 1.2 or 120% (\"0.9\")"],
    [{ method: "Random" as never }, 'Settings!A1: set in the task pane: Method "Random" is not one of History, Equal, Weights'],
    [{ methods: { Rep: "Random" as never } }, 'Settings!A1: set in the task pane: Method "Random" is not one of History, Equal, Weights'],
    [{ levels: [] }, 'Settings!A2: set in the task pane: Levels "" names no level; list dimension columns in order, e.g. Region > Team > Rep'],
  ])("%j", (overrides, line) => {
    expect(lines(workbook(), overrides)).toEqual([line]);
  });

  it("names the Settings key cell of the setting it overrides", () => {
    const tables = workbook([["Levels", "Region > Rep"], ["Unit", 100], ["Grain", "Month"], ["Method.Rep", "History"]]);
    const found = problems(parse({ grain: "Fortnight" as never, unit: -1, methods: { 销售员: "Nope" as never } }, tables));
    expect(found.map((p) => `${p.ref} ${p.code} ${p.args?.code}`)).toEqual([
      `Settings!A4 ${PANE_SETTING_CODE} badGrain`,
      `Settings!A5 ${PANE_SETTING_CODE} badMethod`,
      `Settings!A3 ${PANE_SETTING_CODE} badUnit`,
    ]);
  });

  it("a level History does not hold", () => {
    expect(lines(workbook(), { levels: ["Region", "Store"] })).toEqual([
      'Settings!A2: set in the task pane: "Store" is not a level here (it can be one of: Region, Team, Rep, Channel)',
    ]);
  });

  it("a level named twice", () => {
    expect(lines(workbook(), { levels: ["Region", "区域"] })).toEqual([
      "Settings!A2: set in the task pane: the level 区域 is named twice in Levels",
    ]);
  });

  it("a method for a level that is not in the plan", () => {
    expect(lines(workbook(), { methods: { Team: "Equal" } })).toEqual([
      'Settings!A1: set in the task pane: "Team" is not a level here (it can be one of: Region, Rep)',
    ]);
  });

  it("Grain Stage without a Stages table", () => {
    expect(lines(workbook(), { grain: "Stage" }, "zh")).toEqual(["Settings!A1: 任务窗格中的设置：时间粒度为阶段，但找不到阶段表或工作表"]);
  });

  it("weights for a level the Weights table does not cover", () => {
    const tables = [...workbook(), sheet("Weights", ["Dimension", "Member", "Weight"], [["Region", "East", 0.4], ["Region", "West", 0.6]])];
    expect(ok(parse({ methods: { Region: "Weights" } }, tables)).input.methods.Region).toBe("Weights");
    expect(lines(tables, { method: "Weights" })).toEqual([
      "Settings!A1: set in the task pane: the Rep level is set to be split by weights, but the Weights table has no Rep rows",
    ]);
  });

  it("a Settings problem stays a Settings problem", () => {
    const tables = workbook([["Levels", "Region > Rep"], ["Unit", "lots"]]);
    expect(lines(tables, { grain: "Month" })).toEqual(['Settings!B3: Unit must be a number greater than zero ("lots")']);
  });

  it("without a Settings table, points at where one would go, in the workbook's language", () => {
    const en = englishWorkbook().filter((t) => t.name !== "Settings");
    expect(problems(parse({ unit: -5 }, en)).map((p) => p.ref)).toEqual(["Settings!A1"]);
    const zh = [
      sheet("目标", ["期间", "力争"], [["2027", 1000]]),
      sheet("历史", ["日期", "区域", "销售额"], [["2026-01", "东区", 10]]),
    ];
    expect(lines(zh, { grain: "Day", unit: 0 }, "zh")).toEqual(['设置!A1: 任务窗格中的设置：取整单位须为大于零的数字 ("0")']);
  });

  it("a Settings table (ListObject) away from A1", () => {
    const tables = [
      ...workbook().filter((t) => t.name !== "Settings"),
      table("Settings", "Setup", ["Key", "Value"], [["Grain", "Month"], ["Unit", 10]], { top: 3, left: 2 }),
    ];
    expect(problems(parse({ unit: 0 }, tables)).map((p) => p.ref)).toEqual(["Setup!B5"]);
    expect(problems(parse({ floorRatio: 2 }, tables)).map((p) => p.ref)).toEqual(["Setup!B3"]);
  });

  it("accepts values from a saved setup that arrive as text", () => {
    const wb = ok(parse({ unit: "1,000" as never, grain: "month" as never, floorRatio: "80%" as never }));
    expect([wb.input.unit, wb.input.grain, wb.input.floorRatio]).toEqual([1000, "Month", 0.8]);
  });
});

describe("levelChoices", () => {
  it("History's text columns, in column order, with the names they are known by", () => {
    const tables = [
      sheet("Targets", ["Period", "Target"], [["2027", 1]]),
      sheet("History", ["日期", "门店", "区域", "销售员", "销售额", "Score"], [["2026-01", "S1", "东区", "李", 5, 3]]),
    ];
    expect(levelChoices(tables)).toEqual([
      { name: "门店", label: "门店" },
      { name: "Region", label: "区域" },
      { name: "Rep", label: "销售员" },
    ]);
  });

  it("follows the user's choice of table", () => {
    const tables = [...workbook(), sheet("Sales", ["Date", "Store", "Amount"], [["2026-01", "S1", 5]])];
    expect(levelChoices(tables, { history: "Sales" }).map((c) => c.label)).toEqual(["Store"]);
  });

  it("without History, the dimensions the Weights table names", () => {
    const tables = [sheet("Weights", ["Dimension", "Member", "Weight"], [["区域", "东区", 1], ["Rep", "Li", 1]])];
    expect(levelChoices(tables)).toEqual([
      { name: "Region", label: "区域" },
      { name: "Rep", label: "Rep" },
    ]);
  });
});
