/**
 * Actuals as a till export gives them (CONTRACT §2 and docs/tracking-decisions.md): the most
 * specific level is enough, the funnel's columns and the deep data's are read with History's
 * aliases; the Forecast and PreviousAsOf settings; and readProcessInputs, which finds what process
 * tracking can measure.
 */
import { parseWorkbook } from "../../src/contract";
import { readDriverInputs } from "../../src/contract/funnel";
import { readProcessInputs } from "../../src/contract/process";
import { computeDrivers, computePlan } from "../../src/engine";
import type { RawTable } from "../../src/hosts/host";
import { day, ok, problems, settings, sheet } from "./build";

const targets = sheet("Targets", ["Period", "Target"], [["2027", 1_000]]);
const history = sheet(
  "History",
  ["Date", "Region", "Rep", "Channel", "Product", "Amount", "Orders", "Visits", "Invitations"],
  [
    ["2026-01", "E", "Li", "Walk-in", "Hood", 600, 6, 12, 30],
    ["2026-01", "E", "Li", "Walk-in", "Purifier", 100, 2, 4, 10],
    ["2026-01", "W", "Wang", "Referral", "Hood", 300, 3, 5, 8],
  ],
);
const levels = settings([
  ["Levels", "Region > Rep"],
  ["Funnel", "Invitations > Visits > Orders"],
  ["Attach", "Purifier"],
]);

describe("Actuals", () => {
  it("may name only the most specific level", () => {
    const wb = ok(parseWorkbook([targets, history, levels, sheet("Actuals", ["日期", "销售员", "业绩"], [["2027-01-02", "Li", 50]])]));
    expect(wb.actuals).toEqual([{ dims: { Rep: "Li" }, start: day("2027-01-02"), end: day("2027-01-02"), measures: { Amount: 50 }, ref: "Actuals!A2" }]);
  });

  it("still need the most specific level and the metric", () => {
    expect(problems(parseWorkbook([targets, history, levels, sheet("Actuals", ["Date", "Region", "Orders"], [["2027-01-01", "E", 1]])]))).toEqual([
      { ref: "Actuals!A1", code: "missingColumn", args: { table: "Actuals", tableZh: "实际", column: "Rep", columnZh: "销售员" } },
      { ref: "Actuals!A1", code: "missingColumn", args: { table: "Actuals", tableZh: "实际", column: "Amount", columnZh: "销售额" } },
    ]);
  });

  it("carry the channel, the funnel's stages and the product line by History's aliases", () => {
    const wb = ok(
      parseWorkbook([
        targets,
        history,
        levels,
        sheet("Actuals", ["日期", "销售员", "渠道", "产品线", "销售额", "邀约数", "二次进店数", "订单数"], [["2027-01-02", "Li", "Walk-in", "Purifier", 50, 9, 4, 2]]),
      ]),
    );
    expect(wb.actuals![0]).toMatchObject({ dims: { Rep: "Li", Channel: "Walk-in", Product: "Purifier" }, measures: { Amount: 50, Invitations: 9, Visits: 4, Orders: 2 } });
  });

  it("name a bad stage count's cell", () => {
    expect(problems(parseWorkbook([targets, history, levels, sheet("Actuals", ["Date", "Rep", "Amount", "Visits"], [["2027-01-02", "Li", 50, "lots"]])]))).toEqual([
      { ref: "Actuals!D2", code: "notANumber", args: { column: "Visits", value: "lots" } },
    ]);
  });
});

describe("the Forecast and PreviousAsOf settings", () => {
  const wb = (entries: [string, string][]) => parseWorkbook([targets, history, settings([["Levels", "Region > Rep"], ...entries])]);

  it("read their words and dates in either language", () => {
    expect(ok(wb([["预测依据", "按季节"]])).settings.forecast).toBe("Seasonal");
    expect(ok(wb([["Forecast", "run rate"]])).settings.forecast).toBe("RunRate");
    expect(ok(wb([["上期统计日期", "2027-04-28"]])).settings.previousAsOf).toBe(day("2027-04-28"));
    expect(ok(wb([["PreviousAsOf", "2027-04"]])).settings.previousAsOf).toBe(day("2027-04-30"));
  });

  it("name the Value cell when they cannot be read", () => {
    expect(problems(wb([["Forecast", "gut feeling"]]))).toEqual([{ ref: "Settings!B3", code: "badForecast", args: { value: "gut feeling" } }]);
    expect(problems(wb([["PreviousAsOf", "last week"]]))).toEqual([{ ref: "Settings!B3", code: "badPreviousAsOf", args: { value: "last week" } }]);
  });
});

describe("readProcessInputs", () => {
  const inputs = (actuals: RawTable) => {
    const tables = [targets, history, levels, actuals];
    const wb = ok(parseWorkbook(tables));
    const plan = computePlan(wb.input);
    const driverInputs = readDriverInputs(wb, tables);
    const drivers = computeDrivers(wb.input, plan, driverInputs.spec!);
    return readProcessInputs(wb, tables, drivers);
  };

  it("tracks the funnel's stages the Actuals count, by channel when they name it", () => {
    const spec = inputs(sheet("Actuals", ["Date", "Rep", "Channel", "Amount", "Visits", "Orders"], [["2027-01-02", "Li", "Walk-in", 50, 4, 2]]))!;
    expect(spec.stages).toEqual(["Visits", "Orders"]);
    expect(spec.byChannel).toBe(true);
    expect(spec.columns.letters).toMatchObject({ Channel: "C", Visits: "E", Orders: "F" });
    expect(spec.deep?.spec).toMatchObject({ orders: true, units: "Orders" });
  });

  it("counts an add-on by a column of its own when the Actuals have no product line", () => {
    const spec = inputs(sheet("Actuals", ["Date", "Rep", "Amount", "Orders", "Purifier"], [["2027-01-02", "Li", 50, 2, 1]]))!;
    expect(spec.byChannel).toBe(false);
    expect(spec.deep?.spec.addOnColumns).toEqual({ Purifier: "Purifier" });
  });

  it("has nothing to track when the Actuals count no stage of the funnel", () => {
    expect(inputs(sheet("Actuals", ["Date", "Rep", "Amount"], [["2027-01-02", "Li", 50]]))).toBeUndefined();
  });
});
