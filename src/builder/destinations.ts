import path from "node:path";
import { atLeast } from "../four-d/version.js";
import type { ReadonlyBuildPlan, ResolvedConfig } from "../manifest/plan.js";
import type { AppTarget } from "../manifest/targets.js";
import { isAppUnit, type BuildUnit } from "./units.js";

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

/** The main artifact of a unit, relative to the destination folder. */
export function artifactPath(plan: Named, unit: BuildUnit): string {
  const name = plan.config.name;
  if (!isAppUnit(unit)) return unit.target === "compiled" ? `${LAYOUT.compiledFolder}/${name}` : `${LAYOUT.componentsFolder}/${name}.4dbase`;
  const title = applicationTitle(plan, unit.target);
  const folder = unit.target === "standalone" ? LAYOUT.standaloneFolder : LAYOUT.clientServerFolder;
  return unit.platform === "mac" ? `${folder}/${title}.app` : `${folder}/${title}`;
}

/** Folder of a component that holds its structure: Contents/ from 4D 20 R8 on (notarizable layout). */
export function componentContents(out: string, plan: ReadonlyBuildPlan): string {
  const root = path.join(out, artifactPath(plan, { target: "component" }));
  return atLeast(plan.fourD, "20 R8") ? path.join(root, "Contents") : root;
}

/**
 * The one folder a build writes every output into (so that its commit is atomic): output.win on a Windows host,
 * output.mac on any other host (4D's meaning: the destination when building on that system; Linux builds like
 * macOS), each defaulting to output.dir, then <name>_Build beside the project package. --out replaces it.
 */
export function buildDestination(plan: Pick<ReadonlyBuildPlan, "output">, host: NodeJS.Platform = process.platform): string {
  return plan.output[host === "win32" ? "win" : "mac"];
}
