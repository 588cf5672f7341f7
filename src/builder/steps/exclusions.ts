import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { KNOWN_MODULES } from "../../four-d/modules.js";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import type { Platform } from "../../manifest/targets.js";
import { appPaths } from "../app/paths.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, type AppUnit } from "../units.js";
import type { BuildContext } from "../context.js";
import { pluginsWithIds } from "../app/plugins.js";

interface ModuleDefinition {
  name: string;
  foldersArray?: string[];
  filesArray?: string[];
}

/**
 * The module definition files to read: modules.definitions, else the ones of the tool4d the build runs
 * (Resources/ beside bin/, or Contents/Resources of tool4d.app: where Build4D, run by tool4d, reads them from its
 * own Application file; that tool4d ships them is inferred). On Windows, BuildappWindowsAppRuntimeFiles.json
 * beside it adds the Windows App Runtime, as Build4D merges it (4d/Build4D@bfd39383 _core.4dm _excludeModules).
 */
export function moduleDefinitionFiles(plan: ReadonlyBuildPlan, platform: Platform, tool4d?: string): string[] {
  const configured = plan.config.modules.definitions;
  const main = configured ? path.resolve(plan.baseDir, configured) : tool4d ? path.join(path.dirname(path.dirname(tool4d)), "Resources", "BuildappOptionalModules.json") : undefined;
  if (!main || !existsSync(main)) return [];
  const runtimeFiles = path.join(path.dirname(main), "BuildappWindowsAppRuntimeFiles.json");
  return platform === "win" && existsSync(runtimeFiles) ? [main, runtimeFiles] : [main];
}

/**
 * What excluding a module deletes, relative to the application's base: from 4D's own definition files when
 * there are some (moduleDefinitionFiles), else from the documented fallback table (four-d/modules.ts).
 */
export function modulePaths(plan: ReadonlyBuildPlan, name: string, platform: Platform, tool4d?: string): string[] | undefined {
  const files = moduleDefinitionFiles(plan, platform, tool4d);
  const same = (other: string) => other.toLowerCase() === name.toLowerCase();
  for (const file of files) {
    const json = JSON.parse(readFileSync(file, "utf8")) as { modules?: ModuleDefinition[] };
    const found = json.modules?.find((m) => same(m.name));
    if (found) return [...(found.foldersArray ?? []), ...(found.filesArray ?? [])];
  }
  if (plan.config.modules.definitions) return undefined;
  const known = KNOWN_MODULES.find((m) => same(m.name));
  const paths = known ? [...known.paths, ...((platform === "mac" ? known.macPaths : known.winPaths) ?? [])] : [];
  return paths.length > 0 ? paths : undefined;
}

/** The tool4d a build runs, when it has one: downloaded (auto), configured, or TOOL4D. */
const buildTool4d = (context: BuildContext): string | undefined => {
  const configured = context.plan.config.compile.tool4d;
  return context.provisioned.tool4d ?? (configured && configured !== "auto" ? path.resolve(context.plan.baseDir, configured) : undefined) ?? context.env.TOOL4D;
};

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
      const relative = modulePaths(plan, name, platform, buildTool4d(context));
      if (!relative) {
        context.warnings.push({ severity: "warning", code: "module-files-unknown", message: `which files the ${name} module has ${platform === "mac" ? "on macOS " : "on Windows "}is not known: it is not removed`, hint: "point modules.definitions at the BuildappOptionalModules.json of your 4D" });
        continue;
      }
      for (const entry of relative) await remove(path.join(paths.contents, ...entry.split("/")));
    }
    if (platform === "win" && plan.config.modules.exclude.some((m) => m.toLowerCase() === "windows app runtime"))
      context.warnings.push({ severity: "warning", code: "remove-fluent-ui", message: "Build4D also sets a removeFluentUI flag on the executable when the Windows App Runtime is excluded; how 4D stores that flag is not documented, so 4dbuild does not set it", hint: "check that the application starts without the Windows App Runtime, or build it with 4D's own builder (build.engine: 4d)" });
    for (const name of plan.config.components.exclude) await remove(path.join(paths.components, `${name}.4dbase`));
    for (const name of plan.config.plugins.exclude) await remove(path.join(paths.plugins, `${name}.bundle`));
    const ids = new Set(plan.config.plugins.excludeIds);
    if (ids.size === 0) return;
    for (const { bundle, id } of pluginsWithIds(paths.plugins)) {
      if (id !== undefined && ids.has(id)) await remove(bundle);
      else if (id === undefined)
        context.warnings.push({ severity: "warning", code: "plugin-id-unknown", message: `the plug-in ${path.basename(bundle)} has no readable id (manifest.json): plugins.excludeIds cannot apply to it, it is kept`, hint: "exclude it by name in plugins.exclude" });
    }
  },
};
