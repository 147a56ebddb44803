/**
 * Browser entry of the stand-in: served in place of
 * https://appsforoffice.microsoft.com/lib/1/hosted/office.js. Like office.js it defines Office,
 * Excel and OfficeExtension as soon as it runs; Office.onReady resolves once the workbook is loaded.
 *
 * The test sets `window.__standInConfig` before the page loads (page.addInitScript):
 *   { workbookUrl, displayLanguage, officeTheme, excelApi, limitBytes, cellLimit, oversize, ids,
 *     extraSheets }
 * and reads `window.__standIn`:
 *   syncs, requestBytes[], maxRequestBytes, responseBytes[], maxResponseBytes, syncLog,
 *   conditionalFormats, charts(), exportXlsx() → base64, cells(sheet) → the sheet's cells, settings(),
 *   tables(), selection(), activeSheet(), loadError, readyAt, handlers (onChanged registrations),
 *   appendRow(table, values) → the new row's address, typeCell(sheet, address, text),
 *   deleteTable(name), addTable(sheet, address, name): what this client's user does in Excel
 *   (its handlers see source Local, a co-author's Remote); failCommand(pattern, times): a broken
 *   request, for the write's cleanup.
 *
 * Co-authors: when the pane runs in a frame whose parent offers `__standInHub` (an empty object the
 * two-client test puts there), every frame's stand-in works on the same workbook: the first one
 * loads it, the others wait for it. Each frame is one client, with its own requests and handlers.
 */
import { createGlobals, StandIn, type StandInOptions } from "./api";
import { isFormula } from "./values";
import { emptyWorkbook, exportXlsx, loadXlsx, type LoadedWorkbook } from "./xlsx";
import { addExtraSheet, localAddress, type ExtraSheet } from "./model";

export const DEFAULT_WORKBOOK_URL = "https://appsforoffice.microsoft.com/__stand-in/workbook.xlsx";

interface StandInConfig extends StandInOptions {
  workbookUrl?: string;
  ids?: "sheetId" | "random";
  extraSheets?: ExtraSheet[];
}

/** What the frames of co-authors share: the loaded workbook, once the first frame has loaded it. */
interface Hub {
  loading?: Promise<{ loaded: LoadedWorkbook; error?: string }>;
}

type StandInWindow = Window & { __standInConfig?: StandInConfig; __standIn?: unknown; __standInHub?: Hub };

const win = window as StandInWindow;
const config: StandInConfig = win.__standInConfig ?? {};
const hub: Hub = (() => {
  try {
    const parent = win.parent as StandInWindow;
    if (parent !== win && parent.__standInHub) return parent.__standInHub;
  } catch {
    // a cross-origin parent: no co-authors
  }
  return {};
})();
let loaded: LoadedWorkbook = emptyWorkbook();
const standIn = new StandIn(loaded.model, config);
let loadError: string | undefined;
let readyAt: number | undefined;

async function load(): Promise<{ loaded: LoadedWorkbook; error?: string }> {
  try {
    const response = await fetch(config.workbookUrl ?? DEFAULT_WORKBOOK_URL);
    if (!response.ok) throw new Error(`workbook: HTTP ${response.status}`);
    const workbook = await loadXlsx(new Uint8Array(await response.arrayBuffer()), { ids: config.ids });
    for (const extra of config.extraSheets ?? []) addExtraSheet(workbook.model, extra);
    return { loaded: workbook };
  } catch (e) {
    return { loaded: emptyWorkbook(), error: String((e as Error)?.message ?? e) };
  }
}

const ready = (async () => {
  hub.loading ??= load();
  const result = await hub.loading;
  loaded = result.loaded;
  standIn.model = loaded.model;
  if (result.error) {
    loadError = result.error;
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
    return Math.max(0, ...standIn.syncs.filter((s) => !s.error || s.error === "ResponsePayloadSizeLimitExceeded").map((s) => s.requestBytes));
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
  /** The tables: name, sheet and local address. */
  tables() {
    return standIn.model.tables.map((t) => ({ name: t.name, sheet: t.sheet.name, address: localAddress(t.block) }));
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
  /** onChanged handlers registered now by this client's add-in. */
  get handlers() {
    return standIn.changeHandlers;
  },
  /** Every event handler registered now by this client's add-in (onChanged, onAdded, onDeleted, onSettingsChanged). */
  get registrations() {
    return standIn.registrations.length;
  },
  appendRow(tableName: string, values: (string | number | boolean | null)[]): string {
    return standIn.appendRow(tableName, values);
  },
  typeCell(sheetName: string, address: string, text: string): void {
    standIn.typeCell(sheetName, address, text);
  },
  deleteTable(tableName: string): void {
    standIn.deleteTable(tableName);
  },
  addTable(sheetName: string, address: string, name: string): void {
    standIn.addTable(sheetName, address, name);
  },
  /** Makes the next command whose JSON contains `pattern` fail with GeneralException (`times` times). */
  failCommand(pattern: string, times = 1): void {
    standIn.failing = { pattern, times };
  },
};
