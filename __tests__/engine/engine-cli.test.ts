import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildSummary } from "../../src/actions/summary.js";
import type { BuildReport } from "../../src/release/report.js";
import { cliEnv, exampleCopy, ROOT, runCli, STACK_TRACE, tempDir } from "../helpers.js";
import { STAND_IN_4D } from "./stand-in.js";

const CLI = path.join(ROOT, "dist", "cli.cjs");
const SECRET = "Canary-Link-cli-e4c7";
const engineFolders = (tmp: string) => readdirSync(tmp).filter((n) => /^4dbuild-(engine|native)-/.test(n));

/** Every file under `dir`, relative. */
function allFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return allFiles(path.join(dir, entry.name), relative);
    return entry.isFile() ? [relative] : [];
  });
}

/** The example with build.engine: 4d (4D from FOURD_APP). */
function engineExample(engine = "4d") {
  const copy = exampleCopy();
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace(/^4dVersion: "21"\n/m, `4dVersion: "21"\nbuild:\n  engine: ${engine}\n  fourD: \${env.FOURD_APP}\n`));
  return copy;
}

/** The CLI's environment, with a temporary folder of its own (the engine's private folders go there). */
const env = (tmp: string, extra: NodeJS.ProcessEnv = {}) => cliEnv({ TMPDIR: tmp, FOURD_APP: STAND_IN_4D, HELLO_LINK_CODE: SECRET, STANDIN_FOURD_SECRET: SECRET, ...extra });
const scope = ["--target", "compiled", "--target", "standalone", "--platform", "mac"];

describe("4dbuild build with build.engine: 4d (stand-in 4D)", () => {
  test("4D's outputs are packaged by 4dbuild (archives, SHA256SUMS, report, 4D's log) and no output, log or report holds the secret", async () => {
    const copy = engineExample();
    const tmp = tempDir("tmp");
    const run = await runCli(["build", copy.manifest, "--out", copy.out, ...scope, "--log", "json"], { env: env(tmp) });
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    const files = allFiles(copy.out);
    expect(files).toEqual(
      expect.arrayContaining([
        "Archives/Hello-standalone-mac.zip",
        "Archives/Hello-standalone-mac.tar.gz",
        "BuildApp.4D.log.xml",
        "BuildApp.log.xml",
        "Compiled Database/Hello/Hello.4DZ",
        "Final Application/Hello.app/Contents/Info.plist",
        "SHA256SUMS",
        "build-report.json",
      ]),
    );
    expect(readFileSync(path.join(copy.out, "SHA256SUMS"), "utf8")).toContain("  Final Application/Hello.app/Contents/Database/Hello.4DZ\n");
    const report = JSON.parse(readFileSync(path.join(copy.out, "build-report.json"), "utf8")) as BuildReport;
    expect(report.steps!.find((s) => s.step === "engine")!.status).toBe("done");
    expect(report.steps!.find((s) => s.step === "runtime")).toMatchObject({ status: "skipped", reason: "build.engine is 4d: 4D's BUILD APPLICATION assembles the applications" });
    // The secret scan: every output byte, the log on stderr, standard output.
    for (const file of files) expect({ file, secret: readFileSync(path.join(copy.out, file)).includes(SECRET) }).toEqual({ file, secret: false });
    expect({ stdout: run.stdout.includes(SECRET), stderr: run.stderr.includes(SECRET) }).toEqual({ stdout: false, stderr: false });
    // The stand-in echoed the link code on its standard output and into its log: both reached 4dbuild, masked.
    expect(run.stderr).toContain("stand-in 4D: link code ***");
    expect(readFileSync(path.join(copy.out, "BuildApp.4D.log.xml"), "utf8")).toContain("Link code read from the settings: ***");
    expect(engineFolders(tmp)).toEqual([]);
  });

  test("4D's errors are shown located in 4D's log, the build fails with exit 1, nothing is written and the private folder is gone", async () => {
    const copy = engineExample();
    const tmp = tempDir("tmp");
    const run = await runCli(["build", copy.manifest, "--out", copy.out, ...scope], { env: env(tmp, { STANDIN_FOURD_SCENARIO: "errors" }) });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).toContain("BuildApp.4D.log.xml:37:3: error: 4D (Application): The 4D Volume Desktop folder is not valid [ERR_VOLUME_DESKTOP -10]");
    expect(run.stderr).toContain("4D failed (OK = 0) with 2 errors");
    expect(run.stderr.includes(SECRET)).toBe(false);
    expect(existsSync(copy.out) ? allFiles(copy.out) : []).toEqual([]);
    expect(engineFolders(tmp)).toEqual([]);
  });

  test("--compare-engines builds natively and with 4D, and lists every differing file, Info.plist key by key, in the report, on stderr and in the job summary", async () => {
    const copy = engineExample();
    const tmp = tempDir("tmp");
    const run = await runCli(["build", copy.manifest, "--out", copy.out, ...scope, "--compare-engines"], { env: env(tmp) });
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(copy.out, "build-report.json"), "utf8")) as BuildReport;
    const comparison = report.engineComparison!;
    expect(comparison.engine).toBe("4d");
    const plist = comparison.files.find((f) => f.path === "Final Application/Hello.app/Contents/Info.plist")!;
    expect(plist.status).toBe("different");
    expect(plist.native!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plist.plist).toEqual(expect.arrayContaining([{ key: "BuiltBy", engine: "4D" }, { key: "CFBundleVersion", native: "1.0.0" }, { key: "CFBundleIdentifier", native: "Example-Ltd.Hello" }]));
    expect(comparison.files.find((f) => f.path === "Compiled Database/Hello/Hello.4DZ")!.status).toBe("different");
    expect(comparison.files.some((f) => f.status === "only-native")).toBe(true);
    expect(run.stderr).toMatch(/compare-engines: \d+ files differ between the native builder and 4d \(\d+ identical\)/);
    expect(run.stderr).toContain("      BuiltBy: (absent) → 4D");
    const summary = buildSummary(report);
    expect(summary).toContain("### Native builder vs 4d");
    expect(summary).toContain("| `Final Application/Hello.app/Contents/Info.plist` | different |");
    expect(summary).toContain("| ↳ `BuiltBy` | key | — | 4D |");
    for (const file of allFiles(copy.out)) expect({ file, secret: readFileSync(path.join(copy.out, file)).includes(SECRET) }).toEqual({ file, secret: false });
    expect(engineFolders(tmp)).toEqual([]);
  });

  test("SIGTERM while 4D runs: exit 143, 4D stopped, the private folder and its settings file gone (real process)", async () => {
    const copy = engineExample();
    const started = path.join(copy.root, "started.json");
    const child = spawn(process.execPath, [CLI, "build", copy.manifest, "--out", copy.out, ...scope], { env: env(tempDir("tmp"), { STANDIN_FOURD_SCENARIO: "slow", STANDIN_FOURD_STARTED: started }) });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    for (let i = 0; i < 400 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 25));
    const { pid, folder } = JSON.parse(readFileSync(started, "utf8")) as { pid: number; folder: string };
    expect(statSync(path.join(folder, "buildApp.4DSettings")).mode & 0o777).toBe(0o600);
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(143);
    expect(stderr).toContain("build interrupted by SIGTERM");
    expect(existsSync(folder)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe("4dbuild generate --for-build", () => {
  test("writes the real values, 0600, to a file outside the repository; plain generate keeps masking", async () => {
    const copy = exampleCopy();
    const target = path.join(copy.root, "buildApp.4DSettings");
    const run = await runCli(["generate", copy.manifest, "--host", "mac", "--for-build", target], { env: cliEnv({ HELLO_LINK_CODE: SECRET }) });
    expect(run.code).toBe(0);
    expect(readFileSync(target, "utf8")).toContain(`<HardLink>${SECRET}</HardLink>`);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toContain(SECRET);
    const masked = await runCli(["generate", copy.manifest, "--host", "mac"], { env: cliEnv({ HELLO_LINK_CODE: SECRET }) });
    expect(masked.stdout).toContain("<HardLink>***</HardLink>");
    expect(masked.stdout).not.toContain(SECRET);
  });

  test("refuses standard output and a file inside the repository (exit 2), writing nothing", async () => {
    const copy = exampleCopy();
    const inside = path.join(path.dirname(copy.manifest), "Settings", "real.4DSettings");
    const run = await runCli(["generate", copy.manifest, "--host", "mac", "--for-build", inside], { env: cliEnv({ HELLO_LINK_CODE: SECRET }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--for-build refuses to write inside the repository (Settings/real.4DSettings)");
    expect(existsSync(inside)).toBe(false);
    const stdout = await runCli(["generate", copy.manifest, "--host", "mac", "--for-build", "-"], { env: cliEnv({ HELLO_LINK_CODE: SECRET }) });
    expect(stdout.code).toBe(2);
    expect(stdout.stderr).toContain("--for-build writes real secret values: it does not write to standard output");
    expect(stdout.stdout).toBe("");
    const both = await runCli(["generate", copy.manifest, "--host", "mac", "--for-build", path.join(copy.root, "x"), "-o", path.join(copy.root, "y")], { env: cliEnv({ HELLO_LINK_CODE: SECRET }) });
    expect(both.code).toBe(2);
  });
});
