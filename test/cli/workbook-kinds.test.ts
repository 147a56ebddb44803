/**
 * Workbooks the tool opens but must not write the usual way: a Strict Open XML workbook is refused
 * (exit 1, nothing written); a macro-enabled one is written only as .xlsm, and an .xlsx never as
 * .xlsm (exit 64, nothing written). The VBA project is kept byte for byte: see the producer corpus.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import JSZip from "jszip";
import { main } from "../../src/cli/main";
import { tempDir } from "./fixtures";

const SAMPLE = join(__dirname, "../../sample/kitchen-appliances-2027.xlsx");
const MACRO = join(__dirname, "../corpus/vendor/SimpleMacro.xlsm");

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out, err };
}

/** The sample with its main relationship (and so the package) made Strict. */
async function strictCopy(dir: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(SAMPLE));
  const rels = (await zip.file("_rels/.rels")!.async("string")).replace(
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
  );
  zip.file("_rels/.rels", rels);
  const path = join(dir, "strict.xlsx");
  writeFileSync(path, await zip.generateAsync({ type: "nodebuffer" }));
  return path;
}

describe("workbook kinds", () => {
  test("a Strict Open XML workbook is refused with what to do, and nothing is written", async () => {
    const dir = tempDir();
    const input = await strictCopy(dir);
    const r = await run(["plan", input, "--out", join(dir, "out.xlsx"), "--json", join(dir, "r.json")]);
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toContain("strict.xlsx is saved as Strict Open XML");
    expect(r.err.join("\n")).toContain("save it as .xlsx (Excel Workbook, not Strict Open XML Spreadsheet)");
    expect(readdirSync(dir)).toEqual(["strict.xlsx"]);
  });

  test("a macro-enabled workbook is not written as .xlsx, and the message names the .xlsm to use", async () => {
    const dir = tempDir();
    const r = await run(["plan", MACRO, "--out", join(dir, "out.xlsx")]);
    expect(r.code).toBe(64);
    expect(r.err.join("\n")).toContain("is a macro-enabled workbook: write it to a path ending in .xlsm");
    expect(r.err.join("\n")).toContain(join(dir, "out.xlsm"));
    expect(readdirSync(dir)).toEqual([]);
  });

  test("an .xlsx is not written as .xlsm", async () => {
    const dir = tempDir();
    const r = await run(["plan", SAMPLE, "--out", join(dir, "out.xlsm")]);
    expect(r.code).toBe(64);
    expect(r.err.join("\n")).toContain("has no macros, so its output must be an .xlsx");
    expect(existsSync(join(dir, "out.xlsm"))).toBe(false);
  });
});
