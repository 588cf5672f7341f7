import path from "node:path";
import { UsageError, UserError } from "../messages/errors.js";
import { faultOrSelf } from "../messages/faults.js";
import { openManifest, type ManifestOptions, type OpenedManifest } from "../manifest/open.js";
import { covers, describeScope, requireUnits, scopeOf } from "../manifest/scope.js";
import { runBuild, type BuildOptions, type BuildResult } from "./build.js";
import { createPrivateFolder, temporaryRoot, type PrivateFolder } from "../files/private-folder.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import type { Scope } from "../manifest/scope.js";
import type { ComparedBuild } from "../release/compare-engines.js";
import { createLogger, type LogFormat, type LogSink } from "./logger.js";
import { planBuild, type PlannedBuild } from "./plan-print.js";

/** The library's plan and build, from a manifest file: what the CLI and the Action call. */

export interface PlanResult {
  manifest: OpenedManifest;
  planned: PlannedBuild;
}

export { platformNames, targetNames } from "../manifest/scope.js";

/**
 * What a build of the manifest would do, for the units of `targets` × `platforms` (default all). Throws
 * InvalidInputError when the manifest is invalid, UsageError for a selection of no unit.
 */
export function planManifest(manifest: string, options: ManifestOptions = {}): PlanResult {
  const opened = openManifest(manifest, { ...options, checkFiles: options.checkFiles ?? false });
  return { manifest: opened, planned: planBuild(opened.plan, opened.scope, options.env ?? process.env) };
}

export interface BuildManifestOptions extends ManifestOptions {
  /** Destination folder (relative to cwd) instead of the manifest's. */
  out?: string;
  /** Where the steps are logged, and how; default nowhere. Every text is redacted. */
  log?: { format: LogFormat; sink: LogSink };
  /** Stops the build: the staging folder is removed, the previous outputs are left untouched. */
  signal?: AbortSignal;
  /** How long to wait for another build writing to the same destination; default 30 s. */
  lockWaitMs?: number;
  /** Remove the destination's lock first: only when no build is writing there (a damaged lock, one left on another machine). */
  forceUnlock?: boolean;
  /** The time certificates are checked against; default now. */
  now?: Date;
  /**
   * Build natively first (into a private folder, removed after), then with build.engine (4d when it is native),
   * and list in the report every file that differs.
   */
  compareEngines?: boolean;
}

/** A finished build: the destination, what was written there, the report; and the manifest it was built from. */
export interface ManifestBuild extends BuildResult {
  manifest: OpenedManifest;
}

/**
 * Builds the targets of a manifest into its destination (or `out`), atomically. `manifest` is a file, or one
 * `openManifest` opened (to show its warnings before the build starts; the other manifest options are then
 * unused, and `targets` / `platforms` default to those it was opened for). Throws InvalidInputError for an
 * invalid manifest, BuildError (secrets masked) when the build cannot be done.
 */
export async function buildManifest(manifest: string | OpenedManifest, options: BuildManifestOptions = {}): Promise<ManifestBuild> {
  const opened = typeof manifest === "string" ? openManifest(manifest, options) : manifest;
  const { plan, redactor } = opened;
  const asked = scopeOf(options);
  const scope = asked.targets || asked.platforms ? asked : opened.scope;
  if (!covers(opened.scope, scope))
    throw new UsageError(`the manifest was validated for ${describeScope(opened.scope)}, not for ${describeScope(scope) || "every target"}`, "open it with the targets and platforms of the build (openManifest options targets, platforms)");
  requireUnits(plan, scope);
  const env = options.env ?? process.env;
  const logger = createLogger(options.log?.format ?? "text", options.log?.sink ?? { write: () => true }, redactor, env);
  const signal = options.signal ?? new AbortController().signal;
  const compared = options.compareEngines ? await nativeBuildFor(plan, scope, { env, logger, redactor, signal, ...(options.now ? { now: options.now } : {}) }) : undefined;
  try {
    const result = await runBuild(compared ? withEngine(plan, plan.config.build.engine === "native" ? "4d" : plan.config.build.engine) : plan, {
      ...(scope.targets ? { targets: scope.targets } : {}),
      ...(scope.platforms ? { platforms: scope.platforms } : {}),
      ...(options.out ? { out: path.resolve(options.cwd ?? process.cwd(), options.out) } : {}),
      logger,
      env,
      redactor,
      signal,
      ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}),
      ...(options.forceUnlock ? { forceUnlock: true } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(compared ? { compareWith: compared.build } : {}),
    });
    return { ...result, manifest: opened };
  } catch (error) {
    // Steps quote resolved values (paths…) in their messages: a secret among them must not be shown.
    const failure = faultOrSelf(error);
    throw failure instanceof UserError ? failure.redact(redactor) : failure;
  } finally {
    await compared?.folder.remove();
  }
}

/** The plan with another build.engine (build --compare-engines builds the same manifest with two). */
const withEngine = (plan: ReadonlyBuildPlan, engine: ReadonlyBuildPlan["config"]["build"]["engine"]): ReadonlyBuildPlan => ({ ...plan, config: { ...plan.config, build: { ...plan.config.build, engine } } });

/** The native build compared with: into a private folder (its files hold what the applications hold). */
async function nativeBuildFor(plan: ReadonlyBuildPlan, scope: Scope, options: Pick<BuildOptions, "env" | "logger" | "redactor" | "signal" | "now">): Promise<{ build: ComparedBuild; folder: PrivateFolder }> {
  const folder = createPrivateFolder("native", temporaryRoot(options.env));
  try {
    options.logger.info("compare-engines: building natively first");
    const native = await runBuild(withEngine(plan, "native"), { ...(scope.targets ? { targets: scope.targets } : {}), ...(scope.platforms ? { platforms: scope.platforms } : {}), ...options, out: path.join(folder.path, "native") });
    return { build: { dir: native.destination, artifacts: native.report.artifacts }, folder };
  } catch (error) {
    await folder.remove();
    throw error instanceof UserError ? error.redact(options.redactor) : error;
  }
}
