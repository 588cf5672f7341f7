import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileNameProblem } from "../../src/files/file-names.js";
import { printable } from "../../src/messages/text.js";
import { FIXTURES, runCli, STACK_TRACE, tempDir } from "../helpers.js";
import { filesBelow } from "./outputs.js";

/*
 * Names that become files and folders, checked against what macOS and Windows accept (issue #16): each a located
 * error of validate (exit 1), and plan / generate never print a raw control character nor write invalid XML.
 */
const dir = tempDir("hostile-names");
cpSync(path.join(FIXTURES, "app", "Project"), path.join(dir, "Project"), { recursive: true });
cpSync(path.join(FIXTURES, "app", "runtimes"), path.join(dir, "runtimes"), { recursive: true });
let count = 0;

const HEAD = ["version: 1", "project: Project/App.4DProject", '4dVersion: "21"'];
const TARGETS = ["targets:", "  server:", "    platforms: [mac]", "    runtime: { mac: runtimes/mac/4D Server.app }", "  client:", "    platforms: [mac]", "    runtime: { mac: runtimes/mac/4D Volume Desktop.app }"];

interface Found {
  code: string;
  message: string;
  line: number;
  column: number;
}

/** A manifest: the head, `lines` (YAML, at the top level), the targets unless `lines` declare them. */
function write(lines: string[]): string {
  const file = path.join(dir, `names-${++count}.yml`);
  const body = lines.some((l) => l.startsWith("targets:")) ? lines : [...lines, ...TARGETS];
  writeFileSync(file, [...HEAD, ...body, ""].join("\n"));
  return file;
}

async function validate(lines: string[]): Promise<{ code: number; diagnostics: Found[]; text: string }> {
  const file = write(lines);
  const run = await runCli(["validate", "--format", "json", file], { cwd: dir });
  expect(run.stderr).not.toMatch(STACK_TRACE);
  return { code: run.code, diagnostics: (JSON.parse(run.stdout) as { diagnostics: Found[] }).diagnostics, text: run.stdout };
}

const lineOf = (lines: string[], needle: string) => HEAD.length + lines.findIndex((l) => l.includes(needle)) + 1;

describe(".. in every naming field", () => {
  test.each([
    ["name", ["name: .."], "name", "name \"..\" names a folder itself, not a file"],
    ["naming.server", ["naming:", '  server: "{name}/.."'], "server:", 'naming.server (with {name} = "App") contains /, which Windows or macOS refuses in a file name'],
    ["naming.client", ["naming:", '  client: "../{name}"'], "client:", 'naming.client (with {name} = "App") contains /, which Windows or macOS refuses in a file name'],
    ["targets.server.cacheFolderName", [...TARGETS.slice(0, 4), "    cacheFolderName: ..", ...TARGETS.slice(4)], "cacheFolderName", 'targets.server.cacheFolderName ".." names a folder itself, not a file'],
    ["targets.client.cacheFolderName", [...TARGETS, "    cacheFolderName: .."], "cacheFolderName", 'targets.client.cacheFolderName ".." names a folder itself, not a file'],
  ])("%s", async (_field, lines, needle, message) => {
    const { code, diagnostics } = await validate(lines);
    expect(code).toBe(1);
    expect(diagnostics).toEqual([expect.objectContaining({ code: "bad-name", message, line: lineOf(lines, needle) })]);
  });

  test("structure.include[].to (refused by the schema's pattern, located)", async () => {
    const lines = ["structure:", "  include:", "    - { from: Project, to: ../x }"];
    const { code, diagnostics } = await validate(lines);
    expect(code).toBe(1);
    expect(diagnostics).toEqual([expect.objectContaining({ code: "bad-format", line: lineOf(lines, "include") + 1 })]);
  });

  test("a reserved name inside structure.include[].to", async () => {
    const lines = ["structure:", "  include:", "    - { from: Project, to: Extras/aux.txt }"];
    const { diagnostics } = await validate(lines);
    expect(diagnostics).toEqual([expect.objectContaining({ code: "bad-name", message: 'structure.include[0].to: "aux.txt" "aux" is a device name Windows reserves, with any extension' })]);
  });
});

describe("reserved, control-character and bidi names", () => {
  test.each([
    ["CON", '"CON" is a device name Windows reserves, with any extension'],
    ["nul.txt", '"nul" is a device name Windows reserves, with any extension'],
    ["Com1", '"Com1" is a device name Windows reserves, with any extension'],
    ["LPT9.tar.gz", '"LPT9" is a device name Windows reserves, with any extension'],
    ['"App\\0"', "contains the control character U+0000"],
    ['"App\\e[31m"', "contains the control character U+001B"],
    ['"App\\nName"', "contains the control character U+000A"],
    ['"Invoice\\u202Eexe.pdf"', "contains the bidirectional control U+202E, which makes a name read otherwise than it is"],
    ['"App."', "ends with a space or a period, which Windows removes"],
    ['"App "', "ends with a space or a period, which Windows removes"],
    [`"${"é".repeat(121)}"`, "is 242 bytes long; at most 240 are allowed (file systems allow 255, and 4dbuild adds extensions)"],
  ])("name: %s", async (name, problem) => {
    const lines = [`name: ${name}`];
    const { code, diagnostics, text } = await validate(lines);
    expect(code).toBe(1);
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: "bad-name", message: `name ${problem}`, line: lineOf(lines, "name:"), column: 7 }));
    for (const raw of ["\u0000", "\u001b", "\u202e"]) expect(text).not.toContain(raw);
  });

  test("server and client with one name (case aside) are one folder: a located error", async () => {
    const lines = ["naming:", '  server: "{name} App"', '  client: "{name} app"'];
    const { code, diagnostics } = await validate(lines);
    expect(code).toBe(1);
    expect(diagnostics).toEqual([expect.objectContaining({ code: "same-output", line: lineOf(lines, "server:") })]);
  });

  test("names macOS and Windows accept pass: accents, spaces inside, dots inside, CONSOLE", async () => {
    for (const name of ["Café Client", "My.App v2", "CONSOLE", "com10", "LPT", "日本語"]) expect({ name, problem: fileNameProblem(name) }).toEqual({ name, problem: undefined });
  });
});

describe("control characters never reach a terminal or a settings file raw", () => {
  const ESC = "\u001b";

  test.each([
    ["a text field (YAML escape)", ['versioning:', '  common:', '    comment: "red \\e[31m text"'], "comment:", "versioning.common.comment contains the control character U+001B"],
    ["a value from the environment", ['versioning:', '  common:', "    companyName: ${env.COMPANY}"], "companyName:", "versioning.common.companyName contains the control character U+001B"],
    ["a bidi override", ['versioning:', '  common:', '    fileDescription: "abc\\u202Etxt.exe"'], "fileDescription:", "versioning.common.fileDescription contains the bidirectional control character U+202E"],
  ])("%s: validate, plan and generate stop with a located error, printing no raw control character", async (_what, lines, needle, message) => {
    const file = write(lines);
    const env = { COMPANY: `Acme${ESC}]0;owned${ESC}\\` };
    const validated = await runCli(["validate", "--format", "json", file], { cwd: dir, env });
    expect(validated.code).toBe(1);
    expect((JSON.parse(validated.stdout) as { diagnostics: Found[] }).diagnostics).toEqual([expect.objectContaining({ code: "control-character", message, line: lineOf(lines, needle) })]);
    const out = path.join(dir, `generated-${count}`);
    mkdirSync(out);
    for (const argv of [["validate", file], ["plan", file], ["build", "--dry-run", file], ["generate", "--host", "mac", file, "-o", path.join(out, "buildApp.4DSettings")]]) {
      const run = await runCli(argv, { cwd: dir, env });
      expect({ argv, code: run.code }).toEqual({ argv, code: 1 });
      expect(run.stdout + run.stderr).toContain(message);
      for (const raw of [ESC, "\u202e"]) expect(run.stdout + run.stderr).not.toContain(raw);
    }
    expect(filesBelow(out)).toEqual({});
  });

  test("text shown on a terminal has its control characters made visible", () => {
    expect(printable(`a${ESC}[31mb\r\u202Ec\td\n`)).toBe("a\\u{1b}[31mb\\u{d}\\u{202e}c\td\n");
  });

  test("a code frame shows the line of a raw control character made visible", async () => {
    const file = path.join(dir, "raw.yml");
    writeFileSync(file, [...HEAD, `name: "App${ESC}[2J"`, ...TARGETS, ""].join("\n"));
    const run = await runCli(["validate", file], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('name: "App\\u{1b}[2J"');
    expect(run.stdout).not.toContain(ESC);
  });
});
