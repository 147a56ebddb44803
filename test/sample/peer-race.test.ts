/**
 * The template peer race (`npm run bench`, last part) without the peer: when its script, a python3
 * with openpyxl or soffice is missing, it says which and lets the bench go on (exit 0). The race
 * itself is never run here: it is a benchmark.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPeerTools } from "../../bench/peer";

const ROOT = join(__dirname, "..", "..");
const NO_SCRIPT = join(ROOT, "no-such-folder", "peer_template.py");

describe("the template peer race's tools", () => {
  // A PATH with nothing on it: no soffice, no python3.
  let emptyDir: string;
  beforeAll(() => (emptyDir = mkdtempSync(join(tmpdir(), "peer-race-path-"))));
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

  it("names a peer script that does not exist", () => {
    const tools = findPeerTools({ ...process.env, PEER_TEMPLATE: NO_SCRIPT });
    expect(tools.missing).toContainEqual(expect.stringContaining(NO_SCRIPT));
  });

  it("names a python3 that cannot import openpyxl", () => {
    const python = join(ROOT, "no-such-folder", "python3");
    const tools = findPeerTools({ ...process.env, PEER_PYTHON: python });
    expect(tools.python).toBeUndefined();
    expect(tools.missing).toContainEqual(expect.stringContaining(`no python3 that can import openpyxl (tried ${python};`));
  });

  it("says soffice is not on PATH", () => {
    const tools = findPeerTools({ ...process.env, PATH: emptyDir });
    expect(tools.soffice).toBeUndefined();
    expect(tools.missing).toContainEqual(expect.stringContaining("soffice is not on PATH"));
  });

  it("skips the race with exit 0 and says what is missing", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bench", "peer.ts")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PEER_TEMPLATE: NO_SCRIPT, PATH: emptyDir },
      timeout: 60_000,
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Template peer race: skipped, the bench goes on without the peer");
    expect(run.stdout).toContain(`the peer's script ${NO_SCRIPT} does not exist`);
    expect(run.stdout).toContain("soffice is not on PATH");
  });
});
