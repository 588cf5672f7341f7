import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./helpers.js";

const check = (dir?: string) => spawnSync(process.execPath, [path.join(ROOT, "scripts", "check-cycles.mjs"), ...(dir ? [dir] : [])], { cwd: ROOT, encoding: "utf8" });

test("a cycle through a type-only import is found and named", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "4dbuild-cycles-"));
  try {
    writeFileSync(path.join(dir, "a.ts"), 'import type { B } from "./b.js";\nexport type A = B;\n');
    writeFileSync(path.join(dir, "b.ts"), 'import { c } from "./c.js";\nexport type B = string;\nexport const d = c;\n');
    writeFileSync(path.join(dir, "c.ts"), 'import type { A } from "./a.js";\nexport const c: A | undefined = undefined;\n');
    const run = check(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`import cycle: ${["a.ts", "b.ts", "c.ts", "a.ts"].map((f) => path.join(dir, f)).join(" → ")}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("npm run lint runs the cycle check", () => {
  const scripts = JSON.parse(execFileSync("node", ["-p", "JSON.stringify(require('./package.json').scripts)"], { cwd: ROOT, encoding: "utf8" })) as Record<string, string>;
  expect(scripts.lint).toContain("node scripts/check-cycles.mjs");
  expect(scripts.test).toContain("npm run lint");
});
