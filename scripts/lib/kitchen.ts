/**
 * The synthetic data behind the sample workbooks: a Chinese kitchen-appliance retail chain
 * (厨电连锁) with 3 regions, 6 stores and 24 sales reps, two years of monthly history per rep ×
 * channel × product line (each row with its customer group, 客户群), daily actuals per rep and
 * channel for the first half of 2027 (with the funnel behind each day's orders and the add-ons
 * sold with them, and one housing-development order in June that puts a rep past his year's
 * target), and the plan's targets, weights, lock and campaign stages.
 *
 * Language-neutral: every name carries its Chinese and English spelling; `sample.ts` lays the
 * data out as a Chinese or an English workbook with the same numbers.
 */
import { Random } from "./prng";
import { daysInMonth, eachDay, monthLabel, roundTo, utcDate } from "./calendar";

export interface Named {
  zh: string;
  en: string;
}

export interface Region extends Named {
  /** Share of the chain's revenue in history. */
  revenueShare: number;
  /** The finance-reviewed weight for the plan (Weights sheet). */
  planWeight: number;
}

export interface Team extends Named {
  region: Region;
}

export interface Rep extends Named {
  team: Team;
  /** Expected revenue in 2025 and 2026 (before monthly noise). */
  annual2025: number;
  annual2026: number;
  /** 2027 run rate relative to 2026: some reps are ahead of the plan, some behind. */
  momentum2027: number;
  /** Revenue share of each channel for this rep (same order as CHANNELS). */
  channelMix: number[];
}

export interface Channel extends Named {
  revenueShare: number;
  /** Average order value of the channel relative to the product's. */
  aovFactor: number;
  /** Leads → invitations → visits (二次进店) → orders conversion rates. */
  leadToInvitation: number;
  invitationToVisit: number;
  visitToOrder: number;
}

export interface Product extends Named {
  revenueShare: number;
  /** Average order value (平均单值), yuan. */
  aov: number;
}

/** A customer group (客户群): who the sale was to. */
export interface CustomerGroup extends Named {
  /** How likely a sale through each channel (same order as CHANNELS) is to this group. */
  byChannel: readonly number[];
}

export interface HistoryFact {
  /** `2025-01`. */
  month: string;
  rep: Rep;
  channel: Channel;
  product: Product;
  customer: CustomerGroup;
  amount: number;
  orders: number;
  leads: number;
  visits: number;
  invitations: number;
}

export interface ActualFact {
  date: Date;
  rep: Rep;
  /** The channel the day's orders came through, and the funnel behind them. */
  channel: Channel;
  amount: number;
  orders: number;
  visits: number;
  invitations: number;
  /** Add-on units sold with the orders, by product line (净水器, 消毒柜). */
  addOns: Record<string, number>;
}

/**
 * How a rep's 2027 funnel differs from the channels' History: the share of visits that close
 * (成交) and of invitations that come back to the store (二次进店), and how often an add-on goes
 * with an order. A few reps have a weak stage, so the Funnel Progress sheet has bottlenecks to show.
 */
export interface RepFunnel {
  close: number;
  visit: number;
  attach: number;
}

export interface Stage extends Named {
  start: Date;
  end: Date;
  weight: number;
}

export interface Tiers {
  floor: number;
  target: number;
  stretch: number;
}

export interface KitchenChain {
  regions: Region[];
  teams: Team[];
  reps: Rep[];
  channels: Channel[];
  products: Product[];
  history: HistoryFact[];
  actuals: ActualFact[];
  /** Annual plan for 2027: last year's revenue × 0.95 / 1.10 / 1.25, rounded to a million. */
  targets: Tiers;
  /** Revenue of 2025 and 2026 as generated. */
  revenue: { 2025: number; 2026: number };
  /** The one locked rep and the Target amount held for them. */
  lock: { rep: Rep; amount: number };
  stages: Stage[];
  asOf: Date;
  /** The weekly review's previous AsOf: a week before AsOf. */
  previousAsOf: Date;
  /** The last day the Actuals reach: the end of June, for the July re-plan. */
  actualsThrough: Date;
  /** The housing-development order (楼盘团购) of June: the rep, the day and the amount. */
  project: { rep: Rep; date: Date; amount: number };
  mayDay: MayDayCampaign;
}

export interface MayDayCampaign {
  region: Region;
  start: Date;
  end: Date;
  targets: Tiers;
  /** East-region revenue over the same campaign days of 2026, estimated from monthly history. */
  lastYearEstimate: number;
}

export const DEFAULT_SEED = 20270501;

export const YEARS = [2025, 2026] as const;
export const PLAN_YEAR = 2027;
/** Chain revenue in 2025 (expected); 2026 grows by GROWTH_2026. */
const BASE_REVENUE_2025 = 93_000_000;
const GROWTH_2026 = 1.08;
const TIER_RATIOS: Tiers = { floor: 0.95, target: 1.1, stretch: 1.25 };
const TARGET_ROUNDING = 1_000_000;
const LOCK_ROUNDING = 500_000;

/**
 * Monthly seasonality (raw index; normalised per year). Spring Festival dips (late January
 * 2025, mid-February 2026, early February 2027); peaks at 五一 (May), 618 (June),
 * 十一 (October) and 双十一 (November).
 */
const SEASONALITY: Record<number, readonly number[]> = {
  2025: [0.74, 0.66, 0.88, 0.96, 1.34, 1.14, 0.84, 0.8, 0.97, 1.38, 1.3, 1.08],
  2026: [0.92, 0.52, 0.86, 0.95, 1.36, 1.16, 0.83, 0.79, 0.98, 1.4, 1.31, 1.07],
  2027: [0.9, 0.55, 0.87, 0.97, 1.38, 1.16, 0.83, 0.79, 0.98, 1.4, 1.31, 1.07],
};

export const REGIONS: readonly Region[] = [
  { zh: "华东", en: "East China", revenueShare: 0.42, planWeight: 0.4 },
  { zh: "华南", en: "South China", revenueShare: 0.33, planWeight: 0.35 },
  { zh: "华北", en: "North China", revenueShare: 0.25, planWeight: 0.25 },
];

const ORG: readonly { region: number; team: Named; reps: readonly Named[] }[] = [
  {
    region: 0,
    team: { zh: "上海一店", en: "Shanghai Store 1" },
    reps: [
      { zh: "王建国", en: "Wang Jianguo" },
      { zh: "李晓燕", en: "Li Xiaoyan" },
      { zh: "张伟", en: "Zhang Wei" },
      { zh: "陈静", en: "Chen Jing" },
    ],
  },
  {
    region: 0,
    team: { zh: "杭州一店", en: "Hangzhou Store 1" },
    reps: [
      { zh: "刘洋", en: "Liu Yang" },
      { zh: "赵敏", en: "Zhao Min" },
      { zh: "孙浩", en: "Sun Hao" },
      { zh: "周丽娟", en: "Zhou Lijuan" },
    ],
  },
  {
    region: 1,
    team: { zh: "广州一店", en: "Guangzhou Store 1" },
    reps: [
      { zh: "吴志强", en: "Wu Zhiqiang" },
      { zh: "郑雪梅", en: "Zheng Xuemei" },
      { zh: "黄俊杰", en: "Huang Junjie" },
      { zh: "林婷", en: "Lin Ting" },
    ],
  },
  {
    region: 1,
    team: { zh: "深圳一店", en: "Shenzhen Store 1" },
    reps: [
      { zh: "何文斌", en: "He Wenbin" },
      { zh: "罗佳怡", en: "Luo Jiayi" },
      { zh: "梁家豪", en: "Liang Jiahao" },
      { zh: "谢晓琳", en: "Xie Xiaolin" },
    ],
  },
  {
    region: 2,
    team: { zh: "北京一店", en: "Beijing Store 1" },
    reps: [
      { zh: "马国强", en: "Ma Guoqiang" },
      { zh: "高红梅", en: "Gao Hongmei" },
      { zh: "杨帆", en: "Yang Fan" },
      { zh: "徐丹", en: "Xu Dan" },
    ],
  },
  {
    region: 2,
    team: { zh: "天津一店", en: "Tianjin Store 1" },
    reps: [
      { zh: "朱永刚", en: "Zhu Yonggang" },
      { zh: "胡静怡", en: "Hu Jingyi" },
      { zh: "郭亮", en: "Guo Liang" },
      { zh: "宋雨桐", en: "Song Yutong" },
    ],
  },
];

/** The star rep whose Target is locked (the first rep of 上海一店). */
const STAR = { zh: "王建国", strength: 1.6, momentum: 1.16 };

export const CHANNELS: readonly Channel[] = [
  { zh: "小区拓展", en: "Community outreach", revenueShare: 0.24, aovFactor: 1.0, leadToInvitation: 0.7, invitationToVisit: 0.45, visitToOrder: 0.62 },
  { zh: "家装拓展", en: "Home-renovation partners", revenueShare: 0.28, aovFactor: 1.12, leadToInvitation: 0.78, invitationToVisit: 0.56, visitToOrder: 0.74 },
  { zh: "异业联盟", en: "Cross-industry alliances", revenueShare: 0.14, aovFactor: 1.04, leadToInvitation: 0.62, invitationToVisit: 0.34, visitToOrder: 0.53 },
  { zh: "自然客流", en: "Walk-in", revenueShare: 0.34, aovFactor: 0.93, leadToInvitation: 0.74, invitationToVisit: 0.5, visitToOrder: 0.6 },
];

export const PRODUCTS: readonly Product[] = [
  { zh: "油烟机", en: "Range hood", revenueShare: 0.26, aov: 4600 },
  { zh: "燃气灶", en: "Gas hob", revenueShare: 0.14, aov: 3300 },
  { zh: "消毒柜", en: "Sterilising cabinet", revenueShare: 0.08, aov: 3400 },
  { zh: "净水器", en: "Water purifier", revenueShare: 0.12, aov: 3900 },
  { zh: "洗碗机", en: "Dishwasher", revenueShare: 0.18, aov: 6700 },
  { zh: "集成灶", en: "Integrated stove", revenueShare: 0.22, aov: 7800 },
];

/** The May Day campaign (五一活动) stages and their weights. */
const STAGES: readonly Stage[] = [
  { zh: "第一阶段", en: "Stage 1", start: utcDate(2027, 4, 25), end: utcDate(2027, 4, 30), weight: 0.3 },
  { zh: "第二阶段", en: "Stage 2", start: utcDate(2027, 5, 1), end: utcDate(2027, 5, 3), weight: 0.45 },
  { zh: "第三阶段", en: "Stage 3", start: utcDate(2027, 5, 4), end: utcDate(2027, 5, 7), weight: 0.25 },
];

export const AS_OF = utcDate(2027, 5, 5);
/** The Actuals run to the end of June: the July re-plan (方法调整) cuts there. */
export const ACTUALS_THROUGH = utcDate(2027, 6, 30);

export const CUSTOMERS: readonly CustomerGroup[] = [
  { zh: "新房装修", en: "New homes", byChannel: [0.3, 0.7, 0.35, 0.4] },
  { zh: "旧房改造", en: "Renovation", byChannel: [0.5, 0.25, 0.2, 0.35] },
  { zh: "以旧换新", en: "Trade-in", byChannel: [0.2, 0.05, 0.45, 0.25] },
];

/** The rep who closes a housing-development order (楼盘团购) in June, and on which day. */
const PROJECT = { rep: "刘洋", date: utcDate(2027, 6, 18), share: 0.8, channel: 1 };

/**
 * The customer group of a History row, drawn from the channel's mix by a hash of the row's names
 * (not from the random stream, so every other number of the sample stays as it was).
 */
function customerOf(month: string, rep: Rep, c: number, p: number): CustomerGroup {
  let h = 2166136261;
  for (const ch of `${month}|${rep.zh}|${c}|${p}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let u = h / 4294967296;
  for (const group of CUSTOMERS) {
    if (u < group.byChannel[c]) return group;
    u -= group.byChannel[c];
  }
  return CUSTOMERS[CUSTOMERS.length - 1];
}
const MAY_DAY_TARGETS: Tiers = { floor: 2_600_000, target: 3_000_000, stretch: 3_500_000 };

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const normalise = (values: readonly number[]): number[] => {
  const total = sum(values);
  return values.map((v) => v / total);
};
const round10 = (value: number): number => roundTo(value, 10);

export function generateKitchenChain(seed: number = DEFAULT_SEED): KitchenChain {
  const random = new Random(seed);
  const { teams, reps } = buildOrg(random.fork("org"));
  const history = generateHistory(random.fork("history"), reps);
  // The day's sales per rep as before, then split over the channels with the funnel behind them
  // (a stream of its own, so the amounts per rep and day do not change).
  const actuals = splitByChannel(random.fork("actual-funnel"), generateActuals(random.fork("actuals"), reps));
  const project = projectOrder(reps);
  // The day's row through that channel takes the order, when the rep sold there that day too.
  const same = actuals.find((f) => f.rep === project.fact.rep && f.channel === project.fact.channel && f.date.getTime() === project.fact.date.getTime());
  if (same) {
    same.amount += project.fact.amount;
    same.orders += project.fact.orders;
    same.visits += project.fact.orders;
    same.invitations += project.fact.orders;
  } else actuals.push(project.fact);

  const revenue = { 2025: 0, 2026: 0 };
  for (const fact of history) revenue[Number(fact.month.slice(0, 4)) as 2025 | 2026] += fact.amount;
  const targets: Tiers = {
    floor: roundTo(revenue[2026] * TIER_RATIOS.floor, TARGET_ROUNDING),
    target: roundTo(revenue[2026] * TIER_RATIOS.target, TARGET_ROUNDING),
    stretch: roundTo(revenue[2026] * TIER_RATIOS.stretch, TARGET_ROUNDING),
  };

  return {
    regions: [...REGIONS],
    teams,
    reps,
    channels: [...CHANNELS],
    products: [...PRODUCTS],
    history,
    actuals,
    targets,
    revenue,
    lock: starLock(reps, history, targets.target),
    stages: [...STAGES],
    asOf: AS_OF,
    previousAsOf: utcDate(2027, 4, 28),
    actualsThrough: ACTUALS_THROUGH,
    project: { rep: project.fact.rep, date: project.fact.date, amount: project.fact.amount },
    mayDay: {
      region: REGIONS[0],
      start: STAGES[0].start,
      end: STAGES[STAGES.length - 1].end,
      targets: MAY_DAY_TARGETS,
      lastYearEstimate: campaignLastYear(history, REGIONS[0]),
    },
  };
}

/** Teams and reps with their revenue levels: regions by share, stores and reps by drawn strength. */
function buildOrg(random: Random): { teams: Team[]; reps: Rep[] } {
  const teams: Team[] = [];
  const reps: Rep[] = [];
  REGIONS.forEach((region, regionIndex) => {
    const stores = ORG.filter((store) => store.region === regionIndex);
    const storeShares = normalise(stores.map(() => random.uniform(0.85, 1.15)));
    stores.forEach((store, storeIndex) => {
      const team: Team = { ...store.team, region };
      teams.push(team);
      const strengths = store.reps.map((rep) =>
        rep.zh === STAR.zh ? STAR.strength : Math.min(1.45, Math.max(0.65, random.lognormal(0.22))),
      );
      const repShares = normalise(strengths);
      store.reps.forEach((rep, repIndex) => {
        const annual2025 = BASE_REVENUE_2025 * region.revenueShare * storeShares[storeIndex] * repShares[repIndex];
        reps.push({
          ...rep,
          team,
          annual2025,
          annual2026: annual2025 * GROWTH_2026 * random.lognormal(0.05),
          momentum2027: rep.zh === STAR.zh ? STAR.momentum : 1.06 * random.lognormal(0.1),
          channelMix: normalise(CHANNELS.map((channel) => channel.revenueShare * random.lognormal(0.2))),
        });
      });
    });
  });
  // Keep the chain's expected growth at exactly GROWTH_2026; the reps' own growth varies around it.
  const scale = (GROWTH_2026 * sum(reps.map((r) => r.annual2025))) / sum(reps.map((r) => r.annual2026));
  for (const rep of reps) rep.annual2026 *= scale;
  return { teams, reps };
}

function monthShares(year: number): number[] {
  return normalise(SEASONALITY[year]);
}

/** Monthly rows per rep × channel × product line, with a consistent funnel behind every row. */
function generateHistory(random: Random, reps: readonly Rep[]): HistoryFact[] {
  const productMix = new Map<Team, number[]>();
  for (const rep of reps) {
    if (!productMix.has(rep.team)) {
      productMix.set(rep.team, normalise(PRODUCTS.map((p) => p.revenueShare * random.lognormal(0.12))));
    }
  }
  const facts: HistoryFact[] = [];
  for (const year of YEARS) {
    const shares = monthShares(year);
    for (let month = 1; month <= 12; month++) {
      for (const rep of reps) {
        const annual = year === 2025 ? rep.annual2025 : rep.annual2026;
        const repMonth = annual * shares[month - 1] * random.lognormal(0.08);
        const products = productMix.get(rep.team)!;
        CHANNELS.forEach((channel, c) => {
          PRODUCTS.forEach((product, p) => {
            const expected = repMonth * rep.channelMix[c] * products[p];
            const aov = product.aov * channel.aovFactor * random.uniform(0.93, 1.07);
            // Every row has at least one deal; above that the count keeps its expected value.
            const orders = 1 + random.poisson(Math.max(0, expected / aov - 1));
            const visits = Math.max(orders, Math.round(orders / (channel.visitToOrder * random.uniform(0.9, 1.1))));
            const invitations = Math.max(
              visits,
              Math.round(visits / (channel.invitationToVisit * random.uniform(0.9, 1.1))),
            );
            const leads = Math.max(
              invitations,
              Math.round(invitations / (channel.leadToInvitation * random.uniform(0.92, 1.08))),
            );
            facts.push({
              month: monthLabel(year, month),
              rep,
              channel,
              product,
              customer: customerOf(monthLabel(year, month), rep, c, p),
              amount: round10(orders * aov * random.uniform(0.95, 1.05)),
              orders,
              leads,
              visits,
              invitations,
            });
          });
        });
      }
    }
  }
  return facts;
}

/**
 * How busy a day of 2027 is relative to an ordinary weekday: weekends, New Year, the Spring
 * Festival (除夕 is 5 February 2027; stores close for the first days), 清明, and the May Day
 * campaign: warm-up from 25 April, the holiday peak on 1–3 May, the tail to 7 May.
 */
function dayWeight2027(date: Date): number {
  const weekday = date.getUTCDay();
  let weight = weekday === 6 ? 1.45 : weekday === 0 ? 1.55 : 1;
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  const on = (m: number, first: number, last: number) => month === m && day >= first && day <= last;
  if (on(1, 1, 3)) weight *= 1.3;
  else if (on(2, 5, 5)) weight *= 0.2;
  else if (on(2, 6, 8)) weight *= 0.1;
  else if (on(2, 9, 13)) weight *= 0.6;
  else if (on(4, 3, 5)) weight *= 1.2;
  else if (on(4, 25, 30)) weight *= 1.5;
  else if (on(5, 1, 3)) weight *= 2.8;
  else if (on(5, 4, 7)) weight *= 1.9;
  return weight;
}

/** The add-ons whose units the Actuals count (the May Day campaign's attachment targets), with how often one goes with an order. */
export const ADD_ONS: readonly { zh: string; rate: number }[] = [
  { zh: "净水器", rate: 0.26 },
  { zh: "消毒柜", rate: 0.1 },
];

/** Each rep's funnel in 2027: most as in History, every fifth weak at closing, every seventh weak at bringing invitations back. */
export function repFunnels(random: Random, reps: readonly Rep[]): Map<Rep, RepFunnel> {
  return new Map(
    reps.map((rep, i) => [
      rep,
      {
        close: (i % 5 === 3 ? 0.74 : 1) * random.lognormal(0.04),
        visit: (i % 7 === 5 ? 0.72 : 1) * random.lognormal(0.04),
        attach: random.lognormal(0.25),
      },
    ]),
  );
}

/**
 * A rep's day split over the channels: the orders by the rep's channel mix, the amount with them
 * (in tens, by largest remainder, so the day's amount is unchanged), then per channel the visits
 * the orders took and the invitations behind the visits, at the channel's History rates and the
 * rep's own funnel; and the add-ons sold with the orders.
 */
function splitByChannel(random: Random, days: readonly DayFact[]): ActualFact[] {
  const reps = [...new Set(days.map((d) => d.rep))];
  const funnels = repFunnels(random.fork("reps"), reps);
  const facts: ActualFact[] = [];
  for (const day of days) {
    const funnel = funnels.get(day.rep)!;
    const orders = CHANNELS.map(() => 0);
    for (let o = 0; o < day.orders; o++) {
      let u = random.float();
      let c = 0;
      while (c < CHANNELS.length - 1 && u >= day.rep.channelMix[c]) u -= day.rep.channelMix[c++];
      orders[c]++;
    }
    const weights = CHANNELS.map((ch, c) => orders[c] * ch.aovFactor);
    const total = weights.reduce((a, b) => a + b, 0);
    const tens = day.amount / 10;
    const exact = weights.map((x) => (tens * x) / total);
    const amounts = exact.map(Math.floor);
    let left = tens - amounts.reduce((a, b) => a + b, 0);
    for (const c of exact.map((x, k) => ({ r: x - Math.floor(x), k })).sort((a, b) => b.r - a.r || a.k - b.k).map((x) => x.k)) {
      if (left <= 0) break;
      amounts[c]++;
      left--;
    }
    CHANNELS.forEach((channel, c) => {
      if (orders[c] === 0) return;
      const visits = Math.max(orders[c], Math.round(orders[c] / (channel.visitToOrder * funnel.close * random.uniform(0.9, 1.1))));
      const invitations = Math.max(visits, Math.round(visits / (channel.invitationToVisit * funnel.visit * random.uniform(0.9, 1.1))));
      const addOns: Record<string, number> = {};
      for (const a of ADD_ONS) addOns[a.zh] = Math.min(orders[c], random.poisson(orders[c] * a.rate * funnel.attach));
      facts.push({ date: day.date, rep: day.rep, channel, amount: amounts[c] * 10, orders: orders[c], visits, invitations, addOns });
    });
  }
  return facts;
}

/** A rep's sales of one day: its orders and amount. */
interface DayFact {
  date: Date;
  rep: Rep;
  amount: number;
  orders: number;
}

/**
 * The housing-development order (楼盘团购) of June: kitchens for a new building, through the
 * home-renovation partners, worth most of the rep's 2026 revenue, so that by the end of June he is
 * past his target for the year. One visit and one invitation per order (the developer's).
 */
function projectOrder(reps: readonly Rep[]): { fact: ActualFact } {
  const rep = reps.find((r) => r.zh === PROJECT.rep)!;
  const amount = roundTo(rep.annual2026 * PROJECT.share, 10_000);
  const orders = Math.round(amount / 8_000);
  const addOns: Record<string, number> = {};
  for (const a of ADD_ONS) addOns[a.zh] = 0;
  return { fact: { date: PROJECT.date, rep, channel: CHANNELS[PROJECT.channel], amount, orders, visits: orders, invitations: orders, addOns } };
}

/** Daily rows per rep from 1 January 2027 up to ACTUALS_THROUGH; days without a sale have no row. */
function generateActuals(random: Random, reps: readonly Rep[]): DayFact[] {
  const shares = monthShares(PLAN_YEAR);
  const monthWeight = new Map<number, number>();
  for (let month = 1; month <= 12; month++) {
    let total = 0;
    for (let day = 1; day <= daysInMonth(PLAN_YEAR, month); day++) total += dayWeight2027(utcDate(PLAN_YEAR, month, day));
    monthWeight.set(month, total);
  }
  const repAov = new Map<Rep, number>(
    reps.map((rep) => {
      const productAov = sum(PRODUCTS.map((p) => p.revenueShare * p.aov));
      return [rep, productAov * sum(CHANNELS.map((ch, c) => rep.channelMix[c] * ch.aovFactor))];
    }),
  );
  const facts: DayFact[] = [];
  for (const date of eachDay(utcDate(PLAN_YEAR, 1, 1), ACTUALS_THROUGH)) {
    const month = date.getUTCMonth() + 1;
    const dayShare = (shares[month - 1] * dayWeight2027(date)) / monthWeight.get(month)!;
    for (const rep of reps) {
      const aov = repAov.get(rep)!;
      const expected = rep.annual2026 * rep.momentum2027 * dayShare;
      const orders = random.poisson(expected / aov);
      if (orders === 0) continue;
      facts.push({ date, rep, orders, amount: round10(orders * aov * random.lognormal(0.12)) });
    }
  }
  return facts;
}

/**
 * The star rep's Target is held at a round number a little above their history share:
 * the plan's Target × region weight × store's and rep's pooled history shares, rounded up.
 */
function starLock(reps: readonly Rep[], history: readonly HistoryFact[], planTarget: number): { rep: Rep; amount: number } {
  const star = reps.find((rep) => rep.zh === STAR.zh)!;
  const byRep = new Map<Rep, number>();
  for (const fact of history) byRep.set(fact.rep, (byRep.get(fact.rep) ?? 0) + fact.amount);
  const total = (members: readonly Rep[]) => sum(members.map((rep) => byRep.get(rep) ?? 0));
  const region = reps.filter((rep) => rep.team.region === star.team.region);
  const team = reps.filter((rep) => rep.team === star.team);
  const share = (total(team) / total(region)) * (total([star]) / total(team));
  return { rep: star, amount: Math.ceil((planTarget * star.team.region.planWeight * share) / LOCK_ROUNDING) * LOCK_ROUNDING };
}

/**
 * The region's 2026 revenue over the campaign days: each month's history spread over its days
 * with the same day-of-campaign profile as 2027 (warm-up, holiday peak, tail).
 */
function campaignLastYear(history: readonly HistoryFact[], region: Region): number {
  let estimate = 0;
  for (const month of [4, 5]) {
    const monthAmount = sum(
      history.filter((f) => f.month === monthLabel(2026, month) && f.rep.team.region === region).map((f) => f.amount),
    );
    const days = [...eachDay(utcDate(PLAN_YEAR, month, 1), utcDate(PLAN_YEAR, month, daysInMonth(PLAN_YEAR, month)))];
    const inCampaign = days.filter((d) => d >= STAGES[0].start && d <= STAGES[STAGES.length - 1].end);
    estimate += (monthAmount * sum(inCampaign.map(dayWeight2027))) / sum(days.map(dayWeight2027));
  }
  return Math.round(estimate);
}
