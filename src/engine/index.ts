export * from "./types";
export * from "./problems";
export { computePlan, roundToUnit, historyBetween } from "./plan";
export { amountDecimal, amountQuanta, numberOfQuanta, numberText, MAX_UNITS, type AmountPlace } from "./amounts";
export { makeCalendar, periodSlots, countWorkdays } from "./calendar";
export * from "./dates";
export { checkTotals, type TotalsCheck } from "./check";
export { computeProgress, planToDate, statusOf, type ForecastBy, type NodeProgress, type PeriodProgress, type ProgressOptions, type ProgressResult, type RankBy, type RankEntry, type Status, type UnplannedActual } from "./progress";
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
export {
  computeProcess,
  memberBottlenecks,
  type ActualsColumns,
  type BottleneckLine,
  type DeepResult,
  type DeepRow,
  type DeepSpec,
  type ProcessResult,
  type ProcessRow,
  type ProcessSpec,
} from "./process";
export { computeReview, NEXT_WEEK_DAYS, PRAISE_IMPROVERS, PRAISE_TOP_RANKS, type HelpLine, type ReviewMember, type ReviewResult } from "./review";
export { FactTable, FactTableBuilder, factTable, factRows, type Facts, type DimColumn, type MeasureColumn, type FactRefs } from "./facts";
