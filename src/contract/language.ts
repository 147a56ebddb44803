/**
 * The workbook's language (CONTRACT.md §5): Chinese when any input found has a Chinese table
 * or sheet name or a Chinese header, else English.
 */
import type { Lang } from "../i18n";
import type { RawTable } from "../hosts/host";

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

export function hasChinese(text: string): boolean {
  return CJK.test(text);
}

export function detectLanguage(inputs: Iterable<RawTable | undefined>): Lang {
  for (const t of inputs) {
    if (!t) continue;
    if (hasChinese(t.name) || hasChinese(t.sheet)) return "zh";
    if (t.headers.some((h) => typeof h === "string" && hasChinese(h))) return "zh";
  }
  return "en";
}
