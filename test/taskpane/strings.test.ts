import { PANE_STRINGS, paneText, type PaneStringKey } from "../../src/i18n/pane";

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("every pane string exists in en-US and zh-CN", () => {
  const keys = Object.keys(PANE_STRINGS.en) as PaneStringKey[];

  it("with the same keys", () => {
    expect(Object.keys(PANE_STRINGS.zh).sort()).toEqual([...keys].sort());
  });

  it.each(keys)("%s: both languages filled, with the same placeholders", (key) => {
    expect(PANE_STRINGS.en[key].trim()).not.toBe("");
    expect(PANE_STRINGS.zh[key].trim()).not.toBe("");
    expect(placeholders(PANE_STRINGS.zh[key])).toEqual(placeholders(PANE_STRINGS.en[key]));
  });

  it("uses the glossary's words (UX.md)", () => {
    const zh = PANE_STRINGS.zh;
    expect([zh.tierFloor, zh.tierTarget, zh.tierStretch]).toEqual(["保底", "力争", "冲刺"]);
    expect(zh.levelsHeading).toBe("分解层级");
    expect(zh.grainLabel).toBe("时间粒度");
    expect(zh.unitLabel).toBe("取整单位");
    expect([zh.stepInputs, zh.stepPlan, zh.check, zh.writePlan]).toEqual(["数据", "分解", "检查", "生成分解表"]);
    expect([zh.grainYear, zh.grainQuarter, zh.grainMonth, zh.grainWeek, zh.grainDay, zh.grainStage]).toEqual([
      "年",
      "季度",
      "月",
      "周",
      "日",
      "阶段",
    ]);
    expect([zh.methodHistory, zh.methodEqual, zh.methodWeights]).toEqual(["历史", "平均", "权重"]);
    const en = PANE_STRINGS.en;
    expect([en.stepInputs, en.stepPlan, en.check, en.writePlan]).toEqual(["Inputs", "Plan", "Check", "Write plan"]);
  });

  it("fills placeholders", () => {
    expect(paneText("zh", "moreProblems", { count: 3 })).toBe("还有 3 个");
    expect(paneText("en", "moreProblems", { count: 3 })).toBe("3 more");
    expect(paneText("en", "goToCellLabel")).toBe("Go to cell {ref}");
  });
});
