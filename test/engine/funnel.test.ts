/**
 * The funnel (CONTRACT §4.6) on small hand-made plans: exact counts where floating point would
 * round the wrong way, the channel split and its periods, Channel as a plan level, and the
 * problems that name a History cell.
 */
import { computeDrivers, computeFunnel, computePlan, PlanProblemsError, splitAmount, spreadCount, type HistoryColumns } from "../../src/engine";
import { historySums } from "../../src/engine/funnel";
import { add, ceil, compare, decimalPlaces, ExactSum, fromNumber, mul, ratio, roundHalfUp, toNumber } from "../../src/engine/rational";
import type { FactRow, PlanInput } from "../../src/engine/types";
import { monthFact, planInput } from "./build";

const COLUMNS: HistoryColumns = {
  table: "History!A1",
  letters: { Date: "A", Rep: "B", Channel: "C", Product: "D", Amount: "E", Orders: "F", Visits: "G", Invitations: "H" },
  labels: { Channel: "Channel", Amount: "Amount", Orders: "Orders", Visits: "Visits", Invitations: "Invitations", Product: "Product" },
};

function fact(month: number, rep: string, channel: string, measures: Record<string, number>, row: number): FactRow {
  const f = monthFact(2026, month, { Rep: rep, Channel: channel }, measures.Amount ?? 0, measures);
  f.ref = `History!A${row}`;
  return f;
}

/** A one-rep plan over the months of 2027 with History per channel, each channel in one row per month. */
function channelPlan(channels: Record<string, Record<string, number>>, over: Partial<PlanInput> = {}): PlanInput {
  const history: FactRow[] = [];
  let row = 2;
  for (let m = 1; m <= 12; m++) {
    for (const [channel, measures] of Object.entries(channels)) {
      // Spread each measure over the months, the remainder in December, so the yearly sums are as given.
      const month: Record<string, number> = {};
      for (const [k, v] of Object.entries(measures)) month[k] = m < 12 ? Math.floor(v / 12) : v - 11 * Math.floor(v / 12);
      history.push(fact(m, "Li", channel, month, row++));
    }
  }
  return planInput({ history, ...over });
}

describe("rational arithmetic", () => {
  it("reads numbers as the decimals they are written as", () => {
    expect(fromNumber(0.1)).toEqual({ n: 1n, d: 10n });
    expect(fromNumber(1e21)).toEqual({ n: 10n ** 21n, d: 1n });
    expect(fromNumber(1.5e-7)).toEqual({ n: 15n, d: 10n ** 8n });
    expect(fromNumber(-2.25)).toEqual({ n: -225n, d: 100n });
    expect(decimalPlaces(0.25)).toBe(2);
    expect(decimalPlaces(100)).toBe(0);
  });

  it("takes ⌈ ⌉ and ⌊ ⌋ of exact quotients", () => {
    expect(ceil(ratio(fromNumber(11 * 30), fromNumber(22)))).toBe(15n);
    expect(ceil(ratio(fromNumber(-7), fromNumber(2)))).toBe(-3n);
    expect(roundHalfUp(ratio(fromNumber(5), fromNumber(2)))).toBe(3n);
    expect(toNumber(add(fromNumber(0.1), fromNumber(0.2)))).toBe(0.3);
    expect(toNumber(mul(fromNumber(0.07), fromNumber(100)))).toBe(7);
  });

  it("sums decimals without drift", () => {
    const s = new ExactSum();
    for (let i = 0; i < 10; i++) s.add(0.1);
    s.add(2 ** 53);
    s.add(2 ** 53);
    expect(compare(s.value, add(fromNumber(1), { n: 2n ** 54n, d: 1n }))).toBe(0);
    expect(toNumber(ratio(s.value, fromNumber(1)))).toBe(2 ** 54 + 1);
  });
});

describe("History sums", () => {
  it("are exact per member of each dimension and over all rows, those without a member included", () => {
    const input = planInput({
      history: [
        monthFact(2026, 1, { Rep: "Li", Channel: "A", Product: "P" }, 0.1, { Orders: 1 }),
        monthFact(2026, 2, { Rep: "Li", Channel: "B" }, 0.2, { Orders: 2 }),
        monthFact(2026, 3, { Rep: "Li" }, 2 ** 53, { Orders: 3 }),
        monthFact(2026, 4, { Rep: "Li", Product: "P" }, 2 ** 53, { Orders: 4 }),
      ],
    });
    const sums = historySums(input, ["Channel", "Product"], ["Amount", "Orders"]);
    expect(sums.by.Channel.members).toEqual(["A", "B"]);
    expect(sums.by.Product.members).toEqual(["P"]);
    expect(compare(sums.by.Channel.sums.get("B")!.Amount, fromNumber(0.2))).toBe(0);
    expect(compare(sums.by.Product.sums.get("P")!.Amount, add(fromNumber(0.1), fromNumber(2 ** 53)))).toBe(0);
    expect(compare(sums.all.Amount, add(fromNumber(0.3), { n: 2n ** 54n, d: 1n }))).toBe(0);
    expect(toNumber(sums.all.Orders)).toBe(10);
  });

  it("cover the history window only when HistoryYears is set", () => {
    const history = [monthFact(2025, 6, { Rep: "Li", Channel: "A" }, 100, { Orders: 1 }), monthFact(2026, 6, { Rep: "Li", Channel: "A" }, 300, { Orders: 2 })];
    expect(toNumber(historySums(planInput({ history }), ["Channel"], ["Amount"]).all.Amount)).toBe(400);
    expect(toNumber(historySums(planInput({ history, historyYears: 1 }), ["Channel"], ["Amount"]).by.Channel.sums.get("A")!.Amount)).toBe(300);
  });

  it("are zero for a measure History lacks, and keep every other measure in its place", () => {
    const input = planInput({
      history: [monthFact(2026, 1, { Rep: "Li", Channel: "A" }, 5, { Orders: 1 }), monthFact(2026, 2, { Rep: "Li", Channel: "B" }, 7, { Orders: 2 })],
    });
    const sums = historySums(input, ["Channel"], ["Leads", "Amount", "Nothing", "Orders"]);
    expect(["Leads", "Amount", "Nothing", "Orders"].map((m) => toNumber(sums.by.Channel.sums.get("B")![m]))).toEqual([0, 7, 0, 2]);
    expect(["Leads", "Amount", "Nothing", "Orders"].map((m) => toNumber(sums.all[m]))).toEqual([0, 12, 0, 3]);
  });
});

describe("the float traps", () => {
  it("11 orders at 22 visits in 30 need exactly 15 visits, where naive floating point says 16", () => {
    expect(Math.ceil(11 / (22 / 30))).toBe(16);
    const input = channelPlan({ Referral: { Amount: 22_000, Orders: 22, Visits: 30 } }, { tiers: { target: 11_000 }, grain: "Year" });
    const plan = computePlan(input);
    const funnel = computeFunnel(input, plan, { dimension: "Channel", stages: ["Visits", "Orders"] }, COLUMNS)!;
    const [referral] = funnel.channels;
    expect(referral.target).toBe(11_000);
    expect(referral.averageOrderValue).toBe(1000);
    expect(referral.counts).toEqual({ Orders: 11, Visits: 15 });
    expect(referral.rates.Visits).toBeCloseTo(22 / 30, 15);
  });

  it("a Target of 1,100 at 3 orders for 220 needs 15 orders, where Target ÷ (220 ÷ 3) says 16", () => {
    expect(Math.ceil(1100 / (220 / 3))).toBe(16);
    const input = channelPlan({ Walk: { Amount: 220, Orders: 3, Visits: 3 } }, { tiers: { target: 1100 }, grain: "Year" });
    const funnel = computeFunnel(input, computePlan(input), { dimension: "Channel", stages: ["Orders"] }, COLUMNS)!;
    expect(funnel.channels[0].counts.Orders).toBe(15);
  });

  it("100 orders at a 7% attachment rate need 7 add-ons, where 100 × 0.07 says 7.000000000000001", () => {
    expect(Math.ceil(100 * 0.07)).toBe(8);
    const input = channelPlan({ Walk: { Amount: 10_000, Orders: 100 } }, { tiers: { target: 10_000 }, grain: "Year" });
    const plan = computePlan(input);
    const drivers = computeDrivers(input, plan, {
      funnel: { dimension: "Channel", stages: ["Orders"] },
      units: "Orders",
      attachments: [{ product: "Filter", rate: 0.07, ref: "Settings!B5" }],
      columns: COLUMNS,
    });
    expect(drivers.funnel!.totals.counts.Orders).toBe(100);
    expect(drivers.attachments).toEqual([{ product: "Filter", source: "Settings", rate: 0.07, orders: 100, units: 7 }]);
  });
});

describe("the channel split", () => {
  const input = channelPlan(
    {
      Referral: { Amount: 300_000, Orders: 60, Visits: 90, Invitations: 200 },
      "Walk-in": { Amount: 500_000, Orders: 125, Visits: 250, Invitations: 600 },
      Online: { Amount: 200_000, Orders: 50, Visits: 110, Invitations: 330 },
    },
    { tiers: { target: 1_234_500 }, unit: 100, grain: "Quarter" },
  );
  const plan = computePlan(input);
  const funnel = computeFunnel(input, plan, { dimension: "Channel", stages: ["Invitations", "Visits", "Orders"] }, COLUMNS)!;

  it("splits the Target by History share, in multiples of Unit that add up to the plan", () => {
    expect(funnel.source).toBe("History");
    expect(funnel.channels.map((c) => c.channel)).toEqual(["Referral", "Walk-in", "Online"]);
    expect(funnel.channels.map((c) => c.share)).toEqual([0.3, 0.5, 0.2]);
    expect(funnel.channels.map((c) => c.target)).toEqual([370_400, 617_200, 246_900]);
    expect(funnel.totals.target).toBe(1_234_500);
  });

  it("gives each channel's periods adding up to it, and each period's channels adding up to the plan's period", () => {
    for (const c of funnel.channels) {
      expect(c.periods.reduce((a, p) => a + p.target, 0)).toBeCloseTo(c.target, 6);
      for (const s of funnel.stages) expect(c.periods.reduce((a, p) => a + p.counts[s], 0)).toBe(c.counts[s]);
    }
    plan.periods.forEach((p, j) => {
      expect(funnel.channels.reduce((a, c) => a + c.periods[j].target, 0)).toBeCloseTo(p.amount.target, 6);
    });
  });

  it("walks the chain backwards with exact ceilings", () => {
    const [referral] = funnel.channels;
    // 370,400 at 5,000 an order: 74.08 → 75 orders; 75 × 90 ÷ 60 = 112.5 → 113 visits; 113 × 200 ÷ 90 = 251.1 → 252 invitations.
    expect(referral.counts).toEqual({ Orders: 75, Visits: 113, Invitations: 252 });
    expect(funnel.totals.counts.Orders).toBe(funnel.channels.reduce((a, c) => a + c.counts.Orders, 0));
  });
});

describe("Channel as a level of the plan", () => {
  it("takes the channel amounts from the plan, so the two always agree", () => {
    const input = channelPlan(
      { A: { Amount: 100, Orders: 2, Visits: 4 }, B: { Amount: 300, Orders: 3, Visits: 9 } },
      { levels: ["Channel"], levelLabels: ["Channel"], tiers: { target: 1000 }, grain: "Month" },
    );
    const plan = computePlan(input);
    const funnel = computeFunnel(input, plan, { dimension: "Channel", stages: ["Visits", "Orders"] }, COLUMNS)!;
    expect(funnel.source).toBe("Plan");
    expect(funnel.channels.map((c) => c.target)).toEqual(plan.nodes[0].children.map((c) => plan.nodes[c].amount.target));
    funnel.channels.forEach((c, k) => {
      plan.periods.forEach((_, j) => expect(c.periods[j].target).toBe(plan.cells.target[k * plan.periods.length + j]));
    });
  });
});

describe("splitting with a remainder", () => {
  it("keeps the plan's period amounts and puts the remainder on the largest member", () => {
    const split = splitAmount(1005, 10, [1, 2, 3], [335, 330, 340]);
    expect(split.amounts.reduce((a, b) => a + b, 0)).toBe(1005);
    expect(split.amounts.filter((a) => a % 10 !== 0)).toEqual([split.amounts[2]]);
    for (let j = 0; j < 3; j++) expect(split.cells[j] + split.cells[3 + j] + split.cells[6 + j]).toBe([335, 330, 340][j]);
    for (let k = 0; k < 3; k++) expect(split.cells[3 * k] + split.cells[3 * k + 1] + split.cells[3 * k + 2]).toBe(split.amounts[k]);
  });

  it("splits equally when every basis is zero", () => {
    expect(splitAmount(900, 1, [0, 0, 0], [900]).amounts).toEqual([300, 300, 300]);
  });
});

describe("spreading a count over periods", () => {
  it("rounds the running total up, so the periods add up and never fall behind", () => {
    expect(spreadCount(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(spreadCount(3, [5, 5])).toEqual([2, 1]);
    expect(spreadCount(0, [5, 5])).toEqual([0, 0]);
    expect(spreadCount(7, [0, 0])).toEqual([0, 7]);
  });
});

describe("problems name the History cell", () => {
  const stages = ["Invitations", "Visits", "Orders"];
  const run = (channels: Record<string, Record<string, number>>) => {
    const input = channelPlan(channels, { tiers: { target: 10_000 }, grain: "Year" });
    try {
      computeFunnel(input, computePlan(input), { dimension: "Channel", stages }, COLUMNS);
      return [];
    } catch (e) {
      if (!(e instanceof PlanProblemsError)) throw e;
      return e.problems;
    }
  };

  it("a channel with no orders in History: its Orders cell", () => {
    const problems = run({ A: { Amount: 100, Orders: 10, Visits: 20, Invitations: 40 }, B: { Amount: 100, Orders: 0, Visits: 20, Invitations: 40 } });
    expect(problems).toEqual([{ ref: "History!F3", code: "funnelNoOrders", args: { channel: "B", orders: "Orders" } }]);
  });

  it("a missing rate: the first stage with no History, walking back from Orders, once per channel", () => {
    const problems = run({
      A: { Amount: 100, Orders: 10, Visits: 20, Invitations: 0 },
      B: { Amount: 100, Orders: 10, Visits: 0, Invitations: 40 },
      C: { Amount: 100, Orders: 10, Visits: 20, Invitations: 40 },
    });
    expect(problems).toEqual([
      { ref: "History!H2", code: "funnelMissingRate", args: { channel: "A", from: "Invitations", to: "Visits" } },
      { ref: "History!G3", code: "funnelMissingRate", args: { channel: "B", from: "Visits", to: "Orders" } },
    ]);
    const zero = run({ A: { Amount: 100, Orders: 10, Visits: 20, Invitations: 40 }, B: { Amount: 100, Orders: 10, Visits: 20, Invitations: 40 } });
    expect(zero).toEqual([]);
  });

  it("a product line with sales but no units", () => {
    const input = planInput({
      tiers: { target: 1000 },
      grain: "Year",
      history: [
        { ...monthFact(2026, 1, { Rep: "Li", Product: "Hood" }, 500, { Orders: 5 }), ref: "History!A2" },
        { ...monthFact(2026, 1, { Rep: "Li", Product: "Hob" }, 500, { Orders: 0 }), ref: "History!A3" },
      ],
    });
    expect(() => computeDrivers(input, computePlan(input), { product: "Product", units: "Orders", attachments: [], columns: COLUMNS })).toThrow(
      expect.objectContaining({ problems: [{ ref: "History!F3", code: "driverNoUnits", args: { dimension: "Product", member: "Hob", measure: "Orders" } }] }),
    );
  });
});
