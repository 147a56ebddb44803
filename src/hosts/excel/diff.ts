/**
 * A SheetSpec written as a diff against what its sheet holds (the live refresh of the Track step,
 * docs/excel-host.md "Live refresh"): only the cells whose formulas or values differ are written,
 * in small rectangles, so co-authors' edits elsewhere on the sheet are never overwritten.
 *
 * Pure: the host reads the sheet's used range (`Range.formulas`), this compares it with the spec
 * as `writeAll` would write it (cells.ts), and gives the ranges to write.
 */
import type { SheetSpec } from "../../report/spec";
import { blockAddress, type CellBlock } from "./address";
import { formulaRows, specWidth, type FormulaInput } from "./cells";

/** What a sheet holds, as `Range.formulas` of its used range gives it. */
export interface SheetContent {
  /** The used range's top-left cell (1-based); undefined for an empty sheet. */
  at?: { top: number; left: number };
  formulas: unknown[][];
}

export interface ChangedRange {
  /** Local address, e.g. `F7:F9`. */
  address: string;
  block: CellBlock;
  formulas: FormulaInput[][];
}

export interface SheetDiff {
  ranges: ChangedRange[];
  /** Cells written. */
  cells: number;
}

/**
 * Everything about a spec except its values: when this is unchanged since the sheet was last
 * written in full, a diff of the values is the whole write (formats, tables and conditional
 * formats are already there).
 */
export function specShape(spec: SheetSpec): string {
  return JSON.stringify({
    kind: spec.kind,
    name: spec.name,
    rows: spec.rows.length,
    width: specWidth(spec.rows, spec.table?.columns),
    table: spec.table ?? null,
    numberFormats: spec.numberFormats,
    conditionalFormats: spec.conditionalFormats,
    styles: spec.styles,
    columnWidths: spec.columnWidths ?? null,
    freeze: spec.freeze ?? null,
    charts: spec.charts ?? null,
  });
}

/**
 * A short key of specShape (FNV-1a, 32 bits, hex), kept in the register beside the range the tool
 * wrote: when the next spec has the same key, the sheet already has its layout and formats, and a
 * diff of the values is the whole write — also for a pane (or a co-author's) that did not write it.
 */
export function shapeKey(spec: SheetSpec): string {
  const text = specShape(spec);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** Whether a cell holds what writing `input` through `Range.formulas` leaves in it. */
export function sameCell(input: FormulaInput, held: unknown): boolean {
  if (held === null || held === undefined) held = "";
  if (typeof input === "string" && input.startsWith("'")) return held === input.slice(1);
  if (typeof input === "number" && typeof held === "number") return input === held || (Number.isNaN(input) && Number.isNaN(held));
  return input === held;
}

/**
 * The cells of `spec` that differ from `content`, grouped into rectangles: runs of adjacent
 * changed cells in a row, and runs of rows with the same changed columns.
 *
 * `outside` says what a value beyond the spec's rows and columns is: "refuse" (the default) — the
 * tool's own, left from a larger write, so undefined is returned and a full write must clear it;
 * "ignore" — not the tool's (the shape of the sheet is the spec's, so the tool wrote nothing
 * there): a co-author's note beside the output, left as it is.
 */
export function diffSheet(spec: SheetSpec, content: SheetContent, outside: "refuse" | "ignore" = "refuse"): SheetDiff | undefined {
  const width = specWidth(spec.rows, spec.table?.columns);
  const height = spec.rows.length;
  const top = content.at?.top ?? 1;
  const left = content.at?.left ?? 1;
  const held = (r: number, c: number): unknown => content.formulas[r - top]?.[c - left];
  // A value beyond the spec's extent would be left standing.
  for (let i = 0; outside === "refuse" && i < content.formulas.length; i++) {
    const row = content.formulas[i];
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      if (v === "" || v === null || v === undefined) continue;
      if (top + i > height || left + j > width) return undefined;
    }
  }
  const want = formulaRows(spec.rows, 0, height, width);
  // Runs per row: [left, right] (1-based) of changed cells.
  const runs: { row: number; left: number; right: number }[] = [];
  for (let r = 1; r <= height; r++) {
    let start = 0;
    for (let c = 1; c <= width + 1; c++) {
      const changed = c <= width && !sameCell(want[r - 1][c - 1], held(r, c));
      if (changed && start === 0) start = c;
      if (!changed && start > 0) {
        runs.push({ row: r, left: start, right: c - 1 });
        start = 0;
      }
    }
  }
  // Stack runs of consecutive rows that span the same columns.
  const blocks: CellBlock[] = [];
  const open = new Map<string, CellBlock>();
  for (const run of runs) {
    const key = `${run.left}:${run.right}`;
    const block = open.get(key);
    if (block && block.bottom === run.row - 1) {
      block.bottom = run.row;
    } else {
      const b = { top: run.row, left: run.left, bottom: run.row, right: run.right };
      blocks.push(b);
      open.set(key, b);
    }
  }
  let cells = 0;
  const ranges = blocks.map((block) => {
    cells += (block.bottom - block.top + 1) * (block.right - block.left + 1);
    const formulas = want.slice(block.top - 1, block.bottom).map((row) => row.slice(block.left - 1, block.right));
    return { address: blockAddress(block), block, formulas };
  });
  return { ranges, cells };
}
