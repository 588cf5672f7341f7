import { mkdir } from "node:fs/promises";
import path from "node:path";
import { structureArtifact, type BuildContext } from "../context.js";
import { BuildError } from "../../messages/errors.js";
import type { BuildStep } from "../step.js";
import { walkTree, type TreeEntry } from "../../files/tree.js";
import { writeZip } from "../../archives/zip.js";
import { keepInApplication } from "./structure.js";

/** Zips the entries of a Project folder into a .4DZ (a standard zip whose root is Project/, build-outputs.md §6.1). */
export async function packProject(context: BuildContext, tree: readonly TreeEntry[], output: string): Promise<void> {
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
      throw new BuildError(
        "structure.standardZip: false asks for 4D's obfuscated .4DZ, which 4D writes with ZIP Create archive and an undocumented encryption mode (Build4D's obfuscated: true); 4dbuild's native builder cannot write it: it needs 4D's own builder (build.engine: 4d)",
        "set build.engine: 4d, or remove standardZip: false to ship a standard .4DZ",
      );
    const project = structureArtifact(context).path;
    const output = path.join(context.work, `${plan.config.name}.4DZ`);
    const tree = await walkTree(project);
    await packProject(context, tree, output);
    context.artifacts.push({ kind: "structure", path: output });
    const forApplications = tree.filter((e) => keepInApplication(e.relative));
    if (forApplications.length === tree.length || !context.units.some((u) => u.target === "standalone" || u.target === "server")) return;
    const own = path.join(context.work, "applications", `${plan.config.name}.4DZ`);
    await mkdir(path.dirname(own), { recursive: true });
    await packProject(context, forApplications, own);
    context.artifacts.push({ kind: "app-structure", path: own });
  },
};
