/**
 * `target-cascade plan|track INPUT.xlsx --out OUTPUT.xlsx [--json RESULT.json]` (CONTRACT §6).
 * Exit 0 planned; 2 problems in the workbook (nothing written); 64 bad arguments; 1 anything else.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { parseDate, sheetInRef } from "../contract";
import { checkTotals, dayFromYmd, type Problem, type ProgressResult } from "../engine";
import { formatProblem, type Lang } from "../i18n";
import { preparePlan } from "../hosts/run";
import { prepareTrack } from "../hosts/track";
import { SheetOwnershipError, XlsxHost } from "../hosts/xlsx";
import { stringifyResult, toResultJson } from "../report";
import { progressJson } from "../report/progress-sheet";
import { parseArgs, USAGE, type PlanArgs, type TrackArgs } from "./args";
import { driversSummary, planSummary, trackSummary } from "./summary";

export const EXIT = { ok: 0, failure: 1, problems: 2, usage: 64 } as const;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
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

/** Writes `text` to `path` through a temporary file, so a failed write leaves no half file. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Today in the machine's time zone, as a day number. */
function today(): number {
  const now = new Date();
  return dayFromYmd(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

async function run(args: PlanArgs | TrackArgs, io: Io): Promise<number> {
  let asOf: { day: number; ref: string } | undefined;
  if (args.command === "track" && args.asOf !== undefined) {
    const day = parseDate(args.asOf)?.end;
    if (day === undefined) {
      io.err(`target-cascade: --as-of "${args.asOf}" is not a date (write it as 2027-05-05)\n\n${USAGE}`);
      return EXIT.usage;
    }
    asOf = { day, ref: "--as-of" };
  }
  if (!existsSync(args.input)) {
    io.err(`target-cascade: cannot find ${args.input}`);
    return EXIT.failure;
  }
  let host: XlsxHost;
  try {
    host = await XlsxHost.open(args.input);
  } catch (e) {
    io.err(`target-cascade: cannot read ${args.input} as an .xlsx workbook (${(e as Error).message})`);
    return EXIT.failure;
  }

  const outcome = args.command === "track" ? await prepareTrack(host, { asOf, today: today(), includeUnplanned: args.unplanned }) : await preparePlan(host);
  if (!outcome.ok) return reportProblems(outcome.problems, outcome.lang, io);
  const progress: ProgressResult | undefined = "progress" in outcome ? (outcome.progress as ProgressResult) : undefined;

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

  // Everything is computed: only now touch the output files. The workbook first, then RESULT.json,
  // each through a temporary file, so a failure never leaves half a file behind.
  const json = args.json ? stringifyResult({ ...toResultJson(outcome.result, outcome.drivers), ...(progress ? progressJson(outcome.result, progress) : {}) }) : undefined;
  try {
    await host.save(args.out);
    if (args.json && json !== undefined) writeAtomically(args.json, json);
  } catch (e) {
    io.err(`target-cascade: cannot write the output (${(e as Error).message})`);
    return EXIT.failure;
  }

  if (!args.quiet) {
    const check = checkTotals(outcome.result);
    const lines = planSummary(outcome.result, outcome.lang, check, {
      input: basename(args.input),
      out: args.out,
      json: args.json,
      sheets: (written?.sheets ?? []).map((s) => s.name),
    });
    // The funnel's lines go before the last one, which says what was written.
    if (outcome.drivers) lines.splice(lines.length - 1, 0, ...driversSummary(outcome.drivers, outcome.lang));
    for (const line of lines) io.out(line);
    if (progress) for (const line of trackSummary(outcome.result, progress, outcome.lang)) io.out(line);
  }
  return EXIT.ok;
}
