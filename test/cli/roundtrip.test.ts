/**
 * The command line's output, recalculated by LibreOffice as a user's spreadsheet would: no formula
 * evaluates to an error anywhere, and the recalculated Plan sheet equals RESULT.json row for row.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import { findSoffice, readAllCells, recalcXlsx, type ReadCell, describeWithLibreOffice } from "../helpers/libreoffice";
import { tempDir } from "./fixtures";


interface PlanRowJson {
  path: Record<string, string>;
  period: string;
  floor?: number;
  target?: number;
  stretch?: number;
}

describeWithLibreOffice.each([
  ["厨电门店-2027.xlsx", "分解明细", ["保底", "力争", "冲刺"]],
  ["kitchen-appliances-2027.xlsx", "Plan", ["Floor", "Target", "Stretch"]],
  ["五一活动-2027.xlsx", "分解明细", ["保底", "力争", "冲刺"]],
])("the CLI's output for %s, recalculated by LibreOffice", (file, planSheet, tierHeaders) => {
  let cells: ReadCell[];
  let json: { plan: PlanRowJson[] };

  beforeAll(async () => {
    const dir = tempDir("tc-roundtrip-");
    const out = join(dir, "out.xlsx");
    const result = join(dir, "result.json");
    const code = await main(["plan", join(__dirname, "..", "..", "sample", file), "--out", out, "--json", result, "--quiet"], {
      out: () => undefined,
      err: (l) => process.stderr.write(l + "\n"),
    });
    expect(code).toBe(0);
    json = JSON.parse(readFileSync(result, "utf8"));
    cells = await readAllCells(await recalcXlsx(out, dir));
  });

  it("has no error value in any cell", () => {
    expect(cells.filter((c) => c.error !== undefined).map((c) => `${c.sheet}!${c.address} ${c.formula ?? ""} → ${c.error}`)).toEqual([]);
  });

  it("shows, on the plan sheet, exactly the plan of RESULT.json", () => {
    const sheet = cells.filter((c) => c.sheet === planSheet);
    const rows = new Map<number, Map<number, ReadCell>>();
    for (const c of sheet) {
      if (!rows.has(c.row)) rows.set(c.row, new Map());
      rows.get(c.row)!.set(c.col, c);
    }
    const header = [...rows.get(1)!.values()].sort((a, b) => a.col - b.col).map((c) => String(c.value));
    const tierCols = tierHeaders.map((h) => header.indexOf(h) + 1);
    const periodCol = tierCols[0] - 1;
    expect(rows.size - 1).toBe(json.plan.length);
    json.plan.forEach((expected, i) => {
      const row = rows.get(i + 2)!;
      const members = Object.values(expected.path);
      members.forEach((m, k) => expect(row.get(k + 1)?.value).toBe(m));
      expect(row.get(periodCol)?.value).toBe(expected.period);
      expect(row.get(tierCols[0])?.value).toBe(expected.floor);
      expect(row.get(tierCols[1])?.value).toBe(expected.target);
      expect(row.get(tierCols[2])?.value).toBe(expected.stretch);
    });
  });
});
