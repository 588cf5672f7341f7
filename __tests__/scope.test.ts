import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildManifest } from "../src/builder/from-manifest.js";
import { UsageError } from "../src/messages/errors.js";
import { openManifest, validateManifest } from "../src/manifest/open.js";
import { eachSchemaNode } from "../src/manifest/schema-walk.js";
import { ownerOf } from "../src/manifest/scope.js";
import { cliEnv, exampleCopy, FIXTURES, runCli } from "./helpers.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the example whose stand-in runtimes are all missing, except those named (relative to examples/runtimes). */
function exampleWithRuntimes(...kept: string[]): { manifest: string; root: string } {
  const copy = exampleCopy();
  made.push(copy.root);
  const runtimes = path.join(copy.root, "examples", "runtimes");
  const saved = path.join(copy.root, "saved");
  cpSync(runtimes, saved, { recursive: true, verbatimSymlinks: true });
  rmSync(runtimes, { recursive: true });
  for (const runtime of kept) cpSync(path.join(saved, runtime), path.join(runtimes, runtime), { recursive: true, verbatimSymlinks: true });
  return { manifest: copy.manifest, root: copy.root };
}

/** A project folder (the fixture app) with this manifest. */
function appWith(manifest: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "4dbuild-scope-"));
  made.push(dir);
  cpSync(path.join(FIXTURES, "app"), dir, { recursive: true, verbatimSymlinks: true });
  writeFileSync(path.join(dir, "4dbuild.yml"), manifest);
  return path.join(dir, "4dbuild.yml");
}

const errorCodes = (stdout: string) => [...stdout.matchAll(/error: (.*) \[([a-z-]+)\]$/gm)].map((m) => `${m[2]}: ${m[1]}`);

describe("validate --target / --platform", () => {
  test("--target compiled passes with no runtime folder present; without it every runtime is missing", async () => {
    const { manifest } = exampleWithRuntimes();
    const scoped = await runCli(["validate", manifest, "--target", "compiled"], { env: cliEnv() });
    expect(scoped).toEqual({ code: 0, stdout: `${manifest} is valid for --target compiled\n`, stderr: "" });
    const everything = await runCli(["validate", manifest], { env: cliEnv() });
    expect(everything.code).toBe(1);
    expect(errorCodes(everything.stdout).filter((e) => e.startsWith("not-found"))).toHaveLength(6);
  });

  test("--target standalone --platform win needs only the Windows Volume Desktop", async () => {
    const withIt = exampleWithRuntimes("win/4D Volume Desktop");
    expect(await runCli(["validate", withIt.manifest, "--target", "standalone", "--platform", "win"], { env: cliEnv() })).toEqual({
      code: 0,
      stdout: `${withIt.manifest} is valid for --target standalone --platform win\n`,
      stderr: "",
    });
    const without = exampleWithRuntimes();
    const run = await runCli(["validate", without.manifest, "-t", "standalone", "-p", "win"], { env: cliEnv() });
    expect(run.code).toBe(1);
    expect(errorCodes(run.stdout)).toEqual(["not-found: targets.standalone.runtime.win: folder not found: ../runtimes/win/4D Volume Desktop"]);
    expect(run.stdout).toContain("4dbuild.yml:22:22: error:");
  });

  test("an unset variable naming the runtime of another platform is not needed", async () => {
    const manifest = appWith('version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  standalone:\n    platforms: [mac, win]\n    runtime:\n      mac: ${env.VD_MAC}\n      win: ${env.VD_WIN}\n');
    const env = cliEnv({ VD_WIN: path.join(path.dirname(manifest), "runtimes", "win", "4D Volume Desktop") });
    expect((await runCli(["validate", manifest, "--platform", "win"], { env })).code).toBe(0);
    const mac = await runCli(["validate", manifest, "--platform", "mac"], { env });
    expect(mac.code).toBe(1);
    expect(errorCodes(mac.stdout)).toEqual(["unresolved-variable: environment variable VD_MAC is not set"]);
  });

  test("mistakes in the configuration of other units are still reported", async () => {
    const manifest = appWith('version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  compiled: {}\n  standalone:\n    runtime: { mac: runtimes/mac/4D Volume Desktop.app }\n    icon: { mac: App.ico }\n    dataLinking: byAppname\n');
    const run = await runCli(["validate", manifest, "--target", "compiled"], { env: cliEnv() });
    expect(run.code).toBe(1);
    expect(errorCodes(run.stdout)).toEqual(["wrong-extension: targets.standalone.icon.mac must be a .icns file", 'not-allowed: targets.standalone.dataLinking: the text "byAppname" is not allowed']);
  });

  test("deployment licences are required for the platforms of the scope only", async () => {
    const manifest = appWith(
      'version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  standalone:\n    runtime: { mac: runtimes/mac/4D Volume Desktop.app, win: runtimes/win/4D Volume Desktop }\nlicenses:\n  files:\n    mac: [licenses/4UUD210UUS001XXXXXXXXXX.license4D]\n',
    );
    const everything = await runCli(["validate", manifest], { env: cliEnv() });
    expect(errorCodes(everything.stdout)).toEqual(["no-deployment-license: targets.standalone builds for win, but licenses.files.win holds no deployment licence"]);
    expect((await runCli(["validate", manifest, "--platform", "mac"], { env: cliEnv() })).code).toBe(0);
  });
});

describe("names that select nothing are usage errors", () => {
  const example = "examples/hello/4dbuild.yml";
  test.each([
    [["validate", example, "--target", "standlone"], 'unknown target "standlone"', "did you mean standalone?"],
    [["plan", example, "--platform", "wn"], 'unknown platform "wn"', "did you mean win?"],
    [["build", example, "--target", "componnent", "--dry-run"], 'unknown target "componnent"', "did you mean component?"],
    [["validate", "--target", "compiled", example], `unknown target "${example}"`, "the manifest goes before --target, or after --"],
  ])("%j", async (argv, message, hint) => {
    const run = await runCli(argv, { env: cliEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: ${message}`);
    expect(run.stderr).toContain(hint);
  });

  test("a target the manifest does not declare, and a selection of no unit", async () => {
    const manifest = appWith('version: 1\nproject: Project/App.4DProject\n4dVersion: "21"\ntargets:\n  compiled: {}\n  standalone:\n    runtime: { mac: runtimes/mac/4D Volume Desktop.app }\n');
    const undeclared = await runCli(["validate", manifest, "--target", "server"], { env: cliEnv() });
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr).toContain("error: --target server: the manifest declares no server target");
    expect(undeclared.stderr).toContain('its targets: "compiled", "standalone"');
    const nothing = await runCli(["plan", manifest, "--target", "standalone", "--platform", "win"], { env: cliEnv() });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("error: --target standalone --platform win selects nothing to build");
    expect(nothing.stderr).toContain("the manifest builds compiled, standalone (mac)");
  });
});

describe("plan --target / --platform", () => {
  test("lists only the selected units", async () => {
    const json = await runCli(["plan", "examples/hello/4dbuild.yml", "--target", "standalone", "client", "--platform", "win", "--format", "json"], { env: cliEnv() });
    expect(json.code).toBe(0);
    const planned = JSON.parse(json.stdout) as { units: { target: string; platform?: string }[] };
    expect(planned.units.map((u) => `${u.target} ${u.platform}`)).toEqual(["standalone win", "client win"]);
    const text = await runCli(["plan", "examples/hello/4dbuild.yml", "-t", "compiled"], { env: cliEnv() });
    const lines = text.stdout.split("\n");
    expect(lines[2]).toMatch(/^TARGET /);
    expect(lines.slice(3, lines.indexOf("", 3)).map((row) => row.split(/\s{2,}/)[0])).toEqual(["compiled"]);
  });

  test("build --dry-run prints the same selection", async () => {
    const run = await runCli(["build", "examples/hello/4dbuild.yml", "--target", "server", "--platform", "mac", "--dry-run"], { env: cliEnv() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^server \(mac\) {2}/m);
    expect(run.stdout).not.toMatch(/^(client|standalone|compiled|component)\b/m);
  });
});

describe("the library takes the same scope", () => {
  test("validateManifest and buildManifest: a manifest opened for some units cannot build others", async () => {
    const { manifest } = exampleWithRuntimes();
    const validation = validateManifest(manifest, { env: cliEnv(), targets: ["compiled", "component"] });
    expect(validation.valid).toBe(true);
    expect(validation.scope).toEqual({ targets: ["compiled", "component"] });
    expect(validateManifest(manifest, { env: cliEnv() }).valid).toBe(false);
    const opened = openManifest(manifest, { env: cliEnv(), targets: ["compiled"] });
    await expect(buildManifest(opened, { env: cliEnv(), targets: ["standalone"] })).rejects.toThrow(new UsageError("the manifest was validated for --target compiled, not for --target standalone"));
    expect(() => validateManifest(manifest, { env: cliEnv(), targets: ["standalon" as never] })).toThrow('unknown target "standalon"');
  });
});

test("every input the schema names belongs to the units that read it, or to every unit", () => {
  // Inputs every unit reads: they are checked whatever the scope.
  const shared = ["project", "structure.include.*.from", "signing.certificate.p12", "compile.tool4d", "compile.components.*", "compile.plugins", "build.fourD"];
  const inputs = [...eachSchemaNode()].filter(({ schema }) => schema["x-path"] && schema["x-path"] !== "output").map(({ path: p }) => p);
  const unowned = inputs.filter((p) => !ownerOf(p)).map((p) => p.join("."));
  expect(unowned.sort()).toEqual(shared.sort());
  expect(ownerOf(["autoUpdate", "otherPlatformClient", "win", "source"])).toEqual({ targets: ["server"], platform: "mac" });
  expect(ownerOf(["licenses", "files", "win", 0])).toEqual({ targets: ["standalone", "server", "client"], platform: "win" });
});
