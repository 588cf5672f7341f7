import { provisionRuntimeArchive } from "../../toolchain/runtime-archives.js";
import { installTool4d } from "../../toolchain/tool4d-install.js";
import { locateRuntime, provisioningNeeded, runtimeKind, tool4dAuto } from "../provision.js";
import type { BuildStep } from "../step.js";
import { isAppUnit, unitName } from "../units.js";

const FROM = { cache: "from the cache", download: "downloaded", unpack: "unpacked" } as const;

/**
 * Puts in place what the build needs from elsewhere, before any other step: tool4d (compile.tool4d: auto) and
 * the runtimes given as archives or downloads, in 4dbuild's cache (docs/toolchain.md). The plan is not
 * changed: the paths go into the build context, where the compile, licence and runtime steps read them.
 */
export const provisionStep: BuildStep = {
  name: "provision",
  title: "download or unpack tool4d and the runtimes into the cache",
  scope: "build",
  skip: (plan) => (provisioningNeeded(plan) ? false : "nothing to download or unpack: tool4d and the runtimes are given as folders"),
  async run(context) {
    const { plan, logger } = context;
    const common = { env: context.env, signal: context.signal, log: (message: string) => logger.info(`  ${message}`), onProgress: (bytes: number) => logger.progress(1, bytes) };
    if (tool4dAuto(plan, context.units)) {
      const build = context.env.FOURDBUILD_TOOL4D_BUILD || "latest";
      const found = await installTool4d(plan.fourD, build, common);
      context.provisioned.tool4d = found.executable;
      logger.info(`  tool4d ${plan.fourD.text} build ${found.build}: ${FROM[found.from]}: ${found.executable}`);
    }
    for (const unit of context.units) {
      if (!isAppUnit(unit)) continue;
      const source = plan.targets[unit.target]!.runtime[unit.platform];
      if (!source || source.kind === "folder") continue;
      const field = `targets.${unit.target}.runtime.${unit.platform}`;
      const got = await provisionRuntimeArchive(source, field, common);
      const folder = locateRuntime(got.folder, { platform: unit.platform, kind: runtimeKind(unit), field });
      context.provisioned.runtimes.set(unitName(unit), folder);
      logger.info(`  ${field}: ${FROM[got.from]}: ${folder}`);
    }
  },
};
