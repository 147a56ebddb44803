/**
 * `target-cascade plan|track INPUT.xlsx --out OUTPUT.xlsx [--json RESULT.json]` (CONTRACT §6).
 * Exit 0 planned; 2 problems in the workbook (nothing written); 64 bad arguments; 1 anything else.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync, writevSync } from "node:fs";
import { basename } from "node:path";
import { parseDate, sheetInRef } from "../contract";
import { checkPlan } from "../engine/uplift";
import { dayFromYmd, type PlanResult, type Problem, type ProgressResult } from "../engine";
import { formatMessage, formatProblem, type Lang } from "../i18n";
import { preparePlan } from "../hosts/run";
import { prepareTrack } from "../hosts/track";
import { prepareLetters } from "../hosts/letters";
import { prepareReplan } from "../hosts/replan";
import { splitsJson } from "../report/split-sheet";
import { versionsJsonSlot, withVersions } from "../report/versions-sheet";
import { replanSummary, splitsSummary } from "./replan-summary";
import type { ReplanResult } from "../engine/replan";
import type { SplitsResult } from "../engine/splits";
import type { HistoryColumns } from "../engine/funnel";
import type { PayoutResult } from "../engine/payout";
import { payoutsJson } from "../report/incentives-sheet";
import { definedNameClashes } from "../hosts/shared/ownership";
import { PackageError, PackageTooLargeError, SheetOwnershipError, XlsxHost } from "../hosts/xlsx";
import { resultJsonChunks } from "../report";
import { progressJson } from "../report/progress-sheet";
import { processJson } from "../report/process-sheet";
import { reviewJson } from "../report/review-sheet";
import type { ProcessResult } from "../engine/process";
import type { ReviewResult } from "../engine/review";
import { reviewSummary } from "./review-summary";
import { parseArgs, USAGE, type LettersArgs, type PlanArgs, type ReplanArgs, type TrackArgs } from "./args";
import { cliLang, inputRefusal, outputRefusal, refusal } from "./refusals";
import { sniff, type DefinedName } from "./sniff";
import { depthSummary, driversSummary, lettersSummary, payoutsSummary, planSummary, trackSummary } from "./summary";

export const EXIT = { ok: 0, failure: 1, problems: 2, usage: 64 } as const;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The environment whose locale (LC_ALL, LC_MESSAGES, LANG) sets the language of messages about files; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

const stdio: Io = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case "help":
      io.out(USAGE);
      return EXIT.ok;
    case "version":
      io.out(version());
      return EXIT.ok;
    case "usage-error":
      io.err(`target-cascade: ${args.message}\n\n${USAGE}`);
      return EXIT.usage;
    case "plan":
    case "track":
    case "letters":
    case "replan":
      return run(args, io);
  }
}

function version(): string {
  // The package.json two levels up from lib/cli (or src/cli under ts-node/tsx).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../package.json") as { version: string }).version;
}

function reportProblems(problems: Problem[], lang: Lang, io: Io): number {
  for (const p of problems) io.err(formatProblem(p, lang));
  return EXIT.problems;
}

/** A temporary file beside `path`, renamed to it by the caller once every output is written. */
const tempOf = (path: string): string => `${path}.${process.pid}.tmp`;

/** Text given in pieces is written a megabyte at a time: one system call per row costs more than the JSON itself. */
const WRITE_CHARS = 1 << 20;

/** Writes text given in pieces to a file, a megabyte at a time, without joining all of it first. */
function writePieces(path: string, pieces: Iterable<string>): void {
  const fd = openSync(path, "w");
  try {
    let batch: string[] = [];
    let chars = 0;
    for (const piece of pieces) {
      batch.push(piece);
      chars += piece.length;
      if (chars >= WRITE_CHARS) {
        writeSync(fd, batch.join(""));
        batch = [];
        chars = 0;
      }
    }
    if (batch.length) writeSync(fd, batch.join(""));
  } finally {
    closeSync(fd);
  }
}

/** Writes bytes given in pieces with gathered writes (writev), a bounded number of pieces at a time. */
function writeChunks(path: string, chunks: readonly Uint8Array[]): void {
  const fd = openSync(path, "w");
  try {
    for (let i = 0; i < chunks.length; i += 512) {
      const group = chunks.slice(i, i + 512);
      let left = group.reduce((n, c) => n + c.length, 0);
      // writev may write less than asked; go on from where it stopped.
      while (left > 0) {
        let written = writevSync(fd, group);
        left -= written;
        while (written > 0 && group.length) {
          if (written >= group[0].length) {
            written -= group[0].length;
            group.shift();
          } else {
            group[0] = group[0].subarray(written);
            written = 0;
          }
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Today in the machine's time zone, as a day number. */
function today(): number {
  const now = new Date();
  return dayFromYmd(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/** A library's message without its links, for the parentheses after our own words. */
function detailOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/[,;:]?\s*(?:if it is, )?see https?:\/\/\S+/gi, "").replace(/https?:\/\/\S+/g, "").trim() || "unknown error";
}

/** Where a defined name points, as a problem's address: its first cell when it is a plain reference, else the name. */
function nameRef(name: DefinedName): string {
  const m = /^((?:'(?:[^']|'')+'|[^'!:=]+))!\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?[A-Za-z]{1,3}\$?\d+)?$/.exec(name.refersTo.trim());
  return m ? `${m[1]}!${m[2].toUpperCase()}${m[3]}` : name.name;
}

/** RESULT.json's `processProgress` (when the Actuals count the funnel) and `review`. */
function processJsonOf(plan: PlanResult, progress: ProgressResult, tracked: { process?: ProcessResult; review?: ReviewResult } | undefined): object {
  if (!tracked?.review) return {};
  return {
    ...(tracked.process ? { processProgress: processJson(plan, tracked.process) } : {}),
    review: reviewJson(plan, progress, tracked.review, tracked.process),
  };
}

async function run(args: PlanArgs | TrackArgs | LettersArgs | ReplanArgs, io: Io): Promise<number> {
  const lang = cliLang(args.input, io.env ?? process.env);
  const json = args.command === "letters" ? undefined : args.json;
  const refuse = (message: string): number => {
    io.err(`target-cascade: ${message}`);
    return EXIT.failure;
  };
  let asOf: { day: number; ref: string } | undefined;
  if ((args.command === "track" || args.command === "replan") && args.asOf !== undefined) {
    const day = parseDate(args.asOf)?.end;
    if (day === undefined) {
      io.err(`target-cascade: --as-of "${args.asOf}" is not a date (write it as 2027-05-05)\n\n${USAGE}`);
      return EXIT.usage;
    }
    asOf = { day, ref: "--as-of" };
  }
  let previousAsOf: { day: number; ref: string } | undefined;
  if (args.command === "track" && args.previousAsOf !== undefined) {
    const day = parseDate(args.previousAsOf)?.end;
    if (day === undefined) {
      io.err(`target-cascade: --previous-as-of "${args.previousAsOf}" is not a date (write it as 2027-04-28)\n\n${USAGE}`);
      return EXIT.usage;
    }
    previousAsOf = { day, ref: "--previous-as-of" };
  }
  // Before anything is read or planned: the input is a file, and the outputs can be written where asked.
  const notReadable = inputRefusal(args.input, lang) ?? outputRefusal(args.out, "--out", lang) ?? (json ? outputRefusal(json, "--json", lang) : undefined);
  if (notReadable) return refuse(notReadable);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(args.input);
  } catch (e) {
    return refuse(formatMessage("fileUnreadable", { file: args.input, detail: detailOf(e) }, lang));
  }
  // What the file is, by its bytes: an .xls, an .ods, a CSV, a zip cut short … are refused here.
  const sniffed = sniff(bytes);
  const notWorkbook = refusal(sniffed, args.input, lang);
  if (notWorkbook || sniffed.kind !== "workbook") return refuse(notWorkbook ?? formatMessage("fileUnknown", { file: args.input }, lang));
  let host: XlsxHost;
  try {
    host = await XlsxHost.fromBytes(bytes);
  } catch (e) {
    if (e instanceof PackageError && e.problem === "strict") return refuse(formatMessage("fileStrict", { file: args.input }, lang));
    return refuse(formatMessage("fileUnreadable", { file: args.input, detail: detailOf(e) }, lang));
  }
  // A macro-enabled workbook stays one, under a name Excel opens: .xlsm in, .xlsm out.
  const macros = await host.macroEnabled();
  if (macros !== /\.xl[st]m$/i.test(args.out)) {
    const suggestion = args.out.replace(/\.[^./\\]*$/, "") + (macros ? ".xlsm" : ".xlsx");
    io.err(`target-cascade: ${formatMessage(macros ? "outputNotMacroEnabled" : "outputMacroEnabledName", { file: args.input, suggestion }, lang)}`);
    return EXIT.usage;
  }

  let outcome;
  try {
    outcome =
      args.command === "track"
        ? await prepareTrack(host, { asOf, previousAsOf, today: today(), includeUnplanned: args.unplanned })
        : args.command === "letters"
          ? await prepareLetters(host)
          : args.command === "replan"
            ? await prepareReplan(host, { asOf, today: today() })
            : await preparePlan(host);
  } catch (e) {
    // A sheet too large to read: name the file and the part, write nothing.
    if (e instanceof PackageTooLargeError) return refuse(formatMessage("fileTooLarge", { file: args.input, part: e.part, size: Math.round(e.bytes / 1e6).toLocaleString("en-US") }, lang));
    throw e;
  }
  if (!outcome.ok) return reportProblems(outcome.problems, outcome.lang, io);
  const progress: ProgressResult | undefined = "progress" in outcome ? (outcome.progress as ProgressResult) : undefined;
  const payouts: PayoutResult | undefined = "payouts" in outcome ? (outcome.payouts as PayoutResult | undefined) : undefined;
  const tracked = "review" in outcome ? (outcome as { process?: ProcessResult; review?: ReviewResult }) : undefined;
  const drivers = "drivers" in outcome ? outcome.drivers : undefined;
  const replan: ReplanResult | undefined = "replan" in outcome ? outcome.replan : undefined;
  const splits: SplitsResult | undefined = "splits" in outcome ? outcome.splits : undefined;
  const splitColumns: HistoryColumns | undefined = "splitColumns" in outcome ? outcome.splitColumns : undefined;

  // Excel keeps table names and defined names in one namespace: an output table may not take a user's name.
  const taken = definedNameClashes(outcome.sheets, sniffed.definedNames.map((n) => n.name));
  if (taken.length > 0) {
    const problems: Problem[] = taken.map((name) => ({ ref: nameRef(sniffed.definedNames.find((n) => n.name === name)!), code: "nameTaken", args: { name } }));
    return reportProblems(problems, outcome.lang, io);
  }

  let written;
  try {
    written = await host.writeSheets(outcome.sheets);
  } catch (e) {
    if (e instanceof SheetOwnershipError) {
      const problems: Problem[] = e.clashes.map((c) => ({
        ref: `${sheetInRef(c.sheet)}!A1`,
        code: c.table ? "tableNotOwned" : "sheetNotOwned",
        args: c.table ? { table: c.table } : undefined,
      }));
      return reportProblems(problems, outcome.lang, io);
    }
    throw e;
  }

  // Everything is computed: only now touch the output files. Each is written to a temporary file
  // (RESULT.json streamed, then the workbook), and only when both are whole are they renamed, so
  // a failure never leaves half a file, or a new workbook beside an old RESULT.json.
  const temps: string[] = [];
  try {
    if (json) {
      temps.push(tempOf(json));
      const tracking = progress ? { ...progressJson(outcome.result, progress), ...(payouts ? { payouts: payoutsJson(outcome.result, payouts) } : {}), ...processJsonOf(outcome.result, progress, tracked) } : {};
      // The re-plan's versions (streamed into their slot) and the parallel splits come first.
      const extra = { ...(replan ? versionsJsonSlot() : {}), ...(splits ? { splits: splitsJson(outcome.result, splits) } : {}), ...tracking };
      const chunks = resultJsonChunks(outcome.result, drivers, extra);
      writePieces(tempOf(json), replan ? withVersions(chunks, replan) : chunks);
    }
    temps.push(tempOf(args.out));
    writeChunks(tempOf(args.out), await host.toChunks());
    renameSync(tempOf(args.out), args.out);
    if (json) renameSync(tempOf(json), json);
  } catch (e) {
    const path = (e as { path?: string }).path ?? args.out;
    return refuse(formatMessage("outputNotWritten", { file: path.replace(/\.\d+\.tmp$/, ""), detail: detailOf(e) }, lang));
  } finally {
    for (const t of temps) rmSync(t, { force: true });
  }

  if (!args.quiet && args.command === "letters") {
    for (const line of lettersSummary(outcome.result, outcome.sheets[0], outcome.lang, { input: basename(args.input), out: args.out })) io.out(line);
  } else if (!args.quiet) {
    // The totals check, reading each Uplift level as the rule it is (engine/uplift.ts).
    const check = checkPlan(outcome.result);
    const lines = planSummary(outcome.result, outcome.lang, check, {
      input: basename(args.input),
      out: args.out,
      json,
      sheets: (written?.sheets ?? []).map((s) => s.name),
    });
    // The funnel's and the splits' lines go before the last one, which says what was written.
    if (drivers) lines.splice(lines.length - 1, 0, ...driversSummary(drivers, outcome.lang));
    if (splits) lines.splice(lines.length - 1, 0, ...splitsSummary(outcome.result, splits, splitColumns, outcome.lang));
    lines.splice(lines.length - 1, 0, ...depthSummary(outcome.workbook.input, outcome.result, outcome.lang));
    for (const line of lines) io.out(line);
    if (replan) for (const line of replanSummary(replan, outcome.lang)) io.out(line);
    if (progress) for (const line of trackSummary(outcome.result, progress, outcome.lang)) io.out(line);
    if (payouts) for (const line of payoutsSummary(outcome.result, payouts, outcome.lang)) io.out(line);
    if (tracked?.review) for (const line of reviewSummary(outcome.result, tracked.review, tracked.process, outcome.lang, drivers?.columns.labels)) io.out(line);
  }
  return EXIT.ok;
}
