/**
 * The worksheet scanner is an XML tokenizer that resolves names by namespace URI: every way a
 * producer may spell the same sheet gives the same cells, and malformed XML is refused.
 */
import fc from "fast-check";
import { readGrid, type ReadContext } from "../../src/hosts/xlsx/ooxml/read";
import { NsScanner, Token } from "../../src/hosts/xlsx/ooxml/scan";
import { XmlPartError } from "../../src/hosts/xlsx/ooxml/xml";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const ctx: ReadContext = { shared: ["Region", "East", "A & B"], dateStyles: [false, true], date1904: false };

const plain = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="${MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Amount</t></is></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>1200.5</v></c><c r="C2" s="1"><v>46023</v></c></row><row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="b"><v>1</v></c></row></sheetData></worksheet>`;

const expected = {
  1: ["Region", "Amount"],
  2: ["East", 1200.5, new Date(Date.UTC(2026, 0, 1))],
  3: ["A & B", true],
};

function cells(xml: string): Record<number, unknown[]> {
  const g = readGrid(xml, ctx);
  return Object.fromEntries(g.used.map((r) => [r, g.rows[r].slice(1)]));
}

describe("readGrid: one sheet, every spelling", () => {
  test("the default namespace", () => {
    expect(cells(plain)).toEqual(expected);
  });

  test("SpreadsheetML as x: (the Open XML SDK's way)", () => {
    const x = plain.replace(/<(\/?)(worksheet|dimension|sheetData|row|c|v|is|t)\b/g, "<$1x:$2").replace(`xmlns="${MAIN}"`, `xmlns:x="${MAIN}"`);
    expect(x).toContain("<x:c ");
    expect(cells(x)).toEqual(expected);
  });

  test("a namespace declared on each element, and a prefix re-bound inside", () => {
    const xml = `<ns0:worksheet xmlns:ns0="${MAIN}"><ns0:sheetData><row xmlns="${MAIN}" r="1"><c r="A1" t="s"><v>0</v></c><x:c xmlns:x="${MAIN}" r="B1" t="inlineStr"><x:is><x:t>Amount</x:t></x:is></x:c></row><ns0:row r="2"><ns0:c r="A2" t="s"><ns0:v>1</ns0:v></ns0:c><ns0:c r="B2"><ns0:v>1200.5</ns0:v></ns0:c><ns0:c r="C2" s="1"><ns0:v>46023</ns0:v></ns0:c></ns0:row><ns0:row r="3"><ns0:c r="A3" t="s"><ns0:v>2</ns0:v></ns0:c><ns0:c r="B3" t="b"><ns0:v>1</ns0:v></ns0:c></ns0:row></ns0:sheetData></ns0:worksheet>`;
    expect(cells(xml)).toEqual(expected);
  });

  test("elements of another namespace named like ours are not ours, and prefixed attributes are not ours either", () => {
    const xml = plain
      .replace('<row r="3">', `<row r="3"><c xmlns="urn:other" r="Z3"><v>9</v></c>`)
      .replace('<c r="B2">', `<c r="B2" x14ac:r="Q9" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">`);
    expect(cells(xml)).toEqual(expected);
  });

  test("a default namespace undone with xmlns=\"\" makes an element no longer ours", () => {
    const xml = plain.replace('<row r="3">', '<row r="3"><c xmlns="" r="Z3"><v>9</v></c>');
    expect(cells(xml)).toEqual(expected);
  });

  test("quoted '>' and '/>' in attributes, entities, character references, CDATA, comments and line ends", () => {
    const xml = plain
      .replace('<row r="2">', `<row r="2" note='a > b /> c'><!-- a <comment> --><?pi x?>`)
      .replace("<t>Amount</t>", "<t>Am&#x6F;<![CDATA[unt]]></t>")
      .replace("<v>1200.5</v>", "<v>\r\n1200.5\r\n</v>");
    expect(cells(xml)).toEqual(expected);
    const text = readGrid(plain.replace("<t>Amount</t>", "<t>a\r\nb&lt;&amp;&gt;&quot;&apos;&#20013;</t>"), ctx);
    expect(text.rows[1][2]).toBe("a\nb<&>\"'中");
  });

  test("rows and cells without r take the next position; phonetic runs are left out", () => {
    const xml = `<worksheet xmlns="${MAIN}"><sheetData><row><c t="inlineStr"><is><r><t>東</t></r><rPh sb="0" eb="1"><t>ヒガシ</t></rPh><r><t>京</t></r></is></c><c><v>2</v></c></row><row><c r="C2"><v>3</v></c></row></sheetData></worksheet>`;
    const g = readGrid(xml, ctx);
    expect(g.used).toEqual([1, 2]);
    expect(g.rows[1].slice(1)).toEqual(["東京", 2]);
    expect(g.rows[2][3]).toBe(3);
  });

  test("a formula with no saved value is no value, and is listed", () => {
    const xml = `<worksheet xmlns="${MAIN}"><sheetData><row r="2"><c r="A2"><f>1+1</f><v></v></c><c r="B2"><f>1+1</f></c><c r="C2"><f>1+1</f><v>2</v></c><c r="D2" t="str"><f>""</f><v></v></c></row></sheetData></worksheet>`;
    const g = readGrid(xml, ctx);
    expect(g.rows[2][1]).toBeUndefined();
    expect(g.rows[2][3]).toBe(2);
    expect(g.uncomputed).toEqual([
      [2, 1],
      [2, 2],
    ]);
  });

  test("attribute values spelt with references or spaces read as their decoded values", () => {
    const xml = plain
      .replace('<row r="2">', '<row r="&#50;">')
      .replace('<c r="B2">', '<c r="&#x42;2">')
      .replace('<c r="C2" s="1">', '<c r="C2" s=" 1">')
      .replace('<c r="B1" t="inlineStr">', '<c r="B1" t="inline&#83;tr">');
    expect(cells(xml)).toEqual(expected);
    const lined = readGrid(plain.replace('<c r="C2" s="1">', '<c r="C2"\r\ns="1"\tt="n">'), ctx);
    expect(lined.rows[2][3]).toEqual(new Date(Date.UTC(2026, 0, 1)));
  });

  // Property: an inline string's plain spelling (read by the fast path) and its run spelling
  // (read token by token) give the same text, whatever the text holds.
  test("an inline string reads the same through the fast path and the general one", () => {
    const escape = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const piece = fc.constantFrom("a", " ", "&", "<", ">", "\r\n", "\r", "\n", "中", "_x000D_", "'", '"', "Region 01");
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), fc.constantFrom("", "x:"), (parts, p) => {
        const text = parts.join("");
        const sheet = (cell: string) =>
          `<${p}worksheet xmlns${p ? ":" + p.slice(0, -1) : ""}="${MAIN}"><${p}sheetData><${p}row r="1"><${p}c r="A1" t="inlineStr">${cell}</${p}c><${p}c r="B1"><${p}v>1</${p}v></${p}c></${p}row></${p}sheetData></${p}worksheet>`;
        const fast = readGrid(sheet(`<${p}is><${p}t>${escape(text)}</${p}t></${p}is>`), ctx);
        const runs = readGrid(sheet(`<${p}is><${p}r><${p}t>${escape(text)}</${p}t></${p}r></${p}is>`), ctx);
        expect(fast.rows[1]).toEqual(runs.rows[1]);
        expect(fast.rows[1][2]).toBe(1);
      }),
    );
  });

  test.each([
    ["an unclosed element", plain.replace("</sheetData>", "")],
    ["a mismatched end tag", plain.replace("</row>", "</rows>")],
    ["an undeclared prefix", plain.replace("<row r=\"1\">", "<y:row r=\"1\">").replace("</row>", "</y:row>")],
    ["an unquoted attribute", plain.replace('r="A1"', "r=A1")],
    ["not a worksheet", plain.replace(/worksheet/g, "chartsheet")],
  ])("refuses %s, naming the part", (_, xml) => {
    expect(() => readGrid(xml, ctx, "xl/worksheets/sheet1.xml")).toThrow(XmlPartError);
    expect(() => readGrid(xml, ctx, "xl/worksheets/sheet1.xml")).toThrow(/xl\/worksheets\/sheet1\.xml/);
  });
});

describe("NsScanner", () => {
  /** Every element as {uri}local, in document order, with each element's end. */
  function events(xml: string): string[] {
    const s = new NsScanner(xml);
    const out: string[] = [];
    for (let t = s.next(); t !== Token.Done; t = s.next()) out.push(`${t === Token.Start ? "+" : "-"}{${s.uri}}${s.local}${t === Token.Start && s.selfClosing ? "/" : ""}`);
    return out;
  }

  test("scopes end with their element, also for an empty element that declares", () => {
    expect(events(`<a xmlns="u1"><b xmlns="u2"/><c/><p:d xmlns:p="u3"><p:e xmlns:p="u4"/><p:f/></p:d></a>`)).toEqual([
      "+{u1}a",
      "+{u2}b/",
      "+{u1}c/",
      "+{u3}d",
      "+{u4}e/",
      "+{u3}f/",
      "-{u3}d",
      "-{u1}a",
    ]);
  });

  // Property: renaming every prefix (and choosing default or prefixed binding per element) never changes what is read.
  test("any consistent choice of prefixes reads the same cells", () => {
    const names = ["worksheet", "sheetData", "row", "c", "v", "is", "t"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom("", "x", "ns0", "main", "s"), { minLength: names.length, maxLength: names.length }), (prefixes) => {
        let xml = plain.replace(` xmlns="${MAIN}"`, "");
        names.forEach((n, i) => {
          const p = prefixes[i];
          const decl = p ? ` xmlns:${p}="${MAIN}"` : ` xmlns="${MAIN}"`;
          xml = xml.replace(new RegExp(`<${n}(?=[ >/])`, "g"), `<${p ? p + ":" : ""}${n}${decl}`).replace(new RegExp(`</${n}>`, "g"), `</${p ? p + ":" : ""}${n}>`);
        });
        expect(cells(xml)).toEqual(expected);
      }),
    );
  });
});
