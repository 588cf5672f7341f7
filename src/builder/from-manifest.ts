import path from "node:path";
import { UsageError, UserError } from "../messages/errors.js";
import { openManifest, type ManifestOptions, type OpenedManifest } from "../manifest/open.js";
import { PLATFORMS, type Platform, type TargetName } from "../manifest/targets.js";
import { runBuild, type BuildResult } from "./build.js";
import { createLogger, type LogFormat, type LogSink } from "./logger.js";
import { planBuild, type PlannedBuild } from "./plan-print.js";

/** The library's plan and build, from a manifest file: what the CLI and the Action call. */

export interface PlanResult {
  manifest: OpenedManifest;
  planned: PlannedBuild;
}

/** What a build of the manifest would do. Throws InvalidInputError when the manifest is invalid. */
export function planManifest(manifest: string, options: ManifestOptions = {}): PlanResult {
  const opened = openManifest(manifest, { ...options, checkFiles: options.checkFiles ?? false });
  return { manifest: opened, planned: planBuild(opened.plan, options.env ?? process.env) };
}

const TARGET_NAMES: readonly TargetName[] = ["compiled", "component", "standalone", "server", "client"];

function names<T extends string>(given: readonly string[], known: readonly T[], what: string): T[] {
  const unknown = given.filter((name) => !(known as readonly string[]).includes(name));
  if (unknown.length) throw new UsageError(`unknown ${what} ${unknown.map((n) => JSON.stringify(n)).join(", ")}`, `the ${what}s are ${known.join(", ")}`);
  return given as T[];
}

/** Target names given as text (an Action input, a matrix entry), checked: a UsageError names the unknown ones. */
export const targetNames = (given: readonly string[]): TargetName[] => names(given, TARGET_NAMES, "target");
/** Platform names given as text, checked likewise. */
export const platformNames = (given: readonly string[]): Platform[] => names(given, PLATFORMS, "platform");

export interface BuildManifestOptions extends ManifestOptions {
  /** Only these targets / platforms; default every one the manifest declares. */
  targets?: readonly TargetName[];
  platforms?: readonly Platform[];
  /** Destination folder (relative to cwd) instead of the manifest's. */
  out?: string;
  /** Where the steps are logged, and how; default nowhere. Every text is redacted. */
  log?: { format: LogFormat; sink: LogSink };
  /** Stops the build: the staging folder is removed, the previous outputs are left untouched. */
  signal?: AbortSignal;
  /** How long to wait for another build writing to the same destination; default 30 s. */
  lockWaitMs?: number;
  /** The time certificates are checked against; default now. */
  now?: Date;
}

/** A finished build: the destination, what was written there, the report; and the manifest it was built from. */
export interface ManifestBuild extends BuildResult {
  manifest: OpenedManifest;
}

/**
 * Builds the targets of a manifest into its destination (or `out`), atomically. `manifest` is a file, or one
 * `openManifest` opened (to show its warnings before the build starts; the manifest options are then unused).
 * Throws InvalidInputError for an invalid manifest, BuildError (secrets masked) when the build cannot be done.
 */
export async function buildManifest(manifest: string | OpenedManifest, options: BuildManifestOptions = {}): Promise<ManifestBuild> {
  const opened = typeof manifest === "string" ? openManifest(manifest, options) : manifest;
  const { plan, redactor } = opened;
  const env = options.env ?? process.env;
  const logger = createLogger(options.log?.format ?? "text", options.log?.sink ?? { write: () => true }, redactor, env);
  try {
    const result = await runBuild(plan, {
      ...(options.targets?.length ? { targets: targetNames(options.targets) } : {}),
      ...(options.platforms?.length ? { platforms: platformNames(options.platforms) } : {}),
      ...(options.out ? { out: path.resolve(options.cwd ?? process.cwd(), options.out) } : {}),
      logger,
      env,
      redactor,
      signal: options.signal ?? new AbortController().signal,
      ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    return { ...result, manifest: opened };
  } catch (error) {
    // Steps quote resolved values (paths…) in their messages: a secret among them must not be shown.
    throw error instanceof UserError ? error.redact(redactor) : error;
  }
}
