import { planManifest } from "../../builder/from-manifest.js";
import { renderPlanText } from "../../builder/plan-print.js";
import { ExitCode } from "../../messages/errors.js";
import type { CliIO } from "../io.js";
import { printWarnings, scopeOptions } from "../manifest-input.js";

export interface PlanCommandOptions {
  format: "text" | "json";
  /** Only the units of these targets / platforms. */
  target?: string[];
  platform?: string[];
}

/** Prints what a build would do: targets × platforms, runtimes, artifacts, steps and why some are skipped. */
export function planCommand(io: CliIO, manifestPath: string, options: PlanCommandOptions): number {
  const { manifest, planned } = planManifest(manifestPath, { env: io.env, cwd: io.cwd, ...scopeOptions(options) });
  printWarnings(io, manifest);
  const text = options.format === "json" ? `${JSON.stringify(planned, null, 2)}\n` : renderPlanText(planned, io.cwd);
  io.stdout.write(manifest.redactor.redact(text));
  return ExitCode.ok;
}
