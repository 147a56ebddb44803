/**
 * The first screen's words, in en-US and zh-CN, using the glossary in UX.md.
 * (The React pane will take its strings from src/i18n.)
 */

export type PaneLang = "en" | "zh";

/** zh-* (zh-CN, zh-TW, zh-Hans …) shows Chinese; everything else English. */
export function paneLang(displayLanguage: string | undefined): PaneLang {
  return (displayLanguage ?? "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

const en = {
  inputsHeading: "Inputs in this workbook",
  check: "Check",
  checking: "Reading the workbook…",
  summary: "{found} of {total} inputs found",
  table: "table “{name}”",
  sheet: "sheet “{name}”",
  missing: "not found",
  missingRequired: "not found: add a table or a sheet named Targets (目标)",
  notExcel: "Open this pane from Excel: Home › Target Cascade › Plan targets.",
  noOffice: "Office.js did not load. Open this page from Excel, online or on the desktop.",
  oldExcel:
    "This version of Excel does not support ExcelApi 1.6, which Target Cascade needs for its progress bars.",
  readFailed: "Could not read the workbook: {message}",
};

const zh: typeof en = {
  inputsHeading: "本工作簿中的输入表",
  check: "检查",
  checking: "正在读取工作簿…",
  summary: "已找到 {found}/{total} 个输入表",
  table: "表「{name}」",
  sheet: "工作表「{name}」",
  missing: "未找到",
  missingRequired: "未找到：请添加名为“目标”（Targets）的表或工作表",
  notExcel: "请在 Excel 中打开此窗格：开始 › 目标分解 › 分解目标。",
  noOffice: "Office.js 未能加载。请在 Excel（网页版或桌面版）中打开此页面。",
  oldExcel: "此版本的 Excel 不支持 ExcelApi 1.6，无法显示目标分解所需的进度条。",
  readFailed: "无法读取工作簿：{message}",
};

export type PaneStringKey = keyof typeof en;

const catalogs: Record<PaneLang, typeof en> = { en, zh };

/** The string for `key` in `lang`, with `{name}` placeholders filled from `args`. */
export function paneText(
  lang: PaneLang,
  key: PaneStringKey,
  args: Record<string, string | number> = {}
): string {
  return catalogs[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in args ? String(args[name]) : whole
  );
}
