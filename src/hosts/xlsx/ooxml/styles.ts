/**
 * Adds the cell formats our sheets use to the workbook's own styles part, leaving every existing
 * style (and so every user cell's look) as it was: fonts, fills, number formats, cell formats
 * and differential formats are appended, and cells point at the new indices.
 */
import type { StyleSpec } from "../../../report/spec";
import { esc } from "./xml";

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

const argb = (hex: string): string => (hex.length === 6 ? "FF" + hex : hex).toUpperCase();

const EMPTY_STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`;

/** The children of a collection element (`<fonts>…</fonts>`) and where it sits. */
interface Collection {
  name: string;
  items: string[];
  added: string[];
}

function childElements(body: string, child: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${child}\\b(?:[^>]*?/>|[^>]*?>[\\s\\S]*?</${child}>)`, "g");
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out.push(m[0]);
  return out;
}

export class StyleBook {
  private readonly collections = new Map<string, Collection>();
  private readonly numFmtIds = new Map<string, number>();
  private nextNumFmt = 164;
  private readonly xfCache = new Map<string, number>();
  private readonly dxfCache = new Map<string, number>();
  private readonly fontCache = new Map<string, number>();
  private readonly fillCache = new Map<string, number>();
  private xml: string;

  constructor(existing: string | undefined) {
    this.xml = existing ?? EMPTY_STYLES;
    for (const [name, child] of [
      ["numFmts", "numFmt"],
      ["fonts", "font"],
      ["fills", "fill"],
      ["cellXfs", "xf"],
      ["dxfs", "dxf"],
    ] as const) {
      const m = new RegExp(`<${name}\\b[^>]*?(?:/>|>([\\s\\S]*?)</${name}>)`).exec(this.xml);
      this.collections.set(name, { name, items: m?.[1] ? childElements(m[1], child) : [], added: [] });
    }
    for (const f of this.get("numFmts").items) {
      const id = Number(/numFmtId="(\d+)"/.exec(f)?.[1]);
      const code = /formatCode="([^"]*)"/.exec(f)?.[1];
      if (code !== undefined) this.numFmtIds.set(code, id);
      if (id >= this.nextNumFmt) this.nextNumFmt = id + 1;
    }
  }

  private get(name: string): Collection {
    return this.collections.get(name) as Collection;
  }

  private add(name: string, item: string): number {
    const c = this.get(name);
    c.added.push(item);
    return c.items.length + c.added.length - 1;
  }

  private numFmtId(code: string | undefined): number {
    if (code === undefined || code === "General") return 0;
    const builtin: Record<string, number> = { "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49 };
    if (builtin[code] !== undefined) return builtin[code];
    const escaped = esc(code);
    let id = this.numFmtIds.get(escaped);
    if (id === undefined) {
      id = this.nextNumFmt++;
      this.numFmtIds.set(escaped, id);
      this.add("numFmts", `<numFmt numFmtId="${id}" formatCode="${escaped}"/>`);
    }
    return id;
  }

  private fontXml(look: CellLook): string {
    return `<font>${look.bold ? "<b/>" : ""}${look.italic ? "<i/>" : ""}<sz val="11"/>${look.fontColor ? `<color rgb="${argb(look.fontColor)}"/>` : ""}<name val="Calibri"/><family val="2"/></font>`;
  }

  private fontId(look: CellLook): number {
    if (!look.bold && !look.italic && !look.fontColor) return 0;
    const xml = this.fontXml(look);
    let id = this.fontCache.get(xml);
    if (id === undefined) this.fontCache.set(xml, (id = this.add("fonts", xml)));
    return id;
  }

  private fillId(fill: string | undefined): number {
    if (!fill) return 0;
    const xml = `<fill><patternFill patternType="solid"><fgColor rgb="${argb(fill)}"/><bgColor indexed="64"/></patternFill></fill>`;
    let id = this.fillCache.get(xml);
    if (id === undefined) this.fillCache.set(xml, (id = this.add("fills", xml)));
    return id;
  }

  /** The cellXfs index for a look (0 = the workbook's default). */
  xf(look: CellLook): number {
    const key = JSON.stringify(look);
    let id = this.xfCache.get(key);
    if (id !== undefined) return id;
    const numFmtId = this.numFmtId(look.numFmt);
    const fontId = this.fontId(look);
    const fillId = this.fillId(look.fill);
    const alignment = look.align || look.wrap ? `<alignment${look.align ? ` horizontal="${look.align}"` : ""}${look.wrap ? ' wrapText="1"' : ""} vertical="center"/>` : "";
    const xml =
      `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="0" xfId="0"` +
      `${numFmtId ? ' applyNumberFormat="1"' : ""}${fontId ? ' applyFont="1"' : ""}${fillId ? ' applyFill="1"' : ""}` +
      (alignment ? ` applyAlignment="1">${alignment}</xf>` : "/>");
    id = this.add("cellXfs", xml);
    this.xfCache.set(key, id);
    return id;
  }

  /** A differential format (for conditional formats): fill, font colour, bold. */
  dxf(look: { fill?: string; fontColor?: string; bold?: boolean }): number {
    const font = look.fontColor || look.bold ? `<font>${look.bold ? "<b/>" : ""}${look.fontColor ? `<color rgb="${argb(look.fontColor)}"/>` : ""}</font>` : "";
    const fill = look.fill ? `<fill><patternFill patternType="solid"><bgColor rgb="${argb(look.fill)}"/></patternFill></fill>` : "";
    const xml = `<dxf>${font}${fill}</dxf>`;
    let id = this.dxfCache.get(xml);
    if (id === undefined) this.dxfCache.set(xml, (id = this.add("dxfs", xml)));
    return id;
  }

  /** The styles part with everything added. */
  toXml(): string {
    let xml = this.xml;
    const order = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"];
    for (const name of ["numFmts", "fonts", "fills", "cellXfs", "dxfs"]) {
      const c = this.get(name);
      if (c.added.length === 0) continue;
      const items = [...c.items, ...c.added];
      const element = `<${name} count="${items.length}">${items.join("")}</${name}>`;
      const existing = new RegExp(`<${name}\\b[^>]*?(?:/>|>[\\s\\S]*?</${name}>)`);
      if (existing.test(xml)) {
        xml = xml.replace(existing, () => element);
      } else {
        // Insert before the first collection that must follow it in the schema's order.
        const after = order.slice(order.indexOf(name) + 1).concat(["tableStyles", "colors", "extLst"]);
        const next = after.map((n) => xml.search(new RegExp(`<${n}\\b`))).filter((i) => i >= 0).sort((a, b) => a - b)[0];
        xml = next === undefined ? xml.replace("</styleSheet>", `${element}</styleSheet>`) : xml.slice(0, next) + element + xml.slice(next);
      }
    }
    return xml;
  }
}
