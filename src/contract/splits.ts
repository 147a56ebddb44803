/**
 * The inputs of the parallel splits and of the re-plan (docs/splits-and-replan.md), from a parsed
 * workbook and the raw tables it came from:
 *
 *  - `Splits` / `并行分解`: History columns of names (`Product, Customer`, `产品系列、客户群`) split
 *    in parallel with the whole plan; `Splits.<Level>` / `并行分解.<层级>` the same within each node
 *    of one level (`Splits.Region = Product`).
 *  - `Replan` / `重新分解`: `Member` (each member's own gap, the default) or the level whose gap is
 *    pooled; `ReplanMethod` / `调整方法` (Gap, Target, Equal); `ReplanNegative` / `允许负目标`.
 *
 * The values were read (and their problems reported) with the Settings; here they are resolved
 * against History's columns and the plan's levels. Every problem names the Settings cell to fix.
 */
import type { HistoryColumns } from "../engine/funnel";
import { factTable } from "../engine/facts";
import type { Problem } from "../engine/problems";
import type { ReplanMethod, ReplanOptions } from "../engine/replan";
import type { SplitSpec } from "../engine/splits";
import type { RawTable } from "../hosts/host";
import { dimensionCandidates, findDimension, findMeasure, matchFactColumns, type FactColumns } from "./facts";
import { DIMENSION_INDEX, INPUT_NAMES, normalizeName } from "./headers";
import { listNames } from "./levels";
import { columnLetters } from "./refs";
import { readSettings, type SettingsRead } from "./settings";
import type { ParsedWorkbook } from "./types";

export interface SplitInputs {
  specs: SplitSpec[];
  /** History's columns, for the sheet's headers and for messages. */
  columns?: HistoryColumns;
  problems: Problem[];
}

/** Values of Replan meaning each member's own gap. */
const MEMBER_WORDS = new Set(["member", "members", "each", "individual", "own", "rep", "成员", "每人", "各自", "个人", "逐人"].map(normalizeName));

function tableOf(workbook: ParsedWorkbook, kind: "history" | "settings", tables: readonly RawTable[]): RawTable | undefined {
  const source = workbook.sources[kind];
  if (!source) return undefined;
  return tables.find((t) => t.name === source.name && t.sheet === source.sheet && t.source === source.source);
}

/** The Settings again, for what the parsed workbook does not keep (the `Splits.<Level>` rows and their key cells). */
function settingsOf(workbook: ParsedWorkbook, tables: readonly RawTable[]): SettingsRead | undefined {
  const table = tableOf(workbook, "settings", tables);
  // Their problems were reported when the workbook was parsed.
  return table ? readSettings(table, []) : undefined;
}

function historyColumns(table: RawTable, columns: FactColumns, ref: string): HistoryColumns {
  const letters: Record<string, string> = {};
  const labels: Record<string, string> = {};
  for (const c of [...columns.dimensions, ...columns.measures, ...columns.others]) {
    letters[c.name] = columnLetters(table.left + c.index);
    labels[c.name] = c.label;
  }
  return { table: ref, letters, labels };
}

/** The plan's level a name stands for (its canonical name, an alias, or its label), by canonical name. */
export function levelNamed(workbook: ParsedWorkbook, text: string): string | undefined {
  const { levels, levelLabels } = workbook.input;
  const id = normalizeName(text);
  const k = levels.findIndex((l, i) => normalizeName(l) === id || normalizeName(levelLabels[i]) === id);
  if (k >= 0) return levels[k];
  const known = DIMENSION_INDEX.find(text);
  return known && levels.includes(known.name) ? known.name : undefined;
}

/** The parallel splits the Settings ask for; none (and no problem) when they ask for none. */
export function readSplitInputs(workbook: ParsedWorkbook, tables: readonly RawTable[]): SplitInputs {
  const settings = settingsOf(workbook, tables);
  const problems: Problem[] = [];
  const asked: { names: string[]; ref: string; level?: string; keyRef?: string }[] = [];
  if (settings?.splits) asked.push({ names: settings.splits.value, ref: settings.splits.ref });
  for (const s of settings?.levelSplits ?? []) asked.push({ names: s.value, ref: s.ref, level: s.level, keyRef: s.keyRef });
  if (asked.length === 0) return { specs: [], problems };

  const table = tableOf(workbook, "history", tables);
  if (!table) {
    for (const a of asked) problems.push({ ref: a.ref, code: "historyRequired", args: { what: "Splits", whatZh: "并行分解" } });
    return { specs: [], problems };
  }
  const columns = matchFactColumns(table, INPUT_NAMES.history, []);
  const cols = historyColumns(table, columns, workbook.sources.history?.ref ?? `${table.sheet}!A1`);
  const facts = factTable(workbook.input.history);
  const levels = workbook.input.levels;
  const candidates = dimensionCandidates(columns).filter((label) => {
    const c = findDimension(columns, label);
    return c !== undefined && !levels.includes(c.name) && facts.namesSome(c.name);
  });
  const specs: SplitSpec[] = [];
  for (const a of asked) {
    let level: string | undefined;
    if (a.level !== undefined) {
      level = levelNamed(workbook, a.level);
      if (!level) {
        problems.push({ ref: a.keyRef ?? a.ref, code: "unknownSplitLevel", args: { level: a.level, known: listNames(workbook.input.levelLabels) } });
        continue;
      }
    }
    const seen = new Set<string>();
    for (const name of a.names) {
      const column = findDimension(columns, name);
      const measure = column ? undefined : findMeasure(columns, name);
      if (measure) {
        problems.push({ ref: a.ref, code: "splitColumnNotNames", args: { name: measure.label } });
      } else if (!column) {
        problems.push({ ref: a.ref, code: "unknownSplitColumn", args: { name, known: listNames(candidates) } });
      } else if (levels.includes(column.name)) {
        problems.push({ ref: a.ref, code: "splitIsLevel", args: { name: column.label, known: listNames(candidates) } });
      } else if (!facts.namesSome(column.name)) {
        problems.push({ ref: a.ref, code: "splitColumnNotNames", args: { name: column.label } });
      } else if (seen.has(column.name)) {
        problems.push({ ref: a.ref, code: "duplicateSplit", args: { name: column.label } });
      } else {
        seen.add(column.name);
        specs.push({ dimension: column.name, ...(level !== undefined ? { level } : {}), ref: a.ref });
      }
    }
  }
  return problems.length ? { specs: [], columns: cols, problems } : { specs, columns: cols, problems };
}

export interface ReplanInputs {
  options: Omit<ReplanOptions, "asOf" | "asOfRef">;
  /** Where each choice was made, for the Plan Versions sheet's notes and for messages. */
  refs: { replan?: string; method?: string; negative?: string };
  problems: Problem[];
}

/** How the Settings ask the re-plan to share what remains. */
export function readReplanInputs(workbook: ParsedWorkbook, tables: readonly RawTable[]): ReplanInputs {
  const settings = settingsOf(workbook, tables);
  const problems: Problem[] = [];
  const method: ReplanMethod = settings?.replanMethod?.value ?? "Gap";
  const options: ReplanInputs["options"] = { method, allowNegative: settings?.replanNegative?.value === true };
  const refs: ReplanInputs["refs"] = { replan: settings?.replan?.ref, method: settings?.replanMethod?.ref, negative: settings?.replanNegative?.ref };
  const given = settings?.replan;
  if (given && !MEMBER_WORDS.has(normalizeName(given.value))) {
    const level = levelNamed(workbook, given.value);
    if (!level) problems.push({ ref: given.ref, code: "unknownReplanLevel", args: { level: given.value, known: listNames(workbook.input.levelLabels) } });
    else if (level !== workbook.input.levels[workbook.input.levels.length - 1]) options.pool = level;
  }
  return { options, refs, problems };
}
