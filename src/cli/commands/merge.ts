import path from "node:path";
import { ExitCode } from "../../messages/errors.js";
import { mergeBuilds } from "../../release/merge.js";
import { libraryOptions, type CliIO } from "../io.js";
import { printWarnings } from "../manifest-input.js";

export interface MergeCommandOptions {
  out: string;
  manifest?: string;
}

/** Combines per-runner outputs into one release set; with --manifest, signs it with the manifest's certificate. */
export async function mergeCommand(io: CliIO, dirs: string[], options: MergeCommandOptions): Promise<number> {
  const merged = await mergeBuilds(dirs, { out: options.out, ...libraryOptions(io), ...(options.manifest ? { manifest: options.manifest } : {}) });
  if (merged.manifest) printWarnings(io, merged.manifest);
  io.stdout.write(`${path.relative(io.cwd, merged.out) || "."}: ${merged.files} files from ${merged.from} outputs${merged.signed ? ", SHA256SUMS signed" : ""}\n`);
  return ExitCode.ok;
}
