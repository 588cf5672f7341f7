import path from "node:path";
import type { FourDVersion } from "../four-d/version.js";
import type { Manifest } from "./manifest.generated.js";
import { type AppTarget, PLATFORMS, type Platform, targetPlatforms } from "./rules/context.js";

export type { AppTarget, Platform };
export type LicensesMode = NonNullable<NonNullable<Manifest["licenses"]>["mode"]>;
export type DataLinking = "byAppName" | "byAppPath" | "inStructure";

export interface AppTargetPlan {
  platforms: Platform[];
  /** Absolute runtime folders by platform. */
  runtime: Partial<Record<Platform, string>>;
  /** Absolute icon files by platform (explicit ones; the project default icon is looked up by the builder). */
  icon: Partial<Record<Platform, string>>;
}

/**
 * The resolved build: the manifest as written (variables resolved), plus every default applied and every
 * path made absolute. Read-only: steps and generators read it, nothing changes it.
 */
export interface BuildPlan {
  manifest: Manifest;
  manifestFile: string;
  /** Folder of the manifest; relative paths in it start here. */
  baseDir: string;
  /** Project package: the folder that contains Project/. */
  packageDir: string;
  projectFile: string;
  name: string;
  fourD: FourDVersion;
  output: Record<Platform, string>;
  targets: {
    compiled?: { associatedFolders: boolean };
    component?: Record<string, never>;
    standalone?: AppTargetPlan & { dataLinking: DataLinking };
    server?: AppTargetPlan & { dataLinking: DataLinking };
    client?: AppTargetPlan;
  };
  licensesMode: LicensesMode;
}

export type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
export type ReadonlyBuildPlan = DeepReadonly<BuildPlan>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** All defaults live here. The manifest must already be valid. */
export function normalize(manifest: Manifest, manifestFile: string, fourD: FourDVersion): ReadonlyBuildPlan {
  const baseDir = path.dirname(manifestFile);
  const absolute = (p: string) => path.resolve(baseDir, p);
  const projectFile = absolute(manifest.project);
  const packageDir = path.dirname(path.dirname(projectFile));
  const name = manifest.name ?? path.basename(projectFile).replace(/\.4DProject$/i, "");
  const defaultOutput = manifest.output?.dir ? absolute(manifest.output.dir) : path.join(path.dirname(packageDir), `${name}_Build`);

  const app = (target: AppTarget): AppTargetPlan | undefined => {
    const written = manifest.targets?.[target];
    if (!written || written.enabled === false) return undefined;
    const byPlatform = (paths: Partial<Record<Platform, string>> | undefined) =>
      Object.fromEntries(PLATFORMS.filter((p) => paths?.[p]).map((p) => [p, absolute(paths![p]!)])) as Partial<Record<Platform, string>>;
    return { platforms: targetPlatforms(manifest, target), runtime: byPlatform(written.runtime), icon: byPlatform(written.icon) };
  };
  const on = (target: "compiled" | "component") => manifest.targets?.[target] !== undefined && manifest.targets[target]?.enabled !== false;
  const standalone = app("standalone");
  const server = app("server");
  const client = app("client");
  const licenseFiles = PLATFORMS.some((p) => (manifest.licenses?.files?.[p]?.length ?? 0) > 0);

  const plan: BuildPlan = {
    manifest,
    manifestFile,
    baseDir,
    packageDir,
    projectFile,
    name,
    fourD,
    output: {
      mac: manifest.output?.mac ? absolute(manifest.output.mac) : defaultOutput,
      win: manifest.output?.win ? absolute(manifest.output.win) : defaultOutput,
    },
    targets: {
      ...(on("compiled") ? { compiled: { associatedFolders: manifest.targets?.compiled?.associatedFolders ?? false } } : {}),
      ...(on("component") ? { component: {} } : {}),
      ...(standalone ? { standalone: { ...standalone, dataLinking: manifest.targets?.standalone?.dataLinking ?? "byAppName" } } : {}),
      ...(server ? { server: { ...server, dataLinking: manifest.targets?.server?.dataLinking ?? "byAppName" } } : {}),
      ...(client ? { client } : {}),
    },
    licensesMode: manifest.licenses?.mode ?? (licenseFiles ? "files" : "none"),
  };
  return deepFreeze(plan);
}
