/**
 * Target Cascade task pane: waits for Office, follows its display language and theme, and shows
 * the steps — or, outside Excel, says where to open it. Office.js comes from the <script> tag in
 * taskpane.html (never bundled); `Office` is an ambient global typed by @types/office-js.
 */
import * as React from "react";
import { createRoot } from "react-dom/client";
import { Spinner } from "@fluentui/react-components";
import { App } from "./App";
import { Frame } from "./Frame";
import { loadExcelHost } from "./loaders";
import { localeFor } from "./locale";
import { htmlLang, paneLang, themeBase, type ThemeBase } from "./model/locale";
import { Notice } from "./panels";
import type { Lang } from "../i18n";

const container = document.getElementById("root");
if (!container) throw new Error("taskpane.html has no #root");
const root = createRoot(container);

function show(lang: Lang, theme: ThemeBase, content: React.ReactNode): void {
  document.documentElement.lang = htmlLang(lang);
  root.render(
    <Frame lang={lang} theme={theme}>
      {content}
    </Frame>
  );
}

function supportsExcelApi(version: string): boolean {
  try {
    return Office.context.requirements.isSetSupported("ExcelApi", version);
  } catch {
    return true;
  }
}

/** Office.onReady that never answers (a page opened in a plain browser by some builds): say so after this long. */
const READY_TIMEOUT_MS = 15_000;

/**
 * Outside Excel: where the pane runs and how to add it, in the browser's language first and the
 * other one below (nobody told us the Office language).
 */
function OutsideExcel({ lang, reason }: { lang: Lang; reason: "noOffice" | "notExcel" }) {
  const other: Lang = lang === "zh" ? "en" : "zh";
  const first = localeFor(lang);
  const second = localeFor(other);
  return (
    <div data-testid="outside-excel">
      <Notice
        intent={reason === "noOffice" ? "warning" : "info"}
        message={`${first.t(reason)} ${first.t("sideloadHelp")}`}
      />
      <p lang={htmlLang(other)} data-testid="outside-excel-other">
        {`${second.t(reason)} ${second.t("sideloadHelp")}`}
      </p>
    </div>
  );
}

function start(): void {
  const browserLang = paneLang(navigator.language);
  show(browserLang, "light", <Spinner label={localeFor(browserLang).t("starting")} />);
  if (typeof Office === "undefined") {
    show(browserLang, "light", <OutsideExcel lang={browserLang} reason="noOffice" />);
    return;
  }
  let answered = false;
  const timer = window.setTimeout(() => {
    if (!answered)
      show(browserLang, "light", <OutsideExcel lang={browserLang} reason="notExcel" />);
  }, READY_TIMEOUT_MS);
  Office.onReady((info) => {
    answered = true;
    window.clearTimeout(timer);
    const context = Office.context;
    const lang = paneLang(context?.displayLanguage ?? navigator.language);
    const theme = themeBase(context?.officeTheme);
    // Outside an Office host, Office.onReady answers with no host at all.
    if (!info || info.host !== Office.HostType.Excel) {
      show(
        paneLang(navigator.language),
        "light",
        <OutsideExcel lang={paneLang(navigator.language)} reason="notExcel" />
      );
      return;
    }
    show(lang, theme, <App loadHost={loadExcelHost} oldExcel={!supportsExcelApi("1.6")} />);
  });
}

start();
