export * from "./types";
export * from "./problems";
export { computePlan, roundToUnit, historyBetween } from "./plan";
export { amountDecimal, amountQuanta, numberOfQuanta, numberText, MAX_UNITS, type AmountPlace } from "./amounts";
export { makeCalendar, periodSlots, countWorkdays } from "./calendar";
export * from "./dates";
export { checkTotals, type TotalsCheck } from "./check";
export { computeProgress, statusOf, type NodeProgress, type PeriodProgress, type ProgressOptions, type ProgressResult, type RankBy, type RankEntry, type Status, type UnplannedActual } from "./progress";
export { competitionRanks } from "./ranking";
export {
  computeFunnel,
  splitAmount,
  splitQuanta,
  spreadCount,
  ceilScaled,
  type FunnelSpec,
  type FunnelResult,
  type ChannelFunnel,
  type HistoryColumns,
} from "./funnel";
export {
  computeDrivers,
  type DriverSpec,
  type DriversResult,
  type AttachmentSpec,
  type AttachmentRow,
  type AverageOrderValueRow,
  type MixResult,
  type MixRow,
} from "./drivers";
export * as rational from "./rational";
