/**
 * fast-check generators of whole plans: random organisation trees, history (with all-zero
 * sibling groups), weights, locks, units, tiers and grains.
 */
import fc from "fast-check";
import { dayFromYmd, daysInMonth } from "../../src/engine/dates";
import type { FactRow, Grain, PlanInput, WeightRow, Workdays } from "../../src/engine/types";
import { planInput } from "./build";
import { factRows } from "../../src/engine/facts";

const LEVELS = ["Region", "Team", "Rep"];

export interface TreeShape {
  /** Children counts per level, as nested arrays: [2, [3, 1]] … flattened to a list of leaf paths. */
  paths: string[][];
}

const treeArb = (depth: number): fc.Arbitrary<string[][]> =>
  depth === 0
    ? fc.constant([[]])
    : fc.array(treeArb(depth - 1), { minLength: 1, maxLength: depth === 1 ? 5 : 3 }).map((groups) =>
        groups.flatMap((sub, i) => sub.map((p) => [`M${i}`, ...p])),
      );

export interface PlanCase {
  input: PlanInput;
  note: string;
}

export const unitArb = fc.constantFrom(1, 1, 5, 10, 100, 1000, 0.5, 0.25);

export const grainArb: fc.Arbitrary<Grain> = fc.constantFrom("Year", "Quarter", "Month", "Week", "Day");

export function planCaseArb(opts: { maxLevels?: number; grains?: fc.Arbitrary<Grain> } = {}): fc.Arbitrary<PlanCase> {
  const maxLevels = opts.maxLevels ?? 3;
  return fc
    .integer({ min: 1, max: maxLevels })
    .chain((depth) =>
      fc.record({
        depth: fc.constant(depth),
        paths: treeArb(depth),
        unit: unitArb,
        targetUnits: fc.integer({ min: 0, max: 2_000_000 }),
        offUnit: fc.boolean(),
        oddRemainder: fc.integer({ min: 1, max: 999 }),
        floorPct: fc.option(fc.integer({ min: 50, max: 100 }), { nil: undefined }),
        stretchPct: fc.option(fc.integer({ min: 100, max: 160 }), { nil: undefined }),
        grain: opts.grains ?? grainArb,
        startMonth: fc.integer({ min: 1, max: 12 }),
        startDay: fc.integer({ min: 1, max: 28 }),
        lengthDays: fc.integer({ min: 1, max: 400 }),
        workdays: fc.constantFrom<Workdays>("All", "All", "Mon-Fri", "Mon-Sat"),
        historySeed: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 24, maxLength: 24 }),
        zeroHistoryGroups: fc.boolean(),
        weightLevel: fc.option(fc.integer({ min: 0, max: depth - 1 }), { nil: undefined }),
        weightSeed: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 60, maxLength: 60 }),
        lockPick: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
        lockUnits: fc.integer({ min: 0, max: 50 }),
      }),
    )
    .map((r) => {
      const levels = LEVELS.slice(LEVELS.length - r.depth);
      const leaves = r.paths;
      // History: two years of months for each leaf, some groups entirely zero (→ equal split).
      const history: FactRow[] = [];
      leaves.forEach((path, li) => {
        const dims: Record<string, string> = {};
        levels.forEach((l, k) => (dims[l] = path.slice(0, k + 1).join(".")));
        const zero = r.zeroHistoryGroups && path[0] === "M0";
        for (let y = 2025; y <= 2026; y++) {
          for (let m = 1; m <= 12; m++) {
            const start = dayFromYmd(y, m, 1);
            const amount = zero ? 0 : (r.historySeed[(li * 7 + m + y) % 24] * (m === 5 ? 3 : 1) * (li + 1)) % 9973;
            history.push({ dims, start, end: start + daysInMonth(y, m) - 1, measures: { Amount: amount } });
          }
        }
      });
      // Members are named by their full path so names are unique per level.
      const weights: WeightRow[] = [];
      if (r.weightLevel !== undefined) {
        const level = levels[r.weightLevel];
        const members = [...new Set(leaves.map((p) => p.slice(0, r.weightLevel! + 1).join(".")))];
        members.forEach((m, i) =>
          weights.push({ level, member: m, weight: r.weightSeed[i % 60], refs: { member: `Weights!B${i + 2}`, weight: `Weights!C${i + 2}` } }),
        );
      }
      const targetRaw = r.targetUnits * r.unit + (r.offUnit ? (r.oddRemainder % 100) * (r.unit >= 10 ? 1 : 0) : 0);
      const target = targetRaw;
      if (r.lockPick !== undefined && leaves.length > 1) {
        const leaf = leaves[r.lockPick % leaves.length];
        const level = levels[levels.length - 1];
        const member = leaf.join(".");
        const existing = weights.find((w) => w.level === level && w.member === member);
        const lock = r.lockUnits * r.unit;
        if (existing) existing.lock = lock;
        else weights.push({ level, member, lock, refs: { member: "Weights!B99", lock: "Weights!D99" } });
      }
      const start = dayFromYmd(2027, r.startMonth, r.startDay);
      const maxLen = r.grain === "Day" ? 60 : r.grain === "Week" ? 200 : 400;
      const end = start + Math.min(r.lengthDays, maxLen) - 1;
      const tiers = {
        target,
        floor: r.floorPct === undefined ? undefined : Math.floor((target * r.floorPct) / 100),
        stretch: r.stretchPct === undefined ? undefined : Math.ceil((target * r.stretchPct) / 100),
      };
      const input = planInput({
        start,
        end,
        levels,
        levelLabels: levels,
        unit: r.unit,
        tiers,
        grain: r.grain,
        workdays: r.workdays,
        history,
        weights,
      });
      return { input, note: `${leaves.length} leaves, ${r.grain}, unit ${r.unit}, target ${target}` };
    });
}

// ── plans over every magnitude, for the exact-arithmetic properties ───────────────────────

/** Units of every kind: whole, odd, large, cents, nickels, halves of five. */
export const exactUnitArb = fc.constantFrom(1, 7, 100, 1000, 0.01, 0.05, 2.5);

/** A whole number of Units from 1 to 10^15: a mantissa at a random power of ten, so every magnitude is drawn as often. */
export const magnitudeArb: fc.Arbitrary<bigint> = fc
  .record({ exponent: fc.integer({ min: 0, max: 15 }), mantissa: fc.integer({ min: 1, max: 9999 }) })
  .map(({ exponent, mantissa }) => {
    const units = (BigInt(mantissa) * 10n ** BigInt(exponent)) / 1000n;
    const capped = units > 10n ** 15n ? 10n ** 15n : units;
    return capped < 1n ? 1n : capped;
  });

/** units × unit + extra quanta (10^-places) as the double that shows that decimal. */
function decimalNumber(units: bigint, unit: number, extra: bigint, places: number): number {
  const [whole, fraction = ""] = String(unit).split(".");
  const unitPlaces = fraction.length;
  const p = Math.max(places, unitPlaces);
  const unitQ = BigInt(whole + fraction) * 10n ** BigInt(p - unitPlaces);
  const q = units * unitQ + extra * 10n ** BigInt(p - places);
  const digits = q.toString().padStart(p + 1, "0");
  return Number(p ? `${digits.slice(0, digits.length - p)}.${digits.slice(digits.length - p)}` : digits);
}

export interface ExactCase {
  input: PlanInput;
  note: string;
}

export function exactCaseArb(opts: { grains?: fc.Arbitrary<Grain | "Stage"> } = {}): fc.Arbitrary<ExactCase> {
  return fc
    .record({
      base: planCaseArb({ grains: fc.constantFrom("Month", "Week") }),
      grain: opts.grains ?? fc.constantFrom<Grain | "Stage">("Month", "Week", "Stage"),
      unit: exactUnitArb,
      targetUnits: magnitudeArb,
      /** What the total adds beyond whole Units: nothing, or a remainder written with 0–2 more decimals than Unit. */
      off: fc.option(fc.record({ places: fc.integer({ min: 0, max: 2 }), fraction: fc.double({ min: 0.001, max: 0.999, noNaN: true }) }), { nil: undefined }),
      floorPct: fc.option(fc.integer({ min: 50, max: 100 }), { nil: undefined }),
      stretchPct: fc.option(fc.integer({ min: 100, max: 160 }), { nil: undefined }),
      lock: fc.option(fc.record({ leaf: fc.nat(), permille: fc.integer({ min: 0, max: 300 }) }), { nil: undefined }),
      stageCount: fc.integer({ min: 1, max: 6 }),
      stageWeights: fc.option(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 6, maxLength: 6 }), { nil: undefined }),
    })
    .map((r) => {
      const input = structuredClone(r.base.input);
      const unit = r.unit;
      const unitPlaces = (String(unit).split(".")[1] ?? "").length;
      // The remainder: a whole number of quanta at the unit's places plus `places` more, below one Unit.
      let extra = 0n;
      let places = unitPlaces;
      if (r.off) {
        places = unitPlaces + r.off.places;
        const unitQ = BigInt(Math.round(unit * 10 ** places));
        extra = BigInt(Math.floor(r.off.fraction * Number(unitQ)));
        if (extra >= unitQ) extra = unitQ - 1n;
      }
      const target = decimalNumber(r.targetUnits, unit, extra, places);
      // Floor and Stretch: the Target's percentage, in whole Units (plus the same remainder).
      const scaled = (pct: number) => decimalNumber((r.targetUnits * BigInt(pct)) / 100n, unit, extra, places);
      const floor = r.floorPct === undefined ? undefined : scaled(r.floorPct);
      const stretch = r.stretchPct === undefined ? undefined : Math.max(target, scaled(r.stretchPct));
      input.unit = unit;
      input.tiers = { target, floor: floor === undefined ? undefined : Math.min(floor, target), stretch };
      // One lock, a share of the plan in whole Units (dropped from the base case's weights).
      input.weights = input.weights.filter((w) => w.weight !== undefined).map((w) => ({ ...w, lock: undefined }));
      const leafLevel = input.levels[input.levels.length - 1];
      const leafMembers = [...new Set(factRows(input.history).map((h) => h.dims[leafLevel]))];
      if (r.lock && leafMembers.length > 1) {
        const member = leafMembers[r.lock.leaf % leafMembers.length];
        const lock = decimalNumber((r.targetUnits * BigInt(r.lock.permille)) / 1000n / BigInt(input.levels.length), unit, 0n, unitPlaces);
        const existing = input.weights.find((w) => w.level === leafLevel && w.member === member);
        if (existing) existing.lock = lock;
        else input.weights.push({ level: leafLevel, member, lock, refs: { member: "Weights!B99", lock: "Weights!D99" } });
      }
      input.grain = r.grain;
      if (r.grain === "Stage") {
        const length = input.end - input.start + 1;
        const n = Math.min(r.stageCount, length);
        input.stages = Array.from({ length: n }, (_, i) => ({
          name: `S${i + 1}`,
          start: input.start + Math.floor((i * length) / n),
          end: input.start + Math.floor(((i + 1) * length) / n) - 1,
          weight: r.stageWeights ? r.stageWeights[i] / 4 : undefined,
          ref: `Stages!A${i + 2}`,
        }));
      }
      return {
        input,
        note: `${r.base.note}; ${r.grain}, unit ${unit}, target ${target}, floor ${input.tiers.floor}, stretch ${stretch}, lock ${JSON.stringify(input.weights.filter((w) => w.lock !== undefined).map((w) => w.lock))}`,
      };
    });
}
