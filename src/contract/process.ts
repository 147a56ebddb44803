/**
 * The inputs of process tracking (过程追踪; docs/tracking-decisions.md): which of the funnel's
 * stages the Actuals count, whether they name each row's channel, and what they carry for the
 * deep data — orders, product lines or add-on columns, series. Actuals use the same headers and
 * aliases as History (`渠道`, `邀约数`, `二次进店数`, `订单数`, `产品线` …).
 *
 * Read from a parsed workbook and the raw tables it came from, like the drivers' inputs.
 */
import type { DriversResult } from "../engine/drivers";
import type { ActualsColumns, DeepSpec, ProcessSpec } from "../engine/process";
import type { RawTable } from "../hosts/host";
import { findDimension, findMeasure, matchFactColumns, type FactColumns, type NamedColumn } from "./facts";
import { UNITS_ALIASES } from "./funnel";
import { INPUT_NAMES, normalizeName } from "./headers";
import { columnLetters } from "./refs";
import type { ParsedWorkbook } from "./types";

function actualsTable(workbook: ParsedWorkbook, tables: readonly RawTable[]): RawTable | undefined {
  const source = workbook.sources.actuals;
  if (!source) return undefined;
  return tables.find((t) => t.name === source.name && t.sheet === source.sheet && t.source === source.source);
}

/** The key a column's cells have in the Actuals' facts: the contract's name for a known column, else its header. */
function keyOf(column: NamedColumn): string {
  return column.name;
}

function actualsColumns(table: RawTable, columns: FactColumns, ref: string): ActualsColumns {
  const letters: Record<string, string> = {};
  const labels: Record<string, string> = {};
  for (const c of [...columns.dimensions, ...columns.measures, ...columns.others]) {
    letters[c.name] = columnLetters(table.left + c.index);
    labels[c.name] = c.label;
  }
  return { table: ref, letters, labels };
}

/**
 * What process tracking needs, when the workbook has a funnel and the Actuals count at least one
 * of its stages; undefined otherwise (then no Funnel Progress sheet is written).
 */
export function readProcessInputs(workbook: ParsedWorkbook, tables: readonly RawTable[], drivers: DriversResult | undefined): ProcessSpec | undefined {
  const funnel = drivers?.funnel;
  if (!drivers || !funnel || !workbook.actuals) return undefined;
  const table = actualsTable(workbook, tables);
  if (!table) return undefined;
  // The Actuals' problems were reported when the workbook was parsed; only the columns matter here.
  const columns = matchFactColumns(table, INPUT_NAMES.actuals, []);
  const historyLabel = (name: string): string => drivers.columns.labels[name] ?? name;
  const measure = (name: string): NamedColumn | undefined => findMeasure(columns, historyLabel(name)) ?? findMeasure(columns, name);

  const stages: string[] = [];
  const keys: string[] = [];
  for (const stage of funnel.stages) {
    const column = measure(stage);
    if (!column) continue;
    stages.push(stage);
    keys.push(keyOf(column));
  }
  if (stages.length === 0) return undefined;
  const channel = findDimension(columns, historyLabel(funnel.dimension)) ?? findDimension(columns, funnel.dimension);
  const cols = actualsColumns(table, columns, workbook.sources.actuals?.ref ?? `${table.sheet}!A1`);
  // The engine reads each stage by its name in the funnel; a user's own stage column may be spelt otherwise in Actuals.
  stages.forEach((stage, t) => {
    if (keys[t] === stage) return;
    cols.letters[stage] = cols.letters[keys[t]];
    cols.labels[stage] = cols.labels[keys[t]];
  });

  const spec: ProcessSpec = { drivers, funnel, stages, byChannel: channel !== undefined, columns: cols };
  if (channel && keyOf(channel) !== funnel.dimension) spec.channelKey = keyOf(channel);
  if (keys.some((k, t) => k !== stages[t])) spec.measureKeys = keys;
  const deep = deepSpec(columns, drivers, historyLabel);
  if (deep) spec.deep = { spec: deep, drivers };
  return spec;
}

function deepSpec(columns: FactColumns, drivers: DriversResult, historyLabel: (name: string) => string): DeepSpec | undefined {
  const orders = findMeasure(columns, "Orders") !== undefined;
  const product = drivers.products ? findDimension(columns, historyLabel(drivers.products.dimension)) : undefined;
  const seriesDimension = drivers.series?.dimension;
  const series = seriesDimension ? findDimension(columns, historyLabel(seriesDimension)) : undefined;
  const unitAliases = new Set(UNITS_ALIASES.map(normalizeName));
  const unitsColumn = [...columns.measures, ...columns.others].find((c) => unitAliases.has(normalizeName(c.label)));
  const addOnColumns: Record<string, string> = {};
  if (!product) {
    for (const a of drivers.attachments) {
      const column = findMeasure(columns, a.product);
      if (column) addOnColumns[a.product] = keyOf(column);
    }
  }
  const attach = drivers.attachments.length > 0 && (product !== undefined || Object.keys(addOnColumns).length > 0);
  if (!orders && !attach && !series) return undefined;
  const spec: DeepSpec = { orders, units: unitsColumn ? keyOf(unitsColumn) : "Orders", addOnColumns };
  if (product && drivers.products) spec.product = keyOf(product) === drivers.products.dimension ? drivers.products.dimension : keyOf(product);
  if (series) spec.series = keyOf(series);
  return spec;
}
