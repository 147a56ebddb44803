import { toWorkbook } from "../helpers/xlsx";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { OWNERSHIP_SHEET, SheetOwnershipError, XlsxHost } from "../../src/hosts/xlsx";
import { buildPlanSheets } from "../../src/report";
import type { SheetSpec } from "../../src/report/spec";
import { threeLevelPlanZh, twoLevelPlan } from "../report/fixtures";

const dir = mkdtempSync(join(tmpdir(), "tc-write-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const tmp = (name: string) => join(dir, `${++counter}-${name}`);

async function reopen(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

/** A user's workbook: inputs on two sheets, one of them holding a formula of the user's. */
function userWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const targets = wb.addWorksheet("Targets");
  targets.addRow(["Period", "Target"]);
  targets.addRow(["2027", 10000]);
  const notes = wb.addWorksheet("Notes");
  notes.getCell("A1").value = "My notes";
  notes.getCell("B1").value = { formula: "Targets!B2*2", result: 20000 };
  return wb;
}

const sheetNames = (wb: ExcelJS.Workbook) => wb.worksheets.map((ws) => ws.name);

describe("XlsxHost.writeSheets: text safety", () => {
  it("writes names that look like formulas as text, in the file itself", async () => {
    const paths = [tmp("text-zh.xlsx"), tmp("text-en.xlsx")];
    const zh = await XlsxHost.fromWorkbook(new ExcelJS.Workbook());
    await zh.writeSheets(buildPlanSheets(threeLevelPlanZh(), "zh"));
    await zh.save(paths[0]);
    const en = await XlsxHost.fromWorkbook(new ExcelJS.Workbook());
    await en.writeSheets(buildPlanSheets(twoLevelPlan(), "en"));
    await en.save(paths[1]);

    const found = new Map<string, ExcelJS.CellValue>();
    const sharedStrings: string[] = [];
    for (const path of paths) {
      const wb = await reopen(path);
      for (const ws of wb.worksheets) {
        ws.eachRow((row) =>
          row.eachCell((cell) => {
            const v = cell.value;
            if (typeof v === "string" && ["=1+1", "+SUM(1,2)", "@x", "-3"].includes(v)) found.set(v, v);
            if (v !== null && typeof v === "object" && "formula" in v) {
              expect(v.formula).not.toMatch(/^(1\+1|SUM\(1,2\)|x|-?3)$/);
            }
          }),
        );
      }
      // In the XML, those names are inline text, never <f> formulas.
      const zip = await JSZip.loadAsync(readFileSync(path));
      for (const name of Object.keys(zip.files).filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f))) {
        sharedStrings.push(await zip.file(name)!.async("string"));
      }
    }
    expect([...found.keys()].sort()).toEqual(["+SUM(1,2)", "-3", "=1+1", "@x"]);
    const xml = sharedStrings.join("");
    for (const s of ["=1+1", "+SUM(1,2)", "@x", "-3"]) {
      expect(xml).toContain(`t="inlineStr"><is><t>${s}</t></is>`);
      expect(xml).not.toContain(`<f>${s.replace(/^[=+@]/, "")}</f>`);
    }
  });
});

describe("XlsxHost.writeSheets: ownership", () => {
  it("refuses a user's sheet whose name an output needs, and writes nothing", async () => {
    const wb = userWorkbook();
    wb.addWorksheet("plan").getCell("A1").value = "my own plan";
    const host = await XlsxHost.fromWorkbook(wb);
    const before = sheetNames(wb);

    const attempt = host.writeSheets(buildPlanSheets(twoLevelPlan(), "en"));
    await expect(attempt).rejects.toBeInstanceOf(SheetOwnershipError);
    await expect(host.writeSheets(buildPlanSheets(twoLevelPlan(), "en"))).rejects.toThrow(
      'Sheet "plan" was not created by Target Cascade',
    );
    expect(sheetNames(wb)).toEqual(before);
    expect(wb.getWorksheet("plan")!.getCell("A1").value).toBe("my own plan");
    expect(wb.worksheets.some((ws) => ws.name === OWNERSHIP_SHEET)).toBe(false);
  });

  it("refuses a user's table that has an output table's name", async () => {
    const wb = userWorkbook();
    wb.getWorksheet("Notes")!.addTable({
      name: "TC_Plan",
      ref: "D1",
      columns: [{ name: "X" }],
      rows: [[1]],
    });
    const host = await XlsxHost.fromWorkbook(wb);
    const error = await host.writeSheets(buildPlanSheets(twoLevelPlan(), "en")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SheetOwnershipError);
    expect((error as SheetOwnershipError).clashes).toEqual([{ sheet: "Notes", table: "TC_Plan" }]);
    expect(sheetNames(wb)).toEqual(["Targets", "Notes"]);
  });

  it("replaces its own sheets on a re-run, in place, and leaves the user's sheets alone", async () => {
    const first = tmp("first.xlsx");
    const host = await XlsxHost.fromWorkbook(userWorkbook());
    const summary = await host.writeSheets(buildPlanSheets(twoLevelPlan(), "en"));
    expect(summary.sheets.map((s) => [s.kind, s.name, s.rows])).toEqual([
      ["plan", "Plan", 11],
      ["matrix", "Plan Matrix", 24],
      ["weights", "Weights Review", 18],
    ]);
    await host.save(first);

    // The user moves the Plan tab first, adds a sheet, saves, and runs again on a changed plan.
    const wb = await reopen(first);
    expect(wb.getWorksheet(OWNERSHIP_SHEET)!.state).toBe("veryHidden");
    (wb.getWorksheet("Plan") as unknown as { orderNo: number }).orderNo = -1;
    wb.addWorksheet("Later").getCell("A1").value = "added by the user";
    expect(sheetNames(wb).slice(0, 3)).toEqual(["Plan", "Targets", "Notes"]);
    const edited = tmp("edited.xlsx");
    await wb.xlsx.writeFile(edited);

    const reopened = await XlsxHost.open(edited);
    const changed = twoLevelPlan();
    changed.cells.target[0] = 401;
    await reopened.writeSheets(buildPlanSheets(changed, "en"));
    const second = tmp("second.xlsx");
    await reopened.save(second);

    const out = await reopen(second);
    expect(sheetNames(out)).toEqual(["Plan", "Targets", "Notes", "Plan Matrix", "Weights Review", "Later", OWNERSHIP_SHEET]);
    expect(out.getWorksheet("Plan")!.getCell("E2").value).toBe(401);
    expect(out.getWorksheet("Notes")!.getCell("B1").value).toEqual({ formula: "Targets!B2*2", result: 20000 });
    expect(out.getWorksheet("Later")!.getCell("A1").value).toBe("added by the user");
    // The user's formula on Notes reads Targets; formulas like it that read the replaced sheets
    // are refreshed because Excel recalculates the whole workbook on open.
    const zip = await JSZip.loadAsync(readFileSync(second));
    expect(await zip.file("xl/workbook.xml")!.async("string")).toMatch(/<calcPr[^>]*fullCalcOnLoad="1"/);

    const register = out.getWorksheet(OWNERSHIP_SHEET)!;
    expect(register.state).toBe("veryHidden");
    const rows: unknown[][] = [];
    register.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([
      ["Sheet", "Kind"],
      ["Plan", "plan"],
      ["Plan Matrix", "matrix"],
      ["Weights Review", "weights"],
    ]);
  });

  it("replaces a sheet of the same kind written in the other language, and does not read its sheets as inputs", async () => {
    const host = await XlsxHost.fromWorkbook(userWorkbook());
    await host.writeSheets(buildPlanSheets(twoLevelPlan(), "en"));
    const [plan] = buildPlanSheets(twoLevelPlan(), "zh");
    await host.writeSheets([plan]);
    expect((await host.ownedSheets()).map((o) => o.name)).toEqual(["Plan Matrix", "Weights Review", "分解明细"]);
    expect(sheetNames((await toWorkbook(host)))).toEqual(["Targets", "Notes", "分解明细", "Plan Matrix", "Weights Review", OWNERSHIP_SHEET]);
    const inputs = await host.readTables();
    expect(inputs.map((t) => t.name)).toEqual(["Targets", "Notes"]);
  });

  it("treats a visible sheet called TargetCascade as the user's", async () => {
    const wb = userWorkbook();
    wb.addWorksheet(OWNERSHIP_SHEET).addRow(["Sheet", "Kind"]);
    wb.getWorksheet(OWNERSHIP_SHEET)!.addRow(["Notes", "plan"]);
    const host = await XlsxHost.fromWorkbook(wb);
    expect((await host.ownedSheets())).toEqual([]);
    await expect(host.writeSheets(buildPlanSheets(twoLevelPlan(), "en"))).rejects.toThrow(/TargetCascade/);
  });

  it("rejects an invalid spec before writing", async () => {
    const host = await XlsxHost.fromWorkbook(userWorkbook());
    const bad: SheetSpec = { kind: "plan", name: "Plan: 2027", rows: [], numberFormats: [], conditionalFormats: [], styles: [] };
    await expect(host.writeSheets([bad])).rejects.toThrow("not a valid sheet name");
    expect(sheetNames((await toWorkbook(host)))).toEqual(["Targets", "Notes"]);
  });

  it("does not leave a file behind when saving fails", async () => {
    const host = await XlsxHost.fromWorkbook(userWorkbook());
    const target = join(dir, "missing-folder", "out.xlsx");
    await expect(host.save(target)).rejects.toThrow();
    expect(existsSync(target)).toBe(false);
  });
});

describe("XlsxHost.writeSheets: what a sheet looks like", () => {
  it("writes the plan as a real Excel table with formats, frozen header and widths", async () => {
    const host = await XlsxHost.fromWorkbook(new ExcelJS.Workbook());
    await host.writeSheets(buildPlanSheets(twoLevelPlan(), "en"));
    const path = tmp("look.xlsx");
    await host.save(path);

    const wb = await reopen(path);
    const plan = wb.getWorksheet("Plan")!;
    const zip = await JSZip.loadAsync(readFileSync(path));
    const tableXml = await zip.file("xl/tables/table1.xml")!.async("string");
    expect(tableXml).toContain('name="TC_Plan"');
    expect(tableXml).toContain('ref="A1:F11"');
    expect(tableXml).not.toContain('headerRowCount="0"');
    expect(tableXml).toContain('<tableColumn id="3" name="Period"');
    expect(plan.getCell("E2").numFmt).toBe("#,##0");
    expect(plan.getCell("A1").font?.bold).toBe(true);
    expect(plan.views[0]).toMatchObject({ state: "frozen", xSplit: 2, ySplit: 1 });
    expect(plan.getColumn(5).width).toBe(14);

    const review = wb.getWorksheet("Weights Review")!;
    expect(review.getCell("F11").numFmt).toBe("0.00%");
    expect(review.getCell("F11").value).toEqual({ formula: "IF($E$13=0,0,E11/$E$13)", result: 0.6 });
    const sheetXml = await zip.file("xl/worksheets/sheet3.xml")!.async("string");
    expect(sheetXml).toContain('<conditionalFormatting sqref="N2:N18">');
  });

  it("writes data bars, icon sets and expression rules", async () => {
    const host = await XlsxHost.fromWorkbook(new ExcelJS.Workbook());
    const spec: SheetSpec = {
      kind: "progress",
      name: "Progress",
      rows: [["Rep", "Completion", "Pace"], ["Li", 0.5, 1.1], ["Wang", 0.9, 0.7]],
      numberFormats: [{ range: "B2:C3", format: "0%" }],
      conditionalFormats: [
        { type: "dataBar", range: "B2:B3", color: "5B9BD5", min: 0, max: 1 },
        { type: "iconSet", range: "C2:C3", iconSet: "3TrafficLights1", thresholds: [0.8, 1] },
        { type: "expression", range: "A2:C3", formula: "$C2<0.8", fill: "FCE4E4", fontColor: "C00000", bold: true },
      ],
      styles: [],
    };
    await host.writeSheets([spec]);
    const path = tmp("cf.xlsx");
    await host.save(path);
    const zip = await JSZip.loadAsync(readFileSync(path));
    const xml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    expect(xml).toContain('type="dataBar"');
    expect(xml).toContain('iconSet="3TrafficLights1"');
    expect(xml).toContain("<formula>$C2&lt;0.8</formula>");
  });
});
