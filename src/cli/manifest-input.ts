import { formatDiagnostics, styleFor } from "../messages/diagnostics.js";
import { openManifest, type ManifestOptions, type OpenedManifest } from "../manifest/open.js";
import type { Platform, TargetName } from "../manifest/targets.js";
import { libraryOptions, type CliIO } from "./io.js";

/**
 * --target / --platform as the library's manifest options. The names are checked there (a usage error with
 * a did-you-mean), so they are passed on as given.
 */
export function scopeOptions(options: { target?: readonly string[]; platform?: readonly string[] }): Pick<ManifestOptions, "targets" | "platforms"> {
  return { ...(options.target ? { targets: options.target as TargetName[] } : {}), ...(options.platform ? { platforms: options.platform as Platform[] } : {}) };
}

/** The manifest's warnings (errors stop a command before), on stderr, secrets masked. */
export function printWarnings(io: CliIO, manifest: OpenedManifest): void {
  if (manifest.diagnostics.length > 0) io.stderr.write(formatDiagnostics(manifest.diagnostics, { format: "text", sources: manifest.sources, style: styleFor(io.stderr, io.env), redactor: manifest.redactor }));
}

/** Loads a manifest for a command that needs a valid one: warnings go to stderr, errors stop the command. */
export function requirePlan(io: CliIO, manifestPath: string, options: Omit<ManifestOptions, "env" | "cwd"> = {}): OpenedManifest {
  const manifest = openManifest(manifestPath, { ...options, ...libraryOptions(io) });
  printWarnings(io, manifest);
  return manifest;
}
