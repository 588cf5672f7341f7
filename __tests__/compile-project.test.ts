import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAppVersion } from "../src/four-d/app-version.js";
import { loadManifestText } from "../src/manifest/load.js";
import { buildMatrix } from "../src/release/matrix.js";
import { cliEnv, FIXTURES, ROOT, runCli, STAND_IN_TOOL4D } from "./helpers.js";

const SHAPE = path.join(FIXTURES, "public-shape");
const RUNTIME_WIN = path.join(ROOT, "examples", "runtimes", "win", "4D Volume Desktop");
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A private copy of the public-shape fixture: Shop/ a git repository (ignoring DerivedData/), Mailer/ beside it, cache/. */
function shop() {
  const root = mkdtempSync(path.join(tmpdir(), "4dbuild-shop-"));
  temporary.push(root);
  cpSync(SHAPE, root, { recursive: true });
  const repo = path.join(root, "Shop");
  execFileSync("git", ["init", "-q"], { cwd: repo });
  const manifest = path.join(repo, "4dbuild.yml");
  const edit = (from: string | RegExp, to: string) => writeFileSync(manifest, readFileSync(manifest, "utf8").replace(from, to));
  const env = (extra: NodeJS.ProcessEnv = {}) => cliEnv({ DEPENDENCY_CACHE: path.join(root, "cache"), VOLUME_DESKTOP_WIN: RUNTIME_WIN, ...extra });
  return { root, repo, manifest, out: path.join(root, "out"), edit, env, project: (...p: string[]) => path.join(repo, "Project", ...p) };
}

const COMPONENTS = JSON.stringify(["Charts.4DZ", "Greeter.4DZ", "Mailer.4DZ"]);

describe("a repository without compiled code (DerivedData/ ignored), with components", () => {
  test("validate fails at compile.enabled until compilation is on", async () => {
    const s = shop();
    const off = await runCli(["validate", s.manifest], { env: s.env() });
    expect(off.code).toBe(1);
    expect(off.stdout + off.stderr).toContain("4dbuild.yml:7:12: error: compilation is off and the project has no compiled code (neither Project/DerivedData/CompiledCode nor Libraries/lib4d-arm64.dylib)");
    expect(off.stdout + off.stderr).toContain("hint: set compile.enabled: true");
    s.edit("enabled: false", "enabled: true");
    const on = await runCli(["validate", s.manifest], { env: s.env({ TOOL4D: STAND_IN_TOOL4D }) });
    expect({ code: on.code, output: on.stdout + on.stderr }).toEqual({ code: 0, output: expect.stringMatching(/^\S*4dbuild\.yml is valid\n$/) });
  });

  test("the build compiles with every component the project uses, packs a .4DZ and records the sources' digest", async () => {
    const s = shop();
    s.edit("enabled: false", "enabled: true");
    const args = path.join(s.root, "args.json");
    const run = await runCli(["build", s.manifest, "--out", s.out], { env: s.env({ TOOL4D: STAND_IN_TOOL4D, STANDIN_TOOL4D_COMPONENTS: COMPONENTS, STANDIN_TOOL4D_ARGS: args }) });
    expect(run.stderr).not.toContain("error");
    expect(run.code).toBe(0);
    const request = JSON.parse((JSON.parse(readFileSync(args, "utf8")) as string[])[7]!) as { components: string[]; options: { targets: string[] } };
    expect(request.components).toEqual([
      path.join(s.repo, "Components", "Greeter.4dbase", "Contents", "Greeter.4DZ"),
      path.join(s.root, "cache", "example", "Charts", "1.2.0", "Charts.4dbase", "Charts.4DZ"),
      path.join(s.root, "Mailer", "Contents", "Mailer.4DZ"),
    ]);
    expect(request.options.targets).toEqual(process.platform === "darwin" ? ["x86_64_generic", "arm64_macOS_lib"] : ["x86_64_generic"]);
    const names = execFileSync("unzip", ["-Z1", path.join(s.out, "Compiled Database", "Shop", "Shop.4DZ")], { encoding: "utf8" }).split("\n");
    expect(names).toContain("Project/DerivedData/CompiledCode/map.json");
    expect(names).not.toContain("Project/DerivedData/4dbuild-sources.json");
    const record = JSON.parse(readFileSync(s.project("DerivedData", "4dbuild-sources.json"), "utf8")) as { digest: string; files: Record<string, string> };
    expect(Object.keys(record.files)).toEqual(["Methods/shop_main.4dm", "dependencies.json"]);
    expect(record.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  test("the stand-in tool4d fails loudly when the components it receives are not the expected ones", async () => {
    const s = shop();
    s.edit("enabled: false", "enabled: true");
    const run = await runCli(["build", s.manifest, "--out", s.out], { env: s.env({ TOOL4D: STAND_IN_TOOL4D, STANDIN_TOOL4D_COMPONENTS: JSON.stringify(["Greeter.4DZ"]) }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('stand-in tool4d: components mismatch: expected ["Greeter.4DZ"], got ["Charts.4DZ","Greeter.4DZ","Mailer.4DZ"]');
  });

  test("plan lists each component, found or missing, with where it came from (text and json)", async () => {
    const s = shop();
    s.edit("enabled: false", "enabled: true");
    writeFileSync(s.project("Sources", "dependencies.json"), JSON.stringify({ dependencies: { Mailer: {}, Charts: { github: "example/Charts" }, Ghost: {} } }));
    const json = await runCli(["plan", s.manifest, "--format", "json"], { env: s.env() });
    expect(json.code).toBe(0);
    const planned = JSON.parse(json.stdout) as { compile: { components: { name: string; origin: string; status: string }[] } };
    expect(planned.compile.components.map(({ name, origin, status }) => ({ name, origin, status }))).toEqual([
      { name: "Greeter", origin: "Components folder", status: "found" },
      { name: "Charts", origin: "GitHub cache", status: "found" },
      { name: "Ghost", origin: "dependencies.json", status: "missing" },
      { name: "Mailer", origin: "dependencies.json", status: "found" },
    ]);
    expect(json.stderr).toContain("warning: the project uses the component Ghost (dependencies.json), but it is not at");
    const text = await runCli(["plan", s.manifest], { env: s.env(), cwd: s.root });
    expect(text.stdout).toMatch(/Compile: x86_64.*; components passed to the compiler:/);
    expect(text.stdout).toMatch(/ {2}Greeter +Components folder +found +Shop\/Components\/Greeter\.4dbase\/Contents\/Greeter\.4DZ/);
    expect(text.stdout).toMatch(/ {2}Charts +GitHub cache \(example\/Charts\) +found +cache\/example\/Charts\/1\.2\.0\/Charts\.4dbase\/Charts\.4DZ/);
    expect(text.stdout).toMatch(/ {2}Ghost +dependencies\.json +MISSING +Ghost/);
  });

  test("environment4d.json gives a local dependency's path, relative to that file", async () => {
    const s = shop();
    mkdirSync(path.join(s.root, "libs"));
    cpSync(path.join(s.root, "Mailer"), path.join(s.root, "libs", "Mailer"), { recursive: true });
    rmSync(path.join(s.root, "Mailer"), { recursive: true });
    writeFileSync(path.join(s.root, "environment4d.json"), JSON.stringify({ dependencies: { Mailer: "libs/Mailer" } }));
    s.edit("enabled: false", "enabled: true");
    const json = await runCli(["plan", s.manifest, "--format", "json"], { env: s.env() });
    const planned = JSON.parse(json.stdout) as { compile: { components: { name: string; origin: string; file?: string }[] } };
    expect(planned.compile.components.find((c) => c.name === "Mailer")).toEqual(expect.objectContaining({ origin: "environment4d.json", file: path.join(s.root, "libs", "Mailer", "Contents", "Mailer.4DZ") }));
  });
});

describe("compiled code older than its sources", () => {
  test("after 4dbuild compiled, an edited source is found through the recorded digest", async () => {
    const s = shop();
    s.edit("enabled: false", "enabled: true");
    expect((await runCli(["build", s.manifest, "--out", s.out], { env: s.env({ TOOL4D: STAND_IN_TOOL4D }) })).code).toBe(0);
    s.edit("enabled: true", "enabled: false");
    const fresh = await runCli(["validate", s.manifest], { env: s.env() });
    expect({ code: fresh.code, output: fresh.stdout + fresh.stderr }).toEqual({ code: 0, output: expect.stringMatching(/^\S*4dbuild\.yml is valid\n$/) });
    writeFileSync(s.project("Sources", "Methods", "shop_main.4dm"), "//%attributes = {}\nALERT(\"changed\")\n");
    const stale = await runCli(["validate", s.manifest], { env: s.env() });
    expect(stale.code).toBe(0);
    expect(stale.stdout + stale.stderr).toContain("4dbuild.yml:7:12: warning: the compiled code is older than its sources (by the digest 4dbuild recorded when it compiled): Project/Sources/Methods/shop_main.4dm changed since");
  });

  test("without a recorded digest, file dates decide", async () => {
    const s = shop();
    mkdirSync(s.project("DerivedData", "CompiledCode"), { recursive: true });
    writeFileSync(s.project("DerivedData", "CompiledCode", "map.json"), "{}");
    const old = new Date(Date.now() - 3600_000);
    utimesSync(s.project("DerivedData", "CompiledCode", "map.json"), old, old);
    utimesSync(s.project("Sources", "dependencies.json"), old, old);
    const run = await runCli(["validate", s.manifest], { env: s.env() });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).toContain("warning: the compiled code is older than its sources (by file dates, as no digest was recorded): Project/Sources/Methods/shop_main.4dm changed since");
    expect(run.stdout + run.stderr).not.toContain("dependencies.json changed");
  });
});

describe("what the code and the host can build", () => {
  const text = (compile: string, targets = "  compiled: {}\n") => `version: 1\nproject: Project/Shop.4DProject\n4dVersion: "21"\ntargets:\n${targets}compile:\n  dependencyCache: ../cache\n${compile}`;

  test("arm64 off macOS is an error at compile.targets; on macOS it is the default", () => {
    const s = shop();
    const arm = text("  enabled: true\n  targets: [x86_64, arm64]\n");
    const linux = loadManifestText(s.manifest, arm, { env: {}, host: "linux" });
    expect(linux.diagnostics).toEqual([
      expect.objectContaining({ severity: "error", code: "arm64-needs-macos", line: 9, column: 21, message: "compile.targets asks for arm64 (Apple Silicon code), which 4D compiles only on macOS; this build runs on Linux" }),
    ]);
    expect(linux.diagnostics[0]!.hint).toContain("build on a macOS runner (4dbuild matrix sends builds that compile arm64 to macos-latest)");
    expect(loadManifestText(s.manifest, arm, { env: {}, host: "darwin" }).diagnostics).toEqual([]);
    const derived = text("  enabled: true\n");
    expect(loadManifestText(s.manifest, derived, { env: {}, host: "linux" }).plan!.config.compile.targets).toEqual(["x86_64"]);
    expect(loadManifestText(s.manifest, derived, { env: {}, host: "darwin" }).plan!.config.compile.targets).toEqual(["x86_64", "arm64"]);
  });

  test("matrix sends every job of a build that compiles arm64 to macOS", () => {
    const s = shop();
    const manifest = text("  enabled: true\n  targets: [x86_64, arm64]\n", "  compiled: {}\n  standalone:\n    runtime:\n      win: ${env.VOLUME_DESKTOP_WIN}\n");
    const loaded = loadManifestText(s.manifest, manifest, { env: { VOLUME_DESKTOP_WIN: RUNTIME_WIN }, host: "darwin" });
    expect(loaded.diagnostics).toEqual([]);
    const plan = loaded.plan!;
    expect(buildMatrix(plan).include).toEqual([
      expect.objectContaining({ os: "macos-latest", targets: "compiled standalone", platforms: "win", reason: "compile.targets has arm64: Apple Silicon code is compiled on macOS" }),
    ]);
  });

  test("a structure holding only Apple Silicon code is refused for a Windows application", () => {
    const s = shop();
    mkdirSync(path.join(s.repo, "Libraries"));
    writeFileSync(path.join(s.repo, "Libraries", "lib4d-arm64.dylib"), "STAND-IN");
    const manifest = text("  enabled: false\n", "  standalone:\n    runtime:\n      win: ${env.VOLUME_DESKTOP_WIN}\n");
    const { diagnostics } = loadManifestText(s.manifest, manifest, { env: { VOLUME_DESKTOP_WIN: RUNTIME_WIN } });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "apple-silicon-only",
        line: 7,
        column: 12,
        message: "targets.standalone builds a Windows application, but the project holds only Apple Silicon code (Libraries/lib4d-arm64.dylib, no Project/DerivedData/CompiledCode): Windows runs Intel code",
      }),
    ]);
  });
});

describe("runtimes of the exact 4D version", () => {
  const withCode = () => {
    const s = shop();
    mkdirSync(s.project("DerivedData", "CompiledCode"), { recursive: true });
    writeFileSync(s.project("DerivedData", "CompiledCode", "map.json"), "{}");
    s.edit("  compiled: {}\n", "  compiled: {}\n  standalone:\n    runtime:\n      win: ${env.VOLUME_DESKTOP_WIN}\n");
    return s;
  };

  test("a runtime of another R release is an error at the runtime field naming both versions", async () => {
    const s = withCode();
    s.edit('4dVersion: "21"', '4dVersion: "21 R2"');
    const run = await runCli(["validate", s.manifest], { env: s.env() });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('4dbuild.yml:8:12: error: targets.standalone.runtime.win is 4D Volume Desktop 21.0 (build 100301), but 4dVersion is "21 R2"');
  });

  test("when compiling, the runtime must be tool4d's build; runtimeVersion: release compares the release only", async () => {
    const s = withCode();
    s.edit("enabled: false", "enabled: true");
    const tool4d = path.join(s.root, "tool4d");
    cpSync(path.dirname(path.dirname(STAND_IN_TOOL4D)), tool4d, { recursive: true });
    const plist = path.join(tool4d, "Resources", "Info.plist");
    writeFileSync(plist, readFileSync(plist, "utf8").replace("21.0.100301", "21.0.100999"));
    const env = s.env({ TOOL4D: path.join(tool4d, "bin", "tool4d") });
    const run = await runCli(["validate", s.manifest], { env });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("4dbuild.yml:8:12: error: targets.standalone.runtime.win is 4D Volume Desktop 21.0 (build 100301), but the project is compiled with tool4d 21.0 (build 100999): 4D needs the runtime of the same build");
    s.edit("compile:\n", "runtimeVersion: release\ncompile:\n");
    expect((await runCli(["validate", s.manifest], { env })).code).toBe(0);
    expect((await runCli(["validate", s.manifest], { env: s.env({ TOOL4D: STAND_IN_TOOL4D }) })).code).toBe(0);
  });

  test("version strings: the release and the build number, however 4D spells them", () => {
    expect(parseAppVersion("21.0", "21.0.100301")).toEqual({ short: "21.0", bundle: "21.0.100301", major: 21, release: 0, build: 100301 });
    expect(parseAppVersion("21R2.100123", undefined)).toEqual({ short: "21R2.100123", major: 21, release: 2, build: 100123 });
    expect(parseAppVersion("20 R8", "100009")).toEqual({ short: "20 R8", bundle: "100009", major: 20, release: 8, build: 100009 });
    expect(parseAppVersion("20.4", undefined)).toEqual({ short: "20.4", major: 20, release: 0 });
    expect(parseAppVersion(undefined, undefined)).toEqual({});
  });
});

describe("init and import compile when the repository ignores DerivedData/", () => {
  const repository = (ignore: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), "4dbuild-init-compile-"));
    temporary.push(dir);
    cpSync(path.join(SHAPE, "Shop", "Project"), path.join(dir, "Project"), { recursive: true });
    writeFileSync(path.join(dir, ".gitignore"), ignore);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    return dir;
  };

  test("init writes compile.enabled: true and tool4d: auto, and the manifest validates", async () => {
    const dir = repository("DerivedData/\n");
    const run = await runCli(["init"], { cwd: dir, env: cliEnv() });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(dir, "4dbuild.yml"), "utf8")).toContain("\ncompile:\n  enabled: true\n  tool4d: auto\n");
    expect(run.stderr).toContain("the repository ignores Project/DerivedData/ (no compiled code in a clone): compile.enabled is true");
  });

  test("init leaves compilation off when DerivedData/ is committed, and validate says the code is missing", async () => {
    const dir = repository("*_Build/\n");
    const run = await runCli(["init"], { cwd: dir, env: cliEnv() });
    expect(run.code).toBe(1);
    expect(readFileSync(path.join(dir, "4dbuild.yml"), "utf8")).not.toContain("compile:");
    expect(run.stdout + run.stderr).toContain("error: compilation is off and the project has no compiled code");
  });

  test("import writes compile.enabled: true and tool4d: auto", async () => {
    const dir = repository("DerivedData/\n");
    mkdirSync(path.join(dir, "Settings"));
    writeFileSync(path.join(dir, "Settings", "buildApp.4DSettings"), '<?xml version="1.0" encoding="UTF-8"?>\n<Preferences4D><BuildApp><BuildApplicationName>Shop</BuildApplicationName><BuildCompiled>true</BuildCompiled></BuildApp></Preferences4D>\n');
    const run = await runCli(["import", "-o", "-", "--host", "mac", "--4d-version", "21"], { cwd: dir, env: cliEnv() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("\ncompile:\n  enabled: true\n  tool4d: auto\n");
    expect(existsSync(path.join(dir, "4dbuild.yml"))).toBe(false);
  });
});
