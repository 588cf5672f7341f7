import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { createCodeSigningCertificate } from "../src/signing/create.js";
import { cliEnv, exampleCopy, ROOT, runCli, tempDir, testKey } from "./helpers.js";
import { LICENCE_NAMES, settingsText } from "./settings-history.js";
import { LocalServices, MAIN, POST, runEntry, type ActionRun } from "./action/runner.js";

const services = new LocalServices();
beforeAll(() => services.start());
afterAll(() => services.stop());

test("dist/action matches the sources (CI fails when it was not rebuilt and committed)", () => {
  const fresh = tempDir("action-bundle");
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "bundle.mjs"), "--action-only", "--action-out", fresh], { cwd: ROOT });
  const committed = path.join(ROOT, "dist", "action");
  const files = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((entry) => !statSync(path.join(dir, entry)).isDirectory()).sort();
  expect(files(fresh)).toEqual(expect.arrayContaining(["main.js", "post.js", "licenses.txt", expect.stringMatching(/^chunks\/artifact-\w+\.js$/)]));
  expect(files(committed)).toEqual(files(fresh));
  for (const entry of files(fresh)) {
    const same = readFileSync(path.join(fresh, entry)).equals(readFileSync(path.join(committed, entry)));
    expect([entry, same ? "up to date" : "stale: run npm run build:action and commit dist/action"]).toEqual([entry, "up to date"]);
  }
});

test("validate: an invalid manifest fails the step with annotations at file, line and column", async () => {
  const copy = exampleCopy();
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("name: Hello", "name: Hello\nplatfrom: mac"));
  const run = await runEntry(MAIN, copy.root, { command: "validate", manifest: "examples/hello/4dbuild.yml" });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^::error file=examples\/hello\/4dbuild\.yml,line=8,col=1,endLine=8,endColumn=9,title=4dbuild unknown-key::unknown key "platfrom" in the manifest/m);
  expect(run.stdout).toContain("::error::4dbuild validate failed (exit code 1)");
});

describe("build in a workflow", () => {
  const copy = exampleCopy();
  let run: ActionRun;
  beforeAll(async () => {
    run = await runEntry(MAIN, copy.root, { command: "build", manifest: "examples/hello/4dbuild.yml", version: "2.5.0", out: "release", "artifact-name": "hello-release", "retention-days": "7", upload: "true" }, services.env());
   }, 120_000); // a whole build of the example: tens of seconds on a loaded machine

  test("builds the example, with steps as log groups", () => {
    expect(run.stdout).not.toContain("::error");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^::group::structure: /m);
    expect(run.stdout).toMatch(/^::group::archive \[server win\]: /m);
    expect(existsSync(path.join(copy.root, "release", "Archives", "Hello-server-win.zip"))).toBe(true);
  });

  test("writes the outputs: artifacts (a JSON file with path, size and sha256, and counts), checksums, report, version", () => {
    const listing = JSON.parse(readFileSync(run.outputs.artifacts!, "utf8")) as { destination: string; files: { path: string; size: number; sha256: string }[] };
    expect(listing.destination).toBe(path.join(copy.root, "release"));
    const zip = listing.files.find((a) => a.path === "Archives/Hello-standalone-mac.zip")!;
    expect(zip.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(zip.size).toBe(readFileSync(path.join(listing.destination, zip.path)).length);
    expect(Number(run.outputs["artifact-count"])).toBe(listing.files.length);
    expect(run.outputs).toMatchObject({ checksums: path.join(copy.root, "release", "SHA256SUMS"), report: path.join(copy.root, "release", "build-report.json"), version: "2.5.0" });
    const plist = readFileSync(path.join(copy.root, "release", "Final Application", "Hello.app", "Contents", "Info.plist"), "utf8");
    expect(plist).toContain("<string>2.5.0</string>");
  });

  test("writes a job summary table of the archives", () => {
    expect(run.summary).toContain("## 4dbuild: Hello");
    expect(run.summary).toContain("| target | platform | file | size | SHA-256 |");
    expect(run.summary).toMatch(/^\| standalone \| mac \| `Archives\/Hello-standalone-mac\.zip` \| [\d.]+ KB \| `[0-9a-f]{64}` \|$/m);
  });

  test("uploads the files to the artifact service with @actions/artifact", () => {
    expect(services.created).toEqual([expect.objectContaining({ name: "hello-release", workflow_run_backend_id: "ce7f54c7-61c7-4aae-887f-30da475f5f1a", workflow_job_run_backend_id: "ca395085-040a-526b-2ce8-bdc85f692774" })]);
    const retention = (Date.parse(services.created[0]!.expires_at!) - Date.now()) / 86_400_000;
    expect(Math.round(retention)).toBe(7);
    expect(services.finalized).toEqual([expect.objectContaining({ name: "hello-release", hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })]);
    const uploaded = services.uploads.get("/devstoreaccount1/actions/hello-release.zip")!;
    expect(Number(services.finalized[0]!.size)).toBe(uploaded.length);
    const file = path.join(tempDir("uploaded"), "artifact.zip");
    writeFileSync(file, uploaded);
    expect(execFileSync("unzip", ["-t", file], { encoding: "utf8" })).toContain("No errors detected");
    const names = execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).trim().split("\n");
    expect(names).toEqual(expect.arrayContaining(["Archives/Hello-standalone-mac.zip", "Archives/Hello-client-win.tar.gz", "SHA256SUMS", "build-report.json", "Compiled Database/Hello/Hello.4DZ"]));
  });
});

describe("pull requests", () => {
  /** A repository whose base commit has the example manifest, and whose working tree changes it. */
  function pullRequest() {
    const copy = exampleCopy();
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: copy.root, encoding: "utf8" });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    const base = git("rev-parse", "HEAD").trim();
    writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("{ min: 2, max: 3 }", "{ min: 2, max: 4 }").replace("exclude: [SpellChecker]", "exclude: [SpellChecker, PHP]"));
    const event = path.join(copy.root, "event.json");
    writeFileSync(event, JSON.stringify({ action: "synchronize", number: 7, pull_request: { number: 7, base: { sha: base, ref: "main" } } }));
    return { copy, event };
  }

  test("diff writes the configuration diff with its notes to the summary, and one comment updated on later pushes", async () => {
    const { copy, event } = pullRequest();
    const env = { ...services.env(), GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event };
    const inputs = { command: "diff", manifest: "examples/hello/4dbuild.yml", comment: "true", token: "test-token" };
    const first = await runEntry(MAIN, copy.root, inputs, env);
    expect(first.stdout).not.toContain("::error");
    expect(first.code).toBe(0);
    expect(first.summary).toMatch(/^### 4dbuild: build configuration changes/m);
    expect(first.summary).toContain("autoUpdate.acceptedClientVersions.max");
    expect(first.summary).toContain("Excluding PHP: PHP EXECUTE stops working.");
    expect(services.comments).toHaveLength(1);
    expect(services.comments[0]!.body).toContain(first.summary.trim().split("\n")[0]);
    const second = await runEntry(MAIN, copy.root, inputs, env);
    expect(second.code).toBe(0);
    expect(services.comments).toHaveLength(1);
    expect(services.commentCalls.filter((c) => !c.startsWith("GET"))).toEqual(["POST /repos/owner/repo/issues/7/comments", "PATCH /repos/owner/repo/issues/comments/1"]);
  });
});

describe("diff on the pull request that adopts 4dbuild, with no variable or secret of the build machine", () => {
  /** The base commit has only Settings/buildApp.4DSettings; the pull request adds the manifest import wrote, and changes it. */
  async function adoption() {
    const root = tempDir("adopt");
    cpSync(path.join(ROOT, "__tests__", "fixtures", "app", "Project"), path.join(root, "Project"), { recursive: true });
    mkdirSync(path.join(root, "Settings"));
    writeFileSync(path.join(root, "Settings", "buildApp.4DSettings"), settingsText({ licences: 2 }));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: root, encoding: "utf8" });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    const base = git("rev-parse", "HEAD").trim();
    expect((await runCli(["import"], { cwd: root, env: cliEnv() })).code).toBe(0);
    const manifest = readFileSync(path.join(root, "4dbuild.yml"), "utf8");
    writeFileSync(path.join(root, "4dbuild.yml"), manifest.replace("currentVersion: 1", "currentVersion: two").replace("modules:\n  exclude: []", "modules:\n  exclude: [CEF]"));
    const event = path.join(root, "event.json");
    writeFileSync(event, JSON.stringify({ number: 9, pull_request: { number: 9, base: { sha: base, ref: "main" } } }));
    return { root, env: { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event } };
  }

  test("the settings file is the base; the invalid head is compared and its problems listed; licence names never shown", async () => {
    const { root, env } = await adoption();
    const run = await runEntry(MAIN, root, { command: "diff" }, env);
    expect(run.stdout).not.toContain("::error");
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/^`[0-9a-f]{40}:Settings\/buildApp\.4DSettings` → `4dbuild\.yml`$/m);
    expect(run.summary).toContain("| `modules.exclude` | — | `[\"CEF\"]` | Excluding CEF: web areas using the embedded engine and 4D View Pro areas stay blank. |");
    expect(run.summary).toContain("#### Problems of `4dbuild.yml` (not valid; compared as far as it could be)");
    expect(run.summary).toMatch(/- \*\*error\*\* `4dbuild\.yml:\d+:\d+` autoUpdate\.currentVersion must be a whole number/);
    for (const name of LICENCE_NAMES) expect(run.stdout + run.summary).not.toContain(name.replace(/\.license4D$/, ""));
  });

  test("strict: true fails the step on an invalid side, after writing the summary", async () => {
    const { root, env } = await adoption();
    const run = await runEntry(MAIN, root, { command: "diff", strict: "true" }, env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::4dbuild diff: a side of the comparison is not valid (strict: true)");
    expect(run.summary).toContain("#### Problems of `4dbuild.yml`");
  });
});

test("matrix: the strategy.matrix output sends signed macOS work to macOS runners", async () => {
  const copy = exampleCopy();
  const run = await runEntry(MAIN, copy.root, { command: "matrix", manifest: "examples/hello/4dbuild.yml" });
  expect(run.code).toBe(0);
  const matrix = JSON.parse(run.outputs.matrix!) as { include: { os: string; targets: string; platforms: string }[] };
  expect(matrix.include).toEqual([
    expect.objectContaining({ os: "ubuntu-latest", targets: "compiled standalone client server", platforms: "win" }),
    expect.objectContaining({ os: "macos-latest", targets: "component standalone client server", platforms: "mac" }),
  ]);
});

describe("a release: merge the per-runner outputs, then verify", () => {
  const copy = exampleCopy();
  const made = createCodeSigningCertificate({ name: "Hello Release", days: 30, notBefore: new Date(Date.now() - 86_400_000), password: "pw", key: testKey("a") });
  const other = createCodeSigningCertificate({ name: "Someone Else", days: 30, notBefore: new Date(Date.now() - 86_400_000), password: "pw", key: testKey("b") });
  const secrets = { P12: made.p12.toString("base64"), P12_PASSWORD: "pw" };
  const manifest = "examples/hello/4dbuild.yml";
  let merge: ActionRun;
  beforeAll(async () => {
    writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("signing:\n", "signing:\n  certificate:\n    p12Base64: ${secret.P12}\n    password: ${secret.P12_PASSWORD}\n"));
    writeFileSync(path.join(copy.root, "trusted.pem"), made.certificatePem);
    writeFileSync(path.join(copy.root, "other.pem"), other.certificatePem);
    // Two runners' outputs, laid out as actions/download-artifact lays them out.
    for (const target of ["compiled", "component"]) {
      const built = await runCli(["build", copy.manifest, "--target", target, "--out", path.join(copy.root, "outputs", `Hello-${target}`)], { env: cliEnv(secrets) });
      expect([target, built.code, built.stderr.includes("error")]).toEqual([target, 0, false]);
    }
    merge = await runEntry(MAIN, copy.root, { command: "merge", manifest, directories: "outputs/*", out: "release" }, secrets);
  });

  test("merge combines the outputs into one release set signed with the manifest's certificate", () => {
    expect(merge.stdout).not.toContain("::error");
    expect(merge.code).toBe(0);
    expect(merge.stdout).toMatch(/^release: \d+ files from 2 outputs, SHA256SUMS signed$/m);
    expect(merge.outputs).toMatchObject({ checksums: path.join(copy.root, "release", "SHA256SUMS"), report: path.join(copy.root, "release", "build-report.json") });
    expect(merge.summary).toContain("## 4dbuild: Hello");
    expect(merge.summary).toContain("merged from 2 build outputs");
    expect(merge.stdout).not.toContain(secrets.P12);
  });

  test("verify passes against the trusted certificate, and writes its verdict to the summary", async () => {
    const run = await runEntry(MAIN, copy.root, { command: "verify", out: "release", certificate: "trusted.pem" });
    expect(run.stdout).not.toContain("::error");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("signature ok: SHA256SUMS.p7s (signed by Hello Release)");
    expect(run.stdout).toMatch(/^OK: \d+ files checked, 1 signature$/m);
    expect(run.summary).toContain("## 4dbuild verify: OK");
    expect(run.outputs.checksums).toBe(path.join(copy.root, "release", "SHA256SUMS"));
  });

  test("verify fails the step when the signer is not the trusted certificate", async () => {
    const run = await runEntry(MAIN, copy.root, { command: "verify", out: "release", certificate: "other.pem" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error title=4dbuild verify::SHA256SUMS.p7s: signed by a certificate that is not the trusted one");
    expect(run.stdout).toMatch(/^::error::4dbuild verify: 1 problem in release \(\d+ files checked, 0 signatures\)$/m);
  });

  test("verify fails the step and names a file whose bytes changed", async () => {
    const tampered = path.join(copy.root, "tampered");
    execFileSync("cp", ["-R", path.join(copy.root, "release"), tampered]);
    const file = path.join(tampered, "Compiled Database", "Hello", "Hello.4DZ");
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(file, bytes);
    const run = await runEntry(MAIN, copy.root, { command: "verify", out: "tampered" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error title=4dbuild verify::Compiled Database/Hello/Hello.4DZ: SHA-256 differs from SHA256SUMS");
    expect(run.summary).toContain("## 4dbuild verify: 1 problem");
    expect(run.summary).toContain("| `Compiled Database/Hello/Hello.4DZ` | SHA-256 differs from SHA256SUMS |");
  });

  test("verify of a folder that is no build output fails with what to do", async () => {
    const run = await runEntry(MAIN, copy.root, { command: "verify", out: "examples" });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*examples has no SHA256SUMS%0Ahint: point verify at the destination folder of a 4dbuild build$/m);
  });
});

test("secret files are written and masked for the main step, and the post step removes them even after a failure", async () => {
  const copy = exampleCopy();
  const licence = Buffer.from("LICENCE-BYTES-FOR-THE-TEST").toString("base64");
  const p12 = Buffer.from("P12-BYTES-FOR-THE-TEST").toString("base64");
  const secretFiles = `LICENSE_MAC=R-4UUD210UUS001NUMBERDEP02.license4D:${licence}\nSIGNING_P12=signing.p12:${p12}\n`;
  const home = tempDir("home");
  // The main step fails: the manifest names a target this example does not have.
  const main = await runEntry(MAIN, copy.root, { command: "build", manifest: "examples/hello/4dbuild.yml", targets: "no-such-target", "secret-files": secretFiles, "install-licenses": "true", upload: "false" }, { HOME: home });
  expect(main.code).not.toBe(0);
  expect(main.stdout).toContain(`::add-mask::${licence}`);
  expect(main.stdout).toContain("::add-mask::R-4UUD210UUS001NUMBERDEP02.license4D");
  const saved = JSON.parse(main.state["secret-files"]!) as { files: string[]; folder: string };
  expect(saved.files.map((f) => path.basename(f)).sort()).toEqual(["R-4UUD210UUS001NUMBERDEP02.license4D", "signing.p12"]);
  for (const file of saved.files) expect(readFileSync(file).length).toBeGreaterThan(0);
  const post = await runEntry(POST, copy.root, {}, { "STATE_secret-files": main.state["secret-files"]! });
  expect(post.code).toBe(0);
  expect(post.stdout).toContain("removed 2 secret files");
  for (const file of saved.files) expect(existsSync(file)).toBe(false);
  expect(existsSync(saved.folder)).toBe(false);
  expect(readdirSync(path.dirname(saved.folder))).toEqual([]);
});

test("the example workflows use only inputs the action declares, and outputs it sets", () => {
  const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string; post: string } };
  expect(action.runs).toMatchObject({ using: "node24", main: "dist/action/main.js", post: "dist/action/post.js" });
  const folder = path.join(ROOT, "examples", "workflows");
  expect(readdirSync(folder).sort()).toEqual(["build.yml", "release.yml", "review.yml"]);
  for (const file of readdirSync(folder)) {
    const text = readFileSync(path.join(folder, file), "utf8");
    const workflow = parse(text) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }> };
    for (const step of Object.values(workflow.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith("4dbuild/4dbuild"))) {
      for (const input of Object.keys(step.with ?? {})) expect([file, input, input in action.inputs]).toEqual([file, input, true]);
    }
    for (const match of text.matchAll(/steps\.\w+\.outputs\.([\w-]+)/g)) expect([file, match[1], match[1]! in action.outputs]).toEqual([file, match[1], true]);
  }
});
