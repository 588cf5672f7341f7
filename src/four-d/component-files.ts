import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Where a component's files are, in a component package folder (MyComponent.4dbase), as 4D's documentation lays
 * it out (4d/docs@0833eaba3717f0df3083370c40f2804b4e1297ed:docs/Project/components.md, "Package folder"): a
 * compiled component holds Contents/<name>.4DZ (recommended) or <name>.4DZ; an interpreted one a Project folder.
 * build4d-action passes Components/<name>.4dbase/<name>.4DZ to Compile project
 * (4d/build4d-action@444467f9364c098077fd24236b4fdf17a813d7bf:Project/Sources/Methods/Compile.4dm).
 */
export type ComponentPackage = { kind: "compiled"; file: string } | { kind: "interpreted"; file: string };

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const listing = (dir: string) => (isDir(dir) ? readdirSync(dir).sort() : []);

/** The .4DZ of a compiled component package folder, or its .4DProject when it is interpreted; undefined when neither. */
export function componentPackage(folder: string, name: string): ComponentPackage | undefined {
  for (const dir of [path.join(folder, "Contents"), folder]) {
    const zips = listing(dir).filter((f) => /\.4dz$/i.test(f) && !isDir(path.join(dir, f)));
    const own = zips.find((f) => f.slice(0, -4).toLowerCase() === name.toLowerCase()) ?? (zips.length === 1 ? zips[0] : undefined);
    if (own) return { kind: "compiled", file: path.join(dir, own) };
  }
  const project = listing(path.join(folder, "Project")).find((f) => /\.4dproject$/i.test(f));
  return project ? { kind: "interpreted", file: path.join(folder, "Project", project) } : undefined;
}

/** A component's name from its package folder or file: "MyComponent.4dbase" → "MyComponent". */
export const componentName = (entry: string): string => path.basename(entry).replace(/\.(4dbase|4dz)$/i, "");

/** The package folders in `dir` (Components/): every folder, named after the component. */
export function packageFolders(dir: string): string[] {
  return listing(dir).filter((f) => !f.startsWith(".") && isDir(path.join(dir, f))).map((f) => path.join(dir, f));
}

/**
 * A downloaded GitHub component in 4D's dependency cache. The cache's layout is not documented: 4dbuild looks
 * (four levels deep at most) for a package folder named after the dependency or its repository that holds a
 * compiled component, and takes the most recently written one.
 */
export function findInCache(cache: string, names: readonly string[]): string | undefined {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const found: { file: string; time: number }[] = [];
  const visit = (dir: string, depth: number) => {
    for (const folder of packageFolders(dir)) {
      const name = componentName(folder);
      if (wanted.has(name.toLowerCase())) {
        const pkg = componentPackage(folder, name);
        if (pkg?.kind === "compiled") found.push({ file: pkg.file, time: statSync(pkg.file).mtimeMs });
      }
      if (depth < 4) visit(folder, depth + 1);
    }
  };
  visit(cache, 1);
  return found.sort((a, b) => b.time - a.time || a.file.localeCompare(b.file))[0]?.file;
}
