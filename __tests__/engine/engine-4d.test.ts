import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { engineStep } from "../../src/builder/steps/engine.js";
import { unitSteps } from "../../src/builder/pipeline.js";
import { FIXTURES, jsonWhenWritten } from "../helpers.js";
import { STAND_IN_4D } from "./stand-in.js";
import { artifactPaths, HELLO_DIR, hello, listTree, runStep, stepContext, tempDir, type StepContext } from "../testctx.js";

const SECRET = "Canary-Link-engine-51d2";

/** A manifest building the compiled structure and the macOS stand-alone with 4D; the link code is a secret. */
const manifest = (build = "build:\n  engine: 4d\n  fourD: ${env.FOURD_APP}\n") =>
  hello(`${build}targets:\n  compiled: {}\n  standalone:\n    platforms: [mac]\n    runtime:\n      mac: \${env.RUNTIMES}/mac/4D Volume Desktop.app\nnetwork:\n  linkCode: \${secret.LINK_CODE}\nversioning:\n  common:\n    version: 2.5.0\n`);

/** Each context has a temporary folder of its own (TMPDIR), where the engine makes its private folder. */
function context(scenario = "success", extra: NodeJS.ProcessEnv = {}): { ctx: StepContext; record: string; tmp: string } {
  const record = path.join(tempDir("record"), "record.json");
  const tmp = tempDir("tmp");
  const ctx = stepContext(manifest(), { env: { TMPDIR: tmp, FOURD_APP: STAND_IN_4D, LINK_CODE: SECRET, STANDIN_FOURD_SECRET: SECRET, STANDIN_FOURD_RECORD: record, STANDIN_FOURD_SCENARIO: scenario, ...extra } });
  return { ctx, record, tmp };
}

const engineFolders = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith("4dbuild-engine-"));

interface Record {
  args: string[];
  file: string;
  fileMode: string;
  folderMode: string;
  secretPresent: boolean;
}

describe("build.engine: 4d", () => {
  test("runs 4D headless with the exact command line on a private copy holding the temporary method, with the settings file holding the real values, then removes it", async () => {
    const { ctx, record } = context();
    await runStep(ctx, engineStep);
    const seen = JSON.parse(readFileSync(record, "utf8")) as Record;
    const folder = path.dirname(seen.file);
    expect(path.dirname(folder)).toBe(ctx.env.TMPDIR);
    expect(path.basename(folder)).toMatch(/^4dbuild-engine-/);
    expect(seen.args).toEqual([
      "--project",
      path.join(folder, "hello", "Project", "Hello.4DProject"),
      "--headless",
      "--dataless",
      "--skip-onstartup",
      "--startup-method",
      "fourdbuild_build",
      "--user-param",
      JSON.stringify({ settings: path.join(folder, "buildApp.4DSettings"), result: path.join(folder, "result.json") }),
    ]);
    // The stand-in checked both; the record says what it saw.
    expect({ fileMode: seen.fileMode, folderMode: seen.folderMode, secretPresent: seen.secretPresent }).toEqual({ fileMode: "600", folderMode: "700", secretPresent: true });
    expect(existsSync(folder)).toBe(false);
    // The project itself is untouched: no temporary method, no 4D log.
    expect(existsSync(path.join(HELLO_DIR, "Project", "Sources", "Methods", "fourdbuild_build.4dm"))).toBe(false);
    expect(existsSync(path.join(HELLO_DIR, "Logs", "BuildApp.log.xml"))).toBe(false);
  });

  test("moves 4D's outputs into staging at 4D's places, registers them as the units' artifacts and keeps 4D's log, with no secret anywhere", async () => {
    const { ctx } = context();
    await runStep(ctx, engineStep);
    expect(artifactPaths(ctx, "target").sort()).toEqual(["Compiled Database/Hello", "Final Application/Hello.app"]);
    expect(artifactPaths(ctx, "log")).toEqual(["BuildApp.4D.log.xml"]);
    expect(await listTree(ctx.out)).toEqual([
      "BuildApp.4D.log.xml",
      "Compiled Database/Hello/Hello.4DZ",
      "Final Application/Hello.app/Contents/Database/Hello.4DZ",
      "Final Application/Hello.app/Contents/Info.plist",
      "Final Application/Hello.app/Contents/MacOS/Hello",
    ]);
    expect(readFileSync(path.join(ctx.out, "Final Application/Hello.app/Contents/Info.plist"), "utf8")).toContain("<string>2.5.0</string>");
    for (const file of await listTree(ctx.out)) expect({ file, secret: readFileSync(path.join(ctx.out, file), "utf8").includes(SECRET) }).toEqual({ file, secret: false });
    expect(ctx.logger.infos()).toContain("  4D: stand-in 4D: BUILD APPLICATION of Hello (success)");
    // 4D wrote the real link code into its log: the copy kept in the output has it masked.
    expect(readFileSync(path.join(ctx.out, "BuildApp.4D.log.xml"), "utf8")).toContain("<Message>Link code read from the settings: ***</Message>");
  });

  test("turns the errors of 4D's build log into diagnostics located in the log it keeps, fails, and removes the private folder", async () => {
    const { ctx, record } = context("errors");
    await expect(runStep(ctx, engineStep)).rejects.toThrow("4D failed (OK = 0) with 2 errors");
    const diagnostics = ctx.logger.events.flatMap((e) => (e.kind === "diagnostic" ? [e.diagnostic] : []));
    expect(diagnostics).toEqual([
      { severity: "error", code: "4d-build-log", message: "4D (Application): The 4D Volume Desktop folder is not valid [ERR_VOLUME_DESKTOP -10]", file: "BuildApp.4D.log.xml", line: 37, column: 3 },
      { severity: "error", code: "4d-error", message: "4D error -10 (4DRT): Build application failed" },
    ]);
    const kept = readFileSync(path.join(ctx.out, "BuildApp.4D.log.xml"), "utf8").split("\n");
    expect(kept[36]).toBe("  <Log>");
    expect(kept[37]).toBe("    <MessageType>Error</MessageType>");
    expect(existsSync(path.dirname((JSON.parse(readFileSync(record, "utf8")) as Record).file))).toBe(false);
  });

  test("fails clearly when 4D ends without a result, and removes the private folder", async () => {
    const { ctx, tmp } = context("no-result");
    await expect(runStep(ctx, engineStep)).rejects.toThrow("4D ended (exit code 1) without writing its result");
    expect(engineFolders(tmp)).toEqual([]);
  });

  test("an interrupted build stops 4D and removes the private folder holding the settings", async () => {
    const started = path.join(tempDir("started"), "started.json");
    const { ctx } = context("slow", { STANDIN_FOURD_STARTED: started });
    const running = runStep(ctx, engineStep);
    const written = await jsonWhenWritten<{ pid: number; folder: string }>(started, { tries: 400 });
    expect(written).toBeDefined();
    const { pid, folder } = written!;
    expect(existsSync(path.join(folder, "buildApp.4DSettings"))).toBe(true);
    ctx.abort();
    await expect(running).rejects.toThrow();
    // 4D has quit when the step ends: what it writes on its way out (300 ms later) cannot recreate the folder.
    expect(() => process.kill(pid, 0)).toThrow();
    await new Promise((r) => setTimeout(r, 600));
    expect(existsSync(folder)).toBe(false);
  });

  test("4D is found through FOURD when build.fourD is not set, and a missing one says how to configure it", async () => {
    const { ctx } = context("success");
    const viaEnv = stepContext(manifest("build:\n  engine: 4d\n"), { env: { ...ctx.env, FOURD: STAND_IN_4D } });
    await runStep(viaEnv, engineStep);
    expect(artifactPaths(viaEnv, "target")).toHaveLength(2);
    const none = stepContext(manifest("build:\n  engine: 4d\n"), { env: { LINK_CODE: SECRET } });
    await expect(runStep(none, engineStep)).rejects.toThrow("build.engine is 4d, but no 4D is configured");
  });

  test("the exact-version rule: a 4D of another build than the runtimes is refused before it runs", async () => {
    const other = path.join(tempDir("fourd"), "4D.app");
    cpSync(path.join(FIXTURES, "fourd", "4D.app"), other, { recursive: true });
    const plist = path.join(other, "Contents", "Info.plist");
    writeFileSync(plist, readFileSync(plist, "utf8").replace("21.0.100301", "21.0.100999"));
    const { ctx, record } = context("success", { FOURD_APP: path.join(other, "Contents", "MacOS", "4D") });
    await expect(runStep(ctx, engineStep)).rejects.toThrow(/targets\.standalone\.runtime\.mac is 4D Volume Desktop 21\.0 \(build 100301\), but 4D is 21\.0 \(build 100999\)/);
    expect(existsSync(record)).toBe(false);
  });

  test("a unit of the other platform is refused: 4D builds for the system it runs on", async () => {
    const ctx = stepContext(hello(`build:\n  engine: 4d\n  fourD: \${env.FOURD_APP}\ntargets:\n  standalone:\n    platforms: [win]\n    runtime:\n      win: \${env.RUNTIMES}/win/4D Volume Desktop\n`), { env: { FOURD_APP: STAND_IN_4D } });
    await expect(runStep(ctx, engineStep)).rejects.toThrow("build.engine 4d builds for the system 4D runs on (macOS), not standalone win");
  });

  test("the assembly steps are skipped, with the reason, for the units 4D builds; archives and signing still run", () => {
    const { ctx } = context();
    const states = unitSteps({ target: "standalone", platform: "mac" }).map((b) => [b.step.name, b.skip(ctx.plan)]);
    const skipped = Object.fromEntries(states);
    expect(skipped.runtime).toBe("build.engine is 4d: 4D's BUILD APPLICATION assembles the applications");
    expect(skipped.layout).toBe("build.engine is 4d: 4D's BUILD APPLICATION assembles the applications");
    expect(skipped.metadata).toBe("build.engine is 4d: 4D's BUILD APPLICATION assembles the applications");
    expect(skipped.archive).toBe(false);
    expect(engineStep.skip!(ctx.plan)).toBe(false);
    expect(engineStep.skip!(stepContext(hello("targets:\n  compiled: {}\n")).plan)).toBe("build.engine is native: 4dbuild assembles the applications");
  });
});
