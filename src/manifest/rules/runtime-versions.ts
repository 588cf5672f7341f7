import { existsSync } from "node:fs";
import path from "node:path";
import { detectRuntime, runtimeVersionProblem, type RuntimeInfo } from "../../builder/app/runtime.js";
import { describeAppVersion, sameRelease } from "../../four-d/app-version.js";
import { configuredTool4d, readTool4dVersion } from "../../toolchain/tool4d-version.js";
import { APP_TARGETS, enabledTarget, targetPlatforms } from "../targets.js";
import { originOf, type Rule } from "./context.js";

function runtimeAt(folder: string): RuntimeInfo | undefined {
  if (!existsSync(folder)) return undefined;
  try {
    return detectRuntime(folder);
  } catch {
    return undefined; // not a runtime: the build's runtime step says what it is instead
  }
}

/**
 * Each runtime must be the 4D of 4dVersion and, when compiling with runtimeVersion: build, the same build as
 * tool4d (see runtimeVersionProblem). Read from the runtimes on this machine; the error is at the runtime field.
 */
export const checkRuntimeVersions: Rule = (context) => {
  const { manifest, fourD, report } = context;
  if (!context.checkFiles || !fourD) return;
  const compiling = manifest.compile?.enabled === true;
  const tool4dFile = compiling ? configuredTool4d(manifest.compile?.tool4d, context.env, context.baseDir) : undefined;
  const tool4d = tool4dFile && existsSync(tool4dFile) ? readTool4dVersion(tool4dFile) : undefined;
  if (tool4d && sameRelease(tool4d, fourD) === false) {
    const at = manifest.compile?.tool4d !== undefined && !originOf(context, ["compile", "tool4d"])?.fromEnvironment ? ["compile", "tool4d"] : ["compile", "enabled"];
    report("error", "tool4d-version", at, `tool4d is ${describeAppVersion(tool4d)}, but 4dVersion is "${fourD.text}"`, "use the tool4d of the 4D version you build with");
  }
  const match = manifest.runtimeVersion ?? "build";
  // Targets share runtimes (the server's clients are the standalone's Volume Desktop): each is read once.
  const runtimes = new Map<string, RuntimeInfo | undefined>();
  for (const target of APP_TARGETS) {
    if (!enabledTarget(manifest, target)) continue;
    for (const platform of targetPlatforms(manifest, target)) {
      const value = manifest.targets?.[target]?.runtime?.[platform];
      if (typeof value !== "string") continue;
      const folder = path.resolve(context.baseDir, value);
      if (!runtimes.has(folder)) runtimes.set(folder, runtimeAt(folder));
      const info = runtimes.get(folder);
      const problem = info && runtimeVersionProblem(info, fourD, { match, tool4d });
      if (problem)
        report("error", "runtime-version", ["targets", target, "runtime", platform], `targets.${target}.runtime.${platform} ${problem}`, "use the runtimes of the 4D you build with (same version, R release and build number), or runtimeVersion: release to compare the release only");
    }
  }
};
