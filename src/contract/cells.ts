/**
 * Reading the cells of one table with problems named by cell: a number that is text, a date
 * that is not, an empty cell that must be filled.
 */
import type { Problem } from "../engine/problems";
import type { RawCell, RawTable } from "../hosts/host";
import type { ColumnAt, NameDef } from "./headers";
import { cellText, isEmpty, parseDate, parseNumber, type DaySpan } from "./parse";
import { TableRefs } from "./refs";

export class TableReader {
  readonly refs: TableRefs;

  constructor(
    readonly table: RawTable,
    readonly problems: Problem[],
  ) {
    this.refs = new TableRefs(table);
  }

  get rows(): RawCell[][] {
    return this.table.rows;
  }

  cell(row: number, column: ColumnAt | undefined): RawCell {
    return column === undefined ? null : (this.table.rows[row][column.index] ?? null);
  }

  ref(row: number, column: ColumnAt): string {
    return this.refs.cell(row, column.index);
  }

  isEmpty(row: number, column: ColumnAt | undefined): boolean {
    return isEmpty(this.cell(row, column));
  }

  /** Whether the data row holds anything at all. */
  rowHasValues(row: number): boolean {
    return this.table.rows[row].some((c) => !isEmpty(c));
  }

  text(row: number, column: ColumnAt | undefined): string {
    return cellText(this.cell(row, column));
  }

  /** A number, or undefined when the cell is empty or not a number (then a problem names it). */
  number(row: number, column: ColumnAt | undefined, options: { allowNegative?: boolean } = {}): number | undefined {
    if (column === undefined) return undefined;
    const cell = this.cell(row, column);
    if (isEmpty(cell)) return undefined;
    const value = parseNumber(cell);
    if (Number.isNaN(value)) {
      this.report(row, column, "notANumber", { value: cellText(cell) });
      return undefined;
    }
    if (value < 0 && !options.allowNegative) {
      this.report(row, column, "negativeNumber", { value: cellText(cell) });
      return undefined;
    }
    return value;
  }

  /** The days of a date or month cell, or undefined when empty or not a date (then a problem names it). */
  date(row: number, column: ColumnAt | undefined): DaySpan | undefined {
    if (column === undefined) return undefined;
    const cell = this.cell(row, column);
    if (isEmpty(cell)) return undefined;
    const span = parseDate(cell);
    if (!span) this.report(row, column, "notADate", { value: cellText(cell) });
    return span;
  }

  /** Report an empty cell that must be filled; true when it is filled. */
  required(row: number, column: ColumnAt): boolean {
    if (!this.isEmpty(row, column)) return true;
    this.report(row, column, "missingValue", {});
    return false;
  }

  /** A problem about a cell, with its column's header as written. */
  report(row: number, column: ColumnAt, code: string, args: Record<string, string | number>): void {
    this.problems.push({ ref: this.ref(row, column), code, args: { column: column.label, ...args } });
  }

  /** The table lacks a column: named at the header row's first cell. */
  missingColumn(table: NameDef, column: { name: string; zh: string }): void {
    this.problems.push({
      ref: this.refs.first,
      code: "missingColumn",
      args: { table: table.name, tableZh: table.zh, column: column.name, columnZh: column.zh },
    });
  }

  /** Columns that repeat one already matched. */
  reportDuplicates(duplicates: readonly { column: ColumnAt; first: ColumnAt }[]): void {
    for (const { column, first } of duplicates) {
      this.problems.push({
        ref: this.refs.header(column.index),
        code: "duplicateColumn",
        args: { column: column.label, first: first.label },
      });
    }
  }

  /** The index of the first data row holding any value, or -1. */
  firstRowWithValues(): number {
    return this.table.rows.findIndex((_, r) => this.rowHasValues(r));
  }
}
