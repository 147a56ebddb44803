/**
 * History and Actuals held column by column: a fact table.
 *
 * A History of 50,000 reps over three years is 1.8 million facts. Held as one object per fact
 * (with its dims and measures records and its cell reference) that is about 550 MB of small
 * objects, which every full collection of the heap must mark: half a second each, one or two per
 * plan. Held as columns it is about 110 MB of typed arrays, which the collector does not look
 * into. Each dimension is a dictionary: a member code per fact and the members once each, so
 * two facts name the same member exactly when their codes are equal.
 *
 * `FactRow` stays the vocabulary for a single fact (messages, tests, small tables), and an array
 * of them is accepted wherever a table is: `factTable` turns it into columns.
 */
import type { DayNum, FactRow } from "./types";

/** One dimension column: each fact's member code, and the members by code. Code 0 is "no member" (a blank cell). */
export interface DimColumn {
  readonly name: string;
  readonly codes: Int32Array;
  /** members[0] is "" (no member); every other member once, as written. */
  readonly members: readonly string[];
}

/** One measure column: each fact's value (0 for a blank cell). */
export interface MeasureColumn {
  readonly name: string;
  readonly values: Float64Array;
}

/**
 * Where each fact's row is, for messages (`History!A7`): the row's first cell as the prefix
 * (`History!A`) and a row number, or a list of references.
 */
export type FactRefs = { prefix: string; firstRow: number; rows: Int32Array } | { list: readonly (string | undefined)[] };

const NO_CODES = new Int32Array(0);

export class FactTable {
  readonly length: number;
  /** First and last day each fact covers (a date: start = end; a month of History: the whole month). */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Dimension columns, in the table's order. */
  readonly dims: readonly DimColumn[];
  /** Measure columns, in the table's order. */
  readonly measures: readonly MeasureColumn[];
  private readonly refs: FactRefs;
  private readonly dimByName = new Map<string, DimColumn>();
  private readonly measureByName = new Map<string, MeasureColumn>();

  constructor(parts: { length: number; start: Int32Array; end: Int32Array; dims: readonly DimColumn[]; measures: readonly MeasureColumn[]; refs: FactRefs }) {
    this.length = parts.length;
    this.start = parts.start;
    this.end = parts.end;
    this.dims = parts.dims;
    this.measures = parts.measures;
    this.refs = parts.refs;
    for (const d of parts.dims) this.dimByName.set(d.name, d);
    for (const m of parts.measures) this.measureByName.set(m.name, m);
  }

  /** The dimension column of a name (Region, Channel, a user column), or undefined when no fact names one. */
  dim(name: string): DimColumn | undefined {
    return this.dimByName.get(name);
  }

  /** Whether some fact names a member of this dimension. */
  namesSome(name: string): boolean {
    return this.dimByName.has(name);
  }

  /** Whether the facts have this measure (some fact, and so every fact). */
  hasMeasure(name: string): boolean {
    return this.length > 0 && this.measureByName.has(name);
  }

  /** The member codes of a dimension, one per fact; all 0 when the table has no such column. */
  codes(name: string): Int32Array {
    const d = this.dimByName.get(name);
    return d ? d.codes : this.length === 0 ? NO_CODES : new Int32Array(this.length);
  }

  /** The members of a dimension by code ([""] when the table has no such column). */
  members(name: string): readonly string[] {
    return this.dimByName.get(name)?.members ?? [""];
  }

  /** The values of a measure, one per fact, or undefined when the table has no such column. */
  measure(name: string): Float64Array | undefined {
    return this.measureByName.get(name)?.values;
  }

  /** The member a fact names in a dimension, or undefined for none. */
  member(name: string, fact: number): string | undefined {
    const d = this.dimByName.get(name);
    const code = d ? d.codes[fact] : 0;
    return code === 0 ? undefined : d!.members[code];
  }

  /** The cell of a fact's row, for messages. */
  ref(fact: number): string | undefined {
    const refs = this.refs;
    return "list" in refs ? refs.list[fact] : refs.prefix + (refs.firstRow + refs.rows[fact]);
  }

  /** One fact as a record (for messages and for code that is not on a hot path). */
  row(fact: number): FactRow {
    const dims: Record<string, string> = {};
    for (const d of this.dims) {
      const code = d.codes[fact];
      if (code !== 0) dims[d.name] = d.members[code];
    }
    const measures: Record<string, number> = {};
    for (const m of this.measures) measures[m.name] = m.values[fact];
    const row: FactRow = { dims, start: this.start[fact], end: this.end[fact], measures };
    const ref = this.ref(fact);
    if (ref !== undefined) row.ref = ref;
    return row;
  }

  /** Every fact as a record. */
  rows(): FactRow[] {
    const out = new Array<FactRow>(this.length);
    for (let r = 0; r < this.length; r++) out[r] = this.row(r);
    return out;
  }

  /** A table of these records; a measure a record lacks is 0 there. */
  static of(rows: readonly FactRow[]): FactTable {
    const builder = new FactTableBuilder();
    for (const row of rows) {
      for (const name of Object.keys(row.dims)) builder.dimension(name);
      for (const name of Object.keys(row.measures)) builder.measureColumn(name);
    }
    const refs: (string | undefined)[] = [];
    const dimNames = builder.dimensionNames();
    const measureNames = builder.measureNames();
    const members = new Array<string>(dimNames.length);
    const values = new Float64Array(measureNames.length);
    for (const row of rows) {
      for (let d = 0; d < dimNames.length; d++) members[d] = row.dims[dimNames[d]] ?? "";
      for (let m = 0; m < measureNames.length; m++) values[m] = row.measures[measureNames[m]] ?? 0;
      builder.add(row.start, row.end, members, values);
      refs.push(row.ref);
    }
    return builder.build({ list: refs });
  }
}

/** History or Actuals as either a table or records. */
export type Facts = FactTable | readonly FactRow[];

/** The facts as a table: the table itself, or a new one of the records. */
export function factTable(facts: Facts): FactTable {
  return facts instanceof FactTable ? facts : FactTable.of(facts);
}

/** The facts as records. */
export function factRows(facts: Facts): readonly FactRow[] {
  return facts instanceof FactTable ? facts.rows() : facts;
}

/** Builds a table one fact at a time, in growing typed arrays. */
export class FactTableBuilder {
  private n = 0;
  private capacity = 1024;
  private start: Int32Array<ArrayBuffer> = new Int32Array(this.capacity);
  private end: Int32Array<ArrayBuffer> = new Int32Array(this.capacity);
  private readonly dimNames: string[] = [];
  private readonly dimCodes: Int32Array[] = [];
  private readonly dimMembers: string[][] = [];
  private readonly dimLookup: Map<string, number>[] = [];
  /** Per dimension, the last member added and its code: facts repeat their neighbours' members. */
  private readonly lastMember: string[] = [];
  private readonly lastCode: number[] = [];
  private readonly measureNamesList: string[] = [];
  private readonly measureValues: Float64Array[] = [];

  /** Adds a dimension column (once per name); returns its position. */
  dimension(name: string): number {
    const at = this.dimNames.indexOf(name);
    if (at >= 0) return at;
    this.dimNames.push(name);
    this.dimCodes.push(new Int32Array(this.capacity));
    this.dimMembers.push([""]);
    this.dimLookup.push(new Map([["", 0]]));
    this.lastMember.push("");
    this.lastCode.push(0);
    return this.dimNames.length - 1;
  }

  /** Adds a measure column (once per name); returns its position. */
  measureColumn(name: string): number {
    const at = this.measureNamesList.indexOf(name);
    if (at >= 0) return at;
    this.measureNamesList.push(name);
    this.measureValues.push(new Float64Array(this.capacity));
    return this.measureNamesList.length - 1;
  }

  dimensionNames(): readonly string[] {
    return this.dimNames;
  }

  measureNames(): readonly string[] {
    return this.measureNamesList;
  }

  get length(): number {
    return this.n;
  }

  /** One fact: its days, its members by dimension position ("" for none), its values by measure position. */
  add(start: DayNum, end: DayNum, members: ArrayLike<string>, values: ArrayLike<number>): void {
    if (this.n === this.capacity) this.grow();
    const r = this.n++;
    this.start[r] = start;
    this.end[r] = end;
    for (let d = 0; d < this.dimNames.length; d++) {
      const member = members[d];
      let code: number;
      if (member === this.lastMember[d]) code = this.lastCode[d];
      else {
        const lookup = this.dimLookup[d];
        const known = lookup.get(member);
        if (known === undefined) {
          code = this.dimMembers[d].length;
          this.dimMembers[d].push(member);
          lookup.set(member, code);
        } else code = known;
        this.lastMember[d] = member;
        this.lastCode[d] = code;
      }
      this.dimCodes[d][r] = code;
    }
    for (let m = 0; m < this.measureValues.length; m++) this.measureValues[m][r] = values[m];
  }

  /** The table, with `refs` telling each fact's row; columns no fact fills are left out. */
  build(refs: FactRefs): FactTable {
    const n = this.n;
    const dims: DimColumn[] = [];
    for (let d = 0; d < this.dimNames.length; d++) {
      if (this.dimMembers[d].length > 1) dims.push({ name: this.dimNames[d], codes: this.dimCodes[d].slice(0, n), members: this.dimMembers[d] });
    }
    const measures = this.measureNamesList.map((name, m) => ({ name, values: this.measureValues[m].slice(0, n) }));
    return new FactTable({ length: n, start: this.start.slice(0, n), end: this.end.slice(0, n), dims, measures, refs });
  }

  private grow(): void {
    this.capacity *= 2;
    const grow32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(this.capacity);
      b.set(a);
      return b;
    };
    this.start = grow32(this.start);
    this.end = grow32(this.end);
    for (let d = 0; d < this.dimCodes.length; d++) this.dimCodes[d] = grow32(this.dimCodes[d]);
    for (let m = 0; m < this.measureValues.length; m++) {
      const b = new Float64Array(this.capacity);
      b.set(this.measureValues[m]);
      this.measureValues[m] = b;
    }
  }
}
