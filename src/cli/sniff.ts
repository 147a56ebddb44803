/**
 * What a file is, by its bytes, before it is opened as a workbook: an .xlsx (an Office Open XML
 * spreadsheet package), or something a user may well give instead — an Excel 97–2003 .xls, a
 * password-protected workbook, an .ods, a CSV or other text, a zip cut short, a zip of other
 * files, a Word document. Magic numbers decide, never the file's extension.
 *
 * - A zip is read from its end: the end-of-central-directory record, then the central directory
 *   it points at, then the few small parts that say what the package is ([Content_Types].xml,
 *   _rels/.rels, and the workbook part's defined names).
 * - An OLE compound file (D0 CF 11 E0 A1 B1 1A E1) is read from its header and its directory:
 *   a Workbook or Book stream is an .xls, EncryptionInfo with EncryptedPackage a password-protected
 *   Office Open XML file.
 * - Anything else is text (CSV, a web page, XML Spreadsheet 2003) or a file of another kind.
 *
 * Pure: it reads only the bytes it is given.
 */
import { inflateRawSync } from "node:zlib";
import { DOMParser, onErrorStopParsing } from "@xmldom/xmldom";

/** Another document kind the input turned out to be, for the message that names it. */
export type DocumentKind =
  | "word"
  | "powerpoint"
  | "visio"
  | "odText"
  | "odPresentation"
  | "odDrawing"
  | "odOther"
  | "iwork"
  | "pdf"
  | "image"
  | "rar"
  | "sevenZip"
  | "gzip"
  | "oleOther";

export interface DefinedName {
  name: string;
  /** The formula the name stands for, as written (e.g. `Sheet1!$A$1:$B$3`). */
  refersTo: string;
  /** Set for a name that belongs to one sheet (its position in the sheet list). */
  localSheetId?: number;
}

export type Sniffed =
  /** An Office Open XML spreadsheet package (.xlsx, .xlsm, .xltx …). */
  | { kind: "workbook"; mainPart: string; definedNames: DefinedName[] }
  | { kind: "empty" }
  /** Excel 97–2003 (or older): an OLE compound file with a Workbook or Book stream. */
  | { kind: "xls"; encrypted: boolean }
  /** An OLE compound file holding EncryptionInfo and EncryptedPackage: a password to open. */
  | { kind: "encrypted" }
  | { kind: "ods" }
  | { kind: "xlsb" }
  | { kind: "csv" }
  | { kind: "text" }
  | { kind: "html" }
  | { kind: "xml2003" }
  /** A zip whose end is missing, or whose central directory points past the end of the file. */
  | { kind: "truncated" }
  /** A zip whose structure ("zip") or one of whose package parts ("part") cannot be read. */
  | { kind: "damaged"; reason: "zip" | "part"; part?: string }
  /** A zip of other files; `inner` names a workbook inside it, when there is one. */
  | { kind: "zip"; inner?: string }
  | { kind: "document"; what: DocumentKind }
  | { kind: "unknown" };

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return { kind: "empty" };
  if (startsWith(bytes, OLE_MAGIC)) return sniffOle(bytes);
  if (bytes.length >= 4 && view(bytes).getUint32(0, true) === LOCAL_HEADER) return sniffZip(bytes);
  // An empty zip, or one with data before its first entry (a self-extracting archive).
  if (findEndOfDirectory(bytes) !== undefined) return sniffZip(bytes);
  return sniffOther(bytes);
}

// ── OLE compound files (.xls, encrypted Office files) ────────────────────────────────

interface OleEntry {
  name: string;
  /** 1 storage, 2 stream, 5 root. */
  type: number;
  start: number;
  size: number;
}

const END_OF_CHAIN = 0xfffffffa; // this and above: free, end of chain, FAT or DIFAT sector markers

function readOleEntry(dv: DataView, at: number): OleEntry | undefined {
  const nameBytes = dv.getUint16(at + 64, true);
  const type = dv.getUint8(at + 66);
  if (nameBytes < 2 || nameBytes > 64 || nameBytes % 2 !== 0 || ![1, 2, 5].includes(type)) return undefined;
  let name = "";
  for (let i = 0; i < nameBytes - 2; i += 2) name += String.fromCharCode(dv.getUint16(at + i, true));
  return { name, type, start: dv.getUint32(at + 116, true), size: dv.getUint32(at + 120, true) };
}

/** The directory entries, following the directory's sector chain through the FAT. */
function oleDirectory(bytes: Uint8Array): { entries: OleEntry[]; sectorSize: number } {
  const dv = view(bytes);
  const shift = bytes.length >= 0x200 ? dv.getUint16(0x1e, true) : 0;
  if (shift !== 9 && shift !== 12) return { entries: scanOleEntries(bytes), sectorSize: 512 };
  const sectorSize = 1 << shift;
  const offsetOf = (sector: number) => (sector + 1) * sectorSize;
  const fatCount = dv.getUint32(0x2c, true);
  const fat: number[] = [];
  for (let i = 0; i < 109 && fat.length < fatCount; i++) fat.push(dv.getUint32(0x4c + 4 * i, true));
  let difat = dv.getUint32(0x44, true);
  for (let guard = 0; fat.length < fatCount && difat < END_OF_CHAIN && guard < 1 << 20; guard++) {
    const at = offsetOf(difat);
    if (at + sectorSize > bytes.length) break;
    for (let i = 0; i < sectorSize / 4 - 1 && fat.length < fatCount; i++) fat.push(dv.getUint32(at + 4 * i, true));
    difat = dv.getUint32(at + sectorSize - 4, true);
  }
  const perSector = sectorSize / 4;
  const next = (sector: number): number => {
    const fatSector = fat[Math.floor(sector / perSector)];
    if (fatSector === undefined || fatSector >= END_OF_CHAIN) return END_OF_CHAIN;
    const at = offsetOf(fatSector) + 4 * (sector % perSector);
    return at + 4 <= bytes.length ? dv.getUint32(at, true) : END_OF_CHAIN;
  };
  const entries: OleEntry[] = [];
  const seen = new Set<number>();
  for (let sector = dv.getUint32(0x30, true); sector < END_OF_CHAIN && !seen.has(sector); sector = next(sector)) {
    seen.add(sector);
    const at = offsetOf(sector);
    if (at + sectorSize > bytes.length) break;
    for (let e = at; e < at + sectorSize; e += 128) {
      const entry = readOleEntry(dv, e);
      if (entry) entries.push(entry);
    }
  }
  return { entries: entries.length > 0 ? entries : scanOleEntries(bytes), sectorSize };
}

/** A damaged FAT: directory entries are 128-byte records, aligned to 128 bytes after the header. */
function scanOleEntries(bytes: Uint8Array): OleEntry[] {
  const dv = view(bytes);
  const entries: OleEntry[] = [];
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    const entry = readOleEntry(dv, at);
    if (entry && /^[\x20-\x7e]+$/.test(entry.name)) entries.push(entry);
  }
  return entries;
}

/**
 * Whether the Workbook stream starts with BOF then FILEPASS (record 0x002F), which is how a
 * BIFF8 workbook says it is encrypted. Streams under the mini-stream cutoff (4,096 bytes) are
 * not looked into: no real workbook is that small.
 */
function biffIsEncrypted(bytes: Uint8Array, entry: OleEntry, sectorSize: number): boolean {
  if (entry.size < 4096 || entry.start >= END_OF_CHAIN) return false;
  const at = (entry.start + 1) * sectorSize;
  if (at + 8 > bytes.length) return false;
  const dv = view(bytes);
  const firstLength = dv.getUint16(at + 2, true);
  const second = at + 4 + firstLength;
  return dv.getUint16(at, true) === 0x0809 && second + 2 <= bytes.length && dv.getUint16(second, true) === 0x002f;
}

function sniffOle(bytes: Uint8Array): Sniffed {
  const { entries, sectorSize } = oleDirectory(bytes);
  const named = (name: string) => entries.find((e) => e.type === 2 && e.name.toLowerCase() === name.toLowerCase());
  if (named("EncryptionInfo") && named("EncryptedPackage")) return { kind: "encrypted" };
  const workbook = named("Workbook") ?? named("Book");
  if (workbook) return { kind: "xls", encrypted: biffIsEncrypted(bytes, workbook, sectorSize) };
  if (named("WordDocument")) return { kind: "document", what: "word" };
  if (named("PowerPoint Document")) return { kind: "document", what: "powerpoint" };
  if (named("VisioDocument")) return { kind: "document", what: "visio" };
  return { kind: "document", what: "oleOther" };
}

// ── zip packages ──────────────────────────────────────────────────────────────────────

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Offset of the end-of-central-directory record: in the last 65,557 bytes (22 + a comment). */
function findEndOfDirectory(bytes: Uint8Array): number | undefined {
  const dv = view(bytes);
  const last = bytes.length - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (dv.getUint32(at, true) === END_OF_DIRECTORY && at + 22 + dv.getUint16(at + 20, true) <= bytes.length) return at;
  }
  return undefined;
}

type Directory = { ok: true; entries: ZipEntry[] } | { ok: false; sniffed: Sniffed };

function readDirectory(bytes: Uint8Array): Directory {
  const dv = view(bytes);
  const end = findEndOfDirectory(bytes);
  if (end === undefined) return { ok: false, sniffed: { kind: "truncated" } };
  let count = dv.getUint16(end + 10, true);
  let size = dv.getUint32(end + 12, true);
  let offset = dv.getUint32(end + 16, true);
  let directoryEnd = end;
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || dv.getUint32(locator, true) !== ZIP64_LOCATOR) return { ok: false, sniffed: { kind: "damaged", reason: "zip" } };
    const record = Number(dv.getBigUint64(locator + 8, true));
    if (record + 56 > bytes.length) return { ok: false, sniffed: { kind: "truncated" } };
    if (dv.getUint32(record, true) !== ZIP64_END) return { ok: false, sniffed: { kind: "damaged", reason: "zip" } };
    count = Number(dv.getBigUint64(record + 32, true));
    size = Number(dv.getBigUint64(record + 40, true));
    offset = Number(dv.getBigUint64(record + 48, true));
    directoryEnd = record;
  }
  if (offset + size > directoryEnd) return { ok: false, sniffed: { kind: "truncated" } };
  // Data before the first entry (a self-extracting stub) shifts every offset by the same amount.
  const shift = directoryEnd - size - offset;
  const entries: ZipEntry[] = [];
  let at = offset + shift;
  const decoder = new TextDecoder("utf-8");
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || dv.getUint32(at, true) !== CENTRAL_HEADER) {
      return { ok: false, sniffed: { kind: "damaged", reason: "zip" } };
    }
    const nameLength = dv.getUint16(at + 28, true);
    const extraLength = dv.getUint16(at + 30, true);
    const commentLength = dv.getUint16(at + 32, true);
    const entry: ZipEntry = {
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: dv.getUint16(at + 10, true),
      compressedSize: dv.getUint32(at + 20, true),
      size: dv.getUint32(at + 24, true),
      localOffset: dv.getUint32(at + 42, true) + shift,
    };
    // Zip64 sizes and offsets sit in the extra field (header ID 1), in this order, when their 32-bit fields are full.
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset - shift === 0xffffffff) {
      let x = at + 46 + nameLength;
      const xEnd = x + extraLength;
      while (x + 4 <= xEnd) {
        const id = dv.getUint16(x, true);
        const len = dv.getUint16(x + 2, true);
        if (id === 1) {
          let p = x + 4;
          if (entry.size === 0xffffffff) {
            entry.size = Number(dv.getBigUint64(p, true));
            p += 8;
          }
          if (entry.compressedSize === 0xffffffff) {
            entry.compressedSize = Number(dv.getBigUint64(p, true));
            p += 8;
          }
          if (entry.localOffset - shift === 0xffffffff) entry.localOffset = Number(dv.getBigUint64(p, true)) + shift;
          break;
        }
        x += 4 + len;
      }
    }
    if (entry.localOffset + 30 + entry.compressedSize > offset + shift) return { ok: false, sniffed: { kind: "truncated" } };
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { ok: true, entries };
}

/** An entry's bytes, uncompressed; undefined when they cannot be read (damaged data, an unknown method). */
function entryBytes(bytes: Uint8Array, entry: ZipEntry): Uint8Array | undefined {
  const dv = view(bytes);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || dv.getUint32(at, true) !== LOCAL_HEADER) return undefined;
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (data.length < entry.compressedSize) return undefined;
  try {
    if (entry.method === 0) return data;
    if (entry.method === 8) return inflateRawSync(data);
  } catch {
    return undefined;
  }
  return undefined;
}

const ODF_MIME: Record<string, Sniffed> = {
  "application/vnd.oasis.opendocument.spreadsheet": { kind: "ods" },
  "application/vnd.oasis.opendocument.spreadsheet-template": { kind: "ods" },
  "application/vnd.oasis.opendocument.text": { kind: "document", what: "odText" },
  "application/vnd.oasis.opendocument.text-template": { kind: "document", what: "odText" },
  "application/vnd.oasis.opendocument.presentation": { kind: "document", what: "odPresentation" },
  "application/vnd.oasis.opendocument.graphics": { kind: "document", what: "odDrawing" },
};

const CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types";
const PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_DOCUMENT = [
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
  "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
];
const SPREADSHEET_NS = ["http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"];

/** Main-part content types of a workbook Target Cascade reads: workbooks, templates, add-ins, with or without macros. */
const WORKBOOK_TYPES = [
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
  "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
  "application/vnd.ms-excel.template.macroEnabled.main+xml",
  "application/vnd.ms-excel.addin.macroEnabled.main+xml",
];

type XmlDocument = ReturnType<DOMParser["parseFromString"]>;

/** A part as XML (UTF-8, or UTF-16 with its byte order mark); undefined when it is not well-formed. */
function parseXml(data: Uint8Array): XmlDocument | undefined {
  const encoding = startsWith(data, [0xff, 0xfe]) ? "utf-16le" : startsWith(data, [0xfe, 0xff]) ? "utf-16be" : "utf-8";
  try {
    return new DOMParser({ onError: onErrorStopParsing }).parseFromString(new TextDecoder(encoding).decode(data), "application/xml");
  } catch {
    return undefined;
  }
}

/** A part name as the package spells it, resolved against `base` ("" for the package root). */
function resolvePart(base: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : base + target).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

function sniffZip(bytes: Uint8Array): Sniffed {
  const directory = readDirectory(bytes);
  if (!directory.ok) return directory.sniffed;
  const { entries } = directory;
  // Part names match case-insensitively (Open Packaging Conventions).
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  const read = (name: string) => {
    const entry = byName.get(name.toLowerCase());
    return entry ? entryBytes(bytes, entry) : undefined;
  };

  // OpenDocument: a `mimetype` entry, stored, first.
  const mimeEntry = byName.get("mimetype");
  if (mimeEntry) {
    const mime = read("mimetype");
    const type = mime ? new TextDecoder("ascii").decode(mime).trim() : "";
    if (type.startsWith("application/vnd.oasis.opendocument.")) return ODF_MIME[type] ?? { kind: "document", what: "odOther" };
  }

  const hasTypes = byName.has("[content_types].xml");
  const hasRels = byName.has("_rels/.rels");
  if (!hasTypes || !hasRels) {
    if (byName.has("index/document.iwa")) return { kind: "document", what: "iwork" };
    const inner = entries.find((e) => /\.xls[xm]$/i.test(e.name) && !e.name.startsWith("__MACOSX/"));
    if (inner) return { kind: "zip", inner: inner.name };
    // A package with one of its two index parts but not the other is a damaged package.
    if (hasTypes || hasRels) return { kind: "damaged", reason: "part", part: hasTypes ? "_rels/.rels" : "[Content_Types].xml" };
    return { kind: "zip" };
  }

  const relsBytes = read("_rels/.rels");
  const typesBytes = read("[Content_Types].xml");
  if (!relsBytes) return { kind: "damaged", reason: "part", part: "_rels/.rels" };
  if (!typesBytes) return { kind: "damaged", reason: "part", part: "[Content_Types].xml" };
  const rels = parseXml(relsBytes);
  if (!rels) return { kind: "damaged", reason: "part", part: "_rels/.rels" };
  // Content types that cannot be parsed leave the main part's folder to tell what the package is.
  const types = parseXml(typesBytes);

  const main = Array.from(rels.getElementsByTagNameNS(PACKAGE_RELS_NS, "Relationship")).find((r) =>
    OFFICE_DOCUMENT.includes(r.getAttribute("Type") ?? ""),
  );
  if (!main) return { kind: "zip" };
  const mainPart = resolvePart("", main.getAttribute("Target") ?? "");
  const mainEntry = byName.get(mainPart.toLowerCase());

  const override = Array.from(types?.getElementsByTagNameNS(CONTENT_TYPES_NS, "Override") ?? []).find(
    (o) => resolvePart("", o.getAttribute("PartName") ?? "").toLowerCase() === mainPart.toLowerCase(),
  );
  const extension = /\.([^./]+)$/.exec(mainPart)?.[1]?.toLowerCase();
  const byExtension = Array.from(types?.getElementsByTagNameNS(CONTENT_TYPES_NS, "Default") ?? []).find(
    (d) => (d.getAttribute("Extension") ?? "").toLowerCase() === extension,
  );
  const contentType = (override ?? byExtension)?.getAttribute("ContentType") ?? "";

  const kindOf = (): "workbook" | "xlsb" | DocumentKind | undefined => {
    if (WORKBOOK_TYPES.includes(contentType)) return "workbook";
    if (contentType === "application/vnd.ms-excel.sheet.binary.macroEnabled.main") return "xlsb";
    if (contentType.startsWith("application/vnd.openxmlformats-officedocument.wordprocessingml.") || contentType.startsWith("application/vnd.ms-word.")) return "word";
    if (contentType.startsWith("application/vnd.openxmlformats-officedocument.presentationml.") || contentType.startsWith("application/vnd.ms-powerpoint.")) return "powerpoint";
    if (contentType.startsWith("application/vnd.ms-visio.")) return "visio";
    // A producer that left the main part's type generic: its folder tells.
    const folder = mainPart.split("/")[0].toLowerCase();
    if (folder === "xl") return mainPart.toLowerCase().endsWith(".bin") ? "xlsb" : "workbook";
    if (folder === "word") return "word";
    if (folder === "ppt") return "powerpoint";
    if (folder === "visio") return "visio";
    return undefined;
  };
  const kind = kindOf();
  if (kind === undefined) return { kind: "zip" };
  if (kind === "xlsb") return { kind: "xlsb" };
  if (kind !== "workbook") return { kind: "document", what: kind };
  const workbookBytes = mainEntry && entryBytes(bytes, mainEntry);
  if (!workbookBytes) return { kind: "damaged", reason: "part", part: mainPart };
  // Whether the workbook part is well-formed is the file layer's to say; here it gives its defined names.
  const workbook = parseXml(workbookBytes);
  const definedNames: DefinedName[] = [];
  for (const ns of SPREADSHEET_NS) {
    for (const el of Array.from(workbook?.getElementsByTagNameNS(ns, "definedName") ?? [])) {
      const local = el.getAttribute("localSheetId");
      definedNames.push({
        name: el.getAttribute("name") ?? "",
        refersTo: el.textContent ?? "",
        ...(local !== null && /^\d+$/.test(local) ? { localSheetId: Number(local) } : {}),
      });
    }
  }
  return { kind: "workbook", mainPart, definedNames };
}

// ── everything else ───────────────────────────────────────────────────────────────────

const OTHER_MAGIC: [readonly number[], DocumentKind][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], "pdf"], // %PDF-
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "image"], // PNG
  [[0xff, 0xd8, 0xff], "image"], // JPEG
  [[0x47, 0x49, 0x46, 0x38], "image"], // GIF8
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], "rar"], // Rar!
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], "sevenZip"],
  [[0x1f, 0x8b], "gzip"],
];

/** The first 8 KB as text, when it is text: UTF-8 (with or without a BOM) or UTF-16 with a BOM. */
function asText(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 8192);
  if (startsWith(head, [0xff, 0xfe])) return new TextDecoder("utf-16le").decode(head.subarray(2));
  if (startsWith(head, [0xfe, 0xff])) return new TextDecoder("utf-16be").decode(head.subarray(2));
  if (head.includes(0)) return undefined;
  const text = new TextDecoder("utf-8").decode(startsWith(head, [0xef, 0xbb, 0xbf]) ? head.subarray(3) : head);
  // Control characters other than tab, line feed, carriage return and form feed mean binary data.
  // (Text in a legacy encoding such as GBK decodes to replacement characters, which are fine.)
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return control > text.length / 100 ? undefined : text;
}

function sniffOther(bytes: Uint8Array): Sniffed {
  for (const [magic, what] of OTHER_MAGIC) if (startsWith(bytes, magic)) return { kind: "document", what };
  const text = asText(bytes);
  if (text === undefined) return { kind: "unknown" };
  const start = text.trimStart().slice(0, 1024).toLowerCase();
  if (start.startsWith("<?xml") && /urn:schemas-microsoft-com:office:spreadsheet|<\?mso-application\s+progid="excel\.sheet"\?>/i.test(text)) {
    return { kind: "xml2003" };
  }
  if (/^(<!doctype\s+html|<html|<table|<head|<body|<meta)/.test(start) || (start.startsWith("<?xml") && start.includes("<html"))) return { kind: "html" };
  const firstLine = text.split(/\r\n|\n|\r/, 1)[0];
  if (/[,;\t]/.test(firstLine)) return { kind: "csv" };
  return { kind: "text" };
}
