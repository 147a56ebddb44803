/**
 * The Holds / 锁定值 table (docs/planning-depth.md): amounts held anywhere in the plan — a leaf in
 * one period (Rep Li in 2027-06), a node in a period (East in 2027-Q4), a node's total, or the whole
 * plan in a period. Its columns are the plan's level columns (as in History), `Period` / `期间`,
 * `Tier` / `档位` and `Amount` / `金额`.
 *
 * A row names its node by the level columns from the top: the path stops at the last one filled,
 * so a blank means the node above; a blank followed by a filled level is a problem at the blank
 * cell. A blank Period holds the node's total over the whole plan; a Period must be one of the
 * plan's period labels (computed here with the engine's calendar), or a date or span that is one
 * of them. Tier defaults to Target. Whether the holds fit together (children above a held parent,
 * a held cell above its held row, an amount that is not a multiple of Unit) is the engine's check.
 */
import { makeCalendar, periodSlots } from "../engine/calendar";
import type { Problem } from "../engine/problems";
import { factTable, type Facts } from "../engine/facts";
import type { HoldRow, PlanInput, Tier, WeightRow } from "../engine/types";
import type { RawCell, RawTable } from "../hosts/host";
import { TableReader } from "./cells";
import { HOLD_COLUMNS, INPUT_NAMES, matchHeaders, normalizeName } from "./headers";
import type { LevelIndex } from "./levels";
import { listNames } from "./levels";
import { levelColumns } from "./members";
import { cellText, isEmpty, parsePeriod } from "./parse";

const TIER_WORDS = new Map<string, Tier>();
for (const [tier, words] of [
  ["floor", ["Floor", "Min", "Minimum", "保底", "保底目标", "底线"]],
  ["target", ["Target", "Plan", "力争", "力争目标", "目标"]],
  ["stretch", ["Stretch", "Max", "Maximum", "冲刺", "冲刺目标", "挑战"]],
] as [Tier, string[]][]) {
  for (const w of words) TIER_WORDS.set(normalizeName(w), tier);
}

export function parseTier(text: string): Tier | undefined {
  return TIER_WORDS.get(normalizeName(text));
}

/** A row as read, before its Period is matched against the plan's periods. */
export interface HoldDraft {
  row: HoldRow;
  /** The Period cell as given (absent: the whole plan). */
  periodCell?: RawCell;
}

export interface HoldsRead {
  drafts: HoldDraft[];
  /** The table's first cell. */
  ref: string;
}

export function readHolds(table: RawTable, levels: LevelIndex, problems: Problem[]): HoldsRead {
  const reader = new TableReader(table, problems);
  const { columns, others, duplicates } = matchHeaders(table.headers, HOLD_COLUMNS);
  reader.reportDuplicates(duplicates);
  const read: HoldsRead = { drafts: [], ref: reader.refs.first };
  const levelCols = levelColumns(reader, others, levels, INPUT_NAMES.holds.name, problems);
  if (!columns.amount) {
    reader.missingColumn(INPUT_NAMES.holds, HOLD_COLUMNS.amount);
    return read;
  }
  const { period, tier, amount } = columns;
  table.rows.forEach((_, r) => {
    if (!reader.rowHasValues(r)) return;
    // The path, from the top: every plan level in order, a missing column counting as a blank.
    const path: Record<string, string> = {};
    let gap: { level: string; ref: string } | undefined;
    let memberRef: string | undefined;
    let broken = false;
    for (const level of levels.levels) {
      const column = levelCols.find((c) => c.level === level)?.column;
      const filled = column !== undefined && !reader.isEmpty(r, column);
      if (!filled) {
        gap ??= { level: level.label, ref: column ? reader.ref(r, column) : reader.refs.first };
        continue;
      }
      const name = reader.text(r, column);
      if (gap) {
        problems.push({ ref: gap.ref, code: "holdPathGap", args: { level: gap.level, below: level.label, member: name } });
        broken = true;
        break;
      }
      path[level.name] = name;
      memberRef = reader.ref(r, column);
    }
    let tierValue: Tier = "target";
    if (tier && !reader.isEmpty(r, tier)) {
      const t = parseTier(reader.text(r, tier));
      if (t) tierValue = t;
      else {
        reader.report(r, tier, "unknownTier", { value: reader.text(r, tier) });
        broken = true;
      }
    }
    const value = reader.required(r, amount) ? reader.number(r, amount) : undefined;
    if (broken || value === undefined) return;
    const row: HoldRow = { path, tier: tierValue, amount: value, ref: reader.refs.row(r), refs: { amount: reader.ref(r, amount) } };
    if (tier && !reader.isEmpty(r, tier)) row.refs.tier = reader.ref(r, tier);
    if (memberRef) row.refs.member = memberRef;
    const draft: HoldDraft = { row };
    if (period && !reader.isEmpty(r, period)) {
      draft.periodCell = reader.cell(r, period);
      row.refs.period = reader.ref(r, period);
    }
    read.drafts.push(draft);
  });
  return read;
}

/** The plan's period labels with their days: what a Period cell of Holds must name. */
export function planPeriods(input: Pick<PlanInput, "start" | "end" | "grain" | "stages" | "workdays" | "holidays">): { label: string; start: number; end: number }[] {
  // No History: the labels do not depend on it, and the scan of nothing is instant.
  const plan = { ...input, history: [], historyYears: undefined, levels: [], metric: "Amount" } as unknown as PlanInput;
  return periodSlots(plan, makeCalendar(input.workdays, input.holidays)).map((s) => ({ label: s.label, start: s.start, end: s.end }));
}

/**
 * The label a Period cell names: a label as written (any case), else the period whose days are
 * the span the cell names (`2027年6月`, `Q4 2027`), else the period that starts on the day a date
 * cell holds (Excel turns a typed `2027-06` into 1 June 2027).
 */
export function periodLabelOf(cell: RawCell, periods: readonly { label: string; start: number; end: number }[]): string | undefined {
  const text = normalizeName(cellText(cell));
  const byLabel = periods.find((p) => normalizeName(p.label) === text);
  if (byLabel) return byLabel.label;
  const span = parsePeriod(cell);
  if (!span) return undefined;
  const same = periods.find((p) => p.start === span.start && p.end === span.end);
  if (same) return same.label;
  return span.start === span.end ? periods.find((p) => p.start === span.start)?.label : undefined;
}

/** Each hold's Period as one of the plan's labels; an unknown one is a problem at its cell. Two holds of one node, period and tier are a problem naming both. */
export function resolveHolds(read: HoldsRead, periods: readonly { label: string; start: number; end: number }[], problems: Problem[]): HoldRow[] {
  const rows: HoldRow[] = [];
  const seen = new Map<string, string>();
  const shown = periods.length > 6 ? [...periods.slice(0, 3).map((p) => p.label), "…", periods[periods.length - 1].label] : periods.map((p) => p.label);
  for (const { row, periodCell } of read.drafts) {
    if (periodCell !== undefined && !isEmpty(periodCell)) {
      const label = periodLabelOf(periodCell, periods);
      if (label === undefined) {
        problems.push({ ref: row.refs.period!, code: "unknownHoldPeriod", args: { value: cellText(periodCell), known: listNames(shown) } });
        continue;
      }
      row.period = label;
    }
    const key = JSON.stringify([row.path, row.period ?? "", row.tier]);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ ref: row.refs.amount, code: "duplicateHold", args: { first } });
      continue;
    }
    seen.set(key, row.refs.amount);
    rows.push(row);
  }
  return rows;
}

/**
 * Every held node must be a member of the plan: one History names at those levels, or one a
 * Weights or Members row places. An unknown one is a problem at its deepest cell.
 */
export function checkHoldMembers(holds: readonly HoldRow[], levels: readonly string[], history: Facts, weights: readonly WeightRow[], problems: Problem[]): void {
  if (!holds.some((h) => Object.keys(h.path).length > 0)) return;
  const known = new Set<string>();
  const facts = factTable(history);
  const columns = levels.map((l) => ({ codes: facts.codes(l), members: facts.members(l) }));
  for (let r = 0; r < facts.length; r++) {
    let key = "";
    for (let l = 0; l < levels.length; l++) {
      const level = levels[l];
      const code = columns[l].codes[r];
      if (code === 0) break;
      const name = columns[l].members[code];
      key += "\u0000" + level + "\u0001" + name;
      known.add(key);
    }
  }
  const placed = (path: Record<string, string>): boolean => {
    const depth = Object.keys(path).length;
    const level = levels[depth - 1];
    return weights.some((w) => {
      if (w.level !== level || w.member !== path[level]) return false;
      return levels.slice(0, depth - 1).every((l) => w.parents?.[l] === undefined || w.parents[l] === path[l]);
    });
  };
  for (const h of holds) {
    const depth = Object.keys(h.path).length;
    if (depth === 0) continue;
    let key = "";
    for (const level of levels.slice(0, depth)) key += "\u0000" + level + "\u0001" + h.path[level];
    if (known.has(key) || placed(h.path)) continue;
    const level = levels[depth - 1];
    problems.push({ ref: h.refs.member ?? h.ref, code: "unknownHoldMember", args: { member: Object.values(h.path).join(" / "), level } });
  }
}
