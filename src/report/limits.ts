/**
 * What one worksheet can hold. A plan too big for a sheet (a day grain over thousands of reps)
 * is refused with a clear message rather than written as a file Excel cannot open.
 */
import type { OwnedSheetKind, SheetSpec } from "./spec";

export const MAX_SHEET_ROWS = 1_048_576;
export const MAX_SHEET_COLUMNS = 16_384;

export class SheetTooLargeError extends Error {
  constructor(
    readonly sheet: string,
    readonly rows: number,
    readonly columns: number,
    /** Which output sheet it is, so the message can name the setting that sizes it. */
    readonly kind?: OwnedSheetKind,
  ) {
    super(
      `sheet "${sheet}" would need ${rows.toLocaleString("en-US")} rows and ${columns.toLocaleString("en-US")} columns, ` +
        `more than a worksheet holds ` +
        `(${MAX_SHEET_ROWS.toLocaleString("en-US")} rows, ${MAX_SHEET_COLUMNS.toLocaleString("en-US")} columns); ` +
        `choose a coarser time grain or fewer levels`,
    );
    this.name = "SheetTooLargeError";
  }
}

/**
 * Throws SheetTooLargeError when a sheet of `rows` × `columns` would not fit on a worksheet. The
 * builders call it with the size their layout will take before they build a row, so a plan too
 * large is refused at once, without first building a sheet of millions of cells.
 */
export function checkSheetSize(sheet: string, kind: OwnedSheetKind, rows: number, columns: number): void {
  if (rows > MAX_SHEET_ROWS || columns > MAX_SHEET_COLUMNS) throw new SheetTooLargeError(sheet, rows, columns, kind);
}

/** Throws SheetTooLargeError when `sheet` does not fit on a worksheet. */
export function assertFitsOnSheet(sheet: SheetSpec): void {
  const rows = sheet.rows.length;
  let columns = 0;
  for (const row of sheet.rows) if (row.length > columns) columns = row.length;
  if (rows > MAX_SHEET_ROWS || columns > MAX_SHEET_COLUMNS) throw new SheetTooLargeError(sheet.name, rows, columns, sheet.kind);
}
