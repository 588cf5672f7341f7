import { planManifest } from "../../builder/from-manifest.js";
import { renderPlanText } from "../../builder/plan-print.js";
import { ExitCode } from "../../messages/errors.js";
import { printable } from "../../messages/text.js";
import { libraryOptions, type CliIO } from "../io.js";
import { printWarnings, scopeOptions } from "../manifest-input.js";

export interface PlanCommandOptions {
  format: "text" | "json";
  /** Only the units of these targets / platforms. */
  target?: string[];
  platform?: string[];
}

/** Prints what a build would do: targets × platforms, runtimes, artifacts, steps and why some are skipped. */
export function planCommand(io: CliIO, manifestPath: string, options: PlanCommandOptions): number {
  const { manifest, planned } = planManifest(manifestPath, { ...libraryOptions(io), ...scopeOptions(options) });
  printWarnings(io, manifest);
  // Masked first; then JSON escapes control characters itself, and the text, for a terminal, shows them.
  const redact = (text: string) => manifest.redactor.redact(text);
  io.stdout.write(options.format === "json" ? redact(`${JSON.stringify(planned, null, 2)}\n`) : printable(redact(renderPlanText(planned, io.cwd))));
  return ExitCode.ok;
}
