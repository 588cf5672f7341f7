import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { maskedIO } from "../../src/cli/io.js";
import { validateManifest } from "../../src/manifest/open.js";
import { Redactor } from "../../src/messages/redactor.js";
import { Secret } from "../../src/messages/secret.js";
import { FIXTURES, runCli, STACK_TRACE, tempDir } from "../helpers.js";
import { filesBelow, leaks } from "./outputs.js";

/*
 * Secrets through every command and format (issue #16): each case states the outcome and exit code, and that no
 * canary reaches stdout, stderr or a file written.
 */

/** Longer than 60 characters (messages cut values there), with / + = like base64. */
const LONG = "Q2FuYXJ5LUxvbmctU2VjcmV0/MIIKZQIBAzCCCi8GCSqGSIb3DQEHAaCCCiAEggocMIIKGDCCBM8GCSqGSIb3+Zz==";
/** Characters JSON, XML and workflow commands escape. */
const ESCAPED = 'Canary "quoted" \\back\\ 100% a,b:c <x>&';
/** A path that normalisation rewrites: ./ and //. */
const PATHLIKE = "./Canary-Dir-5e1//sub/./Canary-File-9d2.icns";
const LICENCE = "4UUD210UUS001LICCANARY42";
const OTHER_LICENCE = "4UUD210UUS001LICCANARY77";
const CANARIES = [LONG, LONG.slice(0, 40), "Q2FuYXJ5LUxvbmct", ESCAPED, "Canary \"quoted", "Canary \\\"quoted", "Canary-Dir-5e1", "Canary-File-9d2", "LICCANARY42", "LICCANARY77"];

function project(): string {
  const dir = tempDir("hostile-secret");
  cpSync(path.join(FIXTURES, "app"), dir, { recursive: true });
  mkdirSync(path.join(dir, "secret-licences"));
  for (const name of [LICENCE, OTHER_LICENCE]) writeFileSync(path.join(dir, "secret-licences", `${name}.license4D`), "licence");
  return dir;
}

const head = (licence = LICENCE) =>
  [
    "version: 1",
    "project: Project/App.4DProject",
    '4dVersion: "21"',
    "targets:",
    "  standalone:",
    "    platforms: [mac]",
    "    runtime:",
    "      mac: runtimes/mac/4D Volume Desktop.app",
    "licenses:",
    "  files:",
    `    mac: [secret-licences/${licence}.license4D]`,
    "",
  ].join("\n");

const env = { LONG_SECRET: LONG, ESCAPED_SECRET: ESCAPED, PATH_SECRET: PATHLIKE, NO_COLOR: "1" };

function manifest(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function run(argv: string[], dir: string, extra: NodeJS.ProcessEnv = {}) {
  const result = await runCli(argv, { env: { ...env, ...extra }, cwd: dir });
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stderr).not.toContain("internal error");
  return result;
}

describe("the Secret type and the redactor", () => {
  test("a Secret prints, interpolates, serialises and inspects as the mask", async () => {
    const secret = new Secret(LONG);
    const { inspect } = await import("node:util");
    expect([String(secret), `${secret}`, JSON.stringify({ secret }), inspect(secret), inspect({ secret })].some((text) => text.includes("Q2Fu"))).toBe(false);
    expect(secret.reveal()).toBe(LONG);
  });

  test("a redactor masks a secret escaped, normalised and cut, and never shows what it holds", async () => {
    const redactor = new Redactor();
    redactor.add(ESCAPED);
    redactor.add(PATHLIKE);
    redactor.add(LONG);
    const { inspect } = await import("node:util");
    const texts = [
      JSON.stringify({ message: `value ${ESCAPED}` }),
      `::error title=${ESCAPED.replace(/%/g, "%25").replace(/:/g, "%3A").replace(/,/g, "%2C")}::x`,
      `<Message>${ESCAPED.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")}</Message>`,
      `looked for ${path.posix.normalize(PATHLIKE)} and ${path.posix.normalize(PATHLIKE).replaceAll("/", "\\")}`,
      `the text "${LONG.slice(0, 57)}…" is not allowed`,
      `the text "../${LONG.slice(0, 54)}…"`,
      inspect(redactor),
      JSON.stringify({ redactor }),
    ];
    for (const text of texts) expect(leaks(CANARIES, { code: 0, stdout: redactor.redact(text), stderr: "" })).toEqual([]);
    expect(redactor.redact(`the text "${LONG.slice(0, 57)}…"`)).toBe('the text "***…"');
  });
});

describe("secrets in messages", () => {
  const dir = project();

  test("p12 written where p12Base64 belongs: the base64 is in no hint or message, in any command", async () => {
    const file = manifest(dir, "p12.yml", `${head()}signing:\n  certificate:\n    p12: \${secret.LONG_SECRET}\n`);
    // plan and generate do not check files: the manifest is valid for them.
    const commands: [string[], number][] = [[["validate", file], 1], [["validate", "--format", "json", file], 1], [["validate", "--format", "github", file], 1], [["plan", file], 0], [["build", "--dry-run", file], 1], [["generate", "--host", "mac", file], 0], [["diff", file, file], 0]];
    for (const [argv, code] of commands) {
      const result = await run(argv, dir);
      expect({ argv, code: result.code, leaks: leaks(CANARIES, result) }).toEqual({ argv, code, leaks: [] });
      if (code === 1) expect(result.stdout + result.stderr).toContain("signing.certificate.p12: file not found");
    }
  });

  test("a hint quoting a secret is masked in every command (a secret number where text belongs)", async () => {
    const file = manifest(dir, "hint.yml", head().replace("version: 1", "version: 1\nname: ${secret.NUMBER_SECRET}"));
    for (const argv of [["validate", file], ["validate", "--format", "json", file], ["validate", "--format", "github", file], ["plan", file], ["build", "--dry-run", file], ["generate", "--host", "mac", file]]) {
      const result = await run(argv, dir, { NUMBER_SECRET: "918273645" });
      expect({ argv, code: result.code, leaks: leaks([...CANARIES, "918273645"], result) }).toEqual({ argv, code: 1, leaks: [] });
      expect(result.stdout + result.stderr).toMatch(/quote it: name: (\\)?"\*\*\*(\\)?"/);
    }
    const diff = await run(["diff", file, file], dir, { NUMBER_SECRET: "918273645" });
    expect(leaks(["918273645"], diff)).toEqual([]);
  });

  test.each(["text", "json", "github"])("a long secret, and one with escaped characters, quoted by schema messages (validate --format %s)", async (format) => {
    const file = manifest(dir, `long-${format}.yml`, `${head().replace("    runtime:", "    dataLinking: ${secret.LONG_SECRET}\n    runtime:")}naming:\n  bundleIdentifier:\n    standalone: \${secret.ESCAPED_SECRET}\n`);
    const result = await run(["validate", "--format", format, file], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("***");
    expect(leaks(CANARIES, result)).toEqual([]);
  });

  test("a secret path with ./ and // is masked after normalisation (validate, generate for both hosts)", async () => {
    const file = manifest(dir, "path.yml", head().replace("    runtime:", "    icon:\n      mac: ${secret.PATH_SECRET}\n    runtime:"));
    const validated = await run(["validate", "--format", "json", file], dir);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toContain("targets.standalone.icon.mac: file not found");
    expect(leaks(CANARIES, validated)).toEqual([]);
    for (const host of ["mac", "win"]) {
      const out = path.join(dir, `generated-${host}`);
      mkdirSync(out, { recursive: true });
      const generated = await run(["generate", "--host", host, file, "-o", path.join(out, "buildApp.4DSettings")], dir);
      expect(generated.code).toBe(0);
      expect(leaks(CANARIES, generated, filesBelow(out))).toEqual([]);
    }
  });
});

describe("a licence number (a licence file name) through every command and format", () => {
  const dir = project();

  test.each(["text", "json", "github"])("validate --format %s: a missing licence file is named by its entry", async (format) => {
    const file = manifest(dir, `missing-${format}.yml`, head().replace("secret-licences/", "elsewhere/"));
    const result = await run(["validate", "--format", format, file], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("licenses.files.mac[0]: file not found");
    expect(leaks(CANARIES, result)).toEqual([]);
  });

  test("generate: a Windows path given for a macOS build names the entry, not the file", async () => {
    const file = manifest(dir, "generate.yml", head().replace(`[secret-licences/${LICENCE}.license4D]`, `['C:\\Licences\\${LICENCE}.license4D']`));
    const result = await run(["generate", "--host", "mac", file], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("licenses.files.mac[0]: licenses.files.mac[0] (not shown) is a Windows path");
    expect(leaks(CANARIES, result)).toEqual([]);
  });

  test.each([
    ["validate", []],
    ["plan", []],
    ["plan", ["--format", "json"]],
    ["build", ["--dry-run"]],
  ])("%s %j of a valid manifest", async (command, options) => {
    const file = manifest(dir, "valid.yml", head());
    const result = await run([command, ...options, file], dir);
    expect(result.code).toBe(0);
    expect(leaks(CANARIES, result)).toEqual([]);
  });

  test.each(["mac", "win"])("generate --host %s writes no licence name into the settings file", async (host) => {
    const file = manifest(dir, "valid.yml", head());
    const out = path.join(dir, `licence-${host}`);
    mkdirSync(out, { recursive: true });
    const result = await run(["generate", "--host", host, file, "-o", path.join(out, "buildApp.4DSettings")], dir);
    expect(result.code).toBe(0);
    expect(leaks(CANARIES, result, filesBelow(out))).toEqual([]);
  });

  test.each(["text", "markdown", "json"])("diff --format %s between two licences masks both", async (format) => {
    const base = manifest(dir, "base.yml", head(LICENCE));
    const changed = manifest(dir, "head.yml", head(OTHER_LICENCE));
    const result = await run(["diff", "--format", format, base, changed], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("licenses.files.mac");
    expect(leaks(CANARIES, result)).toEqual([]);
  });
});

test("import keeps a literal ${secret.…} of a settings file literal: it is no reference, and the round trip holds", async () => {
  const dir = tempDir("hostile-import");
  const settings = path.join(dir, "buildApp.4DSettings");
  writeFileSync(settings, '<?xml version="1.0" encoding="UTF-8"?>\n<Preferences4D><BuildApp><BuildApplicationName>App</BuildApplicationName><Versioning><Common><CommonComment>${secret.LONG_SECRET} and $${x}</CommonComment></Common></Versioning></BuildApp></Preferences4D>\n');
  mkdirSync(path.join(dir, "Project"));
  writeFileSync(path.join(dir, "Project", "App.4DProject"), "{}");
  const imported = await run(["import", settings, "-o", path.join(dir, "4dbuild.yml"), "--host", "mac", "--4d-version", "21"], dir);
  expect(imported.code).toBe(0);
  const manifestText = filesBelow(dir)["4dbuild.yml"]!;
  expect(manifestText).toContain("$${secret.LONG_SECRET} and $$${x}");
  const generated = await run(["generate", "--host", "mac", path.join(dir, "4dbuild.yml")], dir);
  expect(generated.code).toBe(0);
  expect(generated.stdout).toContain("<CommonComment>${secret.LONG_SECRET} and $${x}</CommonComment>");
  expect(leaks([LONG], generated)).toEqual([]);
});

describe("each line of defence on its own", () => {
  test("the library's diagnostics are masked before anything formats them (messages and hints)", () => {
    const dir = project();
    const file = manifest(dir, "library.yml", head().replace("version: 1", "version: 1\nname: ${secret.NUMBER_SECRET}"));
    const result = validateManifest(file, { env: { ...env, NUMBER_SECRET: "918273645" } });
    expect(result.valid).toBe(false);
    expect(JSON.stringify(result.diagnostics)).toContain('quote it: name: \\"***\\"');
    expect(JSON.stringify(result.diagnostics)).not.toContain("918273645");
  });

  test("every byte a command writes to stdout or stderr goes through the run's redactor", () => {
    let written = "";
    const redactor = new Redactor();
    const io = maskedIO({ stdout: { write: (text: string) => (written += text) }, stderr: { write: (text: string) => (written += text) }, env: {}, cwd: ".", redactor });
    redactor.add(LONG);
    io.stdout.write(`a message that forgot to mask ${JSON.stringify(LONG)}\n`);
    io.stderr.write(`cut: ${LONG.slice(0, 57)}…\n`);
    expect(leaks(CANARIES, { code: 0, stdout: written, stderr: "" })).toEqual([]);
  });
});
