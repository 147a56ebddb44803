/**
 * A plan of 5,000 reps over 53 weeks: 265,000 plan rows, a 15,000-row matrix and a 5,400-row
 * weights review, written and saved through ExcelJS. The timings are logged; the bound only
 * catches a pathological slowdown (unshared styles once made the save alone take a minute).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { XlsxHost } from "../../src/hosts/xlsx";
import { buildPlanSheets } from "../../src/report";
import { buildFixture } from "../report/fixtures";

function bigPlan() {
  const periods = Array.from({ length: 53 }, (_, i) => ({ label: `2027-W${String(i + 1).padStart(2, "0")}`, share: 1 / 53 }));
  return buildFixture({
    levels: ["Region", "Team", "Rep"],
    tiers: ["floor", "target", "stretch"],
    totals: { floor: 400_000_000, target: 500_000_000, stretch: 600_000_000 },
    unit: 100,
    periods,
    members: Array.from({ length: 10 }, (_, r) => ({
      member: `R${r}`,
      basis: 1 + r,
      children: Array.from({ length: 10 }, (_, t) => ({
        member: `R${r}-T${t}`,
        basis: 1 + t,
        children: Array.from({ length: 50 }, (_, p) => ({ member: `Rep ${r}-${t}-${p}`, basis: 1 + (p % 7) })),
      })),
    })),
  });
}

describe("writing a 265,000-row plan", () => {
  // How fast is measured by `npm run bench`; this checks a plan of this size is written whole.
  it("builds, writes and saves it as one table", async () => {
    const result = bigPlan();
    const sheets = buildPlanSheets(result, "en");
    expect(sheets[0].rows).toHaveLength(265_001);
    const host = await XlsxHost.fromWorkbook(new ExcelJS.Workbook());
    await host.writeSheets(sheets);
    const dir = mkdtempSync(join(tmpdir(), "tc-large-"));
    const path = join(dir, "large.xlsx");
    await host.save(path);
    expect(statSync(path).size).toBeGreaterThan(1e6);

    const zip = await JSZip.loadAsync(readFileSync(path));
    const table = await zip.file("xl/tables/table1.xml")!.async("string");
    expect(table).toContain('ref="A1:G265001"');
    rmSync(dir, { recursive: true, force: true });
  });
});
