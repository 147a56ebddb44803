/**
 * Workbooks the tool has never seen: fast-check writes random .xlsx files — English or Chinese
 * headers, tables or plain sheets, one to three levels, any calendar grain, odd units and tiers,
 * names that look like formulas — and the whole pipeline must plan each one, with every total
 * adding up and every name written back as the same text.
 */
import ExcelJS from "exceljs";
import fc from "fast-check";
import { checkTotals } from "../../src/engine";
import { planWorkbook } from "../../src/hosts/run";
import { XlsxHost } from "../../src/hosts/xlsx";
import { toResultJson } from "../../src/report";
import { toWorkbook } from "../helpers/xlsx";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150) >= 1000 ? 150 : 25;

const HEADERS = {
  en: { targets: "Targets", history: "History", settings: "Settings", period: "Period", floor: "Floor", target: "Target", stretch: "Stretch", date: "Date", amount: "Amount", key: "Key", value: "Value", levels: ["Region", "Team", "Rep"], grain: "Grain", unit: "Unit", levelsKey: "Levels" },
  zh: { targets: "目标", history: "历史", settings: "设置", period: "期间", floor: "保底", target: "力争", stretch: "冲刺", date: "月份", amount: "销售额", key: "键", value: "值", levels: ["区域", "团队", "销售员"], grain: "时间粒度", unit: "取整单位", levelsKey: "分解层级" },
} as const;

const GRAIN_WORDS = { en: ["Year", "Quarter", "Month", "Week"], zh: ["年", "季度", "月", "周"] } as const;

const nameArb = fc.oneof(
  fc.constantFrom("=1+1", "+SUM(1,2)", "@x", "-3", "王伟", "李娜", "O'Brien", "A&B <C>", "  spaced  ", "东区"),
  fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim().length > 0 && !/[\u0000-\u001f]/.test(s)),
);

const caseArb = fc.record({
  lang: fc.constantFrom<"en" | "zh">("en", "zh"),
  asTables: fc.boolean(),
  depth: fc.integer({ min: 1, max: 3 }),
  names: fc.uniqueArray(nameArb, { minLength: 2, maxLength: 7, selector: (s) => s.trim() }),
  fanout: fc.integer({ min: 1, max: 3 }),
  grain: fc.integer({ min: 0, max: 3 }),
  unit: fc.constantFrom(1, 10, 100, 1000),
  target: fc.integer({ min: 0, max: 50_000_000 }),
  floorPct: fc.option(fc.integer({ min: 60, max: 100 }), { nil: undefined }),
  stretchPct: fc.option(fc.integer({ min: 100, max: 150 }), { nil: undefined }),
  amounts: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 12, maxLength: 12 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function buildWorkbook(c: Case): { wb: ExcelJS.Workbook; leaves: string[][] } {
  const h = HEADERS[c.lang];
  const wb = new ExcelJS.Workbook();
  const levels = h.levels.slice(3 - c.depth);
  // Leaves: the names combined level by level, `fanout` children per member.
  let paths: string[][] = [[]];
  for (let l = 0; l < c.depth; l++) {
    const next: string[][] = [];
    paths.forEach((p, i) => {
      for (let k = 0; k < (l === 0 ? c.names.length : c.fanout); k++) next.push([...p, c.names[(i + k + l) % c.names.length].trim() + (l ? `·${i}${k}` : "")]);
    });
    paths = next;
  }
  const sheet = (name: string, rows: (string | number)[][]): void => {
    const ws = wb.addWorksheet(name === "History" ? "History data" : name);
    if (c.asTables) {
      ws.addTable({ name: name === "History" ? "History" : `T_${wb.worksheets.length}`, ref: "A1", columns: rows[0].map((n) => ({ name: String(n) })), rows: rows.slice(1) });
    } else {
      rows.forEach((r) => ws.addRow(r));
    }
  };
  const target = c.target - (c.target % c.unit);
  const tierHeads: string[] = [h.period, h.target];
  const tierValues: (string | number)[] = ["2027", target];
  if (c.floorPct) {
    tierHeads.push(h.floor);
    tierValues.push(Math.floor((target * c.floorPct) / 100));
  }
  if (c.stretchPct) {
    tierHeads.push(h.stretch);
    tierValues.push(Math.ceil((target * c.stretchPct) / 100));
  }
  // Table names must be valid identifiers, so tables use English names; sheet names carry the language.
  const targetsName = c.asTables ? "Targets" : h.targets;
  const historyName = c.asTables ? "History" : c.lang === "en" ? "History" : h.history;
  const settingsName = c.asTables ? "Settings" : h.settings;
  sheet(targetsName, [tierHeads, tierValues]);
  const history: (string | number)[][] = [[h.date, ...levels, h.amount]];
  paths.forEach((p, i) => {
    for (let m = 1; m <= 12; m++) history.push([`2026-${String(m).padStart(2, "0")}`, ...p, c.amounts[(i + m) % 12] * (i + 1)]);
  });
  sheet(historyName, history);
  sheet(settingsName, [
    [h.key, h.value],
    [h.levelsKey, levels.join(" > ")],
    [h.grain, GRAIN_WORDS[c.lang][c.grain]],
    [h.unit, c.unit],
  ]);
  return { wb, leaves: paths };
}

describe("workbooks it has never seen", () => {
  it("plans each one: totals add up, names come back as the same text", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { wb, leaves } = buildWorkbook(c);
        const host = await XlsxHost.fromWorkbook(wb);
        const outcome = await planWorkbook(host);
        if (!outcome.ok) throw new Error(`problems: ${JSON.stringify(outcome.problems)}`);
        expect(checkTotals(outcome.result)).toEqual({ ok: true, mismatches: [] });
        expect(outcome.result.leaves).toHaveLength(leaves.length);

        const json = toResultJson(outcome.result);
        const planName = outcome.lang === "zh" ? "分解明细" : "Plan";
        const written = (await toWorkbook(host)).getWorksheet(planName) as ExcelJS.Worksheet;
        expect(written.rowCount - 1).toBe(json.plan.length);
        json.plan.forEach((row, i) => {
          Object.values(row.path).forEach((member, k) => expect(written.getCell(i + 2, k + 1).value).toBe(member));
        });
      }),
      { numRuns: RUNS },
    );
  });
});
