/**
 * A sheet whose XML is longer than the longest string JavaScript holds (about 512 MB: more rows
 * than Excel's 1,048,576, or very wide) cannot be read. `plan` says so (exit 1) naming the file
 * and the part, and writes nothing — rather than failing inside the decoder with a stack trace.
 */
import { constants } from "node:buffer";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import JSZip from "jszip";
import { main } from "../../src/cli/main";
import { zip, type ZipEntry } from "../../src/hosts/xlsx/ooxml/zip";
import { englishBook, tempDir, writeWorkbook } from "./fixtures";

it("a sheet of more than 512 MB of XML: exit 1, the file and the part named, nothing written", async () => {
  const dir = tempDir();
  const small = join(dir, "small.xlsx");
  await writeWorkbook(small, englishBook());
  const source = await JSZip.loadAsync(await import("node:fs").then((fs) => fs.readFileSync(small)));
  // History: the sheet with the most XML.
  const sheets = Object.keys(source.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
  const sizes = await Promise.all(sheets.map(async (n) => (await source.files[n].async("uint8array")).length));
  const history = sheets[sizes.indexOf(Math.max(...sizes))];
  const entries: ZipEntry[] = [];
  for (const name of Object.keys(source.files)) {
    const file = source.files[name];
    if (file.dir) continue;
    if (name !== history) {
      entries.push({ name, data: [await file.async("uint8array")] });
      continue;
    }
    // The sheet's own XML with blanks inside sheetData: one byte past the limit.
    const xml = await file.async("string");
    const cut = xml.indexOf("</sheetData>");
    const head = Buffer.from(xml.slice(0, cut));
    const tail = Buffer.from(xml.slice(cut));
    const huge = Buffer.alloc(constants.MAX_STRING_LENGTH + 1, 0x20);
    head.copy(huge, 0);
    tail.copy(huge, huge.length - tail.length);
    entries.push({ name, stored: { method: 8, crc: crc32(huge) >>> 0, size: huge.length, data: deflateRawSync(huge, { level: 1 }) } });
  }
  const input = join(dir, "huge.xlsx");
  writeFileSync(input, await zip(entries));
  const out = join(dir, "out.xlsx");
  const err: string[] = [];
  const code = await main(["plan", input, "--out", out], { out: () => undefined, err: (l) => err.push(l), env: { LANG: "en_US.UTF-8" } });
  expect(code).toBe(1);
  expect(err.join("\n")).toContain(`huge.xlsx cannot be read: its part ${history} holds 537 MB of XML`);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(dir).sort()).toEqual(["huge.xlsx", "small.xlsx"]);
}, 120_000);
