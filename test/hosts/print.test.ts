/**
 * How the sheets print, in both hosts' writers: the .xlsx host's page setup, manual page breaks
 * and sheet-scoped print area (valid against the ECMA-376 schemas, following its sheet when tabs
 * move), and the Excel host's page layout through ExcelApi 1.9 (only when the API set is there).
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { applyPrint } from "../../src/hosts/excel/write";
import { XlsxHost } from "../../src/hosts/xlsx";
import { printOf } from "../../src/report/print";
import type { SheetSpec } from "../../src/report/spec";
import { describeVerdict, validateParts } from "../helpers/ooxml-validate";

function spec(over: Partial<SheetSpec>): SheetSpec {
  return {
    kind: "letters",
    name: "Target Letters",
    rows: Array.from({ length: 30 }, (_, r) => [`row ${r + 1}`, r]),
    numberFormats: [],
    conditionalFormats: [],
    styles: [],
    ...over,
  };
}

async function written(specs: SheetSpec[], user: string[] = ["Targets"]): Promise<{ files: Record<string, string>; host: XlsxHost }> {
  const wb = new ExcelJS.Workbook();
  for (const name of user) wb.addWorksheet(name).getCell("A1").value = name;
  const host = await XlsxHost.fromWorkbook(wb);
  await host.writeSheets(specs);
  return { files: await partsOf(await host.toBytes()), host };
}

async function partsOf(bytes: Uint8Array): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const files: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) if (/\.xml$/.test(name)) files[name] = await zip.file(name)!.async("string");
  return files;
}

const sheetXml = (files: Record<string, string>, text: string): string => Object.entries(files).find(([n, x]) => n.startsWith("xl/worksheets/") && x.includes(text))![1];

describe("printOf", () => {
  it("lays the print settings over landscape; a scale rules out fitting", () => {
    expect(printOf({})).toBeUndefined();
    expect(printOf({ landscape: true })).toEqual({ orientation: "landscape", fit: { width: 1, height: 0 } });
    expect(printOf({ landscape: true, print: { area: "A1:C9" } })).toEqual({ orientation: "landscape", fit: { width: 1, height: 0 }, area: "A1:C9" });
    expect(printOf({ landscape: true, print: { scale: 80, rowBreaks: [10] } })).toEqual({ orientation: "landscape", scale: 80, rowBreaks: [10] });
  });
});

describe("the .xlsx host", () => {
  it("writes a scale, portrait, the manual page breaks and the print area, valid by the schemas", async () => {
    const { files } = await written([spec({ print: { area: "A1:B30", rowBreaks: [10, 20], orientation: "portrait", scale: 85 } })]);
    const sheet = sheetXml(files, "row 30");
    expect(sheet).toContain(`<pageSetup scale="85" orientation="portrait"/><rowBreaks count="2" manualBreakCount="2"><brk id="10" max="16383" man="1"/><brk id="20" max="16383" man="1"/></rowBreaks>`);
    expect(sheet).not.toContain("fitToPage");
    expect(files["xl/workbook.xml"]).toContain(`<definedName name="_xlnm.Print_Area" localSheetId="1">'Target Letters'!$A$1:$B$30</definedName>`);
    const verdicts = await validateParts([
      { id: "sheet", data: Buffer.from(sheet) },
      { id: "workbook", data: Buffer.from(files["xl/workbook.xml"]) },
    ]);
    for (const [id, v] of verdicts) expect(`${id}: ${describeVerdict(v)}`).toBe(`${id}: ${describeVerdict({ status: "valid", schema: "sml.xsd" })}`);
  });

  it("fits to pages with fitToPage, and keeps a landscape sheet's setup as it was", async () => {
    const { files } = await written([
      spec({ print: { fit: { width: 1, height: 1 }, orientation: "landscape" } }),
      spec({ kind: "progress", name: "Progress", rows: [["wide"]], landscape: true }),
    ]);
    const fitted = sheetXml(files, "row 30");
    expect(fitted).toContain(`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`);
    expect(fitted).toContain(`<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="1"/>`);
    expect(sheetXml(files, "wide")).toContain(`<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>`);
    expect(files["xl/workbook.xml"]).not.toContain("_xlnm.Print_Area");
  });

  it("moves the print area with its sheet, and replaces it on the next write", async () => {
    const { host } = await written([spec({ print: { area: "A1:B30", rowBreaks: [15] } })], ["Targets", "Notes"]);
    await host.writeSheets([spec({ kind: "plan", name: "Plan", rows: [["p"]] }), spec({ print: { area: "A1:B12" } })]);
    const files = await partsOf(await host.toBytes());
    const names = [...files["xl/workbook.xml"].matchAll(/<definedName name="_xlnm\.Print_Area" localSheetId="(\d+)">([^<]*)</g)].map((m) => [Number(m[1]), m[2]]);
    const tabs = [...files["xl/workbook.xml"].matchAll(/<sheet [^>]*\bname="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual([[tabs.indexOf("Target Letters"), "'Target Letters'!$A$1:$B$12"]]);
    expect(sheetXml(files, "row 30")).not.toContain("rowBreaks");
  });
});

describe("the Excel host", () => {
  /** A worksheet proxy that records what the writer sets and calls. */
  function recorder() {
    const calls: string[] = [];
    const layout = {
      set orientation(v: string) {
        calls.push(`orientation ${v}`);
      },
      set zoom(v: object) {
        calls.push(`zoom ${JSON.stringify(v)}`);
      },
      setPrintArea: (a: string) => calls.push(`printArea ${a}`),
    };
    const ws = {
      pageLayout: layout,
      horizontalPageBreaks: { removePageBreaks: () => calls.push("removePageBreaks"), add: (r: string) => calls.push(`break before ${r}`) },
    } as unknown as Excel.Worksheet;
    return { ws, calls };
  }

  it("sets the orientation, the scale, the print area and a break before each page's first row", () => {
    const { ws, calls } = recorder();
    applyPrint(ws, { area: "A1:D90", rowBreaks: [30, 60], orientation: "portrait", scale: 84.6 });
    expect(calls).toEqual(["orientation Portrait", 'zoom {"scale":85}', "printArea A1:D90", "removePageBreaks", "break before A31", "break before A61"]);
  });

  it("fits to one page wide, leaving the height to Excel when it is 0", () => {
    const { ws, calls } = recorder();
    applyPrint(ws, { orientation: "landscape", fit: { width: 1, height: 0 } });
    expect(calls).toEqual(["orientation Landscape", 'zoom {"horizontalFitToPages":1}', "removePageBreaks"]);
    const one = recorder();
    applyPrint(one.ws, { fit: { width: 1, height: 1 } });
    expect(one.calls).toEqual(['zoom {"horizontalFitToPages":1,"verticalFitToPages":1}', "removePageBreaks"]);
  });
});
