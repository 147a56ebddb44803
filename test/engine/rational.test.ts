import fc from "fast-check";
import { decimalText, toNumber } from "../../src/engine/rational";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

describe("toNumber: the double nearest to an exact amount", () => {
  it("a decimal amount gives the double its decimals name (347/100 is 3.47, not 3.4699999999999998)", () => {
    expect(toNumber({ n: 347n, d: 100n })).toBe(3.47);
    expect(toNumber({ n: -347n, d: 100n })).toBe(-3.47);
    expect(toNumber({ n: 79660475181699n, d: 100n })).toBe(796604751816.99);
  });

  it("is the correctly rounded double of any decimal, small or past 2^53", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.integer({ min: 0, max: 12 }), (quanta, places) => {
        const d = 10n ** BigInt(places);
        expect(toNumber({ n: quanta, d })).toBe(Number(decimalText(quanta, places)));
      }),
      { numRuns: RUNS },
    );
  });

  it("of a fraction that is no decimal, is nearer to it than either neighbouring double", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 18n }), (n, d) => {
        const x = toNumber({ n, d });
        const gap = (y: number): Exact => absDiff(exactOf(y), { n, d });
        expect(lessOrEqual(gap(x), gap(step(x, 1)))).toBe(true);
        expect(lessOrEqual(gap(x), gap(step(x, -1)))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

interface Exact {
  n: bigint;
  d: bigint;
}

/** A positive finite double as the fraction it is exactly. */
function exactOf(x: number): Exact {
  const bits = new BigUint64Array(new Float64Array([x]).buffer)[0];
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const m = exponent === 0 ? fraction : fraction | (1n << 52n);
  const e = (exponent === 0 ? 1 : exponent) - 1075;
  return e >= 0 ? { n: m << BigInt(e), d: 1n } : { n: m, d: 1n << BigInt(-e) };
}

/** The next double above (dir 1) or below (dir −1) a positive double. */
function step(x: number, dir: 1 | -1): number {
  const f = new Float64Array([x]);
  const b = new BigUint64Array(f.buffer);
  b[0] = dir === 1 ? b[0] + 1n : b[0] - 1n;
  return f[0];
}

function absDiff(a: Exact, b: Exact): Exact {
  const n = a.n * b.d - b.n * a.d;
  return { n: n < 0n ? -n : n, d: a.d * b.d };
}

const lessOrEqual = (a: Exact, b: Exact): boolean => a.n * b.d <= b.n * a.d;
