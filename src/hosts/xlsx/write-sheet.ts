/**
 * One SheetSpec onto a new ExcelJS worksheet: values, the Excel table, number formats, styles,
 * conditional formats, column widths and frozen panes.
 */
import type ExcelJS from "exceljs";
import { cellRef, parseRangeRef, type RangeAddress } from "../../report/a1";
import type { ConditionalFormatSpec, SheetSpec, StyleSpec, TableSpec } from "../../report/spec";
import { toExcelValue } from "./cell-values";

/** "DDEBF7" or "FFDDEBF7" → ARGB. */
function argb(color: string): string {
  const hex = color.replace(/^#/, "").toUpperCase();
  return hex.length === 6 ? `FF${hex}` : hex;
}

/**
 * Cells share their style objects, one per distinct look. ExcelJS gives every new cell a style
 * object of its own and, on save, looks each one up in a WeakMap before serialising it: with
 * millions of distinct objects that lookup dominates the save (40 s for a 265,000-row plan), with
 * a handful of shared ones it is free. ExcelJS itself shares style objects when it loads a file.
 */
class StylePool {
  private readonly byKey = new Map<string, Partial<ExcelJS.Style>>();
  private readonly pooled = new Set<Partial<ExcelJS.Style>>();

  /** The shared object for a style with this content. */
  intern(style: Partial<ExcelJS.Style>): Partial<ExcelJS.Style> {
    if (this.pooled.has(style)) return style;
    const key = JSON.stringify(style);
    let shared = this.byKey.get(key);
    if (!shared) {
      shared = style;
      this.byKey.set(key, shared);
      this.pooled.add(shared);
    }
    return shared;
  }

  /**
   * A restyling pass: `change` maps a cell's style to its new style. It is computed once per
   * distinct style the pass meets, and the result is shared by every cell that had that style.
   */
  pass(change: (style: Partial<ExcelJS.Style>) => Partial<ExcelJS.Style>): (cell: ExcelJS.Cell) => void {
    const memo = new Map<Partial<ExcelJS.Style>, Partial<ExcelJS.Style>>();
    return (cell) => {
      const old = this.intern(cell.style);
      let next = memo.get(old);
      if (!next) {
        next = this.intern(change(old));
        memo.set(old, next);
      }
      cell.style = next;
    };
  }
}

function eachCell(ws: ExcelJS.Worksheet, range: RangeAddress, fn: (cell: ExcelJS.Cell) => void): void {
  for (let r = range.top; r <= range.bottom; r++) {
    const row = ws.getRow(r);
    for (let c = range.left; c <= range.right; c++) fn(row.getCell(c));
  }
}

/** Cells of `range` that hold a value (number formats mean nothing on empty cells). */
function eachFilledCell(ws: ExcelJS.Worksheet, range: RangeAddress, fn: (cell: ExcelJS.Cell) => void): void {
  for (let r = range.top; r <= range.bottom; r++) {
    const row = ws.findRow(r);
    if (!row) continue;
    for (let c = range.left; c <= range.right; c++) {
      const cell = row.findCell(c);
      if (cell && cell.value !== null && cell.value !== undefined) fn(cell);
    }
  }
}

function writeValues(ws: ExcelJS.Worksheet, rows: SheetSpec["rows"], pool: StylePool): void {
  const plain = pool.intern({});
  rows.forEach((cells, r) => {
    if (cells.length === 0) return;
    const row = ws.getRow(r + 1);
    cells.forEach((value, c) => {
      if (value === null || value === undefined) return;
      const cell = row.getCell(c + 1);
      cell.value = toExcelValue(value);
      cell.style = plain;
    });
  });
}

/** A table data row with nothing left to write (see addTable). */
const NO_VALUES: ExcelJS.CellValue[] = [];

/**
 * Make the written header row a real Excel table. The cells are already written, so the table is
 * given empty data rows: ExcelJS writes each row's values, and there are none left to write, but
 * the row count still sets the table's extent. Excel needs one data row even in an empty table.
 */
function addTable(ws: ExcelJS.Worksheet, spec: SheetSpec, table: TableSpec): void {
  const headerRow = table.headerRow + 1;
  const header = spec.rows[table.headerRow] ?? [];
  const columns = Array.from({ length: table.columns }, (_, i) => {
    const cell = header[i];
    const name = cell === null || cell === undefined || typeof cell === "object" ? "" : String(cell);
    return { name: name === "" ? `Column${i + 1}` : name, filterButton: true };
  });
  ws.addTable({
    name: table.name,
    displayName: table.name,
    ref: cellRef(headerRow, 1),
    headerRow: true,
    totalsRow: false,
    style: { theme: (table.style ?? "TableStyleMedium2") as ExcelJS.TableStyleProperties["theme"], showRowStripes: true },
    columns,
    rows: new Array<ExcelJS.CellValue[]>(Math.max(1, table.dataRows)).fill(NO_VALUES),
  });
}

function applyNumberFormats(ws: ExcelJS.Worksheet, formats: SheetSpec["numberFormats"], pool: StylePool): void {
  for (const { range, format } of formats) {
    eachFilledCell(ws, parseRangeRef(range), pool.pass((style) => ({ ...style, numFmt: format })));
  }
}

function applyStyle(ws: ExcelJS.Worksheet, spec: StyleSpec, pool: StylePool): void {
  const { bold, italic, fill, fontColor, align, wrap } = spec;
  const fontChange = bold !== undefined || italic !== undefined || fontColor !== undefined;
  const alignChange = align !== undefined || wrap !== undefined;
  const restyle = pool.pass((style) => {
    const next: Partial<ExcelJS.Style> = { ...style };
    if (fontChange) {
      next.font = {
        ...style.font,
        ...(bold !== undefined ? { bold } : {}),
        ...(italic !== undefined ? { italic } : {}),
        ...(fontColor !== undefined ? { color: { argb: argb(fontColor) } } : {}),
      };
    }
    if (fill !== undefined) next.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(fill) } };
    if (alignChange) {
      next.alignment = {
        ...style.alignment,
        vertical: "middle",
        ...(align !== undefined ? { horizontal: align } : {}),
        ...(wrap !== undefined ? { wrapText: wrap } : {}),
      };
    }
    return next;
  });
  eachCell(ws, parseRangeRef(spec.range), restyle);
}

/** A differential style for conditional formats (Excel takes a solid fill's colour from bgColor here). */
function dxfStyle(fill: string, fontColor?: string, bold?: boolean): Partial<ExcelJS.Style> {
  const font: Partial<ExcelJS.Font> = {};
  if (fontColor !== undefined) font.color = { argb: argb(fontColor) };
  if (bold !== undefined) font.bold = bold;
  return {
    fill: { type: "pattern", pattern: "solid", bgColor: { argb: argb(fill) } },
    ...(Object.keys(font).length > 0 ? { font } : {}),
  };
}

function conditionalRule(spec: ConditionalFormatSpec, priority: number): ExcelJS.ConditionalFormattingRule {
  switch (spec.type) {
    case "dataBar":
      return {
        type: "dataBar",
        priority,
        gradient: false,
        cfvo: [
          spec.min === undefined ? { type: "min" } : { type: "num", value: spec.min },
          spec.max === undefined ? { type: "max" } : { type: "num", value: spec.max },
        ],
        color: { argb: argb(spec.color) },
      } as ExcelJS.DataBarRuleType;
    case "iconSet":
      return {
        type: "iconSet",
        priority,
        iconSet: spec.iconSet,
        reverse: spec.reverse ?? false,
        showValue: true,
        cfvo: [
          { type: "percent", value: 0 },
          { type: "num", value: spec.thresholds[0] },
          { type: "num", value: spec.thresholds[1] },
        ],
      } as ExcelJS.IconSetRuleType;
    case "cellIs":
      return {
        type: "cellIs",
        priority,
        operator: spec.operator,
        formulae: spec.formulae,
        style: dxfStyle(spec.fill, spec.fontColor),
      } as ExcelJS.CellIsRuleType;
    case "expression":
      return {
        type: "expression",
        priority,
        formulae: [spec.formula],
        style: dxfStyle(spec.fill, spec.fontColor, spec.bold),
      } as ExcelJS.ExpressionRuleType;
  }
}

function applyConditionalFormats(ws: ExcelJS.Worksheet, specs: ConditionalFormatSpec[]): void {
  specs.forEach((spec, i) => {
    ws.addConditionalFormatting({ ref: spec.range, rules: [conditionalRule(spec, i + 1)] });
  });
}

export function writeSheet(ws: ExcelJS.Worksheet, spec: SheetSpec): void {
  spec.columnWidths?.forEach((width, i) => {
    ws.getColumn(i + 1).width = width;
  });
  const pool = new StylePool();
  writeValues(ws, spec.rows, pool);
  if (spec.table) addTable(ws, spec, spec.table);
  applyNumberFormats(ws, spec.numberFormats, pool);
  spec.styles.forEach((style) => applyStyle(ws, style, pool));
  applyConditionalFormats(ws, spec.conditionalFormats);
  if (spec.freeze && (spec.freeze.rows > 0 || spec.freeze.cols > 0)) {
    const { rows, cols } = spec.freeze;
    ws.views = [{ state: "frozen", xSplit: cols, ySplit: rows, topLeftCell: cellRef(rows + 1, cols + 1), activeCell: "A1" }];
  }
}
