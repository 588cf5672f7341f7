import { diffManifests } from "../../diff/manifests.js";
import { renderDiff, type DiffFormat } from "../../diff/render.js";
import { ExitCode, UsageError } from "../../messages/errors.js";
import type { CliIO } from "../io.js";

export interface DiffCommandOptions {
  format: DiffFormat;
  /** Compare the manifest at this revision with the working tree. */
  git?: string;
  /** The manifest path used for a side given as a git revision. */
  manifest: string;
}

/** Compares two build configurations: settings with notes, the generated XML, and the artifact plan. */
export function diffCommand(io: CliIO, base: string | undefined, head: string | undefined, options: DiffCommandOptions): number {
  const context = { env: io.env, cwd: io.cwd };
  let result: ReturnType<typeof diffManifests>;
  if (options.git) {
    const manifest = base ?? options.manifest;
    result = diffManifests({ revision: options.git }, manifest, { ...context, manifest });
  } else {
    if (!base || !head) throw new UsageError("diff needs two sides: 4dbuild diff BASE HEAD, or 4dbuild diff --git REVISION [manifest]");
    result = diffManifests(base, head, { ...context, manifest: options.manifest });
  }
  io.stdout.write(result.redactor.redact(renderDiff(result.diff, options.format)));
  return ExitCode.ok;
}
