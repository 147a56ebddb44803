/**
 * The stand-in behind the globals office.js defines (Office, Excel, OfficeExtension), over a
 * workbook loaded from .xlsx bytes. The browser entry (office.ts) and the host's Node tests both
 * start it here.
 */
import { createGlobals, StandIn, type StandInGlobals, type StandInOptions } from "./api";
import { addExtraSheet, type ExtraSheet, type WorkbookModel } from "./model";
import { emptyWorkbook, exportXlsx, loadXlsx, type LoadedWorkbook, type LoadOptions } from "./xlsx";

export interface Installed {
  standIn: StandIn;
  loaded: LoadedWorkbook;
  exportXlsx(): Promise<Uint8Array>;
  /** A co-author's Excel instance on the same workbook (its own requests and handlers; no globals). */
  coAuthor(options?: StandInOptions): StandIn;
  /** The Office.js globals over a client (for a host that runs as that co-author: `new ExcelHost({ api })`). */
  globals(client: StandIn): StandInGlobals;
  uninstall(): void;
}

export interface InstallOptions extends StandInOptions, LoadOptions {
  extraSheets?: ExtraSheet[];
  /** A workbook made in memory (modelFromTables) instead of one loaded from bytes; it is not exported. */
  model?: WorkbookModel;
}

type Globals = Record<string, unknown>;

export async function installStandIn(bytes: Uint8Array | undefined, options: InstallOptions = {}, target: Globals = globalThis as unknown as Globals): Promise<Installed> {
  const loaded = options.model ? { ...emptyWorkbook(), model: options.model } : bytes ? await loadXlsx(bytes, options) : emptyWorkbook();
  for (const extra of options.extraSheets ?? []) addExtraSheet(loaded.model, extra);
  const standIn = new StandIn(loaded.model, options);
  const globals = createGlobals(standIn, Promise.resolve());
  const previous = { Office: target.Office, Excel: target.Excel, OfficeExtension: target.OfficeExtension };
  Object.assign(target, globals);
  const clients: StandIn[] = [standIn];
  return {
    standIn,
    loaded,
    exportXlsx: () => exportXlsx(loaded, standIn.dirty),
    coAuthor: (more = {}) => {
      const other = new StandIn(loaded.model, { ...options, ...more });
      clients.push(other);
      return other;
    },
    globals: (client) => createGlobals(client, Promise.resolve()),
    uninstall: () => {
      for (const c of clients) loaded.model.clients = loaded.model.clients.filter((x) => x !== c);
      Object.assign(target, previous);
    },
  };
}
