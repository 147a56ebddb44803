/**
 * The real office.js (the @microsoft/office-js package, from node_modules) in headless Chromium,
 * under the pane's own Content-Security-Policy: production keeps Microsoft's script tag
 * (https://appsforoffice.microsoft.com/lib/1/hosted/office.js), and this test answers that URL —
 * and every file office.js loads after it from the same folder — with the package's files.
 *
 * Outside an Office host, Office.onReady answers with no host: the pane must say, in both
 * languages, that it runs inside Excel and how to add it, and neither hang nor crash. Any
 * Content-Security-Policy violation, console error or uncaught exception fails the test.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import type { Browser } from "playwright-core";
import { DIST, ensurePaneBuilt, launchChromium, ROOT, screenshotPath, serveStatic, type StaticServer } from "./harness";

jest.setTimeout(300_000);

const OFFICE_JS_DIST = join(ROOT, "node_modules/@microsoft/office-js/dist");
const HOSTED = "https://appsforoffice.microsoft.com/lib/1/hosted/";

let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  ensurePaneBuilt();
  server = await serveStatic(DIST);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const TYPES: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".html": "text/html; charset=utf-8", ".css": "text/css" };

describe("the pane with the real office.js, outside Office", () => {
  it.each([
    ["en-US", /runs inside Excel/, /Upload My Add-in/, /在 Excel（Windows、Mac 或网页版）中运行/],
    ["zh-CN", /在 Excel（Windows、Mac 或网页版）中运行/, /上传我的加载项/, /runs inside Excel/],
  ])("%s: says it runs inside Excel and how to add it, with no CSP violation or error", async (locale, first, howTo, other) => {
    const context = await browser.newContext({ locale, viewport: { width: 380, height: 800 } });
    const served: string[] = [];
    const refused: string[] = [];
    await context.route("**/*", async (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url)) return route.continue();
      if (url.startsWith(HOSTED)) {
        const path = normalize(join(OFFICE_JS_DIST, decodeURIComponent(new URL(url).pathname.slice("/lib/1/hosted/".length))));
        if (path.startsWith(OFFICE_JS_DIST + sep) && existsSync(path) && statSync(path).isFile()) {
          served.push(url);
          return route.fulfill({ status: 200, contentType: TYPES[extname(path)] ?? "application/octet-stream", body: readFileSync(path) });
        }
      }
      refused.push(url);
      return route.abort("blockedbyclient");
    });
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    try {
      const started = Date.now();
      await page.goto(`${server.url}/taskpane.html`, { waitUntil: "domcontentloaded" });
      const notice = page.locator('[data-testid="outside-excel"]');
      await notice.waitFor({ timeout: 30_000 });
      const ms = Date.now() - started;
      const text = await notice.innerText();
      expect(text).toMatch(first);
      expect(text).toMatch(howTo);
      expect(text).toMatch(other);
      expect(await page.locator('[data-testid="outside-excel-other"]').getAttribute("lang")).toBe(locale === "zh-CN" ? "en-US" : "zh-CN");
      // The real library was loaded, from the hosted folder.
      expect(served[0]).toBe(`${HOSTED}office.js`);
      expect(await page.evaluate(() => typeof (window as unknown as { Office?: { onReady?: unknown } }).Office?.onReady)).toBe("function");
      await page.waitForTimeout(1_000);
      await page.screenshot({ path: screenshotPath(`office-js-outside-${locale}`), fullPage: true });
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
      expect(errors).toEqual([]);
      expect(refused).toEqual([]);
      expect(ms).toBeLessThan(10_000);
      console.log(`${locale}: notice after ${ms} ms; office.js loaded ${served.map((u) => u.slice(HOSTED.length)).join(", ")}`);
    } finally {
      await context.close();
    }
  });
});
