import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { build, type PlistValue } from "plist";
import { readPlist } from "../../files/xml-text.js";
import { atLeast } from "../../four-d/version.js";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import { componentContents } from "../destinations.js";
import { infoPlistVersion } from "../app/metadata.js";
import type { UnitStep } from "../step.js";
import { unitsOf, type StructureUnit } from "../units.js";

/**
 * Info.plist of a component from 4D 20 R8 on (build-outputs.md §3.2): the project's own Info.plist when it has
 * one, merged with the name, version and copyright of the manifest (versioning.common), which win, and
 * CFBundlePackageType BNDL as Build4D writes it (4d/Build4D@bfd39383c13b3b6ee81f8d4a59fa4415d11628f7:
 * Build4D/Project/Sources/Classes/Component.4dm, _setAppOptions): a component package is a macOS bundle.
 */
export function componentInfoPlist(plan: ReadonlyBuildPlan): Record<string, PlistValue> {
  const own = path.join(plan.packageDir, "Info.plist");
  const base = existsSync(own) ? readPlist(own) : {};
  const common = plan.config.versioning.common;
  const keys: Record<string, PlistValue> = { ...base, CFBundleName: plan.config.name, CFBundleDisplayName: plan.config.name, CFBundlePackageType: "BNDL" };
  Object.assign(keys, infoPlistVersion(common?.version));
  if (common?.copyright) keys.NSHumanReadableCopyright = common.copyright;
  return Object.fromEntries(Object.keys(keys).sort().map((k) => [k, keys[k]!]));
}

export const componentPlistStep: UnitStep<StructureUnit<"component">> = {
  name: "component-plist",
  title: "write the component's Info.plist",
  scope: "unit",
  assembly: true,
  appliesTo: unitsOf("component"),
  skip: (plan) => (atLeast(plan.fourD, "20 R8") ? false : `components have an Info.plist from 4D 20 R8 on; 4D ${plan.fourD.text} uses the flat layout`),
  async run(context) {
    await writeFile(path.join(componentContents(context.out, context.plan), "Info.plist"), build(componentInfoPlist(context.plan)));
  },
};
