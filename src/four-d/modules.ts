/**
 * Optional modules of the 4D runtimes (values of ArrayExcludedModuleName), with the versions that have them.
 * The authoritative list of a given 4D is its Resources/BuildappOptionalModules.json; this table is the
 * fallback from the reference (buildapp-settings.md §5). `verified: false` marks names 4D's documentation
 * does not list (kept, with a warning).
 */
export interface KnownModule {
  name: string;
  since?: string;
  /** First version without the module. */
  removedIn?: string;
  verified: boolean;
  effect: string;
  /**
   * What removing it deletes, relative to the application's base (Contents/ on macOS, the folder on Windows):
   * the fallback of build-outputs.md §13.2, inferred; a 4D's BuildappOptionalModules.json is preferred.
   */
  paths: readonly string[];
  macPaths?: readonly string[];
  winPaths?: readonly string[];
  /** The module's name from the version that renamed it. */
  renamedTo?: string;
}

export const KNOWN_MODULES: readonly KnownModule[] = [
  { name: "CEF", verified: true, effect: "web areas using the embedded engine and 4D View Pro areas stay blank", paths: ["Native Components/WebViewerCEF.bundle"], macPaths: ["Frameworks/Chromium Embedded Framework.framework"] },
  { name: "MeCab", removedIn: "20 R10", verified: true, effect: "Japanese text indexes are rebuilt when the application runs in Japanese", paths: ["Resources/mecab"] },
  { name: "SpellChecker", verified: true, effect: "spell checking of input areas and 4D Write Pro stops working", paths: ["Resources/Spellcheck"] },
  { name: "4D Updater", verified: true, effect: "automatic updates (client update, SET UPDATE FOLDER) stop working", paths: ["Resources/Updater"] },
  { name: "PHP", verified: false, effect: "PHP EXECUTE stops working", paths: ["Resources/php"] },
  { name: "4D Qodly Pro", removedIn: "21 R2", renamedTo: "4D Qodly Pro and Data Explorer", verified: true, effect: "Qodly pages and Qodly Studio are not available", paths: [] },
  // 21 R2 renames it (developer.4d.com/docs/21-R2/Desktop/building#deselecting-modules; 4d/docs@3fd91d085d29864c5697397dd8923ab545a27411).
  { name: "4D Qodly Pro and Data Explorer", since: "21 R2", verified: true, effect: "Qodly Studio, its web rendering and the Data Explorer are not available", paths: [] },
  // Windows only. Its files are listed by 4D's BuildappWindowsAppRuntimeFiles.json (not public); the fallback is the three
  // files Build4D deletes from a Windows application root for binary databases (4d/Build4D@bfd39383 _core.4dm _excludeModules), inferred.
  { name: "Windows App Runtime", since: "21 R2", verified: true, effect: "Fluent UI rendering on Windows is not available", paths: [], winPaths: ["Microsoft.WindowsAppRuntime.Bootstrap.dll", "XamlIslandsHelper.dll", "windowsAppRuntimeBootstrap.pri"] },
];
