/**
 * Finding each input among the tables a host read (CONTRACT.md §1): an Excel table by name,
 * else a sheet by name, in English or Chinese, or whatever table or sheet the user chose.
 */
import type { Problem } from "../engine/problems";
import type { RawTable } from "../hosts/host";
import { INPUT_NAMES, normalizeName } from "./headers";
import { sheetInRef, TableRefs } from "./refs";
import type { InputKind, InputSource } from "./types";

export const INPUT_KINDS: readonly InputKind[] = ["targets", "history", "weights", "stages", "actuals", "settings", "holidays", "payout", "members", "holds"];

export type FoundInputs = Partial<Record<InputKind, RawTable>>;

/**
 * The table for each input. A choice names a table or sheet (exact name first, then the same
 * name ignoring case and spaces); otherwise a table whose name is an alias of the input, else
 * such a sheet. The first in workbook order wins when several match.
 */
export function findInputs(tables: readonly RawTable[], choices: Partial<Record<InputKind, string>>, problems: Problem[]): FoundInputs {
  const found: FoundInputs = {};
  for (const kind of INPUT_KINDS) {
    const choice = choices[kind];
    const table = choice !== undefined && choice.trim() !== "" ? findByName(tables, choice) : findByAlias(tables, kind);
    if (table) found[kind] = table;
    else if (choice !== undefined && choice.trim() !== "") {
      problems.push({ ref: `${sheetInRef(choice.trim())}!A1`, code: "chosenInputNotFound", args: { name: choice.trim() } });
    }
  }
  return found;
}

function findByAlias(tables: readonly RawTable[], kind: InputKind): RawTable | undefined {
  const aliases = new Set(INPUT_NAMES[kind].aliases.map(normalizeName));
  const named = (t: RawTable): boolean => aliases.has(normalizeName(t.name));
  return tables.find((t) => t.source === "table" && named(t)) ?? tables.find((t) => t.source === "sheet" && named(t));
}

function findByName(tables: readonly RawTable[], name: string): RawTable | undefined {
  const exact = (t: RawTable): boolean => t.name === name;
  const loose = (t: RawTable): boolean => normalizeName(t.name) === normalizeName(name);
  return (
    tables.find((t) => t.source === "table" && exact(t)) ??
    tables.find((t) => t.source === "sheet" && exact(t)) ??
    tables.find((t) => t.source === "table" && loose(t)) ??
    tables.find((t) => t.source === "sheet" && loose(t))
  );
}

export function describeSources(found: FoundInputs): Partial<Record<InputKind, InputSource>> {
  const sources: Partial<Record<InputKind, InputSource>> = {};
  for (const kind of INPUT_KINDS) {
    const t = found[kind];
    if (!t) continue;
    sources[kind] = { kind, name: t.name, sheet: t.sheet, source: t.source, ref: new TableRefs(t).first, rows: t.rows.length };
  }
  return sources;
}

/** Where a missing input should go, in the workbook's language: `Targets!A1` or `目标!A1`. */
export function missingTableProblem(kind: InputKind, zh: boolean, ref?: string): Problem {
  const names = INPUT_NAMES[kind];
  return {
    ref: ref ?? `${sheetInRef(zh ? names.zh : names.name)}!A1`,
    code: "missingTable",
    args: { table: names.name, tableZh: names.zh },
  };
}
