/**
 * A write of previewed sheets, shared by the Plan and Funnel steps: the host checks, in the write's
 * first request, that the inputs are still those the preview was computed from (the fingerprint of
 * their read), then writes; the pane shows each part written, then the summary, or why not.
 */
import type { AddinHost } from "../../hosts/addin";
import type { RawTable } from "../../hosts/host";
import type { SheetSpec } from "../../report/spec";
import type { Choices } from "../model/inputs";
import { isWorkbookChanged, sameInputs, writeFailure } from "../model/write";
import type { WorkbookState } from "../useWorkbook";
import type { WriteState } from "./types";

export interface WriteRun {
  host: AddinHost;
  sheets: SheetSpec[];
  /** The tables and input choices the preview was computed from. */
  tables: RawTable[];
  choices: Choices;
  workbook: Pick<WorkbookState, "readTables" | "fingerprintOf">;
  onWrite: (state: WriteState) => void;
}

export async function runWrite({
  host,
  sheets,
  tables,
  choices,
  workbook,
  onWrite,
}: WriteRun): Promise<void> {
  onWrite({ status: "writing" });
  try {
    let since = workbook.fingerprintOf(tables);
    if (!since) {
      // Tables no read of this pane gave: read again and compare, as a fingerprint would.
      const fresh = await workbook.readTables();
      if (!sameInputs(fresh, tables, choices)) {
        onWrite({ status: "changed" });
        return;
      }
      since = workbook.fingerprintOf(fresh);
    }
    const summary = await host.writeSheets(sheets, {
      since,
      onProgress: (progress) => onWrite({ status: "writing", progress }),
    });
    onWrite({ status: "done", summary });
  } catch (e) {
    if (isWorkbookChanged(e)) {
      onWrite({ status: "changed" });
      // The preview follows the workbook as it is now; the user looks at it and writes again.
      void workbook.readTables().catch(() => undefined);
      return;
    }
    onWrite({ status: "failed", failure: writeFailure(e), sheets: sheets.map((s) => s.name) });
  }
}
