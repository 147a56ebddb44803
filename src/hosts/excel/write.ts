/**
 * Writing SheetSpecs through Office.js: everything queued into one batch, split into several only
 * when the batch would pass Excel on the web's 5 MB request limit (payload.ts); each split is one
 * "part" of the pane's progress.
 *
 * Order within the run (a batch boundary can fall anywhere after the first step):
 *   1. calculation suspended; the sheets being replaced are loaded first (a sheet a co-author
 *      deleted since the structure was read fails the batch here, before anything changed); new
 *      sheets are added under temporary names of this run (`TC~new~…`), which no one else can
 *      hold; owned sheets being replaced are cleared in place — only the range the tool wrote there
 *      last (the register records it), so a co-author's note beside it stays; the whole sheet where
 *      no range is recorded — (the tool's tables and charts deleted first), renamed to the spec's
 *      name when it differs (through temporary names, so two sheets can swap names), stale owned
 *      sheets with an output's name deleted (a very hidden one is made hidden first: Excel refuses
 *      to delete a very hidden sheet);
 *   2. the register: only the rows of the kinds written (register.ts), so the sheets are marked as
 *      the tool's before any value lands, and a co-author's rows for other kinds are kept;
 *   3. per sheet: values as one 2-D `Range.formulas` array (row blocks only past the budget);
 *   4. per sheet: table, number formats, styles, conditional formats (one assignment per range),
 *      column widths, frozen panes, charts (a rewritten sheet's old charts are deleted in step 1);
 *   5. the new sheets renamed to their names — the last step, so a new sheet has its name only
 *      once everything on it is written (the output sheets' formulas refer to their own cells only,
 *      so a sheet can be written under another name);
 *   6. workbook.settings "TargetCascade.owned" by worksheet id. A new sheet's id is known only
 *      from the response of the request that added it, so on a first run in one request the marks
 *      are handed back (`WriteRun.marks`) for the host to send with its next request.
 *
 * A failed request: when Excel ran none of it (the payload limit), the workbook is as it was.
 * Otherwise one more request removes what the run wrote (cleanupWrite): the new sheets, found by
 * their temporary names, are deleted — or, once renamed, complete; the replaced sheets' tool range
 * is cleared of the run's values and formats, their tables and charts deleted, their names set,
 * and their register rows say so (no shape, so a live refresh writes them in full).
 *
 * Replacing in place, rather than deleting and adding, keeps the sheet's id, tab position and the
 * user's formulas that refer to it (`=Plan!F12` would turn into #REF! with a deleted sheet).
 */
import { columnLetter } from "../../report/a1";
import { printOf } from "../../report/print";
import type { ChartSpec, PrintSpec, SheetSpec } from "../../report/spec";
import type { WriteProgress } from "../addin";
import type { WriteSummary } from "../host";
import { areas, blockAddress, columnsAddress, parseAddress, type CellBlock } from "./address";
import { formulaInput, formulaRows, specExtent, specWidth, withExcelHeaders } from "./cells";
import { shapeKey } from "./diff";
import { conditionalFormatPlan, rangeLook, widthRuns, type ConditionalFormatPlan, type RangeLook } from "./format";
import { OWNED_SETTING, OWNERSHIP_SHEET, planWrite, temporaryNames, type OwnedMark, type OwnedRef, type WritePlan } from "./ownership";
import { emptyRegisterRow, EXTRA_ROWS_FROM, REGISTER_HEADER, registerRow, type RegisterRow } from "./register";
import { WriteFailedError } from "./errors";
import { ACTION_BYTES, jsonBytes, packBatches, type Piece, type Slice } from "./payload";
import { isPayloadLimit } from "./read";
import type { WorkbookState } from "./state";

export interface WriteOptions {
  /** Bytes one request may carry (DEFAULT_BATCH_BUDGET). */
  budget: number;
  /** ExcelApi 1.7 is there: frozen panes, standard column widths. */
  api17: boolean;
  /** ExcelApi 1.9 is there: page layout, print area and page breaks (without it a sheet prints as Excel's defaults). */
  api19?: boolean;
  onProgress?: (p: WriteProgress) => void;
}

/** Where each output goes in this context: the proxies made by step 1. */
interface Handles {
  sheets: Excel.Worksheet[];
  /** New sheets, with the temporary name they are added under (their ids are loaded with the batch that adds them). */
  added: { index: number; sheet: Excel.Worksheet; temp: string }[];
}

/** Names of this run for the sheets it adds: `TC~new~<nonce>~<n>`, held by no sheet now and by no other run. */
export function newSheetNames(count: number, taken: string[], nonce: string): string[] {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  const out: string[] = [];
  for (let i = 1; out.length < count; i++) {
    const name = `TC~new~${nonce}~${i}`;
    if (!used.has(name.toLowerCase())) out.push(name);
  }
  return out;
}

const randomNonce = (): string => Math.random().toString(36).slice(2, 10).padEnd(8, "0");

interface Step {
  piece: Piece;
  /** The output it belongs to (for progress), or -1. */
  target: number;
  apply: (context: Excel.RequestContext, h: Handles, slice: Slice) => void;
}

const bytesOf = (actions: number, data: unknown = null): number => actions * ACTION_BYTES + jsonBytes(data);

/** What every request carries besides its commands, in actions and object paths: the workbook, its worksheets and application, the suspension of calculation. */
const BATCH_UNITS = 5;

function setLook(format: Excel.RangeFormat, look: RangeLook): void {
  if (look.bold !== undefined) format.font.bold = look.bold;
  if (look.italic !== undefined) format.font.italic = look.italic;
  if (look.fontColor !== undefined) format.font.color = look.fontColor;
  if (look.fill !== undefined) format.fill.color = look.fill;
  if (look.horizontalAlignment !== undefined) format.horizontalAlignment = look.horizontalAlignment;
  if (look.wrapText !== undefined) format.wrapText = look.wrapText;
}

function addConditionalFormat(range: Excel.Range, plan: ConditionalFormatPlan): void {
  const cf = range.conditionalFormats.add(plan.type);
  switch (plan.type) {
    case "DataBar":
      cf.dataBar.lowerBoundRule = plan.lower;
      cf.dataBar.upperBoundRule = plan.upper;
      cf.dataBar.positiveFormat.fillColor = plan.fillColor;
      break;
    case "IconSet":
      cf.iconSet.style = plan.style;
      cf.iconSet.reverseIconOrder = plan.reverse;
      cf.iconSet.criteria = plan.criteria as Excel.ConditionalIconCriterion[];
      break;
    case "CellValue":
      cf.cellValue.format.fill.color = plan.fill;
      if (plan.fontColor) cf.cellValue.format.font.color = plan.fontColor;
      cf.cellValue.rule = plan.rule;
      break;
    case "Custom":
      cf.custom.rule.formula = plan.formula;
      cf.custom.format.fill.color = plan.fill;
      if (plan.fontColor) cf.custom.format.font.color = plan.fontColor;
      if (plan.bold !== undefined) cf.custom.format.font.bold = plan.bold;
      break;
  }
}

/**
 * How a sheet prints, through ExcelApi 1.9: orientation, fit to pages or a scale, the print area
 * and the manual page breaks (the sheet's old ones removed first, so a replaced sheet keeps none).
 */
export function applyPrint(ws: Excel.Worksheet, print: PrintSpec): void {
  const layout = ws.pageLayout;
  if (print.orientation) layout.orientation = print.orientation === "landscape" ? "Landscape" : "Portrait";
  // A height of 0 is "as many pages as it takes": left unset, as Excel's own Fit to … wide does.
  if (print.fit) layout.zoom = { horizontalFitToPages: print.fit.width, ...(print.fit.height > 0 ? { verticalFitToPages: print.fit.height } : {}) };
  else if (print.scale !== undefined) layout.zoom = { scale: Math.round(print.scale) };
  if (print.area) layout.setPrintArea(print.area);
  ws.horizontalPageBreaks.removePageBreaks();
  for (const row of print.rowBreaks ?? []) ws.horizontalPageBreaks.add(`A${row + 1}`);
}

/** The name of a sheet's n-th chart (1-based). */
export const chartName = (n: number): string => `TC_Chart_${n}`;

/**
 * The range a chart is added over: categories and series side by side in that order, one column
 * each over the same rows, extended one row up to take the header cells as the series' names.
 * undefined when they are not one such block (charts.add takes one range; ExcelApi 1.1 can set a
 * series' values and categories from separate ranges only from 1.7, so such a chart is skipped).
 */
export function chartSource(chart: ChartSpec): string | undefined {
  const parts = [chart.categories, ...chart.series.map((s) => s.values)].map((a) => parseAddress(a));
  const first = parts[0];
  if (!first || first.sheet !== undefined || first.top < 2 || chart.series.length === 0) return undefined;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (!p || p.sheet !== undefined || p.left !== p.right || p.top !== first.top || p.bottom !== first.bottom || p.left !== first.left + i) return undefined;
  }
  return blockAddress({ top: first.top - 1, left: first.left, bottom: first.bottom, right: first.left + parts.length - 1 });
}

const TOOL_CHART = /^TC_Chart_\d+$/;

/** The charts of a reused sheet that go: the tool's (TC_Chart_n), or all where the register recorded no range. */
function chartsToClear(reuse: OwnedRef, state: WorkbookState): string[] {
  const charts = state.sheets.find((s) => s.id === reuse.id)?.charts ?? [];
  return reuse.range === undefined ? charts : charts.filter((c) => TOOL_CHART.test(c));
}

/** The tables on a reused sheet that go before it is cleared (planWrite's list, for that sheet). */
function tablesOn(plan: WritePlan, state: WorkbookState, sheet: string): string[] {
  const on = new Set(state.tables.filter((t) => t.sheet.toLowerCase() === sheet.toLowerCase()).map((t) => t.name.toLowerCase()));
  return plan.tablesToDelete.filter((n) => on.has(n.toLowerCase()));
}

/** Step 1: load what is replaced, add under temporary names, clear, rename, delete. Small whatever the workbook's size. */
function prepareStep(plan: WritePlan, state: WorkbookState, options: WriteOptions, newNames: string[]): Step {
  const renamed = plan.targets.filter((t) => t.reuse && t.reuse.name !== t.spec.name);
  const temps = temporaryNames(renamed.length, [...state.sheets.map((s) => s.name), ...newNames]);
  const reused = plan.targets.filter((t) => t.reuse).length;
  const chartsToDelete = plan.targets.reduce((n, t) => n + (t.reuse ? chartsToClear(t.reuse, state).length : 0), 0);
  // In actions and object paths (payload.ts): a chart or table deleted 3; a reused sheet 10 (its
  // load, its range, clear ×3, standard width, unfreeze); a new one 3 (add, load id); a rename 2.
  const actions = chartsToDelete * 3 + plan.tablesToDelete.length * 3 + plan.deletes.length * 2 + reused * 10 + (plan.targets.length - reused) * 3 + renamed.length * 2;
  return {
    piece: { kind: "atomic", bytes: bytesOf(actions, [plan.targets.map((t) => t.spec.name), newNames]) },
    target: -1,
    apply: (context, h) => {
      const workbook = context.workbook;
      const proxyOf = (id: string) => state.sheets.find((s) => s.id === id)?.proxy as Excel.Worksheet;
      // A sheet to replace that a co-author deleted since the structure was read fails the batch here, before any change.
      for (const { reuse } of plan.targets) if (reuse) proxyOf(reuse.id).load("name");
      let added = 0;
      plan.targets.forEach((t, index) => {
        if (t.reuse) {
          h.sheets[index] = proxyOf(t.reuse.id);
          return;
        }
        const temp = newNames[added++];
        const sheet = workbook.worksheets.add(temp);
        sheet.load("id");
        h.sheets[index] = sheet;
        h.added.push({ index, sheet, temp });
      });
      // OrNullObject: one a co-author deleted since is simply gone already.
      for (const name of plan.tablesToDelete) workbook.tables.getItemOrNullObject(name).delete();
      for (const { reuse } of plan.targets) {
        if (!reuse) continue;
        const ws = proxyOf(reuse.id);
        for (const name of chartsToClear(reuse, state)) ws.charts.getItemOrNullObject(name).delete();
        // What the tool wrote there last, or (not recorded: a file the command line wrote) the whole sheet.
        const block = reuse.range === undefined ? undefined : parseAddress(reuse.range);
        const area = block ? ws.getRange(blockAddress(block)) : ws.getRange();
        area.conditionalFormats.clearAll();
        area.clear("All");
        area.unmerge();
        if (options.api17) {
          (block ? ws.getRange(columnsAddress(block.left, block.right)) : area).format.useStandardWidth = true;
          ws.freezePanes.unfreeze();
        }
      }
      for (const stale of plan.deletes) {
        const ws = proxyOf(stale.id);
        // Excel refuses to delete a very hidden sheet (InvalidOperation): hide it plainly first.
        if (stale.visibility === "VeryHidden") ws.visibility = "Hidden";
        ws.delete();
      }
      renamed.forEach((t, i) => {
        proxyOf((t.reuse as { id: string }).id).name = temps[i];
      });
      renamed.forEach((t) => {
        proxyOf((t.reuse as { id: string }).id).name = t.spec.name;
      });
    },
  };
}

/** Step 5: the new sheets get their names, once everything on them is written. */
function nameStep(plan: WritePlan, newNames: string[]): Step {
  const added = plan.targets.filter((t) => !t.reuse);
  return {
    piece: { kind: "atomic", bytes: bytesOf(3 * added.length, [newNames, added.map((t) => t.spec.name)]) },
    target: -1,
    apply: (_context, h) => {
      for (const a of h.added) a.sheet.name = plan.targets[a.index].spec.name;
    },
  };
}

/** The register row of a written sheet: its name, kind, the range written, the shape key. */
function targetRow(spec: SheetSpec): RegisterRow {
  return [spec.name, spec.kind, blockAddress(specExtent(spec)), shapeKey(spec)];
}

/**
 * The register's rows this write sets, by row number (register.ts). In the per-kind layout: the
 * written kinds' rows, and an empty row for a kind whose sheet is gone; every other row is left as
 * a co-author may just have written it. Otherwise the whole register, in that layout.
 */
export function registerWrites(plan: WritePlan, state: WorkbookState): { full: boolean; rows: Map<number, RegisterRow> } {
  const rows = new Map<number, RegisterRow>();
  const written = new Set(plan.targets.map((t) => t.spec.kind));
  const register = state.register;
  if (plan.register && register?.fixed) {
    for (const t of plan.targets) rows.set(registerRow(t.spec.kind), targetRow(t.spec));
    for (const e of register.entries) {
      if (written.has(e.kind)) continue;
      const exists = state.sheets.some((s) => s.name.toLowerCase() === e.name.toLowerCase());
      if (!exists) rows.set(e.row, emptyRegisterRow());
    }
    return { full: false, rows };
  }
  rows.set(1, [...REGISTER_HEADER]);
  for (const t of plan.targets) rows.set(registerRow(t.spec.kind), targetRow(t.spec));
  let extra = EXTRA_ROWS_FROM;
  for (const o of plan.kept) {
    const row: RegisterRow = [o.name, o.kind, o.range ?? "", o.shape ?? ""];
    const at = registerRow(o.kind);
    if (!rows.has(at)) rows.set(at, row);
    else rows.set(extra++, row);
  }
  const last = Math.max(...rows.keys());
  for (let r = 2; r <= last; r++) if (!rows.has(r)) rows.set(r, emptyRegisterRow());
  return { full: true, rows };
}

/** Step 2: the register sheet, very hidden. `rowOf` replaces the written kinds' rows (the cleanup's). */
function registerStep(plan: WritePlan, state: WorkbookState, rowOf?: (spec: SheetSpec) => RegisterRow): Step {
  const { full, rows } = registerWrites(plan, state);
  if (rowOf) for (const t of plan.targets) rows.set(registerRow(t.spec.kind), rowOf(t.spec));
  const ordered = [...rows.entries()].sort(([a], [b]) => a - b);
  const values = ordered.map(([, row]) => row.map(formulaInput));
  return {
    piece: { kind: "atomic", bytes: bytesOf(3 + 3 * ordered.length, values) },
    target: -1,
    apply: (context) => {
      let sheet: Excel.Worksheet;
      if (rowOf) {
        // The cleanup: the register the failed run found, or the one it added, if it got that far.
        sheet = context.workbook.worksheets.getItemOrNullObject(plan.register?.name ?? OWNERSHIP_SHEET);
        if (full) sheet.getRange().clear("All");
      } else if (plan.register) {
        sheet = context.workbook.worksheets.getItem(plan.register.name);
        if (full) sheet.getRange().clear("All");
      } else {
        sheet = context.workbook.worksheets.add(OWNERSHIP_SHEET);
      }
      if (full) {
        sheet.getRange(`A1:D${ordered.length}`).formulas = values;
      } else {
        ordered.forEach(([r], i) => {
          sheet.getRange(`A${r}:D${r}`).formulas = [values[i]];
        });
      }
      sheet.visibility = "VeryHidden";
    },
  };
}

/** Step 3: one sheet's values, as rows that may be split across requests. */
function valuesStep(spec: SheetSpec, target: number): Step {
  const width = specWidth(spec.rows, spec.table?.columns);
  const rowBytes = spec.rows.map((_, r) => jsonBytes(formulaRows(spec.rows, r, r + 1, width)[0]) + 1);
  return {
    // the sheet's path, getRange (an object path and its instantiation) and the assignment
    piece: { kind: "rows", rowBytes, overhead: 4 * ACTION_BYTES },
    target,
    apply: (_context, h, slice) => {
      const range = h.sheets[target].getRange(blockAddress({ top: slice.from + 1, left: 1, bottom: slice.to, right: width }));
      range.formulas = formulaRows(spec.rows, slice.from, slice.to, width);
    },
  };
}

/** Step 4: one sheet's table, formats and view, each a small piece. */
function decorationSteps(spec: SheetSpec, target: number, options: WriteOptions): Step[] {
  const steps: Step[] = [];
  const sheet = (h: Handles) => h.sheets[target];
  const step = (bytes: number, apply: (ws: Excel.Worksheet) => void) =>
    steps.push({ piece: { kind: "atomic", bytes }, target, apply: (_c, h) => apply(sheet(h)) });

  // Sizes count, in ACTION_BYTES, each action and each object path an Office.js request carries
  // for the command (a range, and its format, font and fill, are object paths of their own).
  const t = spec.table;
  if (t) {
    const top = t.headerRow + 1;
    const address = `A${top}:${columnLetter(t.columns)}${top + Math.max(1, t.dataRows)}`;
    step(bytesOf(5, [address, t.name]), (ws) => {
      const table = ws.tables.add(ws.getRange(address), true);
      table.name = t.name;
      table.style = t.style ?? "TableStyleMedium2";
    });
  }
  for (const { range, format } of spec.numberFormats) {
    for (const area of areas(range)) {
      step(bytesOf(3, [area, format]), (ws) => {
        ws.getRange(area).numberFormat = [[format]];
      });
    }
  }
  for (const style of spec.styles) {
    const look = rangeLook(style);
    for (const area of areas(style.range)) {
      const paths = 2 + (look.bold !== undefined || look.italic !== undefined || look.fontColor !== undefined ? 1 : 0) + (look.fill !== undefined ? 1 : 0);
      step(bytesOf(paths + Object.keys(look).length, [area, look]), (ws) => setLook(ws.getRange(area).format, look));
    }
  }
  // Office.js puts each new conditional format first; adding in reverse keeps the spec's priority order.
  for (const cf of [...spec.conditionalFormats].reverse()) {
    const plan = conditionalFormatPlan(cf);
    for (const area of areas(cf.range)) {
      step(bytesOf(10, [area, plan]), (ws) => addConditionalFormat(ws.getRange(area), plan));
    }
  }
  const runs = widthRuns(spec.columnWidths ?? []);
  if (runs.length > 0) {
    step(bytesOf(runs.length * 3, runs), (ws) => {
      for (const run of runs) ws.getRange(run.address).format.columnWidth = run.points;
    });
  }
  const freeze = spec.freeze;
  if (options.api17 && freeze && (freeze.rows > 0 || freeze.cols > 0)) {
    step(bytesOf(2), (ws) => {
      if (freeze.rows > 0 && freeze.cols > 0) ws.freezePanes.freezeAt(ws.getRange(blockAddress({ top: 1, left: 1, bottom: freeze.rows, right: freeze.cols })));
      else if (freeze.rows > 0) ws.freezePanes.freezeRows(freeze.rows);
      else ws.freezePanes.freezeColumns(freeze.cols);
    });
  }
  const print = options.api19 ? printOf(spec) : undefined;
  if (print) step(bytesOf(5 + (print.rowBreaks?.length ?? 0), print), (ws) => applyPrint(ws, print));
  (spec.charts ?? []).forEach((chart, i) => {
    const source = chartSource(chart);
    if (!source) return;
    const name = chartName(i + 1);
    step(bytesOf(8, [source, name, chart.title, chart.from, chart.to]), (ws) => {
      const type = chart.type === "bar" ? "BarClustered" : "ColumnClustered";
      const added = ws.charts.add(type, ws.getRange(source), "Columns");
      added.name = name;
      added.title.text = chart.title;
      added.setPosition(chart.from, chart.to);
    });
  });
  return steps;
}

function marksOf(plan: WritePlan, h: Handles): OwnedMark[] {
  return [
    ...plan.kept.map(({ id, name, kind }) => ({ id, name, kind })),
    ...plan.targets.map((t, i) => ({ id: t.reuse ? t.reuse.id : h.sheets[i].id, name: t.spec.name, kind: t.spec.kind })),
  ];
}

export interface WriteRun {
  summary: WriteSummary;
  /** Requests sent by the write (the state read before it not included). */
  requests: number;
  /** The host's estimate of each request's bytes, in order (what the packing went by). */
  estimates: number[];
  /**
   * The ownership marks (JSON), when they could not go with the write: a first run in one request
   * adds sheets whose ids come back only with its response. The host sends them with its next request.
   */
  marks?: string;
}

/**
 * The block the cleanup clears on a replaced sheet: from A1 to the farther corner of the range
 * recorded before and the spec's extent; undefined (the whole sheet) when none was recorded.
 */
function cleanupArea(spec: SheetSpec, reuse: { range?: string }): CellBlock | undefined {
  const now = specExtent(spec);
  const before = reuse.range === undefined ? undefined : parseAddress(reuse.range);
  if (reuse.range !== undefined && !before) return now;
  if (!before) return undefined; // no range recorded: the whole sheet
  return { top: 1, left: 1, bottom: Math.max(now.bottom, before.bottom), right: Math.max(now.right, before.right) };
}

/**
 * One request after a failed write request that ran (part of) its commands: removes what the run
 * wrote. The new sheets go by their temporary names (a new sheet that got its name is complete);
 * each replaced sheet, found by id, loses the run's tables and charts, the tool's range — the block
 * recorded before and the spec's, from A1 — is cleared, its name set to the spec's; the register's
 * rows of the kinds written name them with that range and no shape. Calls on a sheet, table or
 * chart that is not there do nothing (Office.js null objects).
 */
async function cleanupWrite(context: Excel.RequestContext, plan: WritePlan, state: WorkbookState, newNames: string[]): Promise<void> {
  const workbook = context.workbook;
  workbook.application.suspendApiCalculationUntilNextSync();
  for (const temp of newNames) workbook.worksheets.getItemOrNullObject(temp).delete();
  const proxyOf = (id: string) => state.sheets.find((s) => s.id === id)?.proxy as Excel.Worksheet;
  const blocks = new Map<SheetSpec, string>();
  const renamed = plan.targets.filter((t) => t.reuse && t.reuse.name !== t.spec.name);
  const temps = temporaryNames(renamed.length, [...state.sheets.map((s) => s.name), ...newNames]);
  for (const t of plan.targets) {
    if (!t.reuse) continue;
    const ws = proxyOf(t.reuse.id);
    const tables = new Set([...tablesOn(plan, state, t.reuse.name), ...(t.spec.table ? [t.spec.table.name] : [])]);
    for (const name of tables) workbook.tables.getItemOrNullObject(name).delete();
    const charts = new Set([...chartsToClear(t.reuse, state), ...(t.spec.charts ?? []).map((_, i) => chartName(i + 1))]);
    for (const name of charts) ws.charts.getItemOrNullObject(name).delete();
    const block = cleanupArea(t.spec, t.reuse);
    const area = block ? ws.getRange(blockAddress(block)) : ws.getRange();
    area.conditionalFormats.clearAll();
    area.clear("All");
    area.unmerge();
    blocks.set(t.spec, block ? blockAddress(block) : "");
  }
  renamed.forEach((t, i) => {
    proxyOf((t.reuse as { id: string }).id).name = temps[i];
  });
  renamed.forEach((t) => {
    proxyOf((t.reuse as { id: string }).id).name = t.spec.name;
  });
  const step = registerStep(plan, state, (spec) => [spec.name, spec.kind, blocks.get(spec) ?? "", ""]);
  step.apply(context, { sheets: [], added: [] }, { piece: 0, from: 0, to: 0 });
  await context.sync();
}

/**
 * Writes `specs` after `state` was loaded in this context. Refuses (SheetOwnershipError) before
 * anything is queued when a user's sheet or table holds an output's name. A failed request throws
 * WriteFailedError, after the cleanup request when anything of it may have run.
 */
export async function writeAll(context: Excel.RequestContext, state: WorkbookState, given: SheetSpec[], options: WriteOptions): Promise<WriteRun> {
  const specs = given.map(withExcelHeaders);
  const plan = planWrite(specs, state.sheets, state.tables, state.owned);
  const newNames = newSheetNames(
    plan.targets.filter((t) => !t.reuse).length,
    state.sheets.map((s) => s.name),
    randomNonce(),
  );
  const steps: Step[] = [prepareStep(plan, state, options, newNames), registerStep(plan, state)];
  plan.targets.forEach((t, i) => {
    if (t.spec.rows.length > 0) steps.push(valuesStep(t.spec, i));
  });
  plan.targets.forEach((t, i) => steps.push(...decorationSteps(t.spec, i, options)));
  steps.push(nameStep(plan, newNames));

  // Each request also carries the suspension of calculation; the marks travel in the last one.
  const marksBytes = bytesOf(
    2,
    [...plan.kept.map(({ id, name, kind }) => ({ id, name, kind })), ...plan.targets.map((t) => ({ id: "{00000000-0000-0000-0000-000000000000}", name: t.spec.name, kind: t.spec.kind }))],
  );
  const batches = packBatches(
    steps.map((s) => s.piece),
    options.budget - BATCH_UNITS * ACTION_BYTES - marksBytes,
  );
  const sliceBytes = (slice: Slice): number => {
    const piece = steps[slice.piece].piece;
    if (piece.kind === "atomic") return piece.bytes;
    let n = piece.overhead;
    for (let r = slice.from; r < slice.to; r++) n += piece.rowBytes[r];
    return n;
  };
  const estimates = batches.map((batch, i) => batch.reduce((n, slice) => n + sliceBytes(slice), BATCH_UNITS * ACTION_BYTES + (i === batches.length - 1 ? marksBytes : 0)));
  const handles: Handles = { sheets: [], added: [] };
  const total = batches.length;
  options.onProgress?.({ done: 0, total });

  let requests = 0;
  let marks: string | undefined;
  for (const batch of batches) {
    context.workbook.application.suspendApiCalculationUntilNextSync();
    for (const slice of batch) steps[slice.piece].apply(context, handles, slice);
    const last = batch === batches[batches.length - 1];
    // The ids of sheets added by an earlier request of this write came back with it.
    if (last && (handles.added.length === 0 || requests > 0)) context.workbook.settings.add(OWNED_SETTING, JSON.stringify(marksOf(plan, handles)));
    try {
      // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one request per batch of at most ~4.9 MB: Excel on the web refuses larger requests; a write is one batch unless it is that large
      await context.sync();
      requests++;
    } catch (e) {
      requests++;
      const names = specs.map((x) => x.name);
      // Refused for its size, the first request ran nothing: the workbook is as it was.
      if (requests === 1 && isPayloadLimit(e)) throw new WriteFailedError(e, false, false, names);
      try {
        await cleanupWrite(context, plan, state, newNames);
      } catch (c) {
        throw new WriteFailedError(e, true, false, names, c instanceof Error ? c.message : String(c));
      }
      throw new WriteFailedError(e, true, true, names);
    }
    if (last && handles.added.length > 0 && requests === 1) marks = JSON.stringify(marksOf(plan, handles));
    options.onProgress?.({ done: requests, total });
  }
  return {
    requests,
    estimates,
    marks,
    summary: {
      sheets: specs.map((spec) => ({
        kind: spec.kind,
        name: spec.name,
        rows: spec.rows.length,
        cols: spec.rows.reduce((max, row) => Math.max(max, row.length), 0),
      })),
    },
  };
}
