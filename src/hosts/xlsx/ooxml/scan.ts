/**
 * A fast, namespace-aware pull scanner for the one part that is too large for a general XML
 * parser: a worksheet's cells. A 180,000-row History sheet is about 60 MB of XML; saxes (with
 * namespaces) takes 3.7 s over it before any work is done, this scanner about a third of that
 * (bench/run.ts, "read"). Everything else in the package goes through @xmldom/xmldom or saxes.
 *
 * It is a real XML tokenizer, not a pattern match:
 * - elements are resolved to their namespace URI through the `xmlns` / `xmlns:p` declarations in
 *   scope (on the root, on any element, re-bound or undone at any depth), never by the prefix's
 *   spelling; `x:c`, `c` and `ns0:c` are the same element when their prefixes name the same URI;
 * - attributes are read by their exact qualified name: unprefixed attributes have no namespace,
 *   so `r` is not `x14ac:r`;
 * - quoted attribute values may hold `>`; text may hold entities, character references and
 *   CDATA sections; comments, processing instructions and a doctype are skipped; line ends are
 *   normalised as XML requires.
 * Malformed markup (an unclosed tag, an end tag that does not match) throws XmlSyntaxError.
 */

export const XMLNS_NS = "http://www.w3.org/2000/xmlns/";
export const XML_NS = "http://www.w3.org/XML/1998/namespace";

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "XmlSyntaxError";
  }
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Resolves the five predefined entities and character references; other `&…;` stay as written. */
export function decodeEntities(text: string): string {
  if (text.indexOf("&") < 0) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, ent: string) => {
    if (ent.charCodeAt(0) === 35) {
      const code = ent.charCodeAt(1) === 120 ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ent] ?? whole;
  });
}

/** XML's end-of-line handling: CR LF and a lone CR are read as LF. */
function normaliseLineEnds(text: string): string {
  return text.indexOf("\r") < 0 ? text : text.replace(/\r\n?/g, "\n");
}

export const enum Token {
  /** The end of the document. */
  Done = 0,
  /** A start tag (or an empty-element tag: then `selfClosing`, and no End follows). */
  Start = 1,
  End = 2,
}

/**
 * Namespace URIs the readers compare against, held once: a URI read from a declaration is
 * replaced by the same string constant, so comparing an element's URI is a pointer check.
 */
const KNOWN_URIS = new Map<string, string>();

/** Makes `uri` (a constant of the reader's) the string every declaration of that URI reads as. */
export function knownNamespace(uri: string): string {
  KNOWN_URIS.set(uri, uri);
  return uri;
}

function internUri(uri: string): string {
  let known = KNOWN_URIS.get(uri);
  if (known === undefined) {
    known = uri;
    KNOWN_URIS.set(uri, uri);
  }
  return known;
}

interface ResolvedName {
  qname: string;
  uri: string;
  local: string;
  /** The prefix with its colon ("x:"), or "" for an unprefixed name. */
  prefix: string;
}

interface Scope {
  depth: number;
  bindings: Map<string, string>;
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/**
 * Pull tokens one at a time with next(). After a Start, `uri`, `local`, `selfClosing` and
 * attr() describe the element; text() then reads the element's character content up to the next
 * tag. After an End, `uri` and `local` name the element that ended.
 */
export class NsScanner {
  /** Namespace URI of the current element ("" when it has none). */
  uri = "";
  local = "";
  selfClosing = false;
  /** Element depth: 1 inside the root's start tag. */
  depth = 0;

  private pos = 0;
  private bindings = new Map<string, string>([["xml", XML_NS]]);
  private readonly scopes: Scope[] = [];
  /** Element names resolved under the bindings in force (a handful: row, c, v …). */
  private resolved: ResolvedName[] = [];
  /** Attribute positions of the current start tag: name start, name end, value start, value end. */
  private attrPos = new Int32Array(64);
  private attrCount = 0;
  /** Open elements, to check that end tags match (and to know what an end tag ends). */
  private readonly open: ResolvedName[] = [];
  private pendingPop = false;

  constructor(private readonly xml: string) {}

  /** The namespace URI a prefix ("" for the default namespace) is bound to here, if any. */
  lookup(prefix: string): string | undefined {
    return this.bindings.get(prefix);
  }

  next(): Token {
    const xml = this.xml;
    if (this.pendingPop) {
      // The scope of an empty element's own declarations ends with it.
      this.pendingPop = false;
      this.popScopes(this.depth + 1);
    }
    for (;;) {
      const lt = xml.indexOf("<", this.pos);
      if (lt < 0) {
        if (this.open.length) throw new XmlSyntaxError(`unclosed element <${this.open[this.open.length - 1]}>`, xml.length);
        this.pos = xml.length;
        return Token.Done;
      }
      const c = xml.charCodeAt(lt + 1);
      if (c === 47 /* / */) return this.endTag(lt);
      if (c === 63 /* ? */) {
        this.pos = this.skipTo("?>", lt + 2);
        continue;
      }
      if (c === 33 /* ! */) {
        this.pos = this.skipMarkup(lt);
        continue;
      }
      return this.startTag(lt);
    }
  }

  /** An unprefixed attribute of the current start tag, decoded; undefined when absent. */
  attr(name: string): string | undefined {
    const xml = this.xml;
    const p = this.attrPos;
    const n = name.length;
    const first = name.charCodeAt(0);
    for (let k = 0; k < this.attrCount; k++) {
      const ns = p[4 * k];
      if (p[4 * k + 1] - ns === n && xml.charCodeAt(ns) === first && (n === 1 || xml.startsWith(name, ns))) {
        const raw = xml.slice(p[4 * k + 2], p[4 * k + 3]);
        return NEEDS_NORMALISING.test(raw) ? normaliseAttr(raw) : raw;
      }
    }
    return undefined;
  }

  /**
   * Several unprefixed attributes of the current start tag in one pass: `out[i]` is the decoded
   * value of `names[i]`, or undefined.
   */
  attrs(names: readonly string[], out: (string | undefined)[]): void {
    const xml = this.xml;
    const p = this.attrPos;
    out.fill(undefined);
    for (let k = 0; k < this.attrCount; k++) {
      const ns = p[4 * k];
      const n = p[4 * k + 1] - ns;
      const first = xml.charCodeAt(ns);
      for (let j = 0; j < names.length; j++) {
        const name = names[j];
        if (name.length !== n || name.charCodeAt(0) !== first || (n > 1 && !xml.startsWith(name, ns))) continue;
        const raw = xml.slice(p[4 * k + 2], p[4 * k + 3]);
        out[j] = NEEDS_NORMALISING.test(raw) ? normaliseAttr(raw) : raw;
        break;
      }
    }
  }

  /** The XML text being scanned (for readers that look at attribute values in place). */
  get source(): string {
    return this.xml;
  }

  /**
   * Where several unprefixed attributes' values lie in `source`, without making strings:
   * `spans[2i]` and `spans[2i + 1]` are the start and end of `names[i]`'s raw value, or both -1
   * when it is absent. False when some value found needs decoding (an entity, a tab or a line
   * end): then the spans are not the values, and attrs() gives them.
   */
  attrSpans(names: readonly string[], spans: Int32Array): boolean {
    const xml = this.xml;
    const p = this.attrPos;
    for (let j = 0; j < spans.length; j++) spans[j] = -1;
    for (let k = 0; k < this.attrCount; k++) {
      const ns = p[4 * k];
      const n = p[4 * k + 1] - ns;
      const first = xml.charCodeAt(ns);
      for (let j = 0; j < names.length; j++) {
        const name = names[j];
        if (name.length !== n || name.charCodeAt(0) !== first || (n > 1 && !xml.startsWith(name, ns))) continue;
        const vs = p[4 * k + 2];
        const ve = p[4 * k + 3];
        for (let i = vs; i < ve; i++) {
          const c = xml.charCodeAt(i);
          if (c === 38 || c === 9 || c === 10 || c === 13) return false;
        }
        spans[2 * j] = vs;
        spans[2 * j + 1] = ve;
        break;
      }
    }
    return true;
  }

  /**
   * A fast path for the commonest markup of a sheet, `<v>123</v>`: when the current element (just
   * started) holds next a child spelt `<p:local>` with no attributes and the current element's own
   * prefix, that child is in the same namespace (having no attributes, it declares none), so its
   * plain text is returned and the child consumed. Undefined, with nothing consumed, otherwise.
   */
  simpleChild(local: string): string | undefined {
    const parent = this.open[this.open.length - 1];
    if (!parent || this.pendingPop) return undefined;
    const start = this.plainOpen(this.pos, parent.prefix, local);
    if (start < 0) return undefined;
    const end = this.xml.indexOf("<", start);
    const after = end < 0 ? -1 : this.plainClose(end, parent.prefix, local);
    if (after < 0) return undefined;
    this.pos = after;
    return this.plainText(start, end);
  }

  /**
   * The same fast path for an inline string's commonest markup, `<is><t>text</t></is>`, both
   * children without attributes and spelt with the current element's prefix. Undefined, with
   * nothing consumed, for any other markup (runs, phonetic runs, `xml:space`, CDATA, comments).
   */
  simpleInline(): string | undefined {
    const parent = this.open[this.open.length - 1];
    if (!parent || this.pendingPop) return undefined;
    const prefix = parent.prefix;
    const is = this.plainOpen(this.pos, prefix, "is");
    const start = is < 0 ? -1 : this.plainOpen(is, prefix, "t");
    if (start < 0) return undefined;
    const end = this.xml.indexOf("<", start);
    const closeT = end < 0 ? -1 : this.plainClose(end, prefix, "t");
    const after = closeT < 0 ? -1 : this.plainClose(closeT, prefix, "is");
    if (after < 0) return undefined;
    this.pos = after;
    return this.plainText(start, end);
  }

  /** The position after `<prefix+local>` spelt at `at` with no attributes, or -1. */
  private plainOpen(at: number, prefix: string, local: string): number {
    const xml = this.xml;
    if (xml.charCodeAt(at) !== 60) return -1;
    at++;
    if (prefix.length > 0) {
      if (!xml.startsWith(prefix, at)) return -1;
      at += prefix.length;
    }
    if (!xml.startsWith(local, at) || xml.charCodeAt(at + local.length) !== 62) return -1;
    return at + local.length + 1;
  }

  /** The position after `</prefix+local>` spelt at `at` (no space before its '>'), or -1. */
  private plainClose(at: number, prefix: string, local: string): number {
    const xml = this.xml;
    if (xml.charCodeAt(at) !== 60 || xml.charCodeAt(at + 1) !== 47) return -1;
    at += 2;
    if (prefix.length > 0) {
      if (!xml.startsWith(prefix, at)) return -1;
      at += prefix.length;
    }
    if (!xml.startsWith(local, at) || xml.charCodeAt(at + local.length) !== 62) return -1;
    return at + local.length + 1;
  }

  /** xml[start, end), character data with no markup in it, decoded. */
  private plainText(start: number, end: number): string {
    const raw = this.xml.slice(start, end);
    return raw.indexOf("&") < 0 && raw.indexOf("\r") < 0 ? raw : decodeEntities(normaliseLineEnds(raw));
  }

  /**
   * The character content from here to the next start or end tag (comments and processing
   * instructions inside are skipped, CDATA sections included), decoded. Leaves the scanner before
   * that tag, so next() returns it.
   */
  text(): string {
    const xml = this.xml;
    let out = "";
    for (;;) {
      const lt = xml.indexOf("<", this.pos);
      const end = lt < 0 ? xml.length : lt;
      if (end > this.pos) out += decodeEntities(normaliseLineEnds(xml.slice(this.pos, end)));
      if (lt < 0) {
        this.pos = xml.length;
        return out;
      }
      if (xml.startsWith("<![CDATA[", lt)) {
        const close = xml.indexOf("]]>", lt + 9);
        if (close < 0) throw new XmlSyntaxError("unclosed CDATA section", lt);
        out += normaliseLineEnds(xml.slice(lt + 9, close));
        this.pos = close + 3;
        continue;
      }
      if (xml.startsWith("<!--", lt) || xml.charCodeAt(lt + 1) === 63) {
        this.pos = xml.charCodeAt(lt + 1) === 63 ? this.skipTo("?>", lt + 2) : this.skipTo("-->", lt + 4);
        continue;
      }
      this.pos = lt;
      return out;
    }
  }

  /** Skips the current element's content up to and including its end tag (after a Start that is not self-closing). */
  skipElement(): void {
    const depth = this.depth;
    while (this.depth >= depth) {
      const t = this.next();
      if (t === Token.Done) return;
    }
  }

  private skipTo(close: string, from: number): number {
    const at = this.xml.indexOf(close, from);
    if (at < 0) throw new XmlSyntaxError(`unclosed markup (no "${close}")`, from);
    return at + close.length;
  }

  /** `<!--…-->`, `<![CDATA[…]]>` outside text, or `<!DOCTYPE …>` (with an internal subset). */
  private skipMarkup(lt: number): number {
    const xml = this.xml;
    if (xml.startsWith("<!--", lt)) return this.skipTo("-->", lt + 4);
    if (xml.startsWith("<![CDATA[", lt)) return this.skipTo("]]>", lt + 9);
    // A doctype: skip its internal subset, if any, then the closing '>'.
    const bracket = xml.indexOf("[", lt);
    const gt = xml.indexOf(">", lt);
    if (gt < 0) throw new XmlSyntaxError("unclosed declaration", lt);
    if (bracket >= 0 && bracket < gt) return this.skipTo(">", this.skipTo("]", bracket));
    return gt + 1;
  }

  private startTag(lt: number): Token {
    const xml = this.xml;
    let i = lt + 1;
    const nameStart = i;
    for (;;) {
      const c = xml.charCodeAt(i);
      if (isSpace(c) || c === 47 || c === 62 || Number.isNaN(c)) break;
      i++;
    }
    if (i === nameStart) throw new XmlSyntaxError("a '<' that starts no tag", lt);
    const nameEnd = i;
    // Attributes.
    let count = 0;
    let declares = false;
    for (;;) {
      while (isSpace(xml.charCodeAt(i))) i++;
      const c = xml.charCodeAt(i);
      if (c === 62 /* > */) {
        this.selfClosing = false;
        i++;
        break;
      }
      if (c === 47 /* / */ && xml.charCodeAt(i + 1) === 62) {
        this.selfClosing = true;
        i += 2;
        break;
      }
      if (Number.isNaN(c)) throw new XmlSyntaxError(`unclosed tag <${xml.slice(nameStart, nameEnd)}`, lt);
      const an = i;
      const eq = xml.indexOf("=", i);
      if (eq < 0) throw new XmlSyntaxError(`attribute without a value in <${xml.slice(nameStart, nameEnd)}>`, an);
      let ae = eq;
      while (ae > an && isSpace(xml.charCodeAt(ae - 1))) ae--;
      if (ae === an) throw new XmlSyntaxError(`attribute without a name in <${xml.slice(nameStart, nameEnd)}>`, an);
      i = eq + 1;
      while (isSpace(xml.charCodeAt(i))) i++;
      const q = xml.charCodeAt(i);
      if (q !== 34 && q !== 39) throw new XmlSyntaxError(`unquoted attribute value in <${xml.slice(nameStart, nameEnd)}>`, i);
      const vs = i + 1;
      const ve = xml.indexOf(q === 34 ? '"' : "'", vs);
      if (ve < 0) throw new XmlSyntaxError(`unclosed attribute value in <${xml.slice(nameStart, nameEnd)}>`, vs);
      i = ve + 1;
      if (4 * count + 4 > this.attrPos.length) {
        const grown = new Int32Array(this.attrPos.length * 2);
        grown.set(this.attrPos);
        this.attrPos = grown;
      }
      this.attrPos[4 * count] = an;
      this.attrPos[4 * count + 1] = ae;
      this.attrPos[4 * count + 2] = vs;
      this.attrPos[4 * count + 3] = ve;
      count++;
      if (xml.charCodeAt(an) === 120 && xml.startsWith("xmlns", an) && (ae - an === 5 || xml.charCodeAt(an + 5) === 58)) declares = true;
    }
    this.attrCount = count;
    this.pos = i;
    this.depth++;
    if (declares) this.declare();
    const name = this.resolve(nameStart, nameEnd);
    this.uri = name.uri;
    this.local = name.local;
    if (this.selfClosing) {
      this.depth--;
      if (declares) this.pendingPop = true;
    } else {
      this.open.push(name);
    }
    return Token.Start;
  }

  private endTag(lt: number): Token {
    const xml = this.xml;
    const expected = this.open.pop();
    let gt = expected === undefined ? -1 : lt + 2 + expected.qname.length;
    if (expected === undefined || !xml.startsWith(expected.qname, lt + 2)) gt = -1;
    else while (isSpace(xml.charCodeAt(gt))) gt++;
    if (expected === undefined || gt < 0 || xml.charCodeAt(gt) !== 62) {
      const close = xml.indexOf(">", lt);
      const found = xml.slice(lt + 2, close < 0 ? xml.length : close).trimEnd();
      throw new XmlSyntaxError(expected === undefined ? `end tag </${found}> with no start tag` : `</${found}> where </${expected.qname}> was expected`, lt);
    }
    this.pos = gt + 1;
    this.uri = expected.uri;
    this.local = expected.local;
    this.depth--;
    this.selfClosing = false;
    this.popScopes(this.depth + 1);
    return Token.End;
  }

  /** The element name at xml[start, end), resolved through the bindings in force. */
  private resolve(start: number, end: number): ResolvedName {
    const xml = this.xml;
    const length = end - start;
    const cache = this.resolved;
    for (let k = cache.length - 1; k >= 0; k--) {
      const r = cache[k];
      if (r.qname.length === length && xml.startsWith(r.qname, start)) return r;
    }
    const qname = xml.slice(start, end);
    const colon = qname.indexOf(":");
    const prefix = colon < 0 ? "" : qname.slice(0, colon);
    const uri = this.bindings.get(prefix);
    if (uri === undefined && prefix !== "") throw new XmlSyntaxError(`namespace prefix "${prefix}" of <${qname}> is not declared`, start);
    const r: ResolvedName = { qname, uri: uri ?? "", local: colon < 0 ? qname : qname.slice(colon + 1), prefix: colon < 0 ? "" : qname.slice(0, colon + 1) };
    if (this.resolved.length >= 32) this.resolved = [];
    this.resolved.push(r);
    return r;
  }

  /** Applies the current start tag's namespace declarations in a new scope. */
  private declare(): void {
    const xml = this.xml;
    const p = this.attrPos;
    const next = new Map(this.bindings);
    for (let k = 0; k < this.attrCount; k++) {
      const an = p[4 * k];
      const ae = p[4 * k + 1];
      if (!(xml.charCodeAt(an) === 120 && xml.startsWith("xmlns", an) && (ae - an === 5 || xml.charCodeAt(an + 5) === 58))) continue;
      const prefix = ae - an === 5 ? "" : xml.slice(an + 6, ae);
      const uri = internUri(decodeEntities(xml.slice(p[4 * k + 2], p[4 * k + 3])));
      if (uri === "" && prefix === "") next.delete("");
      else next.set(prefix, uri);
    }
    this.scopes.push({ depth: this.depth, bindings: this.bindings });
    this.bindings = next;
    this.resolved = [];
  }

  /** Ends the scopes opened at `depth` or deeper. */
  private popScopes(depth: number): void {
    let changed = false;
    while (this.scopes.length && this.scopes[this.scopes.length - 1].depth >= depth) {
      this.bindings = (this.scopes.pop() as Scope).bindings;
      changed = true;
    }
    if (changed) this.resolved = [];
  }
}

const NEEDS_NORMALISING = /[&\t\n\r]/;

/** Attribute-value normalisation: entities resolved, and tabs and line ends read as spaces. */
function normaliseAttr(raw: string): string {
  return decodeEntities(raw.replace(/\r\n|[\t\n\r]/g, " "));
}
