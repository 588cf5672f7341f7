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
    for (const format of archiveFormats(plan)) {
      const output = path.join(folder, `${plan.config.name}-${target}-${platform}.${format}`);
      if (format === "zip") await writeZip(entries, output, { sourceDate: context.sourceDate, signal: context.signal, onProgress: (files, bytes) => context.logger.progress(files, bytes) });
      else await writeTarGz(entries, output, { sourceDate: context.sourceDate, signal: context.signal });
      context.artifacts.push({ kind: "target", target, platform, path: output });
    }
  },
};
