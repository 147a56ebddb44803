/**
 * Bench workbooks: an English sales organisation of any size, Region > Team > Rep, with one
 * History row per rep per month (5,000 reps × 36 months = 180,000 rows).
 *
 *   generateBenchWorkbook(opts)      an ExcelJS workbook in memory
 *   writeBenchWorkbook(path, opts)   the same workbook written with ExcelJS's streaming writer
 *
 * Both give the same sheets, tables and values for the same options (the streaming writer
 * cannot write tables, so they are added to its output afterwards):
 *
 *   Targets       table Targets:  Period 2027, Floor, Target, Stretch (0.95 / 1.10 / 1.25 × the last 12 months)
 *   Settings      table Settings: Levels Region > Team > Rep, Grain Week, Unit 100, Funnel Invitations > Visits > Orders
 *   History data  table History:  Date (month text), Region, Team, Rep, Channel, Amount, Orders, Visits, Invitations
 *
 * (Excel does not allow a sheet named "History", hence "History data"; the table is "History".)
 *
 * Command line: npx tsx bench/generate.ts OUT.xlsx [--reps 5000] [--months 36] [--channels 8] [--seed 1]
 */
import { promises as fs } from "fs";
import * as path from "path";
import { PassThrough } from "stream";
import ExcelJS from "exceljs";
import type { RawCell, RawTable } from "../src/hosts/host";
import type { HoldRow, PlanResult } from "../src/engine/types";
import { monthLabel, monthsBefore, roundTo } from "../scripts/lib/calendar";
import { Random } from "../scripts/lib/prng";
import { addTablesToXlsx, addTableSheet, newWorkbook, type Cell, type TablePart } from "../scripts/lib/xlsx";

export interface BenchOptions {
  reps: number;
  /** Months of history, ending December 2026 (default 36: 2024-01 … 2026-12). */
  months?: number;
  /** Number of channels the reps rotate through (default 8). */
  channels?: number;
  seed?: number;
  /** Adds a Leads column before Invitations and a four-stage Funnel (Leads > Invitations > Visits > Orders); default off. */
  leads?: boolean;
  /** The plan's grain in Settings (default Week). Month for 50,000 reps: at Week grain their Plan sheet would need more rows than a worksheet holds. */
  grain?: "Week" | "Month";
}

/** The shape of a bench workbook: how many of each and the History row count. */
export interface BenchShape {
  regions: number;
  teams: number;
  reps: number;
  months: number;
  channels: number;
  historyRows: number;
}

export const BENCH_PLAN_YEAR = 2027;
export const BENCH_SHEETS = { targets: "Targets", settings: "Settings", history: "History data" } as const;
export const BENCH_TABLES = { targets: "Targets", settings: "Settings", history: "History" } as const;
export const HISTORY_COLUMNS = ["Date", "Region", "Team", "Rep", "Channel", "Amount", "Orders", "Visits", "Invitations"] as const;
const TARGET_COLUMNS = ["Period", "Floor", "Target", "Stretch"] as const;
const SETTINGS_COLUMNS = ["Key", "Value"] as const;
const SETTINGS: readonly [string, Cell][] = [
  ["Levels", "Region > Team > Rep"],
  ["Grain", "Week"],
  ["Unit", 100],
  ["Funnel", "Invitations > Visits > Orders"],
];

const REPS_PER_TEAM = 10;
const TEAMS_PER_REGION = 25;
const DEFAULT_MONTHS = 36;
const DEFAULT_CHANNELS = 8;
const DEFAULT_SEED = 1;
const CREATOR = "Target Cascade bench generator (bench/generate.ts)";

const REGION_NAMES = [
  "North", "South", "East", "West", "Central", "Northeast", "Northwest", "Southeast", "Southwest",
  "Coastal", "Mountain", "Lakes", "Delta", "Plains", "Highlands", "Valley", "Bay", "Gulf", "Capital",
  "Harbour", "Frontier", "Metro", "Riverside", "Islands", "Midlands",
];
const CHANNEL_NAMES = ["Referral", "Walk-in", "Online", "Partner", "Community", "Events", "Telesales", "Showroom"];
/** Monthly seasonality: a February dip, peaks in May, October and November. */
const SEASONALITY = [0.85, 0.6, 0.88, 0.96, 1.3, 1.12, 0.85, 0.82, 0.97, 1.35, 1.28, 1.02];
const YEARLY_GROWTH = 1.08;

interface BenchRep {
  name: string;
  team: string;
  region: string;
  /** Mean monthly amount in the plan year's prior year. */
  level: number;
  channelOffset: number;
}

interface BenchChannel {
  name: string;
  averageOrder: number;
  visitToOrder: number;
  invitationToVisit: number;
}

interface ResolvedOptions {
  reps: number;
  months: number;
  channels: number;
  seed: number;
}

function resolve(opts: BenchOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    reps: opts.reps,
    months: opts.months ?? DEFAULT_MONTHS,
    channels: opts.channels ?? DEFAULT_CHANNELS,
    seed: opts.seed ?? DEFAULT_SEED,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || (key !== "seed" && value < 1)) {
      throw new Error(`bench option ${key} must be a positive whole number, not ${value}`);
    }
  }
  return resolved;
}

/** The organisation's shape: teams of about 10 reps, regions of up to 25 teams. */
export function benchShape(opts: BenchOptions): BenchShape {
  const { reps, months, channels } = resolve(opts);
  const teams = Math.ceil(reps / REPS_PER_TEAM);
  return { regions: Math.ceil(teams / TEAMS_PER_REGION), teams, reps, months, channels, historyRows: reps * months };
}

const pad = (value: number, width: number) => String(value).padStart(width, "0");

function numbered(names: readonly string[], index: number): string {
  const round = Math.floor(index / names.length);
  return round === 0 ? names[index] : `${names[index % names.length]} ${round + 1}`;
}

function buildOrg(opts: ResolvedOptions, random: Random): { reps: BenchRep[]; channels: BenchChannel[] } {
  const shape = benchShape(opts);
  const teamWidth = String(shape.teams).length;
  const repWidth = Math.max(5, String(shape.reps).length);
  const regionNames = Array.from({ length: shape.regions }, (_, r) => numbered(REGION_NAMES, r));
  const reps: BenchRep[] = [];
  for (let i = 0; i < shape.reps; i++) {
    const team = Math.floor((i * shape.teams) / shape.reps);
    const region = Math.floor((team * shape.regions) / shape.teams);
    reps.push({
      name: `Rep ${pad(i + 1, repWidth)}`,
      team: `Team ${pad(team + 1, teamWidth)}`,
      region: regionNames[region],
      level: 60_000 * random.lognormal(0.35),
      channelOffset: random.int(0, opts.channels - 1),
    });
  }
  const channels = Array.from({ length: opts.channels }, (_, c) => ({
    name: numbered(CHANNEL_NAMES, c),
    averageOrder: roundTo(random.uniform(3000, 9000), 100),
    visitToOrder: random.uniform(0.5, 0.8),
    invitationToVisit: random.uniform(0.3, 0.6),
  }));
  return { reps, channels };
}

/** The History rows, month by month and rep by rep; the same options always give the same rows. */
function* historyRows(opts: ResolvedOptions, leads = false): Generator<Cell[]> {
  const random = new Random(opts.seed);
  const { reps, channels } = buildOrg(opts, random.fork("org"));
  const noise = random.fork("history");
  // Leads draw from a stream of their own, so the other columns are the same with or without them.
  const leadNoise = random.fork("leads");
  const months = monthsBefore(BENCH_PLAN_YEAR, opts.months);
  for (let m = 0; m < months.length; m++) {
    const { year, month } = months[m];
    const label = monthLabel(year, month);
    const trend = Math.pow(YEARLY_GROWTH, year - (BENCH_PLAN_YEAR - 1)) * SEASONALITY[month - 1];
    for (const rep of reps) {
      const channel = channels[(rep.channelOffset + m) % channels.length];
      const orders = Math.max(1, Math.round((rep.level * trend * noise.lognormal(0.12)) / channel.averageOrder));
      const amount = roundTo(orders * channel.averageOrder * noise.uniform(0.9, 1.1), 10);
      const visits = Math.ceil(orders / (channel.visitToOrder * noise.uniform(0.9, 1.1)));
      const invitations = Math.ceil(visits / (channel.invitationToVisit * noise.uniform(0.9, 1.1)));
      const row: Cell[] = [label, rep.region, rep.team, rep.name, channel.name, amount, orders, visits, invitations];
      if (leads) row.push(Math.ceil(invitations / leadNoise.uniform(0.6, 0.8)));
      yield row;
    }
  }
}

const AMOUNT_COLUMN = HISTORY_COLUMNS.indexOf("Amount");

/** The Targets row: 0.95 / 1.10 / 1.25 × the Amount of the last 12 History months, rounded to 1,000. */
function targetsRow(opts: ResolvedOptions): Cell[] {
  const lastMonths = new Set(monthsBefore(BENCH_PLAN_YEAR, 12).map(({ year, month }) => monthLabel(year, month)));
  let lastYear = 0;
  for (const row of historyRows(opts)) {
    if (lastMonths.has(row[0] as string)) lastYear += row[AMOUNT_COLUMN] as number;
  }
  if (opts.months < 12) lastYear = (lastYear * 12) / opts.months;
  return [String(BENCH_PLAN_YEAR), roundTo(lastYear * 0.95, 1000), roundTo(lastYear * 1.1, 1000), roundTo(lastYear * 1.25, 1000)];
}

/** The Settings rows for a bench workbook of these options. */
function settingsFor(opts: BenchOptions): readonly [string, Cell][] {
  return opts.grain && opts.grain !== "Week" ? SETTINGS.map(([k, v]): [string, Cell] => [k, k === "Grain" ? (opts.grain as string) : v]) : SETTINGS;
}

/** A1-style reference of a table with a header row, `columns` wide and `rows` long. */
function tableRef(columns: number, rows: number): string {
  return `A1:${String.fromCharCode(64 + columns)}${rows + 1}`;
}

/** The bench workbook in memory. */
export function generateBenchWorkbook(opts: BenchOptions): ExcelJS.Workbook {
  const resolved = resolve(opts);
  const workbook = newWorkbook(CREATOR);
  const columns = (headers: readonly string[]) => headers.map((header) => ({ header }));
  addTableSheet(workbook, BENCH_SHEETS.targets, BENCH_TABLES.targets, columns(TARGET_COLUMNS), [targetsRow(resolved)]);
  addTableSheet(workbook, BENCH_SHEETS.settings, BENCH_TABLES.settings, columns(SETTINGS_COLUMNS), settingsFor(opts));
  addTableSheet(workbook, BENCH_SHEETS.history, BENCH_TABLES.history, columns(HISTORY_COLUMNS), [...historyRows(resolved)]);
  return workbook;
}

/**
 * Writes the bench workbook with ExcelJS's streaming writer (a 180,000-row History takes
 * seconds), then adds the three tables. Returns the workbook's shape and the file size.
 */
export async function writeBenchWorkbook(file: string, opts: BenchOptions): Promise<BenchShape & { bytes: number }> {
  const resolved = resolve(opts);
  const shape = benchShape(resolved);
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: true, useStyles: false });
  workbook.creator = CREATOR;
  workbook.created = newWorkbook(CREATOR).created;
  workbook.modified = workbook.created;

  const writeSheet = (name: string, header: readonly string[], rows: Iterable<Cell[]>) => {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow([...header]).commit();
    for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
  };
  writeSheet(BENCH_SHEETS.targets, TARGET_COLUMNS, [targetsRow(resolved)]);
  const settings = settingsFor(opts);
  writeSheet(BENCH_SHEETS.settings, SETTINGS_COLUMNS, settings.map((row) => [...row]));
  writeSheet(BENCH_SHEETS.history, HISTORY_COLUMNS, historyRows(resolved));
  await workbook.commit();

  const tables: TablePart[] = [
    { sheet: BENCH_SHEETS.targets, name: BENCH_TABLES.targets, ref: tableRef(TARGET_COLUMNS.length, 1), columns: TARGET_COLUMNS },
    { sheet: BENCH_SHEETS.settings, name: BENCH_TABLES.settings, ref: tableRef(SETTINGS_COLUMNS.length, SETTINGS.length), columns: SETTINGS_COLUMNS },
    { sheet: BENCH_SHEETS.history, name: BENCH_TABLES.history, ref: tableRef(HISTORY_COLUMNS.length, shape.historyRows), columns: HISTORY_COLUMNS },
  ];
  const xlsx = addTablesToXlsx(Buffer.concat(chunks), tables);
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await fs.writeFile(file, xlsx);
  return { ...shape, bytes: xlsx.length };
}

function parseArgs(argv: readonly string[]): { file: string; opts: BenchOptions } {
  const [file, ...rest] = argv;
  if (!file || file.startsWith("--")) {
    throw new Error("usage: npx tsx bench/generate.ts OUT.xlsx [--reps 5000] [--months 36] [--channels 8] [--seed 1]");
  }
  const opts: BenchOptions = { reps: 5000 };
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i].replace(/^--/, "");
    const value = Number(rest[i + 1]);
    if (key !== "reps" && key !== "months" && key !== "channels" && key !== "seed") throw new Error(`unknown option ${rest[i]}`);
    opts[key] = value;
  }
  return { file, opts };
}

async function main(): Promise<void> {
  const { file, opts } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const result = await writeBenchWorkbook(file, opts);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${file}: ${result.reps} reps in ${result.teams} teams and ${result.regions} regions, ` +
      `${result.historyRows} History rows (${result.months} months, ${result.channels} channels), ` +
      `${(result.bytes / 1024 / 1024).toFixed(1)} MB in ${seconds} s`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

/**
 * The bench workbook's tables as a host would read them (RawTable), without writing a file:
 * for timing the contract and the engine alone, at sizes where an .xlsx would be unwieldy.
 */
export function benchRawTables(opts: BenchOptions): RawTable[] {
  const resolved = resolve(opts);
  const leads = opts.leads === true;
  const historyColumns = leads ? [...HISTORY_COLUMNS, "Leads"] : HISTORY_COLUMNS;
  const settings = leads ? settingsFor(opts).map(([k, v]): [string, Cell] => [k, k === "Funnel" ? "Leads > Invitations > Visits > Orders" : v]) : settingsFor(opts);
  const table = (sheet: string, name: string, headers: readonly string[], rows: Cell[][]): RawTable => ({
    name,
    sheet,
    source: "table",
    top: 1,
    left: 1,
    headers: [...headers],
    rows: rows.map((r) => r.map((c) => (c === undefined ? null : c)) as RawCell[]),
  });
  return [
    table(BENCH_SHEETS.targets, BENCH_TABLES.targets, TARGET_COLUMNS, [targetsRow(resolved)]),
    table(BENCH_SHEETS.settings, BENCH_TABLES.settings, SETTINGS_COLUMNS, settings.map((row) => [...row])),
    table(BENCH_SHEETS.history, BENCH_TABLES.history, historyColumns, [...historyRows(resolved, leads)]),
  ];
}

/**
 * 500 holds from the Shared plan's own amounts, a little moved so that the rest must rebalance:
 * 440 rep cells, 40 teams in a week, 15 reps' totals and 5 of the plan's weeks (bench/planning.ts,
 * and the re-plan of the same plan in bench/replan-balanced.ts).
 */
export function benchHolds(shared: PlanResult, unit: number): HoldRow[] {
  const P = shared.periods.length;
  const round = (x: number): number => Math.max(0, Math.round(x / unit) * unit);
  const holds: HoldRow[] = [];
  const row = (path: Record<string, string>, amount: number, period?: string): void => {
    const n = holds.length + 2;
    holds.push({ path, period, tier: "target", amount, ref: `Holds!A${n}`, refs: { amount: `Holds!E${n}`, period: period ? `Holds!D${n}` : undefined } });
  };
  const leaves = shared.leaves;
  const step = Math.floor(leaves.length / 440);
  for (let k = 0; k < 440; k++) {
    const i = k * step + 1;
    const j = (k * 7) % P;
    row(shared.nodes[leaves[i]].path, round(shared.cells.target[i * P + j] * 1.1), shared.periods[j].label);
  }
  const teams = shared.nodes.filter((n) => n.depth === shared.levels.length - 1);
  for (let k = 0; k < 40; k++) {
    const t = teams[(k * 3) % teams.length];
    const j = (k * 11 + 3) % P;
    // A team's week: the sum of its reps' cells there, 5% up.
    const sum = t.children.reduce((s, c) => s + shared.cells.target[leaves.indexOf(c) * P + j], 0);
    row(t.path, round(sum * 1.05), shared.periods[j].label);
  }
  for (let k = 0; k < 15; k++) {
    const i = k * step + 2;
    row(shared.nodes[leaves[i]].path, round(shared.nodes[leaves[i]].amount.target * 0.95));
  }
  for (let k = 0; k < 5; k++) {
    const j = 20 + k * 5;
    row({}, round(shared.periods[j].amount.target * 1.02), shared.periods[j].label);
  }
  return holds;
}
