import { existsSync } from "node:fs";
import path from "node:path";
import { componentName, componentPackage, findInCache, packageFolders } from "../four-d/component-files.js";
import { defaultDependencyCache } from "../four-d/components.js";
import { declaredDependencies, type DeclaredDependency } from "../four-d/dependencies.js";
import { describeRule, versionRule } from "../four-d/dependency-versions.js";
import { atLeast } from "../four-d/version.js";
import { readPlist } from "../files/xml-text.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import { cachedRelease } from "../toolchain/github-releases.js";

/**
 * A component embedded in the stand-alone and server applications, beside the project's own Components folder:
 * - up to 4D 20.x, the 4D components of the building 4D's Components folder (the v19 R8 BuildApp.log.xml of
 *   /work/shared/corpus: "Component copying from …\4D\Components\4D SVG.4dbase\"), which real 4D Volume Desktop
 *   and 4D Server do not hold;
 * - every dependency of dependencies.json / environment4d.json ("in merged applications, components are included at
 *   the build step", 4d/docs@c55f5a1d0f5418bd2192ee05007f70aafdf922ca:versioned_docs/version-21-R2/Project/components.md).
 */
export interface EmbeddedComponent {
  name: string;
  origin: "4D" | DeclaredDependency["origin"];
  /** owner/repository of a GitHub dependency, and the release rule it declares. */
  github?: string;
  rule?: string;
  /** The release tag, or the package's CFBundleShortVersionString. */
  version?: string;
  /**
   * found: `folder` is copied; download: fetched from GitHub by the build; missing / interpreted: the build fails;
   * excluded: components.exclude names it; overloaded: the project's Components folder has one of that name, which wins.
   */
  status: "found" | "download" | "missing" | "interpreted" | "excluded" | "overloaded";
  /** The package folder copied. */
  folder?: string;
  /** Where it was found or looked for. */
  where: string;
}

/**
 * The Components folder of a 4D or tool4d executable: Contents/Components of a macOS package (MacOS/..), or the
 * folder beside the executable (Windows), or beside its bin folder (the Linux tool4d archive). Build4D reads 4D's
 * own the same way (4d/Build4D@bfd39383c13b3b6ee81f8d4a59fa4415d11628f7:Build4D/Project/Sources/Classes/_core.4dm,
 * "/4DCOMPONENTS/"). Undefined when none exists.
 */
export function executableComponents(executable: string): string | undefined {
  const dir = path.dirname(executable);
  return [path.join(dir, "Components"), path.join(dir, "..", "Components")].map((p) => path.resolve(p)).find((p) => existsSync(p));
}

/** The 4D Components folder of a build up to 4D 20.x: components.fourD, else the tool4d's. */
export function fourDComponentsFolder(plan: ReadonlyBuildPlan, env: NodeJS.ProcessEnv, tool4d?: string): string | undefined {
  if (plan.config.components.fourD) return path.resolve(plan.baseDir, plan.config.components.fourD);
  const configured = plan.config.compile.tool4d;
  const executable = tool4d ?? (configured && configured !== "auto" ? path.resolve(plan.baseDir, configured) : env.TOOL4D);
  return executable ? executableComponents(executable) : undefined;
}

/** Whether 4D's own components come from the building 4D (up to 20.x) rather than from dependencies (21 and later). */
export const copiesFourDComponents = (plan: ReadonlyBuildPlan): boolean => !atLeast(plan.fourD, "21");

function versionOf(folder: string): string | undefined {
  for (const file of [path.join(folder, "Contents", "Info.plist"), path.join(folder, "Info.plist")]) {
    if (!existsSync(file)) continue;
    const value = readPlist(file).CFBundleShortVersionString;
    return typeof value === "string" ? value : undefined;
  }
  return undefined;
}

/** The package folder holding a compiled component's .4DZ (…/X.4dbase/Contents/X.4DZ → …/X.4dbase). */
const packageOf = (file: string) => (path.basename(path.dirname(file)) === "Contents" ? path.dirname(path.dirname(file)) : path.dirname(file));

function localPackage(name: string, origin: EmbeddedComponent["origin"], folders: readonly string[]): EmbeddedComponent {
  for (const folder of folders) {
    const pkg = componentPackage(folder, name);
    if (pkg?.kind === "compiled") return { name, origin, status: "found", folder, where: folder, ...optional("version", versionOf(folder)) };
    if (pkg) return { name, origin, status: "interpreted", where: folder };
  }
  return { name, origin, status: "missing", where: folders.join(" or ") };
}

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

function githubComponent(dependency: DeclaredDependency, plan: ReadonlyBuildPlan, env: NodeJS.ProcessEnv): EmbeddedComponent {
  const { name, origin } = dependency;
  const github = dependency.github!;
  const rule = versionRule(dependency);
  const base = { name, origin, github, rule: describeRule(rule) };
  const cached = cachedRelease(env, github, rule, name);
  if (cached) return { ...base, status: "found", version: cached.tag, folder: cached.folder, where: cached.folder };
  // What 4D (or tool4d) downloaded for this project: what the compiler compiled against.
  const fourDCache = plan.config.compile.dependencyCache ? path.resolve(plan.baseDir, plan.config.compile.dependencyCache) : defaultDependencyCache();
  const file = findInCache(fourDCache, [name, github.split("/").pop()!]);
  if (file) return { ...base, status: "found", folder: packageOf(file), where: packageOf(file), ...optional("version", versionOf(packageOf(file))) };
  return { ...base, status: "download", where: `https://github.com/${github}/releases` };
}

/**
 * What the applications embed, without any request: found, to download, or missing. `tool4d` is the provisioned
 * tool4d, whose Components folder is the default source of 4D's components up to 20.x.
 */
export function planEmbeddedComponents(plan: ReadonlyBuildPlan, env: NodeJS.ProcessEnv, tool4d?: string): EmbeddedComponent[] {
  const { components } = plan.config;
  const own = new Set(packageFolders(path.join(plan.packageDir, "Components")).map((f) => componentName(f).toLowerCase()));
  const excluded = new Set(components.exclude.map((n) => n.toLowerCase()));
  const out: EmbeddedComponent[] = [];
  const fourD = copiesFourDComponents(plan) ? fourDComponentsFolder(plan, env, tool4d) : undefined;
  const fromFourD = (name: string): EmbeddedComponent => {
    if (!fourD) return { name, origin: "4D", status: "missing", where: "no 4D Components folder (components.fourD, or a tool4d that has one)" };
    return { ...localPackage(name, "4D", [path.join(fourD, `${name}.4dbase`)]), where: path.join(fourD, `${name}.4dbase`) };
  };
  if (components.dependencies) {
    for (const dependency of declaredDependencies(plan.packageDir)) {
      const found = dependency.github ? githubComponent(dependency, plan, env) : localPackage(dependency.name, dependency.origin, dependency.folders ?? []);
      // Up to 20.x a name found nowhere else is one of 4D's own components (components.md, "Priority": level 3).
      const fallback = found.status === "missing" && fourD ? fromFourD(dependency.name) : undefined;
      out.push(fallback && fallback.status !== "missing" ? fallback : found);
    }
  }
  if (copiesFourDComponents(plan)) {
    const taken = new Set(out.map((c) => c.name.toLowerCase()));
    const wanted = components.use ?? (fourD ? packageFolders(fourD).filter((f) => /\.4dbase$/i.test(f)).map(componentName) : []);
    for (const name of wanted) if (!taken.has(name.toLowerCase())) out.push(fromFourD(name));
  }
  return out.map((c) => {
    if (excluded.has(c.name.toLowerCase())) return { ...c, status: "excluded" as const };
    if (own.has(c.name.toLowerCase())) return { ...c, status: "overloaded" as const, where: path.join(plan.packageDir, "Components") };
    return c;
  });
}

/** A one-line account of a component for logs and plan: "4D SVG (4D, 1.0): /…/4D SVG.4dbase". */
export function describeEmbedded(c: EmbeddedComponent): string {
  const from = c.github ? `GitHub ${c.github}, ${c.rule}` : c.origin === "4D" ? "4D's Components folder" : c.origin;
  return `${c.name} (${from}${c.version ? `, ${c.version}` : ""})`;
}
