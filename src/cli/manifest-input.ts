import { formatDiagnostics, styleFor } from "../messages/diagnostics.js";
import { openManifest, type ManifestOptions, type OpenedManifest } from "../manifest/open.js";
import type { CliIO } from "./io.js";

/** The manifest's warnings (errors stop a command before), on stderr, secrets masked. */
export function printWarnings(io: CliIO, manifest: OpenedManifest): void {
  if (manifest.diagnostics.length > 0) io.stderr.write(formatDiagnostics(manifest.diagnostics, { format: "text", sources: manifest.sources, style: styleFor(io.stderr, io.env), redactor: manifest.redactor }));
}

/** Loads a manifest for a command that needs a valid one: warnings go to stderr, errors stop the command. */
export function requirePlan(io: CliIO, manifestPath: string, options: Omit<ManifestOptions, "env" | "cwd"> = {}): OpenedManifest {
  const manifest = openManifest(manifestPath, { ...options, env: io.env, cwd: io.cwd });
  printWarnings(io, manifest);
  return manifest;
}
