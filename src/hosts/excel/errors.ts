/**
 * The errors the Excel host throws for the pane to explain. SheetOwnershipError is the one both
 * hosts throw (src/hosts/shared/ownership.ts); the pane tests `error.name === "SheetOwnershipError"`.
 */

export { SheetOwnershipError, type Clash } from "../shared/ownership";

/**
 * A cell reference the host cannot go to (the *Go to cell* action): `reason` says why, for the
 * pane's own words — "noSheet" (e.g. `Targets!A1` for a Targets sheet that does not exist yet)
 * or "badAddress".
 */
export class CellRefError extends Error {
  constructor(
    public readonly ref: string,
    public readonly reason: "noSheet" | "badAddress",
    public readonly sheet?: string,
  ) {
    super(reason === "noSheet" ? `Cannot go to ${ref}: the workbook has no sheet "${sheet}".` : `Cannot go to ${ref}: it is not a cell address.`);
    this.name = "CellRefError";
  }
}

/** The Office.js error code, when `e` is one (OfficeExtension.Error has a string `code`). */
export function officeErrorCode(e: unknown): string | undefined {
  if (e && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "string") {
    return (e as { code: string }).code;
  }
  return undefined;
}

/**
 * The inputs changed since the read a write was computed from (the fingerprint no longer holds):
 * nothing was written. `change` says what differs, for the tests (the pane says it in its words).
 */
export class WorkbookChangedError extends Error {
  constructor(public readonly change: string) {
    super(`The workbook's inputs changed since they were read (${change}); nothing was written.`);
    this.name = "WorkbookChangedError";
  }
}

/**
 * A write request failed. `written` false: Excel ran nothing of it (a refused request), so the
 * workbook is as it was. Otherwise the host sent one more request that removes what the write had
 * written — the sheets it added are deleted, the tool's range on the sheets it replaces is cleared —
 * and `cleaned` says whether that one went through (`cleanupMessage` when it did not).
 */
export class WriteFailedError extends Error {
  constructor(
    public readonly cause: unknown,
    public readonly written: boolean,
    public readonly cleaned: boolean,
    /** The output sheets the write was for. */
    public readonly sheets: string[],
    public readonly cleanupMessage?: string,
  ) {
    super(messageOf(cause));
    this.name = "WriteFailedError";
  }
}

function messageOf(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  if (e && typeof e === "object" && "message" in e && typeof (e as { message: unknown }).message === "string") return (e as { message: string }).message;
  return String(e);
}
