/**
 * Members who join and leave within the plan, and the ramp of their first months
 * (docs/planning-depth.md): the `Start` / `入职`, `End` / `离职` and `Ramp` / `爬坡` columns of
 * Weights, and the `Members` / `人员` table (the level columns, as in History, then Start, End,
 * Ramp and optionally Weight). Both end up in PlanInput.weights; a member given in both with
 * different values is a problem that names both cells.
 */
import type { Problem } from "../engine/problems";
import type { RawCell, RawTable } from "../hosts/host";
import type { DayNum, WeightRow } from "../engine/types";
import { TableReader } from "./cells";
import { DIMENSION_INDEX, INPUT_NAMES, MEMBER_COLUMNS, matchHeaders, type ColumnAt } from "./headers";
import type { Level, LevelIndex } from "./levels";
import { cellText, formatDay, halfWidth, parseNumberText } from "./parse";

/** Separators of a ramp's steps: `25%, 50%, 75%`, `25%、50%、75%`, `0.25;0.5`, `25% 50%`. */
const RAMP_SEPARATOR = /\s*[,;、，；]\s*|\s+/;

export type RampRead = { ok: true; ramp: number[] } | { ok: false; code: "badRamp" | "rampAboveFull" | "rampBelowZero"; step: string };

/**
 * A ramp: each step a fraction of a full month's share for the member's first months, from 0 to
 * 100% (`25%, 50%, 75%` → [0.25, 0.5, 0.75]); a numeric cell is a ramp of one month.
 */
export function parseRamp(cell: RawCell): RampRead {
  const steps = typeof cell === "number" ? [String(cell)] : halfWidth(cellText(cell)).split(RAMP_SEPARATOR).filter((s) => s !== "");
  if (steps.length === 0) return { ok: false, code: "badRamp", step: cellText(cell) };
  const ramp: number[] = [];
  for (const step of steps) {
    const value = typeof cell === "number" ? cell : parseNumberText(step);
    if (!Number.isFinite(value)) return { ok: false, code: "badRamp", step };
    if (value < 0) return { ok: false, code: "rampBelowZero", step };
    if (value > 1) return { ok: false, code: "rampAboveFull", step };
    ramp.push(value);
  }
  return { ok: true, ramp };
}

export interface MemberColumns {
  start?: ColumnAt;
  end?: ColumnAt;
  ramp?: ColumnAt;
}

export interface MemberFields {
  start?: DayNum;
  end?: DayNum;
  ramp?: number[];
  refs: { start?: string; end?: string; ramp?: string };
}

/** Whether the row gives a Start, an End or a Ramp. */
export function hasMemberFields(reader: TableReader, r: number, columns: MemberColumns): boolean {
  return !reader.isEmpty(r, columns.start) || !reader.isEmpty(r, columns.end) || !reader.isEmpty(r, columns.ramp);
}

/**
 * Start, End and Ramp of one row; each bad cell is a problem at it. Start is the first active day,
 * End the last; a month (`2027-04`) starts on its first day and ends on its last.
 */
export function readMemberFields(reader: TableReader, r: number, columns: MemberColumns): MemberFields {
  const fields: MemberFields = { refs: {} };
  const start = reader.date(r, columns.start);
  const end = reader.date(r, columns.end);
  if (start && columns.start) {
    fields.start = start.start;
    fields.refs.start = reader.ref(r, columns.start);
  }
  if (end && columns.end) {
    fields.end = end.end;
    fields.refs.end = reader.ref(r, columns.end);
  }
  if (columns.ramp && !reader.isEmpty(r, columns.ramp)) {
    const read = parseRamp(reader.cell(r, columns.ramp));
    if (read.ok) {
      fields.ramp = read.ramp;
      fields.refs.ramp = reader.ref(r, columns.ramp);
    } else reader.report(r, columns.ramp, read.code, { value: reader.text(r, columns.ramp), step: read.step });
  }
  if (fields.start !== undefined && fields.end !== undefined && fields.end < fields.start) {
    reader.problems.push({
      ref: fields.refs.end!,
      code: "memberEndBeforeStart",
      args: { end: formatDay(fields.end), start: formatDay(fields.start), startRef: fields.refs.start! },
    });
  }
  return fields;
}

/** Copies the fields that are set onto a Weights row. */
export function applyMemberFields(row: WeightRow, fields: MemberFields): void {
  if (fields.start !== undefined) {
    row.start = fields.start;
    row.refs.start = fields.refs.start;
  }
  if (fields.end !== undefined) {
    row.end = fields.end;
    row.refs.end = fields.refs.end;
  }
  if (fields.ramp !== undefined) {
    row.ramp = fields.ramp;
    row.refs.ramp = fields.refs.ramp;
  }
}

// ── the Members table ─────────────────────────────────────────────────────────────────

/**
 * The plan's levels among a table's headers, in the plan's order, and the headers that name a
 * dimension that is not a level (each a problem at its header cell).
 */
export function levelColumns(
  reader: TableReader,
  others: readonly ColumnAt[],
  levels: LevelIndex,
  table: string,
  problems: Problem[],
): { level: Level; column: ColumnAt }[] {
  const found: { level: Level; column: ColumnAt }[] = [];
  for (const column of others) {
    const level = levels.find(column.label);
    if (level) {
      if (found.some((f) => f.level === level)) {
        problems.push({ ref: reader.refs.header(column.index), code: "duplicateColumn", args: { column: column.label, first: found.find((f) => f.level === level)!.column.label } });
      } else found.push({ level, column });
    } else if (DIMENSION_INDEX.find(column.label)) {
      problems.push({ ref: reader.refs.header(column.index), code: "columnNotALevel", args: { column: column.label, table, known: levels.labels() } });
    }
  }
  return found.sort((a, b) => levels.position(a.level) - levels.position(b.level));
}

export interface MembersRead {
  rows: WeightRow[];
}

/**
 * The Members table: one row per member, named by the level columns (the most specific one that
 * is filled is the member; those above it place it, and may be left blank where the name alone
 * is unique), with Start, End, Ramp and an optional Weight (a new member's basis).
 */
export function readMembers(table: RawTable, levels: LevelIndex, problemsOut: Problem[]): MembersRead {
  const reader = new TableReader(table, problemsOut);
  const { columns, others, duplicates } = matchHeaders(table.headers, MEMBER_COLUMNS);
  reader.reportDuplicates(duplicates);
  const read: MembersRead = { rows: [] };
  const tableName = INPUT_NAMES.members.name;
  const levelCols = levelColumns(reader, others, levels, tableName, problemsOut);
  if (levelCols.length === 0) {
    const leaf = levels.levels[levels.levels.length - 1];
    const known = leaf && DIMENSION_INDEX.find(leaf.name);
    reader.missingColumn(INPUT_NAMES.members, known ? { name: known.name, zh: known.zh } : { name: leaf?.label ?? "Rep", zh: leaf?.label ?? "销售员" });
    return read;
  }
  if (!columns.start && !columns.end && !columns.ramp) {
    reader.missingColumn(INPUT_NAMES.members, MEMBER_COLUMNS.start);
    return read;
  }
  const seen = new Map<string, string>();
  table.rows.forEach((_, r) => {
    if (!reader.rowHasValues(r)) return;
    const named = levelCols.filter((c) => !reader.isEmpty(r, c.column));
    if (named.length === 0) {
      reader.report(r, levelCols[levelCols.length - 1].column, "missingValue", {});
      return;
    }
    const deepest = named[named.length - 1];
    const member = reader.text(r, deepest.column);
    const parents: Record<string, string> = {};
    for (const c of named.slice(0, -1)) parents[c.level.name] = reader.text(r, c.column);
    const fields = readMemberFields(reader, r, columns);
    const weight = reader.number(r, columns.weight);
    const ref = reader.ref(r, deepest.column);
    const key = JSON.stringify([deepest.level.name, member, ...levels.levels.map((l) => parents[l.name] ?? "")]);
    const first = seen.get(key);
    if (first !== undefined) {
      problemsOut.push({ ref, code: "duplicateMemberRow", args: { level: deepest.level.label, member, first } });
      return;
    }
    seen.set(key, ref);
    if (!hasMemberFields(reader, r, columns) && weight === undefined) return;
    const row: WeightRow = { level: deepest.level.name, member, refs: { member: ref } };
    if (Object.keys(parents).length > 0) row.parents = parents;
    if (weight !== undefined && columns.weight) {
      row.weight = weight;
      row.refs.weight = reader.ref(r, columns.weight);
    }
    applyMemberFields(row, fields);
    read.rows.push(row);
  });
  return read;
}

/** Two rows name one member when level and name agree and no level above is given differently. */
function sameMember(a: WeightRow, b: WeightRow): boolean {
  if (a.level !== b.level || a.member !== b.member) return false;
  for (const [level, name] of Object.entries(a.parents ?? {})) {
    const other = b.parents?.[level];
    if (other !== undefined && other !== name) return false;
  }
  return true;
}

const FIELDS = ["weight", "start", "end", "ramp"] as const;
const FIELD_NAMES: Record<(typeof FIELDS)[number], { en: string; zh: string }> = {
  weight: { en: "Weight", zh: "权重" },
  start: { en: "Start", zh: "入职" },
  end: { en: "End", zh: "离职" },
  ramp: { en: "Ramp", zh: "爬坡" },
};

function sameValue(a: number | number[], b: number | number[]): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b;
}

/**
 * Weights rows and Members rows as one list: a member in both takes the fields of each; one
 * field given in both with different values is a problem at the Members cell that names the
 * Weights cell too.
 */
export function mergeMembers(weights: WeightRow[], members: readonly WeightRow[], problemsOut: Problem[]): WeightRow[] {
  const rows = weights.map((w) => ({ ...w, refs: { ...w.refs } }));
  for (const m of members) {
    const match = rows.filter((w) => sameMember(w, m) || sameMember(m, w));
    if (match.length !== 1) {
      // Unknown to Weights (or named there under several parents): the engine places it by its own row.
      rows.push(m);
      continue;
    }
    const w = match[0];
    for (const field of FIELDS) {
      const mine = m[field];
      if (mine === undefined) continue;
      const theirs = w[field];
      if (theirs === undefined) {
        (w as unknown as Record<string, unknown>)[field] = mine;
        w.refs[field] = m.refs[field];
      } else if (!sameValue(theirs, mine)) {
        problemsOut.push({
          ref: m.refs[field] ?? m.refs.member,
          code: "memberConflict",
          args: { member: m.member, field: FIELD_NAMES[field].en, fieldZh: FIELD_NAMES[field].zh, other: w.refs[field] ?? w.refs.member },
        });
      }
    }
    if (!w.parents && m.parents) w.parents = m.parents;
  }
  return rows;
}

/**
 * A member must be active on some day of the plan: a Start after its last day or an End before
 * its first day is a problem at that cell. A Start before the plan is fine (the ramp counts its
 * months from Start), and so is an End after it.
 */
export function checkMemberDates(rows: readonly WeightRow[], start: DayNum, end: DayNum, problemsOut: Problem[]): void {
  const args = { from: formatDay(start), to: formatDay(end) };
  for (const w of rows) {
    if (w.start !== undefined && w.start > end) {
      problemsOut.push({ ref: w.refs.start ?? w.refs.member, code: "startAfterPlan", args: { ...args, member: w.member, date: formatDay(w.start) } });
    }
    if (w.end !== undefined && w.end < start) {
      problemsOut.push({ ref: w.refs.end ?? w.refs.member, code: "endBeforePlan", args: { ...args, member: w.member, date: formatDay(w.end) } });
    }
  }
}
