/**
 * Validates the XML parts of an .xlsx against the ECMA-376 transitional schemas (test/schemas/),
 * the way a strict consumer reads them:
 *
 * 1. Every XML part must be well-formed and namespace-well-formed (`xmllint --noout`): a prefix
 *    used without a declaration in scope is an error, as it is for Excel.
 * 2. Markup compatibility is processed as ECMA-376 Part 3 says, for a consumer that understands
 *    exactly the namespaces the vendored schemas define: elements and attributes of the
 *    namespaces an `mc:Ignorable` in scope lists are dropped (an `mc:ProcessContent` element's
 *    children are kept in its place), each `mc:AlternateContent` becomes its first `mc:Choice`
 *    whose `Requires` namespaces are all understood, else its `mc:Fallback`, else nothing, the
 *    `mc:` attributes themselves go, and `xml:space` (which no SpreadsheetML or DrawingML schema
 *    declares) is removed. An `ext` whose content was all ignorable goes with it. An
 *    `mc:MustUnderstand` naming a namespace that is not understood is an error. Content of
 *    namespaces that are not ignorable stays, so the schema judges it: `extLst` children are lax
 *    by the schema itself.
 * 3. The processed part is validated against the schema of its root element's namespace, with one
 *    `xmllint --schema` process per schema for many files. The Dublin Core schemas that the OPC
 *    core-properties schema imports by URL resolve to local copies through test/schemas/catalog.xml,
 *    and `--nonet` keeps xmllint off the network.
 *
 * Parts whose root namespace no ECMA-376 schema covers (VML drawings, Microsoft's extension parts)
 * come back as `no-schema`; the caller decides what to make of them.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOMParser, XMLSerializer, type Document, type Element, type Node } from "@xmldom/xmldom";
import JSZip from "jszip";
import { SaxesParser, type SaxesAttributeNS } from "saxes";

export const SCHEMA_DIR = join(__dirname, "..", "schemas");
const CATALOG = join(SCHEMA_DIR, "catalog.xml");

const MC = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XSI = "http://www.w3.org/2001/XMLSchema-instance";

/** The schema that validates a part, by its root element's namespace. */
const SCHEMA_OF_ROOT: Record<string, string> = {
  "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "sml.xsd",
  "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
  "http://schemas.openxmlformats.org/drawingml/2006/chart": "dml-chart.xsd",
  "http://schemas.openxmlformats.org/drawingml/2006/chartDrawing": "dml-chartDrawing.xsd",
  "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing": "dml-spreadsheetDrawing.xsd",
  "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": "shared-documentPropertiesExtended.xsd",
  "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": "shared-documentPropertiesCustom.xsd",
  "http://schemas.openxmlformats.org/officeDocument/2006/customXml": "shared-customXmlDataProperties.xsd",
  "http://schemas.openxmlformats.org/package/2006/content-types": "opc/opc-contentTypes.xsd",
  "http://schemas.openxmlformats.org/package/2006/relationships": "opc/opc-relationships.xsd",
  "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "opc/opc-coreProperties.xsd",
};

/** The namespaces this consumer understands: every target namespace of the vendored schemas. */
export const UNDERSTOOD: ReadonlySet<string> = (() => {
  const found = new Set<string>([MC, XML_NS, XSI]);
  for (const dir of [SCHEMA_DIR, join(SCHEMA_DIR, "opc"), join(SCHEMA_DIR, "dublin-core")]) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".xsd"))) {
      const ns = /targetNamespace="([^"]+)"/.exec(readFileSync(join(dir, file), "utf8"))?.[1];
      if (ns) found.add(ns);
    }
  }
  return found;
})();

export type Verdict =
  | { status: "valid"; schema: string }
  | { status: "not-well-formed"; errors: string[] }
  | { status: "invalid"; schema: string; errors: string[] }
  | { status: "no-schema"; root: string };

/** A verdict in one line, for test messages and exception lists. */
export function describeVerdict(v: Verdict): string {
  switch (v.status) {
    case "valid":
      return `valid (${v.schema})`;
    case "no-schema":
      return `no ECMA-376 schema for its root ${v.root}`;
    case "not-well-formed":
      return `not well-formed: ${v.errors.join(" | ")}`;
    case "invalid":
      return `invalid against ${v.schema}: ${v.errors.join(" | ")}`;
  }
}

// ------------------------------------------------------------------ markup compatibility

type El = Element;

/** The root element's `{namespace}localName`, read from the start tag and its declarations. */
function rootOf(xml: string): string | undefined {
  const tag = /<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ""));
  if (!tag) return undefined;
  const [prefix, local] = tag[1].includes(":") ? tag[1].split(":") : ["", tag[1]];
  const decl = new RegExp(`\\sxmlns${prefix ? ":" + prefix : ""}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag[2]);
  if (!decl) return prefix ? undefined : `{}${local}`;
  return `{${decl[1] ?? decl[2]}}${local}`;
}

const isElement = (n: Node): n is El => n.nodeType === 1;

/** The namespaces that a space-separated list of prefixes names, resolved at `el`. */
function namespacesOf(el: El, prefixes: string | null): { uris: string[]; unbound: string[] } {
  const uris: string[] = [];
  const unbound: string[] = [];
  for (const p of (prefixes ?? "").split(/\s+/).filter(Boolean)) {
    const uri = el.lookupNamespaceURI(p);
    if (uri) uris.push(uri);
    else unbound.push(p);
  }
  return { uris, unbound };
}

interface McScope {
  ignorable: ReadonlySet<string>;
  /** `{ns}local` or `{ns}*` of elements whose content is kept when they are dropped. */
  processContent: ReadonlySet<string>;
}

/**
 * The part after markup-compatibility processing, as XML text. `errors` lists what a consumer
 * must refuse (an unbound prefix in an mc attribute, an mc:MustUnderstand it cannot honour).
 */
export function preprocessMarkupCompatibility(xml: string): { xml: string; root: string; errors: string[] } {
  // Without the markup-compatibility namespace or xml:space there is nothing to do: only the root
  // is needed (the DOM is slow on large sheets, and most generated parts are like that).
  if (!xml.includes(MC) && !xml.includes("xml:space")) {
    const root = rootOf(xml);
    if (root) return { xml, root, errors: [] };
  }
  const errors: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") errors.push(`parse ${level}: ${message}`);
      },
    }).parseFromString(xml, "application/xml");
  } catch (e) {
    return { xml, root: "", errors: [...errors, `parse error: ${(e as Error).message}`] };
  }
  const root = doc.documentElement;
  if (!root) return { xml, root: "", errors: errors.length ? errors : ["no root element"] };

  const scopeAt = (el: El, outer: McScope): McScope => {
    const ign = el.getAttributeNS(MC, "Ignorable");
    const pc = el.getAttributeNS(MC, "ProcessContent");
    const mu = el.getAttributeNS(MC, "MustUnderstand");
    let ignorable = outer.ignorable;
    let processContent = outer.processContent;
    if (ign) {
      const { uris, unbound } = namespacesOf(el, ign);
      for (const p of unbound) errors.push(`mc:Ignorable names the undeclared prefix ${p} on <${el.nodeName}>`);
      ignorable = new Set([...ignorable, ...uris.filter((u) => !UNDERSTOOD.has(u))]);
    }
    if (pc) {
      const names = new Set(processContent);
      for (const q of pc.split(/\s+/).filter(Boolean)) {
        const [p, local] = q.split(":");
        const uri = el.lookupNamespaceURI(p);
        if (uri) names.add(`{${uri}}${local}`);
        else errors.push(`mc:ProcessContent names the undeclared prefix ${p} on <${el.nodeName}>`);
      }
      processContent = names;
    }
    if (mu) {
      const { uris, unbound } = namespacesOf(el, mu);
      for (const u of uris.filter((x) => !UNDERSTOOD.has(x))) errors.push(`mc:MustUnderstand requires ${u}, which this consumer does not understand`);
      for (const p of unbound) errors.push(`mc:MustUnderstand names the undeclared prefix ${p}`);
    }
    return { ignorable, processContent };
  };

  const dropAttributes = (el: El, scope: McScope): void => {
    for (const attr of Array.from(el.attributes)) {
      const ns = attr.namespaceURI;
      if (!ns || attr.name === "xmlns" || attr.prefix === "xmlns") continue;
      if (ns === MC || (ns === XML_NS && attr.localName === "space") || scope.ignorable.has(ns)) el.removeAttributeNode(attr);
    }
  };

  /** The children that replace an mc:AlternateContent: its selected branch's children. */
  const selectBranch = (ac: El): El | undefined => {
    for (const branch of Array.from(ac.childNodes).filter(isElement)) {
      if (branch.namespaceURI !== MC) continue;
      if (branch.localName === "Choice") {
        const { uris, unbound } = namespacesOf(branch, branch.getAttribute("Requires"));
        if (unbound.length === 0 && uris.every((u) => UNDERSTOOD.has(u))) return branch;
      } else if (branch.localName === "Fallback") {
        return branch;
      }
    }
    return undefined;
  };

  /** Puts `node`'s children in its place; returns them. */
  const unwrap = (parent: El, node: El, from: El): Node[] => {
    const moved = Array.from(from.childNodes);
    for (const n of moved) parent.insertBefore(n, node);
    parent.removeChild(node);
    return moved;
  };

  const handleChild = (parent: El, child: El, scope: McScope): void => {
    const ns = child.namespaceURI ?? "";
    if (ns === MC && child.localName === "AlternateContent") {
      const inner = scopeAt(child, scope);
      const branch = selectBranch(child);
      if (!branch) {
        parent.removeChild(child);
        return;
      }
      const branchScope = scopeAt(branch, inner);
      for (const n of unwrap(parent, child, branch)) if (isElement(n)) handleChild(parent, n, branchScope);
      return;
    }
    if (!UNDERSTOOD.has(ns) && scope.ignorable.has(ns)) {
      if (scope.processContent.has(`{${ns}}${child.localName}`) || scope.processContent.has(`{${ns}}*`)) {
        const inner = scopeAt(child, scope);
        for (const n of unwrap(parent, child, child)) if (isElement(n)) handleChild(parent, n, inner);
      } else {
        parent.removeChild(child);
      }
      return;
    }
    processElement(child, scope);
    // An extension whose content was all ignorable is ignorable extension content itself.
    if (child.localName === "ext" && parent.localName === "extLst" && !Array.from(child.childNodes).some(isElement)) parent.removeChild(child);
  };

  const processElement = (el: El, outer: McScope): void => {
    const scope = scopeAt(el, outer);
    dropAttributes(el, scope);
    for (const child of Array.from(el.childNodes)) if (isElement(child)) handleChild(el, child, scope);
  };

  processElement(root, { ignorable: new Set(), processContent: new Set() });
  return { xml: new XMLSerializer().serializeToString(doc), root: `{${root.namespaceURI ?? ""}}${root.localName}`, errors };
}

// ------------------------------------------------------------------ xmllint

function xmllint(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("xmllint", args, { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, XML_CATALOG_FILES: CATALOG } }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") reject(new Error("xmllint is not installed (Debian: libxml2-utils)"));
      else resolve(String(stderr) + String(stdout));
    });
  });
}

/** Runs `tasks` with at most `limit` at a time. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** xmllint's messages per file (lines that start with the file's path), minus its summary lines. */
function messagesByFile(output: string, files: string[]): Map<string, string[]> {
  const byFile = new Map(files.map((f) => [f, [] as string[]]));
  const lines = output.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const file = files.find((f) => line.startsWith(f + ":") || line.startsWith(f + " "));
    if (!file) continue;
    const rest = line.slice(file.length);
    if (rest === " validates") continue;
    if (rest === " fails to validate") {
      const list = byFile.get(file)!;
      if (list.length === 0) list.push("fails to validate");
      continue;
    }
    const message = rest.replace(/^:\d+: /, "");
    if (!byFile.get(file)!.includes(message)) byFile.get(file)!.push(message);
  }
  return byFile;
}

export interface PartToCheck {
  /** Any key unique within one call, e.g. `variant/output/xl/workbook.xml`. */
  id: string;
  data: Uint8Array;
}

/**
 * Checks every part: well-formedness first, then markup-compatibility processing and the schema
 * of its root. One xmllint process per schema, at most two at a time.
 */
export async function validateParts(parts: PartToCheck[], workDir: string = tmpdir()): Promise<Map<string, Verdict>> {
  // Equal bytes get equal verdicts: each distinct content is checked once.
  const idsOf = new Map<string, string[]>();
  const unique: PartToCheck[] = [];
  for (const p of parts) {
    const key = createHash("sha1").update(p.data).digest("hex");
    if (!idsOf.has(key)) {
      idsOf.set(key, []);
      unique.push({ id: key, data: p.data });
    }
    idsOf.get(key)!.push(p.id);
  }
  const byContent = await validateUnique(unique, workDir);
  const verdicts = new Map<string, Verdict>();
  for (const [key, ids] of idsOf) for (const id of ids) verdicts.set(id, byContent.get(key)!);
  return verdicts;
}

async function validateUnique(parts: PartToCheck[], workDir: string): Promise<Map<string, Verdict>> {
  const dir = mkdtempSync(join(workDir, "tc-xsd-"));
  const verdicts = new Map<string, Verdict>();
  try {
    const raw = parts.map((p, i) => ({ ...p, file: join(dir, `raw-${i}.xml`) }));
    for (const p of raw) writeFileSync(p.file, p.data);
    const wellFormed = new Map<string, string[]>();
    await pool(
      chunks(raw, 400).map((chunk) => async () => {
        const files = chunk.map((p) => p.file);
        for (const [file, messages] of messagesByFile(await xmllint(["--nonet", "--noout", ...files]), files)) wellFormed.set(file, messages);
      }),
      2,
    );

    const bySchema = new Map<string, { id: string; file: string }[]>();
    raw.forEach((p, i) => {
      const problems = wellFormed.get(p.file) ?? [];
      if (problems.length > 0) {
        verdicts.set(p.id, { status: "not-well-formed", errors: problems });
        return;
      }
      const processed = preprocessMarkupCompatibility(Buffer.from(p.data).toString("utf8"));
      const ns = /^\{([^}]*)\}/.exec(processed.root)?.[1] ?? "";
      const schema = SCHEMA_OF_ROOT[ns];
      if (processed.errors.length > 0) {
        verdicts.set(p.id, { status: "invalid", schema: schema ?? "markup compatibility", errors: processed.errors });
        return;
      }
      if (!schema) {
        verdicts.set(p.id, { status: "no-schema", root: processed.root });
        return;
      }
      const file = join(dir, `mc-${i}.xml`);
      writeFileSync(file, processed.xml);
      if (!bySchema.has(schema)) bySchema.set(schema, []);
      bySchema.get(schema)!.push({ id: p.id, file });
    });

    const tasks: (() => Promise<void>)[] = [];
    for (const [schema, files] of bySchema) {
      for (const chunk of chunks(files, 400)) {
        tasks.push(async () => {
          const paths = chunk.map((f) => f.file);
          const messages = messagesByFile(await xmllint(["--nonet", "--noout", "--schema", join(SCHEMA_DIR, schema), ...paths]), paths);
          for (const f of chunk) {
            const errors = messages.get(f.file) ?? [];
            verdicts.set(f.id, errors.length ? { status: "invalid", schema, errors } : { status: "valid", schema });
          }
        });
      }
    }
    await pool(tasks, 2);
    return verdicts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ parts of a package

/** The content types of a package: Defaults by lower-case extension, Overrides by part name (no leading slash). */
function contentTypes(xml: string): { defaults: Map<string, string>; overrides: Map<string, string> } {
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?(Override|Default)\b([^>]*)>/g)) {
    const attrs = new Map([...m[2].matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)].map((a) => [a[1], a[2]]));
    const type = attrs.get("ContentType") ?? "";
    if (m[1] === "Default") defaults.set((attrs.get("Extension") ?? "").toLowerCase(), type);
    else overrides.set(decodeURI(attrs.get("PartName") ?? "").replace(/^\//, ""), type);
  }
  return { defaults, overrides };
}

/** Whether a part is XML: by its content type (…+xml, application/xml, text/xml) or its extension. */
export function isXmlPart(name: string, types: ReturnType<typeof contentTypes>): boolean {
  const ext = (/\.([^./]+)$/.exec(name)?.[1] ?? "").toLowerCase();
  const type = types.overrides.get(name) ?? types.defaults.get(ext) ?? "";
  return /\+xml$|^application\/xml$|^text\/xml$/.test(type) || /\.(xml|rels|vml)$/i.test(name);
}

/** Every entry of a zip, uncompressed, by name (folders left out). */
export async function entriesOf(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, Uint8Array>();
  for (const [name, file] of Object.entries(zip.files)) if (!file.dir) out.set(name, await file.async("uint8array"));
  return out;
}

/** The XML parts of a package ([Content_Types].xml and the .rels parts included), by name. */
export function xmlPartsOf(entries: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const types = contentTypes(Buffer.from(entries.get("[Content_Types].xml") ?? new Uint8Array()).toString("utf8"));
  return new Map([...entries].filter(([name]) => name === "[Content_Types].xml" || isXmlPart(name, types)));
}

// ------------------------------------------------------------------ package integrity

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT = "http://schemas.openxmlformats.org/package/2006/content-types";
const SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

const text = (data: Uint8Array | undefined) => (data ? Buffer.from(data).toString("utf8") : "");
const folderOf = (part: string) => part.slice(0, Math.max(0, part.lastIndexOf("/") + 1));
const sourceOfRels = (rels: string): string => rels.replace(/(^|\/)_rels\/([^/]*)\.rels$/, "$1$2");
const relsPartOf = (part: string): string => `${folderOf(part)}_rels/${part.slice(folderOf(part).length)}.rels`;

/** `target` resolved against the folder of `source` (both without a leading slash). */
function resolvePart(source: string, target: string): string {
  const decoded = decodeURI(target.split("#")[0]);
  const segments = (decoded.startsWith("/") ? decoded.slice(1) : folderOf(source) + decoded).split("/");
  const out: string[] = [];
  for (const s of segments) {
    if (s === "..") out.pop();
    else if (s !== "." && s !== "") out.push(s);
  }
  return out.join("/");
}

function dom(data: Uint8Array | undefined): Document | undefined {
  if (!data) return undefined;
  try {
    return new DOMParser({ onError: () => undefined }).parseFromString(text(data), "application/xml");
  } catch {
    return undefined;
  }
}

const elements = (doc: Document | undefined, ns: string, local: string): Element[] => (doc ? Array.from(doc.getElementsByTagNameNS(ns, local)) : []);

interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

function relationshipsOf(entries: Map<string, Uint8Array>, part: string): Relationship[] {
  return elements(dom(entries.get(relsPartOf(part))), PKG_REL, "Relationship").map((r) => ({
    id: r.getAttribute("Id") ?? "",
    type: r.getAttribute("Type") ?? "",
    external: r.getAttribute("TargetMode") === "External",
    target: r.getAttribute("TargetMode") === "External" ? r.getAttribute("Target") ?? "" : resolvePart(part, r.getAttribute("Target") ?? ""),
  }));
}

/** Calls `visit` for every element of a well-formed part, with its attributes resolved by namespace. */
function scan(data: Uint8Array, visit: (uri: string, local: string, attrs: { uri: string; local: string; value: string }[]) => void): boolean {
  const parser = new SaxesParser({ xmlns: true });
  parser.on("opentag", (tag) => {
    visit(
      tag.uri,
      tag.local,
      Object.values(tag.attributes as Record<string, SaxesAttributeNS>).map((a) => ({ uri: a.uri, local: a.local, value: a.value })),
    );
  });
  try {
    parser.write(text(data)).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * What makes Excel call a file corrupt although every part is valid on its own: a part without a
 * content type, an override or a relationship pointing at nothing, an `r:` reference with no
 * relationship, a style or differential-format index past the styles part's lists, two sheets or
 * two tables of one name. Returns one line per problem (empty when the package holds together).
 */
export function checkPackage(entries: Map<string, Uint8Array>): string[] {
  const problems: string[] = [];
  const parts = [...entries.keys()].filter((n) => !n.endsWith("/"));
  const has = (p: string) => entries.has(p);

  // Content types.
  const types = dom(entries.get("[Content_Types].xml"));
  if (!types) return ["[Content_Types].xml is missing or unreadable"];
  const defaults = new Map(elements(types, CT, "Default").map((d) => [(d.getAttribute("Extension") ?? "").toLowerCase(), d.getAttribute("ContentType") ?? ""]));
  const overrides = new Map(elements(types, CT, "Override").map((o) => [decodeURI(o.getAttribute("PartName") ?? "").replace(/^\//, "").toLowerCase(), o.getAttribute("ContentType") ?? ""]));
  for (const name of overrides.keys()) if (!parts.some((p) => p.toLowerCase() === name)) problems.push(`[Content_Types].xml: an Override for /${name}, which is not in the package`);
  for (const p of parts) {
    if (p === "[Content_Types].xml") continue;
    const ext = (/\.([^./]+)$/.exec(p)?.[1] ?? "").toLowerCase();
    if (!overrides.has(p.toLowerCase()) && !defaults.has(ext)) problems.push(`${p}: no content type`);
  }

  // Relationships: sources and targets exist, ids are unique.
  for (const rels of parts.filter((p) => /(^|\/)_rels\/[^/]*\.rels$/.test(p))) {
    const source = sourceOfRels(rels);
    if (source && !has(source)) problems.push(`${rels}: relationships of ${source}, which is not in the package`);
    const seen = new Set<string>();
    for (const r of relationshipsOf(entries, source)) {
      if (seen.has(r.id)) problems.push(`${rels}: relationship id ${r.id} is used twice`);
      seen.add(r.id);
      if (!r.external && !has(r.target)) problems.push(`${rels}: ${r.id} points at ${r.target}, which is not in the package`);
    }
  }

  // r: references in XML parts resolve to a relationship of the part.
  const xml = xmlPartsOf(entries);
  for (const [name, data] of xml) {
    if (name.endsWith(".rels") || name.endsWith(".vml")) continue;
    const ids = new Set(relationshipsOf(entries, name).map((r) => r.id));
    scan(data, (_uri, local, attrs) => {
      for (const a of attrs) if (a.uri === REL && !ids.has(a.value)) problems.push(`${name}: <${local}> refers to relationship ${a.value}, which ${relsPartOf(name)} does not have`);
    });
  }

  // The workbook: unique sheet names; style and differential-format indices within the styles part.
  const main = relationshipsOf(entries, "").find((r) => r.type === `${REL}/officeDocument`);
  if (!main) return [...problems, "_rels/.rels: no officeDocument relationship"];
  const workbook = dom(entries.get(main.target));
  const names = elements(workbook, SML, "sheet").map((s) => (s.getAttribute("name") ?? "").toLowerCase());
  for (const n of new Set(names)) if (names.filter((x) => x === n).length > 1) problems.push(`${main.target}: two sheets named ${n}`);
  const wbRels = relationshipsOf(entries, main.target);
  const stylesRel = wbRels.find((r) => r.type === `${REL}/styles`);
  const styles = stylesRel ? dom(entries.get(stylesRel.target)) : undefined;
  const countOf = (local: string) => {
    const list = elements(styles, SML, local)[0];
    return list ? Array.from(list.childNodes).filter((n) => n.nodeType === 1).length : 0;
  };
  const xfs = countOf("cellXfs");
  const dxfs = countOf("dxfs");
  const checkIndex = (part: string, what: string, value: string, limit: number, list: string) => {
    const i = Number(value);
    if (!Number.isInteger(i) || i < 0 || i >= limit) problems.push(`${part}: ${what}="${value}", but the styles part has ${limit} ${list}`);
  };
  const DXF_ATTRS = new Set(["headerRowDxfId", "dataDxfId", "totalsRowDxfId", "headerRowBorderDxfId", "tableBorderDxfId", "totalsRowBorderDxfId"]);
  const tableNames: string[] = [];
  const tableIds: string[] = [];
  for (const sheet of wbRels.filter((r) => r.type === `${REL}/worksheet`)) {
    const data = entries.get(sheet.target);
    if (!data) continue;
    scan(data, (uri, local, attrs) => {
      if (uri !== SML) return;
      for (const a of attrs) {
        if (a.uri) continue;
        if ((local === "c" || local === "row") && a.local === "s") checkIndex(sheet.target, `<${local} s>`, a.value, xfs, "cell formats");
        if (local === "col" && a.local === "style") checkIndex(sheet.target, "<col style>", a.value, xfs, "cell formats");
        if (local === "cfRule" && a.local === "dxfId") checkIndex(sheet.target, "<cfRule dxfId>", a.value, dxfs, "differential formats");
      }
    });
    for (const t of relationshipsOf(entries, sheet.target).filter((r) => r.type === `${REL}/table`)) {
      const tdata = entries.get(t.target);
      if (!tdata) continue;
      scan(tdata, (uri, local, attrs) => {
        if (uri !== SML) return;
        for (const a of attrs) if (!a.uri && DXF_ATTRS.has(a.local)) checkIndex(t.target, `<${local} ${a.local}>`, a.value, dxfs, "differential formats");
        if (local === "table") {
          for (const a of attrs) if (!a.uri && (a.local === "name" || a.local === "displayName")) tableNames.push(`${a.value.toLowerCase()}\u0000${t.target}`);
          tableIds.push(attrs.find((a) => a.local === "id" && !a.uri)?.value ?? "");
        }
      });
    }
  }
  const byName = new Map<string, Set<string>>();
  for (const entry of tableNames) {
    const [name, part] = entry.split("\u0000");
    if (!byName.has(name)) byName.set(name, new Set());
    byName.get(name)!.add(part);
  }
  for (const [name, ps] of byName) if (ps.size > 1) problems.push(`tables ${[...ps].join(", ")} share the name ${name}`);
  for (const id of new Set(tableIds)) if (tableIds.filter((x) => x === id).length > 1) problems.push(`two tables have id ${id}`);
  const counted = new Map<string, number>();
  for (const p of problems) counted.set(p, (counted.get(p) ?? 0) + 1);
  return [...counted].map(([p, n]) => (n > 1 ? `${p} (${n} times)` : p));
}
