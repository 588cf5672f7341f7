import { jest } from "@jest/globals";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * File-system faults are the user's environment, not bugs: each ends in exit 1 with the path and the cause,
 * never "internal error" (exit 3) or a stack trace. Disk full and a read-only disk are simulated by a stubbed
 * node:fs/promises (a real full disk needs a mount): the listed calls fail with the fault on paths under a prefix.
 */
const real = await import("node:fs/promises");
const injected: { at: (place: string) => boolean; calls: string[]; code: string }[] = [];
const under = (folder: string) => (place: string) => place.startsWith(folder);

function failing<F extends (...args: never[]) => unknown>(name: string, original: F, target: (args: unknown[]) => unknown): F {
  return ((...args: unknown[]) => {
    const place = String(target(args));
    const rule = injected.find((r) => r.calls.includes(name) && r.at(place));
    if (rule) return Promise.reject(Object.assign(new Error(`${rule.code}: injected, ${name} '${place}'`), { code: rule.code, errno: -28, syscall: name, path: place }));
    return (original as unknown as (...a: unknown[]) => unknown)(...args);
  }) as unknown as F;
}

jest.unstable_mockModule("node:fs/promises", () => {
  const wrapped = {
    ...real,
    copyFile: failing("copyFile", real.copyFile, (a) => a[1]),
    writeFile: failing("writeFile", real.writeFile, (a) => a[0]),
    open: failing("open", real.open, (a) => a[0]),
    mkdir: failing("mkdir", real.mkdir, (a) => a[0]),
  };
  return { ...wrapped, default: wrapped };
});

const { cliEnv, exampleCopy, ROOT, runCli, STACK_TRACE, tempDir } = await import("../helpers.js");
const { asFault } = await import("../../src/messages/faults.js");
const { exitCodeFor } = await import("../../src/messages/errors.js");

afterEach(() => injected.splice(0));

const CANARY = "CANARY-fault-secret-51d0e2";
const compiledOnly = ["--target", "compiled"];

/** A copy of the example built once (compiled target), with a secret in the environment that must never show. */
async function previousBuild() {
  const copy = exampleCopy();
  const env = cliEnv({ FAULT_CANARY: CANARY });
  const first = await runCli(["build", copy.manifest, "--out", copy.out, ...compiledOnly], { env });
  expect(first.code).toBe(0);
  const sums = readFileSync(path.join(copy.out, "SHA256SUMS"), "utf8");
  return { ...copy, env, sums };
}

function expectUserError(run: { code: number; stdout: string; stderr: string }, message: string) {
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stderr).not.toContain("internal error");
  expect(run.stderr).not.toContain("bug in 4dbuild");
  expect(run.stdout + run.stderr).not.toContain(CANARY);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: expect.stringContaining(message) });
}

describe("faults end in exit 1 naming the path and the cause", () => {
  test("disk full while the build writes its outputs: exit 1, the path as it will be in the destination, previous outputs untouched", async () => {
    const copy = await previousBuild();
    // Disk full once the build writes into the mirror of the destination (its staging "out" folder).
    injected.push({ at: (place) => /^\.4dbuild-staging-[^/]+\/out\//.test(path.relative(copy.out, place)), calls: ["copyFile", "writeFile"], code: "ENOSPC" });
    const run = await runCli(["build", copy.manifest, "--out", copy.out, ...compiledOnly], { env: copy.env });
    expectUserError(run, `error: layout (compiled): ${path.join(copy.out, "Compiled Database", "Hello", "Hello.4DZ")}: no space left on the device (ENOSPC)`);
    expect(run.stderr).toContain("hint: free some space on that disk");
    injected.splice(0);
    expect(readFileSync(path.join(copy.out, "SHA256SUMS"), "utf8")).toBe(copy.sums);
    expect(readdirSync(copy.out).filter((n) => n.startsWith("."))).toEqual([]);
    expect((await runCli(["verify", copy.out], { env: copy.env })).code).toBe(0);
  });

  test("a read-only destination: exit 1 naming the destination", async () => {
    const copy = await previousBuild();
    injected.push({ at: under(copy.out), calls: ["open", "writeFile", "mkdir", "copyFile"], code: "EROFS" });
    const run = await runCli(["build", copy.manifest, "--out", copy.out, ...compiledOnly], { env: copy.env });
    expectUserError(run, `error: ${copy.out}: the file system is read-only (EROFS)`);
    expect(run.stderr).toContain("hint: choose a destination on a writable disk with --out");
  });

  test("no permission to create the destination: exit 1 naming it", async () => {
    const copy = exampleCopy();
    const out = path.join(tempDir("parent"), "locked", "out");
    injected.push({ at: under(path.dirname(out)), calls: ["mkdir"], code: "EACCES" });
    const run = await runCli(["build", copy.manifest, "--out", out, ...compiledOnly], { env: cliEnv() });
    expectUserError(run, `: permission denied (EACCES)`);
    expect(run.stderr).toContain(path.dirname(out));
  });

  test("--out naming a file is a clear error; so is a path through a file", async () => {
    const copy = exampleCopy();
    const file = path.join(copy.root, "not-a-folder");
    writeFileSync(file, "a file");
    const run = await runCli(["build", copy.manifest, "--out", file, ...compiledOnly], { env: cliEnv() });
    expectUserError(run, `error: the destination ${file} is a file, not a folder`);
    expect(readFileSync(file, "utf8")).toBe("a file");
    const through = await runCli(["build", copy.manifest, "--out", path.join(file, "out"), ...compiledOnly], { env: cliEnv() });
    expectUserError(through, `: a part of the path is a file, not a folder (ENOTDIR)`);
  });
});

describe("the one mapping of faults", () => {
  const errno = (code: string, syscall: string, file: string, dest?: string) => Object.assign(new Error(`${code}: x`), { code, syscall, path: file, ...(dest ? { dest } : {}) });

  test.each([
    ["ENOSPC", "no space left on the device"],
    ["EACCES", "permission denied"],
    ["EPERM", "operation not permitted"],
    ["EROFS", "the file system is read-only"],
    ["ENOTDIR", "a part of the path is a file, not a folder"],
    ["EISDIR", "it is a folder, where a file was expected"],
    ["EMFILE", "too many files are open in this process"],
    ["EDQUOT", "the disk quota is exceeded"],
  ])("%s names the path and the cause, and maps to exit 1", (code, cause) => {
    const fault = asFault(errno(code, "open", "/some/place"));
    expect(fault?.message).toBe(`/some/place: ${cause} (${code})`);
    expect(fault?.hint).toBeTruthy();
    expect(exitCodeFor(fault)).toBe(1);
  });

  test("EEXIST of a rename names the path in the way", () => {
    expect(asFault(errno("EEXIST", "rename", "/from", "/to"))?.message).toBe("/to: a file or folder is already there (EEXIST)");
  });

  test("what is not an operating-system fault stays a bug (exit 3)", () => {
    expect(asFault(new TypeError("x is undefined"))).toBeUndefined();
    expect(asFault(Object.assign(new Error("no syscall"), { code: "ENOSPC" }))).toBeUndefined();
    expect(asFault(errno("ENOENT", "open", "/x"))).toBeUndefined();
    expect(exitCodeFor(new TypeError("x"))).toBe(3);
  });
});

test("the README's exit-code table lists 0, 1, 2 and 3", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  for (const code of ["0", "1", "2", "3"]) expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, "m"));
});
