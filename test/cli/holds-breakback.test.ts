/**
 * `target-cascade plan` with holds the engine must check together (docs/planning-depth.md,
 * "Engine"): contradictory holds exit 2 naming both cells and write nothing; holds that fit are
 * kept exactly in RESULT.json with the totals check ✓.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import { englishBook, tempDir, writeWorkbook, type Rows, type WorkbookSpec } from "./fixtures";

async function planBook(spec: WorkbookSpec) {
  const dir = tempDir();
  const input = await writeWorkbook(join(dir, "in.xlsx"), spec);
  const outPath = join(dir, "out.xlsx");
  const jsonPath = join(dir, "result.json");
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["plan", input, "--out", outPath, "--json", jsonPath], { out: (l) => out.push(l), err: (l) => err.push(l), env: { LANG: "en_US.UTF-8" } });
  return { code, out, err, outPath, jsonPath };
}

const holds = (...rows: Rows): Rows => [["Region", "Rep", "Period", "Tier", "Amount"], ...rows];
const weights = (...rows: Rows): Rows => [["Dimension", "Member", "Weight", "Lock", "Start", "End", "Ramp"], ["Region", "East", "60%", null, null, null, null], ["Region", "West", "40%", null, null, null, null], ...rows];

describe("holds checked together: exit 2, both cells named, nothing written", () => {
  const cases: [string, Partial<Record<string, Rows>>, RegExp][] = [
    ["a hold that is not a multiple of Unit", { Holds: holds(["East", "Li", "2027-Q2", null, 1050]) }, /^Holds!E2: the hold 1,?050 is not a whole multiple of the rounding unit 100/],
    ["reps' holds above their held region", { Holds: holds(["East", null, "2027-Q2", null, 100000], ["East", "Li", "2027-Q2", null, 80000], ["East", "Wang", "2027-Q2", null, 80000]) }, /^Holds!E4: holds under East in 2027-Q2 add up to .*Holds!E2/],
    ["a held cell above its held row", { Holds: holds(["East", "Li", null, null, 100000], ["East", "Li", "2027-Q1", null, 150000]) }, /^Holds!E3: holds of East \/ Li in its periods add up to .*Holds!E2/],
    ["the plan's periods held above its total", { Holds: holds([null, null, "2027-Q1", null, 600000], [null, null, "2027-Q2", null, 600000]) }, /^Holds!E3: holds of the plan's periods add up to .*Targets!C2/],
    ["a hold outside the member's dates", { Weights: weights(["Rep", "Li", null, null, "2027-07-01", null, null]), Holds: holds(["East", "Li", "2027-Q1", null, 10000]) }, /^Holds!E2: East \/ Li has no target in 2027-Q1.*Weights!E4/],
  ];
  it.each(cases)("%s", async (_name, over, pattern) => {
    const r = await planBook(englishBook(over));
    expect(r.code).toBe(2);
    expect(r.err.some((line) => pattern.test(line))).toBe(true);
    expect(existsSync(r.outPath)).toBe(false);
    expect(existsSync(r.jsonPath)).toBe(false);
  });
});

describe("holds that fit", () => {
  it("are kept exactly, everything else rebalances, and the totals check is ✓", async () => {
    const r = await planBook(englishBook({ Holds: holds(["East", null, "2027-Q4", null, 200000], ["East", "Li", "2027-Q2", null, 100000], [null, null, "2027-Q1", null, 240000]) }));
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toContain("✓ Totals check");
    type Cell = { path: Record<string, string>; period: string; target: number };
    const plan = JSON.parse(readFileSync(r.jsonPath, "utf8")).plan as Cell[];
    const sum = (cells: Cell[]): number => cells.reduce((a, c) => a + c.target, 0);
    expect(sum(plan.filter((c) => c.path.Region === "East" && c.period === "2027-Q4"))).toBe(200000);
    expect(sum(plan.filter((c) => c.path.Rep === "Li" && c.period === "2027-Q2"))).toBe(100000);
    expect(sum(plan.filter((c) => c.period === "2027-Q1"))).toBe(240000);
    expect(sum(plan)).toBe(1000000);
  });
});
