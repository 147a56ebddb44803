/**
 * The balanced plan (docs/planning-depth.md, "Engine"): Seasonality Own, members' Start / End /
 * Ramp, and Holds — every invariant as a fast-check property, and the bad inputs at their cells.
 */
import fc from "fast-check";
import { amountQuanta } from "../../src/engine/amounts";
import { checkTotals } from "../../src/engine/check";
import { dayFromYmd } from "../../src/engine/dates";
import { computePlan } from "../../src/engine/plan";
import { PlanProblemsError, type Problem } from "../../src/engine/problems";
import type { FactRow, Grain, HoldRow, PlanInput, PlanResult, Tier, WeightRow } from "../../src/engine/types";
import { makeCalendar, periodSlots } from "../../src/engine/calendar";
import { patterns } from "../../src/engine/depth";
import { scanHistory } from "../../src/engine/history";
import { monthFact, planInput } from "./build";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

/** Every rounded cell within one Unit of its balanced value (the remainder's cell: of balanced − remainder). */
function expectWithinBalanced(r: PlanResult): void {
  const b = r.balance;
  expect(b).toBeDefined();
  const x = r.exact!;
  for (const t of r.tiers) {
    // A re-proportioned Floor or Stretch is within one Unit of Target's rounded amounts × its ratio instead.
    if (t !== "target" && r.rounding.reproportioned > 0) continue;
    const units = x.cellUnits[t]!;
    const bal = b!.cells[t]!;
    const path = x.tiers[t]!;
    const rem = Number(path.remainder) / Number(x.unitQuanta);
    for (let k = 0; k < units.length; k++) {
      const v = bal[k] - (path.remainder > 0n && k === path.path.cell ? rem : 0);
      expect(units[k]).toBeGreaterThanOrEqual(Math.floor(Math.max(0, v)));
      expect(units[k]).toBeLessThanOrEqual(Math.ceil(Math.max(0, v)));
    }
  }
}

function expectTiersInOrder(r: PlanResult): void {
  if (!(r.tiers.includes("floor") && r.tiers.includes("stretch"))) return;
  const n = r.cells.target.length;
  for (let k = 0; k < n; k++) {
    const f = amountQuanta(r, "floor", "cell", k);
    const t = amountQuanta(r, "target", "cell", k);
    const s = amountQuanta(r, "stretch", "cell", k);
    expect(f <= t && t <= s).toBe(true);
  }
}

function problemsOf(input: PlanInput): Problem[] {
  try {
    computePlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) return e.problems;
    throw e;
  }
  return [];
}

interface OwnCase {
  regions: number[][]; // per region, per rep: a pattern index
  patterns: number[][]; // 12 monthly amounts each
  scales: number[];
  short: boolean[];
  unit: number;
  target: number;
  floorPct: number;
  stretchPct: number;
  grain: Grain;
}

const ownArb: fc.Arbitrary<OwnCase> = fc.record({
  regions: fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  patterns: fc.array(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 12, maxLength: 12 }), { minLength: 3, maxLength: 3 }),
  scales: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 12, maxLength: 12 }),
  short: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  unit: fc.constantFrom(1, 10, 100, 1000),
  target: fc.integer({ min: 0, max: 50_000_000 }),
  floorPct: fc.integer({ min: 50, max: 100 }),
  stretchPct: fc.integer({ min: 100, max: 150 }),
  grain: fc.constantFrom<Grain>("Month", "Quarter", "Week"),
});

function ownInput(c: OwnCase, seasonality: "Own" | "Shared" = "Own"): PlanInput {
  const history: FactRow[] = [];
  let rep = 0;
  c.regions.forEach((reps, ri) =>
    reps.forEach((p) => {
      const s = c.scales[rep % 12];
      const short = c.short[rep % 12];
      for (let m = short ? 7 : 1; m <= 12; m++) history.push(monthFact(2026, m, { Region: `R${ri}`, Rep: `P${rep}` }, (c.patterns[p][m - 1] + 1) * s));
      rep++;
    }),
  );
  return planInput({
    levels: ["Region", "Rep"],
    levelLabels: ["Region", "Rep"],
    history,
    seasonality,
    grain: c.grain,
    unit: c.unit,
    tiers: { floor: Math.floor((c.target * c.floorPct) / 100), target: c.target, stretch: Math.floor((c.target * c.stretchPct) / 100) },
  });
}

describe("Seasonality Own: each leaf's own pattern, balanced to the plan's periods", () => {
  it("rows and columns reconcile exactly, each cell within one Unit of its balanced value, tiers in order", () => {
    fc.assert(
      fc.property(ownArb, (c) => {
        const r = computePlan(ownInput(c));
        expect(checkTotals(r)).toEqual({ ok: true, mismatches: [] });
        expect(r.rounding.fallbacks).toBe(0);
        // A block RAS stops at the iteration cap is still reconciled exactly by the rounding.
        if (r.balance && r.balance.capped === 0) expectWithinBalanced(r);
        expectTiersInOrder(r);
      }),
      { numRuns: RUNS },
    );
  });

  it("equals Shared, cell for cell, when every leaf has the plan's pattern", () => {
    fc.assert(
      fc.property(ownArb, fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 12, maxLength: 12 }), (c, ks) => {
        // Every rep's History is a multiple of one pattern, so every pattern is the plan's.
        const same: OwnCase = { ...c, patterns: [c.patterns[0], c.patterns[0], c.patterns[0]], short: c.short.map(() => false), scales: ks };
        const own = computePlan(ownInput(same, "Own"));
        const shared = computePlan(ownInput(same, "Shared"));
        for (const t of own.tiers) expect(Array.from(own.cells[t])).toEqual(Array.from(shared.cells[t]));
      }),
      { numRuns: RUNS },
    );
  });

  it("follows each leaf's own season: a store that peaks in August gets its August", () => {
    const history: FactRow[] = [];
    for (let m = 1; m <= 12; m++) {
      history.push(monthFact(2026, m, { Rep: "Beach" }, m === 8 ? 1200 : 100));
      history.push(monthFact(2026, m, { Rep: "Office" }, m === 3 ? 1200 : 100));
    }
    const r = computePlan(planInput({ history, seasonality: "Own", tiers: { target: 4_600 }, unit: 1 }));
    expect(checkTotals(r).ok).toBe(true);
    const beach = Array.from(r.cells.target.slice(0, 12));
    const office = Array.from(r.cells.target.slice(12, 24));
    expect(beach.indexOf(Math.max(...beach))).toBe(7);
    expect(office.indexOf(Math.max(...office))).toBe(2);
    // Columns are the plan's (shared) period totals: March and August carry the same.
    expect(r.periods[2].amount.target).toBe(r.periods[7].amount.target);
    expectWithinBalanced(r);
  });

  it("a leaf with less than a year of History takes its parent's pattern", () => {
    const history: FactRow[] = [];
    for (let m = 1; m <= 12; m++) {
      history.push(monthFact(2026, m, { Region: "E", Rep: "Old" }, m === 8 ? 1100 : 100));
      if (m >= 10) history.push(monthFact(2026, m, { Region: "E", Rep: "New" }, 500));
      history.push(monthFact(2026, m, { Region: "W", Rep: "Other" }, m === 3 ? 1100 : 100));
    }
    const input = planInput({ levels: ["Region", "Rep"], levelLabels: ["Region", "Rep"], history, seasonality: "Own", tiers: { target: 1_000_000 } });
    const r = computePlan(input);
    expect(checkTotals(r).ok).toBe(true);
    const cal = makeCalendar(input.workdays, input.holidays);
    const slots = periodSlots(input, cal);
    const { seeds, same } = patterns(input, r.nodes, slots, cal, scanHistory(input));
    expect(same).toBe(false);
    const P = slots.length;
    const rowOf = (member: string): number[] => {
      const v = r.nodes.findIndex((n) => n.member === member);
      return Array.from(seeds.slice(v * P, v * P + P));
    };
    // "New" (Oct–Dec only) has East's pattern; East (a full year) its own; Old its own.
    expect(rowOf("New")).toEqual(rowOf("E"));
    expect(rowOf("E")).not.toEqual(rowOf("W"));
    expect(rowOf("Old").indexOf(Math.max(...rowOf("Old")))).toBe(7);
  });

  it("stays exact at 796,604,751,817 with Unit 1,000", () => {
    const c: OwnCase = { regions: [[0, 1], [2]], patterns: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [5, 5, 5, 5, 50, 5, 5, 5, 5, 5, 5, 5]], scales: Array(12).fill(3), short: Array(12).fill(false), unit: 1000, target: 796_604_751_817, floorPct: 80, stretchPct: 120, grain: "Week" };
    const input = ownInput(c);
    input.tiers = { target: 796_604_751_817 };
    const r = computePlan(input);
    expect(checkTotals(r).ok).toBe(true);
    expect(r.exact!.tiers.target!.remainder).toBe(817n);
    let sum = 0n;
    for (let k = 0; k < r.cells.target.length; k++) sum += amountQuanta(r, "target", "cell", k);
    expect(sum).toBe(796_604_751_817n);
    expectWithinBalanced(r);
  });
});

function weightRow(member: string, over: Partial<WeightRow>, level = "Rep"): WeightRow {
  return { level, member, refs: { member: `Weights!A${member.length}`, start: "Weights!E2", end: "Weights!F2", ramp: "Weights!G2" }, ...over };
}

interface MemberCase {
  reps: number;
  dated: { rep: number; start?: number; end?: number; ramp?: number[]; weight?: number; noHistory: boolean }[];
  unit: number;
  target: number;
  grain: Grain;
  own: boolean;
}

const memberArb: fc.Arbitrary<MemberCase> = fc.record({
  reps: fc.integer({ min: 2, max: 6 }),
  dated: fc.array(
    fc.record({
      rep: fc.integer({ min: 0, max: 5 }),
      start: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
      end: fc.option(fc.integer({ min: 0, max: 364 }), { nil: undefined }),
      ramp: fc.option(fc.array(fc.constantFrom(0.25, 0.5, 0.75, 0.1), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      weight: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
      noHistory: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  unit: fc.constantFrom(1, 10, 100),
  target: fc.integer({ min: 1_000, max: 10_000_000 }),
  grain: fc.constantFrom<Grain>("Month", "Week"),
  own: fc.boolean(),
});

function memberInput(c: MemberCase): { input: PlanInput; dates: Map<string, { start?: number; end?: number }> } {
  const jan1 = dayFromYmd(2027, 1, 1);
  const history: FactRow[] = [];
  const weights: WeightRow[] = [];
  const dates = new Map<string, { start?: number; end?: number }>();
  const seen = new Set<number>();
  // Rep 0 stays undated, with History: someone carries every period.
  const datedRows = c.dated.filter((d) => d.rep > 0 && d.rep < c.reps && !seen.has(d.rep) && (seen.add(d.rep), true));
  for (let i = 0; i < c.reps; i++) {
    const d = datedRows.find((x) => x.rep === i);
    if (d?.noHistory) continue;
    for (let m = 1; m <= 12; m++) history.push(monthFact(2026, m, { Team: "T", Rep: `P${i}` }, 100 + ((i * 37 + m * 11) % 90)));
  }
  for (const d of datedRows) {
    if (d.start === undefined && d.end === undefined && !d.ramp) continue;
    let start = d.start === undefined ? undefined : jan1 + d.start;
    let end = d.end === undefined ? undefined : jan1 + d.end;
    if (start !== undefined && end !== undefined && end < start) [start, end] = [end, start];
    weights.push(weightRow(`P${d.rep}`, { parents: { Team: "T" }, start, end, ramp: d.ramp, weight: d.noHistory ? d.weight : undefined }));
    dates.set(`P${d.rep}`, { start, end });
  }
  // Every member needs to be active somewhere: keep one undated rep.
  const input = planInput({ levels: ["Team", "Rep"], levelLabels: ["Team", "Rep"], history, weights, methods: { Team: "History", Rep: "History" }, unit: c.unit, grain: c.grain, seasonality: c.own ? "Own" : "Shared", tiers: { floor: Math.floor(c.target * 0.8), target: c.target, stretch: Math.floor(c.target * 1.2) } });
  return { input, dates };
}

describe("Members who join and leave, with ramp", () => {
  it("no target outside a member's dates; rows, columns and tiers reconcile exactly; the parent's amount stays", () => {
    fc.assert(
      fc.property(memberArb, (c) => {
        const { input, dates } = memberInput(c);
        if (dates.size >= c.reps) return; // someone must be undated
        const r = computePlan(input);
        expect(checkTotals(r)).toEqual({ ok: true, mismatches: [] });
        // A member whose day-prorated amount does not fit its active periods' share of the season (a
        // short stay in a low season, in a small team) stops RAS at the cap; the rounding still reconciles.
        if (!r.balance?.capped) expect(r.rounding.fallbacks).toBe(0);
        if (dates.size) expect(r.balance).toBeDefined();
        if (r.balance && r.balance.capped === 0) expectWithinBalanced(r);
        expectTiersInOrder(r);
        const P = r.periods.length;
        r.leaves.forEach((v, i) => {
          const d = dates.get(r.nodes[v].member);
          if (!d) return;
          r.periods.forEach((p, j) => {
            const outside = (d.start !== undefined && p.end < d.start) || (d.end !== undefined && p.start > d.end);
            if (outside) for (const t of r.tiers) expect(amountQuanta(r, t, "cell", i * P + j)).toBe(0n);
          });
        });
        // The team keeps the plan's total: what a leaver does not carry goes to the others.
        expect(r.nodes[1].amount.target).toBe(c.target);
      }),
      { numRuns: RUNS },
    );
  });

  it("prorates by active working days × ramp, and a new member without History takes the median of its siblings' bases", () => {
    const history: FactRow[] = [];
    for (let m = 1; m <= 12; m++) {
      history.push(monthFact(2026, m, { Rep: "A" }, 100));
      history.push(monthFact(2026, m, { Rep: "B" }, 200));
      history.push(monthFact(2026, m, { Rep: "C" }, 600));
    }
    // D joins on 1 July with no History: basis = median(1200, 2400, 7200) = 2400, × 184/365 active.
    const weights = [weightRow("D", { start: dayFromYmd(2027, 7, 1) })];
    const r = computePlan(planInput({ history, weights, tiers: { target: 1_000_000 } }));
    const d = r.nodes.find((n) => n.member === "D")!;
    expect(d.basisKind).toBe("History");
    expect(d.basis).toBeCloseTo((2400 * 184) / 365, 9);
    const leafD = r.leaves.indexOf(r.nodes.indexOf(d));
    for (let j = 0; j < 6; j++) expect(r.cells.target[leafD * 12 + j]).toBe(0);
    expect(checkTotals(r).ok).toBe(true);
    // A ramp of 50% in the first month halves July's share.
    const ramped = computePlan(planInput({ history, weights: [weightRow("D", { start: dayFromYmd(2027, 7, 1), ramp: [0.5] })], tiers: { target: 1_000_000 } }));
    const rd = ramped.nodes.find((n) => n.member === "D")!;
    expect(rd.basis).toBeCloseTo((2400 * (184 - 15.5)) / 365, 9);
    // A new member's Weight is its basis when given.
    const weighted = computePlan(planInput({ history, weights: [weightRow("D", { start: dayFromYmd(2027, 1, 1), weight: 1000 })], tiers: { target: 1_000_000 } }));
    expect(weighted.nodes.find((n) => n.member === "D")!.basis).toBe(1000);
  });

  it("a team whose only members are outside the plan's working days is a problem at the member's cell", () => {
    const history = [monthFact(2026, 1, { Rep: "A" }, 100)];
    const weights = [weightRow("A", { start: dayFromYmd(2027, 1, 2), end: dayFromYmd(2027, 1, 3), refs: { member: "Weights!A2", start: "Weights!E2" } })];
    const problems = problemsOf(planInput({ history, weights, workdays: "Mon-Fri" }));
    expect(problems).toEqual([expect.objectContaining({ ref: "Weights!E2", code: "noActiveMembers" })]);
  });
});

function hold(path: Record<string, string>, amount: number, period?: string, tier: Tier = "target", row = 2): HoldRow {
  return { path, period, tier, amount, ref: `Holds!A${row}`, refs: { amount: `Holds!E${row}`, period: period ? `Holds!C${row}` : undefined, member: `Holds!B${row}` } };
}

function holdsBase(over: Partial<PlanInput> = {}): PlanInput {
  const history: FactRow[] = [];
  const reps = [["East", "Li"], ["East", "Wang"], ["West", "Zhao"], ["West", "Chen"]];
  reps.forEach(([region, rep], i) => {
    for (let m = 1; m <= 12; m++) history.push(monthFact(2026, m, { Region: region, Rep: rep }, 100 + ((i * 53 + m * 29) % 200)));
  });
  return planInput({ levels: ["Region", "Rep"], levelLabels: ["Region", "Rep"], history, unit: 100, tiers: { floor: 8_000_000, target: 10_000_050, stretch: 12_000_000 }, ...over });
}

describe("Holds anywhere, breakback exact", () => {
  const heldArb = fc.record({
    cells: fc.array(fc.record({ rep: fc.integer({ min: 0, max: 3 }), month: fc.integer({ min: 1, max: 12 }), pct: fc.integer({ min: 0, max: 150 }) }), { maxLength: 4 }),
    region: fc.option(fc.record({ east: fc.boolean(), quarter: fc.integer({ min: 1, max: 4 }), pct: fc.integer({ min: 50, max: 120 }) }), { nil: undefined }),
    plan: fc.option(fc.record({ month: fc.integer({ min: 1, max: 12 }), pct: fc.integer({ min: 50, max: 150 }) }), { nil: undefined }),
    total: fc.option(fc.record({ rep: fc.integer({ min: 0, max: 3 }), pct: fc.integer({ min: 50, max: 150 }) }), { nil: undefined }),
    own: fc.boolean(),
    // Wang joins in April with a ramp.
    joins: fc.boolean(),
  });

  it("every hold is kept exactly; rows, columns and members reconcile exactly, within one Unit of the balanced values", () => {
    const free = computePlan(holdsBase());
    const reps = [["East", "Li"], ["East", "Wang"], ["West", "Zhao"], ["West", "Chen"]];
    fc.assert(
      fc.property(heldArb, (c) => {
        const holds: HoldRow[] = [];
        const used = new Set<string>();
        const mk = (path: Record<string, string>, v: number, period?: string): void => {
          const key = JSON.stringify([path, period]);
          if (used.has(key)) return;
          used.add(key);
          holds.push(hold(path, Math.round(v / 100) * 100, period, "target", holds.length + 2));
        };
        for (const h of c.cells) mk({ Region: reps[h.rep][0], Rep: reps[h.rep][1] }, (free.cells.target[h.rep * 12 + h.month - 1] * h.pct) / 100, `2027-${String(h.month).padStart(2, "0")}`);
        if (c.total) mk({ Region: reps[c.total.rep][0], Rep: reps[c.total.rep][1] }, (free.nodes[free.leaves[c.total.rep]].amount.target * c.total.pct) / 100);
        // The Month plan has no quarter labels: a region's month instead.
        if (c.region) mk({ Region: c.region.east ? "East" : "West" }, (free.nodes[c.region.east ? 1 : 4].amount.target / 12 * c.region.pct) / 100, `2027-${String(c.region.quarter * 3).padStart(2, "0")}`);
        if (c.plan) mk({}, (free.periods[c.plan.month - 1].amount.target * c.plan.pct) / 100, `2027-${String(c.plan.month).padStart(2, "0")}`);
        const weights = c.joins ? [weightRow("Wang", { parents: { Region: "East" }, start: dayFromYmd(2027, 4, 1), ramp: [0.5, 0.75] })] : [];
        const input = holdsBase({ holds, weights, seasonality: c.own ? "Own" : "Shared" });
        const problems = problemsOf(input);
        if (problems.length) {
          // Contradictions are named at a hold's Amount cell.
          for (const p of problems) expect(p.ref).toMatch(/^Holds!E\d+$/);
          return;
        }
        const r = computePlan(input);
        expect(checkTotals(r)).toEqual({ ok: true, mismatches: [] });
        // Holds that leave a level's balancing short of balance stop RAS at its cap; the rounding still keeps every hold exactly.
        if (!r.balance?.capped) {
          expect(r.rounding.fallbacks).toBe(0);
          if (r.balance) expectWithinBalanced(r);
        }
        expectTiersInOrder(r);
        const P = r.periods.length;
        if (c.joins) for (let j = 0; j < 3; j++) expect(r.cells.target[P + j]).toBe(0);
        const nodeOf = (path: Record<string, string>): number => r.nodes.findIndex((n) => JSON.stringify(n.path) === JSON.stringify(path));
        for (const h of holds) {
          const q = BigInt(h.amount);
          if (!h.period) expect(amountQuanta(r, "target", "node", nodeOf(h.path))).toBe(q);
          else {
            const j = r.periods.findIndex((p) => p.label === h.period);
            const v = nodeOf(h.path);
            const leaves = r.leaves.map((leaf, i) => [leaf, i]).filter(([leaf]) => v === 0 || (r.nodes[leaf].path.Region === h.path.Region && (!h.path.Rep || r.nodes[leaf].path.Rep === h.path.Rep)));
            let sum = 0n;
            for (const [, i] of leaves) sum += amountQuanta(r, "target", "cell", i * P + j);
            expect(sum).toBe(q);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("holds Li in June and East in December; everything else moves", () => {
    const input = holdsBase({ holds: [hold({ Region: "East", Rep: "Li" }, 300_000, "2027-06"), hold({ Region: "East" }, 600_000, "2027-12", "target", 3)] });
    const r = computePlan(input);
    expect(checkTotals(r).ok).toBe(true);
    expect(r.cells.target[5]).toBe(300_000);
    expect(r.cells.target[11] + r.cells.target[23]).toBe(600_000);
    expectWithinBalanced(r);
    expect(r.totals.target).toBe(10_000_050);
  });

  it("a hold that is not a multiple of Unit is a problem at its Amount cell, exactly", () => {
    const problems = problemsOf(holdsBase({ holds: [hold({ Region: "East", Rep: "Li" }, 500_000.01, "2027-06")] }));
    expect(problems).toEqual([expect.objectContaining({ ref: "Holds!E2", code: "holdNotMultipleOfUnit" })]);
  });

  it("children's holds above their held parent name both cells", () => {
    const problems = problemsOf(
      holdsBase({ holds: [hold({ Region: "East" }, 300_000, "2027-06", "target", 2), hold({ Region: "East", Rep: "Li" }, 200_000, "2027-06", "target", 3), hold({ Region: "East", Rep: "Wang" }, 200_000, "2027-06", "target", 4)] }),
    );
    expect(problems).toEqual([expect.objectContaining({ ref: "Holds!E4", code: "holdsAbovePeriod", args: expect.objectContaining({ other: "Holds!E2" }) })]);
  });

  it("a held cell above its held row names both cells", () => {
    const problems = problemsOf(holdsBase({ holds: [hold({ Region: "East", Rep: "Li" }, 100_000, undefined, "target", 2), hold({ Region: "East", Rep: "Li" }, 200_000, "2027-03", "target", 3)] }));
    expect(problems).toEqual([expect.objectContaining({ ref: "Holds!E3", code: "holdsAboveRow", args: expect.objectContaining({ other: "Holds!E2" }) })]);
  });

  it("a period's holds above the plan's total name the Target cell", () => {
    const problems = problemsOf(holdsBase({ holds: [hold({}, 6_000_000, "2027-01", "target", 2), hold({}, 6_000_000, "2027-02", "target", 3)] }));
    expect(problems).toEqual([expect.objectContaining({ ref: "Holds!E3", code: "holdsAbovePlan", args: expect.objectContaining({ other: "Targets!B2" }) })]);
  });

  it("a hold on a member who has no target in that period names the member's dates", () => {
    const weights = [weightRow("Li", { parents: { Region: "East" }, start: dayFromYmd(2027, 7, 1), refs: { member: "Weights!A2", start: "Weights!E2" } })];
    const problems = problemsOf(holdsBase({ weights, holds: [hold({ Region: "East", Rep: "Li" }, 100_000, "2027-03")] }));
    expect(problems).toEqual([expect.objectContaining({ ref: "Holds!E2", code: "holdOutsideDates", args: expect.objectContaining({ other: "Weights!E2" }) })]);
  });

  it("a Floor hold above the member's Target is a problem at the hold", () => {
    const problems = problemsOf(holdsBase({ holds: [hold({ Region: "East", Rep: "Li" }, 3_500_000, undefined, "floor")] }));
    expect(problems.map((p) => [p.ref, p.code])).toEqual([["Holds!E2", "holdTiersOutOfOrder"]]);
  });
});

describe("Holds below a node that is not held", () => {
  it("raise the node's period to what they need, and its siblings take the rest", () => {
    const free = computePlan(holdsBase());
    // Li's June at 1.5 times East's June: East's June rises to it, Wang has none of it, and the plan's June stays.
    const eastJune = free.cells.target[5] + free.cells.target[17];
    const amount = Math.round((eastJune * 1.5) / 100) * 100;
    const r = computePlan(holdsBase({ holds: [hold({ Region: "East", Rep: "Li" }, amount, "2027-06")] }));
    expect(checkTotals(r).ok).toBe(true);
    expect(r.cells.target[5]).toBe(amount);
    expect(r.cells.target[17]).toBe(0);
    expect(r.rounding.fallbacks).toBe(0);
    expect(r.periods[5].amount.target).toBe(free.periods[5].amount.target);
    // Held above the plan's June, the plan's June rises too, and the other months give way.
    const big = Math.round((free.periods[5].amount.target * 1.2) / 100) * 100;
    const up = computePlan(holdsBase({ holds: [hold({ Region: "East", Rep: "Li" }, big, "2027-06")] }));
    expect(checkTotals(up).ok).toBe(true);
    expect(up.cells.target[5]).toBe(big);
    expect(up.periods[5].amount.target).toBe(big);
    expect(up.totals.target).toBe(free.totals.target);
    expect(up.rounding.fallbacks).toBe(0);
  });
});

describe("exact at large totals, with members and holds", () => {
  it("796,604,751,817 at Unit 1,000: the remainder 817 carried, a hold and a hire's zeros kept, every total exact", () => {
    const weights = [weightRow("Wang", { parents: { Region: "East" }, start: dayFromYmd(2027, 4, 1), ramp: [0.25, 0.5, 0.75] })];
    const input = holdsBase({ unit: 1000, tiers: { target: 796_604_751_817 }, weights, seasonality: "Own", holds: [hold({ Region: "East", Rep: "Li" }, 50_000_000_000, "2027-06"), hold({ Region: "West" }, 70_000_000_000, "2027-12", "target", 3)] });
    const r = computePlan(input);
    expect(checkTotals(r)).toEqual({ ok: true, mismatches: [] });
    expect(r.exact!.tiers.target!.remainder).toBe(817n);
    let sum = 0n;
    for (let k = 0; k < r.cells.target.length; k++) sum += amountQuanta(r, "target", "cell", k);
    expect(sum).toBe(796_604_751_817n);
    expect(amountQuanta(r, "target", "cell", 5)).toBe(50_000_000_000n);
    expect(amountQuanta(r, "target", "cell", 2 * 12 + 11) + amountQuanta(r, "target", "cell", 3 * 12 + 11)).toBe(70_000_000_000n);
    for (let j = 0; j < 3; j++) expect(amountQuanta(r, "target", "cell", 12 + j)).toBe(0n);
    expect(r.rounding.fallbacks).toBe(0);
    expectWithinBalanced(r);
  });
});

describe("every problem the balanced plan reports has both languages", () => {
  it("codes in season.ts, depth.ts, balance.ts, tree.ts and plan.ts are in the catalogue, en and zh", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readFileSync } = require("node:fs") as typeof import("node:fs");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { messages } = require("../../src/i18n/messages") as typeof import("../../src/i18n/messages");
    const codes = new Set<string>();
    for (const f of ["season", "depth", "balance", "tree", "plan"]) {
      const text = readFileSync(`${__dirname}/../../src/engine/${f}.ts`, "utf8");
      for (const m of text.matchAll(/code: "(\w+)"/g)) codes.add(m[1]);
    }
    expect(codes.size).toBeGreaterThan(15);
    for (const c of codes) {
      expect([c, !!messages[c]?.en, !!messages[c]?.zh]).toEqual([c, true, true]);
    }
  });
});

describe("holds of Floor and Stretch", () => {
  it("are kept exactly in their tier, the tiers stay in order, and every tier reconciles", () => {
    const free = computePlan(holdsBase());
    const reps = [["East", "Li"], ["East", "Wang"], ["West", "Zhao"], ["West", "Chen"]];
    fc.assert(
      fc.property(
        fc.array(fc.record({ rep: fc.integer({ min: 0, max: 3 }), month: fc.integer({ min: 1, max: 12 }), tier: fc.constantFrom<Tier>("floor", "target", "stretch"), pct: fc.integer({ min: 80, max: 120 }) }), { minLength: 1, maxLength: 5 }),
        (list) => {
          const holds: HoldRow[] = [];
          const used = new Set<string>();
          for (const h of list) {
            const key = `${h.rep}-${h.month}-${h.tier}`;
            if (used.has(key)) continue;
            used.add(key);
            const k = h.rep * 12 + h.month - 1;
            holds.push(hold({ Region: reps[h.rep][0], Rep: reps[h.rep][1] }, Math.round((free.cells[h.tier][k] * h.pct) / 100 / 100) * 100, `2027-${String(h.month).padStart(2, "0")}`, h.tier, holds.length + 2));
          }
          const input = holdsBase({ holds });
          const problems = problemsOf(input);
          if (problems.length) {
            for (const p of problems) expect(p.ref).toMatch(/^Holds!E\d+$/);
            return;
          }
          const r = computePlan(input);
          expect(checkTotals(r)).toEqual({ ok: true, mismatches: [] });
          expectTiersInOrder(r);
          for (const h of holds) {
            const i = reps.findIndex(([, rep]) => rep === h.path.Rep);
            const j = r.periods.findIndex((p) => p.label === h.period);
            expect(amountQuanta(r, h.tier, "cell", i * 12 + j)).toBe(BigInt(h.amount));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("held totals under a held parent", () => {
  it("reps' totals above their held region name both cells", () => {
    const problems = problemsOf(holdsBase({ holds: [hold({ Region: "East" }, 3_000_000, undefined, "target", 2), hold({ Region: "East", Rep: "Li" }, 2_000_000, undefined, "target", 3), hold({ Region: "East", Rep: "Wang" }, 2_000_000, undefined, "target", 4)] }));
    expect(problems).toEqual([expect.objectContaining({ ref: "Holds!E4", code: "holdsAboveParent", args: expect.objectContaining({ other: "Holds!E2" }) })]);
  });
  it("Floor totals above the plan's Floor name the Floor cell", () => {
    const problems = problemsOf(holdsBase({ holds: [hold({ Region: "East" }, 4_500_000, undefined, "floor", 2), hold({ Region: "West" }, 4_000_000, undefined, "floor", 3)] }));
    expect(problems).toEqual([expect.objectContaining({ ref: "Holds!E3", code: "holdsAboveParent", args: expect.objectContaining({ other: "Targets!A2" }) })]);
  });
});
