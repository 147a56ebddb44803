/**
 * The incentive rules (激励): a `Payout` / `激励` table of bands and the Settings that shape them
 * (docs/incentives-and-letters.md).
 *
 *   From / 起点        a tier (保底, 力争, 冲刺) or a completion of the Target (120%)
 *   Rate / 提成比例     a share of the actual, 0% … 100% (empty: the band before's rate)
 *   Bonus / 奖金        a fixed amount added once the band is reached (empty: none)
 *
 *   PayoutMode / 激励方式      Whole (整额, default) or Marginal (分段)
 *   PayoutCap / 激励封顶       the most one member is paid
 *   RankAward / 排名奖         the awards of the 1st, 2nd, … (`3000、2000、1000`), or one amount
 *   RankAwardTop / 排名奖名额   with one RankAward amount: how many of the top members get it
 *
 * Read from a parsed workbook and the raw tables it came from; every problem names the cell to
 * fix: a rate below zero or above 100 %, a negative bonus, a From that is neither a tier nor a
 * completion, bands out of order or starting at the same point. What needs the plan's amounts (a
 * tier the plan does not have, 冲刺 against 120 %) is checked by the engine (checkPayoutRules).
 */
import type { PayoutBand, PayoutMode, PayoutRules } from "../engine/payout";
import type { Problem } from "../engine/problems";
import { TIERS, type Tier } from "../engine/types";
import type { RawTable } from "../hosts/host";
import { TableReader } from "./cells";
import { INPUT_NAMES, matchHeaders, normalizeName, TARGET_COLUMNS, type NameDef } from "./headers";
import { cellText, halfWidth, isEmpty, parseNumber, parseNumberText } from "./parse";
import { TableRefs } from "./refs";
import type { ParsedWorkbook } from "./types";

function def(name: string, zh: string, ...others: string[]): NameDef {
  return { name, zh, aliases: [name, zh, ...others] };
}

/** Names of the Payout table (or sheet), one of the contract's inputs. */
export const PAYOUT_TABLE: NameDef = INPUT_NAMES.payout;

export const PAYOUT_COLUMNS = {
  from: def("From", "起点", "档位", "Band", "Tier"),
  rate: def("Rate", "提成比例", "提成", "比例", "提成率"),
  bonus: def("Bonus", "奖金", "奖励"),
} as const;

export const PAYOUT_SETTING_KEYS = {
  mode: def("PayoutMode", "激励方式", "提成方式", "计提方式"),
  cap: def("PayoutCap", "激励封顶", "封顶", "提成封顶"),
  rankAward: def("RankAward", "排名奖", "排名奖金"),
  rankAwardTop: def("RankAwardTop", "排名奖名额", "排名奖人数"),
} as const;

type PayoutKey = keyof typeof PAYOUT_SETTING_KEYS;

const MODE_WORDS = new Map<string, PayoutMode>([
  ...["Whole", "Whole amount", "All", "Total", "整额", "全额", "全额提成", "整体"].map((w): [string, PayoutMode] => [normalizeName(w), "Whole"]),
  ...["Marginal", "Tiered", "Progressive", "分段", "分段提成", "分段累进", "超额累进", "累进"].map((w): [string, PayoutMode] => [normalizeName(w), "Marginal"]),
]);

/** A completion above this is surely a percentage typed without its sign (120 for 120%). */
const MAX_COMPLETION = 10;

export interface PayoutInputs {
  /** Absent when the workbook has neither a Payout table nor a ranking award. */
  rules?: PayoutRules;
  problems: Problem[];
}

interface SettingCell {
  value: string;
  ref: string;
}

function payoutSettings(workbook: ParsedWorkbook): Partial<Record<PayoutKey, SettingCell>> {
  const byAlias = new Map<string, PayoutKey>();
  for (const key of Object.keys(PAYOUT_SETTING_KEYS) as PayoutKey[]) for (const a of PAYOUT_SETTING_KEYS[key].aliases) byAlias.set(normalizeName(a), key);
  const out: Partial<Record<PayoutKey, SettingCell>> = {};
  for (const [key, cell] of Object.entries(workbook.settings.raw)) {
    const known = byAlias.get(normalizeName(key));
    if (known && !out[known] && cell.value.trim() !== "") out[known] = cell;
  }
  return out;
}

/** The Payout table: the one the workbook was read with (found by name, or picked in the pane), else a table by one of its names, else such a sheet. */
export function findPayoutTable(tables: readonly RawTable[], workbook?: ParsedWorkbook): RawTable | undefined {
  const source = workbook?.sources.payout;
  const found = source && tables.find((t) => t.name === source.name && t.sheet === source.sheet && t.source === source.source);
  if (found) return found;
  const names = new Set(PAYOUT_TABLE.aliases.map(normalizeName));
  const named = (t: RawTable): boolean => names.has(normalizeName(t.name));
  return tables.find((t) => t.source === "table" && named(t)) ?? tables.find((t) => t.source === "sheet" && named(t));
}

const TIER_OF = new Map<string, Tier>();
for (const tier of TIERS) for (const alias of TARGET_COLUMNS[tier].aliases) TIER_OF.set(normalizeName(alias), tier);

/** A band's From: a tier by any of its names, or a completion (120%, 1.2). */
function readFrom(cell: unknown): { tier: Tier } | { completion: number } | undefined {
  if (typeof cell === "number") return Number.isFinite(cell) && cell >= 0 && cell <= MAX_COMPLETION ? { completion: cell } : undefined;
  if (typeof cell !== "string") return undefined;
  const tier = TIER_OF.get(normalizeName(cell));
  if (tier) return { tier };
  const n = parseNumberText(cell);
  return Number.isFinite(n) && n >= 0 && n <= MAX_COMPLETION ? { completion: n } : undefined;
}

/** Amounts of a RankAward value: `3000、2000、1000`, `3,000; 2,000`, `3000 2000 1000`. */
function splitAmounts(text: string): string[] {
  const tokens = halfWidth(text)
    .split(/[\s;、|/]+/)
    .filter((t) => t !== "");
  // A comma between digits is a thousands separator when groups of three follow it; otherwise it separates.
  return tokens
    .map((t) => t.replace(/^,+|,+$/g, ""))
    .flatMap((t) => (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? [t] : t.split(",").filter((s) => s !== "")));
}

function readRankAward(award: SettingCell | undefined, top: SettingCell | undefined, problems: Problem[]): number[] {
  if (!award) {
    if (top) problems.push({ ref: top.ref, code: "rankAwardTopAlone", args: {} });
    return [];
  }
  const amounts = splitAmounts(award.value).map(parseNumberText);
  if (amounts.length === 0 || amounts.some((a) => !Number.isFinite(a) || a < 0)) {
    problems.push({ ref: award.ref, code: "badRankAward", args: { value: award.value } });
    return [];
  }
  if (!top) return amounts;
  const n = parseNumberText(top.value);
  if (!Number.isInteger(n) || n < 1) {
    problems.push({ ref: top.ref, code: "badRankAwardTop", args: { value: top.value } });
    return [];
  }
  if (amounts.length !== 1) {
    problems.push({ ref: top.ref, code: "rankAwardTopWithList", args: { count: amounts.length } });
    return [];
  }
  return new Array<number>(n).fill(amounts[0]);
}

/** The bands of the Payout table, in order; problems name their cells. */
function readBands(table: RawTable, problems: Problem[]): PayoutBand[] {
  const reader = new TableReader(table, problems);
  const { columns, duplicates } = matchHeaders(table.headers, PAYOUT_COLUMNS);
  reader.reportDuplicates(duplicates);
  if (!columns.from) {
    reader.missingColumn(PAYOUT_TABLE, PAYOUT_COLUMNS.from);
    return [];
  }
  if (!columns.rate && !columns.bonus) {
    reader.missingColumn(PAYOUT_TABLE, PAYOUT_COLUMNS.rate);
    return [];
  }
  const refs = new TableRefs(table);
  const before = problems.length;
  const bands: PayoutBand[] = [];
  // Where each band starts, for the order checks that need no plan: tiers by their order, completions by value, Target = 100%.
  const seen: { band: PayoutBand; tierIndex?: number; completion?: number }[] = [];
  let rate = 0;
  table.rows.forEach((_, r) => {
    if (!reader.rowHasValues(r)) return;
    const fromCell = reader.cell(r, columns.from);
    const fromRef = reader.ref(r, columns.from!);
    if (isEmpty(fromCell)) {
      reader.report(r, columns.from!, "missingValue", {});
      return;
    }
    const from = readFrom(fromCell);
    if (!from) {
      problems.push({ ref: fromRef, code: "badPayoutFrom", args: { value: cellText(fromCell) } });
      return;
    }
    let ok = true;
    if (columns.rate && !reader.isEmpty(r, columns.rate)) {
      const cell = reader.cell(r, columns.rate);
      const v = parseNumber(cell);
      if (!Number.isFinite(v) || v < 0 || v > 1) {
        problems.push({ ref: reader.ref(r, columns.rate), code: v < 0 ? "payoutRateNegative" : "badPayoutRate", args: { value: cellText(cell) } });
        ok = false;
      } else rate = v;
    }
    let bonus = 0;
    if (columns.bonus && !reader.isEmpty(r, columns.bonus)) {
      const cell = reader.cell(r, columns.bonus);
      const v = parseNumber(cell);
      if (!Number.isFinite(v) || v < 0) {
        problems.push({ ref: reader.ref(r, columns.bonus), code: "badPayoutBonus", args: { value: cellText(cell) } });
        ok = false;
      } else bonus = v;
    }
    if (!ok) return;
    const band: PayoutBand = {
      from,
      rate,
      bonus,
      label: cellText(fromCell),
      refs: {
        from: fromRef,
        rate: columns.rate ? reader.ref(r, columns.rate) : fromRef,
        bonus: columns.bonus ? reader.ref(r, columns.bonus) : fromRef,
      },
    };
    // Against every band before it whose place is known without the plan: Target is 100 %.
    const tierIndex = "tier" in from ? TIERS.indexOf(from.tier) : undefined;
    const completion = "completion" in from ? from.completion : from.tier === "target" ? 1 : undefined;
    for (const prev of seen) {
      let order: number | undefined;
      if (tierIndex !== undefined && prev.tierIndex !== undefined) order = tierIndex - prev.tierIndex;
      else if (completion !== undefined && prev.completion !== undefined) order = completion - prev.completion;
      if (order === undefined) continue;
      if (order < 0) {
        problems.push({ ref: fromRef, code: "payoutBandsOutOfOrder", args: { band: band.label, previous: prev.band.label } });
        return;
      }
      if (order === 0) {
        problems.push({ ref: fromRef, code: "payoutBandsOverlap", args: { band: band.label, previous: prev.band.label } });
        return;
      }
    }
    seen.push({ band, tierIndex, completion });
    bands.push(band);
  });
  if (bands.length === 0 && problems.length === before) {
    problems.push({ ref: refs.first, code: "payoutEmpty", args: {} });
  }
  return bands;
}

/**
 * The incentive rules of a workbook, or none (no Payout table and no ranking award). Problems
 * are returned, never thrown.
 */
export function readPayoutInputs(workbook: ParsedWorkbook, tables: readonly RawTable[]): PayoutInputs {
  const problems: Problem[] = [];
  const settings = payoutSettings(workbook);
  const table = findPayoutTable(tables, workbook);
  const rankAward = readRankAward(settings.rankAward, settings.rankAwardTop, problems);

  let mode: PayoutMode = "Whole";
  if (settings.mode) {
    const m = MODE_WORDS.get(normalizeName(settings.mode.value));
    if (m) mode = m;
    else problems.push({ ref: settings.mode.ref, code: "badPayoutMode", args: { value: settings.mode.value } });
  }
  let cap: number | undefined;
  if (settings.cap) {
    const v = parseNumberText(settings.cap.value);
    if (Number.isFinite(v) && v >= 0) cap = v;
    else problems.push({ ref: settings.cap.ref, code: "badPayoutCap", args: { value: settings.cap.value } });
  }

  if (!table) {
    // Mode and cap shape a Payout table: without one they are a mistake. A ranking award can stand alone.
    for (const key of ["mode", "cap"] as const) {
      const s = settings[key];
      if (s) problems.push({ ref: s.ref, code: "payoutTableMissing", args: { setting: PAYOUT_SETTING_KEYS[key].name, settingZh: PAYOUT_SETTING_KEYS[key].zh } });
    }
    if (problems.length || rankAward.length === 0) return { problems };
    return { rules: { bands: [], mode, ...(cap === undefined ? {} : { cap }), rankAward, refs: { rankAward: settings.rankAward?.ref } }, problems };
  }

  const bands = readBands(table, problems);
  if (problems.length) return { problems };
  return {
    rules: {
      bands,
      mode,
      ...(cap === undefined ? {} : { cap }),
      rankAward,
      refs: { table: new TableRefs(table).first, mode: settings.mode?.ref, cap: settings.cap?.ref, rankAward: settings.rankAward?.ref },
    },
    problems,
  };
}
