/**
 * The corpus holds what it says: each producer's file has the trait it is in the corpus for, and
 * the files made by editing another producer's keep everything else as it was.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import { MAIN_NS, REL_NS } from "./builders";
import { buildCorpus, missingTool, VENDOR, VARIANTS, type Corpus } from "./corpus";
import { commentOf, contentOf, DATA_DESCRIPTOR, readEntries, UTF8_NAMES, type StoredEntry } from "./zip";

let corpus: Corpus;
beforeAll(async () => {
  corpus = await buildCorpus();
}, 300_000);

const entriesOf = (name: string): StoredEntry[] => {
  const file = corpus.files.get(name);
  if (!file) throw new Error(`${name} was not built: ${corpus.skipped.get(name)}`);
  return readEntries(readFileSync(file));
};
const part = (name: string, path: string): string => contentOf(entriesOf(name).find((e) => e.name === path)!).toString("utf8");
const root = (xml: string) => new DOMParser().parseFromString(xml, "application/xml").documentElement!;
/** `it`, or `it.skip` when the variant's tool is missing (the corpus test says so, and fails under CI). */
const built = (name: string) => {
  const needs = VARIANTS.find((v) => v.name === name)?.needs;
  return needs && missingTool(needs) ? it.skip : it;
};

describe("the corpus", () => {
  it("lists every variant once, and builds each one whose tool is there", () => {
    expect(new Set(VARIANTS.map((v) => v.name)).size).toBe(VARIANTS.length);
    expect([...corpus.files.keys(), ...corpus.skipped.keys()].sort()).toEqual(VARIANTS.map((v) => v.name).sort());
  });

  built("openpyxl-plain")("openpyxl declares the relationships namespace on each <sheet>, not on the workbook's root", () => {
    const wb = part("openpyxl-plain", "xl/workbook.xml");
    expect(root(wb).lookupNamespaceURI("r")).toBeNull();
    expect(wb).toMatch(/<sheet xmlns:r="http:\/\/schemas\.openxmlformats\.org\/officeDocument\/2006\/relationships"/);
  });

  it.each([
    ["sdk-x", "r"],
    ["sdk-x-rel", "rel"],
  ])("%s binds SpreadsheetML to x: and the relationships to %s:, every declaration on the root", (name, rel) => {
    const sml = entriesOf(name).filter((e) => e.name.endsWith(".xml") && contentOf(e).includes(MAIN_NS));
    expect(sml.map((e) => e.name)).toEqual(expect.arrayContaining(["xl/workbook.xml", "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/tables/table1.xml"]));
    for (const e of sml) {
      const xml = contentOf(e).toString("utf8");
      const el = root(xml);
      expect(`${e.name} ${el.prefix}:${el.namespaceURI}`).toBe(`${e.name} x:${MAIN_NS}`);
      expect(xml.match(/xmlns(:\w+)?=/g)!.length).toBe((xml.slice(0, xml.indexOf(">", xml.indexOf("<x:"))).match(/xmlns(:\w+)?=/g) ?? []).length);
      expect(xml).not.toMatch(/<[a-z]+[ >/]/i);
    }
    const wb = part(name, "xl/workbook.xml");
    expect(wb).toContain(`xmlns:${rel}="${REL_NS}"`);
    expect(wb).toMatch(new RegExp(`<x:sheet [^>]*${rel}:id="rId\\d+"`));
  });

  it.each(["zip-data-descriptors", "zip-stored-reversed"])("%s carries a UTF-8 entry name and an archive comment", (name) => {
    const entries = entriesOf(name);
    const utf8 = entries.filter((e) => /[^\x20-\x7e]/.test(e.name));
    expect(utf8.map((e) => e.name)).toEqual(["xl/worksheets/目标·Targets.xml"]);
    expect(utf8[0].local!.flags & UTF8_NAMES).toBe(UTF8_NAMES);
    expect(commentOf(readFileSync(corpus.files.get(name)!))).toMatch(/^Target Cascade corpus: /);
  });

  it("zip-data-descriptors writes crc and sizes after each entry's data, none in its local header", () => {
    for (const e of entriesOf("zip-data-descriptors")) {
      expect(e.local).toEqual({ flags: expect.any(Number), crc: 0, compressed: 0, descriptorFollows: true });
      expect(e.local!.flags & DATA_DESCRIPTOR).toBe(DATA_DESCRIPTOR);
      expect(e.method).toBe(8);
    }
  });

  it("zip-stored-reversed stores every entry uncompressed, in the reverse of ExcelJS's order", () => {
    const reversed = entriesOf("zip-stored-reversed");
    expect(reversed.every((e) => e.method === 0)).toBe(true);
    const original = entriesOf("exceljs")
      .filter((e) => !e.name.endsWith("/"))
      .map((e) => e.name.replace("sheet1.xml", "目标·Targets.xml"));
    expect(reversed.map((e) => e.name)).toEqual([...original].reverse());
  });

  it.each([
    ["excel-pivot", "ExcelPivotTableSample.xlsx"],
    ["excel-charts", "WithTwoCharts.xlsx"],
    ["excel-comments-image", "56644.xlsx"],
    ["excel-validation", "DataValidationEvaluations.xlsx"],
    ["excel-frozen-panes", "FormatConditionTests.xlsx"],
    ["excel-macro", "SimpleMacro.xlsm"],
  ])("%s is %s with five input sheets added, every other entry copied as stored", (name, fixture) => {
    const before = readEntries(readFileSync(join(VENDOR, fixture)));
    const after = entriesOf(name);
    const edited = new Set(["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"]);
    for (const e of before) {
      const same = after.find((a) => a.name === e.name)!;
      if (edited.has(e.name)) continue;
      expect({ name: e.name, method: same.method, crc: same.crc, raw: same.raw.equals(e.raw) }).toEqual({ name: e.name, method: e.method, crc: e.crc, raw: true });
    }
    expect(after.slice(0, before.length).map((e) => e.name)).toEqual(before.map((e) => e.name));
    expect(after.length - before.length).toBe(5);
    const sheets = Array.from(root(part(name, "xl/workbook.xml")).getElementsByTagNameNS(MAIN_NS, "sheet")).map((s) => s.getAttribute("name"));
    expect(sheets.slice(-5)).toEqual(["Targets", "History data", "Weights", "Settings", "Actuals"]);
  });

  built("xlsxwriter-macro")("xlsxwriter-macro holds the vendored VBA project as a macro-enabled workbook", () => {
    expect(contentOf(entriesOf("xlsxwriter-macro").find((e) => e.name === "xl/vbaProject.bin")!).equals(readFileSync(join(VENDOR, "xlsxwriter-vbaProject.bin")))).toBe(true);
    expect(part("xlsxwriter-macro", "[Content_Types].xml")).toContain("application/vnd.ms-excel.sheet.macroEnabled.main+xml");
  });

  built("libreoffice")("libreoffice was saved by LibreOffice", () => {
    expect(part("libreoffice", "docProps/app.xml")).toMatch(/<Application>LibreOffice/);
  });

  built("openpyxl-plain")("the producers that write dates write History's months and Actuals' days as date cells", () => {
    // History data is the second sheet, A2 holding 2025-01 (serial 45658); Actuals the fifth, A2 2027-01-02.
    for (const name of ["openpyxl-plain", "xlsxwriter-plain", "exceljs"]) {
      for (const [sheet, serial] of [["sheet2", 45658], ["sheet5", 46389]] as const) {
        const cell = /<c r="A2"[^>]*>.*?<\/c>/.exec(part(name, `xl/worksheets/${sheet}.xml`))?.[0];
        expect(`${name} ${sheet} ${cell}`).toMatch(new RegExp(` s="[1-9]\\d*"[^>]*><v>${serial}</v>`));
      }
    }
  });
});
