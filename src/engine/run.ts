import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { BuildContext } from "../builder/context.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import { BuildError } from "../messages/errors.js";
import { runTool4d } from "../toolchain/tool4d.js";
import { buildLogDiagnostics, parseBuildLog } from "./build-log.js";

/** Where 4D's own build log is kept in the output, beside 4dbuild's BuildApp.log.xml. */
export const ENGINE_LOG = "BuildApp.4D.log.xml";

/**
 * The command line of 4D (or tool4d) running one method of a project headless, without data and without the
 * project's On Startup: `--project <file> --headless --dataless --skip-onstartup --startup-method <m>
 * --user-param <json>` (4d/docs versioned_docs/version-21/Admin/cli.md; --user-param must not start with "-",
 * which a JSON object never does). tool4d is always headless: --headless is accepted and changes nothing.
 */
export function engineArguments(projectFile: string, method: string, request: object): string[] {
  return ["--project", projectFile, "--headless", "--dataless", "--skip-onstartup", "--startup-method", method, "--user-param", JSON.stringify(request)];
}

/** What the engine's method writes before it quits: OK (1 on success), the build log's path, 4D's errors. */
export interface EngineResult {
  ok?: number | boolean;
  log?: string;
  errors?: { errCode?: number; message?: string; componentSignature?: string }[];
}

/** Runs the engine (4D or tool4d) on a method and reads its result file; a missing result is a failure of its own. */
export async function runEngineMethod(context: BuildContext, executable: string, projectFile: string, method: string, request: { result: string } & Record<string, unknown>, label: string): Promise<EngineResult> {
  const run = await runTool4d(executable, engineArguments(projectFile, method, request), { cwd: path.dirname(request.result), env: context.env, signal: context.signal, onOutput: (line) => context.logger.info(`  ${label}: ${line}`) });
  if (!existsSync(request.result))
    throw new BuildError(`${label} ended (exit code ${run.exitCode}) without writing its result`, `check that ${label} is the 4D of 4dVersion, that it can open the project headless (a licence is activated on this machine for 4D), and its output above`);
  return JSON.parse(readFileSync(request.result, "utf8")) as EngineResult;
}

/**
 * Keeps 4D's build log in the output (secrets masked) and turns its errors and warnings, and the errors the
 * method caught, into diagnostics; fails the build when 4D did. Returns nothing: the outputs are collected after.
 */
export async function reportEngineResult(context: BuildContext, result: EngineResult, label: string): Promise<void> {
  const diagnostics: Diagnostic[] = [];
  if (result.log && existsSync(result.log)) {
    const xml = readFileSync(result.log, "utf8");
    const kept = path.join(context.out, ENGINE_LOG);
    await writeFile(kept, context.redactor.redact(xml));
    context.artifacts.push({ kind: "log", path: kept });
    diagnostics.push(...buildLogDiagnostics(parseBuildLog(xml), ENGINE_LOG));
  }
  for (const e of result.errors ?? []) diagnostics.push({ severity: "error", code: "4d-error", message: `${label} error ${e.errCode ?? "?"}${e.componentSignature ? ` (${e.componentSignature})` : ""}: ${e.message ?? "no message"}` });
  for (const d of diagnostics) {
    context.logger.diagnostic(d);
    if (d.severity === "warning") context.warnings.push(d);
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const ok = result.ok === 1 || result.ok === true;
  if (!ok || errors > 0)
    throw new BuildError(`${label} failed${ok ? "" : " (OK = 0)"} with ${errors} error${errors === 1 ? "" : "s"}`, `the errors above come from ${label}'s build log (${ENGINE_LOG}) and the errors it raised; fix them, or build with build.engine: native`);
}
