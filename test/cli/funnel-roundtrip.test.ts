/**
 * The Funnel and Drivers sheets recalculated by LibreOffice as a user's spreadsheet would: no
 * formula evaluates to an error, every live count gives the engine's exact count (the float
 * traps included), and the sheets show exactly the `funnel` and `drivers` of RESULT.json.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import { byAddress, describeWithLibreOffice, readAllCells, recalcXlsx, type ReadCell } from "../helpers/libreoffice";
import { tempDir, writeWorkbook } from "./fixtures";
import { trapBook } from "./funnel-fixtures";

interface FunnelJson {
  channel: string;
  target: number;
  orders: number;
  stages: Record<string, number>;
  periods: { period: string; target: number; orders: number; stages: Record<string, number> }[];
}

interface Labels {
  funnel: string;
  drivers: string;
  channel: string;
  target: string;
  period: string;
  /** Header of each stage's column in the channel table (Orders first), and in the period table. */
  needed: Record<string, string>;
  stage: Record<string, string>;
}

const EN: Labels = {
  funnel: "Funnel",
  drivers: "Drivers",
  channel: "Channel",
  target: "Target",
  period: "Period",
  needed: { Orders: "Orders needed", Visits: "Visits needed", Invitations: "Invitations needed" },
  stage: { Orders: "Orders", Visits: "Visits", Invitations: "Invitations" },
};
const ZH: Labels = {
  funnel: "漏斗",
  drivers: "深度数据",
  channel: "渠道",
  target: "力争",
  period: "期间",
  needed: { Orders: "所需订单数", Visits: "所需二次进店数", Invitations: "所需邀约数" },
  stage: { Orders: "订单数", Visits: "二次进店数", Invitations: "邀约数" },
};

const SAMPLE = join(__dirname, "..", "..", "sample");

function sameValue(recalculated: ReadCell["value"], cached: ReadCell["value"]): boolean {
  if (typeof recalculated === "number" && typeof cached === "number") return Math.abs(recalculated - cached) <= 1e-9 * Math.max(1, Math.abs(cached));
  return recalculated === cached;
}

/** The sheet's cells as rows (1-based row → column → cell). */
function grid(cells: ReadCell[], sheet: string): Map<number, Map<number, ReadCell>> {
  const rows = new Map<number, Map<number, ReadCell>>();
  for (const c of cells.filter((x) => x.sheet === sheet)) {
    if (!rows.has(c.row)) rows.set(c.row, new Map());
    rows.get(c.row)!.set(c.col, c);
  }
  return rows;
}

describeWithLibreOffice.each([
  ["the float-trap workbook", async (dir: string) => writeWorkbook(join(dir, "traps.xlsx"), trapBook()), EN],
  ["厨电门店-2027.xlsx", async () => join(SAMPLE, "厨电门店-2027.xlsx"), ZH],
  ["五一活动-2027.xlsx", async () => join(SAMPLE, "五一活动-2027.xlsx"), ZH],
] as const)("the funnel of %s, recalculated by LibreOffice", (_name, input, labels) => {
  let cells: ReadCell[];
  let cached: Map<string, ReadCell>;
  let json: { funnel: FunnelJson[]; drivers: { attachments?: { product: string; units: number }[]; products?: { product: string; units: number; target: number }[] } };

  beforeAll(async () => {
    const dir = tempDir("tc-funnel-lo-");
    const out = join(dir, "out.xlsx");
    const result = join(dir, "result.json");
    const code = await main(["plan", await input(dir), "--out", out, "--json", result, "--quiet"], {
      out: () => undefined,
      err: (l) => process.stderr.write(l + "\n"),
    });
    expect(code).toBe(0);
    json = JSON.parse(readFileSync(result, "utf8"));
    cached = byAddress(await readAllCells(out));
    cells = await readAllCells(await recalcXlsx(out, dir));
  });

  it("has no error value, and every formula of the Funnel and Drivers sheets gives its cached result", () => {
    const ours = cells.filter((c) => c.sheet === labels.funnel || c.sheet === labels.drivers);
    expect(ours.filter((c) => c.error !== undefined).map((c) => `${c.sheet}!${c.address} ${c.formula ?? ""} → ${c.error}`)).toEqual([]);
    const formulas = ours.filter((c) => c.formula !== undefined);
    expect(formulas.length).toBeGreaterThan(20);
    const differ = formulas.filter((c) => !sameValue(c.value, cached.get(`${c.sheet}!${c.address}`)?.value ?? null));
    expect(differ.map((c) => `${c.sheet}!${c.address} ${c.formula}: ${cached.get(`${c.sheet}!${c.address}`)?.value} → ${c.value}`)).toEqual([]);
    expect(cells.filter((c) => c.error !== undefined)).toEqual([]);
  });

  it("shows per channel exactly the target, orders and stages of RESULT.json", () => {
    const rows = grid(cells, labels.funnel);
    const headerRow = [...rows.entries()].find(([, r]) => r.get(1)?.value === labels.channel && String(r.get(2)?.value ?? "").length > 0 && r.size > 8)![0];
    const header = rows.get(headerRow)!;
    const col = (text: string) => [...header.values()].find((c) => c.value === text)!.col;
    json.funnel.forEach((c, k) => {
      const row = rows.get(headerRow + 1 + k)!;
      expect(row.get(1)?.value).toBe(c.channel);
      expect(row.get(col(labels.target))?.value).toBe(c.target);
      expect(row.get(col(labels.needed.Orders))?.value).toBe(c.orders);
      for (const [stage, count] of Object.entries(c.stages)) expect(row.get(col(labels.needed[stage]))?.value).toBe(count);
    });
  });

  it("shows per channel and period exactly the periods of RESULT.json", () => {
    const rows = grid(cells, labels.funnel);
    const headerRow = [...rows.entries()].find(([, r]) => r.get(1)?.value === labels.channel && r.get(2)?.value === labels.period)![0];
    const header = rows.get(headerRow)!;
    const col = (text: string) => [...header.values()].find((c) => c.value === text)!.col;
    let r = headerRow + 1;
    let checked = 0;
    for (const c of json.funnel) {
      for (const p of c.periods) {
        const row = rows.get(r++)!;
        expect([row.get(1)?.value, row.get(2)?.value]).toEqual([c.channel, p.period]);
        expect(row.get(col(labels.target))?.value ?? 0).toBe(p.target);
        expect(row.get(col(labels.stage.Orders))?.value ?? 0).toBe(p.orders);
        for (const [stage, count] of Object.entries(p.stages)) expect(row.get(col(labels.stage[stage]))?.value ?? 0).toBe(count);
        checked++;
      }
      r++; // the channel's subtotal
    }
    expect(checked).toBe(json.funnel.reduce((a, c) => a + c.periods.length, 0));
    // Every check on the sheet is ✓.
    const checks = cells.filter((c) => c.sheet === labels.funnel && (c.value === "✓" || c.value === "✗"));
    expect(checks.length).toBe(json.funnel.length + 2);
    expect(checks.every((c) => c.value === "✓")).toBe(true);
  });

  it("shows on the Drivers sheet the units of RESULT.json", () => {
    const rows = [...grid(cells, labels.drivers).values()];
    for (const a of json.drivers.attachments ?? []) {
      const row = rows.find((r) => r.get(1)?.value === a.product && ["Settings", "History", "设置", "历史"].includes(String(r.get(2)?.value)))!;
      expect(row.get(7)?.value).toBe(a.units);
    }
    for (const p of json.drivers.products ?? []) {
      const row = rows.find((r) => r.get(1)?.value === p.product && r.get(6)?.value === p.target)!;
      expect(row.get(8)?.value).toBe(p.units);
    }
  });
});
