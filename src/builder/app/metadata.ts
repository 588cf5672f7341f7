import { existsSync } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { writes, type ReadonlyBuildPlan } from "../../manifest/plan.js";
import type { AppTarget, Platform } from "../../manifest/targets.js";
import { DATA_LINKING } from "../../generator/bindings.js";
import { readXmlFile } from "../../files/xml-text.js";
import { applicationTitle } from "../destinations.js";
import { releaseVersion, macBundleVersion, macShortVersion } from "../../manifest/versioning.js";

/**
 * The publication name clients look for: targets.server.settings.publicationName (written into the server's
 * settings.4DSettings), else the project's com.4d/server/network/options@publication_name, else the build name.
 */
export function publicationName(plan: ReadonlyBuildPlan): string {
  const configured = plan.config.targets?.server?.settings?.publicationName;
  if (configured) return configured;
  const settings = path.join(plan.packageDir, "Project", "Sources", "settings.4DSettings");
  if (!existsSync(settings)) return plan.config.name;
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", processEntities: true }).parse(readXmlFile(settings).replace(/<!DOCTYPE[^>]*>/i, "")) as Record<string, unknown>;
  const options = ((((xml.preferences as Record<string, unknown> | undefined)?.["com.4d"] as Record<string, unknown> | undefined)?.server as Record<string, unknown> | undefined)?.network as Record<string, unknown> | undefined)?.options as Record<string, unknown> | undefined;
  const name = options?.publication_name;
  return typeof name === "string" && name.trim() ? name : plan.config.name;
}

const xmlAttribute = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * EnginedServer.4DLink of a merged client (build-outputs.md §15; the content is Build4D's, inferred for 4D):
 * the server's address and port, its publication name, the client cache folder, shared resources on Windows.
 */
export function engineServerLink(plan: ReadonlyBuildPlan, platform: Platform): string {
  const network = plan.config.network;
  const client = plan.config.targets.client;
  const attributes: [string, string][] = [
    ["is_remote", "true"],
    ["server_database_name", publicationName(plan)],
    ["server_path", `${network.serverAddress ?? ""}:${network.port}`],
  ];
  if (client?.cacheFolderName) attributes.push(["cache_folder_name", client.cacheFolderName]);
  if (platform === "win" && client?.shareLocalResources) attributes.push(["remote_shared_resources", "true"]);
  return `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<database_shortcut ${attributes.map(([k, v]) => `${k}="${xmlAttribute(v)}"`).join(" ")}/>\n`;
}

const VERSION_SUBSET = { standalone: "standalone", server: "server", client: "client" } as const;

export type VersionField = "version" | "copyright" | "creator" | "comment" | "companyName" | "fileDescription" | "internalName" | "legalTrademark" | "privateBuild" | "specialBuild";

/** A versioning value for a target: its own subset first, then common (buildapp-settings.md §4.9). */
export function versionValue(plan: ReadonlyBuildPlan, target: AppTarget, field: VersionField): string | undefined {
  const versioning = plan.config.versioning;
  return versioning[VERSION_SUBSET[target]]?.[field] ?? versioning.common?.[field];
}


/** CFBundleShortVersionString and CFBundleVersion of a version (manifest/versioning.ts), or nothing without one. */
export function infoPlistVersion(text: string | undefined): { CFBundleShortVersionString?: string; CFBundleVersion?: string } {
  const version = releaseVersion(text);
  return version ? { CFBundleShortVersionString: macShortVersion(version), CFBundleVersion: macBundleVersion(version) } : {};
}

/**
 * naming.bundleIdentifier, else Build4D's rule (4D's own is not documented): company name, else "com.4d",
 * then the application name; characters Apple does not allow become "-".
 */
export function bundleIdentifier(plan: ReadonlyBuildPlan, target: AppTarget): string {
  const configured = plan.config.naming.bundleIdentifier?.[target];
  if (configured) return configured;
  const clean = (text: string) => text.replace(/[^A-Za-z0-9.-]/g, "-");
  return `${clean(versionValue(plan, target, "companyName") ?? "com.4d")}.${clean(applicationTitle(plan, target))}`;
}

/**
 * DataFilePath as Build4D writes it into BuildDataPath (_core.4dm _setAppOptions): a value holding the target
 * system's separator is that system's path, kept; any other is relative, written with "/", and becomes the
 * target's syntax with a leading separator (Data/Hello.4DD: ":Data:Hello.4DD", "\\Data\\Hello.4DD"). Build4D
 * tests the building host's separator, as it builds for its own system only; 4dbuild builds both, so the target's.
 */
export function dataPathFor(value: string, platform: Platform): string {
  const separator = platform === "mac" ? ":" : "\\";
  if (value.includes(separator)) return value;
  const converted = value.replaceAll("/", separator);
  return converted.startsWith(separator) ? converted : `${separator}${converted}`;
}

/**
 * Info.plist keys 4dbuild writes into a built application (build-outputs.md §8; Build4D's keys, inferred for
 * 4D). All values are strings. macOS-only keys are left out for Windows, whose Info.plist is in Resources.
 */
export function appInfoPlistKeys(plan: ReadonlyBuildPlan, target: AppTarget, platform: Platform, icon?: string): Record<string, string> {
  const m = plan.config;
  // Build4D writes "true" whether the structure is packed or not (_core.4dm _setAppOptions).
  const keys: Record<string, string> = { "com.4D.BuildApp.ReadOnlyApp": "true" };
  const flag = (value: boolean | undefined) => (value ? "true" : "false");
  keys.SDIRuntime = m.targets[target]?.sdi ? "1" : "0";
  if (target !== "client") {
    keys["com.4D.BuildApp.LastDataPathLookup"] = DATA_LINKING[m.targets[target]!.dataLinking];
    keys.DataFileConversionMode = "0";
    if (m.data?.filePath) keys.BuildDataPath = dataPathFor(m.data.filePath, platform);
    if (m.licenses.mode === "evaluation" && m.licenses.evaluationName) keys["com.4D.BuildApp.EvaluationName"] = m.licenses.evaluationName;
  }
  if (platform === "mac") {
    const title = applicationTitle(plan, target);
    Object.assign(keys, { CFBundleName: title, CFBundleDisplayName: title, CFBundleExecutable: title, CFBundleIdentifier: bundleIdentifier(plan, target) });
    if (icon) keys.CFBundleIconFile = icon;
    Object.assign(keys, infoPlistVersion(versionValue(plan, target, "version")));
    const copyright = versionValue(plan, target, "copyright");
    if (copyright) keys.NSHumanReadableCopyright = copyright;
  }
  if (target === "server" || target === "client") {
    const network = m.network;
    const update = m.autoUpdate;
    const embedded = target === "client" && m.targets.client?.embeddedApplication?.[platform] !== undefined;
    Object.assign(keys, {
      BuildName: plan.config.name,
      BuildHardLink: network.linkCode ?? "",
      BuildRangeVersMin: String(update.acceptedClientVersions.min),
      BuildRangeVersMax: String(update.acceptedClientVersions.max),
      BuildCurrentVers: String(update.currentVersion),
    });
    if (!embedded) keys.PublishName = publicationName(plan);
    if (network.tls?.domainName) keys.CertificateDomainName = network.tls.domainName;
    if (network.tls?.certificateAuthorities) keys.CertificateAuthoritiesCertificates = path.basename(network.tls.certificateAuthorities);
  }
  if (target === "server") {
    const server = m.targets.server!;
    keys["4D_SingleInstance"] = "1";
    keys["com.4d.dataCollection"] = flag(server.dataCollection);
    keys["com.4d.ServerCacheFolderName"] = server.cacheFolderName ?? "";
    keys["com.4D.HideDataExplorerMenuItem"] = flag(server.hideMenuItems.dataExplorer);
    keys["com.4D.HideRuntimeExplorerMenuItem"] = flag(server.hideMenuItems.runtimeExplorer);
    keys["com.4D.HideAdministrationWindowMenuItem"] = flag(server.hideMenuItems.administration);
  }
  if (target === "client") {
    const client = m.targets.client!;
    keys["4D_SingleInstance"] = client.singleInstance ? "1" : "0";
    keys.RemoteSharedResources = flag(platform === "win" && client.shareLocalResources);
    keys["com.4D.BuildApp.ServerSelectionAllowed"] = flag(client.serverSelection);
    if (writes(plan, "targets.client.userPreferencesByPath")) keys["4D_MultipleClient"] = client.userPreferencesByPath ? "1" : "0";
    keys.BuildCacheFolderNameClient = client.cacheFolderName ?? "";
    if (client.embeddedApplication?.[platform]) keys["com.4d.BuildApp.dataless"] = "true";
  }
  return Object.fromEntries(Object.keys(keys).sort().map((k) => [k, keys[k]!]));
}
