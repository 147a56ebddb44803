import fc from "fast-check";
import { add, decimalParts, decimalText, ExactSum, stringDecimalParts, toNumber, type Rational } from "../../src/engine/rational";

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

describe("decimalParts: a number as the decimal String() writes", () => {
  const general = (x: number) => {
    const { digits, exponent } = stringDecimalParts(x);
    return { digits, exponent };
  };
  /** Doubles of every kind, and the decimals users type: cents, percentages, few and many places. */
  const doubles = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 17 })).map(([m, p]) => m / 10 ** p),
    fc.tuple(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), fc.integer({ min: 0, max: 22 })).map(([m, p]) => Number(`${m}e-${p}`)),
    fc.constantFrom(...["9.999999999999999", "99.99999999999999", "999999999999999.9", "123456789012345.6", "0.000001", "1e-7", "1.5e-7", "5e-324", "1e21", "-0.05", "28780.51"].map(Number), 0.1 + 0.2),
  );

  it("is the same by the fast path as by reading String(x), for any finite double", () => {
    fc.assert(
      fc.property(doubles, (x) => {
        expect(decimalParts(x)).toEqual(general(x));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it("ExactSum adds exactly what the decimals say, whatever their places and sizes", () => {
    fc.assert(
      fc.property(fc.array(doubles.filter((x) => Math.abs(x) < 1e300), { maxLength: 30 }), (xs) => {
        const sum = new ExactSum();
        let expected: Rational = { n: 0n, d: 1n };
        for (const x of xs) {
          sum.add(x);
          const { digits, exponent } = general(x);
          expected = add(expected, exponent >= 0 ? { n: digits * 10n ** BigInt(exponent), d: 1n } : { n: digits, d: 10n ** BigInt(-exponent) });
        }
        const got = sum.value;
        expect(got.n * expected.d).toBe(expected.n * got.d);
      }),
      { numRuns: RUNS },
    );
  });

  it("ExactSum keeps exact past 2^53, in whole numbers and in cents", () => {
    const sum = new ExactSum();
    // Each is 900,000,000,000,001 cents: their sum in cents passes 2^53 after ten of them.
    for (let i = 0; i < 2000; i++) sum.add(9000000000000.01);
    for (let i = 0; i < 4; i++) sum.add(9007199254740991);
    sum.add(Number("1000000000000000.2")); // 16 significant digits: the general way
    sum.add(0.125);
    const v = sum.value;
    expect(v.n * 1000n).toBe(v.d * (18000000000000020000n + 4n * 9007199254740991000n + 1000000000000000200n + 125n));
  });
});
