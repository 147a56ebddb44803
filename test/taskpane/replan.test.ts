/**
 * The Track step's Re-plan (方法调整) in Node: the preview the pane shows before it writes (where
 * it cuts, the Target before and after, who is asked for more, the sheets it replaces), from the
 * same pipeline as `target-cascade replan`, and its words in both languages.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { dayFromYmd } from "../../src/engine/dates";
import { prepareReplan } from "../../src/hosts/replan";
import { XlsxHost } from "../../src/hosts/xlsx";
import { PANE_STRINGS } from "../../src/i18n/pane";
import { replanPreview } from "../../src/taskpane/model/replan";
import { replanFromTables } from "../../src/taskpane/pipeline";

const SAMPLE = join(__dirname, "../../sample/厨电门店-2027.xlsx");

it("speaks the method's words: 重新分解, 调整计划, 计划版本", () => {
  const zh = PANE_STRINGS.zh;
  expect([zh.replan, zh.replanWrite]).toEqual(["重新分解", "写入调整计划"]);
  expect(zh.replanIntro).toContain("计划版本");
  expect(zh.replanPreview).toContain("力争");
  expect([PANE_STRINGS.en.replan, PANE_STRINGS.en.replanWrite]).toEqual(["Re-plan", "Write re-plan"]);
});

describe("the Re-plan preview on 厨电门店-2027.xlsx", () => {
  it("cuts at the last month ended by AsOf, and replaces the plan's sheets and 计划版本, as the command line does", async () => {
    const bytes = new Uint8Array(readFileSync(SAMPLE));
    const tables = await (await XlsxHost.fromBytes(bytes)).readTables();
    const asOf = { day: dayFromYmd(2027, 5, 5), ref: "AsOf" };
    const pane = await replanFromTables(tables, { asOf, today: asOf.day });
    const cli = await prepareReplan(await XlsxHost.fromBytes(bytes), { asOf, today: asOf.day });
    if (!pane.ok || !cli.ok) throw new Error("the sample has problems");
    expect(pane.sheets).toEqual(cli.sheets);
    const preview = replanPreview(pane.replan, pane.sheets);
    expect(preview).toMatchObject({ asOf: "2027-05-05", through: "2027-04-30", ended: 4, periods: 12, before: "111,000,000" });
    expect(preview.ahead + preview.asked).toBe(24);
    expect(preview.sheets.slice(0, 4)).toEqual(["分解明细", "分解矩阵", "权重审核", "计划版本"]);
  });
});
