import { existsSync, statSync } from "node:fs";
import { copyFile, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { copyTree } from "../../files/copy.js";
import { appPaths } from "../app/paths.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, type AppUnit } from "../units.js";

const filesOf = (plan: Parameters<NonNullable<UnitStep["skip"]>>[0], unit: AppUnit) => plan.config.targets[unit.target]?.files;

/** A path of the manifest ("/" separated, relative, no "..": the schema's pattern) inside the application's base. */
const inside = (base: string, relative: string) => path.join(base, ...relative.split("/").filter((s) => s !== "" && s !== "."));

/**
 * targets.<application>.files: Build4D's includePaths and deletePaths (_core.4dm _manageSettingsPaths), anywhere
 * inside the built application, relative to its base (Contents/ on macOS, the folder on Windows). After the
 * layout and exclusions, before licences and signing, as Build4D runs them. A path to delete that is not there is
 * a warning (Build4D logs it and goes on).
 */
export const appPathsStep: UnitStep<AppUnit> = {
  name: "app-paths",
  title: "add and remove files inside the application",
  scope: "unit",
  appliesTo: isAppUnit,
  skip: (plan, unit) => {
    const files = filesOf(plan, unit);
    return (files?.include.length ?? 0) + (files?.delete.length ?? 0) > 0 ? false : `targets.${unit.target}.files adds and removes nothing`;
  },
  async run(context, unit) {
    const { plan } = context;
    const files = filesOf(plan, unit)!;
    const base = appPaths(context.out, plan, unit).contents;
    for (const include of files.include) {
      const source = path.resolve(plan.baseDir, include.from);
      const target = path.join(inside(base, include.to), path.basename(source));
      await mkdir(path.dirname(target), { recursive: true });
      if (statSync(source).isFile()) await copyFile(source, target);
      else await copyTree(source, target, { sourceDate: context.sourceDate, boundary: plan.baseDir, signal: context.signal });
    }
    for (const relative of files.delete) {
      const target = inside(base, relative);
      if (!existsSync(target)) {
        context.warnings.push({ severity: "warning", code: "delete-missing", message: `targets.${unit.target}.files.delete: ${relative} is not in the ${unit.platform} application` });
        continue;
      }
      await rm(target, { recursive: true, force: true });
    }
  },
};
