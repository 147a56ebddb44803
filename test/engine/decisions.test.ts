/**
 * The engine's decisions where the contract is silent (docs/planning-decisions.md), one example
 * each: growth, derived tiers, working days and holidays, stages, the history window, ISO weeks,
 * members placed through Weights, and the problems the engine reports.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { computePlan, dayFromYmd, PlanProblemsError, type PlanInput, type Problem } from "../../src/engine";
import { monthFact, planInput } from "./build";
import { exactProblems } from "./exact";

function problemsOf(input: PlanInput): Problem[] {
  try {
    computePlan(input);
  } catch (e) {
    if (e instanceof PlanProblemsError) return e.problems;
    throw e;
  }
  return [];
}

const twoReps = [monthFact(2026, 3, { Rep: "Li" }, 300), monthFact(2026, 3, { Rep: "Wang" }, 100)];

describe("tiers", () => {
  it("takes Target from Growth on the same dates a year earlier, rounded to Unit", () => {
    const r = computePlan(planInput({ tiers: {}, growth: 0.1, unit: 100, history: [monthFact(2026, 1, { Rep: "Li" }, 12_345), monthFact(2025, 12, { Rep: "Li" }, 99_999)] }));
    expect(r.totals.target).toBe(13_600); // 12,345 × 1.1 = 13,579.5 → 13,600
  });

  it("derives Floor and Stretch from their ratios", () => {
    const r = computePlan(planInput({ tiers: { target: 1_000_000 }, floorRatio: 0.85, stretchRatio: 1.2, unit: 1000, history: twoReps }));
    expect(r.tiers).toEqual(["floor", "target", "stretch"]);
    expect(r.totals).toEqual({ floor: 850_000, target: 1_000_000, stretch: 1_200_000 });
  });

  it("names the cell when Growth has no history behind it", () => {
    expect(problemsOf(planInput({ tiers: {}, growth: 0.1, history: [monthFact(2020, 1, { Rep: "Li" }, 5)] }))).toEqual([
      expect.objectContaining({ ref: "Targets!D2", code: "growthWithoutHistory" }),
    ]);
  });
});

describe("time", () => {
  it("gives working days only, and skips non-working days at Day grain", () => {
    const r = computePlan(
      planInput({
        start: dayFromYmd(2027, 5, 1),
        end: dayFromYmd(2027, 5, 9),
        grain: "Day",
        workdays: "Mon-Fri",
        holidays: [dayFromYmd(2027, 5, 3)],
        tiers: { target: 300 },
        history: twoReps,
      }),
    );
    // 2027-05-01 is a Saturday: Mon 3rd is a holiday, so Tue 4th – Fri 7th are the plan's days.
    expect(r.periods.map((p) => p.label)).toEqual(["2027-05-04", "2027-05-05", "2027-05-06", "2027-05-07"]);
    expect(r.periods.map((p) => p.amount.target)).toEqual([75, 75, 75, 75]);
  });

  it("labels ISO weeks, cut at the plan's edges", () => {
    const r = computePlan(planInput({ grain: "Week", end: dayFromYmd(2027, 1, 20), history: twoReps }));
    expect(r.periods.map((p) => [p.label, p.days])).toEqual([
      ["2026-W53", 3],
      ["2027-W01", 7],
      ["2027-W02", 7],
      ["2027-W03", 3],
    ]);
  });

  it("shares stages by their weights, else by their working days", () => {
    const stages = [
      { name: "第一阶段", start: dayFromYmd(2027, 4, 25), end: dayFromYmd(2027, 4, 30), ref: "Stages!A2" },
      { name: "第二阶段", start: dayFromYmd(2027, 5, 1), end: dayFromYmd(2027, 5, 3), ref: "Stages!A3" },
    ];
    const byDays = computePlan(planInput({ grain: "Stage", stages, tiers: { target: 900 }, history: twoReps }));
    expect(byDays.periods.map((p) => p.amount.target)).toEqual([600, 300]);
    const byWeight = computePlan(planInput({ grain: "Stage", stages: stages.map((s, i) => ({ ...s, weight: i ? 2 : 1 })), tiers: { target: 900 }, history: twoReps }));
    expect(byWeight.periods.map((p) => p.amount.target)).toEqual([300, 600]);
  });

  it("reads shares from the history window only", () => {
    const history = [monthFact(2020, 6, { Rep: "Old" }, 1_000_000), ...twoReps];
    const r = computePlan(planInput({ historyYears: 2, history, tiers: { target: 400 } }));
    expect(r.nodes.slice(1).map((n) => [n.member, n.amount.target])).toEqual([
      ["Li", 300],
      ["Wang", 100],
    ]);
  });
});

describe("members from Weights", () => {
  const teams = [monthFact(2026, 1, { Team: "A", Rep: "Li" }, 10), monthFact(2026, 1, { Team: "B", Rep: "Li" }, 10), monthFact(2026, 1, { Team: "B", Rep: "Wang" }, 10)];
  const base = { levels: ["Team", "Rep"], levelLabels: ["Team", "Rep"], history: teams, tiers: { target: 3000 } };

  it("places a new member by the parent columns of its row", () => {
    const r = computePlan(planInput({ ...base, weights: [{ level: "Rep", member: "Zhao", parents: { Team: "A" }, lock: 1000, refs: { member: "Weights!B2", lock: "Weights!D2" } }] }));
    const zhao = r.nodes.find((n) => n.member === "Zhao");
    expect(zhao?.path).toEqual({ Team: "A", Rep: "Zhao" });
    expect(zhao?.amount.target).toBe(1000);
  });

  it("asks for the parent when a name is found under several parents, or nowhere", () => {
    expect(problemsOf(planInput({ ...base, weights: [{ level: "Rep", member: "Li", lock: 100, refs: { member: "Weights!B2" } }] }))).toEqual([
      expect.objectContaining({ ref: "Weights!B2", code: "ambiguousWeightMember" }),
    ]);
    expect(problemsOf(planInput({ ...base, weights: [{ level: "Rep", member: "Sun", lock: 100, refs: { member: "Weights!B3" } }] }))).toEqual([
      expect.objectContaining({ ref: "Weights!B3", code: "unknownWeightMember" }),
    ]);
  });

  it("refuses a lock that is not a multiple of Unit, naming the Lock cell", () => {
    expect(problemsOf(planInput({ ...base, unit: 100, weights: [{ level: "Team", member: "A", lock: 150, refs: { member: "Weights!B2", lock: "Weights!D2" } }] }))).toEqual([
      expect.objectContaining({ ref: "Weights!D2", code: "lockNotMultipleOfUnit" }),
    ]);
  });

  it("needs every locked group to fill its parent when nobody is left to take the rest", () => {
    const weights = [
      { level: "Team", member: "A", lock: 1000, refs: { member: "Weights!B2", lock: "Weights!D2" } },
      { level: "Team", member: "B", lock: 1000, refs: { member: "Weights!B3", lock: "Weights!D3" } },
    ];
    expect(problemsOf(planInput({ ...base, weights }))).toEqual([expect.objectContaining({ ref: "Weights!D3", code: "locksDoNotFill" })]);
  });
});

describe("a Floor that cannot sit within one Unit of its exact values under Target's", () => {
  // Found by the property tests: two reps, one locked at 10, over 42 working days at Unit 1.
  const input = JSON.parse(readFileSync(join(__dirname, "fixtures-floor-under-target.json"), "utf8")) as PlanInput;

  it("is rounded against Target's rounded amounts × Floor/Target, keeping every total and the order", () => {
    const r = computePlan(input);
    expect(r.rounding).toMatchObject({ fallbacks: 0, reproportioned: 1 });
    expect(exactProblems(r)).toBeNull();
    const P = r.periods.length;
    const ratio = r.totals.floor / r.totals.target;
    for (let k = 0; k < r.cells.floor.length; k++) {
      expect(r.cells.floor[k]).toBeLessThanOrEqual(r.cells.target[k]);
      expect(Math.abs(r.cells.floor[k] - r.cells.target[k] * ratio)).toBeLessThan(1);
    }
    r.periods.forEach((p, j) => {
      let column = 0;
      for (let i = 0; i < r.leaves.length; i++) column += r.cells.floor[i * P + j];
      expect(column).toBe(p.amount.floor);
    });
    expect(r.periods.reduce((a, p) => a + p.amount.floor, 0)).toBe(r.totals.floor);
  });
});

describe("a Stretch that cannot sit within one Unit of its exact values over Target's", () => {
  // Found by the property tests: three reps, one locked at 9 of 20, over four months at Unit 1.
  const input = JSON.parse(readFileSync(join(__dirname, "fixtures-stretch-over-target.json"), "utf8")) as PlanInput;

  it("is rounded against Target's rounded amounts × Stretch/Target, within one Unit of them", () => {
    const r = computePlan(input);
    expect(r.rounding).toMatchObject({ fallbacks: 0, reproportioned: 1 });
    expect(exactProblems(r)).toBeNull();
    const ratio = r.totals.stretch / r.totals.target;
    for (let k = 0; k < r.cells.stretch.length; k++) {
      expect(r.cells.stretch[k]).toBeGreaterThanOrEqual(r.cells.target[k]);
      expect(Math.abs(r.cells.stretch[k] - r.cells.target[k] * ratio)).toBeLessThan(1);
    }
  });
});

describe("a Floor remainder where every unlocked member has nothing", () => {
  // Found by the property tests: one of two reps is locked at the whole Target, so the other has 0,
  // and Floor's remainder of 4 (at Unit 5) cannot sit under it; it goes through the locked rep.
  it("is carried by the locked member, and no amount goes below zero", () => {
    const r = computePlan(
      planInput({
        start: dayFromYmd(2027, 1, 1),
        end: dayFromYmd(2027, 1, 14),
        grain: "Week",
        unit: 5,
        tiers: { target: 100, floor: 54, stretch: 102 },
        history: [monthFact(2026, 1, { Rep: "Li" }, 10), monthFact(2026, 1, { Rep: "Wang" }, 10)],
        weights: [{ level: "Rep", member: "Li", lock: 100, refs: { member: "Weights!B2", lock: "Weights!D2" } }],
      }),
    );
    expect(exactProblems(r)).toBeNull();
    expect(r.nodes.map((n) => [n.member, n.amount.floor, n.amount.target])).toEqual([
      ["", 54, 100],
      ["Li", 54, 100],
      ["Wang", 0, 0],
    ]);
    for (const t of r.tiers) for (const v of r.cells[t]) expect(v).toBeGreaterThanOrEqual(0);
  });
});
