import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { KNOWN_MODULES } from "../../four-d/modules.js";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import type { Platform } from "../../manifest/targets.js";
import { appPaths } from "../app/paths.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, type AppUnit } from "../units.js";

interface ModuleDefinition {
  name: string;
  foldersArray?: string[];
  filesArray?: string[];
}

/**
 * What excluding a module deletes, relative to the application's base: from the 4D's own
 * BuildappOptionalModules.json when modules.definitions names it, else from the documented fallback table.
 */
export function modulePaths(plan: ReadonlyBuildPlan, name: string, platform: Platform): string[] | undefined {
  const definitions = plan.config.modules.definitions;
  if (definitions) {
    const json = JSON.parse(readFileSync(path.resolve(plan.baseDir, definitions), "utf8")) as { modules?: ModuleDefinition[] };
    const found = json.modules?.find((m) => m.name.toLowerCase() === name.toLowerCase());
    return found ? [...(found.foldersArray ?? []), ...(found.filesArray ?? [])] : undefined;
  }
  const known = KNOWN_MODULES.find((m) => m.name.toLowerCase() === name.toLowerCase());
  if (!known || known.paths.length === 0) return undefined;
  return [...known.paths, ...(platform === "mac" ? (known.macPaths ?? []) : [])];
}

const hasExclusions = (plan: ReadonlyBuildPlan) => [plan.config.modules.exclude, plan.config.plugins.exclude, plan.config.plugins.excludeIds, plan.config.components.exclude].some((list) => (list?.length ?? 0) > 0);

/** Removes excluded modules (build-outputs.md §13), components (<name>.4dbase) and plug-ins (<name>.bundle). */
export const exclusionsStep: UnitStep<AppUnit> = {
  name: "exclusions",
  title: "remove excluded modules, plug-ins and components",
  scope: "unit",
  assembly: true,
  appliesTo: isAppUnit,
  skip: (plan) => (hasExclusions(plan) ? false : "nothing is excluded"),
  async run(context, unit) {
    const { plan } = context;
    const { platform } = unit;
    const paths = appPaths(context.out, plan, unit);
    const remove = async (target: string) => rm(target, { recursive: true, force: true });
    for (const name of plan.config.modules.exclude) {
      const relative = modulePaths(plan, name, platform);
      if (!relative) {
        context.warnings.push({ severity: "warning", code: "module-files-unknown", message: `which files the ${name} module has is not known: it is not removed`, hint: "point modules.definitions at the BuildappOptionalModules.json of your 4D" });
        continue;
      }
      for (const entry of relative) await remove(path.join(paths.contents, ...entry.split("/")));
    }
    for (const name of plan.config.components.exclude) await remove(path.join(paths.components, `${name}.4dbase`));
    for (const name of plan.config.plugins.exclude) await remove(path.join(paths.plugins, `${name}.bundle`));
    if (plan.config.plugins.excludeIds.length > 0 && existsSync(paths.plugins))
      context.warnings.push({ severity: "warning", code: "plugin-ids", message: "plug-ins excluded by id are not removed by 4dbuild: only 4D reads plug-in ids", hint: "exclude them by name in plugins.exclude as well" });
  },
};
