/**
 * Every key of buildApp.4DSettings in the reference (buildapp-settings.md §2.2, §4.9, §4.10), as paths below
 * /Preferences4D/BuildApp, in the canonical order 4dbuild writes them (the reference's container tree).
 */
export type KeyType = "bool" | "int" | "text" | "path" | "list" | "int-list" | "path-list";
export type PathSyntax = "mac" | "win" | "host";

export interface KeyDef {
  key: string;
  type: KeyType;
  /** Path keys: whose syntax (a …Mac… key is HFS on any host; "host" follows the build host). */
  syntax?: PathSyntax;
  /** Path keys: a folder (written with a trailing separator), a file, or either (decided by the extension). */
  kind?: "folder" | "file" | "folder-or-archive";
}

const bool = (key: string): KeyDef => ({ key, type: "bool" });
const int = (key: string): KeyDef => ({ key, type: "int" });
const text = (key: string): KeyDef => ({ key, type: "text" });
const folder = (key: string, syntax: PathSyntax): KeyDef => ({ key, type: "path", syntax, kind: "folder" });
const file = (key: string, syntax: PathSyntax): KeyDef => ({ key, type: "path", syntax, kind: "file" });

const VERSIONING_SUFFIXES = ["Version", "Copyright", "Creator", "Comment", "CompanyName", "FileDescription", "InternalName", "LegalTrademark", "PrivateBuild", "SpecialBuild"];
export const versioningKey = (subset: string, suffix: string) => `Versioning/${subset}/${subset}${suffix}`;
const versioning = (subset: string) => VERSIONING_SUFFIXES.map((suffix) => text(versioningKey(subset, suffix)));

export const KEY_DEFS: readonly KeyDef[] = [
  text("BuildApplicationName"),
  folder("BuildWinDestFolder", "win"),
  folder("BuildMacDestFolder", "mac"),
  text("DataFilePath"),
  bool("BuildCompiled"),
  bool("IncludeAssociatedFolders"),
  bool("BuildComponent"),
  bool("BuildApplicationSerialized"),
  bool("BuildApplicationLight"),
  bool("PackProject"),
  bool("UseStandardZipFormat"),
  { key: "ArrayExcludedPluginName", type: "list" },
  { key: "ArrayExcludedPluginID", type: "int-list" },
  { key: "ArrayExcludedComponentName", type: "list" },
  { key: "ArrayExcludedModuleName", type: "list" },
  bool("SourcesFiles/RuntimeVL/RuntimeVLIncludeIt"),
  folder("SourcesFiles/RuntimeVL/RuntimeVLWinFolder", "win"),
  folder("SourcesFiles/RuntimeVL/RuntimeVLMacFolder", "mac"),
  file("SourcesFiles/RuntimeVL/RuntimeVLIconWinPath", "win"),
  file("SourcesFiles/RuntimeVL/RuntimeVLIconMacPath", "mac"),
  bool("SourcesFiles/RuntimeVL/IsOEM"),
  bool("SourcesFiles/CS/ServerIncludeIt"),
  folder("SourcesFiles/CS/ServerWinFolder", "win"),
  folder("SourcesFiles/CS/ServerMacFolder", "mac"),
  bool("SourcesFiles/CS/ClientWinIncludeIt"),
  bool("SourcesFiles/CS/ClientMacIncludeIt"),
  folder("SourcesFiles/CS/ClientWinFolderToWin", "win"),
  { key: "SourcesFiles/CS/ClientWinFolderToMac", type: "path", syntax: "mac", kind: "folder-or-archive" },
  file("SourcesFiles/CS/ClientMacFolderToWin", "win"),
  folder("SourcesFiles/CS/ClientMacFolderToMac", "mac"),
  file("SourcesFiles/CS/ServerIconWinPath", "win"),
  file("SourcesFiles/CS/ServerIconMacPath", "mac"),
  file("SourcesFiles/CS/ClientMacIconForMacPath", "mac"),
  file("SourcesFiles/CS/ClientWinIconForMacPath", "mac"),
  file("SourcesFiles/CS/ClientMacIconForWinPath", "win"),
  file("SourcesFiles/CS/ClientWinIconForWinPath", "win"),
  folder("SourcesFiles/CS/DatabaseToEmbedInClientWinFolder", "win"),
  folder("SourcesFiles/CS/DatabaseToEmbedInClientMacFolder", "mac"),
  bool("SourcesFiles/CS/IsOEM"),
  bool("CS/BuildServerApplication"),
  bool("CS/BuildCSUpgradeable"),
  bool("CS/BuildV13ClientUpgrades"),
  text("CS/IPAddress"),
  int("CS/PortNumber"),
  text("CS/HardLink"),
  int("CS/RangeVersMin"),
  int("CS/RangeVersMax"),
  int("CS/CurrentVers"),
  text("CS/LastDataPathLookup"),
  bool("CS/ServerSelectionAllowed"),
  bool("CS/ClientWinSingleInstance"),
  text("CS/ServerStructureFolderName"),
  text("CS/ClientServerSystemFolderName"),
  bool("CS/ClientUserPreferencesFolderByPath"),
  bool("CS/HideDataExplorerMenuItem"),
  bool("CS/HideRuntimeExplorerMenuItem"),
  bool("CS/HideAdministrationMenuItem"),
  bool("CS/ServerEmbedsProjectDirectoryFile"),
  bool("CS/ServerDataCollection"),
  bool("CS/ShareLocalResourcesOnWindowsClient"),
  bool("CS/MacCompiledDatabaseToWinIncludeIt"),
  folder("CS/MacCompiledDatabaseToWin", "win"),
  text("CS/CertificateDomainName"),
  file("CS/CertificateAuthoritiesCertificates", "host"),
  text("RuntimeVL/LastDataPathLookup"),
  { key: "Licenses/ArrayLicenseWin", type: "path-list", syntax: "win", kind: "file" },
  { key: "Licenses/ArrayLicenseMac", type: "path-list", syntax: "mac", kind: "file" },
  bool("Licenses/EvaluationMode"),
  text("Licenses/EvaluationName"),
  bool("Licenses/AutomaticLicenseIntegration"),
  bool("SignApplication/MacSignature"),
  text("SignApplication/MacCertificate"),
  bool("SignApplication/AdHocSign"),
  bool("AutoUpdate/RuntimeVL/StartElevated"),
  bool("AutoUpdate/CS/Server/StartElevated"),
  bool("AutoUpdate/CS/Client/StartElevated"),
  bool("AutoUpdate/CS/ClientUpdateWin/StartElevated"),
  ...versioning("Common"),
  ...versioning("RuntimeVL"),
  ...versioning("Server"),
  ...versioning("Client"),
  text("OEM/MenuServerAboutString"),
  text("OEM/Interface/ServerWindowTitle"),
  file("OEM/Interface/ServerAboutPictWin", "win"),
  file("OEM/Interface/ServerAboutPictMac", "mac"),
];

export const BUILDAPP_KEYS: readonly string[] = KEY_DEFS.map((d) => d.key);
const BY_KEY = new Map(KEY_DEFS.map((d) => [d.key.toLowerCase(), d]));
/** The definition of a key (matched case-insensitively, as 4D-written files vary). */
export const keyDef = (key: string): KeyDef | undefined => BY_KEY.get(key.toLowerCase());

/** Containers whose presence 4D writes even when empty (e.g. an empty Licenses element). */
export const CONTAINERS: readonly string[] = [...new Set(KEY_DEFS.flatMap((d) => d.key.split("/").slice(0, -1).map((_, i, all) => all.slice(0, i + 1).join("/"))))];

/**
 * Flags 4dbuild derives from the targets and platforms rather than from one field. passthrough may override
 * them (import does, when a file holds a combination the targets cannot express).
 */
export const DERIVED_KEYS: readonly string[] = [
  "BuildCompiled",
  "BuildComponent",
  "BuildApplicationSerialized",
  "CS/BuildServerApplication",
  "SourcesFiles/RuntimeVL/RuntimeVLIncludeIt",
  "SourcesFiles/CS/ServerIncludeIt",
  "SourcesFiles/CS/ClientWinIncludeIt",
  "SourcesFiles/CS/ClientMacIncludeIt",
];

/** Written by 4D once (reference §4.11), meaning unknown: kept through passthrough, never generated. */
export const UNDOCUMENTED_KEYS: readonly string[] = ["CS/AllowMacSiliconClient", "CS/CompiledDatabaseFolder"];

/**
 * What 4D applies when a key is absent, where the reference documents it (buildapp-settings.md §3.7, §4): a
 * file that writes this value and one that leaves the key out mean the same. Keys whose default is uncertain
 * or depends on the 4D version (AdHocSign, ServerDataCollection) are not listed.
 */
export const ABSENT_DEFAULTS: ReadonlyMap<string, SettingValueText> = new Map<string, SettingValueText>([
  ["BuildCompiled", "False"],
  ["IncludeAssociatedFolders", "False"],
  ["BuildComponent", "False"],
  ["BuildApplicationSerialized", "False"],
  ["BuildApplicationLight", "False"],
  ["PackProject", "True"],
  ["UseStandardZipFormat", "True"],
  ["ArrayExcludedPluginName", []],
  ["ArrayExcludedPluginID", []],
  ["ArrayExcludedComponentName", []],
  ["ArrayExcludedModuleName", []],
  ["SourcesFiles/RuntimeVL/IsOEM", "False"],
  ["SourcesFiles/CS/IsOEM", "False"],
  ["CS/BuildServerApplication", "False"],
  ["CS/BuildCSUpgradeable", "False"],
  ["CS/PortNumber", "19813"],
  ["CS/RangeVersMin", "1"],
  ["CS/RangeVersMax", "1"],
  ["CS/CurrentVers", "1"],
  ["CS/LastDataPathLookup", "ByAppName"],
  ["CS/ServerSelectionAllowed", "False"],
  ["CS/ClientWinSingleInstance", "True"],
  ["CS/ClientUserPreferencesFolderByPath", "False"],
  ["CS/HideDataExplorerMenuItem", "False"],
  ["CS/HideRuntimeExplorerMenuItem", "False"],
  ["CS/HideAdministrationMenuItem", "False"],
  ["CS/ServerEmbedsProjectDirectoryFile", "False"],
  ["CS/ShareLocalResourcesOnWindowsClient", "False"],
  ["CS/MacCompiledDatabaseToWinIncludeIt", "False"],
  ["RuntimeVL/LastDataPathLookup", "ByAppName"],
  ["Licenses/ArrayLicenseWin", []],
  ["Licenses/ArrayLicenseMac", []],
  ["Licenses/EvaluationMode", "False"],
  ["Licenses/AutomaticLicenseIntegration", "False"],
  ["SignApplication/MacSignature", "False"],
  ["AutoUpdate/RuntimeVL/StartElevated", "False"],
  ["AutoUpdate/CS/Server/StartElevated", "False"],
  ["AutoUpdate/CS/Client/StartElevated", "False"],
  ["AutoUpdate/CS/ClientUpdateWin/StartElevated", "False"],
]);

/** A key's text, or the items of an array key (the same as settings-xml's SettingValue, without the import). */
type SettingValueText = string | readonly string[];
