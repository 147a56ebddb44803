/**
 * Rebalance / 重新平衡 in the Plan step, in Node: where each Plan Matrix cell sits in the plan, the
 * cells typed over read as holds (every bad value a problem at its cell, nothing written), the
 * preview of what moves (before → after, held cells marked), what keeping the holds writes into the
 * Holds / 锁定值 table, and the pane's run over a host (the words in both languages too).
 */
import fc from "fast-check";
import type { HoldRow, PlanResult } from "../../src/engine";
import type { AddinHost, SheetEdits } from "../../src/hosts/addin";
import type { RawTable } from "../../src/hosts/host";
import { formulaRows, specWidth } from "../../src/hosts/excel/cells";
import { editedCells } from "../../src/hosts/excel/edits";
import { withHolds } from "../../src/hosts/run";
import { formatProblem } from "../../src/i18n";
import { PANE_STRINGS } from "../../src/i18n/pane";
import type { SheetSpec } from "../../src/report/spec";
import {
  findHoldsTable,
  holdsToKeep,
  isMultipleOf,
  matrixCellOf,
  matrixPlace,
  rebalancePreview,
  typedHolds,
} from "../../src/taskpane/model/rebalance";
import { planFromTables } from "../../src/taskpane/pipeline";
import { computeRebalance } from "../../src/taskpane/plan/RebalancePanel";
import { englishWorkbook, sheet } from "../contract/build";

async function planned(tables: RawTable[] = englishWorkbook()) {
  const outcome = await planFromTables(tables, {});
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  const matrix = outcome.sheets.find((s) => s.kind === "matrix") as SheetSpec;
  return { outcome, result: outcome.result, matrix };
}

/** The matrix as written (Range.formulas), then cells typed over it: `D5` → what the user typed (formula and value). */
function typedOver(spec: SheetSpec, typed: Record<string, unknown>): { formulas: unknown[][]; values: unknown[][] } {
  const width = specWidth(spec.rows);
  const formulas: unknown[][] = formulaRows(spec.rows, 0, spec.rows.length, width).map((row) => row.map((v) => (typeof v === "string" && v.startsWith("'") ? v.slice(1) : v)));
  const values = formulas.map((row) => row.map((v) => (typeof v === "string" && v.startsWith("=") ? 0 : v)));
  for (const [address, v] of Object.entries(typed)) {
    const m = /^([A-Z]+)(\d+)$/.exec(address) as RegExpExecArray;
    const col = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
    formulas[Number(m[2]) - 1][col - 1] = v;
    values[Number(m[2]) - 1][col - 1] = v;
  }
  return { formulas, values };
}

const column = (n: number): string => {
  let s = "";
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

describe("where a Plan Matrix cell sits in the plan", () => {
  it("every amount of the matrix sheet is the plan's cell, member total, period total or grand total there", async () => {
    const { result, matrix } = await planned();
    const P = result.periods.length;
    let amounts = 0;
    matrix.rows.forEach((row, r) =>
      row.forEach((cell, c) => {
        const place = matrixPlace(result, r + 1, c + 1);
        if (typeof cell === "number") {
          amounts++;
          expect(place?.kind).toBe("cell");
          if (place?.kind === "cell") expect(result.cells[place.tier][place.leaf * P + place.period]).toBe(cell);
        } else if (cell !== null && typeof cell === "object") {
          expect(place && place.kind !== "cell").toBe(true);
          if (place?.kind === "memberTotal") expect(cell.result).toBe(result.nodes[result.leaves[place.leaf]].amount[place.tier]);
          if (place?.kind === "periodTotal") expect(cell.result).toBe(result.periods[place.period].amount[place.tier]);
          if (place?.kind === "grandTotal") expect(cell.result).toBe(result.nodes[0].amount[place.tier]);
        } else {
          expect(place).toBeUndefined();
        }
      }),
    );
    expect(amounts).toBe(result.leaves.length * P * result.tiers.length);
  });

  it("matrixCellOf is matrixPlace's inverse (property)", async () => {
    const { result, matrix } = await planned();
    const height = matrix.rows.length + 3;
    const width = specWidth(matrix.rows) + 2;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: height }), fc.integer({ min: 1, max: width }), (row, col) => {
        const place = matrixPlace(result, row, col);
        if (place) expect(matrixCellOf(result, place)).toEqual({ row, col });
      }),
    );
  });
});

describe("a typed amount is a whole multiple of Unit, exactly", () => {
  it("k × unit is, k × unit + a part of a unit is not (property)", () => {
    const units = [1, 100, 0.05, 0.01, 250, 1000000];
    fc.assert(
      fc.property(fc.constantFrom(...units), fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 1, max: 99 }), (unit, k, part) => {
        const digits = BigInt(Math.round(unit * 100)) * BigInt(k);
        const exact = Number(`${digits}e-2`);
        expect(isMultipleOf(exact, unit)).toBe(true);
        const off = Number(`${digits * 100n + BigInt(part) * BigInt(Math.round(unit * 100))}e-4`);
        expect(isMultipleOf(off, unit)).toBe(part % 100 === 0);
      }),
    );
    expect(isMultipleOf(0.3, 0.1)).toBe(true); // 0.1 + 0.2 as doubles would say no
    expect(isMultipleOf(12_345, 100)).toBe(false);
  });
});

describe("the cells typed over, as holds", () => {
  it("a member in a period, a member's total and a period's total, each with its tier", async () => {
    const { result, matrix } = await planned();
    // Target block: title on row 2, leaves from row 3; periods from column C; the total column after them.
    const P = result.periods.length;
    const totalCol = column(3 + P);
    const totalRow = 3 + result.leaves.length;
    const { formulas, values } = typedOver(matrix, { C3: 50_000, [`${totalCol}4`]: 300_000, [`D${totalRow}`]: 90_000 });
    const cells = editedCells(matrix, formulas, values);
    expect(cells.map((c) => c.address)).toEqual(["C3", `${totalCol}4`, `D${totalRow}`]);
    const { typed, problems } = typedHolds(result, matrix.name, cells);
    expect(problems).toEqual([]);
    const leaf = (i: number) => result.nodes[result.leaves[i]].path;
    expect(typed.map((t) => ({ path: t.hold.path, period: t.hold.period, tier: t.hold.tier, amount: t.hold.amount, ref: t.ref }))).toEqual([
      { path: leaf(0), period: result.periods[0].label, tier: "target", amount: 50_000, ref: "'Plan Matrix'!C3" },
      { path: leaf(1), period: undefined, tier: "target", amount: 300_000, ref: `'Plan Matrix'!${totalCol}4` },
      { path: {}, period: result.periods[1].label, tier: "target", amount: 90_000, ref: `'Plan Matrix'!D${totalRow}` },
    ]);
  });

  it("a cell of another tier's block holds that tier", async () => {
    const { result, matrix } = await planned();
    const second = 2 + result.leaves.length + 3; // the second block's title row
    const { formulas, values } = typedOver(matrix, { [`E${second + 2}`]: 40_000 });
    const { typed } = typedHolds(result, matrix.name, editedCells(matrix, formulas, values));
    expect(typed).toHaveLength(1);
    expect(typed[0].hold.tier).toBe(matrix.rows[second - 1][0] === "Floor" ? "floor" : "stretch");
    expect(typed[0].hold.period).toBe(result.periods[2].label);
  });

  it("every bad value is a problem at its cell: text, a cleared cell, below zero, not a multiple of Unit, a name, the grand total", async () => {
    const { result, matrix } = await planned();
    const P = result.periods.length;
    const totalCol = column(3 + P);
    const totalRow = 3 + result.leaves.length;
    const { formulas, values } = typedOver(matrix, {
      C3: "n/a",
      D3: "",
      E3: -500,
      F3: 12_345,
      A4: "Somebody",
      [`${totalCol}${totalRow}`]: 2_000_000,
      [`C${totalRow + 1}`]: "a note",
    });
    const { typed, problems } = typedHolds(result, matrix.name, editedCells(matrix, formulas, values));
    expect(typed).toEqual([]);
    expect(problems.map((p) => formatProblem(p, "en"))).toEqual([
      `'Plan Matrix'!C3: "n/a" is not a number; type the amount to hold`,
      `'Plan Matrix'!D3: this cell was cleared; type the amount to hold, or undo the change`,
      `'Plan Matrix'!E3: -500 is below zero; a held amount is zero or more`,
      `'Plan Matrix'!F3: 12,345 is not a multiple of the rounding unit 100`,
      `'Plan Matrix'!A4: this cell is not an amount of the plan (a name, a heading or an empty row); type new values only into amounts or totals, or undo the change, then Rebalance`,
      `'Plan Matrix'!${totalCol}${totalRow}: the plan's total comes from the Targets table; change it there, or undo the change here`,
      `'Plan Matrix'!C${totalRow + 1}: this cell is not an amount of the plan (a name, a heading or an empty row); type new values only into amounts or totals, or undo the change, then Rebalance`,
    ]);
    expect(formatProblem(problems[3], "zh")).toBe("'Plan Matrix'!F3: 12,345 不是取整单位 100 的整数倍");
  });

  it("nothing typed, nothing read: a matrix as written has no edited cells", async () => {
    const { matrix } = await planned();
    const { formulas, values } = typedOver(matrix, {});
    expect(editedCells(matrix, formulas, values)).toEqual([]);
  });
});

const hold = (path: Record<string, string>, period: string | undefined, amount: number, ref: string): HoldRow => ({
  path,
  ...(period ? { period } : {}),
  tier: "target",
  amount,
  ref,
  refs: { amount: ref },
});

describe("the holds the plan runs with", () => {
  it("a typed hold replaces the Holds table's for the same node, period and tier; every other stays (property)", () => {
    const arb = fc.array(
      fc.record({ rep: fc.constantFrom("Li", "Wang", "Zhao"), period: fc.option(fc.constantFrom("2027-01", "2027-02"), { nil: undefined }), amount: fc.nat(1000) }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const table = a.map((x, i) => hold({ Rep: x.rep }, x.period, x.amount, `Holds!D${i + 2}`));
        const typed = b.map((x, i) => hold({ Rep: x.rep }, x.period, x.amount, `'Plan Matrix'!C${i + 3}`));
        const merged = withHolds(table, typed);
        for (const t of typed) expect(merged).toContain(t);
        const key = (h: HoldRow) => `${h.path.Rep}|${h.period}`;
        const typedKeys = new Set(typed.map(key));
        for (const h of table) expect(merged.includes(h)).toBe(!typedKeys.has(key(h)));
      }),
    );
  });
});

describe("the preview of what moves", () => {
  it("every cell whose amount changes, before → after, and every held place marked", async () => {
    const { result, matrix } = await planned();
    const before: PlanResult = { ...result, exact: undefined };
    const cells = { ...result.cells, target: Float64Array.from(result.cells.target) };
    cells.target[0] += 1000;
    cells.target[1] -= 1000;
    const after: PlanResult = { ...before, cells };
    const { formulas, values } = typedOver(matrix, { C3: cells.target[0] });
    const { typed } = typedHolds(result, matrix.name, editedCells(matrix, formulas, values));
    const P = result.periods.length;
    const table = [hold(result.nodes[result.leaves[1]].path, result.periods[5].label, cells.target[P + 5], "Holds!D2")];
    const preview = rebalancePreview(before, after, typed, table, matrix.name, "en");
    expect(preview.moved).toBe(2);
    expect([preview.typed, preview.tableHolds]).toEqual([1, 1]);
    expect(preview.rows.map((r) => [r.ref, r.member, r.period, r.before, r.after, r.held ?? ""])).toEqual([
      ["'Plan Matrix'!C3", "East · Li", "2027-01", fmt(result.cells.target[0]), fmt(cells.target[0]), "typed"],
      ["'Plan Matrix'!D3", "East · Li", "2027-02", fmt(result.cells.target[1]), fmt(cells.target[1]), ""],
      ["'Plan Matrix'!H4", `${result.nodes[result.leaves[1]].path.Region} · ${result.nodes[result.leaves[1]].path.Rep}`, "2027-06", fmt(cells.target[P + 5]), fmt(cells.target[P + 5]), "table"],
    ]);
  });
});

const fmt = (x: number) => x.toLocaleString("en-US");

describe("keeping the holds in the Holds / 锁定值 table", () => {
  it("without one: a new sheet and table in the workbook's language, a row per hold", async () => {
    const { result, matrix } = await planned();
    const { formulas, values } = typedOver(matrix, { C3: 50_000, [`D${3 + result.leaves.length}`]: 90_000 });
    const { typed } = typedHolds(result, matrix.name, editedCells(matrix, formulas, values));
    const en = holdsToKeep(typed, [], undefined, result, "en");
    expect(en).toEqual({
      ok: true,
      sheet: "Holds",
      created: true,
      write: {
        create: { sheet: "Holds", table: "Holds", headers: [...result.levelLabels, "Period", "Tier", "Amount"] },
        updates: [],
        rows: [
          ["East", "Li", "2027-01", "Target", 50_000],
          [null, null, "2027-02", "Target", 90_000],
        ],
      },
    });
    const zh = holdsToKeep(typed, [], undefined, result, "zh");
    expect(zh.ok && zh.write.create).toEqual({ sheet: "锁定值", table: "锁定值", headers: [...result.levelLabels, "期间", "档位", "金额"] });
    expect(zh.ok && zh.write.rows[0]).toEqual(["East", "Li", "2027-01", "力争", 50_000]);
  });

  it("with one: a hold it has gets the typed amount in its Amount cell; the others are added in its column order", async () => {
    const { result, matrix } = await planned();
    const holds = sheet("锁定值", ["金额", "Rep", "期间", "Region"], [[40_000, "Li", "2027-01", "East"]]);
    const existing = hold({ Region: "East", Rep: "Li" }, "2027-01", 40_000, "锁定值!A2");
    const { formulas, values } = typedOver(matrix, { C3: 50_000, D3: 60_000 });
    const { typed } = typedHolds(result, matrix.name, editedCells(matrix, formulas, values));
    const kept = holdsToKeep(typed, [existing], holds, result, "zh");
    expect(kept).toEqual({
      ok: true,
      sheet: "锁定值",
      created: false,
      write: { target: { name: "锁定值", sheet: "锁定值", source: "sheet" }, updates: [{ ref: "锁定值!A2", amount: 50_000 }], rows: [[60_000, "Li", "2027-02", "East"]] },
    });
  });

  it("a Holds table without an Amount column is a problem at its first cell", async () => {
    const { result, matrix } = await planned();
    const holds = sheet("Holds", ["Rep", "Period"], []);
    const { formulas, values } = typedOver(matrix, { C3: 50_000 });
    const { typed } = typedHolds(result, matrix.name, editedCells(matrix, formulas, values));
    const kept = holdsToKeep(typed, [], holds, result, "en");
    expect(kept.ok).toBe(false);
    if (!kept.ok) expect(kept.problems.map((p) => formatProblem(p, "en"))).toEqual(["Holds!A1: the Holds table has no Amount column, so holds cannot be kept in it; add the column, or keep the holds unticked"]);
  });

  it("the Holds table is found by its name in either language, a table before a sheet", () => {
    const tables = [sheet("锁定值", ["金额"]), { ...sheet("Other", ["Amount"]), name: "holds", source: "table" as const }];
    expect(findHoldsTable(tables)?.name).toBe("holds");
    expect(findHoldsTable([sheet("锁定值", ["金额"])])?.name).toBe("锁定值");
    expect(findHoldsTable(englishWorkbook())).toBeUndefined();
  });
});

/** A host over tables in memory whose Plan Matrix holds what the plan writes, with cells typed over it. */
function paneHost(tables: RawTable[], edits: (matrix: SheetSpec) => SheetEdits) {
  const writes: string[] = [];
  const host = {
    readEdits: async (spec: SheetSpec) => edits(spec),
    writeSheets: async (specs: SheetSpec[]) => {
      writes.push(...specs.map((s) => s.name));
      return { sheets: [] };
    },
    writeHolds: async () => {
      writes.push("holds");
      return { sheet: "Holds", added: 0, updated: 0, created: true };
    },
  } as unknown as AddinHost;
  const workbook = { readTables: async () => tables, fingerprintOf: () => undefined, setup: { choices: {}, plan: {} } };
  return { host, workbook, writes };
}

const read = (spec: SheetSpec, typed: Record<string, unknown>): SheetEdits => {
  const { formulas, values } = typedOver(spec, typed);
  return { status: "read", sheet: spec.name, cells: editedCells(spec, formulas, values), sameShape: true };
};

describe("the pane's Rebalance over a host", () => {
  it("values typed: a preview of the plan with them held, and nothing written yet", async () => {
    const { host, workbook, writes } = paneHost(englishWorkbook(), (m) => read(m, { C3: 50_000 }));
    const state = await computeRebalance(host, workbook);
    expect(state.status).toBe("preview");
    if (state.status !== "preview") return;
    expect(state.preview.rows.find((r) => r.held === "typed")).toMatchObject({ ref: "'Plan Matrix'!C3", member: "East · Li", period: "2027-01" });
    expect(state.sheets.map((s) => s.kind)).toEqual(expect.arrayContaining(["plan", "matrix", "weights"]));
    expect(state.keep.ok).toBe(true);
    expect(writes).toEqual([]);
  });

  it("a bad value: its problem, no preview, nothing written", async () => {
    const { host, workbook, writes } = paneHost(englishWorkbook(), (m) => read(m, { C3: "lots", D4: 123 }));
    const state = await computeRebalance(host, workbook);
    expect(state.status).toBe("problems");
    if (state.status === "problems") expect(state.problems.map((p) => p.ref)).toEqual(["'Plan Matrix'!C3", "'Plan Matrix'!D4"]);
    expect(writes).toEqual([]);
  });

  it("no matrix written yet, or one not written from this plan, or nothing typed: says so", async () => {
    const missing = paneHost(englishWorkbook(), (m) => ({ status: "missing", sheet: m.name }));
    expect((await computeRebalance(missing.host, missing.workbook)).status).toBe("noMatrix");
    const notOwned = paneHost(englishWorkbook(), (m) => ({ status: "notOwned", sheet: m.name }));
    expect((await computeRebalance(notOwned.host, notOwned.workbook)).status).toBe("noMatrix");
    const stale = paneHost(englishWorkbook(), (m) => ({ ...read(m, {}), sameShape: false }));
    const state = await computeRebalance(stale.host, stale.workbook);
    expect(state.status === "problems" && state.problems.map((p) => `${p.ref} ${p.code}`)).toEqual(["'Plan Matrix'!A1 rebalanceMatrixStale"]);
    const nothing = paneHost(englishWorkbook(), (m) => read(m, {}));
    expect((await computeRebalance(nothing.host, nothing.workbook)).status).toBe("nothing");
    for (const h of [missing, notOwned, stale, nothing]) expect(h.writes).toEqual([]);
  });
});

describe("a rebalance written without keeping its holds", () => {
  it("runs the next one with them (the matrix on the sheet is their plan), a value typed again replacing its own", async () => {
    const { host, workbook } = paneHost(englishWorkbook(), (m) => read(m, { C3: 50_000 }));
    const li = { Region: "East", Rep: "Li" };
    const earlier = [hold(li, "2027-01", 40_000, "'Plan Matrix'!C3"), hold(li, "2027-02", 30_000, "'Plan Matrix'!D3")];
    const state = await computeRebalance(host, workbook, earlier);
    expect(state.status).toBe("preview");
    if (state.status !== "preview") return;
    expect(state.holds.map((h) => [h.period, h.amount])).toEqual([
      ["2027-02", 30_000],
      ["2027-01", 50_000],
    ]);
    expect(state.typed.map((h) => h.amount)).toEqual([50_000]);
  });
});

describe("its words", () => {
  it("Rebalance / 重新平衡, 锁定值 and the glossary's 锁定 in Chinese", () => {
    const zh = PANE_STRINGS.zh;
    expect([zh.rebalance, zh.rebalanceHeading]).toEqual(["重新平衡", "重新平衡"]);
    expect(zh.rebalanceKeep).toContain("锁定值");
    expect(zh.rebalanceHeld).toBe("已锁定");
    expect(PANE_STRINGS.en.rebalance).toBe("Rebalance");
    expect(PANE_STRINGS.en.rebalanceKeep).toContain("holds");
  });
});
