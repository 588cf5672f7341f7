import { existsSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build, parse, type PlistValue } from "plist";

/** Merges keys into an application's Info.plist (macOS Contents/, Windows Resources/), keys sorted for stable bytes. */
export async function mergeInfoPlist(file: string, keys: Record<string, string>): Promise<void> {
  const current = existsSync(file) ? (parse(await readFile(file, "utf8")) as Record<string, PlistValue>) : {};
  const merged: Record<string, unknown> = { ...current, ...keys };
  await writeFile(file, build(Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]])) as Record<string, PlistValue>));
}

/** The text of an InfoPlist.strings file, in the encoding it was written in (UTF-16 with a byte-order mark, or UTF-8). */
function decodeStrings(data: Buffer): { text: string; encode: (text: string) => Buffer } {
  if (data[0] === 0xff && data[1] === 0xfe) return { text: data.subarray(2).toString("utf16le"), encode: (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, "utf16le")]) };
  if (data[0] === 0xfe && data[1] === 0xff) {
    const swapped = Buffer.from(data.subarray(2)).swap16();
    return { text: swapped.toString("utf16le"), encode: (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, "utf16le").swap16()]) };
  }
  return { text: data.toString("utf8"), encode: (t) => Buffer.from(t, "utf8") };
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
    const { text, encode } = decodeStrings(readFileSync(file));
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
