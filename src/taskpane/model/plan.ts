/**
 * The Plan step's settings: what the form shows (the pane's overrides over the workbook's own
 * settings) and how each edit changes the overrides. Only what the user sets in the pane becomes
 * an override, so the Settings table still rules everything else.
 */
import { sameLevel, type LevelChoice } from "../../contract/overrides";
import { DIMENSION_INDEX } from "../../contract/headers";
import type { Grain, Method, PlanInput, Tier } from "../../engine/types";
import type { PlanOverrides } from "../../hosts/addin";
import type { PaneStringKey } from "../../i18n/pane";
import { compactOverrides } from "./setup";

export const METHODS: readonly Method[] = ["History", "Equal", "Weights"];

export const GRAIN_LABEL: Record<Grain, PaneStringKey> = {
  Year: "grainYear",
  Quarter: "grainQuarter",
  Month: "grainMonth",
  Week: "grainWeek",
  Day: "grainDay",
  Stage: "grainStage",
};

export const METHOD_LABEL: Record<Method, PaneStringKey> = {
  History: "methodHistory",
  Equal: "methodEqual",
  Weights: "methodWeights",
};

export const TIER_LABEL: Record<Tier, PaneStringKey> = {
  floor: "tierFloor",
  target: "tierTarget",
  stretch: "tierStretch",
};

/** The workbook's own plan settings (from a parse without the pane's overrides). */
export interface PlanBaseline {
  levels: LevelChoice[];
  /** Method per level (canonical name); undefined: the default (History, or Weights where the Weights table covers it). */
  methods: Record<string, Method | undefined>;
  grain: Grain;
  unit: number;
  floorRatio?: number;
  stretchRatio?: number;
  /** The tiers the Targets table gives, with their amounts. */
  tiers: Partial<Record<Tier, number>>;
  /** Target comes from Growth and History. */
  growth: boolean;
}

export function baselineOf(input: PlanInput): PlanBaseline {
  return {
    levels: input.levels.map((name, i) => ({ name, label: input.levelLabels[i] ?? name })),
    methods: { ...input.methods },
    grain: input.grain,
    unit: input.unit,
    floorRatio: input.floorRatio,
    stretchRatio: input.stretchRatio,
    tiers: { ...input.tiers },
    growth: input.growth !== undefined,
  };
}

export interface LevelRowView extends LevelChoice {
  /** The method the pane sets for this level, if any. */
  method?: Method;
  /** The workbook's method for it (Settings, or the default when undefined). */
  workbookMethod?: Method;
  /** The method the last preview used for it, when the pane does not set one. */
  usedMethod?: Method;
}

export type TierSource =
  { kind: "given"; amount: number } | { kind: "growth" } | { kind: "ratio"; ratio?: number };

export interface PlanView {
  /** The workbook's own settings are known (they parse); else the form shows defaults. */
  known: boolean;
  levels: LevelRowView[];
  /** Columns that can be added as a level. */
  addable: LevelChoice[];
  grain: Grain;
  unit: number;
  floorRatio?: number;
  stretchRatio?: number;
  tiers: Record<Tier, TierSource>;
}

/** A level named in the overrides, as a column of History when it is one. */
function levelFor(label: string, choices: readonly LevelChoice[]): LevelChoice {
  const column = choices.find((c) => sameLevel(c.label, label) || sameLevel(c.name, label));
  return column ?? { name: DIMENSION_INDEX.find(label)?.name ?? label, label };
}

function isLevel(level: LevelChoice, key: string): boolean {
  return sameLevel(key, level.name) || sameLevel(key, level.label);
}

/** The method the overrides give a level: its own, else the one for every level. */
export function paneMethod(overrides: PlanOverrides, level: LevelChoice): Method | undefined {
  const own = Object.entries(overrides.methods ?? {}).find(([key]) => isLevel(level, key));
  return own?.[1] ?? overrides.method;
}

export function planView(
  overrides: PlanOverrides,
  workbook: PlanBaseline | undefined,
  choices: readonly LevelChoice[],
  used: Readonly<Record<string, Method>> = {}
): PlanView {
  const levels = overrides.levels
    ? overrides.levels.map((label) => levelFor(label, choices))
    : (workbook?.levels ?? []);
  const given = workbook?.tiers ?? {};
  const target: TierSource =
    given.target !== undefined
      ? { kind: "given", amount: given.target }
      : workbook?.growth
        ? { kind: "growth" }
        : { kind: "ratio" };
  const floorRatio = overrides.floorRatio ?? workbook?.floorRatio;
  const stretchRatio = overrides.stretchRatio ?? workbook?.stretchRatio;
  return {
    known: workbook !== undefined,
    levels: levels.map((l) => {
      const method = paneMethod(overrides, l);
      return {
        ...l,
        method,
        workbookMethod: workbook?.methods[l.name],
        usedMethod: method === undefined ? used[l.name] : undefined,
      };
    }),
    addable: choices.filter((c) => !levels.some((l) => isLevel(l, c.name) || isLevel(l, c.label))),
    grain: overrides.grain ?? workbook?.grain ?? "Month",
    unit: overrides.unit ?? workbook?.unit ?? 1,
    floorRatio,
    stretchRatio,
    tiers: {
      floor:
        given.floor !== undefined
          ? { kind: "given", amount: given.floor }
          : { kind: "ratio", ratio: floorRatio },
      target,
      stretch:
        given.stretch !== undefined
          ? { kind: "given", amount: given.stretch }
          : { kind: "ratio", ratio: stretchRatio },
    },
  };
}

// ── edits ────────────────────────────────────────────────────────────────────────────

/** Methods without the ones for levels no longer in the plan. */
function methodsFor(
  methods: Record<string, Method> | undefined,
  levels: readonly LevelChoice[]
): Record<string, Method> | undefined {
  if (!methods) return undefined;
  const kept = Object.entries(methods).filter(([key]) => levels.some((l) => isLevel(l, key)));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

function withLevels(overrides: PlanOverrides, levels: readonly LevelChoice[]): PlanOverrides {
  return compactOverrides({
    ...overrides,
    levels: levels.map((l) => l.label),
    methods: methodsFor(overrides.methods, levels),
  });
}

/** Moves a level one place up (delta −1) or down (+1); out of range changes nothing. */
export function moveLevel(
  overrides: PlanOverrides,
  view: PlanView,
  index: number,
  delta: -1 | 1
): PlanOverrides {
  const to = index + delta;
  if (index < 0 || index >= view.levels.length || to < 0 || to >= view.levels.length) {
    return overrides;
  }
  const levels = [...view.levels];
  [levels[index], levels[to]] = [levels[to], levels[index]];
  return withLevels(overrides, levels);
}

export function removeLevel(
  overrides: PlanOverrides,
  view: PlanView,
  index: number
): PlanOverrides {
  if (index < 0 || index >= view.levels.length) return overrides;
  return withLevels(
    overrides,
    view.levels.filter((_, i) => i !== index)
  );
}

/** Adds a column as the lowest level. */
export function addLevel(
  overrides: PlanOverrides,
  view: PlanView,
  level: LevelChoice
): PlanOverrides {
  if (view.levels.some((l) => isLevel(l, level.name) || isLevel(l, level.label))) return overrides;
  return withLevels(overrides, [...view.levels, level]);
}

/**
 * Sets (or, with undefined, clears) the pane's method for one level. A method the pane set for
 * every level becomes one per level first, so clearing one level leaves the others as they were.
 */
export function setLevelMethod(
  overrides: PlanOverrides,
  view: PlanView,
  index: number,
  method: Method | undefined
): PlanOverrides {
  const level = view.levels[index];
  if (!level) return overrides;
  const methods: Record<string, Method> = {};
  for (const l of view.levels) {
    const m = paneMethod(overrides, l);
    if (m !== undefined) methods[l.name] = m;
  }
  if (method === undefined) delete methods[level.name];
  else methods[level.name] = method;
  return compactOverrides({ ...overrides, method: undefined, methods });
}

export function setGrain(overrides: PlanOverrides, grain: Grain): PlanOverrides {
  return compactOverrides({ ...overrides, grain });
}

export type NumberSetting = "unit" | "floorRatio" | "stretchRatio";

/** Sets a number override; undefined clears it (the workbook's value applies again). */
export function setNumber(
  overrides: PlanOverrides,
  key: NumberSetting,
  value: number | undefined
): PlanOverrides {
  return compactOverrides({ ...overrides, [key]: value });
}

/**
 * A number typed in the pane: `1,000`, `1000`, `80%`, full-width digits. Empty text is null
 * (clear the setting); anything else that is not a number is NaN.
 */
export function parseTyped(text: string): number | null {
  const plain = text.normalize("NFKC").replace(/[\s,，_]/g, "");
  if (plain === "") return null;
  const percent = plain.endsWith("%");
  const body = percent ? plain.slice(0, -1) : plain;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(body)) return NaN;
  const n = Number(body);
  return percent ? n / 100 : n;
}

const VALID: Record<NumberSetting, (n: number) => boolean> = {
  unit: (n) => n > 0,
  floorRatio: (n) => n > 0 && n <= 1,
  stretchRatio: (n) => n >= 1,
};

export const INVALID_MESSAGE: Record<NumberSetting, PaneStringKey> = {
  unit: "unitInvalid",
  floorRatio: "floorRatioInvalid",
  stretchRatio: "stretchRatioInvalid",
};

/** What a typed number does: set a value, clear the setting, or nothing (it is not valid yet). */
export function readTyped(
  key: NumberSetting,
  text: string
): { kind: "set"; value: number } | { kind: "clear" } | { kind: "invalid" } {
  const n = parseTyped(text);
  if (n === null) return { kind: "clear" };
  return Number.isFinite(n) && VALID[key](n) ? { kind: "set", value: n } : { kind: "invalid" };
}

/** A number as the form shows it: no grouping, no float noise (0.8, not 0.8000000001). */
export function typedText(value: number | undefined): string {
  if (value === undefined) return "";
  return String(Math.round(value * 1e9) / 1e9);
}
