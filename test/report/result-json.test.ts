import fc from "fast-check";
import { computePlan, PlanProblemsError } from "../../src/engine";
import { cleanNumber, resultJsonText, stringifyResult, toResultJson } from "../../src/report";
import { planCaseArb } from "../engine/arbitraries";
import { threeLevelPlanZh, twoLevelPlan, zeroPlan } from "./fixtures";

describe("toResultJson", () => {
  it("gives periods, nodes and plan rows with every tier the plan has, in a fixed key order", () => {
    const json = toResultJson(twoLevelPlan());
    expect(Object.keys(json)).toEqual(["periods", "nodes", "plan"]);
    expect(json.periods).toEqual([
      { period: "2027-Q1", floor: 3200, target: 4000, stretch: 4800 },
      { period: "2027-Q2", floor: 4800, target: 6000, stretch: 7200 },
    ]);
    expect(json.nodes[0]).toEqual({ path: {}, floor: 8000, target: 10000, stretch: 12000 });
    expect(Object.keys(json.nodes[0])).toEqual(["path", "floor", "target", "stretch"]);
    expect(json.nodes[1]).toEqual({ path: { Region: "East" }, share: 0.6, floor: 4800, target: 6000, stretch: 7200 });
    expect(Object.keys(json.nodes[1])).toEqual(["path", "share", "floor", "target", "stretch"]);
    expect(json.plan[0]).toEqual({ path: { Region: "East", Rep: "Li" }, period: "2027-Q1", floor: 320, target: 400, stretch: 480 });
    expect(Object.keys(json.plan[0])).toEqual(["path", "period", "floor", "target", "stretch"]);
    expect(json.plan).toHaveLength(10);
  });

  it("leaves out a tier the workbook does not give, everywhere", () => {
    const json = toResultJson(threeLevelPlanZh());
    for (const obj of [...json.periods, ...json.nodes, ...json.plan]) {
      expect(obj).not.toHaveProperty("floor");
      expect(obj).not.toHaveProperty("stretch");
      expect(obj).toHaveProperty("target");
    }
  });

  it("keys paths by the canonical level names, in cascade order, with members as written", () => {
    const json = toResultJson(threeLevelPlanZh());
    const leaf = json.nodes.find((n) => n.path.Rep === "+SUM(1,2)")!;
    expect(Object.keys(leaf.path)).toEqual(["Region", "Team", "Rep"]);
    expect(leaf.path).toEqual({ Region: "华东", Team: "一组", Rep: "+SUM(1,2)" });
    expect(leaf.share).toBeCloseTo(1 / 3, 12);
  });

  it("adds up: periods and plan rows to the plan total, per tier", () => {
    const result = twoLevelPlan();
    const json = toResultJson(result);
    for (const tier of ["floor", "target", "stretch"] as const) {
      expect(json.periods.reduce((s, p) => s + p[tier]!, 0)).toBe(result.totals[tier]);
      expect(json.plan.reduce((s, p) => s + p[tier]!, 0)).toBe(result.totals[tier]);
    }
  });

  it("is deterministic and stable as text", () => {
    const a = stringifyResult(toResultJson(twoLevelPlan()));
    const b = stringifyResult(toResultJson(twoLevelPlan()));
    expect(a).toBe(b);
    expect(a.endsWith("}\n")).toBe(true);
    expect(a.split("\n")[1]).toBe('  "periods": [');
    expect(JSON.parse(a)).toEqual(toResultJson(twoLevelPlan()));
  });

  it("drops binary noise from amounts", () => {
    expect(cleanNumber(0.1 + 0.2)).toBe(0.3);
    expect(cleanNumber(1234567.89)).toBe(1234567.89);
    expect(cleanNumber(-0)).toBe(0);
    expect(Object.is(cleanNumber(-0), 0)).toBe(true);
  });

  it("is written as text, row by row, exactly as the object would stringify", () => {
    for (const plan of [twoLevelPlan(), threeLevelPlanZh(), zeroPlan()]) {
      expect(resultJsonText(plan)).toBe(stringifyResult(toResultJson(plan)));
      const extra = { progress: [{ path: { Rep: "Li" }, target: 1 }], ranking: [] };
      expect(resultJsonText(plan, undefined, extra)).toBe(stringifyResult({ ...toResultJson(plan), ...extra }));
    }
    fc.assert(
      fc.property(planCaseArb(), (c) => {
        let plan;
        try {
          plan = computePlan(c.input);
        } catch (e) {
          if (e instanceof PlanProblemsError) return;
          throw e;
        }
        expect(resultJsonText(plan)).toBe(stringifyResult(toResultJson(plan)));
      }),
      { numRuns: 40 },
    );
  });
});
