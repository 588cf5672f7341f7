import { readdirSync } from "node:fs";
import path from "node:path";
import { classifyLicenseName, fileName } from "../four-d/license-names.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import { UsageError } from "../messages/errors.js";
import type { Manifest } from "../manifest/manifest.generated.js";
import { repositoryRoot } from "../files/work-tree.js";
import { PLATFORMS, type Platform } from "../manifest/targets.js";
import { DATA_LINKING, getField, setField, SIMPLE_BINDINGS } from "./bindings.js";
import { closeImport, type ImportDraft, type ImportedVariable } from "./import-close.js";
import { keepAsWritten } from "./import-passthrough.js";
import { importedManifestProblems } from "./import-check.js";
import { KEY_DEFS, keyDef, UNDOCUMENTED_KEYS, type KeyDef } from "./keys.js";
import { fromFourDPath, pathFlavor, type FourDPathContext } from "./paths.js";
import type { SettingsDocument, SettingValue } from "./settings-xml.js";

export interface ImportOptions {
  /** The OS the file was written for; detected from its destination folder and paths when absent. */
  host?: Platform;
  /** Folder the manifest will be written to (its paths are relative to it). */
  manifestDir: string;
  /** The project package the settings belong to (usually the parent of Settings/). */
  packageDir: string;
  fourDVersion?: string;
  /** The 4D version when neither the option nor the file tells it (default "21", with a warning). */
  defaultFourDVersion?: string;
  macVolume?: string;
  /** Display name of the settings file, for messages. */
  file: string;
}

export type { ImportedVariable } from "./import-close.js";
export { sameValue } from "./import-passthrough.js";

export interface ImportResult {
  /** The manifest with machine paths as their values (ready to generate). */
  manifest: Manifest;
  /** field → variable name, for writing ${env.NAME} in their place. */
  references: Map<string, string>;
  variables: ImportedVariable[];
  /** The OS the file was read for: given, detected, or (sameOnBothHosts) either. */
  host: Platform;
  /** Nothing imported depends on the OS the file was written on: no path, no per-OS key. */
  sameOnBothHosts: boolean;
  diagnostics: Diagnostic[];
}

const isTrue = (value: SettingValue | undefined) => typeof value === "string" && value.trim().toLowerCase() === "true";

function detectHost(settings: SettingsDocument): Platform | undefined {
  const mac = settings.values.has("BuildMacDestFolder");
  const win = settings.values.has("BuildWinDestFolder");
  if (mac !== win) return mac ? "mac" : "win";
  let hfs = 0;
  let windows = 0;
  for (const value of settings.values.values()) {
    for (const text of Array.isArray(value) ? value : [value]) {
      if (pathFlavor(text) === "hfs" || /^:/.test(text)) hfs++;
      if (pathFlavor(text) === "windows" || /^\.\.\\/.test(text)) windows++;
    }
  }
  return hfs === windows ? undefined : hfs > windows ? "mac" : "win";
}

/** The 4D version named in the runtime paths ("4D v19 R8", "4D 20.3"), if any. */
function versionFromPaths(settings: SettingsDocument): string | undefined {
  for (const def of KEY_DEFS.filter((d) => d.type === "path")) {
    const value = settings.values.get(def.key);
    const match = typeof value === "string" ? /4D v?(\d{2})(?:\.(\d+))?(?: R(\d+))?/.exec(value) : null;
    if (match) return match[3] ? `${match[1]} R${match[3]}` : match[2] ? `${match[1]}.${match[2]}` : match[1];
  }
  return undefined;
}

/** The 4D version licence file names agree on, when they are not R- licences (whose release cannot be told). */
function versionFromLicences(settings: SettingsDocument): string | undefined {
  const names = ["Licenses/ArrayLicenseMac", "Licenses/ArrayLicenseWin"].flatMap((key) => [settings.values.get(key) ?? []].flat()).map((file) => classifyLicenseName(fileName(file)));
  const majors = new Set(names.map((n) => n.major));
  if (names.length === 0 || names.some((n) => n.rRelease) || majors.size !== 1 || majors.has(undefined)) return undefined;
  return String([...majors][0]);
}

/** The 4D version a settings file tells: from its runtime paths, else from its licence file names. */
export const settingsFourDVersion = (settings: SettingsDocument): string | undefined => versionFromPaths(settings) ?? versionFromLicences(settings);

const variableName = (field: string) =>
  field
    .replace(/^targets\./, "")
    .replace(/\.(\d+)$/, (_, i: string) => `_${Number(i) + 1}`)
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/\./g, "_")
    .toUpperCase();

/**
 * Turns a parsed buildApp.4DSettings into a manifest; what the fields cannot express goes to passthrough. The
 * OS it was written on is `options.host`, else told from its destination folder and paths; a file whose import
 * is the same for both needs none. Otherwise a UsageError asks for it.
 */
export function importSettings(settings: SettingsDocument, options: ImportOptions): ImportResult {
  const host = options.host ?? detectHost(settings);
  if (host) return { ...importFor(settings, options, host), sameOnBothHosts: false };
  const [mac, win] = [importFor(settings, options, "mac"), importFor(settings, options, "win")];
  const same = (a: typeof mac, b: typeof mac) => JSON.stringify([a.manifest, [...a.references], a.variables]) === JSON.stringify([b.manifest, [...b.references], b.variables]);
  // Warnings about one system's keys ("the file has no BuildMacDestFolder") would mislead: only shared ones are kept.
  if (same(mac, win)) return { ...mac, diagnostics: mac.diagnostics.filter((d) => win.diagnostics.some((w) => w.message === d.message)), sameOnBothHosts: true };
  throw new UsageError(`cannot tell whether ${options.file} was written on macOS or Windows, and its import depends on it`, "pass --host mac or --host win");
}

function importFor(settings: SettingsDocument, options: ImportOptions, host: Platform): Omit<ImportResult, "sameOnBothHosts"> {
  const diagnostics: Diagnostic[] = [];
  const warn = (message: string, hint?: string) => diagnostics.push({ severity: "warning", code: "import", file: options.file, message, ...(hint ? { hint } : {}) });

  const context: FourDPathContext = { manifestDir: options.manifestDir, packageDir: options.packageDir, macVolume: options.macVolume ?? "Macintosh HD" };
  const variables: ImportedVariable[] = [];
  const references = new Map<string, string>();
  const manifest: Record<string, unknown> = { version: 1 };
  const value = (key: string) => settings.values.get(key);

  const machinePath = (field: string, machine: string, sensitive: boolean) => {
    let variable = variables.find((v) => v.value === machine);
    if (!variable) variables.push((variable = { name: variableName(field), value: machine, fields: [], sensitive }));
    variable.fields.push(field);
    references.set(field, variable.name);
    return machine;
  };
  const decode = (def: KeyDef, field: string, raw: SettingValue): unknown => {
    const readPath = (text: string, itemField: string) => {
      const syntax = def.syntax === "host" ? host : def.syntax!;
      const read = fromFourDPath(text, syntax, context);
      return "relative" in read ? read.relative : machinePath(itemField, read.machine, def.type === "path-list");
    };
    if (Array.isArray(raw)) {
      if (def.type === "int-list") return raw.every((v) => /^\d+$/.test(v.trim())) ? raw.map(Number) : undefined;
      if (def.type === "path-list") return raw.map((text, i) => readPath(text, `${field}.${i}`));
      return [...raw];
    }
    const text = raw as string;
    if (text.trim() === "") return undefined; // empty elements are kept as they are, through passthrough
    switch (def.type) {
      case "bool":
        return /^(true|false)$/i.test(text.trim()) ? text.trim().toLowerCase() === "true" : undefined;
      case "int":
        return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
      case "path":
        return readPath(text, field);
      case "text":
        return text;
      default:
        return undefined;
    }
  };

  /** The fields set from the file, with the keys each was read from: what closing the import may leave out. */
  const fields = new Map<string, readonly string[]>();
  const set = (field: string, decoded: unknown, ...keys: string[]) => {
    setField(manifest, field, decoded);
    fields.set(field, keys);
  };

  const name = value("BuildApplicationName");
  if (typeof name === "string" && name.trim()) manifest.name = name;
  const fromLicences = versionFromLicences(settings);
  const fourDVersion = options.fourDVersion ?? versionFromPaths(settings) ?? fromLicences;
  const fallback = options.defaultFourDVersion ?? "21";
  if (!options.fourDVersion && !fourDVersion) warn(`the 4D version could not be told from the file; 4dVersion is set to "${fallback}"`, "set 4dVersion to the 4D you build with, or pass --4d-version");
  else if (!options.fourDVersion && fourDVersion === fromLicences && !versionFromPaths(settings)) warn(`the 4D version is read from the licence file names: 4dVersion is set to "${fourDVersion}"`, "set 4dVersion to the exact 4D you build with (a feature release such as 20 R8 needs R- licences)");
  manifest.project = projectPath(options, (manifest.name as string | undefined) ?? "Application", warn);
  manifest["4dVersion"] = fourDVersion ?? fallback;

  for (const p of PLATFORMS) {
    const raw = value(p === "mac" ? "BuildMacDestFolder" : "BuildWinDestFolder");
    const def = keyDef(p === "mac" ? "BuildMacDestFolder" : "BuildWinDestFolder")!;
    const decoded = raw === undefined ? undefined : decode(def, `output.${p}`, raw);
    if (decoded !== undefined) set(`output.${p}`, decoded, def.key);
  }
  for (const [field, key] of SIMPLE_BINDINGS) {
    const raw = value(key);
    if (raw === undefined) continue;
    const decoded = decode(keyDef(key)!, field, raw);
    if (decoded !== undefined) set(field, decoded, key);
  }

  const linking = (raw: SettingValue | undefined) => Object.entries(DATA_LINKING).find(([, v]) => typeof raw === "string" && v.toLowerCase() === raw.trim().toLowerCase())?.[0];
  const standaloneLinking = linking(value("RuntimeVL/LastDataPathLookup"));
  if (standaloneLinking) set("targets.standalone.dataLinking", standaloneLinking, "RuntimeVL/LastDataPathLookup");
  const serverLinking = linking(value("CS/LastDataPathLookup"));
  if (serverLinking) set("targets.server.dataLinking", serverLinking, "CS/LastDataPathLookup");

  // Targets: declared when a flag says so or one of their settings is present; built on this host or not.
  const hostName = host === "mac" ? "Mac" : "Win";
  const flags: [target: string, key: string][] = [
    ["compiled", "BuildCompiled"],
    ["component", "BuildComponent"],
    ["standalone", "BuildApplicationSerialized"],
    ["server", "SourcesFiles/CS/ServerIncludeIt"],
    ["client", `SourcesFiles/CS/Client${hostName}IncludeIt`],
  ];
  for (const [target, key] of flags) {
    const on = isTrue(value(key));
    const declared = getField(manifest, `targets.${target}`) !== undefined;
    if (on && !declared) set(`targets.${target}`, {}, key);
    if (!on && declared) setField(manifest, `targets.${target}.enabled`, false);
    const runtime = getField(manifest, `targets.${target}.runtime`) as Record<string, unknown> | undefined;
    if (on && runtime && runtime[host] === undefined) set(`targets.${target}.platforms`, [host], key);
  }

  if (isTrue(value("Licenses/EvaluationMode"))) set("licenses.mode", "evaluation", "Licenses/EvaluationMode");
  else if (isTrue(value("Licenses/AutomaticLicenseIntegration"))) set("licenses.mode", "automatic", "Licenses/AutomaticLicenseIntegration");
  if (settings.containers.has("Licenses") || settings.values.has("Licenses/ArrayLicenseMac") || settings.values.has("Licenses/ArrayLicenseWin")) manifest.licenses ??= {};

  const signature = value("SignApplication/MacSignature");
  const identity = getField(manifest, "signing.mac.identity");
  if (signature !== undefined && !(isTrue(signature) && identity !== undefined)) {
    const decoded = decode(keyDef("SignApplication/MacSignature")!, "signing.mac.sign", signature);
    if (decoded !== undefined) set("signing.mac.sign", decoded, "SignApplication/MacSignature");
  }

  for (const key of settings.values.keys()) {
    if (!keyDef(key)) warn(`${key} is not a key 4dbuild knows${UNDOCUMENTED_KEYS.includes(key) ? " (written by some 4D versions, undocumented)" : ""}; it is kept in passthrough`);
  }
  const draft: ImportDraft<ImportedVariable> = { manifest, references, variables, fields };
  const keep = () => keepAsWritten(settings, draft, { ...options, host, context }, diagnostics);
  const values = () => Object.fromEntries(variables.map((v) => [v.name, v.value]));
  diagnostics.push(...closeImport(draft, () => (keep(), importedManifestProblems(manifest as unknown as Manifest, references, values(), options.manifestDir)), options.file));
  const generated = keep();
  for (const key of generated.values.keys()) {
    if (!settings.values.has(key)) warn(`the file has no ${key}; 4dbuild writes it (${String(generated.values.get(key))})`);
  }
  return { manifest: manifest as unknown as Manifest, references, variables, host, diagnostics };
}

function projectPath(options: ImportOptions, name: string, warn: (message: string, hint?: string) => void): string {
  const projectDir = path.join(options.packageDir, "Project");
  let found: string | undefined;
  try {
    found = readdirSync(projectDir).filter((f) => f.endsWith(".4DProject")).sort()[0];
  } catch {
    /* no Project folder */
  }
  const file = path.join(projectDir, found ?? `${name}.4DProject`);
  const project = path.relative(options.manifestDir, file).split(path.sep).join("/");
  // A project outside the manifest's repository is one validate refuses: the manifest gets the usual layout instead.
  const inside = path.relative(repositoryRoot(options.manifestDir), file);
  if (inside.startsWith("..") || path.isAbsolute(inside)) {
    const usual = `Project/${path.basename(file)}`;
    warn(`the project ${project} is outside the repository the manifest is written in; project is set to ${usual}`, "write the manifest inside the project's repository (-o), or correct project in the manifest");
    return usual;
  }
  if (!found) warn(`no Project/*.4DProject beside the settings; project is set to ${project}`, "correct project in the manifest");
  return project;
}
