import path from "node:path";
import { formatDiagnostics, hasErrors, styleFor } from "../messages/diagnostics.js";
import { InvalidInputError } from "../messages/errors.js";
import { loadManifest, type LoadOptions, type LoadResult } from "../manifest/load.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import type { CliIO } from "./io.js";

/** Loads a manifest for a command that needs a valid one: warnings go to stderr, errors stop the command. */
export function requirePlan(io: CliIO, manifestPath: string, options: Omit<LoadOptions, "env" | "displayName"> = {}): LoadResult & { plan: ReadonlyBuildPlan } {
  const file = path.isAbsolute(manifestPath) ? manifestPath : path.join(io.cwd, manifestPath);
  const result = loadManifest(file, { ...options, env: io.env, displayName: manifestPath });
  if (hasErrors(result.diagnostics) || !result.plan) throw new InvalidInputError(result.diagnostics.map((d) => ({ ...d, message: result.redactor.redact(d.message) })), result.sources);
  if (result.diagnostics.length > 0) io.stderr.write(formatDiagnostics(result.diagnostics, { format: "text", sources: result.sources, style: styleFor(io.stderr, io.env), redactor: result.redactor }));
  return result as LoadResult & { plan: ReadonlyBuildPlan };
}
