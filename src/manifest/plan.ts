import { existsSync } from "node:fs";
import path from "node:path";
import { defaultCompileTargets } from "../four-d/compiled-code.js";
import { parseFourDVersion, type FourDVersion } from "../four-d/version.js";
import type { Manifest } from "./manifest.generated.js";
import type { ResolvedManifest } from "./resolved.generated.js";
import { runtimeSource, type RuntimeSetting, type RuntimeSource } from "./runtime-source.js";
import { deref, rootSchema, type SchemaNode } from "./schema-walk.js";
import { APP_TARGETS, enabledTarget, PLATFORMS, targetPlatforms, type AppTarget, type Platform } from "./targets.js";

export interface AppTargetPlan {
  platforms: Platform[];
  /** Where each platform's runtime comes from: a folder, an archive file or a download (absolute paths). */
  runtime: Partial<Record<Platform, RuntimeSource>>;
  /** Absolute icon files by platform (explicit ones; the project default icon is looked up by the builder). */
  icon: Partial<Record<Platform, string>>;
}

/**
 * The resolved build: what every command reads, never the manifest as written. Read-only.
 * `config` is the manifest with its variables resolved and every default applied, the schema's and the
 * derived ones (x-derived-default); the other fields are derived once from it (absolute paths, targets built).
 */
export interface BuildPlan {
  config: ResolvedManifest;
  /**
   * The fields the manifest writes, as dotted paths of its leaves (a list or an empty mapping is a leaf).
   * The generator writes the buildApp.4DSettings keys of these fields only, as 4D's dialog keeps what the user set.
   */
  written: string[];
  manifestFile: string;
  /** Folder of the manifest; relative paths in it start here. */
  baseDir: string;
  /** Project package: the folder that contains Project/. */
  packageDir: string;
  projectFile: string;
  fourD: FourDVersion;
  /** Absolute destination folder when building on each platform's host. */
  output: Record<Platform, string>;
  /** The targets that are built (declared and enabled). */
  targets: {
    compiled?: Record<string, never>;
    component?: Record<string, never>;
    standalone?: AppTargetPlan;
    server?: AppTargetPlan;
    client?: AppTargetPlan;
  };
}

export type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
export type ReadonlyBuildPlan = DeepReadonly<BuildPlan>;
export type ResolvedConfig = DeepReadonly<ResolvedManifest>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** `value` with every schema default filled in where a field is absent, recursively (mappings and list items). */
export function withSchemaDefaults(value: unknown, schema: SchemaNode = rootSchema): unknown {
  const node = deref(schema);
  if (Array.isArray(value)) return node.items ? value.map((item) => withSchemaDefaults(item, node.items!)) : [...value];
  if (value === null || typeof value !== "object") return value;
  const written = value as Record<string, unknown>;
  if (!node.properties) return { ...written };
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node.properties)) {
    const fallback = deref(child).default;
    const given = written[key] !== undefined ? written[key] : fallback !== undefined ? structuredClone(fallback) : undefined;
    if (given !== undefined) out[key] = withSchemaDefaults(given, child);
  }
  return out;
}

/** Every leaf of a manifest by dotted field path; a list or an empty mapping is one leaf. */
export function leafFields(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value).filter(([, child]) => child !== undefined);
    for (const [key, child] of entries) leafFields(child, prefix ? `${prefix}.${key}` : key, out);
    if (entries.length === 0 && prefix) out.set(prefix, {});
  } else if (prefix) out.set(prefix, value);
  return out;
}

const relativePath = (from: string, to: string) => path.relative(from, to).split(path.sep).join("/");

/**
 * licenses.embed when not written: from 4D 20, 4D generates each application's licence (Create deployment
 * license, a new one at each build: developer.4d.com/docs/20/Admin/licenses); before, 4D copied the file.
 */
export function defaultLicenseEmbed(fourD: string | undefined): "copy" | "create" {
  const version = fourD === undefined ? undefined : parseFourDVersion(String(fourD));
  return version && version.major < 20 ? "copy" : "create";
}

/** The defaults computed from other values (the x-derived-default fields of the schema). */
function applyDerivedDefaults(config: ResolvedManifest, written: Manifest, packageDir: string, baseDir: string, host: NodeJS.Platform): void {
  config.compile.targets = written.compile?.targets ? [...written.compile.targets] : defaultCompileTargets(host);
  config.name = written.name ?? path.basename(config.project).replace(/\.4DProject$/i, "");
  const licenseFiles = PLATFORMS.some((p) => (written.licenses?.files?.[p]?.length ?? 0) > 0);
  config.licenses.mode = written.licenses?.mode ?? (licenseFiles ? "files" : "none");
  config.licenses.embed = written.licenses?.embed ?? defaultLicenseEmbed(written["4dVersion"]);
  const client = config.targets.client;
  if (client) client.updateArchive = written.targets?.client?.updateArchive ?? (config.autoUpdate.enabled && !enabledTarget(written, "server"));
  for (const target of APP_TARGETS) {
    const declared = config.targets[target];
    if (declared) declared.platforms = targetPlatforms(written, target) as typeof declared.platforms;
  }
  const webFolder = path.join(packageDir, "WebFolder");
  if (written.web?.folder === undefined && existsSync(webFolder)) config.web = { ...config.web, folder: relativePath(baseDir, webFolder) };
  // 4D integrates the project's Default Data folder by convention (4d/docs, Desktop/building.md, "Defining a default data folder").
  const defaultData = path.join(packageDir, "Default Data");
  if (written.data?.defaultFolder === undefined && config.data?.embedDefaultData !== false && existsSync(defaultData)) config.data = { embedDefaultData: true, ...config.data, defaultFolder: relativePath(baseDir, defaultData) };
}

/** The configuration part of a plan: the manifest resolved, and which fields it writes. */
export function resolveConfig(manifest: Manifest, baseDir: string, packageDir: string, host: NodeJS.Platform = process.platform): Pick<BuildPlan, "config" | "written"> {
  const config = withSchemaDefaults(manifest) as ResolvedManifest;
  applyDerivedDefaults(config, manifest, packageDir, baseDir, host);
  return { config, written: [...leafFields(manifest).keys()].sort() };
}

/** The resolved plan of a valid manifest: every default applied once, here. */
export function normalize(manifest: Manifest, manifestFile: string, fourD: FourDVersion, host: NodeJS.Platform = process.platform): ReadonlyBuildPlan {
  const baseDir = path.dirname(manifestFile);
  const absolute = (p: string) => path.resolve(baseDir, p);
  const projectFile = absolute(manifest.project);
  const packageDir = path.dirname(path.dirname(projectFile));
  const { config, written } = resolveConfig(manifest, baseDir, packageDir, host);
  const defaultOutput = config.output.dir ? absolute(config.output.dir) : path.join(path.dirname(packageDir), `${config.name}_Build`);

  const app = (target: AppTarget): AppTargetPlan | undefined => {
    const declared = config.targets[target];
    if (!declared || !enabledTarget(config, target)) return undefined;
    const byPlatform = (paths: Partial<Record<Platform, string>> | undefined) =>
      Object.fromEntries(PLATFORMS.filter((p) => paths?.[p]).map((p) => [p, absolute(paths![p]!)])) as Partial<Record<Platform, string>>;
    const runtimes = declared.runtime as Partial<Record<Platform, RuntimeSetting>> | undefined;
    const runtime = Object.fromEntries(PLATFORMS.filter((p) => runtimes?.[p]).map((p) => [p, runtimeSource(runtimes![p]!, baseDir)])) as Partial<Record<Platform, RuntimeSource>>;
    return { platforms: [...(declared.platforms ?? [])], runtime, icon: byPlatform(declared.icon) };
  };
  const targets: BuildPlan["targets"] = {};
  if (enabledTarget(config, "compiled")) targets.compiled = {};
  if (enabledTarget(config, "component")) targets.component = {};
  for (const target of APP_TARGETS) {
    const planned = app(target);
    if (planned) targets[target] = planned;
  }

  const plan: BuildPlan = {
    config,
    written,
    manifestFile,
    baseDir,
    packageDir,
    projectFile,
    fourD,
    output: {
      mac: config.output.mac ? absolute(config.output.mac) : defaultOutput,
      win: config.output.win ? absolute(config.output.win) : defaultOutput,
    },
    targets,
  };
  return deepFreeze(plan);
}

/** Whether the manifest writes `field` or something below it. */
export const writes = (plan: Pick<ReadonlyBuildPlan, "written">, field: string): boolean => plan.written.some((f) => f === field || f.startsWith(`${field}.`));
