import path from "node:path";
import { importSettings, settingsFourDVersion, type ImportResult } from "../generator/import.js";
import { importedManifestYaml } from "../generator/manifest-yaml.js";
import { settingsPackage } from "../generator/settings-package.js";
import { MAX_SETTINGS_BYTES, parseSettings, type SettingsDocument } from "../generator/settings-xml.js";
import { loadManifestText } from "../manifest/load.js";
import { repositoryRoot } from "../files/work-tree.js";
import type { Platform } from "../manifest/targets.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import { InvalidInputError } from "../messages/errors.js";
import type { Redactor } from "../messages/redactor.js";
import type { SideText } from "./sides.js";
import type { ComparedSide } from "./view.js";

export interface LoadedSide {
  label: string;
  kind: SideText["kind"];
  /** Undefined when there is nothing to compare: no file, or one that cannot be read at all. */
  compared?: ComparedSide;
  /** What is wrong with it: listed in the diff, never a reason not to compare what can be. */
  problems: Diagnostic[];
  /** Texts the problems point into, for code frames. */
  sources: Map<string, string>;
}

export interface SideOptions {
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** The OS a settings file was written on, when it does not tell. */
  host?: Platform;
}

/** A manifest, with unset references kept as references and a plan even when it is invalid. */
export function loadManifestSide(side: SideText, options: SideOptions): LoadedSide {
  const loaded = loadManifestText(side.file, side.text, { env: options.env, displayName: side.label, redactor: options.redactor, checkFiles: false, checkProject: false, review: true });
  const kept = new Set(loaded.kept);
  const compared = loaded.plan && { plan: loaded.plan, kept, refs: new Map<string, string>() };
  return { label: side.label, kind: side.kind, problems: loaded.diagnostics, sources: loaded.sources, ...(compared ? { compared } : {}) };
}

function parse(side: SideText): { settings?: SettingsDocument; problems: Diagnostic[] } {
  if (side.text.length > MAX_SETTINGS_BYTES) return { problems: [{ severity: "error", code: "too-large", file: side.label, message: `${side.label} is larger than 1 MB; a buildApp.4DSettings is a few kilobytes` }] };
  try {
    const { settings, diagnostics } = parseSettings(side.text, side.label);
    return { settings, problems: diagnostics };
  } catch (error) {
    if (error instanceof InvalidInputError) return { problems: [...error.diagnostics] };
    throw error;
  }
}

/** The 4D version a settings file tells (runtime paths, licence names), for the other side to default to. */
export function toldVersion(side: SideText): string | undefined {
  const { settings } = side.kind === "settings" ? parse(side) : {};
  return settings && settingsFourDVersion(settings);
}

/**
 * A buildApp.4DSettings, imported in memory as `4dbuild import` would (the project package and the repository
 * found from the file's own place), its machine paths compared as the variables import names them. A version
 * the file does not tell is `fourDVersion` (the other side's), not a change.
 */
export function loadSettingsSide(side: SideText, options: SideOptions & { fourDVersion?: string }): LoadedSide {
  const parsed = parse(side);
  const sources = new Map([[side.label, side.text]]);
  if (!parsed.settings) return { label: side.label, kind: side.kind, problems: parsed.problems, sources };
  const packageDir = settingsPackage(side.file);
  const manifestDir = repositoryRoot(packageDir);
  const imported: ImportResult = importSettings(parsed.settings, {
    file: side.label,
    manifestDir,
    packageDir,
    ...(options.host ? { host: options.host } : {}),
    ...(options.fourDVersion ? { defaultFourDVersion: options.fourDVersion } : {}),
  });
  const yaml = importedManifestYaml(imported, path.relative(manifestDir, side.file));
  const env = Object.fromEntries(imported.variables.map((v) => [v.name, v.value]));
  const loaded = loadManifestText(path.join(manifestDir, "4dbuild.yml"), yaml, { env, displayName: `${side.label} (imported)`, redactor: options.redactor, checkFiles: false, checkProject: false, review: true });
  // What import itself keeps as written, and anything the imported manifest still fails, located in the file.
  const problems = [
    ...parsed.problems,
    ...imported.diagnostics.filter((d) => d.code === "import-kept"),
    ...loaded.diagnostics.filter((d) => d.severity === "error").map(({ line: _l, column: _c, endLine: _el, endColumn: _ec, ...d }) => ({ ...d, file: side.label })),
  ];
  const refs = new Map([...imported.references].map(([field, name]): [string, string] => [field, `\${env.${name}}`]));
  const compared = loaded.plan && { plan: loaded.plan, refs, kept: new Set(loaded.kept) };
  return { label: side.label, kind: side.kind, problems, sources, ...(compared ? { compared } : {}) };
}
