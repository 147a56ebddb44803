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

function start(): void {
  const browserLang = paneLang(navigator.language);
  show(browserLang, "light", <Spinner label={localeFor(browserLang).t("starting")} />);
  if (typeof Office === "undefined") {
    show(
      browserLang,
      "light",
      <Notice intent="warning" message={localeFor(browserLang).t("noOffice")} />
    );
    return;
  }
  Office.onReady((info) => {
    const context = Office.context;
    const lang = paneLang(context?.displayLanguage ?? navigator.language);
    const theme = themeBase(context?.officeTheme);
    if (info.host !== Office.HostType.Excel) {
      show(lang, theme, <Notice intent="info" message={localeFor(lang).t("notExcel")} />);
      return;
    }
    show(lang, theme, <App loadHost={loadExcelHost} oldExcel={!supportsExcelApi("1.6")} />);
  });
}

start();
