import path from "node:path";
import type { ResolvedConfig } from "./plan.js";
import type { AppTarget, Platform, TargetName } from "./targets.js";

/** Where 4D puts each target inside the destination folder (build-outputs.md §1–5). */
export const LAYOUT = {
  compiledFolder: "Compiled Database",
  componentsFolder: "Components",
  standaloneFolder: "Final Application",
  clientServerFolder: "Client Server executable",
} as const;

type Named = { readonly config: Pick<ResolvedConfig, "name" | "naming"> };

/**
 * The application's name: folder, package, executable. The server and client patterns are uncertain in the
 * reference ("<Name> Server" vs "<Name>Server"), hence naming.server / naming.client.
 */
export function applicationTitle(plan: Named, target: AppTarget): string {
  if (target === "standalone") return plan.config.name;
  return plan.config.naming[target].replaceAll("{name}", plan.config.name);
}

/** The folder a unit's output goes in, and its path in the destination as the names make it (not yet checked). */
export function unitPlace(plan: Named, target: TargetName, platform?: Platform): { folder: string; path: string } {
  const name = plan.config.name;
  if (target === "compiled") return { folder: LAYOUT.compiledFolder, path: `${LAYOUT.compiledFolder}/${name}` };
  if (target === "component") return { folder: LAYOUT.componentsFolder, path: `${LAYOUT.componentsFolder}/${name}.4dbase` };
  const folder = target === "standalone" ? LAYOUT.standaloneFolder : LAYOUT.clientServerFolder;
  const title = applicationTitle(plan, target);
  return { folder, path: platform === "mac" ? `${folder}/${title}.app` : `${folder}/${title}` };
}

/**
 * Where a name puts an output, as a place: the path normalised with both separators (Windows reads `\` as one),
 * or undefined when it leaves its folder (`..`, an absolute path, the folder itself). A name is only a name.
 */
export function placeInFolder(place: { folder: string; path: string }): string | undefined {
  const normal = path.posix.normalize(place.path.replaceAll("\\", "/"));
  return normal.startsWith(`${place.folder}/`) && !/^[a-zA-Z]:/.test(normal) ? normal : undefined;
}
