import { existsSync, readdirSync, type Dirent } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { readXmlFile } from "../files/xml-text.js";

/**
 * Folders never searched for a project: dependencies, version control, 4D's generated code, installed
 * components and plug-ins, and build outputs (4D's default <Name>_Build, a Build folder, and the folders 4D
 * builds into), where copies of the project live.
 */
const SKIPPED = /^(node_modules|DerivedData|Components|Plugins|Logs|Compiled Database|Final Application|Client Server executable|build)$|_Build$|^\./i;

/** How many folders below the starting one a project package may sit. */
export const PROJECT_SEARCH_DEPTH = 3;

/**
 * The 4D projects at or below `root`: every <package>/Project/<Name>.4DProject, packages at most `depth` folders
 * down, sorted. A package is not searched further (its Components may hold interpreted components); symbolic
 * links are not followed.
 */
export function findProjects(root: string, depth = PROJECT_SEARCH_DEPTH): string[] {
  const found: string[] = [];
  const visit = (dir: string, level: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const own = projectFilesIn(dir, entries);
    if (own.length > 0) return void found.push(...own);
    if (level === depth) return;
    for (const entry of entries) if (entry.isDirectory() && !SKIPPED.test(entry.name)) visit(path.join(dir, entry.name), level + 1);
  };
  visit(root, 0);
  return found.sort();
}

/** The .4DProject files of a package folder (in its Project folder). */
export function projectFilesIn(packageDir: string, entries: Dirent[] = readdirSync(packageDir, { withFileTypes: true })): string[] {
  if (!entries.some((e) => e.isDirectory() && e.name === "Project")) return [];
  const projectDir = path.join(packageDir, "Project");
  try {
    return readdirSync(projectDir)
      .filter((name) => /\.4DProject$/i.test(name))
      .sort()
      .map((name) => path.join(projectDir, name));
  } catch {
    return []; // unreadable: not a project we can build
  }
}

/**
 * Why a project package looks like a component, or nothing. 4D has no flag for it ("the matrix project is a
 * standard project with no specific attributes", 4D docs, Developing Components); these are the traces
 * component developers leave, each documented for components only:
 * - an Info.plist at the package root: 4D merges it into the built component (Build component; Info.plist);
 * - a component namespace (General settings, "Component namespace in the class store":
 *   component_classStore_name in Project/Sources/settings.4DSettings);
 * - an On Host Database Event database method, which 4D runs in components only.
 */
export function componentTraces(packageDir: string): string[] {
  const traces: string[] = [];
  if (existsSync(path.join(packageDir, "Info.plist"))) traces.push("an Info.plist at the package root (4D merges it into the built component)");
  const namespace = componentNamespace(path.join(packageDir, "Project", "Sources", "settings.4DSettings"));
  if (namespace) traces.push(`a component namespace, "${namespace}" (Project/Sources/settings.4DSettings)`);
  if (existsSync(path.join(packageDir, "Project", "Sources", "DatabaseMethods", "onHostDatabaseEvent.4dm"))) traces.push("an On Host Database Event method, which 4D runs in components only");
  return traces;
}

/** preferences/com.4d/general@component_classStore_name of a structure settings file, when set. */
function componentNamespace(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", processEntities: false }).parse(readXmlFile(file).replace(/<!DOCTYPE[^>]*>/i, "")) as { preferences?: { "com.4d"?: { general?: { component_classStore_name?: unknown } } } };
    const name = xml.preferences?.["com.4d"]?.general?.component_classStore_name;
    return typeof name === "string" && name.trim() ? name.trim() : undefined;
  } catch {
    return undefined; // an unreadable settings file says nothing about the project's kind
  }
}
