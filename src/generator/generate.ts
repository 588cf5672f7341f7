import path from "node:path";
import { writes, type ReadonlyBuildPlan } from "../manifest/plan.js";
import { RUNTIME_ARCHIVE } from "../manifest/runtime-source.js";
import { schemaAt } from "../manifest/schema-walk.js";
import { displayPath } from "../manifest/source.js";
import { enabledTarget, PLATFORMS, type AppTarget, type Platform } from "../manifest/targets.js";
import { DATA_LINKING, getField, SIMPLE_BINDINGS } from "./bindings.js";
import { keyDef, type KeyDef } from "./keys.js";
import { PathSyntaxError, toFourDPath, type FourDPathContext } from "./paths.js";
import { emptySettings, type SettingsDocument, type SettingValue } from "./settings-xml.js";

/** What the generator reads of a plan: the resolved configuration, the fields written, and where paths start. */
export type GenerateInput = Pick<ReadonlyBuildPlan, "config" | "written" | "baseDir" | "packageDir">;

export interface GenerateOptions {
  /** The OS 4D builds on: it decides which targets build there and the syntax of host-neutral paths. */
  host: Platform;
  /** Name of the macOS boot volume for absolute paths (HFS names the volume). */
  macVolume?: string;
  /**
   * Fields (dotted, list items by index) whose value is written as it is, not converted: references kept as
   * text by a review (diff), which are no path of any system.
   */
  literal?: ReadonlySet<string>;
}

export interface FieldProblem {
  field: string;
  message: string;
  hint?: string;
}

const bool = (value: boolean) => (value ? "True" : "False");

/** 4D's builder needs a runtime's folder: an archive or a download is something only 4dbuild build unpacks. */
function runtimeNotAFolder(field: string, value: unknown): string | undefined {
  if (!/\.runtime\.(mac|win)$/.test(field)) return undefined;
  const given = typeof value === "object" ? "a download" : typeof value === "string" && RUNTIME_ARCHIVE.test(value) ? "an archive" : undefined;
  return given && `${given}: 4D's BUILD APPLICATION needs the runtime's folder; 4dbuild build unpacks it into its cache (docs/toolchain.md), for 4D's own builder give the unpacked folder`;
}

/**
 * The buildApp.4DSettings that 4D's BUILD APPLICATION needs on `host` for this manifest. Written: the target
 * flags 4D always writes, the name and the host's destination, and every key whose field the manifest sets.
 */
export function generateSettings(plan: GenerateInput, options: GenerateOptions): { settings: SettingsDocument; problems: FieldProblem[]; from: Map<string, string> } {
  const { config } = plan;
  const { host } = options;
  const settings = emptySettings();
  const problems: FieldProblem[] = [];
  /** Key → the field whose value it carries (before passthrough). */
  const from = new Map<string, string>();
  const literal = options.literal ?? new Set<string>();
  const context: FourDPathContext = { manifestDir: plan.baseDir, packageDir: plan.packageDir, macVolume: options.macVolume ?? "Macintosh HD" };

  const encode = (def: KeyDef, field: string, value: unknown): SettingValue | undefined => {
    const convert = (p: string, at = field) => {
      if (literal.has(at)) return p;
      const syntax = def.syntax === "host" ? host : def.syntax!;
      const folder = def.kind === "folder" || (def.kind === "folder-or-archive" && !p.toLowerCase().endsWith(".4darchive"));
      try {
        return toFourDPath(p, syntax, folder, context);
      } catch (error) {
        // A licence file is named by its list entry: its name holds the licence number.
        const segments = at.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        if (error instanceof PathSyntaxError && schemaAt(segments)?.["x-secret"]) throw new PathSyntaxError(error.message.split(`"${p}"`).join(`${displayPath(segments)} (not shown)`), error.hint, at);
        throw error instanceof PathSyntaxError ? new PathSyntaxError(error.message, error.hint, at) : error;
      }
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
          return (value as string[]).map((p, i) => convert(p, `${field}.${i}`));
      }
    } catch (error) {
      if (!(error instanceof PathSyntaxError)) throw error;
      problems.push({ field: error.field ?? field, message: error.message, hint: error.hint });
      return undefined;
    }
  };
  const put = (key: string, field: string, value: unknown) => {
    if (value === undefined) return;
    const encoded = encode(keyDef(key)!, field, value);
    if (encoded === undefined) return;
    settings.values.set(key, encoded);
    from.set(key, field);
  };

  // Always written, as 4D's dialog does: the name, the host's destination, the target flags.
  put("BuildApplicationName", "name", config.name);
  const destinationField = (p: Platform) => (config.output[p] !== undefined ? `output.${p}` : "output.dir");
  for (const p of PLATFORMS) {
    const key = p === "mac" ? "BuildMacDestFolder" : "BuildWinDestFolder";
    const value = config.output[p] ?? config.output.dir ?? (p === host ? path.relative(plan.baseDir, path.join(path.dirname(plan.packageDir), `${config.name}_Build`)) : undefined);
    put(key, destinationField(p), value);
  }

  const builtHere = (name: AppTarget) => enabledTarget(config, name) && (config.targets[name]?.platforms ?? []).includes(host);
  const other: Platform = host === "mac" ? "win" : "mac";
  const hostName = (p: Platform) => (p === "mac" ? "Mac" : "Win");

  put("BuildCompiled", "targets.compiled", enabledTarget(config, "compiled"));
  put("BuildComponent", "targets.component", enabledTarget(config, "component"));
  put("BuildApplicationSerialized", "targets.standalone", builtHere("standalone"));
  // 4D writes True here whatever the targets (reference §4.2): no field drives it.
  settings.values.set("SourcesFiles/RuntimeVL/RuntimeVLIncludeIt", bool(true));
  put("SourcesFiles/CS/ServerIncludeIt", "targets.server", builtHere("server"));
  put(`SourcesFiles/CS/Client${hostName(host)}IncludeIt`, "targets.client", builtHere("client"));
  // On this host the other platform's client is only an update archive for the server.
  put(`SourcesFiles/CS/Client${hostName(other)}IncludeIt`, "autoUpdate.otherPlatformClient", config.autoUpdate.otherPlatformClient?.[other] !== undefined);
  put("CS/BuildServerApplication", "targets.server", builtHere("server") || builtHere("client"));

  // The other keys: those of the fields the manifest writes, with their resolved values.
  for (const [field, key] of SIMPLE_BINDINGS) {
    if (!writes(plan, field)) continue;
    const value = getField(config, field);
    const notFolder = runtimeNotAFolder(field, value);
    if (notFolder) problems.push({ field, message: notFolder });
    else put(key, field, value);
  }

  if (writes(plan, "targets.standalone.dataLinking")) put("RuntimeVL/LastDataPathLookup", "targets.standalone.dataLinking", DATA_LINKING[config.targets.standalone!.dataLinking]);
  if (writes(plan, "targets.server.dataLinking")) put("CS/LastDataPathLookup", "targets.server.dataLinking", DATA_LINKING[config.targets.server!.dataLinking]);

  const mode = config.licenses.mode;
  if (mode === "evaluation") put("Licenses/EvaluationMode", "licenses.mode", true);
  if (mode === "automatic") put("Licenses/AutomaticLicenseIntegration", "licenses.mode", true);
  if (writes(plan, "licenses")) settings.containers.add("Licenses");

  const mac = config.signing.mac;
  if (writes(plan, "signing.mac.sign") || writes(plan, "signing.mac.identity")) put("SignApplication/MacSignature", writes(plan, "signing.mac.sign") ? "signing.mac.sign" : "signing.mac.identity", mac.sign ?? true);

  for (const [key, value] of Object.entries(config.passthrough ?? {})) {
    if (value !== undefined) settings.values.set(keyDef(key)?.key ?? key, value);
  }
  return { settings, problems, from };
}
