import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { acquireLock, commit, createStaging } from "../src/builder/output.js";
import { cliEnv, exampleCopy, FIXTURES, ROOT, runCli, STACK_TRACE } from "./helpers.js";

const CLI = path.join(ROOT, "dist", "cli.cjs");

/** Every entry below `dir` (the build's own dot entries at the top left out): file → SHA-256, link → target, folder. */
function listing(dir: string, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!prefix && entry.name.startsWith(".")) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    const absolute = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) out[relative] = `-> ${readlinkSync(absolute)}`;
    else if (entry.isDirectory()) {
      out[relative] = "folder";
      listing(absolute, relative, out);
    } else out[relative] = createHash("sha256").update(readFileSync(absolute)).digest("hex");
  }
  return out;
}

/** The paths whose content differs between two listings (sorted), for readable failures. */
const differences = (a: Record<string, string>, b: Record<string, string>) => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();

const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "4dbuild-commit-"));
  temporary.push(dir);
  return dir;
};
const example = () => {
  const copy = exampleCopy();
  temporary.push(copy.root);
  return copy;
};
/** The example's manifest with another copyright (every application's metadata, the archives and sums change) and maybe signing.win. */
function changeManifest(manifest: string, signingWin?: string[]): void {
  let text = readFileSync(manifest, "utf8").replace("copyright: © 2026 Example Ltd", "copyright: © 2027 Example Ltd");
  if (signingWin) text = text.replace(/^( {4}adHoc: true.*\n)/m, `$1  win:\n    command: ${JSON.stringify(signingWin)}\n    files: ["Hello*.exe"]\n`);
  writeFileSync(manifest, text);
  expect(text).toContain("© 2027");
  if (signingWin) expect(text).toMatch(/^signing:\n {2}mac:\n {4}adHoc: true.*\n {2}win:\n {4}command: \[/m);
}

describe("commit", () => {
  /** A destination with a previous build (a folder, a file, a nested file) and a staging folder with new ones. */
  async function setup() {
    const destination = tempDir();
    for (const [file, content] of [["App/a.txt", "old a"], ["App/sub/b.txt", "old b"], ["SHA256SUMS", "old sums"], ["Archives/App.zip", "old zip"], ["kept.txt", "not an output"]]) {
      mkdirSync(path.dirname(path.join(destination, file!)), { recursive: true });
      writeFileSync(path.join(destination, file!), content!);
    }
    const staging = await createStaging(destination);
    const out = path.join(staging, "out");
    for (const [file, content] of [["App/a.txt", "new a"], ["App/c.txt", "new c"], ["SHA256SUMS", "new sums"], ["Archives/App.zip", "new zip"]]) {
      mkdirSync(path.dirname(path.join(out, file!)), { recursive: true });
      writeFileSync(path.join(out, file!), content!);
    }
    return { destination, staging, out, before: listing(destination) };
  }

  test("replaces every output and leaves the rest of the destination alone", async () => {
    const { destination, staging, out } = await setup();
    await commit(staging, out, destination, ["App", "Archives/App.zip", "SHA256SUMS"]);
    expect(listing(destination)).toEqual({
      App: "folder",
      "App/a.txt": createHash("sha256").update("new a").digest("hex"),
      "App/c.txt": createHash("sha256").update("new c").digest("hex"),
      Archives: "folder",
      "Archives/App.zip": createHash("sha256").update("new zip").digest("hex"),
      SHA256SUMS: createHash("sha256").update("new sums").digest("hex"),
      "kept.txt": createHash("sha256").update("not an output").digest("hex"),
    });
  });

  // The move of the third output fails after the first two were replaced and after its own previous version was
  // moved aside: an interruption between "move the old aside" and "move the new in". Nothing may be lost.
  test("a move that fails part way leaves the destination exactly as before: previous outputs are moved aside, never deleted", async () => {
    const { destination, staging, out, before } = await setup();
    rmSync(path.join(out, "SHA256SUMS"));
    await expect(commit(staging, out, destination, ["App", "Archives/App.zip", "SHA256SUMS"])).rejects.toMatchObject({ code: "ENOENT" });
    expect(differences(listing(destination), before)).toEqual([]);
    // The new outputs are back in staging, where the build removes them.
    expect(readFileSync(path.join(out, "App", "c.txt"), "utf8")).toBe("new c");
  });

  test("a failure on the first output changes nothing either", async () => {
    const { destination, staging, out, before } = await setup();
    rmSync(path.join(out, "App"), { recursive: true });
    await expect(commit(staging, out, destination, ["App", "SHA256SUMS"])).rejects.toMatchObject({ code: "ENOENT" });
    expect(differences(listing(destination), before)).toEqual([]);
  });

  test("the lock is exclusive while held and gone once released", async () => {
    const destination = tempDir();
    const release = await acquireLock(destination, 0);
    await expect(acquireLock(destination, 0)).rejects.toThrow(`another build (process ${process.pid}) is writing to ${destination}`);
    await release();
    expect(readdirSync(destination)).toEqual([]);
  });
});

describe("a build that fails late leaves the destination as it was, and never holds partial outputs meanwhile", () => {
  test("Windows signing fails on the last application, after every other output was made", async () => {
    const copy = example();
    const previous = await runCli(["build", copy.manifest, "--out", copy.out, "--platform", "win"], { env: cliEnv() });
    expect(previous.code).toBe(0);
    const before = listing(copy.out);

    // Same manifest, other copyright, and a signing command that records the destination each time it is run
    // (once per application) and fails for the last one: the server, whose unit is built last (one unit at a
    // time: with more, the server's failure stops a client still being signed).
    const observations = path.join(copy.root, "observations");
    changeManifest(copy.manifest, [process.execPath, path.join(FIXTURES, "hooks", "observe-destination.mjs"), "{file}"]);
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--platform", "win"], { env: cliEnv({ OBSERVE_DESTINATION: copy.out, OBSERVE_LOG: observations, OBSERVE_FAIL_ON: "Hello Server.exe", FOURDBUILD_JOBS: "1" }) });
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("stand-in signing command: refusing Hello Server.exe");

    const seen = readdirSync(observations).map((n) => JSON.parse(readFileSync(path.join(observations, n), "utf8")) as { file: string; destination: Record<string, string> });
    expect(seen.map((s) => s.file).sort()).toEqual(["Hello Client.exe", "Hello Server.exe", "Hello.exe"]);
    for (const { file, destination } of seen) expect({ file, changed: differences(destination, before) }).toEqual({ file, changed: [] });
    expect(differences(listing(copy.out), before)).toEqual([]);
    expect(readdirSync(copy.out).filter((n) => n.startsWith("."))).toEqual([]);
  });
});

/*
 * A real `4dbuild build` process, paused deterministically in the middle of its commit (a preloaded hook holds
 * the third "move the previous output aside" until SIGTERM comes), then sent SIGTERM. Documented behaviour:
 * once the commit has begun, an interrupt does not stop it (it is renames only): the commit is finished and
 * the build succeeds, every output being the new one; nothing is lost, mixed or left behind.
 */
test("SIGTERM during the commit: the commit is finished, every output is the new one (real process)", async () => {
  const copy = example();
  const targets = ["--platform", "mac", "--target", "compiled", "--target", "component", "--target", "standalone"];
  const previous = await runCli(["build", copy.manifest, "--out", copy.out, ...targets], { env: cliEnv() });
  expect(previous.code).toBe(0);
  const before = listing(copy.out);
  const outputs = previous.stdout.trim().split("\n").map((l) => path.relative(copy.out, l));
  expect(outputs.length).toBeGreaterThan(4);

  changeManifest(copy.manifest);
  const marker = path.join(copy.root, "paused");
  const child = spawn(process.execPath, ["--import", path.join(FIXTURES, "hooks", "pause-commit.mjs"), CLI, "build", copy.manifest, "--out", copy.out, ...targets], {
    env: cliEnv({ PAUSE_DESTINATION: copy.out, PAUSE_MARKER: marker, PAUSE_AT: "3" }),
  });
  let [stdout, stderr] = ["", ""];
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  let code: number | null;
  try {
    for (let i = 0; i < 400 && !existsSync(marker) && child.exitCode === null; i++) await sleep(50);
    expect({ paused: existsSync(marker), stderr }).toEqual({ paused: true, stderr: expect.any(String) });
    // Paused before moving the third output aside: two outputs are already the new ones, the others the old ones.
    expect(outputs.filter((o) => !existsSync(path.join(copy.out, o)))).toEqual([]);
    expect(readdirSync(copy.out).some((n) => n.startsWith(".4dbuild-staging-"))).toBe(true);
  } finally {
    child.kill("SIGTERM");
    code = await closed;
  }

  expect(stderr).not.toMatch(STACK_TRACE);
  expect({ code, stderr }).toEqual({ code: 0, stderr: expect.not.stringContaining("interrupted") });
  expect(stdout.trim().split("\n").map((l) => path.relative(copy.out, l))).toEqual(outputs);
  const after = listing(copy.out);
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  // Every output is the new one: the sums (new) check every file, and every Info.plist has the new copyright.
  expect(execFileSync("sha256sum", ["--quiet", "-c", "SHA256SUMS"], { cwd: copy.out, encoding: "utf8" })).toBe("");
  expect(after.SHA256SUMS).not.toBe(before.SHA256SUMS);
  for (const plist of ["Final Application/Hello.app/Contents/Info.plist", "Components/Hello.4dbase/Contents/Info.plist"]) {
    const text = readFileSync(path.join(copy.out, plist), "utf8");
    expect({ plist, old: text.includes("© 2026"), new: text.includes("© 2027") }).toEqual({ plist, old: false, new: true });
  }
  expect(differences(after, before).length).toBeGreaterThan(0);
  expect(readdirSync(copy.out).filter((n) => n.startsWith("."))).toEqual([]);
});
