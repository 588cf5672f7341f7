import { existsSync } from "node:fs";
import path from "node:path";
import { readPlist as readPlistFile } from "../../files/xml-text.js";
import type { FourDVersion } from "../../four-d/version.js";
import type { Platform } from "../../manifest/targets.js";
import { BuildError } from "../../messages/errors.js";

export type RuntimeKind = "Volume Desktop" | "Server";

export interface RuntimeInfo {
  platform: Platform;
  kind: RuntimeKind;
  /** The executable, relative to the runtime folder. */
  executable: string;
  /** CFBundleShortVersionString of the runtime's Info.plist, when it has one. */
  version?: string;
}

function readPlist(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readPlistFile(file);
  } catch (error) {
    throw new BuildError((error as Error).message, "the runtime folder looks damaged: copy it again from the 4D installation");
  }
}

/** What a runtime folder is, from its content: a macOS package or a Windows folder, Volume Desktop or Server. */
export function detectRuntime(folder: string): RuntimeInfo {
  const mac = readPlist(path.join(folder, "Contents", "Info.plist"));
  if (mac) {
    const executable = String(mac.CFBundleExecutable ?? "");
    const kind: RuntimeKind | undefined = executable === "4D Server" ? "Server" : executable === "4D Volume Desktop" ? "Volume Desktop" : undefined;
    if (!kind) throw new BuildError(`${folder} is a macOS package of "${executable}", not 4D Volume Desktop or 4D Server`);
    return { platform: "mac", kind, executable: `Contents/MacOS/${executable}`, ...(mac.CFBundleShortVersionString ? { version: String(mac.CFBundleShortVersionString) } : {}) };
  }
  const win = readPlist(path.join(folder, "Resources", "Info.plist"));
  const version = win?.CFBundleShortVersionString ? { version: String(win.CFBundleShortVersionString) } : {};
  if (existsSync(path.join(folder, "4D Volume Desktop.4DE"))) return { platform: "win", kind: "Volume Desktop", executable: "4D Volume Desktop.4DE", ...version };
  if (existsSync(path.join(folder, "4D Server.exe"))) return { platform: "win", kind: "Server", executable: "4D Server.exe", ...version };
  throw new BuildError(`${folder} is neither a 4D Volume Desktop nor a 4D Server`, "expected a macOS package with Contents/Info.plist, or a Windows folder holding 4D Volume Desktop.4DE or 4D Server.exe");
}

/**
 * The runtime must be the expected kind, for the expected platform, of the manifest's 4D version (4D requires
 * the runtime to match the building 4D). Only the major version is compared: how R-releases spell their
 * bundle version is not documented.
 */
export function checkRuntime(info: RuntimeInfo, expected: { platform: Platform; kind: RuntimeKind; field: string }, fourD: FourDVersion): void {
  const where = expected.field;
  if (info.platform !== expected.platform) throw new BuildError(`${where} is a ${info.platform === "mac" ? "macOS" : "Windows"} runtime, but it is used for ${expected.platform === "mac" ? "macOS" : "Windows"}`);
  if (info.kind !== expected.kind) throw new BuildError(`${where} is 4D ${info.kind}, but this target needs 4D ${expected.kind}`);
  const major = info.version ? Number(/^(\d+)/.exec(info.version)?.[1]) : undefined;
  if (major !== undefined && major !== fourD.major) throw new BuildError(`${where} is 4D ${info.kind} ${info.version}, but 4dVersion is "${fourD.text}"`, "use the runtimes of the 4D version you build with");
}
