import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { acquireLock, createStaging, recoverCommit } from "../../src/builder/output.js";
import { cliEnv, runCli, tempDir } from "../helpers.js";
import { bundleDriver, KILL_HOOK } from "./fixtures/bundle-driver.js";

/**
 * SIGKILL at every point of the commit. The driver (4dbuild's own lock, staging and commit code, bundled and run
 * as a child process) replaces an earlier build by a new one; a preloaded hook kills it at the n-th change the
 * commit makes, for every n. Then `verify` (which finishes or undoes an interrupted commit) and a next build's
 * start run: the destination must be exactly the old build or exactly the new one, never a mix, never a target
 * missing, with nothing of the build's own left behind.
 */

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const sums = (files: Record<string, string>) => Object.entries(files).map(([f, c]) => `${sha(c)}  ${f}\n`).sort().join("");
const withBookkeeping = (files: Record<string, string>) => ({ ...files, SHA256SUMS: sums(files), "build-report.json": report(JSON.stringify(files).length) });
/** A build report verify can read (it looks for targets marked unsigned), told apart by its date. */
function report(sourceDateEpoch: number): string {
  return `${JSON.stringify({ reportVersion: 1, name: "App", fourDVersion: "21", sourceDateEpoch, targets: [], artifacts: [], signatures: [], pluginKeys: [], warnings: [] })}\n`;
}

const OLD = withBookkeeping({ "App/a.txt": "old a", "App/sub/b.txt": "old b", "Archives/App.zip": "old zip", "Old/x.txt": "a target the new build does not make" });
const NEW = withBookkeeping({ "App/a.txt": "new a", "App/c.txt": "new c", "Archives/App.zip": "new zip", "Extra/e.txt": "new target" });
const OUTPUTS = ["App", "Archives/App.zip", "Extra", "SHA256SUMS", "build-report.json"];
const STALE = ["Old"];

/** Every file below `dir` with its content, the build's own dot entries at the top reported as such. */
function listing(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, listing(dir, relative));
    else out[relative] = readFileSync(path.join(dir, relative), "utf8");
  }
  return out;
}

function run(driver: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", KILL_HOOK, driver], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
}

let driver: string;
beforeAll(async () => {
  driver = await bundleDriver(tempDir("driver"));
});

test("SIGKILL at every point of the commit: the next run leaves the old build or the new one, whole", async () => {
  const root = tempDir("kill");
  const counter = path.join(root, "count");
  const destinationFor = (n: number) => {
    const destination = path.join(root, `dest-${n}`);
    for (const [file, content] of Object.entries(OLD)) {
      mkdirSync(path.dirname(path.join(destination, file)), { recursive: true });
      writeFileSync(path.join(destination, file), content);
    }
    return destination;
  };
  const env = (destination: string, killAt: number) => ({ DESTINATION: destination, NEW_FILES: JSON.stringify(NEW), OUTPUTS: JSON.stringify(OUTPUTS), STALE: JSON.stringify(STALE), KILL_AT: String(killAt), ...(killAt ? {} : { KILL_COUNT: counter }) });

  // A run without a kill: the new build, whole, and the number of points to kill at.
  const whole = destinationFor(0);
  const clean = await run(driver, env(whole, 0));
  expect({ code: clean.code, stderr: clean.stderr }).toEqual({ code: 0, stderr: "" });
  expect(listing(whole)).toEqual(NEW);
  const points = Number(readFileSync(counter, "utf8"));
  expect(points).toBeGreaterThan(15);

  // The kills, a few at a time (each in its own destination): starting Node is most of the cost.
  const killed: { signal: NodeJS.Signals | null }[] = [];
  for (let first = 1; first <= points; first += 4) {
    const batch = Array.from({ length: Math.min(4, points - first + 1) }, (_, i) => first + i);
    killed.push(...(await Promise.all(batch.map((n) => run(driver, env(destinationFor(n), n))))));
  }
  const outcomes: string[] = [];
  for (let n = 1; n <= points; n++) {
    const destination = path.join(root, `dest-${n}`);
    expect({ n, signal: killed[n - 1]!.signal }).toEqual({ n, signal: "SIGKILL" });

    // verify finishes or undoes the interrupted commit, then checks every file against the SHA256SUMS there.
    const verified = await runCli(["verify", destination], { env: cliEnv() });
    expect({ n, code: verified.code, out: verified.stdout }).toEqual({ n, code: 0, out: expect.stringContaining("OK:") });
    // The next build's start: lock (the dead driver's is taken over), recovery, staging (the dead one's swept).
    const release = await acquireLock(destination, 0);
    expect(await recoverCommit(destination)).toBe("none");
    rmSync(await createStaging(destination), { recursive: true });
    await release();

    const after = listing(destination);
    const outcome = JSON.stringify(after) === JSON.stringify(NEW) ? "new" : JSON.stringify(after) === JSON.stringify(OLD) ? "old" : "mixed";
    expect({ n, outcome, after }).toEqual({ n, outcome: expect.stringMatching(/^(old|new)$/), after });
    expect({ n, left: readdirSync(destination).filter((name) => name.startsWith(".")) }).toEqual({ n, left: [] });
    outcomes.push(outcome);
  }
  // Killed before the journal says "done": the old build is back; after: the new one stays.
  expect(outcomes[0]).toBe("old");
  expect(outcomes.at(-1)).toBe("new");
  expect(outcomes.join(",")).toMatch(/^(old,)+(new,)*new$/);
}, 120_000);

test("two concurrent runs: exactly one takes the lock, the others get a clear message", async () => {
  const root = tempDir("race");
  const destination = path.join(root, "dest");
  const [ready, go] = [path.join(root, "ready"), path.join(root, "go")];
  const contenders = 5;
  const children = Array.from({ length: contenders }, () => {
    const child = spawn(process.execPath, [driver], { env: { PATH: process.env.PATH, DRIVER: "lock", DESTINATION: destination, READY: ready, GO: go, HOLD_MS: "1500" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    return new Promise<{ code: number | null; stdout: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout })));
  });
  for (let i = 0; i < 400 && readdirSync(root).filter((n) => n.startsWith("ready.")).length < contenders; i++) await new Promise((r) => setTimeout(r, 25));
  writeFileSync(go, "");
  const results = await Promise.all(children);
  const winners = results.filter((r) => r.stdout === "won\n");
  expect(winners).toHaveLength(1);
  expect(winners[0]!.code).toBe(0);
  for (const loser of results.filter((r) => r !== winners[0])) {
    expect(loser.code).toBe(1);
    expect(loser.stdout).toMatch(new RegExp(`^another build \\(process \\d+\\) is writing to ${destination.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, since \\d{4}-`));
  }
  expect(existsSync(path.join(destination, ".4dbuild.lock"))).toBe(false);
  expect(readdirSync(destination)).toEqual([]);
});
