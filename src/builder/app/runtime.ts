import { existsSync } from "node:fs";
import path from "node:path";
import { readFileSync } from "node:fs";
import { readPlist as readPlistFile } from "../../files/xml-text.js";
import { describeAppVersion, parseAppVersion, sameBuild, sameRelease, type AppVersion } from "../../four-d/app-version.js";
import type { FourDVersion } from "../../four-d/version.js";
import type { Platform } from "../../manifest/targets.js";
import { BuildError } from "../../messages/errors.js";
import { readWindowsVersion } from "./pe-resources.js";

export type RuntimeKind = "Volume Desktop" | "Server";

export interface RuntimeInfo {
  platform: Platform;
  kind: RuntimeKind;
  /** The executable, relative to the runtime folder. */
  executable: string;
  /** CFBundleShortVersionString of the runtime's Info.plist (else the executable's ProductVersion), when it has one. */
  version?: string;
  /** The version, release and build number read from the runtime. */
  appVersion: AppVersion;
}

export function readPlist(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readPlistFile(file);
  } catch (error) {
    throw new BuildError((error as Error).message, "the folder looks damaged: copy it again from the 4D installation");
  }
}

const text = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : undefined);

/** The version keys of an Info.plist (macOS Contents/Info.plist, Windows Resources/Info.plist, as Build4D reads them). */
export const plistVersion = (plist: Record<string, unknown>): AppVersion => parseAppVersion(text(plist.CFBundleShortVersionString), text(plist.CFBundleVersion));

/** The version resources of a Windows executable (ProductVersion, else FileVersion), when it has them. */
function peVersion(executable: string): AppVersion | undefined {
  try {
    const strings = readWindowsVersion(readFileSync(executable));
    const product = strings.ProductVersion ?? strings.FileVersion;
    return product ? parseAppVersion(product, product) : undefined;
  } catch {
    return undefined; // not a PE file: the kind check names the runtime, the version stays unknown
  }
}

/** What a runtime folder is, from its content: a macOS package or a Windows folder, Volume Desktop or Server. */
export function detectRuntime(folder: string): RuntimeInfo {
  const mac = readPlist(path.join(folder, "Contents", "Info.plist"));
  if (mac) {
    const executable = String(mac.CFBundleExecutable ?? "");
    const kind: RuntimeKind | undefined = executable === "4D Server" ? "Server" : executable === "4D Volume Desktop" ? "Volume Desktop" : undefined;
    if (!kind) throw new BuildError(`${folder} is a macOS package of "${executable}", not 4D Volume Desktop or 4D Server`);
    const appVersion = plistVersion(mac);
    return { platform: "mac", kind, executable: `Contents/MacOS/${executable}`, ...(appVersion.short ? { version: appVersion.short } : {}), appVersion };
  }
  const executable = existsSync(path.join(folder, "4D Volume Desktop.4DE")) ? "4D Volume Desktop.4DE" : existsSync(path.join(folder, "4D Server.exe")) ? "4D Server.exe" : undefined;
  if (!executable) throw new BuildError(`${folder} is neither a 4D Volume Desktop nor a 4D Server`, "expected a macOS package with Contents/Info.plist, or a Windows folder holding 4D Volume Desktop.4DE or 4D Server.exe");
  const plist = readPlist(path.join(folder, "Resources", "Info.plist"));
  const fromPlist = plist ? plistVersion(plist) : {};
  const known = fromPlist.major !== undefined || fromPlist.build !== undefined;
  const appVersion = known ? fromPlist : (peVersion(path.join(folder, executable)) ?? fromPlist);
  return { platform: "win", kind: executable === "4D Server.exe" ? "Server" : "Volume Desktop", executable, ...(appVersion.short ? { version: appVersion.short } : {}), appVersion };
}

/** How closely a runtime must match (manifest runtimeVersion). */
export type RuntimeMatch = "build" | "release";

/**
 * Why the runtime's version does not fit, or undefined. 4D merges an application only with the runtime of the
 * exact 4D that builds it: Build4D compares CFBundleVersion with the building 4D's (Standalone.4dm, cited in
 * app-version.ts). 4dbuild checks the 4D release against 4dVersion and, when it compiles, the build number
 * against tool4d's (the 4D that produced the compiled code). A version it cannot read is not a mismatch.
 */
export function runtimeVersionProblem(info: Pick<RuntimeInfo, "kind" | "appVersion">, fourD: FourDVersion, options: { match: RuntimeMatch; tool4d?: AppVersion | undefined }): string | undefined {
  const shown = `4D ${info.kind} ${describeAppVersion(info.appVersion)}`;
  if (sameRelease(info.appVersion, fourD) === false) return `is ${shown}, but 4dVersion is "${fourD.text}"`;
  if (options.match === "build" && options.tool4d && sameBuild(info.appVersion, options.tool4d) === false)
    return `is ${shown}, but the project is compiled with tool4d ${describeAppVersion(options.tool4d)}: 4D needs the runtime of the same build`;
  return undefined;
}

/**
 * The runtime must be the expected kind, for the expected platform, of the manifest's 4D version (and of
 * tool4d's build when compiling, with runtimeVersion: build).
 */
export function checkRuntime(info: RuntimeInfo, expected: { platform: Platform; kind: RuntimeKind; field: string }, fourD: FourDVersion, options: { match: RuntimeMatch; tool4d?: AppVersion | undefined } = { match: "release" }): void {
  const where = expected.field;
  if (info.platform !== expected.platform) throw new BuildError(`${where} is a ${info.platform === "mac" ? "macOS" : "Windows"} runtime, but it is used for ${expected.platform === "mac" ? "macOS" : "Windows"}`);
  if (info.kind !== expected.kind) throw new BuildError(`${where} is 4D ${info.kind}, but this target needs 4D ${expected.kind}`);
  const problem = runtimeVersionProblem(info, fourD, options);
  if (problem) throw new BuildError(`${where} ${problem}`, "use the runtimes of the 4D you build with: same version, R release and build number");
}
