import { parseWorkbook } from "../../src/contract";
import { computePlan } from "../../src/engine";
import { buildPreview, formatAmount, formatShare, methodsUsed } from "../../src/taskpane/model/preview";
import { planFromTables, workbookBaseline } from "../../src/taskpane/pipeline";
import { englishWorkbook, ok } from "../contract/build";

const plan = (overrides = {}) => computePlan(ok(parseWorkbook(englishWorkbook(), { overrides })).input);

describe("the live preview", () => {
  it("shows the top-level split with every tier the plan has, and the totals check", () => {
    const preview = buildPreview(plan());
    expect(preview.tiers).toEqual(["floor", "target", "stretch"]);
    expect(preview.totals).toEqual({ floor: 900_000, target: 1_000_000, stretch: 1_200_000 });
    expect(preview.levelLabel).toBe("Region");
    expect(preview.split.map((r) => r.label)).toEqual(["East", "West"]);
    // History: East 200,000, West 100,000.
    expect(preview.split[0].share).toBeCloseTo(2 / 3, 3);
    expect(preview.split.reduce((a, r) => a + (r.amounts.target ?? 0), 0)).toBe(1_000_000);
    expect(preview.split[0].amounts).toEqual({ floor: 600_000, target: 666_700, stretch: 800_000 });
    expect(preview.split[0].bar).toBe(1);
    expect(preview.totalsOk).toBe(true);
    expect(preview.mismatches).toEqual([]);
    expect(preview.leaves).toBe(3);
  });

  it("shows the periods, cut to fit, with how many more", () => {
    const preview = buildPreview(plan({ grain: "Month" }), { split: 1, periods: 5 });
    expect(preview.periods.map((p) => p.label)).toEqual(["2027-01", "2027-02", "2027-03", "2027-04", "2027-05"]);
    expect(preview.periodsMore).toBe(7);
    expect(preview.periodCount).toBe(12);
    expect(preview.split).toHaveLength(1);
    expect(preview.splitMore).toBe(1);
    expect(Math.max(...preview.periods.map((p) => p.bar))).toBeLessThanOrEqual(1);
  });

  it("leaves out the tiers the workbook does not give", () => {
    const tables = englishWorkbook();
    tables[0] = { ...tables[0], headers: ["Period", "Target"], rows: [["2027", 1_000_000]] };
    const preview = buildPreview(computePlan(ok(parseWorkbook(tables)).input));
    expect(preview.tiers).toEqual(["target"]);
    expect(Object.keys(preview.split[0].amounts)).toEqual(["target"]);
  });

  it("a plan over time only has no split", () => {
    const tables = englishWorkbook().filter((t) => t.name !== "Settings");
    tables[1] = { ...tables[1], headers: ["Date", "Amount"], rows: [["2026-01", 5]] };
    const preview = buildPreview(computePlan(ok(parseWorkbook(tables)).input));
    expect(preview.levelLabel).toBeUndefined();
    expect(preview.split).toEqual([]);
  });

  it("says what an automatic method came to", () => {
    expect(methodsUsed(plan())).toEqual({ Region: "History", Rep: "History" });
    expect(methodsUsed(plan({ methods: { Rep: "Equal" } }))).toEqual({ Region: "History", Rep: "Equal" });
  });

  it("formats amounts and shares", () => {
    expect(formatAmount(1234567)).toBe("1,234,567");
    expect(formatShare(0.4)).toBe("40.0%");
    expect(formatShare(2 / 3)).toBe("66.7%");
  });
});

describe("the pipeline the pane loads on demand", () => {
  it("plans from tables in memory, as preparePlan does, with the pane's overrides", async () => {
    const outcome = await planFromTables(englishWorkbook(), { overrides: { grain: "Quarter", unit: 1000 } });
    if (!outcome.ok) throw new Error("expected a plan");
    expect(outcome.result.periods.map((p) => p.label)).toEqual(["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]);
    expect(outcome.result.unit).toBe(1000);
    expect(outcome.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(["Plan", "Plan Matrix", "Weights Review"]));
  });

  it("gives problems, not a plan, for a bad override", async () => {
    const outcome = await planFromTables(englishWorkbook(), { overrides: { unit: -1 } });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((p) => `${p.ref} ${p.code}`)).toEqual(["Settings!A3 paneSetting"]);
  });

  it("the workbook's own settings ignore the overrides", () => {
    expect(workbookBaseline(englishWorkbook(), {})).toMatchObject({
      levels: [
        { name: "Region", label: "Region" },
        { name: "Rep", label: "Rep" },
      ],
      grain: "Month",
      unit: 100,
      tiers: { floor: 900_000, target: 1_000_000, stretch: 1_200_000 },
    });
  });
});
