import { buildWithBuild4D } from "../../engine/build4d.js";
import { buildWithFourD } from "../../engine/build-application.js";
import { engineHost } from "../../engine/settings.js";
import { describeAppVersion, type AppVersion } from "../../four-d/app-version.js";
import { createPrivateFolder, temporaryRoot } from "../../files/private-folder.js";
import { BuildError } from "../../messages/errors.js";
import { findFourD } from "../../toolchain/fourd.js";
import { findTool4d } from "../../toolchain/tool4d.js";
import { readTool4dVersion } from "../../toolchain/tool4d-version.js";
import { detectRuntime, runtimeVersionProblem } from "../app/runtime.js";
import type { BuildContext } from "../context.js";
import { runtimeFolder } from "../provision.js";
import type { BuildStep } from "../step.js";
import { isAppUnit, unitName } from "../units.js";

/** 4D builds for the system it runs on: a unit of the other platform needs a runner of that system. */
function checkPlatforms(context: BuildContext): void {
  const host = engineHost();
  const others = context.units.filter((u) => isAppUnit(u) && u.platform !== host).map(unitName);
  if (others.length > 0)
    throw new BuildError(
      `build.engine ${context.plan.config.build.engine} builds for the system 4D runs on (${host === "mac" ? "macOS" : "Windows"}), not ${others.join(", ")}`,
      `build the other platform on a runner of that system (--platform ${host}; 4dbuild matrix sends each platform to its runner), or use build.engine: native`,
    );
}

/** The exact-version rule of the runtimes, against the 4D that builds: same release and, with runtimeVersion: build, same build. */
function checkRuntimeBuilds(context: BuildContext, engine: AppVersion | undefined, label: string): void {
  for (const unit of context.units) {
    if (!isAppUnit(unit)) continue;
    const info = detectRuntime(runtimeFolder(context, unit));
    const problem = runtimeVersionProblem(info, context.plan.fourD, { match: context.plan.config.runtimeVersion, tool4d: undefined });
    const sameBuild = context.plan.config.runtimeVersion === "release" || !engine || engine.build === undefined || info.appVersion.build === undefined || engine.build === info.appVersion.build;
    if (problem || !sameBuild)
      throw new BuildError(
        `targets.${unit.target}.runtime.${unit.platform} ${problem ?? `is 4D ${info.kind} ${describeAppVersion(info.appVersion)}, but ${label} is ${describeAppVersion(engine!)}`}`,
        `${label} needs the runtimes of its own build (build-outputs.md: the runtime must be exactly the version of the 4D that builds)`,
      );
  }
}

/**
 * build.engine 4d or build4d: 4D's BUILD APPLICATION, or Build4D, assembles the applications in place of
 * 4dbuild's assembly steps (marked `assembly` in the pipeline), in a private folder removed afterwards
 * whatever happens (success, failure, interruption). 4dbuild's own steps then run on what it made.
 */
export const engineStep: BuildStep = {
  name: "engine",
  title: "assemble the applications with 4D",
  scope: "build",
  skip: (plan) => (plan.config.build.engine === "native" ? "build.engine is native: 4dbuild assembles the applications" : false),
  async run(context) {
    const { plan } = context;
    const { engine, fourD: configured, build4d } = plan.config.build;
    checkPlatforms(context);
    const tool4d = engine === "build4d" && build4d.runner === "tool4d";
    const found = tool4d
      ? { executable: findTool4d(plan.config.compile.tool4d, context.env, plan.fourD, plan.baseDir, { purpose: "build.build4d.runner is tool4d", setting: "compile.tool4d" }, context.provisioned.tool4d), version: undefined }
      : findFourD(configured, context.env, plan.fourD, plan.baseDir, engine);
    const label = tool4d ? "tool4d" : "4D";
    checkRuntimeBuilds(context, tool4d ? readTool4dVersion(found.executable) : found.version, label);
    const executable = found.executable;
    const folder = createPrivateFolder("engine", temporaryRoot(context.env));
    try {
      if (engine === "4d") await buildWithFourD(context, executable, context.units, folder);
      else await buildWithBuild4D(context, executable, label, context.units, folder);
    } finally {
      await folder.remove();
    }
  },
};
