import { existsSync, statSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import path from "node:path";
import { copyTree } from "../files/copy.js";
import type { BuildContext } from "./context.js";

/**
 * Files of the project package (beside Project/) that a built component keeps, beside its .4DZ, Libraries and
 * Resources, each with where the rule comes from. 4DPop components built by 4D 21 and committed with their build
 * keep their package's root <Name>.htm, Documentation/ and Macros v2/, and leave README.md, LICENSE, Preferences/,
 * Settings/ and make.json out (vdelachaux/4DPop-Macros@b963eb05bacfac87632670549704896383a62944: BUILD/Components/
 * 4DPop Macros.4dbase/Contents/; vdelachaux/4DPop-AppMaker@b7d2654a9d44b10ce39c23b878b30fbf3652f5d5: BUILD/Components/
 * 4DPop AppMaker.4dbase/Contents/). Build4D copies logo.png and logo.svg from the package root
 * (4d/Build4D@bfd39383c13b3b6ee81f8d4a59fa4415d11628f7: Build4D/Project/Sources/Classes/Component.4dm, _rootFileNames);
 * the 21 R2 custom icon of the Dependencies panel is Resources/logo.svg or logo.png, copied with Resources
 * (4d/docs@865f8e70a8722dbb9aab7c532f3d050e5688d629: versioned_docs/version-21-R2/Extensions/develop-components.md,
 * "Custom icon").
 */
export function componentRootItems(projectName: string): { name: string; source: string }[] {
  return [
    { name: `${projectName}.htm`, source: "4DPop components built by 4D 21" },
    { name: "Documentation", source: "4DPop components built by 4D 21" },
    { name: "Macros v2", source: "4DPop components built by 4D 21" },
    { name: "logo.png", source: "Build4D" },
    { name: "logo.svg", source: "Build4D" },
  ];
}

/** Copies each root item the project package has into the component's folder (Contents/ from 20 R8, else the package). */
export async function placeComponentExtras(context: BuildContext, folder: string): Promise<void> {
  const { plan } = context;
  const projectName = path.basename(plan.projectFile).replace(/\.4DProject$/i, "");
  for (const { name } of componentRootItems(projectName)) {
    const source = path.join(plan.packageDir, name);
    if (!existsSync(source)) continue;
    if (statSync(source).isDirectory()) await copyTree(source, path.join(folder, name), { sourceDate: context.sourceDate, boundary: plan.packageDir, signal: context.signal });
    else await copyFile(source, path.join(folder, name));
  }
}
