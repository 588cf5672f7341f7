import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { packStep } from "../../src/builder/steps/pack.js";
import { appTargets, hello, HELLO_DIR, liveTempDirs, RUNTIMES, runStep, SOURCE_DATE, stageApplication, stepContext } from "../testctx.js";

describe("the test context", () => {
  test("is a real BuildContext: the resolved plan, empty work and out folders, the fixed source date", () => {
    const context = stepContext(hello(appTargets("standalone")));
    expect(context.plan.config.name).toBe("Hello");
    expect(context.plan.packageDir).toBe(HELLO_DIR);
    expect(context.plan.targets.standalone?.runtime).toEqual({ mac: { kind: "folder", path: path.join(RUNTIMES, "mac", "4D Volume Desktop.app") }, win: { kind: "folder", path: path.join(RUNTIMES, "win", "4D Volume Desktop") } });
    expect(context.plan.config.output.archives).toEqual(["zip"]); // schema defaults applied
    expect([readdirSync(context.work), readdirSync(context.out)]).toEqual([[], []]);
    expect(context.sourceDate).toBe(SOURCE_DATE);
    expect(context.signal.aborted).toBe(false);
    context.abort();
    expect(context.signal.aborted).toBe(true);
  });

  test("secrets the manifest reads are known to its redactor", () => {
    const context = stepContext(hello("targets:\n  compiled: {}\nnetwork:\n  linkCode: ${secret.LINK}\n"), { env: { LINK: "s3cret-link" } });
    expect(context.plan.config.network.linkCode).toBe("s3cret-link");
    expect(context.redactor.redact("code s3cret-link")).toBe("code ***");
  });

  test("an invalid manifest is an error that quotes the diagnostics", () => {
    expect(() => stepContext(hello("targets:\n  standalone:\n    runtime: 3\n"))).toThrow(/the test manifest is invalid:\n[\s\S]*targets\.standalone\.runtime must be a mapping/);
  });

  test("runStep refuses a step its skip says would do nothing, and a unit it does not apply to", async () => {
    const context = stepContext(hello("targets:\n  compiled: {}\nstructure:\n  pack: false\n"));
    await expect(runStep(context, packStep)).rejects.toThrow("pack would be skipped: structure.pack is false");
    const { runtimeStep } = await import("../../src/builder/steps/runtime.js");
    await expect(runStep(context, runtimeStep, { target: "compiled" } as never)).rejects.toThrow("runtime does not apply to compiled");
  });
});

describe("temporary folders are removed after each test", () => {
  let previous: readonly string[] = [];

  test.failing("even when the test fails (this one fails on purpose)", async () => {
    const context = stepContext(hello(appTargets("standalone")));
    await stageApplication(context, { target: "standalone", platform: "mac" });
    previous = liveTempDirs();
    expect(previous.length).toBeGreaterThan(0);
    throw new Error("a failing test");
  });

  test("the folders of the failed test are gone", () => {
    expect(previous.length).toBeGreaterThan(0);
    expect(previous.filter((dir) => existsSync(dir))).toEqual([]);
    expect(liveTempDirs()).toEqual([]);
  });
});
