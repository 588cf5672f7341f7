import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { ExitCode, InvalidInputError, UsageError } from "../../messages/errors.js";
import { writeFileAtomic } from "../../files/atomic.js";
import { repositoryRoot } from "../../files/work-tree.js";
import { generateSettings } from "../../generator/generate.js";
import { serializeSettings } from "../../generator/settings-xml.js";
import { displayPath } from "../../manifest/source.js";
import type { Platform } from "../../manifest/targets.js";
import type { CliIO } from "../io.js";
import { requirePlan } from "../manifest-input.js";

export interface GenerateCommandOptions {
  host: Platform;
  output?: string;
  macVolume?: string;
  /** Write the settings with real values (secrets included) to this file, for 4D: never stdout, never the repository. */
  forBuild?: string;
}

/** The real path of a file that may not exist yet: its folder resolved (symbolic links followed). */
function realTarget(file: string): string {
  const folder = path.dirname(file);
  return path.join(existsSync(folder) ? realpathSync(folder) : folder, path.basename(file));
}

/** Where --for-build may write: a file the user names, outside the repository (where it could be committed). */
function forBuildTarget(io: CliIO, file: string, baseDir: string): string {
  if (file === "-" || file === "/dev/stdout" || file === "/dev/fd/1") throw new UsageError("--for-build writes real secret values: it does not write to standard output", "name a file outside the repository, e.g. --for-build \"$RUNNER_TEMP/buildApp.4DSettings\"");
  const target = realTarget(path.resolve(io.cwd, file));
  const root = realpathSync(repositoryRoot(baseDir));
  const relative = path.relative(root, target);
  if (!relative.startsWith("..") && !path.isAbsolute(relative))
    throw new UsageError(`--for-build refuses to write inside the repository (${relative}): the file holds real secret values`, "name a file outside the repository, e.g. --for-build \"$RUNNER_TEMP/buildApp.4DSettings\", and delete it after the build");
  return target;
}

/**
 * Writes the buildApp.4DSettings of a manifest for a build host. Secrets are masked: they never go into it,
 * except with --for-build, which writes the real values (for 4D to run) to a file outside the repository, 0600.
 */
export function generateCommand(io: CliIO, manifestPath: string, options: GenerateCommandOptions): number {
  if (options.forBuild !== undefined && options.output !== undefined) throw new UsageError("--for-build and --output are two destinations: give one", "--output writes the masked file for review, --for-build the real one for 4D");
  const { plan, locate, redactor, sources } = requirePlan(io, manifestPath, { checkFiles: false, checkProject: false });
  const forBuild = options.forBuild !== undefined ? forBuildTarget(io, options.forBuild, plan.baseDir) : undefined;
  const { settings, problems } = generateSettings(plan, { host: options.host, ...(options.macVolume ? { macVolume: options.macVolume } : {}) });
  if (problems.length > 0) {
    const shown = (field: string) => displayPath(field.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
    throw new InvalidInputError(problems.map((p) => ({ severity: "error", code: "path-syntax", message: redactor.redact(`${shown(p.field)}: ${p.message}`), ...(p.hint ? { hint: redactor.redact(p.hint) } : {}), ...locate(p.field) })), sources);
  }
  if (forBuild) {
    writeFileAtomic(forBuild, serializeSettings(settings), 0o600);
    io.stderr.write(`wrote ${forBuild} with real values${redactor.size > 0 ? ` (${redactor.size} secret value${redactor.size === 1 ? "" : "s"})` : ""}: delete it after the build\n`);
    return ExitCode.ok;
  }
  const xml = redactor.redact(serializeSettings(settings));
  if (options.output) writeFileAtomic(path.resolve(io.cwd, options.output), xml);
  else io.stdout.write(xml);
  return ExitCode.ok;
}
