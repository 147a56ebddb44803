/**
 * An .xlsx as an Open Packaging Conventions zip: parts, their relationships and content types.
 * The host reads and writes parts through this, so every part it does not rewrite — the user's
 * sheets, charts, pivot tables, images, macros — goes back into the file byte for byte.
 */
import JSZip from "jszip";
import { esc, tags } from "./xml";
import { zip, type ZipEntry } from "./zip";

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
  /** Package path of the worksheet part, e.g. `xl/worksheets/sheet1.xml`. */
  path: string;
  /** `hidden` or `veryHidden` when not visible. */
  state?: string;
}

export const REL = {
  officeDocument: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
  worksheet: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
  sharedStrings: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings",
  styles: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
  table: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table",
  calcChain: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain",
  drawing: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing",
  chart: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart",
} as const;

export const CONTENT_TYPE = {
  worksheet: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
  table: "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml",
  styles: "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
  drawing: "application/vnd.openxmlformats-officedocument.drawing+xml",
  chart: "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
} as const;

/** The folder of a part ("xl/worksheets/sheet1.xml" → "xl/worksheets"). */
const dirOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf("/")));

/** Resolves a relationship target against the part that holds the relationship. */
export function resolveTarget(fromPart: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = (dirOf(fromPart) ? dirOf(fromPart).split("/") : []).concat(target.split("/"));
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

export class OoxmlPackage {
  /** Parts written or removed since loading (null = removed); the zip itself is only read. */
  private readonly changed = new Map<string, string | Buffer[] | null>();

  private constructor(
    private readonly zip: JSZip,
    /** Package path of the workbook part, usually `xl/workbook.xml`. */
    readonly workbookPath: string,
  ) {}

  static async load(data: Uint8Array): Promise<OoxmlPackage> {
    const zip = await JSZip.loadAsync(data);
    const root = await zip.file("_rels/.rels")?.async("string");
    if (root === undefined) throw new Error("not an Office Open XML package (no _rels/.rels)");
    const main = tags(root, "Relationship").find((r) => r.Type === REL.officeDocument);
    if (!main) throw new Error("the package has no main document");
    return new OoxmlPackage(zip, resolveTarget("", main.Target));
  }

  has(path: string): boolean {
    const c = this.changed.get(path);
    return c !== undefined ? c !== null : this.zip.file(path) !== null;
  }

  async text(path: string): Promise<string | undefined> {
    const c = this.changed.get(path);
    if (c === null) return undefined;
    if (typeof c === "string") return c;
    if (c !== undefined) return Buffer.concat(c).toString("utf8");
    return this.zip.file(path)?.async("string");
  }

  async required(path: string): Promise<string> {
    const t = await this.text(path);
    if (t === undefined) throw new Error(`the workbook has no ${path}`);
    return t;
  }

  set(path: string, content: string | Buffer[]): void {
    this.changed.set(path, content);
  }

  remove(path: string): void {
    this.changed.set(path, null);
  }

  /** Every part, in the order of the original package, new parts last. */
  paths(): string[] {
    const original = Object.keys(this.zip.files).filter((p) => !this.zip.files[p].dir);
    const added = [...this.changed.keys()].filter((p) => !this.zip.files[p]);
    return [...original, ...added].filter((p) => this.has(p));
  }

  async rels(part: string): Promise<Relationship[]> {
    const xml = await this.text(relsPathOf(part));
    if (xml === undefined) return [];
    return tags(xml, "Relationship").map((r) => {
      const external = r.TargetMode === "External";
      return { id: r.Id, type: r.Type, target: external ? r.Target : resolveTarget(part, r.Target), external };
    });
  }

  setRels(part: string, rels: Relationship[]): void {
    const body = rels
      .map(
        (r) =>
          `<Relationship Id="${esc(r.id)}" Type="${esc(r.type)}" Target="${esc(r.external ? r.target : relativeTarget(part, r.target))}"${r.external ? ' TargetMode="External"' : ""}/>`,
      )
      .join("");
    this.set(
      relsPathOf(part),
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${body}</Relationships>`,
    );
  }

  /** The workbook's sheets in tab order. */
  async sheets(): Promise<SheetEntry[]> {
    const xml = await this.required(this.workbookPath);
    const rels = await this.rels(this.workbookPath);
    const sheetsXml = /<(?:\w+:)?sheets>([\s\S]*?)<\/(?:\w+:)?sheets>/.exec(xml)?.[1] ?? "";
    return tags(sheetsXml, "sheet").map((s) => {
      const rId = s["r:id"] ?? s.id;
      const rel = rels.find((r) => r.id === rId);
      return { name: s.name, sheetId: Number(s.sheetId), rId, path: rel?.target ?? "", state: s.state };
    });
  }

  /** Adds (or replaces) an Override content type for a part. */
  async setContentType(path: string, contentType: string | null): Promise<void> {
    const xml = await this.required("[Content_Types].xml");
    const part = "/" + path;
    const without = xml.replace(new RegExp(`<Override[^>]*PartName="${part.replace(/[.[\]]/g, "\\$&")}"[^>]*/>`, "g"), "");
    const next = contentType ? without.replace("</Types>", `<Override PartName="${esc(part)}" ContentType="${esc(contentType)}"/></Types>`) : without;
    this.set("[Content_Types].xml", next);
  }

  /** A part path not yet used: `xl/worksheets/sheet7.xml` for prefix `xl/worksheets/sheet`. */
  freePath(prefix: string, suffix = ".xml"): string {
    for (let n = 1; ; n++) if (!this.has(`${prefix}${n}${suffix}`)) return `${prefix}${n}${suffix}`;
  }

  /** The package as .xlsx bytes: every part, in the order the package lists them. */
  async generate(): Promise<Uint8Array> {
    const entries: ZipEntry[] = [];
    for (const name of this.paths()) {
      const c = this.changed.get(name);
      const data = typeof c === "string" ? [Buffer.from(c, "utf8")] : c ?? [await (this.zip.file(name) as JSZip.JSZipObject).async("uint8array")];
      entries.push({ name, data });
    }
    return zip(entries);
  }
}

