/**
 * The written sheets in a real spreadsheet: LibreOffice recalculates every formula, and the
 * results must be free of error values, equal the cached results, and equal the PlanResult.
 */
import { toWorkbook } from "../helpers/xlsx";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { PlanResult } from "../../src/engine/types";
import { preparePlan } from "../../src/hosts/run";
import { XlsxHost } from "../../src/hosts/xlsx";
import type { Lang } from "../../src/i18n";
import { buildPlanSheets, CHECK_OK } from "../../src/report";
import { cellRef } from "../../src/report/a1";
import { byAddress, findSoffice, readAllCells, recalcXlsx, type ReadCell, describeWithLibreOffice } from "../helpers/libreoffice";
import { threeLevelPlanZh, twoLevelPlan, zeroPlan } from "../report/fixtures";

const dir = mkdtempSync(join(tmpdir(), "tc-lo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sameValue(recalculated: ReadCell["value"], cached: ReadCell["value"]): boolean {
  if (typeof recalculated === "number" && typeof cached === "number") {
    return Math.abs(recalculated - cached) <= 1e-9 * Math.max(1, Math.abs(cached));
  }
  return recalculated === cached;
}

describeWithLibreOffice("LibreOffice harness", () => {
  it("really recalculates: a deliberately wrong cached result comes back right", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("S");
    ws.getCell("A1").value = 6;
    ws.getCell("A2").value = 7;
    ws.getCell("A3").value = { formula: "A1*A2", result: 999 };
    const path = join(dir, "stale.xlsx");
    await wb.xlsx.writeFile(path);

    const cells = byAddress(await readAllCells(await recalcXlsx(path, dir)));
    expect(cells.get("S!A3")).toMatchObject({ value: 42, formula: "A1*A2" });
  });

  it("reports error values", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("S").getCell("A1").value = { formula: "1/0", result: 0 };
    const path = join(dir, "error.xlsx");
    await wb.xlsx.writeFile(path);
    const [cell] = await readAllCells(await recalcXlsx(path, dir));
    expect(cell.error).toBe("#DIV/0!");
  });
});

describeWithLibreOffice("a workbook saved by LibreOffice", () => {
  it("still knows its own sheets (LibreOffice saves the very hidden register as hidden) and re-runs", async () => {
    const host = await XlsxHost.fromWorkbook(new ExcelJS.Workbook());
    await host.writeSheets(buildPlanSheets(twoLevelPlan(), "en"));
    const path = join(dir, "saved-by-lo.xlsx");
    await host.save(path);

    const reopened = await XlsxHost.open(await recalcXlsx(path, dir));
    expect((await reopened.ownedSheets()).map((o) => o.kind)).toEqual(["plan", "matrix", "weights"]);
    await reopened.writeSheets(buildPlanSheets(twoLevelPlan(), "en"));
    expect((await toWorkbook(reopened)).worksheets.map((ws) => ws.name)).toEqual(["Plan", "Plan Matrix", "Weights Review", "TargetCascade"]);
  });
});

describeWithLibreOffice.each<[string, () => PlanResult, Lang]>([
  ["two levels, three tiers, locks and the zero-history fallback (en)", twoLevelPlan, "en"],
  ["three levels, target only, rounding and an all-locked group (zh)", threeLevelPlanZh, "zh"],
  ["a plan of zero: every denominator zero, unit 0.01 (en)", zeroPlan, "en"],
])("written plan sheets recalculated by LibreOffice: %s", (_, fixture, lang) => {
  const result = fixture();
  const sheets = buildPlanSheets(result, lang);
  let cached: Map<string, ReadCell>;
  let recalculated: ReadCell[];
  let byRef: Map<string, ReadCell>;

  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Targets").addRow(["Target", result.totals.target]);
    const host = await XlsxHost.fromWorkbook(wb);
    await host.writeSheets(sheets);
    const path = join(dir, `plan-${lang}-${result.nodes.length}.xlsx`);
    await host.save(path);
    cached = byAddress(await readAllCells(path));
    recalculated = await readAllCells(await recalcXlsx(path, dir));
    byRef = byAddress(recalculated);
  });

  it("has no error value anywhere", () => {
    const errors = recalculated.filter((c) => c.error !== undefined).map((c) => `${c.sheet}!${c.address} ${c.formula} → ${c.error}`);
    expect(errors).toEqual([]);
  });

  it("recalculates every formula to its cached result", () => {
    const formulas = [...cached.values()].filter((c) => c.formula !== undefined);
    expect(formulas.length).toBeGreaterThan(20);
    const differ = formulas
      .filter((c) => !sameValue(byRef.get(`${c.sheet}!${c.address}`)?.value ?? null, c.value))
      .map((c) => `${c.sheet}!${c.address} ${c.formula}: cached ${c.value}, recalculated ${byRef.get(`${c.sheet}!${c.address}`)?.value}`);
    expect(differ).toEqual([]);
  });

  it("keeps workbook text as text", () => {
    const members = result.nodes.map((n) => n.member).filter((m) => m !== "");
    for (const cell of recalculated) {
      if (typeof cell.value === "string" && members.includes(cell.value)) expect(cell.formula).toBeUndefined();
    }
    const planCells = recalculated.filter((c) => c.sheet === sheets[0].name);
    for (const m of ["=1+1", "+SUM(1,2)", "@x", "-3"].filter((x) => members.includes(x))) {
      expect(planCells.some((c) => c.value === m)).toBe(true);
    }
  });

  it("shows the PlanResult's numbers: plan rows, matrix totals, exact values and checks", () => {
    const [plan, matrix, review] = sheets;
    const cellValue = (sheet: string, row: number, col: number) => byRef.get(`${sheet}!${cellRef(row, col)}`)?.value ?? null;

    // Plan: the tier columns hold the leaf × period cells.
    const L = result.levels.length;
    const P = result.periods.length;
    result.leaves.forEach((_, leafPos) => {
      result.periods.forEach((__, p) => {
        const row = 2 + leafPos * P + p;
        result.tiers.forEach((tier, t) => {
          expect(cellValue(plan.name, row, L + 2 + t)).toBe(result.cells[tier][leafPos * P + p]);
        });
      });
    });

    // Matrix: every block's grand total is the plan's total for its tier.
    const totalCol = L + P + 1;
    const totalLabel = lang === "zh" ? "合计" : "Total";
    const grandTotals = matrix.rows
      .map((r, i) => ({ r, i }))
      .filter(({ r, i }) => i > 0 && r[0] === totalLabel)
      .map(({ i }) => cellValue(matrix.name, i + 1, totalCol));
    expect(grandTotals.sort()).toEqual(result.tiers.map((t) => result.totals[t]).sort());

    // Weights review: recalculated exact values are the engine's; every check is ✓.
    const exactCol = review.rows[0].indexOf(lang === "zh" ? "精确值" : "Exact") + 1;
    const checkCol = review.rows[0].length;
    for (const node of result.nodes.filter((n) => n.depth === L)) {
      const i = review.rows.findIndex((r) => r[L - 1] === node.member);
      expect(cellValue(review.name, i + 1, exactCol)).toBeCloseTo(node.exact.target, 6);
    }
    const checks = recalculated.filter((c) => c.sheet === review.name && c.col === checkCol && c.formula !== undefined);
    expect(checks.length).toBeGreaterThan(1);
    for (const c of checks) expect(c.value).toBe(CHECK_OK);
  });
});

describeWithLibreOffice.each(["kitchen-appliances-2027.xlsx", "厨电门店-2027.xlsx"])(
  "the sample workbook %s, planned by the engine and recalculated by LibreOffice",
  (file) => {
    it("has no error value, every formula gives its cached result, and exact values are the engine's", async () => {
      const host = await XlsxHost.open(join(__dirname, "..", "..", "sample", file));
      const outcome = await preparePlan(host);
      if (!outcome.ok) throw new Error(outcome.problems.map((p) => `${p.ref}: ${p.code}`).join("\n"));
      await host.writeSheets(outcome.sheets);
      const path = join(dir, `sample-${outcome.lang}.xlsx`);
      await host.save(path);

      const cached = byAddress(await readAllCells(path));
      const recalculated = await readAllCells(await recalcXlsx(path, dir));
      expect(recalculated.filter((c) => c.error !== undefined)).toEqual([]);
      const formulas = recalculated.filter((c) => c.formula !== undefined);
      expect(formulas.length).toBeGreaterThan(100);
      for (const c of formulas) {
        const before = cached.get(`${c.sheet}!${c.address}`)?.value ?? null;
        if (!sameValue(c.value, before)) throw new Error(`${c.sheet}!${c.address} ${c.formula}: cached ${before}, recalculated ${c.value}`);
      }

      const { result } = outcome;
      const review = outcome.sheets[2];
      const exactCol = review.rows[0].indexOf(outcome.lang === "zh" ? "精确值" : "Exact") + 1;
      const byRef = byAddress(recalculated);
      for (const node of result.nodes.filter((n) => n.parent >= 0)) {
        const i = review.rows.findIndex(
          (r) => r.length > result.levels.length && r[result.levels.length] !== null && result.levels.every((l, k) => (node.path[l] ?? null) === (r[k] ?? null)),
        );
        const value = byRef.get(`${review.name}!${cellRef(i + 1, exactCol)}`)?.value;
        expect(value).toBeCloseTo(node.exact.target, 6);
      }
    });
  },
);
