import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { componentName, componentPackage, findInCache, packageFolders } from "./component-files.js";

/**
 * The components a project compiles with. `Compile project` needs each one named (4d/docs@00c6c20e675fa226b76132d549382256687f4ba3:
 * docs/commands/compile-project.md: "this command requires that you explicitly designate the component(s)…
 * the components must already be compiled"); 4D itself loads them from (4d/docs@0833eaba3717f0df3083370c40f2804b4e1297ed:
 * docs/Project/components.md, "Priority"): the project's Components folder first, then those dependencies.json
 * names, at the path environment4d.json gives, else next to the project's package folder; GitHub ones from its
 * local cache.
 */
export type ComponentOrigin = "compile.components" | "Components folder" | "dependencies.json" | "environment4d.json" | "GitHub cache";

export interface ProjectComponent {
  name: string;
  origin: ComponentOrigin;
  /**
   * found: `file` is the compiled component passed to the compiler; missing: not where 4D would look;
   * interpreted: a source project, which Compile project cannot use; overloaded: a component of the same name
   * comes first (4D's priority order), this one is not used.
   */
  status: "found" | "missing" | "interpreted" | "overloaded";
  file?: string;
  /** Where it was found, or looked for. */
  where: string;
  /** owner/repository of a GitHub dependency. */
  github?: string;
}

export interface DiscoveryInput {
  packageDir: string;
  /** compile.components, absolute. */
  explicit: readonly string[];
  /** Where 4D caches downloaded GitHub dependencies (compile.dependencyCache, else defaultDependencyCache()). */
  cache: string;
}

/**
 * 4D's cache of GitHub dependencies for tool4d (components.md, "Local cache for dependencies"):
 * $HOME/Library/Caches/tool4D/Dependencies on macOS, C:\Users\<user>\AppData\Local\tool4D\Dependencies on
 * Windows. Linux is not documented: ~/.cache/tool4D/Dependencies (XDG_CACHE_HOME) is inferred.
 */
export function defaultDependencyCache(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (platform === "darwin") return path.join(home, "Library", "Caches", "tool4D", "Dependencies");
  if (platform === "win32") return path.join(env.LOCALAPPDATA ?? path.join(home, "AppData", "Local"), "tool4D", "Dependencies");
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, ".cache"), "tool4D", "Dependencies");
}

export type Declared = Record<string, unknown>;

/** The `dependencies` object of dependencies.json or environment4d.json; empty when the file is absent or unreadable. */
export function readDependencies(file: string): Declared {
  if (!existsSync(file)) return {};
  try {
    const json = JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, "")) as { dependencies?: unknown };
    return json.dependencies && typeof json.dependencies === "object" && !Array.isArray(json.dependencies) ? (json.dependencies as Declared) : {};
  } catch {
    return {}; // 4D reports an unreadable file when it opens the project; the components are then listed as missing
  }
}

/** environment4d.json: in the package folder or the nearest parent folder that has one (components.md). */
export function findEnvironmentFile(packageDir: string): string | undefined {
  for (let dir = packageDir; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "environment4d.json");
    if (existsSync(file)) return file;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A path of environment4d.json: POSIX, relative to that file, or a file:// URL (components.md, "Relative paths vs absolute paths"). */
export function environmentPath(value: string, environmentFile: string): string {
  if (/^file:\/\//i.test(value)) return fileURLToPath(value);
  return path.resolve(path.dirname(environmentFile), value);
}

const githubOf = (entry: unknown): string | undefined => (entry && typeof entry === "object" && typeof (entry as { github?: unknown }).github === "string" ? (entry as { github: string }).github : undefined);

/** A local dependency: the package folder at `where` (the environment's path, else next to the project's package). */
function localComponent(name: string, origin: ComponentOrigin, folders: string[]): ProjectComponent {
  for (const folder of folders) {
    const pkg = componentPackage(folder, name);
    if (pkg) return { name, origin, status: pkg.kind === "compiled" ? "found" : "interpreted", file: pkg.file, where: folder };
  }
  return { name, origin, status: "missing", where: folders[0]! };
}

function dependencyComponents(input: DiscoveryInput): ProjectComponent[] {
  const declared = readDependencies(path.join(input.packageDir, "Project", "Sources", "dependencies.json"));
  const environmentFile = findEnvironmentFile(input.packageDir);
  const environment = environmentFile ? readDependencies(environmentFile) : {};
  return Object.keys(declared).sort().map((name) => {
    const local = environment[name];
    const github = githubOf(local) ?? githubOf(declared[name]);
    if (typeof local === "string" && environmentFile) return localComponent(name, "environment4d.json", [environmentPath(local, environmentFile)]);
    if (github) {
      const file = findInCache(input.cache, [name, github.split("/").pop() ?? name]);
      return { name, origin: "GitHub cache", github, status: file ? "found" : "missing", ...(file ? { file } : {}), where: file ?? input.cache };
    }
    const parent = path.dirname(input.packageDir);
    return localComponent(name, "dependencies.json", [path.join(parent, name), path.join(parent, `${name}.4dbase`)]);
  });
}

/** Every component the project uses, in 4D's priority order; a name met again is overloaded. */
export function discoverComponents(input: DiscoveryInput): ProjectComponent[] {
  const explicit = input.explicit.map((file): ProjectComponent => ({ name: componentName(file), origin: "compile.components", status: existsSync(file) ? "found" : "missing", file, where: file }));
  const folder = packageFolders(path.join(input.packageDir, "Components")).map((dir) => localComponent(componentName(dir), "Components folder", [dir]));
  const seen = new Set<string>();
  return [...explicit, ...folder, ...dependencyComponents(input)].map((component) => {
    const key = component.name.toLowerCase();
    if (seen.has(key)) return { ...component, status: "overloaded" as const };
    if (component.status !== "missing") seen.add(key);
    return component;
  });
}

/** The .4DZ files passed to Compile project. */
export const compilerComponents = (components: readonly ProjectComponent[]): string[] => components.filter((c) => c.status === "found" && c.file).map((c) => c.file!);

/** The components of a project as the manifest's compile settings describe where to look (paths relative to baseDir). */
export function projectComponents(packageDir: string, baseDir: string, compile: { components?: readonly string[] | undefined; dependencyCache?: string | undefined }): ProjectComponent[] {
  return discoverComponents({
    packageDir,
    explicit: (compile.components ?? []).map((c) => path.resolve(baseDir, c)),
    cache: compile.dependencyCache ? path.resolve(baseDir, compile.dependencyCache) : defaultDependencyCache(),
  });
}
