/**
 * Replacing sheets inside a package: remove the parts of the sheets being replaced, add the new
 * worksheet and table parts, and rewrite the workbook's sheet list, defined names, relationships
 * and content types to match. Every other part is left exactly as it was.
 */
import { CONTENT_TYPE, REL, relsPathOf, type OoxmlPackage, type Relationship, type SheetEntry } from "./package";
import type { SheetParts } from "./sheet";
import type { StyleBook } from "./styles";
import { esc, tags } from "./xml";

export interface NewSheet {
  name: string;
  parts: SheetParts;
  state?: "hidden" | "veryHidden";
  /** The sheet this one replaces: the new sheet takes its place among the tabs. */
  replaces?: SheetEntry;
}

/** Table ids are unique across the workbook: the next free one. */
export async function nextTableId(pkg: OoxmlPackage): Promise<number> {
  let max = 0;
  for (const path of pkg.paths()) {
    if (!/^xl\/tables\/[^/]+\.xml$/.test(path)) continue;
    const xml = await pkg.text(path);
    const id = Number(/<(?:\w+:)?table\b[^>]*?\sid="(\d+)"/.exec(xml ?? "")?.[1] ?? 0);
    if (id > max) max = id;
  }
  return max + 1;
}

function nextRelId(rels: Relationship[]): () => string {
  let n = rels.reduce((m, r) => Math.max(m, Number(/^rId(\d+)$/.exec(r.id)?.[1] ?? 0)), 0);
  return () => `rId${++n}`;
}

async function removePart(pkg: OoxmlPackage, path: string): Promise<void> {
  pkg.remove(path);
  pkg.remove(relsPathOf(path));
  await pkg.setContentType(path, null);
}

/** Removes a sheet the tool owns with the tables, drawings and charts it wrote for it. */
async function removeSheetParts(pkg: OoxmlPackage, sheet: SheetEntry): Promise<void> {
  for (const rel of await pkg.rels(sheet.path)) {
    if (rel.external) continue;
    if (rel.type === REL.drawing) {
      for (const chart of await pkg.rels(rel.target)) if (!chart.external && chart.type === REL.chart) await removePart(pkg, chart.target);
      await removePart(pkg, rel.target);
    } else if (rel.type === REL.table) {
      await removePart(pkg, rel.target);
    }
  }
  await removePart(pkg, sheet.path);
}

/**
 * Removes `remove`, adds `add`, and writes the styles the new sheets use. The new sheets keep the
 * order given; a sheet that replaces another takes its tab position, the others go last.
 */
export async function replaceSheets(pkg: OoxmlPackage, remove: SheetEntry[], add: NewSheet[], book: StyleBook): Promise<void> {
  const before = await pkg.sheets();
  let workbook = await pkg.required(pkg.workbookPath);
  let rels = await pkg.rels(pkg.workbookPath);
  const removed = new Set(remove.map((s) => s.rId));

  for (const sheet of remove) await removeSheetParts(pkg, sheet);
  rels = rels.filter((r) => !removed.has(r.id));

  // The calculation chain lists cells of removed sheets; Excel rebuilds it when it is absent.
  const calc = rels.find((r) => r.type === REL.calcChain);
  if (calc) {
    pkg.remove(calc.target);
    await pkg.setContentType(calc.target, null);
    rels = rels.filter((r) => r !== calc);
  }

  const relId = nextRelId(rels);
  let tableId = await nextTableId(pkg);
  let sheetId = before.reduce((m, s) => Math.max(m, s.sheetId), 0);
  type Slot = { entry?: SheetEntry; xml: string; name: string };
  const slots: Slot[] = before.filter((s) => !removed.has(s.rId)).map((s) => ({ entry: s, xml: "", name: s.name }));
  const original = [...before];

  for (const sheet of add) {
    const path = pkg.freePath("xl/worksheets/sheet");
    const id = relId();
    sheetId++;
    const sheetRels: Relationship[] = [];
    if (sheet.parts.table) {
      const tablePath = pkg.freePath("xl/tables/table");
      const tableXml = sheet.parts.table.replace(/(<table\b[^>]*?\sid=")\d+(")/, `$1${tableId++}$2`);
      pkg.set(tablePath, tableXml);
      await pkg.setContentType(tablePath, CONTENT_TYPE.table);
      sheetRels.push({ id: "rId1", type: REL.table, target: tablePath, external: false });
    }
    if (sheet.parts.drawing) {
      const drawingPath = pkg.freePath("xl/drawings/drawing");
      pkg.set(drawingPath, sheet.parts.drawing.xml);
      await pkg.setContentType(drawingPath, CONTENT_TYPE.drawing);
      const chartRels: Relationship[] = [];
      for (const [i, xml] of sheet.parts.drawing.charts.entries()) {
        const chartPath = pkg.freePath("xl/charts/chart");
        pkg.set(chartPath, xml);
        await pkg.setContentType(chartPath, CONTENT_TYPE.chart);
        chartRels.push({ id: `rId${i + 1}`, type: REL.chart, target: chartPath, external: false });
      }
      pkg.setRels(drawingPath, chartRels);
      sheetRels.push({ id: "rId2", type: REL.drawing, target: drawingPath, external: false });
    }
    if (sheetRels.length) pkg.setRels(path, sheetRels);
    pkg.set(path, sheet.parts.sheet);
    await pkg.setContentType(path, CONTENT_TYPE.worksheet);
    rels.push({ id, type: REL.worksheet, target: path, external: false });
    const xml = `<sheet name="${esc(sheet.name)}" sheetId="${sheetId}"${sheet.state ? ` state="${sheet.state}"` : ""} r:id="${id}"/>`;
    const at = sheet.replaces ? original.findIndex((s) => s.rId === sheet.replaces?.rId) : -1;
    // Keep the replaced sheet's place: insert before the first surviving sheet that came after it.
    const slot: Slot = { xml, name: sheet.name };
    if (at >= 0) {
      const after = slots.findIndex((s) => s.entry !== undefined && original.indexOf(s.entry) > at);
      if (after >= 0) slots.splice(after, 0, slot);
      else slots.push(slot);
    } else {
      slots.push(slot);
    }
  }

  // The sheet list, from the surviving entries (kept as written) and the new ones. A workbook
  // without a sheet list (a brand-new one) gets one where the schema wants it.
  if (!/<(?:\w+:)?sheets[\s/>]/.test(workbook)) {
    const next = ["functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "extLst"]
      .map((n) => workbook.search(new RegExp(`<(?:\\w+:)?${n}\\b`)))
      .filter((i) => i >= 0)
      .sort((a, b) => a - b)[0];
    workbook = next === undefined ? workbook.replace(/<\/((?:\w+:)?)workbook>/, "<sheets/></$1workbook>") : workbook.slice(0, next) + "<sheets/>" + workbook.slice(next);
  }
  const sheetsBody = /<((?:\w+:)?)sheets>([\s\S]*?)<\/(?:\w+:)?sheets>|<((?:\w+:)?)sheets\s*\/>/.exec(workbook);
  if (!sheetsBody) throw new Error("the workbook has no sheet list");
  const prefix = sheetsBody[1] ?? sheetsBody[3] ?? "";
  const entryXml = new Map<string, string>();
  const re = new RegExp(`<${prefix}sheet\\b[^>]*/>`, "g");
  let m: RegExpExecArray | null;
  while ((m = re.exec(sheetsBody[2] ?? ""))) {
    const rId = tags(m[0], "sheet")[0]?.["r:id"];
    if (rId) entryXml.set(rId, m[0]);
  }
  const list = slots.map((s) => (s.entry ? entryXml.get(s.entry.rId) ?? "" : prefix ? s.xml.replace("<sheet ", `<${prefix}sheet `) : s.xml)).join("");
  workbook = workbook.replace(sheetsBody[0], () => `<${prefix}sheets>${list}</${prefix}sheets>`);

  // Sheet-scoped defined names follow their sheet to its new index; names of removed sheets go.
  const newIndex = new Map<number, number>();
  original.forEach((s, i) => {
    const j = slots.findIndex((x) => x.entry === s);
    if (j >= 0) newIndex.set(i, j);
  });
  workbook = workbook.replace(/<((?:\w+:)?)definedName\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?definedName>/g, (whole, p: string, attrText: string) => {
    const local = /\blocalSheetId="(\d+)"/.exec(attrText);
    if (!local) return whole;
    const j = newIndex.get(Number(local[1]));
    if (j === undefined) return "";
    return whole.replace(/\blocalSheetId="\d+"/, `localSheetId="${j}"`);
  });
  workbook = workbook.replace(/<((?:\w+:)?)definedNames>\s*<\/(?:\w+:)?definedNames>/, "");

  // The active tab stays on the same sheet (or the first one when that sheet went away).
  workbook = workbook.replace(/(<(?:\w+:)?workbookView\b[^>]*?\sactiveTab=")(\d+)(")/, (_w, a: string, tab: string, b: string) => {
    const j = newIndex.get(Number(tab)) ?? 0;
    return `${a}${j}${b}`;
  });
  workbook = workbook.replace(/(<(?:\w+:)?workbookView\b[^>]*?\sfirstSheet=")(\d+)(")/, (_w, a: string, _t: string, b: string) => `${a}0${b}`);

  // Formulas of the user's that read the replaced sheets are refreshed when the file opens.
  if (/<(?:\w+:)?calcPr\b/.test(workbook)) {
    workbook = workbook.replace(/<((?:\w+:)?)calcPr\b([^>]*?)\/?>/, (_w, p: string, a: string) => `<${p}calcPr${a.replace(/\s*fullCalcOnLoad="[^"]*"/, "")} fullCalcOnLoad="1"/>`);
  } else {
    workbook = workbook.replace(/(<\/(?:\w+:)?sheets>(?:\s*<(?:\w+:)?functionGroups[\s\S]*?<\/(?:\w+:)?functionGroups>)?(?:\s*<(?:\w+:)?externalReferences[\s\S]*?<\/(?:\w+:)?externalReferences>)?(?:\s*<(?:\w+:)?definedNames[\s\S]*?<\/(?:\w+:)?definedNames>)?)/, `$1<${prefix}calcPr fullCalcOnLoad="1"/>`);
  }
  pkg.set(pkg.workbookPath, workbook);

  // Styles: into the workbook's styles part, creating it when the workbook has none.
  let stylesRel = rels.find((r) => r.type === REL.styles);
  if (!stylesRel) {
    stylesRel = { id: relId(), type: REL.styles, target: "xl/styles.xml", external: false };
    rels.push(stylesRel);
    await pkg.setContentType(stylesRel.target, CONTENT_TYPE.styles);
  }
  pkg.set(stylesRel.target, book.toXml());
  pkg.setRels(pkg.workbookPath, rels);
}
