/**
 * Which of the workbook contract's inputs (CONTRACT.md §1) the open workbook has, judged by
 * name only: an Excel table with the input's name, else a sheet with that name. Names match
 * case-insensitively after trimming, in English or Chinese.
 *
 * First-screen stand-in: src/contract owns the real finder (headers, aliases, validation) and
 * the React pane will use that instead. Pure, so it runs anywhere.
 */

export type PaneInputKind = "targets" | "history" | "weights" | "stages" | "actuals" | "settings";

export interface PaneInput {
  kind: PaneInputKind;
  en: string;
  zh: string;
  /** Accepted table or sheet names (compared after `normalizeName`). */
  aliases: readonly string[];
  /** Targets is needed for every plan; the others feed particular features. */
  required: boolean;
}

export const PANE_INPUTS: readonly PaneInput[] = [
  { kind: "targets", en: "Targets", zh: "目标", aliases: ["targets", "目标"], required: true },
  {
    kind: "history",
    en: "History",
    zh: "历史",
    aliases: ["history", "历史", "历史数据"],
    required: false,
  },
  { kind: "weights", en: "Weights", zh: "权重", aliases: ["weights", "权重"], required: false },
  { kind: "stages", en: "Stages", zh: "阶段", aliases: ["stages", "阶段"], required: false },
  {
    kind: "actuals",
    en: "Actuals",
    zh: "实际",
    aliases: ["actuals", "实际", "实际业绩"],
    required: false,
  },
  { kind: "settings", en: "Settings", zh: "设置", aliases: ["settings", "设置"], required: false },
];

export interface FoundInput {
  input: PaneInput;
  /** Where it was found, or undefined when the workbook has neither a table nor a sheet for it. */
  found?: { source: "table" | "sheet"; name: string };
}

/** Full-width letters fold to ASCII (NFKC), surrounding spaces go, case is ignored. */
export function normalizeName(name: string): string {
  return name.normalize("NFKC").trim().toLowerCase();
}

/** Matches every input against the workbook's table names first, then its sheet names. */
export function detectInputs(
  tableNames: readonly string[],
  sheetNames: readonly string[]
): FoundInput[] {
  const find = (names: readonly string[], input: PaneInput): string | undefined =>
    names.find((name) => input.aliases.includes(normalizeName(name)));
  return PANE_INPUTS.map((input) => {
    const table = find(tableNames, input);
    if (table !== undefined) return { input, found: { source: "table", name: table } };
    const sheet = find(sheetNames, input);
    if (sheet !== undefined) return { input, found: { source: "sheet", name: sheet } };
    return { input };
  });
}
