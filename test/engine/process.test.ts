/**
 * Process tracking (过程追踪): each member's funnel tasks per channel, to date, against the funnel's
 * actuals, and the bottleneck stage. A worked example with every figure by hand, properties over
 * random actuals, the tie rule, and the bad-input classes (a channel the funnel does not have, a
 * count below zero or not whole) that name the Actuals cell.
 */
import fc from "fast-check";
import {
  computeDrivers,
  computeFunnel,
  computePlan,
  computeProcess,
  computeProgress,
  dayFromYmd,
  memberBottlenecks,
  PlanProblemsError,
  type FactRow,
  type HistoryColumns,
  type PlanInput,
  type ProcessSpec,
} from "../../src/engine";
import { monthFact, planInput } from "./build";

const RUNS = Math.ceil(Number(process.env.PROPERTY_RUNS ?? 150) / 3);
const STAGES = ["Invitations", "Visits", "Orders"];
const HISTORY_COLUMNS: HistoryColumns = { table: "History!A1", letters: {}, labels: {} };
const ACTUALS_COLUMNS = {
  table: "Actuals!A1",
  letters: { Date: "A", Rep: "B", Channel: "C", Amount: "D", Invitations: "E", Visits: "F", Orders: "G" },
  labels: { Channel: "Channel", Invitations: "Invitations", Visits: "Visits", Orders: "Orders" },
};

/** Yearly History per rep and channel, spread evenly over the twelve months of 2026. */
const YEARLY: Record<string, Record<string, Record<string, number>>> = {
  A: {
    X: { Amount: 36_000, Orders: 12, Visits: 24, Invitations: 60 },
    Y: { Amount: 24_000, Orders: 12, Visits: 36, Invitations: 72 },
  },
  B: {
    X: { Amount: 12_000, Orders: 12, Visits: 24, Invitations: 48 },
    Y: { Amount: 48_000, Orders: 24, Visits: 48, Invitations: 96 },
  },
};

function example(over: Partial<PlanInput> = {}): PlanInput {
  const history: FactRow[] = [];
  for (let m = 1; m <= 12; m++) {
    for (const [rep, channels] of Object.entries(YEARLY)) {
      for (const [channel, yearly] of Object.entries(channels)) {
        const month = Object.fromEntries(Object.entries(yearly).map(([k, v]) => [k, v / 12]));
        history.push(monthFact(2026, m, { Rep: rep, Channel: channel }, month.Amount, month));
      }
    }
  }
  return planInput({ tiers: { target: 1_200_000 }, history, ...over });
}

function actual(rep: string, channel: string | undefined, day: number, counts: number[], row: number): FactRow {
  const dims: Record<string, string> = { Rep: rep };
  if (channel !== undefined) dims.Channel = channel;
  return { dims, start: day, end: day, measures: { Amount: 0, Invitations: counts[0], Visits: counts[1], Orders: counts[2] }, ref: `Actuals!A${row}` };
}

function run(input: PlanInput, rows: FactRow[], asOf: number, over: Partial<ProcessSpec> = {}) {
  const plan = computePlan(input);
  const funnel = computeFunnel(input, plan, { dimension: "Channel", stages: STAGES }, HISTORY_COLUMNS)!;
  const progress = computeProgress(input, plan, rows, { asOf });
  const drivers = { metric: "Amount", units: "Orders", funnel, averageOrderValue: [], attachments: [], columns: HISTORY_COLUMNS };
  const process = computeProcess(input, plan, progress, rows, { drivers, funnel, stages: STAGES, byChannel: true, columns: ACTUALS_COLUMNS, ...over });
  return { plan, funnel, progress, process };
}

const MARCH_31 = dayFromYmd(2027, 3, 31);
const MARCH_1 = dayFromYmd(2027, 3, 1);

describe("a worked example: two reps, two channels, AsOf 2027-03-31 (a quarter of the plan)", () => {
  const rows = [
    actual("A", "X", MARCH_1, [100, 50, 25], 2),
    actual("A", "Y", MARCH_1, [210, 70, 35], 3),
    actual("B", "X", MARCH_1, [135, 60, 18], 4),
    actual("B", "Y", MARCH_1, [220, 110, 48], 5),
  ];
  const { plan, process } = run(example(), rows, MARCH_31);
  const rowOf = (rep: string, channel: string | null) => {
    const node = plan.nodes.findIndex((n) => n.member === rep);
    return process.rows.find((r) => r.node === node && r.channel === (channel === null ? -1 : process.channels.indexOf(channel)))!;
  };

  it("gives each member their target letter's tasks: every channel's counts split by Target", () => {
    // The Funnel: X 480,000 at 2,000 an order = 240 orders, ⌈240 × 48/24⌉ = 480 visits,
    // ⌈480 × 108/48⌉ = 1,080 invitations; Y 720,000: 360, 840, 1,680. A and B have 600,000 each.
    expect(rowOf("A", "X").target).toEqual([540, 240, 120]);
    expect(rowOf("A", "Y").target).toEqual([840, 420, 180]);
    expect(rowOf("B", "X").target).toEqual([540, 240, 120]);
    expect(rowOf("A", null).target).toEqual([1380, 660, 300]);
    const total = process.rows.find((r) => r.node === 0 && r.channel === -1)!;
    expect(total.target).toEqual([1080 + 1680, 480 + 840, 240 + 360]);
  });

  it("takes a quarter of every task to date, rounded up", () => {
    expect(rowOf("A", "X").toDate).toEqual([135, 60, 30]);
    expect(rowOf("A", "Y").toDate).toEqual([210, 105, 45]);
    expect(rowOf("A", null).toDate).toEqual([345, 165, 75]);
    const total = process.rows.find((r) => r.node === 0 && r.channel === -1)!;
    expect(total.toDate).toEqual([690, 330, 150]);
    expect(total.actual).toEqual([665, 290, 126]);
  });

  it("compares the first stage's count and the later stages' conversion rates with the plan's", () => {
    const ax = rowOf("A", "X");
    expect(ax.planRate).toEqual([null, 48 / 108, 0.5]);
    expect(ax.actualRate).toEqual([null, 0.5, 0.5]);
    expect(ax.ratio[0]).toBe(100 / 135);
    expect(ax.ratio[1]).toBe(0.5 / (48 / 108));
    expect(ax.ratio[2]).toBe(1);
    // A row of all channels: the plan rate is the ratio of its tasks.
    expect(rowOf("A", null).planRate).toEqual([null, 660 / 1380, 300 / 660]);
  });

  it("names the stage furthest behind the plan", () => {
    expect(rowOf("A", "X").bottleneck).toBe(0); // too few invitations
    expect(rowOf("A", "Y").bottleneck).toBe(1); // invitations on plan, weak visits
    expect(rowOf("B", "X").bottleneck).toBe(2); // weak closing
    expect(rowOf("B", "Y").bottleneck).toBe(-1); // nothing behind
    expect(process.rows.every((r) => !r.nearTie)).toBe(true);
  });

  it("lists each member's worst bottleneck, furthest behind first", () => {
    const lines = memberBottlenecks(plan, process);
    expect(lines.map((l) => [plan.nodes[l.node].member, process.channels[l.row.channel], l.stage])).toEqual([
      ["B", "X", "Orders"],
      ["A", "Y", "Visits"],
    ]);
    expect(lines[0].ratio).toBe(0.3 / 0.5);
  });
});

describe("the tie rule", () => {
  it("gives a tie to the earliest stage, the root cause", () => {
    // B / X: 144 of 135 invitations; 32 visits of 144 at a planned 4/9 (0.5), 8 orders of 32 at a planned 1/2 (0.5).
    const { process, plan } = run(example(), [actual("B", "X", MARCH_1, [144, 32, 8], 2)], MARCH_31);
    const node = plan.nodes.findIndex((n) => n.member === "B");
    const row = process.rows.find((r) => r.node === node && r.channel === process.channels.indexOf("X"))!;
    expect(row.ratio[1]).toBe(0.5);
    expect(row.ratio[2]).toBe(0.5);
    expect(row.bottleneck).toBe(1);
    expect(row.nearTie).toBe(false);
  });

  it("decides on the exact numbers when the doubles are a hair apart, and says so", () => {
    // History per month: 110 per order, 3 visits per order, 9 invitations per 3 visits. Tasks for
    // 1,200: 11 orders, 33 visits, 99 invitations; a quarter to date: 3, 9, 25.
    const input = planInput({
      levels: ["Rep"],
      tiers: { target: 1_200 },
      history: Array.from({ length: 12 }, (_, m) => monthFact(2026, m + 1, { Rep: "A", Channel: "X" }, 110, { Orders: 1, Visits: 3, Invitations: 9 })),
    });
    // 15 of 25 invitations is 3/5; 3 visits of 15 at a planned 1/3 is (1/5) ÷ (1/3) = 3/5 too,
    // which floating point makes 0.6000000000000001.
    const { process } = run(input, [actual("A", "X", MARCH_1, [15, 3, 1], 2)], MARCH_31);
    const row = process.rows.find((r) => r.node === 1 && r.channel === 0)!;
    expect(row.toDate).toEqual([25, 9, 3]);
    expect(row.ratio[0]).toBe(0.6);
    expect(row.ratio[1]).toBe(0.6000000000000001);
    expect(row.bottleneck).toBe(0);
    expect(row.nearTie).toBe(true);
  });
});

describe("properties", () => {
  const caseArb = fc.record({
    asOf: fc.integer({ min: 0, max: 364 }),
    rows: fc.array(
      fc.record({ rep: fc.constantFrom("A", "B"), channel: fc.constantFrom("X", "Y", undefined), day: fc.integer({ min: 0, max: 364 }), counts: fc.tuple(fc.nat(400), fc.nat(200), fc.nat(100)) }),
      { maxLength: 30 },
    ),
    unit: fc.constantFrom(1, 100, 1000),
    target: fc.integer({ min: 0, max: 5_000_000 }),
  });

  it("the members add up to the Funnel, tasks to date never pass the task, rows add up the tree", () => {
    fc.assert(
      fc.property(caseArb, ({ asOf, rows, unit, target }) => {
        const input = example({ unit, tiers: { target: Math.round(target / unit) * unit } });
        const start = dayFromYmd(2027, 1, 1);
        const facts = rows.map((r, i) => actual(r.rep, r.channel, start + r.day, r.counts, i + 2));
        const { plan, process, funnel } = run(input, facts, start + asOf);
        const root = process.rows.find((r) => r.node === 0 && r.channel === -1)!;
        expect(root.target).toEqual(STAGES.map((s) => funnel.totals.counts[s]));
        for (const row of process.rows) {
          row.target.forEach((t, s) => {
            expect(row.toDate[s]).toBeLessThanOrEqual(t);
            expect(row.toDate[s]).toBeGreaterThanOrEqual(0);
          });
        }
        // The root's all-channels row adds up the members'.
        const members = process.rows.filter((r) => plan.leaves.includes(r.node) && r.channel === -1);
        for (let s = 0; s < 3; s++) {
          expect(root.target[s]).toBe(members.reduce((a, r) => a + r.target[s], 0));
          expect(root.toDate[s]).toBe(members.reduce((a, r) => a + r.toDate[s], 0));
          expect(root.actual[s]).toBe(members.reduce((a, r) => a + r.actual[s], 0));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("the bottleneck is the least ratio below 1, the earliest of equal ones", () => {
    fc.assert(
      fc.property(caseArb, ({ asOf, rows }) => {
        const start = dayFromYmd(2027, 1, 1);
        const facts = rows.map((r, i) => actual(r.rep, r.channel, start + r.day, r.counts, i + 2));
        const { process } = run(example(), facts, start + asOf);
        for (const row of process.rows) {
          const present = row.ratio.map((v, t) => ({ v, t })).filter((x) => x.v !== null) as { v: number; t: number }[];
          const min = Math.min(...present.map((x) => x.v));
          if (!(min < 1)) expect(row.bottleneck).toBe(-1);
          else if (!row.nearTie) expect(row.bottleneck).toBe(present.find((x) => x.v === min)!.t);
        }
      }),
      { numRuns: RUNS },
    );
  });

});

describe("Actuals without a channel", () => {
  it("track the members on all channels together, the plan rate the ratio of their tasks", () => {
    const rows = [actual("A", undefined, MARCH_1, [300, 160, 70], 2)];
    const { plan, process } = run(example(), rows, MARCH_31, { byChannel: false });
    expect(process.rows).toHaveLength(plan.nodes.length);
    const a = process.rows.find((r) => plan.nodes[r.node].member === "A")!;
    expect(a.channel).toBe(-1);
    expect(a.target).toEqual([1380, 660, 300]);
    expect(a.planRate[1]).toBe(660 / 1380);
    expect(a.actual).toEqual([300, 160, 70]);
  });

  it("count a row of a channel-by-channel table without one to the member's total only", () => {
    const rows = [actual("A", undefined, MARCH_1, [10, 5, 2], 2), actual("A", "X", MARCH_1, [1, 1, 1], 3)];
    const { plan, process } = run(example(), rows, MARCH_31);
    const node = plan.nodes.findIndex((n) => n.member === "A");
    expect(process.rows.find((r) => r.node === node && r.channel === -1)!.actual).toEqual([11, 6, 3]);
    expect(process.rows.find((r) => r.node === node && r.channel === 0)!.actual).toEqual([1, 1, 1]);
  });
});

describe("bad actuals name the cell", () => {
  const cases: [string, FactRow[], RegExp, string][] = [
    ["a channel the funnel does not have", [actual("A", "Z", MARCH_1, [1, 1, 1], 7)], /^Actuals!C7$/, "unknownActualChannel"],
    ["a count below zero", [actual("A", "X", MARCH_1, [1, -2, 1], 8)], /^Actuals!F8$/, "negativeStageActual"],
    ["a count that is not whole", [actual("A", "X", MARCH_1, [1, 1, 0.5], 9)], /^Actuals!G9$/, "negativeStageActual"],
  ];
  it.each(cases)("%s", (_name, rows, ref, code) => {
    try {
      run(example(), rows, MARCH_31);
      throw new Error("expected problems");
    } catch (e) {
      expect(e).toBeInstanceOf(PlanProblemsError);
      const [p] = (e as PlanProblemsError).problems;
      expect(p.ref).toMatch(ref);
      expect(p.code).toBe(code);
    }
  });
});

describe("deep data, actual against plan", () => {
  // One rep, one channel; History: hoods 9,000 in 3 orders (Classic), purifiers 1,000 in 1 (Premium), per month.
  const input = planInput({
    tiers: { target: 120_000 },
    history: Array.from({ length: 12 }, (_, m) => [
      monthFact(2026, m + 1, { Rep: "A", Channel: "X", Product: "Hood", Series: "Classic" }, 9_000, { Orders: 3, Visits: 6, Invitations: 12 }),
      monthFact(2026, m + 1, { Rep: "A", Channel: "X", Product: "Purifier", Series: "Premium" }, 1_000, { Orders: 1, Visits: 2, Invitations: 4 }),
    ]).flat(),
  });
  const plan = computePlan(input);
  const columns: HistoryColumns = { table: "History!A1", letters: {}, labels: {} };
  const drivers = computeDrivers(input, plan, {
    funnel: { dimension: "Channel", stages: STAGES },
    product: "Product",
    series: "Series",
    units: "Orders",
    attachments: [{ product: "Purifier", rate: 0.3, ref: "Settings!B9" }],
    columns,
  });
  const sale = (product: string, series: string, amount: number, orders: number): FactRow => ({
    dims: { Rep: "A", Channel: "X", Product: product, Series: series },
    start: MARCH_1,
    end: MARCH_1,
    measures: { Amount: amount, Orders: orders, Visits: orders, Invitations: orders },
  });
  const rows = [sale("Hood", "Classic", 24_000, 8), sale("Purifier", "Premium", 2_000, 2), sale("Hood", "Premium", 4_000, 1)];
  const progress = computeProgress(input, plan, rows, { asOf: MARCH_31 });
  const deepSpec = { orders: true, product: "Product", units: "Orders", addOnColumns: {}, series: "Series" };
  const process = computeProcess(input, plan, progress, rows, { drivers, funnel: drivers.funnel!, stages: STAGES, byChannel: true, columns: ACTUALS_COLUMNS, deep: { spec: deepSpec, drivers } });
  const rep = process.deep!.rows[1];

  it("measures the average order value against the member's Target ÷ their orders task", () => {
    // 120,000 at 2,500 an order (History 120,000 ÷ 48) = 48 orders.
    expect(rep.amount).toBe(30_000);
    expect(rep.orders).toBe(11);
    expect(rep.planAverageOrderValue).toBe(120_000 / 48);
  });

  it("measures an add-on's units against the plan's attachment rate", () => {
    expect(process.deep!.addOns).toEqual([{ product: "Purifier", rate: 0.3 }]);
    expect(rep.addOnUnits).toEqual([2]);
  });

  it("measures each series' amount against its plan share", () => {
    expect(process.deep!.series.map((s) => s.member)).toEqual(["Classic", "Premium"]);
    expect(process.deep!.series[0].share).toBeCloseTo(0.9, 12);
    expect(rep.seriesAmounts).toEqual([24_000, 6_000]);
  });

  it("counts an add-on by a column of its own", () => {
    const own = [{ dims: { Rep: "A", Channel: "X" }, start: MARCH_1, end: MARCH_1, measures: { Amount: 5_000, Orders: 4, Visits: 4, Invitations: 4, Purifier: 3 } }];
    const p = computeProgress(input, plan, own, { asOf: MARCH_31 });
    const spec = { orders: true, units: "Orders", addOnColumns: { Purifier: "Purifier" } };
    const result = computeProcess(input, plan, p, own, { drivers, funnel: drivers.funnel!, stages: STAGES, byChannel: true, columns: ACTUALS_COLUMNS, deep: { spec, drivers } });
    expect(result.deep!.rows[0].addOnUnits).toEqual([3]);
    expect(result.deep!.rows[0].orders).toBe(4);
  });
});
