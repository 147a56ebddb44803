import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { XlsxHost } from "../../src/hosts/xlsx";

const dir = mkdtempSync(join(tmpdir(), "tc-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A workbook with a History table below a title, a Settings sheet, an empty sheet and a chart-like sheet. */
async function inputWorkbook(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const data = wb.addWorksheet("Data");
  data.getCell("A1").value = "Sales history";
  data.addTable({
    name: "History",
    ref: "B3",
    headerRow: true,
    columns: [{ name: "Date" }, { name: "Rep" }, { name: "Amount" }, { name: "Note" }],
    rows: [
      [new Date(Date.UTC(2026, 0, 5)), "Li", 100, { richText: [{ text: "rich " }, { font: { bold: true }, text: "text" }] }],
      ["2026-02", { text: "Wang", hyperlink: "https://example.com" }, { formula: "10*2", result: 20 }, { error: "#N/A" }],
      ["2026-03", "=1+1", { formula: "1/0", result: { error: "#DIV/0!" } }, null],
      ["2026-04", "Zhao", { formula: "5-5", result: 0 }, { formula: "\"\"", result: "" }],
      [null, null, null, null],
    ],
  });
  const settings = wb.addWorksheet("Settings");
  settings.getCell("B2").value = "Key";
  settings.getCell("C2").value = "Value";
  settings.getCell("B3").value = "Unit";
  settings.getCell("C3").value = 100;
  settings.getCell("B4").value = "Levels";
  settings.getCell("C4").value = "Region > Rep";
  settings.getCell("B7").value = "   ";
  wb.addWorksheet("Blank");
  await wb.xlsx.writeFile(path);
}

/** Rewrite a table part the way Excel writes it: no headerRowCount, a bare autoFilter. */
async function asExcelWroteIt(path: string, out: string): Promise<void> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  const name = Object.keys(zip.files).find((f) => /^xl\/tables\/table\d+\.xml$/.test(f))!;
  const xml = (await zip.file(name)!.async("string"))
    .replace(/ headerRowCount="1"/, "")
    .replace(/<autoFilter ref="([^"]+)">.*?<\/autoFilter>/, '<autoFilter ref="$1"/>');
  zip.file(name, xml);
  writeFileSync(out, await zip.generateAsync({ type: "nodebuffer" }));
}

describe("XlsxHost.readTables", () => {
  const path = join(dir, "input.xlsx");
  beforeAll(() => inputWorkbook(path));

  it("finds every table, then every non-empty sheet, in workbook order", async () => {
    const host = await XlsxHost.open(path);
    const tables = await host.readTables();
    expect(tables.map((t) => [t.name, t.sheet, t.source, t.top, t.left])).toEqual([
      ["History", "Data", "table", 3, 2],
      ["Data", "Data", "sheet", 1, 1],
      ["Settings", "Settings", "sheet", 2, 2],
    ]);
  });

  it("reads plain values: formula results (zero too), rich text, hyperlink text, error codes, dates; text stays text", async () => {
    const host = await XlsxHost.open(path);
    const history = (await host.readTables())[0];
    expect(history.headers).toEqual(["Date", "Rep", "Amount", "Note"]);
    expect(history.rows).toEqual([
      [new Date(Date.UTC(2026, 0, 5)), "Li", 100, "rich text"],
      ["2026-02", "Wang", 20, "#N/A"],
      ["2026-03", "=1+1", "#DIV/0!", null],
      ["2026-04", "Zhao", 0, null],
    ]);
  });

  it("takes a sheet's first non-empty row as its header and drops trailing blank rows", async () => {
    const host = await XlsxHost.open(path);
    const settings = (await host.readTables()).find((t) => t.name === "Settings")!;
    expect(settings.headers).toEqual(["Key", "Value"]);
    expect(settings.rows).toEqual([
      ["Unit", 100],
      ["Levels", "Region > Rep"],
    ]);
  });

  it("reads, and saves back intact, a table Excel wrote (header row implied, filter buttons shown)", async () => {
    const excelPath = join(dir, "excel-wrote.xlsx");
    await asExcelWroteIt(path, excelPath);
    const host = await XlsxHost.open(excelPath);
    const history = (await host.readTables())[0];
    expect(history.top).toBe(3);
    expect(history.headers).toEqual(["Date", "Rep", "Amount", "Note"]);
    expect(history.rows[0][1]).toBe("Li");

    // Saved back, the user's table part is exactly as Excel wrote it.
    const saved = join(dir, "excel-wrote-saved.xlsx");
    await host.save(saved);
    const tablePart = async (file: string): Promise<string> => {
      const zip = await JSZip.loadAsync(readFileSync(file));
      const name = Object.keys(zip.files).find((f) => /^xl\/tables\/table\d+\.xml$/.test(f))!;
      return zip.file(name)!.async("string");
    };
    expect(await tablePart(saved)).toBe(await tablePart(excelPath));
  });

  // How fast is measured by `npm run bench`; this checks the large sheet is read whole and right.
  it("reads a 180,000-row sheet (ExcelJS's streaming writer, shared strings)", async () => {
    const bigPath = join(dir, "big.xlsx");
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: bigPath, useSharedStrings: true });
    const ws = writer.addWorksheet("历史");
    ws.addRow(["Date", "Region", "Rep", "Amount", "Orders"]).commit();
    for (let i = 0; i < 180_000; i++) {
      ws.addRow([`2026-${String((i % 12) + 1).padStart(2, "0")}`, `R${i % 7}`, `Rep${i % 900}`, i, i % 5]).commit();
    }
    ws.commit();
    await writer.commit();

    const host = await XlsxHost.open(bigPath);
    const [sheet] = await host.readTables();
    expect(sheet.rows).toHaveLength(180_000);
    expect(sheet.rows[0]).toEqual(["2026-01", "R0", "Rep0", 0, 0]);
    expect(sheet.rows[179_999]).toEqual(["2026-12", "R1", "Rep899", 179_999, 4]);
  });
});
