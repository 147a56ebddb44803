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
