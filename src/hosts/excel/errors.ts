/**
 * The errors the Excel host throws for the pane to explain. SheetOwnershipError has the same name,
 * shape (`clashes`) and message as the .xlsx host's, which cannot be imported into the browser
 * bundle (it reads files with node:fs); the pane can test `error.name === "SheetOwnershipError"`
 * for either.
 */

/** A name an output needs is taken by something the user made. Nothing was written. */
export interface Clash {
  /** The user's sheet with that name, or the sheet holding the user's table. */
  sheet: string;
  /** Set when the clash is an Excel table name (table names are unique in a workbook). */
  table?: string;
}

/** Thrown by writeSheets when an output would replace a sheet or table the tool did not create. */
export class SheetOwnershipError extends Error {
  constructor(public readonly clashes: Clash[]) {
    super(
      clashes
        .map((c) =>
          c.table
            ? `Table "${c.table}" on sheet "${c.sheet}" was not created by Target Cascade; rename it, then run again.`
            : `Sheet "${c.sheet}" was not created by Target Cascade; rename or move it, then run again.`,
        )
        .join("\n"),
    );
    this.name = "SheetOwnershipError";
  }
}

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
