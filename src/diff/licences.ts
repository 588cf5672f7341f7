import type { Platform } from "../manifest/targets.js";

const SYSTEM: Record<Platform, string> = { mac: "macOS", win: "Windows" };

/**
 * The change of a platform's licence files, compared file by file and shown masked (`licenses.files.mac[0]`: a
 * licence file name holds the licence number), with what it does to the applications; undefined when the same
 * files are listed (in any order).
 */
export function licenceChange(before: readonly string[], after: readonly string[], platform: Platform): { field: string; before?: string[]; after?: string[]; note: string } | undefined {
  const replaced = after.filter((label) => label.endsWith("(another file)"));
  const added = after.filter((label) => !before.includes(label) && !replaced.includes(label));
  const removed = before.filter((label) => !after.includes(label) && !replaced.some((r) => r.startsWith(`${label} `)));
  if (added.length === 0 && removed.length === 0 && replaced.length === 0) return undefined;
  const apps = `the ${SYSTEM[platform]} applications`;
  const list = (labels: readonly string[]) => labels.join(", ");
  const parts: string[] = [];
  if (before.length === 0) parts.push(`${capital(apps)} now embed a licence (${list(after)}): users no longer activate one at first launch.`);
  else if (after.length === 0) parts.push(`No licence file is embedded in ${apps} any more: they are built without a licence, and users activate one at first launch.`);
  else {
    if (added.length > 0) parts.push(`${list(added)} ${added.length > 1 ? "are" : "is"} embedded as well: ${apps} get the licences ${added.length > 1 ? "they hold" : "it holds"}.`);
    if (removed.length > 0) parts.push(`${list(removed)} ${removed.length > 1 ? "are" : "is"} no longer embedded: if it held the deployment licence, ${apps} are built without one and users activate a licence at first launch.`);
    for (const label of replaced) parts.push(`${label.replace(" (another file)", "")} is replaced by another licence file: it must be a deployment licence of this 4D version.`);
  }
  return { field: `licenses.files.${platform}`, ...(before.length > 0 ? { before: [...before] } : {}), ...(after.length > 0 ? { after: [...after] } : {}), note: parts.join(" ") };
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
