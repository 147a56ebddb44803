/**
 * The Weights table (CONTRACT.md §2): finance-set weights and locked amounts per member.
 * `Dimension` names the level, `Member` the member; columns named like levels above it
 * (Region, Team …) place the member under its parents. `Start` / `入职`, `End` / `离职` and
 * `Ramp` / `爬坡` give a member who joins or leaves within the plan (contract/members.ts).
 */
import type { Problem } from "../engine/problems";
import type { RawTable } from "../hosts/host";
import type { WeightRow } from "../engine/types";
import { TableReader } from "./cells";
import { INPUT_NAMES, matchHeaders, WEIGHT_COLUMNS, type ColumnAt } from "./headers";
import type { Level, LevelIndex } from "./levels";
import { applyMemberFields, hasMemberFields, readMemberFields } from "./members";

export interface WeightsRead {
  rows: WeightRow[];
  /** The header cell of the Weight column, else the table's first cell. */
  weightHeader: string;
}

/** The dimensions the Weights rows name, as written and in order of first appearance. */
export function weightDimensions(table: RawTable): string[] {
  const { columns } = matchHeaders(table.headers, WEIGHT_COLUMNS);
  if (!columns.dimension) return [];
  const reader = new TableReader(table, []);
  const names = table.rows.map((_, r) => reader.text(r, columns.dimension)).filter((t) => t !== "");
  return [...new Set(names)];
}

export function readWeights(table: RawTable, levels: LevelIndex, problems: Problem[]): WeightsRead {
  const reader = new TableReader(table, problems);
  const { columns, others, duplicates } = matchHeaders(table.headers, WEIGHT_COLUMNS);
  reader.reportDuplicates(duplicates);
  const read: WeightsRead = {
    rows: [],
    weightHeader: columns.weight ? reader.refs.header(columns.weight.index) : reader.refs.first,
  };

  const { dimension, member, weight, lock } = columns;
  const dates = { start: columns.start, end: columns.end, ramp: columns.ramp };
  const hasDates = dates.start !== undefined || dates.end !== undefined || dates.ramp !== undefined;
  const singleLevel = levels.levels.length === 1 ? levels.levels[0] : undefined;
  let usable = true;
  if (!dimension && !singleLevel) {
    reader.missingColumn(INPUT_NAMES.weights, WEIGHT_COLUMNS.dimension);
    usable = false;
  }
  if (!member) {
    reader.missingColumn(INPUT_NAMES.weights, WEIGHT_COLUMNS.member);
    usable = false;
  }
  if (!weight && !lock && !hasDates) {
    reader.missingColumn(INPUT_NAMES.weights, WEIGHT_COLUMNS.weight);
    usable = false;
  }
  if (!usable || !member) return read;

  const parentColumns = others.flatMap((column) => {
    const level = levels.find(column.label);
    return level ? [{ column, level }] : [];
  });
  const seen = new Set<string>();
  const levelOfRow = (r: number, dimension: ColumnAt): Level | undefined => {
    if (!reader.required(r, dimension)) return undefined;
    const text = reader.text(r, dimension);
    const level = levels.find(text);
    if (!level) reader.report(r, dimension, "unknownLevel", { level: text, known: levels.labels() });
    return level;
  };

  table.rows.forEach((_, r) => {
    if (!reader.rowHasValues(r)) return;
    const level = dimension ? levelOfRow(r, dimension) : singleLevel;

    const name = reader.required(r, member) ? reader.text(r, member) : undefined;
    const weightValue = reader.number(r, weight);
    const lockValue = reader.number(r, lock);
    const fields = readMemberFields(reader, r, dates);
    const neither = reader.isEmpty(r, weight) && reader.isEmpty(r, lock) && !hasMemberFields(reader, r, dates);
    if (neither && name !== undefined) {
      const at = weight ?? lock!;
      problems.push({ ref: reader.ref(r, at), code: "weightOrLockRequired", args: { member: name } });
    }
    if (!level || name === undefined) return;

    const depth = levels.position(level);
    const parents: Record<string, string> = {};
    for (const { column, level: parent } of parentColumns) {
      const value = reader.text(r, column);
      if (value !== "" && levels.position(parent) < depth) parents[parent.name] = value;
    }
    const key = JSON.stringify([level.name, name, ...levels.levels.map((l) => parents[l.name] ?? "")]);
    if (seen.has(key)) {
      reader.report(r, member, "duplicateMember", { level: level.label, member: name });
      return;
    }
    seen.add(key);
    const datesGiven = fields.start !== undefined || fields.end !== undefined || fields.ramp !== undefined;
    if (weightValue === undefined && lockValue === undefined && !datesGiven) return;

    const row: WeightRow = { level: level.name, member: name, refs: { member: reader.ref(r, member) } };
    if (Object.keys(parents).length > 0) row.parents = parents;
    if (weightValue !== undefined) {
      row.weight = weightValue;
      row.refs.weight = reader.ref(r, weight!);
    }
    if (lockValue !== undefined) {
      row.lock = lockValue;
      row.refs.lock = reader.ref(r, lock!);
    }
    applyMemberFields(row, fields);
    read.rows.push(row);
  });
  return read;
}
