/**
 * Exact rational arithmetic on bigints, for the counts of the funnel and the driver targets
 * (CONTRACT §4.6). A workbook's numbers are decimals as the user typed them (`1234.56`, `30%`),
 * so every number is read as the decimal its shortest representation shows (0.1 is 1/10, not
 * the binary double nearest to it), and ⌈ ⌉ is then taken of the exact quotient: 11 orders at
 * 22 visits in 30 need ⌈11 × 30 ÷ 22⌉ = 15 visits, never the 16 that 15.000000000000002 would give.
 */

/** n ÷ d, with d > 0. Not necessarily in lowest terms. */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

export const ZERO: Rational = { n: 0n, d: 1n };
export const ONE: Rational = { n: 1n, d: 1n };

const POW10: bigint[] = [1n];
/** 10^k as a bigint (k ≥ 0), cached. */
export function pow10(k: number): bigint {
  while (POW10.length <= k) POW10.push(POW10[POW10.length - 1] * 10n);
  return POW10[k];
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/** 10^k as a double, exact for k ≤ 22. */
const POW10_DOUBLE = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** The digits `shortDecimal` found, as a double (a whole number below 10^15 in magnitude). */
let shortDigits = 0;

/**
 * The commonest decimals without strings or bigints: for a non-integer x, the fewest places p
 * (1 ≤ p ≤ 15) such that a whole number m with |m| < 10^15 gives m ÷ 10^p = x exactly as a
 * double, that is the decimal m·10^−p reads back as x. Then m is left in `shortDigits` and p is
 * returned; 0 when there is none (more than 15 significant digits, or x is whole).
 *
 * It is the decimal String(x) writes: a decimal of at most 15 significant digits is the only
 * one of at most 15 digits that reads back as its double (DBL_DIG is 15), and String(x) writes
 * the shortest that does, so both are the same number; with the fewest places, the same digits.
 * m is found by rounding x · 10^p: that product is within 0.25 of m, so no p is missed.
 */
function shortDecimal(x: number): number {
  for (let p = 1; p <= 15; p++) {
    const scaled = x * POW10_DOUBLE[p];
    if (!(Math.abs(scaled) < 1e15)) return 0;
    const m = Math.round(scaled);
    if (m / POW10_DOUBLE[p] === x) {
      shortDigits = m;
      return p;
    }
  }
  return 0;
}

/**
 * A finite number as the decimal it is written as: `String(x)` gives the shortest decimal that
 * reads back as x, so `0.3` is 3/10 and `1e21` is 10^21. Returns the digits and the power of ten.
 */
export function decimalParts(x: number): { digits: bigint; exponent: number } {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  if (Number.isInteger(x) && Number.isSafeInteger(x)) return { digits: BigInt(x), exponent: 0 };
  const p = Number.isInteger(x) ? 0 : shortDecimal(x);
  if (p > 0) return { digits: BigInt(shortDigits), exponent: -p };
  return stringDecimalParts(x);
}

/** decimalParts by reading String(x): the general way, for any finite number. */
export function stringDecimalParts(x: number): { digits: bigint; exponent: number } {
  const m = DECIMAL.exec(String(x));
  if (!m) throw new RangeError(`cannot read ${x} as a decimal`);
  const [, sign, whole, fraction = "", exp = "0"] = m;
  let digits = BigInt(whole + fraction);
  if (sign) digits = -digits;
  return { digits, exponent: Number(exp) - fraction.length };
}

/** Decimal places of a number as written (0.25 → 2, 100 → 0, 1e-7 → 7). */
export function decimalPlaces(x: number): number {
  const { exponent } = decimalParts(x);
  return exponent < 0 ? -exponent : 0;
}

export function fromNumber(x: number): Rational {
  const { digits, exponent } = decimalParts(x);
  return exponent >= 0 ? { n: digits * pow10(exponent), d: 1n } : { n: digits, d: pow10(-exponent) };
}

export function fromInt(x: bigint | number): Rational {
  return { n: BigInt(x), d: 1n };
}

export function ratio(n: Rational, d: Rational): Rational {
  if (d.n === 0n) throw new RangeError("division by zero");
  const num = n.n * d.d;
  const den = n.d * d.n;
  return den < 0n ? { n: -num, d: -den } : { n: num, d: den };
}

export function add(a: Rational, b: Rational): Rational {
  return a.d === b.d ? { n: a.n + b.n, d: a.d } : { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
}

export function sub(a: Rational, b: Rational): Rational {
  return add(a, { n: -b.n, d: b.d });
}

export function mul(a: Rational, b: Rational): Rational {
  return { n: a.n * b.n, d: a.d * b.d };
}

export function isZero(a: Rational): boolean {
  return a.n === 0n;
}

export function sign(a: Rational): -1 | 0 | 1 {
  return a.n === 0n ? 0 : a.n > 0n ? 1 : -1;
}

export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l === r ? 0 : l < r ? -1 : 1;
}

/** ⌊a⌋. */
export function floor(a: Rational): bigint {
  const q = a.n / a.d;
  return a.n < 0n && q * a.d !== a.n ? q - 1n : q;
}

/** ⌈a⌉. */
export function ceil(a: Rational): bigint {
  const q = a.n / a.d;
  return a.n > 0n && q * a.d !== a.n ? q + 1n : q;
}

/** The nearest whole number, halves rounded up. */
export function roundHalfUp(a: Rational): bigint {
  return floor({ n: 2n * a.n + a.d, d: 2n * a.d });
}

/**
 * n ÷ d as a double, d > 0, with a relative error of at most 4 units in the last place
 * (4 × 2⁻⁵³): each of n and d is rounded once to the nearest double (Number(bigint) rounds to
 * nearest), then one division rounds once more. Past the double range both are first cut to
 * their leading 64 bits (an error of 2⁻⁶³ each) and the power of two put back afterwards.
 * The engine's filtered rounding (rounding.ts) relies on this bound.
 */
export function toDouble(n: bigint, d: bigint): number {
  const a = Number(n);
  const b = Number(d);
  if (Number.isFinite(a) && Number.isFinite(b)) return a / b;
  const sn = Math.max(0, bitLength(n) - 64);
  const sd = Math.max(0, bitLength(d) - 64);
  const q = Number(n >> BigInt(sn)) / Number(d >> BigInt(sd));
  // Two steps, so that neither power of two overflows on its own.
  const e = sn - sd;
  const half = Math.trunc(e / 2);
  return q * 2 ** half * 2 ** (e - half);
}

function bitLength(x: bigint): number {
  return (x < 0n ? -x : x).toString(2).length;
}

/** ⌊n ÷ d⌋ for bigints, d > 0. */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n < 0n && q * d !== n ? q - 1n : q;
}

/**
 * A whole number of quanta (10^-decimals each) as decimal text: 123456n, 2 → "1234.56",
 * -5n, 2 → "-0.05", 1000n, 0 → "1000". Trailing zeros of the fraction are kept, so every amount
 * of a plan shows the same number of decimals.
 */
export function decimalText(quanta: bigint, decimals: number): string {
  const negative = quanta < 0n;
  const digits = (negative ? -quanta : quanta).toString();
  if (decimals <= 0) return (negative ? "-" : "") + digits;
  const padded = digits.padStart(decimals + 1, "0");
  const cut = padded.length - decimals;
  return (negative ? "-" : "") + padded.slice(0, cut) + "." + padded.slice(cut);
}

/** The largest integer a double holds exactly, and every one below it. */
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The double nearest to a, correctly rounded, for display and JSON. */
export function toNumber(a: Rational): number {
  if (a.n === 0n) return 0;
  // Both exact as doubles: one IEEE division, which rounds correctly (347/100 is the double 3.47).
  if (a.d <= SAFE && a.n <= SAFE && a.n >= -SAFE) return Number(a.n) / Number(a.d);
  const negative = a.n < 0n;
  const n = negative ? -a.n : a.n;
  const whole = n / a.d;
  const rest = n - whole * a.d;
  if (rest === 0n) return negative ? -Number(whole) : Number(whole);
  // Otherwise the decimal written out to 20 significant places past the fraction's first (it is at
  // least 1/d), which Number() rounds correctly; adding a whole part and a fraction as doubles
  // would round twice (3 + 0.47 is 3.4699999999999998).
  const places = 20 + a.d.toString().length;
  const fraction = ((rest * pow10(places)) / a.d).toString().padStart(places, "0");
  return Number(`${negative ? "-" : ""}${whole}.${fraction}`);
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The same value in lowest terms. */
export function reduce(a: Rational): Rational {
  const g = gcd(a.n, a.d);
  return g <= 1n ? a : { n: a.n / g, d: a.d / g };
}

/**
 * A sum of decimals kept exact. Whole numbers (the usual History cell) are added as doubles
 * while the sum stays a safe integer; anything else goes to a bigint at a common decimal scale.
 */
export class ExactSum {
  /** The whole numbers added, while their sum is a safe integer. */
  private small = 0;
  /** Decimals of at most 15 digits added, in units of 10^−places, while a safe integer. */
  private scaled = 0;
  /** The rest, in units of 10^−places. */
  private big = 0n;
  private places = 0;

  add(x: number): void {
    if (Number.isInteger(x)) {
      const s = this.small + x;
      if (Number.isSafeInteger(s)) {
        this.small = s;
        return;
      }
    } else {
      const p = shortDecimal(x);
      if (p > 0) {
        if (p > this.places) this.rescale(p);
        // Whole numbers below 2^53 multiply and add exactly; past it the result is not safe.
        const v = shortDigits * POW10_DOUBLE[this.places - p];
        const s = this.scaled + v;
        if (Number.isSafeInteger(v) && Number.isSafeInteger(s)) this.scaled = s;
        else this.big += BigInt(shortDigits) * pow10(this.places - p);
        return;
      }
    }
    const { digits, exponent } = decimalParts(x);
    if (exponent >= 0) {
      this.big += digits * pow10(exponent) * pow10(this.places);
      return;
    }
    const places = -exponent;
    if (places > this.places) this.rescale(places);
    this.big += digits * pow10(this.places - places);
  }

  /** Counts in units of 10^−places from now on (places > this.places). */
  private rescale(places: number): void {
    this.big = (this.big + BigInt(this.scaled)) * pow10(places - this.places);
    this.scaled = 0;
    this.places = places;
  }

  get value(): Rational {
    const scale = pow10(this.places);
    return { n: this.big + BigInt(this.scaled) + BigInt(this.small) * scale, d: scale };
  }
}
