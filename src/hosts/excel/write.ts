/**
 * Writing SheetSpecs through Office.js: everything queued into one batch, split into several only
 * when the batch would pass Excel on the web's 5 MB request limit (payload.ts).
 *
 * Order within the run (a batch boundary can fall anywhere after the first step):
 *   1. calculation suspended; owned sheets being replaced are cleared in place — only the range the
 *      tool wrote there last (the register records it), so a co-author's note beside it stays; the
 *      whole sheet where no range is recorded — (the tool's tables and charts deleted first),
 *      renamed to the spec's name when it differs (through temporary names, so two sheets can swap
 *      names), stale owned sheets with an output's name deleted (a very hidden one is made hidden
 *      first: Excel refuses to delete a very hidden sheet), new sheets added;
 *   2. the register: only the rows of the kinds written (register.ts), so the sheets are marked as
 *      the tool's before any value lands, and a co-author's rows for other kinds are kept;
 *   3. per sheet: values as one 2-D `Range.formulas` array (row blocks only past the budget);
 *   4. per sheet: table, number formats, styles, conditional formats (one assignment per range),
 *      column widths, frozen panes, charts (a rewritten sheet's old charts are deleted in step 1);
 *   5. workbook.settings "TargetCascade.owned" by worksheet id (a new sheet's id is known only after
 *      the request that added it, so a first run's single batch is followed by one small request).
 *
 * Replacing in place, rather than deleting and adding, keeps the sheet's id, tab position and the
 * user's formulas that refer to it (`=Plan!F12` would turn into #REF! with a deleted sheet).
 */
import { columnLetter } from "../../report/a1";
import type { ChartSpec, SheetSpec } from "../../report/spec";
import type { WriteProgress } from "../addin";
import type { WriteSummary } from "../host";
import { areas, blockAddress, columnsAddress, parseAddress } from "./address";
import { formulaInput, formulaRows, specExtent, specWidth, withExcelHeaders } from "./cells";
import { shapeKey } from "./diff";
import { conditionalFormatPlan, rangeLook, widthRuns, type ConditionalFormatPlan, type RangeLook } from "./format";
import { OWNED_SETTING, OWNERSHIP_SHEET, planWrite, temporaryNames, type OwnedMark, type OwnedRef, type WritePlan } from "./ownership";
import { emptyRegisterRow, EXTRA_ROWS_FROM, REGISTER_HEADER, registerRow, type RegisterRow } from "./register";
import { ACTION_BYTES, jsonBytes, packBatches, type Piece, type Slice } from "./payload";
import type { WorkbookState } from "./state";

export interface WriteOptions {
  /** Bytes one request may carry (DEFAULT_BATCH_BUDGET). */
  budget: number;
  /** ExcelApi 1.7 is there: frozen panes, standard column widths. */
  api17: boolean;
  onProgress?: (p: WriteProgress) => void;
}

/** Where each output goes in this context: the proxies made by step 1. */
interface Handles {
  sheets: Excel.Worksheet[];
  /** New sheets (their ids are loaded with the batch that adds them). */
  added: { index: number; sheet: Excel.Worksheet }[];
}

interface Step {
  piece: Piece;
  /** The output it belongs to (for progress), or -1. */
  target: number;
  apply: (context: Excel.RequestContext, h: Handles, slice: Slice) => void;
}

const bytesOf = (actions: number, data: unknown = null): number => actions * ACTION_BYTES + jsonBytes(data);

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

/** Step 1: clear, rename, delete, add. Small whatever the workbook's size. */
function prepareStep(plan: WritePlan, state: WorkbookState, options: WriteOptions): Step {
  const renamed = plan.targets.filter((t) => t.reuse && t.reuse.name !== t.spec.name);
  const temps = temporaryNames(
    renamed.length,
    state.sheets.map((s) => s.name),
  );
  const reused = plan.targets.filter((t) => t.reuse).length;
  const chartsToDelete = plan.targets.reduce((n, t) => n + (t.reuse ? chartsToClear(t.reuse, state).length : 0), 0);
  // a reused sheet: its range, clear ×3, standard width, unfreeze; a new one: add, load id
  const actions = chartsToDelete * 2 + plan.tablesToDelete.length * 2 + plan.deletes.length * 2 + reused * 7 + (plan.targets.length - reused) * 2 + renamed.length * 2;
  return {
    piece: { kind: "atomic", bytes: bytesOf(actions, plan.targets.map((t) => t.spec.name)) },
    target: -1,
    apply: (context, h) => {
      const workbook = context.workbook;
      for (const name of plan.tablesToDelete) workbook.tables.getItem(name).delete();
      const proxyOf = (id: string) => state.sheets.find((s) => s.id === id)?.proxy as Excel.Worksheet;
      for (const { reuse } of plan.targets) {
        if (!reuse) continue;
        const ws = proxyOf(reuse.id);
        for (const name of chartsToClear(reuse, state)) ws.charts.getItem(name).delete();
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
      plan.targets.forEach((t, index) => {
        if (t.reuse) {
          h.sheets[index] = proxyOf(t.reuse.id);
        } else {
          const sheet = workbook.worksheets.add(t.spec.name);
          sheet.load("id");
          h.sheets[index] = sheet;
          h.added.push({ index, sheet });
        }
      });
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

/** Step 2: the register sheet, very hidden. */
function registerStep(plan: WritePlan, state: WorkbookState): Step {
  const { full, rows } = registerWrites(plan, state);
  const ordered = [...rows.entries()].sort(([a], [b]) => a - b);
  const values = ordered.map(([, row]) => row.map(formulaInput));
  return {
    piece: { kind: "atomic", bytes: bytesOf(3 + ordered.length, values) },
    target: -1,
    apply: (context) => {
      let sheet: Excel.Worksheet;
      if (plan.register) {
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
    piece: { kind: "rows", rowBytes, overhead: ACTION_BYTES },
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

  const t = spec.table;
  if (t) {
    const top = t.headerRow + 1;
    const address = `A${top}:${columnLetter(t.columns)}${top + Math.max(1, t.dataRows)}`;
    step(bytesOf(4, [address, t.name]), (ws) => {
      const table = ws.tables.add(ws.getRange(address), true);
      table.name = t.name;
      table.style = t.style ?? "TableStyleMedium2";
    });
  }
  for (const { range, format } of spec.numberFormats) {
    for (const area of areas(range)) {
      step(bytesOf(2, [area, format]), (ws) => {
        ws.getRange(area).numberFormat = [[format]];
      });
    }
  }
  for (const style of spec.styles) {
    const look = rangeLook(style);
    for (const area of areas(style.range)) {
      step(bytesOf(1 + Object.keys(look).length, [area, look]), (ws) => setLook(ws.getRange(area).format, look));
    }
  }
  // Office.js puts each new conditional format first; adding in reverse keeps the spec's priority order.
  for (const cf of [...spec.conditionalFormats].reverse()) {
    const plan = conditionalFormatPlan(cf);
    for (const area of areas(cf.range)) {
      step(bytesOf(6, [area, plan]), (ws) => addConditionalFormat(ws.getRange(area), plan));
    }
  }
  const runs = widthRuns(spec.columnWidths ?? []);
  if (runs.length > 0) {
    step(bytesOf(runs.length * 2, runs), (ws) => {
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
  (spec.charts ?? []).forEach((chart, i) => {
    const source = chartSource(chart);
    if (!source) return;
    const name = chartName(i + 1);
    step(bytesOf(5, [source, name, chart.title, chart.from, chart.to]), (ws) => {
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
}

/**
 * Writes `specs` after `state` was loaded in this context. Refuses (SheetOwnershipError) before
 * anything is queued when a user's sheet or table holds an output's name.
 */
export async function writeAll(context: Excel.RequestContext, state: WorkbookState, given: SheetSpec[], options: WriteOptions): Promise<WriteRun> {
  const specs = given.map(withExcelHeaders);
  const plan = planWrite(specs, state.sheets, state.tables, state.owned);
  const steps: Step[] = [prepareStep(plan, state, options), registerStep(plan, state)];
  plan.targets.forEach((t, i) => {
    if (t.spec.rows.length > 0) steps.push(valuesStep(t.spec, i));
  });
  plan.targets.forEach((t, i) => steps.push(...decorationSteps(t.spec, i, options)));

  // Each request also carries the suspension of calculation; the marks travel in the last one.
  const marksBytes = bytesOf(
    1,
    [...plan.kept.map(({ id, name, kind }) => ({ id, name, kind })), ...plan.targets.map((t) => ({ id: "{00000000-0000-0000-0000-000000000000}", name: t.spec.name, kind: t.spec.kind }))],
  );
  const batches = packBatches(
    steps.map((s) => s.piece),
    options.budget - 2 * ACTION_BYTES - marksBytes,
  );
  const remaining = plan.targets.map((_, i) => steps.filter((s) => s.target === i).length);
  const total = plan.targets.length;
  const handles: Handles = { sheets: [], added: [] };
  const progress = () => {
    const done = remaining.filter((n) => n === 0).length;
    options.onProgress?.({ done, total, sheet: plan.targets.find((_, i) => remaining[i] > 0)?.spec.name });
  };
  progress();

  let requests = 0;
  let marked = false;
  for (const batch of batches) {
    context.workbook.application.suspendApiCalculationUntilNextSync();
    for (const slice of batch) steps[slice.piece].apply(context, handles, slice);
    const idsKnown = handles.added.length === 0 || requests > 0;
    if (batch === batches[batches.length - 1] && idsKnown) {
      context.workbook.settings.add(OWNED_SETTING, JSON.stringify(marksOf(plan, handles)));
      marked = true;
    }
    // eslint-disable-next-line office-addins/no-context-sync-in-loop -- one request per batch of at most 4 MB: Excel on the web refuses larger requests; a write is one batch unless it is that large
    await context.sync();
    requests++;
    for (const slice of batch) {
      const step = steps[slice.piece];
      const complete = step.piece.kind === "atomic" || slice.to === step.piece.rowBytes.length;
      if (complete && step.target >= 0) remaining[step.target]--;
    }
    progress();
  }
  if (!marked) {
    // A first run's only batch added sheets: their ids came back with it.
    context.workbook.settings.add(OWNED_SETTING, JSON.stringify(marksOf(plan, handles)));
    await context.sync();
    requests++;
  }
  return {
    requests,
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
