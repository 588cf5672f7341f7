import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { formatDiagnostics, styleFor } from "../../messages/diagnostics.js";
import { ExitCode, InvalidInputError, UsageError } from "../../messages/errors.js";
import { writeFileAtomic } from "../../files/atomic.js";
import { ignoresDerivedData } from "../../files/git-ignore.js";
import { importSettings } from "../../generator/import.js";
import { importedManifestYaml } from "../../generator/manifest-yaml.js";
import { parseSettings, readSettingsFile } from "../../generator/settings-xml.js";
import { settingsPackage } from "../../generator/settings-package.js";
import type { Platform } from "../../manifest/targets.js";
import type { CliIO } from "../io.js";

export interface ImportCommandOptions {
  output: string;
  host?: Platform;
  fourDVersion?: string;
  macVolume?: string;
  force: boolean;
}

/** Settings/buildApp.4DSettings, matched case-insensitively as 4D-written names vary. */
function defaultSettingsFile(cwd: string): string {
  const dir = path.join(cwd, "Settings");
  const name = existsSync(dir) ? readdirSync(dir).find((f) => f.toLowerCase() === "buildapp.4dsettings") : undefined;
  if (!name) throw new UsageError("no Settings/buildApp.4DSettings here", "give the settings file: 4dbuild import path/to/buildApp.4DSettings");
  return path.join("Settings", name);
}

/** Turns a buildApp.4DSettings into a commented 4dbuild.yml. Returns the manifest's path, or undefined on stdout. */
export function importCommand(io: CliIO, settingsPath: string | undefined, options: ImportCommandOptions): { code: number; written?: string } {
  const shown = settingsPath ?? defaultSettingsFile(io.cwd);
  const file = path.resolve(io.cwd, shown);
  if (!existsSync(file)) throw new UsageError(`settings file not found: ${shown}`);
  const toStdout = options.output === "-";
  const target = path.resolve(io.cwd, toStdout ? "4dbuild.yml" : options.output);
  if (!toStdout && existsSync(target) && !options.force) throw new UsageError(`${options.output} already exists`, "use --force to overwrite it, or -o to write elsewhere");

  const { text } = readSettingsFile(file, shown);
  const { settings, diagnostics: parseWarnings } = parseSettings(text, shown);
  const packageDir = settingsPackage(file);
  const result = importSettings(settings, {
    file: shown,
    manifestDir: path.dirname(target),
    packageDir,
    ...(options.host ? { host: options.host } : {}),
    ...(options.fourDVersion ? { fourDVersion: options.fourDVersion } : {}),
    ...(options.macVolume ? { macVolume: options.macVolume } : {}),
  });
  // A clone of a repository that ignores DerivedData/ has no compiled code: the build must compile.
  const compile = ignoresDerivedData(packageDir);
  if (compile) result.manifest.compile = { ...result.manifest.compile, enabled: true, tool4d: "auto" };
  const warnings = [...parseWarnings, ...result.diagnostics];
  if (warnings.some((d) => d.severity === "error")) throw new InvalidInputError(warnings, new Map([[shown, text]]));
  const yaml = importedManifestYaml(result, path.relative(path.dirname(target), file).split(path.sep).join("/"));
  if (warnings.length > 0) io.stderr.write(formatDiagnostics(warnings, { format: "text", sources: new Map([[shown, text]]), style: styleFor(io.stderr, io.env) }));
  for (const v of result.variables) io.stderr.write(`set ${v.name} to ${v.sensitive ? `the path of that licence file${v.asWritten ? ", as 4D writes it" : ""}` : v.value} (used by ${v.fields.join(", ")})\n`);
  if (compile) io.stderr.write("the repository ignores Project/DerivedData/ (no compiled code in a clone): compile.enabled is true\n");
  if (toStdout) {
    io.stdout.write(yaml);
    return { code: ExitCode.ok };
  }
  writeFileAtomic(target, yaml);
  io.stderr.write(`wrote ${options.output}\n`);
  return { code: ExitCode.ok, written: options.output };
}
