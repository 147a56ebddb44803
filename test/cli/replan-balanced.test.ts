/**
 * `target-cascade replan` of a balanced plan end to end: sample/store-seasons-2027.xlsx (own
 * seasons, two hires with ramps, a leaver, holds) with an Actuals sheet for January to June,
 * re-planned at 2027-07-01. Each rep's second half follows its own original cells, the leaver has
 * nothing after September, South China's Q4 holds stay, and both versions add up exactly.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { tempDir } from "./fixtures";
import { replanSummary } from "../../src/cli/replan-summary";
import { buildVersionsSheet } from "../../src/report/versions-sheet";
import { computePlan } from "../../src/engine";
import { dayFromYmd } from "../../src/engine/dates";
import { computeReplan } from "../../src/engine/replan";
import type { FactRow, HoldRow } from "../../src/engine/types";
import { monthFact, planInput } from "../engine/build";

interface Cell {
  path: Record<string, string>;
  period: string;
  floor: number;
  target: number;
  stretch: number;
}

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const SAMPLE = join(__dirname, "..", "..", "sample", "store-seasons-2027.xlsx");
const FIRST_HALF = ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"];
const SECOND_HALF = ["2027-07", "2027-08", "2027-09", "2027-10", "2027-11", "2027-12"];

describe("replan of the store-seasons sample (a balanced plan) at 2027-07-01", () => {
  let original: Cell[];
  let revised: Cell[];
  let out: string;
  let note: string;

  beforeAll(async () => {
    const dir = tempDir("tc-replan-balanced-");
    // The original plan, to set the first half's actuals against.
    const planned = await run(["plan", SAMPLE, "--out", join(dir, "planned.xlsx"), "--json", join(dir, "planned.json"), "--quiet"]);
    expect(planned.err).toEqual([]);
    const plan: Cell[] = JSON.parse(readFileSync(join(dir, "planned.json"), "utf8")).plan;
    // Actuals: each rep at 80–115% of the month's Target (Beidaihe ahead), on the 10th.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(SAMPLE);
    const ws = wb.addWorksheet("Actuals");
    ws.addRow(["Date", "Region", "Team", "Rep", "Amount"]);
    let k = 0;
    for (const c of plan) {
      if (!FIRST_HALF.includes(c.period) || c.target === 0) continue;
      const pace = c.path.Team === "Beidaihe Store" ? 1.15 : 0.8 + (k++ % 5) * 0.05;
      ws.addRow([`${c.period}-10`, c.path.Region, c.path.Team, c.path.Rep, Math.round(c.target * pace) + 0.5]);
    }
    const input = join(dir, "with-actuals.xlsx");
    await wb.xlsx.writeFile(input);
    const r = await run(["replan", input, "--out", join(dir, "replanned.xlsx"), "--json", join(dir, "replanned.json"), "--as-of", "2027-07-01"]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    out = r.out.join("\n");
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, "replanned.xlsx"));
    note = String(book.getWorksheet("Plan Versions")!.getCell("A2").value);
    const json = JSON.parse(readFileSync(join(dir, "replanned.json"), "utf8"));
    original = json.versions[0].plan;
    revised = json.plan;
  }, 120_000);

  const rowOf = (plan: Cell[], rep: string, periods: string[], tier: "floor" | "target" | "stretch" = "target"): number[] => periods.map((p) => plan.find((c) => c.path.Rep === rep && c.period === p)![tier]);
  const reps = (): string[] => [...new Set(original.map((c) => c.path.Rep))];

  it("both versions add up exactly; the first half is the actuals", () => {
    expect(out).toMatch(/✓ Both versions add up exactly/);
    expect(out).toMatch(/Own seasons: each member's remaining target follows its own original cells in the periods left · holds in the periods left: 3 kept exactly\n/);
    const hz = revised.find((c) => c.period === "2027-01" && c.path.Team === "Beidaihe Store")!;
    const before = original.find((c) => c.period === "2027-01" && c.path.Rep === hz.path.Rep)!;
    expect(hz.target).toBe(Math.round(before.target * 1.15) + 0.5);
    expect(hz.floor).toBe(hz.target);
  });

  it("each rep's second half follows its own original cells: Beidaihe's August peak, the hires' ramps, within one Unit each", () => {
    for (const rep of reps()) {
      const o = rowOf(original, rep, SECOND_HALF);
      const v = rowOf(revised, rep, SECOND_HALF);
      const held = rep === "Han Mei" || rep === "Feng Tao" || original.find((c) => c.path.Rep === rep)!.path.Region === "South China";
      if (held) continue; // South China's Q4 is held (below)
      const so = o.reduce((a, b) => a + b, 0);
      const sv = v.reduce((a, b) => a + b, 0);
      if (so === 0) {
        expect(v).toEqual([0, 0, 0, 0, 0, 0]);
        continue;
      }
      // Within one Unit (100) of its share, the one remainder cell within its remainder more.
      v.forEach((x, k) => expect(Math.abs(x - (sv * o[k]) / so)).toBeLessThanOrEqual(100 + (sv % 100) + 1e-6));
    }
    const beidaihe = reps().filter((r) => original.find((c) => c.path.Rep === r)!.path.Team === "Beidaihe Store");
    expect(beidaihe.length).toBeGreaterThan(0);
    for (const rep of beidaihe) {
      const v = rowOf(revised, rep, SECOND_HALF);
      expect(v.indexOf(Math.max(...v))).toBe(1); // August
    }
    // Han Mei (joined in April, East China) keeps the ratios of her original second half.
    const o = rowOf(original, "Han Mei", SECOND_HALF);
    const v = rowOf(revised, "Han Mei", SECOND_HALF);
    const so = o.reduce((a, b) => a + b, 0);
    const sv = v.reduce((a, b) => a + b, 0);
    v.forEach((x, k) => expect(Math.abs(x - (sv * o[k]) / so)).toBeLessThanOrEqual(100 + (sv % 100) + 1e-6));
  });

  it("Plan Versions says how the periods left were spread, and that the holds there are kept", () => {
    expect(note).toBe(
      "Periods ended by 2027-06-30 keep their actuals as the plan of record. Each member's remaining target (target − actual to date, not below zero) is spread over the periods left in proportion to the member's own cells of the original plan there (its season, its Start, End and ramp); holds in the periods left kept exactly: 3.",
    );
  });

  it("the leaver has nothing after September, in any tier", () => {
    for (const t of ["floor", "target", "stretch"] as const) expect(rowOf(revised, "Sun Hao", ["2027-10", "2027-11", "2027-12"], t)).toEqual([0, 0, 0]);
    expect(rowOf(revised, "Sun Hao", ["2027-07"])[0]).toBeGreaterThan(0);
  });

  it("South China's Q4 holds stay: 4,400,000, 4,200,000 and 3,400,000", () => {
    const south = (period: string): number => revised.filter((c) => c.path.Region === "South China" && c.period === period).reduce((a, c) => a + c.target, 0);
    expect([south("2027-10"), south("2027-11"), south("2027-12")]).toEqual([4_400_000, 4_200_000, 3_400_000]);
  });

  it("Floor ≤ Target ≤ Stretch in every cell", () => {
    for (const c of revised) {
      expect(c.floor).toBeLessThanOrEqual(c.target);
      expect(c.target).toBeLessThanOrEqual(c.stretch);
    }
  });
});

describe("the re-plan summary of a balanced plan, in both languages", () => {
  it("says each member follows its own cells, and counts the holds kept and released at their cells", () => {
    const history: FactRow[] = [];
    for (let m = 1; m <= 12; m++) {
      history.push(monthFact(2026, m, { Rep: "Beach" }, m === 8 ? 1200 : 100));
      history.push(monthFact(2026, m, { Rep: "Office" }, m === 3 ? 1200 : 100));
    }
    const hold = (rep: string, period: string, amount: number, row: number): HoldRow => ({ path: { Rep: rep }, period, tier: "target", amount, ref: `Holds!A${row}`, refs: { amount: `Holds!D${row}` } });
    // Office's December held at 300 is kept; Beach's July … December all held leave nothing for its gap: released.
    const holds = [hold("Office", "2027-12", 300, 2), ...["07", "08", "09", "10", "11", "12"].map((m, k) => hold("Beach", `2027-${m}`, 100, k + 3))];
    const input = planInput({ history, seasonality: "Own", tiers: { target: 4_600 }, unit: 1, holds });
    const plan = computePlan(input);
    const r = computeReplan(input, plan, [], { asOf: dayFromYmd(2027, 6, 30) });
    expect(replanSummary(r, "en")[3]).toBe("  Own seasons: each member's remaining target follows its own original cells in the periods left · holds in the periods left: 1 kept exactly, 6 released, the remaining targets cannot carry them (Holds!D3, Holds!D4, Holds!D5, Holds!D6 …)");
    // Plan Versions' note in Chinese.
    expect(buildVersionsSheet(r, "zh").rows[1][0]).toBe(
      "截至 2027-06-30 已结束的期间以实际业绩为准。每位成员的剩余目标（目标 − 累计实际，不低于零）按其原计划在剩余期间各期的比例（各自的季节、入职、离职与爬坡）分摊到剩余期间；剩余期间的锁定值精确保留：1 个，无法保留已释放：6 个。",
    );
    expect(replanSummary(r, "zh")[3]).toBe("  各自季节：每人的剩余目标按其原计划在剩余期间的各期分摊 · 剩余期间的锁定值：1 个精确保留，6 个无法保留已释放（Holds!D3、Holds!D4、Holds!D5、Holds!D6 等）");
  });
});
