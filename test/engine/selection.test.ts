/**
 * The row rounding's selection (src/engine/rounding.ts): each leaf's extra units go to the cells
 * of the `need` smallest sort keys. roundRows counts the keys into buckets over the priorities'
 * range as it makes them, and finishRow gives the units by those buckets and a quickselect inside
 * the boundary bucket instead of a sort. These properties check finishRow against a full sort, on
 * keys shaped as the rows' keys are (priority in the high bits, column in the low 16), spread out,
 * bunched into one bucket or equal, with cells that take no unit among them; and check that it
 * keeps each column's drift and sum as the row pass needs them.
 */
import fc from "fast-check";
import { BUCKETS, bucketOf, columnOf, finishRow, highOf, selectSmallest, type RowFinish } from "../../src/engine/rounding";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

/** A key as roundRows makes it: ⌊(7 − priority) · 2^30⌋ · 65536 + column. */
function keyOf(priority: number, column: number): number {
  return highOf(Math.min(7, Math.max(0, priority))) * 65536 + column;
}

/** A row: per column a priority, or null for a cell that takes no unit; each cell's lower bound and aimed value. */
interface Row {
  priorities: (number | null)[];
  units: number[];
  scaled: number[];
}

/** The row as roundRows leaves it for finishRow: keys at their columns, bucketed and counted. */
function scratchFor(row: Row): RowFinish {
  const P = row.priorities.length;
  const s: RowFinish = {
    keys: new Float64Array(P),
    bucket: new Int32Array(P).fill(BUCKETS),
    counts: new Int32Array(BUCKETS),
    units: Float64Array.from(row.units),
    scaled: Float64Array.from(row.scaled),
    spill: new Float64Array(P),
  };
  row.priorities.forEach((p, j) => {
    if (p === null) return;
    const high = highOf(Math.min(7, Math.max(0, p)));
    const b = bucketOf(high);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThan(BUCKETS);
    s.keys[j] = high * 65536 + j;
    s.bucket[j] = b;
    s.counts[b]++;
  });
  return s;
}

/** Units by a full sort: the lower bounds, plus one each to the columns of the `need` smallest keys. */
function bySort(row: Row, need: number): number[] {
  const units = [...row.units];
  const keys = row.priorities.flatMap((p, j) => (p === null ? [] : [keyOf(p, j)])).sort((a, b) => a - b);
  for (let k = 0; k < need; k++) units[columnOf(keys[k])]++;
  return units;
}

/** Priorities: spread over [0, 7], bunched within a hair of one value, or equal. */
const prioritiesArb = fc.oneof(
  fc.array(fc.double({ min: 0, max: 7, noNaN: true }), { minLength: 2, maxLength: 400 }),
  fc
    .record({ at: fc.double({ min: 0, max: 7, noNaN: true }), offsets: fc.array(fc.double({ min: -1e-7, max: 1e-7, noNaN: true }), { minLength: 2, maxLength: 120 }) })
    .map(({ at, offsets }) => offsets.map((o) => at + o)),
  fc.record({ at: fc.double({ min: 0, max: 7, noNaN: true }), n: fc.integer({ min: 2, max: 90 }) }).map(({ at, n }) => new Array<number>(n).fill(at)),
);

/** A row of those priorities, some cells taking no unit, with whole lower bounds and aimed values near them. */
const rowArb = prioritiesArb.chain((priorities) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: priorities.length, maxLength: priorities.length }),
      fc.array(fc.nat(1000), { minLength: priorities.length, maxLength: priorities.length }),
      fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: priorities.length, maxLength: priorities.length }),
    )
    .map(([fixed, units, offsets]): Row => {
      const ps = priorities.map((p, j) => (fixed[j] ? null : p));
      // At least two cells take a unit, so that 0 < need < their number can be drawn.
      let open = ps.filter((p) => p !== null).length;
      for (let j = 0; j < ps.length && open < 2; j++) {
        if (ps[j] !== null) continue;
        ps[j] = priorities[j];
        open++;
      }
      return { priorities: ps, units, scaled: units.map((u, j) => u + offsets[j]) };
    }),
);

describe("the row rounding's selection", () => {
  it("gives a unit to exactly the cells of the `need` smallest keys, as a sort would, and keeps the drift and sums", () => {
    fc.assert(
      fc.property(rowArb, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.nat(5), (row, f, offset) => {
        const P = row.priorities.length;
        const open = row.priorities.filter((p) => p !== null).length;
        const need = 1 + Math.floor(f * (open - 1));
        const s = scratchFor(row);
        const val = new Float64Array(P + offset + 3).fill(-1);
        const drift = Float64Array.from(row.scaled, (_, j) => j * 0.25);
        const colSum = Float64Array.from(row.units, (_, j) => j);
        const sum = finishRow(s, P, need, val, offset, drift, colSum);
        const want = bySort(row, need);
        expect(Array.from(val.subarray(offset, offset + P))).toEqual(want);
        // Nothing written outside the row.
        expect(Array.from(val.subarray(0, offset)).every((v) => v === -1)).toBe(true);
        expect(Array.from(val.subarray(offset + P)).every((v) => v === -1)).toBe(true);
        expect(sum).toBe(want.reduce((a, b) => a + b, 0));
        want.forEach((v, j) => {
          expect(drift[j]).toBe(j * 0.25 + (v - row.scaled[j]));
          expect(colSum[j]).toBe(j + v);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("keeps every cell at its units when no unit is to be given (need 0)", () => {
    const row: Row = { priorities: [1, 2, null, 3], units: [4, 0, 7, 2], scaled: [4.5, 0.25, 7, 2.75] };
    const val = new Float64Array(4);
    const sum = finishRow(scratchFor(row), 4, 0, val, 0, new Float64Array(4), new Float64Array(4));
    expect(Array.from(val)).toEqual([4, 0, 7, 2]);
    expect(sum).toBe(13);
  });

  it("buckets keys in key order, over the whole range of priorities", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 7, noNaN: true }), fc.double({ min: 0, max: 7, noNaN: true }), (a, b) => {
        const [x, y] = [highOf(a), highOf(b)];
        if (x <= y) expect(bucketOf(x)).toBeLessThanOrEqual(bucketOf(y));
        else expect(bucketOf(x)).toBeGreaterThanOrEqual(bucketOf(y));
      }),
      { numRuns: RUNS },
    );
    expect(bucketOf(highOf(7))).toBe(0);
    expect(bucketOf(highOf(0))).toBe(BUCKETS - 1);
  });

  it("selectSmallest puts the k smallest first, whatever the order of the keys", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 2, maxLength: 500 }), fc.nat(), (values, pick) => {
        const a = Float64Array.from(values);
        const k = 1 + (pick % (a.length - 1));
        selectSmallest(a, a.length, k);
        const smallest = [...values].sort((x, y) => x - y).slice(0, k);
        expect(Array.from(a.subarray(0, k)).sort((x, y) => x - y)).toEqual(smallest);
        expect(Array.from(a).sort((x, y) => x - y)).toEqual([...values].sort((x, y) => x - y));
      }),
      { numRuns: RUNS },
    );
  });

  it("finds the smallest keys of a row where every priority is the same (only the columns differ)", () => {
    const row: Row = { priorities: new Array<number>(53).fill(4.25), units: new Array<number>(53).fill(0), scaled: new Array<number>(53).fill(0.5) };
    const val = new Float64Array(53);
    finishRow(scratchFor(row), 53, 20, val, 0, new Float64Array(53), new Float64Array(53));
    // Equal priorities: the earlier columns first.
    expect(Array.from(val)).toEqual(Array.from({ length: 53 }, (_, j) => (j < 20 ? 1 : 0)));
  });
});
