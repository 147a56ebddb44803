/**
 * Process tracking (过程追踪, the method's "分析团队的过程数据、深度分解数据，发现问题，及时调整"): not only
 * how far each member is on revenue, but where in the funnel they are behind — too few
 * invitations, weak follow-up (visits), or weak closing (orders) — and the deep data (average
 * order value, attachment rates, series mix) against the plan.
 *
 *  - **Each member's funnel tasks** are those of their target letter (engine/letters.ts): every
 *    channel's count of every stage, split over the members by their Target, exactly, so the
 *    members add up to the Funnel sheet.
 *  - **To date.** A task to date = ⌈task × the member's Target to date ÷ the member's Target⌉,
 *    exactly: the plan's own shape (seasonal), as the Progress sheet's target to date.
 *  - **Actuals.** Each Actuals row counts to the member progress matched it to, and to its channel.
 *  - **The bottleneck** of a member (and channel): the stage whose count (for the first stage,
 *    actual ÷ to date) or conversion rate (for a later one, the actual rate ÷ the plan's) is
 *    furthest behind the plan, when it is behind (below 1); a tie goes to the earliest stage,
 *    since a shortfall there is the root cause. Decided on the exact numbers.
 *
 * Rows above the members (teams, regions, the whole plan) add up the members' tasks and actuals;
 * their plan rate is the ratio of their tasks.
 */
import { amountQuanta, quantaOf } from "./amounts";
import type { DriversResult } from "./drivers";
import { cellInRow, sumsByMember, type FunnelResult } from "./funnel";
import { letterTasks, type LetterTasks } from "./letters";
import { PlanProblemsError, type Problem } from "./problems";
import { elapsedSharesExact, type ProgressResult } from "./progress";
import { decimalPlaces, pow10, ratio, toNumber, type Rational } from "./rational";
import type { FactRow, PlanInput, PlanResult } from "./types";

/** Where the Actuals' columns are, for naming a cell in a problem. */
export interface ActualsColumns {
  /** The Actuals' first cell. */
  table: string;
  /** Column letter by FactRow name (Channel, Invitations, 净水器 …). */
  letters: Record<string, string>;
  /** Header as written, by FactRow name. */
  labels: Record<string, string>;
}

/** What the Actuals carry for the deep data. */
export interface DeepSpec {
  /** The Actuals have an Orders column (average order value, attachment rates). */
  orders: boolean;
  /** The product-line dimension, when the Actuals have one, and the measure counting its units (a Units column, else Orders). */
  product?: string;
  units: string;
  /** An add-on counted by a column of its own (`净水器`), by product → FactRow measure name. */
  addOnColumns: Record<string, string>;
  /** The series dimension, when the Actuals have one. */
  series?: string;
}

export interface ProcessSpec {
  /** The funnel and the driver targets of the plan (the funnel is drivers.funnel). */
  drivers: DriversResult;
  funnel: FunnelResult;
  /** The funnel's stages the Actuals count, in chain order (at least one). */
  stages: string[];
  /** The Actuals name each row's channel (funnel.dimension). */
  byChannel: boolean;
  /** The Actuals' key of the channel column and of each tracked stage, where it differs from the funnel's name. */
  channelKey?: string;
  measureKeys?: string[];
  /** The deep data the Actuals can measure, against the drivers; absent when they measure none. */
  deep?: { spec: DeepSpec; drivers: DriversResult };
  columns: ActualsColumns;
}

export interface ProcessRow {
  /** Index into PlanResult.nodes. */
  node: number;
  /** Index into ProcessResult.channels; −1 for all channels together. */
  channel: number;
  /** Per tracked stage: the whole plan's task, the task to date, the actual. */
  target: number[];
  toDate: number[];
  actual: number[];
  /** Per tracked stage after the first: the plan's conversion rate into it (null where the plan asks for none), and the actual's. */
  planRate: (number | null)[];
  actualRate: (number | null)[];
  /**
   * How far each stage is from the plan, 1 = on plan: for the first stage its actual ÷ to date,
   * for a later one its actual rate ÷ the plan's; null where there is nothing to compare.
   */
  ratio: (number | null)[];
  /** Index of the bottleneck stage, −1 when no stage is behind. */
  bottleneck: number;
  /**
   * Two of the ratios (or a ratio and 1) lie so close that a spreadsheet's floating point could
   * decide otherwise than the exact numbers; the sheet then writes the bottleneck as a value.
   */
  nearTie: boolean;
}

export interface DeepRow {
  node: number;
  amount: number;
  orders: number;
  /** The average order value the plan asks of this node: its Target ÷ its orders task. */
  planAverageOrderValue: number;
  /** Units of each add-on (DeepResult.addOns). */
  addOnUnits: number[];
  /** Amount per series (DeepResult.series). */
  seriesAmounts: number[];
}

export interface DeepResult {
  /** Whether the Actuals count orders (so average order values and attachment rates can be measured). */
  orders: boolean;
  addOns: { product: string; rate: number }[];
  series: { member: string; share: number }[];
  rows: DeepRow[];
}

export interface ProcessResult {
  /** The whole chain, and the stages tracked (those the Actuals count). */
  chain: string[];
  stages: string[];
  dimension: string;
  channels: string[];
  byChannel: boolean;
  /** Node by node in plan order; per node its channels, then all channels together (byChannel), or one row. */
  rows: ProcessRow[];
  /** Each member's whole tasks per channel and stage: their target letter's. */
  tasks: LetterTasks;
  deep?: DeepResult;
}

const NEAR = 1e-12;

/** The contract's stage names, read as named properties: every Actuals row has one hidden class, so these loads stay monomorphic. */
const NAMED_STAGES = ["Invitations", "Visits", "Orders", "Leads"];

function stageValue(m: Record<string, number>, named: number, key: string): number | undefined {
  switch (named) {
    case 0: return m.Invitations;
    case 1: return m.Visits;
    case 2: return m.Orders;
    case 3: return m.Leads;
    default: return m[key];
  }
}

/** ⌈a × b ÷ d⌉ for whole numbers a, b ≥ 0 and d > 0, exactly. */
function mulCeilDiv(a: number, b: number, d: number): number {
  const p = a * b;
  if (Number.isSafeInteger(p) && Number.isSafeInteger(d)) {
    let c = Math.ceil(p / d);
    // The quotient of two doubles is rounded; check with whole numbers and step once if needed.
    if (Number.isSafeInteger(c * d) && Number.isSafeInteger((c - 1) * d)) {
      if (c * d < p) c++;
      else if ((c - 1) * d >= p) c--;
      return c;
    }
  }
  const n = BigInt(a) * BigInt(b);
  const D = BigInt(d);
  const q = n / D;
  return Number(q * D === n ? q : q + 1n);
}

/** ⌈n ÷ d⌉ for bigints n ≥ 0, d > 0. */
function ceilBig(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : q + 1n;
}

interface Scale {
  decimals: number;
  unitQuanta: bigint;
  quantum: bigint;
}

function scaleOf(plan: PlanResult): Scale {
  if (plan.exact) return { decimals: plan.exact.decimals, unitQuanta: plan.exact.unitQuanta, quantum: pow10(plan.exact.decimals) };
  const decimals = Math.max(decimalPlaces(plan.unit), ...plan.nodes.map((n) => decimalPlaces(n.amount.target)));
  return { decimals, unitQuanta: quantaOf(plan.unit, decimals), quantum: pow10(decimals) };
}

/**
 * Process tracking at AsOf. Throws PlanProblemsError naming the Actuals cell for a channel the
 * funnel does not have, or a stage count that is negative or not a whole number.
 */
export function computeProcess(input: PlanInput, plan: PlanResult, progress: ProgressResult, actuals: readonly FactRow[], spec: ProcessSpec): ProcessResult {
  const { funnel } = spec;
  const chain = funnel.stages;
  const stages = spec.stages;
  const S = stages.length;
  const channels = funnel.channels.map((c) => c.channel);
  const K = channels.length;
  const L = plan.leaves.length;
  const dimension = funnel.dimension;
  const scale = scaleOf(plan);

  const channelIndex = new Map(channels.map((c, k) => [c, k]));
  // The channels' History of the tracked stages: their plan rates are the Funnel sheet's.
  const channelHistory = sumsByMember(input, dimension, stages);
  const tasks = letterTasks(plan, spec.drivers);

  // The fraction of each member's Target due by AsOf, exactly: (Σ ended cells × w + running cell × e) ÷ (Target × w).
  const shares = elapsedSharesExact(input, plan, progress.asOf);
  let w = 1n;
  for (const s of shares) if (s.n !== 0n && s.n !== s.d) w = s.d;
  const P = plan.periods.length;
  const cellQuanta = (x: number): bigint => (plan.exact ? amountQuanta(plan, "target", "cell", x) : quantaOf(plan.cells.target[x], scale.decimals));
  const dueNum: bigint[] = new Array(L);
  const dueDen: bigint[] = new Array(L);
  plan.leaves.forEach((leaf, i) => {
    let n = 0n;
    for (let j = 0; j < P; j++) {
      const s = shares[j];
      if (s.n === 0n) continue;
      const q = cellQuanta(i * P + j);
      n += s.n === s.d ? q * w : q * s.n * (w / s.d);
    }
    const total = plan.exact ? amountQuanta(plan, "target", "node", leaf) : quantaOf(plan.nodes[leaf].amount.target, scale.decimals);
    dueNum[i] = n;
    dueDen[i] = total * w;
  });

  // Per node, per channel slot (K = all channels), per tracked stage.
  const slots = K + 1;
  const N = plan.nodes.length;
  const target = new Float64Array(N * slots * S);
  const toDate = new Float64Array(N * slots * S);
  const actual = new Float64Array(N * slots * S);
  const ordersTask = new Float64Array(N);
  // The members' own slots first; the rows of all channels and the nodes above are added up after.
  for (let i = 0; i < L; i++) {
    const leaf = plan.leaves[i];
    const member = tasks.members[i];
    const dn = dueNum[i];
    const dd = dueDen[i];
    const small = dn <= BigInt(Number.MAX_SAFE_INTEGER) && dd <= BigInt(Number.MAX_SAFE_INTEGER) && dd > 0n;
    const dnS = Number(dn);
    const ddS = Number(dd);
    for (let k = 0; k < K; k++) {
      const counts = member.channels[k].counts;
      ordersTask[leaf] += counts.Orders ?? 0;
      for (let t = 0; t < S; t++) {
        const c = counts[stages[t]] ?? 0;
        if (c === 0) continue;
        const at = (leaf * slots + k) * S + t;
        target[at] += c;
        let due: number;
        if (dd === 0n) due = 0;
        else if (small) due = mulCeilDiv(c, dnS, ddS);
        else due = Number(ceilBig(BigInt(c) * dn, dd));
        toDate[at] += due;
      }
    }
  }

  // ── the actuals, by member, channel and stage ──────────────────────────────────────
  const problems: Problem[] = [];
  const rowNodes = progress.rowNodes;
  const known = channels.join(", ");
  const keys = spec.measureKeys ?? stages;
  const named = keys.map((k) => NAMED_STAGES.indexOf(k));
  const channelKey = spec.channelKey ?? dimension;
  const byName = channelKey === "Channel";
  for (let r = 0; r < actuals.length; r++) {
    const leaf = rowNodes[r];
    if (leaf < 0) continue;
    const row = actuals[r];
    let k = K;
    if (spec.byChannel) {
      // The contract's Channel column as a named property (a monomorphic load), any other by its key.
      const name = byName ? row.dims.Channel : row.dims[channelKey];
      if (name !== undefined) {
        const found = channelIndex.get(name);
        if (found === undefined) {
          problems.push({ ref: cellInRow(row.ref, spec.columns.letters[channelKey], spec.columns.table), code: "unknownActualChannel", args: { channel: name, known } });
          continue;
        }
        k = found;
      }
    }
    const m = row.measures;
    for (let t = 0; t < S; t++) {
      const v = stageValue(m, named[t], keys[t]);
      if (!v) continue;
      if (v < 0 || v !== Math.floor(v)) {
        problems.push({ ref: cellInRow(row.ref, spec.columns.letters[stages[t]], spec.columns.table), code: "negativeStageActual", args: { stage: spec.columns.labels[stages[t]] ?? stages[t], value: v } });
        continue;
      }
      actual[(leaf * slots + k) * S + t] += v;
    }
  }
  if (problems.length) throw new PlanProblemsError(problems);
  // Each member's all-channels slot holds its rows without a channel; add its channels to it,
  // then every node to its parent (children come after their parent in plan order).
  const block = slots * S;
  for (const leaf of plan.leaves) {
    for (const arr of [target, toDate, actual]) {
      for (let k = 0; k < K; k++) for (let t = 0; t < S; t++) arr[leaf * block + K * S + t] += arr[leaf * block + k * S + t];
    }
  }
  for (let n = N - 1; n > 0; n--) {
    const parent = plan.nodes[n].parent;
    for (const arr of [target, toDate, actual]) for (let x = 0; x < block; x++) arr[parent * block + x] += arr[n * block + x];
    ordersTask[parent] += ordersTask[n];
  }

  // ── rows, ratios and bottlenecks ───────────────────────────────────────────────────
  const rows: ProcessRow[] = [];
  const rateOf = (k: number, t: number): { value: number; exact: Rational } | undefined => {
    const h = channelHistory.sums.get(channels[k])!;
    const earlier = h[stages[t - 1]];
    const later = h[stages[t]];
    if (earlier.n === 0n || later.n === 0n) return undefined;
    const exact = ratio(later, earlier);
    return { value: toNumber(exact), exact };
  };
  const planRates = channels.map((_, k) => stages.map((_, t) => (t === 0 ? undefined : rateOf(k, t))));
  const list = spec.byChannel ? [...channels.keys(), K] : [K];
  const slice = (arr: Float64Array, base: number): number[] => {
    const out = new Array<number>(S);
    for (let t = 0; t < S; t++) out[t] = arr[base + t];
    return out;
  };
  for (let n = 0; n < N; n++) {
    for (const k of list) {
      const base = (n * slots + k) * S;
      rows.push(processRow(n, k === K ? -1 : k, slice(target, base), slice(toDate, base), slice(actual, base), k === K ? undefined : planRates[k]));
    }
  }

  const deep = spec.deep ? deepData(plan, progress, actuals, spec.deep.spec, spec.deep.drivers, ordersTask) : undefined;
  return { chain: [...chain], stages: [...stages], dimension, channels, byChannel: spec.byChannel, rows, tasks, ...(deep ? { deep } : {}) };
}

/** One row's rates, ratios and bottleneck; `rates` are the channel's plan rates (absent for a row of all channels: the ratio of its tasks). */
function processRow(
  node: number,
  channel: number,
  target: number[],
  toDate: number[],
  actual: number[],
  rates: ({ value: number; exact: Rational } | undefined)[] | undefined,
): ProcessRow {
  const S = target.length;
  const planRate: (number | null)[] = [null];
  const actualRate: (number | null)[] = [null];
  const ratioValue: (number | null)[] = [];
  const exact: (Rational | null)[] = [];
  // The first stage: its count against the task to date.
  if (toDate[0] > 0) {
    ratioValue.push(actual[0] / toDate[0]);
    exact.push({ n: BigInt(actual[0]), d: BigInt(toDate[0]) });
  } else {
    ratioValue.push(null);
    exact.push(null);
  }
  for (let t = 1; t < S; t++) {
    let plan: { value: number; exact: Rational } | undefined;
    if (rates) plan = rates[t];
    else if (target[t - 1] > 0 && target[t] > 0) plan = { value: target[t] / target[t - 1], exact: { n: BigInt(target[t]), d: BigInt(target[t - 1]) } };
    planRate.push(plan ? plan.value : null);
    const rate = actual[t - 1] > 0 ? actual[t] / actual[t - 1] : null;
    actualRate.push(rate);
    if (plan && rate !== null && plan.value > 0) {
      ratioValue.push(rate / plan.value);
      // (actual_t ÷ actual_t−1) ÷ (plan.n ÷ plan.d)
      exact.push({ n: BigInt(actual[t]) * plan.exact.d, d: BigInt(actual[t - 1]) * plan.exact.n });
    } else {
      ratioValue.push(null);
      exact.push(null);
    }
  }
  // As the sheet decides it: the least ratio, when below 1; the earliest of equal ones.
  let floatPick = -1;
  let min = Infinity;
  for (let t = 0; t < S; t++) {
    const v = ratioValue[t];
    if (v !== null && v < min) {
      min = v;
      floatPick = t;
    }
  }
  if (!(min < 1)) floatPick = -1;
  let near = false;
  const present = ratioValue.map((v, t) => (v === null ? -1 : t)).filter((t) => t >= 0);
  for (const a of present) {
    const va = ratioValue[a]!;
    if (va !== 1 && Math.abs(va - 1) <= NEAR) near = true;
    for (const b of present) {
      const vb = ratioValue[b]!;
      if (a < b && va !== vb && Math.abs(va - vb) <= NEAR * Math.max(Math.abs(va), Math.abs(vb))) near = true;
    }
  }
  let bottleneck = floatPick;
  let nearTie = false;
  if (near || present.some((a) => present.some((b) => a < b && ratioValue[a] === ratioValue[b]))) {
    // Decide on the exact numbers.
    let best = -1;
    for (const t of present) {
      const e = exact[t]!;
      if (!(e.n < e.d)) continue;
      if (best < 0) best = t;
      else {
        const b = exact[best]!;
        if (e.n * b.d < b.n * e.d) best = t;
      }
    }
    bottleneck = best;
    nearTie = near || best !== floatPick;
  }
  return { node, channel, target, toDate, actual, planRate, actualRate, ratio: ratioValue, bottleneck, nearTie };
}

/** The deep data per node: amount, orders, add-on units and series amounts of the Actuals to date. */
function deepData(plan: PlanResult, progress: ProgressResult, actuals: readonly FactRow[], spec: DeepSpec, drivers: DriversResult, ordersTask: Float64Array): DeepResult {
  const N = plan.nodes.length;
  const addOns = drivers.attachments.map((a) => ({ product: a.product, rate: a.rate }));
  const series = (spec.series && drivers.series ? drivers.series.rows : []).map((r) => ({ member: r.member, share: r.share }));
  const A = addOns.length;
  const Z = series.length;
  const orders = new Float64Array(N);
  const units = new Float64Array(N * Math.max(1, A));
  const seriesAmounts = new Float64Array(N * Math.max(1, Z));
  const addOnIndex = new Map(addOns.map((a, x) => [a.product, x]));
  const seriesIndex = new Map(series.map((s, x) => [s.member, x]));
  const columnOf = addOns.map((a) => spec.addOnColumns[a.product]);
  const rowNodes = progress.rowNodes;
  for (let r = 0; r < actuals.length; r++) {
    const leaf = rowNodes[r];
    if (leaf < 0) continue;
    const row = actuals[r];
    const m = row.measures;
    const o = spec.orders ? (m.Orders ?? 0) : 0;
    const product = spec.product ? row.dims[spec.product] : undefined;
    const addOn = product === undefined ? undefined : addOnIndex.get(product);
    const z = spec.series ? seriesIndex.get(row.dims[spec.series]) : undefined;
    const amount = m[plan.metric] ?? 0;
    for (let n = leaf; n >= 0; n = plan.nodes[n].parent) {
      orders[n] += o;
      if (addOn !== undefined) units[n * A + addOn] += m[spec.units] ?? 0;
      for (let x = 0; x < A; x++) {
        const c = columnOf[x];
        if (c !== undefined) units[n * A + x] += m[c] ?? 0;
      }
      if (z !== undefined) seriesAmounts[n * Z + z] += amount;
    }
  }
  const rows: DeepRow[] = plan.nodes.map((node, n) => ({
    node: n,
    amount: progress.nodes[n].actual,
    orders: orders[n],
    planAverageOrderValue: ordersTask[n] > 0 ? node.amount.target / ordersTask[n] : 0,
    addOnUnits: Array.from(units.subarray(n * A, n * A + A)),
    seriesAmounts: Array.from(seriesAmounts.subarray(n * Z, n * Z + Z)),
  }));
  return { orders: spec.orders, addOns, series, rows };
}

export interface BottleneckLine {
  /** The member (a leaf). */
  node: number;
  /** Its row furthest behind: a channel's (or all channels', when the Actuals have none). */
  row: ProcessRow;
  stage: string;
  ratio: number;
}

/**
 * Each member's worst bottleneck (the channel row with the least ratio), members furthest behind
 * first; members with none are left out. Ties keep the plan's order.
 */
export function memberBottlenecks(plan: PlanResult, process: ProcessResult): BottleneckLine[] {
  const byNode = new Map<number, ProcessRow[]>();
  for (const row of process.rows) {
    if (process.byChannel && row.channel < 0) continue;
    const list = byNode.get(row.node) ?? [];
    list.push(row);
    byNode.set(row.node, list);
  }
  const lines: BottleneckLine[] = [];
  for (const leaf of plan.leaves) {
    let worst: ProcessRow | undefined;
    for (const row of byNode.get(leaf) ?? []) {
      if (row.bottleneck < 0) continue;
      if (!worst || row.ratio[row.bottleneck]! < worst.ratio[worst.bottleneck]!) worst = row;
    }
    if (worst) lines.push({ node: leaf, row: worst, stage: process.stages[worst.bottleneck], ratio: worst.ratio[worst.bottleneck]! });
  }
  return lines.map((l, i) => ({ l, i })).sort((a, b) => a.l.ratio - b.l.ratio || a.i - b.i).map((x) => x.l);
}
