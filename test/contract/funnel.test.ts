/**
 * The funnel and driver inputs (docs/funnel-and-drivers.md): the channel, product and series
 * columns, the units measure, and the attachment settings, with problems naming the Settings cell.
 */
import { parseWorkbook } from "../../src/contract";
import { readDriverInputs } from "../../src/contract/funnel";
import type { RawCell, RawTable } from "../../src/hosts/host";
import { englishWorkbook, ok, settings, sheet } from "./build";

function read(tables: RawTable[]) {
  return readDriverInputs(ok(parseWorkbook(tables)), tables);
}

function withSettings(entries: [string, RawCell][], history?: RawTable): RawTable[] {
  const [targets, baseHistory] = englishWorkbook();
  return [targets, history ?? baseHistory, settings([["Levels", "Region > Rep"], ["Unit", 100], ...entries])];
}

const PRODUCT_HISTORY = sheet(
  "History",
  ["Date", "Region", "Rep", "Channel", "Product", "Series", "Amount", "Orders", "Visits", "Invitations"],
  [
    ["2026-01", "East", "Li", "Referral", "Hood", "Classic", 120_000, 12, 30, 60],
    ["2026-01", "East", "Wang", "Walk-in", "Purifier", "Premium", 80_000, 8, 20, 40],
    ["2026-02", "West", "Zhao", "Referral", "Hood", "Premium", 100_000, 10, 25, 50],
  ],
);

describe("the funnel and driver inputs", () => {
  it("finds the Channel column and the funnel chain, with History's column letters and headers", () => {
    const { spec, problems } = read(englishWorkbook());
    expect(problems).toEqual([]);
    expect(spec?.funnel).toEqual({ dimension: "Channel", stages: ["Invitations", "Visits", "Orders"] });
    expect(spec?.units).toBe("Orders");
    expect(spec?.columns.letters).toMatchObject({ Channel: "D", Amount: "E", Orders: "F", Visits: "G", Invitations: "H" });
    expect(spec?.columns.labels.Visits).toBe("Visits");
    expect(spec?.product).toBeUndefined();
  });

  it("reads Chinese headers and settings: 渠道, 产品线, 系列, 配套率.净水器 and 配套", () => {
    const tables = [
      sheet("目标", ["期间", "力争目标"], [["2027", 1_000_000]]),
      sheet(
        "历史",
        ["月份", "销售员", "渠道", "产品线", "系列", "销售额", "订单数", "二次进店数", "邀约数"],
        [
          ["2026-01", "王伟", "小区拓展", "油烟机", "经典", 120_000, 12, 30, 60],
          ["2026-01", "李娜", "自然客流", "净水器", "尊贵", 80_000, 8, 20, 40],
        ],
      ),
      settings(
        [
          ["漏斗", "邀约数 > 二次进店数 > 订单数"],
          ["配套率.净水器", "30%"],
          ["配套", "油烟机"],
        ],
        "设置",
        ["键", "值"],
      ),
    ];
    const { spec, problems } = read(tables);
    expect(problems).toEqual([]);
    expect(spec).toMatchObject({ funnel: { dimension: "Channel", stages: ["Invitations", "Visits", "Orders"] }, product: "Product", series: "系列" });
    expect(spec?.attachments).toEqual([
      { product: "油烟机", ref: "设置!B4" },
      { product: "净水器", rate: 0.3, ref: "设置!B3" },
    ]);
    expect(spec?.columns.labels).toMatchObject({ Channel: "渠道", Orders: "订单数", Visits: "二次进店数" });
  });

  it("takes a channel column named in Settings, and a Units column for units per product line", () => {
    const history = sheet(
      "History",
      ["Date", "Region", "Rep", "Source", "Product", "Amount", "Orders", "Units"],
      [
        ["2026-01", "East", "Li", "Fair", "Hood", 120_000, 12, 15],
        ["2026-01", "East", "Wang", "Web", "Hob", 80_000, 8, 9],
      ],
    );
    const { spec, problems } = read(withSettings([["Channel", "Source"]], history));
    expect(problems).toEqual([]);
    expect(spec?.funnel).toEqual({ dimension: "Source", stages: ["Orders"] });
    expect(spec?.units).toBe("Units");
  });

  it("gives no spec when History has neither channels, product lines nor add-ons", () => {
    const history = sheet("History", ["Date", "Region", "Rep", "Amount", "Orders"], [["2026-01", "East", "Li", 100, 1]]);
    expect(read(withSettings([], history))).toEqual({ problems: [] });
  });

  it("reads Attach.<product> rates as percentages, fractions, or History", () => {
    const { spec, problems } = read(
      withSettings([["Attach.Purifier", "30%"], ["Attach: Hood", 0.25], ["attach.Filter", "History"], ["配套率.Hob", ""]], PRODUCT_HISTORY),
    );
    expect(problems).toEqual([]);
    expect(spec?.attachments).toEqual([
      { product: "Purifier", rate: 0.3, ref: "Settings!B4" },
      { product: "Hood", rate: 0.25, ref: "Settings!B5" },
      { product: "Filter", ref: "Settings!B6" },
      { product: "Hob", ref: "Settings!B7" },
    ]);
  });
});

describe("problems name the Settings cell", () => {
  it.each([
    ["above 100%", "130%"],
    ["below 0", "-5%"],
    ["not a number", "lots"],
    ["a whole number meant as a percentage", 30],
  ])("an attachment rate %s", (_what, value) => {
    const { spec, problems } = read(withSettings([["Attach.Purifier", value]], PRODUCT_HISTORY));
    expect(spec).toBeUndefined();
    expect(problems).toEqual([{ ref: "Settings!B4", code: "badAttachRate", args: { product: "Purifier", value: String(value) } }]);
  });

  it("a Channel setting naming a column History does not have", () => {
    const { problems } = read(withSettings([["Channel", "Store"]]));
    expect(problems).toEqual([
      { ref: "Settings!B4", code: "unknownDriverColumn", args: { setting: "Channel", name: "Store", known: "Region, Rep, Channel" } },
    ]);
  });

  it("a Channel setting naming a column of numbers", () => {
    const history = sheet("History", ["Date", "Region", "Rep", "Store", "Amount", "Orders"], [["2026-01", "East", "Li", 7, 100, 1]]);
    const { problems } = read(withSettings([["Channel", "Store"]], history));
    expect(problems.map((p) => `${p.ref} ${p.code}`)).toEqual(["Settings!B4 driverColumnNotNames"]);
  });

  it("a driver setting without an Orders column in History", () => {
    const history = sheet("History", ["Date", "Region", "Rep", "Channel", "Amount"], [["2026-01", "East", "Li", "Web", 100]]);
    const { problems } = read(withSettings([["Attach.Purifier", "20%"]], history));
    expect(problems).toEqual([{ ref: "Settings!B4", code: "driversNeedOrders", args: { setting: "Attach", settingZh: "配套率", orders: "Orders" } }]);
  });

  it("the Funnel setting naming a column History does not have is a problem of the contract itself", () => {
    const [targets, history] = englishWorkbook();
    const result = parseWorkbook([targets, history, settings([["Funnel", "Calls > Visits > Orders"]])]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => `${p.ref} ${p.code} ${p.args?.name}`)).toEqual(["Settings!B2 unknownMeasure Calls"]);
  });
});
