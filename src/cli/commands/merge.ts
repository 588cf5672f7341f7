import path from "node:path";
import { preflight } from "../../builder/preflight.js";
import { ExitCode, UserError } from "../../messages/errors.js";
import { mergeOutputs } from "../../release/merge.js";
import type { CliIO } from "../io.js";
import { requirePlan } from "../manifest-input.js";

export interface MergeCommandOptions {
  out: string;
  manifest?: string;
}

/** Combines per-runner outputs into one release set; with --manifest, signs it with the manifest's certificate. */
export async function mergeCommand(io: CliIO, dirs: string[], options: MergeCommandOptions): Promise<number> {
  let signing: Parameters<typeof mergeOutputs>[2] = {};
  let redact = (error: UserError) => error;
  if (options.manifest) {
    const { plan, redactor } = requirePlan(io, options.manifest);
    redact = (error) => error.redact(redactor);
    const checked = preflight(plan, [], { host: process.platform, now: new Date(), redactor });
    if (checked.signing && plan.config.signing.checksums?.sign !== false) signing = { signing: { identity: checked.signing.identity, ...(plan.config.signing.checksums?.format ? { format: plan.config.signing.checksums.format } : {}) } };
  }
  try {
    const out = path.resolve(io.cwd, options.out);
    const { files } = await mergeOutputs(dirs.map((d) => path.resolve(io.cwd, d)), out, signing);
    io.stdout.write(`${path.relative(io.cwd, out) || "."}: ${files} files from ${dirs.length} outputs${signing.signing ? ", SHA256SUMS signed" : ""}\n`);
    return ExitCode.ok;
  } catch (error) {
    throw error instanceof UserError ? redact(error) : error;
  }
}
