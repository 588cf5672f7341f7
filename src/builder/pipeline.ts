import { existsSync } from "node:fs";
import path from "node:path";
import { atLeast } from "../four-d-version.js";
import type { Platform, ReadonlyBuildPlan } from "../manifest/plan.js";
import type { TargetName } from "./layout.js";

/** One target built for one platform (compiled structure and component are the same on every platform). */
export interface BuildUnit {
  target: TargetName;
  platform?: Platform;
}

/**
 * What a build does, in order. A step says when it is skipped and why; `plan` prints this list, and the
 * builder runs the same steps. Steps of scope "unit" run once per target × platform.
 */
export interface PlannedStep {
  name: string;
  title: string;
  scope: "build" | "unit";
  appliesTo?: (unit: BuildUnit) => boolean;
  skip?: (plan: ReadonlyBuildPlan, unit?: BuildUnit) => string | false;
}

const isApp = (unit: BuildUnit) => unit.target === "standalone" || unit.target === "server" || unit.target === "client";
const carriesStructure = (unit: BuildUnit) => unit.target !== "client";

export const PIPELINE: readonly PlannedStep[] = [
  // Compile the project with tool4d, when asked to.
  { name: "compile", title: "compile the project with tool4d", scope: "build", skip: (plan) => (plan.manifest.compile?.enabled ? false : "compile.enabled is false: the project's compiled code is used as it is") },
  // Copy Project/ to staging and strip sources (*.4dm, Methods/, Classes/…).
  { name: "structure", title: "copy the project and strip its sources", scope: "build" },
  // Zip the stripped project into <name>.4DZ.
  { name: "pack", title: "pack the structure into <name>.4DZ", scope: "build", skip: (plan) => (plan.manifest.structure?.pack === false ? "structure.pack is false: the structure stays a Project folder" : false) },
  // Lay out the target's folder: structure, Libraries, Resources (and Contents/Info.plist for components from 20 R8).
  { name: "layout", title: "lay out the target's folder", scope: "unit" },
  // Merge with the 4D runtime: copy it and rename the executable and resources.
  { name: "runtime", title: "copy the 4D runtime and rename it", scope: "unit", appliesTo: isApp },
  // Info.plist keys (macOS) or version resources (Windows).
  { name: "metadata", title: "write Info.plist keys or Windows version resources", scope: "unit", appliesTo: (u) => isApp(u) || u.target === "component" },
  // Custom icon.
  { name: "icon", title: "install the icon", scope: "unit", appliesTo: isApp, skip: (plan, unit) => (iconOf(plan, unit!) ? false : "no icon configured and no default icon beside the project") },
  // Remove excluded modules, plug-ins and components.
  { name: "exclusions", title: "remove excluded modules, plug-ins and components", scope: "unit", appliesTo: isApp, skip: (plan) => (hasExclusions(plan) ? false : "nothing is excluded") },
  // Embed deployment licences.
  { name: "licenses", title: "embed deployment licences", scope: "unit", appliesTo: (u) => u.target === "standalone" || u.target === "server", skip: (plan) => (plan.licensesMode === "none" ? "licenses.mode is none: users activate a licence at first launch" : false) },
  // Default data folder beside the structure.
  { name: "data", title: "add the Default Data folder", scope: "unit", appliesTo: (u) => isApp(u) && carriesStructure(u), skip: (plan) => (plan.manifest.data?.defaultFolder ? false : "data.defaultFolder is not set") },
  // Client connection file.
  { name: "link", title: "write EnginedServer.4DLink", scope: "unit", appliesTo: (u) => u.target === "client", skip: (plan, unit) => (plan.manifest.targets?.client?.embeddedApplication?.[unit!.platform!] ? "the client embeds a single-user application: no connection file" : false) },
  // Client update archives inside the server.
  { name: "client-update", title: "add client update archives (Upgrade4DClient)", scope: "unit", appliesTo: (u) => u.target === "server", skip: (plan) => (plan.manifest.autoUpdate?.enabled ? false : "autoUpdate.enabled is false") },
  // Code signing.
  { name: "sign", title: "sign the code", scope: "unit", appliesTo: (u) => isApp(u) || u.target === "component", skip: (plan, unit) => signSkip(plan, unit!) },
  // Distributable archive of the target.
  { name: "archive", title: "make the distributable archive", scope: "unit" },
  // SHA256SUMS, build-report.json and BuildApp.log.xml next to the outputs.
  { name: "report", title: "write checksums, build report and build log", scope: "build" },
];

function iconOf(plan: ReadonlyBuildPlan, unit: BuildUnit): boolean {
  if (unit.target !== "standalone" && unit.target !== "server" && unit.target !== "client") return false;
  if (plan.targets[unit.target]?.icon[unit.platform!]) return true;
  const defaultIcon = path.join(plan.packageDir, `${path.basename(plan.projectFile, ".4DProject")}.${unit.platform === "mac" ? "icns" : "ico"}`);
  return unit.target === "standalone" && existsSync(defaultIcon);
}

function hasExclusions(plan: ReadonlyBuildPlan): boolean {
  const m = plan.manifest;
  return [m.modules?.exclude, m.plugins?.exclude, m.plugins?.excludeIds, m.components?.exclude].some((list) => (list?.length ?? 0) > 0);
}

function signSkip(plan: ReadonlyBuildPlan, unit: BuildUnit): string | false {
  if (unit.platform === "win") return "Windows signing is not configured";
  const mac = plan.manifest.signing?.mac;
  if (unit.target === "component" && !atLeast(plan.fourD, "20 R8")) return "components are signable from 4D 20 R8 on";
  if (mac?.identity && mac.sign !== false) return false;
  if (mac?.adHoc !== false) return false;
  return "signing.mac has no identity and adHoc is false";
}
