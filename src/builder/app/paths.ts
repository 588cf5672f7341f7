import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import { copyTree } from "../../files/copy.js";
import { applicationTitle, artifactPath } from "../destinations.js";
import type { AppUnit } from "../units.js";
import type { RuntimeInfo } from "./runtime.js";
import { BuildError } from "../../messages/errors.js";

/** Where things go inside a built application (build-outputs.md §4, §5, §7, §14, §15, §17). */
export interface AppPaths {
  /** The .app package (macOS) or the application folder (Windows). */
  root: string;
  /** Contents/ on macOS, the folder itself on Windows. */
  contents: string;
  executable: string;
  /** Runtime resources file renamed after the application (.rsrc / .rsr). */
  resourceFile: string;
  /** Folder of the structure: Database, Server Database; the client's holds EnginedServer.4DLink. */
  structure: string;
  infoPlist: string;
  resources: string;
  licenses: string;
  components: string;
  plugins: string;
  /** Where cert.pem, key.pem and the web folder go. */
  webFiles: string;
}

export function appPaths(out: string, plan: ReadonlyBuildPlan, unit: AppUnit): AppPaths {
  const { target, platform } = unit;
  const root = path.join(out, artifactPath(plan, unit));
  const title = applicationTitle(plan, target);
  // naming.renameResources: false keeps the runtime's own resource file names (Build4D on macOS).
  const resourceName = !plan.config.naming.renameResources ? (target === "server" ? "4D Server" : "4D Volume Desktop") : title;
  const database = target === "server" ? "Server Database" : "Database";
  if (platform === "mac") {
    const contents = path.join(root, "Contents");
    return {
      root,
      contents,
      executable: path.join(contents, "MacOS", title),
      resourceFile: path.join(contents, "Resources", `${resourceName}.rsrc`),
      structure: path.join(contents, database),
      infoPlist: path.join(contents, "Info.plist"),
      resources: path.join(contents, "Resources"),
      licenses: path.join(contents, "Licenses"),
      components: path.join(contents, "Components"),
      plugins: path.join(contents, "Plugins"),
      webFiles: path.dirname(root),
    };
  }
  return {
    root,
    contents: root,
    executable: path.join(root, `${title}.exe`),
    resourceFile: target === "server" ? path.join(root, "Resources", `${resourceName}.rsr`) : path.join(root, `${resourceName}.rsr`),
    structure: path.join(root, database),
    infoPlist: path.join(root, "Resources", "Info.plist"),
    resources: path.join(root, "Resources"),
    licenses: path.join(root, "Licenses"),
    components: path.join(root, "Components"),
    plugins: path.join(root, "Plugins"),
    webFiles: target === "client" ? root : path.join(root, database),
  };
}

/** The runtime's own names of what is renamed after the application. */
function runtimeNames(runtime: RuntimeInfo): { executable: string; resourceFile: string; pri?: string } {
  const product = `4D ${runtime.kind}`;
  if (runtime.platform === "mac") return { executable: runtime.executable, resourceFile: `Contents/Resources/${product}.rsrc` };
  return { executable: runtime.executable, resourceFile: runtime.kind === "Server" ? `Resources/${product}.rsr` : `${product}.rsr`, pri: `${product}.pri` };
}

/**
 * Copies the runtime into the application's place, keeping symbolic links and executable bits, then renames
 * the executable and the resource files after the application (build-outputs.md §7).
 */
export async function copyRuntime(runtimeFolder: string, runtime: RuntimeInfo, paths: AppPaths, options: { sourceDate: number; signal: AbortSignal; onFile?: (bytes: number) => void }): Promise<void> {
  await copyTree(runtimeFolder, paths.root, { sourceDate: options.sourceDate, boundary: runtimeFolder, links: "keep", signal: options.signal, ...(options.onFile ? { onFile: options.onFile } : {}) });
  const names = runtimeNames(runtime);
  const renames: [string, string][] = [
    [path.join(paths.root, names.executable), paths.executable],
    [path.join(paths.root, names.resourceFile), paths.resourceFile],
  ];
  if (names.pri) renames.push([path.join(paths.root, names.pri), path.join(paths.root, `${path.basename(paths.resourceFile, ".rsr")}.pri`)]);
  for (const [from, to] of renames) if (existsSync(from) && from !== to) await rename(from, to);
}

/**
 * Edits an application's executable in place. A runtime whose executable is not what its platform needs
 * (a damaged copy, a stand-in) is a build error naming the file, not an internal one.
 */
export async function editExecutable(file: string, edit: (binary: Buffer) => Buffer): Promise<void> {
  let edited: Buffer;
  try {
    edited = edit(await readFile(file));
  } catch (error) {
    throw new BuildError(`${file} cannot be edited: ${(error as Error).message}`, "the runtime's executable must be a Mach-O (macOS) or PE (Windows) program: check the runtime folder");
  }
  await writeFile(file, edited);
}
