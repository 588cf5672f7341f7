import path from "node:path";
import { buildManifest } from "../../builder/from-manifest.js";
import { planBuild, renderPlanText } from "../../builder/plan-print.js";
import type { LogFormat } from "../../builder/logger.js";
import { comparisonText } from "../../release/compare-engines.js";
import { ExitCode } from "../../messages/errors.js";
import { withInterrupts } from "../interrupts.js";
import type { CliIO } from "../io.js";
import { printable } from "../../messages/text.js";
import { requirePlan, scopeOptions } from "../manifest-input.js";

export interface BuildCommandOptions {
  /** Only these targets / platforms: the inputs of the other units are not required. */
  target?: string[];
  platform?: string[];
  out?: string;
  dryRun: boolean;
  log?: LogFormat;
  wait: string;
  /** Remove the destination's lock before taking it. */
  forceUnlock?: boolean;
  /** Replaces versioning.common.version. */
  appVersion?: string;
  /** Build natively and with 4D (build.engine, 4d when native), and list every file that differs. */
  compareEngines?: boolean;
}

/** Builds the manifest's targets. SIGINT/SIGTERM stop it cleanly: staging removed, previous outputs untouched. */
export async function buildCommand(io: CliIO, manifestPath: string, options: BuildCommandOptions): Promise<number> {
  const manifest = requirePlan(io, manifestPath, { ...scopeOptions(options), ...(options.appVersion !== undefined ? { version: options.appVersion, versionInput: "--app-version" } : {}) });
  if (options.dryRun) {
    io.stdout.write(printable(manifest.redactor.redact(renderPlanText(planBuild(manifest.plan, manifest.scope, io.env), io.cwd))));
    return ExitCode.ok;
  }
  return withInterrupts(async (signal) => {
    const result = await buildManifest(manifest, {
      env: io.env,
      cwd: io.cwd,
      ...(options.out ? { out: options.out } : {}),
      log: { format: options.log ?? (io.env.GITHUB_ACTIONS === "true" ? "github" : "text"), sink: io.stderr },
      signal,
      lockWaitMs: Number(options.wait) * 1000,
      ...(options.compareEngines ? { compareEngines: true } : {}),
      ...(options.forceUnlock ? { forceUnlock: true } : {}),
    });
    if (result.report.engineComparison) io.stderr.write(manifest.redactor.redact(comparisonText(result.report.engineComparison)));
    const shown = path.relative(io.cwd, result.destination) || ".";
    io.stdout.write(result.outputs.map((o) => `${path.join(shown, o)}\n`).join(""));
    return ExitCode.ok;
  });
}
