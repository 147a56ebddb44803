/**
 * Two hosts, one port: neither host imports the other; what both need lives in src/hosts/shared,
 * which calls no Office API and reads no files. The engine imports nothing outside itself.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const SRC = resolve(__dirname, "../../src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

/** Every module a file imports, resolved to a path under src/ (packages as they are written). */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
    const spec = m[1] ?? m[2];
    out.push(spec.startsWith(".") ? relative(SRC, resolve(file, "..", spec)) : spec);
  }
  return out;
}

const under = (dir: string) => files(join(SRC, dir)).map((f) => ({ file: relative(SRC, f), imports: imports(f) }));

describe("module boundaries", () => {
  test("the Excel host imports nothing of the .xlsx host, and the other way round", () => {
    const bad = [
      ...under("hosts/excel").flatMap((m) => m.imports.filter((i) => i.startsWith("hosts/xlsx")).map((i) => `${m.file} → ${i}`)),
      ...under("hosts/xlsx").flatMap((m) => m.imports.filter((i) => i.startsWith("hosts/excel")).map((i) => `${m.file} → ${i}`)),
    ];
    expect(bad).toEqual([]);
  });

  test("the shared host modules are host-neutral", () => {
    const bad = under("hosts/shared").flatMap((m) =>
      m.imports.filter((i) => i.startsWith("hosts/xlsx") || i.startsWith("hosts/excel") || i.startsWith("node:") || i === "jszip" || i === "exceljs").map((i) => `${m.file} → ${i}`),
    );
    expect(bad).toEqual([]);
    const office = under("hosts/shared").filter((m) => /\b(Excel|Office)\.\w/.test(readFileSync(join(SRC, m.file), "utf8")));
    expect(office.map((m) => m.file)).toEqual([]);
  });

  test("the engine imports only the engine", () => {
    const bad = under("engine").flatMap((m) => m.imports.filter((i) => !i.startsWith("engine/")).map((i) => `${m.file} → ${i}`));
    expect(bad).toEqual([]);
  });
});
