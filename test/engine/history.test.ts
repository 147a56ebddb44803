/**
 * The pass over History (src/engine/history.ts) against a plain reference: the member paths in
 * order of first appearance, each complete path's sum (as doubles in History's order, and
 * exactly), the plan's total and the twelve months — for rows in any order, names shared by
 * members of different parents, blank levels, decimals, sums past 2^53 and a history window.
 * History goes in as records and as the fact table the contract reads (facts.ts): the same scan.
 */
import fc from "fast-check";
import { computePlan, dayFromYmd, daysInMonth, PlanProblemsError, ymdOf, type FactRow, type PlanInput } from "../../src/engine";
import { scanHistory, windowStart } from "../../src/engine/history";
import { add, fromNumber, type Rational } from "../../src/engine/rational";
import { planInput } from "./build";
import { factRows } from "../../src/engine/facts";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const LEVELS = ["Region", "Team", "Rep"];

const same = (a: Rational, b: Rational): boolean => a.n * b.d === b.n * a.d;

interface Reference {
  paths: string[][];
  sums: number[];
  exact: Rational[];
  total: number;
  months: { approx: number[]; seen: number[]; exact: Rational[] };
}

/** What the pass must find, the slow way: a Map from each path's text to its sums. */
function reference(input: PlanInput): Reference {
  const from = windowStart(input);
  const ids = new Map<string, number>();
  const out: Reference = { paths: [], sums: [], exact: [], total: 0, months: { approx: new Array(12).fill(0), seen: new Array(12).fill(0), exact: Array.from({ length: 12 }, () => ({ n: 0n, d: 1n })) } };
  for (const row of factRows(input.history)) {
    if (from !== undefined && !(row.start >= from && row.start < input.start)) continue;
    const m = ymdOf(row.start).m - 1;
    const v = row.measures[input.metric];
    out.months.seen[m] = 1;
    if (v) {
      out.months.approx[m] += v;
      out.months.exact[m] = add(out.months.exact[m], fromNumber(v));
    }
    const path: string[] = [];
    for (const level of input.levels) {
      const member = row.dims[level];
      if (member === undefined || member === "") break;
      path.push(member);
    }
    if (!path.length) continue;
    const key = JSON.stringify(path);
    let id = ids.get(key);
    if (id === undefined) {
      id = out.paths.length;
      ids.set(key, id);
      out.paths.push(path);
      out.sums.push(0);
      out.exact.push({ n: 0n, d: 1n });
    }
    if (path.length === input.levels.length && v) {
      out.sums[id] += v;
      out.exact[id] = add(out.exact[id], fromNumber(v));
      out.total += v;
    }
  }
  return out;
}

const name = fc.constantFrom("A", "B", "C", "王伟", "");
const amount = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }),
  fc.integer({ min: 0, max: 10_000_000 }).map((c) => c / 100),
  fc.constantFrom(0.1, 0.2, 2 ** 53 - 1, 1e16, 0),
);
const rowArb = fc.record({ region: name, team: name, rep: name, year: fc.integer({ min: 2023, max: 2026 }), month: fc.integer({ min: 1, max: 12 }), amount, hasAmount: fc.boolean() });

const historyArb = fc.array(rowArb, { minLength: 0, maxLength: 120 }).map((rows) =>
  rows.map((r): FactRow => {
    const dims: Record<string, string> = {};
    if (r.region) dims.Region = r.region;
    if (r.team) dims.Team = r.team;
    if (r.rep) dims.Rep = r.rep;
    const start = dayFromYmd(r.year, r.month, 1);
    return { dims, start, end: start + daysInMonth(r.year, r.month) - 1, measures: r.hasAmount ? { Amount: r.amount } : {} };
  }),
);

describe("the pass over History", () => {
  it("finds the paths in order of first appearance and sums each exactly, in any order of the rows", () => {
    fc.assert(
      fc.property(historyArb, fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), fc.integer({ min: 1, max: 3 }), (history, historyYears, depth) => {
        const input = planInput({ history, historyYears, levels: LEVELS.slice(0, depth), levelLabels: LEVELS.slice(0, depth) });
        const scan = scanHistory(input);
        const want = reference(input);
        expect(scan.paths).toEqual(want.paths);
        expect(Array.from(scan.sums)).toEqual(want.sums);
        scan.exact.forEach((x, id) => expect(same(x, want.exact[id])).toBe(true));
        expect(scan.total).toBe(want.total);
        expect(Array.from(scan.months.approx)).toEqual(want.months.approx);
        expect(Array.from(scan.months.seen)).toEqual(want.months.seen);
        scan.months.exact.forEach((x, m) => expect(same(x, want.months.exact[m])).toBe(true));
      }),
      { numRuns: RUNS },
    );
  });

  it("adds 0.1 and 0.2 to exactly 3/10, and 2^53 − 1 and 2 past the doubles", () => {
    const rows = [0.1, 0.2].map((v) => ({ dims: { Rep: "Li" }, start: dayFromYmd(2026, 1, 1), end: dayFromYmd(2026, 1, 31), measures: { Amount: v } }));
    const decimals = scanHistory(planInput({ history: rows }));
    expect(same(decimals.exact[0], { n: 3n, d: 10n })).toBe(true);
    expect(decimals.exactAsDoubles).toBe(false);
    const big = scanHistory(planInput({ history: [2 ** 53 - 1, 2].map((v) => ({ ...rows[0], measures: { Amount: v } })) }));
    expect(big.exact[0]).toEqual({ n: 2n ** 53n + 1n, d: 1n });
    expect(big.exactAsDoubles).toBe(false);
  });

  it("gives every member the same exact value whichever order History lists its rows in", () => {
    fc.assert(
      fc.property(historyArb, fc.integer(), (history, salt) => {
        const input = planInput({ history, levels: LEVELS, levelLabels: LEVELS, tiers: { target: 1_000_000 } });
        let seed = salt >>> 0;
        const shuffled = [...history];
        for (let i = shuffled.length - 1; i > 0; i--) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          const j = seed % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const exactByPath = (plan: PlanInput): Map<string, number> | string => {
          try {
            const r = computePlan(plan);
            return new Map(r.nodes.map((n) => [JSON.stringify(n.path), n.exact.target]));
          } catch (e) {
            if (e instanceof PlanProblemsError) return e.problems.map((p) => p.code).sort().join();
            throw e;
          }
        };
        expect(exactByPath({ ...input, history: shuffled })).toEqual(exactByPath(input));
      }),
      { numRuns: RUNS },
    );
  });
});
