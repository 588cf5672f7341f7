import { existsSync, statSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { atLeast } from "../../four-d-version.js";
import { structureArtifact, type BuildContext } from "../context.js";
import { copyTree, stampDirectories } from "../fs-utils.js";
import { artifactPath } from "../layout.js";
import type { Step } from "../step.js";
import type { BuildUnit } from "../pipeline.js";

/** Folder of a component that holds its structure: Contents/ from 4D 20 R8 on (notarizable layout). */
export function componentContents(context: BuildContext): string {
  const root = path.join(context.out, artifactPath("component", context.plan.name, undefined));
  return atLeast(context.plan.fourD, "20 R8") ? path.join(root, "Contents") : root;
}

async function copyInto(context: BuildContext, source: string, destination: string): Promise<void> {
  if (!existsSync(source)) return;
  await copyTree(source, destination, { sourceDate: context.sourceDate, boundary: context.plan.packageDir, signal: context.signal });
}

/** The staged structure (.4DZ, or Project folder when not packed), Libraries, and the extra includes. */
async function placeStructure(context: BuildContext, folder: string): Promise<void> {
  const { plan } = context;
  const structure = structureArtifact(context).path;
  await mkdir(folder, { recursive: true });
  if (structure.endsWith(".4DZ")) await copyFile(structure, path.join(folder, `${plan.name}.4DZ`));
  else await copyInto(context, structure, path.join(folder, "Project"));
  await copyInto(context, path.join(plan.packageDir, "Libraries"), path.join(folder, "Libraries"));
  for (const include of plan.manifest.structure?.include ?? []) {
    const source = path.resolve(plan.baseDir, include.from);
    const target = path.join(folder, include.to ?? path.basename(source));
    if (statSync(source).isFile()) {
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(source, target);
    } else await copyInto(context, source, target);
  }
}

export const layoutStep: Step = {
  name: "layout",
  title: "lay out the target's folder",
  scope: "unit",
  implementedFor: (unit) => unit.target === "compiled" || unit.target === "component",
  async run(context, unit?: BuildUnit) {
    const { plan } = context;
    if (unit!.target === "compiled") {
      const folder = path.join(context.out, artifactPath("compiled", plan.name, undefined));
      await placeStructure(context, folder);
      if (plan.targets.compiled?.associatedFolders) {
        for (const name of ["Components", "Plugins", "Resources"]) await copyInto(context, path.join(plan.packageDir, name), path.join(folder, name));
      }
      await stampDirectories(folder, context.sourceDate);
      context.artifacts.push({ kind: "target", target: "compiled", path: folder });
    } else if (unit!.target === "component") {
      const contents = componentContents(context);
      await placeStructure(context, contents);
      await copyInto(context, path.join(plan.packageDir, "Resources"), path.join(contents, "Resources"));
      const root = path.join(context.out, artifactPath("component", plan.name, undefined));
      await stampDirectories(root, context.sourceDate);
      context.artifacts.push({ kind: "target", target: "component", path: root });
    }
  },
};
