/** The little XML this package needs: escaping, entities, and attributes of one tag. */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Escapes text for element content or a double-quoted attribute, and drops characters XML 1.0 forbids. */
export function esc(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c]).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Resolves entities and character references. */
export function unesc(text: string): string {
  if (text.indexOf("&") < 0) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ent: string) => {
    if (ent[0] === "#") {
      const code = ent[1] === "x" || ent[1] === "X" ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ent] ?? whole;
  });
}

/** Excel escapes characters it cannot store as `_xHHHH_` in shared strings and inline text. */
export function unescOoxml(text: string): string {
  return text.indexOf("_x") < 0 ? text : text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Attributes of a start tag's text (`<c r="A1" t="s">` → { r: "A1", t: "s" }), names without their prefix. */
export function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(tag))) {
    const full = m[1];
    const value = unesc(m[3] ?? m[4] ?? "");
    out[full] = value;
    const local = full.slice(full.indexOf(":") + 1);
    if (local !== full && !(local in out)) out[local] = value;
  }
  return out;
}

/** Every start (or empty) tag of an element name, with its attributes, in document order. */
export function tags(xml: string, name: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const re = new RegExp(`<(?:\\w+:)?${name}(?=[\\s/>])([^>]*)>`, "g");
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) out.push(attrs(m[1]));
  return out;
}
