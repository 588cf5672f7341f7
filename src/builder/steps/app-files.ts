import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import type { Platform } from "../../manifest/targets.js";
import { appPaths } from "../app/paths.js";
import { engineServerLink } from "../app/metadata.js";
import { mergeInfoPlist } from "../app/bundle-files.js";
import { chooseDeploymentLicense, createDeploymentLicense, evaluationKey } from "../app/deployment-license.js";
import { copyTree } from "../../files/copy.js";
import type { UnitStep } from "../step.js";
import { isAppUnit, unitsOf, type AppUnit } from "../units.js";

/** Default Data beside the structure: the data a fresh installation opens, read-only (build-outputs.md §16); the project's own by convention. */
export const dataStep: UnitStep<AppUnit<"standalone" | "server">> = {
  name: "data",
  title: "add the Default Data folder",
  scope: "unit",
  assembly: true,
  appliesTo: unitsOf("standalone", "server"),
  skip: (plan) => {
    if (plan.config.data?.embedDefaultData === false) return "data.embedDefaultData is false";
    return plan.config.data?.defaultFolder ? false : "the project has no Default Data folder and data.defaultFolder is not set";
  },
  async run(context, unit) {
    const { plan } = context;
    const source = path.resolve(plan.baseDir, plan.config.data!.defaultFolder!);
    const paths = appPaths(context.out, plan, unit);
    await copyTree(source, path.join(paths.structure, "Default Data"), { sourceDate: context.sourceDate, boundary: plan.baseDir, signal: context.signal });
  },
};

/**
 * Deployment licences in the application's Licenses folder. embed: create (default from 4D 20) and mode:
 * automatic run 4D's Create deployment license, which makes a new licence for this application; embed: copy
 * copies the one licence file whose product code fits the application as Licenses/1.license4D (validate warns
 * from 4D 20 that 4D would have generated it: rules/licenses.ts). mode: evaluation writes the runner's licence number as the evaluation
 * key. Licence names are never logged.
 */
export const licensesStep: UnitStep<AppUnit> = {
  name: "licenses",
  title: "embed deployment licences",
  scope: "unit",
  assembly: true,
  appliesTo: isAppUnit,
  skip: (plan, unit) => {
    if (plan.config.licenses.mode === "none") return "licenses.mode is none: users activate a licence at first launch";
    if (unit.target === "client" && !embedsLicensedApplication(plan, unit.platform)) return "a client takes its licence from the server (unless it embeds a single-user application with Default Data)";
    return false;
  },
  async run(context, unit) {
    const { plan } = context;
    const { platform } = unit;
    const paths = appPaths(context.out, plan, unit);
    // A client embedding a single-user application is licensed as a stand-alone (build-outputs.md §5.4).
    const target = unit.target === "server" ? "server" : "standalone";
    if (plan.config.licenses.mode === "evaluation") return mergeInfoPlist(paths.infoPlist, { "com.4D.BuildApp.EvaluationKey": await evaluationKey(context) });
    if (plan.config.licenses.mode === "automatic" || plan.config.licenses.embed === "create") return createDeploymentLicense(context, paths, target, platform);
    const { license } = chooseDeploymentLicense(plan, target, platform);
    await mkdir(paths.licenses, { recursive: true });
    await copyFile(license, path.join(paths.licenses, "1.license4D"));
  },
};

/** A client embedding a single-user application that has a Default Data folder gets a licence (build-outputs.md §5.4). */
function embedsLicensedApplication(plan: ReadonlyBuildPlan, platform: Platform): boolean {
  const embedded = plan.config.targets.client?.embeddedApplication?.[platform];
  return embedded !== undefined && existsSync(path.resolve(plan.baseDir, embedded, "Default Data"));
}

/** EnginedServer.4DLink, how a merged client finds its server (build-outputs.md §15). */
export const linkStep: UnitStep<AppUnit<"client">> = {
  name: "link",
  title: "write EnginedServer.4DLink",
  scope: "unit",
  assembly: true,
  appliesTo: unitsOf("client"),
  skip: (plan, unit) => (plan.config.targets.client?.embeddedApplication?.[unit.platform] ? "the client embeds a single-user application: no connection file" : false),
  async run(context, unit) {
    const paths = appPaths(context.out, context.plan, unit);
    await mkdir(paths.structure, { recursive: true });
    await writeFile(path.join(paths.structure, "EnginedServer.4DLink"), engineServerLink(context.plan, unit.platform));
  },
};

