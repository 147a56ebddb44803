/**
 * The fact table (src/engine/facts.ts): History held column by column. Records in, records out,
 * the same; two facts share a member code exactly when they name the same member; a blank is
 * code 0; and a plan of a table is the plan of its records, cell for cell.
 */
import fc from "fast-check";
import { computePlan, dayFromYmd, FactTable, factRows, factTable, PlanProblemsError, type FactRow } from "../../src/engine";
import { planInput } from "./build";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

const member = fc.constantFrom("", "East", "West", "东区", " padded ", "=SUM(A1)", "0");
const factArb: fc.Arbitrary<FactRow> = fc
  .record({
    region: member,
    rep: member,
    channel: fc.option(member, { nil: undefined }),
    day: fc.integer({ min: 0, max: 800 }),
    span: fc.integer({ min: 0, max: 30 }),
    amount: fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
    orders: fc.integer({ min: 0, max: 50 }),
    row: fc.integer({ min: 2, max: 1_000_000 }),
  })
  .map((r) => {
    const dims: Record<string, string> = {};
    if (r.region !== "") dims.Region = r.region;
    if (r.rep !== "") dims.Rep = r.rep;
    if (r.channel) dims.Channel = r.channel;
    const start = dayFromYmd(2024, 1, 1) + r.day;
    return { dims, start, end: start + r.span, measures: { Amount: r.amount, Orders: r.orders }, ref: `History!A${r.row}` };
  });

describe("the fact table", () => {
  it("gives back the records it was made of, in their order", () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 60 }), (rows) => {
        const table = FactTable.of(rows);
        expect(table.length).toBe(rows.length);
        expect(table.rows()).toEqual(rows);
        rows.forEach((row, r) => {
          expect(table.ref(r)).toBe(row.ref);
          expect(table.start[r]).toBe(row.start);
          expect(table.end[r]).toBe(row.end);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("codes two facts' members alike exactly when they name the same member, and a blank as 0", () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 60 }), (rows) => {
        const table = FactTable.of(rows);
        for (const name of ["Region", "Rep", "Channel"]) {
          const codes = table.codes(name);
          const members = table.members(name);
          expect(members[0]).toBe("");
          expect(new Set(members).size).toBe(members.length);
          rows.forEach((a, i) => {
            expect(codes[i] === 0).toBe(a.dims[name] === undefined);
            if (codes[i] !== 0) expect(members[codes[i]]).toBe(a.dims[name]);
            rows.forEach((b, j) => expect(codes[i] === codes[j]).toBe(a.dims[name] === b.dims[name]));
          });
          expect(table.namesSome(name)).toBe(rows.some((r) => r.dims[name] !== undefined));
        }
        expect(table.hasMeasure("Amount")).toBe(rows.length > 0);
        expect(table.hasMeasure("Visits")).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("fills a measure a record lacks with 0, and leaves a records array as it is", () => {
    const rows: FactRow[] = [
      { dims: { Rep: "Li" }, start: 1, end: 1, measures: { Amount: 5 } },
      { dims: { Rep: "Wang" }, start: 2, end: 2, measures: { Orders: 3 } },
    ];
    const table = factTable(rows);
    expect(Array.from(table.measure("Amount")!)).toEqual([5, 0]);
    expect(Array.from(table.measure("Orders")!)).toEqual([0, 3]);
    expect(table.ref(0)).toBeUndefined();
    expect(factTable(table)).toBe(table);
    expect(factRows(rows)).toBe(rows);
  });

  it("plans the same from a table as from its records, cell for cell", () => {
    const history: FactRow[] = [];
    const reps = [
      ["East", "Li"],
      ["East", "Wang"],
      ["West", "Zhao"],
      ["West", "Li"],
    ];
    for (let m = 1; m <= 12; m++) {
      reps.forEach(([region, rep], k) => history.push({ dims: { Region: region, Rep: rep }, start: dayFromYmd(2026, m, 1), end: dayFromYmd(2026, m, 28), measures: { Amount: 1000 * (k + 1) + 37 * m } }));
    }
    const input = planInput({ history, levels: ["Region", "Rep"], levelLabels: ["Region", "Rep"], tiers: { floor: 900_000, target: 1_000_003, stretch: 1_200_000 }, unit: 10 });
    let fromRecords;
    try {
      fromRecords = computePlan(input);
    } catch (e) {
      if (e instanceof PlanProblemsError) throw new Error(JSON.stringify(e.problems));
      throw e;
    }
    const fromTable = computePlan({ ...input, history: FactTable.of(history) });
    expect(fromTable.nodes.map((n) => n.amount)).toEqual(fromRecords.nodes.map((n) => n.amount));
    for (const t of ["floor", "target", "stretch"] as const) expect(Array.from(fromTable.cells[t])).toEqual(Array.from(fromRecords.cells[t]));
  });
});
