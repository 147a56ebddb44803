/**
 * The inputs of the funnel and the driver targets (CONTRACT §4.6; docs/funnel-and-drivers.md):
 * which History column holds the channels, the product lines and the series, which measure
 * counts units, and the attachment rates of the Settings table (`Attach.净水器 = 30%`).
 *
 * Read from a parsed workbook and the raw tables it came from (for the History columns' letters
 * and headers). Every problem names the Settings cell to fix.
 */
import type { DriverSpec, AttachmentSpec } from "../engine/drivers";
import type { HistoryColumns } from "../engine/funnel";
import type { Problem } from "../engine/problems";
import { factTable, type FactTable } from "../engine/facts";
import type { RawTable } from "../hosts/host";
import { dimensionCandidates, findDimension, matchFactColumns, type FactColumns, type NamedColumn } from "./facts";
import { INPUT_NAMES, normalizeName } from "./headers";
import { listNames } from "./levels";
import { halfWidth, parseNumberText } from "./parse";
import { columnLetters } from "./refs";
import { splitList } from "./settings";
import type { ParsedWorkbook } from "./types";

/** Settings keys of the funnel and the drivers, in English and Chinese (normalised on lookup). */
export const DRIVER_SETTING_KEYS = {
  channel: { name: "Channel", zh: "渠道", aliases: ["Channel", "渠道", "Channels", "渠道列"] },
  product: { name: "Product", zh: "产品线", aliases: ["Product", "产品", "产品线", "Products"] },
  series: { name: "Series", zh: "系列", aliases: ["Series", "系列", "产品系列"] },
  attach: { name: "Attach", zh: "配套", aliases: ["Attach", "Attachments", "Attachment", "配套", "配套产品", "配套率"] },
} as const;

type DriverKey = keyof typeof DRIVER_SETTING_KEYS;

/** `Attach.净水器`, `Attach: 净水器`, `配套率.净水器`, `配套．净水器`: the rate of one add-on. */
const ATTACH_PREFIXES = new Set(DRIVER_SETTING_KEYS.attach.aliases.map(normalizeName));

/** Headers of a History column counting units (台数): used for units per product line instead of Orders. */
export const UNITS_ALIASES: readonly string[] = ["Units", "Quantity", "Qty", "数量", "销量", "台数", "件数"];

/** Headers of a series column when Settings do not name one. */
const SERIES_ALIASES: readonly string[] = DRIVER_SETTING_KEYS.series.aliases;

/** Values meaning "measure this rate from History". */
const FROM_HISTORY = new Set(["history", "historical", "历史", "按历史", "历史数据"].map(normalizeName));

export interface DriverInputs {
  /** Absent when the workbook has nothing for the funnel or the drivers (no Orders, or no channel, product or add-on). */
  spec?: DriverSpec;
  problems: Problem[];
}

interface SettingCell {
  key: string;
  value: string;
  ref: string;
}

/** The Settings rows of the drivers: the known keys, and the `Attach.<product>` rows. */
function driverSettings(workbook: ParsedWorkbook): { keys: Partial<Record<DriverKey, SettingCell>>; rates: SettingCell[] } {
  const byAlias = new Map<string, DriverKey>();
  for (const key of Object.keys(DRIVER_SETTING_KEYS) as DriverKey[]) {
    for (const alias of DRIVER_SETTING_KEYS[key].aliases) byAlias.set(normalizeName(alias), key);
  }
  const keys: Partial<Record<DriverKey, SettingCell>> = {};
  const rates: SettingCell[] = [];
  for (const [key, { value, ref }] of Object.entries(workbook.settings.raw)) {
    const known = byAlias.get(normalizeName(key));
    if (known) {
      if (!keys[known]) keys[known] = { key, value, ref };
      continue;
    }
    const m = /^(.+?)\s*[.:．：]\s*(.+)$/.exec(halfWidth(key).trim());
    if (m && ATTACH_PREFIXES.has(normalizeName(m[1]))) rates.push({ key: m[2].trim(), value, ref });
  }
  return { keys, rates };
}

function historyTable(workbook: ParsedWorkbook, tables: readonly RawTable[]): RawTable | undefined {
  const source = workbook.sources.history;
  if (!source) return undefined;
  return tables.find((t) => t.name === source.name && t.sheet === source.sheet && t.source === source.source);
}

function historyColumns(table: RawTable, columns: FactColumns, ref: string): HistoryColumns {
  const letters: Record<string, string> = {};
  const labels: Record<string, string> = {};
  const all: NamedColumn[] = [...columns.dimensions, ...columns.measures, ...columns.others];
  for (const c of all) {
    letters[c.name] = columnLetters(table.left + c.index);
    labels[c.name] = c.label;
  }
  return { table: ref, letters, labels };
}

/** A History column with names in it (a dimension of the facts), found by the name a setting gives. */
function dimensionColumn(
  setting: SettingCell,
  what: DriverKey,
  columns: FactColumns,
  facts: FactTable,
  problems: Problem[],
): NamedColumn | undefined {
  const column = findDimension(columns, setting.value);
  if (!column) {
    problems.push({
      ref: setting.ref,
      code: "unknownDriverColumn",
      args: { setting: setting.key, name: setting.value, known: listNames(dimensionCandidates(columns)) },
    });
    return undefined;
  }
  if (!facts.namesSome(column.name)) {
    problems.push({ ref: setting.ref, code: "driverColumnNotNames", args: { setting: DRIVER_SETTING_KEYS[what].name, settingZh: DRIVER_SETTING_KEYS[what].zh, name: column.label } });
    return undefined;
  }
  return column;
}

function readRate(cell: SettingCell, problems: Problem[]): AttachmentSpec | undefined {
  const product = cell.key;
  const text = cell.value.trim();
  if (text === "" || FROM_HISTORY.has(normalizeName(text))) return { product, ref: cell.ref };
  const rate = parseNumberText(text);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    problems.push({ ref: cell.ref, code: "badAttachRate", args: { product, value: text } });
    return undefined;
  }
  return { product, rate, ref: cell.ref };
}

/**
 * The funnel and driver inputs of a workbook. Problems are returned, never thrown; `spec` is
 * absent when there is nothing to compute (then nothing about funnels or drivers is written).
 */
export function readDriverInputs(workbook: ParsedWorkbook, tables: readonly RawTable[]): DriverInputs {
  const problems: Problem[] = [];
  const { keys, rates } = driverSettings(workbook);
  const givenKeys = (Object.keys(keys) as DriverKey[]).filter((k) => keys[k]!.value.trim() !== "");

  const table = historyTable(workbook, tables);
  if (!table) {
    for (const k of givenKeys) {
      const d = DRIVER_SETTING_KEYS[k];
      problems.push({ ref: keys[k]!.ref, code: "historyRequired", args: { what: d.name, whatZh: d.zh } });
    }
    for (const r of rates) problems.push({ ref: r.ref, code: "historyRequired", args: { what: "Attach", whatZh: "配套率" } });
    return { problems };
  }

  // The History problems were reported when the workbook was parsed; only the columns matter here.
  const columns = matchFactColumns(table, INPUT_NAMES.history, []);
  const facts = factTable(workbook.input.history);
  const cols = historyColumns(table, columns, workbook.sources.history?.ref ?? `${table.sheet}!A1`);

  const dimension = (key: DriverKey, fallback: (c: FactColumns) => NamedColumn | undefined): string | undefined => {
    const given = keys[key];
    if (given && given.value.trim() !== "") return dimensionColumn(given, key, columns, facts, problems)?.name;
    const column = fallback(columns);
    return column && facts.namesSome(column.name) ? column.name : undefined;
  };
  const channel = dimension("channel", (c) => c.dimensions.find((d) => d.name === "Channel"));
  const product = dimension("product", (c) => c.dimensions.find((d) => d.name === "Product"));
  const seriesAliases = new Set(SERIES_ALIASES.map(normalizeName));
  const series = dimension("series", (c) => [...c.dimensions, ...c.others].find((d) => seriesAliases.has(normalizeName(d.label))));

  const attachments: AttachmentSpec[] = [];
  const listed = keys.attach?.value.trim() ? splitList(keys.attach.value) : [];
  for (const p of listed) {
    if (!rates.some((r) => r.key === p)) attachments.push({ product: p, ref: keys.attach!.ref });
  }
  for (const r of rates) {
    const a = readRate(r, problems);
    if (a) attachments.push(a);
  }

  const hasOrders = columns.measures.some((c) => c.name === "Orders");
  if (!hasOrders) {
    // Without orders there is no funnel and no driver; a setting that asks for one is a problem.
    const orders = "Orders";
    for (const k of givenKeys) problems.push({ ref: keys[k]!.ref, code: "driversNeedOrders", args: { setting: DRIVER_SETTING_KEYS[k].name, settingZh: DRIVER_SETTING_KEYS[k].zh, orders } });
    for (const a of attachments) problems.push({ ref: a.ref, code: "driversNeedOrders", args: { setting: "Attach", settingZh: "配套率", orders } });
    return { problems };
  }
  if (problems.length) return { problems };

  const unitAliases = new Set(UNITS_ALIASES.map(normalizeName));
  const unitsColumn = [...columns.measures, ...columns.others].find(
    (c) => unitAliases.has(normalizeName(c.label)) && facts.hasMeasure(c.name),
  );
  const units = unitsColumn?.name ?? "Orders";

  const funnel = channel ? { dimension: channel, stages: workbook.settings.funnel ?? ["Orders"] } : undefined;
  if (!funnel && !product && !series && attachments.length === 0) return { problems };
  const spec: DriverSpec = { units, attachments, columns: cols };
  if (funnel) spec.funnel = funnel;
  if (product) spec.product = product;
  if (series) spec.series = series;
  return { spec, problems };
}
