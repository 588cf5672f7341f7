import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runBuild } from "../../builder/build.js";
import type { TargetName } from "../../manifest/targets.js";
import { createLogger } from "../../builder/logger.js";
import { ExitCode, UserError } from "../../messages/errors.js";
import type { Platform } from "../../manifest/targets.js";
import { compareOutputs, verifyOutput, type VerifyProblem } from "../../release/verify.js";
import type { CliIO } from "../io.js";
import { requirePlan } from "../manifest-input.js";

export interface VerifyCommandOptions {
  cert?: string;
  rebuild: boolean;
  manifest: string;
}

interface RecordedBuild {
  sourceDateEpoch: number;
  targets: { target: TargetName; platform?: Platform }[];
}

/** Builds the manifest again, as the report says the output was built, and lists what differs. */
async function rebuild(io: CliIO, dir: string, manifest: string): Promise<VerifyProblem[]> {
  const report = JSON.parse(readFileSync(path.join(dir, "build-report.json"), "utf8")) as RecordedBuild;
  const { plan, redactor } = requirePlan(io, manifest);
  const scratch = mkdtempSync(path.join(tmpdir(), "4dbuild-verify-"));
  try {
    const targets = [...new Set(report.targets.map((t) => t.target))];
    const platforms = [...new Set(report.targets.flatMap((t) => (t.platform ? [t.platform] : [])))];
    const out = path.join(scratch, "out");
    await runBuild(plan, {
      targets,
      ...(platforms.length ? { platforms } : {}),
      out,
      logger: createLogger("text", { write: () => true }, redactor, io.env),
      env: { ...io.env, SOURCE_DATE_EPOCH: String(report.sourceDateEpoch) },
      redactor,
      signal: new AbortController().signal,
    });
    return compareOutputs(dir, out);
  } catch (error) {
    throw error instanceof UserError ? error.redact(redactor) : error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Checks every checksum and signature of a build output; with --rebuild, that building again gives the same bytes. */
export async function verifyCommand(io: CliIO, dirArgument: string, options: VerifyCommandOptions): Promise<number> {
  const dir = path.resolve(io.cwd, dirArgument);
  const result = await verifyOutput(dir, options.cert ? { trusted: path.resolve(io.cwd, options.cert) } : {});
  const problems = [...result.problems];
  if (options.rebuild && problems.length === 0) problems.push(...(await rebuild(io, dir, options.manifest)));
  for (const s of result.signatures) io.stdout.write(`signature ok: ${s.file} (signed by ${s.signer})\n`);
  for (const p of problems) io.stdout.write(`FAILED: ${p.file}: ${p.problem}\n`);
  const summary = `${result.checked} file${result.checked === 1 ? "" : "s"} checked, ${result.signatures.length} signature${result.signatures.length === 1 ? "" : "s"}${options.rebuild ? ", rebuilt and compared" : ""}`;
  io.stdout.write(problems.length ? `${problems.length} problem${problems.length === 1 ? "" : "s"}; ${summary}\n` : `OK: ${summary}\n`);
  return problems.length ? ExitCode.invalid : ExitCode.ok;
}
