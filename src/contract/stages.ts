/**
 * The Stages table (CONTRACT.md §2): campaign stages as the time grain, each with its own
 * dates (e.g. 4.25–4.30, 5.1–5.3, 5.4–5.7) and an optional Weight.
 */
import type { Problem } from "../engine/problems";
import type { RawTable } from "../hosts/host";
import type { DayNum, StageDef } from "../engine/types";
import { TableReader } from "./cells";
import { INPUT_NAMES, matchHeaders, normalizeName, STAGE_COLUMNS } from "./headers";
import { formatDay } from "./parse";

export interface StagesRead {
  stages: StageDef[];
  /** The cell of each stage's Start, for messages about its dates. */
  startRefs: Map<StageDef, string>;
}

export function readStages(table: RawTable, problems: Problem[]): StagesRead {
  const reader = new TableReader(table, problems);
  const { columns, duplicates } = matchHeaders(table.headers, STAGE_COLUMNS);
  reader.reportDuplicates(duplicates);
  const read: StagesRead = { stages: [], startRefs: new Map() };
  const { stage, start, end, weight } = columns;
  for (const key of ["stage", "start", "end"] as const) {
    if (!columns[key]) reader.missingColumn(INPUT_NAMES.stages, STAGE_COLUMNS[key]);
  }
  if (!stage || !start || !end) return read;

  const names = new Set<string>();
  table.rows.forEach((_, r) => {
    if (!reader.rowHasValues(r)) return;
    const hasName = reader.required(r, stage);
    const name = reader.text(r, stage);
    const from = reader.required(r, start) ? reader.date(r, start)?.start : undefined;
    const to = reader.required(r, end) ? reader.date(r, end)?.end : undefined;
    const stageWeight = reader.number(r, weight);
    if (!hasName || from === undefined || to === undefined) return;
    if (to < from) {
      reader.report(r, end, "endBeforeStart", { start: formatDay(from), end: formatDay(to) });
      return;
    }
    const id = normalizeName(name);
    if (names.has(id)) {
      reader.report(r, stage, "duplicateStage", { stage: name });
      return;
    }
    names.add(id);
    const def: StageDef = { name, start: from, end: to, ref: reader.ref(r, stage) };
    if (stageWeight !== undefined) def.weight = stageWeight;
    read.stages.push(def);
    read.startRefs.set(def, reader.ref(r, start));
  });

  reportOverlaps(read, problems);
  return read;
}

/** Two stages may not share a day; the later one is named. */
function reportOverlaps(read: StagesRead, problems: Problem[]): void {
  const byStart = [...read.stages].sort((a, b) => a.start - b.start || a.end - b.end);
  let latest: StageDef | undefined;
  for (const s of byStart) {
    if (latest && s.start <= latest.end) {
      problems.push({ ref: read.startRefs.get(s)!, code: "stagesOverlap", args: { stage: s.name, other: latest.name } });
    }
    if (!latest || s.end > latest.end) latest = s;
  }
}

/** Every stage must lie inside the plan's days. */
export function checkStagesInPlan(read: StagesRead, start: DayNum, end: DayNum, problems: Problem[]): void {
  for (const s of read.stages) {
    if (s.start < start || s.end > end) {
      problems.push({
        ref: read.startRefs.get(s)!,
        code: "stageOutsidePlan",
        args: { stage: s.name, from: formatDay(start), to: formatDay(end) },
      });
    }
  }
}
