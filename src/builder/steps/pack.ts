import { mkdir } from "node:fs/promises";
import path from "node:path";
import { structureArtifact } from "../context.js";
import { BuildError } from "../../messages/errors.js";
import type { BuildStep } from "../step.js";
import { walkTree } from "../../files/tree.js";
import { writeZip } from "../../archives/zip.js";
import type { TreeEntry } from "../../files/tree.js";
import { keepInApplication } from "./structure.js";

async function pack(tree: readonly TreeEntry[], output: string, context: Parameters<BuildStep["run"]>[0]): Promise<void> {
  const entries = [{ name: "Project", kind: "directory" as const, size: 0, executable: false }, ...tree.map((e) => ({ ...e, name: `Project/${e.relative}` }))];
  await writeZip(entries, output, { sourceDate: context.sourceDate, signal: context.signal, pool: context.compressor, onProgress: (files, bytes) => context.logger.progress(files, bytes) });
}

/**
 * <Name>.4DZ: a standard zip whose root is Project/ (build-outputs.md §6.1). When stand-alone or server
 * applications are built and the structure holds a file they leave out (dependencies.json), they get a .4DZ of
 * their own, without it.
 */
export const packStep: BuildStep = {
  name: "pack",
  title: "pack the structure into <name>.4DZ",
  scope: "build",
  assembly: true,
  skip: (plan) => (!plan.config.structure.pack ? "structure.pack is false: the structure stays a Project folder" : false),
  async run(context) {
    const { plan } = context;
    if (!plan.config.structure.standardZip)
      throw new BuildError("structure.standardZip: false asks for 4D's non-standard .4DZ format, which only 4D itself can write", "remove standardZip: false, or build with 4D's Build Application");
    const project = structureArtifact(context).path;
    const output = path.join(context.work, `${plan.config.name}.4DZ`);
    const tree = await walkTree(project);
    await pack(tree, output, context);
    context.artifacts.push({ kind: "structure", path: output });
    const forApplications = tree.filter((e) => keepInApplication(e.relative));
    if (forApplications.length === tree.length || !context.units.some((u) => u.target === "standalone" || u.target === "server")) return;
    const own = path.join(context.work, "applications", `${plan.config.name}.4DZ`);
    await mkdir(path.dirname(own), { recursive: true });
    await pack(forApplications, own, context);
    context.artifacts.push({ kind: "app-structure", path: own });
  },
};
