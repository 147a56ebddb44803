/**
 * Small workbooks for command-line tests, written with ExcelJS to a temporary folder. Each sheet
 * is rows of values; `tables` writes a sheet as an Excel table.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";

export type Rows = (string | number | Date | null)[][];

export interface WorkbookSpec {
  sheets: Record<string, Rows>;
  /** Sheets to write as an Excel table: sheet name → table name. */
  tables?: Record<string, string>;
}

export function tempDir(prefix = "tc-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function writeWorkbook(path: string, spec: WorkbookSpec): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(spec.sheets)) {
    const ws = wb.addWorksheet(name);
    const table = spec.tables?.[name];
    if (table && rows.length > 1) {
      ws.addTable({
        name: table,
        ref: "A1",
        headerRow: true,
        columns: rows[0].map((h) => ({ name: String(h) })),
        rows: rows.slice(1),
      });
    } else {
      for (const row of rows) ws.addRow(row);
    }
  }
  await wb.xlsx.writeFile(path);
  return path;
}

/** A complete small English workbook: 2 regions, 4 reps, one year of monthly history. */
export function englishBook(over: Partial<Record<string, Rows>> = {}): WorkbookSpec {
  const history: Rows = [["Date", "Region", "Rep", "Amount", "Orders"]];
  const reps: [string, string, number][] = [
    ["East", "Li", 120],
    ["East", "Wang", 80],
    ["West", "Zhao", 100],
    ["West", "Chen", 50],
  ];
  for (let m = 1; m <= 12; m++) {
    for (const [region, rep, base] of reps) {
      history.push([`2026-${String(m).padStart(2, "0")}`, region, rep, base * (m === 5 ? 2 : 1) * 100, base / 10]);
    }
  }
  const sheets: Record<string, Rows> = {
    Targets: [
      ["Period", "Floor", "Target", "Stretch"],
      ["2027", 900000, 1000000, 1200000],
    ],
    "History data": history,
    Settings: [
      ["Key", "Value"],
      ["Levels", "Region > Rep"],
      ["Grain", "Quarter"],
      ["Unit", 100],
    ],
    Weights: [
      ["Dimension", "Member", "Weight", "Lock"],
      ["Region", "East", "60%", null],
      ["Region", "West", "40%", null],
    ],
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete sheets[k];
    else sheets[k] = v;
  }
  return { sheets, tables: sheets["History data"] ? { "History data": "History" } : {} };
}
