/**
 * From the inputs found to a PlanInput: read each table, settle what one table needs from
 * another (levels and metric from History's columns, the period from Stages, the methods
 * from Weights), and collect every problem on the way.
 */
import { FactTable } from "../engine/facts";
import type { Problem } from "../engine/problems";
import type { FactRow, Method, PlanInput } from "../engine/types";
import type { RawTable } from "../hosts/host";
import type { Lang } from "../i18n";
import {
  findDimension,
  findMeasure,
  layoutFacts,
  matchFactColumns,
  measureCandidates,
  readFacts,
  readFactTable,
  type FactColumns,
  type NamedColumn,
} from "./facts";
import { describeSources, findInputs, INPUT_KINDS, missingTableProblem, type FoundInputs } from "./find";
import { DIMENSION_INDEX, FUNNEL_ORDER, INPUT_NAMES, MEASURE_INDEX, type Named } from "./headers";
import { readHolidays } from "./holidays";
import { detectLanguage } from "./language";
import { LevelIndex, listNames, resolveLevels, type Level } from "./levels";
import { cellRef, TableRefs } from "./refs";
import { emptySettings, readSettings, type SettingsRead } from "./settings";
import { checkStagesInPlan, readStages, type StagesRead } from "./stages";
import { readTargets, type TargetsRead } from "./targets";
import type { ContractResult, ExtraSettings, InputKind } from "./types";
import { readWeights, weightDimensions } from "./weights";
import { checkMemberDates, mergeMembers, readMembers } from "./members";
import { checkHoldMembers, planPeriods, readHolds, resolveHolds } from "./holds";
import type { HoldRow, WeightRow } from "../engine/types";

const DEFAULT_METRIC = "Amount";

interface Funnel {
  /** Stage names, canonical where known, ending in Orders. */
  stages: string[];
  /** Their History columns. */
  columns: NamedColumn[];
}

interface Metric {
  name: string;
  /** Its History column, when History holds it. */
  column?: NamedColumn;
}

/** Changes the Settings once read, before anything uses them: how the task pane's choices win (overrides.ts). */
export type AdjustSettings = (settings: SettingsRead, found: FoundInputs, lang: Lang, problems: Problem[]) => SettingsRead;

export function assembleWorkbook(
  tables: readonly RawTable[],
  choices: Partial<Record<InputKind, string>>,
  adjustSettings?: AdjustSettings,
): ContractResult {
  const problems: Problem[] = [];
  const found = findInputs(tables, choices, problems);
  const lang = detectLanguage(INPUT_KINDS.map((kind) => found[kind]));
  // A formula with no saved value reads as empty: every number and name built on it would be wrong.
  const uncomputed = INPUT_KINDS.flatMap((kind) => (found[kind]?.uncomputed ?? []).map(([r, c]) => ({ ref: cellRef(found[kind]!.sheet, r, c), code: "formulaWithoutValue" })));
  if (uncomputed.length) return { ok: false, lang, problems: [...problems, ...uncomputed] };

  const targets = found.targets && readTargets(found.targets, problems);
  if (!found.targets) problems.push(missingTableProblem("targets", lang === "zh"));
  const given = found.settings ? readSettings(found.settings, problems) : emptySettings();
  const settings = adjustSettings ? adjustSettings(given, found, lang, problems) : given;

  const historyColumns = found.history && matchFactColumns(found.history, INPUT_NAMES.history, problems);
  const levels = resolveLevels(settings.levels, historyColumns, found.weights ? weightDimensions(found.weights) : [], problems);
  const levelIndex = new LevelIndex(levels);
  const metric = resolveMetric(targets, historyColumns, problems);
  const funnel = resolveFunnel(settings, historyColumns, problems);
  const history = historyColumns ? readHistory(historyColumns, levels, metric, funnel) : [];

  const weights = found.weights && readWeights(found.weights, levelIndex, problems);
  const members = found.members && readMembers(found.members, levelIndex, problems);
  const weightRows = members ? mergeMembers(weights?.rows ?? [], members.rows, problems) : (weights?.rows ?? []);
  const heldRead = found.holds && readHolds(found.holds, levelIndex, problems);
  const stages = found.stages && readStages(found.stages, problems);
  const actuals = found.actuals && readActuals(found.actuals, levels, metric, problems);
  const holidays = found.holidays ? readHolidays(found.holidays, problems) : [];
  const methods = resolveMethods(settings, levelIndex, historyColumns !== undefined, weightRows, problems);
  const uplift = resolveUplift(settings, levelIndex, problems);

  if (settings.grain?.value === "Stage" && !stages) problems.push({ ref: settings.grain.ref, code: "stagesRequired" });
  if (!found.history) checkWithoutHistory(settings, targets, levels, found.weights !== undefined, lang === "zh", problems);
  const period = planPeriod(targets, stages, problems);
  if (period && stages) checkStagesInPlan(stages, period.start, period.end, problems);
  if (period) checkMemberDates(weightRows, period.start, period.end, problems);
  let holds: HoldRow[] = [];
  if (period && heldRead) {
    const periods = planPeriods({
      start: period.start,
      end: period.end,
      grain: settings.grain?.value ?? "Month",
      stages: stages?.stages ?? [],
      workdays: settings.workdays?.value ?? "All",
      holidays,
    });
    holds = resolveHolds(heldRead, periods, problems);
    checkHoldMembers(holds, levels.map((l) => l.name), history, weightRows, problems);
  }

  if (problems.length > 0 || !targets || !period) return { ok: false, lang, problems };

  const input: PlanInput = {
    start: period.start,
    end: period.end,
    metric: metric.name,
    tiers: targets.tiers,
    levels: levels.map((l) => l.name),
    levelLabels: levels.map((l) => l.label),
    methods: methods.methods,
    unit: settings.unit?.value ?? 1,
    grain: settings.grain?.value ?? "Month",
    workdays: settings.workdays?.value ?? "All",
    holidays,
    stages: stages?.stages ?? [],
    history,
    weights: weightRows,
    refs: withoutUndefined({
      ...targets.refs,
      unit: settings.unit?.ref,
      weightsHeader: weights?.weightHeader,
      stages: found.stages && new TableRefs(found.stages).first,
      methods: Object.keys(methods.refs).length > 0 ? methods.refs : undefined,
      seasonality: settings.seasonality?.ref,
      uplift: uplift && uplift.refs,
      holds: heldRead && found.holds ? heldRead.ref : undefined,
    }),
  };
  if (settings.seasonality) input.seasonality = settings.seasonality.value;
  if (heldRead) input.holds = holds;
  if (uplift) input.uplift = uplift.values;
  if (targets.growth !== undefined) input.growth = targets.growth;
  if (settings.floorRatio) input.floorRatio = settings.floorRatio.value;
  if (settings.stretchRatio) input.stretchRatio = settings.stretchRatio.value;
  if (settings.historyYears) input.historyYears = settings.historyYears.value;

  return {
    ok: true,
    workbook: {
      lang,
      input,
      ...(actuals ? { actuals } : {}),
      settings: extraSettings(settings, funnel),
      sources: describeSources(found),
    },
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The Metric of Targets (default Amount) must be a number column of History. */
function resolveMetric(targets: TargetsRead | undefined, history: FactColumns | undefined, problems: Problem[]): Metric {
  const given = targets?.metric;
  const text = given?.text ?? DEFAULT_METRIC;
  if (!history) return { name: MEASURE_INDEX.find(text)?.name ?? text };
  const column = findMeasure(history, text);
  if (column) return { name: column.name, column };
  if (given) {
    problems.push({ ref: given.ref, code: "unknownMetric", args: { metric: text, known: listNames(measureCandidates(history)) } });
  } else {
    history.reader.missingColumn(INPUT_NAMES.history, MEASURE_INDEX.find(DEFAULT_METRIC)!);
  }
  return { name: MEASURE_INDEX.find(text)?.name ?? text };
}

/**
 * The funnel chain from Settings, each stage a number column of History; else the funnel
 * columns History has (Leads, Invitations, Visits, Orders), when they end in Orders.
 */
function resolveFunnel(settings: SettingsRead, history: FactColumns | undefined, problems: Problem[]): Funnel | undefined {
  const given = settings.funnel;
  if (!history) return given && { stages: given.value, columns: [] };
  if (!given) {
    const present = FUNNEL_ORDER.flatMap((name) => history.measures.filter((c) => c.name === name));
    const complete = present.length >= 2 && present[present.length - 1].name === "Orders";
    return complete ? { stages: present.map((c) => c.name), columns: present } : undefined;
  }
  const columns: NamedColumn[] = [];
  for (const name of given.value) {
    const column = findMeasure(history, name);
    if (column) columns.push(column);
    else problems.push({ ref: given.ref, code: "unknownMeasure", args: { name, known: listNames(measureCandidates(history)) } });
  }
  return { stages: columns.map((c) => c.name), columns };
}

function readHistory(columns: FactColumns, levels: readonly Level[], metric: Metric, funnel: Funnel | undefined): FactTable {
  const dimensions = new Map<number, string>();
  for (const level of levels) if (level.column !== undefined) dimensions.set(level.column, level.name);
  const measures = new Map<number, string>();
  if (metric.column) measures.set(metric.column.index, metric.name);
  for (const stage of funnel?.columns ?? []) measures.set(stage.index, stage.name);
  const layout = layoutFacts(columns, { dimensions, measures });
  return layout ? readFactTable(columns, layout, "wholeMonth") : FactTable.of([]);
}

/**
 * Actuals must hold the most specific level and the metric, by the same names as History (or
 * their aliases). The levels above it may be left out (a till export of Date | Rep | Amount): a
 * row is then matched by the names it gives, when they fit one member of the plan (engine/progress).
 */
function readActuals(table: RawTable, levels: readonly Level[], metric: Metric, problems: Problem[]): FactRow[] {
  const columns = matchFactColumns(table, INPUT_NAMES.actuals, problems);
  const dimensions = new Map<number, string>();
  levels.forEach((level, k) => {
    const column = findDimension(columns, level.label) ?? findDimension(columns, level.name);
    if (column) dimensions.set(column.index, level.name);
    else if (k === levels.length - 1) columns.reader.missingColumn(INPUT_NAMES.actuals, namedBoth(level.label, DIMENSION_INDEX.find(level.name)));
  });
  const measures = new Map<number, string>();
  const column = findMeasure(columns, metric.name) ?? (metric.column && findMeasure(columns, metric.column.label));
  if (column) measures.set(column.index, metric.name);
  else columns.reader.missingColumn(INPUT_NAMES.actuals, namedBoth(metric.column?.label ?? metric.name, MEASURE_INDEX.find(metric.name)));
  const layout = layoutFacts(columns, { dimensions, measures });
  return layout ? readFacts(columns, layout, "firstDay") : [];
}

/** A column's name for messages: the contract's names when it is a known column, else as written. */
function namedBoth(label: string, known: Named | undefined): Named {
  return known ? { name: known.name, zh: known.zh } : { name: label, zh: label };
}

/**
 * Method per level: `Method.<Level>` over `Method`. Without History, a level with no method set
 * is split by its weights when the Weights table covers it, else equally.
 */
function resolveMethods(
  settings: SettingsRead,
  levels: LevelIndex,
  hasHistory: boolean,
  weights: readonly WeightRow[],
  problems: Problem[],
): { methods: Record<string, Method | undefined>; refs: Record<string, string> } {
  const methods: Record<string, Method | undefined> = {};
  const refs: Record<string, string> = {};
  for (const level of levels.levels) {
    methods[level.name] = settings.method?.value;
    if (settings.method) refs[level.name] = settings.method.ref;
  }
  for (const given of settings.levelMethods) {
    const level = levels.find(given.level);
    if (!level) {
      problems.push({ ref: given.keyRef, code: "unknownLevel", args: { level: given.level, known: levels.labels() } });
      continue;
    }
    methods[level.name] = given.value;
    refs[level.name] = given.ref;
  }
  if (!hasHistory) {
    for (const level of levels.levels) {
      const method = methods[level.name];
      if (method === "History") {
        problems.push({ ref: refs[level.name], code: "historyRequired", args: { what: "Method History", whatZh: "按历史分解" } });
      } else if (method === undefined) {
        methods[level.name] = weights.some((w) => w.level === level.name && (w.weight !== undefined || w.lock !== undefined)) ? "Weights" : "Equal";
      }
    }
  }
  return { methods, refs };
}

/**
 * `Uplift.<Level>` / `超额分配.<层级>` per level of the plan; a bare `Uplift` is the most specific
 * level's. A level that is not one of the plan's is a problem at its key cell.
 */
function resolveUplift(
  settings: SettingsRead,
  levels: LevelIndex,
  problems: Problem[],
): { values: Record<string, number>; refs: Record<string, string> } | undefined {
  const values: Record<string, number> = {};
  const refs: Record<string, string> = {};
  const keyRefs: Record<string, string> = {};
  const given = [...(settings.levelUplifts ?? [])];
  const leaf = levels.levels[levels.levels.length - 1];
  if (settings.uplift) {
    if (!leaf) problems.push({ ref: settings.upliftKeyRef ?? settings.uplift.ref, code: "upliftWithoutLevels" });
    else given.unshift({ level: leaf.name, value: settings.uplift.value, ref: settings.uplift.ref, keyRef: settings.upliftKeyRef ?? settings.uplift.ref });
  }
  for (const u of given) {
    const level = levels.find(u.level);
    if (!level) {
      problems.push({ ref: u.keyRef, code: "unknownUpliftLevel", args: { level: u.level, known: levels.labels() } });
      continue;
    }
    if (keyRefs[level.name] !== undefined) {
      problems.push({ ref: u.keyRef, code: "duplicateUplift", args: { level: level.label, first: keyRefs[level.name] } });
      continue;
    }
    keyRefs[level.name] = u.keyRef;
    values[level.name] = u.value;
    refs[level.name] = u.ref;
  }
  return Object.keys(values).length > 0 ? { values, refs } : undefined;
}

/** Growth and Funnel need History; so do Levels, unless Weights give the members. */
function checkWithoutHistory(
  settings: SettingsRead,
  targets: TargetsRead | undefined,
  levels: readonly Level[],
  hasWeights: boolean,
  zh: boolean,
  problems: Problem[],
): void {
  if (targets?.refs.growth && targets.growth !== undefined) {
    problems.push({ ref: targets.refs.growth, code: "historyRequired", args: { what: "Growth", whatZh: "增长率" } });
  }
  if (settings.funnel) {
    problems.push({ ref: settings.funnel.ref, code: "historyRequired", args: { what: "Funnel", whatZh: "漏斗" } });
  }
  if (settings.levels && levels.length > 0 && !hasWeights) problems.push(missingTableProblem("history", zh));
}

/** The plan's days: from Targets, else the span of the Stages. */
function planPeriod(
  targets: TargetsRead | undefined,
  stages: StagesRead | undefined,
  problems: Problem[],
): { start: number; end: number } | undefined {
  if (!targets?.hasRow) return undefined;
  if (targets.period || targets.periodGiven) return targets.period;
  if (stages && stages.stages.length > 0) {
    return {
      start: Math.min(...stages.stages.map((s) => s.start)),
      end: Math.max(...stages.stages.map((s) => s.end)),
    };
  }
  problems.push({ ref: targets.periodRef, code: "missingPeriod" });
  return undefined;
}

function extraSettings(settings: SettingsRead, funnel: Funnel | undefined): ExtraSettings {
  const extra: ExtraSettings = { raw: settings.raw };
  if (settings.asOf) extra.asOf = settings.asOf.value;
  if (settings.rankBy) extra.rankBy = settings.rankBy.value;
  if (settings.pace) extra.pace = settings.pace.value;
  if (settings.forecast) extra.forecast = settings.forecast.value;
  if (settings.previousAsOf) extra.previousAsOf = settings.previousAsOf.value;
  if (funnel) extra.funnel = funnel.stages;
  return extra;
}
