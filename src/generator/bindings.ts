import { versioningKey } from "./keys.js";

/**
 * Manifest fields that drive exactly one buildApp.4DSettings key, value for value. Generate reads them one
 * way, import the other. Everything else (targets, platforms, data linking, licence mode, signing default,
 * destination) is derived in generate.ts and read back in import.ts.
 */
export const SIMPLE_BINDINGS: readonly (readonly [field: string, key: string])[] = [
  ["targets.compiled.associatedFolders", "IncludeAssociatedFolders"],
  ["targets.standalone.lightLicense", "BuildApplicationLight"],
  ["structure.pack", "PackProject"],
  ["structure.standardZip", "UseStandardZipFormat"],
  ["data.filePath", "DataFilePath"],
  ["plugins.exclude", "ArrayExcludedPluginName"],
  ["plugins.excludeIds", "ArrayExcludedPluginID"],
  ["components.exclude", "ArrayExcludedComponentName"],
  ["modules.exclude", "ArrayExcludedModuleName"],
  ["targets.standalone.runtime.win", "SourcesFiles/RuntimeVL/RuntimeVLWinFolder"],
  ["targets.standalone.runtime.mac", "SourcesFiles/RuntimeVL/RuntimeVLMacFolder"],
  ["targets.standalone.icon.win", "SourcesFiles/RuntimeVL/RuntimeVLIconWinPath"],
  ["targets.standalone.icon.mac", "SourcesFiles/RuntimeVL/RuntimeVLIconMacPath"],
  ["licenses.oem.standalone", "SourcesFiles/RuntimeVL/IsOEM"],
  ["targets.server.runtime.win", "SourcesFiles/CS/ServerWinFolder"],
  ["targets.server.runtime.mac", "SourcesFiles/CS/ServerMacFolder"],
  ["targets.client.runtime.win", "SourcesFiles/CS/ClientWinFolderToWin"],
  ["autoUpdate.otherPlatformClient.win.source", "SourcesFiles/CS/ClientWinFolderToMac"],
  ["autoUpdate.otherPlatformClient.mac.source", "SourcesFiles/CS/ClientMacFolderToWin"],
  ["targets.client.runtime.mac", "SourcesFiles/CS/ClientMacFolderToMac"],
  ["targets.server.icon.win", "SourcesFiles/CS/ServerIconWinPath"],
  ["targets.server.icon.mac", "SourcesFiles/CS/ServerIconMacPath"],
  ["targets.client.icon.mac", "SourcesFiles/CS/ClientMacIconForMacPath"],
  ["autoUpdate.otherPlatformClient.win.icon", "SourcesFiles/CS/ClientWinIconForMacPath"],
  ["autoUpdate.otherPlatformClient.mac.icon", "SourcesFiles/CS/ClientMacIconForWinPath"],
  ["targets.client.icon.win", "SourcesFiles/CS/ClientWinIconForWinPath"],
  ["targets.client.embeddedApplication.win", "SourcesFiles/CS/DatabaseToEmbedInClientWinFolder"],
  ["targets.client.embeddedApplication.mac", "SourcesFiles/CS/DatabaseToEmbedInClientMacFolder"],
  ["licenses.oem.clientServer", "SourcesFiles/CS/IsOEM"],
  ["autoUpdate.enabled", "CS/BuildCSUpgradeable"],
  ["autoUpdate.legacyV13Clients", "CS/BuildV13ClientUpgrades"],
  ["network.serverAddress", "CS/IPAddress"],
  ["network.port", "CS/PortNumber"],
  ["network.linkCode", "CS/HardLink"],
  ["autoUpdate.acceptedClientVersions.min", "CS/RangeVersMin"],
  ["autoUpdate.acceptedClientVersions.max", "CS/RangeVersMax"],
  ["autoUpdate.currentVersion", "CS/CurrentVers"],
  ["targets.client.serverSelection", "CS/ServerSelectionAllowed"],
  ["targets.client.singleInstance", "CS/ClientWinSingleInstance"],
  ["targets.server.cacheFolderName", "CS/ServerStructureFolderName"],
  ["targets.client.cacheFolderName", "CS/ClientServerSystemFolderName"],
  ["targets.client.userPreferencesByPath", "CS/ClientUserPreferencesFolderByPath"],
  ["targets.server.hideMenuItems.dataExplorer", "CS/HideDataExplorerMenuItem"],
  ["targets.server.hideMenuItems.runtimeExplorer", "CS/HideRuntimeExplorerMenuItem"],
  ["targets.server.hideMenuItems.administration", "CS/HideAdministrationMenuItem"],
  ["targets.server.embedUsersAndGroups", "CS/ServerEmbedsProjectDirectoryFile"],
  ["targets.server.dataCollection", "CS/ServerDataCollection"],
  ["targets.client.shareLocalResources", "CS/ShareLocalResourcesOnWindowsClient"],
  ["targets.server.appleSiliconClients.enabled", "CS/MacCompiledDatabaseToWinIncludeIt"],
  ["targets.server.appleSiliconClients.compiledStructure", "CS/MacCompiledDatabaseToWin"],
  ["network.tls.domainName", "CS/CertificateDomainName"],
  ["network.tls.certificateAuthorities", "CS/CertificateAuthoritiesCertificates"],
  ["licenses.files.win", "Licenses/ArrayLicenseWin"],
  ["licenses.files.mac", "Licenses/ArrayLicenseMac"],
  ["licenses.evaluationName", "Licenses/EvaluationName"],
  ["signing.mac.identity", "SignApplication/MacCertificate"],
  ["signing.mac.adHoc", "SignApplication/AdHocSign"],
  ["autoUpdate.elevated.standalone", "AutoUpdate/RuntimeVL/StartElevated"],
  ["autoUpdate.elevated.server", "AutoUpdate/CS/Server/StartElevated"],
  ["autoUpdate.elevated.client", "AutoUpdate/CS/Client/StartElevated"],
  ["autoUpdate.elevated.winClientFromMac", "AutoUpdate/CS/ClientUpdateWin/StartElevated"],
  ...versioningBindings(),
  ["legacy.serverAboutMenuText", "OEM/MenuServerAboutString"],
  ["legacy.serverWindowTitle", "OEM/Interface/ServerWindowTitle"],
  ["legacy.serverAboutPicture.win", "OEM/Interface/ServerAboutPictWin"],
  ["legacy.serverAboutPicture.mac", "OEM/Interface/ServerAboutPictMac"],
];

function versioningBindings(): [string, string][] {
  const subsets = { common: "Common", standalone: "RuntimeVL", server: "Server", client: "Client" };
  const fields = { version: "Version", copyright: "Copyright", creator: "Creator", comment: "Comment", companyName: "CompanyName", fileDescription: "FileDescription", internalName: "InternalName", legalTrademark: "LegalTrademark", privateBuild: "PrivateBuild", specialBuild: "SpecialBuild" };
  return Object.entries(subsets).flatMap(([subset, element]) => Object.entries(fields).map(([field, suffix]): [string, string] => [`versioning.${subset}.${field}`, versioningKey(element, suffix)]));
}

/** 4D's names of the data-linking modes. */
export const DATA_LINKING = { byAppName: "ByAppName", byAppPath: "ByAppPath", inStructure: "InDbStruct" } as const;

export function getField(object: unknown, field: string): unknown {
  let value = object;
  for (const segment of field.split(".")) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

export function setField(object: Record<string, unknown>, field: string, value: unknown): void {
  const segments = field.split(".");
  let node = object;
  for (const segment of segments.slice(0, -1)) node = (node[segment] ??= {}) as Record<string, unknown>;
  node[segments.at(-1)!] = value;
}
