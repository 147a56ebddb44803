/**
 * The target letters as a printer gives them: `letters` on the samples, printed to PDF by
 * LibreOffice — one page per member, every page holding its whole letter (its title, the rightmost
 * column's amounts, the widest texts and the last line), and the pages kept as PNGs in
 * test/artifacts/.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { describeWithLibreOffice, printSheets } from "../helpers/libreoffice";
import { tempDir } from "./fixtures";

const run = promisify(execFile);
const ARTIFACTS = join(__dirname, "..", "artifacts");

interface Letter {
  member: string;
  /** Texts every page must show, cut off otherwise: the rightmost amounts, the widest lines, the last line. */
  expected: string[];
}

/** What each letter of the sheet holds, read back from the written workbook. */
async function lettersOf(path: string, sheet: string, lang: "zh" | "en"): Promise<Letter[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet(sheet)!;
  const letters: Letter[] = [];
  const width = ws.columnCount;
  ws.eachRow((row) => {
    const a = row.getCell(1).value;
    const title = lang === "zh" ? "目标责任书 · " : "Target letter · ";
    if (typeof a === "string" && a.startsWith(title)) {
      letters.push({ member: a.slice(title.length), expected: [a] });
      return;
    }
    const letter = letters[letters.length - 1];
    if (!letter) return;
    // The rightmost filled cell of an amounts row, as the sheet's number format shows it.
    const last = row.getCell(width).value;
    if (typeof last === "number" && Number.isInteger(last) && last >= 1000) letter.expected.push(last.toLocaleString("en-US"));
    if (typeof a === "string" && (a.startsWith("本人") || a.startsWith("I have read") || a.startsWith("日期") || a.startsWith("Date"))) letter.expected.push(a);
    const b = row.getCell(2).value;
    if (typeof b === "string" && b.length > 20) letter.expected.push(b);
  });
  return letters;
}

describeWithLibreOffice.each([
  ["厨电门店-2027.xlsx", "目标责任书", "target-letters-zh", "zh"],
  ["may-day-campaign-2027.xlsx", "Target Letters", "target-letters-en", "en"],
] as const)("letters %s, printed by LibreOffice", (file, sheet, artefact, lang) => {
  let pdf: string;
  let letters: Letter[];
  let pages: number;

  beforeAll(async () => {
    const dir = tempDir("tc-letters-lo-");
    const out = join(dir, "letters.xlsx");
    const code = await main(["letters", join(__dirname, "..", "..", "sample", file), "--out", out, "--quiet"], { out: () => undefined, err: (l) => process.stderr.write(l + "\n") });
    expect(code).toBe(0);
    letters = await lettersOf(out, sheet, lang);
    pdf = await printSheets(out, [sheet], artefact, dir);
    const info = (await run("pdfinfo", [pdf])).stdout;
    pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  });

  it("prints one page per member", () => {
    expect(letters.length).toBeGreaterThan(1);
    expect(pages).toBe(letters.length);
  });

  it("prints each letter whole on its own page", async () => {
    for (const [i, letter] of letters.entries()) {
      const text = (await run("pdftotext", ["-layout", "-f", String(i + 1), "-l", String(i + 1), pdf, "-"])).stdout.replace(/[ \t]+/g, " ");
      for (const expected of letter.expected) expect({ page: i + 1, has: text.includes(expected.replace(/[ \t]+/g, " ")), expected }).toEqual({ page: i + 1, has: true, expected });
      // No other member's letter on this page.
      const others = letters.filter((l) => l.member !== letter.member && !letter.member.includes(l.member)).filter((l) => text.includes(l.expected[0]));
      expect(others.map((l) => l.member)).toEqual([]);
    }
  });

  it("renders the pages to PNG in test/artifacts", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of readdirSync(ARTIFACTS)) if (f.startsWith(`${artefact}-`)) rmSync(join(ARTIFACTS, f));
    await run("pdftoppm", ["-r", "80", "-png", "-f", "1", "-l", "3", pdf, join(ARTIFACTS, artefact)], { timeout: 120_000 });
    const pngs = readdirSync(ARTIFACTS).filter((f) => f.startsWith(`${artefact}-`) && f.endsWith(".png"));
    expect(pngs.length).toBe(Math.min(3, pages));
    for (const png of pngs) {
      expect(existsSync(join(ARTIFACTS, png))).toBe(true);
      expect(statSync(join(ARTIFACTS, png)).size).toBeGreaterThan(10_000);
    }
  });
});
