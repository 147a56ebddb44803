/**
 * The Track step's Re-plan (方法调整), as data the pane shows before it writes: where the re-plan
 * cuts, the Target before and after, who is asked for what remains, and which sheets it replaces.
 */
import { amountDecimal, isoDate } from "../../engine";
import type { ReplanResult } from "../../engine/replan";
import { formatDecimal } from "../../i18n";
import type { SheetSpec } from "../../report/spec";

export interface ReplanPreview {
  asOf: string;
  through: string;
  ended: number;
  periods: number;
  /** The Target before and after, exactly, with thousands separators. */
  before: string;
  after: string;
  /** Members at or past their target (asked for nothing more), and those with a remaining target. */
  ahead: number;
  asked: number;
  /** The sheets a write replaces, in order. */
  sheets: string[];
}

export function replanPreview(replan: ReplanResult, sheets: readonly SheetSpec[]): ReplanPreview {
  const remaining = Array.from(replan.remaining.target ?? []);
  const ahead = remaining.filter((x) => x <= 0).length;
  return {
    asOf: isoDate(replan.asOf),
    through: isoDate(replan.actualsThrough),
    ended: replan.ended,
    periods: replan.revised.periods.length,
    before: formatDecimal(amountDecimal(replan.original, "target", "node", 0)),
    after: formatDecimal(amountDecimal(replan.revised, "target", "node", 0)),
    ahead,
    asked: remaining.length - ahead,
    sheets: sheets.map((s) => s.name),
  };
}
