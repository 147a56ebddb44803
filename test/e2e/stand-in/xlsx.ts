/**
 * The stand-in's workbook to and from .xlsx bytes, with ExcelJS (its browser build in the page,
 * its Node build in unit tests) and JSZip.
 *
 * Import: sheets (name, visibility, order, sheetId → worksheet id, or with `ids: "random"` a new
 * GUID for every sheet, as a workbook opened on another platform may get), cell values (dates become
 * serial numbers, as Office.js gives them; formulas keep their cached results), tables, column
 * widths, frozen panes, and the add-in's settings from the file's web-extension part.
 *
 * Export: sheets the stand-in never touched go back as ExcelJS read them; the others are built from
 * the model: values and formulas, number formats and looks per range, tables, conditional formats,
 * column widths, frozen panes, visibility. Settings are written to xl/webextensions/, where Excel
 * keeps an add-in's settings, so a file exported here and opened again still has them.
 */
/* eslint-disable office-addins/load-object-before-read, office-addins/call-sync-before-read -- ExcelJS cells here, not Office.js proxies */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { columnLetter } from "../../../src/report/a1";
import { localAddress, MAX_COLS, MAX_ROWS, WorkbookModel, type Block, type ConditionalFormatRecord, type SheetModel, type Visibility } from "./model";
import { dateToSerial, isFormula, type CellValue } from "./values";

const WEBEXT_NS = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11";
const TASKPANES_NS = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes";
const REL_WEBEXT = "http://schemas.microsoft.com/office/2011/relationships/webextension";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const unesc = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, "&");

/** A loaded workbook: the model, and ExcelJS's own copy for the sheets the stand-in leaves alone. */
export interface LoadedWorkbook {
  model: WorkbookModel;
  original: ExcelJS.Workbook;
  /** The ExcelJS worksheet each model sheet came from. */
  sources: Map<SheetModel, ExcelJS.Worksheet>;
}

function cellValue(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return dateToSerial(v);
  const o = v as unknown as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join("");
  if (typeof o.formula === "string" || typeof o.sharedFormula === "string") {
    const r = o.result;
    const result = r instanceof Date ? dateToSerial(r) : typeof r === "object" && r !== null ? String((r as { error?: string }).error ?? "") : (r as string | number | boolean | undefined);
    return { f: String(o.formula ?? o.sharedFormula), r: result };
  }
  if (typeof o.error === "string") return o.error;
  if (typeof o.text === "string") return o.text;
  return String(v);
}

const STATE: Record<string, Visibility> = { visible: "Visible", hidden: "Hidden", veryHidden: "VeryHidden" };

function decode(ref: string): { row: number; col: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)$/i.exec(ref) as RegExpExecArray;
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]), col };
}

function blockOf(ref: string): Block {
  const [a, b = a] = ref.split(":");
  const p = decode(a);
  const q = decode(b);
  return { top: p.row, left: p.col, bottom: q.row, right: q.col };
}

async function readSettings(bytes: Uint8Array): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const zip = await JSZip.loadAsync(bytes);
  const parts = Object.keys(zip.files).filter((n) => /^xl\/webextensions\/webextension\d*\.xml$/i.test(n));
  for (const name of parts) {
    const xml = await (zip.file(name) as JSZip.JSZipObject).async("string");
    const re = /<(?:\w+:)?property\b[^>]*?\bname="([^"]*)"[^>]*?\bvalue="([^"]*)"/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(xml))) out.set(unesc(m[1]), unesc(m[2]));
  }
  return out;
}

export interface LoadOptions {
  /** Worksheet ids on opening: from the sheetId (Excel on Windows), or "random": new ones every time. */
  ids?: "sheetId" | "random";
}

export async function loadXlsx(bytes: Uint8Array, options: LoadOptions = {}): Promise<LoadedWorkbook> {
  const original = new ExcelJS.Workbook();
  await original.xlsx.load(bytes as unknown as ArrayBuffer);
  const model = new WorkbookModel();
  const sources = new Map<SheetModel, ExcelJS.Worksheet>();
  for (const ws of original.worksheets) {
    const sheet = model.addSheet(ws.name, options.ids === "random" ? undefined : ws.id);
    sheet.visibility = STATE[ws.state] ?? "Visible";
    sources.set(sheet, ws);
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const v = cellValue(cell.value);
        if (v !== null && v !== "") sheet.set(r, c, v);
      });
    });
    for (const [name, table] of Object.entries((ws as unknown as { tables: Record<string, { table: Record<string, unknown> }> }).tables ?? {})) {
      const t = table.table;
      const ref = String(t.tableRef ?? t.ref ?? "");
      if (!ref.includes(":")) continue;
      const block = blockOf(ref);
      const created = model.addTable(sheet, block, t.headerRow !== false, name);
      created.showTotals = t.totalsRow === true;
      created.style = String((t.style as { theme?: string } | undefined)?.theme ?? "TableStyleMedium2");
      created.names = ((t.columns as { name: string }[] | undefined) ?? []).map((c) => c.name);
    }
    (ws.columns ?? []).forEach((col, i) => {
      if (col && typeof col.width === "number") sheet.columnWidths.set(i + 1, Math.floor(col.width * 7 + 0.5) * 0.75);
    });
    const view = ws.views?.[0] as { state?: string; xSplit?: number; ySplit?: number } | undefined;
    if (view?.state === "frozen" && ((view.xSplit ?? 0) > 0 || (view.ySplit ?? 0) > 0)) {
      sheet.freeze = { rows: view.ySplit ?? 0, cols: view.xSplit ?? 0 };
    }
  }
  const activeTab = (original.views?.[0] as { activeTab?: number } | undefined)?.activeTab ?? 0;
  model.active = model.sheets[activeTab] ?? model.sheets.find((s) => s.visibility === "Visible");
  model.settings = await readSettings(bytes);
  return { model, original, sources };
}

/** An empty workbook with one sheet, as Excel starts. */
export function emptyWorkbook(): LoadedWorkbook {
  const model = new WorkbookModel();
  model.addSheet("Sheet1", 1);
  return { model, original: new ExcelJS.Workbook(), sources: new Map() };
}

// ---------------------------------------------------------------------------------------------

const argb = (css: unknown): string => `FF${String(css ?? "#000000").replace(/^#/, "").toUpperCase()}`;

function exceljsValue(v: CellValue | undefined): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (isFormula(v)) return v.r === undefined ? ({ formula: v.f } as ExcelJS.CellFormulaValue) : ({ formula: v.f, result: v.r } as ExcelJS.CellFormulaValue);
  return v;
}

function clip(b: Block, used: Block | undefined): Block | undefined {
  if (!used) return undefined;
  const out = {
    top: Math.max(b.top, used.top),
    left: Math.max(b.left, used.left),
    bottom: Math.min(b.bottom, used.bottom),
    right: Math.min(b.right, used.right),
  };
  return out.top <= out.bottom && out.left <= out.right ? out : undefined;
}

function eachCell(b: Block | undefined, fn: (r: number, c: number) => void): void {
  if (!b) return;
  for (let r = b.top; r <= b.bottom; r++) for (let c = b.left; c <= b.right; c++) fn(r, c);
}

function cfRule(rec: ConditionalFormatRecord, priority: number): ExcelJS.ConditionalFormattingRule | undefined {
  const s = rec.settings;
  const style = (prefix: string): Partial<ExcelJS.Style> => {
    const out: Partial<ExcelJS.Style> = {};
    if (s[`${prefix}.format.fill.color`]) out.fill = { type: "pattern", pattern: "solid", bgColor: { argb: argb(s[`${prefix}.format.fill.color`]) } };
    const font: Partial<ExcelJS.Font> = {};
    if (s[`${prefix}.format.font.color`]) font.color = { argb: argb(s[`${prefix}.format.font.color`]) };
    if (s[`${prefix}.format.font.bold`] !== undefined) font.bold = s[`${prefix}.format.font.bold`] as boolean;
    if (Object.keys(font).length) out.font = font;
    return out;
  };
  const f = (x: unknown) => String(x ?? "").replace(/^=/, "");
  const bound = (rule: unknown, end: "min" | "max"): ExcelJS.Cvfo => {
    const r = rule as { type?: string; formula?: string } | undefined;
    return r && r.type === "Number" ? { type: "num", value: Number(f(r.formula)) } : { type: end };
  };
  switch (rec.type) {
    case "DataBar":
      return {
        type: "dataBar",
        priority,
        cfvo: [bound(s["dataBar.lowerBoundRule"], "min"), bound(s["dataBar.upperBoundRule"], "max")],
        color: { argb: argb(s["dataBar.positiveFormat.fillColor"] ?? "#638EC6") },
      } as unknown as ExcelJS.ConditionalFormattingRule;
    case "IconSet": {
      const sets: Record<string, string> = { ThreeTrafficLights1: "3TrafficLights", ThreeSymbols: "3Symbols", ThreeArrows: "3Arrows", ThreeFlags: "3Flags" };
      const criteria = (s["iconSet.criteria"] as { formula?: string }[] | undefined) ?? [];
      return {
        type: "iconSet",
        priority,
        iconSet: (sets[String(s["iconSet.style"])] ?? "3TrafficLights") as ExcelJS.IconSetTypes,
        reverse: s["iconSet.reverseIconOrder"] === true,
        cfvo: [{ type: "percent", value: 0 }, ...criteria.slice(1).map((c) => ({ type: "num" as const, value: Number(f(c.formula)) }))],
      } as ExcelJS.ConditionalFormattingRule;
    }
    case "CellValue": {
      const rule = (s["cellValue.rule"] ?? {}) as { operator?: string; formula1?: string; formula2?: string };
      const ops: Record<string, string> = { EqualTo: "equal", GreaterThan: "greaterThan", LessThan: "lessThan", Between: "between" };
      return {
        type: "cellIs",
        priority,
        operator: (ops[rule.operator ?? ""] ?? "equal") as "equal",
        formulae: [f(rule.formula1), ...(rule.formula2 ? [f(rule.formula2)] : [])],
        style: style("cellValue"),
      } as ExcelJS.ConditionalFormattingRule;
    }
    case "Custom":
      return { type: "expression", priority, formulae: [f(s["custom.rule.formula"])], style: style("custom") } as ExcelJS.ConditionalFormattingRule;
    default:
      return undefined;
  }
}

function buildSheet(wb: ExcelJS.Workbook, model: WorkbookModel, sheet: SheetModel): void {
  const ws = wb.addWorksheet(sheet.name, { state: sheet.visibility === "Visible" ? "visible" : sheet.visibility === "Hidden" ? "hidden" : "veryHidden" });
  sheet.rows.forEach((row, r) => {
    if (!row) return;
    row.forEach((v, c) => {
      if (v !== null && v !== undefined) ws.getCell(r, c).value = exceljsValue(v);
    });
  });
  const used = sheet.usedBlock();
  for (const { block, format } of sheet.numberFormats) {
    eachCell(clip(block, used), (r, c) => {
      ws.getCell(r, c).numFmt = format;
    });
  }
  for (const { block, look, reset } of sheet.looks) {
    eachCell(clip(block, used), (r, c) => {
      const cell = ws.getCell(r, c);
      if (reset) {
        cell.style = {};
        return;
      }
      const font = { ...(cell.font ?? {}) };
      if ("font.bold" in look) font.bold = look["font.bold"] as boolean;
      if ("font.italic" in look) font.italic = look["font.italic"] as boolean;
      if ("font.color" in look) font.color = { argb: argb(look["font.color"]) };
      if (Object.keys(font).length) cell.font = font;
      if ("fill.color" in look && look["fill.color"]) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(look["fill.color"]) } };
      const alignment = { ...(cell.alignment ?? {}) };
      if ("horizontalAlignment" in look) alignment.horizontal = String(look.horizontalAlignment).toLowerCase() as ExcelJS.Alignment["horizontal"];
      if ("wrapText" in look) alignment.wrapText = look.wrapText as boolean;
      if (Object.keys(alignment).length) cell.alignment = alignment;
    });
  }
  for (const [col, points] of sheet.columnWidths) {
    if (col <= MAX_COLS) ws.getColumn(col).width = Math.round((points / 0.75 / 7) * 100) / 100;
  }
  if (sheet.freeze) ws.views = [{ state: "frozen", xSplit: sheet.freeze.cols, ySplit: sheet.freeze.rows }];
  for (const t of model.tables.filter((x) => x.sheet === sheet)) {
    const names = t.columnNames();
    const rows: ExcelJS.CellValue[][] = [];
    const first = t.block.top + (t.showHeaders ? 1 : 0);
    const last = t.block.bottom - (t.showTotals ? 1 : 0);
    for (let r = first; r <= last; r++) {
      const line: ExcelJS.CellValue[] = [];
      for (let c = t.block.left; c <= t.block.right; c++) line.push(exceljsValue(sheet.get(r, c)));
      rows.push(line);
    }
    ws.addTable({
      name: t.name,
      displayName: t.name,
      ref: `${columnLetter(t.block.left)}${t.block.top}`,
      headerRow: t.showHeaders,
      totalsRow: t.showTotals,
      style: { theme: t.style as ExcelJS.TableStyleProperties["theme"], showRowStripes: true },
      columns: names.map((name) => ({ name, filterButton: t.showHeaders })),
      rows,
    });
  }
  const cfs = model.conditionalFormats.filter((f) => f.sheet === sheet);
  // Office.js puts the last added first: priority 1 is the newest.
  cfs.reverse().forEach((rec, i) => {
    const rule = cfRule(rec, i + 1);
    const ref = localAddress(rec.block.bottom === MAX_ROWS ? { ...rec.block, bottom: used?.bottom ?? 1 } : rec.block);
    if (rule) ws.addConditionalFormatting({ ref, rules: [rule] });
  });
}

async function addSettings(bytes: Uint8Array, settings: Map<string, string>): Promise<Uint8Array> {
  if (settings.size === 0) return bytes;
  const zip = await JSZip.loadAsync(bytes);
  const properties = [...settings].map(([k, v]) => `<we:property name="${esc(k)}" value="${esc(v)}"/>`).join("");
  zip.file(
    "xl/webextensions/webextension1.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<we:webextension xmlns:we="${WEBEXT_NS}" id="{5B4C2A1E-7C1D-4E55-9A36-2F1B7E6C3D21}"><we:reference id="{0B5F8E2C-4E8B-4C61-9E4B-7D1A3C9F2E10}" version="1.0.0.0" store="developer" storeType="Registry"/><we:alternateReferences/><we:properties>${properties}</we:properties><we:bindings/><we:snapshot xmlns:r="${REL_NS}"/></we:webextension>`,
  );
  zip.file(
    "xl/webextensions/taskpanes.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<wetp:taskpanes xmlns:wetp="${TASKPANES_NS}"><wetp:taskpane dockstate="right" visibility="0" width="350" row="0"><wetp:webextensionref xmlns:r="${REL_NS}" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>`,
  );
  zip.file(
    "xl/webextensions/_rels/taskpanes.xml.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_WEBEXT}" Target="webextension1.xml"/></Relationships>`,
  );
  const rels = await (zip.file("_rels/.rels") as JSZip.JSZipObject).async("string");
  if (!rels.includes(REL_TASKPANES)) {
    zip.file("_rels/.rels", rels.replace("</Relationships>", `<Relationship Id="rIdTcTaskpanes" Type="${REL_TASKPANES}" Target="xl/webextensions/taskpanes.xml"/></Relationships>`));
  }
  const types = await (zip.file("[Content_Types].xml") as JSZip.JSZipObject).async("string");
  if (!types.includes("/xl/webextensions/webextension1.xml")) {
    zip.file(
      "[Content_Types].xml",
      types.replace(
        "</Types>",
        `<Override PartName="/xl/webextensions/webextension1.xml" ContentType="application/vnd.ms-office.webextension+xml"/><Override PartName="/xl/webextensions/taskpanes.xml" ContentType="application/vnd.ms-office.webextensiontaskpanes+xml"/></Types>`,
      ),
    );
  }
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** The workbook as .xlsx bytes. `dirty` lists the sheets the stand-in changed (rebuilt from the model). */
export async function exportXlsx(loaded: LoadedWorkbook, dirty: Set<SheetModel>): Promise<Uint8Array> {
  const { model, original, sources } = loaded;
  // Untouched sheets keep ExcelJS's copy (with the user's formats); changed and new ones are rebuilt.
  for (const ws of [...original.worksheets]) {
    const sheet = [...sources].find(([, w]) => w === ws)?.[0];
    if (!sheet || sheet.deleted || dirty.has(sheet)) original.removeWorksheet(ws.id);
  }
  for (const sheet of model.sheets) {
    if (sheet.synthetic) continue;
    const ws = sources.get(sheet);
    if (ws && !dirty.has(sheet) && original.getWorksheet(ws.id)) {
      ws.name = sheet.name;
      ws.state = sheet.visibility === "Visible" ? "visible" : sheet.visibility === "Hidden" ? "hidden" : "veryHidden";
      continue;
    }
    buildSheet(original, model, sheet);
    const built = original.worksheets[original.worksheets.length - 1];
    sources.set(sheet, built);
  }
  // Tab order as in the model.
  model.sheets
    .filter((sheet) => !sheet.synthetic)
    .forEach((sheet, i) => {
      const ws = sources.get(sheet) as unknown as { orderNo: number };
      ws.orderNo = i;
    });
  const active = model.active ? model.sheets.indexOf(model.active) : 0;
  original.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: Math.max(0, active), visibility: "visible" }];
  dirty.clear();
  const bytes = new Uint8Array(await original.xlsx.writeBuffer());
  return addSettings(bytes, model.settings);
}

export { MAX_ROWS };
