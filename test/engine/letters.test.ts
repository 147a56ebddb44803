/**
 * The tasks of the target letters (engine/letters.ts): every count split over the members by their
 * Target, exactly, by largest remainder: the parts add up, each is within one of its exact share,
 * and the letters add up to the funnel's counts.
 */
import fc from "fast-check";
import { computePlan, type DriversResult, type PlanResult } from "../../src/engine";
import { letterTasks, splitCount } from "../../src/engine/letters";
import { planInput } from "./build";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

describe("splitCount", () => {
  it("worked example: 10 orders over Targets 5 : 3 : 2 and 7 over 1 : 1 : 1", () => {
    expect(splitCount(10, [500n, 300n, 200n])).toEqual([5, 3, 2]);
    // 7 × 1/3 = 2.33 each: one unit left, to the first of the equal remainders.
    expect(splitCount(7, [1n, 1n, 1n])).toEqual([3, 2, 2]);
    // 5 × (0.45, 0.35, 0.2) = 2.25, 1.75, 1: the largest remainder (0.75) gets the extra one.
    expect(splitCount(5, [45n, 35n, 20n])).toEqual([2, 2, 1]);
    expect(splitCount(4, [0n, 0n])).toEqual([2, 2]);
    expect(splitCount(0, [3n, 1n])).toEqual([0, 0]);
  });

  it("the parts add up to the count, and each is within one of its exact share", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 40 }), (count, weights) => {
        const parts = splitCount(count, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(count);
        const w = weights.some((x) => x > 0n) ? weights : weights.map(() => 1n);
        const total = w.reduce((a, b) => a + b, 0n);
        parts.forEach((p, i) => {
          // |p − count × wᵢ ÷ Σw| < 1, in whole numbers: |p × Σw − count × wᵢ| < Σw.
          const diff = BigInt(p) * total - BigInt(count) * w[i];
          expect(diff < total && -diff < total).toBe(true);
          expect(p).toBeGreaterThanOrEqual(0);
        });
      }),
      { numRuns: RUNS },
    );
  });
});

describe("letterTasks", () => {
  function plan(): PlanResult {
    const reps = ["Li", "Wang", "Zhao"];
    const weights = reps.map((member, i) => ({ level: "Rep", member, weight: i + 1, refs: { member: `W!A${i + 2}` } }));
    return computePlan(planInput({ tiers: { target: 60_000 }, levels: ["Rep"], levelLabels: ["Rep"], methods: { Rep: "Weights" }, weights }));
  }

  it("hands out every count of every channel and every add-on's units, adding up exactly", () => {
    const p = plan();
    const drivers = {
      funnel: {
        stages: ["Invitations", "Visits", "Orders"],
        channels: [
          { channel: "A", counts: { Invitations: 101, Visits: 50, Orders: 17 } },
          { channel: "B", counts: { Invitations: 7, Visits: 5, Orders: 2 } },
        ],
        columns: { labels: { Invitations: "邀约数", Visits: "二次进店数", Orders: "订单数" } },
      },
      attachments: [{ product: "净水器", rate: 0.3, units: 6 }],
      averageOrderValue: [{ history: { amount: 1, orders: 1, value: 1 }, target: 60_000, orders: 19, value: 60_000 / 19 }],
      series: { rows: [{ member: "经典", share: 0.6 }, { member: "尊贵", share: 0.4 }] },
    } as unknown as DriversResult;
    const tasks = letterTasks(p, drivers);
    expect(tasks.stages).toEqual(["Invitations", "Visits", "Orders"]);
    expect(tasks.stageLabels.Visits).toBe("二次进店数");
    for (const [k, channel] of ["A", "B"].entries()) {
      for (const s of tasks.stages) {
        const sum = tasks.members.reduce((a, m) => a + m.channels[k].counts[s], 0);
        expect(sum).toBe((drivers.funnel!.channels[k].counts as Record<string, number>)[s]);
        expect(tasks.members[0].channels[k].channel).toBe(channel);
      }
    }
    // Targets 10,000 : 20,000 : 30,000 → orders of A 17 × (1, 2, 3)/6 = 2.83, 5.67, 8.5 → 3, 6, 8.
    expect(tasks.members.map((m) => m.channels[0].counts.Orders)).toEqual([3, 6, 8]);
    expect(tasks.members.map((m) => m.totals.Orders)).toEqual([3, 6, 8].map((x, i) => x + [0, 1, 1][i]));
    expect(tasks.members.reduce((a, m) => a + m.attachments[0].units, 0)).toBe(6);
    expect(tasks.members.map((m) => m.attachments[0].units)).toEqual([1, 2, 3]);
    expect(tasks.averageOrderValue).toBeCloseTo(60_000 / 19, 9);
    expect(tasks.series).toEqual([{ series: "经典", share: 0.6 }, { series: "尊贵", share: 0.4 }]);
  });

  it("has no funnel, add-ons or deep data without drivers", () => {
    const tasks = letterTasks(plan());
    expect(tasks.stages).toEqual([]);
    expect(tasks.members.every((m) => m.channels.length === 0 && m.attachments.length === 0)).toBe(true);
    expect(tasks.averageOrderValue).toBeUndefined();
  });
});
