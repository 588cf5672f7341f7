import { readFileSync } from "node:fs";
import path from "node:path";
import { INLINE_BYTES } from "../../src/archives/pool.js";
import { buildJobs, inlineCompressionBytes, runUnits } from "../../src/builder/schedule.js";
import type { BuildUnit } from "../../src/builder/units.js";
import { walkTree } from "../../src/files/tree.js";
import { cliEnv, exampleCopy, runCli, STACK_TRACE } from "../helpers.js";

/* Units are built side by side and archives compressed by several threads: the outputs never depend on it. */

/** Times in the report and the log change from build to build; everything else must not. */
const withoutTimes = (name: string, bytes: Buffer): string =>
  name === "build-report.json" || name === "BuildApp.log.xml"
    ? bytes
        .toString("utf8")
        .replace(/"(startedAt|durationMs)": \d+/g, '"$1": 0')
        .replace(/in \d+\.\d+ s/g, "in 0 s")
        .replace(/\[\d{4}-\d\d-\d\dT[\d:]+\]/g, "[T]")
    : bytes.toString("base64");

async function outputs(root: string): Promise<Map<string, string>> {
  const files = (await walkTree(root, root, "keep")).filter((e) => e.kind !== "directory");
  return new Map(files.map((e) => [e.relative, e.kind === "symlink" ? `-> ${e.linkTarget}` : withoutTimes(path.basename(e.relative), readFileSync(e.absolute))]));
}

describe("jobs", () => {
  test("the example's clients and servers built with 1 and with 2 workers, and on the main thread alone, are the same bytes, every file", async () => {
    const copy = exampleCopy();
    // Clients and servers on both platforms: units side by side, servers after their clients, a zip and a
    // tar.gz of each application at once, client update archives shared by both servers. The example is small
    // enough to be compressed on the main thread (FOURDBUILD_INLINE_BYTES): 0 makes the threads do it all.
    const build = (name: string, env: NodeJS.ProcessEnv) => runCli(["build", copy.manifest, "--out", `${copy.out}-${name}`, "--target", "client", "--target", "server"], { env: cliEnv(env) });
    const runs = await Promise.all([build("1", { FOURDBUILD_JOBS: "1", FOURDBUILD_INLINE_BYTES: "0" }), build("2", { FOURDBUILD_JOBS: "2", FOURDBUILD_INLINE_BYTES: "0" }), build("inline", {})]);
    for (const run of runs) {
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(run.code).toBe(0);
    }
    const first = await outputs(`${copy.out}-1`);
    expect([...first.keys()]).toContain("Archives/Hello-server-win.tar.gz");
    expect([...first.keys()]).toContain("Client Server executable/Hello Server.app/Contents/Upgrade4DClient/update.win.4darchive");
    for (const other of ["2", "inline"]) {
      const second = await outputs(`${copy.out}-${other}`);
      expect([...second.keys()]).toEqual([...first.keys()]);
      for (const [name, content] of first) expect({ other, name, same: second.get(name) === content }).toEqual({ other, name, same: true });
    }
  });

  test("FOURDBUILD_JOBS must be a positive whole number", async () => {
    expect(buildJobs({ FOURDBUILD_JOBS: "1" })).toBe(1);
    expect(buildJobs({ FOURDBUILD_JOBS: "3" }, 2)).toBe(2);
    expect(buildJobs({})).toBeGreaterThanOrEqual(1);
    for (const wrong of ["0", "two", "-1", "1.5"]) expect(() => buildJobs({ FOURDBUILD_JOBS: wrong })).toThrow(/FOURDBUILD_JOBS must be a positive whole number/);
    const copy = exampleCopy();
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled"], { env: cliEnv({ FOURDBUILD_JOBS: "many" }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/FOURDBUILD_JOBS must be a positive whole number, not "many"/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  test("FOURDBUILD_INLINE_BYTES must be a whole number of bytes", () => {
    expect(inlineCompressionBytes({})).toBe(INLINE_BYTES);
    expect(inlineCompressionBytes({ FOURDBUILD_INLINE_BYTES: "0" })).toBe(0);
    expect(inlineCompressionBytes({ FOURDBUILD_INLINE_BYTES: "1048576" })).toBe(1048576);
    for (const wrong of ["-1", "1.5", "4MB", "lots"]) expect(() => inlineCompressionBytes({ FOURDBUILD_INLINE_BYTES: wrong })).toThrow(/FOURDBUILD_INLINE_BYTES must be a whole number of bytes/);
  });
});

describe("the unit scheduler", () => {
  const units: BuildUnit[] = [{ target: "compiled" }, { target: "standalone", platform: "mac" }, { target: "standalone", platform: "win" }, { target: "client", platform: "mac" }, { target: "client", platform: "win" }, { target: "server", platform: "mac" }, { target: "server", platform: "win" }];
  const name = (u: BuildUnit) => ("platform" in u ? `${u.target} ${u.platform}` : u.target);
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  test.each([1, 2, 3])("at most %i units at once, and servers start only once every client is done", async (jobs) => {
    let running = 0;
    let most = 0;
    const events: string[] = [];
    await runUnits(units, jobs, new AbortController().signal, async (unit) => {
      most = Math.max(most, ++running);
      events.push(`start ${name(unit)}`);
      await tick();
      events.push(`end ${name(unit)}`);
      running--;
    });
    expect(most).toBe(jobs);
    const lastClient = Math.max(events.indexOf("end client mac"), events.indexOf("end client win"));
    expect(events.indexOf("start server mac")).toBeGreaterThan(lastClient);
    expect(events.indexOf("start server win")).toBeGreaterThan(lastClient);
    expect(events.filter((e) => e.startsWith("end"))).toHaveLength(units.length);
  });

  test("a failure stops the others through their signal, and is the error reported (not what it caused)", async () => {
    const started: string[] = [];
    const failure = runUnits(units, 2, new AbortController().signal, async (unit, signal) => {
      started.push(name(unit));
      if (unit.target === "standalone" && unit.platform === "win") throw new Error("win failed");
      // Earlier in build order, stopped by win's failure: fails with an error of its own making.
      await tick();
      if (signal.aborted) throw new Error("stopped");
    });
    await expect(failure).rejects.toThrow("win failed");
    expect(started).not.toContain("server mac");
  });

  test("an interrupted build stops every unit", async () => {
    const controller = new AbortController();
    const done: string[] = [];
    const run = runUnits(units, 2, controller.signal, async (unit, signal) => {
      await tick();
      signal.throwIfAborted();
      done.push(name(unit));
    });
    controller.abort(new Error("interrupted"));
    await expect(run).rejects.toThrow("interrupted");
    expect(done).toEqual([]);
  });
});
