import path from "node:path";
import { findProjects } from "../four-d/projects.js";
import { repositoryRoot } from "../files/work-tree.js";

/**
 * The project package a settings file belongs to, found from the file itself (never from the current folder):
 * the parent of its Settings folder; else the one 4D project of the repository holding the file; else the
 * file's own folder.
 */
export function settingsPackage(settingsFile: string): string {
  const dir = path.dirname(path.resolve(settingsFile));
  if (path.basename(dir).toLowerCase() === "settings") return path.dirname(dir);
  const projects = findProjects(repositoryRoot(dir));
  return projects.length === 1 ? path.dirname(path.dirname(projects[0]!)) : dir;
}
