import fc from "fast-check";
import { ras, RAS_MAX_ITERATIONS, RAS_TOLERANCE } from "../../src/engine/season";

describe("RAS (iterative proportional fitting)", () => {
  it("reproduces ProportionalFitting.jl's 4×4 example", () => {
    const x = Float64Array.from([40, 30, 20, 10, 35, 50, 100, 75, 30, 80, 70, 120, 20, 30, 40, 50]);
    const out = ras(x, 4, 4, [150, 300, 400, 150], [200, 300, 400, 100]);
    expect(out.converged).toBe(true);
    const first = [64.5585, 46.2325, 35.3843, 3.8247];
    first.forEach((v, j) => expect(Math.abs(x[j] - v)).toBeLessThan(1e-4));
  });

  it("keeps fixed cells and balances the rest against the totals less what is fixed", () => {
    const x = Float64Array.from([1, 1, 1, 1, 1, 1]);
    const fixed = Uint8Array.from([1, 0, 0, 0, 0, 0]);
    x[0] = 5;
    const out = ras(x, 2, 3, [10, 20], [8, 12, 10], fixed);
    expect(out.converged).toBe(true);
    expect(x[0]).toBe(5);
    expect(Math.abs(x[0] + x[1] + x[2] - 10)).toBeLessThan(1e-9);
    expect(Math.abs(x[3] - 3)).toBeLessThan(1e-9);
  });

  it("balances any positive matrix to its margins within the tolerance", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 36, maxLength: 36 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 6, maxLength: 6 }),
        (R, C, seed, r, c) => {
          const rows = r.slice(0, R);
          const colsRaw = c.slice(0, C);
          const total = rows.reduce((a, b) => a + b, 0);
          const cs = colsRaw.reduce((a, b) => a + b, 0);
          const cols = colsRaw.map((v) => (v * total) / cs);
          const x = Float64Array.from(seed.slice(0, R * C));
          const out = ras(x, R, C, rows, cols);
          // Near-degenerate margins converge slowly: then RAS stops at its cap, close but not within the tolerance.
          if (!out.converged) {
            expect(out.iterations).toBe(RAS_MAX_ITERATIONS);
            expect(out.error).toBeLessThan(1e-6 * total);
            return;
          }
          for (let i = 0; i < R; i++) {
            let s = 0;
            for (let j = 0; j < C; j++) s += x[i * C + j];
            expect(Math.abs(s - rows[i])).toBeLessThanOrEqual(Math.max(1e-9, RAS_TOLERANCE * total));
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 100) },
    );
  });
});
