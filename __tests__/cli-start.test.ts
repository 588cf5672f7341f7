import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cacheFolder } from "../src/cli/compile-cache.js";
import { exampleCopy, ROOT, tempDir } from "./helpers.js";

// The launcher (dist/cli.cjs) runs the package's bundle (dist/4dbuild.cjs) with V8's code cache, one file per command,
// in <TMPDIR>/4dbuild-compile-cache-<uid> (src/cli/compile-cache.ts). `npm test` builds dist/ first. How much
// faster: `npm run bench:start`.
const CLI = path.join(ROOT, "dist", "cli.cjs");
const MANIFEST = path.join(ROOT, "examples", "hello", "4dbuild.yml");

function run(tmp: string, args: string[], extra: NodeJS.ProcessEnv = {}, cli = CLI) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: ROOT, encoding: "utf8", env: { PATH: process.env.PATH, TMPDIR: tmp, TMP: tmp, TEMP: tmp, NO_COLOR: "1", ...extra } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const folderIn = (tmp: string) => path.join(tmp, `4dbuild-compile-cache-${process.getuid?.() ?? "user"}`);
const cacheFiles = (tmp: string) => readdirSync(folderIn(tmp)).sort();

test("the first run of a command writes its code cache, owner-only; the next runs use it and leave it as it is", () => {
  const tmp = tempDir("compile-cache");
  const first = run(tmp, ["validate", MANIFEST]);
  expect(first).toMatchObject({ code: 0, stderr: "" });
  const [file, ...others] = cacheFiles(tmp);
  expect(others).toEqual([]);
  expect(file).toMatch(/^validate-[0-9a-f]{16}-[\d.]+-node\.\d+-[a-z0-9]+\.v8$/);
  const cache = path.join(folderIn(tmp), file!);
  expect(statSync(folderIn(tmp)).mode & 0o777).toBe(0o700);
  expect(statSync(cache).mode & 0o777).toBe(0o600);
  const written = statSync(cache);
  expect(written.size).toBeGreaterThan(100_000); // the functions validate compiled, not only the top level

  expect(run(tmp, ["validate", MANIFEST])).toEqual(first);
  expect(statSync(cache).ino).toBe(written.ino); // a rewrite is a rename: a new inode
  expect(run(tmp, ["--help"]).code).toBe(0);
  expect(cacheFiles(tmp)).toEqual([expect.stringMatching(/^default-/), file]);
});

test("a damaged cache is replaced and costs nothing but time", () => {
  const tmp = tempDir("compile-cache");
  const first = run(tmp, ["validate", MANIFEST]);
  const cache = path.join(folderIn(tmp), cacheFiles(tmp)[0]!);
  writeFileSync(cache, "not a code cache");
  expect(run(tmp, ["validate", MANIFEST])).toEqual(first);
  expect(readFileSync(cache).length).toBeGreaterThan(100_000);
});

test("the caches a command made with another bundle or Node version are removed when it writes its own", () => {
  const tmp = tempDir("compile-cache");
  mkdirSync(folderIn(tmp), { mode: 0o700 });
  const stale = ["validate-0000000000000000-11.3.244.8-node.38-x64.v8", "validate-1111111111111111-12.4.254.21-node.33-x64.v8"];
  for (const name of [...stale, "build-0000000000000000-11.3.244.8-node.38-x64.v8"]) writeFileSync(path.join(folderIn(tmp), name), "old");
  expect(run(tmp, ["validate", MANIFEST]).code).toBe(0);
  expect(cacheFiles(tmp)).toEqual(["build-0000000000000000-11.3.244.8-node.38-x64.v8", expect.stringMatching(/^validate-(?!0{16}|1{16})[0-9a-f]{16}-/)]);
});

test("NODE_DISABLE_COMPILE_CACHE=1 writes no cache", () => {
  const tmp = tempDir("compile-cache");
  expect(run(tmp, ["validate", MANIFEST], { NODE_DISABLE_COMPILE_CACHE: "1" })).toMatchObject({ code: 0, stdout: `${MANIFEST} is valid\n` });
  expect(readdirSync(tmp)).toEqual([]);
});

test("a cache folder that others can write to is never used", () => {
  const tmp = tempDir("compile-cache");
  mkdirSync(folderIn(tmp));
  chmodSync(folderIn(tmp), 0o777);
  expect(cacheFolder({}, tmp)).toBeUndefined();
  expect(run(tmp, ["validate", MANIFEST]).code).toBe(0);
  expect(cacheFiles(tmp)).toEqual([]);
  chmodSync(folderIn(tmp), 0o700);
  expect(cacheFolder({}, tmp)).toBe(folderIn(tmp));
});

test("an edited bundle runs without the cache", () => {
  const tmp = tempDir("compile-cache");
  const copy = tempDir("package");
  mkdirSync(path.join(copy, "dist"));
  for (const file of ["package.json", "dist/cli.cjs", "dist/4dbuild.cjs"]) copyFileSync(path.join(ROOT, file), path.join(copy, file));
  appendFileSync(path.join(copy, "dist", "4dbuild.cjs"), "\n// edited\n");
  const result = run(tmp, ["validate", MANIFEST], {}, path.join(copy, "dist", "cli.cjs"));
  expect(result).toMatchObject({ code: 0, stdout: `${MANIFEST} is valid\n` });
  expect(readdirSync(tmp)).toEqual([]);
});

// The CLI's own answer (the same text) is checked by cli.test.ts "--version prints the package version".
test("--version and -v alone are answered by the launcher without loading the bundle", () => {
  const tmp = tempDir("compile-cache");
  const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  for (const flag of ["--version", "-v"]) expect(run(tmp, [flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  expect(readdirSync(tmp)).toEqual([]); // the bundle would have written its cache
  expect(run(tmp, ["-v", "validate"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" }); // anything more goes to the CLI
  expect(cacheFiles(tmp)).toEqual([expect.stringMatching(/^default-/)]);
});

test("validate in a repository whose files tell HEAD loads neither node:crypto nor node:child_process (~9 ms of a start)", () => {
  const tmp = tempDir("compile-cache");
  const { root, manifest } = exampleCopy();
  mkdirSync(path.join(root, ".git", "refs", "heads"), { recursive: true });
  writeFileSync(path.join(root, ".git", "HEAD"), "ref: refs/heads/main\n");
  writeFileSync(path.join(root, ".git", "refs", "heads", "main"), `${"a".repeat(40)}\n`);
  const loaded = path.join(tmp, "loaded.txt");
  const probe = path.join(tmp, "probe.cjs");
  writeFileSync(probe, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(loaded)}, process.moduleLoadList.join("\\n")));\n`);
  const result = spawnSync(process.execPath, ["--require", probe, CLI, "validate", manifest], { encoding: "utf8", env: { PATH: process.env.PATH, TMPDIR: tmp, NO_COLOR: "1" } });
  expect(result).toMatchObject({ status: 0, stdout: `${manifest} is valid\n` });
  const modules = readFileSync(loaded, "utf8").split("\n");
  expect(modules).toContain("NativeModule fs");
  expect(modules).not.toContain("NativeModule crypto");
  expect(modules).not.toContain("NativeModule child_process");
});
