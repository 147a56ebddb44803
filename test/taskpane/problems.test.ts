import type { Problem } from "../../src/engine/problems";
import { problemLines, problemPage, PROBLEM_PAGE, showMore } from "../../src/taskpane/model/problems";

const problems: Problem[] = Array.from({ length: 12 }, (_, i) => ({
  ref: `历史!D${i + 2}`,
  code: "notANumber",
  args: { column: "销售额", value: "n/a" },
}));

describe("problems as the pane lists them", () => {
  it("say where and what, in the Office display language", () => {
    expect(problemLines(problems.slice(0, 1), "zh")[0]).toMatchObject({
      ref: "历史!D2",
      text: '历史!D2: 销售额不是数字 ("n/a")',
    });
    expect(problemLines(problems.slice(0, 1), "en")[0].text).toBe('历史!D2: 销售额 is not a number ("n/a")');
  });

  it("a problem about a task-pane setting says so", () => {
    const [line] = problemLines(
      [{ ref: "Settings!A3", code: "paneSetting", args: { message: "Unit must be …", messageZh: "取整单位须…", code: "badUnit" } }],
      "zh",
    );
    expect(line.text).toBe("Settings!A3: 任务窗格中的设置：取整单位须…");
  });

  it("a page at a time, then how many are left", () => {
    const lines = problemLines(problems, "en");
    expect(new Set(lines.map((l) => l.key)).size).toBe(12);
    const first = problemPage(lines, PROBLEM_PAGE);
    expect(first.visible.map((l) => l.ref)).toEqual(["历史!D2", "历史!D3", "历史!D4", "历史!D5", "历史!D6"]);
    expect(first.remaining).toBe(7);
    const shown = showMore(PROBLEM_PAGE, lines.length);
    expect(problemPage(lines, shown).remaining).toBe(2);
    const all = showMore(shown, lines.length);
    expect(all).toBe(12);
    expect(problemPage(lines, all)).toMatchObject({ remaining: 0 });
  });

  it("fewer than a page: all of them, none left", () => {
    const lines = problemLines(problems.slice(0, 2), "en");
    expect(problemPage(lines, 0)).toMatchObject({ remaining: 0 });
    expect(problemPage(lines, 0).visible).toHaveLength(2);
  });
});
