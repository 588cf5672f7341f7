import path from "node:path";
import { structureArtifact } from "../context.js";
import { BuildError } from "../../messages/errors.js";
import type { BuildStep } from "../step.js";
import { walkTree } from "../../files/tree.js";
import { writeZip } from "../../archives/zip.js";

/** <Name>.4DZ: a standard zip whose root is Project/ (build-outputs.md §6.1). */
export const packStep: BuildStep = {
  name: "pack",
  title: "pack the structure into <name>.4DZ",
  scope: "build",
  skip: (plan) => (!plan.config.structure.pack ? "structure.pack is false: the structure stays a Project folder" : false),
  async run(context) {
    const { plan } = context;
    if (!plan.config.structure.standardZip)
      throw new BuildError("structure.standardZip: false asks for 4D's non-standard .4DZ format, which only 4D itself can write", "remove standardZip: false, or build with 4D's Build Application");
    const project = structureArtifact(context).path;
    const output = path.join(context.work, `${plan.config.name}.4DZ`);
    const tree = await walkTree(project);
    const entries = [{ name: "Project", kind: "directory" as const, size: 0, executable: false }, ...tree.map((e) => ({ ...e, name: `Project/${e.relative}` }))];
    await writeZip(entries, output, { sourceDate: context.sourceDate, signal: context.signal, pool: context.compressor, onProgress: (files, bytes) => context.logger.progress(files, bytes) });
    context.artifacts.push({ kind: "structure", path: output });
  },
};
