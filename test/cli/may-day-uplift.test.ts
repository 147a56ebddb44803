/**
 * The May Day campaign samples (五一活动-2027.xlsx, may-day-campaign-2027.xlsx) over-assign the
 * reps' quotas by 10% (`超额分配.销售员 = 10%` / `Uplift.Rep = 10%`): `track` exits 0 with the
 * uplift's check line; in every tier each team's reps add up to round(team × 1.1) at Unit 100
 * exactly, while the teams keep their own targets and add up to the Targets row; the funnel works
 * back from the quotas; a team's progress is measured against its own target.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import { tempDir } from "./fixtures";

const SAMPLE = join(__dirname, "..", "..", "sample");
const TIERS = ["floor", "target", "stretch"] as const;
type Tier = (typeof TIERS)[number];
type Path = Record<string, string>;
type Node = { path: Path } & Record<Tier, number>;
type Cell = { path: Path; period: string } & Record<Tier, number>;

/** roundToUnit(q × 1.1) at Unit 100, halves up, exactly (q a multiple of the Unit). */
const uplifted = (q: number): bigint => ((BigInt(q) * 11n + 500n) / 1000n) * 100n;
const total = (xs: readonly Record<Tier, number>[], t: Tier): bigint => xs.reduce((a, x) => a + BigInt(x[t]), 0n);

describe.each([
  ["五一活动-2027.xlsx", "✓ 各销售员合计为所属团队的 1.10 倍（超额分配 10%）"],
  ["may-day-campaign-2027.xlsx", "✓ Reps add up to their Team × 1.10 (uplift 10%)"],
] as const)("the May Day sample %s with its uplift", (file, checkLine) => {
  // RESULT.json names the levels in English in either language.
  const teamLevel = "Team";
  const repLevel = "Rep";
  let out: string[];
  let result: { nodes: Node[]; plan: Cell[]; periods: ({ period: string } & Record<Tier, number>)[]; uplift: unknown; funnel: { target: number }[]; progress: { path: Path; target: number }[] };
  beforeAll(async () => {
    const dir = tempDir("tc-may-day-");
    const json = join(dir, "result.json");
    const lines: string[] = [];
    const err: string[] = [];
    const code = await main(["track", join(SAMPLE, file), "--out", join(dir, "out.xlsx"), "--json", json], {
      out: (l) => lines.push(l),
      err: (l) => err.push(l),
      env: { LANG: "en_US.UTF-8" },
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    out = lines;
    result = JSON.parse(readFileSync(json, "utf8"));
  }, 120_000);

  const teams = () => result.nodes.filter((n) => n.path[teamLevel] !== undefined && n.path[repLevel] === undefined);
  const repsOf = (team: Node) => result.nodes.filter((n) => n.path[repLevel] !== undefined && n.path[teamLevel] === team.path[teamLevel]);

  it("prints the totals check ✓ with the uplift's line, and RESULT.json's uplift", () => {
    expect(out.join("\n")).toContain(checkLine);
    expect(result.uplift).toEqual([{ level: "Rep", parent: "Team", uplift: 0.1, ok: true }]);
  });

  it("keeps the campaign's and the teams' own targets: the teams add up to the Targets row", () => {
    expect(result.nodes[0]).toMatchObject({ floor: 2_600_000, target: 3_000_000, stretch: 3_500_000 });
    expect(teams().length).toBe(2);
    for (const t of TIERS) expect(total(teams(), t)).toBe(BigInt(result.nodes[0][t]));
    // The teams' targets are the campaign's shares, as without the uplift.
    expect(teams().map((n) => n.target)).toEqual([1_490_200, 1_509_800]);
  });

  it("over-assigns each team's reps: they add up to round(team × 1.1) in every tier, exactly", () => {
    for (const team of teams()) {
      expect(repsOf(team).length).toBe(4);
      for (const t of TIERS) expect([team.path[teamLevel], t, total(repsOf(team), t)]).toEqual([team.path[teamLevel], t, uplifted(team[t])]);
    }
    expect(teams().map((team) => Number(total(repsOf(team), "target")))).toEqual([1_639_200, 1_660_800]);
    const reps = result.nodes.filter((n) => n.path[repLevel] !== undefined);
    expect(TIERS.map((t) => Number(total(reps, t)))).toEqual([2_860_100, 3_300_000, 3_850_000]);
  });

  it("spreads the quotas over the stages: rows add up to their rep, the stages to the quotas' total, tiers in order", () => {
    for (const t of TIERS) {
      for (const rep of result.nodes.filter((n) => n.path[repLevel] !== undefined)) {
        const row = result.plan.filter((c) => c.path[repLevel] === rep.path[repLevel] && c.path[teamLevel] === rep.path[teamLevel]);
        expect(row.length).toBe(3);
        expect(total(row, t)).toBe(BigInt(rep[t]));
      }
      for (const p of result.periods) expect(total(result.plan.filter((c) => c.period === p.period), t)).toBe(BigInt(p[t]));
      expect(total(result.periods, t)).toBe(total(result.nodes.filter((n) => n.path[repLevel] !== undefined), t));
    }
    for (const x of [...result.nodes, ...result.plan]) expect(x.floor <= x.target && x.target <= x.stretch).toBe(true);
  });

  it("works the funnel back from the quotas, and measures a team against its own target", () => {
    expect(result.funnel.reduce((a, c) => a + c.target, 0)).toBe(3_300_000);
    for (const team of teams()) {
      const row = result.progress.find((r) => r.path[teamLevel] === team.path[teamLevel] && r.path[repLevel] === undefined)!;
      expect(row.target).toBe(team.target);
    }
  });
});
