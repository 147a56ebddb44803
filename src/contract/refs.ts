/**
 * Cell addresses for messages: `History!D7`, `'My Sheet'!A1`. Every problem the contract
 * layer reports names a cell computed here from a RawTable's top/left corner.
 */
import type { RawTable } from "../hosts/host";

/** 1 → A, 26 → Z, 27 → AA. */
export function columnLetters(column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

const PLAIN_SHEET_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const LOOKS_LIKE_A1 = /^[A-Za-z]{1,3}\d+$/;
const LOOKS_LIKE_R1C1 = /^(?:[Rr]\d*[Cc]?\d*|[Cc]\d*)$/;

/** The sheet name as Excel writes it in a reference: quoted when it holds spaces, punctuation, or could be read as a cell. */
export function sheetInRef(sheet: string): string {
  const plain = PLAIN_SHEET_NAME.test(sheet) && !LOOKS_LIKE_A1.test(sheet) && !LOOKS_LIKE_R1C1.test(sheet);
  return plain ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}

export function cellRef(sheet: string, row: number, column: number): string {
  return `${sheetInRef(sheet)}!${columnLetters(column)}${row}`;
}

/**
 * A RawTable with its addresses worked out once. Rows and columns are 0-based indices into
 * `headers` and `rows`; `header(c)` is the header cell, `cell(r, c)` a data cell.
 */
export class TableRefs {
  private readonly prefix: string;
  private readonly letters: string[];

  constructor(readonly table: RawTable) {
    this.prefix = sheetInRef(table.sheet) + "!";
    this.letters = table.headers.map((_, c) => columnLetters(table.left + c));
  }

  /** The header row's first cell, e.g. `History!A1`. */
  get first(): string {
    return this.header(0);
  }

  header(column: number): string {
    return this.prefix + this.letter(column) + this.table.top;
  }

  cell(row: number, column: number): string {
    return this.prefix + this.letter(column) + (this.table.top + 1 + row);
  }

  /** The first cell of a data row. */
  row(row: number): string {
    return this.cell(row, 0);
  }

  /** What `row` puts together, without the table's cells (for facts that outlive the read): `row(r)` is prefix + (firstRow + r). */
  rowParts(): { prefix: string; firstRow: number } {
    return { prefix: this.prefix + this.letter(0), firstRow: this.table.top + 1 };
  }

  private letter(column: number): string {
    return this.letters[column] ?? columnLetters(this.table.left + column);
  }
}
