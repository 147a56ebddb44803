import { parseWorkbook } from "../../src/contract";
import type { RawCell } from "../../src/hosts/host";
import { day, ok, problems, refsAndCodes, settings, sheet } from "./build";
import { factRows } from "../../src/engine/facts";

const targets = sheet("Targets", ["Period", "Target"], [["2027", 1_000]]);

describe("History and Actuals", () => {
  it("classifies other columns by most of their filled cells", () => {
    const rows: RawCell[][] = [
      ["2026-01", "Li", "A", "12", 1, null],
      ["2026-01", "Li", "B", "n/a", 2, "x"],
      ["2026-01", "Li", 3, "7%", "3", null],
    ];
    const withoutScore = rows.map((r) => [r[0], r[1], r[2], r[4], r[5]]);
    const { input } = ok(parseWorkbook([targets, sheet("History", ["Date", "Rep", "Segment", "Amount", "Tag"], withoutScore)]));
    expect(factRows(input.history).map((f) => f.measures)).toEqual([{ Amount: 1 }, { Amount: 2 }, { Amount: 3 }]);
    expect(factRows(input.history).map((f) => f.dims)).toEqual([
      { Rep: "Li", Segment: "A" },
      { Rep: "Li", Segment: "B", Tag: "x" },
      { Rep: "Li", Segment: "3" },
    ]);
    expect(
      problems(
        parseWorkbook([
          targets,
          sheet(
            "History",
            ["Date", "Rep", "Score", "Amount"],
            rows.map((r) => [r[0], r[1], r[3], r[4]]),
          ),
        ]),
      ),
    ).toEqual([{ ref: "History!C3", code: "notANumber", args: { column: "Score", value: "n/a" } }]);
  });

  it("counts empty measure cells as 0 and trims members", () => {
    const { input } = ok(
      parseWorkbook([targets, sheet("History", ["Date", "Rep", "Amount", "Orders"], [["2026-01", "  Li ", null, "  "]])]),
    );
    expect(factRows(input.history)[0]).toMatchObject({ dims: { Rep: "Li" }, measures: { Amount: 0, Orders: 0 } });
  });

  it("leaves an empty dimension out, but not an empty level", () => {
    const rows: RawCell[][] = [
      ["2026-01", "Li", null, 1],
      ["2026-01", null, "Web", 1],
    ];
    const result = parseWorkbook([targets, sheet("History", ["Date", "Rep", "Channel", "Amount"], rows)]);
    expect(refsAndCodes(result)).toEqual(["History!B3 missingValue"]);
  });

  it("skips empty rows between facts", () => {
    const rows: RawCell[][] = [
      ["2026-01", "Li", 1],
      [null, "  ", null],
      ["2026-02", "Li", 2],
    ];
    const { input } = ok(parseWorkbook([targets, sheet("History", ["Date", "Rep", "Amount"], rows)]));
    expect(factRows(input.history).map((f) => f.ref)).toEqual(["History!A2", "History!A4"]);
  });

  it("reads a History table that does not start at A1", () => {
    const { input } = ok(
      parseWorkbook([
        targets,
        {
          name: "历史",
          sheet: "Data 2026",
          source: "table",
          top: 5,
          left: 3,
          headers: ["日期", "姓名", "业绩"],
          rows: [["2026-01-31", "李雷", "￥1,200"]],
        },
      ]),
    );
    expect(factRows(input.history)).toEqual([
      { dims: { Rep: "李雷" }, start: day("2026-01-31"), end: day("2026-01-31"), measures: { Amount: 1200 }, ref: "'Data 2026'!C6" },
    ]);
  });

  it("a custom metric is a measure of History", () => {
    const { input } = ok(
      parseWorkbook([
        sheet("Targets", ["Period", "指标", "Target"], [["2027", "毛利", 1]]),
        sheet("History", ["Date", "Rep", "毛利"], [["2026-01", "Li", "5"]]),
      ]),
    );
    expect(input.metric).toBe("毛利");
    expect(factRows(input.history)[0].measures).toEqual({ 毛利: 5 });
  });

  it("a known metric by its alias", () => {
    const { input } = ok(
      parseWorkbook([
        sheet("Targets", ["Period", "Metric", "Target"], [["2027", "成交数", 1]]),
        sheet("History", ["Date", "Rep", "Orders"], [["2026-01", "Li", 5]]),
      ]),
    );
    expect(input.metric).toBe("Orders");
  });

  it("Actuals need the levels and the metric", () => {
    const result = parseWorkbook([
      targets,
      sheet("History", ["Date", "Region", "Rep", "Amount"], [["2026-01", "E", "Li", 1]]),
      settings([["Levels", "Region > Rep"]]),
      sheet("Actuals", ["Date", "Region", "Orders"], [["2027-01-01", "E", 1]]),
    ]);
    expect(problems(result)).toEqual([
      { ref: "Actuals!A1", code: "missingColumn", args: { table: "Actuals", tableZh: "实际", column: "Rep", columnZh: "销售员" } },
      { ref: "Actuals!A1", code: "missingColumn", args: { table: "Actuals", tableZh: "实际", column: "Amount", columnZh: "销售额" } },
    ]);
  });

  it("repeated columns are named at the second header", () => {
    const result = parseWorkbook([targets, sheet("History", ["Date", "Rep", "Amount", "金额"], [["2026-01", "Li", 1, 2]])]);
    expect(problems(result)).toEqual([{ ref: "History!D1", code: "duplicateColumn", args: { column: "金额", first: "Amount" } }]);
  });

  it("reads 180,000 rows well under a second", () => {
    const reps = Array.from({ length: 500 }, (_, i) => `Rep ${i}`);
    const rows: RawCell[][] = [];
    for (let i = 0; i < 180_000; i++) {
      const serial = 45658 + (i % 730);
      rows.push([
        serial,
        `Region ${i % 7}`,
        `Team ${i % 40}`,
        reps[i % 500],
        i % 3 === 0 ? "Referral" : "Walk-in",
        (i * 37) % 10_000,
        i % 5,
        i % 11,
      ]);
    }
    const history = sheet("History", ["Date", "Region", "Team", "Rep", "Channel", "Amount", "Orders", "Visits"], rows);
    const tables = [targets, history, settings([["Levels", "Region > Team > Rep"]])];
    // Its speed is measured by `npm run bench`; here, that every row is read.
    const wb = ok(parseWorkbook(tables));
    expect(wb.input.history).toHaveLength(180_000);
  });
});

describe("Weights", () => {
  const history = sheet("History", ["Date", "Region", "Team", "Rep", "Amount"], [["2026-01", "E", "T1", "Li", 1]]);
  const levels = settings([["Levels", "Region > Team > Rep"]]);

  it("takes parents only from levels above the member's own", () => {
    const weights = sheet(
      "Weights",
      ["Dimension", "Member", "Region", "Team", "Rep", "Weight"],
      [["Team", "T1", "E", "ignored", "ignored too", 1]],
    );
    const { input } = ok(parseWorkbook([targets, history, levels, weights]));
    expect(input.weights).toEqual([
      { level: "Team", member: "T1", parents: { Region: "E" }, weight: 1, refs: { member: "Weights!B2", weight: "Weights!F2" } },
    ]);
  });

  it("writes numeric members as text", () => {
    const weights = sheet("Weights", ["Dimension", "Member", "Weight"], [["Team", 7, 1]]);
    expect(ok(parseWorkbook([targets, history, levels, weights])).input.weights[0].member).toBe("7");
  });

  it("a Lock alone, and a weight of zero, are fine", () => {
    const weights = sheet(
      "Weights",
      ["Dimension", "Member", "Weight", "Lock"],
      [
        ["Rep", "Li", null, "5万"],
        ["Rep", "Wang", 0, null],
      ],
    );
    const { input } = ok(parseWorkbook([targets, history, levels, weights]));
    expect(input.weights.map((w) => [w.member, w.weight, w.lock])).toEqual([
      ["Li", undefined, 50_000],
      ["Wang", 0, undefined],
    ]);
  });

  it("needs Member and a Weight or Lock column", () => {
    const result = parseWorkbook([targets, history, levels, sheet("Weights", ["Dimension", "Share"], [["Rep", 1]])]);
    expect(problems(result).map((p) => [p.ref, p.code, p.args?.column])).toEqual([
      ["Weights!A1", "missingColumn", "Member"],
      ["Weights!A1", "missingColumn", "Weight"],
    ]);
  });

  it("needs a Dimension column when there are several levels", () => {
    const result = parseWorkbook([targets, history, levels, sheet("Weights", ["Member", "Weight"], [["Li", 1]])]);
    expect(refsAndCodes(result)).toEqual(["Weights!A1 missingColumn"]);
  });

  it("a negative or textual Lock", () => {
    const weights = sheet(
      "Weights",
      ["Dimension", "Member", "Lock"],
      [
        ["Rep", "Li", -5],
        ["Rep", "Wang", "some"],
      ],
    );
    expect(refsAndCodes(parseWorkbook([targets, history, levels, weights]))).toEqual([
      "Weights!C2 negativeNumber",
      "Weights!C3 notANumber",
    ]);
  });
});

describe("Stages", () => {
  const stagesOf = (rows: RawCell[][]) => sheet("Stages", ["Stage", "Start", "End", "Weight"], rows);

  it("overlapping stages name the later one", () => {
    const result = parseWorkbook([
      targets,
      stagesOf([
        ["B", "2027-05-04", "2027-05-07"],
        ["A", "2027-05-01", "2027-05-04"],
        ["C", "2027-05-08", "2027-05-09"],
      ]),
    ]);
    expect(problems(result)).toEqual([{ ref: "Stages!B2", code: "stagesOverlap", args: { stage: "B", other: "A" } }]);
  });

  it("stages must lie inside the plan", () => {
    const result = parseWorkbook([targets, stagesOf([["Late", "2027-12-30", "2028-01-02"]])]);
    expect(problems(result)).toEqual([
      { ref: "Stages!B2", code: "stageOutsidePlan", args: { stage: "Late", from: "2027-01-01", to: "2027-12-31" } },
    ]);
  });

  it("a stage needs a name and both dates; its Weight is a number", () => {
    const result = parseWorkbook([
      targets,
      stagesOf([
        [null, "2027-05-01", "2027-05-02"],
        ["X", null, "2027-05-02", "heavy"],
      ]),
    ]);
    expect(refsAndCodes(result)).toEqual(["Stages!A2 missingValue", "Stages!B3 missingValue", "Stages!D3 notANumber"]);
  });

  it("a month as Start and End covers the months", () => {
    const { input } = ok(parseWorkbook([targets, stagesOf([["Spring", "2027-03", "2027-05"]])]));
    expect(input.stages[0]).toMatchObject({ start: day("2027-03-01"), end: day("2027-05-31") });
  });

  it("Holidays: a month is every day of it", () => {
    const { input } = ok(
      parseWorkbook([
        targets,
        sheet(
          "Holidays",
          ["日期", "名称"],
          [
            ["2027-02", "Closed"],
            ["2027-02-03", "again"],
          ],
        ),
      ]),
    );
    expect(input.holidays).toHaveLength(28);
    expect(input.holidays[0]).toBe(day("2027-02-01"));
  });
});
