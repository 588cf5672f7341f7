import path from "node:path";
import type { Manifest } from "../manifest/manifest.generated.js";
import type { DeepReadonly } from "../manifest/plan.js";
import { PLATFORMS, targetPlatforms, type Platform } from "../manifest/rules/context.js";
import { DATA_LINKING, getField, SIMPLE_BINDINGS } from "./bindings.js";
import { keyDef, type KeyDef } from "./keys.js";
import { PathSyntaxError, toFourDPath, type FourDPathContext } from "./paths.js";
import { emptySettings, type SettingsDocument, type SettingValue } from "./settings-xml.js";

export interface GenerateInput {
  /** The manifest with its variables resolved. */
  manifest: DeepReadonly<Manifest>;
  manifestDir: string;
  packageDir: string;
}

export interface GenerateOptions {
  /** The OS 4D builds on: it decides which targets build there and the syntax of host-neutral paths. */
  host: Platform;
  /** Name of the macOS boot volume for absolute paths (HFS names the volume). */
  macVolume?: string;
}

export interface FieldProblem {
  field: string;
  message: string;
}

const bool = (value: boolean) => (value ? "True" : "False");

/** The application name as 4D will use it: the manifest's, else the project file's. */
export const applicationName = (manifest: DeepReadonly<Manifest>): string => manifest.name ?? path.basename(manifest.project).replace(/\.4DProject$/i, "");

/**
 * The buildApp.4DSettings that 4D's BUILD APPLICATION needs on `host` for this manifest. Written: the target
 * flags 4D always writes, the name and the host's destination, and every key whose field the manifest sets.
 */
export function generateSettings(input: GenerateInput, options: GenerateOptions): { settings: SettingsDocument; problems: FieldProblem[] } {
  const { manifest } = input;
  const { host } = options;
  const settings = emptySettings();
  const problems: FieldProblem[] = [];
  const context: FourDPathContext = { manifestDir: input.manifestDir, packageDir: input.packageDir, macVolume: options.macVolume ?? "Macintosh HD" };

  const encode = (def: KeyDef, field: string, value: unknown): SettingValue | undefined => {
    const convert = (p: string) => {
      const syntax = def.syntax === "host" ? host : def.syntax!;
      const folder = def.kind === "folder" || (def.kind === "folder-or-archive" && !p.toLowerCase().endsWith(".4darchive"));
      return toFourDPath(p, syntax, folder, context);
    };
    try {
      switch (def.type) {
        case "bool":
          return bool(value as boolean);
        case "int":
        case "text":
          return String(value);
        case "path":
          return convert(value as string);
        case "list":
        case "int-list":
          return (value as unknown[]).map(String);
        case "path-list":
          return (value as string[]).map(convert);
      }
    } catch (error) {
      if (!(error instanceof PathSyntaxError)) throw error;
      problems.push({ field, message: error.message });
      return undefined;
    }
  };
  const put = (key: string, field: string, value: unknown) => {
    if (value === undefined) return;
    const encoded = encode(keyDef(key)!, field, value);
    if (encoded !== undefined) settings.values.set(key, encoded);
  };

  // Always written, as 4D's dialog does: the name, the host's destination, the target flags.
  put("BuildApplicationName", "name", applicationName(manifest));
  const destination = (p: Platform) => manifest.output?.[p] ?? manifest.output?.dir;
  const destinationField = (p: Platform) => (manifest.output?.[p] !== undefined ? `output.${p}` : "output.dir");
  for (const p of PLATFORMS) {
    const key = p === "mac" ? "BuildMacDestFolder" : "BuildWinDestFolder";
    const value = destination(p) ?? (p === host ? path.relative(input.manifestDir, path.join(path.dirname(input.packageDir), `${applicationName(manifest)}_Build`)) : undefined);
    put(key, destinationField(p), value);
  }

  const targets = manifest.targets ?? {};
  const on = (name: keyof typeof targets) => targets[name] !== undefined && targets[name]?.enabled !== false;
  const builtHere = (name: "standalone" | "server" | "client") => on(name) && targetPlatforms(manifest, name).includes(host);
  const other: Platform = host === "mac" ? "win" : "mac";
  const hostName = (p: Platform) => (p === "mac" ? "Mac" : "Win");

  put("BuildCompiled", "targets.compiled", on("compiled"));
  put("BuildComponent", "targets.component", on("component"));
  put("BuildApplicationSerialized", "targets.standalone", builtHere("standalone"));
  put("SourcesFiles/RuntimeVL/RuntimeVLIncludeIt", "targets.standalone", true);
  put("SourcesFiles/CS/ServerIncludeIt", "targets.server", builtHere("server"));
  put(`SourcesFiles/CS/Client${hostName(host)}IncludeIt`, "targets.client", builtHere("client"));
  // On this host the other platform's client is only an update archive for the server.
  put(`SourcesFiles/CS/Client${hostName(other)}IncludeIt`, "autoUpdate.otherPlatformClient", manifest.autoUpdate?.otherPlatformClient?.[other] !== undefined);
  put("CS/BuildServerApplication", "targets.server", builtHere("server") || builtHere("client"));

  for (const [field, key] of SIMPLE_BINDINGS) put(key, field, getField(manifest, field));

  const linking = (value: keyof typeof DATA_LINKING | undefined) => (value ? DATA_LINKING[value] : undefined);
  put("RuntimeVL/LastDataPathLookup", "targets.standalone.dataLinking", linking(targets.standalone?.dataLinking));
  put("CS/LastDataPathLookup", "targets.server.dataLinking", linking(targets.server?.dataLinking));

  const mode = manifest.licenses?.mode;
  if (mode === "evaluation") put("Licenses/EvaluationMode", "licenses.mode", true);
  if (mode === "automatic") put("Licenses/AutomaticLicenseIntegration", "licenses.mode", true);
  if (manifest.licenses !== undefined) settings.containers.add("Licenses");

  const mac = manifest.signing?.mac;
  if (mac?.sign !== undefined || mac?.identity !== undefined) put("SignApplication/MacSignature", "signing.mac.sign", mac.sign ?? true);

  for (const [key, value] of Object.entries(manifest.passthrough ?? {})) {
    if (value !== undefined) settings.values.set(keyDef(key)?.key ?? key, value);
  }
  return { settings, problems };
}
