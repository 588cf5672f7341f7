import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getInputs } from "../../src/actions/inputs.js";
import { exampleCopy, FIXTURES, ROOT, STAND_IN_TOOL4D, tempDir } from "../helpers.js";
import { archiveOf, FixtureServer, tool4dArchive } from "../http-fixture.js";
import { LocalServices, MAIN, POST, runEntry, type ActionRun } from "./runner.js";

/*
 * Builds, merges and validations run as the runner runs the bundled Action: runtimes and tool4d provisioned
 * from loopback servers into the tool cache, one target per job, the artifact service present or absent.
 */

/** A run of the bundled Action waits on child processes: on a loaded machine a build takes tens of seconds. */
const SLOW = 120_000;

const services = new LocalServices();
const files = new FixtureServer();
const toolCache = tempDir("tool-cache");
const MANIFEST = "examples/hello/4dbuild.yml";
const ABSENT_ZIP = "/runtimes/vd-mac-never-asked.zip";
const TOOL4D_LATEST = "/release/21.x/21.0/latest/linux/tool4d_Linux.tar.xz";
const TOOL4D_FILE = "/files/tool4d_Linux_21.x_100341.tar.xz";
let runtimeLines = "";

beforeAll(async () => {
  await services.start();
  await files.start();
  const zip = await archiveOf(path.join(ROOT, "examples", "runtimes", "win", "4D Volume Desktop"), "zip", path.join(tempDir("runtime-zip"), "vd-win.zip"));
  files.on("/runtimes/vd-win.zip", { kind: "file", body: zip });
  files.on(TOOL4D_LATEST, { kind: "redirect", location: TOOL4D_FILE }).on(TOOL4D_FILE, { kind: "file", body: tool4dArchive(tempDir("tool4d-archive")) });
  runtimeLines = `VOLUME_DESKTOP_WIN=${files.base}/runtimes/vd-win.zip sha256=${createHash("sha256").update(zip).digest("hex")}\nVOLUME_DESKTOP_MAC=${files.base}${ABSENT_ZIP} sha256=${"0".repeat(64)}`;
});
afterAll(async () => {
  await services.stop();
  await files.close();
});

const runner = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ RUNNER_TOOL_CACHE: toolCache, FOURDBUILD_TOOL4D_BASE_URL: `${files.base}/release`, GITHUB_ACTION: "build", ...extra });

/** The example with compilation on: tool4d runs (the stand-in, which checks its command line). */
function compilingExample() {
  const copy = exampleCopy();
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("  enabled: false      # the example ships", "  enabled: true      # the example ships"));
  return copy;
}

const unzipped = (data: Buffer) => {
  const file = path.join(tempDir("uploaded"), "artifact.zip");
  writeFileSync(file, data);
  return file;
};

describe("a Windows job: runtime downloaded, tool4d at a relative path, archive uploaded", () => {
  const copy = compilingExample();
  let run: ActionRun;
  beforeAll(async () => {
    // As 4d/tool4d-action leaves it: a tool4d folder in the workspace, passed as ./tool4d/bin/tool4d.
    cpSync(path.join(FIXTURES, "tool4d"), path.join(copy.root, "tool4d"), { recursive: true });
    const inputs = { command: "build", manifest: MANIFEST, targets: "standalone", platforms: "win", version: "v1.2.3", out: "out", runtimes: runtimeLines, "artifact-name": "hello-win" };
    run = await runEntry(MAIN, copy.root, inputs, { ...services.env(), ...runner({ TOOL4D: "./tool4d/bin/tool4d" }) });
  }, SLOW);

  test("builds with the downloaded runtime and the relative TOOL4D; the other platform's runtime is never fetched", () => {
    expect(run.stdout).not.toContain("::error");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("stand-in tool4d: compiling");
    expect(files.count("/runtimes/vd-win.zip")).toBe(1);
    expect(files.count(ABSENT_ZIP)).toBe(0);
    expect(run.stdout).toContain("runtimes: VOLUME_DESKTOP_MAC is not used by the units of this job: not downloaded");
    expect(run.stdout).toMatch(new RegExp(`^runtimes: VOLUME_DESKTOP_WIN \\(http://127\\.0\\.0\\.1:\\d+/runtimes/vd-win\\.zip\\): downloaded: ${toolCache}/4dbuild/runtimes/[0-9a-f]{64}/4D Volume Desktop$`, "m"));
  });

  test("uploads the archives and the release files, never the application tree", () => {
    expect(services.created).toEqual([expect.objectContaining({ name: "hello-win" })]);
    const names = execFileSync("unzip", ["-Z1", unzipped(services.uploads.get("/devstoreaccount1/actions/hello-win.zip")!)], { encoding: "utf8" }).trim().split("\n").sort();
    expect(names).toEqual(["Archives/Hello-standalone-win.tar.gz", "Archives/Hello-standalone-win.zip", "BuildApp.log.xml", "SHA256SUMS", "build-report.json"]);
  });

  test("the artifacts output is a JSON file, with counts beside it", () => {
    const listing = JSON.parse(readFileSync(run.outputs.artifacts!, "utf8")) as { files: { path: string }[]; archives: string[]; uploaded: { name: string; files: string[] } };
    expect(path.dirname(run.outputs.artifacts!)).toBe(run.runnerTemp);
    expect(listing.archives).toEqual(["Archives/Hello-standalone-win.tar.gz", "Archives/Hello-standalone-win.zip"]);
    expect(run.outputs).toMatchObject({ "artifact-count": String(listing.files.length), "archive-count": "2" });
    expect(listing.files.some((f) => f.path.startsWith("Final Application/"))).toBe(true);
    expect(listing.uploaded.files.some((f) => f.startsWith("Final Application/"))).toBe(false);
    expect(run.summary).toContain("Uploaded as artifact `hello-win`: 5 files");
  });

  test("the post step runs after it", async () => {
    const post = await runEntry(POST, copy.root, {}, Object.fromEntries(Object.entries(run.state).map(([k, v]) => [`STATE_${k}`, v])));
    expect(post.code).toBe(0);
  }, SLOW);

  // Item 5 of issue #15 (one version normaliser) belongs to another branch: when it lands this starts failing: make it `test`.
  test("version v1.2.3 (a release tag) is stamped as 1.2.3", () => {
    expect(run.outputs.version).toBe("1.2.3");
  });

  describe("merge of the downloaded artifact (as actions/download-artifact lays it out), then verify", () => {
    let outputs: string;
    beforeAll(() => {
      outputs = path.join(copy.root, "outputs");
      mkdirSync(path.join(outputs, "hello-win"), { recursive: true });
      execFileSync("unzip", ["-q", unzipped(services.uploads.get("/devstoreaccount1/actions/hello-win.zip")!), "-d", path.join(outputs, "hello-win")]);
    });

    test("the inputs are verified; the application tree the upload left out is named as not merged", async () => {
      const merge = await runEntry(MAIN, copy.root, { command: "merge", manifest: MANIFEST, directories: "outputs/*", out: "release" });
      expect(merge.stdout).not.toContain("::error");
      expect(merge.code).toBe(0);
      expect(merge.summary).toContain("- `outputs/hello-win`: every file matches its SHA256SUMS, every signature its file");
      expect(merge.summary).toMatch(/^- standalone \(win\): `Final Application\/[^`]+`$/m);
      const verify = await runEntry(MAIN, copy.root, { command: "verify", out: "release" });
      expect(verify.code).toBe(0);
      expect(verify.summary).toContain("## 4dbuild verify: OK");
    }, SLOW);

    test("a file changed after its build is refused: exit 1, the file named, nothing written", async () => {
      const tampered = path.join(copy.root, "tampered", "hello-win");
      cpSync(path.join(outputs, "hello-win"), tampered, { recursive: true });
      const zip = path.join(tampered, "Archives", "Hello-standalone-win.zip");
      const bytes = readFileSync(zip);
      bytes[bytes.length - 30] = bytes[bytes.length - 30]! ^ 0xff;
      writeFileSync(zip, bytes);
      const merge = await runEntry(MAIN, copy.root, { command: "merge", manifest: MANIFEST, directories: "tampered/*", out: "tampered-release" });
      expect(merge.code).toBe(1);
      expect(merge.stdout).toContain(`::error::${zip}: SHA-256 differs from SHA256SUMS; the outputs were not merged`);
      expect(existsSync(path.join(copy.root, "tampered-release"))).toBe(false);
      expect(merge.summary).toContain("## 4dbuild merge failed");
    }, SLOW);
  });
});

test("tool4d: auto downloads the manifest's tool4d into the tool cache once; a second job finds it there", async () => {
  const copy = compilingExample();
  const cache = tempDir("tool4d-cache");
  const inputs = { command: "validate", manifest: MANIFEST, targets: "compiled", tool4d: "auto" };
  const first = await runEntry(MAIN, copy.root, inputs, runner({ RUNNER_TOOL_CACHE: cache }));
  expect(first.stdout).not.toContain("::error");
  expect(first.code).toBe(0);
  expect(first.stdout).toContain(`tool4d 21 build 100341 (downloaded): ${path.join(cache, "4dbuild", "tool4d", "21.0", "100341", "linux", "bin", "tool4d")}`);
  const asked = files.requests.length;
  const second = await runEntry(MAIN, copy.root, inputs, runner({ RUNNER_TOOL_CACHE: cache }));
  expect(second.code).toBe(0);
  expect(second.stdout).toContain("tool4d 21 build 100341 (from the cache)");
  expect(files.requests.length).toBe(asked);
  expect(second.summary).toContain("## 4dbuild validate: valid");
  // plan never downloads: it names the cached tool4d, and writes the plan to the summary.
  const plan = await runEntry(MAIN, copy.root, { ...inputs, command: "plan" }, runner({ RUNNER_TOOL_CACHE: cache }));
  expect(plan.code).toBe(0);
  expect(files.requests.length).toBe(asked);
  expect(plan.summary).toMatch(/^## 4dbuild plan: `examples\/hello\/4dbuild\.yml`\n\n```\nHello, built with 4D 21/);
}, SLOW);

test("validate's summary lists each problem at its place, with the secret files' names masked", async () => {
  const copy = exampleCopy();
  writeFileSync(copy.manifest, `${readFileSync(copy.manifest, "utf8")}\ndata:\n  defaultFolder: \${env.LICENSE_WIN}\n`);
  const secretFiles = `LICENSE_WIN=R-4DDEMO-SECRET-NUMBER.license4D:${Buffer.from("licence").toString("base64")}`;
  const run = await runEntry(MAIN, copy.root, { command: "validate", manifest: MANIFEST, "secret-files": secretFiles });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("::add-mask::R-4DDEMO-SECRET-NUMBER.license4D");
  expect(run.summary).toContain("## 4dbuild validate: 1 error");
  expect(run.summary).toMatch(/^\| error \| `examples\/hello\/4dbuild\.yml:\d+:\d+` \| data\.defaultFolder must be a folder, but .*\*\*\* is a file \|$/m);
  expect(run.summary).not.toContain("DEMO-SECRET");
}, SLOW);

test("where the runner has no artifact service, upload (auto) uploads nothing and the build stays green", async () => {
  const copy = exampleCopy();
  const run = await runEntry(MAIN, copy.root, { command: "build", manifest: MANIFEST, targets: "compiled", out: "out" }, { ...services.apiEnv(), ...runner() });
  expect(run.stdout).not.toContain("::error");
  expect(run.code).toBe(0);
  expect(run.stdout).not.toContain("uploaded artifact");
  expect(run.summary).toContain("## 4dbuild: Hello");
  expect(run.summary).not.toContain("Uploaded as artifact");
}, SLOW);

test("upload: true where there is no artifact service fails at once, before building, saying what to set", async () => {
  const copy = exampleCopy();
  const run = await runEntry(MAIN, copy.root, { command: "build", manifest: MANIFEST, targets: "compiled", out: "out", upload: "true" }, { ...services.apiEnv(), ...runner() });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("::error::upload: true, but this runner has no artifact service (ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN are not set)%0Ahint: set upload: auto");
  expect(run.stdout).not.toMatch(/^::group::/m);
  expect(run.summary).toContain("## 4dbuild build failed");
}, SLOW);

test("a target the manifest does not declare is named as the targets input, not as a CLI option", async () => {
  const copy = exampleCopy();
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("  component: {}\n", ""));
  const run = await runEntry(MAIN, copy.root, { command: "build", manifest: MANIFEST, targets: "component", out: "out" }, runner());
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("::error::targets: component: the manifest declares no component target%0Ahint: its targets:");
  expect(run.stdout).not.toContain("--target");
  expect(run.summary).toContain("**targets: component: the manifest declares no component target**");
}, SLOW);

test("a failed build's summary: what failed, where, and the annotations of the run", async () => {
  const copy = compilingExample();
  const run = await runEntry(MAIN, copy.root, { command: "build", manifest: MANIFEST, targets: "compiled", out: "out" }, { ...runner(), TOOL4D: STAND_IN_TOOL4D, STANDIN_TOOL4D_SCENARIO: "errors" });
  expect(run.code).toBe(1);
  expect(run.summary).toMatch(/^## 4dbuild build failed\n\n\*\*compile.*\*\*$/m);
  expect(run.summary).toContain("| severity | where | message |");
  expect(run.summary).toMatch(/^\| error \| `Project\/Sources\/Methods\/hello_greet\.4dm:4:1` \| hello_greet: The variable \$nme is not defined \|$/m);
  expect(run.summary).toMatch(/^\| warning \| `[^`]*Button\.4dm:2:1` \| Main\.Button: Pointer in an expression \|$/m);
}, SLOW);

test("matrix: a job summary of the jobs; each entry's inputs are all its job needs (no other platform's runtime)", async () => {
  const copy = exampleCopy();
  const matrix = await runEntry(MAIN, copy.root, { command: "matrix", manifest: MANIFEST });
  expect(matrix.code).toBe(0);
  expect(matrix.summary).toContain("## 4dbuild matrix: 2 jobs");
  expect(matrix.summary).toContain("| ubuntu-latest | compiled standalone client server | win | Hello-ubuntu | plain file work |");
  const linux = (JSON.parse(matrix.outputs.matrix!) as { include: { os: string; targets: string; platforms: string }[] }).include.find((e) => e.os === "ubuntu-latest")!;
  // The Linux runner has the Windows runtimes only.
  rmSync(path.join(copy.root, "examples", "runtimes", "mac"), { recursive: true });
  const validate = await runEntry(MAIN, copy.root, { command: "validate", manifest: MANIFEST, targets: linux.targets, platforms: linux.platforms });
  expect(validate.stdout).not.toContain("::error");
  expect(validate.code).toBe(0);
  expect(validate.summary).toContain("## 4dbuild validate: valid");
}, SLOW);

describe("inputs as the Actions toolkit reads them", () => {
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  });

  test.each([
    ["False", false],
    ["FALSE", false],
    ["false", false],
    ["True", true],
    ["auto", "auto"],
    ["", "auto"],
  ])("upload: %s", (value, expected) => {
    process.env.INPUT_UPLOAD = value;
    expect(getInputs().upload).toBe(expected);
  });

  test("upload: no is refused, naming the input and the values it takes", () => {
    process.env.INPUT_UPLOAD = "no";
    expect(() => getInputs()).toThrow('upload must be true or false, not "no"');
  });
});
