import { diffManifests } from "../../diff/manifests.js";
import { renderDiff, type DiffFormat } from "../../diff/render.js";
import type { Platform } from "../../manifest/targets.js";
import { ExitCode, UsageError } from "../../messages/errors.js";
import { libraryOptions, type CliIO } from "../io.js";

export interface DiffCommandOptions {
  format: DiffFormat;
  /** Compare the file at this revision with the working tree. */
  git?: string;
  /** The file read at a side given as a revision (default 4dbuild.yml, else Settings/buildApp.4DSettings). */
  manifest?: string;
  /** The OS a settings file was written on, when it does not tell. */
  host?: Platform;
  /** Exit 1 when a side is invalid (its problems are listed either way). */
  strict: boolean;
}

/**
 * Compares two build configurations (manifests or buildApp.4DSettings, files or git revisions): settings with
 * notes, the generated XML, the artifact plan, and each side's problems. Exit 0 unless --strict finds a side invalid.
 */
export function diffCommand(io: CliIO, base: string | undefined, head: string | undefined, options: DiffCommandOptions): number {
  const context = { ...libraryOptions(io), ...(options.host ? { host: options.host } : {}), ...(options.manifest ? { manifest: options.manifest } : {}) };
  let result: ReturnType<typeof diffManifests>;
  if (options.git) {
    if (head) throw new UsageError("--git compares one file at a revision with the working tree: give at most one file", "4dbuild diff --git main Settings/buildApp.4DSettings, or 4dbuild diff BASE HEAD");
    const file = base ?? options.manifest;
    result = diffManifests({ revision: options.git, ...(file ? { path: file } : {}) }, file ? { path: file } : {}, context);
  } else {
    if (!base || !head) throw new UsageError("diff needs two sides: 4dbuild diff BASE HEAD, or 4dbuild diff --git REVISION [file]");
    result = diffManifests(base, head, context);
  }
  io.stdout.write(result.redactor.redact(renderDiff(result.diff, options.format)));
  return options.strict && !result.valid ? ExitCode.invalid : ExitCode.ok;
}
