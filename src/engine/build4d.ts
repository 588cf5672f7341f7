import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BuildContext } from "../builder/context.js";
import { artifactPath } from "../builder/destinations.js";
import { runtimeFolder } from "../builder/provision.js";
import { isAppUnit, unitName, type BuildUnit } from "../builder/units.js";
import { copyTree } from "../files/copy.js";
import { packageRoot } from "../files/package-root.js";
import type { PrivateFolder } from "../files/private-folder.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import { BuildError } from "../messages/errors.js";
import { privateProjectCopy } from "./build-application.js";
import { build4dRequest, type Build4DRequest } from "./build4d-settings.js";
import { build4dPin, provideBuild4D } from "./build4d-source.js";
import { collectEngineOutputs } from "./outputs.js";
import { runEngineMethod, type EngineResult } from "./run.js";

/** Where Build4D's logs are kept in the output: one JSON entry per line, so a diagnostic can point at it. */
export const BUILD4D_LOG = "Build4D.log.json";

interface Build4DResult extends EngineResult {
  units?: { class: string; success: boolean; logs?: { function?: string; message?: string; severity?: number; path?: string }[] }[];
}

/** Build4D's severities are 4D's message constants: Information message (0), Warning message (1), Error message (2). */
const SEVERITY = { 1: "warning", 2: "error" } as const;

/** Build4D's logs kept in the output (masked), their warnings and errors as diagnostics located there. */
async function reportBuild4D(context: BuildContext, result: Build4DResult, label: string): Promise<void> {
  const entries = (result.units ?? []).flatMap((u) => (u.logs ?? []).map((log) => ({ class: u.class, ...log })));
  const kept = path.join(context.out, BUILD4D_LOG);
  await writeFile(kept, context.redactor.redact(`[\n${entries.map((e) => `  ${JSON.stringify(e)}`).join(",\n")}\n]\n`));
  context.artifacts.push({ kind: "log", path: kept });
  const diagnostics: Diagnostic[] = entries.flatMap((e, i): Diagnostic[] => {
    const severity = SEVERITY[e.severity as 1 | 2];
    return severity ? [{ severity, code: "build4d-log", message: `Build4D ${e.class}${e.function ? ` (${e.function})` : ""}: ${e.message ?? "no message"}`, file: BUILD4D_LOG, line: i + 2, column: 3 }] : [];
  });
  for (const e of result.errors ?? []) diagnostics.push({ severity: "error", code: "4d-error", message: `${label} error ${e.errCode ?? "?"}${e.componentSignature ? ` (${e.componentSignature})` : ""}: ${e.message ?? "no message"}` });
  for (const d of diagnostics) {
    context.logger.diagnostic(d);
    if (d.severity === "warning") context.warnings.push(d);
  }
  const failed = (result.units ?? []).filter((u) => !u.success).map((u) => u.class);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (result.ok !== 1 || failed.length > 0 || errors > 0)
    throw new BuildError(`Build4D failed${failed.length ? ` (${failed.join(", ")})` : ""} with ${errors} error${errors === 1 ? "" : "s"}`, `the errors above come from Build4D's logs (${BUILD4D_LOG}); fix them, or build with build.engine: native`);
}

/**
 * build.engine: build4d. A private copy of 4dbuild's runner project with Build4D (at the commit pinned for
 * 4dVersion) as a component, and a private copy of the project; each unit is built by its Build4D class into a
 * folder of its own (Build4D empties its destination first), then moved into staging.
 */
export async function buildWithBuild4D(context: BuildContext, executable: string, label: string, units: readonly BuildUnit[], folder: PrivateFolder): Promise<void> {
  const { plan } = context;
  const build4d = await provideBuild4D(build4dPin(plan.fourD, plan.config.build.build4d), { env: context.env, signal: context.signal, log: (m) => context.logger.info(m) });
  const runner = path.join(folder.path, "runner");
  await copyTree(path.join(packageRoot(), "templates", "build4d"), runner, { sourceDate: context.sourceDate, boundary: path.join(packageRoot(), "templates") });
  await copyTree(build4d, path.join(runner, "Components", "Build4D.4dbase"), { sourceDate: context.sourceDate, boundary: build4d });
  const { projectFile } = await privateProjectCopy(context, folder);

  const places = units.map((unit, i) => {
    const relative = artifactPath(plan, unit);
    const root = path.join(folder.path, "out", String(i));
    const base = path.posix.basename(relative);
    // A compiled structure is built into destinationFolder itself; the others into <destinationFolder>/<buildName>[.app|.4dbase].
    const destinationFolder = unit.target === "compiled" ? path.join(root, ...relative.split("/")) : path.join(root, ...path.posix.dirname(relative).split("/"));
    return { unit, root, output: path.join(root, ...relative.split("/")), destinationFolder, buildName: base.replace(/\.(app|4dbase)$/, "") };
  });
  const requests: Build4DRequest[] = [];
  for (const p of places) {
    await mkdir(p.destinationFolder, { recursive: true });
    const request = build4dRequest(plan, p.unit, { projectFile, destinationFolder: p.destinationFolder, buildName: p.buildName, ...(isAppUnit(p.unit) ? { runtime: runtimeFolder(context, p.unit) } : {}) });
    for (const field of request.unmapped) {
      const warning: Diagnostic = { severity: "warning", code: "build4d-unmapped", message: `${field} has no Build4D setting: ignored for ${unitName(p.unit)}`, hint: "build with build.engine 4d or native to honour it" };
      context.logger.diagnostic(warning);
      context.warnings.push(warning);
    }
    requests.push(request);
  }
  // The settings objects carry real values (a link code, a certificate name): they go into a 0600 file of the
  // private folder, not onto the command line, where other users of the machine could read them.
  const requestFile = folder.writeSecretFile("build4d-request.json", JSON.stringify({ units: requests.map((r) => ({ class: r.class, settings: r.settings })) }));
  const result = (await runEngineMethod(context, executable, path.join(runner, "Project", "Build4DRunner.4DProject"), "build4d_run", { request: requestFile, result: path.join(folder.path, "result.json") }, label)) as Build4DResult;
  await reportBuild4D(context, result, label);
  const byUnit = new Map(places.map((p) => [p.unit, p]));
  await collectEngineOutputs(context, units, (unit) => ({ root: byUnit.get(unit)!.root, path: byUnit.get(unit)!.output }));
}
