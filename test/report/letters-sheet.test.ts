/**
 * The target letters sheet (report/letters-sheet.ts): one block per member, every block as tall as
 * the others, a page break after each, the print area over all, a scale that fits a block on a
 * page; the periods (months for a Day grain, added up exactly), stages, incentives and signatures.
 */
import { computePlan, dayFromYmd, type PlanResult } from "../../src/engine";
import type { PayoutRules } from "../../src/engine/payout";
import { tierWorth } from "../../src/engine/payout";
import { buildLettersSheet, columnPoints, letterScale, PAGE, ROW_POINTS } from "../../src/report/letters-sheet";
import type { CellSpec, SheetSpec } from "../../src/report/spec";
import { planInput } from "../engine/build";

function plan(over: Parameters<typeof planInput>[0] = {}, reps = ["王芳", "李强", "张伟"]): PlanResult {
  const weights = reps.map((member, i) => ({ level: "Rep", member, weight: i + 1, refs: { member: `权重!B${i + 2}` } }));
  return computePlan(planInput({ tiers: { floor: 540_000, target: 600_000, stretch: 720_000 }, unit: 100, levels: ["Region", "Rep"].slice(1), levelLabels: ["销售员"], methods: { Rep: "Weights" }, weights, ...over }));
}

const rules: PayoutRules = {
  bands: [
    { from: { tier: "floor" }, rate: 0.01, bonus: 500, label: "保底", refs: { from: "激励!A2", rate: "激励!B2", bonus: "激励!C2" } },
    { from: { completion: 1.3 }, rate: 0.03, bonus: 0, label: "130%", refs: { from: "激励!A3", rate: "激励!B3", bonus: "激励!C3" } },
  ],
  mode: "Marginal",
  cap: 20_000,
  rankAward: [3000, 1000],
  refs: {},
};

const titles = (s: SheetSpec, word: string): number[] => s.rows.flatMap((r, i) => (typeof r[0] === "string" && r[0].startsWith(word) ? [i + 1] : []));
const column = (s: SheetSpec, from: number, to: number): CellSpec[] => s.rows.slice(from - 1, to).map((r) => r[0] ?? null);

describe("the letters sheet", () => {
  it("one block per member, as tall as the others, a page break after each but the last, the print area over all", () => {
    const p = plan();
    const s = buildLettersSheet(p, undefined, rules, "zh");
    expect(s.kind).toBe("letters");
    expect(s.name).toBe("目标责任书");
    const starts = titles(s, "目标责任书 · ");
    expect(starts).toHaveLength(3);
    const height = starts[1] - starts[0];
    expect(starts).toEqual([1, 1 + height, 1 + 2 * height]);
    expect(s.rows).toHaveLength(3 * height);
    expect(s.print).toMatchObject({ rowBreaks: [height, 2 * height], orientation: "portrait", area: `A1:${String.fromCharCode(64 + (s.columnWidths?.length ?? 0))}${3 * height}` });
    expect(s.print?.fit).toBeUndefined();
    // Each block: the member, then the tiers, what each is worth, the rules and the signatures.
    const block = column(s, 1, height);
    expect(block).toEqual(expect.arrayContaining(["姓名", "所属", "计划期间", "一、业绩目标", "二、分期目标", "三、激励规则", "责任人签字：", "上级签字：", "日期："]));
    const worth = s.rows.find((r) => r[0] === "达成可得激励")!;
    const w = tierWorth(p, rules, p.leaves[0]);
    expect(worth.slice(1, 4)).toEqual([w.floor, w.target, w.stretch]);
    expect(s.rows.find((r) => r[0] === "排名奖")?.[1]).toBe("第1名 3,000；第2名 1,000");
    expect(s.rows.find((r) => r[0] === "计算方式")?.[1]).toBe("分段：各档比例只计本档内的业绩");
  });

  it("fits one block on a page: the scale shrinks the widest or tallest side into the page", () => {
    const s = buildLettersSheet(plan(), undefined, rules, "en");
    const height = titles(s, "Target letter · ")[1] - 1;
    const widths = s.columnWidths!;
    const width = widths.reduce((a, c) => a + columnPoints(c), 0);
    const scale = s.print!.scale!;
    expect(scale).toBe(letterScale(widths, height));
    expect((width * scale) / 100).toBeLessThanOrEqual(PAGE.width);
    expect((height * ROW_POINTS * scale) / 100).toBeLessThanOrEqual(PAGE.height);
    expect(scale).toBeGreaterThanOrEqual(Math.floor(Math.min(1, PAGE.width / width, PAGE.height / (height * ROW_POINTS)) * 100 * 0.97) - 1);
    expect(letterScale([10], 10)).toBe(97);
    expect(letterScale([10], 100_000)).toBe(10);
  });

  it("lists a Day grain's periods by month, the days added up exactly", () => {
    const p = plan({ grain: "Day", unit: 0.01, tiers: { target: 1000.37 }, start: dayFromYmd(2027, 1, 1), end: dayFromYmd(2027, 3, 31) }, ["A", "B"]);
    const s = buildLettersSheet(p, undefined, undefined, "en");
    const months = s.rows.filter((r) => typeof r[0] === "string" && /^2027-0\d$/.test(r[0] as string));
    expect(months.map((r) => r[0])).toEqual(["2027-01", "2027-02", "2027-03", "2027-01", "2027-02", "2027-03"]);
    const P = p.periods.length;
    const sumDays = (leafPos: number, month: number): number => {
      let cents = 0;
      p.periods.forEach((period, j) => {
        if (new Date(period.start * 86_400_000).getUTCMonth() + 1 === month) cents += Math.round(p.cells.target[leafPos * P + j] * 100);
      });
      return cents / 100;
    };
    expect(months.slice(0, 3).map((r) => r[1])).toEqual([1, 2, 3].map((m) => sumDays(0, m)));
    const first = months.slice(0, 3).reduce((a, r) => a + Math.round((r[1] as number) * 100), 0);
    expect(first / 100).toBe(p.nodes[p.leaves[0]].amount.target);
  });

  it("names the stages for a Stage grain, and has no incentives without rules", () => {
    const stages = [
      { name: "第一阶段(4.25-4.30)", start: dayFromYmd(2027, 4, 25), end: dayFromYmd(2027, 4, 30), ref: "阶段!A2" },
      { name: "第二阶段(5.1-5.3)", start: dayFromYmd(2027, 5, 1), end: dayFromYmd(2027, 5, 3), ref: "阶段!A3" },
    ];
    const p = plan({ grain: "Stage", stages, start: stages[0].start, end: stages[1].end });
    const s = buildLettersSheet(p, undefined, undefined, "zh");
    expect(s.rows.some((r) => r[0] === "二、分阶段目标")).toBe(true);
    expect(s.rows.some((r) => r[0] === "阶段")).toBe(true);
    expect(s.rows.filter((r) => r[0] === "第一阶段(4.25-4.30)")).toHaveLength(3);
    expect(s.rows.some((r) => typeof r[0] === "string" && r[0].includes("激励"))).toBe(false);
    expect(s.rows.some((r) => r[0] === "本人已知悉上述目标，承诺全力以赴完成。")).toBe(true);
    // The longest label fits its column.
    expect(s.columnWidths![0]).toBeGreaterThanOrEqual(2 * "第一阶段".length + "(4.25-4.30)".length);
  });
});
