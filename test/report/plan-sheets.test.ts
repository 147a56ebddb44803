import { buildPlanSheets, CHECK_OK, SheetTooLargeError, uniqueHeaders } from "../../src/report";
import { parseRangeRef } from "../../src/report/a1";
import { amountFormat } from "../../src/report/format";
import type { CellSpec, FormulaCell, SheetSpec } from "../../src/report/spec";
import { buildFixture, threeLevelPlanZh, twoLevelPlan } from "./fixtures";

const isFormula = (c: CellSpec): c is FormulaCell => c !== null && typeof c === "object";
const column = (sheet: SheetSpec, header: string) => sheet.rows[0].indexOf(header);

describe("buildPlanSheets", () => {
  it("returns the plan, matrix and weights review sheets named in the workbook's language", () => {
    const result = twoLevelPlan();
    expect(buildPlanSheets(result, "en").map((s) => [s.kind, s.name])).toEqual([
      ["plan", "Plan"],
      ["matrix", "Plan Matrix"],
      ["weights", "Weights Review"],
    ]);
    expect(buildPlanSheets(result, "zh").map((s) => s.name)).toEqual(["分解明细", "分解矩阵", "权重审核"]);
  });

  it("never puts a formula where workbook text goes: members are plain strings", () => {
    const sheets = buildPlanSheets(twoLevelPlan(), "en");
    for (const sheet of sheets) {
      for (const row of sheet.rows) {
        for (const cell of row) {
          if (isFormula(cell)) expect(cell.formula).not.toContain("=1+1");
        }
      }
    }
    const plan = sheets[0];
    expect(plan.rows.some((r) => r[1] === "=1+1")).toBe(true);
  });
});

describe("plan sheet", () => {
  it("is one table: level columns, period, then the tiers, one row per leaf and period", () => {
    const result = twoLevelPlan();
    const [plan] = buildPlanSheets(result, "en");
    expect(plan.rows[0]).toEqual(["Region", "Rep", "Period", "Floor", "Target", "Stretch"]);
    expect(plan.rows).toHaveLength(1 + result.leaves.length * result.periods.length);
    expect(plan.table).toEqual({ name: "TC_Plan", headerRow: 0, dataRows: 10, columns: 6, style: "TableStyleMedium2" });
    expect(plan.rows[1]).toEqual(["East", "Li", "2027-Q1", 320, 400, 480]);
    expect(plan.rows[10]).toEqual(["West", "=1+1", "2027-Q2", 960, 1200, 1440]);
    expect(plan.numberFormats).toEqual([{ range: "D2:F11", format: "#,##0" }]);
    expect(plan.freeze).toEqual({ rows: 1, cols: 2 });
    expect(plan.columnWidths).toHaveLength(6);
  });

  it("uses the level labels as written and Chinese tier names, leaving out tiers the plan lacks", () => {
    const result = threeLevelPlanZh();
    const [plan] = buildPlanSheets(result, "zh");
    expect(plan.rows[0]).toEqual(["区域", "团队", "销售员", "期间", "力争"]);
    const total = plan.rows.slice(1).reduce((s, r) => s + (r[4] as number), 0);
    expect(total).toBe(result.totals.target);
  });

  it("keeps table column names unique when a level is called like another column", () => {
    expect(uniqueHeaders(["Period", "Rep", "Period", "Target", "target"])).toEqual([
      "Period",
      "Rep",
      "Period (2)",
      "Target",
      "target (2)",
    ]);
    expect(uniqueHeaders(["", "A"])).toEqual(["Column1", "A"]);
  });

  it("shows decimals when the rounding unit is below one", () => {
    expect(amountFormat(100)).toBe("#,##0");
    expect(amountFormat(1)).toBe("#,##0");
    expect(amountFormat(0.5)).toBe("#,##0.0");
    expect(amountFormat(0.01)).toBe("#,##0.00");
  });
});

describe("matrix sheet", () => {
  const result = twoLevelPlan();
  const matrix = buildPlanSheets(result, "en")[1];

  it("has leaves down, periods across and a total column", () => {
    expect(matrix.rows[0]).toEqual(["Region", "Rep", "2027-Q1", "2027-Q2", "Total"]);
    expect(matrix.freeze).toEqual({ rows: 1, cols: 2 });
  });

  it("stacks one block per tier, Target first, each with live totals", () => {
    const titles = matrix.rows.filter((r) => r.length === 1).map((r) => r[0]);
    expect(titles).toEqual(["Target", "Floor", "Stretch"]);

    // Target block: title in row 2, leaves in rows 3..7, totals in row 8.
    expect(matrix.rows[2]).toEqual(["East", "Li", 400, 600, { formula: "SUM(C3:D3)", result: 1000 }]);
    const totals = matrix.rows[7];
    expect(totals[0]).toBe("Total");
    expect(totals[2]).toEqual({ formula: "SUM(C3:C7)", result: result.periods[0].amount.target });
    expect(totals[4]).toEqual({ formula: "SUM(E3:E7)", result: result.totals.target });
  });

  it("row totals are the leaves' amounts and grand totals the plan's, in every tier", () => {
    for (const tier of result.tiers) {
      const title = matrix.rows.findIndex((r) => r.length === 1 && r[0] === ["Floor", "Target", "Stretch"][["floor", "target", "stretch"].indexOf(tier)]);
      result.leaves.forEach((n, leafPos) => {
        const total = matrix.rows[title + 1 + leafPos][4] as FormulaCell;
        expect(total.result).toBe(result.nodes[n].amount[tier]);
      });
      const grand = matrix.rows[title + 1 + result.leaves.length][4] as FormulaCell;
      expect(grand.result).toBe(result.totals[tier]);
    }
  });

  it("formats every amount, totals included", () => {
    for (const f of matrix.numberFormats) {
      expect(f.format).toBe("#,##0");
      const r = parseRangeRef(f.range);
      expect([r.left, r.right]).toEqual([3, 5]);
    }
  });
});

describe("weights review sheet", () => {
  const result = twoLevelPlan();
  const sheet = buildPlanSheets(result, "en")[2];
  const col = (h: string) => column(sheet, h);

  it("lays out the plan total, then one section per parent with contiguous siblings", () => {
    expect(sheet.rows[0]).toEqual([
      "Region",
      "Rep",
      "Level",
      "Method",
      "Basis",
      "Share",
      "Lock",
      "Available",
      "Exact",
      "Allocated (Target)",
      "Rounding",
      "Floor",
      "Stretch",
      "Check",
    ]);
    const levelColumn = sheet.rows.map((r) => r[col("Level")] ?? null);
    expect(levelColumn).toEqual([
      "Level",
      "Plan total",
      null,
      null,
      "Region",
      "Region",
      "Subtotal",
      null,
      null,
      "Rep",
      "Rep",
      "Rep",
      "Subtotal",
      null,
      null,
      "Rep",
      "Rep",
      "Subtotal",
    ]);
    expect(sheet.rows[3]).toEqual(["Under: Plan total"]);
    expect(sheet.rows[8]).toEqual(["Under: Region East"]);
  });

  it("names the method of each share, marking the all-zero-history fallback", () => {
    const methods = sheet.rows.map((r) => r[col("Method")]).filter((m) => typeof m === "string" && m !== "Method");
    expect(methods).toEqual(["History", "History", "Lock", "History", "History", "Equal (no history)", "Equal (no history)"]);
    const zh = buildPlanSheets(result, "zh")[2];
    const zhMethods = zh.rows.map((r) => r[column(zh, "分解方法")]).filter((m) => typeof m === "string");
    expect(zhMethods).toContain("锁定");
    expect(zhMethods).toContain("平均(历史为零)");
  });

  it("derives share, available and exact with formulas on the cells beside them", () => {
    // Wang: row 11 (1-based), East's row is 5, the East section's subtotal row 13.
    const wang = sheet.rows[10];
    expect(wang[1]).toBe("Wang");
    expect(wang[col("Share")]).toEqual({ formula: "IF($E$13=0,0,E11/$E$13)", result: 0.6 });
    expect(wang[col("Available")]).toEqual({ formula: "MAX(0,$I$5-$G$13)", result: 5000 });
    expect(wang[col("Exact")]).toEqual({ formula: "H11*F11", result: 3000 });
    expect(wang[col("Rounding")]).toEqual({ formula: "J11-I11", result: 0 });

    const li = sheet.rows[9];
    expect(li[col("Basis")] ?? null).toBeNull();
    expect(li[col("Lock")]).toBe(1000);
    expect(li[col("Share")]).toEqual({ formula: "IF($I$5=0,0,G10/$I$5)", result: 1000 / 6000 });
    expect(li[col("Exact")]).toEqual({ formula: "G10", result: 1000 });
  });

  it("checks each group adds up in every tier, and the plan total checks them all", () => {
    const subtotal = sheet.rows[12];
    const check = subtotal[col("Check")] as FormulaCell;
    expect(check.formula).toBe('IF(AND(ROUND(J13-J5,6)=0,ROUND(L13-L5,6)=0,ROUND(M13-M5,6)=0),"✓","✗")');
    expect(check.result).toBe(CHECK_OK);
    const overall = sheet.rows[1][col("Check")] as FormulaCell;
    expect(overall.formula).toBe('IF(COUNTIF(N3:N18,"✗")=0,"✓","✗")');
    expect(overall.result).toBe(CHECK_OK);
  });

  it("caches the exact values the engine computed", () => {
    const byMember = new Map(sheet.rows.filter((r) => typeof r[1] === "string").map((r) => [r[1], r]));
    for (const node of result.nodes.filter((n) => n.depth === 2)) {
      const row = byMember.get(node.member)!;
      expect((row[col("Exact")] as FormulaCell).result).toBeCloseTo(node.exact.target, 9);
      expect(row[col("Allocated (Target)")]).toBe(node.amount.target);
    }
  });

  it("guards a group whose basis is zero (every member locked)", () => {
    const zh = buildPlanSheets(threeLevelPlanZh(), "zh")[2];
    const shareCol = column(zh, "占比");
    const locked = zh.rows.filter((r) => r[2] === "@x" || r[2] === "-3");
    expect(locked).toHaveLength(2);
    for (const row of locked) {
      const share = row[shareCol] as FormulaCell;
      expect(share.formula).toMatch(/^IF\(\$[A-Z]+\$\d+=0,0,/);
      expect(share.result).toBe(0.5);
    }
  });

  it("marks a group that does not add up", () => {
    const broken = twoLevelPlan();
    broken.nodes[broken.nodes.findIndex((n) => n.member === "Wang")].amount.target += 10;
    const review = buildPlanSheets(broken, "en")[2];
    const checks = review.rows.map((r) => r[col("Check")]).filter(isFormula);
    expect(checks.map((c) => c.result)).toEqual(["✗", "✓", "✗", "✓"]);
  });

  it("works for a one-level plan with a single tier", () => {
    const r = buildFixture({
      levels: ["Rep"],
      tiers: ["target"],
      totals: { target: 1000 },
      unit: 1,
      periods: [{ label: "2027", share: 1 }],
      members: [
        { member: "A", basis: 0 },
        { member: "B", basis: 0 },
      ],
    });
    const review = buildPlanSheets(r, "en")[2];
    expect(review.rows[0]).toEqual(["Rep", "Level", "Method", "Basis", "Share", "Lock", "Available", "Exact", "Allocated (Target)", "Rounding", "Check"]);
    const a = review.rows.find((row) => row[0] === "A")!;
    expect((a[4] as FormulaCell).result).toBe(0);
  });
});

describe("sheet limits", () => {
  it("refuses a plan with more rows than a worksheet holds, before building it", () => {
    const result = twoLevelPlan();
    const many = Array.from({ length: 220_000 }, (_, i) => ({ ...result.periods[0], label: `P${i}` }));
    const huge = { ...result, periods: many };
    expect(() => buildPlanSheets(huge, "en")).toThrow(SheetTooLargeError);
    expect(() => buildPlanSheets(huge, "en")).toThrow(/"Plan" would need 1,100,001 rows/);
  });
});
