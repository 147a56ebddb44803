/**
 * A small, strict XML reader for the manifest tests: elements, attributes, text, namespaces,
 * comments, processing instructions and CDATA. No DTDs, no external entities. It scans
 * characters (no regular expressions) and throws with a line:column on malformed input.
 */

export interface XmlElement {
  /** Qualified name as written, e.g. `bt:Image`. */
  name: string;
  /** Local part, e.g. `Image`. */
  local: string;
  /** Namespace URI the prefix (or the default namespace) resolves to; "" when none. */
  ns: string;
  /** Attributes by qualified name, values with entities decoded. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Direct text content (entities decoded), concatenated. */
  text: string;
  parent?: XmlElement;
  line: number;
}

const XML_NS = "http://www.w3.org/XML/1998/namespace";

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function isNameChar(ch: string): boolean {
  return (
    (ch >= "a" && ch <= "z") ||
    (ch >= "A" && ch <= "Z") ||
    (ch >= "0" && ch <= "9") ||
    ch === "_" ||
    ch === ":" ||
    ch === "-" ||
    ch === "." ||
    ch.charCodeAt(0) > 0x7f
  );
}

function isSpace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\r";
}

export function parseXml(source: string): XmlElement {
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;

  const where = (at = pos): string => {
    let line = 1;
    let col = 1;
    for (let i = 0; i < at && i < source.length; i++) {
      if (source[i] === "\n") {
        line++;
        col = 1;
      } else col++;
    }
    return `${line}:${col}`;
  };
  const lineAt = (at: number): number => {
    let line = 1;
    for (let i = 0; i < at; i++) if (source[i] === "\n") line++;
    return line;
  };
  const fail = (message: string, at = pos): never => {
    throw new Error(`XML ${where(at)}: ${message}`);
  };
  const startsWith = (s: string): boolean => source.startsWith(s, pos);
  const expect = (s: string): void => {
    if (!startsWith(s)) fail(`expected "${s}"`);
    pos += s.length;
  };
  const skipSpace = (): void => {
    while (pos < source.length && isSpace(source[pos])) pos++;
  };
  const readName = (): string => {
    const start = pos;
    while (pos < source.length && isNameChar(source[pos])) pos++;
    if (pos === start) fail("expected a name");
    return source.slice(start, pos);
  };
  const skipUntil = (end: string, what: string): string => {
    const at = source.indexOf(end, pos);
    if (at < 0) fail(`unterminated ${what}`);
    const body = source.slice(pos, at);
    pos = at + end.length;
    return body;
  };
  const decode = (raw: string, at: number): string => {
    let out = "";
    for (let i = 0; i < raw.length; i++) {
      const ch = raw[i];
      if (ch === "<") fail("'<' in text or attribute value", at + i);
      if (ch !== "&") {
        out += ch;
        continue;
      }
      const semi = raw.indexOf(";", i);
      if (semi < 0) fail("unterminated entity", at + i);
      const entity = raw.slice(i + 1, semi);
      if (entity.startsWith("#x")) out += String.fromCodePoint(parseInt(entity.slice(2), 16));
      else if (entity.startsWith("#")) out += String.fromCodePoint(parseInt(entity.slice(1), 10));
      else if (entity in NAMED_ENTITIES) out += NAMED_ENTITIES[entity];
      else fail(`unknown entity &${entity};`, at + i);
      i = semi;
    }
    return out;
  };
  /** Comments, PIs and whitespace between markup outside the root element. */
  const skipMisc = (): void => {
    for (;;) {
      skipSpace();
      if (startsWith("<!--")) {
        pos += 4;
        const body = skipUntil("-->", "comment");
        if (body.includes("--")) fail("'--' inside a comment");
      } else if (startsWith("<?")) {
        pos += 2;
        skipUntil("?>", "processing instruction");
      } else if (startsWith("<!DOCTYPE")) {
        fail("DOCTYPE is not allowed in a manifest");
      } else return;
    }
  };

  const resolve = (qname: string, scopes: Map<string, string>[], isAttr: boolean): string => {
    const colon = qname.indexOf(":");
    const prefix = colon < 0 ? "" : qname.slice(0, colon);
    if (prefix === "" && isAttr) return "";
    if (prefix === "xml") return XML_NS;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const uri = scopes[i].get(prefix);
      if (uri !== undefined) return uri;
    }
    if (prefix !== "") fail(`undeclared namespace prefix "${prefix}"`);
    return "";
  };

  const readElement = (scopes: Map<string, string>[], parent?: XmlElement): XmlElement => {
    const start = pos;
    expect("<");
    const name = readName();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (startsWith("/>") || startsWith(">")) break;
      if (pos === before) fail("expected whitespace before an attribute");
      const attr = readName();
      skipSpace();
      expect("=");
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail("attribute value must be quoted");
      pos++;
      const valueStart = pos;
      const end = source.indexOf(quote, pos);
      if (end < 0) fail("unterminated attribute value");
      if (attr in attrs) fail(`duplicate attribute ${attr}`);
      attrs[attr] = decode(source.slice(valueStart, end), valueStart);
      pos = end + 1;
    }
    const scope = new Map<string, string>();
    for (const [attr, value] of Object.entries(attrs)) {
      if (attr === "xmlns") scope.set("", value);
      else if (attr.startsWith("xmlns:")) scope.set(attr.slice(6), value);
    }
    const inner = [...scopes, scope];
    const colon = name.indexOf(":");
    const element: XmlElement = {
      name,
      local: colon < 0 ? name : name.slice(colon + 1),
      ns: resolve(name, inner, false),
      attrs,
      children: [],
      text: "",
      parent,
      line: lineAt(start),
    };
    for (const attr of Object.keys(attrs)) {
      if (attr !== "xmlns" && !attr.startsWith("xmlns:")) resolve(attr, inner, true);
    }
    if (startsWith("/>")) {
      pos += 2;
      return element;
    }
    expect(">");
    for (;;) {
      if (pos >= source.length) fail(`<${name}> is never closed`, start);
      if (startsWith("</")) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        expect(">");
        return element;
      }
      if (startsWith("<!--")) {
        pos += 4;
        const body = skipUntil("-->", "comment");
        if (body.includes("--")) fail("'--' inside a comment");
      } else if (startsWith("<![CDATA[")) {
        pos += 9;
        element.text += skipUntil("]]>", "CDATA section");
      } else if (startsWith("<?")) {
        pos += 2;
        skipUntil("?>", "processing instruction");
      } else if (startsWith("<")) {
        element.children.push(readElement(inner, element));
      } else {
        const textStart = pos;
        const next = source.indexOf("<", pos);
        pos = next < 0 ? source.length : next;
        element.text += decode(source.slice(textStart, pos), textStart);
      }
    }
  };

  skipMisc();
  if (!startsWith("<")) fail("expected the root element");
  const root = readElement([]);
  skipMisc();
  if (pos < source.length) fail("content after the root element");
  return root;
}

/** Direct children with this local name. */
export function children(element: XmlElement, local: string): XmlElement[] {
  return element.children.filter((child) => child.local === local);
}

/** The single direct child with this local name; throws if there is not exactly one. */
export function child(element: XmlElement, local: string): XmlElement {
  const found = children(element, local);
  if (found.length !== 1) {
    throw new Error(`<${element.name}> (line ${element.line}) has ${found.length} <${local}>`);
  }
  return found[0];
}

/** Follows a path of local names, one child at each step. */
export function path(element: XmlElement, ...locals: string[]): XmlElement {
  return locals.reduce((at, local) => child(at, local), element);
}

/** Every descendant (depth first, document order), the element itself excluded. */
export function descendants(element: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (at: XmlElement): void => {
    for (const c of at.children) {
      out.push(c);
      walk(c);
    }
  };
  walk(element);
  return out;
}
