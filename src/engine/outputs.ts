import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { BuildContext } from "../builder/context.js";
import { artifactPath } from "../builder/destinations.js";
import { isAppUnit, unitName, type BuildUnit } from "../builder/units.js";
import { copyTree } from "../files/copy.js";
import { BuildError } from "../messages/errors.js";

/** What the engine's destination holds, two levels down, for a message. */
function listing(root: string): string {
  if (!existsSync(root)) return "nothing";
  const names = readdirSync(root).flatMap((top) => {
    const inner = path.join(root, top);
    try {
      return readdirSync(inner).map((n) => `${top}/${n}`);
    } catch {
      return [top];
    }
  });
  return names.length ? names.sort().join(", ") : "nothing";
}

/**
 * Copies what 4D (or Build4D) made for each unit from its private destination into staging, at the place
 * 4dbuild's own builder would have put it (destinations.ts: 4D's layout), with the build's date on every file
 * and symbolic links kept (bundles), and registers each as the unit's artifact. `sourceOf` says where the
 * engine put a unit (4D: one destination for all; Build4D: one per unit).
 */
export async function collectEngineOutputs(context: BuildContext, units: readonly BuildUnit[], sourceOf: (unit: BuildUnit) => { root: string; path: string }): Promise<void> {
  for (const unit of units) {
    const relative = artifactPath(context.plan, unit);
    const { root, path: source } = sourceOf(unit);
    if (!existsSync(source))
      throw new BuildError(
        `the engine reported success but made no ${relative} for ${unitName(unit)}; it made: ${listing(root)}`,
        "4D names folders in the language of its interface (\"Base de données compilée\" in French): run 4D in English, or check naming.server / naming.client against what 4D names the applications",
      );
    const destination = path.join(context.out, ...relative.split("/"));
    await copyTree(source, destination, { sourceDate: context.sourceDate, boundary: source, links: "keep", signal: context.signal });
    context.artifacts.push({ kind: "target", target: unit.target, ...(isAppUnit(unit) ? { platform: unit.platform } : {}), path: destination });
  }
}
