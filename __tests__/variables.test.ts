import { Redactor } from "../src/messages/redactor.js";
import { resolveManifest } from "../src/manifest/resolve.js";
import { parseSource } from "../src/manifest/source.js";
import type { GitVariable } from "../src/manifest/git.js";
import { gitReader } from "../src/manifest/git.js";
import { findWorkTree, repositoryRoot } from "../src/files/work-tree.js";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exampleCopy, ROOT, tempDir, tempEnv } from "./helpers.js";

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

test("the work tree is found as git finds it: a .git folder with a HEAD, or a .git file; from the real path up", () => {
  const dir = realpathSync(tempDir("worktree"));
  const repo = path.join(dir, "repo");
  mkdirSync(path.join(repo, "a", "b"), { recursive: true });
  execFileSync("git", ["init", "-q"], { cwd: repo });
  expect(findWorkTree(path.join(repo, "a", "b"))).toBe(execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: path.join(repo, "a", "b"), encoding: "utf8" }).trim());
  expect(findWorkTree(repo)).toBe(repo);
  // What cannot be looked into (here a file, where "file/.git" is not a path) is passed over, not an error.
  writeFileSync(path.join(repo, "a", "b", "file"), "x");
  expect(findWorkTree(path.join(repo, "a", "b", "file"))).toBe(repo);
  // Through a link, the real place.
  symlinkSync(path.join(repo, "a"), path.join(dir, "link"));
  expect(findWorkTree(path.join(dir, "link", "b"))).toBe(repo);
  // A linked work tree or a submodule has a .git file; a folder named .git without a HEAD is not a repository.
  mkdirSync(path.join(repo, "a", "sub"));
  writeFileSync(path.join(repo, "a", "sub", ".git"), "gitdir: ../../.git/modules/sub\n");
  expect(findWorkTree(path.join(repo, "a", "sub"))).toBe(path.join(repo, "a", "sub"));
  mkdirSync(path.join(dir, "plain", ".git"), { recursive: true });
  expect(findWorkTree(path.join(dir, "plain"))).toBeUndefined();
  expect(repositoryRoot(path.join(dir, "plain"))).toBe(path.join(dir, "plain"));
  expect(findWorkTree(path.join(dir, "missing"))).toBeUndefined();
});

test("outside a repository, git facts are absent and git is not started", () => {
  const { root, manifest } = exampleCopy();
  const bin = path.join(root, "bin");
  const marker = path.join(root, "git-ran");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "git"), `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
  chmodSync(path.join(bin, "git"), 0o755);
  // node:child_process reads the worker's real environment, so git is looked up by a process of its own.
  const validate = () => execFileSync(process.execPath, [path.join(ROOT, "dist", "cli.cjs"), "validate", manifest], { env: { ...tempEnv(), PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` }, encoding: "utf8" });
  expect(validate()).toContain("valid");
  expect(existsSync(marker)).toBe(false);
  // Inside one whose files say HEAD has no tag, git is not started either (src/files/git-refs.ts).
  mkdirSync(path.join(root, ".git", "refs", "heads"), { recursive: true });
  writeFileSync(path.join(root, ".git", "HEAD"), "ref: refs/heads/main\n");
  writeFileSync(path.join(root, ".git", "refs", "heads", "main"), `${"a".repeat(40)}\n`);
  expect(validate()).toContain("valid");
  expect(existsSync(marker)).toBe(false);
  // When they cannot say (a branch without a commit), git is asked (here the stand-in, which fails: no tag, and the manifest's default applies).
  rmSync(path.join(root, ".git", "refs", "heads", "main"));
  expect(validate()).toContain("valid");
  expect(existsSync(marker)).toBe(true);
});
