/**
 * The row rounding's selection (src/engine/rounding.ts): each leaf's extra units go to the cells
 * of the `need` smallest sort keys. The keys are chosen by buckets over their range and a
 * quickselect inside the boundary bucket instead of a sort; these properties check both against a
 * full sort, on keys shaped as the rows' keys are (priority in the high bits, column in the low
 * 16), spread out, bunched into one bucket, sorted and reversed.
 */
import fc from "fast-check";
import { BUCKETS, columnOf, giveSmallest, selectSmallest, type SelectionScratch } from "../../src/engine/rounding";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const KEY_SCALE = 2 ** 30;

/** Keys as roundRows makes them: ⌊(7 − priority) · 2^30⌋ · 65536 + column, for distinct columns. */
function keysOf(priorities: number[]): Float64Array {
  return Float64Array.from(priorities, (p, j) => Math.floor((7 - Math.min(7, Math.max(0, p))) * KEY_SCALE) * 65536 + j);
}

/** Units given by a full sort: one each to the columns of the `need` smallest keys. */
function bySort(keys: Float64Array, need: number, width: number): number[] {
  const units = new Array<number>(width).fill(0);
  const sorted = Array.from(keys).sort((a, b) => a - b);
  for (let k = 0; k < need; k++) units[columnOf(sorted[k])]++;
  return units;
}

function scratchFor(keys: Float64Array, width: number): SelectionScratch {
  return {
    keys: Float64Array.from(keys),
    columns: Int32Array.from(keys, columnOf),
    units: new Float64Array(width),
    counts: new Int32Array(BUCKETS),
    bucket: new Int32Array(width),
    spill: new Float64Array(width),
  };
}

/** Priorities: spread over [0, 7], bunched within a hair of one value, or equal. */
const prioritiesArb = fc.oneof(
  fc.array(fc.double({ min: 0, max: 7, noNaN: true }), { minLength: 2, maxLength: 400 }),
  fc
    .record({ at: fc.double({ min: 0, max: 7, noNaN: true }), offsets: fc.array(fc.double({ min: -1e-7, max: 1e-7, noNaN: true }), { minLength: 2, maxLength: 120 }) })
    .map(({ at, offsets }) => offsets.map((o) => at + o)),
  fc.record({ at: fc.double({ min: 0, max: 7, noNaN: true }), n: fc.integer({ min: 2, max: 90 }) }).map(({ at, n }) => new Array<number>(n).fill(at)),
);

describe("the row rounding's selection", () => {
  it("gives a unit to exactly the cells of the `need` smallest keys, as a sort would", () => {
    fc.assert(
      fc.property(prioritiesArb, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom("as drawn", "sorted", "reversed"), (priorities, f, order) => {
        let keys = keysOf(priorities);
        if (order !== "as drawn") keys = keys.sort();
        if (order === "reversed") keys = keys.reverse();
        const n = keys.length;
        const need = 1 + Math.floor(f * (n - 1));
        const row = scratchFor(keys, n);
        let min = Infinity;
        let max = -Infinity;
        for (const key of keys) {
          min = Math.min(min, key);
          max = Math.max(max, key);
        }
        giveSmallest(n, need, min, max, row);
        expect(Array.from(row.units)).toEqual(bySort(keys, need, n));
      }),
      { numRuns: RUNS },
    );
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
    const keys = keysOf(new Array<number>(53).fill(4.25));
    const row = scratchFor(keys, 53);
    giveSmallest(53, 20, keys[0], keys[52], row);
    // Equal priorities: the earlier columns first.
    expect(Array.from(row.units)).toEqual(Array.from({ length: 53 }, (_, j) => (j < 20 ? 1 : 0)));
  });
});
