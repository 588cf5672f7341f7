import { formatDiagnostics, styleFor, type OutputFormat } from "../../messages/diagnostics.js";
import { ExitCode } from "../../messages/errors.js";
import { validateManifest } from "../../manifest/open.js";
import type { CliIO } from "../io.js";

export interface ValidateOptions {
  format: OutputFormat;
}

export function validateCommand(io: CliIO, manifestPath: string, options: ValidateOptions): number {
  const result = validateManifest(manifestPath, { env: io.env, cwd: io.cwd });
  io.stdout.write(formatDiagnostics(result.diagnostics, { format: options.format, sources: result.sources, style: styleFor(io.stdout, io.env), redactor: result.redactor }));
  if (result.valid && options.format === "text") io.stdout.write(`${manifestPath} is valid\n`);
  return result.valid ? ExitCode.ok : ExitCode.invalid;
}
