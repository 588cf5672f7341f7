import path from "node:path";
import { buildManifest } from "../../builder/from-manifest.js";
import { planBuild, renderPlanText } from "../../builder/plan-print.js";
import type { LogFormat } from "../../builder/logger.js";
import { ExitCode, InterruptedError } from "../../messages/errors.js";
import type { CliIO } from "../io.js";
import { printable } from "../../messages/text.js";
import { requirePlan, scopeOptions } from "../manifest-input.js";

export interface BuildCommandOptions {
  /** Only these targets / platforms: the inputs of the other units are not required. */
  target?: string[];
  platform?: string[];
  out?: string;
  dryRun: boolean;
  log?: LogFormat;
  wait: string;
  /** Replaces versioning.common.version. */
  appVersion?: string;
}

/** Builds the manifest's targets. SIGINT/SIGTERM stop it cleanly: staging removed, previous outputs untouched. */
export async function buildCommand(io: CliIO, manifestPath: string, options: BuildCommandOptions): Promise<number> {
  const manifest = requirePlan(io, manifestPath, { ...scopeOptions(options), ...(options.appVersion !== undefined ? { version: options.appVersion } : {}) });
  if (options.dryRun) {
    io.stdout.write(printable(manifest.redactor.redact(renderPlanText(planBuild(manifest.plan, manifest.scope, io.env), io.cwd))));
    return ExitCode.ok;
  }
  const controller = new AbortController();
  let received: "SIGINT" | "SIGTERM" | undefined;
  const stop = (signal: "SIGINT" | "SIGTERM") => () => {
    received = signal;
    controller.abort(new InterruptedError(signal));
  };
  const handlers = { SIGINT: stop("SIGINT"), SIGTERM: stop("SIGTERM") };
  for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
  try {
    const result = await buildManifest(manifest, {
      env: io.env,
      cwd: io.cwd,
      ...(options.out ? { out: options.out } : {}),
      log: { format: options.log ?? (io.env.GITHUB_ACTIONS === "true" ? "github" : "text"), sink: io.stderr },
      signal: controller.signal,
      lockWaitMs: Number(options.wait) * 1000,
    });
    const shown = path.relative(io.cwd, result.destination) || ".";
    io.stdout.write(result.outputs.map((o) => `${path.join(shown, o)}\n`).join(""));
    return ExitCode.ok;
  } catch (error) {
    if (received) throw new InterruptedError(received);
    throw error;
  } finally {
    for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
  }
}
