/**
 * The Excel host's part in Rebalance / 重新平衡, over the stand-in Excel in Node: after a plan is
 * written, the cells typed into the Plan Matrix are read back (one request, only the spec's rows
 * and columns), a sheet the tool did not write is never read as one; and the holds kept in the
 * Holds / 锁定值 table — a new sheet and table when there is none, rows added at the end of one
 * there is, amounts written over the rows it has — as text where a name looks like a formula.
 */
import { parseWorkbook } from "../../src/contract";
import { ExcelHost } from "../../src/hosts/excel";
import { planWorkbook, preparePlan } from "../../src/hosts/run";
import type { SheetSpec } from "../../src/report/spec";
import { installStandIn, type Installed } from "../e2e/stand-in/install";
import { isFormula } from "../e2e/stand-in/values";
import { bookBytes, englishBook } from "../e2e/fixtures";

let installed: Installed | undefined;
afterEach(() => {
  installed?.uninstall();
  installed = undefined;
});

async function plannedBook(book = englishBook()) {
  installed = await installStandIn(await bookBytes(book));
  const host = new ExcelHost();
  const outcome = await planWorkbook(host);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  const matrix = outcome.sheets.find((s) => s.kind === "matrix") as SheetSpec;
  return { i: installed, host, outcome, matrix };
}

const cell = (i: Installed, sheet: string, row: number, col: number): unknown => {
  const v = i.standIn.model.sheetNamed(sheet)?.get(row, col);
  return isFormula(v) ? `=${v.f}` : v;
};

describe("ExcelHost.readEdits", () => {
  it("gives the cells typed over since the plan was written, in one request, also to a pane that did not write it", async () => {
    const { i, host, matrix } = await plannedBook();
    i.standIn.typeCell(matrix.name, "C3", "44000");
    i.standIn.typeCell(matrix.name, "B4", "Somebody");
    i.standIn.typeCell(matrix.name, "G7", "n/a");
    const before = i.standIn.syncCount;
    const edits = await host.readEdits(matrix);
    expect(i.standIn.syncCount - before).toBe(1);
    expect(edits.status).toBe("read");
    if (edits.status !== "read") return;
    expect(edits.sameShape).toBe(true);
    expect(edits.cells.map((c) => [c.address, c.value])).toEqual([
      ["C3", 44000],
      ["B4", "Somebody"],
      ["G7", "n/a"],
    ]);
    // Another pane (a reload, a co-author): the register's shape says the sheet has the plan's layout.
    const fresh = await new ExcelHost().readEdits(matrix);
    expect(fresh.status === "read" && fresh.sameShape).toBe(true);
    // Nothing was written by reading.
    expect(i.standIn.syncs.slice(-2).reduce((n, s) => n + s.cellsWritten, 0)).toBe(0);
  });

  it("reads a large sheet in blocks of rows, with the same cells", async () => {
    const { i, matrix } = await plannedBook();
    i.standIn.typeCell(matrix.name, "C3", "44000");
    i.standIn.typeCell(matrix.name, "D20", "7");
    const small = new ExcelHost({ readBudget: 2_000 });
    const edits = await small.readEdits(matrix);
    expect(edits.status === "read" && edits.cells.map((c) => c.address)).toEqual(["C3", "D20"]);
  });

  it("a matrix of another plan, a user's sheet of that name, or none at all", async () => {
    const { host, matrix } = await plannedBook();
    const other = { ...matrix, rows: [...matrix.rows, ["x"]] };
    const stale = await host.readEdits(other);
    expect(stale.status === "read" && stale.sameShape).toBe(false);
    expect(await host.readEdits({ ...matrix, name: "Nowhere" })).toEqual({ status: "missing", sheet: "Nowhere" });
    installed?.uninstall();
    const book = englishBook();
    installed = await installStandIn(await bookBytes({ ...book, sheets: { ...book.sheets, "Plan Matrix": [["my own"]] } }));
    expect(await new ExcelHost().readEdits(matrix)).toEqual({ status: "notOwned", sheet: "Plan Matrix" });
  });
});

describe("ExcelHost.writeHolds", () => {
  it("makes the Holds sheet and table when there is none, names that look like formulas as text; the contract reads it back", async () => {
    const { i, host } = await plannedBook();
    const written = await host.writeHolds({
      create: { sheet: "Holds", table: "Holds", headers: ["Region", "Rep", "Period", "Tier", "Amount"] },
      updates: [],
      rows: [
        ["East", "Li", "2027-Q1", "Target", 44000],
        [null, null, "2027-Q2", "Target", 90000],
      ],
    });
    expect(written).toEqual({ sheet: "Holds", table: "Holds", added: 2, updated: 0, created: true });
    expect(i.standIn.model.tableNamed("Holds")?.block).toEqual({ top: 1, left: 1, bottom: 3, right: 5 });
    expect([cell(i, "Holds", 2, 3), cell(i, "Holds", 3, 1), cell(i, "Holds", 3, 5)]).toEqual(["2027-Q1", undefined, 90000]);
    const parsed = parseWorkbook(await host.readTables());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.workbook.input.holds?.map((h) => [h.path, h.period, h.tier, h.amount])).toEqual([
      [{ Region: "East", Rep: "Li" }, "2027-Q1", "target", 44000],
      [{}, "2027-Q2", "target", 90000],
    ]);

    // Kept again: a row added at the table's end, an amount written over a row it has.
    const again = await host.writeHolds({
      target: { name: "Holds", sheet: "Holds", source: "table" },
      updates: [{ ref: "Holds!E2", amount: 45000 }],
      rows: [["=1+1", "@x", "2027-Q3", "Target", 1000]],
    });
    expect(again).toEqual({ sheet: "Holds", table: "Holds", added: 1, updated: 1, created: false });
    expect(i.standIn.model.tableNamed("Holds")?.block.bottom).toBe(4);
    expect([cell(i, "Holds", 2, 5), cell(i, "Holds", 4, 1), cell(i, "Holds", 4, 2)]).toEqual([45000, "=1+1", "@x"]);
    expect(isFormula(i.standIn.model.sheetNamed("Holds")?.get(4, 1))).toBe(false);
  });

  it("below the last row of a sheet-based Holds table", async () => {
    const book = englishBook();
    const { i, host } = await plannedBook({ ...book, sheets: { ...book.sheets, 锁定值: [["Region", "Rep", "期间", "金额"], ["East", "Li", "2027-Q1", 44000]] } });
    const written = await host.writeHolds({ target: { name: "锁定值", sheet: "锁定值", source: "sheet" }, updates: [], rows: [["East", "Wang", "2027-Q2", 500]] });
    expect(written).toMatchObject({ sheet: "锁定值", added: 1, created: false });
    expect([1, 2, 3, 4].map((c) => cell(i, "锁定值", 3, c))).toEqual(["East", "Wang", "2027-Q2", 500]);
  });

  it("the plan with the kept holds reads them as the Holds table's", async () => {
    const { host } = await plannedBook();
    await host.writeHolds({
      create: { sheet: "Holds", table: "Holds", headers: ["Region", "Rep", "Period", "Tier", "Amount"] },
      updates: [],
      rows: [["East", "Li", "2027-Q1", "Target", 44000]],
    });
    const outcome = await preparePlan(host);
    expect(outcome.ok && outcome.workbook.input.holds?.length).toBe(1);
  });
});
