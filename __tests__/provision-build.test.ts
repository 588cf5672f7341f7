import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { archiveOf, FixtureServer, TempFolders, tool4dArchive, unusedPort } from "./http-fixture.js";
import { cliEnv, exampleCopy, ROOT, runCli, STACK_TRACE } from "./helpers.js";

const TOOL4D_LATEST = "/release/21.x/21.0/latest/linux/tool4d_Linux.tar.xz";
const TOOL4D_FILE = "/files/tool4d_Linux_21.x_100341.tar.xz";
const RUNTIME = "/store/4D Volume Desktop mac.zip";

/** The example with compile.tool4d: auto, the stand-alone's macOS runtime downloaded and its Windows runtime a local archive. */
function provisionedExample(server: FixtureServer, sha256: string): ReturnType<typeof exampleCopy> {
  const copy = exampleCopy();
  const text = readFileSync(copy.manifest, "utf8");
  const standalone = /( {2}standalone:\n {4}platforms: \[mac, win\]\n {4}runtime:\n) {6}mac: .*\n {6}win: .*\n/;
  if (!standalone.test(text)) throw new Error("the example's stand-alone runtimes moved");
  const edited = text
    .replace(standalone, `$1      mac: { url: "${server.base}${encodeURI(RUNTIME)}", sha256: ${sha256} }\n      win: vd-win.tar.gz\n`)
    .replace(/compile:\n {2}enabled: false.*\n/, "compile:\n  enabled: true\n  tool4d: auto\n");
  writeFileSync(copy.manifest, edited);
  return copy;
}

describe("a build that downloads tool4d and a runtime", () => {
  const temp = new TempFolders();
  let server: FixtureServer;
  let copy: ReturnType<typeof exampleCopy>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = new FixtureServer();
    await server.start();
    const work = temp.make();
    const runtime = await archiveOf(path.join(ROOT, "examples", "runtimes", "mac", "4D Volume Desktop.app"), "zip", path.join(work, "vd.zip"));
    server.on(TOOL4D_LATEST, { kind: "redirect", location: TOOL4D_FILE }).on(TOOL4D_FILE, { kind: "file", body: tool4dArchive(work) }).on(RUNTIME, { kind: "file", body: runtime });
    copy = provisionedExample(server, createHash("sha256").update(runtime).digest("hex"));
    await archiveOf(path.join(copy.root, "examples", "runtimes", "win", "4D Volume Desktop"), "tar.gz", path.join(copy.root, "examples", "hello", "vd-win.tar.gz"));
    env = cliEnv({ FOURDBUILD_CACHE: temp.make(), FOURDBUILD_TOOL4D_BASE_URL: `${server.base}/release` });
  });
  afterAll(async () => {
    await server.close();
    rmSync(copy.root, { recursive: true, force: true });
    temp.removeAll();
  });

  const linuxOnly = process.platform === "linux" ? test : test.skip;

  linuxOnly("validate needs no download; plan says what will be downloaded", async () => {
    expect(await runCli(["validate", copy.manifest], { env })).toMatchObject({ code: 0 });
    const plan = await runCli(["plan", copy.manifest], { env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`Provisioning (cache: ${env.FOURDBUILD_CACHE}):`);
    expect(plan.stdout).toContain(`  tool4d 21.0 (build latest, linux): download ${server.base}/release/21.x/21.0/latest/linux/tool4d_Linux.tar.xz`);
    expect(plan.stdout).toContain(`  targets.standalone.runtime.mac: download ${server.base}/store/4D%20Volume%20Desktop%20mac.zip`);
    expect(plan.stdout).toMatch(/ {2}targets\.standalone\.runtime\.win: unpack .*vd-win\.tar\.gz/);
    expect(plan.stdout).toMatch(/^ +1\. provision +download or unpack tool4d and the runtimes into the cache$/m);
    expect(server.requests).toEqual([]);
  });

  linuxOnly("builds every target with the downloaded tool4d and runtime; the second build makes no request", async () => {
    const first = await runCli(["build", copy.manifest, "--out", copy.out], { env });
    expect(first.stderr).not.toMatch(STACK_TRACE);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("stand-in tool4d: compiling Hello.4DProject (success)");
    expect(first.stderr).toMatch(/targets\.standalone\.runtime\.mac: downloaded: .*4D Volume Desktop\.app/);
    expect(first.stderr).toMatch(/targets\.standalone\.runtime\.win: unpacked: .*4D Volume Desktop/);
    expect(first.stdout).toContain(path.join("Final Application", "Hello.app"));
    expect(server.requests).toEqual([TOOL4D_LATEST, TOOL4D_FILE, RUNTIME]);
    const report = JSON.parse(readFileSync(path.join(copy.out, "build-report.json"), "utf8")) as { steps: { step: string; status: string }[] };
    expect(report.steps.slice(0, 3).map((s) => `${s.step}:${s.status}`)).toEqual(["provision:done", "dependencies:done", "compile:done"]);

    const plan = await runCli(["plan", copy.manifest], { env });
    expect(plan.stdout).toMatch(/tool4d 21\.0 \(build latest, linux\): in the cache: .*21\.0\/100341\/linux\/bin\/tool4d/);
    expect(plan.stdout).toMatch(/targets\.standalone\.runtime\.mac: in the cache: .*runtimes\/[0-9a-f]{64}/);

    const second = await runCli(["build", copy.manifest, "--out", copy.out], { env });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("targets.standalone.runtime.mac: from the cache");
    expect(second.stderr).toMatch(/tool4d 21 build 100341: from the cache: .*bin\/tool4d/);
    expect(server.requests).toHaveLength(3);
  }, 120_000);

  test("generate refuses a downloaded or archived runtime: 4D's own builder needs its folder", async () => {
    const run = await runCli(["generate", copy.manifest, "--host", "mac"], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: targets.standalone.runtime.mac: a download: 4D's BUILD APPLICATION needs the runtime's folder");
    expect(run.stderr).toContain("error: targets.standalone.runtime.win: an archive: 4D's BUILD APPLICATION needs the runtime's folder");
  });

  test("offline with an empty cache: the build fails in the provision step, naming the address", async () => {
    const port = await unusedPort();
    const offline = { ...env, FOURDBUILD_CACHE: temp.make(), FOURDBUILD_TOOL4D_BASE_URL: `http://127.0.0.1:${port}/release` };
    const run = await runCli(["build", copy.manifest, "--out", path.join(temp.make(), "out"), "--target", "compiled"], { env: offline });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: provision: cannot download tool4d 21\.0 \(build latest, \w+(-\w+)?\) from http:\/\/127\.0\.0\.1:\d+\/release\/21\.x\/21\.0\/latest\/\w+\/tool4d_\w+\.tar\.xz: connection refused/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
