/**
 * XML for the package's structural parts, namespace-aware throughout: the workbook, relationships,
 * content types, tables, styles and docProps are parsed and serialised with @xmldom/xmldom (a W3C
 * DOM), and found by namespace URI and local name, never by the spelling of a prefix. A producer
 * may bind SpreadsheetML's namespace as the default namespace, as `x:` (the Open XML SDK, many ERP
 * exports) or as anything else, on the root or on each element (openpyxl binds `r:` per `<sheet>`).
 *
 * New elements take the prefix already bound to their namespace where they are inserted; a new
 * namespaced attribute declares its prefix when none is in scope. What the DOM does not change is
 * serialised as it was read: prefixes, declarations, attribute order, comments, extension content.
 */
import { DOMParser, XMLSerializer, type Document, type Element, type Node } from "@xmldom/xmldom";

export const NS = {
  main: "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
  rel: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  packageRels: "http://schemas.openxmlformats.org/package/2006/relationships",
  contentTypes: "http://schemas.openxmlformats.org/package/2006/content-types",
  extendedProps: "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
  vt: "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
  xmlns: "http://www.w3.org/2000/xmlns/",
} as const;

/** SpreadsheetML's Strict namespace (ISO/IEC 29500 Strict), which the tool does not write into. */
export const STRICT_MAIN_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main";

/** A part that is not well-formed XML. */
export class XmlPartError extends Error {
  constructor(
    readonly part: string,
    detail: string,
  ) {
    super(`${part} is not well-formed XML (${detail})`);
    this.name = "XmlPartError";
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Escapes text for element content or a double-quoted attribute, and drops characters XML 1.0 forbids. */
export function esc(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c]).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");
}

/** Excel escapes characters it cannot store as `_xHHHH_` in shared strings and inline text. */
export function unescOoxml(text: string): string {
  return text.indexOf("_x") < 0 ? text : text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Parses a part; malformed XML throws XmlPartError naming the part. */
export function parseXml(text: string, part: string): Document {
  const errors: string[] = [];
  const parser = new DOMParser({
    onError: (level: string, message: string) => {
      if (level !== "warning") errors.push(message);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, "text/xml");
  } catch (e) {
    throw new XmlPartError(part, (e as Error).message.split("\n")[0]);
  }
  if (errors.length || !doc.documentElement) throw new XmlPartError(part, errors[0]?.split("\n")[0] ?? "no root element");
  return doc;
}

const serializer = new XMLSerializer();

export function serializeXml(doc: Document): string {
  return serializer.serializeToString(doc);
}

/** A new document with one root element in `ns`, declared as the default namespace. */
export function newDocument(ns: string, root: string): Document {
  return parseXml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${root} xmlns="${ns}"/>`, root);
}

const isElement = (n: Node): n is Element => n.nodeType === 1;

/** The child elements of `parent` in namespace `ns` named `local` (every child element when local is omitted). */
export function children(parent: Element | Document, ns: string, local?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && n.namespaceURI === ns && (local === undefined || n.localName === local)) out.push(n);
  }
  return out;
}

export function child(parent: Element | Document, ns: string, local: string): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && n.namespaceURI === ns && n.localName === local) return n;
  }
  return undefined;
}

/** The root element, checked to be `ns`:`local`. */
export function root(doc: Document, ns: string, local: string, part: string): Element {
  const el = doc.documentElement;
  if (!el || el.namespaceURI !== ns || el.localName !== local) {
    throw new XmlPartError(part, `its root is <${el?.nodeName ?? ""}> in ${el?.namespaceURI ?? "no namespace"}, not ${local} in ${ns}`);
  }
  return el;
}

/** An unqualified attribute's value, or undefined. */
export function attr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? el.getAttribute(name) ?? undefined : undefined;
}

/** A namespaced attribute's value (e.g. r:id, whatever its prefix), or undefined. */
export function attrNS(el: Element, ns: string, local: string): string | undefined {
  return el.hasAttributeNS(ns, local) ? el.getAttributeNS(ns, local) ?? undefined : undefined;
}

/**
 * The in-scope namespace declarations at `at`, nearest first, as [prefix, uri] ("" for the
 * default namespace). Elements created by createElementNS count as declaring their own prefix.
 */
function* bindings(at: Element): Generator<[string, string]> {
  const seen = new Set<string>();
  for (let n: Node | null = at; n && isElement(n); n = n.parentNode) {
    const attrs = n.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i);
      if (!a) continue;
      const prefix = a.name === "xmlns" ? "" : a.prefix === "xmlns" ? a.localName ?? "" : undefined;
      if (prefix === undefined || seen.has(prefix)) continue;
      seen.add(prefix);
      yield [prefix, a.value];
    }
    const own = n.prefix ?? "";
    if (n.namespaceURI && !seen.has(own)) {
      seen.add(own);
      yield [own, n.namespaceURI];
    }
  }
}

/** The prefix bound to `ns` at `at` ("" when it is the default namespace there), or undefined. */
function prefixFor(at: Element, ns: string, attribute = false): string | undefined {
  for (const [prefix, uri] of bindings(at)) if (uri === ns && !(attribute && prefix === "")) return prefix;
  return undefined;
}

/** The namespace `prefix` is bound to at `at`, or undefined. */
function namespaceOf(at: Element, prefix: string): string | undefined {
  for (const [p, uri] of bindings(at)) if (p === prefix) return uri;
  return undefined;
}

/**
 * A new element in `ns` for insertion under `parent`, spelt with the prefix `parent` already uses
 * for `ns` (no prefix when it is the default namespace there). When `ns` is not in scope it is
 * declared on the new element as its default namespace.
 */
export function createIn(parent: Element, ns: string, local: string, attributes: Record<string, string | number | undefined> = {}): Element {
  const doc = parent.ownerDocument as Document;
  const prefix = prefixFor(parent, ns);
  const el = doc.createElementNS(ns, prefix ? `${prefix}:${local}` : local);
  if (prefix === undefined) el.setAttributeNS(NS.xmlns, "xmlns", ns);
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) el.setAttribute(k, String(v));
  return el;
}

/**
 * Sets a namespaced attribute (such as r:id) on an element already in the tree, with a prefix in
 * scope for `ns`, or `preferred` (or preferred2, …, when that is taken) declared on the element.
 */
export function setAttrNS(el: Element, ns: string, preferred: string, local: string, value: string): void {
  let prefix = prefixFor(el, ns, true);
  if (prefix === undefined) {
    prefix = preferred;
    for (let k = 2; namespaceOf(el, prefix) !== undefined; k++) prefix = `${preferred}${k}`;
    el.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, ns);
  }
  el.setAttributeNS(ns, `${prefix}:${local}`, value);
}

/** Inserts `el` under `parent` before the first child whose local name (in `ns`) is listed in `before`, else last. */
export function insertBefore(parent: Element, el: Element, ns: string, before: readonly string[]): void {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && n.namespaceURI === ns && n.localName && before.includes(n.localName)) {
      parent.insertBefore(el, n);
      return;
    }
  }
  parent.appendChild(el);
}

export function removeNode(n: Node): void {
  n.parentNode?.removeChild(n);
}

export type { Document, Element };
