/**
 * Exact amounts end to end: the Target of 796,604,751,817 at Unit 1,000 keeps its
 * remainder of 817 in the summary, RESULT.json and the Plan sheet; a Target past 10^15 Units
 * exits 2, names the Target cell and writes nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { englishBook, tempDir, writeWorkbook, type Rows } from "./fixtures";

async function planBook(targets: Rows, grain: string) {
  const dir = tempDir();
  const input = await writeWorkbook(
    join(dir, "in.xlsx"),
    englishBook({ Targets: targets, Settings: [["Key", "Value"], ["Levels", "Region > Rep"], ["Grain", grain], ["Unit", 1000]] }),
  );
  const outPath = join(dir, "out.xlsx");
  const jsonPath = join(dir, "result.json");
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["plan", input, "--out", outPath, "--json", jsonPath], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err, outPath, jsonPath };
}

describe("Target 796,604,751,817 at Unit 1,000", () => {
  for (const grain of ["Month", "Week"]) {
    it(`adds up to it exactly at ${grain} grain, in the summary, RESULT.json and the Plan sheet`, async () => {
      const r = await planBook([["Period", "Target"], ["2027", 796_604_751_817]], grain);
      expect(r.err).toEqual([]);
      expect(r.code).toBe(0);
      expect(r.out.join("\n")).toContain("Target 796,604,751,817");
      expect(r.out.join("\n")).toContain("✓ Totals check");
      const json = JSON.parse(readFileSync(r.jsonPath, "utf8"));
      expect(json.nodes[0].target).toBe(796_604_751_817);
      const sum = (xs: { target: number }[]) => xs.reduce((a, x) => a + BigInt(x.target), 0n);
      expect(sum(json.periods)).toBe(796_604_751_817n);
      expect(sum(json.plan)).toBe(796_604_751_817n);
      expect(sum(json.nodes.filter((n: { path: Record<string, string> }) => n.path.Rep !== undefined))).toBe(796_604_751_817n);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(r.outPath);
      const plan = wb.getWorksheet("Plan") as ExcelJS.Worksheet;
      const header = (plan.getRow(1).values as unknown[]).indexOf("Target");
      let sheet = 0n;
      plan.eachRow((row, i) => {
        if (i > 1) sheet += BigInt(row.getCell(header).value as number);
      });
      expect(sheet).toBe(796_604_751_817n);
    });
  }
});

describe("a Target past 10^15 Units", () => {
  it("exits 2, names the Target cell, says what to do, and writes nothing", async () => {
    const r = await planBook([["Period", "Target"], ["2027", 2e18]], "Month");
    expect(r.code).toBe(2);
    expect(r.err.join("\n")).toMatch(/^Targets!B2: .*10\^15 rounding units of 1,000.*larger Unit/m);
    expect(existsSync(r.outPath)).toBe(false);
    expect(existsSync(r.jsonPath)).toBe(false);
  });
});
