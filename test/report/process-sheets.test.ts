/**
 * The Funnel Progress, Weekly Review and (seasonal) Progress sheets as SheetSpecs: their layout,
 * that every derived figure is a formula over the cells beside it with the engine's figure cached,
 * the bottleneck written as a value where floating point could decide otherwise, the review's
 * print settings, and RESULT.json's processProgress and review.
 */
import {
  computeFunnel,
  computePlan,
  computeProcess,
  computeProgress,
  computeReview,
  dayFromYmd,
  type FactRow,
  type HistoryColumns,
  type PlanInput,
} from "../../src/engine";
import type { CellSpec, FormulaCell, SheetSpec } from "../../src/report";
import { buildProcessSheet, processJson } from "../../src/report/process-sheet";
import { buildProgressSheet } from "../../src/report/progress-sheet";
import { buildReviewSheet, reviewJson } from "../../src/report/review-sheet";
import { monthFact, planInput } from "../engine/build";

const STAGES = ["Invitations", "Visits", "Orders"];
const LABELS = { Invitations: "邀约数", Visits: "二次进店数", Orders: "订单数" };
const HISTORY: HistoryColumns = { table: "History!A1", letters: {}, labels: LABELS };
const ACTUALS = { table: "Actuals!A1", letters: {}, labels: LABELS };
const YEARLY: Record<string, Record<string, Record<string, number>>> = {
  A: { X: { Amount: 36_000, Orders: 12, Visits: 24, Invitations: 60 }, Y: { Amount: 24_000, Orders: 12, Visits: 36, Invitations: 72 } },
  B: { X: { Amount: 12_000, Orders: 12, Visits: 24, Invitations: 48 }, Y: { Amount: 48_000, Orders: 24, Visits: 48, Invitations: 96 } },
};

function input(over: Partial<PlanInput> = {}): PlanInput {
  const history: FactRow[] = [];
  for (let m = 1; m <= 12; m++) {
    for (const [rep, channels] of Object.entries(YEARLY)) {
      for (const [channel, yearly] of Object.entries(channels)) {
        const month = Object.fromEntries(Object.entries(yearly).map(([k, v]) => [k, v / 12]));
        history.push(monthFact(2026, m, { Rep: rep, Channel: channel }, month.Amount, month));
      }
    }
  }
  return planInput({ tiers: { target: 1_200_000 }, history, ...over });
}

const row = (rep: string, channel: string, day: number, counts: number[], amount = 0): FactRow => ({
  dims: { Rep: rep, Channel: channel },
  start: day,
  end: day,
  measures: { Amount: amount, Invitations: counts[0], Visits: counts[1], Orders: counts[2] },
});

function track(rows: FactRow[], asOf: number, previousAsOf: number, over: Partial<PlanInput> = {}, forecast?: "Seasonal") {
  const i = input(over);
  const plan = computePlan(i);
  const funnel = computeFunnel(i, plan, { dimension: "Channel", stages: STAGES }, HISTORY)!;
  const drivers = { metric: "Amount", units: "Orders", funnel, averageOrderValue: [], attachments: [], columns: HISTORY };
  const progress = computeProgress(i, plan, rows, { asOf, previousAsOf, forecast });
  const process = computeProcess(i, plan, progress, rows, { drivers, funnel, stages: STAGES, byChannel: true, columns: ACTUALS });
  const review = computeReview(i, plan, progress, process);
  return { plan, progress, process, review };
}

const MARCH_1 = dayFromYmd(2027, 3, 1);
const MARCH_31 = dayFromYmd(2027, 3, 31);
const rows = [
  row("A", "X", MARCH_1, [100, 50, 25], 30_000),
  row("A", "Y", MARCH_1, [210, 70, 35], 40_000),
  row("B", "X", MARCH_1, [135, 60, 18], 20_000),
  row("B", "Y", MARCH_1 + 25, [220, 110, 48], 90_000),
];

const cell = (sheet: SheetSpec, r: number, c: number): CellSpec => sheet.rows[r - 1]?.[c - 1] ?? null;
const find = (sheet: SheetSpec, text: string): { r: number; c: number } => {
  for (let r = 0; r < sheet.rows.length; r++) {
    const c = sheet.rows[r].indexOf(text);
    if (c >= 0) return { r: r + 1, c: c + 1 };
  }
  throw new Error(`no cell "${text}"`);
};

describe("the Funnel Progress sheet", () => {
  const { plan, progress, process } = track(rows, MARCH_31, MARCH_31 - 7);
  const zh = buildProcessSheet(plan, progress, process, LABELS, "zh");
  const en = buildProcessSheet(plan, progress, process, LABELS, "en");

  it("is named in the workbook's language, with each stage's name over its columns", () => {
    expect([zh.name, en.name, zh.kind]).toEqual(["过程追踪", "Funnel Progress", "process"]);
    expect(cell(zh, 4, 3)).toBe("邀约数");
    expect(cell(zh, 4, 7)).toBe("二次进店数");
    expect(cell(zh, 4, 15)).toBe("转化 → 二次进店数");
    expect(zh.rows[4].slice(0, 7)).toEqual(["Rep", "渠道", "任务", "应完成", "实际", "达成", "任务"]);
    expect(cell(zh, 5, 21)).toBe("瓶颈");
  });

  it("gives each row its tasks, tasks to date and actuals as values, and the rest as formulas", () => {
    // Rows: the whole plan (X, Y, all), then A (X, Y, all), then B. A / X is row 9.
    const r = 9;
    expect([cell(zh, r, 1), cell(zh, r, 2)]).toEqual(["A", "X"]);
    expect([cell(zh, r, 3), cell(zh, r, 4), cell(zh, r, 5)]).toEqual([540, 135, 100]);
    expect(cell(zh, r, 6)).toEqual({ formula: 'IF(D9=0,"",E9/D9)', result: 100 / 135 });
    // Plan rate (a channel's: its History rate), actual rate, and the two compared.
    expect(cell(zh, r, 15)).toBe(48 / 108);
    expect(cell(zh, r, 16)).toEqual({ formula: 'IF(E9=0,"",I9/E9)', result: 0.5 });
    expect(cell(zh, r, 17)).toEqual({ formula: 'IF(OR(P9="",O9=""),"",P9/O9)', result: 0.5 / (48 / 108) });
    const bottleneck = cell(zh, r, 21) as FormulaCell;
    expect(bottleneck.formula).toBe('IF(COUNT(F9,Q9,T9)=0,"",IF(MIN(F9,Q9,T9)>=1,"—",IF(F9=MIN(F9,Q9,T9),"邀约不足",IF(Q9=MIN(F9,Q9,T9),"二次进店转化率低","成交转化率低"))))');
    expect(bottleneck.result).toBe("邀约不足");
    expect((cell(en, r, 21) as FormulaCell).result).toBe("Too few invitations");
  });

  it("works a row of all channels' plan rate out of its tasks", () => {
    const r = 11; // A, all channels
    expect(cell(zh, r, 2)).toBe("全部渠道");
    expect(cell(zh, r, 15)).toEqual({ formula: 'IF(OR(C11=0,G11=0),"",G11/C11)', result: 660 / 1380 });
  });

  it("writes the bottleneck as a value, in italics, when two ratios are a hair apart", () => {
    const one = planInput({ tiers: { target: 1_200 }, history: Array.from({ length: 12 }, (_, m) => monthFact(2026, m + 1, { Rep: "A", Channel: "X" }, 110, { Orders: 1, Visits: 3, Invitations: 9 })) });
    const p = computePlan(one);
    const funnel = computeFunnel(one, p, { dimension: "Channel", stages: STAGES }, HISTORY)!;
    const drivers = { metric: "Amount", units: "Orders", funnel, averageOrderValue: [], attachments: [], columns: HISTORY };
    const facts = [row("A", "X", MARCH_1, [15, 3, 1])];
    const pr = computeProgress(one, p, facts, { asOf: MARCH_31, previousAsOf: MARCH_31 - 7 });
    const proc = computeProcess(one, p, pr, facts, { drivers, funnel, stages: STAGES, byChannel: true, columns: ACTUALS });
    const sheet = buildProcessSheet(p, pr, proc, LABELS, "en");
    const r = 6 + proc.rows.findIndex((x) => x.nearTie);
    expect(cell(sheet, r, 21)).toBe("Too few invitations");
    expect(sheet.styles).toContainEqual({ range: `U${r}`, italic: true });
    expect(String(cell(sheet, 3, 1))).toMatch(/in italics was decided on the exact numbers/);
  });

  it("has no deep-data block when nothing measures it, and every row fits its header", () => {
    const width = zh.rows[4].length;
    for (const r of zh.rows.slice(5)) expect(r.length).toBe(width);
    expect(zh.rows.length).toBe(5 + process.rows.length);
  });

  it("goes into RESULT.json as processProgress", () => {
    const json = processJson(plan, process) as Record<string, unknown>[];
    expect(json).toHaveLength(process.rows.length);
    expect(json[3]).toEqual({
      path: { Rep: "A" },
      channel: "X",
      stages: { Invitations: { target: 540, targetToDate: 135, actual: 100 }, Visits: { target: 240, targetToDate: 60, actual: 50 }, Orders: { target: 120, targetToDate: 30, actual: 25 } },
      rates: { Visits: { plan: Number((48 / 108).toPrecision(15)), actual: 0.5 }, Orders: { plan: 0.5, actual: 0.5 } },
      bottleneck: "Invitations",
    });
    expect(json[5]).toMatchObject({ path: { Rep: "A" }, channel: null });
  });
});

describe("the Weekly Review sheet", () => {
  const { plan, progress, process, review } = track(rows, MARCH_31, MARCH_31 - 7);
  const sheet = buildReviewSheet(plan, progress, review, process, LABELS, "zh");

  it("prints landscape on one page, its whole area", () => {
    expect(sheet.kind).toBe("review");
    expect(sheet.name).toBe("阶段性会议");
    expect(sheet.print).toEqual({ orientation: "landscape", area: `A1:Q${sheet.rows.length}`, fit: { width: 1, height: 1 } });
    expect(cell(sheet, 1, 1)).toBe("阶段性会议 · 2027-03-25 至 2027-03-31");
  });

  it("ranks with live RANK formulas, and shows the movement as ↑ / ↓", () => {
    const header = find(sheet, "排名");
    expect(header.r).toBe(5);
    // B sold 90,000 on 26 March, inside the week: B leads now, A led a week ago.
    expect(cell(sheet, 6, 3)).toBe("B");
    expect(cell(sheet, 6, 1)).toEqual({ formula: "RANK(G6,$G$6:$G$7)", result: 1 });
    expect(cell(sheet, 6, 10)).toEqual({ formula: "RANK(I6,$I$6:$I$7)", result: 2 });
    expect(cell(sheet, 6, 2)).toEqual({ formula: 'IF(J6="","",J6-A6)', result: 1 });
    expect(sheet.numberFormats).toContainEqual({ range: "B6:B7", format: '"↑"0;"↓"0;"–"' });
    expect(cell(sheet, 6, 11)).toEqual({ formula: "F6-H6", result: 90_000 });
    const n = progress.nodes[review.members[0].node];
    expect(cell(sheet, 6, 17)).toEqual({ formula: "IF((E6-O6)>0,MAX(E6-F6,0)*P6/(E6-O6),MAX(E6-F6,0))", result: review.members[0].nextWeekTarget });
    expect(cell(sheet, 6, 15)).toBe(n.targetToDate);
  });

  it("praises by references into the ranking table, and says who needs help at which stage", () => {
    const top = find(sheet, "前三名");
    expect(cell(sheet, top.r + 1, top.c)).toEqual({ formula: "A6", result: 1 });
    expect(cell(sheet, top.r + 1, top.c + 1)).toBe("B");
    const improvers = find(sheet, "进步最大");
    expect(cell(sheet, improvers.r + 1, improvers.c)).toEqual({ formula: "B6", result: 1 });
    const help = find(sheet, "需要帮助");
    const lines = sheet.rows.slice(help.r + 1, help.r + 1 + review.help.length).map((r) => r.slice(help.c - 1, help.c + 4));
    expect(lines.map((l) => [l[0], l[2], l[4]])).toEqual(review.help.map((h) => [plan.nodes[h.node].member, h.status === "behind" ? "落后" : "预警", expect.stringMatching(/ · /)]));
  });

  it("shows no movement when the previous AsOf is before the plan", () => {
    const early = track(rows, dayFromYmd(2027, 1, 3), dayFromYmd(2026, 12, 27));
    const s = buildReviewSheet(early.plan, early.progress, early.review, early.process, LABELS, "en");
    expect([cell(s, 6, 2), cell(s, 7, 2), cell(s, 6, 10)]).toEqual(["", "", ""]);
    expect(String(cell(s, find(s, "Biggest improvers").r + 1, find(s, "Biggest improvers").c))).toBe("No one rose in the ranking this week");
  });

  it("goes into RESULT.json as review", () => {
    const json = reviewJson(plan, progress, review, process) as { ranking: { path: object; movement: number | null }[]; praise: { top: object[] }; help: { bottleneck: string | null; channel: string | null }[]; previousAsOf: string };
    expect(json.previousAsOf).toBe("2027-03-24");
    expect(json.ranking.map((r) => [r.path, r.movement])).toEqual([
      [{ Rep: "B" }, 1],
      [{ Rep: "A" }, -1],
    ]);
    expect(json.praise.top).toEqual([{ Rep: "B" }, { Rep: "A" }]);
    expect(json.help.every((h) => h.bottleneck === null || STAGES.includes(h.bottleneck))).toBe(true);
  });
});

describe("the Progress sheet's seasonal forecast", () => {
  it("is a formula over target, target to date and actual beside the run rate's, and Forecast = Seasonal makes the status follow it", () => {
    const { plan, progress } = track(rows, MARCH_31, MARCH_31 - 7, {}, "Seasonal");
    const sheet = buildProgressSheet(plan, progress, "en");
    const header = sheet.rows[3];
    const at = (h: string) => header.indexOf(h) + 1;
    expect([at("Forecast"), at("Forecast (seasonal)"), at("Actual ÷ to date")]).toEqual([11, 12, 13]);
    const r = 6; // A
    expect(cell(sheet, r, 12)).toEqual({ formula: "IF(C6=0,D6+B6,D6+(B6-C6)*D6/C6)", result: progress.nodes[1].forecastSeasonal });
    expect(cell(sheet, r, 13)).toEqual({ formula: "IF(C6=0,1,D6/C6)", result: progress.nodes[1].paceSeasonal });
    expect((cell(sheet, r, 8) as FormulaCell).formula).toBe('IF(M6>=$J$2,"On track",IF(M6>=$L$2,"At risk","Behind"))');
    expect([cell(sheet, 2, 13), cell(sheet, 2, 14)]).toEqual(["Status follows", "Seasonal"]);
    const runRate = buildProgressSheet(plan, computeProgress(input(), plan, rows, { asOf: MARCH_31 }), "en");
    expect((cell(runRate, r, 8) as FormulaCell).formula).toBe('IF(G6>=$J$2,"On track",IF(G6>=$L$2,"At risk","Behind"))');
  });
});
