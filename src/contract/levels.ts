/**
 * The plan's levels (CONTRACT.md §3, Levels): dimension columns in cascade order, named in
 * Settings by canonical name, alias or the user's own header; by default the first of Rep,
 * Team, Region that History holds.
 */
import type { Problem } from "../engine/problems";
import { findDimension, dimensionCandidates, type FactColumns } from "./facts";
import { DEFAULT_LEVEL_ORDER, DIMENSION_INDEX, normalizeName } from "./headers";
import type { Setting } from "./settings";

export interface Level {
  /** Canonical name (Region, Team, Rep) or the user's header for a column of their own. */
  name: string;
  /** As the user wrote it: the History header, else the name given in Settings or Weights. */
  label: string;
  /** The History column, when History holds the level. */
  column?: number;
}

/** A list of names for messages, or a dash when there are none. */
export function listNames(names: readonly string[]): string {
  return names.length > 0 ? names.join(", ") : "—";
}

export function resolveLevels(
  given: Setting<string[]> | undefined,
  history: FactColumns | undefined,
  weightDimensions: readonly string[],
  problems: Problem[],
): Level[] {
  if (!given) return defaultLevels(history, weightDimensions);
  const levels: Level[] = [];
  for (const text of given.value) {
    const level = history ? levelInHistory(history, text) : levelByName(text);
    if (!level) {
      problems.push({
        ref: given.ref,
        code: "unknownLevel",
        args: { level: text, known: listNames(history ? dimensionCandidates(history) : []) },
      });
    } else if (levels.some((l) => l.name === level.name)) {
      problems.push({ ref: given.ref, code: "duplicateLevel", args: { level: text } });
    } else levels.push(level);
  }
  return levels;
}

function levelInHistory(history: FactColumns, text: string): Level | undefined {
  const column = findDimension(history, text);
  return column && { name: column.name, label: column.label, column: column.index };
}

function levelByName(text: string): Level {
  return { name: DIMENSION_INDEX.find(text)?.name ?? text, label: text };
}

/**
 * One level: the first of Rep, Team, Region in History (or, without History, among the
 * Weights dimensions, else the first of them). None at all gives a plan split over time only.
 */
function defaultLevels(history: FactColumns | undefined, weightDimensions: readonly string[]): Level[] {
  if (history) {
    for (const name of DEFAULT_LEVEL_ORDER) {
      const column = history.dimensions.find((c) => c.name === name);
      if (column) return [{ name, label: column.label, column: column.index }];
    }
    return [];
  }
  const candidates = weightDimensions.map(levelByName);
  for (const name of DEFAULT_LEVEL_ORDER) {
    const level = candidates.find((l) => l.name === name);
    if (level) return [level];
  }
  return candidates.slice(0, 1);
}

/** Finds the level a name stands for: its canonical name, an alias of it, or its label. */
export class LevelIndex {
  private readonly byName = new Map<string, Level>();

  constructor(readonly levels: readonly Level[]) {
    for (const level of levels) {
      this.byName.set(normalizeName(level.label), level);
      this.byName.set(normalizeName(level.name), level);
    }
  }

  find(text: string): Level | undefined {
    const found = this.byName.get(normalizeName(text));
    if (found) return found;
    const known = DIMENSION_INDEX.find(text);
    return known && this.levels.find((l) => l.name === known.name);
  }

  position(level: Level): number {
    return this.levels.indexOf(level);
  }

  labels(): string {
    return listNames(this.levels.map((l) => l.label));
  }
}
