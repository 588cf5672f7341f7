import path from "node:path";
import { appPaths } from "../app/paths.js";
import { artifactPath } from "../destinations.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, unitsOf, type AppUnit, type StructureUnit } from "../units.js";
import { signSkip } from "./sign.js";

export const UNSIGNED = "unsigned: must be signed on macOS before it can run on Apple Silicon";

/**
 * macOS code the build could not sign (another host, or no identity): the runtime's signature no longer matches
 * once its Info.plist and Mach-O UUIDs are rewritten, and Apple Silicon runs no unsigned code (a component's
 * lib4d-arm64.dylib either: developer.4d.com/docs/21-R2/Desktop/building#about-gatekeeper). The report marks the
 * target, the build warns (an annotation in GitHub Actions), verify reports it.
 */
export const unsignedStep: UnitStep<AppUnit | StructureUnit<"component">> = {
  name: "unsigned",
  title: "mark macOS code the build could not sign",
  scope: "unit",
  appliesTo: (unit): unit is AppUnit | StructureUnit<"component"> => unitsOf("standalone", "server", "client", "component")(unit) && (!isAppUnit(unit) || unit.platform === "mac"),
  skip: (plan, unit) => (signSkip(plan, unit) ? false : "the sign step signs it"),
  async run(context, unit) {
    const { plan } = context;
    const root = isAppUnit(unit) ? appPaths(context.out, plan, unit).root : path.join(context.out, artifactPath(plan, unit));
    const artifact = context.artifacts.find((a) => a.kind === "target" && a.path === root);
    if (artifact) artifact.signature = UNSIGNED;
    const what = isAppUnit(unit) ? `the ${unit.target} macOS application` : "the component";
    const warning = { severity: "warning" as const, code: "unsigned-mac", message: `${what} (${path.relative(context.out, root).split(path.sep).join("/")}) is ${UNSIGNED} (${signSkip(plan, unit)})`, hint: "sign it on a macOS runner (4dbuild matrix sends macOS targets there; see docs/signing.md)" };
    context.warnings.push(warning);
    context.logger.diagnostic(warning);
  },
};
