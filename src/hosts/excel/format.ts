/**
 * SheetSpec formats in Office.js terms: colours, alignment, column widths in points, and the
 * conditional-format settings for each ConditionalFormatSpec. Pure, so the sizes of what is sent
 * can be estimated and the translation tested without Excel.
 */
import type { ConditionalFormatSpec, StyleSpec } from "../../report/spec";
import { columnsAddress } from "./address";

/** "FF1F4E78" or "1F4E78" → "#1F4E78" (Office.js takes #RRGGBB). */
export function cssColor(argbOrRgb: string): string {
  const hex = argbOrRgb.replace(/^#/, "");
  return `#${(hex.length === 8 ? hex.slice(2) : hex).toUpperCase()}`;
}

const ALIGN = { left: "Left", center: "Center", right: "Right" } as const;

/** What one StyleSpec sets on its range's format (only the properties it names). */
export interface RangeLook {
  bold?: boolean;
  italic?: boolean;
  fontColor?: string;
  fill?: string;
  horizontalAlignment?: "Left" | "Center" | "Right";
  wrapText?: boolean;
}

export function rangeLook(style: StyleSpec): RangeLook {
  const look: RangeLook = {};
  if (style.bold !== undefined) look.bold = style.bold;
  if (style.italic !== undefined) look.italic = style.italic;
  if (style.fontColor !== undefined) look.fontColor = cssColor(style.fontColor);
  if (style.fill !== undefined) look.fill = cssColor(style.fill);
  if (style.align !== undefined) look.horizontalAlignment = ALIGN[style.align];
  if (style.wrap !== undefined) look.wrapText = style.wrap;
  return look;
}

/**
 * A column width in characters (as SpreadsheetML stores it, padding included) → points, which
 * Office.js takes: pixels = ⌊width × 7 + 0.5⌋ for the default 11-pt font (maximum digit width 7 px),
 * points = pixels × ¾.
 */
export function widthPoints(characters: number): number {
  return Math.floor(characters * 7 + 0.5) * 0.75;
}

/** Column widths grouped into runs of equal width: one assignment per run, `D:O` rather than twelve. */
export function widthRuns(widths: number[]): { address: string; points: number }[] {
  const out: { address: string; points: number }[] = [];
  let start = 0;
  for (let i = 1; i <= widths.length; i++) {
    if (i < widths.length && widths[i] === widths[start]) continue;
    if (widths[start] > 0) out.push({ address: columnsAddress(start + 1, i), points: widthPoints(widths[start]) });
    start = i;
  }
  return out;
}

/** A formula for a conditional-format rule: Office.js wants the leading "=". */
export const ruleFormula = (f: string | number): string => (typeof f === "number" ? `=${f}` : `=${f.replace(/^=/, "")}`);

type IconSetStyle = "ThreeTrafficLights1" | "ThreeSymbols" | "ThreeArrows" | "ThreeFlags";
const ICON_SETS: Record<Extract<ConditionalFormatSpec, { type: "iconSet" }>["iconSet"], IconSetStyle> = {
  "3TrafficLights1": "ThreeTrafficLights1",
  "3Symbols": "ThreeSymbols",
  "3Arrows": "ThreeArrows",
  "3Flags": "ThreeFlags",
};

const OPERATORS = { greaterThan: "GreaterThan", lessThan: "LessThan", equal: "EqualTo", between: "Between" } as const;

/** The Office.js settings of one conditional format, as plain data. */
export type ConditionalFormatPlan =
  | {
      type: "DataBar";
      lower: { type: "LowestValue" | "Number"; formula?: string };
      upper: { type: "HighestValue" | "Number"; formula?: string };
      fillColor: string;
    }
  | {
      type: "IconSet";
      style: IconSetStyle;
      reverse: boolean;
      /** criteria[0] is the lowest icon's (empty); the others start at a number, inclusive. */
      criteria: ({ type: "Number"; operator: "GreaterThanOrEqual"; formula: string } | Record<string, never>)[];
    }
  | {
      type: "CellValue";
      rule: { operator: "GreaterThan" | "LessThan" | "EqualTo" | "Between"; formula1: string; formula2?: string };
      fill: string;
      fontColor?: string;
    }
  | { type: "Custom"; formula: string; fill: string; fontColor?: string; bold?: boolean };

export function conditionalFormatPlan(cf: ConditionalFormatSpec): ConditionalFormatPlan {
  switch (cf.type) {
    case "dataBar":
      return {
        type: "DataBar",
        lower: cf.min === undefined ? { type: "LowestValue" } : { type: "Number", formula: ruleFormula(cf.min) },
        upper: cf.max === undefined ? { type: "HighestValue" } : { type: "Number", formula: ruleFormula(cf.max) },
        fillColor: cssColor(cf.color),
      };
    case "iconSet":
      return {
        type: "IconSet",
        style: ICON_SETS[cf.iconSet],
        reverse: cf.reverse === true,
        criteria: [
          {},
          { type: "Number", operator: "GreaterThanOrEqual", formula: ruleFormula(cf.thresholds[0]) },
          { type: "Number", operator: "GreaterThanOrEqual", formula: ruleFormula(cf.thresholds[1]) },
        ],
      };
    case "cellIs": {
      const [first = "0", second] = cf.formulae;
      return {
        type: "CellValue",
        rule: {
          operator: OPERATORS[cf.operator],
          formula1: ruleFormula(first),
          ...(cf.operator === "between" && second !== undefined ? { formula2: ruleFormula(second) } : {}),
        },
        fill: cssColor(cf.fill),
        ...(cf.fontColor ? { fontColor: cssColor(cf.fontColor) } : {}),
      };
    }
    case "expression":
      return {
        type: "Custom",
        formula: ruleFormula(cf.formula),
        fill: cssColor(cf.fill),
        ...(cf.fontColor ? { fontColor: cssColor(cf.fontColor) } : {}),
        ...(cf.bold !== undefined ? { bold: cf.bold } : {}),
      };
  }
}
