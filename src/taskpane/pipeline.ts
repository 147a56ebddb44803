/**
 * The planning pipeline as the pane uses it: contract → engine → report over tables already read
 * (read the workbook once, recompute from memory as settings change). Loaded on demand
 * (`loadPipeline`), so the first screen does not carry the engine.
 */
import { parseWorkbook, type ParseOptions } from "../contract";
import { levelChoices } from "../contract/overrides";
import type { RawTable, WorkbookHost } from "../hosts/host";
import { preparePlan, type PlanOutcome, type PlanRunOptions } from "../hosts/run";
import { prepareTrack, type TrackOptions, type TrackOutcome } from "../hosts/track";
import { prepareLetters, type LettersOutcome } from "../hosts/letters";
import { prepareReplan, type ReplanOutcome, type ReplanRunOptions } from "../hosts/replan";
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

/** preparePlan on tables already read: the same numbers as the command line, from memory (with Rebalance's typed holds, when given). */
export function planFromTables(tables: RawTable[], options: PlanRunOptions): Promise<PlanOutcome> {
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

/** prepareTrack on tables already read: plan, progress at AsOf and ranking, from memory. */
export function trackFromTables(tables: RawTable[], options: TrackOptions): Promise<TrackOutcome> {
  return prepareTrack(memoryHost(tables), options);
}

/** The workbook's AsOf setting (统计日期) and its cell, when the Settings give one. */
export function workbookAsOf(
  tables: RawTable[],
  choices: ParseOptions["choices"]
): { day: number; ref: string } | undefined {
  const parsed = parseWorkbook(tables, { choices });
  if (!parsed.ok) return undefined;
  const { settings } = parsed.workbook;
  if (settings.asOf === undefined) return undefined;
  return { day: settings.asOf, ref: settings.raw.AsOf?.ref ?? "" };
}

/** prepareLetters on tables already read: the plan, then one target letter per member (the letters sheet alone). */
export function lettersFromTables(
  tables: RawTable[],
  options: ParseOptions
): Promise<LettersOutcome> {
  return prepareLetters(memoryHost(tables), options);
}

/** prepareReplan on tables already read: the plan revised at AsOf, with Plan Versions (nothing written). */
export function replanFromTables(
  tables: RawTable[],
  options: ReplanRunOptions
): Promise<ReplanOutcome> {
  return prepareReplan(memoryHost(tables), options);
}

export { buildPreview, levelChoices };
export type { PlanOutcome, TrackOutcome };
