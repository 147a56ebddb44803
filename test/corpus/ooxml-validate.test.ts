/**
 * The corpus's checkers on small hand-written parts and packages: each rule catches what it is
 * for, and lets through what ECMA-376 allows.
 */
import JSZip from "jszip";
import { checkPackage, describeVerdict, entriesOf, preprocessMarkupCompatibility, validateParts, type Verdict } from "../helpers/ooxml-validate";
import { stylesAppendedOnly, userPartsKept, workbookKept } from "./checks";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const MC = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const X14AC = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac";

async function verdict(xml: string): Promise<Verdict> {
  return (await validateParts([{ id: "part", data: Buffer.from(xml, "utf8") }])).get("part")!;
}

const sheet = (body: string, root = `<worksheet xmlns="${MAIN}"`) => `<?xml version="1.0" encoding="UTF-8"?>\n${root}>${body}</worksheet>`;

describe("validateParts", () => {
  it("accepts a valid worksheet and names the schema", async () => {
    expect(await verdict(sheet(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>`))).toEqual({ status: "valid", schema: "sml.xsd" });
  });

  it("calls a prefix used without a declaration not well-formed", async () => {
    const v = await verdict(`<workbook xmlns="${MAIN}"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>`);
    expect(v.status).toBe("not-well-formed");
    expect(describeVerdict(v)).toMatch(/Namespace prefix r .* not defined/);
  });

  it("finds elements out of the schema's order, and values of the wrong type", async () => {
    const order = await verdict(`<workbook xmlns="${MAIN}" xmlns:r="${R}"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets><bookViews><workbookView/></bookViews></workbook>`);
    expect(order.status).toBe("invalid");
    const type = await verdict(`<workbook xmlns="${MAIN}" xmlns:r="${R}"><sheets><sheet name="A" sheetId="one" r:id="rId1"/></sheets></workbook>`);
    expect(describeVerdict(type)).toMatch(/sheetId/);
  });

  it("drops attributes and elements of ignorable namespaces, and only those", async () => {
    const row = (root: string) => sheet(`<sheetData><row r="1" x14ac:dyDescent="0.25"/></sheetData>`, root);
    expect((await verdict(row(`<worksheet xmlns="${MAIN}" xmlns:mc="${MC}" xmlns:x14ac="${X14AC}" mc:Ignorable="x14ac"`))).status).toBe("valid");
    expect((await verdict(row(`<worksheet xmlns="${MAIN}" xmlns:x14ac="${X14AC}"`))).status).toBe("invalid");
  });

  it("takes an AlternateContent's Fallback when its Choice requires what is not understood", async () => {
    const ac = (fallback: string) =>
      sheet(`<mc:AlternateContent><mc:Choice Requires="x14ac"><x14ac:anything/></mc:Choice><mc:Fallback>${fallback}</mc:Fallback></mc:AlternateContent>`, `<worksheet xmlns="${MAIN}" xmlns:mc="${MC}" xmlns:x14ac="${X14AC}"`);
    expect((await verdict(ac("<sheetData/>"))).status).toBe("valid");
    expect((await verdict(ac("<notInTheSchema/>"))).status).toBe("invalid");
  });

  it("takes the Choice whose namespaces are understood", () => {
    const out = preprocessMarkupCompatibility(
      `<worksheet xmlns="${MAIN}" xmlns:mc="${MC}"><mc:AlternateContent><mc:Choice Requires="x"><sheetData/></mc:Choice><mc:Fallback><dimension ref="A1"/></mc:Fallback></mc:AlternateContent></worksheet>`.replace("<worksheet ", `<worksheet xmlns:x="${MAIN}" `),
    );
    expect(out.xml).toContain("sheetData");
    expect(out.xml).not.toContain("dimension");
    expect(out.xml).not.toContain("AlternateContent");
  });

  it("keeps an ignorable element's children in its place under mc:ProcessContent", () => {
    const out = preprocessMarkupCompatibility(
      `<worksheet xmlns="${MAIN}" xmlns:mc="${MC}" xmlns:x14ac="${X14AC}" mc:Ignorable="x14ac" mc:ProcessContent="x14ac:wrap"><x14ac:wrap><sheetData/></x14ac:wrap><x14ac:gone><dimension ref="A1"/></x14ac:gone></worksheet>`,
    );
    expect(out.xml).toContain("<sheetData/>");
    expect(out.xml).not.toContain("dimension");
    expect(out.errors).toEqual([]);
  });

  it("refuses an mc:MustUnderstand it cannot honour", async () => {
    const v = await verdict(sheet("<sheetData/>", `<worksheet xmlns="${MAIN}" xmlns:mc="${MC}" xmlns:x14ac="${X14AC}" mc:MustUnderstand="x14ac"`));
    expect(describeVerdict(v)).toMatch(/MustUnderstand requires/);
  });

  it("removes xml:space, which the SpreadsheetML schema does not declare", async () => {
    expect((await verdict(sheet(`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c></row></sheetData>`))).status).toBe("valid");
  });

  it("is lax inside extLst, and drops an extension whose content was all ignorable", async () => {
    const ext = (content: string, ignorable: string) =>
      `<workbook xmlns="${MAIN}" xmlns:r="${R}" xmlns:mc="${MC}" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"${ignorable}><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets><extLst><ext uri="{X}">${content}</ext></extLst></workbook>`;
    expect((await verdict(ext("<x15:workbookPr/>", ""))).status).toBe("valid");
    expect((await verdict(ext("<x15:workbookPr/>", ' mc:Ignorable="x15"'))).status).toBe("valid");
  });

  it("reads core properties with Dublin Core types offline, through the catalog", async () => {
    const core = `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Li</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2027-01-01T00:00:00Z</dcterms:created></cp:coreProperties>`;
    expect(await verdict(core)).toEqual({ status: "valid", schema: "opc/opc-coreProperties.xsd" });
    expect((await verdict(core.replace("2027-01-01T00:00:00Z", "yesterday"))).status).toBe("invalid");
  });

  it("says when no ECMA-376 schema covers a part (legacy VML)", async () => {
    expect(await verdict(`<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape/></xml>`)).toEqual({ status: "no-schema", root: "{}xml" });
  });

  it("gives equal bytes one verdict, under each id", async () => {
    const data = Buffer.from(sheet("<sheetData/>"));
    const v = await validateParts([
      { id: "a", data },
      { id: "b", data },
    ]);
    expect(v.get("a")).toEqual(v.get("b"));
  });
});

/** A minimal package: a workbook with one sheet, a styles part, and whatever `change` does to it. */
async function pkg(change: (files: Record<string, string>) => void = () => undefined): Promise<Map<string, Uint8Array>> {
  const files: Record<string, string> = {
    "[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
    "_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<workbook xmlns="${MAIN}" xmlns:r="${R}"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="Total">A!$A$1</definedName></definedNames></workbook>`,
    "xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${R}/styles" Target="styles.xml"/></Relationships>`,
    "xl/worksheets/sheet1.xml": `<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" s="1"><v>1</v></c></row></sheetData></worksheet>`,
    "xl/styles.xml": `<styleSheet xmlns="${MAIN}" xmlns:x14ac="${X14AC}"><fonts count="1" x14ac:knownFonts="1"><font><sz val="11"/></font></fonts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`,
  };
  change(files);
  const zip = new JSZip();
  for (const [name, text] of Object.entries(files)) zip.file(name, text);
  return entriesOf(await zip.generateAsync({ type: "uint8array" }));
}

describe("checkPackage", () => {
  it("passes a package that holds together", async () => {
    expect(checkPackage(await pkg())).toEqual([]);
  });

  it("finds a relationship to a missing part, and an r:id without a relationship", async () => {
    const problems = checkPackage(
      await pkg((f) => {
        f["xl/_rels/workbook.xml.rels"] = f["xl/_rels/workbook.xml.rels"].replace("worksheets/sheet1.xml", "worksheets/sheet9.xml");
        f["xl/workbook.xml"] = f["xl/workbook.xml"].replace("</sheets>", `<sheet name="B" sheetId="2" r:id="rId7"/></sheets>`);
      }),
    );
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/rId1 points at xl\/worksheets\/sheet9\.xml/), expect.stringMatching(/relationship rId7/)]));
  });

  it("finds a cell format past the styles part's list", async () => {
    expect(checkPackage(await pkg((f) => (f["xl/worksheets/sheet1.xml"] = f["xl/worksheets/sheet1.xml"].replace('s="1"', 's="2"'))))).toEqual([
      'xl/worksheets/sheet1.xml: <c s>="2", but the styles part has 2 cell formats',
    ]);
  });

  it("finds a part with no content type, and two sheets of one name", async () => {
    const problems = checkPackage(
      await pkg((f) => {
        f["xl/media/image1.png"] = "png";
        f["xl/workbook.xml"] = f["xl/workbook.xml"].replace("</sheets>", `<sheet name="a" sheetId="2" r:id="rId1"/></sheets>`);
      }),
    );
    expect(problems).toEqual(expect.arrayContaining(["xl/media/image1.png: no content type", "xl/workbook.xml: two sheets named a"]));
  });
});

describe("the user's parts", () => {
  it("lets the styles part grow at the end of its lists, and nothing else", async () => {
    const before = Buffer.from((await pkg()).get("xl/styles.xml")!);
    const styles = before.toString();
    const grown = styles.replace('<cellXfs count="2">', '<cellXfs count="3">').replace("</cellXfs>", '<xf numFmtId="3"/></cellXfs>');
    expect(stylesAppendedOnly(before, Buffer.from(grown))).toEqual([]);
    expect(stylesAppendedOnly(before, Buffer.from(styles.replace(' x14ac:knownFonts="1"', "")))).toEqual(['<fonts>: the user\'s attribute x14ac:knownFonts="1" became missing']);
    expect(stylesAppendedOnly(before, Buffer.from(styles.replace('numFmtId="14"', 'numFmtId="15"'))).join()).toMatch(/<cellXfs> entry 1 changed/);
    expect(stylesAppendedOnly(before, Buffer.from(grown.replace('count="3"', 'count="2"')))).toEqual(['<cellXfs count="2"> holds 3 entries']);
    // The same styles with other prefixes are the same styles.
    const prefixed = styles.replace(/<(\/?)(styleSheet|fonts|font|sz|cellXfs|xf)\b/g, "<$1s:$2").replace(`xmlns="${MAIN}"`, `xmlns:s="${MAIN}"`);
    expect(stylesAppendedOnly(before, Buffer.from(prefixed))).toEqual([]);
  });

  it("finds a user part that changed or is gone, and a defined name that is lost", async () => {
    const input = await pkg();
    const output = await pkg((f) => {
      f["xl/worksheets/sheet1.xml"] = f["xl/worksheets/sheet1.xml"].replace("<v>1</v>", "<v>2</v>");
      f["xl/workbook.xml"] = f["xl/workbook.xml"].replace(/<definedNames>.*<\/definedNames>/, "");
    });
    expect(userPartsKept(input, output)).toEqual([expect.stringMatching(/^xl\/worksheets\/sheet1\.xml changed/)]);
    expect(workbookKept(input, output)).toEqual(["the defined name Total ((workbook)) = A!$A$1 is gone or changed"]);
    expect(userPartsKept(input, input)).toEqual([]);
    expect(workbookKept(input, input)).toEqual([]);
  });
});
