import { existsSync } from "node:fs";
import { configuredTool4d, readTool4dVersion } from "../../toolchain/tool4d-version.js";
import { appPaths, copyRuntime } from "../app/paths.js";
import { checkRuntime, detectRuntime } from "../app/runtime.js";
import { runtimeFolder } from "../provision.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, type AppUnit } from "../units.js";

/** Merges with the 4D runtime: checks it is the right one, copies it, renames it after the application. */
export const runtimeStep: UnitStep<AppUnit> = {
  name: "runtime",
  title: "copy the 4D runtime and rename it",
  scope: "unit",
  assembly: true,
  appliesTo: isAppUnit,
  async run(context, unit) {
    const { target, platform } = unit;
    const folder = runtimeFolder(context, unit);
    const info = detectRuntime(folder);
    const { compile, runtimeVersion } = context.plan.config;
    const tool4dFile = compile.enabled ? configuredTool4d(compile.tool4d, context.env, context.plan.baseDir, context.provisioned.tool4d) : undefined;
    const tool4d = tool4dFile && existsSync(tool4dFile) ? readTool4dVersion(tool4dFile) : undefined;
    checkRuntime(info, { platform, kind: target === "server" ? "Server" : "Volume Desktop", field: `targets.${target}.runtime.${platform}` }, context.plan.fourD, { match: runtimeVersion, tool4d });
    let files = 0;
    let bytes = 0;
    await copyRuntime(folder, info, appPaths(context.out, context.plan, unit), {
      sourceDate: context.sourceDate,
      signal: context.signal,
      onFile: (size) => context.logger.progress(++files, (bytes += size)),
    });
  },
};
