import path from "node:path";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import type { TreeEntry } from "../../files/tree.js";
import { copyTree, removeEmptyFolders } from "../../files/copy.js";
import { compiledCode, SOURCES_RECORD } from "../../four-d/compiled-code.js";
import { APP_TARGETS, type Platform } from "../../manifest/targets.js";
import { BuildError } from "../../messages/errors.js";
import type { BuildStep } from "../step.js";

/** The strip policy (structure.strip in the schema: 4D and Build4D differ) and structure.delete. */
export function stripPolicy(plan: ReadonlyBuildPlan) {
  return { ...plan.config.structure.strip, delete: plan.config.structure.delete.map((p) => p.replace(/\/+$/, "")) };
}

const within = (relative: string, folder: string) => relative === folder || relative.startsWith(`${folder}/`);

/** Whether a file or folder of Project/ goes into the built structure (build-outputs.md §6.2). */
export function keepInStructure(entry: Pick<TreeEntry, "relative" | "kind">, policy: ReturnType<typeof stripPolicy>): boolean {
  const { relative, kind } = entry;
  if (within(relative, "Sources/Methods") || within(relative, "Sources/Classes")) return false;
  if (kind === "file" && /\.4dm$/i.test(relative)) return false;
  if (policy.trash && within(relative, "Trash")) return false;
  if (policy.hiddenFiles && relative.split("/").some((segment) => segment.startsWith("."))) return false;
  if (policy.foldersJson && relative === "Sources/folders.json") return false;
  if (policy.dependenciesJson && relative === "Sources/dependencies.json") return false;
  if (relative === `DerivedData/${SOURCES_RECORD}`) return false; // 4dbuild's record of the compiled sources
  return !policy.delete.some((deleted) => within(relative, deleted));
}

/**
 * What stand-alone and server structures leave out (relative to Project/): Build4D removes Sources/dependencies.json
 * from them, their components being embedded at build time (4d/Build4D@bfd39383c13b3b6ee81f8d4a59fa4415d11628f7:
 * Build4D/Project/Sources/Classes/_core.4dm, _createStructure); compiled structures and components keep it.
 */
export const APPLICATION_DROPS: readonly string[] = ["Sources/dependencies.json"];

/** Whether a file of the staged Project/ goes into a stand-alone or server structure. */
export const keepInApplication = (relative: string): boolean => !APPLICATION_DROPS.includes(relative);

/**
 * 4D's builder refuses a project without compiled code; so does this one. A Windows application needs Intel code
 * (Project/DerivedData/CompiledCode): a structure holding only Apple Silicon code is refused for it.
 * validate and plan report both at compile.enabled before a build starts (rules/compile.ts).
 */
export function requireCompiledCode(plan: ReadonlyBuildPlan, platforms: readonly Platform[]): void {
  const code = compiledCode(plan.packageDir);
  if (!code.intel && !code.appleSilicon)
    throw new BuildError(
      `the project has no compiled code: neither Project/DerivedData/CompiledCode nor Libraries/lib4d-arm64.dylib exists in ${plan.packageDir}`,
      "compile it in 4D (Design > Compiler) or let 4dbuild compile it: compile.enabled: true with tool4d",
    );
  if (!code.intel && platforms.includes("win"))
    throw new BuildError(`the project holds only Apple Silicon code (Libraries/lib4d-arm64.dylib, no Project/DerivedData/CompiledCode), which Windows applications cannot run`, "compile with the x86_64 target (compile.enabled: true, or in 4D) before building for Windows");
}

export const structureStep: BuildStep = {
  name: "structure",
  title: "copy the project and strip its sources",
  scope: "build",
  assembly: true,
  async run(context) {
    const { plan } = context;
    requireCompiledCode(plan, [...new Set(APP_TARGETS.flatMap((t) => plan.targets[t]?.platforms ?? []))]);
    const policy = stripPolicy(plan);
    const target = path.join(context.work, "Project");
    let files = 0;
    let bytes = 0;
    await copyTree(path.join(plan.packageDir, "Project"), target, {
      sourceDate: context.sourceDate,
      boundary: plan.packageDir,
      signal: context.signal,
      keep: (entry) => keepInStructure(entry, policy),
      onFile: (size) => context.logger.progress(++files, (bytes += size)),
    });
    if (policy.emptyFolders) await removeEmptyFolders(target);
    context.artifacts.push({ kind: "structure", path: target });
  },
};
