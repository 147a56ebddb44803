/**
 * Writing the plan safely (UX.md "Never lose the user's work"): say which sheets a write creates
 * or replaces, write only what was previewed from the workbook as it still is, and turn every
 * failure into words and cells the user can act on.
 */
import { findInputs } from "../../contract/find";
import { sheetInRef } from "../../contract/refs";
import type { InputKind } from "../../contract/types";
import type { Problem } from "../../engine/problems";
import type { WriteProgress } from "../../hosts/addin";
import type { RawCell, RawTable } from "../../hosts/host";

export interface SheetAction {
  name: string;
  action: "create" | "replace";
}

/** Which output sheets a write creates, and which it replaces (Excel compares names without case). */
export function sheetActions(
  specs: readonly { name: string }[],
  existingSheets: Iterable<string>
): SheetAction[] {
  const existing = new Set([...existingSheets].map((s) => s.toLowerCase()));
  return specs.map((s) => ({
    name: s.name,
    action: existing.has(s.name.toLowerCase()) ? "replace" : "create",
  }));
}

/** The sheets the cached tables live on. */
export function sheetsOf(tables: readonly { sheet: string }[]): string[] {
  return [...new Set(tables.map((t) => t.sheet))];
}

/**
 * What the progress line says: checking the workbook before the first part; then, for a write in
 * several parts (past what one request may carry), "Written 3 of 7 parts"; for one part, writing.
 */
export function progressText(progress: WriteProgress | undefined): {
  key: "writingStart" | "writingOnePart" | "partsWritten";
  args?: { done: number; total: number };
} {
  if (!progress) return { key: "writingStart" };
  if (progress.total <= 1) return { key: "writingOnePart" };
  return { key: "partsWritten", args: { done: progress.done, total: progress.total } };
}

/** Progress as 0…1 for the progress bar. */
export function progressValue(progress: WriteProgress | undefined): number {
  if (!progress || !(progress.total > 0)) return 0;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) {
    const message = (error as { message: unknown }).message;
    if (typeof message === "string" && message !== "") return message;
  }
  return String(error);
}

/** A part of the pane that could not be downloaded (webpack's ChunkLoadError): the network, not the workbook. */
export function isLoadError(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { name?: unknown }).name === "ChunkLoadError"
  );
}

export type WriteFailure =
  | { kind: "ownership"; problems: Problem[] }
  | { kind: "other"; message: string }
  /**
   * A write request failed (hosts/excel WriteFailedError): `written` false when Excel ran none of
   * it; else the host removed what had been written in one more request, and `cleaned` says whether
   * that went through.
   */
  | {
      kind: "stopped";
      message: string;
      written: boolean;
      cleaned: boolean;
      cleanupMessage?: string;
    };

/** The inputs changed since the read the preview came from (hosts/excel WorkbookChangedError): nothing was written. */
export function isWorkbookChanged(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { name?: unknown }).name === "WorkbookChangedError"
  );
}

function stoppedOf(error: unknown): WriteFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as {
    name?: unknown;
    written?: unknown;
    cleaned?: unknown;
    cleanupMessage?: unknown;
  };
  if (
    e.name !== "WriteFailedError" ||
    typeof e.written !== "boolean" ||
    typeof e.cleaned !== "boolean"
  )
    return undefined;
  return {
    kind: "stopped",
    message: errorMessage(error),
    written: e.written,
    cleaned: e.cleaned,
    ...(typeof e.cleanupMessage === "string" ? { cleanupMessage: e.cleanupMessage } : {}),
  };
}

interface Clash {
  sheet: string;
  table?: string;
}

function clashesOf(error: unknown): Clash[] | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { name, clashes } = error as { name?: unknown; clashes?: unknown };
  if (name !== "SheetOwnershipError" || !Array.isArray(clashes)) return undefined;
  const valid = clashes.filter(
    (c): c is Clash => typeof c === "object" && c !== null && typeof c.sheet === "string"
  );
  return valid.length > 0 ? valid : undefined;
}

/**
 * A SheetOwnershipError (an output name taken by the user's own sheet or table; nothing was
 * written) becomes one problem per clash, at the sheet to rename; anything else keeps its message.
 */
export function writeFailure(error: unknown): WriteFailure {
  const stopped = stoppedOf(error);
  if (stopped) return stopped;
  const clashes = clashesOf(error);
  if (!clashes) return { kind: "other", message: errorMessage(error) };
  return {
    kind: "ownership",
    problems: clashes.map((c) => ({
      ref: `${sheetInRef(c.sheet)}!A1`,
      code: c.table ? "tableNotOwned" : "sheetNotOwned",
      args: c.table ? { table: c.table } : undefined,
    })),
  };
}

function sameCell(a: RawCell, b: RawCell): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function sameRow(a: readonly RawCell[], b: readonly RawCell[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameCell(a[i], b[i])) return false;
  return true;
}

/** Whether two reads of the workbook hold the same tables, cell for cell. */
export function sameTables(a: readonly RawTable[], b: readonly RawTable[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => {
    const u = b[i];
    if (t.name !== u.name || t.sheet !== u.sheet || t.source !== u.source) return false;
    if (t.top !== u.top || t.left !== u.left || t.rows.length !== u.rows.length) return false;
    if (!sameRow(t.headers, u.headers)) return false;
    return t.rows.every((row, r) => sameRow(row, u.rows[r]));
  });
}

function sameTable(a: RawTable | undefined, b: RawTable | undefined): boolean {
  if (!a || !b) return a === b;
  return sameTables([a], [b]);
}

/**
 * Whether two reads of the workbook give the plan the same inputs, cell for cell (other sheets,
 * such as the ones a write just made, do not matter).
 */
export function sameInputs(
  a: readonly RawTable[],
  b: readonly RawTable[],
  choices: Partial<Record<InputKind, string>>
): boolean {
  const inA = findInputs(a, choices, []);
  const inB = findInputs(b, choices, []);
  const kinds = new Set([...Object.keys(inA), ...Object.keys(inB)] as InputKind[]);
  return [...kinds].every((kind) => sameTable(inA[kind], inB[kind]));
}
