/**
 * Incentives (激励, "讲明激励与惩罚"): what each member earns by the Payout table's bands, at AsOf
 * and at the forecast, and what the next step up would add ("再卖 X 到达力争，多得 Y").
 *
 *  - A **band** starts at a tier of the member's plan (保底 / 力争 / 冲刺) or at a completion of
 *    their Target (120 % = 1.2 × Target). A member reaches a band when their actual is at least
 *    its start. Bands are given in ascending order; for one member two bands may start at the
 *    same amount (a Floor rounded up to the Target), and then both are reached at once.
 *  - **Whole** (default): the Rate of the highest band reached applies to the whole actual.
 *    **Marginal**: each band's Rate applies only to the sales inside it (from its start to the
 *    next band's). Either way every Bonus of a band reached is added.
 *  - A **ranking award** per rank (1st, 2nd, … the top N by the Ranking's RankBy, ties sharing a
 *    rank) is added, then the **cap** (PayoutCap) limits the total.
 *  - Payouts are exact: the bands are decided on the exact actual (the decimals the Actuals
 *    show, summed without rounding), rates are the decimals as written, and the total is rounded
 *    half up to 0.01 once, before the cap.
 *
 * Pure: plain data in, plain data out.
 */
import { amountQuanta } from "./amounts";
import { PlanProblemsError, type Problem } from "./problems";
import type { ProgressResult } from "./progress";
import { add, compare, ExactSum, floor, fromNumber, mul, pow10, ratio, roundHalfUp, sub, toDouble, ZERO, type Rational } from "./rational";
import { TIERS, type FactRow, type PlanResult, type Tier } from "./types";

export type PayoutMode = "Whole" | "Marginal";

/** Where a band starts: a tier of the member's plan, or a completion of their Target (1.2 = 120 %). */
export type BandStart = { tier: Tier } | { completion: number };

export interface PayoutBand {
  from: BandStart;
  /** A share of the actual, 0 … 1, as written (an empty Rate cell carries the band before's). */
  rate: number;
  /** A fixed amount added once the band is reached (≥ 0). */
  bonus: number;
  /** The From cell as written (力争, 120%), for messages and sheets. */
  label: string;
  refs: { from: string; rate: string; bonus: string };
}

export interface PayoutRules {
  /** In ascending order of their starts. */
  bands: PayoutBand[];
  mode: PayoutMode;
  /** The most one member is paid (≥ 0). */
  cap?: number;
  /** The award of rank 1, 2, … N (the top N): empty for none. */
  rankAward: number[];
  refs: { table?: string; mode?: string; cap?: string; rankAward?: string };
}

/** Payouts are rounded to this many decimals (0.01), half up. */
export const PAYOUT_DECIMALS = 2;
const CENTS = pow10(PAYOUT_DECIMALS);

/** The next step up from an amount: the lowest tier or band start above it. */
export interface NextStep {
  /** A tier of the plan, when the step is one. */
  tier?: Tier;
  /** Otherwise the band's completion (1.2 = 120 %). */
  completion?: number;
  /** The band's From as written, or the tier. */
  label: string;
  /** The amount the step starts at. */
  at: number;
  /** What is still to sell: at − actual. */
  sell: number;
  /** What reaching it adds to the payout. */
  earn: number;
}

export interface MemberPayout {
  /** Index into PlanResult.nodes (a leaf). */
  node: number;
  /** The highest tier of the plan the actual has reached, or null below the first. */
  tier: Tier | null;
  actual: number;
  forecast: number;
  /** Each band's start for this member (the running maximum of the starts, so they never go down). */
  starts: number[];
  /** The highest band reached (index into the rules' bands), −1 below the first. */
  band: number;
  /** Rank by the Ranking's RankBy, and the award it brings. */
  rank: number;
  rankAward: number;
  /** Rate × actual (Whole) or Σ rate × sales in band (Marginal), bonuses and award, rounded, capped. */
  payout: number;
  /** The same at the forecast. */
  atForecast: number;
  next: NextStep | null;
}

export interface TeamPayout {
  /** Index into PlanResult.nodes (a node with members below it; the root first). */
  node: number;
  actual: number;
  payout: number;
  atForecast: number;
  /** Payout ÷ actual, the cost of the incentives as a share of sales (0 without sales). */
  costShare: number;
}

export interface PayoutResult {
  rules: PayoutRules;
  members: MemberPayout[];
  teams: TeamPayout[];
}

/** How to read a member's actual (exactly: see exactActuals) and forecast (an estimate, as Progress shows it: see shownForecast). */
export interface PayoutAmounts {
  actual: (leaf: number) => Rational;
  forecast: (leaf: number) => number;
}

// ── the amounts a band starts at ──────────────────────────────────────────────────────

/** A tier of a node, exactly. */
export function tierAmount(plan: PlanResult, tier: Tier, node: number): Rational {
  if (plan.exact?.nodeUnits[tier]) return { n: amountQuanta(plan, tier, "node", node), d: pow10(plan.exact.decimals) };
  return fromNumber(plan.nodes[node].amount[tier]);
}

function rawStart(plan: PlanResult, band: PayoutBand, node: number): Rational {
  return "tier" in band.from ? tierAmount(plan, band.from.tier, node) : mul(fromNumber(band.from.completion), tierAmount(plan, "target", node));
}

/** Each band's start for one node, exactly: the running maximum, so a later band never starts below an earlier one. */
export function bandStarts(plan: PlanResult, rules: PayoutRules, node: number): Rational[] {
  const out: Rational[] = [];
  for (const band of rules.bands) {
    const s = rawStart(plan, band, node);
    const prev = out[out.length - 1];
    out.push(prev && compare(prev, s) > 0 ? prev : s);
  }
  return out;
}

// ── the checks that need the plan ─────────────────────────────────────────────────────

const TIER_WORDS: Record<Tier, string> = { floor: "Floor", target: "Target", stretch: "Stretch" };

/**
 * Where a band starts on the plan's own scale, as a completion of the plan's Target: a tier by
 * the plan's totals (Target is 1), a completion as given. Undefined when the plan's Target is 0.
 */
function position(plan: PlanResult, band: PayoutBand): Rational | undefined {
  if ("completion" in band.from) return fromNumber(band.from.completion);
  const target = tierAmount(plan, "target", 0);
  if (band.from.tier === "target") return { n: 1n, d: 1n };
  if (target.n === 0n) return undefined;
  return ratio(tierAmount(plan, band.from.tier, 0), target);
}

/**
 * The Payout table against the plan: a band on a tier the plan does not have, bands out of order
 * or starting at the same point (two tiers in the wrong order, 冲刺 before 120 % where the plan's
 * Stretch is 125 % of its Target, 力争 and 100 %). Each problem names the band's From cell.
 */
export function checkPayoutRules(plan: PlanResult, rules: PayoutRules): Problem[] {
  const problems: Problem[] = [];
  const tiers = plan.tiers.map((t) => TIER_WORDS[t]).join(", ");
  const usable: { band: PayoutBand; index: number }[] = [];
  rules.bands.forEach((band, index) => {
    if ("tier" in band.from && !plan.tiers.includes(band.from.tier)) {
      problems.push({ ref: band.refs.from, code: "payoutTierMissing", args: { band: band.label, tier: TIER_WORDS[band.from.tier], tiers } });
    } else usable.push({ band, index });
  });
  for (let k = 1; k < usable.length; k++) {
    const { band } = usable[k];
    const previous = usable[k - 1].band;
    let order: number | undefined;
    if ("tier" in band.from && "tier" in previous.from) order = TIERS.indexOf(band.from.tier) - TIERS.indexOf(previous.from.tier);
    else {
      const a = position(plan, previous);
      const b = position(plan, band);
      if (a && b) order = compare(b, a);
    }
    if (order === undefined) continue;
    if (order < 0) problems.push({ ref: band.refs.from, code: "payoutBandsOutOfOrder", args: { band: band.label, previous: previous.label } });
    else if (order === 0) problems.push({ ref: band.refs.from, code: "payoutBandsOverlap", args: { band: band.label, previous: previous.label } });
  }
  return problems;
}

// ── what an amount earns ──────────────────────────────────────────────────────────────

interface ExactRules {
  rates: Rational[];
  bonuses: Rational[];
  /** The cap in whole cents (a cap finer than a cent is taken to the cent below). */
  cap?: bigint;
  mode: PayoutMode;
}

function exactRules(rules: PayoutRules): ExactRules {
  return {
    rates: rules.bands.map((b) => fromNumber(b.rate)),
    bonuses: rules.bands.map((b) => fromNumber(b.bonus)),
    cap: rules.cap === undefined ? undefined : floor(mul(fromNumber(rules.cap), { n: CENTS, d: 1n })),
    mode: rules.mode,
  };
}

/** The highest band an amount reaches (−1 below the first); the starts never go down. */
function bandReached(starts: readonly Rational[], amount: Rational): number {
  let band = -1;
  for (let k = 0; k < starts.length; k++) if (compare(amount, starts[k]) >= 0) band = k;
  return band;
}

/** The payout of `amount` before rounding and cap: commission and the bonuses of the bands reached. */
function gross(rules: ExactRules, starts: readonly Rational[], amount: Rational): Rational {
  const band = bandReached(starts, amount);
  if (band < 0) return ZERO;
  let total: Rational = ZERO;
  if (rules.mode === "Whole") total = mul(rules.rates[band], amount);
  else {
    for (let k = 0; k <= band; k++) {
      const upper = k === band ? amount : starts[k + 1];
      total = add(total, mul(rules.rates[k], sub(upper, starts[k])));
    }
  }
  for (let k = 0; k <= band; k++) total = add(total, rules.bonuses[k]);
  return total;
}

/** The payout of `amount` with a ranking award in whole cents: rounded half up to 0.01, then capped. Exact. */
function centsOf(rules: ExactRules, starts: readonly Rational[], amount: Rational, award: Rational): bigint {
  const total = add(gross(rules, starts, amount), award);
  const cents = roundHalfUp(mul(total, { n: CENTS, d: 1n }));
  return rules.cap !== undefined && cents > rules.cap ? rules.cap : cents;
}

const centsValue = (cents: bigint): number => Number(cents) / 100;

/**
 * What a member is paid for `amount` (an exact amount), by the rules and their band starts:
 * rounded to 0.01 half up, then capped. `award` is their ranking award (0 when none).
 */
export function payoutAt(rules: PayoutRules, starts: readonly Rational[], amount: Rational, award: Rational = ZERO): Rational {
  return { n: centsOf(exactRules(rules), starts, amount, award), d: CENTS };
}

/** What reaching each tier of the plan exactly is worth to a member, before any ranking award (for the target letters). */
export function tierWorth(plan: PlanResult, rules: PayoutRules, node: number): Partial<Record<Tier, number>> {
  const exact = exactRules(rules);
  const starts = bandStarts(plan, rules, node);
  const out: Partial<Record<Tier, number>> = {};
  for (const tier of plan.tiers) out[tier] = centsValue(centsOf(exact, starts, tierAmount(plan, tier, node), ZERO));
  return out;
}

const asNumber = (r: Rational): number => (r.n === 0n ? 0 : toDouble(r.n, r.d));

function tierReached(plan: PlanResult, node: number, amount: Rational): Tier | null {
  let reached: Tier | null = null;
  for (const tier of TIERS) if (plan.tiers.includes(tier) && compare(amount, tierAmount(plan, tier, node)) >= 0) reached = tier;
  return reached;
}

/** The lowest tier or band start above `amount`; a tier wins over a band starting at the same amount. */
function nextStep(plan: PlanResult, rules: PayoutRules, starts: readonly Rational[], node: number, amount: Rational): { at: Rational; tier?: Tier; band?: number } | undefined {
  let best: { at: Rational; tier?: Tier; band?: number } | undefined;
  for (const tier of TIERS) {
    if (!plan.tiers.includes(tier)) continue;
    const at = tierAmount(plan, tier, node);
    if (compare(at, amount) > 0 && (!best || compare(at, best.at) < 0)) best = { at, tier };
  }
  starts.forEach((at, band) => {
    if (compare(at, amount) > 0 && (!best || compare(at, best.at) < 0)) best = { at, band };
  });
  if (best?.band !== undefined) {
    // A band on a tier is that tier.
    const from = rules.bands[best.band].from;
    if ("tier" in from) return { at: best.at, tier: from.tier };
  }
  return best;
}

// ── the members' actual and forecast, exactly ─────────────────────────────────────────

const SEP = "\u0001";

/**
 * Each member's actual to AsOf exactly. Whole amounts whose magnitudes add up to a safe integer
 * are exact as the doubles progress added; otherwise each member's Actuals rows are summed again
 * exactly, each cell taken as the decimal it shows (only when a member's actual is asked for).
 * A row counts for the member its path names, or, when it names only some levels, for the one
 * member its most specific level names (when that name is unique in the plan).
 */
export function exactActuals(plan: PlanResult, progress: ProgressResult, rows: readonly FactRow[]): (leaf: number) => Rational {
  const metric = plan.metric;
  let whole = true;
  let magnitude = 0;
  // The usual metric read as a named property: a keyed read per row of a million costs more.
  const amount = metric === "Amount";
  for (const row of rows) {
    if (row.start > progress.asOf || row.start < plan.start) continue;
    const v = amount ? row.measures.Amount : row.measures[metric];
    if (!v) continue;
    magnitude += Math.abs(v);
    if (v !== Math.floor(v)) {
      whole = false;
      break;
    }
  }
  if (whole && magnitude <= Number.MAX_SAFE_INTEGER) return (leaf) => ({ n: BigInt(progress.nodes[leaf].actual), d: 1n });

  let sums: Map<number, ExactSum> | undefined;
  const sumRows = (): Map<number, ExactSum> => {
    const out = new Map<number, ExactSum>();
    // The member progress counted each row to, when it says so.
    const counted = (progress as { rowNodes?: Int32Array }).rowNodes;
    if (counted && counted.length === rows.length) {
      rows.forEach((row, r) => {
        const leaf = counted[r];
        const v = row.measures[metric];
        if (leaf < 0 || !v) return;
        let sum = out.get(leaf);
        if (!sum) out.set(leaf, (sum = new ExactSum()));
        sum.add(v);
      });
      return out;
    }
    const byPath = new Map<string, number>();
    // The members each level's name can mean, for rows that name only some levels.
    const byName = plan.levels.map(() => new Map<string, number[]>());
    for (const leaf of plan.leaves) {
      const path = plan.nodes[leaf].path;
      byPath.set(plan.levels.map((l) => path[l]).join(SEP), leaf);
      plan.levels.forEach((l, i) => {
        const list = byName[i].get(path[l]) ?? [];
        list.push(leaf);
        byName[i].set(path[l], list);
      });
    }
    for (const row of rows) {
      if (row.start > progress.asOf || row.start < plan.start || row.start > plan.end) continue;
      const v = row.measures[metric];
      if (!v) continue;
      let leaf = byPath.get(plan.levels.map((l) => row.dims[l] ?? "").join(SEP));
      if (leaf === undefined) {
        const deepest = plan.levels.length - 1;
        const name = row.dims[plan.levels[deepest]];
        const candidates = name === undefined ? undefined : byName[deepest].get(name);
        if (candidates?.length === 1 && plan.levels.every((l) => row.dims[l] === undefined || row.dims[l] === plan.nodes[candidates[0]].path[l])) leaf = candidates[0];
      }
      if (leaf === undefined) continue;
      let sum = out.get(leaf);
      if (!sum) out.set(leaf, (sum = new ExactSum()));
      sum.add(v);
    }
    return out;
  };
  return (leaf) => {
    sums ??= sumRows();
    const exact = sums.get(leaf)?.value ?? ZERO;
    const shown = progress.nodes[leaf].actual;
    // The sum must be the one progress made (to its rounding); if the rows were matched otherwise, take its figure.
    const tolerance = 1e-9 * Math.max(1, Math.abs(shown));
    return Math.abs(asNumber(exact) - shown) <= tolerance ? exact : fromNumber(shown);
  };
}

/**
 * The forecast a member's payout at the forecast is worked out on: the one the status follows
 * (the run rate, or the seasonal forecast when progress follows that), as Progress shows it.
 */
export function shownForecast(progress: ProgressResult): (leaf: number) => number {
  const seasonal = (progress as { forecastBy?: string }).forecastBy === "Seasonal";
  return (leaf) => {
    const n = progress.nodes[leaf] as { forecast: number; forecastSeasonal?: number };
    return seasonal && n.forecastSeasonal !== undefined ? n.forecastSeasonal : n.forecast;
  };
}

// ── everyone's payouts ────────────────────────────────────────────────────────────────

/**
 * Every member's payout at AsOf and at the forecast, with the next step up, and the totals per
 * node above them. Throws PlanProblemsError when the rules do not fit the plan (checkPayoutRules).
 */
export function computePayouts(plan: PlanResult, progress: ProgressResult, rules: PayoutRules, amounts: PayoutAmounts): PayoutResult {
  const problems = checkPayoutRules(plan, rules);
  if (problems.length) throw new PlanProblemsError(problems);
  const exact = exactRules(rules);
  const awards = rules.rankAward.map(fromNumber);
  const rankOf = new Map(progress.ranking.map((r) => [r.node, r.rank]));

  // Each member's payout and payout at the forecast in whole cents, for the totals.
  const cents: bigint[] = [];
  const forecastCents: bigint[] = [];
  const members: MemberPayout[] = plan.leaves.map((leaf, i) => {
    const starts = bandStarts(plan, rules, leaf);
    const actual = amounts.actual(leaf);
    const forecast = amounts.forecast(leaf);
    const forecastExact = fromNumber(Math.max(0, forecast));
    const rank = rankOf.get(leaf) ?? 0;
    const award = rank >= 1 && rank <= awards.length ? awards[rank - 1] : ZERO;
    const now = centsOf(exact, starts, actual, award);
    cents[i] = now;
    forecastCents[i] = centsOf(exact, starts, forecastExact, award);
    const step = nextStep(plan, rules, starts, leaf, actual);
    let next: NextStep | null = null;
    if (step) {
      const band = step.band === undefined ? undefined : rules.bands[step.band];
      next = {
        ...(step.tier ? { tier: step.tier } : {}),
        ...(band && "completion" in band.from ? { completion: band.from.completion } : {}),
        label: step.tier ?? band?.label ?? "",
        at: asNumber(step.at),
        sell: asNumber(sub(step.at, actual)),
        earn: centsValue(centsOf(exact, starts, step.at, award) - now),
      };
    }
    return {
      node: leaf,
      tier: tierReached(plan, leaf, actual),
      actual: progress.nodes[leaf].actual,
      forecast,
      starts: starts.map(asNumber),
      band: bandReached(starts, actual),
      rank,
      rankAward: asNumber(award),
      payout: centsValue(now),
      atForecast: centsValue(forecastCents[i]),
      next,
    };
  });

  // Totals of every node with members below it, exactly: sums of whole cents.
  const payoutSum = plan.nodes.map(() => 0n);
  const forecastSum = plan.nodes.map(() => 0n);
  members.forEach((m, i) => {
    for (let n = plan.nodes[m.node].parent; n >= 0; n = plan.nodes[n].parent) {
      payoutSum[n] += cents[i];
      forecastSum[n] += forecastCents[i];
    }
  });
  const teams: TeamPayout[] = [];
  plan.nodes.forEach((node, i) => {
    if (node.children.length === 0) return;
    const actual = progress.nodes[i].actual;
    const payout = centsValue(payoutSum[i]);
    teams.push({ node: i, actual, payout, atForecast: centsValue(forecastSum[i]), costShare: actual > 0 ? payout / actual : 0 });
  });
  return { rules, members, teams };
}
