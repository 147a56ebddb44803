/**
 * The stand-in Excel JS API itself (in Node): it must fail where Office.js fails, or the browser
 * tests would prove nothing. Proxies, load-before-read, queued commands, request and response
 * limits, Excel's reading of typed strings, and settings that survive a save.
 */
/* eslint-disable office-addins/load-object-before-read, office-addins/call-sync-before-read, office-addins/call-sync-after-load -- these tests read before load() and sync() on purpose, to see the stand-in refuse */
import { installStandIn, type Installed } from "./stand-in/install";
import { serialOf, typedInput } from "./stand-in/values";
import { bookBytes, englishBook } from "./fixtures";

let installed: Installed | undefined;
afterEach(() => {
  installed?.uninstall();
  installed = undefined;
});

async function start(options: Parameters<typeof installStandIn>[1] = {}): Promise<Installed> {
  installed = await installStandIn(await bookBytes(englishBook()), options);
  return installed;
}

describe("stand-in: proxies and batches", () => {
  it("throws PropertyNotLoaded for a property read before load() and sync()", async () => {
    await start();
    await Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Targets").getRange("A1:B2");
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      range.load("values");
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      await context.sync();
      expect(range.values).toEqual([
        ["Period", "Floor"],
        ["2027", 900000],
      ]);
      expect(() => range.address).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
  });

  it("knows isNullObject only after a sync", async () => {
    await start();
    await Excel.run(async (context) => {
      const missing = context.workbook.worksheets.getItemOrNullObject("Nope");
      const there = context.workbook.worksheets.getItemOrNullObject("Targets");
      expect(() => missing.isNullObject).toThrow();
      await context.sync();
      expect(missing.isNullObject).toBe(true);
      expect(there.isNullObject).toBe(false);
    });
  });

  it("runs queued commands at sync(), in order, and counts each sync", async () => {
    const i = await start();
    await Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Targets");
      sheet.getRange("F1").values = [[42]];
      expect(i.standIn.model.sheetNamed("Targets")?.get(1, 6)).toBeUndefined();
      const read = sheet.getRange("F1").load("values");
      await context.sync();
      expect(read.values).toEqual([[42]]);
    });
    expect(i.standIn.syncCount).toBe(1);
  });

  it("stops a batch at the failing command, keeping the ones before it", async () => {
    const i = await start();
    await expect(
      Excel.run(async (context) => {
        const sheet = context.workbook.worksheets.getItem("Targets");
        sheet.getRange("F1").values = [[1]];
        context.workbook.worksheets.getItem("No such sheet").getRange("A1").values = [[2]];
        sheet.getRange("F2").values = [[3]];
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "ItemNotFound" });
    expect(i.standIn.model.sheetNamed("Targets")?.get(1, 6)).toBe(1);
    expect(i.standIn.model.sheetNamed("Targets")?.get(2, 6)).toBeUndefined();
  });

  it("refuses a proxy used after its Excel.run has ended", async () => {
    await start();
    let leaked: Excel.Range | undefined;
    await Excel.run(async (context) => {
      leaked = context.workbook.worksheets.getItem("Targets").getRange("A1");
      await context.sync();
    });
    expect(() => {
      (leaked as Excel.Range).values = [[1]];
    }).toThrow(expect.objectContaining({ code: "InvalidObjectPath" }));
  });

  it("wants a 2-D array of the range's size for values, and takes one number format for a whole range", async () => {
    const i = await start();
    await expect(
      Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Targets").getRange("F1:G2").values = [[1, 2]];
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
    await Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Targets").getRange("B2:D2").numberFormat = [["#,##0"]];
      await context.sync();
    });
    expect(i.standIn.model.sheetNamed("Targets")?.numberFormats).toEqual([{ block: { top: 2, left: 2, bottom: 2, right: 4 }, format: "#,##0" }]);
  });
});

describe("stand-in: Excel on the web's 5 MB limits", () => {
  it("refuses a request over the limit and runs none of it", async () => {
    const i = await start({ limitBytes: 10_000 });
    const big = Array.from({ length: 1000 }, (_, r) => [`row ${r} with some text`]);
    await expect(
      Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Targets").getRange("H1:H1000").values = big;
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
    expect(i.standIn.model.sheetNamed("Targets")?.get(1, 8)).toBeUndefined();
    expect(i.standIn.syncs[0].requestBytes).toBeGreaterThan(10_000);
  });

  it("refuses a response over the limit", async () => {
    const i = await start({ limitBytes: 800 });
    await expect(
      Excel.run(async (context) => {
        context.workbook.worksheets.getItem("History data").getUsedRange(true).load("values");
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "ResponsePayloadSizeLimitExceeded" });
    expect(i.standIn.syncs[0].responseBytes).toBeGreaterThan(800);
  });

  it("refuses reading more than five million cells", async () => {
    await start();
    await expect(
      Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Targets").getRange().load("values");
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "RangeExceedsLimit" });
  });
});

describe("stand-in: strings are read like typing", () => {
  it.each([
    ["=1+1", { f: "1+1" }],
    ["'=1+1", "=1+1"],
    ["+SUM(1,2)", { f: "+SUM(1,2)" }],
    ["@x", { f: "@x" }],
    ["-3", -3],
    ["'-3", "-3"],
    ["1,200", 1200],
    ["12%", 0.12],
    ["TRUE", true],
    ["2027-01", serialOf(2027, 1, 1)],
    ["2027-05-04", serialOf(2027, 5, 4)],
    ["'2027-01", "2027-01"],
    ["East", "East"],
    ["", null],
  ])("%s", (typed, value) => {
    expect(typedInput(typed).value).toEqual(value);
  });

  it("through Range.formulas as through Range.values", async () => {
    const i = await start();
    await Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Targets").getRange("F1:I1").formulas = [["=1+1", "'=1+1", "2027-01", "'2027-01"]];
      await context.sync();
    });
    const sheet = i.standIn.model.sheetNamed("Targets");
    expect([6, 7, 8, 9].map((c) => sheet?.get(1, c))).toEqual([{ f: "1+1" }, "=1+1", serialOf(2027, 1, 1), "2027-01"]);
  });
});

describe("stand-in: workbook rules and records", () => {
  it("follows Excel's rules for sheets and tables", async () => {
    await start();
    const attempt = (fn: (context: Excel.RequestContext) => void) =>
      Excel.run(async (context) => {
        fn(context);
        await context.sync();
      });
    await expect(attempt((c) => c.workbook.worksheets.add("History"))).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(attempt((c) => c.workbook.worksheets.add("targets"))).rejects.toMatchObject({ code: "ItemAlreadyExists" });
    await expect(attempt((c) => c.workbook.worksheets.add("a/b"))).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(
      attempt((c) => {
        const ws = c.workbook.worksheets.getItem("Targets");
        ws.tables.add(ws.getRange("A1:B2"), true);
        ws.tables.add(ws.getRange("B2:C3"), true);
      }),
    ).rejects.toMatchObject({ code: "InvalidOperation" });
    await expect(
      attempt((c) => {
        for (const name of ["Targets", "History data", "Settings", "Weights"]) c.workbook.worksheets.getItem(name).visibility = "Hidden";
      }),
    ).rejects.toMatchObject({ code: "InvalidOperation" });
  });

  it("records each conditional format with its range and settings", async () => {
    const i = await start();
    await Excel.run(async (context) => {
      const cf = context.workbook.worksheets.getItem("History data").getRange("D2:D49").conditionalFormats.add("DataBar");
      cf.dataBar.positiveFormat.fillColor = "#63BE7B";
      cf.dataBar.lowerBoundRule = { type: "LowestValue" };
      await context.sync();
    });
    expect(i.standIn.conditionalFormats()).toEqual([
      {
        sheet: "History data",
        range: "D2:D49",
        type: "DataBar",
        settings: { "dataBar.positiveFormat.fillColor": "#63BE7B", "dataBar.lowerBoundRule": { type: "LowestValue" } },
      },
    ]);
  });

  it("keeps settings through Excel.run calls and through saving and reopening the file", async () => {
    const i = await start();
    await Excel.run(async (context) => {
      context.workbook.settings.add("TargetCascade.setup", JSON.stringify({ a: 1 }));
      await context.sync();
    });
    const read = () =>
      Excel.run(async (context) => {
        const s = context.workbook.settings.getItemOrNullObject("TargetCascade.setup").load("value");
        await context.sync();
        return s.isNullObject ? undefined : s.value;
      });
    expect(await read()).toBe('{"a":1}');
    const bytes = await i.exportXlsx();
    i.uninstall();
    installed = await installStandIn(bytes);
    expect(await read()).toBe('{"a":1}');
  });

  it("reports Office.onReady, the display language and the requirement sets it was given", async () => {
    await start({ displayLanguage: "zh-CN", excelApi: "1.6" });
    const info = await Office.onReady();
    expect(info.host).toBe(Office.HostType.Excel);
    expect(Office.context.displayLanguage).toBe("zh-CN");
    expect(Office.context.requirements.isSetSupported("ExcelApi", "1.6")).toBe(true);
    expect(Office.context.requirements.isSetSupported("ExcelApi", "1.7")).toBe(false);
  });
});

describe("stand-in: as strict as Excel", () => {
  const bigSheet = { name: "Sales export", rows: 600_000, cols: 9 };

  it("past five million cells a read throws RangeExceedsLimit, or (cellLimit: null) gives null values", async () => {
    await start({ extraSheets: [bigSheet] });
    await expect(
      Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Sales export").getUsedRange(true).load("values");
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "RangeExceedsLimit" });
    installed?.uninstall();
    await start({ extraSheets: [bigSheet], cellLimit: "null" });
    await Excel.run(async (context) => {
      const used = context.workbook.worksheets.getItem("Sales export").getUsedRange(true).load("address,values,rowCount");
      const head = used.getRow(0).load("values");
      await context.sync();
      expect(used.values).toBeNull();
      expect(used.address).toBe("'Sales export'!A1:I600001");
      expect(head.values[0]).toEqual(["Column1", "Column2", "Column3", "Column4", "Column5", "Column6", "Column7", "Column8", "Column9"]);
    });
  });

  it("refuses an oversized request or response as GeneralException in one mode", async () => {
    await start({ limitBytes: 800, oversize: "general" });
    await expect(
      Excel.run(async (context) => {
        context.workbook.worksheets.getItem("History data").getUsedRange(true).load("values");
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "GeneralException" });
    await expect(
      Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Targets").getRange("H1:H100").values = Array.from({ length: 100 }, () => ["some text to send"]);
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "GeneralException" });
  });

  it("gives a sheet added in the session a new id when the saved file is opened again (or every id, in the random mode)", async () => {
    const i = await start();
    await Excel.run(async (context) => {
      context.workbook.worksheets.add("Added");
      await context.sync();
    });
    const before = new Map(i.standIn.model.sheets.map((s) => [s.name, s.id]));
    expect(before.get("Added")).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
    const bytes = await i.exportXlsx();
    i.uninstall();
    const again = await installStandIn(bytes);
    installed = again;
    const after = new Map(again.standIn.model.sheets.map((s) => [s.name, s.id]));
    expect(after.get("Added")).not.toBe(before.get("Added"));
    expect(after.get("Added")).toMatch(/^\{00000000-00[0-9A-F]{2}-0000-0000-000000000000\}$/);
    expect(after.get("Targets")).toBe(before.get("Targets"));
    again.uninstall();
    installed = await installStandIn(bytes, { ids: "random" });
    expect(installed.standIn.model.sheetNamed("Targets")?.id).not.toBe(before.get("Targets"));
  });

  it("refuses to delete a very hidden sheet, and deletes it once it is only hidden", async () => {
    const i = await start();
    const hide = (v: string) =>
      Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Weights").visibility = v as Excel.SheetVisibility;
        await context.sync();
      });
    const remove = () =>
      Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Weights").delete();
        await context.sync();
      });
    await hide("VeryHidden");
    await expect(remove()).rejects.toMatchObject({ code: "InvalidOperation" });
    expect(i.standIn.model.sheetNamed("Weights")).toBeDefined();
    await hide("Hidden");
    await remove();
    expect(i.standIn.model.sheetNamed("Weights")).toBeUndefined();
  });

  it("renames duplicate and empty table headers as Excel does, when the table is added and when a header is typed", async () => {
    const i = await start();
    await Excel.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Targets");
      ws.getRange("H1:L2").values = [
        ["Actual", "actual", "", "Actual", "Actual2"],
        [1, 2, 3, 4, 5],
      ];
      ws.tables.add(ws.getRange("H1:L2"), true);
      await context.sync();
    });
    const sheet = i.standIn.model.sheetNamed("Targets");
    const header = () => [8, 9, 10, 11, 12].map((c) => sheet?.get(1, c));
    expect(header()).toEqual(["Actual", "actual2", "Column3", "Actual3", "Actual22"]);
    await Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Targets").getRange("J1").values = [["Actual"]];
      await context.sync();
    });
    expect(header()[2]).toBe("Actual4");
  });

  it("tells a co-author's handlers of a change as Remote, and the client's own as Local", async () => {
    const i = await start({ excelApi: "1.7" });
    const coAuthor = i.coAuthor();
    const seen: { who: string; source: string; type: string }[] = [];
    await Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Targets").onChanged.add(async (e) => {
        seen.push({ who: "me", source: e.source, type: e.type });
      });
      await context.sync();
    });
    await coAuthor.run(async (context) => {
      context.workbook.worksheets.getItem("Targets").onChanged.add(async (e: unknown) => {
        const { source, type } = e as { source: string; type: string };
        seen.push({ who: "co-author", source, type });
      });
      await context.sync();
    });
    // The co-author's add-in writes a cell; then this client's user types one.
    await coAuthor.run(async (context) => {
      context.workbook.worksheets.getItem("Targets").getRange("H1").values = [["x"]];
      await context.sync();
    });
    await new Promise((r) => setTimeout(r, 10));
    i.standIn.typeCell("Targets", "H2", "y");
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([
      { who: "me", source: "Remote", type: "WorksheetChanged" },
      { who: "co-author", source: "Local", type: "WorksheetChanged" },
      { who: "me", source: "Local", type: "WorksheetChanged" },
      { who: "co-author", source: "Remote", type: "WorksheetChanged" },
    ]);
  });

  it("never fires a handler on a deleted table again, not even for a new table of its name; tables.onDeleted tells", async () => {
    const i = await start({ excelApi: "1.7" });
    await Excel.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Targets");
      ws.tables.add(ws.getRange("A1:B2"), true).name = "Actuals";
      await context.sync();
    });
    const changed: string[] = [];
    const deleted: string[] = [];
    await Excel.run(async (context) => {
      context.workbook.tables.getItem("Actuals").onChanged.add(async (e) => {
        changed.push(e.address);
      });
      context.workbook.tables.onDeleted.add(async (e) => {
        deleted.push(`${e.tableName} ${e.source}`);
      });
      await context.sync();
    });
    i.standIn.appendRow("Actuals", ["2027", 1]);
    await new Promise((r) => setTimeout(r, 10));
    expect(changed).toEqual(["Targets!A3:B3"]);
    i.coAuthor().deleteTable("Actuals");
    i.standIn.addTable("Targets", "A1:B3", "Actuals");
    i.standIn.appendRow("Actuals", ["2028", 2]);
    await new Promise((r) => setTimeout(r, 10));
    expect(changed).toEqual(["Targets!A3:B3"]);
    expect(deleted).toEqual(["Actuals Remote"]);
  });
});
