import { planBuild, renderPlanText } from "../../builder/plan-print.js";
import { ExitCode } from "../../messages/errors.js";
import type { CliIO } from "../io.js";
import { requirePlan } from "../manifest-input.js";

/** Prints what a build would do: targets × platforms, runtimes, artifacts, steps and why some are skipped. */
export function planCommand(io: CliIO, manifestPath: string, options: { format: "text" | "json" }): number {
  const { plan, redactor } = requirePlan(io, manifestPath, { checkFiles: false });
  const planned = planBuild(plan);
  const text = options.format === "json" ? `${JSON.stringify(planned, null, 2)}\n` : renderPlanText(planned, io.cwd);
  io.stdout.write(redactor.redact(text));
  return ExitCode.ok;
}
