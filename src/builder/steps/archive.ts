import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import { appPaths } from "../app/paths.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, type AppUnit } from "../units.js";
import { walkTree } from "../../files/tree.js";
import { writeTarGz } from "../../archives/tar.js";
import { writeZip } from "../../archives/zip.js";

const archiveFormats = (plan: ReadonlyBuildPlan) => plan.config.output.archives;

export const ARCHIVES_FOLDER = "Archives";

/**
 * The distributable archives of an application: Archives/<Name>-<target>-<platform>.zip (and .tar.gz) holding
 * the application (the .app package or the folder) with its symbolic links, reproducible like the .4DZ.
 */
export const archiveStep: UnitStep<AppUnit> = {
  name: "archive",
  title: "make the distributable archive",
  scope: "unit",
  appliesTo: isAppUnit,
  skip: (plan) => (archiveFormats(plan).length === 0 ? "output.archives is empty" : false),
  async run(context, unit) {
    const { plan } = context;
    const { target, platform } = unit;
    const { root } = appPaths(context.out, plan, unit);
    const top = path.basename(root);
    const tree = await walkTree(root, root, "keep");
    const folder = path.join(context.out, ARCHIVES_FOLDER);
    await mkdir(folder, { recursive: true });
    const entries = [{ name: top, kind: "directory" as const, size: 0, executable: false }, ...tree.map((e) => ({ ...e, name: `${top}/${e.relative}` }))];
    // The zip and the tar.gz are written at once: they share the build's compressor threads. The zip reads the
    // files in those threads and records their SHA-256 on the way; the tar.gz does when it is the only one.
    const formats = archiveFormats(plan);
    const outputs = formats.map((format) => path.join(folder, `${plan.config.name}-${target}-${platform}.${format}`));
    const common = { sourceDate: context.sourceDate, signal: context.signal, pool: context.compressor, digests: context.digests };
    await Promise.all(
      formats.map((format, i) =>
        format === "zip"
          ? writeZip(entries, outputs[i]!, { ...common, digestInputs: true, onProgress: (files, bytes) => context.logger.progress(files, bytes) })
          : writeTarGz(entries, outputs[i]!, { ...common, digestInputs: !formats.includes("zip") }),
      ),
    );
    for (const output of outputs) context.artifacts.push({ kind: "target", target, platform, path: output });
  },
};
