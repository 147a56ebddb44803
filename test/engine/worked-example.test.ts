import { computePlan } from "../../src/engine";
import { monthFact, planInput } from "./build";

describe("the worked example of CONTRACT §7", () => {
  it("splits 40,000,000 by weights 40% / 60%", () => {
    const result = computePlan(
      planInput({
        tiers: { target: 40_000_000 },
        levels: ["Region"],
        levelLabels: ["Region"],
        grain: "Year",
        history: [monthFact(2026, 1, { Region: "A" }, 1), monthFact(2026, 1, { Region: "B" }, 1)],
        weights: [
          { level: "Region", member: "A", weight: 0.4, refs: { member: "Weights!B2", weight: "Weights!C2" } },
          { level: "Region", member: "B", weight: 0.6, refs: { member: "Weights!B3", weight: "Weights!C3" } },
        ],
      }),
    );
    const byName = Object.fromEntries(result.nodes.slice(1).map((n) => [n.member, n.amount.target]));
    expect(byName).toEqual({ A: 16_000_000, B: 24_000_000 });
  });

  it("rounds 1/3 and 2/3 of 10,000,000 to Unit 100,000 as 3,300,000 and 6,700,000", () => {
    const result = computePlan(
      planInput({
        tiers: { target: 10_000_000 },
        levels: ["Region"],
        levelLabels: ["Region"],
        unit: 100_000,
        grain: "Year",
        history: [monthFact(2026, 1, { Region: "A" }, 1), monthFact(2026, 1, { Region: "B" }, 2)],
      }),
    );
    const byName = Object.fromEntries(result.nodes.slice(1).map((n) => [n.member, n.amount.target]));
    expect(byName).toEqual({ A: 3_300_000, B: 6_700_000 });
    expect(result.nodes[1].exact.target).toBeCloseTo(3_333_333.33, 1);
  });
});
