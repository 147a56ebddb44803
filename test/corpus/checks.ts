/**
 * What the corpus asks of an output beyond the schemas: the user's parts are kept, the styles part
 * is only appended to, the workbook part keeps the user's sheets and defined names, and a
 * macro-enabled workbook stays one. Each check returns one line per problem (empty when it holds).
 */
import { DOMParser, type Attr, type Document, type Element } from "@xmldom/xmldom";

export const SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT = "http://schemas.openxmlformats.org/package/2006/content-types";
export const MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";
export const VBA_PROJECT_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject";

type Entries = Map<string, Uint8Array>;

const text = (d: Uint8Array | undefined) => (d ? Buffer.from(d).toString("utf8") : "");
const parse = (d: Uint8Array | undefined): Document | undefined => {
  if (!d) return undefined;
  try {
    return new DOMParser({ onError: () => undefined }).parseFromString(text(d), "application/xml");
  } catch {
    return undefined;
  }
};
const children = (el: Element): Element[] => Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1);
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));

/** Namespace-aware canonical text of an element: names by URI, attributes sorted, insignificant whitespace dropped. */
export function canonical(el: Element, skipAttr: (a: Attr) => boolean = () => false): string {
  const attrs = Array.from(el.attributes)
    .filter((a) => a.prefix !== "xmlns" && a.name !== "xmlns" && !skipAttr(a))
    .map((a) => `{${a.namespaceURI ?? ""}}${a.localName}=${JSON.stringify(a.value)}`)
    .sort();
  const inner = Array.from(el.childNodes)
    .map((n) => (n.nodeType === 1 ? canonical(n as Element) : n.nodeType === 3 || n.nodeType === 4 ? (n.nodeValue ?? "").trim() === "" && el.childNodes.length > 1 ? "" : JSON.stringify(n.nodeValue) : ""))
    .join("");
  return `<{${el.namespaceURI ?? ""}}${el.localName} ${attrs.join(" ")}>${inner}</>`;
}

function relationships(entries: Entries, rels: string): { id: string; type: string; target: string }[] {
  const doc = parse(entries.get(rels));
  return doc ? Array.from(doc.getElementsByTagNameNS(PKG_REL, "Relationship")).map((r) => ({ id: r.getAttribute("Id") ?? "", type: r.getAttribute("Type") ?? "", target: r.getAttribute("Target") ?? "" })) : [];
}

const resolve = (source: string, target: string): string => {
  const base = source.slice(0, source.lastIndexOf("/") + 1);
  const out: string[] = [];
  for (const s of (target.startsWith("/") ? target.slice(1) : base + target).split("/")) {
    if (s === "..") out.pop();
    else if (s !== "." && s !== "") out.push(s);
  }
  return decodeURI(out.join("/"));
};
const relsOf = (part: string) => part.replace(/([^/]*)$/, "_rels/$1.rels");

/** The workbook part's path, its relationships part and its styles part, from the package's relationships. */
export function packageRoles(entries: Entries): { workbook: string; workbookRels: string; styles?: string } {
  const main = relationships(entries, "_rels/.rels").find((r) => r.type === `${REL}/officeDocument`);
  if (!main) throw new Error("no officeDocument relationship");
  const workbook = resolve("", main.target);
  const styles = relationships(entries, relsOf(workbook)).find((r) => r.type === `${REL}/styles`);
  return { workbook, workbookRels: relsOf(workbook), styles: styles ? resolve(workbook, styles.target) : undefined };
}

/** Lists the styles part may grow (the tool appends its formats); everything else stays as it was. */
const APPENDABLE = new Set(["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"]);

/**
 * The output's styles part keeps the input's: the root's attributes, every list's attributes
 * (`count` may grow) and every entry at its index, canonically equal; lists may only gain entries
 * at their end, extension lists only gain extensions, and a `count` says how many entries follow.
 */
export function stylesAppendedOnly(input: Uint8Array, output: Uint8Array): string[] {
  const a = parse(input)?.documentElement;
  const b = parse(output)?.documentElement;
  if (!a) return [];
  if (!b) return ["the output's styles part cannot be read"];
  const problems: string[] = [];
  const key = (e: Element) => `{${e.namespaceURI}}${e.localName}`;
  const attrsKept = (x: Element, y: Element, where: string, except: (a: Attr) => boolean) => {
    for (const attr of Array.from(x.attributes)) {
      if (attr.prefix === "xmlns" || attr.name === "xmlns" || except(attr)) continue;
      const value = attr.namespaceURI ? y.getAttributeNS(attr.namespaceURI, attr.localName!) : y.getAttribute(attr.localName!);
      if (value !== attr.value) problems.push(`${where}: the user's attribute ${attr.name}="${attr.value}" became ${value === null ? "missing" : `"${value}"`}`);
    }
  };
  if (key(a) !== key(b)) return [`the styles part's root changed from ${key(a)} to ${key(b)}`];
  attrsKept(a, b, "<styleSheet>", () => false);
  const outKids = children(b);
  for (const list of children(a)) {
    const name = list.localName!;
    const match = outKids.find((k) => key(k) === key(list));
    if (!match) {
      problems.push(`<${name}> is gone`);
      continue;
    }
    const isCount = (x: Attr) => x.localName === "count" && !x.namespaceURI;
    if (APPENDABLE.has(name)) {
      attrsKept(list, match, `<${name}>`, isCount);
      const before = children(list);
      const after = children(match);
      before.forEach((entry, i) => {
        if (!after[i] || canonical(entry) !== canonical(after[i])) problems.push(`<${name}> entry ${i} changed: ${canonical(entry).slice(0, 160)} → ${after[i] ? canonical(after[i]).slice(0, 160) : "missing"}`);
      });
      const count = match.getAttribute("count");
      if (count !== null && Number(count) !== after.length) problems.push(`<${name} count="${count}"> holds ${after.length} entries`);
    } else if (name === "extLst") {
      const kept = new Set(children(match).map((e) => canonical(e)));
      for (const ext of children(list)) if (!kept.has(canonical(ext))) problems.push(`an extension of the styles part changed or is gone: ${canonical(ext).slice(0, 160)}`);
    } else if (canonical(list) !== canonical(match)) {
      problems.push(`<${name}> changed`);
    }
  }
  for (const added of outKids.filter((k) => !children(a).some((x) => key(x) === key(k)))) {
    if (!APPENDABLE.has(added.localName!)) problems.push(`<${added.localName}> was added, and it is not a list the tool appends to`);
  }
  return problems;
}

/**
 * Every part of the input that is not the workbook part, its relationships, [Content_Types].xml,
 * docProps/* or the styles part is in the output with the same bytes; the styles part is only
 * appended to (see `stylesAppendedOnly`).
 */
export function userPartsKept(input: Entries, output: Entries): string[] {
  const roles = packageRoles(input);
  const problems: string[] = [];
  for (const [name, data] of input) {
    if (name.endsWith("/") || name === roles.workbook || name === roles.workbookRels || name === "[Content_Types].xml" || name.startsWith("docProps/")) continue;
    if (name === roles.styles) {
      const out = output.get(name);
      if (!out) problems.push(`${name} (the styles part) is gone`);
      else problems.push(...stylesAppendedOnly(data, out).map((p) => `${name}: ${p}`));
      continue;
    }
    if (!output.has(name)) problems.push(`${name} is gone`);
    else if (!same(data, output.get(name))) problems.push(`${name} changed (${data.length} → ${output.get(name)!.length} bytes)`);
  }
  return problems;
}

interface SheetRow {
  name: string;
  sheetId: string;
  state: string;
  part: string;
}

function sheetsOf(entries: Entries): { sheets: SheetRow[]; names: { name: string; scope: string; text: string }[] } {
  const roles = packageRoles(entries);
  const doc = parse(entries.get(roles.workbook));
  if (!doc) return { sheets: [], names: [] };
  const rels = relationships(entries, roles.workbookRels);
  const sheetEls = Array.from(doc.getElementsByTagNameNS(SML, "sheet"));
  const sheets = sheetEls.map((s) => {
    const id = s.getAttributeNS(REL, "id") ?? "";
    const rel = rels.find((r) => r.id === id);
    return { name: s.getAttribute("name") ?? "", sheetId: s.getAttribute("sheetId") ?? "", state: s.getAttribute("state") ?? "visible", part: rel ? resolve(roles.workbook, rel.target) : `(no relationship ${id})` };
  });
  const names = Array.from(doc.getElementsByTagNameNS(SML, "definedName")).map((d) => {
    const local = d.getAttribute("localSheetId");
    return { name: d.getAttribute("name") ?? "", scope: local === null ? "(workbook)" : sheets[Number(local)]?.name ?? `(sheet #${local})`, text: d.textContent ?? "" };
  });
  return { sheets, names };
}

/**
 * The output's workbook part keeps the user's sheets (names, ids, states and parts, in their
 * order) and every defined name of the input (its name, scope and formula).
 */
export function workbookKept(input: Entries, output: Entries): string[] {
  const before = sheetsOf(input);
  const after = sheetsOf(output);
  const problems: string[] = [];
  const userBefore = before.sheets;
  const userAfter = after.sheets.filter((s) => userBefore.some((u) => u.name === s.name));
  if (JSON.stringify(userAfter.map((s) => s.name)) !== JSON.stringify(userBefore.map((s) => s.name))) problems.push(`the user's sheets ${JSON.stringify(userBefore.map((s) => s.name))} became ${JSON.stringify(userAfter.map((s) => s.name))}`);
  for (const s of userBefore) {
    const t = after.sheets.find((x) => x.name === s.name);
    if (t && (t.sheetId !== s.sheetId || t.state !== s.state || t.part !== s.part)) problems.push(`sheet "${s.name}" changed from ${JSON.stringify(s)} to ${JSON.stringify(t)}`);
  }
  for (const n of before.names) {
    if (!after.names.some((m) => m.name === n.name && m.scope === n.scope && m.text === n.text)) problems.push(`the defined name ${n.name} (${n.scope}) = ${n.text} is gone or changed`);
  }
  return problems;
}

/** A macro-enabled workbook stays one: its content type, the vbaProject relationship and part. */
export function macroKept(output: Entries): string[] {
  const roles = packageRoles(output);
  const problems: string[] = [];
  const types = parse(output.get("[Content_Types].xml"));
  const override = types ? Array.from(types.getElementsByTagNameNS(CT, "Override")).find((o) => (o.getAttribute("PartName") ?? "") === `/${roles.workbook}`) : undefined;
  if (override?.getAttribute("ContentType") !== MACRO_WORKBOOK_TYPE) problems.push(`the workbook part's content type is ${override?.getAttribute("ContentType") ?? "missing"}, not ${MACRO_WORKBOOK_TYPE}`);
  const vba = relationships(output, roles.workbookRels).find((r) => r.type === VBA_PROJECT_REL);
  if (!vba) problems.push("the workbook has no vbaProject relationship");
  else if (!output.has(resolve(roles.workbook, vba.target))) problems.push(`the vbaProject relationship points at ${vba.target}, which is not in the package`);
  return problems;
}
