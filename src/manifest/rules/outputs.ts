import path from "node:path";
import { fileNameProblem } from "../../files/file-names.js";
import { placeInFolder, unitPlace } from "../naming.js";
import { resolveConfig } from "../plan.js";
import type { Path } from "../source.js";
import { enabledTarget, isAppTarget, PLATFORMS, targetPlatforms, TARGET_ORDER, type Platform, type TargetName } from "../targets.js";
import type { Rule, RuleContext } from "./context.js";

/** The field that gives a target its name: naming.server / naming.client when written, else name, else project (the derived name). */
function namingField(context: RuleContext, target: TargetName): Path {
  const { manifest } = context;
  if ((target === "server" || target === "client") && manifest.naming?.[target] !== undefined) return ["naming", target];
  return manifest.name !== undefined ? ["name"] : ["project"];
}

/** Same file on macOS and Windows, whose file systems ignore case by default. */
const sameFile = (a: string, b: string) => a.normalize("NFC").toLowerCase() === b.normalize("NFC").toLowerCase();

/**
 * Every output stays inside the output folder, each in its target's folder: a name (`name`, `naming.server`,
 * `naming.client`) that makes a path out of it (`..`, `/`-led, `\`) is an error at that field. Two units that
 * would be written to the same place (server and client given the same name) are an error at the second one.
 */
export const checkOutputPlaces: Rule = (context) => {
  const { manifest } = context;
  if (typeof manifest.project !== "string" || ["name", "naming", "project"].some((f) => context.invalid([f]))) return;
  const { config } = resolveConfig(manifest, context.baseDir, path.dirname(path.dirname(path.resolve(context.baseDir, manifest.project))), context.host);
  const seen: { place: string; target: TargetName; platform?: Platform }[] = [];
  for (const target of TARGET_ORDER) {
    if (!enabledTarget(manifest, target) || context.invalid(["targets", target])) continue;
    const platforms: (Platform | undefined)[] = isAppTarget(target) ? (targetPlatforms(manifest, target).length ? targetPlatforms(manifest, target) : [...PLATFORMS]) : [undefined];
    for (const platform of platforms) {
      const field = namingField(context, target);
      const wanted = unitPlace({ config }, target, platform);
      const place = placeInFolder(wanted);
      // A name macOS or Windows refuses (a separator, "..") is the names rule's error, at the same field.
      if (fileNameProblem(wanted.path.slice(wanted.folder.length + 1))) break;
      if (place !== wanted.path) {
        context.report("error", "output-outside", field, `${field.join(".")} would write the ${target}${platform ? ` (${platform})` : ""} to ${wanted.path}: outside ${wanted.folder}/ in the output folder`, "a name is a file name, not a path: no /, \\ or .. (outputs stay inside the output folder)");
        break;
      }
      const twin = seen.find((s) => s.target !== target && sameFile(s.place, place));
      if (twin) {
        // At the name the manifest writes: that is the one to change.
        const where = field[0] === "naming" ? field : namingField(context, twin.target);
        context.report("error", "same-output", where, `the ${target} and the ${twin.target}${platform ? ` (${platform})` : ""} would both be written to ${place}`, `give the ${twin.target} and the ${target} different names (naming.server, naming.client; {name} is the build name)`);
        break;
      }
      seen.push({ place, target, ...(platform ? { platform } : {}) });
    }
  }
};
