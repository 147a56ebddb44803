/**
 * The stand-in behind the globals office.js defines (Office, Excel, OfficeExtension), over a
 * workbook loaded from .xlsx bytes. The browser entry (office.ts) and the host's Node tests both
 * start it here.
 */
import { createGlobals, StandIn, type StandInOptions } from "./api";
import { emptyWorkbook, exportXlsx, loadXlsx, type LoadedWorkbook } from "./xlsx";

export interface Installed {
  standIn: StandIn;
  loaded: LoadedWorkbook;
  exportXlsx(): Promise<Uint8Array>;
  uninstall(): void;
}

type Globals = Record<string, unknown>;

export async function installStandIn(bytes: Uint8Array | undefined, options: StandInOptions = {}, target: Globals = globalThis as unknown as Globals): Promise<Installed> {
  const loaded = bytes ? await loadXlsx(bytes) : emptyWorkbook();
  const standIn = new StandIn(loaded.model, options);
  const globals = createGlobals(standIn, Promise.resolve());
  const previous = { Office: target.Office, Excel: target.Excel, OfficeExtension: target.OfficeExtension };
  Object.assign(target, globals);
  return {
    standIn,
    loaded,
    exportXlsx: () => exportXlsx(loaded, standIn.dirty),
    uninstall: () => Object.assign(target, previous),
  };
}
