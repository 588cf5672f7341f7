import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The id a plug-in declares in its manifest.json (Contents/manifest.json in the .bundle, else at its root; the
 * place the 4D Plugin SDK's template uses, inferred), or undefined when there is none that can be read.
 */
export function pluginId(bundle: string): number | undefined {
  for (const file of [path.join(bundle, "Contents", "manifest.json"), path.join(bundle, "manifest.json")]) {
    if (!existsSync(file)) continue;
    try {
      const id = (JSON.parse(readFileSync(file, "utf8")) as { id?: unknown }).id;
      const value = typeof id === "string" ? Number(id) : id;
      if (typeof value === "number" && Number.isInteger(value)) return value;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The .bundle folders of a Plugins folder with the id each declares. */
export function pluginsWithIds(folder: string): { bundle: string; id: number | undefined }[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.toLowerCase().endsWith(".bundle"))
    .sort()
    .map((name) => ({ bundle: path.join(folder, name), id: pluginId(path.join(folder, name)) }));
}
