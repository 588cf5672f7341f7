import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../messages/diagnostics.js";
import { BuildError, UserError } from "../messages/errors.js";
import type { Redactor } from "../messages/redactor.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import type { Platform, TargetName } from "../manifest/targets.js";
import type { BuildContext } from "./context.js";
import type { BuildReport, ReportedStep } from "../release/report.js";
import type { ComparedBuild } from "../release/compare-engines.js";
import type { BuildLogger } from "./logger.js";
import { buildDestination } from "./destinations.js";
import { acquireLock, commit, createStaging } from "./output.js";
import { leadingSteps, trailingSteps, unitSteps } from "./pipeline.js";
import { preflight } from "./preflight.js";
import { buildJobs, runUnits } from "./schedule.js";
import { CompressionPool } from "../archives/pool.js";
import { DigestRegistry } from "../files/digests.js";
import { sourceDateEpoch } from "./source-date.js";
import type { BoundStep, Step } from "./step.js";
import { REPORT_FILES } from "./steps/report.js";
import { planUnits, unitName, type BuildUnit } from "./units.js";

export interface BuildOptions {
  targets?: readonly TargetName[];
  platforms?: readonly Platform[];
  /** Destination folder instead of the manifest's. */
  out?: string;
  logger: BuildLogger;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  signal: AbortSignal;
  /** How long to wait for another build writing to the same destination. */
  lockWaitMs?: number;
  /** The time certificates are checked against. */
  now?: Date;
  /** A native build of the same units, to compare this one with in the report (build --compare-engines). */
  compareWith?: ComparedBuild;
  /** Units built at once and compressor threads (default: FOURDBUILD_JOBS, else the core count); the bytes are the same whatever the number. */
  jobs?: number;
}

export interface BuildResult {
  destination: string;
  /** What was moved into the destination, relative to it. */
  outputs: string[];
  records: ReportedStep[];
  warnings: Diagnostic[];
  /** build-report.json as written into the destination. */
  report: BuildReport;
}

/** Where a step's message quotes staging, it names the place the output will have once the build is done. */
function nameStepError(error: UserError, step: Step, unit: BuildUnit | undefined, places: { out: string; work: string; destination: string }): UserError {
  const unstaged = (text: string) => text.replaceAll(places.out, places.destination).replaceAll(places.work, "the build's work folder");
  error.message = `${step.name}${unit ? ` (${unitName(unit)})` : ""}: ${unstaged(error.message)}`;
  if (error.hint) error.hint = unstaged(error.hint);
  return error;
}

/** Runs the pipeline into a staging folder and moves the results into place only when everything succeeded. */
export async function runBuild(plan: ReadonlyBuildPlan, options: BuildOptions): Promise<BuildResult> {
  const warnings: Diagnostic[] = [];
  const units = planUnits(plan, { ...(options.targets ? { targets: options.targets } : {}), ...(options.platforms ? { platforms: options.platforms } : {}) });
  if (units.length === 0) throw new BuildError("nothing to build: no declared target matches --target/--platform", "run 4dbuild plan to see the targets of the manifest");
  const checked = preflight(plan, units, { host: process.platform, now: options.now ?? new Date(), redactor: options.redactor });
  warnings.push(...checked.warnings);
  for (const w of warnings) options.logger.diagnostic(w);

  const jobs = buildJobs(options.env, options.jobs);
  const destination = options.out ? path.resolve(options.out) : buildDestination(plan);
  const release = await acquireLock(destination, options.lockWaitMs ?? 30_000);
  let staging: string | undefined;
  const compressor = new CompressionPool(jobs);
  try {
    staging = await createStaging(destination);
    const [work, out] = [path.join(staging, "work"), path.join(staging, "out")];
    await Promise.all([mkdir(work), mkdir(out)]);
    const context: BuildContext = {
      plan,
      logger: options.logger,
      work,
      out,
      sourceDate: sourceDateEpoch(options.env, plan.packageDir).seconds,
      env: options.env,
      redactor: options.redactor,
      signal: options.signal,
      units,
      provisioned: { runtimes: new Map() },
      artifacts: [],
      warnings,
      records: [],
      reported: [],
      compressor,
      digests: new DigestRegistry(),
      ...(checked.signing ? { signing: checked.signing } : {}),
      ...(options.compareWith ? { compareWith: options.compareWith } : {}),
    };
    const run = async ({ step, unit, skip, run }: BoundStep, context: BuildContext) => {
      context.signal.throwIfAborted();
      const startedAt = Date.now();
      const skipped = skip(plan);
      const name = unit ? unitName(unit) : undefined;
      options.logger.stepStart(step.name, step.title, name);
      try {
        if (!skipped) await run(context);
      } catch (error) {
        // Stopped because another unit failed: that unit's error, already named, is the one reported.
        if (context.signal.aborted && error === context.signal.reason) throw error;
        throw error instanceof UserError ? nameStepError(error, step, unit, { out, work, destination }) : error;
      }
      const durationMs = Date.now() - startedAt;
      context.records.push({ step: step.name, startedAt, ...(name ? { unit: name } : {}), status: skipped ? "skipped" : "done", ...(skipped ? { reason: skipped } : {}), durationMs });
      options.logger.stepEnd(step.name, { ...(name ? { unit: name } : {}), ...(skipped ? { skipped } : {}), durationMs });
    };
    for (const bound of leadingSteps()) await run(bound, context);
    // Units run side by side, each with its own lists of what it produced, joined in build order afterwards:
    // the report is the same whatever finished first.
    const produced = new Map<BuildUnit, Pick<BuildContext, "artifacts" | "warnings" | "records">>();
    const shared = context.artifacts.length;
    await runUnits(units, jobs, options.signal, async (unit, signal) => {
      const own: BuildContext = { ...context, signal, artifacts: [...context.artifacts], warnings: [], records: [] };
      for (const bound of unitSteps(unit)) await run(bound, own);
      produced.set(unit, { artifacts: own.artifacts.slice(shared), warnings: own.warnings, records: own.records });
    });
    for (const unit of units) {
      const { artifacts, warnings: unitWarnings, records } = produced.get(unit)!;
      context.artifacts.push(...artifacts);
      context.warnings.push(...unitWarnings);
      context.records.push(...records);
    }
    for (const bound of trailingSteps()) await run(bound, context);

    // Several targets may share an output (macOS server and client put their web files in the same folder).
    const outputs = [...new Set([...context.artifacts.filter((a) => a.kind === "target" || a.kind === "signature" || a.kind === "log").map((a) => path.relative(out, a.path)), ...REPORT_FILES])];
    options.signal.throwIfAborted();
    if (!context.report) throw new Error("the report step did not run");
    await commit(staging, out, destination, outputs);
    return { destination, outputs: outputs.map((o) => o.split(path.sep).join("/")), records: context.records, warnings, report: context.report };
  } finally {
    await compressor.close();
    if (staging) await rm(staging, { recursive: true, force: true });
    await release();
  }
}
