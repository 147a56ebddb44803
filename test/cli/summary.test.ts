/**
 * The summary `target-cascade plan` prints: amounts from their exact decimals, with thousands
 * separators — the Target of 796,604,751,817 at Unit 1,000 prints as written.
 */
import { planSummary } from "../../src/cli/summary";
import { checkTotals, computePlan } from "../../src/engine";
import { monthFact, planInput } from "../engine/build";

const files = { input: "in.xlsx", out: "out.xlsx", sheets: ["Plan"] };
const history = ["Li", "Wang", "Zhang"].map((rep, i) => monthFact(2026, 3, { Rep: rep }, 100 + i));

describe("the plan summary", () => {
  for (const grain of ["Month", "Week"] as const) {
    it(`prints Target 796,604,751,817 at Unit 1,000 (${grain})`, () => {
      const r = computePlan(planInput({ tiers: { target: 796_604_751_817, floor: 700_000_000_817 }, unit: 1000, grain, history }));
      const lines = planSummary(r, "en", checkTotals(r), files);
      expect(lines[1]).toContain("unit 1,000");
      expect(lines[2]).toBe("  Floor 700,000,000,817 · Target 796,604,751,817");
      expect(lines[5]).toBe("  ✓ Totals check: every level and every period adds up exactly");
      const zh = planSummary(r, "zh", checkTotals(r), files);
      expect(zh[2]).toBe("  保底 700,000,000,817 · 力争 796,604,751,817");
    });
  }

  it("prints the members' amounts and a decimal Unit exactly", () => {
    const r = computePlan(planInput({ tiers: { target: 1234.57 }, unit: 0.05, history }));
    const lines = planSummary(r, "en", checkTotals(r), files);
    expect(lines[1]).toContain("unit 0.05");
    expect(lines[2]).toBe("  Target 1,234.57");
    const members = r.nodes.slice(1).map((n) => n.amount.target);
    expect(members.reduce((a, b) => a + Math.round(b * 100), 0)).toBe(123457);
    expect(lines[4]).toMatch(/^ {2}Rep: Li [\d,]+\.\d\d \(/);
  });
});
