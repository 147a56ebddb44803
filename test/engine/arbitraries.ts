/**
 * fast-check generators of whole plans: random organisation trees, history (with all-zero
 * sibling groups), weights, locks, units, tiers and grains.
 */
import fc from "fast-check";
import { dayFromYmd, daysInMonth } from "../../src/engine/dates";
import type { FactRow, Grain, PlanInput, WeightRow, Workdays } from "../../src/engine/types";
import { planInput } from "./build";

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
