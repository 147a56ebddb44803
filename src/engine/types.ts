/**
 * The engine's plain-data vocabulary: what the contract layer hands in (PlanInput) and what
 * the engine hands back (PlanResult). No Office, no DOM, no file formats: numbers, strings, arrays.
 *
 * Dates are whole days since 1970-01-01 (UTC), "day numbers". Excel's serial = day + 25569.
 */

import type { Facts } from "./facts";

export type DayNum = number;

export type Tier = "floor" | "target" | "stretch";
/** Tiers in their required order: Floor ≤ Target ≤ Stretch. */
export const TIERS: readonly Tier[] = ["floor", "target", "stretch"];

export type Grain = "Year" | "Quarter" | "Month" | "Week" | "Day" | "Stage";
export const GRAINS: readonly Grain[] = ["Year", "Quarter", "Month", "Week", "Day", "Stage"];

export type Method = "History" | "Equal" | "Weights";
export type Workdays = "All" | "Mon-Fri" | "Mon-Sat";

/** One fact of History (or Actuals): a dated row with its dimension members and measures. */
export interface FactRow {
  /** Canonical dimension name (Region, Team, Rep, Channel, … or a user column) → member, as written. */
  dims: Record<string, string>;
  /** First and last day the fact covers: a date gives start = end, a month `2026-05` the whole month. */
  start: DayNum;
  end: DayNum;
  /** Canonical measure name (Amount, Orders, Visits, … or a user column) → value. */
  measures: Record<string, number>;
  /** Where the row is, e.g. `History!A7` (its first cell), for messages. */
  ref?: string;
}

/** A row of the Weights table. */
export interface WeightRow {
  /** Canonical level name (one of PlanInput.levels). */
  level: string;
  member: string;
  /** Members of the levels above, when the Weights row gives them (to place a new member, or to tell apart two with one name). */
  parents?: Record<string, string>;
  weight?: number;
  lock?: number;
  /**
   * A member who joins or leaves within the plan (Weights columns Start / End / Ramp, or the
   * Members table): first and last active day, and the ramp as fractions of a full month for the
   * member's first months (`25%, 50%, 75%` → [0.25, 0.5, 0.75]).
   */
  start?: DayNum;
  end?: DayNum;
  ramp?: number[];
  refs: { member: string; weight?: string; lock?: string; start?: string; end?: string; ramp?: string };
}

/** Seasonality: every member the plan's period shares (Shared), or each leaf its own pattern, balanced to the plan's periods (Own). */
export type Seasonality = "Shared" | "Own";

/** A row of the Holds table: an amount held at a node (a leaf, or a node above), in one period or over the whole plan. */
export interface HoldRow {
  /** Canonical level → member, down to the held node; {} holds the whole plan. */
  path: Record<string, string>;
  /** A period label of the plan (PeriodInfo.label); absent = the node's total over the plan. */
  period?: string;
  tier: Tier;
  amount: number;
  /** The row's first cell, and the cells of its values, for messages. */
  ref: string;
  refs: { amount: string; period?: string; tier?: string; member?: string };
}

export interface StageDef {
  name: string;
  start: DayNum;
  end: DayNum;
  weight?: number;
  ref: string;
}

export interface TierValues {
  floor: number;
  target: number;
  stretch: number;
}

/** Everything the engine needs, already parsed and structurally validated by src/contract. */
export interface PlanInput {
  /** The plan's first and last day, inclusive. */
  start: DayNum;
  end: DayNum;
  /** The History measure the plan is for, canonical (default Amount). */
  metric: string;
  /** Plan totals as given. Target is absent only when growth is given. */
  tiers: Partial<TierValues>;
  /** Target = the same-length period one year earlier in History × (1 + growth). */
  growth?: number;
  floorRatio?: number;
  stretchRatio?: number;
  /** Canonical dimension names in cascade order (Region > Team > Rep). */
  levels: string[];
  /** Level names as the user wrote them (headers of the plan sheet). Same length as levels. */
  levelLabels: string[];
  /** Method per level when Settings say so (Method / Method.Rep); otherwise the default applies. */
  methods: Record<string, Method | undefined>;
  /** Rounding unit for amounts (> 0). */
  unit: number;
  /** How many years before the plan's start feed the shares; undefined = all history. */
  historyYears?: number;
  grain: Grain;
  workdays: Workdays;
  holidays: DayNum[];
  stages: StageDef[];
  /** History's facts: a column-wise table (as the contract reads it), or records. */
  history: Facts;
  weights: WeightRow[];
  /** Seasonality / 季节性; absent = Shared. */
  seasonality?: Seasonality;
  /** The Holds / 锁定值 table's rows; absent or empty = none. */
  holds?: HoldRow[];
  /** Uplift.<Level> / 超额分配.<层级>: the level's members add up to their parent × (1 + fraction). Canonical level → fraction. */
  uplift?: Record<string, number>;
  /** Cells to name in messages about the plan-level figures. */
  refs: {
    floor?: string;
    target?: string;
    stretch?: string;
    growth?: string;
    unit?: string;
    /** The Weights table's header cell of the Weight column (for "member X has no weight"). */
    weightsHeader?: string;
    /** The Stages table (its first cell). */
    stages?: string;
    /** The Settings cell holding Method (or Method.<Level>) per level. */
    methods?: Record<string, string>;
    /** The Settings cells of Seasonality and of Uplift.<Level> (canonical level → cell). */
    seasonality?: string;
    uplift?: Record<string, string>;
    /** The Holds table (its first cell). */
    holds?: string;
  };
}

/** How a node's share of its parent was set. */
export type ShareBasis = "History" | "Equal" | "Weights" | "Lock";

export interface PlanNode {
  /** Level name → member, for the levels down to this node (root: {}). */
  path: Record<string, string>;
  /** 0 for the root (the whole plan), 1 for the first level, … */
  depth: number;
  /** Index of the parent in PlanResult.nodes, −1 for the root. */
  parent: number;
  children: number[];
  /** Member name at its level ("" for the root). */
  member: string;
  /** The level this node belongs to ("" for the root). */
  level: string;
  /** How the share was set. Equal with `fallback` when every sibling's history was zero. */
  basisKind: ShareBasis;
  fallback?: boolean;
  /** The number the share comes from: history of the metric, the weight, or 1 for equal; the lock for locked members. */
  basis: number;
  /** Share of what the parent leaves to its unlocked children (1 for the root; for a lock, lock ÷ parent target). */
  share: number;
  lock?: number;
  /** Exact proportional values, before rounding. */
  exact: TierValues;
  /** Rounded values: multiples of Unit that add up. */
  amount: TierValues;
}

export interface PeriodInfo {
  label: string;
  start: DayNum;
  end: DayNum;
  /** Calendar days and working days of the period inside the plan. */
  days: number;
  workdays: number;
  /** Share of the plan (sums to 1 over periods). */
  share: number;
  exact: TierValues;
  amount: TierValues;
}

/** Where a tier's remainder (its total mod Unit) is carried: one path from the root to a period. */
export interface RemainderPath {
  /** Node indices from the root (0) down to a leaf. */
  nodes: number[];
  /** Leaf-major index of the cell (leaf position × periods + period), as in PlanResult.cells. */
  cell: number;
  /** Index of the period. */
  period: number;
}

/**
 * The plan's amounts exactly. Every amount is a whole number of quanta, 10^-decimals each, where
 * decimals is the most decimal places that the Unit, the tier totals and the locks are written
 * with. An amount is `units × unitQuanta`, plus the tier's `remainder` where it lies on the tier's
 * remainder path. `amountQuanta` and `amountDecimal` (engine/amounts.ts) read it.
 */
export interface ExactAmounts {
  decimals: number;
  /** The Unit in quanta. */
  unitQuanta: bigint;
  /** Per tier of the plan: its remainder in quanta (0 ≤ remainder < unitQuanta) and the path carrying it. */
  tiers: Partial<Record<Tier, { remainder: bigint; path: RemainderPath }>>;
  /** Whole Units per node, per leaf-major cell and per period, per tier (whole numbers up to 10^15, exact as doubles). */
  nodeUnits: Partial<Record<Tier, Float64Array>>;
  cellUnits: Partial<Record<Tier, Float64Array>>;
  periodUnits: Partial<Record<Tier, Float64Array>>;
  /** Exact proportional value of every node per tier, in quanta (n ÷ d). */
  nodeExact: Partial<Record<Tier, { n: bigint; d: bigint }[]>>;
  /** Exact period shares: shareNumerators[j] ÷ shareDenominator, adding up to 1. A cell's exact value is its leaf's × its period's share. */
  shareNumerators: bigint[];
  shareDenominator: bigint;
}

/** One uplifted level of a plan: its members add up to their parent × (1 + fraction), rounded to Unit. */
export interface UpliftApplied {
  /** Canonical level name, and its index in PlanResult.levels. */
  level: string;
  index: number;
  fraction: number;
  /**
   * The Unit the uplifted amounts round to, in the plan's quanta, when it is not the plan's own
   * (a re-plan counts in quanta fine enough for the actuals, and keeps the original plan's Unit).
   */
  unitQuanta?: bigint;
}

export interface PlanResult {
  start: DayNum;
  end: DayNum;
  metric: string;
  unit: number;
  grain: Grain;
  levels: string[];
  levelLabels: string[];
  /** The tiers this plan has (those given or derived), in order. */
  tiers: Tier[];
  /** Tree in depth-first order, the root first. */
  nodes: PlanNode[];
  /** Indices of the leaves in nodes, in depth-first order. */
  leaves: number[];
  periods: PeriodInfo[];
  /** Leaf × period amounts per tier, leaf-major: cells[tier][leafPos * periods.length + periodPos]. */
  cells: Record<Tier, Float64Array>;
  /** Plan totals (root amounts). */
  totals: TierValues;
  /**
   * The same amounts exactly (the numbers above are each the double nearest to these decimals).
   * Always set by computePlan; absent only in results built by hand.
   */
  exact?: ExactAmounts;
  /**
   * Uplift / 超额分配 (engine/uplift.ts), top level first: each such level's members add up to
   * their parent × (1 + fraction), rounded to Unit; absent when the plan has none.
   */
  uplift?: UpliftApplied[];
  /**
   * The balanced plan (Seasonality Own, members' Start / End / Ramp, Holds; engine/balance.ts): the
   * leaves' balanced cell values in Units (leaf-major, as cells), which every rounded cell is within
   * one Unit of, and the RAS iterations (summed over blocks and tiers) and blocks stopped by the cap.
   * Absent for a plan that uses none of them.
   */
  balance?: { iterations: number; capped: number; cells: Partial<Record<Tier, Float64Array>> };
  /** How the rounding was solved (for tests and benchmarks). */
  rounding: {
    repairs: number;
    /** Tiers whose bounds had to be widened past one Unit (the property tests require none). */
    fallbacks: number;
    /**
     * Floor or Stretch tiers rounded within one Unit of Target's rounded amounts × the tier's ratio,
     * because no rounding within one Unit of their own exact values fits on their side of Target's.
     */
    reproportioned: number;
  };
}
