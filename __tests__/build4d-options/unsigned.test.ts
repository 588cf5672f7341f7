import { readFileSync } from "node:fs";
import path from "node:path";
import { checksumsStep, reportStep } from "../../src/builder/steps/report.js";
import { layoutStep } from "../../src/builder/steps/target-folder.js";
import { UNSIGNED, unsignedStep } from "../../src/builder/steps/unsigned.js";
import { signSkip } from "../../src/builder/steps/sign.js";
import { verifyOutput } from "../../src/release/verify.js";
import { verifyCommand } from "../../src/cli/commands/verify.js";
import { appTargets, hello, runStep, stageApplication, stagePacked, stepContext } from "../testctx.js";

/** A macOS stand-alone and a Windows one, laid out, with the sign step unable to sign macOS code. */
async function builtOffMac(signing = "signing:\n  mac:\n    adHoc: false\n") {
  const context = stepContext(hello(`${appTargets("standalone")}${signing}`));
  stagePacked(context);
  for (const platform of ["mac", "win"] as const) {
    await stageApplication(context, { target: "standalone", platform });
    await runStep(context, layoutStep, { target: "standalone", platform });
  }
  await runStep(context, unsignedStep, { target: "standalone", platform: "mac" });
  await runStep(context, checksumsStep);
  await runStep(context, reportStep);
  return context;
}

describe("macOS code the build cannot sign is marked, warned about and reported by verify", () => {
  test("off macOS the sign step cannot sign: the unsigned step takes over", () => {
    const context = stepContext(hello(appTargets("standalone")));
    const unit = { target: "standalone", platform: "mac" } as const;
    expect(signSkip(context.plan, unit, "linux")).toBe("macOS code signing runs on macOS hosts; this build runs on linux");
    expect(unsignedStep.skip?.(context.plan, unit)).toBe(process.platform === "darwin" ? "the sign step signs it" : false);
    expect(unsignedStep.appliesTo({ target: "standalone", platform: "win" })).toBe(false);
  });

  test("the report marks the macOS target, the build warns (shown as it happens), verify lists it", async () => {
    const context = await builtOffMac();
    const report = JSON.parse(readFileSync(path.join(context.out, "build-report.json"), "utf8")) as { targets: { path: string; signature?: string }[] };
    expect(report.targets.filter((t) => t.path.startsWith("Final Application/Hello"))).toEqual([
      { target: "standalone", platform: "mac", path: "Final Application/Hello.app", signature: "unsigned: must be signed on macOS before it can run on Apple Silicon" },
      { target: "standalone", platform: "win", path: "Final Application/Hello" },
    ]);
    expect(context.warnings.find((w) => w.code === "unsigned-mac")?.message).toBe(`the standalone macOS application (Final Application/Hello.app) is ${UNSIGNED} (signing.mac has no identity and adHoc is false)`);
    expect(context.logger.events.some((e) => e.kind === "diagnostic" && e.diagnostic.code === "unsigned-mac")).toBe(true);
    const verified = await verifyOutput(context.out);
    expect(verified.problems).toEqual([]);
    expect(verified.unsigned).toEqual([{ path: "Final Application/Hello.app", signature: UNSIGNED }]);
    const printed: string[] = [];
    const io = { stdout: { write: (s: string) => printed.push(s) }, stderr: { write: () => true }, env: {}, cwd: context.out } as unknown as Parameters<typeof verifyCommand>[0];
    expect(await verifyCommand(io, ".", { rebuild: false, manifest: "4dbuild.yml" })).toBe(0);
    expect(printed.join("")).toContain("unsigned: Final Application/Hello.app: must be signed on macOS before it can run on Apple Silicon\n");
  });
});
