/**
 * Replacing sheets inside a package: remove the parts of the sheets being replaced, add the new
 * worksheet, table, drawing and chart parts, and edit the workbook's sheet list, defined names,
 * views, calculation properties, relationships, content types and docProps to match. The edits
 * are made on the parts' DOMs, by namespace: a workbook whose SpreadsheetML prefix is `x:`, or
 * whose `r:` is declared per element, gets new elements spelt the way it spells its own. Every
 * other part is left exactly as it was.
 */
import { CONTENT_TYPE, REL, relsPathOf, type OoxmlPackage, type Relationship, type SheetEntry } from "./package";
import type { SheetParts } from "./sheet";
import type { StyleBook } from "./styles";
import { attr, child, children, createIn, insertBefore, NS, removeNode, root, setAttrNS, type Element } from "./xml";

const MAIN = NS.main;

export interface NewSheet {
  name: string;
  parts: SheetParts;
  state?: "hidden" | "veryHidden";
  /** The sheet this one replaces: the new sheet takes its place among the tabs. */
  replaces?: SheetEntry;
}

/** CT_Workbook's children in the schema's order. */
const WORKBOOK_ORDER = [
  "fileVersion",
  "fileSharing",
  "workbookPr",
  "workbookProtection",
  "bookViews",
  "sheets",
  "functionGroups",
  "externalReferences",
  "definedNames",
  "calcPr",
  "oleSize",
  "customWorkbookViews",
  "pivotCaches",
  "smartTagPr",
  "smartTagTypes",
  "webPublishing",
  "fileRecoveryPr",
  "webPublishObjects",
  "extLst",
] as const;

/** The workbook's child `name`, created in its schema position when missing. */
function workbookChild(wb: Element, name: (typeof WORKBOOK_ORDER)[number]): Element {
  let el = child(wb, MAIN, name);
  if (!el) {
    el = createIn(wb, MAIN, name);
    insertBefore(wb, el, MAIN, WORKBOOK_ORDER.slice(WORKBOOK_ORDER.indexOf(name) + 1));
  }
  return el;
}

/** Table ids are unique across the workbook: the next free one. */
export async function nextTableId(pkg: OoxmlPackage): Promise<number> {
  let max = 0;
  for (const path of pkg.paths()) {
    if ((await pkg.contentType(path)) !== CONTENT_TYPE.table) continue;
    const doc = await pkg.dom(path);
    const id = Number(doc?.documentElement?.getAttribute("id") ?? 0);
    if (id > max) max = id;
  }
  return max + 1;
}

async function removePart(pkg: OoxmlPackage, path: string): Promise<void> {
  pkg.remove(path);
  if (pkg.has(relsPathOf(path))) pkg.remove(relsPathOf(path));
  await pkg.setOverride(path, null);
}

/** Removes a sheet the tool owns with the tables, drawings and charts it wrote for it. */
async function removeSheetParts(pkg: OoxmlPackage, sheet: SheetEntry): Promise<void> {
  if (!sheet.path) return;
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
 * The calculation chain without the cells of removed sheets (`i` is the sheet id, and a cell
 * without one is on the same sheet as the cell before it). Removed entirely when nothing is left.
 */
async function dropFromCalcChain(pkg: OoxmlPackage, rel: Relationship, sheetIds: ReadonlySet<number>): Promise<void> {
  const doc = await pkg.dom(rel.target);
  if (!doc) return;
  const chain = root(doc, MAIN, "calcChain", rel.target);
  // A cell after a dropped run always names its sheet (its sheet differs from the run's), so
  // dropping cells never changes which sheet a kept cell is on.
  let sheet = 0;
  let kept = 0;
  let dropped = 0;
  for (const c of children(chain, MAIN, "c")) {
    const i = attr(c, "i");
    if (i !== undefined) sheet = Number(i);
    if (sheetIds.has(sheet)) {
      removeNode(c);
      dropped++;
    } else {
      kept++;
    }
  }
  if (dropped === 0) return;
  if (kept === 0) {
    await removePart(pkg, rel.target);
    await pkg.removeRels(pkg.workbookPath, new Set([rel.id]));
    return;
  }
  pkg.touch(rel.target, doc);
}

/**
 * docProps/app.xml caches the sheet names (TitlesOfParts, counted in HeadingPairs). When its
 * worksheet block is the workbook's worksheets as they were, it is rewritten to the new list;
 * any other layout is left as it is (the cache is informative: Excel rebuilds it on save).
 */
async function updateAppTitles(pkg: OoxmlPackage, before: string[], after: string[]): Promise<void> {
  const rel = (await pkg.rels("")).find((r) => r.type === REL.extendedProperties && !r.external);
  const doc = rel ? await pkg.dom(rel.target) : undefined;
  if (!doc || !rel) return;
  const props = doc.documentElement;
  if (!props || props.namespaceURI !== NS.extendedProps) return;
  const vector = (name: string): Element | undefined => {
    const holder = child(props, NS.extendedProps, name);
    return holder ? child(holder, NS.vt, "vector") : undefined;
  };
  const titles = vector("TitlesOfParts");
  const headings = vector("HeadingPairs");
  if (!titles || !headings) return;
  const names = children(titles, NS.vt, "lpstr");
  const text = names.map((n) => n.textContent ?? "");
  // Heading pairs: (name, count) per block; find the block that lists exactly the old worksheets.
  const pairs = children(headings, NS.vt, "variant");
  let offset = 0;
  for (let k = 0; k + 1 < pairs.length; k += 2) {
    const countEl = child(pairs[k + 1], NS.vt, "i4");
    const count = Number(countEl?.textContent ?? NaN);
    if (!countEl || !Number.isInteger(count)) return;
    const block = text.slice(offset, offset + count);
    if (count === before.length && block.every((t, i) => t === before[i])) {
      const at = names[offset + count] ?? null;
      for (let i = offset; i < offset + count; i++) removeNode(names[i]);
      for (const name of after) {
        const el = createIn(titles, NS.vt, "lpstr");
        el.appendChild(doc.createTextNode(name));
        titles.insertBefore(el, at);
      }
      countEl.textContent = String(after.length);
      titles.setAttribute("size", String(children(titles, NS.vt, "lpstr").length));
      pkg.touch(rel.target, doc);
      return;
    }
    offset += count;
  }
}

/**
 * Removes `remove`, adds `add`, and writes the styles the new sheets use. The new sheets keep the
 * order given; a sheet that replaces another takes its tab position, the others go last.
 */
export async function replaceSheets(pkg: OoxmlPackage, remove: SheetEntry[], add: NewSheet[], book?: StyleBook): Promise<void> {
  const before = await pkg.sheets();
  const doc = await pkg.dom(pkg.workbookPath);
  if (!doc) throw new Error(`the workbook has no ${pkg.workbookPath}`);
  const wb = root(doc, MAIN, "workbook", pkg.workbookPath);
  const removed = new Set(remove.map((s) => s.rId));

  for (const sheet of remove) await removeSheetParts(pkg, sheet);
  if (removed.size) await pkg.removeRels(pkg.workbookPath, removed);

  const removedIds = new Set(remove.map((s) => s.sheetId));
  const calc = (await pkg.rels(pkg.workbookPath)).find((r) => r.type === REL.calcChain && !r.external);
  if (calc && removedIds.size) await dropFromCalcChain(pkg, calc, removedIds);

  const sheetsEl = workbookChild(wb, "sheets");
  const elements = new Map<string, Element>();
  for (const s of children(sheetsEl, MAIN, "sheet")) elements.set(s.getAttributeNS(NS.rel, "id") ?? "", s);

  let sheetId = before.reduce((m, s) => Math.max(m, s.sheetId), 0);
  // The tabs as they will be: surviving sheets (by their entry) and new ones.
  type Slot = { entry?: SheetEntry; name: string; el?: Element; added?: { sheet: NewSheet; rId: string; id: number } };
  const slots: Slot[] = before.filter((s) => !removed.has(s.rId)).map((s) => ({ entry: s, name: s.name, el: elements.get(s.rId) }));

  for (const sheet of add) {
    const path = pkg.freePath("xl/worksheets/sheet");
    const sheetRels: Relationship[] = [];
    if (sheet.parts.table) {
      const tablePath = pkg.freePath("xl/tables/table");
      pkg.set(tablePath, sheet.parts.table);
      await pkg.setOverride(tablePath, CONTENT_TYPE.table);
      sheetRels.push({ id: "rId1", type: REL.table, target: tablePath, external: false });
    }
    if (sheet.parts.drawing) {
      const drawingPath = pkg.freePath("xl/drawings/drawing");
      pkg.set(drawingPath, sheet.parts.drawing.xml);
      await pkg.setOverride(drawingPath, CONTENT_TYPE.drawing);
      const chartRels: Relationship[] = [];
      for (const [i, xml] of sheet.parts.drawing.charts.entries()) {
        const chartPath = pkg.freePath("xl/charts/chart");
        pkg.set(chartPath, xml);
        await pkg.setOverride(chartPath, CONTENT_TYPE.chart);
        chartRels.push({ id: `rId${i + 1}`, type: REL.chart, target: chartPath, external: false });
      }
      pkg.setRels(drawingPath, chartRels);
      sheetRels.push({ id: "rId2", type: REL.drawing, target: drawingPath, external: false });
    }
    if (sheetRels.length) pkg.setRels(path, sheetRels);
    pkg.set(path, sheet.parts.sheet);
    await pkg.setOverride(path, CONTENT_TYPE.worksheet);
    const rId = await pkg.addRel(pkg.workbookPath, REL.worksheet, path);
    const slot: Slot = { name: sheet.name, added: { sheet, rId, id: ++sheetId } };
    // Keep the replaced sheet's place: before the first surviving sheet that came after it.
    const at = sheet.replaces ? before.findIndex((s) => s.rId === sheet.replaces?.rId) : -1;
    const after = at < 0 ? -1 : slots.findIndex((s) => s.entry !== undefined && before.indexOf(s.entry) > at);
    if (after >= 0) slots.splice(after, 0, slot);
    else slots.push(slot);
  }

  // The sheet list in its new order: surviving elements moved as they are, new ones made here.
  for (const s of children(sheetsEl, MAIN, "sheet")) removeNode(s);
  for (const slot of slots) {
    if (slot.el) {
      sheetsEl.appendChild(slot.el);
      continue;
    }
    if (!slot.added) continue;
    const el = createIn(sheetsEl, MAIN, "sheet", { name: slot.added.sheet.name, sheetId: slot.added.id, state: slot.added.sheet.state });
    sheetsEl.appendChild(el);
    setAttrNS(el, NS.rel, "r", "id", slot.added.rId);
  }

  // Sheet-scoped defined names follow their sheet to its new index; names of removed sheets go.
  const newIndex = new Map<number, number>();
  before.forEach((s, i) => {
    const j = slots.findIndex((x) => x.entry === s);
    if (j >= 0) newIndex.set(i, j);
  });
  const names = child(wb, MAIN, "definedNames");
  if (names) {
    for (const dn of children(names, MAIN, "definedName")) {
      const local = attr(dn, "localSheetId");
      if (local === undefined) continue;
      const j = newIndex.get(Number(local));
      if (j === undefined) removeNode(dn);
      else dn.setAttribute("localSheetId", String(j));
    }
    if (children(names, MAIN).length === 0) removeNode(names);
  }

  // A new sheet's print area is a sheet-scoped _xlnm.Print_Area, as Excel keeps it: `'Sheet'!$A$1:$H$40`.
  slots.forEach((slot, i) => {
    const area = slot.added?.sheet.parts.printArea;
    if (!area) return;
    const list = workbookChild(wb, "definedNames");
    const dn = createIn(list, MAIN, "definedName", { name: "_xlnm.Print_Area", localSheetId: i });
    const absolute = area.replace(/\$/g, "").replace(/([A-Z]+)(\d+)/g, "$$$1$$$2");
    dn.appendChild(doc.createTextNode(`'${slot.name.replace(/'/g, "''")}'!${absolute}`));
    list.appendChild(dn);
  });

  // The active tab stays on the same sheet (or the first one when that sheet went away).
  const views = child(wb, MAIN, "bookViews");
  for (const view of views ? children(views, MAIN, "workbookView") : []) {
    const tab = attr(view, "activeTab");
    if (tab !== undefined) view.setAttribute("activeTab", String(newIndex.get(Number(tab)) ?? 0));
    if (attr(view, "firstSheet") !== undefined) view.setAttribute("firstSheet", "0");
  }

  // Formulas of the user's that read the replaced sheets are refreshed when the file opens.
  workbookChild(wb, "calcPr").setAttribute("fullCalcOnLoad", "1");
  pkg.touch(pkg.workbookPath, doc);

  if (book) await book.commit(pkg);
  await updateAppTitles(
    pkg,
    before.filter((s) => s.kind === "worksheet").map((s) => s.name),
    slots.filter((s) => s.added || s.entry?.kind === "worksheet").map((s) => s.name),
  );
}
