/**
 * The package layer resolves every part by namespace, however a producer spells it: openpyxl's
 * `xmlns:r` on each <sheet>, the Open XML SDK's `x:` prefix on every SpreadsheetML element, a
 * relationships part with a prefix of its own. The output must be well-formed and namespace-valid
 * XML in every part, with the styles our cells point at, and the user's attributes kept.
 */
import { DOMParser } from "@xmldom/xmldom";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { SaxesParser } from "saxes";
import { planWorkbook } from "../../src/hosts/run";
import { XlsxHost } from "../../src/hosts/xlsx";
import { zip } from "../../src/hosts/xlsx/ooxml/zip";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PR = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT = "http://schemas.openxmlformats.org/package/2006/content-types";
const DECL = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n`;

/**
 * openpyxl: default namespaces, `xmlns:r` on each <sheet>. sdk: SpreadsheetML as `x:` and the
 * relationships namespace as `rel:` (any prefix is legal). prefixed: sdk, with the package's own
 * parts (relationships, content types) prefixed too.
 */
type Style = "openpyxl" | "sdk" | "prefixed";

/** Inline-string and number cells of a sheet, spelt with prefix `p` ("" or "x:"). */
function sheetXml(p: string, rows: (string | number)[][], decl: string): string {
  const col = (i: number) => String.fromCharCode(65 + i);
  const body = rows
    .map(
      (row, r) =>
        `<${p}row r="${r + 1}">` +
        row
          .map((v, i) =>
            typeof v === "number" ? `<${p}c r="${col(i)}${r + 1}"><${p}v>${v}</${p}v></${p}c>` : `<${p}c r="${col(i)}${r + 1}" t="inlineStr"><${p}is><${p}t>${v}</${p}t></${p}is></${p}c>`,
          )
          .join("") +
        `</${p}row>`,
    )
    .join("");
  return `${DECL}<${p}worksheet ${decl}><${p}sheetData>${body}</${p}sheetData></${p}worksheet>`;
}

const TARGETS = [
  ["Period", "Target"],
  ["2027", 1_200_000],
];
const HISTORY = [["Date", "Region", "Rep", "Amount"]].concat(
  ["2026-01", "2026-02", "2026-03"].flatMap((m, k) => [
    [m, "East", "Li", 100 + k * 10],
    [m, "East", "Wang", 200 + k * 10],
    [m, "West", "Zhao", 300 - k * 10],
  ]) as never,
) as (string | number)[][];

/** A two-sheet workbook (Targets, History) written the way `style` writes its parts. */
async function workbook(style: Style): Promise<Buffer> {
  const sdk = style !== "openpyxl";
  const p = sdk ? "x:" : "";
  const mainDecl = sdk ? `xmlns:x="${MAIN}"` : `xmlns="${MAIN}"`;
  const rp = style === "prefixed" ? "pr:" : "";
  const relsDecl = style === "prefixed" ? `xmlns:pr="${PR}"` : `xmlns="${PR}"`;
  const cp = style === "prefixed" ? "ct:" : "";
  const rel = (id: string, type: string, target: string) => `<${rp}Relationship Id="${id}" Type="${R}/${type}" Target="${target}"/>`;
  // openpyxl declares xmlns:r on every <sheet>; the SDK declares it on the root as `rel:`.
  const sheet = (name: string, id: number) =>
    style === "openpyxl" ? `<sheet xmlns:r="${R}" name="${name}" sheetId="${id}" r:id="rId${id}"/>` : `<x:sheet name="${name}" sheetId="${id}" rel:id="rId${id}"/>`;
  const parts: Record<string, string> = {
    "[Content_Types].xml": `${DECL}<${cp}Types ${cp ? `xmlns:ct="${CT}"` : `xmlns="${CT}"`}><${cp}Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><${cp}Default Extension="xml" ContentType="application/xml"/><${cp}Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><${cp}Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><${cp}Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><${cp}Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></${cp}Types>`,
    "_rels/.rels": `${DECL}<${rp}Relationships ${relsDecl}>${rel("rId1", "officeDocument", "xl/workbook.xml")}</${rp}Relationships>`,
    "xl/workbook.xml": `${DECL}<${p}workbook ${mainDecl}${sdk ? ` xmlns:rel="${R}"` : ""}><${p}workbookPr/><${p}bookViews><${p}workbookView activeTab="1"/></${p}bookViews><${p}sheets>${sheet("Targets", 1)}${sheet("History data", 2)}</${p}sheets><${p}definedNames><${p}definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">'History data'!$A$1:$D$10</${p}definedName></${p}definedNames><${p}calcPr calcId="191029"/></${p}workbook>`,
    "xl/_rels/workbook.xml.rels": `${DECL}<${rp}Relationships ${relsDecl}>${rel("rId1", "worksheet", "worksheets/sheet1.xml")}${rel("rId2", "worksheet", "/xl/worksheets/sheet2.xml")}${rel("rId3", "styles", "styles.xml")}</${rp}Relationships>`,
    "xl/styles.xml": `${DECL}<${p}styleSheet ${mainDecl} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><${p}fonts count="1" x14ac:knownFonts="1"><${p}font><${p}sz val="11"/><${p}name val="等线"/><${p}charset val="134"/></${p}font></${p}fonts><${p}fills count="2"><${p}fill><${p}patternFill patternType="none"/></${p}fill><${p}fill><${p}patternFill patternType="gray125"/></${p}fill></${p}fills><${p}borders count="1"><${p}border><${p}left/><${p}right/><${p}top/><${p}bottom/><${p}diagonal/></${p}border></${p}borders><${p}cellStyleXfs count="1"><${p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></${p}cellStyleXfs><${p}cellXfs count="2"><${p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><${p}xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></${p}cellXfs><${p}cellStyles count="1"><${p}cellStyle name="Normal" xfId="0" builtinId="0"/></${p}cellStyles></${p}styleSheet>`,
    "xl/worksheets/sheet1.xml": sheetXml(p, TARGETS, mainDecl),
    "xl/worksheets/sheet2.xml": sheetXml(p, HISTORY, mainDecl),
  };
  return zip(Object.entries(parts).map(([name, text]) => ({ name, data: [Buffer.from(text, "utf8")] })));
}

/** Parses with namespaces: throws on malformed XML or an undeclared prefix. Returns {uri}local of every element. */
function strictElements(xml: string, part: string): { name: string; uri: string; local: string; attributes: Record<string, { uri: string; value: string }> }[] {
  const out: { name: string; uri: string; local: string; attributes: Record<string, { uri: string; value: string }> }[] = [];
  const p = new SaxesParser({ xmlns: true });
  p.on("error", (e) => {
    throw new Error(`${part}: ${e.message}`);
  });
  p.on("opentag", (t) => {
    const attributes: Record<string, { uri: string; value: string }> = {};
    for (const [k, a] of Object.entries(t.attributes)) attributes[k] = { uri: (a as { uri: string }).uri, value: (a as { value: string }).value };
    out.push({ name: t.name, uri: t.uri, local: t.local, attributes });
  });
  p.write(xml).close();
  return out;
}

async function parts(bytes: Uint8Array): Promise<Map<string, string>> {
  const z = await JSZip.loadAsync(bytes);
  const out = new Map<string, string>();
  for (const name of Object.keys(z.files)) if (!z.files[name].dir && /\.(xml|rels)$/.test(name)) out.set(name, await z.files[name].async("string"));
  return out;
}

describe.each<Style>(["openpyxl", "sdk", "prefixed"])("a workbook written the %s way", (style) => {
  let out: Map<string, string>;
  let bytes: Uint8Array;

  beforeAll(async () => {
    const host = await XlsxHost.fromBytes(await workbook(style));
    const outcome = await planWorkbook(host);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    bytes = await host.toBytes();
    out = await parts(bytes);
  });

  test("every part of the output is well-formed XML with every prefix declared", () => {
    for (const [name, xml] of out) expect(() => strictElements(xml, name)).not.toThrow();
  });

  test("the sheet list names every sheet with a relationship that exists", () => {
    const sheets = strictElements(out.get("xl/workbook.xml") as string, "workbook").filter((e) => e.uri === MAIN && e.local === "sheet");
    const rels = strictElements(out.get("xl/_rels/workbook.xml.rels") as string, "rels").filter((e) => e.local === "Relationship");
    const ids = new Set(rels.map((r) => r.attributes.Id.value));
    expect(sheets.map((s) => s.attributes.name.value)).toEqual(expect.arrayContaining(["Targets", "History data", "Plan", "Plan Matrix", "Weights Review", "TargetCascade"]));
    for (const s of sheets) {
      const id = Object.values(s.attributes).find((a) => a.uri === R);
      expect(id && ids.has(id.value)).toBe(true);
    }
    // New elements are spelt the way the workbook spells its own.
    if (style !== "openpyxl") expect(sheets.every((s) => s.name.startsWith("x:"))).toBe(true);
    else expect(sheets.every((s) => !s.name.includes(":"))).toBe(true);
  });

  test("the styles part has every format a cell points at, counts that match, and the user's attributes", () => {
    const styles = strictElements(out.get("xl/styles.xml") as string, "styles");
    const collection = (local: string) => styles.find((e) => e.uri === MAIN && e.local === local);
    const xml = out.get("xl/styles.xml") as string;
    const doc = new DOMParser().parseFromString(xml, "text/xml");
    const countOf = (local: string, item: string): number => {
      const el = doc.getElementsByTagNameNS(MAIN, local)[0];
      let n = 0;
      for (let k = el?.firstChild; k; k = k.nextSibling) if (k.nodeType === 1 && (k as unknown as { localName: string }).localName === item) n++;
      return n;
    };
    const xfs = Number(collection("cellXfs")?.attributes.count.value);
    expect(xfs).toBe(countOf("cellXfs", "xf"));
    expect(xfs).toBeGreaterThan(2);
    expect(Number(collection("fonts")?.attributes.count.value)).toBe(countOf("fonts", "font"));
    expect(Number(collection("dxfs")?.attributes.count.value)).toBe(countOf("dxfs", "dxf"));
    expect(collection("fonts")?.attributes["x14ac:knownFonts"]?.value).toBe("1");
    // Every s= of every cell we wrote is a cell format that exists.
    for (const [name, text] of out) {
      if (!name.startsWith("xl/worksheets/")) continue;
      for (const c of strictElements(text, name).filter((e) => e.uri === MAIN && e.local === "c")) {
        const s = c.attributes.s?.value;
        if (s !== undefined) expect(Number(s)).toBeLessThan(xfs);
      }
    }
    // Our bold header font is the workbook's own font, made bold.
    expect(xml).toMatch(/<(x:)?font><(x:)?b\/><(x:)?sz val="11"\/><(x:)?name val="等线"\/>/);
    if (style !== "openpyxl") expect(xml).not.toMatch(/<xf /);
  });

  test("the user's defined names and active tab follow their sheets", () => {
    const wb = strictElements(out.get("xl/workbook.xml") as string, "workbook");
    const names = wb.filter((e) => e.local === "definedName");
    expect(names.map((n) => n.attributes.localSheetId.value)).toEqual(["1"]);
    expect(wb.find((e) => e.local === "workbookView")?.attributes.activeTab.value).toBe("1");
    expect(wb.find((e) => e.local === "calcPr")?.attributes.fullCalcOnLoad.value).toBe("1");
    expect(wb.find((e) => e.local === "calcPr")?.attributes.calcId.value).toBe("191029");
  });

  test("opens in ExcelJS, and plans again over its own output with the same numbers", async () => {
    // ExcelJS matches tag names by their spelling, so it reads no `x:` workbook (the input neither):
    // those styles are read back by our own reader here, and by LibreOffice in the producer corpus.
    if (style === "openpyxl") {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
      expect(wb.getWorksheet("Plan")).toBeDefined();
    }
    const again = await XlsxHost.fromBytes(bytes);
    const first = await planWorkbook(await XlsxHost.fromBytes(await workbook(style)));
    const second = await planWorkbook(again);
    if (!first.ok || !second.ok) throw new Error("planning failed");
    expect(second.result.nodes.map((n) => n.amount)).toEqual(first.result.nodes.map((n) => n.amount));
    expect((await again.sheets()).map((s) => s.name)).toEqual(["Targets", "History data", "Plan", "Plan Matrix", "Weights Review", "TargetCascade"]);
  });
});
