/**
 * Native Excel charts as DrawingML: a drawing part anchoring each chart between two cells, and a
 * chart part per ChartSpec (clustered columns or bars whose series read ranges of the sheet).
 */
import { columnLetter, parseCellRef, parseRangeRef } from "../../../report/a1";
import type { ChartSpec } from "../../../report/spec";
import { esc } from "./xml";

const C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main";
const R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";

const PALETTE = ["5B9BD5", "ED7D31", "A5A5A5", "FFC000", "4472C4", "70AD47"];

/** 'Sheet name'!$A$1:$A$9 from a range on `sheet`. */
function absoluteRef(sheet: string, range: string): string {
  const r = parseRangeRef(range);
  return `'${sheet.replace(/'/g, "''")}'!$${columnLetter(r.left)}$${r.top}:$${columnLetter(r.right)}$${r.bottom}`;
}

function text(value: string): string {
  return `<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr lang="en-US" sz="1200" b="1"/><a:t>${esc(value)}</a:t></a:r></a:p></c:rich></c:tx>`;
}

export function chartXml(sheet: string, spec: ChartSpec): string {
  const series = spec.series
    .map(
      (s, i) =>
        `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:v>${esc(s.name)}</c:v></c:tx>` +
        `<c:spPr><a:solidFill><a:srgbClr val="${(s.color ?? PALETTE[i % PALETTE.length]).replace(/^FF(?=[0-9A-F]{6}$)/i, "")}"/></a:solidFill></c:spPr>` +
        `<c:invertIfNegative val="0"/>` +
        `<c:cat><c:strRef><c:f>${esc(absoluteRef(sheet, spec.categories))}</c:f></c:strRef></c:cat>` +
        `<c:val><c:numRef><c:f>${esc(absoluteRef(sheet, s.values))}</c:f></c:numRef></c:val></c:ser>`,
    )
    .join("");
  const valueFormat = spec.valueFormat ? `<c:numFmt formatCode="${esc(spec.valueFormat)}" sourceLinked="0"/>` : "";
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<c:chartSpace xmlns:c="${C_NS}" xmlns:a="${A_NS}" xmlns:r="${R_NS}"><c:roundedCorners val="0"/>` +
    `<c:chart><c:title>${text(spec.title)}<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>` +
    `<c:barChart><c:barDir val="${spec.type === "bar" ? "bar" : "col"}"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series}` +
    `<c:gapWidth val="80"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>` +
    `<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="${spec.type === "bar" ? "maxMin" : "minMax"}"/></c:scaling><c:delete val="0"/><c:axPos val="${spec.type === "bar" ? "l" : "b"}"/><c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/><c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>` +
    `<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="${spec.type === "bar" ? "b" : "l"}"/><c:majorGridlines/>${valueFormat}<c:tickLblPos val="nextTo"/><c:crossAx val="1001"/><c:crosses val="${spec.type === "bar" ? "max" : "autoZero"}"/><c:crossBetween val="between"/></c:valAx>` +
    `</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`
  );
}

/** The drawing part: chart i anchored between its cells, pointing at relationship rId{i+1}. */
export function drawingXml(specs: ChartSpec[]): string {
  const anchors = specs
    .map((spec, i) => {
      const from = parseCellRef(spec.from);
      const to = parseCellRef(spec.to);
      return (
        `<xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>${from.col - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${from.row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
        `<xdr:to><xdr:col>${to.col - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${to.row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>` +
        `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${i + 2}" name="${esc(spec.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
        `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${C_NS}"><c:chart xmlns:c="${C_NS}" r:id="rId${i + 1}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
      );
    })
    .join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="${XDR_NS}" xmlns:a="${A_NS}" xmlns:r="${R_NS}">${anchors}</xdr:wsDr>`;
}
