/**
 * Plan settings chosen in the task pane (PlanOverrides, hosts/addin.ts) win over the Settings
 * table: Levels, Grain, Method (every level) and Method.<Level>, Unit, FloorRatio, StretchRatio.
 * Each is checked like the Settings value it replaces. A problem with one names the Settings key
 * cell it overrides (`Settings!A3` for Grain), else the Settings table's first cell (`Settings!A1`,
 * or `设置!A1` in a Chinese workbook without a Settings table), and its message says that the
 * setting came from the task pane.
 *
 * While the workbook is assembled, an override stands at a token instead of a cell, so a problem
 * found anywhere downstream (an unknown level, Grain Stage without Stages …) is known to be about
 * the override. The tokens become real cells before anything leaves this module.
 */
import type { Problem } from "../engine/problems";
import { GRAINS, type Grain, type Method, type PlanInput } from "../engine/types";
import type { PlanOverrides } from "../hosts/addin";
import type { RawTable } from "../hosts/host";
import { formatMessage, type Lang } from "../i18n";
import { assembleWorkbook, type AdjustSettings } from "./assemble";
import { matchFactColumns, measureCandidates } from "./facts";
import { findInputs, type FoundInputs } from "./find";
import {
  DIMENSION_INDEX,
  INPUT_NAMES,
  matchHeaders,
  normalizeName,
  SETTING_KEYS,
  SETTINGS_COLUMNS,
  type SettingKey,
} from "./headers";
import { cellText, halfWidth, parseNumber } from "./parse";
import { sheetInRef, TableRefs } from "./refs";
import type { LevelMethod, SettingsRead } from "./settings";
import type { ContractResult, InputKind } from "./types";
import { weightDimensions } from "./weights";

/** The message code of every problem about a task-pane setting (src/i18n/messages.ts). */
export const PANE_SETTING_CODE = "paneSetting";

const METHODS: readonly Method[] = ["History", "Equal", "Weights"];
const TOKEN = "\u0000pane:";

/** A column the task pane offers as a level: the name it is known by, and its header as written. */
export interface LevelChoice {
  /** Canonical name (Region, Team, Rep …) or the header of a column of the user's own. */
  name: string;
  label: string;
}

/** parseWorkbook with task-pane overrides: the same result, with the overrides applied. */
export function parseWithOverrides(
  tables: readonly RawTable[],
  choices: Partial<Record<InputKind, string>>,
  overrides: PlanOverrides,
): ContractResult {
  const sites = new Map<string, string>();
  const result = assembleWorkbook(tables, choices, adjustSettings(overrides, sites));
  if (!result.ok) return { ...result, problems: result.problems.map((p) => atSite(p, sites)) };

  const { workbook } = result;
  const problems = paneWeightsWithoutWeights(workbook.input, sites);
  if (problems.length > 0) return { ok: false, lang: workbook.lang, problems };
  workbook.input.refs = realRefs(workbook.input.refs, sites);
  return result;
}

/**
 * The columns a level can be: History's dimension columns (known dimensions, and other columns
 * holding mostly text) in column order; without History, the dimensions the Weights table names.
 */
export function levelChoices(
  tables: readonly RawTable[],
  choices: Partial<Record<InputKind, string>> = {},
): LevelChoice[] {
  return levelChoicesIn(findInputs(tables, choices, []));
}

function levelChoicesIn(found: FoundInputs): LevelChoice[] {
  if (found.history) {
    const columns = matchFactColumns(found.history, INPUT_NAMES.history, []);
    const measures = new Set(measureCandidates(columns));
    return [...columns.dimensions, ...columns.others.filter((c) => !measures.has(c.label))]
      .sort((a, b) => a.index - b.index)
      .map((c) => ({ name: c.name, label: c.label }));
  }
  if (found.weights) {
    return weightDimensions(found.weights).map((label) => ({ name: DIMENSION_INDEX.find(label)?.name ?? label, label }));
  }
  return [];
}

/** Two names for one level: the same after normalising, or aliases of one known dimension. */
export function sameLevel(a: string, b: string): boolean {
  if (normalizeName(a) === normalizeName(b)) return true;
  const known = DIMENSION_INDEX.find(a);
  return known !== undefined && known === DIMENSION_INDEX.find(b);
}

// ── applying the overrides to the Settings read ────────────────────────────────────────

function adjustSettings(overrides: PlanOverrides, sites: Map<string, string>): AdjustSettings {
  return (given, found, lang, problems) => {
    const cells = new SettingsCells(found.settings, lang);
    const settings: SettingsRead = { ...given, levelMethods: [...given.levelMethods] };
    /** The token an accepted override stands at while the workbook is assembled. */
    const site = (id: string, ref: string): string => {
      const token = TOKEN + id;
      sites.set(token, ref);
      return token;
    };
    const reject = (ref: string, code: string, value: unknown): void => {
      problems.push(fromPane({ ref, code, args: { value: describe(value) } }));
    };

    if (isGiven(overrides.levels)) {
      const ref = cells.forKey("levels");
      const levels = readLevels(overrides.levels);
      if (!levels) reject(ref, "badLevels", overrides.levels);
      else {
        settings.levels = { value: levels, ref: site("levels", ref) };
        // A Settings method for a column the pane left out of the levels no longer applies.
        const candidates = levelChoicesIn(found);
        settings.levelMethods = settings.levelMethods.filter((m) => {
          const column = candidates.some((c) => sameLevel(c.label, m.level) || sameLevel(c.name, m.level));
          return !column || levels.some((l) => sameLevel(l, m.level));
        });
      }
    }
    if (isGiven(overrides.grain)) {
      const ref = cells.forKey("grain");
      const grain = GRAINS.find((g) => sameWord(g, overrides.grain));
      if (!grain) reject(ref, "badGrain", overrides.grain);
      else settings.grain = { value: grain as Grain, ref: site("grain", ref) };
    }
    if (isGiven(overrides.method)) {
      const ref = cells.forKey("method");
      const method = readMethod(overrides.method);
      if (!method) reject(ref, "badMethod", overrides.method);
      else {
        settings.method = { value: method, ref: site("method", ref) };
        // One method for every level: the Settings' per-level methods give way too.
        settings.levelMethods = [];
      }
    }
    if (isGiven(overrides.methods)) {
      const methods: unknown = overrides.methods;
      if (typeof methods !== "object" || methods === null || Array.isArray(methods)) {
        reject(cells.forKey("method"), "badMethod", methods);
      } else {
        for (const [level, value] of Object.entries(methods)) {
          const name = level.trim();
          const ref = cells.forLevelMethod(name);
          const method = readMethod(value);
          if (name === "" || !method) {
            reject(ref, "badMethod", value);
            continue;
          }
          const token = site(`method.${name}`, ref);
          const pane: LevelMethod = { level: name, value: method, ref: token, keyRef: token };
          settings.levelMethods = [...settings.levelMethods.filter((m) => !sameLevel(m.level, name)), pane];
        }
      }
    }
    readNumber(overrides.unit, cells.forKey("unit"), "badUnit", (n) => n > 0, (value, ref) => {
      settings.unit = { value, ref: site("unit", ref) };
    });
    readNumber(overrides.floorRatio, cells.forKey("floorRatio"), "badFloorRatio", (n) => n > 0 && n <= 1, (value, ref) => {
      settings.floorRatio = { value, ref: site("floorRatio", ref) };
    });
    readNumber(overrides.stretchRatio, cells.forKey("stretchRatio"), "badStretchRatio", (n) => n >= 1, (value, ref) => {
      settings.stretchRatio = { value, ref: site("stretchRatio", ref) };
    });
    return settings;

    function readNumber(
      value: unknown,
      ref: string,
      code: string,
      valid: (n: number) => boolean,
      accept: (n: number, ref: string) => void,
    ): void {
      if (!isGiven(value)) return;
      const n = typeof value === "number" || typeof value === "string" ? parseNumber(value) : NaN;
      if (Number.isFinite(n) && valid(n)) accept(n, ref);
      else reject(ref, code, value);
    }
  };
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function sameWord(word: string, value: unknown): boolean {
  return typeof value === "string" && normalizeName(value) === normalizeName(word);
}

function readMethod(value: unknown): Method | undefined {
  return METHODS.find((m) => sameWord(m, value));
}

function readLevels(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const names = value.map((v) => (typeof v === "string" ? v.trim() : ""));
  return names.every((n) => n !== "") ? names : undefined;
}

/** An override's value as a message shows it: levels as `Region > Rep`. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join(" > ");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

// ── where a problem about an override points ───────────────────────────────────────────

/** The Settings table's key cells: where a problem about the setting an override replaces points. */
class SettingsCells {
  private readonly anchor: string;
  private readonly refs?: TableRefs;
  private readonly keyColumn?: number;

  constructor(
    private readonly table: RawTable | undefined,
    lang: Lang,
  ) {
    const name = lang === "zh" ? INPUT_NAMES.settings.zh : INPUT_NAMES.settings.name;
    if (!table) {
      this.anchor = `${sheetInRef(name)}!A1`;
      return;
    }
    this.refs = new TableRefs(table);
    this.anchor = this.refs.first;
    this.keyColumn = matchHeaders(table.headers, SETTINGS_COLUMNS).columns.key?.index;
  }

  forKey(key: SettingKey): string {
    const aliases = new Set(SETTING_KEYS[key].aliases.map(normalizeName));
    return this.find((text) => aliases.has(normalizeName(text)));
  }

  /** `Method.Rep` / `分解方法.销售员` for the level. */
  forLevelMethod(level: string): string {
    return this.find((text) => {
      const named = levelOfMethodKey(text);
      return named !== undefined && sameLevel(named, level);
    });
  }

  /** The key cell of the first row whose key matches, else the table's first cell. */
  private find(matches: (key: string) => boolean): string {
    const { table, refs, keyColumn } = this;
    if (!table || !refs || keyColumn === undefined) return this.anchor;
    const row = table.rows.findIndex((r) => matches(cellText(r[keyColumn] ?? null)));
    return row < 0 ? this.anchor : refs.cell(row, keyColumn);
  }
}

const METHOD_KEYS = new Set(SETTING_KEYS.method.aliases.map(normalizeName));

/** `Method.Rep`, `分解方法.销售员`, `Method: Rep` → the level as written. */
function levelOfMethodKey(key: string): string | undefined {
  const m = /^(.+?)\s*[.:]\s*(.+)$/.exec(halfWidth(key).trim());
  return m && METHOD_KEYS.has(normalizeName(m[1])) ? m[2].trim() : undefined;
}

/** The problem, said to come from the task pane: its message in both languages inside `paneSetting`. */
function fromPane(p: Problem): Problem {
  return {
    ref: p.ref,
    code: PANE_SETTING_CODE,
    args: { message: formatMessage(p.code, p.args, "en"), messageZh: formatMessage(p.code, p.args, "zh"), code: p.code },
  };
}

function atSite(p: Problem, sites: ReadonlyMap<string, string>): Problem {
  const ref = sites.get(p.ref);
  return ref === undefined ? p : fromPane({ ...p, ref });
}

/**
 * A level the pane sets to be split by weights needs Weights rows for it. The engine would say
 * so too, but without saying the method came from the pane.
 */
function paneWeightsWithoutWeights(input: PlanInput, sites: ReadonlyMap<string, string>): Problem[] {
  const problems: Problem[] = [];
  input.levels.forEach((level, l) => {
    const ref = sites.get(input.refs.methods?.[level] ?? "");
    if (ref === undefined || input.methods[level] !== "Weights") return;
    if (input.weights.some((w) => w.level === level && w.weight !== undefined)) return;
    problems.push(fromPane({ ref, code: "methodWeightsWithoutWeights", args: { level: input.levelLabels[l] } }));
  });
  return problems;
}

function realRefs(refs: PlanInput["refs"], sites: ReadonlyMap<string, string>): PlanInput["refs"] {
  const real = (ref: string): string => sites.get(ref) ?? ref;
  const out: PlanInput["refs"] = {};
  for (const [key, value] of Object.entries(refs) as [keyof PlanInput["refs"], unknown][]) {
    if (typeof value === "string") (out as Record<string, string>)[key] = real(value);
  }
  if (refs.methods) out.methods = Object.fromEntries(Object.entries(refs.methods).map(([level, ref]) => [level, real(ref)]));
  return out;
}
