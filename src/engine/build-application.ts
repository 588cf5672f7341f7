import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type { BuildContext } from "../builder/context.js";
import { artifactPath } from "../builder/destinations.js";
import type { BuildUnit } from "../builder/units.js";
import { copyTree } from "../files/copy.js";
import { packageRoot } from "../files/package-root.js";
import type { PrivateFolder } from "../files/private-folder.js";
import { BuildError } from "../messages/errors.js";
import { collectEngineOutputs } from "./outputs.js";
import { reportEngineResult, runEngineMethod } from "./run.js";
import { engineHost, engineSettings } from "./settings.js";

/** The temporary methods added to the copy of the project (templates/engine/). */
export const ENGINE_METHODS = { build: "fourdbuild_build", error: "fourdbuild_error" } as const;

/**
 * Copies the project package into the private folder (not its Logs: 4D writes the build log there), and adds
 * the engine's methods to the copy. A project that has a method of that name already is refused rather than
 * changed.
 */
export async function privateProjectCopy(context: BuildContext, folder: PrivateFolder): Promise<{ packageCopy: string; projectFile: string }> {
  const { plan } = context;
  const packageCopy = path.join(folder.path, path.basename(plan.packageDir));
  await copyTree(plan.packageDir, packageCopy, { sourceDate: context.sourceDate, boundary: plan.packageDir, links: "keep", signal: context.signal, keep: (e) => e.relative !== "Logs" });
  const methods = path.join(packageCopy, "Project", "Sources", "Methods");
  await mkdir(methods, { recursive: true });
  for (const method of Object.values(ENGINE_METHODS)) {
    const target = path.join(methods, `${method}.4dm`);
    if (existsSync(target)) throw new BuildError(`the project has a method named ${method}, the name 4dbuild gives its temporary method`, "rename that method");
    await copyFile(path.join(packageRoot(), "templates", "engine", `${method}.4dm`), target);
  }
  return { packageCopy, projectFile: path.join(packageCopy, "Project", path.basename(plan.projectFile)) };
}

/**
 * build.engine: 4d. 4D runs BUILD APPLICATION on a private copy of the project with the generated settings, real
 * values included: the settings file is written 0600 into the private folder and nowhere else; the caller
 * removes the folder whatever happens. Then 4D's log becomes diagnostics and its outputs move into staging.
 */
export async function buildWithFourD(context: BuildContext, fourD: string, units: readonly BuildUnit[], folder: PrivateFolder): Promise<void> {
  const { plan } = context;
  const { packageCopy, projectFile } = await privateProjectCopy(context, folder);
  const destination = path.join(folder.path, "out");
  await mkdir(destination);
  const { xml, problems } = engineSettings(plan, { host: engineHost(), packageCopy, destination, units, runtimes: context.provisioned.runtimes });
  if (problems.length > 0) throw new BuildError(`the settings for 4D cannot be written: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`, problems.find((p) => p.hint)?.hint);
  const settings = folder.writeSecretFile("buildApp.4DSettings", xml);
  const result = await runEngineMethod(context, fourD, projectFile, ENGINE_METHODS.build, { settings, result: path.join(folder.path, "result.json") }, "4D");
  await reportEngineResult(context, result, "4D");
  await collectEngineOutputs(context, units, (unit) => ({ root: destination, path: path.join(destination, ...artifactPath(plan, unit).split("/")) }));
}
