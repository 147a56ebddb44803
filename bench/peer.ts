/**
 * `npm run bench` (last part): the hand-made template peer against `target-cascade plan`.
 *
 * The peer is `../shared/bench/peer_template.py` (PEER_TEMPLATE overrides the path): the SUMIFS/ROUND
 * template users build today, written by openpyxl and recalculated by headless LibreOffice. This
 * finds what the race needs — the peer's script, a python3 that can import openpyxl (PEER_PYTHON,
 * else each python3 on PATH, else /usr/bin/python3), soffice on PATH and the built command line —
 * and runs bench/peer_race.py, which builds both workbooks from the peer's own data at 500 and
 * 5,000 reps, races the two alternately in one run and prints the ratio (see its docstring).
 * Its workbooks and results stay under bench/out/peer/; nothing is written next to the peer.
 *
 * When something is missing it says what, and the bench goes on without the peer (exit 0).
 * Arguments are passed on: `node --import tsx bench/peer.ts --sizes 500 --runs 3`.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "bin", "target-cascade.js");
const BUILT_CLI = join(ROOT, "lib", "cli", "main.js");
const WORKDIR = join(__dirname, "out", "peer");

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every `name` on PATH that can be run, in PATH order. */
function onPath(name: string, env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "")
    .map((dir) => join(dir, name))
    .filter(executable);
}

function importsOpenpyxl(python: string): boolean {
  return spawnSync(python, ["-c", "import openpyxl"], { stdio: "ignore", timeout: 30_000 }).status === 0;
}

export interface PeerTools {
  script: string;
  python?: string;
  soffice?: string;
  /** What is missing, one phrase each; empty when the race can run. */
  missing: string[];
}

export function findPeerTools(env: NodeJS.ProcessEnv = process.env): PeerTools {
  const script = env.PEER_TEMPLATE ?? join(ROOT, "..", "shared", "bench", "peer_template.py");
  const missing: string[] = [];
  if (!existsSync(script)) missing.push(`the peer's script ${script} does not exist`);
  const pythons = env.PEER_PYTHON ? [env.PEER_PYTHON] : [...new Set([...onPath("python3", env), "/usr/bin/python3"])];
  const python = pythons.find((p) => executable(p) && importsOpenpyxl(p));
  if (!python) missing.push(`no python3 that can import openpyxl (tried ${pythons.join(", ")}; Debian: python3-openpyxl)`);
  const soffice = onPath("soffice", env)[0];
  if (!soffice) missing.push("soffice is not on PATH (Debian: libreoffice-calc-nogui)");
  if (!existsSync(BUILT_CLI)) missing.push(`the command line is not built (${BUILT_CLI}; npm run build:cli)`);
  return { script, python, soffice, missing };
}

function main(): void {
  const tools = findPeerTools();
  if (tools.missing.length > 0) {
    console.log("Template peer race: skipped, the bench goes on without the peer:");
    for (const what of tools.missing) console.log(`  - ${what}`);
    return;
  }
  const child = spawnSync(
    tools.python as string,
    [
      join(__dirname, "peer_race.py"),
      "--peer", tools.script,
      "--soffice", tools.soffice as string,
      "--node", process.execPath,
      "--cli", CLI,
      "--workdir", WORKDIR,
      ...process.argv.slice(2),
    ],
    { stdio: "inherit", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } },
  );
  if (child.error) throw child.error;
  process.exitCode = child.status ?? 1;
}

if (require.main === module) main();
