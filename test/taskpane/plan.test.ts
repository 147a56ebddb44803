import { parseWorkbook } from "../../src/contract";
import type { LevelChoice } from "../../src/contract/overrides";
import type { PlanOverrides } from "../../src/hosts/addin";
import {
  addLevel,
  baselineOf,
  moveLevel,
  parseTyped,
  planView,
  readTyped,
  removeLevel,
  setGrain,
  setLevelMethod,
  setNumber,
  typedText,
  type PlanBaseline,
} from "../../src/taskpane/model/plan";
import { ok, settings, sheet } from "../contract/build";

const choices: LevelChoice[] = [
  { name: "Region", label: "区域" },
  { name: "Team", label: "团队" },
  { name: "Rep", label: "销售员" },
  { name: "Channel", label: "渠道" },
];

const workbook: PlanBaseline = {
  levels: [
    { name: "Region", label: "区域" },
    { name: "Rep", label: "销售员" },
  ],
  methods: { Region: "Weights", Rep: undefined },
  grain: "Month",
  unit: 100,
  stretchRatio: 1.2,
  tiers: { target: 1_000_000, floor: 900_000 },
  growth: false,
};

describe("what the Plan form shows", () => {
  it("the workbook's settings when the pane sets nothing", () => {
    const view = planView({}, workbook, choices);
    expect(view.known).toBe(true);
    expect(view.levels.map((l) => `${l.label}:${l.method ?? "-"}:${l.workbookMethod ?? "-"}`)).toEqual([
      "区域:-:Weights",
      "销售员:-:-",
    ]);
    expect(view.addable.map((c) => c.label)).toEqual(["团队", "渠道"]);
    expect([view.grain, view.unit, view.floorRatio, view.stretchRatio]).toEqual(["Month", 100, undefined, 1.2]);
    expect(view.tiers).toEqual({
      floor: { kind: "given", amount: 900_000 },
      target: { kind: "given", amount: 1_000_000 },
      stretch: { kind: "ratio", ratio: 1.2 },
    });
  });

  it("the pane's overrides over them", () => {
    const view = planView(
      { levels: ["Rep", "Region"], grain: "Week", unit: 1000, method: "Equal", methods: { 区域: "History" } },
      workbook,
      choices,
    );
    expect(view.levels.map((l) => `${l.name}/${l.label}:${l.method}`)).toEqual(["Rep/销售员:Equal", "Region/区域:History"]);
    expect([view.grain, view.unit]).toEqual(["Week", 1000]);
  });

  it("what an automatic method came to, for the levels the pane leaves alone", () => {
    const view = planView({ methods: { Rep: "Equal" } }, workbook, choices, { Region: "Weights", Rep: "Equal" });
    expect(view.levels.map((l) => `${l.name}:${l.method ?? "-"}:${l.usedMethod ?? "-"}`)).toEqual([
      "Region:-:Weights",
      "Rep:Equal:-",
    ]);
  });

  it("defaults before the workbook has been read", () => {
    const view = planView({}, undefined, []);
    expect(view.known).toBe(false);
    expect(view.levels).toEqual([]);
    expect([view.grain, view.unit]).toEqual(["Month", 1]);
    expect(view.tiers.target).toEqual({ kind: "ratio" });
  });

  it("a Target from Growth", () => {
    expect(planView({}, { ...workbook, tiers: {}, growth: true }, choices).tiers.target).toEqual({ kind: "growth" });
  });
});

describe("editing the plan in the pane", () => {
  const view = planView({}, workbook, choices);

  it("moves a level up or down, keeping it in range", () => {
    expect(moveLevel({}, view, 1, -1).levels).toEqual(["销售员", "区域"]);
    expect(moveLevel({}, view, 0, 1).levels).toEqual(["销售员", "区域"]);
    expect(moveLevel({}, view, 0, -1)).toEqual({});
    expect(moveLevel({}, view, 1, 1)).toEqual({});
  });

  it("adds and removes levels, and drops the methods of removed ones", () => {
    const added = addLevel({}, view, choices[1]);
    expect(added.levels).toEqual(["区域", "销售员", "团队"]);
    expect(addLevel(added, planView(added, workbook, choices), choices[1])).toBe(added);
    const withMethod = setLevelMethod(added, planView(added, workbook, choices), 2, "Equal");
    expect(withMethod.methods).toEqual({ Team: "Equal" });
    const removed = removeLevel(withMethod, planView(withMethod, workbook, choices), 2);
    expect(removed).toEqual({ levels: ["区域", "销售员"] });
  });

  it("sets a method per level, and clearing one keeps the others", () => {
    const all: PlanOverrides = { method: "Equal" };
    const cleared = setLevelMethod(all, planView(all, workbook, choices), 0, undefined);
    expect(cleared).toEqual({ methods: { Rep: "Equal" } });
    expect(setLevelMethod({}, view, 1, "Weights")).toEqual({ methods: { Rep: "Weights" } });
  });

  it("sets grain and numbers; clearing a number gives the workbook's back", () => {
    expect(setGrain({}, "Quarter")).toEqual({ grain: "Quarter" });
    const unit = setNumber({ grain: "Day" }, "unit", 500);
    expect(unit).toEqual({ grain: "Day", unit: 500 });
    expect(setNumber(unit, "unit", undefined)).toEqual({ grain: "Day" });
  });

  it("what it sets, the contract applies", () => {
    const tables = [
      sheet("Targets", ["Period", "Target"], [["2027", 1_000_000]]),
      sheet(
        "History",
        ["Date", "区域", "团队", "销售员", "Amount"],
        [
          ["2026-01", "东", "T1", "李", 10],
          ["2026-02", "西", "T2", "王", 20],
        ],
      ),
      settings([["Levels", "区域 > 销售员"]]),
    ];
    const base = baselineOf(ok(parseWorkbook(tables)).input);
    const start = planView({}, base, choices);
    let overrides = moveLevel({}, start, 1, -1);
    overrides = setLevelMethod(overrides, planView(overrides, base, choices), 1, "Equal");
    overrides = setNumber(setGrain(overrides, "Quarter"), "unit", 1000);
    const input = ok(parseWorkbook(tables, { overrides })).input;
    expect(input.levels).toEqual(["Rep", "Region"]);
    expect(input.methods).toEqual({ Rep: undefined, Region: "Equal" });
    expect([input.grain, input.unit]).toEqual(["Quarter", 1000]);
  });
});

describe("numbers typed in the pane", () => {
  it.each<[string, number | null]>([
    ["100", 100],
    [" 1,000 ", 1000],
    ["１２０％", 1.2],
    ["80%", 0.8],
    [".5", 0.5],
    ["", null],
    ["  ", null],
  ])("%j → %j", (text, value) => {
    expect(parseTyped(text)).toBe(value);
  });

  it("anything else is not a number", () => {
    expect(parseTyped("abc")).toBeNaN();
    expect(parseTyped("1.2.3")).toBeNaN();
  });

  it("valid for the setting, or not yet", () => {
    expect(readTyped("unit", "100")).toEqual({ kind: "set", value: 100 });
    expect(readTyped("unit", "0")).toEqual({ kind: "invalid" });
    expect(readTyped("floorRatio", "80%")).toEqual({ kind: "set", value: 0.8 });
    expect(readTyped("floorRatio", "1.5")).toEqual({ kind: "invalid" });
    expect(readTyped("stretchRatio", "0.9")).toEqual({ kind: "invalid" });
    expect(readTyped("stretchRatio", "")).toEqual({ kind: "clear" });
  });

  it("shown without float noise", () => {
    expect(typedText(0.1 + 0.7)).toBe("0.8");
    expect(typedText(undefined)).toBe("");
    expect(typedText(100000)).toBe("100000");
  });
});
