import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import { validateManifest } from "../../src/manifest/open.js";
import { FIXTURES, runCli, STACK_TRACE, tempDir } from "../helpers.js";
import { billionLaughs, deepDashes, deepFlow, deepIndent, deepSettings, flowAliases, plainAliases, selfAnchor, unknownKeys } from "./inputs.js";

/*
 * Bounded parsing (issue #16): each hostile text ends, fast, in one located error of its own kind (exit 1), never a
 * hang, a stack overflow or the engine's words. The timing of each is scripts/bench-hostile.mjs (not a timed test).
 */
const project = tempDir("hostile-parse");
cpSync(path.join(FIXTURES, "app", "Project"), path.join(project, "Project"), { recursive: true });
let count = 0;

interface Located {
  code: string;
  message: string;
  line: number;
  column: number;
}

async function validate(text: string): Promise<{ code: number; diagnostics: Located[]; output: string }> {
  const file = path.join(project, `m${++count}.yml`);
  writeFileSync(file, text);
  const run = await runCli(["validate", "--format", "json", file]);
  const output = run.stdout + run.stderr;
  expect(output).not.toMatch(STACK_TRACE);
  expect(output).not.toMatch(/call stack|internal error/i);
  return { code: run.code, diagnostics: (JSON.parse(run.stdout) as { diagnostics: Located[] }).diagnostics, output };
}

const at = (text: string, needle: string) => {
  const before = text.slice(0, text.indexOf(needle));
  return { line: before.split("\n").length, column: before.length - before.lastIndexOf("\n") };
};

test.each([
  ["a 1 KB billion laughs", billionLaughs(9)],
  ["a 9^7 alias bomb", billionLaughs(7)],
])("%s stops at the expanded-values budget, at the alias that passed it", async (_name, text) => {
  const { code, diagnostics } = await validate(text);
  expect(code).toBe(1);
  expect(diagnostics).toEqual([expect.objectContaining({ code: "too-many-values", message: "aliases copy more than 20000 values" })]);
  expect(diagnostics[0]!.line).toBeGreaterThan(6);
});

test("100 000 plain aliases are refused by the size limit, at line 1", async () => {
  const { code, diagnostics } = await validate(plainAliases(100_000));
  expect(code).toBe(1);
  expect(diagnostics).toEqual([expect.objectContaining({ code: "too-large", line: 1, column: 1, message: expect.stringMatching(/is \d+ KB; a manifest may be at most 256 KB$/) })]);
});

test("2 000 aliases within the limits are expanded: the only error is the unknown key", async () => {
  const { code, diagnostics } = await validate(flowAliases(2_000).replace("passthrough:", "surplus:"));
  expect(code).toBe(1);
  expect(diagnostics.map((d) => d.code)).toEqual(["unknown-key"]);
});

test("a self-referencing anchor is a located error, not a stack overflow", async () => {
  const text = selfAnchor();
  const { code, diagnostics } = await validate(text);
  expect(code).toBe(1);
  expect(diagnostics).toEqual([expect.objectContaining({ code: "recursive-alias", message: "the alias *loop is inside the value it names", ...at(text, "*loop") })]);
});

test.each([
  ["flow brackets", deepFlow(10_000), "[".repeat(63)],
  ["dashes", deepDashes(5_000), "- ".repeat(61)],
  ["indentation", deepIndent(200), "k63:"],
])("nesting by %s deeper than 64 levels is a located error", async (_name, text, before) => {
  const { code, diagnostics } = await validate(text);
  expect(code).toBe(1);
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0]).toMatchObject({ code: "too-deep", message: "nested more than 64 levels deep" });
  const start = at(text, before);
  expect(diagnostics[0]!.line).toBe(start.line);
});

test("nesting within the limit is not refused", async () => {
  const { diagnostics } = await validate(deepFlow(50));
  expect(diagnostics.map((d) => d.code)).not.toContain("too-deep");
});

test("20 000 unknown keys: the first 50 one by one, then a count, in one pass", async () => {
  const { code, diagnostics } = await validate(unknownKeys(20_000));
  expect(code).toBe(1);
  expect(diagnostics).toHaveLength(51);
  expect(diagnostics.slice(0, 50).every((d) => d.code === "unknown-key" && /^unknown key "u\d+" in the manifest$/.test(d.message))).toBe(true);
  expect(diagnostics.at(-1)).toMatchObject({ code: "unknown-key", message: "19950 more unknown keys in the manifest, from here (20000 in all; the first 50 are listed)", line: 56, column: 1 });
});

test("repeated keys are still found (without yaml's pairwise check)", async () => {
  const { diagnostics } = await validate(`${unknownKeys(0)}name: A\nname: B\n`);
  expect(diagnostics).toEqual([expect.objectContaining({ code: "duplicate-key", message: "duplicate key name", line: 8, column: 1 })]);
});

test("a settings file nested 10 000 deep is a located error of import (exit 1)", async () => {
  const dir = tempDir("hostile-xml");
  const settings = path.join(dir, "buildApp.4DSettings");
  writeFileSync(settings, deepSettings(10_000));
  const run = await runCli(["import", settings, "-o", "-", "--host", "mac", "--4d-version", "21"], { cwd: dir });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`${settings}:4:`);
  expect(run.stderr).toContain("nests elements more than 64 levels deep");
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stderr).not.toMatch(/internal error|Maximum nested/i);
});

test("the code frame of a 20 KB line shows a window around the column, the caret under the problem", async () => {
  const file = path.join(project, "long-line.yml");
  const text = deepFlow(10_000);
  writeFileSync(file, text);
  const run = await runCli(["validate", file]);
  expect(run.code).toBe(1);
  const lines = run.stdout.split("\n");
  expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(200);
  const shown = lines.find((l) => l.startsWith(">"))!;
  const caret = lines[lines.indexOf(shown) + 1]!;
  // The caret points at the bracket that opens level 65.
  expect(shown[caret.indexOf("^")]).toBe("[");
  expect(caret.indexOf("^") - shown.indexOf("| ") - 2).toBeGreaterThan(60);
});

test("aliases of a mapping, a list and a text still resolve (the one-pass alias map)", async () => {
  const text = [
    "version: 1",
    "project: Project/App.4DProject",
    '4dVersion: "21"',
    "name: &name Aliased",
    "targets:",
    "  compiled: &empty {}",
    "  component: *empty",
    "naming:",
    "  bundleIdentifier: &ids { standalone: com.example.app }",
    "versioning:",
    "  common: { comment: *name }",
    "passthrough: { CS/PortID: &port '19813', CS/HardLink: *port }",
    "",
  ].join("\n");
  const dir = tempDir("hostile-alias");
  cpSync(path.join(FIXTURES, "app", "Project"), path.join(dir, "Project"), { recursive: true });
  writeFileSync(path.join(dir, "4dbuild.yml"), text);
  const result = validateManifest(path.join(dir, "4dbuild.yml"), { checkFiles: false, checkProject: false });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(result.plan?.config.targets.component).toBeDefined();
  expect(result.plan?.config.versioning.common?.comment).toBe("Aliased");
});
