import { formatDiagnostics, styleFor, type OutputFormat } from "../../messages/diagnostics.js";
import { ExitCode } from "../../messages/errors.js";
import { validateManifest } from "../../manifest/open.js";
import { describeScope, isScoped } from "../../manifest/scope.js";
import { libraryOptions, type CliIO } from "../io.js";
import { scopeOptions } from "../manifest-input.js";

export interface ValidateOptions {
  format: OutputFormat;
  /** Only these targets / platforms: the inputs of the other units are not required. */
  target?: string[];
  platform?: string[];
}

export function validateCommand(io: CliIO, manifestPath: string, options: ValidateOptions): number {
  const result = validateManifest(manifestPath, { ...libraryOptions(io), ...scopeOptions(options) });
  io.stdout.write(formatDiagnostics(result.diagnostics, { format: options.format, sources: result.sources, style: styleFor(io.stdout, io.env), redactor: result.redactor }));
  if (result.valid && options.format === "text") io.stdout.write(`${manifestPath} is valid${isScoped(result.scope) ? ` for ${describeScope(result.scope)}` : ""}\n`);
  return result.valid ? ExitCode.ok : ExitCode.invalid;
}
