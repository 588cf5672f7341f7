import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readChecksums } from "../../src/release/verify.js";
import { cliEnv, exampleCopy, ROOT, runCli, STACK_TRACE, tempDir } from "../helpers.js";

/**
 * A build into a folder holding an earlier build's outputs of other targets removes them (the destination holds
 * exactly one build, which SHA256SUMS and the report cover); verify fails on any file no SHA256SUMS covers.
 */

const CLI = path.join(ROOT, "dist", "cli.cjs");
const PAUSE = path.join(ROOT, "__tests__", "hostile", "fixtures", "pause-rebuild.mjs");

test("build --target compiled into a fuller build: stale targets removed, one SHA256SUMS and report for what is there; verify fails on stray files", async () => {
  const copy = exampleCopy();
  const env = cliEnv();
  const full = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled", "--target", "component"], { env });
  expect(full.code).toBe(0);
  expect(existsSync(path.join(copy.out, "Components", "Hello.4dbase"))).toBe(true);

  const partial = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled"], { env });
  expect(partial.code).toBe(0);
  expect(readdirSync(copy.out).sort()).toEqual(["BuildApp.log.xml", "Compiled Database", "SHA256SUMS", "build-report.json"]);
  const listed = [...readChecksums(path.join(copy.out, "SHA256SUMS")).keys()];
  expect(listed.length).toBeGreaterThan(0);
  expect(listed.every((f) => f.startsWith("Compiled Database/Hello/"))).toBe(true);
  const report = JSON.parse(readFileSync(path.join(copy.out, "build-report.json"), "utf8")) as { targets: { target: string }[] };
  expect(report.targets.map((t) => t.target)).toEqual(["compiled"]);
  expect((await runCli(["verify", copy.out], { env })).code).toBe(0);

  // A file that no SHA256SUMS covers: a stale target put back, a file added later.
  mkdirSync(path.join(copy.out, "Components", "Hello.4dbase"), { recursive: true });
  writeFileSync(path.join(copy.out, "Components", "Hello.4dbase", "Hello.4DZ"), "old component");
  writeFileSync(path.join(copy.out, "Compiled Database", "Hello", "added.txt"), "added later");
  const stray = await runCli(["verify", copy.out], { env });
  expect(stray.stderr).not.toMatch(STACK_TRACE);
  expect(stray.code).toBe(1);
  expect(stray.stdout).toContain("FAILED: Compiled Database/Hello/added.txt: not covered by SHA256SUMS (left by another build, or added since)");
  expect(stray.stdout).toContain("FAILED: Components/Hello.4dbase/Hello.4DZ: not covered by SHA256SUMS (left by another build, or added since)");
  expect(stray.stdout).toContain("2 problems;");
}, 60_000);

test("SIGTERM during verify --rebuild: its temporary folder is removed, exit 143", async () => {
  const copy = exampleCopy();
  expect((await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled"], { env: cliEnv() })).code).toBe(0);
  const temporary = tempDir("verify-tmp");
  const marker = path.join(copy.root, "paused");
  const child = spawn(process.execPath, ["--import", PAUSE, CLI, "verify", copy.out, "--rebuild", "--manifest", copy.manifest], { env: cliEnv({ TMPDIR: temporary, PAUSE_MARKER: marker }) });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  let code: number | null;
  try {
    for (let i = 0; i < 600 && !existsSync(marker) && child.exitCode === null; i++) await sleep(50);
    expect({ paused: existsSync(marker), stderr }).toEqual({ paused: true, stderr: expect.any(String) });
    expect(readdirSync(temporary).filter((n) => n.startsWith("4dbuild-verify-"))).toHaveLength(1);
  } finally {
    child.kill("SIGTERM");
    code = await closed;
  }
  expect(stderr).not.toMatch(STACK_TRACE);
  expect(code).toBe(143);
  expect(stderr).toContain("interrupted by SIGTERM");
  // The code cache of the CLI stays on purpose (src/cli/compile-cache.ts); nothing else of 4dbuild's may.
  expect(readdirSync(temporary).filter((n) => n.startsWith("4dbuild-") && !n.startsWith("4dbuild-compile-cache-"))).toEqual([]);
}, 60_000);
