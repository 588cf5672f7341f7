import path from "node:path";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import type { AppTarget, Platform, TargetName } from "../manifest/targets.js";
import { writes } from "../manifest/plan.js";
import { compileOptions } from "../toolchain/tool4d.js";
import { isAppUnit, type BuildUnit } from "../builder/units.js";

/**
 * Build4D's classes and the settings object their constructor takes, as documented in
 * 4d/Build4D@bfd39383c13b3b6ee81f8d4a59fa4415d11628f7:Build4D/Documentation/Classes/*.md and read by
 * Build4D/Project/Sources/Classes/{_core,Server,Client}.4dm. Paths are platform paths (absolute).
 */
export type Build4DClass = "CompiledProject" | "Component" | "Standalone" | "Server" | "Client";

export const BUILD4D_CLASS: Record<TargetName, Build4DClass> = { compiled: "CompiledProject", component: "Component", standalone: "Standalone", server: "Server", client: "Client" };

export interface Build4DVersioning {
  version?: string;
  copyright?: string;
  companyName?: string;
  fileDescription?: string;
  internalName?: string;
}

export interface Build4DSettings {
  buildName: string;
  projectFile: string;
  destinationFolder: string;
  compilerOptions: Record<string, unknown>;
  packedProject: boolean;
  obfuscated: boolean;
  includePaths?: { source: string; destination: string }[];
  deletePaths?: string[];
  sourceAppFolder?: string;
  iconPath?: string;
  versioning?: Build4DVersioning;
  excludeModules?: string[];
  /** A licence file, "auto" (the machine's licences) or "eval". */
  license?: string;
  evaluationName?: string;
  signApplication?: { macSignature: boolean; macCertificate?: string; adHocSignature: boolean };
  lastDataPathLookup?: "ByAppName" | "ByAppPath";
  startElevated?: boolean;
  serverDataCollection?: boolean;
  serverStructureFolderName?: string;
  hideDataExplorerMenuItem?: boolean;
  hideRuntimeExplorerMenuItem?: boolean;
  hideAdministrationWindowMenuItem?: boolean;
  macCompiledProject?: string;
  IPAddress?: string;
  portNumber?: number;
  hardLink?: string;
  rangeVersMin?: number;
  rangeVersMax?: number;
  currentVers?: number;
  serverSelectionAllowed?: boolean;
  singleInstance?: boolean;
  clientUserPreferencesFolderByPath?: boolean;
  clientServerSystemFolderName?: string;
  shareLocalResourcesOnWindowsClient?: boolean;
}

export interface Build4DUnitPlaces {
  /** The project Build4D builds (4dbuild's private copy: Build4D compiles into it). */
  projectFile: string;
  /** The folder Build4D builds into; it deletes what it holds first. */
  destinationFolder: string;
  /** Name of the application, package or folder Build4D makes in destinationFolder. */
  buildName: string;
  /** The unit's runtime folder (applications). */
  runtime?: string;
}

/** What one unit asks of Build4D, and the manifest fields it cannot carry (the caller warns about each). */
export interface Build4DRequest {
  class: Build4DClass;
  settings: Build4DSettings;
  unmapped: string[];
}

const LINKING = { byAppName: "ByAppName", byAppPath: "ByAppPath" } as const;

/** Fields Build4D has no setting for (build-outputs.md "Build4D options with no key", the other way round). */
const UNMAPPED_FIELDS = [
  "targets.standalone.dataLinking",
  "targets.server.dataLinking",
  "targets.server.embedUsersAndGroups",
  "targets.client.embeddedApplication",
  "targets.compiled.associatedFolders",
  "targets.standalone.lightLicense",
  "autoUpdate.otherPlatformClient",
  "autoUpdate.legacyV13Clients",
  "plugins.exclude",
  "plugins.excludeIds",
  "components.exclude",
  "data.defaultFolder",
  "data.filePath",
  "network.tls",
  "licenses.oem",
  "naming.bundleIdentifier",
] as const;

function versioningFor(plan: ReadonlyBuildPlan, target: TargetName): Build4DVersioning | undefined {
  const { common } = plan.config.versioning;
  const own = target === "standalone" || target === "server" || target === "client" ? plan.config.versioning[target] : undefined;
  const merged = { ...common, ...own };
  const out: Build4DVersioning = {};
  for (const key of ["version", "copyright", "companyName", "fileDescription", "internalName"] as const) if (merged[key] !== undefined) out[key] = merged[key];
  return Object.keys(out).length ? out : undefined;
}

function licenseFor(plan: ReadonlyBuildPlan, platform: Platform): Pick<Build4DSettings, "license" | "evaluationName"> {
  const { licenses } = plan.config;
  if (licenses.mode === "automatic") return { license: "auto" };
  if (licenses.mode === "evaluation") return { license: "eval", ...(licenses.evaluationName ? { evaluationName: licenses.evaluationName } : {}) };
  const file = licenses.mode === "files" ? licenses.files?.[platform]?.[0] : undefined;
  return file ? { license: path.resolve(plan.baseDir, file) } : {};
}

function appSettings(plan: ReadonlyBuildPlan, target: AppTarget, platform: Platform, places: Build4DUnitPlaces): Partial<Build4DSettings> {
  const { config } = plan;
  const abs = (p: string | undefined) => (p ? path.resolve(plan.baseDir, p) : undefined);
  const mac = config.signing.mac;
  const out: Partial<Build4DSettings> = {
    ...(places.runtime ? { sourceAppFolder: places.runtime } : {}),
    ...(plan.targets[target]?.icon[platform] ? { iconPath: plan.targets[target]!.icon[platform]! } : {}),
    ...(config.modules.exclude.length ? { excludeModules: [...config.modules.exclude] } : {}),
    ...licenseFor(plan, platform),
    signApplication: { macSignature: mac.sign ?? mac.identity !== undefined, ...(mac.identity ? { macCertificate: mac.identity } : {}), adHocSignature: mac.adHoc },
    startElevated: config.autoUpdate.elevated[target],
  };
  if (target === "standalone") {
    const linking = config.targets.standalone!.dataLinking;
    if (linking !== "inStructure") out.lastDataPathLookup = LINKING[linking];
  }
  if (target === "server") {
    const server = config.targets.server!;
    if (server.dataLinking !== "inStructure") out.lastDataPathLookup = LINKING[server.dataLinking];
    Object.assign(out, {
      portNumber: config.network.port,
      ...(server.dataCollection !== undefined ? { serverDataCollection: server.dataCollection } : {}),
      ...(server.cacheFolderName ? { serverStructureFolderName: server.cacheFolderName } : {}),
      hideDataExplorerMenuItem: server.hideMenuItems.dataExplorer,
      hideRuntimeExplorerMenuItem: server.hideMenuItems.runtimeExplorer,
      hideAdministrationWindowMenuItem: server.hideMenuItems.administration,
      ...(server.appleSiliconClients?.enabled !== false && server.appleSiliconClients?.compiledStructure ? { macCompiledProject: abs(server.appleSiliconClients.compiledStructure)! } : {}),
    });
  }
  if (target === "client") {
    const client = config.targets.client!;
    Object.assign(out, {
      ...(config.network.serverAddress ? { IPAddress: config.network.serverAddress } : {}),
      portNumber: config.network.port,
      serverSelectionAllowed: client.serverSelection,
      singleInstance: client.singleInstance,
      clientUserPreferencesFolderByPath: client.userPreferencesByPath,
      ...(client.cacheFolderName ? { clientServerSystemFolderName: client.cacheFolderName } : {}),
      shareLocalResourcesOnWindowsClient: client.shareLocalResources,
    });
  }
  if (target === "server" || target === "client") {
    Object.assign(out, {
      ...(config.network.linkCode ? { hardLink: config.network.linkCode } : {}),
      rangeVersMin: config.autoUpdate.acceptedClientVersions.min,
      rangeVersMax: config.autoUpdate.acceptedClientVersions.max,
      currentVers: config.autoUpdate.currentVersion,
    });
  }
  return out;
}

/**
 * The Build4D class and settings object for one unit, from the resolved manifest: Build4D's own names and
 * values (build-outputs.md follows Build4D for the layout and keys). Fields the manifest writes that Build4D
 * has no setting for are listed in `unmapped`, never dropped silently.
 */
export function build4dRequest(plan: ReadonlyBuildPlan, unit: BuildUnit, places: Build4DUnitPlaces): Build4DRequest {
  const { config } = plan;
  const structure = config.structure;
  const settings: Build4DSettings = {
    buildName: places.buildName,
    projectFile: places.projectFile,
    destinationFolder: places.destinationFolder,
    compilerOptions: compileOptions(config.compile),
    packedProject: structure.pack,
    obfuscated: !structure.standardZip,
    ...(structure.include.length ? { includePaths: structure.include.map((i) => ({ source: path.resolve(plan.baseDir, i.from), destination: i.to ?? path.basename(i.from) })) } : {}),
    ...(structure.delete.length ? { deletePaths: [...structure.delete] } : {}),
  };
  const versioning = versioningFor(plan, unit.target);
  if (versioning && unit.target !== "compiled") settings.versioning = versioning;
  if (isAppUnit(unit)) Object.assign(settings, appSettings(plan, unit.target, unit.platform, places));
  const unmapped = UNMAPPED_FIELDS.filter((field) => writes(plan, field) && fieldConcerns(field, unit.target));
  return { class: BUILD4D_CLASS[unit.target], settings, unmapped: [...unmapped] };
}

/** Whether a field matters for a target (a stand-alone does not care about the server's data linking). */
function fieldConcerns(field: string, target: TargetName): boolean {
  const owner = /^targets\.(\w+)\./.exec(field)?.[1];
  if (owner) return owner === target;
  if (field.startsWith("autoUpdate.") || field.startsWith("network.")) return target === "server" || target === "client";
  return target !== "compiled" && target !== "component";
}
