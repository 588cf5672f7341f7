import path from "node:path";
import { atLeast } from "../four-d/version.js";
import type { ReadonlyBuildPlan, ResolvedConfig } from "../manifest/plan.js";
import { BuildError } from "../messages/errors.js";
import { placeInFolder, unitPlace } from "../manifest/naming.js";
import { isAppUnit, type BuildUnit } from "./units.js";

export { applicationTitle, LAYOUT } from "../manifest/naming.js";

type Named = { readonly config: Pick<ResolvedConfig, "name" | "naming"> };

/**
 * The main artifact of a unit, relative to the destination folder. A name that would put it elsewhere than in
 * its target's folder (`..`, a path) is refused here too, whoever made the plan: validate reports it located.
 */
export function artifactPath(plan: Named, unit: BuildUnit): string {
  const place = unitPlace(plan, unit.target, isAppUnit(unit) ? unit.platform : undefined);
  if (placeInFolder(place) !== place.path)
    throw new BuildError(`the ${unit.target} would be written to ${place.path}, not inside ${place.folder}/ of the output folder`, "give the application a plain name (name, naming.server, naming.client): no /, \\ or ..");
  return place.path;
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
