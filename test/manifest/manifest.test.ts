/**
 * The add-in manifest (manifest.xml) and what it points at: structure and element order as
 * the Office XSDs require, the Excel ribbon button, en-US / zh-CN strings, resource ids, the
 * icons in assets/, https-only URLs, and the production rewrite done by webpack.config.js.
 */
import * as fs from "fs";
import * as nodePath from "path";
import { child, children, descendants, parseXml, path, type XmlElement } from "./xml";

const ROOT = nodePath.resolve(__dirname, "..", "..");
const NS_APP = "http://schemas.microsoft.com/office/appforoffice/1.1";
const NS_OV = "http://schemas.microsoft.com/office/taskpaneappversionoverrides";
const NS_BT = "http://schemas.microsoft.com/office/officeappbasictypes/1.0";
const NS_XSI = "http://www.w3.org/2001/XMLSchema-instance";
const DEV_BASE = "https://localhost:3000/";

// CommonJS modules without type declarations: required, with their shape spelled out.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { rewriteManifest } = require("../../webpack.config.js") as {
  rewriteManifest: (xml: string, urlProd: string) => string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SIZES, drawIcon } = require("../../scripts/make-icons.js") as {
  SIZES: number[];
  drawIcon: (size: number) => Buffer;
};

const source = fs.readFileSync(nodePath.join(ROOT, "manifest.xml"), "utf8");
const app = parseXml(source);
const vo = child(app, "VersionOverrides");

// ------------------------------------------------------------------ helpers

/** The namespace URI an element's prefix resolves to, looking up the ancestors' xmlns. */
function lookupPrefix(element: XmlElement | undefined, prefix: string): string | undefined {
  for (let at = element; at; at = at.parent) {
    const uri = at.attrs[prefix === "" ? "xmlns" : `xmlns:${prefix}`];
    if (uri !== undefined) return uri;
  }
  return undefined;
}

/** The element's xsi:type, whatever prefix the document binds to the XSI namespace. */
function xsiType(element: XmlElement): string | undefined {
  for (const [name, value] of Object.entries(element.attrs)) {
    const colon = name.indexOf(":");
    if (colon > 0 && name.slice(colon + 1) === "type") {
      if (lookupPrefix(element, name.slice(0, colon)) === NS_XSI) return value;
    }
  }
  return undefined;
}

/** Children appear only from `sequence`, in its order (a name may repeat where it is unbounded). */
function expectSequence(element: XmlElement, sequence: string[]): void {
  let last = -1;
  for (const c of element.children) {
    const index = sequence.indexOf(c.local);
    if (index < 0) {
      throw new Error(`<${c.name}> (line ${c.line}) is not a valid child of <${element.name}>`);
    }
    if (index < last) {
      throw new Error(
        `<${c.name}> (line ${c.line}) is out of order in <${element.name}>: expected ${sequence.join(", ")}`
      );
    }
    last = index;
  }
}

const chars = (s: string): number => Array.from(s).length;

function overrides(element: XmlElement): Map<string, string> {
  return new Map(children(element, "Override").map((o) => [o.attrs.Locale, o.attrs.Value]));
}

function resourceMap(group: string, item: string): Map<string, XmlElement> {
  const map = new Map<string, XmlElement>();
  for (const el of children(path(vo, "Resources", group), item)) {
    expect(el.ns).toBe(NS_BT);
    expect(map.has(el.attrs.id)).toBe(false);
    map.set(el.attrs.id, el);
  }
  return map;
}

const images = resourceMap("Images", "Image");
const urls = resourceMap("Urls", "Url");
const shortStrings = resourceMap("ShortStrings", "String");
const longStrings = resourceMap("LongStrings", "String");

function shortString(resid: string): XmlElement {
  const found = shortStrings.get(resid);
  if (!found) throw new Error(`no ShortString ${resid}`);
  return found;
}

function url(resid: string): string {
  const found = urls.get(resid);
  if (!found) throw new Error(`no Url ${resid}`);
  return found.attrs.DefaultValue;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const buf = fs.readFileSync(file);
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect([...buf.subarray(0, 8)]).toEqual(signature);
  expect(buf.toString("ascii", 12, 16)).toBe("IHDR");
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** assets/icon-N.png for a dev URL; checks the file is an N x N PNG. */
function expectIconFile(iconUrl: string, size?: number): void {
  expect(iconUrl.startsWith(`${DEV_BASE}assets/`)).toBe(true);
  const name = iconUrl.slice(`${DEV_BASE}assets/`.length);
  const file = nodePath.join(ROOT, "assets", name);
  expect(fs.existsSync(file)).toBe(true);
  const dims = pngSize(file);
  const fromName = Number(name.slice("icon-".length, -".png".length));
  expect(name).toBe(`icon-${fromName}.png`);
  expect(dims).toEqual({ width: fromName, height: fromName });
  if (size !== undefined) expect(dims.width).toBe(size);
}

/** Every URL-looking attribute value or text in the document (namespace declarations aside). */
function allUrls(root: XmlElement): string[] {
  const out: string[] = [];
  for (const el of [root, ...descendants(root)]) {
    for (const [name, value] of Object.entries(el.attrs)) {
      if (name === "xmlns" || name.startsWith("xmlns:")) continue;
      if (value.includes("://")) out.push(value);
    }
    if (el.text.includes("://")) out.push(el.text.trim());
  }
  return out;
}

// ------------------------------------------------------------------ tests

describe("manifest.xml: base manifest", () => {
  test("is a TaskPaneApp in the add-in manifest 1.1 namespace", () => {
    expect(app.local).toBe("OfficeApp");
    expect(app.ns).toBe(NS_APP);
    expect(xsiType(app)).toBe("TaskPaneApp");
    expect(lookupPrefix(app, "bt")).toBe(NS_BT);
  });

  test("children follow the OfficeApp + TaskPaneApp sequence of the schema", () => {
    expectSequence(app, [
      "Id",
      "AlternateId",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "AppDomains",
      "Hosts",
      "Requirements",
      "DefaultSettings",
      "Permissions",
      "VersionOverrides",
    ]);
    for (const required of [
      "Id",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "DefaultSettings",
      "Permissions",
    ]) {
      expect(children(app, required)).toHaveLength(1);
    }
  });

  test("has a fixed GUID, version 1.0.0.0, provider and default locale", () => {
    const id = child(app, "Id").text.trim();
    const groups = id.split("-").map((g) => g.length);
    expect(groups).toEqual([8, 4, 4, 4, 12]);
    expect([...id.replace(/-/g, "")].every((c) => "0123456789abcdef".includes(c))).toBe(true);
    expect(child(app, "Version").text.trim()).toBe("1.0.0.0");
    expect(child(app, "ProviderName").text.trim()).toBe("Target Cascade");
    expect(child(app, "DefaultLocale").text.trim()).toBe("en-US");
  });

  test("display name and description in en-US and zh-CN, in the glossary's words", () => {
    const name = child(app, "DisplayName");
    expect(name.attrs.DefaultValue).toBe("Target Cascade");
    expect(overrides(name).get("zh-CN")).toBe("目标分解");

    const description = child(app, "Description");
    const en = description.attrs.DefaultValue;
    for (const word of ["floor", "target", "stretch", "region", "team", "rep", "period"]) {
      expect(en.toLowerCase()).toContain(word);
    }
    const zh = overrides(description).get("zh-CN") ?? "";
    for (const word of ["保底", "力争", "冲刺", "分解"]) expect(zh).toContain(word);
    expect(chars(name.attrs.DefaultValue)).toBeLessThanOrEqual(125);
    expect(chars(en)).toBeLessThanOrEqual(250);
    expect(chars(zh)).toBeLessThanOrEqual(250);
  });

  test("runs in Excel only, needs ExcelApi 1.6, reads and writes the workbook", () => {
    const hosts = children(child(app, "Hosts"), "Host").map((h) => h.attrs.Name);
    expect(hosts).toEqual(["Workbook"]);
    const sets = children(path(app, "Requirements", "Sets"), "Set");
    expect(sets.map((s) => [s.attrs.Name, s.attrs.MinVersion])).toEqual([["ExcelApi", "1.6"]]);
    expect(child(app, "Permissions").text.trim()).toBe("ReadWriteDocument");
  });

  test("points at the dev server: task pane, icons, support page, app domain", () => {
    expect(path(app, "DefaultSettings", "SourceLocation").attrs.DefaultValue).toBe(
      `${DEV_BASE}taskpane.html`
    );
    expect(child(app, "SupportUrl").attrs.DefaultValue).toBe(`${DEV_BASE}support.html`);
    expect(children(child(app, "AppDomains"), "AppDomain").map((d) => d.text.trim())).toEqual([
      DEV_BASE.slice(0, -1),
    ]);
    expectIconFile(child(app, "IconUrl").attrs.DefaultValue, 32);
    expectIconFile(child(app, "HighResolutionIconUrl").attrs.DefaultValue, 64);
  });

  test("uses https for every URL", () => {
    const found = allUrls(app);
    expect(found.length).toBeGreaterThan(5);
    for (const u of found) expect(u.startsWith("https://")).toBe(true);
  });
});

describe("manifest.xml: VersionOverrides (ribbon)", () => {
  const host = path(vo, "Hosts", "Host");
  const formFactor = child(host, "DesktopFormFactor");
  const extensionPoint = child(formFactor, "ExtensionPoint");
  const officeTab = child(extensionPoint, "OfficeTab");
  const group = child(officeTab, "Group");
  const control = child(group, "Control");
  const action = child(control, "Action");

  test("is a task pane VersionOverrides 1.0 for the Workbook host", () => {
    expect(vo.ns).toBe(NS_OV);
    expect(xsiType(vo)).toBe("VersionOverridesV1_0");
    expect(xsiType(host)).toBe("Workbook");
    expect(children(child(vo, "Hosts"), "Host")).toHaveLength(1);
  });

  test("elements follow the schema sequences", () => {
    expectSequence(vo, [
      "Description",
      "Requirements",
      "Hosts",
      "Resources",
      "WebApplicationInfo",
      "EquivalentAddins",
    ]);
    expectSequence(host, ["AllFormFactors", "DesktopFormFactor"]);
    expectSequence(formFactor, ["GetStarted", "FunctionFile", "ExtensionPoint"]);
    expectSequence(child(formFactor, "GetStarted"), ["Title", "Description", "LearnMoreUrl"]);
    expectSequence(extensionPoint, ["OfficeTab", "CustomTab"]);
    expectSequence(officeTab, ["Group"]);
    expectSequence(group, ["Label", "Icon", "Control"]);
    expectSequence(control, ["Label", "Supertip", "Icon", "Action"]);
    expectSequence(child(control, "Supertip"), ["Title", "Description"]);
    expectSequence(action, ["TaskpaneId", "SourceLocation", "Title"]);
    expectSequence(child(vo, "Resources"), ["Images", "Urls", "ShortStrings", "LongStrings"]);
  });

  test("a button in a Target Cascade group on the Home tab shows the task pane", () => {
    expect(xsiType(extensionPoint)).toBe("PrimaryCommandSurface");
    expect(officeTab.attrs.id).toBe("TabHome");
    const groupLabel = shortString(child(group, "Label").attrs.resid);
    expect(groupLabel.attrs.DefaultValue).toBe("Target Cascade");
    expect(overrides(groupLabel).get("zh-CN")).toBe("目标分解");

    expect(xsiType(control)).toBe("Button");
    expect(xsiType(action)).toBe("ShowTaskpane");
    expect(url(child(action, "SourceLocation").attrs.resid)).toBe(
      path(app, "DefaultSettings", "SourceLocation").attrs.DefaultValue
    );
  });

  test("ids are unique and at most 125 characters", () => {
    const ids = [group, control, officeTab].map((el) => el.attrs.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(chars(id)).toBeLessThanOrEqual(125);
  });

  test("every resid resolves to a resource of the right kind, and is at most 32 characters", () => {
    const kinds: Record<string, Map<string, XmlElement>> = {
      Image: images,
      Label: shortStrings,
      Title: shortStrings,
      Description: longStrings,
      SourceLocation: urls,
      LearnMoreUrl: urls,
      FunctionFile: urls,
    };
    const users = descendants(child(vo, "Hosts")).filter((el) => "resid" in el.attrs);
    expect(users.length).toBeGreaterThan(10);
    for (const el of users) {
      const resid = el.attrs.resid;
      expect(chars(resid)).toBeLessThanOrEqual(32);
      const table = kinds[el.local];
      if (!table) throw new Error(`<${el.name}> (line ${el.line}) uses resid in an unknown place`);
      if (!table.has(resid)) {
        throw new Error(`<${el.name} resid="${resid}"> (line ${el.line}) has no resource`);
      }
    }
    for (const table of [images, urls, shortStrings, longStrings]) {
      for (const id of table.keys()) expect(chars(id)).toBeLessThanOrEqual(32);
    }
  });

  test("every string resource has a zh-CN override within the length limits", () => {
    for (const [table, max] of [
      [shortStrings, 125],
      [longStrings, 250],
    ] as const) {
      for (const [id, el] of table) {
        const zh = overrides(el).get("zh-CN");
        if (!zh) throw new Error(`string ${id} has no zh-CN override`);
        expect(chars(el.attrs.DefaultValue)).toBeLessThanOrEqual(max);
        expect(chars(zh)).toBeLessThanOrEqual(max);
      }
    }
  });

  test("icon lists give 16, 32 and 80 px images that exist in assets/ at those sizes", () => {
    const lists = descendants(child(vo, "Hosts")).filter((el) => el.local === "Icon");
    expect(lists).toHaveLength(2); // the group's and the button's
    for (const list of lists) {
      const sizes = children(list, "Image").map((img) => Number(img.attrs.size));
      expect([...sizes].sort((a, b) => a - b)).toEqual([16, 32, 80]);
      for (const img of children(list, "Image")) {
        const resource = images.get(img.attrs.resid);
        if (!resource) throw new Error(`no image ${img.attrs.resid}`);
        expectIconFile(resource.attrs.DefaultValue, Number(img.attrs.size));
      }
    }
  });
});

describe("assets/", () => {
  test.each([16, 32, 64, 80, 128])(
    "icon-%i.png is committed and matches scripts/make-icons.js",
    (size) => {
      expect(SIZES).toContain(size);
      const file = nodePath.join(ROOT, "assets", `icon-${size}.png`);
      expect(pngSize(file)).toEqual({ width: size, height: size });
      expect(fs.readFileSync(file).equals(drawIcon(size))).toBe(true);
    }
  );
});

describe("production manifest", () => {
  test("rewriteManifest moves every dev URL to the production base", () => {
    const prod = "https://addins.example.net/target-cascade/";
    const rewritten = rewriteManifest(source, prod);
    expect(rewritten).not.toContain("localhost");
    const doc = parseXml(rewritten);
    expect(path(doc, "DefaultSettings", "SourceLocation").attrs.DefaultValue).toBe(
      `${prod}taskpane.html`
    );
    expect(children(child(doc, "AppDomains"), "AppDomain").map((d) => d.text.trim())).toEqual([
      "https://addins.example.net",
    ]);
    for (const u of allUrls(doc)) {
      expect(u === "https://addins.example.net" || u.startsWith(prod)).toBe(true);
    }
    // Same elements, same order: only URLs changed.
    const shape = (root: XmlElement): string[] =>
      [root, ...descendants(root)].map((el) => `${el.name}:${Object.keys(el.attrs).join(",")}`);
    expect(shape(doc)).toEqual(shape(app));
  });

  const distManifest = nodePath.join(ROOT, "dist", "manifest.xml");
  const distHtml = nodePath.join(ROOT, "dist", "taskpane.html");
  // A production build names the bundle taskpane.<contenthash>.js; a development build does not
  // rewrite the manifest, so only a production dist/ is checked.
  const productionDist =
    fs.existsSync(distManifest) &&
    fs.existsSync(distHtml) &&
    fs
      .readdirSync(nodePath.dirname(distHtml))
      .some((f) => f.startsWith("taskpane.") && f.endsWith(".js") && f.split(".").length === 3);

  (productionDist ? test : test.skip)(
    "dist/manifest.xml from `webpack --mode production` has no localhost URL left",
    () => {
      const built = fs.readFileSync(distManifest, "utf8");
      expect(built).not.toContain("localhost");
      const doc = parseXml(built);
      expect(child(doc, "Id").text.trim()).toBe(child(app, "Id").text.trim());
      expect(child(doc, "Version").text.trim()).toBe(child(app, "Version").text.trim());
      const taskpane = path(doc, "DefaultSettings", "SourceLocation").attrs.DefaultValue;
      expect(taskpane.endsWith("/taskpane.html")).toBe(true);
      const base = taskpane.slice(0, -"taskpane.html".length);
      const origin = new URL(base).origin;
      for (const u of allUrls(doc)) {
        expect(u.startsWith("https://")).toBe(true);
        expect(u === origin || u.startsWith(base)).toBe(true);
      }
    }
  );
});
