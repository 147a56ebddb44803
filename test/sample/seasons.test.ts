/**
 * The store-seasons sample (门店季节-2027.xlsx / store-seasons-2027.xlsx): its inputs are the
 * worked examples the read-me describes (own seasons, two ramping hires and a leaver, holds), and
 * planning it with the command line gives rows that follow each store's own season, hires with no
 * target before April and ramped after, a leaver with none after September, every hold kept
 * exactly and every row, column and level adding up.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import type ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { generateKitchenChain } from "../../scripts/lib/kitchen";
import { README_SHEET, type Lang } from "../../scripts/lib/sample";
import {
  buildSeasonsSample,
  generateSeasonsChain,
  SEASONS_FILES,
  SEASONS_SETTING_KEYS,
  SEASONS_TABLES,
  SEASONS_UNIT,
  seasonsSheetName,
  type SeasonsChain,
  type SeasonsTable,
} from "../../scripts/lib/seasons";
import { writeWorkbookStable } from "../../scripts/lib/xlsx";
import { readSample, records, SAMPLE_DIR, sum, tablesOf, workbookRows, type Value } from "./helpers";

const LANGS: Lang[] = ["zh", "en"];
const MONTHS = Array.from({ length: 12 }, (_, i) => `2027-${String(i + 1).padStart(2, "0")}`);
const TIERS = ["floor", "target", "stretch"] as const;
type TierKey = (typeof TIERS)[number];

interface PlanCell {
  path: Record<string, string>;
  period: string;
  floor: number;
  target: number;
  stretch: number;
}
interface Result {
  periods: ({ period: string } & Record<TierKey, number>)[];
  nodes: ({ path: Record<string, string> } & Record<TierKey, number>)[];
  plan: PlanCell[];
}

const kitchen = generateKitchenChain();
const data = generateSeasonsChain(kitchen);

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "tc-seasons-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Plans a workbook with the command line; RESULT.json, or the problems when it is refused. */
async function plan(file: string): Promise<{ code: number; result?: Result; errors: string[] }> {
  const stem = path.join(dir, `${path.basename(file, ".xlsx")}-${Math.random().toString(36).slice(2)}`);
  const errors: string[] = [];
  const code = await main(["plan", file, "--out", `${stem}.xlsx`, "--json", `${stem}.json`, "--quiet"], {
    out: () => undefined,
    err: (line) => errors.push(line),
  });
  if (code !== 0) return { code, errors };
  return { code, errors, result: JSON.parse(await fs.readFile(`${stem}.json`, "utf8")) as Result };
}

/** The Target row of each rep, by rep name, in period order. */
function rows(result: Result, tier: TierKey = "target"): Map<string, number[]> {
  const byRep = new Map<string, number[]>();
  for (const cell of result.plan) {
    const rep = cell.path.Rep ?? cell.path["销售员"] ?? Object.values(cell.path).at(-1)!;
    if (!byRep.has(rep)) byRep.set(rep, MONTHS.map(() => 0));
    byRep.get(rep)![MONTHS.indexOf(cell.period)] = cell[tier];
  }
  return byRep;
}

const peakMonth = (values: readonly number[]): number => values.indexOf(Math.max(...values)) + 1;

describe("the store-seasons generator", () => {
  it.each(LANGS)("%s: the committed workbook is the generator's, byte for byte", async (lang) => {
    const file = path.join(dir, `gen-${lang}.xlsx`);
    await writeWorkbookStable(buildSeasonsSample(generateSeasonsChain(generateKitchenChain()), lang).workbook, file);
    expect(await fs.readFile(file)).toEqual(await fs.readFile(path.join(SAMPLE_DIR, SEASONS_FILES[lang])));
  });

  it("for any seed, the tourist store's History peaks in August and the office park's in March, every year, and the holds add up as the read-me says", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const chain = generateSeasonsChain(kitchen, seed);
        for (const store of chain.ownStores) {
          for (const year of ["2025", "2026"]) {
            const byMonth = Array.from({ length: 12 }, (_, m) =>
              sum(chain.history.filter((h) => h.rep.team.zh === store.zh && h.month === `${year}-${String(m + 1).padStart(2, "0")}`).map((h) => h.amount)),
            );
            expect(peakMonth(byMonth)).toBe(store.kind === "tourist" ? 8 : 3);
          }
        }
        expect(sum(chain.quarterHold.months.map((m) => m.amount))).toBe(12_000_000);
        expect(chain.holds.every((h) => h.amount % SEASONS_UNIT === 0)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});

describe.each(LANGS)("the committed store-seasons sample (%s)", (lang) => {
  let workbook: ExcelJS.Workbook;
  const table = (key: SeasonsTable) => records(workbook.getWorksheet(seasonsSheetName(key, lang))!);
  const h = (zh: string, en: string) => (lang === "zh" ? zh : en);
  beforeAll(async () => {
    workbook = await readSample(SEASONS_FILES[lang]);
  });

  it("starts with a read-me sheet that says what each example shows and the command to run; each other sheet holds one table at A1", () => {
    const [readme, ...inputs] = workbook.worksheets;
    expect(readme.name).toBe(README_SHEET[lang]);
    expect(tablesOf(readme)).toEqual([]);
    const text = workbookRows(workbook)[readme.name].flat().filter((v): v is string => typeof v === "string").join("\n");
    for (const words of lang === "zh"
      ? ["季节性 = 各自", "北戴河店", "8 月", "张江店", "3 月", "人员", "25%、50%、75%", "离职", "锁定值", "12,000,000", `npx target-cascade plan sample/${SEASONS_FILES.zh}`, "重新平衡"]
      : ["Seasonality = Own", "Beidaihe Store", "August", "Zhangjiang Store", "March", "Members", "25%, 50%, 75%", "leaves", "Holds", "12,000,000", `npx target-cascade plan sample/${SEASONS_FILES.en}`, "Rebalance"])
      expect(text).toContain(words);
    expect(inputs.map((s) => s.name)).toEqual((["targets", "history", "members", "holds", "settings"] as const).map((k) => seasonsSheetName(k, lang)));
    for (const [sheet, key] of inputs.map((s, i) => [s, (["targets", "history", "members", "holds", "settings"] as const)[i]] as const)) {
      const tables = tablesOf(sheet);
      expect(tables).toHaveLength(1);
      expect(tables[0].name).toBe(SEASONS_TABLES[key][lang]);
      expect(tables[0].ref).toBe(`A1:${String.fromCharCode(64 + sheet.columnCount)}${sheet.rowCount}`);
    }
  });

  it("asks for each member's own season, by month, Region > Team > Rep", () => {
    const settings = new Map(table("settings").map((r) => [String(r[h("键", "Key")]), r[h("值", "Value")]]));
    expect(settings.get(SEASONS_SETTING_KEYS.seasonality[lang])).toBe(h("各自", "Own"));
    expect(settings.get(SEASONS_SETTING_KEYS.grain[lang])).toBe(h("月", "Month"));
    expect(settings.get(SEASONS_SETTING_KEYS.levels[lang])).toBe(h("区域 > 团队 > 销售员", "Region > Team > Rep"));
    expect(settings.get(SEASONS_SETTING_KEYS.unit[lang])).toBe(SEASONS_UNIT);
  });

  it("has History, per rep and month, in which the tourist-town store peaks in August, the office-park store in March, and the other stores in neither", () => {
    const history = table("history");
    expect(history).toHaveLength(30 * 24);
    const store = (team: string, year: string) =>
      Array.from({ length: 12 }, (_, m) => sum(history.filter((r) => r[h("团队", "Team")] === team && r[h("月份", "Date")] === `${year}-${String(m + 1).padStart(2, "0")}`).map((r) => Number(r[h("销售额", "Amount")]))));
    const teams = [...new Set(history.map((r) => String(r[h("团队", "Team")])))];
    expect(teams).toHaveLength(8);
    for (const year of ["2025", "2026"]) {
      expect(peakMonth(store(h("北戴河店", "Beidaihe Store"), year))).toBe(8);
      expect(peakMonth(store(h("张江店", "Zhangjiang Store"), year))).toBe(3);
      for (const team of teams.filter((t) => t !== h("北戴河店", "Beidaihe Store") && t !== h("张江店", "Zhangjiang Store")))
        expect([3, 8]).not.toContain(peakMonth(store(team, year)));
    }
  });

  it("has two new hires joining on 1 April with a ramp of 25%, 50%, 75% and no History, and one rep leaving on 30 September, in the Members table", () => {
    const members = table("members");
    const hires = members.filter((r) => r[h("入职", "Start")] !== null);
    expect(hires.map((r) => [r[h("入职", "Start")], r[h("离职", "End")], r[h("爬坡", "Ramp")]])).toEqual([
      ["2027-04-01", null, h("25%、50%、75%", "25%, 50%, 75%")],
      ["2027-04-01", null, h("25%、50%、75%", "25%, 50%, 75%")],
    ]);
    const history = table("history");
    for (const hire of hires) expect(history.filter((r) => r[h("销售员", "Rep")] === hire[h("销售员", "Rep")])).toEqual([]);
    const leavers = members.filter((r) => r[h("离职", "End")] !== null);
    expect(leavers.map((r) => [r[h("团队", "Team")], r[h("销售员", "Rep")], r[h("入职", "Start")], r[h("离职", "End")], r[h("爬坡", "Ramp")]])).toEqual([
      [h("杭州一店", "Hangzhou Store 1"), h("孙浩", "Sun Hao"), null, "2027-09-30", null],
    ]);
    expect(history.filter((r) => r[h("销售员", "Rep")] === h("孙浩", "Sun Hao"))).toHaveLength(24);
  });

  it("holds South China's Q4 month by month (12,000,000), a leaf cell (a rep's June) and a node's total (a store's year), all in the Target tier", () => {
    const holds = table("holds").map((r) => [r[h("区域", "Region")], r[h("团队", "Team")], r[h("销售员", "Rep")], r[h("期间", "Period")], r[h("档位", "Tier")], r[h("金额", "Amount")]]);
    const south = h("华南", "South China");
    const target = h("力争", "Target");
    expect(holds).toEqual([
      [south, null, null, "2027-10", target, 4_400_000],
      [south, null, null, "2027-11", target, 4_200_000],
      [south, null, null, "2027-12", target, 3_400_000],
      [h("华东", "East China"), h("上海一店", "Shanghai Store 1"), h("李晓燕", "Li Xiaoyan"), "2027-06", target, 450_000],
      [h("华北", "North China"), h("天津一店", "Tianjin Store 1"), null, null, target, 15_500_000],
    ]);
    expect(sum(holds.slice(0, 3).map((r) => Number(r[5])))).toBe(12_000_000);
  });
});

describe("the English twin (store-seasons-2027.xlsx)", () => {
  it("has the same numbers and dates as the Chinese workbook, sheet by sheet", async () => {
    const zh = workbookRows(await readSample(SEASONS_FILES.zh));
    const en = workbookRows(await readSample(SEASONS_FILES.en));
    const numbers = (sheet: Value[][]) => sheet.map((row) => row.map((v) => (typeof v === "number" || (typeof v === "string" && /^\d{4}-\d{2}/.test(v)) ? v : typeof v)));
    for (const key of ["targets", "history", "members", "holds", "settings"] as const)
      expect(numbers(en[seasonsSheetName(key, "en")])).toEqual(numbers(zh[seasonsSheetName(key, "zh")]));
  });
});

describe.each(LANGS)("planning the store-seasons sample (%s) with the command line", (lang) => {
  let result: Result;
  let byRep: Map<string, number[]>;
  const name = (zh: string, en: string) => (lang === "zh" ? zh : en);
  const teamReps = (team: string) => [...new Set(result.plan.filter((c) => Object.values(c.path)[1] === team).map((c) => Object.values(c.path)[2]))];

  beforeAll(async () => {
    const run = await plan(path.join(SAMPLE_DIR, SEASONS_FILES[lang]));
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    result = run.result!;
    byRep = rows(result);
  });

  it("plans every rep with History and both new hires over the twelve months", () => {
    expect(byRep.size).toBe(32);
    expect([...new Set(result.plan.map((c) => c.period))]).toEqual(MONTHS);
  });

  it("gives the tourist-town store's reps rows that peak in August and the office-park store's reps rows that peak in March", () => {
    const beidaihe = teamReps(name("北戴河店", "Beidaihe Store"));
    const zhangjiang = teamReps(name("张江店", "Zhangjiang Store"));
    expect(beidaihe).toHaveLength(3);
    expect(zhangjiang).toHaveLength(3);
    for (const rep of beidaihe) expect(peakMonth(byRep.get(rep)!)).toBe(8);
    for (const rep of zhangjiang) expect(peakMonth(byRep.get(rep)!)).toBe(3);
    // The chain's own peak month is neither: the columns follow the plan's periods.
    const columns = MONTHS.map((_, j) => sum([...byRep.values()].map((row) => row[j])));
    expect([3, 8]).not.toContain(peakMonth(columns));
  });

  it("gives the new hires nothing before April and a ramp of 25%, 50%, 75% of a full month after, against their store", () => {
    for (const [hire, team] of [
      [name("韩梅", "Han Mei"), name("上海一店", "Shanghai Store 1")],
      [name("冯涛", "Feng Tao"), name("广州一店", "Guangzhou Store 1")],
    ]) {
      const row = byRep.get(hire)!;
      expect(row.slice(0, 3)).toEqual([0, 0, 0]);
      expect(row.slice(3).every((v) => v > 0)).toBe(true);
      // The hire's cell against the rest of the store's, as a fraction of the same ratio in a full month.
      const others = MONTHS.map((_, j) => sum(teamReps(team).filter((r) => r !== hire).map((r) => byRep.get(r)![j])));
      const ratio = row.map((v, j) => v / others[j]);
      const full = sum(ratio.slice(6)) / 6;
      const steps = ratio.slice(3, 6).map((r) => r / full);
      expect(steps[0]).toBeCloseTo(0.25, 1);
      expect(steps[1]).toBeCloseTo(0.5, 1);
      expect(steps[2]).toBeCloseTo(0.75, 1);
      expect(steps[0] < steps[1] && steps[1] < steps[2] && steps[2] < 1).toBe(true);
    }
  });

  it("gives the leaver nothing after September and a target in every month before", () => {
    const row = byRep.get(name("孙浩", "Sun Hao"))!;
    expect(row.slice(9)).toEqual([0, 0, 0]);
    expect(row.slice(0, 9).every((v) => v > 0)).toBe(true);
  });

  it("keeps every hold exactly", () => {
    const south = name("华南", "South China");
    const southQ4 = ["2027-10", "2027-11", "2027-12"].map((p) =>
      sum(result.plan.filter((c) => Object.values(c.path)[0] === south && c.period === p).map((c) => c.target)),
    );
    expect(southQ4).toEqual([4_400_000, 4_200_000, 3_400_000]);
    expect(byRep.get(name("李晓燕", "Li Xiaoyan"))![5]).toBe(450_000);
    const tianjin = name("天津一店", "Tianjin Store 1");
    expect(sum(teamReps(tianjin).map((r) => sum(byRep.get(r)!)))).toBe(15_500_000);
    expect(result.nodes.find((n) => Object.values(n.path).length === 2 && Object.values(n.path)[1] === tianjin)!.target).toBe(15_500_000);
  });

  it("adds up exactly in every tier: rows to their members, columns to the plan's periods, periods to the plan, members to their parents; Floor ≤ Target ≤ Stretch in whole units", () => {
    const node = new Map(result.nodes.map((n) => [Object.values(n.path).join("|"), n]));
    const root = node.get("")!;
    for (const tier of TIERS) {
      const tierRows = rows(result, tier);
      const periods = result.periods.map((p) => p[tier]);
      expect(sum(periods)).toBe(root[tier]);
      expect(MONTHS.map((_, j) => sum([...tierRows.values()].map((r) => r[j])))).toEqual(periods);
      for (const cell of result.plan.filter((c) => c.period === MONTHS[0])) {
        const key = Object.values(cell.path).join("|");
        expect(sum(tierRows.get(Object.values(cell.path)[2])!)).toBe(node.get(key)![tier]);
      }
      for (const n of result.nodes) {
        const at = Object.values(n.path);
        const children = result.nodes.filter((c) => {
          const path = Object.values(c.path);
          return path.length === at.length + 1 && at.every((m, i) => path[i] === m);
        });
        if (children.length) expect(sum(children.map((c) => c[tier]))).toBe(n[tier]);
        else expect(at).toHaveLength(3);
      }
    }
    expect(root.target).toBe(data.targets.target);
    for (const c of result.plan) {
      expect(c.floor).toBeLessThanOrEqual(c.target);
      expect(c.target).toBeLessThanOrEqual(c.stretch);
      for (const tier of TIERS) expect(c[tier] % SEASONS_UNIT).toBe(0);
    }
  });
});

describe("what the sample's holds and seasons change", () => {
  /** The sample as generated, changed: without its holds, or with the chain's season for everyone. */
  async function variant(change: (chain: SeasonsChain) => void, seasonality?: string): Promise<Result> {
    const chain = generateSeasonsChain(kitchen);
    change(chain);
    const { workbook } = buildSeasonsSample(chain, "en");
    if (seasonality) {
      const sheet = workbook.getWorksheet(seasonsSheetName("settings", "en"))!;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === SEASONS_SETTING_KEYS.seasonality.en) row.getCell(2).value = seasonality;
      });
    }
    const file = path.join(dir, `variant-${Math.random().toString(36).slice(2)}.xlsx`);
    await writeWorkbookStable(workbook, file);
    const run = await plan(file);
    expect(run.errors).toEqual([]);
    return run.result!;
  }

  it("without the Holds table, South China's Q4 is below the 12,000,000 promised, and Li Xiaoyan's June and Tianjin's year are History's", async () => {
    const result = await variant((chain) => {
      chain.holds = [];
    });
    const southQ4 = sum(result.plan.filter((c) => c.path.Region === "South China" && ["2027-10", "2027-11", "2027-12"].includes(c.period)).map((c) => c.target));
    expect(southQ4).toBeLessThan(12_000_000);
    expect(rows(result).get("Li Xiaoyan")![5]).not.toBe(450_000);
    expect(result.nodes.find((n) => n.path.Team === "Tianjin Store 1" && !n.path.Rep)!.target).not.toBe(15_500_000);
  });

  it("without the leaver's End, he carries a whole year and the rest of his store less, the store's total the same", async () => {
    const result = await variant((chain) => {
      chain.members = chain.members.filter((m) => m.end === null);
    });
    const withEnd = (await plan(path.join(SAMPLE_DIR, SEASONS_FILES.en))).result!;
    const [before, after] = [rows(result), rows(withEnd)];
    const store = ["Liu Yang", "Zhao Min", "Zhou Lijuan"];
    expect(sum(before.get("Sun Hao")!)).toBeGreaterThan(sum(after.get("Sun Hao")!));
    expect(before.get("Sun Hao")!.slice(9).every((v) => v > 0)).toBe(true);
    for (const rep of store) expect(sum(before.get(rep)!)).toBeLessThan(sum(after.get(rep)!));
    const total = (r: Result) => r.nodes.find((n) => n.path.Team === "Hangzhou Store 1" && !n.path.Rep)!.target;
    expect(total(result)).toBe(total(withEnd));
  });

  it("with Seasonality Shared, the tourist-town store's reps follow the chain's season instead of August", async () => {
    const result = await variant(() => undefined, "Shared");
    const byRep = rows(result);
    const columns = MONTHS.map((_, j) => sum([...byRep.values()].map((r) => r[j])));
    for (const rep of ["Qin Haiyan", "Deng Lixin", "Cao Yang"]) expect(peakMonth(byRep.get(rep)!)).not.toBe(8);
    expect(peakMonth(columns)).not.toBe(8);
  });
});
