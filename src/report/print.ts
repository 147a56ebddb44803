/**
 * How a sheet prints, as both hosts write it: its print settings over `landscape` (landscape, one
 * page wide). A scale rules out fitting, since Excel ignores manual page breaks on a fitted sheet.
 */
import type { PrintSpec, SheetSpec } from "./spec";

export function printOf(spec: Pick<SheetSpec, "landscape" | "print">): PrintSpec | undefined {
  if (!spec.landscape && !spec.print) return undefined;
  const print: PrintSpec = { ...(spec.landscape ? { orientation: "landscape", fit: { width: 1, height: 0 } } : {}), ...spec.print };
  if (spec.print?.scale !== undefined && !spec.print.fit) delete print.fit;
  return print;
}
