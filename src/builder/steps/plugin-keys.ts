import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Platform } from "../../manifest/plan.js";
import { appPaths } from "../app/paths.js";
import { applicationTitle, type AppTarget } from "../app/metadata.js";
import { qlcFileName } from "../app/plugin-keys.js";
import type { Step } from "../step.js";

export const PLUGIN_KEYS_FOLDER = "Plug-in Keys";
const KIND_OF: Record<string, "runtime" | "serverExpansion"> = { standalone: "runtime", server: "serverExpansion" };

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
export const pluginKeysStep: Step = {
  name: "plugin-keys",
  title: "write the plug-in key files",
  scope: "unit",
  appliesTo: (unit) => unit.target === "standalone" || unit.target === "server",
  skip: (plan, unit) => ((plan.manifest.plugins?.keys ?? []).some((k) => k.kind === KIND_OF[unit!.target]) ? false : `no ${KIND_OF[unit!.target]} plug-in key is listed`),
  async run(context, unit) {
    const { plan } = context;
    const target = unit!.target as AppTarget;
    const platform = unit!.platform!;
    const title = applicationTitle(plan, target);
    const file = qlcFileName(platform === "win" ? `${title}.exe` : title);
    const folder = path.join(path.dirname(appPaths(context.out, plan, target, platform).root), PLUGIN_KEYS_FOLDER);
    await mkdir(folder, { recursive: true });
    for (const entry of plan.manifest.plugins?.keys ?? []) {
      if (entry.kind !== KIND_OF[target]) continue;
      const name = (plan.manifest.plugins!.keys!.filter((k) => k.kind === entry.kind).length > 1 ? `${entry.plugin}/` : "") + file;
      const output = path.join(folder, ...name.split("/"));
      await mkdir(path.dirname(output), { recursive: true });
      await writeFile(output, `${entry.key}\n`, { mode: 0o600 });
      context.artifacts.push({ kind: "plugin-key", path: output, target, platform, plugin: entry.plugin, installTo: keyInstallPath(title, file, platform) });
    }
    context.artifacts.push({ kind: "target", target, platform, path: folder });
  },
};
