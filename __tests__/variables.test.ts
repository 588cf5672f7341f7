import { Redactor } from "../src/messages/redactor.js";
import { resolveManifest } from "../src/manifest/resolve.js";
import { parseSource } from "../src/manifest/source.js";
import type { GitVariable } from "../src/manifest/git.js";
import { gitReader } from "../src/manifest/git.js";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { tempDir } from "./helpers.js";

function resolve(yaml: string, env: NodeJS.ProcessEnv = {}, git: Partial<Record<GitVariable, string>> = {}) {
  const redactor = new Redactor();
  const result = resolveManifest(parseSource("m.yml", yaml), { env, git: (name) => git[name], redactor });
  return { ...result, redactor };
}

test("env references, with and without defaults", () => {
  const { value, diagnostics } = resolve("a: ${env.A}\nb: ${env.B:-fallback}\nc: x-${env.A}-${env.B:-y}\n", { A: "one" });
  expect(diagnostics).toEqual([]);
  expect(value).toEqual({ a: "one", b: "fallback", c: "x-one-y" });
});

test("an empty variable counts as unset, as in the shell's ${X:-d}", () => {
  expect(resolve("a: ${env.A:-d}\n", { A: "" }).value).toEqual({ a: "d" });
});

test("a plain scalar that is one reference takes the YAML type of its value; a quoted one stays text", () => {
  const { value } = resolve('port: ${env.PORT}\nflag: ${env.FLAG}\nquoted: "${env.PORT}"\nmixed: ${env.PORT}0\n', { PORT: "19813", FLAG: "true" });
  expect(value).toEqual({ port: 19813, flag: true, quoted: "19813", mixed: "198130" });
});

test("$${ writes a literal ${", () => {
  expect(resolve("a: $${env.A}\n", { A: "x" }).value).toEqual({ a: "${env.A}" });
});

test("git variables: tag, version without its v, commit, short commit", () => {
  const { value } = resolve("t: ${git.tag}\nv: ${git.version}\nc: ${git.shortCommit}\n", {}, { tag: "v1.2.3", version: "1.2.3", shortCommit: "abc1234" });
  expect(value).toEqual({ t: "v1.2.3", v: "1.2.3", c: "abc1234" });
});

test("an unresolved reference is located at the reference itself, not the start of the value", () => {
  const { diagnostics, failed } = resolve("output:\n  dir: builds/${env.MISSING}/x\n");
  expect(diagnostics).toEqual([
    expect.objectContaining({ code: "unresolved-variable", message: "environment variable MISSING is not set", line: 2, column: 15, endColumn: 29, pointer: "/output/dir" }),
  ]);
  expect([...failed]).toEqual(["/output/dir"]);
});

test("secrets are registered for redaction and marked in the origins", () => {
  const { value, redactor, origins } = resolve("network:\n  linkCode: ${secret.LINK}\n", { LINK: "s3cr3t-value" });
  expect(value).toEqual({ network: { linkCode: "s3cr3t-value" } });
  expect(redactor.redact("code is s3cr3t-value.")).toBe("code is ***.");
  expect(origins.get("/network/linkCode")).toEqual({ fromEnvironment: true, secret: true, external: false });
});

test("!external marks a literal machine path", () => {
  const { value, origins } = resolve("p: !external /opt/4D/runtime\n");
  expect(value).toEqual({ p: "/opt/4D/runtime" });
  expect(origins.get("/p")).toEqual({ fromEnvironment: false, secret: false, external: true });
});

test("a missing git tag suggests a default", () => {
  const { diagnostics } = resolve("v: ${git.version}\n");
  expect(diagnostics[0]).toEqual(expect.objectContaining({ message: "${git.version} cannot be resolved: no git tag points at the current commit", hint: "give a default: ${git.version:-0.0.0}" }));
});

test("gitReader reads a real repository, and GitHub's variables first", () => {
  const dir = tempDir("git");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
  git("init", "-q");
  writeFileSync(path.join(dir, "f"), "x");
  git("add", "f");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "c");
  git("tag", "v2.0.1");
  const read = gitReader(dir, {});
  expect(read("tag")).toBe("v2.0.1");
  expect(read("version")).toBe("2.0.1");
  expect(read("commit")).toBe(git("rev-parse", "HEAD"));
  expect(read("shortCommit")).toBe(git("rev-parse", "HEAD").slice(0, 7));
  expect(gitReader(dir, { GITHUB_REF_TYPE: "tag", GITHUB_REF_NAME: "v9.9.9" })("version")).toBe("9.9.9");
});
