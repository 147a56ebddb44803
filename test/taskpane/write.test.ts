import type { RawTable } from "../../src/hosts/host";
import { SheetOwnershipError } from "../../src/hosts/xlsx";
import { formatProblem } from "../../src/i18n";
import { paneText } from "../../src/i18n/pane";
import {
  errorMessage,
  isWorkbookChanged,
  progressText,
  progressValue,
  sameInputs,
  sameTables,
  sheetActions,
  sheetsOf,
  writeFailure,
} from "../../src/taskpane/model/write";
import { englishWorkbook } from "../contract/build";

describe("before writing: which sheets are created or replaced", () => {
  it("compares names as Excel does, without case", () => {
    const actions = sheetActions([{ name: "Plan" }, { name: "Plan Matrix" }, { name: "Weights Review" }], ["plan", "History"]);
    expect(actions).toEqual([
      { name: "Plan", action: "replace" },
      { name: "Plan Matrix", action: "create" },
      { name: "Weights Review", action: "create" },
    ]);
  });

  it("knows the sheets from the tables read", () => {
    expect(sheetsOf(englishWorkbook())).toEqual(["Targets", "History", "Settings"]);
  });
});

describe("a write only writes what was previewed", () => {
  it("sees any change to the workbook since the preview", () => {
    const a = englishWorkbook();
    expect(sameTables(a, englishWorkbook())).toBe(true);
    const changed = englishWorkbook();
    changed[1].rows[0][4] = 120_001;
    expect(sameTables(a, changed)).toBe(false);
    expect(sameTables(a, a.slice(1))).toBe(false);
    const moved: RawTable[] = englishWorkbook().map((t, i) => (i === 0 ? { ...t, top: 2 } : t));
    expect(sameTables(a, moved)).toBe(false);
  });

  it("only the plan's inputs count: sheets a write made, or other sheets, do not", () => {
    const before = englishWorkbook();
    const output: RawTable = { name: "Plan", sheet: "Plan", source: "sheet", top: 1, left: 1, headers: ["Region"], rows: [["East"]] };
    expect(sameInputs(before, [...englishWorkbook(), output], {})).toBe(true);
    const edited = englishWorkbook();
    edited[0].rows[0][2] = 1_000_001;
    expect(sameInputs(before, edited, {})).toBe(false);
    // A new table named like an input is an input now.
    const weights: RawTable = { name: "Weights", sheet: "Weights", source: "sheet", top: 1, left: 1, headers: ["Dimension"], rows: [] };
    expect(sameInputs(before, [...englishWorkbook(), weights], {})).toBe(false);
    // The user's choice decides which table is History.
    const sales: RawTable = { ...englishWorkbook()[1], name: "Sales", sheet: "Sales" };
    expect(sameInputs([...before, sales], [...englishWorkbook(), { ...sales, rows: [] }], {})).toBe(true);
    expect(sameInputs([...before, sales], [...englishWorkbook(), { ...sales, rows: [] }], { history: "Sales" })).toBe(false);
  });

  it("compares dates by their time", () => {
    const withDate = (d: Date): RawTable[] => [{ name: "H", sheet: "H", source: "sheet", top: 1, left: 1, headers: ["Date"], rows: [[d]] }];
    expect(sameTables(withDate(new Date(0)), withDate(new Date(0)))).toBe(true);
    expect(sameTables(withDate(new Date(0)), withDate(new Date(1)))).toBe(false);
  });
});

describe("while and after writing", () => {
  it("progress as 0…1", () => {
    expect(progressValue(undefined)).toBe(0);
    expect(progressValue({ done: 1, total: 4 })).toBe(0.25);
    expect(progressValue({ done: 5, total: 4 })).toBe(1);
    expect(progressValue({ done: 0, total: 0 })).toBe(0);
  });

  it("a sheet or table the user owns becomes a problem at the sheet to rename", () => {
    const failure = writeFailure(new SheetOwnershipError([{ sheet: "Plan" }, { sheet: "My Data", table: "Plan_Table" }]));
    expect(failure.kind).toBe("ownership");
    if (failure.kind !== "ownership") return;
    expect(failure.problems.map((p) => formatProblem(p, "en"))).toEqual([
      "Plan!A1: this sheet was not created by Target Cascade, and an output needs its name; rename or move it, then run again",
      "'My Data'!A1: the table \"Plan_Table\" on this sheet was not created by Target Cascade, and an output needs its name; rename it, then run again",
    ]);
  });

  it("recognises the Excel host's error by its name and shape", () => {
    const excelLike = Object.assign(new Error("x"), { name: "SheetOwnershipError", clashes: [{ sheet: "分解明细" }] });
    expect(writeFailure(excelLike)).toEqual({
      kind: "ownership",
      problems: [{ ref: "分解明细!A1", code: "sheetNotOwned", args: undefined }],
    });
  });

  it('says "Written 3 of 7 parts" while a write in several parts goes, in both languages', () => {
    const say = (lang: "en" | "zh", p?: { done: number; total: number }) => {
      const line = progressText(p);
      return paneText(lang, line.key, line.args);
    };
    expect(say("en")).toBe("Checking the workbook before writing…");
    expect(say("en", { done: 3, total: 7 })).toBe("Written 3 of 7 parts…");
    expect(say("zh", { done: 3, total: 7 })).toBe("已写入 3/7 部分…");
    expect(say("en", { done: 0, total: 1 })).toBe("Writing the sheets…");
    expect(say("zh", { done: 0, total: 1 })).toBe("正在写入工作表…");
  });

  it("a write request that failed: nothing run, or what it wrote removed (or not), from the Excel host's error by its name and shape", () => {
    const stopped = (written: boolean, cleaned: boolean, cleanupMessage?: string) =>
      Object.assign(new Error("GeneralException"), { name: "WriteFailedError", written, cleaned, cleanupMessage, sheets: ["Plan"] });
    expect(writeFailure(stopped(false, false))).toEqual({ kind: "stopped", message: "GeneralException", written: false, cleaned: false });
    expect(writeFailure(stopped(true, true))).toEqual({ kind: "stopped", message: "GeneralException", written: true, cleaned: true });
    expect(writeFailure(stopped(true, false, "ItemNotFound"))).toEqual({
      kind: "stopped",
      message: "GeneralException",
      written: true,
      cleaned: false,
      cleanupMessage: "ItemNotFound",
    });
    expect(isWorkbookChanged(Object.assign(new Error("x"), { name: "WorkbookChangedError" }))).toBe(true);
    expect(isWorkbookChanged(new Error("x"))).toBe(false);
  });

  it("anything else keeps its message", () => {
    expect(writeFailure(new Error("RichApi.Error: timeout"))).toEqual({ kind: "other", message: "RichApi.Error: timeout" });
    expect(writeFailure({ name: "SheetOwnershipError", clashes: [] })).toMatchObject({ kind: "other" });
    expect(errorMessage({ message: "from Office" })).toBe("from Office");
    expect(errorMessage("plain")).toBe("plain");
  });
});
