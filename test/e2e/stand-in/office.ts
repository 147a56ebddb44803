/**
 * Browser entry of the stand-in: served in place of
 * https://appsforoffice.microsoft.com/lib/1/hosted/office.js. Like office.js it defines Office,
 * Excel and OfficeExtension as soon as it runs; Office.onReady resolves once the workbook is loaded.
 *
 * The test sets `window.__standInConfig` before the page loads (page.addInitScript):
 *   { workbookUrl, displayLanguage, officeTheme, excelApi, limitBytes }
 * and reads `window.__standIn`:
 *   syncs, requestBytes[], maxRequestBytes, responseBytes[], maxResponseBytes, syncLog,
 *   conditionalFormats, charts(), exportXlsx() → base64, cells(sheet) → the sheet's cells, settings(),
 *   selection(), activeSheet(), loadError, readyAt, handlers (onChanged registrations),
 *   appendRow(table, values) → the new row's address (fires the table's and sheet's onChanged).
 */
import { createGlobals, StandIn, type StandInOptions } from "./api";
import { isFormula } from "./values";
import { emptyWorkbook, exportXlsx, loadXlsx, type LoadedWorkbook } from "./xlsx";
import { localAddress } from "./model";

export const DEFAULT_WORKBOOK_URL = "https://appsforoffice.microsoft.com/__stand-in/workbook.xlsx";

interface StandInConfig extends StandInOptions {
  workbookUrl?: string;
}

type StandInWindow = Window & { __standInConfig?: StandInConfig; __standIn?: unknown };

const win = window as StandInWindow;
const config: StandInConfig = win.__standInConfig ?? {};
let loaded: LoadedWorkbook = emptyWorkbook();
const standIn = new StandIn(loaded.model, config);
let loadError: string | undefined;
let readyAt: number | undefined;

const ready = (async () => {
  try {
    const response = await fetch(config.workbookUrl ?? DEFAULT_WORKBOOK_URL);
    if (!response.ok) throw new Error(`workbook: HTTP ${response.status}`);
    loaded = await loadXlsx(new Uint8Array(await response.arrayBuffer()));
    standIn.model = loaded.model;
  } catch (e) {
    loadError = String((e as Error)?.message ?? e);
    console.error(`stand-in: ${loadError}`);
  }
  readyAt = performance.now();
})();

Object.assign(win, createGlobals(standIn, ready));

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

win.__standIn = {
  get syncs() {
    return standIn.syncCount;
  },
  get requestBytes() {
    return standIn.requestBytes;
  },
  /** The largest request that Excel accepted (a refused one is in syncLog with its error). */
  get maxRequestBytes() {
    return Math.max(0, ...standIn.syncs.filter((s) => s.error !== "RequestPayloadSizeLimitExceeded").map((s) => s.requestBytes));
  },
  get responseBytes() {
    return standIn.responseBytes;
  },
  /** The largest response that came back (a refused one is in syncLog with its error). */
  get maxResponseBytes() {
    return Math.max(0, ...standIn.syncs.filter((s) => !s.error).map((s) => s.responseBytes));
  },
  get syncLog() {
    return standIn.syncs.map((s) => ({ ...s }));
  },
  get conditionalFormats() {
    return standIn.conditionalFormats();
  },
  /** Charts on the sheets: [{sheet, name, type, source, seriesBy, title, from, to}]. */
  charts() {
    return standIn.charts();
  },
  get loadError() {
    return loadError;
  },
  get readyAt() {
    return readyAt;
  },
  async exportXlsx(): Promise<string> {
    return toBase64(await exportXlsx(loaded, standIn.dirty));
  },
  /** A sheet's cells as {address: {value} | {formula}}, for checking what arrived as text. */
  cells(sheetName: string): Record<string, { value?: unknown; formula?: string }> | undefined {
    const sheet = standIn.model.sheetNamed(sheetName);
    if (!sheet) return undefined;
    const out: Record<string, { value?: unknown; formula?: string }> = {};
    sheet.rows.forEach((row, r) =>
      row?.forEach((v, c) => {
        if (v === null || v === undefined) return;
        out[localAddress({ top: r, left: c, bottom: r, right: c })] = isFormula(v) ? { formula: `=${v.f}` } : { value: v };
      }),
    );
    return out;
  },
  sheets() {
    return standIn.model.sheets.map((s) => ({ name: s.name, id: s.id, visibility: s.visibility }));
  },
  settings(): Record<string, unknown> {
    return Object.fromEntries([...standIn.model.settings].map(([k, v]) => [k, JSON.parse(v)]));
  },
  selection() {
    const sel = standIn.model.selection;
    return sel ? { sheet: sel.sheet.name, address: localAddress(sel.block) } : undefined;
  },
  activeSheet() {
    return standIn.model.active?.name;
  },
  /** onChanged handlers registered now. */
  get handlers() {
    return standIn.registrations.length;
  },
  appendRow(tableName: string, values: (string | number | boolean | null)[]): string {
    return standIn.appendRow(tableName, values);
  },
};
