import path from "node:path";
import { locateRuntime, runtimeKind } from "../builder/provision.js";
import { isAppUnit, planUnits, type AppUnit } from "../builder/units.js";
import { validateManifest } from "../manifest/open.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import { looksLikeUrl } from "../manifest/runtime-source.js";
import { scopeOf, type Scope } from "../manifest/scope.js";
import { UsageError } from "../messages/errors.js";
import { redactUrl } from "../messages/urls.js";
import { describeRuntimeArchive, provisionRuntimeArchive } from "../toolchain/runtime-archives.js";
import { cachedTool4d, installTool4d, tool4dTarget } from "../toolchain/tool4d-install.js";
import { unsafeUrl } from "../toolchain/urls.js";

/**
 * The Action's provisioning inputs: `tool4d` (auto, or a path) and `runtimes` (lines VARIABLE=path, or
 * VARIABLE=URL sha256=…). Each sets an environment variable the manifest reads (TOOL4D, ${env.VARIABLE}); paths
 * are resolved against the workspace, downloads go through the toolchain library into 4dbuild's cache
 * (RUNNER_TOOL_CACHE/4dbuild on GitHub's runners: docs/toolchain.md, docs/action.md for actions/cache).
 */

export type RuntimeInput = { variable: string; line: number } & ({ kind: "path"; path: string } | { kind: "url"; url: string; sha256: string });

/** Parses the `runtimes` input. A line's text may hold a signed address: messages quote it with its query masked. */
export function parseRuntimes(text: string, workspace: string): RuntimeInput[] {
  const inputs: RuntimeInput[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(line);
    if (!match) throw new UsageError(`runtimes line ${i + 1} is not VARIABLE=path or VARIABLE=URL sha256=<64 hex digits>`);
    const [, variable, value] = match as unknown as [string, string, string];
    if (!looksLikeUrl(value)) {
      inputs.push({ variable, line: i + 1, kind: "path", path: path.resolve(workspace, value.trim()) });
      return;
    }
    const download = /^(\S+)\s+sha256=([0-9a-fA-F]{64})$/.exec(value.trim());
    if (!download) throw new UsageError(`runtimes line ${i + 1} (${variable}): a download needs its digest: ${variable}=${redactUrl(value.split(/\s/)[0]!)} sha256=<64 hex digits>`, "sha256sum the archive (shasum -a 256 on macOS)");
    const unsafe = unsafeUrl(download[1]!);
    if (unsafe) throw new UsageError(`runtimes line ${i + 1} (${variable}): ${redactUrl(download[1]!)}: ${unsafe}`);
    inputs.push({ variable, line: i + 1, kind: "url", url: download[1]!, sha256: download[2]!.toLowerCase() });
  });
  return inputs;
}

/** What provisioning needs to know about the job. */
export interface ProvisionJob {
  command: "validate" | "plan" | "build";
  manifest: string;
  workspace: string;
  targets: readonly string[];
  platforms: readonly string[];
  /** Read for the manifest, and given the variables set. */
  env: NodeJS.ProcessEnv;
  tool4d?: string;
  runtimes?: string;
  log: (message: string) => void;
}

/** Where a placeholder for a download lies: a path no manifest names, told apart by the variable. */
const placeholder = (workspace: string, variable: string) => path.join(workspace, `.4dbuild-runtime-input-${variable}`);

/** The units of the scope whose runtime is the variable (exactly, or a folder inside it: "exact" false). */
function usersOf(plan: ReadonlyBuildPlan, scope: Scope, marker: string): { unit: AppUnit; exact: boolean }[] {
  return planUnits(plan, scope).flatMap((unit): { unit: AppUnit; exact: boolean }[] => {
    if (!isAppUnit(unit)) return [];
    const source = plan.targets[unit.target]!.runtime[unit.platform];
    if (!source || source.kind === "url") return [];
    if (source.path === marker) return [{ unit, exact: true }];
    return source.path.startsWith(marker + path.sep) ? [{ unit, exact: false }] : [];
  });
}

/**
 * The manifest as the job will open it, with every download variable set to a placeholder: which units of
 * the job use which variable, and the 4D version. Undefined when the manifest is not valid even so (the
 * command then reports why).
 */
function probe(job: ProvisionJob, downloads: readonly RuntimeInput[]): ReadonlyBuildPlan | undefined {
  const env = { ...job.env, ...Object.fromEntries(downloads.map((d) => [d.variable, placeholder(job.workspace, d.variable)])) };
  try {
    return validateManifest(job.manifest, { env, cwd: job.workspace, checkFiles: false, checkProject: false, ...scopeOf(job) }).plan;
  } catch {
    return undefined;
  }
}

/** Sets TOOL4D: a path as given (relative to the workspace), or with auto the tool4d of the manifest's 4D version. */
async function provisionTool4d(job: ProvisionJob, plan: () => ReadonlyBuildPlan | undefined): Promise<void> {
  const { env } = job;
  if (job.tool4d && job.tool4d !== "auto") env.TOOL4D = path.resolve(job.workspace, job.tool4d);
  // TOOL4D from the step's env (4d/tool4d-action's output is often ./tool4d/bin/tool4d): tool4d runs in another folder.
  else if (!job.tool4d && env.TOOL4D) env.TOOL4D = path.resolve(job.workspace, env.TOOL4D);
  if (job.tool4d !== "auto") return;
  const planned = plan();
  if (!planned) return;
  const build = env.FOURDBUILD_TOOL4D_BUILD || "latest";
  if (job.command === "plan") {
    // plan never downloads: the cached one when there is one.
    const cached = cachedTool4d(tool4dTarget(planned.fourD, build, { env }), env);
    if (cached) env.TOOL4D = cached.executable;
    return;
  }
  const found = await installTool4d(planned.fourD, build, { env, log: job.log });
  env.TOOL4D = found.executable;
  job.log(`tool4d ${planned.fourD.text} build ${found.build} (${found.from === "cache" ? "from the cache" : "downloaded"}): ${found.executable}`);
}

/** Sets each runtime variable the job's units use: a path resolved, a download fetched and unpacked (build, validate). */
async function provisionRuntimes(job: ProvisionJob, inputs: readonly RuntimeInput[], plan: () => ReadonlyBuildPlan | undefined): Promise<void> {
  const { env } = job;
  for (const input of inputs) if (input.kind === "path") env[input.variable] = input.path;
  const downloads = inputs.filter((i) => i.kind === "url");
  if (!downloads.length) return;
  const planned = plan();
  if (!planned) return;
  const scope = scopeOf(job);
  for (const input of downloads) {
    const users = usersOf(planned, scope, placeholder(job.workspace, input.variable));
    if (!users.length) {
      job.log(`runtimes: ${input.variable} is not used by the units of this job: not downloaded`);
      continue;
    }
    const source = { kind: "url" as const, url: input.url, sha256: input.sha256 };
    const what = `runtimes input ${input.variable}`;
    const got = job.command === "plan" ? describeRuntimeArchive(source, env) : await provisionRuntimeArchive(source, what, { env, log: job.log });
    const exact = users.find((u) => u.exact);
    // Named as the runtime itself: the runtime inside the archive (it may be some folders down); else its root.
    const folder = exact && job.command !== "plan" ? locateRuntime(got.folder, { platform: exact.unit.platform, kind: runtimeKind(exact.unit), field: what }) : got.folder;
    env[input.variable] = folder;
    job.log(`runtimes: ${input.variable} (${redactUrl(input.url)}): ${got.from === "cache" ? "from the cache" : got.from === "download" ? "downloaded" : "not downloaded by plan"}: ${folder}`);
  }
}

/** Applies the provisioning inputs to the job's environment before validate, plan or build. */
export async function provision(job: ProvisionJob): Promise<void> {
  const inputs = job.runtimes ? parseRuntimes(job.runtimes, job.workspace) : [];
  const downloads = inputs.filter((i) => i.kind === "url");
  let probed: { plan: ReadonlyBuildPlan | undefined } | undefined;
  const plan = () => (probed ??= { plan: probe(job, downloads) }).plan;
  await provisionRuntimes(job, inputs, plan);
  await provisionTool4d(job, plan);
}
