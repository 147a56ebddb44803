/**
 * SheetSpec cells as the 2-D array given to `Range.formulas`.
 *
 * Excel reads a string written through `values` or `formulas` the way it reads typing: `=1+1`,
 * `+x`, `-x` and `@x` become formulas, and `2027-01`, `1,200`, `12%` or `TRUE` become dates,
 * numbers and booleans (Range.values in the Excel JavaScript API reference). A leading apostrophe
 * is Excel's own "this is text" mark: it is not stored in the value (Excel keeps it as the cell's
 * quote prefix). So every non-empty string is written with one, and a rep named `=1+1` or a
 * period labelled `2027-01` stays exactly that text, as the .xlsx host writes it.
 */
import type { CellSpec, SheetSpec } from "../../report/spec";
import { areas, parseAddress, type CellBlock } from "./address";

export type FormulaInput = string | number | boolean;

/** One cell for `Range.formulas`. */
export function formulaInput(cell: CellSpec | undefined): FormulaInput {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : 0;
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "string") return cell === "" ? "" : `'${cell}`;
  return `=${cell.formula.replace(/^=/, "")}`;
}

/** Rows `from` (inclusive) to `to` (exclusive) of a spec, each padded to `width` cells. */
export function formulaRows(rows: CellSpec[][], from: number, to: number, width: number): FormulaInput[][] {
  const out: FormulaInput[][] = new Array(to - from);
  for (let r = from; r < to; r++) {
    const source = rows[r] ?? [];
    const row: FormulaInput[] = new Array(width);
    for (let c = 0; c < width; c++) row[c] = formulaInput(source[c]);
    out[r - from] = row;
  }
  return out;
}

/** The width a spec is written at: its widest row, its table, at least one column. */
export function specWidth(rows: CellSpec[][], tableColumns = 0): number {
  let width = Math.max(1, tableColumns);
  for (const row of rows) if (row.length > width) width = row.length;
  return width;
}

/**
 * Excel's names for a table's header cells: an empty one becomes `Column<n>` (n its position in the
 * table), and a name that an earlier column already has (ignoring case) gets the smallest number
 * from 2 up that makes it unique — a level column called "Actual" beside the Ranking's own "Actual"
 * becomes "Actual2". Excel renames the cells themselves when the table is added or a header is
 * typed, so the host writes these names in the first place: what it writes is what the sheet then
 * holds, and a diff against the sheet finds nothing to rewrite.
 */
export function excelHeaderNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((given, i) => {
    let name = given === "" ? `Column${i + 1}` : given;
    if (taken.has(name.toLowerCase())) {
      const base = name;
      for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${base}${k}`;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

/** The spec with its table's header row as Excel will hold it (excelHeaderNames); the same spec when nothing changes. */
export function withExcelHeaders(spec: SheetSpec): SheetSpec {
  const t = spec.table;
  if (!t) return spec;
  const header = spec.rows[t.headerRow] ?? [];
  const names = Array.from({ length: t.columns }, (_, c) => {
    const v = header[c];
    return v === null || v === undefined ? "" : typeof v === "object" ? `=${v.formula}` : String(v);
  });
  const unique = excelHeaderNames(names);
  if (unique.every((n, c) => n === names[c])) return spec;
  const row: CellSpec[] = [...header];
  unique.forEach((n, c) => {
    if (n !== names[c]) row[c] = n;
  });
  const rows = [...spec.rows];
  rows[t.headerRow] = row;
  return { ...spec, rows };
}

/**
 * Every cell a spec's write touches, as one block from A1: its rows and columns, its table, and
 * every range it formats. A later run clears exactly this (the register records it), and nothing
 * beside it.
 */
export function specExtent(spec: SheetSpec): CellBlock {
  let bottom = Math.max(1, spec.rows.length);
  let right = specWidth(spec.rows, spec.table?.columns);
  const t = spec.table;
  if (t) bottom = Math.max(bottom, t.headerRow + 1 + Math.max(1, t.dataRows));
  const ranges = [
    ...spec.numberFormats.map((f) => f.range),
    ...spec.styles.map((s) => s.range),
    ...spec.conditionalFormats.map((f) => f.range),
    ...(spec.charts ?? []).flatMap((c) => [c.categories, ...c.series.map((s) => s.values)]),
  ];
  for (const range of ranges) {
    for (const area of areas(range)) {
      const b = parseAddress(area);
      if (!b || b.sheet !== undefined) continue;
      bottom = Math.max(bottom, b.bottom);
      right = Math.max(right, b.right);
    }
  }
  return { top: 1, left: 1, bottom, right };
}
