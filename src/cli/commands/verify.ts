import { ExitCode } from "../../messages/errors.js";
import { verifyBuild } from "../../release/verify.js";
import { withInterrupts } from "../interrupts.js";
import { libraryOptions, type CliIO } from "../io.js";
import { printWarnings } from "../manifest-input.js";

export interface VerifyCommandOptions {
  cert?: string;
  rebuild: boolean;
  manifest: string;
}

/** Checks every checksum and signature of a build output; with --rebuild, that building again gives the same bytes. */
export async function verifyCommand(io: CliIO, dir: string, options: VerifyCommandOptions): Promise<number> {
  const found = await withInterrupts((signal) =>
    verifyBuild(dir, { ...libraryOptions(io), signal, ...(options.cert ? { cert: options.cert } : {}), ...(options.rebuild ? { rebuild: { manifest: options.manifest } } : {}) }),
  );
  if (found.manifest) printWarnings(io, found.manifest);
  for (const s of found.signatures) io.stdout.write(`signature ok: ${s.file} (signed by ${s.signer})\n`);
  for (const u of found.unsigned) io.stdout.write(`${u.signature.split(":")[0]}: ${u.path}:${u.signature.slice(u.signature.indexOf(":") + 1)}\n`);
  for (const p of found.problems) io.stdout.write(`FAILED: ${p.file}: ${p.problem}\n`);
  const summary = `${found.checked} file${found.checked === 1 ? "" : "s"} checked, ${found.signatures.length} signature${found.signatures.length === 1 ? "" : "s"}${found.rebuilt ? ", rebuilt and compared" : ""}`;
  io.stdout.write(found.ok ? `OK: ${summary}\n` : `${found.problems.length} problem${found.problems.length === 1 ? "" : "s"}; ${summary}\n`);
  return found.ok ? ExitCode.ok : ExitCode.invalid;
}
