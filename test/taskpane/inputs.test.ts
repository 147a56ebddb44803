import type { DetectedTable } from "../../src/hosts/addin";
import { choiceOptions, inputRows, statusMark, withChoice } from "../../src/taskpane/model/inputs";

function detected(name: string, source: "table" | "sheet", rows = 3, sheet = name): DetectedTable {
  return { name, sheet, source, rows, address: `${sheet}!A1:C${rows + 1}` };
}

describe("the Inputs step finds each input like the contract does", () => {
  const tables = [
    detected("目标", "sheet", 1),
    detected("History", "sheet", 120),
    detected("Sales", "table", 80, "Data"),
    detected("设置", "sheet", 4),
    detected("Weights", "sheet", 5),
    detected("Weights", "table", 5, "Finance"),
  ];

  it("by English or Chinese name, a table before a sheet", () => {
    const rows = inputRows(tables, {});
    expect(rows.map((r) => `${r.kind} ${r.status} ${r.table?.source ?? "-"}:${r.table?.sheet ?? "-"}`)).toEqual([
      "targets found sheet:目标",
      "history found sheet:History",
      "weights found table:Finance",
      "stages missingOptional -:-",
      "actuals missingOptional -:-",
      "settings found sheet:设置",
    ]);
  });

  it("or by the user's choice (exactly, else ignoring case and spaces)", () => {
    const rows = inputRows(tables, { history: " sales ", stages: "Campaign" });
    expect(rows[1]).toMatchObject({ status: "chosen", choice: "sales", table: { name: "Sales" } });
    expect(rows[3]).toMatchObject({ status: "chosenMissing", choice: "Campaign" });
  });

  it("flags a missing Targets as the one input that is needed", () => {
    const rows = inputRows([detected("History", "sheet")], {});
    expect(rows[0].status).toBe("missingRequired");
    expect(rows.map((r) => statusMark(r.status)).join("")).toBe("⚠✓––––");
  });

  it("offers each name once, as the table a choice of that name picks", () => {
    expect(choiceOptions(tables).map((t) => `${t.name}:${t.source}`)).toEqual([
      "目标:sheet",
      "History:sheet",
      "Sales:table",
      "设置:sheet",
      "Weights:table",
    ]);
  });

  it("sets and clears a choice", () => {
    const chosen = withChoice({}, "history", "Sales");
    expect(chosen).toEqual({ history: "Sales" });
    expect(withChoice(chosen, "history", "")).toEqual({});
    expect(withChoice(chosen, "history", undefined)).toEqual({});
  });
});
