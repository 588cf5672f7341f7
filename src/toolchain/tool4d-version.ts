import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAppVersion, type AppVersion } from "../four-d/app-version.js";
import { plistVersion, readPlist } from "../builder/app/runtime.js";
import { readWindowsVersion } from "../builder/app/pe-resources.js";

/**
 * The Info.plist that describes a tool4d executable, where 4D-Analyzer reads it
 * (4d/4D-Analyzer-VSCode@afd9d9f622c70a4ee160251116ab1b416b153af3:editor/src/infoplist.ts): on macOS the
 * package's Contents/Info.plist (tool4d.app/Contents/MacOS/tool4d → tool4d.app/Contents/Info.plist), on Windows
 * and Linux Resources/Info.plist beside the executable's folder (tool4d/bin/tool4d → tool4d/Resources/Info.plist).
 */
export function tool4dInfoPlist(executable: string): string {
  const dir = path.dirname(executable);
  if (path.basename(dir) === "MacOS" && path.basename(path.dirname(dir)) === "Contents") return path.join(path.dirname(dir), "Info.plist");
  return path.join(dir, "..", "Resources", "Info.plist");
}

/** tool4d's version and build number, or undefined when neither its Info.plist nor its version resources give one. */
export function readTool4dVersion(executable: string): AppVersion | undefined {
  let fromPlist: AppVersion | undefined;
  try {
    const plist = readPlist(tool4dInfoPlist(executable));
    fromPlist = plist ? plistVersion(plist) : undefined;
  } catch {
    fromPlist = undefined;
  }
  if (fromPlist && (fromPlist.major !== undefined || fromPlist.build !== undefined)) return fromPlist;
  if (!/\.exe$/i.test(executable)) return undefined;
  try {
    const strings = readWindowsVersion(readFileSync(executable));
    const product = strings.ProductVersion ?? strings.FileVersion;
    return product ? parseAppVersion(product, product) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The tool4d a manifest names: compile.tool4d (a path), else TOOL4D. Not checked. With auto, `provisioned`: the
 * one the provision step downloaded (none before a build).
 */
export function configuredTool4d(configured: string | undefined, env: NodeJS.ProcessEnv, baseDir: string, provisioned?: string): string | undefined {
  if (configured === "auto") return provisioned;
  if (configured) return path.resolve(baseDir, configured);
  return env.TOOL4D || undefined;
}
