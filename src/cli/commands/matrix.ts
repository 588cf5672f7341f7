import { ExitCode } from "../../messages/errors.js";
import { planMatrix } from "../../release/matrix.js";
import { libraryOptions, type CliIO } from "../io.js";
import { printWarnings } from "../manifest-input.js";

/** Prints the strategy.matrix JSON that fans a build out over macOS, Windows and Linux runners. */
export function matrixCommand(io: CliIO, manifestPath: string): number {
  const { manifest, matrix } = planMatrix(manifestPath, libraryOptions(io));
  printWarnings(io, manifest);
  io.stdout.write(`${JSON.stringify(matrix)}\n`);
  return ExitCode.ok;
}
