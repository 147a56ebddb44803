/**
 * The planning pipeline as the pane uses it: contract → engine → report over tables already read
 * (read the workbook once, recompute from memory as settings change). Loaded on demand
 * (`loadPipeline`), so the first screen does not carry the engine.
 */
import { parseWorkbook, type ParseOptions } from "../contract";
import { levelChoices } from "../contract/overrides";
import type { RawTable, WorkbookHost } from "../hosts/host";
import { preparePlan, type PlanOutcome } from "../hosts/run";
import { baselineOf, type PlanBaseline } from "./model/plan";
import { buildPreview } from "./model/preview";

/** A host over tables in memory: preparePlan reads from it and never writes through it. */
function memoryHost(tables: RawTable[]): WorkbookHost {
  return {
    readTables: async () => tables,
    writeSheets: async () => {
      throw new Error("the preview never writes");
    },
  };
}

/** preparePlan on tables already read: the same numbers as the command line, from memory. */
export function planFromTables(tables: RawTable[], options: ParseOptions): Promise<PlanOutcome> {
  return preparePlan(memoryHost(tables), options);
}

/** The workbook's own plan settings (without the pane's overrides), when they can be read. */
export function workbookBaseline(
  tables: RawTable[],
  choices: ParseOptions["choices"]
): PlanBaseline | undefined {
  const parsed = parseWorkbook(tables, { choices });
  return parsed.ok ? baselineOf(parsed.workbook.input) : undefined;
}

export { buildPreview, levelChoices };
export type { PlanOutcome };
