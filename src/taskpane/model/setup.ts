/**
 * What the pane remembers in the workbook (PaneSetup: the input choices and the plan settings
 * chosen in the pane), read back defensively: a co-author's older pane, or a hand-edited file,
 * may have saved something else. Values are kept when they have the right type; whether they
 * are sensible (a unit above zero …) the contract checks, and says so with a cell to go to.
 */
import type { InputKind } from "../../contract/types";
import type { PaneSetup, PlanOverrides } from "../../hosts/addin";
import type { Grain, Method } from "../../engine/types";

const KINDS: readonly InputKind[] = [
  "targets",
  "history",
  "weights",
  "stages",
  "actuals",
  "settings",
  "holidays",
];

export function emptySetup(): PaneSetup {
  return { choices: {}, plan: {} };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** A setup as loaded from the workbook: only well-typed parts are kept. */
export function readSetup(raw: unknown): PaneSetup {
  const setup = emptySetup();
  if (!isRecord(raw)) return setup;
  if (isRecord(raw.choices)) {
    for (const kind of KINDS) {
      const choice = raw.choices[kind];
      if (typeof choice === "string" && choice.trim() !== "") setup.choices[kind] = choice;
    }
  }
  if (isRecord(raw.plan)) setup.plan = readOverrides(raw.plan);
  return setup;
}

function readOverrides(raw: Record<string, unknown>): PlanOverrides {
  const plan: PlanOverrides = {};
  if (Array.isArray(raw.levels) && raw.levels.every((l) => typeof l === "string")) {
    plan.levels = raw.levels as string[];
  }
  if (typeof raw.grain === "string") plan.grain = raw.grain as Grain;
  if (typeof raw.method === "string") plan.method = raw.method as Method;
  if (isRecord(raw.methods)) {
    const methods = Object.entries(raw.methods).filter(([, m]) => typeof m === "string");
    if (methods.length > 0) plan.methods = Object.fromEntries(methods) as Record<string, Method>;
  }
  if (isNumber(raw.unit)) plan.unit = raw.unit;
  if (isNumber(raw.floorRatio)) plan.floorRatio = raw.floorRatio;
  if (isNumber(raw.stretchRatio)) plan.stretchRatio = raw.stretchRatio;
  return plan;
}

/** The overrides without empty parts: what is saved, and what the contract receives. */
export function compactOverrides(plan: PlanOverrides): PlanOverrides {
  const out: PlanOverrides = {};
  if (plan.levels !== undefined) out.levels = [...plan.levels];
  if (plan.grain !== undefined) out.grain = plan.grain;
  if (plan.method !== undefined) out.method = plan.method;
  if (plan.methods !== undefined && Object.keys(plan.methods).length > 0) {
    out.methods = { ...plan.methods };
  }
  if (plan.unit !== undefined) out.unit = plan.unit;
  if (plan.floorRatio !== undefined) out.floorRatio = plan.floorRatio;
  if (plan.stretchRatio !== undefined) out.stretchRatio = plan.stretchRatio;
  return out;
}

/** A stable text of a setup, to tell whether anything changed (key order does not matter). */
export function setupKey(setup: PaneSetup): string {
  const choices = Object.entries(setup.choices)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  const plan = compactOverrides(setup.plan);
  const methods = plan.methods
    ? Object.entries(plan.methods).sort(([a], [b]) => a.localeCompare(b))
    : undefined;
  return JSON.stringify([
    choices,
    plan.levels,
    plan.grain,
    plan.method,
    methods,
    plan.unit,
    plan.floorRatio,
    plan.stretchRatio,
  ]);
}

const sameValue = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * A three-way merge of setups, for co-authors who each change the setup in their own pane:
 * `base` is what this pane last loaded or saved, `mine` what it holds now, `theirs` what the
 * workbook holds now. Each choice, each plan setting and each level's method is mine where I
 * changed it since `base`, else theirs — so a co-author's change to the grain survives my change
 * to the unit, and neither pane's save undoes the other's.
 */
export function mergeSetup(
  base: PaneSetup,
  mine: PaneSetup,
  theirs: PaneSetup | undefined
): PaneSetup {
  const other = theirs ?? emptySetup();
  const pick = <T>(b: T, m: T, t: T): T => (sameValue(b, m) ? t : m);
  const choices: PaneSetup["choices"] = {};
  for (const kind of KINDS) {
    const value = pick(base.choices[kind], mine.choices[kind], other.choices[kind]);
    if (value !== undefined && value !== "") choices[kind] = value;
  }
  const b = compactOverrides(base.plan);
  const m = compactOverrides(mine.plan);
  const t = compactOverrides(other.plan);
  const plan: PlanOverrides = {};
  const levels = pick(b.levels, m.levels, t.levels);
  if (levels !== undefined) plan.levels = levels;
  const grain = pick(b.grain, m.grain, t.grain);
  if (grain !== undefined) plan.grain = grain;
  const method = pick(b.method, m.method, t.method);
  if (method !== undefined) plan.method = method;
  const levelsWithMethod = new Set([
    ...Object.keys(b.methods ?? {}),
    ...Object.keys(m.methods ?? {}),
    ...Object.keys(t.methods ?? {}),
  ]);
  const methods: Record<string, Method> = {};
  for (const level of levelsWithMethod) {
    const value = pick(b.methods?.[level], m.methods?.[level], t.methods?.[level]);
    if (value !== undefined) methods[level] = value;
  }
  if (Object.keys(methods).length > 0) plan.methods = methods;
  for (const key of ["unit", "floorRatio", "stretchRatio"] as const) {
    const value = pick(b[key], m[key], t[key]);
    if (value !== undefined) plan[key] = value;
  }
  return { choices, plan };
}
