/**
 * The Inputs step: which table or sheet each input of the contract comes from, by the same
 * rules as src/contract/find.ts (a chosen name first, exactly then loosely; else a table named
 * like the input, then such a sheet), judged from the cheap listing of the workbook's tables.
 */
import { INPUT_NAMES, normalizeName } from "../../contract/headers";
import type { InputKind } from "../../contract/types";
import type { DetectedTable } from "../../hosts/addin";
import type { PaneStringKey } from "../../i18n/pane";

/** The inputs the Inputs step lists, in the order of the contract (CONTRACT.md §1). */
export const PANE_INPUTS = [
  "targets",
  "history",
  "weights",
  "stages",
  "actuals",
  "settings",
] as const;
export type PaneInputKind = (typeof PANE_INPUTS)[number];

export type Choices = Partial<Record<InputKind, string>>;

export type InputStatus =
  "found" | "chosen" | "chosenMissing" | "missingRequired" | "missingOptional";

export interface InputRow {
  kind: PaneInputKind;
  status: InputStatus;
  /** Where the input comes from, when found. */
  table?: DetectedTable;
  /** The user's choice, when there is one. */
  choice?: string;
}

export const INPUT_LABEL: Record<PaneInputKind, PaneStringKey> = {
  targets: "inputTargets",
  history: "inputHistory",
  weights: "inputWeights",
  stages: "inputStages",
  actuals: "inputActuals",
  settings: "inputSettings",
};

export const INPUT_PURPOSE: Record<PaneInputKind, PaneStringKey> = {
  targets: "purposeTargets",
  history: "purposeHistory",
  weights: "purposeWeights",
  stages: "purposeStages",
  actuals: "purposeActuals",
  settings: "purposeSettings",
};

/** The table a chosen name picks: a table, then a sheet, of exactly that name; then the same ignoring case and spaces. */
export function findByName(
  tables: readonly DetectedTable[],
  name: string
): DetectedTable | undefined {
  const exact = (t: DetectedTable): boolean => t.name === name;
  const loose = (t: DetectedTable): boolean => normalizeName(t.name) === normalizeName(name);
  return (
    tables.find((t) => t.source === "table" && exact(t)) ??
    tables.find((t) => t.source === "sheet" && exact(t)) ??
    tables.find((t) => t.source === "table" && loose(t)) ??
    tables.find((t) => t.source === "sheet" && loose(t))
  );
}

/** The table found by the input's own names (English or Chinese): a table first, then a sheet. */
export function findByAlias(
  tables: readonly DetectedTable[],
  kind: InputKind
): DetectedTable | undefined {
  const aliases = new Set(INPUT_NAMES[kind].aliases.map(normalizeName));
  const named = (t: DetectedTable): boolean => aliases.has(normalizeName(t.name));
  return (
    tables.find((t) => t.source === "table" && named(t)) ??
    tables.find((t) => t.source === "sheet" && named(t))
  );
}

export function inputRows(tables: readonly DetectedTable[], choices: Choices): InputRow[] {
  return PANE_INPUTS.map((kind): InputRow => {
    const choice = choices[kind]?.trim();
    if (choice) {
      const table = findByName(tables, choice);
      return table
        ? { kind, status: "chosen", table, choice }
        : { kind, status: "chosenMissing", choice };
    }
    const table = findByAlias(tables, kind);
    if (table) return { kind, status: "found", table };
    return { kind, status: kind === "targets" ? "missingRequired" : "missingOptional" };
  });
}

/** The mark beside an input: ✓ found, ⚠ needed but missing, – optional and absent. */
export function statusMark(status: InputStatus): "✓" | "⚠" | "–" {
  if (status === "found" || status === "chosen") return "✓";
  return status === "missingOptional" ? "–" : "⚠";
}

/** One option per name (a name picks the table before a sheet of the same name), in workbook order. */
export function choiceOptions(tables: readonly DetectedTable[]): DetectedTable[] {
  const seen = new Set<string>();
  const options: DetectedTable[] = [];
  for (const t of tables) {
    if (seen.has(t.name)) continue;
    seen.add(t.name);
    options.push(findByName(tables, t.name) ?? t);
  }
  return options;
}

/** The choices with one input's choice set ("" or undefined: find it by name again). */
export function withChoice(choices: Choices, kind: InputKind, name: string | undefined): Choices {
  const next: Choices = { ...choices };
  if (name === undefined || name.trim() === "") delete next[kind];
  else next[kind] = name;
  return next;
}
