/**
 * A formula cell with no saved value: openpyxl (and pandas' to_excel over it) writes formulas
 * without their results, so a cell such as `=UPPER("li")` in History's Rep column used to read as a
 * rep named "0". It is a problem that names the cell, and nothing is written.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import { tempDir } from "./fixtures";

const PYTHON = "/usr/bin/python3";

function hasOpenpyxl(): boolean {
  try {
    execFileSync(PYTHON, ["-c", "import openpyxl"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const describeWithOpenpyxl: jest.Describe = (() => {
  if (hasOpenpyxl()) return describe;
  if (process.env.CI) throw new Error("python3-openpyxl is required under CI: .ci/run installs it");
  return describe.skip;
})();

const SCRIPT = `
import sys, openpyxl
wb = openpyxl.Workbook()
t = wb.active
t.title = "Targets"
t.append(["Period", "Target"])
t.append(["2027", 1200000])
h = wb.create_sheet("History data")
h.append(["Date", "Region", "Rep", "Amount"])
for m in range(1, 13):
    for region, rep, amount in [("East", "Li", 100), ("East", "Wang", 200), ("West", "Zhao", 300)]:
        h.append(["2026-%02d" % m, region, rep, amount])
h["C3"] = '=UPPER("wang")'
h["D5"] = "=100*2"
wb.save(sys.argv[1])
`;

describeWithOpenpyxl("a formula with no saved value (a workbook written by openpyxl)", () => {
  test("exits 2 naming each such cell of an input, with what to do, and writes nothing", async () => {
    const dir = tempDir();
    const input = join(dir, "openpyxl.xlsx");
    execFileSync(PYTHON, ["-c", SCRIPT, input]);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["plan", input, "--out", join(dir, "out.xlsx"), "--json", join(dir, "result.json")], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(/^'History data'!C3: this formula has no saved value/);
    expect(err[1]).toMatch(/^'History data'!D5: /);
    expect(err[0]).toContain("Open the workbook in Excel, WPS or LibreOffice, save it, then run again");
    expect(existsSync(join(dir, "out.xlsx"))).toBe(false);
    expect(existsSync(join(dir, "result.json"))).toBe(false);
    expect(readdirSync(dir)).toEqual(["openpyxl.xlsx"]);
  });
});
