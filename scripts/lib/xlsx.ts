/**
 * ExcelJS helpers shared by the sample and bench generators: a sheet holding one Excel
 * table, a plain "read me" sheet, a byte-stable .xlsx writer, and tables added after the
 * fact to a workbook written by ExcelJS's streaming writer.
 */
import { promises as fs } from "fs";
import * as path from "path";
import ExcelJS from "exceljs";
import { entryContent, makeEntry, readZip, writeZip } from "./zip";

export type Cell = string | number | Date | null;

export interface ColumnSpec {
  header: string;
  /** Column width in characters. */
  width?: number;
  /** Excel number format for the data cells, e.g. `#,##0` or `yyyy-mm-dd`. */
  numFmt?: string;
}

/** The fixed timestamp stamped on every generated workbook, so regenerating changes no bytes. */
export const FIXED_TIMESTAMP = new Date(Date.UTC(2026, 11, 1, 0, 0, 0));

/** A new workbook with fixed metadata. */
export function newWorkbook(creator: string): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = creator;
  workbook.lastModifiedBy = creator;
  workbook.created = FIXED_TIMESTAMP;
  workbook.modified = FIXED_TIMESTAMP;
  return workbook;
}

/**
 * Adds a sheet whose data is one Excel table starting at A1, so the input is found by its
 * table name and, failing that, by its sheet name (normally the same name).
 */
export function addTableSheet(
  workbook: ExcelJS.Workbook,
  sheetName: string,
  tableName: string,
  columns: readonly ColumnSpec[],
  rows: readonly (readonly Cell[])[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.addTable({
    name: tableName,
    displayName: tableName,
    ref: "A1",
    headerRow: true,
    totalsRow: false,
    style: { theme: "TableStyleMedium2", showRowStripes: true },
    columns: columns.map((column) => ({ name: column.header, filterButton: true })),
    rows: rows.map((row) => [...row]),
  });
  columns.forEach((column, index) => {
    const sheetColumn = sheet.getColumn(index + 1);
    sheetColumn.width = column.width ?? Math.max(10, displayWidth(column.header) + 4);
    if (column.numFmt) {
      const numFmt = column.numFmt;
      sheetColumn.eachCell((cell, rowNumber) => {
        if (rowNumber > 1) cell.numFmt = numFmt;
      });
    }
  });
  return sheet;
}

/** Adds a plain sheet (not a table) with a bold title and one line of text per row. */
export function addReadmeSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  title: string,
  lines: readonly string[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name);
  sheet.getColumn(1).width = 110;
  const titleCell = sheet.getCell("A1");
  titleCell.value = title;
  titleCell.font = { bold: true, size: 14 };
  lines.forEach((line, index) => {
    sheet.getCell(index + 3, 1).value = line;
  });
  return sheet;
}

/** Width of a header in Excel character units (CJK characters count double). */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u2e80-\uffff]/.test(char) ? 2 : 1;
  return width;
}

/** Writes a workbook whose bytes depend only on its content; returns the file size. */
export async function writeWorkbookStable(workbook: ExcelJS.Workbook, file: string): Promise<number> {
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  const stable = writeZip(readZip(buffer), FIXED_TIMESTAMP);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, stable);
  return stable.length;
}

/** An Excel table to add to an existing .xlsx: its sheet, name, range and header texts. */
export interface TablePart {
  sheet: string;
  name: string;
  /** The table's range including the header row, e.g. `A1:I180001`. */
  ref: string;
  /** The header texts, exactly as in the header row's cells. */
  columns: readonly string[];
}

const TABLE_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml";
const TABLE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table";
const RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships";

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const attribute = (element: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1];

/**
 * Adds Excel tables over ranges of an .xlsx that has none on those sheets (ExcelJS's
 * streaming writer cannot write tables). Adds each table part, links it from its sheet and
 * registers its content type; every other entry is copied as it is. Timestamps are fixed.
 */
export function addTablesToXlsx(xlsx: Buffer, tables: readonly TablePart[]): Buffer {
  const entries = readZip(xlsx);
  const find = (name: string) => entries.find((entry) => entry.name === name);
  const text = (name: string): string => {
    const entry = find(name);
    if (!entry) throw new Error(`the workbook has no ${name}`);
    return entryContent(entry).toString("utf8");
  };
  const replace = (name: string, content: Buffer | string) => {
    const index = entries.findIndex((entry) => entry.name === name);
    const entry = makeEntry(name, content);
    if (index < 0) entries.push(entry);
    else entries[index] = entry;
  };

  const workbookRels = text("xl/_rels/workbook.xml.rels");
  const targetById = new Map<string, string>();
  for (const [rel] of workbookRels.matchAll(/<Relationship\s[^>]*>/g)) {
    targetById.set(attribute(rel, "Id")!, attribute(rel, "Target")!);
  }
  const sheetPath = new Map<string, string>();
  for (const [sheet] of text("xl/workbook.xml").matchAll(/<sheet\s[^>]*>/g)) {
    const target = targetById.get(attribute(sheet, "r:id")!)!;
    sheetPath.set(attribute(sheet, "name")!, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }

  let contentTypes = text("[Content_Types].xml");
  let tableNumber = entries.filter((entry) => entry.name.startsWith("xl/tables/")).length;
  for (const table of tables) {
    const sheetFile = sheetPath.get(escapeXml(table.sheet));
    if (!sheetFile) throw new Error(`the workbook has no sheet ${table.sheet}`);
    tableNumber++;
    const tableFile = `xl/tables/table${tableNumber}.xml`;
    replace(
      tableFile,
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        `<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="${tableNumber}" ` +
        `name="${escapeXml(table.name)}" displayName="${escapeXml(table.name)}" ref="${table.ref}" headerRowCount="1" totalsRowShown="0">` +
        `<autoFilter ref="${table.ref}"/><tableColumns count="${table.columns.length}">` +
        table.columns.map((column, i) => `<tableColumn id="${i + 1}" name="${escapeXml(column)}"/>`).join("") +
        "</tableColumns>" +
        '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>' +
        "</table>",
    );
    contentTypes = contentTypes.replace("</Types>", `<Override PartName="/${tableFile}" ContentType="${TABLE_CONTENT_TYPE}"/></Types>`);

    const relsFile = sheetFile.replace(/([^/]+)$/, "_rels/$1.rels");
    const rels = find(relsFile)
      ? text(relsFile)
      : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${RELATIONSHIPS_NS}"></Relationships>`;
    const relId = `rIdTable${tableNumber}`;
    replace(
      relsFile,
      rels.replace("</Relationships>", `<Relationship Id="${relId}" Type="${TABLE_RELATIONSHIP}" Target="../tables/table${tableNumber}.xml"/></Relationships>`),
    );

    // tableParts comes last in a worksheet, before any extLst.
    const sheetXml = entryContent(find(sheetFile)!);
    const extLst = sheetXml.lastIndexOf("<extLst");
    const at = extLst >= 0 ? extLst : sheetXml.lastIndexOf("</worksheet>");
    if (at < 0 || sheetXml.includes("<tableParts")) throw new Error(`cannot add a table to ${sheetFile}`);
    replace(
      sheetFile,
      Buffer.concat([sheetXml.subarray(0, at), Buffer.from(`<tableParts count="1"><tablePart r:id="${relId}"/></tableParts>`), sheetXml.subarray(at)]),
    );
  }
  replace("[Content_Types].xml", contentTypes);
  return writeZip(entries, FIXED_TIMESTAMP);
}
