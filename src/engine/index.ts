export * from "./types";
export * from "./problems";
export { computePlan, roundToUnit, historyBetween } from "./plan";
export { makeCalendar, periodSlots, countWorkdays } from "./calendar";
export * from "./dates";
export { checkTotals, type TotalsCheck } from "./check";
