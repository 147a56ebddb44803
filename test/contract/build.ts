/** In-memory workbooks for the contract tests: RawTables as a host would read them. */
import type { Problem } from "../../src/engine/problems";
import type { RawCell, RawTable } from "../../src/hosts/host";
import type { ContractResult, ParsedWorkbook } from "../../src/contract/types";
import { formatProblem } from "../../src/i18n";

/** A sheet-based input: headers in row 1 from column A. */
export function sheet(name: string, headers: RawCell[], rows: RawCell[][] = []): RawTable {
  return { name, sheet: name, source: "sheet", top: 1, left: 1, headers, rows: pad(headers, rows) };
}

/** An Excel table on a sheet, its header row at (top, left). */
export function table(
  name: string,
  sheetName: string,
  headers: RawCell[],
  rows: RawCell[][] = [],
  at: { top?: number; left?: number } = {},
): RawTable {
  return { name, sheet: sheetName, source: "table", top: at.top ?? 1, left: at.left ?? 1, headers, rows: pad(headers, rows) };
}

function pad(headers: RawCell[], rows: RawCell[][]): RawCell[][] {
  return rows.map((r) => headers.map((_, i) => (r[i] === undefined ? null : r[i])));
}

/** Key / Value rows as a Settings sheet. */
export function settings(entries: [string, RawCell][], name = "Settings", headers: [string, string] = ["Key", "Value"]): RawTable {
  return sheet(name, headers, entries);
}

export function ok(result: ContractResult): ParsedWorkbook {
  if (!result.ok)
    throw new Error("expected a plan, got problems:\n" + result.problems.map((p) => formatProblem(p, result.lang)).join("\n"));
  return result.workbook;
}

export function problems(result: ContractResult): Problem[] {
  if (result.ok) throw new Error("expected problems, got a plan");
  return result.problems;
}

/** `ref code` per problem, for compact assertions. */
export function refsAndCodes(result: ContractResult): string[] {
  return problems(result).map((p) => `${p.ref} ${p.code}`);
}

/** Day number of an ISO date. */
export function day(iso: string): number {
  return Date.parse(iso + "T00:00:00Z") / 86_400_000;
}

/** A small, valid English workbook to vary in tests. */
export function englishWorkbook(): RawTable[] {
  return [
    sheet("Targets", ["Period", "Floor", "Target", "Stretch"], [["2027", 900_000, 1_000_000, 1_200_000]]),
    sheet(
      "History",
      ["Date", "Region", "Rep", "Channel", "Amount", "Orders", "Visits", "Invitations"],
      [
        ["2026-01", "East", "Li", "Referral", 120_000, 12, 30, 60],
        ["2026-01", "East", "Wang", "Walk-in", 80_000, 8, 20, 40],
        ["2026-02", "West", "Zhao", "Referral", 100_000, 10, 25, 50],
      ],
    ),
    settings([
      ["Levels", "Region > Rep"],
      ["Unit", 100],
    ]),
  ];
}
