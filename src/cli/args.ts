/** Command-line arguments of `target-cascade` (CONTRACT §6). */

export interface PlanArgs {
  command: "plan";
  input: string;
  out: string;
  json?: string;
  quiet: boolean;
}

export type ParsedArgs = PlanArgs | { command: "help" } | { command: "version" } | { command: "usage-error"; message: string };

export const USAGE = `Usage:
  target-cascade plan INPUT.xlsx --out OUTPUT.xlsx [--json RESULT.json] [--quiet]

Plans the sales target in INPUT.xlsx (its Targets, History, Weights, Stages and Settings)
and writes OUTPUT.xlsx: the input workbook plus the Plan, Plan Matrix and Weights Review
sheets (分解明细, 分解矩阵, 权重审核 in a Chinese workbook). RESULT.json holds the numbers.

Exit codes: 0 planned; 2 the workbook has problems (one line each on stderr, as Sheet!A1: …),
nothing written; 64 wrong arguments; 1 anything else (a file that cannot be read or written).`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h") || argv[0] === "help") return { command: "help" };
  if (argv.includes("--version") || argv.includes("-v")) return { command: "version" };
  const [command, ...rest] = argv;
  if (command !== "plan") return { command: "usage-error", message: `unknown command "${command}"` };

  const positional: string[] = [];
  const flags: Record<string, string> = {};
  let quiet = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--quiet" || a === "-q") {
      quiet = true;
    } else if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (name !== "out" && name !== "json") return { command: "usage-error", message: `unknown option "--${name}"` };
      const value = eq > 0 ? a.slice(eq + 1) : rest[++i];
      if (value === undefined || value === "") return { command: "usage-error", message: `--${name} needs a file name` };
      flags[name] = value;
    } else {
      positional.push(a);
    }
  }
  if (positional.length !== 1) return { command: "usage-error", message: positional.length ? "give one INPUT.xlsx" : "INPUT.xlsx is missing" };
  if (!flags.out) return { command: "usage-error", message: "--out OUTPUT.xlsx is missing" };
  return { command: "plan", input: positional[0], out: flags.out, json: flags.json, quiet };
}
