/**
 * The morning view as a user's spreadsheet shows it: `track` on the sample, recalculated by
 * LibreOffice — no formula errors, the Progress sheet's live formulas agree with RESULT.json —
 * and the Progress and Ranking sheets rendered to PNG (data bars, traffic lights, charts), kept as
 * test artefacts in test/artifacts/. The same for Funnel Progress (its bottlenecks recalculated to
 * the engine's words) and the Weekly Review, which prints whole on one page.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import { describeWithLibreOffice, readAllCells, recalcXlsx, renderSheets, type ReadCell } from "../helpers/libreoffice";
import { bottleneckWord } from "../../src/report/process-sheet";
import { tempDir } from "./fixtures";

const ARTIFACTS = join(__dirname, "..", "artifacts");

interface ProcessJson {
  path: Record<string, string>;
  channel: string | null;
  stages: Record<string, { target: number; targetToDate: number; actual: number }>;
  rates: Record<string, { plan: number | null; actual: number | null }>;
  bottleneck: string | null;
  deep?: { amount: number; averageOrderValue?: { actual: number | null; plan: number | null } };
}

interface ReviewJson {
  ranking: { rank: number; movement: number | null; completion: number; weekActual: number; weekCompletion: number; weekRank: number; nextWeekPlan: number; nextWeekTarget: number }[];
}

describeWithLibreOffice.each([
  ["厨电门店-2027.xlsx", "进度", "排名", "morning-view-zh", "过程追踪", "阶段性会议", "weekly-review-zh"],
  ["kitchen-appliances-2027.xlsx", "Progress", "Ranking", "morning-view-en", "Funnel Progress", "Weekly Review", "weekly-review-en"],
])("track %s, recalculated and rendered by LibreOffice", (file, progressSheet, rankingSheet, artefact, processSheet, reviewSheet, reviewArtefact) => {
  let out: string;
  let cells: ReadCell[];
  let json: {
    progress: { path: Record<string, string>; completion: number; pace: number; gap: number; requiredPerDay: number; forecast: number; forecastSeasonal: number; status: string }[];
    processProgress: ProcessJson[];
    review: ReviewJson;
  };

  beforeAll(async () => {
    const dir = tempDir("tc-track-lo-");
    out = join(dir, "out.xlsx");
    const result = join(dir, "result.json");
    const code = await main(["track", join(__dirname, "..", "..", "sample", file), "--out", out, "--json", result, "--quiet"], { out: () => undefined, err: (l) => process.stderr.write(l + "\n") });
    expect(code).toBe(0);
    json = JSON.parse(readFileSync(result, "utf8"));
    cells = await readAllCells(await recalcXlsx(out, dir));
  });

  it("has no error value in any cell", () => {
    expect(cells.filter((c) => c.error !== undefined).map((c) => `${c.sheet}!${c.address} ${c.formula ?? ""} → ${c.error}`)).toEqual([]);
  });

  it("recalculates the Progress sheet to RESULT.json's figures", () => {
    const sheet = cells.filter((c) => c.sheet === progressSheet);
    const at = (row: number, col: number) => sheet.find((c) => c.row === row && c.col === col)?.value;
    const header = sheet.filter((c) => c.row === 4).sort((a, b) => a.col - b.col);
    const col = (i: number): number => header[0].col + i;
    const levels = header.findIndex((c) => c.value === (progressSheet === "进度" ? "力争" : "Target"));
    json.progress.forEach((p, i) => {
      const row = 5 + i;
      expect(at(row, col(levels + 3))).toBeCloseTo(p.completion, 9);
      expect(at(row, col(levels + 5))).toBeCloseTo(p.pace, 9);
      expect(at(row, col(levels + 7))).toBeCloseTo(p.gap, 6);
      expect(at(row, col(levels + 8))).toBeCloseTo(p.requiredPerDay, 6);
      expect(at(row, col(levels + 9))).toBeCloseTo(p.forecast, 4);
      expect(at(row, col(levels + 10))).toBeCloseTo(p.forecastSeasonal, 4);
    });
  });

  it("recalculates Funnel Progress to RESULT.json's processProgress, bottlenecks included", () => {
    const sheet = cells.filter((c) => c.sheet === processSheet);
    const at = (row: number, col: number) => sheet.find((c) => c.row === row && c.col === col)?.value ?? null;
    // Row 5 is the header: levels, channel, 4 columns per stage, 3 per later stage, the bottleneck.
    const header = sheet.filter((c) => c.row === 5).sort((a, b) => a.col - b.col);
    const channelCol = header.findIndex((c) => c.value === (processSheet === "过程追踪" ? "渠道" : "Channel")) + 1;
    const stages = Object.keys(json.processProgress[0].stages);
    const bottleneckCol = channelCol + 4 * stages.length + 3 * (stages.length - 1) + 1;
    const lang = processSheet === "过程追踪" ? "zh" : "en";
    const seen = new Set<string>();
    json.processProgress.forEach((p, i) => {
      const row = 6 + i;
      expect(at(row, channelCol)).toBe(p.channel ?? (processSheet === "过程追踪" ? "全部渠道" : "All channels"));
      stages.forEach((s, t) => {
        const base = channelCol + 1 + 4 * t;
        expect(at(row, base + 2)).toBe(p.stages[s].actual);
        const of = at(row, base + 3);
        if (p.stages[s].targetToDate > 0) expect(of).toBeCloseTo(p.stages[s].actual / p.stages[s].targetToDate, 12);
        if (t > 0) {
          const rate = channelCol + 1 + 4 * stages.length + 3 * (t - 1);
          if (p.rates[s].plan !== null) expect(at(row, rate)).toBeCloseTo(p.rates[s].plan!, 12);
          if (p.rates[s].actual !== null) expect(at(row, rate + 1)).toBeCloseTo(p.rates[s].actual!, 12);
        }
      });
      // The recalculated bottleneck is the engine's, in words.
      const word = at(row, bottleneckCol);
      if (p.bottleneck === null) expect(["", "—", null]).toContain(word);
      else {
        expect(word).toBe(bottleneckWord(p.bottleneck, stages.indexOf(p.bottleneck) === 0, p.bottleneck, lang));
        seen.add(p.bottleneck);
      }
    });
    // The sample has bottlenecks at more than one stage.
    expect(seen.size).toBeGreaterThanOrEqual(2);
    // The deep data below: per node (the all-channels entries), the average order value actual and planned.
    const deep = json.processProgress.filter((p) => p.channel === null);
    const deepHeader = 6 + json.processProgress.length + 2;
    deep.forEach((p, i) => {
      const row = deepHeader + 1 + i;
      const amountCol = channelCol;
      expect(at(row, amountCol)).toBe(p.deep!.amount);
      expect(at(row, amountCol + 2)).toBeCloseTo(p.deep!.averageOrderValue!.actual!, 6);
      expect(at(row, amountCol + 3)).toBeCloseTo(p.deep!.averageOrderValue!.plan!, 6);
    });
  });

  it("recalculates the Weekly Review to RESULT.json's review: ranks, movement, the week, next week's target", () => {
    const sheet = cells.filter((c) => c.sheet === reviewSheet);
    const at = (row: number, col: number) => sheet.find((c) => c.row === row && c.col === col)?.value ?? null;
    json.review.ranking.forEach((m, i) => {
      const row = 6 + i;
      expect(at(row, 1)).toBe(m.rank);
      expect(at(row, 2) ?? "").toBe(m.movement ?? "");
      expect(at(row, 7)).toBeCloseTo(m.completion, 12);
      expect(at(row, 11)).toBeCloseTo(m.weekActual, 6);
      expect(at(row, 13)).toBeCloseTo(m.weekCompletion, 12);
      expect(at(row, 14)).toBe(m.weekRank);
      expect(at(row, 16)).toBeCloseTo(m.nextWeekPlan, 6);
      expect(at(row, 17)).toBeCloseTo(m.nextWeekTarget, 6);
    });
  });

  it("renders the Weekly Review on one page, nothing cut off", async () => {
    const pngs = await renderSheets(out, [reviewSheet], join(ARTIFACTS, reviewArtefact));
    expect(pngs).toHaveLength(1);
    expect(statSync(pngs[0]).size).toBeGreaterThan(20_000);
  });

  it("recalculates the Incentives sheet to RESULT.json's payouts, live over Progress", () => {
    const zh = progressSheet === "进度";
    const sheet = cells.filter((c) => c.sheet === (zh ? "激励核算" : "Incentives"));
    const payouts = (json as unknown as { payouts: { path: Record<string, string>; payout: number; atForecast: number; toNextTier: { sell: number; earn: number } | null }[] }).payouts;
    expect(payouts.length).toBeGreaterThan(0);
    const header = sheet.find((c) => c.value === (zh ? "本期激励" : "Payout to date"))!;
    const col = (title: string): number => sheet.find((c) => c.row === header.row && c.value === title)!.col;
    const at = (row: number, c: number) => sheet.find((x) => x.row === row && x.col === c);
    const [payout, atForecast, sell, earn] = (zh ? ["本期激励", "预测激励", "还需销售", "可多得"] : ["Payout to date", "Payout at forecast", "Still to sell", "Earns more"]).map(col);
    payouts.forEach((p, i) => {
      const row = header.row + 1 + i;
      expect(at(row, payout)?.formula).toMatch(/ROUND\(/);
      expect(at(row, payout)?.value).toBeCloseTo(p.payout, 2);
      expect(at(row, atForecast)?.value).toBeCloseTo(p.atForecast, 2);
      expect(at(row, sell)?.value).toBeCloseTo(p.toNextTier?.sell ?? 0, 4);
      expect(at(row, earn)?.value).toBeCloseTo(p.toNextTier?.earn ?? 0, 2);
    });
    // The actual comes from the Progress sheet.
    const actual = at(header.row + 1, col(zh ? "实际" : "Actual"));
    expect(actual?.formula).toMatch(zh ? /^'?进度'?!/ : /^'?Progress'?!/);
  });

  it("renders the morning view to PNG with its data bars, icons and charts", async () => {
    const pngs = await renderSheets(out, [progressSheet, rankingSheet], join(ARTIFACTS, artefact));
    expect(pngs.length).toBeGreaterThanOrEqual(2);
    for (const png of pngs) {
      expect(existsSync(png)).toBe(true);
      expect(statSync(png).size).toBeGreaterThan(20_000);
    }
  });
});
