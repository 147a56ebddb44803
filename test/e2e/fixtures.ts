/**
 * Workbooks for the Excel host's tests and the browser tests, as .xlsx bytes: the command-line
 * tests' small English workbook, variations of it (bad inputs, names that look like formulas, a
 * user's sheet in the way), and bench workbooks of any size.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { writeBenchWorkbook } from "../../bench/generate";
import { englishBook, type Rows, type WorkbookSpec } from "../cli/fixtures";

export { englishBook, type Rows, type WorkbookSpec };

export async function bookBytes(spec: WorkbookSpec): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(spec.sheets)) {
    const ws = wb.addWorksheet(name);
    const table = spec.tables?.[name];
    if (table && rows.length > 1) {
      ws.addTable({ name: table, ref: "A1", headerRow: true, columns: rows[0].map((h) => ({ name: String(h) })), rows: rows.slice(1) });
    } else {
      for (const row of rows) ws.addRow(row);
    }
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** The small English workbook with reps whose names Excel would read as formulas, numbers or dates if typed. */
export function trickyNamesBook(): WorkbookSpec {
  const book = englishBook();
  const rename: Record<string, string> = { Li: "=1+1", Wang: "+SUM(1,2)", Zhao: "-3", Chen: "@x" };
  const history = book.sheets["History data"].map((row, i) => (i === 0 ? row : row.map((v, c) => (c === 2 ? (rename[String(v)] ?? v) : v))));
  // Month grain: periods labelled 2027-01 … 2027-12, which Excel would take for dates.
  const settings = book.sheets.Settings.map((row) => (row[0] === "Grain" ? ["Grain", "Month"] : row));
  return { ...book, sheets: { ...book.sheets, "History data": history, Settings: settings } };
}

/** History with text in a number column: "n/a" in Amount on the 6th data row (History data!D7). */
export function textInNumberBook(): WorkbookSpec {
  const book = englishBook();
  const history = book.sheets["History data"].map((row) => [...row]);
  history[6][3] = "n/a";
  return { ...book, sheets: { ...book.sheets, "History data": history } };
}

/** No Targets at all. */
export function missingTargetsBook(): WorkbookSpec {
  return englishBook({ Targets: undefined });
}

/** A user's own sheet called "Plan", in the way of the plan sheet. */
export function userPlanSheetBook(): WorkbookSpec {
  const book = englishBook();
  return { ...book, sheets: { ...book.sheets, Plan: [["My own plan"], ["do not touch"]] } };
}

/** A bench workbook (Region > Team > Rep, Week grain, 36 months of history) as bytes. */
export async function benchBytes(reps: number): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "tc-bench-"));
  try {
    const path = join(dir, `bench-${reps}.xlsx`);
    await writeBenchWorkbook(path, { reps });
    return new Uint8Array(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
