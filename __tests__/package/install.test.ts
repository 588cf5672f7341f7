import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ROOT, tempDir, tempEnv } from "../helpers.js";

/**
 * The published package, installed as a user installs it: `npm pack`, then `npm install --offline` of the
 * tarball into an empty prefix. Offline succeeds only because the package has no dependency (everything is in
 * its bundles); the installed bin then validates the example. `npm test` builds dist/ first.
 */
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string; dependencies?: object; bin: Record<string, string> };
const work = tempDir("package");
const npmEnv = { PATH: process.env.PATH, ...tempEnv(), HOME: work, npm_config_cache: path.join(work, "npm-cache"), npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", NO_COLOR: "1" };
const npm = (args: string[], cwd: string) => spawnSync("npm", args, { cwd, encoding: "utf8", env: npmEnv });

let tarball: string;
let files: { path: string; size: number }[];
const prefix = path.join(work, "prefix");

beforeAll(() => {
  if (!existsSync(path.join(ROOT, "dist", "cli.cjs"))) throw new Error("dist/cli.cjs is missing: run npm run build (npm test does it)");
  const packed = npm(["pack", "--json", "--pack-destination", work], ROOT);
  expect(packed.stderr).not.toMatch(/npm error/);
  const [report] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string; size: number }[] }];
  tarball = path.join(work, report.filename);
  files = report.files;
  const installed = npm(["install", "--offline", "--no-audit", "--ignore-scripts", "--no-package-lock", "--prefix", prefix, tarball], work);
  expect([installed.status, installed.stderr]).toEqual([0, expect.any(String)]);
}, 120_000);

test("the package has no dependency: its bundles carry them", () => {
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(readdirSync(path.join(prefix, "node_modules")).filter((name) => !name.startsWith("."))).toEqual(["@4dbuild"]);
  expect(readdirSync(path.join(prefix, "node_modules", "@4dbuild"))).toEqual(["cli"]);
});

test("it ships the bundles, their licence notices, types, schema and templates; not the Action, sources or tests", () => {
  const names = files.map((f) => f.path);
  for (const needed of ["LICENSE", "README.md", "package.json", "dist/cli.cjs", "dist/4dbuild.cjs", "dist/vendor/node-forge.cjs", "dist/vendor/handlebars.cjs", "dist/vendor/tar-stream.cjs", "dist/vendor/plist.cjs", "dist/index.js", "dist/licenses.txt", "dist/types/src/index.d.ts", "schema/4dbuild.schema.json", "templates/4dbuild.yml.hbs", "templates/4D.entitlements"]) expect(names).toContain(needed);
  expect(names.filter((n) => /^(src|__tests__|examples|scripts|dist\/action)\//.test(n) || n.endsWith(".tsbuildinfo"))).toEqual([]);
  // A few MB: a check that the bundles stay bundles (3.3 MB unpacked when this test was written).
  expect(files.reduce((sum, f) => sum + f.size, 0)).toBeLessThan(6_000_000);
  expect(statSync(tarball).size).toBeLessThan(1_500_000);
});

test("the installed bin validates the example, offline", () => {
  const bin = path.join(prefix, "node_modules", ".bin", Object.keys(pkg.bin)[0]!);
  const run = spawnSync(bin, ["validate", "examples/hello/4dbuild.yml"], { cwd: ROOT, encoding: "utf8", env: { PATH: process.env.PATH, ...tempEnv(), NO_COLOR: "1" } });
  expect([run.status, run.stdout, run.stderr]).toEqual([0, "examples/hello/4dbuild.yml is valid\n", ""]);
  const version = spawnSync(bin, ["--version"], { encoding: "utf8", env: { PATH: process.env.PATH, ...tempEnv() } });
  expect(version.stdout.trim()).toBe(pkg.version);
});

test("the installed library imports, with its types", () => {
  const script = `import * as lib from "${pkg.name}"; const v = lib.validateManifest("examples/hello/4dbuild.yml", { cwd: ${JSON.stringify(ROOT)} }); console.log(v.valid);`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: prefix, encoding: "utf8", env: { PATH: process.env.PATH, ...tempEnv() } });
  expect([run.status, run.stdout.trim(), run.stderr]).toEqual([0, "true", ""]);
  expect(existsSync(path.join(prefix, "node_modules", pkg.name, "dist", "types", "src", "index.d.ts"))).toBe(true);
});

test("the packages a build loads on first use (dist/vendor) load from the installed package", () => {
  const dist = path.join(prefix, "node_modules", pkg.name, "dist");
  const script = `const load = (n) => require(${JSON.stringify(dist)} + "/vendor/" + n + ".cjs"); console.log([typeof load("node-forge").pki.createCertificate, typeof load("handlebars").compile, typeof load("tar-stream").pack, typeof load("plist").build].join(" "));`;
  const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { PATH: process.env.PATH, ...tempEnv() } });
  expect([run.status, run.stdout.trim(), run.stderr]).toEqual([0, "function function function function", ""]);
});
