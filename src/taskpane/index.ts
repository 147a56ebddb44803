/**
 * Target Cascade task pane, first screen: which of the input tables the open workbook has.
 * Plain DOM for now; the React + Fluent UI pane replaces this file.
 *
 * Office.js comes from the <script> tag in taskpane.html (never bundled); `Office` and `Excel`
 * are ambient globals typed by @types/office-js, so nothing here imports them.
 */
import { detectInputs, type FoundInput } from "./inputs";
import { paneLang, paneText, type PaneLang, type PaneStringKey } from "./strings";

interface WorkbookNames {
  tables: string[];
  sheets: string[];
}

/** Every table name and sheet name, read in one batch with a single context.sync(). */
async function readWorkbookNames(): Promise<WorkbookNames> {
  return Excel.run(async (context) => {
    const tables = context.workbook.tables.load("items/name");
    const sheets = context.workbook.worksheets.load("items/name");
    await context.sync();
    return {
      tables: tables.items.map((table) => table.name),
      sheets: sheets.items.map((sheet) => sheet.name),
    };
  });
}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`taskpane.html has no #${id}`);
  return element as T;
}

type Tone = "info" | "warning" | "error";

/** A line under the heading: `#notice` for the environment, `#status` for the current check. */
function say(id: "notice" | "status", text: string, tone: Tone = "info"): void {
  const line = byId(id);
  line.textContent = text;
  line.dataset.tone = tone;
  line.hidden = text === "";
}

function renderInputs(lang: PaneLang, found: FoundInput[]): void {
  const list = byId<HTMLUListElement>("inputs");
  const other: PaneLang = lang === "zh" ? "en" : "zh";
  list.replaceChildren(
    ...found.map(({ input, found: where }) => {
      const item = document.createElement("li");
      item.dataset.state = where ? "found" : input.required ? "required" : "missing";

      const mark = document.createElement("span");
      mark.className = "mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = where ? "✓" : input.required ? "⚠" : "–";

      const name = document.createElement("span");
      name.className = "name";
      name.textContent = input[lang];
      const alias = document.createElement("span");
      alias.className = "alias";
      alias.textContent = input[other];
      name.append(" ", alias);

      const detail = document.createElement("span");
      detail.className = "detail";
      const key: PaneStringKey = where
        ? where.source
        : input.required
          ? "missingRequired"
          : "missing";
      detail.textContent = paneText(lang, key, { name: where?.name ?? "" });

      item.append(mark, name, detail);
      return item;
    })
  );
  const count = found.filter((f) => f.found).length;
  byId("summary").textContent = paneText(lang, "summary", { found: count, total: found.length });
}

async function check(lang: PaneLang): Promise<void> {
  const button = byId<HTMLButtonElement>("check");
  button.disabled = true;
  say("status", paneText(lang, "checking"));
  try {
    const names = await readWorkbookNames();
    renderInputs(lang, detectInputs(names.tables, names.sheets));
    say("status", "");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    say("status", paneText(lang, "readFailed", { message }), "error");
  } finally {
    button.disabled = false;
  }
}

function applyLanguage(lang: PaneLang): void {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en-US";
  byId("inputs-heading").textContent = paneText(lang, "inputsHeading");
  byId("check").textContent = paneText(lang, "check");
}

function start(): void {
  if (typeof Office === "undefined") {
    const lang = paneLang(navigator.language);
    applyLanguage(lang);
    say("notice", paneText(lang, "noOffice"), "error");
    return;
  }
  Office.onReady((info) => {
    const lang = paneLang(Office.context?.displayLanguage ?? navigator.language);
    applyLanguage(lang);
    if (info.host !== Office.HostType.Excel) {
      say("notice", paneText(lang, "notExcel"), "warning");
      return;
    }
    if (!Office.context.requirements.isSetSupported("ExcelApi", "1.6")) {
      say("notice", paneText(lang, "oldExcel"), "warning");
    }
    byId("inputs-section").hidden = false;
    const button = byId<HTMLButtonElement>("check");
    button.addEventListener("click", () => void check(lang));
    void check(lang);
  });
}

start();
