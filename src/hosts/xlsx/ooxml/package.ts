/**
 * An .xlsx as an Open Packaging Conventions zip: parts, their relationships and content types.
 * The host reads and writes parts through this, so every part it does not rewrite — the user's
 * sheets, charts, pivot tables, images, macros — goes back into the file byte for byte.
 *
 * Structural parts (relationships, content types, the workbook, styles, docProps) are held as
 * namespace-aware DOMs (./xml.ts), parsed once and serialised when the package is generated, so
 * an edit changes only what it means to change.
 */
import { crc32, inflateRawSync } from "node:zlib";
import { constants } from "node:buffer";
import yauzl from "yauzl";
import { attr, children, createIn, newDocument, NS, parseXml, removeNode, root, serializeXml, STRICT_MAIN_NS, type Document } from "./xml";
import { zipChunks, type StoredPart, type ZipEntry } from "./zip";

/** A zip entry as stored: its compressed bytes (a view into the file), method, CRC and size. */
interface Stored {
  name: string;
  method: number;
  crc: number;
  size: number;
  compressed: Buffer;
}

/** The entries of a zip, read with yauzl; the data stays compressed until a part is read. */
async function readZip(data: Uint8Array): Promise<Stored[]> {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    throw new PackageError(/end of central directory|signature/i.test(message) ? "notZip" : "damaged", message);
  }
  const out: Stored[] = [];
  try {
    for await (const entry of zipfile.eachEntry()) {
      if (entry.fileName.endsWith("/")) continue;
      if (entry.isEncrypted()) throw new PackageError("damaged", `${entry.fileName} is encrypted`);
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw new PackageError("damaged", `${entry.fileName} uses compression method ${entry.compressionMethod}`);
      const { fileDataStart } = await zipfile.readLocalFileHeaderPromise(entry, { minimal: true });
      if (fileDataStart + entry.compressedSize > buffer.length) throw new PackageError("damaged", `${entry.fileName} runs past the end of the file`);
      out.push({
        name: entry.fileName,
        method: entry.compressionMethod,
        crc: entry.crc32 >>> 0,
        size: entry.uncompressedSize,
        compressed: buffer.subarray(fileDataStart, fileDataStart + entry.compressedSize),
      });
    }
  } catch (e) {
    if (e instanceof PackageError) throw e;
    throw new PackageError("damaged", (e as Error).message ?? String(e));
  } finally {
    zipfile.close();
  }
  return out;
}

/** An entry's bytes, inflated natively and checked against its CRC. */
function inflate(entry: Stored): Buffer {
  let data: Buffer;
  try {
    data = entry.method === 0 ? entry.compressed : inflateRawSync(entry.compressed);
  } catch (e) {
    throw new PackageError("damaged", `${entry.name} cannot be decompressed (${(e as Error).message})`);
  }
  if (data.length !== entry.size || crc32(data) >>> 0 !== entry.crc) throw new PackageError("damaged", `${entry.name} is damaged (its checksum does not match)`);
  return data;
}

export interface Relationship {
  id: string;
  type: string;
  /** Package path of the target (no leading slash), or the raw target when external. */
  target: string;
  external: boolean;
}

export interface SheetEntry {
  name: string;
  sheetId: number;
  /** Relationship id in the workbook's rels. */
  rId: string;
  /** Package path of the sheet's part, e.g. `xl/worksheets/sheet1.xml` ("" when the relationship is missing). */
  path: string;
  /** `hidden` or `veryHidden` when not visible. */
  state?: string;
  /** A worksheet, or another kind of sheet (chart sheet, dialog sheet, macro sheet) holding no cells. */
  kind: "worksheet" | "other";
}

const REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

export const REL = {
  officeDocument: `${REL_BASE}/officeDocument`,
  worksheet: `${REL_BASE}/worksheet`,
  sharedStrings: `${REL_BASE}/sharedStrings`,
  styles: `${REL_BASE}/styles`,
  table: `${REL_BASE}/table`,
  calcChain: `${REL_BASE}/calcChain`,
  drawing: `${REL_BASE}/drawing`,
  chart: `${REL_BASE}/chart`,
  extendedProperties: `${REL_BASE}/extended-properties`,
} as const;

/** The main document relationship of an ISO 29500 Strict package. */
const STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument";

export const CONTENT_TYPE = {
  worksheet: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
  table: "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml",
  styles: "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
  drawing: "application/vnd.openxmlformats-officedocument.drawing+xml",
  chart: "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
  relationships: "application/vnd.openxmlformats-package.relationships+xml",
} as const;

/** The workbook part's content types: a workbook, a macro-enabled workbook, templates, an add-in. */
export const WORKBOOK_CONTENT_TYPES: Record<string, { macros: boolean; template: boolean }> = {
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": { macros: false, template: false },
  "application/vnd.ms-excel.sheet.macroEnabled.main+xml": { macros: true, template: false },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": { macros: false, template: true },
  "application/vnd.ms-excel.template.macroEnabled.main+xml": { macros: true, template: true },
  "application/vnd.ms-excel.addin.macroEnabled.main+xml": { macros: true, template: false },
};

/** Why a file could not be opened as a workbook package. */
export type PackageProblem = "notZip" | "notPackage" | "notWorkbook" | "strict" | "damaged" | "tooLarge";

export class PackageError extends Error {
  constructor(
    readonly problem: PackageProblem,
    detail: string,
  ) {
    super(detail);
    this.name = "PackageError";
  }
}

/** A part too large to read as text: its name and its size in bytes. */
export class PackageTooLargeError extends PackageError {
  constructor(
    readonly part: string,
    readonly bytes: number,
  ) {
    super("tooLarge", `${part} holds ${bytes} bytes of XML`);
    this.name = "PackageTooLargeError";
  }
}

/** The folder of a part ("xl/worksheets/sheet1.xml" → "xl/worksheets"). */
const dirOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf("/")));

function percentDecode(s: string): string {
  if (s.indexOf("%") < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Resolves a relationship target against the part that holds the relationship. */
export function resolveTarget(fromPart: string, target: string): string {
  const t = percentDecode(target.split("#")[0]);
  if (t.startsWith("/")) return resolveTarget("", t.slice(1));
  const parts = (dirOf(fromPart) ? dirOf(fromPart).split("/") : []).concat(t.split("/"));
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

/** The target of `toPart` written relative to `fromPart`'s folder. */
export function relativeTarget(fromPart: string, toPart: string): string {
  const from = dirOf(fromPart).split("/").filter(Boolean);
  const to = toPart.split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => ".."), ...to.slice(common)].join("/");
}

export function relsPathOf(part: string): string {
  const dir = dirOf(part);
  const file = part.slice(dir.length ? dir.length + 1 : 0);
  return `${dir ? dir + "/" : ""}_rels/${file}.rels`;
}

const XML_DECLARATION = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n`;

/** Text of a part's bytes: UTF-8 (a byte-order mark dropped) or UTF-16 with its mark. */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString("utf8", 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString("utf16le", 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString("utf16le");
  }
  return bytes.toString("utf8");
}

type Content = { kind: "text"; text: string } | { kind: "stored"; part: StoredPart } | { kind: "dom"; doc: Document } | null;

export class OoxmlPackage {
  /** Parts written or removed since loading (null = removed); the zip itself is only read. */
  private readonly changed = new Map<string, Content>();
  /** Parsed DOMs of parts not (yet) changed. */
  private readonly doms = new Map<string, Document>();
  /** Zip entry names by lower-case part name (OPC part names compare without regard to case). */
  private readonly entries = new Map<string, string>();
  private readonly stored = new Map<string, Stored>();

  private constructor(
    zipped: Stored[],
    /** Package path of the workbook part, usually `xl/workbook.xml`. */
    readonly workbookPath: string,
  ) {
    for (const entry of zipped) {
      if (this.entries.has(entry.name.toLowerCase())) continue;
      this.entries.set(entry.name.toLowerCase(), entry.name);
      this.stored.set(entry.name, entry);
    }
  }

  static async load(data: Uint8Array): Promise<OoxmlPackage> {
    const zipped = await readZip(data);
    const probe = new OoxmlPackage(zipped, "");
    const rootRels = await probe.bytes("_rels/.rels");
    if (rootRels === undefined || !probe.has("[Content_Types].xml")) throw new PackageError("notPackage", "no _rels/.rels or [Content_Types].xml");
    const rels = OoxmlPackage.parseRels(parseXml(decode(rootRels), "_rels/.rels"), "", "_rels/.rels");
    if (rels.some((r) => r.type === STRICT_OFFICE_DOCUMENT)) throw new PackageError("strict", "a Strict Open XML package");
    const main = rels.find((r) => r.type === REL.officeDocument);
    if (!main) throw new PackageError("notWorkbook", "the package has no main document");
    const pkg = new OoxmlPackage(zipped, main.target);
    const type = await pkg.contentType(main.target);
    if (type === undefined || !(type in WORKBOOK_CONTENT_TYPES)) throw new PackageError("notWorkbook", `the main document is ${type ?? "of no known type"}`);
    const workbook = await pkg.dom(main.target);
    if (!workbook) throw new PackageError("notWorkbook", `the main document ${main.target} is missing`);
    const el = workbook.documentElement;
    if (el?.namespaceURI === STRICT_MAIN_NS) throw new PackageError("strict", "a Strict Open XML workbook");
    root(workbook, NS.main, "workbook", main.target);
    return pkg;
  }

  /** The name a part goes by: its zip entry's name when it has one (found without regard to case). */
  private canon(path: string): string {
    return this.entries.get(path.toLowerCase()) ?? path;
  }

  /** The zip entry holding a part, found without regard to case. */
  private entry(path: string): Stored | null {
    const name = this.entries.get(path.toLowerCase());
    return name === undefined ? null : this.stored.get(name) ?? null;
  }

  private async bytes(path: string): Promise<Buffer | undefined> {
    const e = this.entry(path);
    return e ? inflate(e) : undefined;
  }

  has(part: string): boolean {
    const path = this.canon(part);
    const c = this.changed.get(path);
    return c !== undefined ? c !== null : this.entry(path) !== null;
  }

  async text(part: string): Promise<string | undefined> {
    const path = this.canon(part);
    const c = this.changed.get(path);
    if (c === null) return undefined;
    if (c !== undefined) return c.kind === "text" ? c.text : c.kind === "stored" ? decode(inflate({ name: path, compressed: Buffer.from(c.part.data), ...c.part })) : serializeXml(c.doc);
    const b = await this.bytes(path);
    // A part past the longest string JavaScript holds (about 512 MB of XML: more than a sheet of
    // 1,048,576 rows of ordinary width) cannot be read; say which, rather than fail in the decoder.
    if (b !== undefined && b.length > constants.MAX_STRING_LENGTH) throw new PackageTooLargeError(path, b.length);
    return b === undefined ? undefined : decode(b);
  }

  async required(path: string): Promise<string> {
    const t = await this.text(path);
    if (t === undefined) throw new Error(`the workbook has no ${path}`);
    return t;
  }

  /**
   * A part as a DOM (parsed once). Changes to it are kept only after `touch(path)`.
   * Undefined when the part does not exist.
   */
  async dom(part: string): Promise<Document | undefined> {
    const path = this.canon(part);
    const c = this.changed.get(path);
    if (c === null) return undefined;
    if (c?.kind === "dom") return c.doc;
    let doc = c === undefined ? this.doms.get(path) : undefined;
    if (!doc) {
      const text = await this.text(path);
      if (text === undefined) return undefined;
      doc = parseXml(text, path);
      if (c === undefined) this.doms.set(path, doc);
      else this.changed.set(path, { kind: "dom", doc });
    }
    return doc;
  }

  /** Marks a DOM from dom() (or a new one) as the part's new content. */
  touch(part: string, doc?: Document): void {
    const path = this.canon(part);
    const d = doc ?? this.doms.get(path) ?? (this.changed.get(path) as { doc?: Document } | undefined)?.doc;
    if (!d) throw new Error(`no DOM of ${path} to keep`);
    this.doms.delete(path);
    this.changed.set(path, { kind: "dom", doc: d });
  }

  /** A part's new content: text, or a part already compressed as it will be stored. */
  set(part: string, content: string | StoredPart): void {
    const path = this.canon(part);
    this.doms.delete(path);
    this.changed.set(path, typeof content === "string" ? { kind: "text", text: content } : { kind: "stored", part: content });
  }

  remove(part: string): void {
    const path = this.canon(part);
    this.doms.delete(path);
    this.changed.set(path, null);
  }

  /** Every part, in the order of the original package, new parts last. */
  paths(): string[] {
    const original = [...this.entries.values()];
    const known = new Set(this.entries.keys());
    const added = [...this.changed.keys()].filter((p) => !known.has(p.toLowerCase()));
    return [...original, ...added].filter((p) => this.has(p));
  }

  private static parseRels(doc: Document, part: string, relsPath: string): Relationship[] {
    const el = root(doc, NS.packageRels, "Relationships", relsPath);
    return children(el, NS.packageRels, "Relationship").map((r) => {
      const external = attr(r, "TargetMode") === "External";
      const target = attr(r, "Target") ?? "";
      return { id: attr(r, "Id") ?? "", type: attr(r, "Type") ?? "", target: external ? target : resolveTarget(part, target), external };
    });
  }

  async rels(part: string): Promise<Relationship[]> {
    const path = relsPathOf(part);
    const doc = await this.dom(path);
    return doc ? OoxmlPackage.parseRels(doc, part, path) : [];
  }

  /** Removes relationships of `part` by id. */
  async removeRels(part: string, ids: ReadonlySet<string>): Promise<void> {
    const path = relsPathOf(part);
    const doc = await this.dom(path);
    if (!doc) return;
    const el = root(doc, NS.packageRels, "Relationships", path);
    for (const r of children(el, NS.packageRels, "Relationship")) if (ids.has(attr(r, "Id") ?? "")) removeNode(r);
    this.touch(path, doc);
  }

  /** Adds a relationship from `part` to the part `target` and returns its id (the next free `rIdN`). */
  async addRel(part: string, type: string, target: string): Promise<string> {
    const path = relsPathOf(part);
    let doc = await this.dom(path);
    doc ??= newDocument(NS.packageRels, "Relationships");
    const el = root(doc, NS.packageRels, "Relationships", path);
    const taken = new Set(children(el, NS.packageRels, "Relationship").map((r) => attr(r, "Id")));
    let n = taken.size + 1;
    for (const id of taken) {
      const m = /^rId(\d+)$/.exec(id ?? "");
      if (m && Number(m[1]) >= n) n = Number(m[1]) + 1;
    }
    while (taken.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    el.appendChild(createIn(el, NS.packageRels, "Relationship", { Id: id, Type: type, Target: relativeTarget(part, target) }));
    this.touch(path, doc);
    return id;
  }

  /** The relationships part of a new part, written whole. */
  setRels(part: string, rels: Relationship[]): void {
    const doc = newDocument(NS.packageRels, "Relationships");
    const el = doc.documentElement!;
    for (const r of rels) {
      el.appendChild(
        createIn(el, NS.packageRels, "Relationship", {
          Id: r.id,
          Type: r.type,
          Target: r.external ? r.target : relativeTarget(part, r.target),
          TargetMode: r.external ? "External" : undefined,
        }),
      );
    }
    this.touch(relsPathOf(part), doc);
  }

  private async contentTypes(): Promise<Document> {
    const doc = await this.dom("[Content_Types].xml");
    if (!doc) throw new PackageError("notPackage", "no [Content_Types].xml");
    root(doc, NS.contentTypes, "Types", "[Content_Types].xml");
    return doc;
  }

  /** A part's content type: its Override, else the Default of its extension. */
  async contentType(path: string): Promise<string | undefined> {
    const types = (await this.contentTypes()).documentElement!;
    const part = "/" + path.toLowerCase();
    for (const o of children(types, NS.contentTypes, "Override")) if ((attr(o, "PartName") ?? "").toLowerCase() === part) return attr(o, "ContentType");
    const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
    for (const d of children(types, NS.contentTypes, "Default")) if ((attr(d, "Extension") ?? "").toLowerCase() === ext) return attr(d, "ContentType");
    return undefined;
  }

  /** Adds (or replaces, or with null removes) the Override content type of a part. */
  async setOverride(path: string, contentType: string | null): Promise<void> {
    const doc = await this.contentTypes();
    const types = doc.documentElement!;
    const part = "/" + path;
    for (const o of children(types, NS.contentTypes, "Override")) if ((attr(o, "PartName") ?? "").toLowerCase() === part.toLowerCase()) removeNode(o);
    if (contentType) types.appendChild(createIn(types, NS.contentTypes, "Override", { PartName: part, ContentType: contentType }));
    this.touch("[Content_Types].xml", doc);
  }

  /** The workbook's sheets in tab order. */
  async sheets(): Promise<SheetEntry[]> {
    const doc = (await this.dom(this.workbookPath)) as Document;
    const wb = root(doc, NS.main, "workbook", this.workbookPath);
    const rels = await this.rels(this.workbookPath);
    const list = children(wb, NS.main, "sheets")[0];
    if (!list) return [];
    return children(list, NS.main, "sheet").map((s) => {
      const rId = s.getAttributeNS(NS.rel, "id") ?? "";
      const rel = rels.find((r) => r.id === rId);
      return {
        name: attr(s, "name") ?? "",
        sheetId: Number(attr(s, "sheetId") ?? 0),
        rId,
        path: rel && !rel.external ? rel.target : "",
        state: attr(s, "state"),
        kind: rel?.type === REL.worksheet ? "worksheet" : "other",
      };
    });
  }

  /** A part path not yet used: `xl/worksheets/sheet7.xml` for prefix `xl/worksheets/sheet`. */
  freePath(prefix: string, suffix = ".xml"): string {
    for (let n = 1; ; n++) if (!this.has(`${prefix}${n}${suffix}`)) return `${prefix}${n}${suffix}`;
  }

  /** Whether the workbook part is a macro-enabled workbook (.xlsm) or template (.xltm). */
  async macroEnabled(): Promise<boolean> {
    return WORKBOOK_CONTENT_TYPES[(await this.contentType(this.workbookPath)) ?? ""]?.macros ?? false;
  }

  /**
   * The package as .xlsx bytes: every part, in the order the package lists them. A part that was
   * not changed is copied as it was stored, still compressed, so its bytes cannot change.
   */
  async generate(): Promise<Uint8Array> {
    return Buffer.concat(await this.generateChunks());
  }

  /** The same bytes as `generate`, as the zip's pieces in order (for a gathered write). */
  async generateChunks(): Promise<Uint8Array[]> {
    const entries: ZipEntry[] = [];
    for (const name of this.paths()) {
      const c = this.changed.get(name);
      if (c === undefined || c === null) {
        const e = this.entry(name) as Stored;
        entries.push({ name, stored: { method: e.method, crc: e.crc, size: e.size, data: e.compressed } });
      } else if (c.kind === "text") entries.push({ name, data: [Buffer.from(c.text, "utf8")] });
      else if (c.kind === "stored") entries.push({ name, stored: c.part });
      else entries.push({ name, data: [Buffer.from(withDeclaration(serializeXml(c.doc)), "utf8")] });
    }
    return zipChunks(entries);
  }
}

/** A serialised part keeps its XML declaration; a new one gets the one Excel writes. */
function withDeclaration(xml: string): string {
  return xml.startsWith("<?xml") ? xml : XML_DECLARATION + xml;
}
