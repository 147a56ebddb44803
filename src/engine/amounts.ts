/**
 * Amounts exactly: whole numbers of a quantum (10^-decimals), and the doubles the rest of the
 * pipeline reads, each built from the exact digits — never by float arithmetic on amounts.
 */
import { decimalParts, decimalText, pow10 } from "./rational";
import type { ExactAmounts, PlanResult, Tier } from "./types";

/** The most Units a plan total may hold: whole Units up to 10^15 are exact as doubles, with room for sums. */
export const MAX_UNITS = 10n ** 15n;

/** x as a whole number of 10^-decimals quanta; throws when x has more decimal places. */
export function quantaOf(x: number, decimals: number): bigint {
  const { digits, exponent } = decimalParts(x);
  const shift = exponent + decimals;
  if (shift < 0) throw new RangeError(`${x} has more than ${decimals} decimal places`);
  return digits * pow10(shift);
}

/** The double nearest to quanta × 10^-decimals. */
export function numberOfQuanta(quanta: bigint, decimals: number): number {
  if (decimals === 0) return Number(quanta);
  // A safe integer and an exact power of ten: IEEE division rounds the exact quotient once.
  if (decimals <= 22 && quanta <= 9007199254740991n && quanta >= -9007199254740991n) return Number(quanta) / 10 ** decimals;
  return Number(`${quanta}e-${decimals}`);
}

/**
 * Converts whole Units to amounts, fast: `units × unitQuanta` is formed exactly in a double while
 * it stays a safe integer, and then divided once by the exact power of ten, which is the double
 * nearest to the decimal; larger products go through bigints.
 */
export class UnitScale {
  readonly unitQuanta: bigint;
  readonly decimals: number;
  private readonly unitDouble: number;
  private readonly divisor: number;
  private readonly fast: boolean;

  constructor(unitQuanta: bigint, decimals: number) {
    this.unitQuanta = unitQuanta;
    this.decimals = decimals;
    this.unitDouble = Number(unitQuanta);
    this.divisor = 10 ** decimals;
    this.fast = decimals <= 22 && unitQuanta <= 9007199254740991n;
  }

  /** The amount of `units` whole Units plus `extra` quanta. */
  amount(units: number, extra = 0n): number {
    if (extra === 0n && this.fast) {
      const q = units * this.unitDouble;
      if (q <= 9007199254740991 && q >= -9007199254740991) return this.decimals === 0 ? q : q / this.divisor;
    }
    return numberOfQuanta(BigInt(units) * this.unitQuanta + extra, this.decimals);
  }

  /**
   * out[i] = the amount of units[i] whole Units, for a whole array. At no decimals the product
   * units × U of two exact doubles is rounded once by IEEE multiplication, which is the double
   * nearest to the exact amount whatever its size.
   */
  amounts(units: ArrayLike<number>, out: Float64Array): Float64Array {
    const n = units.length;
    if (this.fast && this.decimals === 0) {
      const u = this.unitDouble;
      for (let i = 0; i < n; i++) out[i] = units[i] * u;
      return out;
    }
    for (let i = 0; i < n; i++) out[i] = this.amount(units[i]);
    return out;
  }

  quanta(units: number, extra = 0n): bigint {
    return BigInt(units) * this.unitQuanta + extra;
  }
}

export type AmountPlace = "node" | "cell" | "period";

function onPath(exact: ExactAmounts, tier: Tier, where: AmountPlace, index: number): boolean {
  const t = exact.tiers[tier];
  if (!t || t.remainder === 0n) return false;
  if (where === "cell") return t.path.cell === index;
  if (where === "period") return t.path.period === index;
  return t.path.nodes.includes(index);
}

/**
 * An amount of the plan in quanta of 10^-decimals (decimals = result.exact.decimals): a node's
 * (index into nodes), a cell's (leaf-major index into cells) or a period's.
 */
export function amountQuanta(result: PlanResult, tier: Tier, where: AmountPlace, index: number): bigint {
  const exact = result.exact;
  if (!exact) throw new RangeError("this plan has no exact amounts");
  const units = where === "node" ? exact.nodeUnits[tier] : where === "cell" ? exact.cellUnits[tier] : exact.periodUnits[tier];
  if (!units) throw new RangeError(`the plan has no ${tier} tier`);
  const extra = onPath(exact, tier, where, index) ? (exact.tiers[tier]?.remainder ?? 0n) : 0n;
  return BigInt(units[index]) * exact.unitQuanta + extra;
}

/**
 * An amount of the plan as exact decimal text ("796604751817", "1234.50"). A result built by
 * hand, without exact amounts, gives the decimal its double is written as.
 */
export function amountDecimal(result: PlanResult, tier: Tier, where: AmountPlace, index: number): string {
  if (!result.exact) {
    const value =
      where === "node" ? result.nodes[index].amount[tier] : where === "cell" ? result.cells[tier][index] : result.periods[index].amount[tier];
    return numberText(value);
  }
  return decimalText(amountQuanta(result, tier, where, index), result.exact.decimals);
}

/** A finite number as plain decimal text, the decimal it is written as (1e21 → "1000000000000000000000"). */
export function numberText(x: number): string {
  const { digits, exponent } = decimalParts(x);
  return exponent >= 0 ? (digits * pow10(exponent)).toString() : decimalText(digits, -exponent);
}
