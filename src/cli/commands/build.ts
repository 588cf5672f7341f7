import path from "node:path";
import { runBuild } from "../../builder/build.js";
import { planBuild, renderPlanText } from "../../builder/plan-print.js";
import type { TargetName } from "../../manifest/targets.js";
import { createLogger, type LogFormat } from "../../builder/logger.js";
import { ExitCode, InterruptedError, UserError } from "../../messages/errors.js";
import type { Platform } from "../../manifest/targets.js";
import type { CliIO } from "../io.js";
import { requirePlan } from "../manifest-input.js";

export interface BuildCommandOptions {
  target?: TargetName[];
  platform?: Platform[];
  out?: string;
  dryRun: boolean;
  log?: LogFormat;
  wait: string;
  /** Replaces versioning.common.version. */
  appVersion?: string;
}

/** Builds the manifest's targets. SIGINT/SIGTERM stop it cleanly: staging removed, previous outputs untouched. */
export async function buildCommand(io: CliIO, manifestPath: string, options: BuildCommandOptions): Promise<number> {
  const { plan, redactor } = requirePlan(io, manifestPath, options.appVersion !== undefined ? { version: options.appVersion } : {});
  if (options.dryRun) {
    io.stdout.write(redactor.redact(renderPlanText(planBuild(plan), io.cwd)));
    return ExitCode.ok;
  }
  const format = options.log ?? (io.env.GITHUB_ACTIONS === "true" ? "github" : "text");
  const logger = createLogger(format, io.stderr, redactor, io.env);
  const controller = new AbortController();
  let received: "SIGINT" | "SIGTERM" | undefined;
  const stop = (signal: "SIGINT" | "SIGTERM") => () => {
    received = signal;
    controller.abort(new InterruptedError(signal));
  };
  const handlers = { SIGINT: stop("SIGINT"), SIGTERM: stop("SIGTERM") };
  for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
  try {
    const result = await runBuild(plan, {
      ...(options.target ? { targets: options.target } : {}),
      ...(options.platform ? { platforms: options.platform } : {}),
      ...(options.out ? { out: path.resolve(io.cwd, options.out) } : {}),
      logger,
      env: io.env,
      redactor,
      signal: controller.signal,
      lockWaitMs: Number(options.wait) * 1000,
    });
    const shown = path.relative(io.cwd, result.destination) || ".";
    io.stdout.write(result.outputs.map((o) => `${path.join(shown, o)}\n`).join(""));
    return ExitCode.ok;
  } catch (error) {
    if (received) throw new InterruptedError(received);
    // Steps quote resolved values (paths…) in their messages: a secret among them must not be shown.
    throw error instanceof UserError ? error.redact(redactor) : error;
  } finally {
    for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
  }
}
