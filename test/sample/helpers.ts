import * as path from "path";
import ExcelJS from "exceljs";

export const SAMPLE_DIR = path.join(__dirname, "..", "..", "sample");

export type Value = string | number | null;

/** A sheet's cell values as plain rows (dates as ISO text, empty cells as null). */
export function sheetRows(sheet: ExcelJS.Worksheet): Value[][] {
  const rows: Value[][] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values: Value[] = [];
    for (let c = 1; c <= width; c++) values.push(plain(row.getCell(c).value));
    rows[rowNumber - 1] = values;
  });
  return Array.from(rows, (row) => row ?? []);
}

function plain(value: ExcelJS.CellValue): Value {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "string" || typeof value === "number") return value;
  throw new Error(`unexpected cell value ${JSON.stringify(value)}`);
}

/** A table's rows as records keyed by its headers. */
export function records(sheet: ExcelJS.Worksheet): Record<string, Value>[] {
  const [header, ...rows] = sheetRows(sheet);
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i] ?? null])));
}

/** Every sheet of a workbook, by name, as plain rows. */
export function workbookRows(workbook: ExcelJS.Workbook): Record<string, Value[][]> {
  return Object.fromEntries(workbook.worksheets.map((sheet) => [sheet.name, sheetRows(sheet)]));
}

/** The tables of a sheet as read back from a file: name and range. */
export function tablesOf(sheet: ExcelJS.Worksheet): { name: string; ref: string }[] {
  return sheet.getTables().map((entry) => {
    const table = (Array.isArray(entry) ? entry[0] : entry) as unknown as {
      name?: string;
      ref?: string;
      tableRef?: string;
      table?: { name: string; ref?: string; tableRef?: string };
    };
    const model = table.table ?? table;
    return { name: String(model.name), ref: String(model.tableRef ?? model.ref) };
  });
}

export async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

const samples = new Map<string, Promise<ExcelJS.Workbook>>();

/** A committed sample workbook, read once per test file (the tests only read it). */
export function readSample(file: string): Promise<ExcelJS.Workbook> {
  const full = path.join(SAMPLE_DIR, file);
  if (!samples.has(full)) samples.set(full, readWorkbook(full));
  return samples.get(full)!;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Sums `measure` of the records grouped by `key`. */
export function totalBy(rows: readonly Record<string, Value>[], key: (row: Record<string, Value>) => string, measure: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + Number(row[measure]));
  return totals;
}
