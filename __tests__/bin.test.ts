import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { FIXTURES, ROOT, STACK_TRACE, tempEnv } from "./helpers.js";

/** The bundled CLI, run as a user runs it: a real process, real exit codes. `npm test` builds it first. */
const CLI = path.join(ROOT, "dist", "cli.cjs");
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { PATH: process.env.PATH, ...tempEnv(), NO_COLOR: "1" } });

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error("dist/cli.cjs is missing: run npm run build (npm test does it)");
});

test("valid manifest: exit 0", () => {
  const result = run("validate", "examples/hello/4dbuild.yml");
  expect(result.status).toBe(0);
  expect(result.stdout).toBe("examples/hello/4dbuild.yml is valid\n");
});

test("invalid manifest: exit 1, located messages, no stack trace", () => {
  const file = path.relative(ROOT, path.join(FIXTURES, "manifests", "invalid", "92-many-problems.yml"));
  const result = run("validate", file);
  expect(result.status).toBe(1);
  expect(result.stdout).toContain(`${file}:6:5: error: unknown key "platfroms" in targets.standalone`);
  expect(result.stdout + result.stderr).not.toMatch(STACK_TRACE);
});

test("usage error: exit 2 and a hint", () => {
  const result = run("validate", "nowhere.yml");
  expect(result.status).toBe(2);
  expect(result.stderr).toBe("error: manifest not found: nowhere.yml\n  hint: create one with 4dbuild init, or give its path: 4dbuild validate path/to/4dbuild.yml\n");
});

test("the bundle is executable by its shebang", () => {
  const result = spawnSync(CLI, ["--version"], { encoding: "utf8" });
  expect(result.status).toBe(0);
});
