import { existsSync } from "node:fs";
import { copyFile, readFile } from "node:fs/promises";
import path from "node:path";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import { appPaths, editExecutable } from "../app/paths.js";
import { applicationTitle } from "../destinations.js";
import { mergeInfoPlist } from "../app/bundle-files.js";
import { editWindowsExecutable } from "../app/pe-resources.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, type AppUnit } from "../units.js";

/**
 * The icon of an application (build-outputs.md §11): the target's own for that platform, else for the
 * stand-alone application <ProjectName>.icns / .ico beside the project, when there is one.
 */
export function iconFor(plan: ReadonlyBuildPlan, unit: AppUnit): string | undefined {
  const { target } = unit;
  const own = plan.targets[target]?.icon[unit.platform];
  if (own) return own;
  const conventional = path.join(plan.packageDir, `${path.basename(plan.projectFile, ".4DProject")}.${unit.platform === "mac" ? "icns" : "ico"}`);
  return target === "standalone" && existsSync(conventional) ? conventional : undefined;
}

/** macOS: <Title>.icns in Resources (renamed, as 4D's documentation says), CFBundleIconFile, the window icon. Windows: the executable's icon, and <Title>.ico beside it. */
export const iconStep: UnitStep<AppUnit> = {
  name: "icon",
  title: "install the icon",
  scope: "unit",
  assembly: true,
  appliesTo: isAppUnit,
  skip: (plan, unit) => (iconFor(plan, unit) ? false : "no icon configured and no default icon beside the project"),
  async run(context, unit) {
    const { plan } = context;
    const { target, platform } = unit;
    const icon = iconFor(plan, unit)!;
    const paths = appPaths(context.out, plan, unit);
    // naming.icon: 4D's documentation renames the icon after the application; "source" keeps its name.
    const base = plan.config.naming.icon === "source" ? path.basename(icon, path.extname(icon)) : applicationTitle(plan, target);
    if (platform === "mac") {
      await copyFile(icon, path.join(paths.resources, `${base}.icns`));
      await mergeInfoPlist(paths.infoPlist, { CFBundleIconFile: `${base}.icns` });
      const windowIcon = path.join(paths.resources, "Images", "WindowIcons", "windowIcon_205.icns");
      if (existsSync(windowIcon)) await copyFile(icon, windowIcon);
    } else {
      const ico = await readFile(icon);
      await editExecutable(paths.executable, (binary) => editWindowsExecutable(binary, undefined, ico));
      await copyFile(icon, path.join(paths.root, `${base}.ico`));
    }
  },
};
