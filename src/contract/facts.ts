/**
 * History and Actuals (CONTRACT.md §2): long tables, one fact per row — a date or a month,
 * dimension members, and measures. Known columns are found by alias; any other column is a
 * dimension when most of its filled cells are text, else a measure.
 *
 * Reading is one tight pass over the rows with every column index resolved up front, so
 * 180,000 rows read in a fraction of a second.
 */
import type { Problem } from "../engine/problems";
import type { RawCell, RawTable } from "../hosts/host";
import { FactTableBuilder, type FactTable } from "../engine/facts";
import type { FactRow } from "../engine/types";
import { TableReader } from "./cells";
import { DATE_COLUMN, DIMENSION_INDEX, headerLabel, MEASURE_INDEX, normalizeName, type ColumnAt, type NameDef } from "./headers";
import { cellText, dayOfSerial, isEmpty, MAX_SERIAL, parseDate, parseNumber, parseNumberText, type DaySpan } from "./parse";

/** A column with the name it is known by: canonical (`Region`, `Amount`) or the header as written. */
export interface NamedColumn extends ColumnAt {
  name: string;
}

/** The columns of a History or Actuals table, before its other columns are classified. */
export interface FactColumns {
  reader: TableReader;
  input: NameDef;
  date?: ColumnAt;
  dimensions: NamedColumn[];
  measures: NamedColumn[];
  /** Columns with headers the contract does not know: dimensions or measures by their cells. */
  others: NamedColumn[];
}

export function matchFactColumns(table: RawTable, input: NameDef, problems: Problem[]): FactColumns {
  const reader = new TableReader(table, problems);
  const columns: FactColumns = { reader, input, dimensions: [], measures: [], others: [] };
  const seen = new Map<string, ColumnAt>();
  const dateAliases = new Set(DATE_COLUMN.aliases.map(normalizeName));

  table.headers.forEach((cell, index) => {
    const label = headerLabel(cell);
    if (label === "") return;
    const dimension = DIMENSION_INDEX.find(label);
    const measure = MEASURE_INDEX.find(label);
    const isDate = dateAliases.has(normalizeName(label));
    const name = isDate ? DATE_COLUMN.name : (dimension?.name ?? measure?.name ?? label);
    const at: NamedColumn = { index, label, name };

    const id = normalizeName(name);
    const first = seen.get(id);
    if (first) {
      reader.reportDuplicates([{ column: at, first }]);
      return;
    }
    seen.set(id, at);
    if (isDate) columns.date = at;
    else if (dimension) columns.dimensions.push(at);
    else if (measure) columns.measures.push(at);
    else columns.others.push(at);
  });

  if (!columns.date) reader.missingColumn(input, DATE_COLUMN);
  return columns;
}

/** The dimension column a name stands for: an alias of a known dimension, or another column's header. */
export function findDimension(columns: FactColumns, text: string): NamedColumn | undefined {
  const known = DIMENSION_INDEX.find(text);
  if (known) return columns.dimensions.find((c) => c.name === known.name);
  return findOther(columns, text);
}

/** The measure column a name stands for: an alias of a known measure, or another column's header. */
export function findMeasure(columns: FactColumns, text: string): NamedColumn | undefined {
  const known = MEASURE_INDEX.find(text);
  if (known) return columns.measures.find((c) => c.name === known.name);
  return findOther(columns, text);
}

function findOther(columns: FactColumns, text: string): NamedColumn | undefined {
  const id = normalizeName(text);
  return columns.others.find((c) => normalizeName(c.label) === id);
}

/** Every column a level could name, as written. */
export function dimensionCandidates(columns: FactColumns): string[] {
  return [...columns.dimensions, ...columns.others].map((c) => c.label);
}

/** Every column a metric or funnel stage could name, as written. */
export function measureCandidates(columns: FactColumns): string[] {
  return [...columns.measures, ...columns.others.filter((c) => !isTextColumn(columns.reader.rows, c.index))].map((c) => c.label);
}

/** A column is text when most of its filled cells are not numbers; a tie is text. */
function isTextColumn(rows: readonly RawCell[][], index: number): boolean {
  let numbers = 0;
  let texts = 0;
  for (let r = 0; r < rows.length; r++) {
    const cell = rows[r][index];
    if (typeof cell === "number") numbers++;
    else if (typeof cell === "string") {
      if (cell.trim() === "") continue;
      if (Number.isNaN(parseNumberText(cell))) texts++;
      else numbers++;
    } else if (cell !== null && cell !== undefined) texts++;
  }
  return texts >= numbers;
}

/** The final shape of a fact table: which columns are dimensions and which are measures. */
export interface FactLayout {
  date: ColumnAt;
  dimensions: NamedColumn[];
  measures: NamedColumn[];
  /** Dimension names whose cells must be filled: the plan's levels. */
  required: ReadonlySet<string>;
}

/**
 * Settle the other columns: those the plan names as levels are dimensions, those it names as
 * its metric or funnel stages are measures, the rest go by their cells. `named` maps a column
 * (by index) to the name the plan knows it by.
 */
export function layoutFacts(
  columns: FactColumns,
  named: { dimensions: ReadonlyMap<number, string>; measures: ReadonlyMap<number, string> },
): FactLayout | undefined {
  if (!columns.date) return undefined;
  const dimensions = columns.dimensions.map((c) => ({ ...c, name: named.dimensions.get(c.index) ?? c.name }));
  const measures = [...columns.measures];
  for (const c of columns.others) {
    const asDimension = named.dimensions.get(c.index);
    const asMeasure = named.measures.get(c.index);
    if (asDimension !== undefined) dimensions.push({ ...c, name: asDimension });
    else if (asMeasure !== undefined) measures.push({ ...c, name: asMeasure });
    else if (isTextColumn(columns.reader.rows, c.index)) dimensions.push(c);
    else measures.push(c);
  }
  return { date: columns.date, dimensions, measures, required: new Set(named.dimensions.values()) };
}

/** Where the facts read go: one call per good row, with its members by dimension ("" for none) and its values by measure. */
interface FactSink {
  add(row: number, start: number, end: number, members: readonly string[], values: readonly number[]): void;
}

/**
 * Read every fact, as records. History takes a month as the whole month; Actuals take it as its
 * first day. Empty measure cells count as 0; an empty level cell, a bad date or a bad number is a
 * problem naming the cell, and its row is left out.
 */
export function readFacts(columns: FactColumns, layout: FactLayout, monthAs: "wholeMonth" | "firstDay"): FactRow[] {
  const facts: FactRow[] = [];
  const refs = columns.reader.refs;
  const dimNames = layout.dimensions.map((d) => d.name);
  const measureNames = layout.measures.map((m) => m.name);
  readInto(columns, layout, monthAs, {
    add(row, start, end, members, values) {
      const dims: Record<string, string> = {};
      for (let d = 0; d < members.length; d++) if (members[d] !== "") dims[dimNames[d]] = members[d];
      const measures: Record<string, number> = {};
      for (let m = 0; m < values.length; m++) measures[measureNames[m]] = values[m];
      facts.push({ dims, start, end, measures, ref: refs.row(row) });
    },
  });
  return facts;
}

/**
 * Read every fact, as the engine's column-wise table (for History: a few typed arrays instead of
 * an object per row). The same rows and problems as readFacts.
 */
export function readFactTable(columns: FactColumns, layout: FactLayout, monthAs: "wholeMonth" | "firstDay"): FactTable {
  const builder = new FactTableBuilder();
  for (const d of layout.dimensions) builder.dimension(d.name);
  for (const m of layout.measures) builder.measureColumn(m.name);
  let rows = new Int32Array(1024);
  readInto(columns, layout, monthAs, {
    add(row, start, end, members, values) {
      const k = builder.length;
      if (k === rows.length) {
        const grown = new Int32Array(rows.length * 2);
        grown.set(rows);
        rows = grown;
      }
      rows[k] = row;
      builder.add(start, end, members, values);
    },
  });
  return builder.build({ ...columns.reader.refs.rowParts(), rows: rows.slice(0, builder.length) });
}

function readInto(columns: FactColumns, layout: FactLayout, monthAs: "wholeMonth" | "firstDay", sink: FactSink): void {
  const { reader } = columns;
  const rows = reader.rows;
  const dateIndex = layout.date.index;
  const dims = layout.dimensions;
  const measures = layout.measures;
  const dimRequired = dims.map((d) => layout.required.has(d.name));
  const firstDayOnly = monthAs === "firstDay";
  // A fact table repeats a few hundred dates over many rows: each text is parsed once.
  const dateCache = new Map<string, DaySpan | undefined>();
  const members = new Array<string>(dims.length).fill("");
  const values = new Array<number>(measures.length).fill(0);

  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const dateCell = row[dateIndex];
    let start: number;
    let end: number;
    let ok = true;
    if (typeof dateCell === "number" && dateCell >= 1 && dateCell <= MAX_SERIAL) {
      start = end = dayOfSerial(dateCell);
    } else if (isEmpty(dateCell)) {
      if (!row.some((c) => !isEmpty(c))) continue;
      reader.report(r, layout.date, "missingValue", {});
      start = end = 0;
      ok = false;
    } else {
      const span = typeof dateCell === "string" ? parseDateCached(dateCell, dateCache) : parseDate(dateCell);
      if (span) {
        start = span.start;
        end = firstDayOnly ? span.start : span.end;
      } else {
        reader.report(r, layout.date, "notADate", { value: cellText(dateCell) });
        start = end = 0;
        ok = false;
      }
    }

    for (let d = 0; d < dims.length; d++) {
      const cell = row[dims[d].index];
      const member = typeof cell === "string" ? cell.trim() : cellText(cell);
      members[d] = member;
      if (member === "" && dimRequired[d]) {
        reader.report(r, dims[d], "missingValue", {});
        ok = false;
      }
    }

    for (let m = 0; m < measures.length; m++) {
      const cell = row[measures[m].index];
      let value: number;
      if (typeof cell === "number" && Number.isFinite(cell)) value = cell;
      else if (isEmpty(cell)) value = 0;
      else {
        value = parseNumber(cell);
        if (Number.isNaN(value)) {
          reader.report(r, measures[m], "notANumber", { value: cellText(cell) });
          ok = false;
        }
      }
      values[m] = value;
    }

    if (ok) sink.add(r, start, end, members, values);
  }
}

function parseDateCached(text: string, cache: Map<string, DaySpan | undefined>): DaySpan | undefined {
  if (cache.has(text)) return cache.get(text);
  const span = parseDate(text);
  cache.set(text, span);
  return span;
}
