import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Platform } from "../../manifest/targets.js";
import { appPaths } from "../app/paths.js";
import { qlcFileName } from "../app/plugin-keys.js";
import { applicationTitle } from "../destinations.js";
import type { UnitStep } from "../step.js";
import { unitsOf, type AppUnit } from "../units.js";

export const PLUGIN_KEYS_FOLDER = "Plug-in Keys";
const KIND_OF = { standalone: "runtime", server: "serverExpansion" } as const;

/**
 * Where an end-user key file goes on a user's machine: the Escape folder of the application's Active 4D Folder
 * (licenses-and-ci.md §3.3, inferred: the merged application's name names that folder).
 */
export function keyInstallPath(title: string, file: string, platform: Platform): string {
  return platform === "mac" ? `~/Library/Application Support/${title}/Escape/${file}` : `%APPDATA%\\${title}\\Escape\\${file}`;
}

/**
 * Plug-in end-user keys beside the application, in Plug-in Keys/, each named by the vendor's rule from the
 * built executable's name (which the build changes). The report says where each must be installed.
 */
export const pluginKeysStep: UnitStep<AppUnit<"standalone" | "server">> = {
  name: "plugin-keys",
  title: "write the plug-in key files",
  scope: "unit",
  appliesTo: unitsOf("standalone", "server"),
  skip: (plan, unit) => (plan.config.plugins.keys.some((k) => k.kind === KIND_OF[unit.target]) ? false : `no ${KIND_OF[unit.target]} plug-in key is listed`),
  async run(context, unit) {
    const { plan } = context;
    const { target, platform } = unit;
    const title = applicationTitle(plan, target);
    const file = qlcFileName(platform === "win" ? `${title}.exe` : title);
    const folder = path.join(path.dirname(appPaths(context.out, plan, unit).root), PLUGIN_KEYS_FOLDER);
    await mkdir(folder, { recursive: true });
    const keys = plan.config.plugins.keys.filter((k) => k.kind === KIND_OF[target]);
    for (const entry of keys) {
      const name = (keys.length > 1 ? `${entry.plugin}/` : "") + file;
      const output = path.join(folder, ...name.split("/"));
      await mkdir(path.dirname(output), { recursive: true });
      await writeFile(output, `${entry.key}\n`, { mode: 0o600 });
      context.artifacts.push({ kind: "plugin-key", path: output, target, platform, plugin: entry.plugin, installTo: keyInstallPath(title, file, platform) });
    }
    context.artifacts.push({ kind: "target", target, platform, path: folder });
  },
};
