import { generateSettings, type FieldProblem, type GenerateInput } from "../generator/generate.js";
import { toFourDPath } from "../generator/paths.js";
import { serializeSettings, type SettingsDocument } from "../generator/settings-xml.js";
import type { AppTarget, Platform, TargetName } from "../manifest/targets.js";
import { isAppUnit, unitName, type BuildUnit } from "../builder/units.js";

/** The platform 4D builds for: the one it runs on (build-outputs.md §1, "4D builds for the current OS only"). */
export const engineHost = (platform: NodeJS.Platform = process.platform): Platform => (platform === "win32" ? "win" : "mac");

const RUNTIME_FIELDS: Record<AppTarget, string> = { standalone: "targets.standalone.runtime", server: "targets.server.runtime", client: "targets.client.runtime" };
const RUNTIME_KEYS: Record<AppTarget, Record<Platform, string>> = {
  standalone: { mac: "SourcesFiles/RuntimeVL/RuntimeVLMacFolder", win: "SourcesFiles/RuntimeVL/RuntimeVLWinFolder" },
  server: { mac: "SourcesFiles/CS/ServerMacFolder", win: "SourcesFiles/CS/ServerWinFolder" },
  client: { mac: "SourcesFiles/CS/ClientMacFolderToMac", win: "SourcesFiles/CS/ClientWinFolderToWin" },
};

/** The keys that switch each target on, for a build on `host` (generate.ts writes them the same way). */
function targetKeys(host: Platform): Record<TargetName, string[]> {
  const hostName = host === "mac" ? "Mac" : "Win";
  return {
    compiled: ["BuildCompiled"],
    component: ["BuildComponent"],
    standalone: ["BuildApplicationSerialized"],
    server: ["SourcesFiles/CS/ServerIncludeIt"],
    client: [`SourcesFiles/CS/Client${hostName}IncludeIt`],
  };
}

export interface EngineSettingsOptions {
  host: Platform;
  /** The private copy of the project package 4D opens: relative 4D paths start there. */
  packageCopy: string;
  /** Where 4D writes the targets (absolute): a private folder, moved into staging afterwards. */
  destination: string;
  /** The units 4D builds: every other target is switched off. */
  units: readonly BuildUnit[];
  /** Runtime folders by unit name, for runtimes that 4dbuild unpacked from an archive or a download. */
  runtimes: ReadonlyMap<string, string>;
  macVolume?: string;
}

/**
 * The buildApp.4DSettings 4D's BUILD APPLICATION runs for an engine build, with real values (secrets included:
 * the caller writes it into a private folder only). It is `generate`'s file with three changes: the
 * destination is the private output folder, only the units of this build are switched on, and runtimes given
 * as archives or downloads point at the folders 4dbuild unpacked.
 */
export function engineSettings(plan: GenerateInput, options: EngineSettingsOptions): { xml: string; problems: FieldProblem[] } {
  const input: GenerateInput = { ...plan, packageDir: options.packageCopy };
  const macVolume = options.macVolume ?? "Macintosh HD";
  const { settings, problems } = generateSettings(input, { host: options.host, macVolume });
  const context = { manifestDir: plan.baseDir, packageDir: options.packageCopy, macVolume };
  const syntax = options.host;
  const set = (doc: SettingsDocument, key: string, value: string) => doc.values.set(key, value);

  set(settings, options.host === "mac" ? "BuildMacDestFolder" : "BuildWinDestFolder", toFourDPath(options.destination, syntax, true, context));
  const keys = targetKeys(options.host);
  const built = new Set(options.units.map((u) => u.target));
  for (const [target, names] of Object.entries(keys)) for (const key of names) if (settings.values.has(key) || built.has(target as TargetName)) set(settings, key, built.has(target as TargetName) ? "True" : "False");
  set(settings, "CS/BuildServerApplication", built.has("server") || built.has("client") ? "True" : "False");

  const unpacked = new Set<string>();
  for (const unit of options.units) {
    if (!isAppUnit(unit)) continue;
    const folder = options.runtimes.get(unitName(unit));
    if (!folder) continue;
    set(settings, RUNTIME_KEYS[unit.target][unit.platform], toFourDPath(folder, syntax, true, context));
    unpacked.add(`${RUNTIME_FIELDS[unit.target]}.${unit.platform}`);
  }
  return { xml: serializeSettings(settings), problems: problems.filter((p) => !unpacked.has(p.field)) };
}
