/**
 * The pane follows Office: its display language (zh-* → Chinese, else English) and its theme
 * (a dark Office theme → a dark pane).
 * Pure functions over what Office.context reports, so they are tested without Office.
 */
import type { Lang } from "../../i18n";

/** zh-CN, zh-TW, zh-Hans … show Chinese; every other language English. */
export function paneLang(displayLanguage: string | undefined | null): Lang {
  return (displayLanguage ?? "").trim().toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** The BCP 47 tag for the page's `lang` attribute. */
export function htmlLang(lang: Lang): string {
  return lang === "zh" ? "zh-CN" : "en-US";
}

/** What Office.context.officeTheme reports (every field optional: older hosts give none). */
export interface OfficeThemeColors {
  bodyBackgroundColor?: string;
  bodyForegroundColor?: string;
  controlBackgroundColor?: string;
  controlForegroundColor?: string;
}

export type ThemeBase = "light" | "dark";

/** #RGB or #RRGGBB (the # optional) → [r, g, b] in 0…255, or undefined. */
export function parseColor(text: string | undefined): [number, number, number] | undefined {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((text ?? "").trim());
  if (!m) return undefined;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join("") : m[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG relative luminance, 0 (black) … 1 (white). */
export function luminance([r, g, b]: [number, number, number]): number {
  const channel = (v: number): number => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/**
 * Dark when Office's body background is dark (Office's Dark Gray and Black themes), else light,
 * also when Office says nothing. The pane then uses Fluent's own web light or dark colours,
 * whose every pair of text and background passes the contrast checks.
 */
export function themeBase(office: OfficeThemeColors | undefined | null): ThemeBase {
  const background = parseColor(office?.bodyBackgroundColor);
  return background && luminance(background) < 0.18 ? "dark" : "light";
}
