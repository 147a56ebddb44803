/**
 * Adds the cell formats our sheets use to the workbook's own styles part, leaving every existing
 * style (and so every user cell's look) as it was: number formats, fonts, fills, cell formats and
 * differential formats are appended to the part's DOM, every attribute and extension of the
 * user's part is kept, and cells point at the new indices. New fonts are the workbook's default
 * font (font 0) made bold, italic or coloured, so our sheets look like the rest of the workbook.
 */
import type { StyleSpec } from "../../../report/spec";
import { CONTENT_TYPE, REL, type OoxmlPackage } from "./package";
import { attr, child, children, createIn, insertBefore, NS, parseXml, root, type Document, type Element } from "./xml";

/** What one cell looks like: a number format and the merged StyleSpec properties. */
export interface CellLook {
  numFmt?: string;
  bold?: boolean;
  italic?: boolean;
  fill?: string;
  fontColor?: string;
  align?: StyleSpec["align"];
  wrap?: boolean;
}

const MAIN = NS.main;

const argb = (hex: string): string => (hex.length === 6 ? "FF" + hex : hex).toUpperCase();

/** The styleSheet's children in the schema's order (CT_Stylesheet). */
const ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"] as const;

const BUILTIN_FORMATS: Record<string, number> = { "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49 };

const EMPTY_STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="${MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`;

export class StyleBook {
  private readonly sheet: Element;
  private readonly numFmtIds = new Map<string, number>();
  private nextNumFmt = 164;
  private readonly cache = new Map<string, number>();
  private readonly touched = new Set<Element>();

  private constructor(
    private readonly doc: Document,
    readonly path: string,
    private readonly created: boolean,
  ) {
    this.sheet = root(doc, MAIN, "styleSheet", path);
    const numFmts = child(this.sheet, MAIN, "numFmts");
    for (const f of numFmts ? children(numFmts, MAIN, "numFmt") : []) {
      const id = Number(attr(f, "numFmtId"));
      const code = attr(f, "formatCode");
      if (code !== undefined && !this.numFmtIds.has(code)) this.numFmtIds.set(code, id);
      if (id >= this.nextNumFmt) this.nextNumFmt = id + 1;
    }
  }

  /** The workbook's styles part (a new one when it has none). */
  static async open(pkg: OoxmlPackage): Promise<StyleBook> {
    const rel = (await pkg.rels(pkg.workbookPath)).find((r) => r.type === REL.styles && !r.external);
    const doc = rel ? await pkg.dom(rel.target) : undefined;
    if (rel && doc) return new StyleBook(doc, rel.target, false);
    return new StyleBook(parseXml(EMPTY_STYLES, "styles"), rel?.target ?? pkg.freePath("xl/styles", ".xml").replace(/styles\d+\.xml$/, "styles.xml"), true);
  }

  /** Writes the styles into the package (and links a new styles part to the workbook). */
  async commit(pkg: OoxmlPackage): Promise<void> {
    if (this.touched.size === 0 && !this.created) return;
    for (const collection of this.touched) collection.setAttribute("count", String(children(collection, MAIN).length));
    pkg.touch(this.path, this.doc);
    if (this.created) {
      await pkg.addRel(pkg.workbookPath, REL.styles, this.path);
      await pkg.setOverride(this.path, CONTENT_TYPE.styles);
    }
  }

  /** A collection (`fonts`, `cellXfs` …), created in its place when the part has none. */
  private collection(name: (typeof ORDER)[number]): Element {
    let c = child(this.sheet, MAIN, name);
    if (!c) {
      c = createIn(this.sheet, MAIN, name, { count: 0 });
      insertBefore(this.sheet, c, MAIN, ORDER.slice(ORDER.indexOf(name) + 1));
      this.touched.add(c);
    }
    return c;
  }

  /** Appends an item to a collection (`build` adds it under the collection); returns its index. */
  private append(name: (typeof ORDER)[number], build: (parent: Element) => Element): number {
    const c = this.collection(name);
    build(c);
    this.touched.add(c);
    return children(c, MAIN).length - 1;
  }

  /** A new element appended to `parent`, with its children built under it. */
  private el(parent: Element, local: string, attributes: Record<string, string | number | undefined> = {}, kids: ((p: Element) => Element)[] = []): Element {
    const e = createIn(parent, MAIN, local, attributes);
    parent.appendChild(e);
    for (const k of kids) k(e);
    return e;
  }

  private cached(key: string, make: () => number): number {
    let id = this.cache.get(key);
    if (id === undefined) this.cache.set(key, (id = make()));
    return id;
  }

  /** The defaults Excel relies on: font 0, fills 0 (none) and 1 (gray125), border 0, cell style format 0. */
  private ensureDefaults(): void {
    const fonts = this.collection("fonts");
    if (children(fonts, MAIN, "font").length === 0) this.append("fonts", (p) => this.el(p, "font", {}, [(f) => this.el(f, "sz", { val: 11 }), (f) => this.el(f, "name", { val: "Calibri" })]));
    const fills = this.collection("fills");
    const patterns = ["none", "gray125"];
    for (let i = children(fills, MAIN, "fill").length; i < 2; i++) {
      const pattern = patterns[i];
      this.append("fills", (p) => this.el(p, "fill", {}, [(f) => this.el(f, "patternFill", { patternType: pattern })]));
    }
    const borders = this.collection("borders");
    if (children(borders, MAIN, "border").length === 0) this.append("borders", (p) => this.el(p, "border"));
    const styleXfs = this.collection("cellStyleXfs");
    if (children(styleXfs, MAIN, "xf").length === 0) this.append("cellStyleXfs", (p) => this.el(p, "xf", { numFmtId: 0, fontId: 0, fillId: 0, borderId: 0 }));
    const xfs = this.collection("cellXfs");
    if (children(xfs, MAIN, "xf").length === 0) this.append("cellXfs", (p) => this.el(p, "xf", { numFmtId: 0, fontId: 0, fillId: 0, borderId: 0, xfId: 0 }));
  }

  private numFmtId(code: string | undefined): number {
    if (code === undefined || code === "General") return 0;
    if (BUILTIN_FORMATS[code] !== undefined) return BUILTIN_FORMATS[code];
    let id = this.numFmtIds.get(code);
    if (id === undefined) {
      const next = this.nextNumFmt++;
      id = next;
      this.numFmtIds.set(code, next);
      this.append("numFmts", (p) => this.el(p, "numFmt", { numFmtId: next, formatCode: code }));
    }
    return id;
  }

  /** The workbook's default font with bold, italic and a colour set. */
  private fontId(look: CellLook): number {
    if (!look.bold && !look.italic && !look.fontColor) return 0;
    return this.cached(`font|${look.bold ? 1 : 0}|${look.italic ? 1 : 0}|${look.fontColor ?? ""}`, () =>
      this.append("fonts", (p) => {
        const base = children(p, MAIN, "font")[0];
        const font = this.el(p, "font");
        for (const k of base ? children(base, MAIN) : []) {
          if (!["b", "i", "color"].includes(k.localName ?? "")) font.appendChild(k.cloneNode(true));
        }
        const first = font.firstChild;
        if (look.italic) font.insertBefore(createIn(p, MAIN, "i"), first);
        if (look.bold) font.insertBefore(createIn(p, MAIN, "b"), look.italic ? font.firstChild : first);
        if (look.fontColor) insertBefore(font, createIn(p, MAIN, "color", { rgb: argb(look.fontColor) }), MAIN, ["name", "family", "charset", "scheme"]);
        return font;
      }),
    );
  }

  private fillId(fill: string | undefined): number {
    if (!fill) return 0;
    return this.cached(`fill|${fill}`, () =>
      this.append("fills", (p) =>
        this.el(p, "fill", {}, [(f) => this.el(f, "patternFill", { patternType: "solid" }, [(pf) => this.el(pf, "fgColor", { rgb: argb(fill) }), (pf) => this.el(pf, "bgColor", { indexed: 64 })])]),
      ),
    );
  }

  /** The cellXfs index for a look (0 = the workbook's default). */
  xf(look: CellLook): number {
    return this.cached(`xf|${JSON.stringify(look)}`, () => {
      this.ensureDefaults();
      const numFmtId = this.numFmtId(look.numFmt);
      const fontId = this.fontId(look);
      const fillId = this.fillId(look.fill);
      const alignment = look.align !== undefined || look.wrap;
      return this.append("cellXfs", (p) =>
        this.el(
          p,
          "xf",
          {
            numFmtId,
            fontId,
            fillId,
            borderId: 0,
            xfId: 0,
            applyNumberFormat: numFmtId ? 1 : undefined,
            applyFont: fontId ? 1 : undefined,
            applyFill: fillId ? 1 : undefined,
            applyAlignment: alignment ? 1 : undefined,
          },
          alignment ? [(x) => this.el(x, "alignment", { horizontal: look.align, wrapText: look.wrap ? 1 : undefined, vertical: "center" })] : [],
        ),
      );
    });
  }

  /** A differential format (for conditional formats): fill, font colour, bold. */
  dxf(look: { fill?: string; fontColor?: string; bold?: boolean }): number {
    return this.cached(`dxf|${look.bold ? 1 : 0}|${look.fontColor ?? ""}|${look.fill ?? ""}`, () =>
      this.append("dxfs", (p) => {
        const kids: ((e: Element) => Element)[] = [];
        if (look.fontColor || look.bold) {
          kids.push((d) => this.el(d, "font", {}, [...(look.bold ? [(f: Element) => this.el(f, "b")] : []), ...(look.fontColor ? [(f: Element) => this.el(f, "color", { rgb: argb(look.fontColor as string) })] : [])]));
        }
        if (look.fill) kids.push((d) => this.el(d, "fill", {}, [(f) => this.el(f, "patternFill", { patternType: "solid" }, [(pf) => this.el(pf, "bgColor", { rgb: argb(look.fill as string) })])]));
        return this.el(p, "dxf", {}, kids);
      }),
    );
  }
}
