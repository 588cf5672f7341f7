import path from "node:path";
import { formatDiagnostics, hasErrors, styleFor, type OutputFormat } from "../../messages/diagnostics.js";
import { ExitCode } from "../../messages/errors.js";
import { loadManifest } from "../../manifest/load.js";
import type { CliIO } from "../io.js";

export interface ValidateOptions {
  format: OutputFormat;
}

export function validateCommand(io: CliIO, manifestPath: string, options: ValidateOptions): number {
  const file = path.isAbsolute(manifestPath) ? manifestPath : path.join(io.cwd, manifestPath);
  const result = loadManifest(file, { env: io.env, displayName: manifestPath });
  const style = styleFor(io.stdout, io.env);
  io.stdout.write(formatDiagnostics(result.diagnostics, { format: options.format, sources: result.sources, style, redactor: result.redactor }));
  const valid = !hasErrors(result.diagnostics);
  if (valid && options.format === "text") io.stdout.write(`${manifestPath} is valid\n`);
  return valid ? ExitCode.ok : ExitCode.invalid;
}
