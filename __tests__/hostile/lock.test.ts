import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { acquireLock } from "../../src/builder/output.js";
import { cliEnv, exampleCopy, runCli, STACK_TRACE, tempDir } from "../helpers.js";

/** The destination's lock: created whole, says who holds it, and never guessed about when it cannot be read. */

const LOCK = ".4dbuild.lock";
const past = (file: string) => utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
/** A process id that does not run: a child that has ended. */
const deadPid = () => Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }));

describe("the lock", () => {
  test("holds the owner's process, host and start time, written with the lock (never an empty lock)", async () => {
    const destination = tempDir("lock");
    const release = await acquireLock(destination, 0);
    const content = JSON.parse(readFileSync(path.join(destination, LOCK), "utf8")) as Record<string, unknown>;
    expect(content).toEqual({ tool: "4dbuild", pid: process.pid, host: hostname(), started: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), token: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(readdirSync(destination)).toEqual([LOCK]);
    await release();
    expect(readdirSync(destination)).toEqual([]);
  });

  test("many takers at once in one process: exactly one wins", async () => {
    const destination = tempDir("lock");
    const settled = await Promise.allSettled(Array.from({ length: 8 }, () => acquireLock(destination, 0)));
    const won = settled.filter((s) => s.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const lost of settled.filter((s) => s.status === "rejected")) expect(String((lost as PromiseRejectedResult).reason.message)).toContain(`another build (process ${process.pid}) is writing to ${destination}`);
    await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
  });

  test("a lock left by a process that no longer runs is taken over", async () => {
    const destination = tempDir("lock");
    writeFileSync(path.join(destination, LOCK), JSON.stringify({ tool: "4dbuild", pid: deadPid(), host: hostname(), started: "2020-01-01T00:00:00.000Z", token: "0123456789abcdef" }));
    const release = await acquireLock(destination, 0);
    expect(JSON.parse(readFileSync(path.join(destination, LOCK), "utf8")).pid).toBe(process.pid);
    await release();
  });

  test("releasing never removes a lock another build holds now", async () => {
    const destination = tempDir("lock");
    const release = await acquireLock(destination, 0);
    const successor = JSON.stringify({ tool: "4dbuild", pid: process.pid, host: hostname(), started: new Date().toISOString(), token: "fedcba9876543210" });
    writeFileSync(path.join(destination, LOCK), successor);
    await release();
    expect(readFileSync(path.join(destination, LOCK), "utf8")).toBe(successor);
  });

  test.each([
    ["a damaged", "{not json", "damaged (not the JSON 4dbuild writes)"],
    ["an empty", "", "empty"],
    ["a foreign", JSON.stringify({ owner: "someone else" }), "not a lock 4dbuild wrote (no owner process, host and start time in it)"],
  ])("%s lock is a clear error naming the file and --force-unlock", async (_kind, content, why) => {
    const destination = tempDir("lock");
    const lock = path.join(destination, LOCK);
    writeFileSync(lock, content);
    past(lock);
    await expect(acquireLock(destination, 0)).rejects.toMatchObject({
      message: `the lock file ${lock} is ${why}: 4dbuild cannot tell which build holds it`,
      hint: `if no build is writing to ${destination}, run again with --force-unlock (it removes the lock)`,
    });
    expect(readFileSync(lock, "utf8")).toBe(content);
  });

  test("a lock held on another machine (a shared folder) is not taken over: the message names the host", async () => {
    const destination = tempDir("lock");
    writeFileSync(path.join(destination, LOCK), JSON.stringify({ tool: "4dbuild", pid: 1, host: "build-agent-7", started: "2026-01-02T03:04:05.000Z", token: "0123456789abcdef" }));
    await expect(acquireLock(destination, 0)).rejects.toThrow(`${path.join(destination, LOCK)} is held by a build on another machine (build-agent-7, process 1, since 2026-01-02T03:04:05.000Z)`);
    const release = await acquireLock(destination, 0, { force: true });
    expect(JSON.parse(readFileSync(path.join(destination, LOCK), "utf8")).host).toBe(hostname());
    await release();
  });
});

test("build: a corrupt lock gives exit 1 with the file and --force-unlock; --force-unlock builds", async () => {
  const copy = exampleCopy();
  const lock = path.join(copy.out, LOCK);
  mkdirSync(copy.out, { recursive: true });
  writeFileSync(lock, "\u0000\u0001garbage");
  past(lock);
  const refused = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled"], { env: cliEnv() });
  expect(refused.stderr).not.toMatch(STACK_TRACE);
  expect(refused.stderr).not.toContain("internal error");
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`error: the lock file ${lock} is damaged (not the JSON 4dbuild writes): 4dbuild cannot tell which build holds it`);
  expect(refused.stderr).toContain("--force-unlock");
  expect(existsSync(path.join(copy.out, "SHA256SUMS"))).toBe(false);

  const forced = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled", "--force-unlock"], { env: cliEnv() });
  expect({ code: forced.code, stderr: forced.stderr }).toEqual({ code: 0, stderr: expect.not.stringContaining("error") });
  expect(existsSync(lock)).toBe(false);
  expect(readdirSync(copy.out).filter((n) => n.startsWith("."))).toEqual([]);
});
