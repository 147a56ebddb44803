/**
 * Rebalance / 重新平衡 in the Plan step, as data: after a plan is written, the user types new values
 * into the Plan Matrix (a member in a period, a member's total, a period's total); each cell typed
 * over becomes a hold — the member (or the whole plan, for a period's total) from its row, the
 * period from its column, the tier from its block, the typed amount — and the plan is run again
 * with them and the Holds table's. The preview lists what moves, before → after, held cells marked;
 * keeping the holds writes them into the Holds / 锁定值 table, so the next plan keeps them too.
 *
 * Pure: the host gives the cells typed over (readEdits), the pipeline the plans.
 */
import {
  amountDecimal,
  numberText,
  rational,
  type HoldRow,
  type PlanResult,
  type Problem,
  type Tier,
} from "../../engine";
import type { EditedCell, HoldsWrite } from "../../hosts/addin";
import type { RawCell, RawTable } from "../../hosts/host";
import type { Lang } from "../../i18n";
import { formatDecimal } from "../../i18n";
import { tiersTargetFirst } from "../../report/format";
import { tierName, word } from "../../report/labels";
import { HOLD_COLUMNS, matchHeaders, normalizeName } from "../../contract/headers";
import { sheetInRef } from "../../contract/refs";

/** What a cell of the Plan Matrix is: a member in a period, a member's total, a period's total, the grand total. */
export type MatrixPlace =
  | { kind: "cell"; tier: Tier; leaf: number; period: number }
  | { kind: "memberTotal"; tier: Tier; leaf: number }
  | { kind: "periodTotal"; tier: Tier; period: number }
  | { kind: "grandTotal"; tier: Tier };

/**
 * Where each cell of the Plan Matrix (report/matrix-sheet.ts) sits in the plan: the header row, then
 * per tier (Target first) a title row, a row per leaf and a total row, an empty row between tiers;
 * the level columns, a column per period, the total column. undefined for a cell that is not an amount.
 * `leaf` is a position in result.leaves, `period` in result.periods; row and col are 1-based.
 */
export function matrixPlace(result: PlanResult, row: number, col: number): MatrixPlace | undefined {
  const L = result.leaves.length;
  const P = result.periods.length;
  const labelCols = Math.max(1, result.levels.length);
  const tiers = tiersTargetFirst(result.tiers);
  if (row < 2 || col <= labelCols || col > labelCols + P + 1) return undefined;
  const block = Math.floor((row - 2) / (L + 3));
  if (block >= tiers.length) return undefined;
  const tier = tiers[block];
  const within = row - 2 - block * (L + 3); // 0 title, 1…L leaves, L + 1 total, L + 2 empty
  const period = col - labelCols - 1; // P: the total column
  if (within >= 1 && within <= L) {
    return period < P
      ? { kind: "cell", tier, leaf: within - 1, period }
      : { kind: "memberTotal", tier, leaf: within - 1 };
  }
  if (within === L + 1)
    return period < P ? { kind: "periodTotal", tier, period } : { kind: "grandTotal", tier };
  return undefined;
}

/** The 1-based row and column of a place in the Plan Matrix (the inverse of matrixPlace). */
export function matrixCellOf(result: PlanResult, place: MatrixPlace): { row: number; col: number } {
  const L = result.leaves.length;
  const P = result.periods.length;
  const labelCols = Math.max(1, result.levels.length);
  const block = tiersTargetFirst(result.tiers).indexOf(place.tier);
  const top = 2 + block * (L + 3);
  const row =
    place.kind === "cell" || place.kind === "memberTotal" ? top + 1 + place.leaf : top + L + 1;
  const col =
    labelCols + 1 + (place.kind === "cell" || place.kind === "periodTotal" ? place.period : P);
  return { row, col };
}

/** Whether x is a whole multiple of unit, exactly (both as the decimals they are written as). */
export function isMultipleOf(x: number, unit: number): boolean {
  const a = rational.decimalParts(x);
  const b = rational.decimalParts(unit);
  const e = Math.min(a.exponent, b.exponent);
  const n = a.digits * rational.pow10(a.exponent - e);
  const d = b.digits * rational.pow10(b.exponent - e);
  return d !== 0n && n % d === 0n;
}

/** A value typed into the Plan Matrix, as a hold, with the place it was typed at. */
export interface TypedHold {
  place: Exclude<MatrixPlace, { kind: "grandTotal" }>;
  hold: HoldRow;
  /** `'Plan Matrix'!D5`. */
  ref: string;
}

export interface TypedHolds {
  typed: TypedHold[];
  problems: Problem[];
}

/** A cell's address on the matrix sheet, as a problem names it. */
const refOn = (sheet: string, address: string): string => `${sheetInRef(sheet)}!${address}`;

/**
 * The cells typed over in the Plan Matrix, as holds: a number, a whole multiple of Unit, not below
 * zero, typed into an amount cell other than the grand total. Anything else is a problem at its cell.
 */
export function typedHolds(
  result: PlanResult,
  sheet: string,
  cells: readonly EditedCell[]
): TypedHolds {
  const typed: TypedHold[] = [];
  const problems: Problem[] = [];
  const unit = result.unit;
  for (const cell of cells) {
    const ref = refOn(sheet, cell.address);
    const place = matrixPlace(result, cell.row, cell.col);
    if (!place) {
      problems.push({ ref, code: "rebalanceNotAmountCell" });
      continue;
    }
    if (place.kind === "grandTotal") {
      problems.push({ ref, code: "rebalanceGrandTotal" });
      continue;
    }
    const value = cell.value;
    if (value === "" || value === null || value === undefined) {
      problems.push({ ref, code: "rebalanceEmpty" });
      continue;
    }
    if (typeof value !== "number" || !Number.isFinite(value)) {
      problems.push({ ref, code: "rebalanceNotNumber", args: { value: String(value) } });
      continue;
    }
    if (value < 0) {
      problems.push({ ref, code: "rebalanceNegative", args: { amount: numberWords(value) } });
      continue;
    }
    if (!isMultipleOf(value, unit)) {
      problems.push({
        ref,
        code: "rebalanceNotMultipleOfUnit",
        args: { amount: numberWords(value), unit: numberWords(unit) },
      });
      continue;
    }
    const path =
      place.kind === "periodTotal" ? {} : { ...result.nodes[result.leaves[place.leaf]].path };
    const hold: HoldRow = {
      path,
      ...(place.kind === "memberTotal" ? {} : { period: result.periods[place.period].label }),
      tier: place.tier,
      amount: value,
      ref,
      refs: { amount: ref },
    };
    typed.push({ place, hold, ref });
  }
  return { typed, problems };
}

/** A number as its exact decimal with thousands separators. */
const numberWords = (x: number): string => formatDecimal(numberText(x));

/** How a cell of the preview is held: typed now, or a row of the Holds table already. */
export type HeldBy = "typed" | "table";

/** One line of the Rebalance preview: a cell of the matrix whose amount moves, or that is held. */
export interface RebalanceRow {
  /** `'Plan Matrix'!D5`, for Go to cell. */
  ref: string;
  /** The member's names down its levels (`East · Li`), or the plan's word for a period's total. */
  member: string;
  /** The period's label, or the word for a member's total. */
  period: string;
  tier: Tier;
  before: string;
  after: string;
  held?: HeldBy;
}

export interface RebalancePreview {
  rows: RebalanceRow[];
  /** Amount cells (members × periods, every tier) whose amount changes. */
  moved: number;
  /** Holds typed now, and holds of the Holds table the plan keeps besides. */
  typed: number;
  tableHolds: number;
}

const pathKey = (path: Record<string, string>): string =>
  JSON.stringify(Object.entries(path).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The place in the matrix a hold sits at, when it is a member in a period, a member's total or a period's total. */
export function placeOfHold(result: PlanResult, hold: HoldRow): TypedHold["place"] | undefined {
  if (!result.tiers.includes(hold.tier)) return undefined;
  const period =
    hold.period === undefined ? -1 : result.periods.findIndex((p) => p.label === hold.period);
  if (hold.period !== undefined && period < 0) return undefined;
  if (Object.keys(hold.path).length === 0)
    return period >= 0 ? { kind: "periodTotal", tier: hold.tier, period } : undefined;
  const key = pathKey(hold.path);
  const leaf = result.leaves.findIndex((n) => pathKey(result.nodes[n].path) === key);
  if (leaf < 0) return undefined;
  return period >= 0
    ? { kind: "cell", tier: hold.tier, leaf, period }
    : { kind: "memberTotal", tier: hold.tier, leaf };
}

function amountAt(result: PlanResult, place: TypedHold["place"]): string {
  const P = result.periods.length;
  if (place.kind === "cell")
    return amountDecimal(result, place.tier, "cell", place.leaf * P + place.period);
  if (place.kind === "memberTotal")
    return amountDecimal(result, place.tier, "node", result.leaves[place.leaf]);
  return amountDecimal(result, place.tier, "period", place.period);
}

const placeKey = (p: TypedHold["place"]): string =>
  `${p.tier}:${p.kind}:${"leaf" in p ? p.leaf : -1}:${"period" in p ? p.period : -1}`;

/**
 * What the Rebalance moves: every amount cell of the matrix (member × period, each tier) whose
 * amount differs between `before` (the plan as written) and `after` (with the holds), and every
 * held place, typed or from the Holds table; in the matrix's order (tier blocks, members, periods,
 * the member's total last). `before` and `after` plan the same members and periods.
 */
export function rebalancePreview(
  before: PlanResult,
  after: PlanResult,
  typed: readonly TypedHold[],
  tableHolds: readonly HoldRow[],
  sheet: string,
  lang: Lang
): RebalancePreview {
  if (
    before.leaves.length !== after.leaves.length ||
    before.periods.length !== after.periods.length
  ) {
    throw new Error("a rebalance plans the same members and periods");
  }
  const held = new Map<string, HeldBy>();
  for (const h of tableHolds) {
    const place = placeOfHold(after, h);
    if (place) held.set(placeKey(place), "table");
  }
  for (const t of typed) held.set(placeKey(t.place), "typed");

  const P = after.periods.length;
  const levels = after.levels;
  const memberOf = (leaf: number) => {
    const path = after.nodes[after.leaves[leaf]].path;
    return levels.map((l) => path[l] ?? "").join(" · ");
  };
  const rows: RebalanceRow[] = [];
  let moved = 0;
  const line = (place: TypedHold["place"]) => {
    const b = amountAt(before, place);
    const a = amountAt(after, place);
    const by = held.get(placeKey(place));
    const changed = a !== b;
    if (place.kind === "cell" && changed) moved++;
    if (!changed && !by) return;
    const { row, col } = matrixCellOf(after, place);
    rows.push({
      ref: refOn(sheet, `${columnName(col)}${row}`),
      member: place.kind === "periodTotal" ? word("total", lang) : memberOf(place.leaf),
      period:
        place.kind === "memberTotal" ? word("total", lang) : after.periods[place.period].label,
      tier: place.tier,
      before: formatDecimal(b),
      after: formatDecimal(a),
      ...(by ? { held: by } : {}),
    });
  };
  for (const tier of tiersTargetFirst(after.tiers)) {
    for (let leaf = 0; leaf < after.leaves.length; leaf++) {
      for (let period = 0; period < P; period++) line({ kind: "cell", tier, leaf, period });
      if (held.has(placeKey({ kind: "memberTotal", tier, leaf })))
        line({ kind: "memberTotal", tier, leaf });
    }
    for (let period = 0; period < P; period++) {
      if (held.has(placeKey({ kind: "periodTotal", tier, period })))
        line({ kind: "periodTotal", tier, period });
    }
  }
  return { rows, moved, typed: typed.length, tableHolds: tableHolds.length };
}

function columnName(col: number): string {
  let s = "";
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26))
    s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/** The names of the Holds table, as a sheet or table is found by name (ignoring case and spaces). */
export const HOLDS_NAMES = { en: "Holds", zh: "锁定值" } as const;

/** The workbook's Holds / 锁定值 table (a table first, else a sheet), or the one the contract found. */
export function findHoldsTable(
  tables: readonly RawTable[],
  found?: { name: string; source: "table" | "sheet" }
): RawTable | undefined {
  if (found) {
    const t = tables.find((x) => x.name === found.name && x.source === found.source);
    if (t) return t;
  }
  const names = new Set([HOLDS_NAMES.en, HOLDS_NAMES.zh].map(normalizeName));
  const named = (t: RawTable) => names.has(normalizeName(t.name));
  return (
    tables.find((t) => t.source === "table" && named(t)) ??
    tables.find((t) => t.source === "sheet" && named(t))
  );
}

type HoldsColumn =
  | { kind: "level"; level: string }
  | { kind: "period" }
  | { kind: "tier" }
  | { kind: "amount" }
  | undefined;

/** The Holds table's columns as the contract reads them (contract/headers.ts HOLD_COLUMNS), and its level columns. */
function holdsColumns(headers: readonly RawCell[], result: PlanResult): HoldsColumn[] {
  const { columns } = matchHeaders(headers, HOLD_COLUMNS);
  const levelNames = new Map<string, string>();
  result.levels.forEach((l, i) => {
    levelNames.set(normalizeName(l), l);
    levelNames.set(normalizeName(result.levelLabels[i] ?? l), l);
  });
  return headers.map((h, i): HoldsColumn => {
    if (columns.period?.index === i) return { kind: "period" };
    if (columns.tier?.index === i) return { kind: "tier" };
    if (columns.amount?.index === i) return { kind: "amount" };
    const level = typeof h === "string" ? levelNames.get(normalizeName(h)) : undefined;
    return level ? { kind: "level", level } : undefined;
  });
}

export type HoldsPlan =
  | { ok: true; write: HoldsWrite; sheet: string; created: boolean }
  | { ok: false; problems: Problem[] };

const holdKey = (h: HoldRow): string => JSON.stringify([pathKey(h.path), h.period ?? null, h.tier]);

/**
 * What keeping the typed holds writes into the Holds / 锁定值 table: a typed hold for the same node,
 * period and tier as a row of the table writes its amount over that row's; the others are added as
 * rows (the levels down to the held node, blanks below; the period, blank for a total; the tier; the
 * amount). Without a Holds table, one is made on a new sheet, in the workbook's language.
 */
export function holdsToKeep(
  typed: readonly TypedHold[],
  tableHolds: readonly HoldRow[],
  holds: RawTable | undefined,
  result: PlanResult,
  lang: Lang
): HoldsPlan {
  const existing = new Map(tableHolds.map((h) => [holdKey(h), h]));
  const updates: HoldsWrite["updates"] = [];
  const fresh: HoldRow[] = [];
  for (const { hold } of typed) {
    const there = existing.get(holdKey(hold));
    if (there) updates.push({ ref: there.refs.amount, amount: hold.amount });
    else fresh.push(hold);
  }
  const zh = lang === "zh";
  const columns: HoldsColumn[] = holds
    ? holdsColumns(holds.headers, result)
    : [
        ...result.levels.map((level) => ({ kind: "level" as const, level })),
        { kind: "period" },
        { kind: "tier" },
        { kind: "amount" },
      ];
  if (holds && !columns.some((c) => c?.kind === "amount")) {
    const ref = `${sheetInRef(holds.sheet)}!${columnName(holds.left)}${holds.top}`;
    return {
      ok: false,
      problems: [{ ref, code: "rebalanceHoldsNoAmount", args: { table: holds.name } }],
    };
  }
  const rows = fresh.map((h) =>
    columns.map((c): string | number | null => {
      if (!c) return null;
      if (c.kind === "level") return h.path[c.level] ?? null;
      if (c.kind === "period") return h.period ?? null;
      if (c.kind === "tier") return tierName(h.tier, lang);
      return h.amount;
    })
  );
  if (holds) {
    return {
      ok: true,
      write: {
        target: { name: holds.name, sheet: holds.sheet, source: holds.source },
        updates,
        rows,
      },
      sheet: holds.sheet,
      created: false,
    };
  }
  const name = zh ? HOLDS_NAMES.zh : HOLDS_NAMES.en;
  const headers = [
    ...result.levelLabels.slice(0, result.levels.length),
    zh ? "期间" : "Period",
    zh ? "档位" : "Tier",
    zh ? "金额" : "Amount",
  ];
  return {
    ok: true,
    write: { create: { sheet: name, table: name, headers }, updates, rows },
    sheet: name,
    created: true,
  };
}
