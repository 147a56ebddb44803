/**
 * The store-seasons sample (门店季节-2027.xlsx / store-seasons-2027.xlsx): one worked example of
 * each planning-depth input of docs/planning-depth.md, on the kitchen chain of kitchen.ts.
 *
 *  - Seasonality Own (季节性 = 各自): two more stores with a season of their own — a store in a
 *    tourist town (北戴河店, Beidaihe) whose History peaks in August, and an office-park store
 *    (张江店, Zhangjiang) that peaks in March. The chain's other 24 reps keep the chain's season.
 *  - Members (人员): two new hires who join on 1 April with a ramp of 25%, 50%, 75%, and one
 *    rep who leaves at the end of September.
 *  - Holds (锁定值): South China's Target in the three months of Q4 (12,000,000 together), one
 *    rep's June, and one store's total for the year.
 *
 * History is one row per rep and month (the kitchen chain's rows summed over channel and product
 * line), so every pattern can be read off the sheet. Same numbers in both languages.
 */
import type ExcelJS from "exceljs";
import { monthLabel, roundTo, utcDate } from "./calendar";
import { REGIONS, YEARS, type KitchenChain, type Named, type Region, type Tiers } from "./kitchen";
import { Random } from "./prng";
import { README_SHEET, sheetName, TABLES, type Lang } from "./sample";
import { addReadmeSheet, addTableSheet, newWorkbook, type Cell, type ColumnSpec } from "./xlsx";

export const SEASONS_FILES = { zh: "门店季节-2027.xlsx", en: "store-seasons-2027.xlsx" } as const;

/** The tables of this sample; Members and Holds are the two it adds to the kitchen sample's. */
export const SEASONS_TABLES = {
  targets: TABLES.targets,
  history: TABLES.history,
  members: { zh: "人员", en: "Members" },
  holds: { zh: "锁定值", en: "Holds" },
  settings: TABLES.settings,
} as const;

export type SeasonsTable = keyof typeof SEASONS_TABLES;

export function seasonsSheetName(key: SeasonsTable, lang: Lang): string {
  return key === "history" || key === "targets" || key === "settings" ? sheetName(key, lang) : SEASONS_TABLES[key][lang];
}

export const SEASONS_HEADERS = {
  period: { zh: "期间", en: "Period" },
  floor: { zh: "保底目标", en: "Floor" },
  target: { zh: "力争目标", en: "Target" },
  stretch: { zh: "冲刺目标", en: "Stretch" },
  month: { zh: "月份", en: "Date" },
  region: { zh: "区域", en: "Region" },
  team: { zh: "团队", en: "Team" },
  rep: { zh: "销售员", en: "Rep" },
  amount: { zh: "销售额", en: "Amount" },
  start: { zh: "入职", en: "Start" },
  end: { zh: "离职", en: "End" },
  ramp: { zh: "爬坡", en: "Ramp" },
  tier: { zh: "档位", en: "Tier" },
  held: { zh: "金额", en: "Amount" },
  key: { zh: "键", en: "Key" },
  value: { zh: "值", en: "Value" },
} as const;

export const SEASONS_SETTING_KEYS = {
  levels: { zh: "分解层级", en: "Levels" },
  grain: { zh: "时间粒度", en: "Grain" },
  unit: { zh: "取整单位", en: "Unit" },
  workdays: { zh: "工作日", en: "Workdays" },
  seasonality: { zh: "季节性", en: "Seasonality" },
} as const;

export interface SeasonRep extends Named {
  region: Region;
  team: Named;
}

/** A store with a season of its own: its raw monthly index (normalised per year) and its reps' yearly sales. */
export interface OwnSeasonStore extends Named {
  region: Region;
  /** `tourist` peaks in August, `office` in March. */
  kind: "tourist" | "office";
  season: readonly number[];
  /** The month (1–12) the season peaks in. */
  peak: number;
  reps: (Named & { annual2025: number })[];
}

export interface SeasonHistoryRow {
  month: string;
  rep: SeasonRep;
  amount: number;
}

export interface MemberRow {
  rep: SeasonRep;
  start: Date | null;
  end: Date | null;
  /** Ramp steps as fractions of a full month, e.g. [0.25, 0.5, 0.75]. */
  ramp: readonly number[];
}

/** A hold: the node from the top (a region, a store, a rep), the period label (null: the whole plan) and the Target amount. */
export interface HoldRowSpec {
  path: readonly Named[];
  period: string | null;
  amount: number;
}

export interface SeasonsChain {
  regions: Region[];
  /** Every rep with History (the kitchen chain's 24 and the own-season stores' 6), in History's order. */
  reps: SeasonRep[];
  ownStores: OwnSeasonStore[];
  history: SeasonHistoryRow[];
  revenue2026: number;
  targets: Tiers;
  /** The two new hires (Start 2027-04-01, ramp 25%, 50%, 75%) and the leaver (End 2027-09-30). */
  newHires: SeasonRep[];
  leaver: SeasonRep;
  members: MemberRow[];
  /** South China's Q4 hold, month by month (Σ 12,000,000). */
  quarterHold: { region: Region; months: { period: string; amount: number }[]; total: number };
  /** A rep's June hold. */
  cellHold: { rep: SeasonRep; period: string; amount: number };
  /** A store's total for the year. */
  totalHold: { team: Named; region: Region; amount: number };
  holds: HoldRowSpec[];
}

const TIER_RATIOS: Tiers = { floor: 0.95, target: 1.1, stretch: 1.25 };
const TARGET_ROUNDING = 1_000_000;
export const SEASONS_UNIT = 100;
export const RAMP = [0.25, 0.5, 0.75] as const;
export const HIRE_START = utcDate(2027, 4, 1);
export const LEAVER_END = utcDate(2027, 9, 30);

/** Tourist town: a summer season with its peak in August and a small 十一 bump; quiet winters. */
const TOURIST_SEASON = [0.45, 0.4, 0.5, 0.65, 0.95, 1.35, 1.95, 2.6, 1.3, 1.25, 0.5, 0.45];
/** Office park: fit-outs after the Spring Festival (金三银四) make March the peak; a quiet summer. */
const OFFICE_SEASON = [0.8, 0.95, 2.35, 1.7, 1.1, 0.9, 0.7, 0.65, 0.95, 0.85, 0.75, 0.9];

const OWN_STORES: readonly (Omit<OwnSeasonStore, "region" | "reps" | "peak"> & { region: number; reps: readonly Named[]; annual: number })[] = [
  {
    zh: "张江店",
    en: "Zhangjiang Store",
    region: 0,
    kind: "office",
    season: OFFICE_SEASON,
    annual: 9_000_000,
    reps: [
      { zh: "蒋文涛", en: "Jiang Wentao" },
      { zh: "沈佳琪", en: "Shen Jiaqi" },
      { zh: "韦志明", en: "Wei Zhiming" },
    ],
  },
  {
    zh: "北戴河店",
    en: "Beidaihe Store",
    region: 2,
    kind: "tourist",
    season: TOURIST_SEASON,
    annual: 7_500_000,
    reps: [
      { zh: "秦海燕", en: "Qin Haiyan" },
      { zh: "邓立新", en: "Deng Lixin" },
      { zh: "曹阳", en: "Cao Yang" },
    ],
  },
];

/** The new hires, each in a store of the kitchen chain, and the rep who leaves. */
const NEW_HIRES: readonly (Named & { team: string })[] = [
  { zh: "韩梅", en: "Han Mei", team: "上海一店" },
  { zh: "冯涛", en: "Feng Tao", team: "广州一店" },
];
const LEAVER = "孙浩";

/**
 * The holds (Target): South China's Q4 month by month (12,000,000, a promise above its History's
 * 11.4 million), one rep's June (450,000 for a June of 382,700 by History) and one store's year
 * (天津一店 at 15,500,000, History's share 15.0 million).
 */
const QUARTER_HOLD = { region: 1, months: [4_400_000, 4_200_000, 3_400_000] } as const;
const CELL_HOLD = { rep: "李晓燕", month: 6, amount: 450_000 } as const;
const TOTAL_HOLD = { team: "天津一店", amount: 15_500_000 } as const;

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const normalise = (values: readonly number[]): number[] => {
  const total = sum(values);
  return values.map((v) => v / total);
};

export function generateSeasonsChain(kitchen: KitchenChain, seed: number = 20270801): SeasonsChain {
  const random = new Random(seed);
  const reps: SeasonRep[] = kitchen.reps.map((r) => ({ zh: r.zh, en: r.en, region: r.team.region, team: { zh: r.team.zh, en: r.team.en } }));
  const byZh = new Map(reps.map((r) => [r.zh, r]));

  // The kitchen chain's History, one row per rep and month.
  const monthly = new Map<string, number>();
  for (const f of kitchen.history) monthly.set(`${f.month}|${f.rep.zh}`, (monthly.get(`${f.month}|${f.rep.zh}`) ?? 0) + f.amount);

  // The own-season stores: the store's yearly sales shared by strength, spread by the store's season with monthly noise.
  const storesRandom = random.fork("own-stores");
  const ownStores: OwnSeasonStore[] = OWN_STORES.map((s) => {
    const strengths = normalise(s.reps.map(() => storesRandom.uniform(0.8, 1.2)));
    return {
      zh: s.zh,
      en: s.en,
      region: REGIONS[s.region],
      kind: s.kind,
      season: s.season,
      peak: s.season.indexOf(Math.max(...s.season)) + 1,
      reps: s.reps.map((r, i) => ({ ...r, annual2025: s.annual * strengths[i] })),
    };
  });
  const ownRepsByStore: SeasonRep[][] = ownStores.map((s) => s.reps.map((r) => ({ zh: r.zh, en: r.en, region: s.region, team: { zh: s.zh, en: s.en } })));
  const ownReps = ownRepsByStore.flat();
  const history: SeasonHistoryRow[] = [];
  for (const year of YEARS) {
    for (let month = 1; month <= 12; month++) {
      const label = monthLabel(year, month);
      for (const rep of reps) history.push({ month: label, rep, amount: monthly.get(`${label}|${rep.zh}`) ?? 0 });
      ownStores.forEach((store, s) => {
        const shares = normalise(store.season);
        store.reps.forEach((r, i) => {
          const growth = year === 2025 ? 1 : 1.08;
          const amount = roundTo(r.annual2025 * growth * shares[month - 1] * storesRandom.lognormal(0.06), 10);
          history.push({ month: label, rep: ownRepsByStore[s][i], amount });
        });
      });
    }
  }
  const allReps = [...reps, ...ownReps];

  const revenue2026 = sum(history.filter((h) => h.month.startsWith("2026-")).map((h) => h.amount));
  const targets: Tiers = {
    floor: roundTo(revenue2026 * TIER_RATIOS.floor, TARGET_ROUNDING),
    target: roundTo(revenue2026 * TIER_RATIOS.target, TARGET_ROUNDING),
    stretch: roundTo(revenue2026 * TIER_RATIOS.stretch, TARGET_ROUNDING),
  };

  const newHires: SeasonRep[] = NEW_HIRES.map((h) => {
    const teamOf = reps.find((r) => r.team.zh === h.team)!;
    return { zh: h.zh, en: h.en, region: teamOf.region, team: teamOf.team };
  });
  const leaver = byZh.get(LEAVER)!;
  const members: MemberRow[] = [
    ...newHires.map((rep): MemberRow => ({ rep, start: HIRE_START, end: null, ramp: RAMP })),
    { rep: leaver, start: null, end: LEAVER_END, ramp: [] },
  ];

  const region = REGIONS[QUARTER_HOLD.region];
  const quarterHold = {
    region,
    months: QUARTER_HOLD.months.map((amount, i) => ({ period: monthLabel(2027, 10 + i), amount })),
    total: sum(QUARTER_HOLD.months),
  };
  const cellRep = byZh.get(CELL_HOLD.rep)!;
  const cellHold = { rep: cellRep, period: monthLabel(2027, CELL_HOLD.month), amount: CELL_HOLD.amount };
  const totalTeam = reps.find((r) => r.team.zh === TOTAL_HOLD.team)!;
  const totalHold = { team: totalTeam.team, region: totalTeam.region, amount: TOTAL_HOLD.amount };
  const holds: HoldRowSpec[] = [
    ...quarterHold.months.map((m) => ({ path: [region], period: m.period, amount: m.amount })),
    { path: [cellRep.region, cellRep.team, cellRep], period: cellHold.period, amount: cellHold.amount },
    { path: [totalHold.region, totalHold.team], period: null, amount: totalHold.amount },
  ];

  return { regions: [...REGIONS], reps: allReps, ownStores, history, revenue2026, targets, newHires, leaver, members, quarterHold, cellHold, totalHold, holds };
}

const AMOUNT = "#,##0";
const DATE = "yyyy-mm-dd";
const CREATOR = "Target Cascade sample generator (scripts/make-sample.ts)";

const t = (named: Named, lang: Lang): string => named[lang];
const col = (header: Named, lang: Lang, numFmt?: string, width?: number): ColumnSpec => ({ header: t(header, lang), numFmt, width });
const money = (value: number, lang: Lang): string => (lang === "zh" ? `${value.toLocaleString("en-US")} 元` : `CNY ${value.toLocaleString("en-US")}`);
const list = (items: readonly string[], lang: Lang): string => items.join(lang === "zh" ? "、" : ", ");
const rampText = (ramp: readonly number[], lang: Lang): string => list(ramp.map((r) => `${Math.round(r * 100)}%`), lang);

function addInput(workbook: ExcelJS.Workbook, key: SeasonsTable, lang: Lang, columns: ColumnSpec[], rows: readonly (readonly Cell[])[]): void {
  addTableSheet(workbook, seasonsSheetName(key, lang), SEASONS_TABLES[key][lang], columns, rows);
}

/** Row counts of the input tables, by table key. */
export type SeasonsCounts = Record<SeasonsTable, number>;

export function buildSeasonsSample(data: SeasonsChain, lang: Lang): { workbook: ExcelJS.Workbook; counts: SeasonsCounts } {
  const workbook = newWorkbook(CREATOR);
  const file = SEASONS_FILES[lang];
  const planned = file.replace(".xlsx", ".planned.xlsx");
  const [office, tourist] = [data.ownStores.find((s) => s.kind === "office")!, data.ownStores.find((s) => s.kind === "tourist")!];
  const { targets, quarterHold, cellHold, totalHold } = data;
  const storeCount = new Set(data.reps.map((r) => r.team.zh)).size;
  const hires = list(data.newHires.map((h) => `${t(h, lang)}${lang === "zh" ? `（${h.team.zh}）` : ` (${h.team.en})`}`), lang);
  const q4 = list(quarterHold.months.map((m) => `${m.period} ${m.amount.toLocaleString("en-US")}`), lang);
  const readme =
    lang === "zh"
      ? [
          `虚构的厨电连锁（与“厨电门店-2027.xlsx”相同的 6 家门店，另加 2 家）：3 个区域、${storeCount} 家门店、${data.reps.length} 名有历史的销售员，另有 ${data.newHires.length} 名新员工。目标：2027 年保底 ${money(targets.floor, lang)}、力争 ${money(targets.target, lang)}、冲刺 ${money(targets.stretch, lang)}（约为 2026 年销售额的 0.95 / 1.10 / 1.25 倍），按 区域 > 团队 > 销售员、按月分解。`,
          `各自的季节性（设置“季节性 = 各自”）：${tourist.zh}在旅游小镇，历史销售额 8 月最高；${office.zh}在办公园区，3 月最高（节后写字楼装修）；其余门店随连锁的季节（五一、618、十一、双十一）。分解后“分解矩阵”中这两家门店销售员的各月目标随各自的历史起伏，而每个月各成员之和仍等于该月的计划总额，每行之和等于该成员的目标。`,
          `人员的入职、离职与爬坡（“人员”表）：${hires}于 ${HIRE_START.toISOString().slice(0, 10)} 入职，前三个月按满月的 ${rampText(RAMP, lang)} 爬坡，入职前没有目标；没有历史的新员工以同店其他销售员基数的中位数为基数。${data.leaver.zh}（${data.leaver.team.zh}）于 ${LEAVER_END.toISOString().slice(0, 10)} 离职，10 月起没有目标，他不再承担的部分由同店其他人分担。`,
          `锁定值（“锁定值”表，力争档）：区域经理向总经理承诺${quarterHold.region.zh}第四季度完成 ${money(quarterHold.total, lang)}，按月锁定（${q4}）；${cellHold.rep.zh} ${cellHold.period} 锁定为 ${money(cellHold.amount, lang)}（末级单元格）；${totalHold.team.zh}全年锁定为 ${money(totalHold.amount, lang)}（节点合计）。其余未锁定的单元格按行、列和同级成员精确重新平衡，每个锁定值精确保持。`,
          `分解：npx target-cascade plan sample/${file} --out sample/${planned}（或 npm run demo）`,
          "在 Excel 中：打开本文件，启动 Target Cascade 加载项，在“分解”步骤写入计划；在“分解矩阵”中改写单元格后按“重新平衡”，所改的值即成为锁定值。7 月的方法调整（replan）见“厨电门店-2027.xlsx”。",
          "本文件由 scripts/make-sample.ts 生成（npm run sample），人名与数字均为虚构。",
        ]
      : [
          `A fictional kitchen-appliance retail chain (the six stores of kitchen-appliances-2027.xlsx and two more): 3 regions, ${storeCount} stores, ${data.reps.length} reps with History and ${data.newHires.length} new hires. Targets for 2027: Floor ${money(targets.floor, lang)}, Target ${money(targets.target, lang)}, Stretch ${money(targets.stretch, lang)} (about 0.95 / 1.10 / 1.25 × 2026 revenue), split Region > Team > Rep by month.`,
          `Each store its own season (setting Seasonality = Own): ${tourist.en} is in a tourist town and its History peaks in August; ${office.en} is in an office park and peaks in March (offices fitted out after the Spring Festival); the other stores follow the chain's season (May Day, 618, National Day, Singles' Day). Once planned, the Plan Matrix rows of these two stores' reps rise and fall with their own History, while each month's column still adds up to the plan's total for that month and each row to the member's target.`,
          `People who join and leave, and ramp (the Members table): ${hires} join on ${HIRE_START.toISOString().slice(0, 10)} and ramp at ${rampText(RAMP, lang)} of a full month in their first three months, with no target before they start; a new hire with no History takes the median of the store's other reps' bases. ${data.leaver.en} (${data.leaver.team.en}) leaves on ${LEAVER_END.toISOString().slice(0, 10)}: no target from October, and what he no longer carries goes to the rest of his store.`,
          `Holds (the Holds table, Target tier): the regional manager promised the CEO that ${quarterHold.region.en} does ${money(quarterHold.total, lang)} in Q4, held month by month (${q4}); ${cellHold.rep.en}'s ${cellHold.period} is held at ${money(cellHold.amount, lang)} (a leaf cell); ${totalHold.team.en}'s year is held at ${money(totalHold.amount, lang)} (a node's total). Everything not held rebalances exactly — rows, columns and siblings — and every hold is kept to the unit.`,
          `Plan: npx target-cascade plan sample/${file} --out sample/${planned} (or npm run demo)`,
          "In Excel: open this file, start the Target Cascade add-in and write the plan in the Plan step; type new values into the Plan Matrix and press Rebalance: what you typed becomes a hold. The July re-plan (replan) is in kitchen-appliances-2027.xlsx.",
          "Generated by scripts/make-sample.ts (npm run sample); names and numbers are fictional.",
        ];
  addReadmeSheet(
    workbook,
    t(README_SHEET, lang),
    lang === "zh" ? "Target Cascade 示例：各自的季节性、人员入职离职与锁定值（2027）" : "Target Cascade sample: own seasons, people who join and leave, and holds (2027)",
    readme,
  );

  const H = SEASONS_HEADERS;
  addInput(workbook, "targets", lang, [col(H.period, lang, undefined, 10), col(H.floor, lang, AMOUNT, 16), col(H.target, lang, AMOUNT, 16), col(H.stretch, lang, AMOUNT, 16)], [
    ["2027", targets.floor, targets.target, targets.stretch],
  ]);
  const nameWidth = (zh: number, en: number) => (lang === "zh" ? zh : en);
  addInput(
    workbook,
    "history",
    lang,
    [col(H.month, lang, undefined, 10), col(H.region, lang, undefined, 12), col(H.team, lang, undefined, nameWidth(11, 18)), col(H.rep, lang, undefined, nameWidth(10, 14)), col(H.amount, lang, AMOUNT, 12)],
    data.history.map((h): Cell[] => [h.month, t(h.rep.region, lang), t(h.rep.team, lang), t(h.rep, lang), h.amount]),
  );
  addInput(
    workbook,
    "members",
    lang,
    [col(H.region, lang, undefined, 12), col(H.team, lang, undefined, nameWidth(11, 18)), col(H.rep, lang, undefined, nameWidth(10, 14)), col(H.start, lang, DATE, 12), col(H.end, lang, DATE, 12), col(H.ramp, lang, undefined, 16)],
    data.members.map((m): Cell[] => [t(m.rep.region, lang), t(m.rep.team, lang), t(m.rep, lang), m.start, m.end, m.ramp.length ? rampText(m.ramp, lang) : null]),
  );
  addInput(
    workbook,
    "holds",
    lang,
    [col(H.region, lang, undefined, 12), col(H.team, lang, undefined, nameWidth(11, 18)), col(H.rep, lang, undefined, nameWidth(10, 14)), col(H.period, lang, undefined, 10), col(H.tier, lang, undefined, 10), col(H.held, lang, AMOUNT, 14)],
    data.holds.map((h): Cell[] => [t(h.path[0], lang), h.path[1] ? t(h.path[1], lang) : null, h.path[2] ? t(h.path[2], lang) : null, h.period, t(H.target, lang).replace(/目标$/, ""), h.amount]),
  );
  const K = SEASONS_SETTING_KEYS;
  const settings: [Named, Cell][] = [
    [K.levels, [H.region, H.team, H.rep].map((h) => t(h, lang)).join(" > ")],
    [K.grain, lang === "zh" ? "月" : "Month"],
    [K.unit, SEASONS_UNIT],
    [K.workdays, lang === "zh" ? "全部" : "All"],
    [K.seasonality, lang === "zh" ? "各自" : "Own"],
  ];
  addInput(workbook, "settings", lang, [col(H.key, lang, undefined, 14), col(H.value, lang, undefined, lang === "zh" ? 30 : 32)], settings.map(([k, v]) => [t(k, lang), v]));
  return {
    workbook,
    counts: { targets: 1, history: data.history.length, members: data.members.length, holds: data.holds.length, settings: settings.length },
  };
}
