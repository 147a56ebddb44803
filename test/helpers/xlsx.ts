/** Test helpers around the xlsx host: look at what it wrote through ExcelJS. */
import ExcelJS from "exceljs";
import type { XlsxHost } from "../../src/hosts/xlsx";

/** The host's workbook as it would be saved, loaded back with ExcelJS. */
export async function toWorkbook(host: XlsxHost): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await host.toBytes()) as unknown as ArrayBuffer);
  return wb;
}
