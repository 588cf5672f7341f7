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
import { faultOrSelf } from "../messages/faults.js";
import { SecretFolder, sweepSecretFolders } from "../signing/secret-folder.js";
import { acquireLock, commit, createStaging, finishCommit, recoverCommit } from "./output.js";
import { staleOutputs } from "./stale.js";
import { leadingSteps, trailingSteps, unitSteps } from "./pipeline.js";
import { preflight } from "./preflight.js";
import { buildJobs, inlineCompressionBytes, runUnits } from "./schedule.js";
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
  /** Remove the destination's lock first (a damaged one, or one left on another machine): --force-unlock. */
  forceUnlock?: boolean;
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

/** Takes the destination: its lock, then the recovery of a commit a kill interrupted (see commit.ts). */
async function takeDestination(destination: string, options: BuildOptions): Promise<() => Promise<void>> {
  const release = await acquireLock(destination, options.lockWaitMs ?? 30_000, { force: options.forceUnlock === true });
  try {
    const recovered = await recoverCommit(destination);
    if (recovered === "rolled back") options.logger.info(`an interrupted build's commit in ${destination} was undone: the previous outputs are back`);
    if (recovered === "finished") options.logger.info(`an interrupted build's commit in ${destination} was finished`);
    return release;
  } catch (error) {
    await release();
    throw error;
  }
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
  const inlineBytes = inlineCompressionBytes(options.env);
  const destination = options.out ? path.resolve(options.out) : buildDestination(plan);
  await sweepSecretFolders();
  try {
    return await buildInto(destination, plan, units, { ...options, jobs, inlineBytes }, warnings, checked.signing);
  } catch (error) {
    // A full disk, a refused permission: the user's environment, told as an error naming the path.
    throw faultOrSelf(error);
  }
}

async function buildInto(destination: string, plan: ReadonlyBuildPlan, units: BuildUnit[], options: BuildOptions & { jobs: number; inlineBytes: number }, warnings: Diagnostic[], signing: BuildContext["signing"]): Promise<BuildResult> {
  const { jobs, inlineBytes } = options;
  const release = await takeDestination(destination, options);
  const secrets = new SecretFolder();
  let staging: string | undefined;
  const compressor = new CompressionPool(jobs, { inlineBytes });
  let committed = false;
  try {
    staging = await createStaging(destination);
    const [work, out] = [path.join(staging, "work"), path.join(staging, "out")];
    await Promise.all([mkdir(work), mkdir(out)]);
    const context: BuildContext = {
      plan,
      logger: options.logger,
      work,
      out,
      secrets,
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
      ...(signing ? { signing } : {}),
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
      } catch (thrown) {
        // Stopped because another unit failed: that unit's error, already named, is the one reported.
        if (context.signal.aborted && thrown === context.signal.reason) throw thrown;
        const error = faultOrSelf(thrown);
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
    await secrets.dispose();
    await commit(staging, out, destination, outputs, staleOutputs(destination, outputs));
    committed = true;
    return { destination, outputs: outputs.map((o) => o.split(path.sep).join("/")), records: context.records, warnings, report: context.report };
  } finally {
    await compressor.close();
    await secrets.dispose();
    if (staging) await rm(staging, { recursive: true, force: true });
    if (committed) await finishCommit(destination);
    await release();
  }
}
