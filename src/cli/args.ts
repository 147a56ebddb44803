/** Command-line arguments of `target-cascade` (CONTRACT §6). */
import { resolve } from "node:path";

export interface PlanArgs {
  command: "plan";
  input: string;
  out: string;
  json?: string;
  quiet: boolean;
}

export interface TrackArgs {
  command: "track";
  input: string;
  out: string;
  json?: string;
  /** AsOf as given on the command line (any date form the workbook accepts). */
  asOf?: string;
  /** The weekly review's previous AsOf as given on the command line (default a week before AsOf). */
  previousAsOf?: string;
  /** Count Actuals of members the plan does not have as "unplanned" instead of stopping. */
  unplanned: boolean;
  quiet: boolean;
}

/** `letters`: the target letters alone, one page per member. */
export interface LettersArgs {
  command: "letters";
  input: string;
  out: string;
  quiet: boolean;
}

/** `replan`: the plan revised at AsOf, the ended periods' actuals as the plan of record. */
export interface ReplanArgs {
  command: "replan";
  input: string;
  out: string;
  json?: string;
  /** AsOf as given on the command line (any date form the workbook accepts). */
  asOf?: string;
  quiet: boolean;
}

export type ParsedArgs = PlanArgs | TrackArgs | LettersArgs | ReplanArgs | { command: "help" } | { command: "version" } | { command: "usage-error"; message: string };

export const USAGE = `Usage:
  target-cascade plan  INPUT.xlsx --out OUTPUT.xlsx [--json RESULT.json] [--quiet]
  target-cascade track INPUT.xlsx --out OUTPUT.xlsx [--as-of 2027-05-05] [--previous-as-of 2027-04-28] [--unplanned] [--json RESULT.json] [--quiet]
  target-cascade letters INPUT.xlsx --out OUTPUT.xlsx [--quiet]
  target-cascade replan INPUT.xlsx --out OUTPUT.xlsx [--as-of 2027-06-30] [--json RESULT.json] [--quiet]

Plans the sales target in INPUT.xlsx (its Targets, History, Weights, Stages and Settings)
and writes OUTPUT.xlsx: the input workbook plus the Plan, Plan Matrix and Weights Review
sheets (分解明细, 分解矩阵, 权重审核 in a Chinese workbook). RESULT.json holds the numbers.

track does what plan does, then measures the Actuals at AsOf (--as-of, else the AsOf setting,
else today) and adds the Progress and Ranking sheets (进度, 排名). --unplanned counts Actuals of
members the plan does not have as unplanned instead of reporting them as problems. With a
Payout table (激励) it adds the Incentives sheet (激励核算), and RESULT.json its payouts.
When the Actuals count the funnel's stages it adds Funnel Progress (过程追踪), and always the
Weekly Review page (阶段性会议) since the previous AsOf (--previous-as-of, else the
PreviousAsOf setting, else a week before AsOf).

letters writes the target letters alone (Target Letters, 目标责任书): one printed page per
member with their tiers, periods, funnel tasks, deep-data targets and room to sign.

replan revises the plan at AsOf (--as-of, else the AsOf setting, else today): the periods that
have ended keep their Actuals as the plan of record, and what remains of each member's target is
spread over the periods left. It writes the revised Plan and Plan Matrix, and Plan Versions
(计划版本): the original and the revision side by side.

Exit codes: 0 planned; 2 the workbook has problems (one line each on stderr, as Sheet!A1: …),
nothing written; 64 wrong arguments; 1 anything else: INPUT is not an .xlsx workbook (an .xls,
an .ods, a CSV, a password-protected or damaged file: the message says what to do), or a file
cannot be read or written. Nothing is written then either.`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h") || argv[0] === "help") return { command: "help" };
  if (argv.includes("--version") || argv.includes("-v")) return { command: "version" };
  const [command, ...rest] = argv;
  if (command !== "plan" && command !== "track" && command !== "letters" && command !== "replan") return { command: "usage-error", message: `unknown command "${command}"` };
  const options = command === "track" ? ["out", "json", "as-of", "previous-as-of"] : command === "letters" ? ["out"] : command === "replan" ? ["out", "json", "as-of"] : ["out", "json"];

  const positional: string[] = [];
  const flags: Record<string, string> = {};
  let quiet = false;
  let unplanned = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--quiet" || a === "-q") {
      quiet = true;
    } else if (a === "--unplanned" && command === "track") {
      unplanned = true;
    } else if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (!options.includes(name)) return { command: "usage-error", message: `unknown option "--${name}"` };
      const value = eq > 0 ? a.slice(eq + 1) : rest[++i];
      if (value === undefined || value === "") return { command: "usage-error", message: `--${name} needs ${name === "as-of" || name === "previous-as-of" ? "a date" : "a file name"}` };
      flags[name] = value;
    } else {
      positional.push(a);
    }
  }
  if (positional.length !== 1) return { command: "usage-error", message: positional.length ? "give one INPUT.xlsx" : "INPUT.xlsx is missing" };
  if (!flags.out) return { command: "usage-error", message: "--out OUTPUT.xlsx is missing" };
  if (flags.json !== undefined && resolve(flags.json) === resolve(flags.out)) return { command: "usage-error", message: "--out and --json name the same file" };
  if (command === "track") return { command, input: positional[0], out: flags.out, json: flags.json, asOf: flags["as-of"], previousAsOf: flags["previous-as-of"], unplanned, quiet };
  if (command === "letters") return { command, input: positional[0], out: flags.out, quiet };
  if (command === "replan") return { command, input: positional[0], out: flags.out, json: flags.json, asOf: flags["as-of"], quiet };
  return { command: "plan", input: positional[0], out: flags.out, json: flags.json, quiet };
}
