/** Small builders for engine tests: a PlanInput with sensible defaults and history facts by month. */
import { dayFromYmd, daysInMonth } from "../../src/engine/dates";
import type { FactRow, PlanInput } from "../../src/engine/types";

export function planInput(over: Partial<PlanInput> = {}): PlanInput {
  return {
    start: dayFromYmd(2027, 1, 1),
    end: dayFromYmd(2027, 12, 31),
    metric: "Amount",
    tiers: { target: 1_000_000 },
    levels: ["Rep"],
    levelLabels: ["Rep"],
    methods: {},
    unit: 1,
    grain: "Month",
    workdays: "All",
    holidays: [],
    stages: [],
    history: [],
    weights: [],
    refs: { target: "Targets!B2", floor: "Targets!A2", stretch: "Targets!C2", growth: "Targets!D2", weightsHeader: "Weights!C1" },
    ...over,
  };
}

/** A history fact covering the whole month. */
export function monthFact(year: number, month: number, dims: Record<string, string>, amount: number, extra: Record<string, number> = {}): FactRow {
  const start = dayFromYmd(year, month, 1);
  return { dims, start, end: start + daysInMonth(year, month) - 1, measures: { Amount: amount, ...extra } };
}
