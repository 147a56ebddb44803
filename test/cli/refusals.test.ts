/**
 * Files that are not workbooks, and output paths that cannot be written: `plan` and `track` refuse
 * them before planning (exit 1), with a message that names the file and says what to do, in the
 * user's language; nothing is written and no temporary file is left behind.
 *
 * The inputs are built here: the .xls and the .ods by LibreOffice from a workbook ExcelJS wrote, a
 * CSV, copies of a real .xlsx cut short, zips of other things. The two password-protected files
 * are vendored (test/cli/fixtures/SOURCES.md).
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import JSZip from "jszip";
import { main } from "../../src/cli/main";
import { sniff } from "../../src/cli/sniff";
import { cliLang } from "../../src/cli/refusals";
import { englishBook, tempDir, writeWorkbook } from "./fixtures";

const execFileAsync = promisify(execFile);
const FIXTURES = join(__dirname, "fixtures");
const SOFFICE = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/lib/libreoffice/program/soffice"].find((p) => existsSync(p));
const ENGLISH = { LANG: "en_US.UTF-8" };

interface Run {
  code: number;
  out: string[];
  err: string;
}

async function run(args: string[], env: Record<string, string> = ENGLISH): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out, err: err.join("\n") };
}

/** Converts `input` with headless LibreOffice, in a profile folder of its own; returns the new file's path. */
async function convert(input: string, filter: string, extension: string): Promise<string> {
  if (!SOFFICE) throw new Error("LibreOffice (soffice) is not installed: it builds the .xls and .ods inputs of this test");
  const work = mkdtempSync(join(tmpdir(), "tc-refusal-lo-"));
  const profile = join(work, "profile");
  try {
    await execFileAsync(
      SOFFICE,
      [`-env:UserInstallation=${pathToFileURL(profile).href}`, "--headless", "--norestore", "--nologo", "--convert-to", filter, "--outdir", work, input],
      { timeout: 180_000 },
    );
    const made = join(work, basename(input).replace(/\.[^.]+$/, "") + "." + extension);
    if (!existsSync(made)) throw new Error(`LibreOffice did not convert ${input} to .${extension}`);
    return made;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

async function zipOf(files: Record<string, string | Uint8Array>, options: Omit<JSZip.JSZipGeneratorOptions<"uint8array">, "type"> = {}): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data);
  return zip.generateAsync({ compression: "DEFLATE", ...options, type: "uint8array" });
}

const OFFICE_RELS = (target: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/></Relationships>`;
const CONTENT_TYPES = (part: string, type: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="${part}" ContentType="${type}"/></Types>`;

/** Every input, by name, in one folder built once. */
let inputs: string;
let workbook: Uint8Array;

beforeAll(async () => {
  inputs = tempDir("tc-refusal-inputs-");
  const xlsx = await writeWorkbook(join(inputs, "plan-2027.xlsx"), englishBook());
  workbook = readFileSync(xlsx);
  const [xls, ods] = await Promise.all([convert(xlsx, "xls:MS Excel 97", "xls"), convert(xlsx, "ods", "ods")]);
  copyFileSync(xls, join(inputs, "plan-2027.xls"));
  copyFileSync(ods, join(inputs, "plan-2027.ods"));
  copyFileSync(xls, join(inputs, "目标-2027.xls"));
  // The .xls saved under an .xlsx name: the bytes decide, not the extension.
  copyFileSync(xls, join(inputs, "renamed.xlsx"));
  for (const made of [xls, ods]) rmSync(dirname(made), { recursive: true, force: true });
  copyFileSync(join(FIXTURES, "encrypted-password.xlsx"), join(inputs, "locked.xlsx"));
  copyFileSync(join(FIXTURES, "encrypted-rc4.xls"), join(inputs, "locked.xls"));
  writeFileSync(join(inputs, "history.csv"), "Date,Region,Rep,Amount\r\n2026-01,East,Li,12000\r\n2026-02,East,Li,9000\r\n");
  writeFileSync(join(inputs, "history-csv.xlsx"), "Date,Region,Rep,Amount\n2026-01,East,Li,12000\n");
  writeFileSync(join(inputs, "notes.txt"), "Targets for 2027\nsee the shared folder\n");
  writeFileSync(join(inputs, "export.xls"), '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>Rep</td></tr></table></body></html>');
  writeFileSync(join(inputs, "empty.xlsx"), new Uint8Array(0));
  // A download that stopped half way: the local headers are there, the central directory is not.
  writeFileSync(join(inputs, "cut-short.xlsx"), workbook.subarray(0, Math.floor(workbook.length / 2)));
  // A copy that lost a block in the middle: the end record is there but points past the end.
  writeFileSync(join(inputs, "lost-block.xlsx"), Buffer.concat([workbook.subarray(0, 1000), workbook.subarray(5000)]));
  writeFileSync(join(inputs, "photos.xlsx"), await zipOf({ "notes.txt": "hello", "photo.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }));
  writeFileSync(join(inputs, "plans.zip"), await zipOf({ "plan-2027.xlsx": workbook, "readme.txt": "the plan" }));
  writeFileSync(
    join(inputs, "report.xlsx"),
    await zipOf({
      "[Content_Types].xml": CONTENT_TYPES("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
      "_rels/.rels": OFFICE_RELS("word/document.xml"),
      "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
    }),
  );
  writeFileSync(
    join(inputs, "deck.xlsx"),
    await zipOf({
      "[Content_Types].xml": CONTENT_TYPES("/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
      "_rels/.rels": OFFICE_RELS("ppt/presentation.xml"),
      "ppt/presentation.xml": '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    }),
  );
}, 300_000);

afterAll(() => rmSync(inputs, { recursive: true, force: true }));

/** Runs `command` on a copy of the input in a fresh folder and checks that nothing was written there. */
async function refused(name: string, command: "plan" | "track" = "plan", env: Record<string, string> = ENGLISH): Promise<Run & { input: string }> {
  const dir = tempDir("tc-refusal-");
  const input = join(dir, name);
  copyFileSync(join(inputs, name), input);
  const out = join(dir, "out.xlsx");
  const json = join(dir, "RESULT.json");
  const r = await run([command, input, "--out", out, "--json", json], env);
  expect(r.code).toBe(1);
  expect(r.out).toEqual([]);
  expect(r.err).toContain(input);
  expect(existsSync(out)).toBe(false);
  expect(existsSync(json)).toBe(false);
  expect(readdirSync(dir)).toEqual([name]); // no temporary file either
  expect(r.err).not.toMatch(/jszip|central directory :|is this a zip file/i);
  return { ...r, input };
}

describe("inputs that are not workbooks: exit 1, the file named, what to do, nothing written", () => {
  it("an Excel 97–2003 .xls made by LibreOffice", async () => {
    const r = await refused("plan-2027.xls");
    expect(r.err).toMatch(/is an Excel 97–2003 workbook \(\.xls\).*save it as \.xlsx \(Excel Workbook\) in Excel, WPS or LibreOffice, then run again/);
  });

  it("an .xls saved under an .xlsx name is still an .xls", async () => {
    const r = await refused("renamed.xlsx");
    expect(r.err).toMatch(/renamed\.xlsx is an Excel 97–2003 workbook/);
  });

  it("a password-protected workbook (an encrypted OLE container)", async () => {
    const r = await refused("locked.xlsx", "track");
    expect(r.err).toMatch(/is protected by a password.*remove the password \(in Excel: File › Info › Protect Workbook/);
    expect(r.err).toMatch(/save, then run again/);
  });

  it("a password-protected .xls", async () => {
    const r = await refused("locked.xls");
    expect(r.err).toMatch(/is an Excel 97–2003 workbook \(\.xls\) protected by a password; remove the password .* save it as \.xlsx/);
  });

  it("an OpenDocument spreadsheet (.ods) made by LibreOffice", async () => {
    const r = await refused("plan-2027.ods", "track");
    expect(r.err).toMatch(/is an OpenDocument spreadsheet \(\.ods\); save it as \.xlsx \(Excel Workbook\)/);
  });

  it("a CSV", async () => {
    const r = await refused("history.csv");
    expect(r.err).toMatch(/history\.csv is comma-separated text \(CSV\).*save it as \.xlsx \(Excel Workbook\)/);
  });

  it("a CSV under an .xlsx name", async () => {
    const r = await refused("history-csv.xlsx");
    expect(r.err).toMatch(/is comma-separated text \(CSV\)/);
  });

  it("plain text", async () => {
    const r = await refused("notes.txt");
    expect(r.err).toMatch(/notes\.txt is a text file, not an Excel workbook/);
  });

  it("a web page saved as .xls, as many systems export", async () => {
    const r = await refused("export.xls");
    expect(r.err).toMatch(/export\.xls is a web page \(HTML\).*save it as \.xlsx/);
  });

  it("an empty file", async () => {
    const r = await refused("empty.xlsx");
    expect(r.err).toMatch(/empty\.xlsx is empty \(0 bytes\)/);
  });

  it("a truncated copy of a real .xlsx (no end of central directory)", async () => {
    const r = await refused("cut-short.xlsx");
    expect(r.err).toMatch(/cut-short\.xlsx is cut short.*copy or download it again/);
  });

  it("a damaged copy whose central directory points past the end", async () => {
    const r = await refused("lost-block.xlsx", "track");
    expect(r.err).toMatch(/lost-block\.xlsx is cut short/);
  });

  it("a zip of unrelated files", async () => {
    const r = await refused("photos.xlsx");
    expect(r.err).toMatch(/photos\.xlsx is a zip archive, not an Excel workbook \(it has no \[Content_Types\]\.xml, _rels\/\.rels or workbook part\)/);
  });

  it("a zip that holds a workbook says to unzip it", async () => {
    const r = await refused("plans.zip");
    expect(r.err).toMatch(/plans\.zip is a zip archive that holds the workbook plan-2027\.xlsx; unzip it, then run again on plan-2027\.xlsx/);
  });

  it("a Word document (a .docx under an .xlsx name) is named as one", async () => {
    const r = await refused("report.xlsx");
    expect(r.err).toMatch(/report\.xlsx is a Word document, not an Excel workbook; run again with the workbook \(\.xlsx\)/);
  });

  it("a PowerPoint deck is named as one", async () => {
    const r = await refused("deck.xlsx");
    expect(r.err).toMatch(/deck\.xlsx is a PowerPoint presentation, not an Excel workbook/);
  });

  it("a file that does not exist", async () => {
    const dir = tempDir("tc-refusal-");
    const r = await run(["plan", join(dir, "missing.xlsx"), "--out", join(dir, "out.xlsx")]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toMatch(/cannot find .*missing\.xlsx; check the file's name and folder/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("output paths: checked before the input is read or planned", () => {
  it("an input that is a folder", async () => {
    const dir = tempDir("tc-refusal-");
    mkdirSync(join(dir, "plan.xlsx"));
    const r = await run(["plan", join(dir, "plan.xlsx"), "--out", join(dir, "out.xlsx")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, "plan.xlsx")} is a folder, not a workbook`);
    expect(readdirSync(dir)).toEqual(["plan.xlsx"]);
  });

  it("an output that cannot be written after planning: exit 1, the file named, no half file", async () => {
    const dir = tempDir("tc-refusal-");
    const input = await writeWorkbook(join(dir, "in.xlsx"), englishBook());
    // A folder that exists but takes no new files, even for root.
    const r = await run(["plan", input, "--out", "/proc/self/out.xlsx"]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toMatch(/^target-cascade: cannot write \/proc\/self\/out\.xlsx \(.+\); check that the folder can be written/);
  });

  /** A workbook with a problem (a negative target): planning it would exit 2, so exit 1 shows the path was checked first. */
  async function badWorkbook(dir: string): Promise<string> {
    return writeWorkbook(join(dir, "in.xlsx"), englishBook({ Targets: [["Period", "Target"], ["2027", -5]] }));
  }

  it("--out in a folder that does not exist", async () => {
    const dir = tempDir("tc-refusal-");
    const input = await badWorkbook(dir);
    const out = join(dir, "no-such-folder", "out.xlsx");
    const r = await run(["plan", input, "--out", out, "--json", join(dir, "RESULT.json")]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toContain(`the folder ${join(dir, "no-such-folder")} for --out ${out} does not exist; create it or choose another --out path`);
    expect(readdirSync(dir)).toEqual(["in.xlsx"]);
  });

  it("--json in a folder that does not exist", async () => {
    const dir = tempDir("tc-refusal-");
    const input = await badWorkbook(dir);
    const json = join(dir, "reports", "2027", "RESULT.json");
    const r = await run(["track", input, "--out", join(dir, "out.xlsx"), "--json", json]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`for --json ${json} does not exist`);
    expect(readdirSync(dir)).toEqual(["in.xlsx"]);
  });

  it("--out naming a folder", async () => {
    const dir = tempDir("tc-refusal-");
    const input = await badWorkbook(dir);
    mkdirSync(join(dir, "plans"));
    const r = await run(["plan", input, "--out", join(dir, "plans")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--out ${join(dir, "plans")} is a folder; give --out a file name, such as ${join(dir, "plans", "plan.xlsx")}`);
    expect(readdirSync(join(dir, "plans"))).toEqual([]);
  });

  it("--out and --json naming the same file is a usage error (exit 64)", async () => {
    const dir = tempDir("tc-refusal-");
    const input = await badWorkbook(dir);
    const r = await run(["plan", input, "--out", join(dir, "out.xlsx"), "--json", join(dir, ".", "out.xlsx")]);
    expect(r.code).toBe(64);
    expect(r.err).toContain("--out and --json name the same file");
    expect(readdirSync(dir)).toEqual(["in.xlsx"]);
  });

  it("before the input is sniffed: a missing folder and a CSV give the folder's message", async () => {
    const dir = tempDir("tc-refusal-");
    copyFileSync(join(inputs, "history.csv"), join(dir, "history.csv"));
    const r = await run(["plan", join(dir, "history.csv"), "--out", join(dir, "nowhere", "out.xlsx")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/for --out .* does not exist/);
  });
});

describe("the user's language", () => {
  it("Chinese when the file's name is Chinese", async () => {
    const r = await refused("目标-2027.xls");
    expect(r.err).toMatch(/目标-2027\.xls 是 Excel 97–2003 工作簿（\.xls），目标分解工具无法读取；请在 Excel、WPS 或 LibreOffice 中另存为 \.xlsx（Excel 工作簿）后再运行/);
  });

  it("Chinese when the locale is Chinese", async () => {
    const r = await refused("locked.xlsx", "plan", { LANG: "zh_CN.UTF-8" });
    expect(r.err).toMatch(/locked\.xlsx 设有打开密码，无法读取；请取消密码（Excel：文件 › 信息 › 保护工作簿/);
  });

  it("Chinese for a missing output folder under a Chinese locale", async () => {
    const dir = tempDir("tc-refusal-");
    copyFileSync(join(inputs, "plan-2027.ods"), join(dir, "plan.ods"));
    const out = join(dir, "没有", "out.xlsx");
    const r = await run(["plan", join(dir, "plan.ods"), "--out", out], { LC_MESSAGES: "zh_CN.UTF-8" });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--out ${out} 所在的文件夹 ${join(dir, "没有")} 不存在`);
  });

  it("the locale's variables in POSIX order: LC_ALL, then LC_MESSAGES, then LANG", () => {
    expect(cliLang("plan.xlsx", { LC_ALL: "en_US.UTF-8", LANG: "zh_CN.UTF-8" })).toBe("en");
    expect(cliLang("plan.xlsx", { LC_MESSAGES: "zh_TW.UTF-8", LANG: "en_GB.UTF-8" })).toBe("zh");
    expect(cliLang("plan.xlsx", { LANG: "zh_CN.GB18030" })).toBe("zh");
    expect(cliLang("plan.xlsx", {})).toBe("en");
    expect(cliLang("/data/销售/plan.xlsx", {})).toBe("en"); // the file's own name, not its folder
    expect(cliLang("/data/plans/厨电门店-2027.xlsx", { LANG: "en_US.UTF-8" })).toBe("zh");
  });
});

describe("what the bytes say (the sniff never refuses a workbook)", () => {
  it("real workbooks: ExcelJS, LibreOffice, the samples, zips with data descriptors and stored entries", async () => {
    const samples = join(__dirname, "../../sample");
    for (const f of readdirSync(samples).filter((f) => f.endsWith(".xlsx"))) {
      expect([f, sniff(readFileSync(join(samples, f))).kind]).toEqual([f, "workbook"]);
    }
    expect(sniff(workbook).kind).toBe("workbook");
    const lo = await convert(join(inputs, "plan-2027.ods"), "xlsx:Calc Office Open XML", "xlsx");
    expect(sniff(readFileSync(lo)).kind).toBe("workbook");
    rmSync(dirname(lo), { recursive: true, force: true });
    const parts = await JSZip.loadAsync(workbook);
    const files: Record<string, Uint8Array> = {};
    for (const name of Object.keys(parts.files).reverse()) if (!parts.files[name].dir) files[name] = await parts.files[name].async("uint8array");
    expect(sniff(await zipOf(files, { streamFiles: true })).kind).toBe("workbook");
    expect(sniff(await zipOf(files, { compression: "STORE", comment: "archive comment" })).kind).toBe("workbook");
  });

  it("a macro-enabled workbook is a workbook; a binary one (.xlsb) is not", async () => {
    const macro = await zipOf({
      "[Content_Types].xml": CONTENT_TYPES("/xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
      "_rels/.rels": OFFICE_RELS("xl/workbook.xml"),
      "xl/workbook.xml":
        '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheets/><x:definedNames><x:definedName name="TC_Plan">Sheet1!$A$1</x:definedName></x:definedNames></x:workbook>',
    });
    expect(sniff(macro)).toEqual({ kind: "workbook", mainPart: "xl/workbook.xml", definedNames: [{ name: "TC_Plan", refersTo: "Sheet1!$A$1" }] });
    const binary = await zipOf({
      "[Content_Types].xml": CONTENT_TYPES("/xl/workbook.bin", "application/vnd.ms-excel.sheet.binary.macroEnabled.main"),
      "_rels/.rels": OFFICE_RELS("xl/workbook.bin"),
      "xl/workbook.bin": new Uint8Array([0x83, 0x01, 0x00]),
    });
    expect(sniff(binary).kind).toBe("xlsb");
  });

  it("the vendored encrypted files and the LibreOffice .xls and .ods", () => {
    expect(sniff(readFileSync(join(inputs, "locked.xlsx")))).toEqual({ kind: "encrypted" });
    expect(sniff(readFileSync(join(inputs, "locked.xls")))).toEqual({ kind: "xls", encrypted: true });
    expect(sniff(readFileSync(join(inputs, "plan-2027.xls")))).toEqual({ kind: "xls", encrypted: false });
    expect(sniff(readFileSync(join(inputs, "plan-2027.ods")))).toEqual({ kind: "ods" });
  });

  it("a package whose content types cannot be parsed is told by its main part's folder", async () => {
    const garbled = await zipOf({
      "[Content_Types].xml": "<Types><Default",
      "_rels/.rels": OFFICE_RELS("/xl/workbook.xml"),
      "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
    });
    expect(sniff(garbled)).toEqual({ kind: "workbook", mainPart: "xl/workbook.xml", definedNames: [] });
  });

  it("a workbook part that is missing is damaged, and says which part", async () => {
    const noWorkbook = await zipOf({
      "[Content_Types].xml": CONTENT_TYPES("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
      "_rels/.rels": OFFICE_RELS("xl/workbook.xml"),
    });
    expect(sniff(noWorkbook)).toEqual({ kind: "damaged", reason: "part", part: "xl/workbook.xml" });
    const dir = tempDir("tc-refusal-");
    writeFileSync(join(dir, "broken.xlsx"), noWorkbook);
    const r = await run(["plan", join(dir, "broken.xlsx"), "--out", join(dir, "out.xlsx")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/broken\.xlsx is damaged \(its part xl\/workbook\.xml is missing or cannot be read\); open it in Excel, WPS or LibreOffice, save it again/);
    expect(readdirSync(dir)).toEqual(["broken.xlsx"]);
  });
});
