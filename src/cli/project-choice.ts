import { statSync } from "node:fs";
import path from "node:path";
import { findProjects, PROJECT_SEARCH_DEPTH, projectFilesIn } from "../four-d/projects.js";
import { UsageError } from "../messages/errors.js";

const shown = (cwd: string, file: string) => path.relative(cwd, file).split(path.sep).join("/") || ".";

function onlyOne(files: string[], cwd: string, where: string): string {
  if (files.length === 1) return files[0]!;
  const list = files.map((f) => `\n  ${shown(cwd, f)}`).join("");
  throw new UsageError(`${files.length} 4D projects ${where}:${list}`, `choose one: 4dbuild init --project ${shown(cwd, files[0]!)}`);
}

/**
 * The .4DProject file init writes a manifest for: `--project` (the file, or its package folder), else the one
 * project at or a few folders below `cwd`. None or several is a usage error saying what was looked for.
 */
export function chooseProject(cwd: string, given?: string): string {
  if (given === undefined) {
    const found = findProjects(cwd);
    if (found.length === 0)
      throw new UsageError(`no 4D project here: expected Project/<Name>.4DProject in the current folder or up to ${PROJECT_SEARCH_DEPTH} folders below`, "run 4dbuild init in the repository or the project package folder, or give it: --project path/to/Project/Name.4DProject");
    return onlyOne(found, cwd, "here");
  }
  const file = path.resolve(cwd, given);
  let folder: boolean;
  try {
    folder = statSync(file).isDirectory();
  } catch {
    throw new UsageError(`--project ${given}: not found`, "give a .4DProject file or the package folder holding Project/");
  }
  if (!folder) {
    if (!/\.4DProject$/i.test(file)) throw new UsageError(`--project ${given} is not a .4DProject file`, "give Project/<Name>.4DProject, or the package folder holding it");
    return file;
  }
  const files = projectFilesIn(file);
  if (files.length === 0) throw new UsageError(`--project ${given}: no Project/<Name>.4DProject in that folder`, "give the package folder (the one holding Project/), or the .4DProject file");
  return onlyOne(files, cwd, `in ${given}`);
}
