/**
 * Driver targets, the method's "deep data" (深度数据分解): what the plan means for the average
 * order value (平均单值), the product mix (产品线, 系列占比) and the attachment rates (配套率).
 *
 *  - **Average order value.** History metric ÷ History orders, overall and per channel, beside
 *    the value the plan implies: Target ÷ the orders the funnel asks for.
 *  - **Product mix.** The Target split over product lines (and over series, when History has a
 *    series column) by History share, with the plan's controlled rounding; units per line =
 *    ⌈amount × History units ÷ History amount⌉, exactly.
 *  - **Attachments.** Units of an add-on = ⌈orders × rate⌉, exactly, where orders are the plan's
 *    (the funnel's total, else Target ÷ the average order value) and the rate is the Settings
 *    value (`Attach.净水器 = 30%`) or, measured from History, the add-on's units ÷ all orders.
 *
 * Problems (a product line with sales but no units, an add-on that History cannot measure) name
 * the History cell or the Settings cell to fix.
 */
import { numberOfQuanta } from "./amounts";
import { cellInRow, ceilScaled, computeFunnel, historySums, planTargetQuanta, splitQuanta, type FunnelResult, type FunnelSpec, type HistoryColumns, type MemberSums } from "./funnel";
import { PlanProblemsError, type Problem } from "./problems";
import { add, fromNumber, isZero, pow10, ratio, toNumber, ZERO, type Rational } from "./rational";
import type { PlanInput, PlanResult } from "./types";

export interface AttachmentSpec {
  /** The add-on product line, as written in the Settings key (`Attach.净水器` → 净水器). */
  product: string;
  /** The rate from Settings (0 … 1); absent: measure it from History. */
  rate?: number;
  /** The Settings cell that names it (its Value cell). */
  ref: string;
}

/** What the contract found for the drivers; every name is a FactRow key. */
export interface DriverSpec {
  funnel?: FunnelSpec;
  /** The product-line column (FactRow.dims key). */
  product?: string;
  /** The series column (经典 / 尊贵 …). */
  series?: string;
  /** The measure counting units of a product line: a Units column when History has one, else Orders. */
  units: string;
  attachments: AttachmentSpec[];
  columns: HistoryColumns;
}

export interface MixRow {
  member: string;
  /** History of the metric and of units. */
  history: { amount: number; units: number };
  share: number;
  exact: number;
  target: number;
  /** History amount ÷ History units (0 when it has no units). */
  averageValue: number;
  units: number;
}

export interface MixResult {
  dimension: string;
  rows: MixRow[];
  totals: { history: { amount: number; units: number }; target: number; units: number };
}

export interface AttachmentRow {
  product: string;
  source: "History" | "Settings";
  rate: number;
  /** For a History rate: the add-on's units and all orders, whose ratio is the rate. */
  history?: { units: number; orders: number };
  /** The orders the units are attached to: the plan's total orders. */
  orders: number;
  units: number;
}

export interface AverageOrderValueRow {
  /** The channel, or absent for the whole plan. */
  channel?: string;
  history: { amount: number; orders: number; value: number };
  target: number;
  orders: number;
  /** Target ÷ orders: the average order value the plan asks for. */
  value: number;
}

export interface DriversResult {
  metric: string;
  units: string;
  funnel?: FunnelResult;
  /** Overall first, then per channel when there is a funnel. */
  averageOrderValue: AverageOrderValueRow[];
  products?: MixResult;
  series?: MixResult;
  attachments: AttachmentRow[];
  columns: HistoryColumns;
}

function mix(plan: PlanResult, history: MemberSums, dimension: string, units: string, columns: HistoryColumns, problems: Problem[]): MixResult | undefined {
  const metric = plan.metric;
  if (history.members.length === 0) return undefined;
  const sums = history.members.map((m) => history.sums.get(m)!);
  const scale = planTargetQuanta(plan);
  const split = splitQuanta({ ...scale, periods: [scale.total], bases: sums.map((s) => s[metric]) });
  const quantum = pow10(split.decimals);
  const rows = history.members.map((member, k): MixRow => {
    const amount = sums[k][metric];
    const count = sums[k][units];
    const target = split.amounts[k];
    let unitsNeeded = 0;
    if (target > 0) {
      if (isZero(amount) || isZero(count)) {
        const measure = isZero(count) ? units : metric;
        problems.push({
          ref: cellInRow(history.firstRef.get(member), columns.letters[measure], columns.table),
          code: "driverNoUnits",
          args: { dimension: columns.labels[dimension] ?? dimension, member, measure: columns.labels[measure] ?? measure },
        });
      } else unitsNeeded = ceilScaled({ n: split.amountQuanta[k], d: quantum }, count, amount);
    }
    return {
      member,
      history: { amount: toNumber(amount), units: toNumber(count) },
      share: split.shares[k],
      exact: split.exact[k],
      target,
      averageValue: isZero(count) ? 0 : toNumber(ratio(amount, count)),
      units: unitsNeeded,
    };
  });
  // Totals exactly: History sums as rationals, amounts in quanta, units as whole numbers.
  const exactTotal = (measure: string): number => toNumber(sums.reduce<Rational>((a, s) => add(a, s[measure]), ZERO));
  return {
    dimension,
    rows,
    totals: {
      history: { amount: exactTotal(metric), units: exactTotal(units) },
      target: numberOfQuanta(split.amountQuanta.reduce((a, b) => a + b, 0n), split.decimals),
      units: rows.reduce((a, r) => a + r.units, 0),
    },
  };
}

/**
 * The drivers of a plan. Throws PlanProblemsError with every problem found (the funnel's first).
 */
export function computeDrivers(input: PlanInput, plan: PlanResult, spec: DriverSpec): DriversResult {
  const { columns, units } = spec;
  const metric = plan.metric;
  const problems: Problem[] = [];
  // One pass over History for everything: per channel, product line and series, and overall.
  const dimensions = [spec.funnel?.dimension, spec.product, spec.series].filter((d): d is string => d !== undefined);
  const measures = [...new Set([metric, "Orders", units, ...(spec.funnel?.stages ?? [])])];
  const sums = historySums(input, [...new Set(dimensions)], measures);
  let funnel: FunnelResult | undefined;
  if (spec.funnel) {
    try {
      funnel = computeFunnel(input, plan, spec.funnel, columns, sums);
    } catch (e) {
      if (!(e instanceof PlanProblemsError)) throw e;
      problems.push(...e.problems);
    }
  }

  // The plan's orders: the funnel's, else Target ÷ the average order value of all History.
  const overall = sums.all;
  // The members' Target (in an uplifted plan, their quotas' total: what the funnel works back from).
  const planQuanta = planTargetQuanta(plan);
  const target = numberOfQuanta(planQuanta.total, planQuanta.decimals);
  let orders: number | undefined = funnel?.totals.counts.Orders;
  if (orders === undefined && !isZero(overall.Orders) && !isZero(overall[metric])) {
    orders = ceilScaled({ n: planQuanta.total, d: pow10(planQuanta.decimals) }, overall.Orders, overall[metric]);
  }

  const averageOrderValue: AverageOrderValueRow[] = [];
  if (orders !== undefined) {
    averageOrderValue.push(aovRow(undefined, overall[metric], overall.Orders, target, orders));
    for (const c of funnel?.channels ?? []) {
      averageOrderValue.push(aovRow(c.channel, fromNumber(c.history[metric]), fromNumber(c.history.Orders), c.target, c.counts.Orders));
    }
  }

  const products = spec.product ? mix(plan, sums.by[spec.product], spec.product, units, columns, problems) : undefined;
  const series = spec.series ? mix(plan, sums.by[spec.series], spec.series, units, columns, problems) : undefined;

  const attachments: AttachmentRow[] = [];
  const productUnits = spec.product ? unitsByProduct(sums.by[spec.product], units) : undefined;
  for (const a of spec.attachments) {
    if (orders === undefined) {
      problems.push({ ref: a.ref, code: "attachWithoutOrders", args: { product: a.product, orders: columns.labels.Orders ?? "Orders" } });
      continue;
    }
    const base = fromNumber(orders);
    if (a.rate !== undefined) {
      attachments.push({ product: a.product, source: "Settings", rate: a.rate, orders, units: ceilScaled(base, fromNumber(a.rate), fromNumber(1)) });
      continue;
    }
    if (!spec.product || !productUnits) {
      problems.push({ ref: a.ref, code: "attachNeedsProduct", args: { product: a.product } });
      continue;
    }
    const addOn = productUnits.get(a.product);
    if (addOn === undefined) {
      problems.push({ ref: a.ref, code: "attachUnknownProduct", args: { product: a.product, dimension: columns.labels[spec.product] ?? spec.product } });
      continue;
    }
    if (isZero(overall.Orders)) {
      problems.push({ ref: a.ref, code: "attachWithoutOrders", args: { product: a.product, orders: columns.labels.Orders ?? "Orders" } });
      continue;
    }
    const rate = ratio(addOn, overall.Orders);
    attachments.push({
      product: a.product,
      source: "History",
      rate: toNumber(rate),
      history: { units: toNumber(addOn), orders: toNumber(overall.Orders) },
      orders,
      units: ceilScaled(base, addOn, overall.Orders),
    });
  }

  if (problems.length) throw new PlanProblemsError(problems);
  return { metric, units, funnel, averageOrderValue, products, series, attachments, columns };
}

function unitsByProduct(sums: MemberSums, units: string): Map<string, Rational> {
  return new Map(sums.members.map((m) => [m, sums.sums.get(m)![units]]));
}

function aovRow(channel: string | undefined, amount: Rational, orders: Rational, target: number, planned: number): AverageOrderValueRow {
  return {
    ...(channel === undefined ? {} : { channel }),
    history: { amount: toNumber(amount), orders: toNumber(orders), value: isZero(orders) ? 0 : toNumber(ratio(amount, orders)) },
    target,
    orders: planned,
    value: planned > 0 ? target / planned : 0,
  };
}
