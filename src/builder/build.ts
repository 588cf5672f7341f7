import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../messages/diagnostics.js";
import type { Platform, ReadonlyBuildPlan } from "../manifest/plan.js";
import type { Redactor } from "../messages/redactor.js";
import type { BuildReport } from "../release/report.js";
import { planBuild } from "./plan-print.js";
import { preflight } from "./preflight.js";
import { unitName, type BuildContext, type StepRecord } from "./context.js";
import type { TargetName } from "./destinations.js";
import type { BuildLogger } from "./logger.js";
import { acquireLock, commit, createStaging } from "./output.js";
import { PIPELINE, type BuildUnit } from "./pipeline.js";
import { sourceDateEpoch } from "./source-date.js";
import { BuildError, type Step } from "./step.js";
import { REPORT_FILES } from "./steps/report.js";

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
}

export interface BuildResult {
  destination: string;
  /** What was moved into the destination, relative to it. */
  outputs: string[];
  records: StepRecord[];
  warnings: Diagnostic[];
  /** build-report.json as written into the destination. */
  report: BuildReport;
}

const applies = (step: Step, unit: BuildUnit) => step.scope === "unit" && (step.appliesTo?.(unit) ?? true);

/** Runs the pipeline into a staging folder and moves the results into place only when everything succeeded. */
export async function runBuild(plan: ReadonlyBuildPlan, options: BuildOptions): Promise<BuildResult> {
  const warnings: Diagnostic[] = [];
  const selected = planBuild(plan).units.filter((u) => (!options.targets?.length || options.targets.includes(u.target)) && (!u.platform || !options.platforms?.length || options.platforms.includes(u.platform)));
  if (selected.length === 0) throw new BuildError("nothing to build: no declared target matches --target/--platform", "run 4dbuild plan to see the targets of the manifest");
  const units = selected;
  const checked = preflight(plan, units, { host: process.platform, now: options.now ?? new Date(), redactor: options.redactor });
  warnings.push(...checked.warnings);
  for (const w of warnings) options.logger.diagnostic(w);

  const destination = options.out ? path.resolve(options.out) : plan.output[process.platform === "win32" ? "win" : "mac"];
  const release = await acquireLock(destination, options.lockWaitMs ?? 30_000);
  let staging: string | undefined;
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
      artifacts: [],
      warnings,
      records: [],
      reported: [],
      ...(checked.signing ? { signing: checked.signing } : {}),
    };
    const run = async (step: Step, unit?: BuildUnit) => {
      options.signal.throwIfAborted();
      const startedAt = Date.now();
      const skipped = step.skip?.(plan, unit);
      const name = unit ? unitName(unit) : undefined;
      options.logger.stepStart(step.name, step.title, name);
      if (!skipped) await step.run(context, unit);
      const durationMs = Date.now() - startedAt;
      context.records.push({ step: step.name, startedAt, ...(name ? { unit: name } : {}), status: skipped ? "skipped" : "done", ...(skipped ? { reason: skipped } : {}), durationMs });
      options.logger.stepEnd(step.name, { ...(name ? { unit: name } : {}), ...(skipped ? { skipped } : {}), durationMs });
    };
    const firstUnitStep = PIPELINE.findIndex((s) => s.scope === "unit");
    for (const step of PIPELINE.slice(0, firstUnitStep)) await run(step);
    for (const unit of units) for (const step of PIPELINE.filter((s) => applies(s, unit))) await run(step, unit);
    for (const step of PIPELINE.slice(firstUnitStep).filter((s) => s.scope === "build")) await run(step);

    // Several targets may share an output (macOS server and client put their web files in the same folder).
    const outputs = [...new Set([...context.artifacts.filter((a) => a.kind === "target" || a.kind === "signature").map((a) => path.relative(out, a.path)), ...REPORT_FILES])];
    options.signal.throwIfAborted();
    if (!context.report) throw new Error("the report step did not run");
    await commit(staging, out, destination, outputs);
    return { destination, outputs: outputs.map((o) => o.split(path.sep).join("/")), records: context.records, warnings, report: context.report };
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
    await release();
  }
}
