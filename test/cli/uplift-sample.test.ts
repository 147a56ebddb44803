/**
 * Uplift (超额分配) through every part of a run, on the English kitchen sample with one more
 * Settings row `Uplift.Rep | 10%`: `plan`, `track`, `replan` and `letters` exit 0 with their check
 * lines ✓; the reps add up to round(team × 1.1) in every tier, the cells and periods within the
 * uplifted subtree add up, the tiers are in order; the funnel, the drivers and the splits work back
 * from the members' quotas; a team's progress is measured against the team's own target; every
 * ✓ cell of the written sheets is ✓.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { main } from "../../src/cli/main";
import { describeWithLibreOffice, readAllCells, recalcXlsxMany } from "../helpers/libreoffice";
import { writeWithSettingsRows } from "../helpers/settings-rows";
import { tempDir } from "./fixtures";

const SAMPLE = join(__dirname, "..", "..", "sample", "kitchen-appliances-2027.xlsx");
const TIERS = ["floor", "target", "stretch"] as const;
type Tier = (typeof TIERS)[number];
type Path = Record<string, string>;
type Node = { path: Path } & Record<Tier, number>;
type Cell = { path: Path; period: string } & Record<Tier, number>;

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { LANG: "en_US.UTF-8" } });
  return { code, out, err };
}

const dir = tempDir("tc-uplift-");
const input = writeWithSettingsRows(SAMPLE, join(dir, "kitchen-uplift.xlsx"), [["Uplift.Rep", "10%"]]);
const LEVELS = ["Region", "Team", "Rep"];
const key = (p: Path, depth = LEVELS.length): string => LEVELS.slice(0, depth).map((l) => p[l] ?? "").join("/");
const depthOf = (p: Path): number => LEVELS.filter((l) => p[l] !== undefined).length;
/** roundToUnit(q × 1.1) at Unit 100, halves up, exactly (the sample's amounts are whole numbers). */
const uplifted = (q: number): bigint => ((BigInt(q) * 11n + 500n) / 1000n) * 100n;
const big = (x: number): bigint => BigInt(Math.round(x * 100)); // amounts to the cent, exactly

/** Every uplift invariant of a plan in RESULT.json's shape; `ended` periods may hold actuals (no Unit). */
function expectUplifted(nodes: Node[], cells: Cell[], periods: ({ period: string } & Record<Tier, number>)[], teamsHeld = true): void {
  const byKey = new Map(nodes.map((n) => [key(n.path), n]));
  for (const t of TIERS) {
    for (const n of nodes) {
      const d = depthOf(n.path);
      if (d === LEVELS.length) continue;
      const kids = nodes.filter((c) => depthOf(c.path) === d + 1 && key(c.path, d) === key(n.path, d));
      const sum = kids.reduce((a, c) => a + big(c[t]), 0n);
      // Teams: their reps add up to round(team × 1.1); above: the members add up to the node.
      if (d === 2) {
        if (teamsHeld) expect([key(n.path), t, sum]).toEqual([key(n.path), t, uplifted(n[t]) * 100n]);
      } else expect([key(n.path), t, sum]).toEqual([key(n.path), t, big(n[t])]);
    }
    // Rows to their rep, columns to their period, the periods to the reps' total.
    const rows = new Map<string, bigint>();
    const columns = new Map<string, bigint>();
    for (const c of cells) {
      rows.set(key(c.path), (rows.get(key(c.path)) ?? 0n) + big(c[t]));
      columns.set(c.period, (columns.get(c.period) ?? 0n) + big(c[t]));
    }
    for (const [k, sum] of rows) expect([k, t, sum]).toEqual([k, t, big(byKey.get(k)![t])]);
    for (const p of periods) expect([p.period, t, columns.get(p.period)]).toEqual([p.period, t, big(p[t])]);
    const reps = nodes.filter((n) => depthOf(n.path) === 3).reduce((a, n) => a + big(n[t]), 0n);
    expect(periods.reduce((a, p) => a + big(p[t]), 0n)).toBe(reps);
  }
  for (const x of [...nodes, ...cells]) expect(x.floor <= x.target && x.target <= x.stretch).toBe(true);
}

/** Every formula cell whose result is a check mark, per sheet: none ✗. */
async function checkMarks(file: string): Promise<Record<string, { ok: number; bad: string[] }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: Record<string, { ok: number; bad: string[] }> = {};
  for (const ws of wb.worksheets) {
    const marks = { ok: 0, bad: [] as string[] };
    ws.eachRow((row) =>
      row.eachCell((c) => {
        if (c.type !== ExcelJS.ValueType.Formula) return;
        const r = (c.value as { result?: unknown }).result;
        if (r === "✓") marks.ok++;
        else if (r === "✗") marks.bad.push(c.address);
      }),
    );
    out[ws.name] = marks;
  }
  return out;
}

describe("the kitchen sample with Uplift.Rep = 10%", () => {
  let plan: { code: number; out: string[]; err: string[]; json: Record<string, unknown>; file: string };
  beforeAll(async () => {
    const file = join(dir, "plan.xlsx");
    const json = join(dir, "plan.json");
    const r = await run(["plan", input, "--out", file, "--json", json]);
    plan = { ...r, file, json: r.code === 0 ? JSON.parse(readFileSync(json, "utf8")) : {} };
  }, 120_000);

  it("plan: exit 0, the check line ✓ with the uplift's line, RESULT.json's uplift", () => {
    expect(plan.err).toEqual([]);
    expect(plan.code).toBe(0);
    const out = plan.out.join("\n");
    expect(out).toContain("✓ Totals check: every level and every period adds up exactly");
    expect(out).toContain("✓ Reps add up to their Team × 1.10 (uplift 10%)");
    expect(plan.json.uplift).toEqual([{ level: "Rep", parent: "Team", uplift: 0.1, ok: true }]);
  });

  it("plan: reps add up to round(team × 1.1), the levels above to their node, rows, columns and periods within the uplifted subtree, tiers in order", () => {
    const nodes = plan.json.nodes as Node[];
    expect(nodes[0]).toMatchObject({ floor: 96_000_000, target: 111_000_000, stretch: 127_000_000 });
    expectUplifted(nodes, plan.json.plan as Cell[], plan.json.periods as never);
  });

  it("plan: the funnel, the drivers and the splits work back from the members' quotas (Σ of the reps), and their ✓ cells are ✓", async () => {
    const nodes = plan.json.nodes as Node[];
    const quotas = nodes.filter((n) => depthOf(n.path) === 3).reduce((a, n) => a + n.target, 0);
    expect(quotas).toBeGreaterThan(111_000_000 * 1.09);
    const funnel = plan.json.funnel as { target: number }[];
    expect(funnel.reduce((a, c) => a + c.target, 0)).toBe(quotas);
    const drivers = plan.json.drivers as { averageOrderValue: { channel?: string; target: number; orders: number }[] };
    const overall = drivers.averageOrderValue.find((r) => r.channel === undefined)!;
    expect(overall.target * overall.orders).toBeCloseTo(quotas, 0);
    type SplitNode = { path: Path; members: ({ periods: Record<Tier, number>[] } & Record<Tier, number>)[] };
    for (const s of plan.json.splits as { nodes: SplitNode[] }[]) {
      for (const n of s.nodes) {
        const own = depthOf(n.path) === 0 ? quotas : nodes.filter((x) => depthOf(x.path) === 3 && x.path.Region === n.path.Region).reduce((a, x) => a + x.target, 0);
        expect(n.members.reduce((a, m) => a + m.target, 0)).toBe(own);
      }
    }
    const marks = await checkMarks(plan.file);
    for (const sheet of ["Weights Review", "Funnel", "Drivers", "Split"]) {
      expect([sheet, marks[sheet].bad]).toEqual([sheet, []]);
      expect(marks[sheet].ok).toBeGreaterThan(0);
    }
    // The Funnel and Drivers sheets say what their Target is.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(plan.file);
    for (const sheet of ["Funnel", "Drivers"]) {
      expect(String(wb.getWorksheet(sheet)!.getCell("A2").value)).toContain("Reps add up to their Team × 1.10 (uplift 10%)");
    }
  });

  it("track: exit 0; a team is measured against its own target, by its members' shape; the periods against the plan's", async () => {
    const file = join(dir, "track.xlsx");
    const json = join(dir, "track.json");
    const r = await run(["track", input, "--out", file, "--json", json]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toContain("✓ Reps add up to their Team × 1.10 (uplift 10%)");
    const result = JSON.parse(readFileSync(json, "utf8"));
    type Row = { path: Path; target: number; targetToDate: number; actual: number; completion: number };
    const rows = result.progress as Row[];
    const nodes = plan.json.nodes as Node[];
    for (const row of rows) {
      const node = nodes.find((n) => key(n.path) === key(row.path))!;
      expect(row.target).toBe(node.target);
      expect(row.completion).toBeCloseTo(row.actual / row.target, 12);
      if (depthOf(row.path) < 3) {
        // Its own target by its reps' shape: to date ÷ target is the reps' to date ÷ their quotas.
        const reps = rows.filter((x) => depthOf(x.path) === 3 && key(x.path, depthOf(row.path)) === key(row.path, depthOf(row.path)));
        const repTargets = reps.reduce((a, x) => a + x.target, 0);
        const repToDate = reps.reduce((a, x) => a + x.targetToDate, 0);
        expect(row.targetToDate / row.target).toBeCloseTo(repToDate / repTargets, 9);
      }
    }
    const marks = await checkMarks(file);
    for (const [sheet, m] of Object.entries(marks)) expect([sheet, m.bad]).toEqual([sheet, []]);
  }, 120_000);

  it("replan: exit 0, both versions ✓; the revision keeps the uplift (reps add up to round(team × 1.1), the team's own target kept), the ended periods hold the actuals", async () => {
    const file = join(dir, "replan.xlsx");
    const json = join(dir, "replan.json");
    const r = await run(["replan", input, "--out", file, "--json", json]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const out = r.out.join("\n");
    expect(out).toContain("✓ Reps add up to their Team × 1.10 (uplift 10%)");
    expect(out).toContain("✓ Both versions add up exactly");
    const result = JSON.parse(readFileSync(json, "utf8"));
    expect(result.uplift).toEqual([{ level: "Rep", parent: "Team", uplift: 0.1, ok: true }]);
    const nodes = result.nodes as Node[];
    expectUplifted(nodes, result.plan as Cell[], result.periods);
    // No team of the sample is past its quotas by April: every team keeps its own target, and the plan its Target.
    const original = plan.json.nodes as Node[];
    for (const n of nodes.filter((x) => depthOf(x.path) < 3)) expect(n.target).toBe(original.find((o) => key(o.path) === key(n.path))!.target);
    // The versions: the original first (the plan as planned), the revision last (the top-level plan).
    const versions = result.versions as { name: string; plan: Cell[] }[];
    expect(versions.map((v) => v.name)).toEqual(["Original", "Revised"]);
    expect(versions[0].plan).toEqual(plan.json.plan);
    expect(versions[1].plan).toEqual(result.plan);
    const marks = await checkMarks(file);
    for (const sheet of ["Plan Versions", "Weights Review", "Split"]) {
      expect([sheet, marks[sheet].bad]).toEqual([sheet, []]);
      expect(marks[sheet].ok).toBeGreaterThan(0);
    }
  }, 120_000);

  it("replan: a Replan level other than the uplifted level's parent is the problem at the Replan cell, nothing written", async () => {
    // The sample's Replan (Settings!B15) is Team; with Uplift.Team the quotas kept are each Region's.
    const withRegion = writeWithSettingsRows(SAMPLE, join(dir, "uplift-team.xlsx"), [["Uplift.Team", "10%"]]);
    const file = join(dir, "bad-out.xlsx");
    const json = join(dir, "bad-out.json");
    const r = await run(["replan", withRegion, "--out", file, "--json", json]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(["Settings!B15: with Uplift on Team, the re-plan shares what is left of each Region's quotas over its members: write Region here, or leave it empty"]);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(json)).toBe(false);
  }, 120_000);

  it("letters: exit 0, one letter per member", async () => {
    const file = join(dir, "letters.xlsx");
    const r = await run(["letters", input, "--out", file]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toContain("24 letters");
  }, 120_000);
});

describeWithLibreOffice("the uplifted kitchen sample's written workbooks, recalculated by LibreOffice", () => {
  it("plan, track and replan: no error value; every check cell ✓ — the Weights Review's among them — none ✗", async () => {
    const files = ["plan", "track", "replan"].map((name) => join(dir, `${name}.xlsx`));
    for (const f of files) expect(existsSync(f)).toBe(true);
    const recalculated = await recalcXlsxMany(files, dir);
    for (const [k, out] of recalculated.entries()) {
      if (out instanceof Error) throw out;
      const cells = await readAllCells(out);
      expect([files[k], cells.filter((c) => c.error !== undefined).map((c) => `${c.sheet}!${c.address}`)]).toEqual([files[k], []]);
      const marks = cells.filter((c) => c.formula !== undefined && (c.value === "✓" || c.value === "✗"));
      expect([files[k], marks.filter((c) => c.value === "✗").map((c) => `${c.sheet}!${c.address} ${c.formula}`)]).toEqual([files[k], []]);
      expect(marks.filter((c) => c.sheet === "Weights Review").length).toBeGreaterThan(10);
    }
  }, 300_000);
});
