/**
 * The funnel benchmark's workbook (`npm run bench`, section 3): the bench organisation with a
 * Leads column, so the funnel has four stages and eight channels, and the same numbers otherwise.
 */
import { benchRawTables } from "../../bench/generate";
import { parseWorkbook } from "../../src/contract";
import { readDriverInputs } from "../../src/contract/funnel";
import { computeDrivers, computePlan } from "../../src/engine";

describe("the funnel bench workbook", () => {
  const opts = { reps: 60, months: 13 };
  const tables = benchRawTables({ ...opts, leads: true });

  it("adds a Leads column and a four-stage Funnel, leaving every other cell as it was", () => {
    const plain = benchRawTables(opts);
    const history = tables.find((t) => t.name === "History")!;
    const before = plain.find((t) => t.name === "History")!;
    expect(history.headers).toEqual([...before.headers, "Leads"]);
    expect(history.rows.map((r) => r.slice(0, -1))).toEqual(before.rows);
    expect(history.rows.every((r) => (r[9] as number) >= (r[8] as number))).toBe(true);
    const settings = Object.fromEntries(tables.find((t) => t.name === "Settings")!.rows.map((r) => [r[0], r[1]]));
    expect(settings.Funnel).toBe("Leads > Invitations > Visits > Orders");
    expect(settings.Grain).toBe("Week");
  });

  it("plans a weekly funnel over eight channels", () => {
    const parsed = parseWorkbook(tables);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const { spec, problems } = readDriverInputs(parsed.workbook, tables);
    expect(problems).toEqual([]);
    const drivers = computeDrivers(parsed.workbook.input, computePlan(parsed.workbook.input), spec!);
    expect(drivers.funnel!.stages).toEqual(["Leads", "Invitations", "Visits", "Orders"]);
    expect(drivers.funnel!.channels).toHaveLength(8);
    expect(drivers.funnel!.periods).toHaveLength(53);
  });
});
