import { ExitCode } from "../../messages/errors.js";
import { buildMatrix } from "../../release/matrix.js";
import type { CliIO } from "../io.js";
import { requirePlan } from "../manifest-input.js";

/** Prints the strategy.matrix JSON that fans a build out over macOS, Windows and Linux runners. */
export function matrixCommand(io: CliIO, manifestPath: string): number {
  const { plan } = requirePlan(io, manifestPath, { checkFiles: false });
  io.stdout.write(`${JSON.stringify(buildMatrix(plan))}\n`);
  return ExitCode.ok;
}
