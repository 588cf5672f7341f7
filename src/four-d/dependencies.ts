import path from "node:path";
import { environmentPath, findEnvironmentFile, readDependencies } from "./components.js";

/**
 * A dependency the project declares (4d/docs@c55f5a1d0f5418bd2192ee05007f70aafdf922ca:versioned_docs/version-21-R2/
 * Project/components.md): named in Project/Sources/dependencies.json; environment4d.json (in the package folder or a
 * parent) may give its path or its GitHub repository, and then wins.
 */
export interface DeclaredDependency {
  name: string;
  origin: "dependencies.json" | "environment4d.json";
  /** owner/repository of a GitHub dependency. */
  github?: string;
  tag?: string;
  version?: string;
  /** A local dependency: the package folders 4D looks in, in order. */
  folders?: string[];
}

const field = (entry: unknown, key: string): string | undefined => {
  const value = entry && typeof entry === "object" ? (entry as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
};

/** Every dependency of the project, by name. */
export function declaredDependencies(packageDir: string): DeclaredDependency[] {
  const declared = readDependencies(path.join(packageDir, "Project", "Sources", "dependencies.json"));
  const environmentFile = findEnvironmentFile(packageDir);
  const environment = environmentFile ? readDependencies(environmentFile) : {};
  return Object.keys(declared)
    .sort()
    .map((name): DeclaredDependency => {
      const local = environment[name];
      if (typeof local === "string" && environmentFile) return { name, origin: "environment4d.json", folders: [environmentPath(local, environmentFile)] };
      const github = field(local, "github") ? local : field(declared[name], "github") ? declared[name] : undefined;
      if (github) {
        const origin = github === local ? "environment4d.json" : "dependencies.json";
        const tag = field(github, "tag");
        const version = field(github, "version");
        return { name, origin, github: field(github, "github")!, ...(tag ? { tag } : {}), ...(version ? { version } : {}) };
      }
      // Next to the project's package folder, with or without .4dbase.
      const parent = path.dirname(packageDir);
      return { name, origin: "dependencies.json", folders: [path.join(parent, name), path.join(parent, `${name}.4dbase`)] };
    });
}
