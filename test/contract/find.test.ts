import { parseWorkbook } from "../../src/contract";
import { cellRef, columnLetters, sheetInRef } from "../../src/contract/refs";
import { englishWorkbook, ok, refsAndCodes, sheet, table } from "./build";
import { factRows } from "../../src/engine/facts";

describe("cell references", () => {
  it("spells columns the Excel way", () => {
    expect([1, 2, 26, 27, 52, 53, 702, 703, 16384].map(columnLetters)).toEqual(["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]);
  });

  it("quotes sheet names that need it", () => {
    expect(sheetInRef("History")).toBe("History");
    expect(sheetInRef("历史")).toBe("历史");
    expect(sheetInRef("Sales_2026")).toBe("Sales_2026");
    expect(sheetInRef("My Sheet")).toBe("'My Sheet'");
    expect(sheetInRef("2026")).toBe("'2026'");
    expect(sheetInRef("A1")).toBe("'A1'");
    expect(sheetInRef("R1C1")).toBe("'R1C1'");
    expect(sheetInRef("Q&A")).toBe("'Q&A'");
    expect(sheetInRef("Bob's")).toBe("'Bob''s'");
    expect(cellRef("My Sheet", 7, 4)).toBe("'My Sheet'!D7");
  });
});

describe("finding the inputs", () => {
  const targets = (name: string) => sheet(name, ["Period", "Target"], [["2027", 1000]]);

  it.each(["Targets", "targets", " TARGETS ", "目标", "Tar gets", "tar_gets"])("finds Targets named %j", (name) => {
    const wb = ok(parseWorkbook([targets(name)]));
    expect(wb.sources.targets?.name).toBe(name);
  });

  it.each([
    ["history", ["History", "历史", "历史数据"]],
    ["weights", ["Weights", "权重"]],
    ["stages", ["Stages", "阶段"]],
    ["actuals", ["Actuals", "实际", "实际业绩"]],
    ["settings", ["Settings", "设置"]],
    ["holidays", ["Holidays", "节假日"]],
  ] as const)("knows every name of %s", (kind, names) => {
    const headers: Record<string, string[]> = {
      history: ["Date", "Amount"],
      weights: ["Dimension", "Member", "Weight"],
      stages: ["Stage", "Start", "End"],
      actuals: ["Date", "Amount"],
      settings: ["Key", "Value"],
      holidays: ["Date"],
    };
    for (const name of names) {
      const wb = ok(parseWorkbook([targets("Targets"), sheet(name, headers[kind])]));
      expect(wb.sources[kind]?.name).toBe(name);
    }
  });

  it("takes only exact names: Sales_History is not History", () => {
    const wb = ok(parseWorkbook([targets("Targets"), sheet("Sales_History", ["Date", "Amount"], [["2026-01", 5]])]));
    expect(wb.sources.history).toBeUndefined();
    expect(factRows(wb.input.history)).toEqual([]);
  });

  it("prefers a table to a sheet of the same name, wherever it is", () => {
    const wb = ok(
      parseWorkbook([
        sheet("Targets", ["Period", "Target"], [["2027", 1]]),
        table("Targets", "Plan inputs", ["Period", "Target"], [["2027", 2]], { top: 3, left: 2 }),
      ]),
    );
    expect(wb.sources.targets).toEqual({
      kind: "targets",
      name: "Targets",
      sheet: "Plan inputs",
      source: "table",
      ref: "'Plan inputs'!B3",
      rows: 1,
    });
    expect(wb.input.tiers.target).toBe(2);
  });

  it("uses the table or sheet the user chose", () => {
    const wb = ok(
      parseWorkbook([targets("Targets"), table("Plan2027", "Sheet1", ["Period", "Target"], [["2027", 5]])], {
        choices: { targets: "Plan2027" },
      }),
    );
    expect(wb.sources.targets?.name).toBe("Plan2027");
    expect(wb.input.tiers.target).toBe(5);
  });

  it("says when a chosen table is not there", () => {
    const result = parseWorkbook([targets("Targets")], { choices: { history: "Old data" } });
    expect(refsAndCodes(result)).toEqual(["'Old data'!A1 chosenInputNotFound"]);
  });

  it("reports every source with its first cell and row count", () => {
    const wb = ok(parseWorkbook(englishWorkbook()));
    expect(wb.sources.history).toEqual({ kind: "history", name: "History", sheet: "History", source: "sheet", ref: "History!A1", rows: 3 });
    expect(Object.keys(wb.sources).sort()).toEqual(["history", "settings", "targets"]);
  });
});

describe("the workbook's language", () => {
  it("is English when names and headers are", () => {
    expect(ok(parseWorkbook(englishWorkbook())).lang).toBe("en");
  });

  it("is Chinese when a found input has a Chinese name", () => {
    const wb = ok(parseWorkbook([sheet("目标", ["Period", "Target"], [["2027", 1]])]));
    expect(wb.lang).toBe("zh");
  });

  it("is Chinese when a found input has a Chinese header", () => {
    const wb = ok(parseWorkbook([sheet("Targets", ["期间", "Target"], [["2027", 1]])]));
    expect(wb.lang).toBe("zh");
  });

  it("ignores sheets that are not inputs", () => {
    const wb = ok(parseWorkbook([sheet("Targets", ["Period", "Target"], [["2027", 1]]), sheet("说明", ["备注"])]));
    expect(wb.lang).toBe("en");
  });
});
