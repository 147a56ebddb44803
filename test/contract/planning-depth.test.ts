/**
 * The workbook inputs of docs/planning-depth.md: Seasonality, members' Start / End / Ramp (Weights
 * columns and the Members table), the Holds table and Uplift.<Level>. Every bad input names its cell.
 */
import fc from "fast-check";
import { parseWorkbook } from "../../src/contract";
import { parseRamp } from "../../src/contract/members";
import { periodLabelOf, planPeriods } from "../../src/contract/holds";
import type { RawCell, RawTable } from "../../src/hosts/host";
import { formatProblem } from "../../src/i18n";
import { day, ok, problems, refsAndCodes, settings, sheet } from "./build";

const targets = sheet("Targets", ["Period", "Floor", "Target", "Stretch"], [["2027", 900, 1_000, 1_200]]);
const history = sheet(
  "History",
  ["Date", "Region", "Team", "Rep", "Amount"],
  [
    ["2026-01", "East", "E1", "Li", 10],
    ["2026-02", "East", "E1", "Wang", 20],
    ["2026-03", "East", "E2", "Zhao", 30],
    ["2026-04", "West", "W1", "Qian", 40],
  ],
);
const levels = (extra: [string, RawCell][] = []): RawTable => settings([["Levels", "Region > Team > Rep"], ...extra]);
const parse = (...tables: RawTable[]) => parseWorkbook([targets, history, ...tables]);

describe("Seasonality / 季节性", () => {
  it.each<[RawCell, "Shared" | "Own"]>([
    ["Shared", "Shared"],
    ["统一", "Shared"],
    ["own", "Own"],
    ["各自", "Own"],
    [" OWN ", "Own"],
  ])("%j", (value, expected) => {
    const { input } = ok(parse(levels([["Seasonality", value]])));
    expect(input.seasonality).toBe(expected);
    expect(input.refs.seasonality).toBe("Settings!B3");
  });

  it("the Chinese key", () => {
    expect(ok(parse(levels([["季节性", "各自"]]))).input.seasonality).toBe("Own");
  });

  it("absent: left unset (Shared), and the input is as before", () => {
    const { input } = ok(parse(levels()));
    expect(input.seasonality).toBeUndefined();
    expect(input.uplift).toBeUndefined();
    expect(input.holds).toBeUndefined();
    expect(input.refs).not.toHaveProperty("seasonality");
  });

  it("a bad value names its cell", () => {
    expect(refsAndCodes(parse(levels([["Seasonality", "Monthly"]])))).toEqual(["Settings!B3 badSeasonality"]);
  });
});

describe("Uplift / 超额分配", () => {
  it.each<[string, RawCell, string, number]>([
    ["Uplift.Rep", "10%", "Rep", 0.1],
    ["超额分配.销售员", "15%", "Rep", 0.15],
    ["Uplift.Team", 0.2, "Team", 0.2],
    ["uplift: region", "0%", "Region", 0],
    ["Uplift", "10%", "Rep", 0.1],
    ["超额分配．团队", "100%", "Team", 1],
  ])("%s = %j", (key, value, level, fraction) => {
    const { input } = ok(parse(levels([[key, value]])));
    expect(input.uplift).toEqual({ [level]: fraction });
    expect(input.refs.uplift).toEqual({ [level]: "Settings!B3" });
  });

  it("several levels", () => {
    const { input } = ok(parse(levels([["Uplift.Team", "5%"], ["Uplift.Rep", "10%"]])));
    expect(input.uplift).toEqual({ Team: 0.05, Rep: 0.1 });
  });

  it.each<[RawCell]>([["-5%"], ["110%"], ["10"], ["a lot"], [1.5]])("a bad value %j names its cell", (value) => {
    expect(refsAndCodes(parse(levels([["Uplift.Rep", value]])))).toEqual(["Settings!B3 badUplift"]);
  });

  it("a level that is not a level of the plan names the key cell", () => {
    const result = parse(levels([["Uplift.Store", "10%"]]));
    expect(refsAndCodes(result)).toEqual(["Settings!A3 unknownUpliftLevel"]);
    expect(formatProblem(problems(result)[0], "en")).toContain("Store is not a level of the plan");
  });

  it("the same level twice (bare Uplift and Uplift.Rep) names the second key", () => {
    expect(refsAndCodes(parse(levels([["Uplift", "10%"], ["Uplift.Rep", "12%"]])))).toEqual(["Settings!A4 duplicateUplift"]);
    expect(refsAndCodes(parse(levels([["Uplift.Rep", "10%"], ["超额分配.销售员", "12%"]])))).toEqual(["Settings!A4 duplicateSetting"]);
  });
});

describe("Ramp / 爬坡", () => {
  it.each<[RawCell, number[]]>([
    ["25%, 50%, 75%", [0.25, 0.5, 0.75]],
    ["25%、50%、75%", [0.25, 0.5, 0.75]],
    ["0.25,0.5,0.75", [0.25, 0.5, 0.75]],
    ["２５％，５０％", [0.25, 0.5]],
    ["25% 50%", [0.25, 0.5]],
    [0.5, [0.5]],
    ["100%", [1]],
    ["0%; 50%", [0, 0.5]],
  ])("%j", (cell, ramp) => {
    expect(parseRamp(cell)).toEqual({ ok: true, ramp });
  });

  it.each<[RawCell, string]>([
    ["120%", "rampAboveFull"],
    ["25%, 150%", "rampAboveFull"],
    [2, "rampAboveFull"],
    ["-10%", "rampBelowZero"],
    ["25%, soon", "badRamp"],
  ])("%j is refused", (cell, code) => {
    expect(parseRamp(cell)).toMatchObject({ ok: false, code });
  });

  it("property: any list of per cents from 0 to 100 reads back as its fractions, in either separator", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 12 }), fc.constantFrom(", ", "、", ",", " "), (steps, sep) => {
        const read = parseRamp(steps.map((s) => `${s}%`).join(sep));
        expect(read).toEqual({ ok: true, ramp: steps.map((s) => s / 100) });
      }),
    );
  });

  it("property: a step above 100% is always refused", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 4 }), fc.integer({ min: 101, max: 10_000 }), (steps, over) => {
        expect(parseRamp([...steps, over].map((s) => `${s}%`).join(", "))).toMatchObject({ ok: false, code: "rampAboveFull" });
      }),
    );
  });
});

describe("Weights: Start / End / Ramp", () => {
  const weights = (rows: RawCell[][], headers: RawCell[] = ["Dimension", "Region", "Team", "Member", "Weight", "Start", "End", "Ramp"]) => sheet("Weights", headers, rows);

  it("a row may give dates alone, and they reach the Weights row", () => {
    const { input } = ok(parse(levels(), weights([["Rep", "East", "E1", "Sun", null, "2027-04-01", null, "25%, 50%, 75%"]])));
    expect(input.weights).toEqual([
      {
        level: "Rep",
        member: "Sun",
        parents: { Region: "East", Team: "E1" },
        start: day("2027-04-01"),
        ramp: [0.25, 0.5, 0.75],
        refs: { member: "Weights!D2", start: "Weights!F2", ramp: "Weights!H2" },
      },
    ]);
  });

  it("the Chinese headers; a month as End is its last day", () => {
    const { input } = ok(parse(levels(), weights([["销售员", "Li", "2027-09"]], ["维度", "成员", "离职"])));
    expect(input.weights[0]).toMatchObject({ member: "Li", end: day("2027-09-30"), refs: { end: "Weights!C2" } });
  });

  it("a Weight with dates keeps both", () => {
    const { input } = ok(parse(levels(), weights([["Rep", "East", "E1", "Li", 2, "2026-03-01", "2027-09-30", null]])));
    expect(input.weights[0]).toMatchObject({ weight: 2, start: day("2026-03-01"), end: day("2027-09-30") });
  });

  it.each<[RawCell[], string[]]>([
    [["Rep", "East", "E1", "Li", null, "2027-06-01", "2027-05-31", null], ["Weights!G2 memberEndBeforeStart"]],
    [["Rep", "East", "E1", "Li", null, "2028-01-01", null, null], ["Weights!F2 startAfterPlan"]],
    [["Rep", "East", "E1", "Li", null, null, "2026-12-31", null], ["Weights!G2 endBeforePlan"]],
    [["Rep", "East", "E1", "Li", null, "soon", null, null], ["Weights!F2 notADate"]],
    [["Rep", "East", "E1", "Li", null, null, null, "25%, 120%"], ["Weights!H2 rampAboveFull"]],
    [["Rep", "East", "E1", "Li", null, null, null, "-25%"], ["Weights!H2 rampBelowZero"]],
    [["Rep", "East", "E1", "Li", null, null, null, "half"], ["Weights!H2 badRamp"]],
  ])("%j is a problem at its cell", (row, expected) => {
    expect(refsAndCodes(parse(levels(), weights([row])))).toEqual(expected);
  });

  it("End before Start names both cells", () => {
    const result = parse(levels(), weights([["Rep", "East", "E1", "Li", null, "2027-06-01", "2027-05-31", null]]));
    expect(formatProblem(problems(result)[0], "en")).toContain("Weights!F2");
    expect(formatProblem(problems(result)[0], "zh")).toContain("离职日期 2027-05-31 早于入职日期 2027-06-01");
  });

  it("a Start before the plan is fine: the ramp counts from it", () => {
    const { input } = ok(parse(levels(), weights([["Rep", "East", "E1", "Li", null, "2026-11-01", null, "50%, 75%"]])));
    expect(input.weights[0].start).toBe(day("2026-11-01"));
  });

  it("a row with none of Weight, Lock, Start, End, Ramp is still a problem", () => {
    expect(refsAndCodes(parse(levels(), weights([["Rep", "East", "E1", "Li", null, null, null, null]])))).toEqual(["Weights!E2 weightOrLockRequired"]);
  });
});

describe("Members / 人员", () => {
  const members = (rows: RawCell[][], headers: RawCell[] = ["Region", "Team", "Rep", "Start", "End", "Ramp", "Weight"], name = "Members") => sheet(name, headers, rows);

  it("new hires and a leaver, merged into the Weights rows", () => {
    const { input } = ok(
      parse(
        levels(),
        members([
          ["East", "E1", "Sun", "2027-04-01", null, "25%, 50%, 75%", 3],
          ["East", "E2", "Zhou", "2027-04-15", null, null, null],
          ["West", "W1", "Qian", null, "2027-09-30", null, null],
        ]),
      ),
    );
    expect(input.weights).toEqual([
      { level: "Rep", member: "Sun", parents: { Region: "East", Team: "E1" }, weight: 3, start: day("2027-04-01"), ramp: [0.25, 0.5, 0.75], refs: { member: "Members!C2", weight: "Members!G2", start: "Members!D2", ramp: "Members!F2" } },
      { level: "Rep", member: "Zhou", parents: { Region: "East", Team: "E2" }, start: day("2027-04-15"), refs: { member: "Members!C3", start: "Members!D3" } },
      { level: "Rep", member: "Qian", parents: { Region: "West", Team: "W1" }, end: day("2027-09-30"), refs: { member: "Members!C4", end: "Members!E4" } },
    ]);
  });

  it("in Chinese: 人员 with 销售员 / 入职 / 离职 / 爬坡", () => {
    const { input } = ok(parse(levels(), members([["Li", "2027-03", "25%、50%"]], ["销售员", "入职", "爬坡"], "人员")));
    expect(input.weights).toEqual([{ level: "Rep", member: "Li", start: day("2027-03-01"), ramp: [0.25, 0.5], refs: { member: "人员!A2", start: "人员!B2", ramp: "人员!C2" } }]);
  });

  it("a team that joins: the most specific level filled is the member", () => {
    const { input } = ok(parse(levels(), members([["East", "E3", null, "2027-07-01"]], ["Region", "Team", "Rep", "Start"])));
    expect(input.weights).toEqual([{ level: "Team", member: "E3", parents: { Region: "East" }, start: day("2027-07-01"), refs: { member: "Members!B2", start: "Members!D2" } }]);
  });

  it("a member in Weights and Members takes the fields of both", () => {
    const { input } = ok(
      parse(
        levels(),
        sheet("Weights", ["Dimension", "Member", "Weight"], [["Rep", "Li", 2]]),
        members([["East", "E1", "Li", "2027-02-01"]], ["Region", "Team", "Rep", "Start"]),
      ),
    );
    expect(input.weights).toEqual([{ level: "Rep", member: "Li", parents: { Region: "East", Team: "E1" }, weight: 2, start: day("2027-02-01"), refs: { member: "Weights!B2", weight: "Weights!C2", start: "Members!D2" } }]);
  });

  it("different values in both name both cells", () => {
    const result = parse(
      levels(),
      sheet("Weights", ["Dimension", "Member", "Weight", "Start"], [["Rep", "Li", 2, "2027-02-01"]]),
      members([["Li", "2027-03-01", 2]], ["Rep", "Start", "Weight"]),
    );
    expect(refsAndCodes(result)).toEqual(["Members!B2 memberConflict"]);
    const text = formatProblem(problems(result)[0], "en");
    expect(text).toContain("Members!B2");
    expect(text).toContain("Weights!D2");
    expect(formatProblem(problems(result)[0], "zh")).toContain("入职");
  });

  it.each<[RawCell[], string[]]>([
    [["East", "E1", "Li", "2027-06-01", "2027-05-01", null, null], ["Members!E2 memberEndBeforeStart"]],
    [["East", "E1", "Li", "2028-02-01", null, null, null], ["Members!D2 startAfterPlan"]],
    [["East", "E1", "Li", null, "2026-06-30", null, null], ["Members!E2 endBeforePlan"]],
    [["East", "E1", "Li", null, null, "130%", null], ["Members!F2 rampAboveFull"]],
    [["East", "E1", "Li", "2027-02-01", null, null, -1], ["Members!G2 negativeNumber"]],
    [[null, null, null, "2027-02-01", null, null, null], ["Members!C2 missingValue"]],
  ])("%j is a problem at its cell", (row, expected) => {
    expect(refsAndCodes(parse(levels(), members([row])))).toEqual(expected);
  });

  it("a member listed twice names the first row", () => {
    const result = parse(levels(), members([["East", "E1", "Li", "2027-02-01"], ["East", "E1", "Li", "2027-03-01"]], ["Region", "Team", "Rep", "Start"]));
    expect(refsAndCodes(result)).toEqual(["Members!C3 duplicateMemberRow"]);
  });

  it("a dimension column that is not a level names its header", () => {
    const result = parse(settings([["Levels", "Region > Rep"]]), members([["E1", "Li", "2027-02-01"]], ["Team", "Rep", "Start"]));
    expect(refsAndCodes(result)).toEqual(["Members!A1 columnNotALevel"]);
  });

  it("without a level column, or without Start / End / Ramp, names the table", () => {
    expect(refsAndCodes(parse(levels(), members([["Li", "2027-02-01"]], ["Person", "Start"])))).toEqual(["Members!A1 missingColumn"]);
    expect(refsAndCodes(parse(levels(), members([["Li", 2]], ["Rep", "Weight"])))).toEqual(["Members!A1 missingColumn"]);
  });
});

describe("Holds / 锁定值", () => {
  const holds = (rows: RawCell[][], headers: RawCell[] = ["Region", "Team", "Rep", "Period", "Tier", "Amount"], name = "Holds") => sheet(name, headers, rows);

  it("a leaf cell, a node in a period, a node's total, the plan in a period", () => {
    const { input } = ok(
      parse(
        levels([["Unit", 1]]),
        holds([
          ["East", "E1", "Li", "2027-06", null, 50],
          ["East", null, null, "2027-12", "冲刺", 300],
          ["West", null, null, null, "Floor", 200],
          [null, null, null, "2027-03", null, 90],
        ]),
      ),
    );
    expect(input.holds).toEqual([
      { path: { Region: "East", Team: "E1", Rep: "Li" }, period: "2027-06", tier: "target", amount: 50, ref: "Holds!A2", refs: { amount: "Holds!F2", period: "Holds!D2", member: "Holds!C2" } },
      { path: { Region: "East" }, period: "2027-12", tier: "stretch", amount: 300, ref: "Holds!A3", refs: { amount: "Holds!F3", period: "Holds!D3", tier: "Holds!E3", member: "Holds!A3" } },
      { path: { Region: "West" }, tier: "floor", amount: 200, ref: "Holds!A4", refs: { amount: "Holds!F4", tier: "Holds!E4", member: "Holds!A4" } },
      { path: {}, period: "2027-03", tier: "target", amount: 90, ref: "Holds!A5", refs: { amount: "Holds!F5", period: "Holds!D5" } },
    ]);
    expect(input.refs.holds).toBe("Holds!A1");
  });

  it("a quarter at Quarter grain, written as the plan labels it or otherwise", () => {
    const { input } = ok(
      parse(
        levels([["Grain", "Quarter"]]),
        holds(
          [
            ["East", "2027-Q4", 300],
            ["West", "Q1 2027", 100],
            ["East", "2027年第2季度", 100],
          ],
          ["Region", "Period", "Amount"],
        ),
      ),
    );
    expect(input.holds!.map((h) => h.period)).toEqual(["2027-Q4", "2027-Q1", "2027-Q2"]);
  });

  it("a month that Excel turned into a date (the 1st of the month) is that month", () => {
    const serial = day("2027-06-01") + 25569;
    const { input } = ok(parse(levels(), holds([["East", "E1", "Li", serial, 50]], ["Region", "Team", "Rep", "Period", "Amount"])));
    expect(input.holds![0]).toMatchObject({ path: { Region: "East", Team: "E1", Rep: "Li" }, period: "2027-06" });
  });

  it("in Chinese: 锁定值 with 区域 / 期间 / 档位 / 金额", () => {
    const { input } = ok(parse(levels(), holds([["East", "2027-10", "力争", "1.5万"]], ["区域", "期间", "档位", "金额"], "锁定值")));
    expect(input.holds).toEqual([{ path: { Region: "East" }, period: "2027-10", tier: "target", amount: 15_000, ref: "锁定值!A2", refs: { amount: "锁定值!D2", period: "锁定值!B2", tier: "锁定值!C2", member: "锁定值!A2" } }]);
  });

  it.each<[RawCell[], string[]]>([
    [["East", null, "Li", "2027-06", null, 50], ["Holds!B2 holdPathGap"]],
    [["East", "E1", "Li", "2027-13", null, 50], ["Holds!D2 unknownHoldPeriod"]],
    [["East", "E1", "Li", "2026-06", null, 50], ["Holds!D2 unknownHoldPeriod"]],
    [["East", "E1", "Li", "2027-06", "Best", 50], ["Holds!E2 unknownTier"]],
    [["East", "E1", "Li", "2027-06", null, null], ["Holds!F2 missingValue"]],
    [["East", "E1", "Li", "2027-06", null, -50], ["Holds!F2 negativeNumber"]],
    [["East", "E1", "Li", "2027-06", null, "lots"], ["Holds!F2 notANumber"]],
    [["East", "E1", "Nobody", "2027-06", null, 50], ["Holds!C2 unknownHoldMember"]],
    [["North", null, null, null, null, 50], ["Holds!A2 unknownHoldMember"]],
    [["West", "E1", null, null, null, 50], ["Holds!B2 unknownHoldMember"]],
  ])("%j is a problem at its cell", (row, expected) => {
    expect(refsAndCodes(parse(levels(), holds([row])))).toEqual(expected);
  });

  it("a level column missing before a filled one is a problem at the table", () => {
    expect(refsAndCodes(parse(levels(), holds([["East", "Li", 50]], ["Region", "Rep", "Amount"])))).toEqual(["Holds!A1 holdPathGap"]);
  });

  it("a new member placed by Members can be held", () => {
    const result = parse(
      levels(),
      sheet("Members", ["Region", "Team", "Rep", "Start"], [["East", "E1", "Sun", "2027-04-01"]]),
      holds([["East", "E1", "Sun", "2027-06", null, 10]]),
    );
    expect(ok(result).input.holds).toHaveLength(1);
  });

  it("the same node, period and tier twice names both", () => {
    const result = parse(levels(), holds([["East", null, null, "2027-06", null, 50], ["East", null, null, "2027-06", "Target", 60]]));
    expect(refsAndCodes(result)).toEqual(["Holds!F3 duplicateHold"]);
    expect(formatProblem(problems(result)[0], "en")).toContain("Holds!F2");
  });

  it("a dimension that is not a level names its header; an Amount column is required", () => {
    expect(refsAndCodes(parse(settings([["Levels", "Region > Rep"]]), holds([["E1", 50]], ["Team", "Amount"])))).toEqual(["Holds!A1 columnNotALevel"]);
    expect(refsAndCodes(parse(levels(), holds([["East", 50]], ["Region", "Value"])))).toEqual(["Holds!A1 missingColumn"]);
  });

  it("every message has both languages and names its cell", () => {
    const result = parse(levels(), holds([["East", null, "Li", "2027-13", "Best", -5]]));
    for (const p of problems(result)) {
      expect(formatProblem(p, "en")).toMatch(/^Holds!/);
      expect(formatProblem(p, "zh")).toMatch(/^Holds!/);
    }
  });
});

describe("the plan's period labels", () => {
  const plan = { start: day("2027-01-01"), end: day("2027-12-31"), stages: [], workdays: "All" as const, holidays: [] };

  it("property: every label of the plan, written as it is, names itself at any calendar grain", () => {
    fc.assert(
      fc.property(fc.constantFrom("Year", "Quarter", "Month", "Week", "Day" as const), (grain) => {
        const periods = planPeriods({ ...plan, grain: grain as "Month" });
        for (const p of periods.filter((_, i) => i % 7 === 0)) expect(periodLabelOf(p.label, periods)).toBe(p.label);
        expect(periodLabelOf("2028-01-01", periods)).toBeUndefined();
      }),
      { numRuns: 10 },
    );
  });

  it("a month's date at Month grain; a date inside a month is not a month", () => {
    const periods = planPeriods({ ...plan, grain: "Month" });
    expect(periodLabelOf("2027-06-01", periods)).toBe("2027-06");
    expect(periodLabelOf("2027-06-15", periods)).toBeUndefined();
    expect(periodLabelOf("2027年6月", periods)).toBe("2027-06");
  });
});
