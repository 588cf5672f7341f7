import { existsSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, type PlistValue } from "plist";
import { decodeBytes, readPlist } from "../../files/xml-text.js";

/** Merges keys into an application's Info.plist (macOS Contents/, Windows Resources/), keys sorted for stable bytes. */
export async function mergeInfoPlist(file: string, keys: Record<string, string>): Promise<void> {
  const current = existsSync(file) ? readPlist(file) : {};
  const merged: Record<string, unknown> = { ...current, ...keys };
  await writeFile(file, build(Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]])) as Record<string, PlistValue>));
}

/**
 * Localised InfoPlist.strings override Info.plist, hiding a custom copyright: the first CFBundleGetInfoString
 * and NSHumanReadableCopyright lines are renamed out of the way, as Build4D does (build-outputs.md §12).
 * The file keeps its encoding. Returns the files changed.
 */
export async function releaseCopyrightStrings(resources: string): Promise<string[]> {
  const changed: string[] = [];
  if (!existsSync(resources)) return changed;
  for (const folder of readdirSync(resources).filter((n) => n.endsWith(".lproj")).sort()) {
    const file = path.join(resources, folder, "InfoPlist.strings");
    if (!existsSync(file)) continue;
    const { text, encode } = decodeBytes(readFileSync(file));
    const renamed = text.replace(/^(\s*)CFBundleGetInfoString(\s*=)/m, "$1CF4DBundleGetInfoString$2").replace(/^(\s*)NSHumanReadableCopyright(\s*=)/m, "$1NS4DHumanReadableCopyright$2");
    if (renamed !== text) {
      await writeFile(file, encode(renamed));
      changed.push(file);
    }
  }
  return changed;
}

/**
 * Windows Updater privileges (build-outputs.md §20): Updater.exe.manifest becomes the elevated or the normal
 * manifest of the runtime, and both originals go. Nothing to do when the Updater was excluded.
 */
export async function selectUpdaterManifest(appFolder: string, elevated: boolean): Promise<boolean> {
  const updater = path.join(appFolder, "Resources", "Updater");
  const source = path.join(updater, elevated ? "elevated.manifest" : "normal.manifest");
  if (!existsSync(source)) return false;
  await copyFile(source, path.join(updater, "Updater.exe.manifest"));
  await Promise.all(["elevated.manifest", "normal.manifest"].map((n) => rm(path.join(updater, n), { force: true })));
  return true;
}
