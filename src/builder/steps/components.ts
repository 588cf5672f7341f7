import { existsSync } from "node:fs";
import path from "node:path";
import { copyTree } from "../../files/copy.js";
import { declaredDependencies } from "../../four-d/dependencies.js";
import { versionRule } from "../../four-d/dependency-versions.js";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import { BuildError } from "../../messages/errors.js";
import { fetchGitHubDependency, githubToken } from "../../toolchain/github-releases.js";
import { appPaths } from "../app/paths.js";
import { copiesFourDComponents, describeEmbedded, fourDComponentsFolder, planEmbeddedComponents, type EmbeddedComponent } from "../embedded-components.js";
import type { BuildStep, UnitStep } from "../step.js";
import { unitsOf, type AppUnit } from "../units.js";

/** Why no component is embedded, or false. */
function nothingToEmbed(plan: ReadonlyBuildPlan): string | false {
  if (!plan.targets.standalone && !plan.targets.server) return "no stand-alone or server application is built";
  if (copiesFourDComponents(plan)) return false;
  if (!plan.config.components.dependencies) return "components.dependencies is false";
  return declaredDependencies(plan.packageDir).length === 0 ? "the project declares no dependency (Project/Sources/dependencies.json)" : false;
}

const UNUSABLE = { missing: "not found", interpreted: "interpreted (a source project): a compiled application can only load compiled components" } as const;

/**
 * Finds every component the applications embed (src/builder/embedded-components.ts), downloads the GitHub ones
 * not yet in a cache, and fails naming each one that cannot be found.
 */
export const dependenciesStep: BuildStep = {
  name: "dependencies",
  title: "find the components to embed, download GitHub dependencies",
  scope: "build",
  // 4D's BUILD APPLICATION and Build4D resolve and embed the components themselves.
  assembly: true,
  skip: nothingToEmbed,
  async run(context) {
    const { plan, logger } = context;
    const token = githubToken(context.env);
    if (token) context.redactor.add(token);
    const planned = planEmbeddedComponents(plan, context.env, context.provisioned.tool4d);
    const unusable = planned.filter((c): c is EmbeddedComponent & { status: keyof typeof UNUSABLE } => c.status in UNUSABLE);
    if (unusable.length > 0)
      throw new BuildError(
        `${unusable.length === 1 ? "a component the applications use is" : "components the applications use are"} unusable: ${unusable.map((c) => `"${c.name}" ${UNUSABLE[c.status]} (${c.origin}: ${c.where})`).join("; ")}`,
        copiesFourDComponents(plan) ? "set components.fourD to the Components folder of the 4D that builds, fix dependencies.json, or list the component in components.exclude" : "fix dependencies.json / environment4d.json, build the component, or list it in components.exclude",
      );
    const embedded: EmbeddedComponent[] = [];
    for (const component of planned) {
      if (component.status === "download") {
        const dependency = declaredDependencies(plan.packageDir).find((d) => d.name === component.name)!;
        const got = await fetchGitHubDependency(component.name, component.github!, versionRule(dependency), { env: context.env, fourD: plan.fourD, signal: context.signal, log: (m) => logger.info(`  ${m}`) });
        embedded.push({ ...component, status: "found", version: got.tag, folder: got.folder, where: got.folder });
      } else if (component.status === "found") embedded.push(component);
      else logger.info(`  ${component.name}: ${component.status}, not embedded`);
    }
    for (const c of embedded) logger.info(`  ${describeEmbedded(c)}: ${c.folder}`);
    if (copiesFourDComponents(plan) && plan.config.components.use === undefined && !fourDComponentsFolder(plan, context.env, context.provisioned.tool4d))
      context.warnings.push({ severity: "warning", code: "no-4d-components", message: `4D's own components (4D SVG, 4D NetKit…) are not embedded: no 4D Components folder was found for 4D ${plan.fourD.text}`, hint: "set components.fourD to the Components folder of the 4D that builds (4D.app/Contents/Components), or components.use: [] when the applications use none" });
    context.provisioned.components = embedded;
  },
};

/** Each embedded component copied into the application's Components folder, unless one of that name is there already (the project's own). */
export const componentsStep: UnitStep<AppUnit<"standalone" | "server">> = {
  name: "components",
  title: "embed 4D's components and the dependencies",
  scope: "unit",
  appliesTo: unitsOf("standalone", "server"),
  assembly: true,
  skip: (plan) => nothingToEmbed(plan),
  async run(context, unit) {
    const paths = appPaths(context.out, context.plan, unit);
    for (const component of context.provisioned.components ?? []) {
      const destination = path.join(paths.components, `${component.name}.4dbase`);
      if (existsSync(destination)) continue;
      await copyTree(component.folder!, destination, { sourceDate: context.sourceDate, boundary: component.folder!, links: "keep", signal: context.signal });
    }
  },
};
