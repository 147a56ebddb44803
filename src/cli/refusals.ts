/**
 * Files the command line refuses before it plans anything (exit 1, nothing written): an input
 * that is not an .xlsx workbook, and an output path in a folder that does not exist. Each
 * refusal names the file and says what to do, in the user's language.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { formatMessage, type Lang } from "../i18n";
import type { DocumentKind, Sniffed } from "./sniff";

/**
 * The language of messages about files: Chinese when the input file's name has Chinese characters
 * or the locale is Chinese (LC_ALL, else LC_MESSAGES, else LANG, as POSIX orders them), else English.
 */
export function cliLang(input: string, env: Readonly<Record<string, string | undefined>>): Lang {
  if (/\p{Script=Han}/u.test(basename(input))) return "zh";
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return /^zh/i.test(locale) ? "zh" : "en";
}

const DOCUMENT_WORD: Record<DocumentKind, string> = {
  word: "docWord",
  powerpoint: "docPowerPoint",
  visio: "docVisio",
  odText: "docOdText",
  odPresentation: "docOdPresentation",
  odDrawing: "docOdDrawing",
  odOther: "docOdOther",
  iwork: "docIWork",
  pdf: "docPdf",
  image: "docImage",
  rar: "docRar",
  sevenZip: "docSevenZip",
  gzip: "docGzip",
  oleOther: "docOleOther",
};

/** Why a file that is not a workbook is refused, or undefined for a workbook. */
export function refusal(sniffed: Sniffed, file: string, lang: Lang): string | undefined {
  const say = (code: string, args: Record<string, string> = {}) => formatMessage(code, { file, ...args }, lang);
  switch (sniffed.kind) {
    case "workbook":
      return undefined;
    case "empty":
      return say("fileEmpty");
    case "xls":
      return say(sniffed.encrypted ? "fileXlsEncrypted" : "fileXls");
    case "encrypted":
      return say("fileEncrypted");
    case "ods":
      return say("fileOds");
    case "xlsb":
      return say("fileXlsb");
    case "csv":
      return say("fileCsv");
    case "text":
      return say("fileText");
    case "html":
      return say("fileHtml");
    case "xml2003":
      return say("fileXml2003");
    case "truncated":
      return say("fileTruncated");
    case "damaged":
      return say("fileDamaged", { reason: formatMessage(sniffed.reason === "part" ? "damagedPart" : "damagedZip", { part: sniffed.part ?? "" }, lang) });
    case "zip":
      return sniffed.inner ? say("fileZipHoldsWorkbook", { inner: sniffed.inner }) : say("fileZip");
    case "document":
      return say("fileOtherDocument", { what: formatMessage(DOCUMENT_WORD[sniffed.what], undefined, lang) });
    case "unknown":
      return say("fileUnknown");
  }
}

/** Why the input path cannot be read at all (missing, a folder), or undefined. */
export function inputRefusal(path: string, lang: Lang): string | undefined {
  if (!existsSync(path)) return formatMessage("fileNotFound", { file: path }, lang);
  if (statSync(path).isDirectory()) return formatMessage("fileIsFolder", { file: path }, lang);
  return undefined;
}

/** Why an output path cannot be written (its folder does not exist, or it is a folder), or undefined. */
export function outputRefusal(path: string, option: "--out" | "--json", lang: Lang): string | undefined {
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return formatMessage("outputFolderMissing", { file: path, folder, option }, lang);
  if (existsSync(path) && statSync(path).isDirectory()) {
    return formatMessage("outputIsFolder", { file: path, option, example: join(path, option === "--json" ? "RESULT.json" : "plan.xlsx") }, lang);
  }
  return undefined;
}
