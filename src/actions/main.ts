import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import * as core from "@actions/core";
import { buildManifest, planManifest, platformNames, targetNames, type ManifestBuild } from "../builder/from-manifest.js";
import { renderPlanText } from "../builder/plan-print.js";
import { REPORT_FILES } from "../builder/steps/report.js";
import { diffManifests } from "../diff/manifests.js";
import { renderDiff } from "../diff/render.js";
import { openManifest, validateManifest } from "../manifest/open.js";
import { formatDiagnostics, type Diagnostic } from "../messages/diagnostics.js";
import { BuildError, InvalidInputError, UsageError, UserError } from "../messages/errors.js";
import { Redactor } from "../messages/redactor.js";
import { planMatrix } from "../release/matrix.js";
import { mergeBuilds } from "../release/merge.js";
import { REPORT_FILE } from "../release/report.js";
import { verifyBuild } from "../release/verify.js";
import { getInputs, type ActionCommand, type ActionInputs } from "./inputs.js";
import { upsertPullRequestComment } from "./pr-comment.js";
import { licensesFolder, writeSecretFiles } from "./secret-files.js";
import { buildSummary, verifySummary } from "./summary.js";

/** What every command of the action gets: its inputs, the environment, the workspace. */
interface Job {
  inputs: ActionInputs;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The secrets of the run: every library call adds what it reads, every byte written is masked through it. */
  redactor: Redactor;
}

/** Diagnostics as workflow annotations, at file:line:column when they have a place. */
function annotate(diagnostics: readonly Diagnostic[], redactor: Redactor): void {
  if (diagnostics.length > 0) process.stdout.write(formatDiagnostics(diagnostics, { format: "github", redactor }));
}

const shown = (job: Job, file: string) => path.relative(job.cwd, file) || ".";

/** The targets and platforms inputs, checked: validate, plan and build are about those units only. */
const scope = ({ inputs }: Job) => ({ targets: targetNames(inputs.targets), platforms: platformNames(inputs.platforms) });

function validate(job: Job): void {
  const validation = validateManifest(job.inputs.manifest, { env: job.env, cwd: job.cwd, redactor: job.redactor, ...scope(job) });
  annotate(validation.diagnostics, validation.redactor);
  if (!validation.valid) throw new BuildError("4dbuild validate failed (exit code 1)");
  core.info(`${job.inputs.manifest} is valid`);
}

function plan(job: Job): void {
  const { manifest, planned } = planManifest(job.inputs.manifest, { env: job.env, cwd: job.cwd, redactor: job.redactor, ...scope(job), ...(job.inputs.version ? { version: job.inputs.version } : {}) });
  annotate(manifest.diagnostics, manifest.redactor);
  core.info(manifest.redactor.redact(renderPlanText(planned, job.cwd)));
}

async function upload(job: Job, result: ManifestBuild): Promise<void> {
  const { destination, report } = result;
  const files = [...new Set([...report.artifacts.map((a) => a.path), ...report.signatures, ...REPORT_FILES])].map((f) => path.join(destination, f));
  const name = job.inputs.artifactName ?? `${report.name}-build`;
  const retention = job.inputs.retentionDays ? { retentionDays: job.inputs.retentionDays } : {};
  const uploaded = await new DefaultArtifactClient().uploadArtifact(name, files, destination, retention);
  core.info(`uploaded artifact ${name} (${files.length} files, id ${uploaded.id})`);
}

async function build(job: Job): Promise<void> {
  const { inputs, env, cwd } = job;
  const manifest = openManifest(inputs.manifest, { env, cwd, redactor: job.redactor, ...scope(job), ...(inputs.version ? { version: inputs.version } : {}) });
  annotate(manifest.diagnostics, manifest.redactor);
  const result = await buildManifest(manifest, {
    env,
    cwd,
    ...(inputs.out ? { out: inputs.out } : {}),
    log: { format: "github", sink: process.stdout },
  });
  const { destination, report } = result;
  const redact = (text: string) => manifest.redactor.redact(text);
  core.info(redact(result.outputs.map((o) => path.join(shown(job, destination), o)).join("\n")));
  core.setOutput("artifacts", redact(JSON.stringify(report.artifacts.map((a) => ({ path: path.join(destination, a.path), size: a.size, sha256: a.sha256 })))));
  core.setOutput("checksums", redact(path.join(destination, "SHA256SUMS")));
  core.setOutput("report", redact(path.join(destination, REPORT_FILE)));
  core.setOutput("version", redact(manifest.plan.config.versioning.common?.version ?? ""));
  await core.summary.addRaw(job.redactor.redact(buildSummary(report))).write();
  if (inputs.upload) await upload(job, result);
}

interface PullRequestEvent {
  number?: number;
  pull_request?: { number: number; base: { sha: string; ref: string } };
}

async function diff(job: Job): Promise<void> {
  const { inputs, env, cwd } = job;
  const event = env.GITHUB_EVENT_PATH && existsSync(env.GITHUB_EVENT_PATH) ? (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as PullRequestEvent) : {};
  const base = inputs.base ?? event.pull_request?.base.sha;
  if (!base) throw new UsageError("diff needs a base: run it on pull_request events, or set the base input to a git revision");
  // The manifest, else (a repository that has not adopted 4dbuild, or the revision before it did) the settings file.
  const result = diffManifests({ revision: base }, {}, { env, cwd, redactor: job.redactor, manifest: inputs.manifest });
  const markdown = result.redactor.redact(renderDiff(result.diff, "markdown"));
  core.info(markdown);
  await core.summary.addRaw(markdown).write();
  if (inputs.comment && event.pull_request) {
    const token = inputs.token ?? env.GITHUB_TOKEN;
    if (!token) throw new UsageError("comment: true needs a token (the token input or GITHUB_TOKEN)");
    const done = await upsertPullRequestComment({ api: env.GITHUB_API_URL ?? "https://api.github.com", repository: env.GITHUB_REPOSITORY ?? "", pullRequest: event.pull_request.number, token, body: markdown });
    core.info(`pull request comment ${done}`);
  }
  if (inputs.strict && !result.valid) throw new BuildError("4dbuild diff: a side of the comparison is not valid (strict: true); its problems are listed in the summary");
}

function matrix(job: Job): void {
  const { manifest, matrix } = planMatrix(job.inputs.manifest, { env: job.env, cwd: job.cwd, redactor: job.redactor });
  annotate(manifest.diagnostics, manifest.redactor);
  const json = JSON.stringify(matrix);
  core.setOutput("matrix", json);
  core.info(json);
}

/** `outputs/*` (as actions/download-artifact lays artifacts out) becomes each folder inside `outputs`. */
function expandFolders(cwd: string, entries: readonly string[]): string[] {
  return entries.flatMap((entry) => {
    if (!entry.endsWith("/*")) return [entry];
    const parent = path.resolve(cwd, entry.slice(0, -2));
    if (!existsSync(parent)) throw new UsageError(`directories: ${entry.slice(0, -2)} does not exist`, "download the per-runner artifacts there first (actions/download-artifact)");
    return readdirSync(parent, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(parent, e.name))
      .sort();
  });
}

async function merge(job: Job): Promise<void> {
  const { inputs, env, cwd } = job;
  // The workspace's manifest, when there is one, signs the merged SHA256SUMS with its certificate.
  const manifest = existsSync(path.resolve(cwd, inputs.manifest)) ? { manifest: inputs.manifest } : {};
  const merged = await mergeBuilds(expandFolders(cwd, inputs.directories), { out: inputs.out ?? "release", env, cwd, redactor: job.redactor, ...manifest });
  if (merged.manifest) annotate(merged.manifest.diagnostics, merged.manifest.redactor);
  core.info(`${shown(job, merged.out)}: ${merged.files} files from ${merged.from} outputs${merged.signed ? ", SHA256SUMS signed" : ""}`);
  core.setOutput("checksums", path.join(merged.out, "SHA256SUMS"));
  core.setOutput("report", path.join(merged.out, REPORT_FILE));
  await core.summary.addRaw(job.redactor.redact(buildSummary(merged.report))).write();
}

async function verify(job: Job): Promise<void> {
  const { inputs, env, cwd } = job;
  const found = await verifyBuild(inputs.out ?? "release", { env, cwd, ...(inputs.certificate ? { cert: inputs.certificate } : {}) });
  for (const s of found.signatures) core.info(`signature ok: ${s.file} (signed by ${s.signer})`);
  for (const p of found.problems) core.error(`${p.file}: ${p.problem}`, { title: "4dbuild verify" });
  core.setOutput("checksums", path.join(found.dir, "SHA256SUMS"));
  await core.summary.addRaw(verifySummary(found, shown(job, found.dir))).write();
  const counts = `${found.checked} file${found.checked === 1 ? "" : "s"} checked, ${found.signatures.length} signature${found.signatures.length === 1 ? "" : "s"}`;
  if (!found.ok) throw new BuildError(`4dbuild verify: ${found.problems.length} problem${found.problems.length === 1 ? "" : "s"} in ${shown(job, found.dir)} (${counts})`);
  core.info(`OK: ${counts}`);
}

const COMMANDS: Record<ActionCommand, (job: Job) => void | Promise<void>> = { validate, plan, build, diff, matrix, merge, verify };

/** Secret files written for the command; the post entry deletes them. */
function writeSecrets(job: Job): void {
  if (!job.inputs.secretFiles) return;
  const written = writeSecretFiles(job.inputs.secretFiles, job.env.RUNNER_TEMP ?? tmpdir(), { installLicenses: job.inputs.installLicenses, licenses: licensesFolder() });
  for (const mask of written.masks) {
    core.setSecret(mask);
    job.redactor.add(mask);
  }
  core.saveState("secret-files", JSON.stringify({ files: written.files, folder: written.folder }));
  Object.assign(job.env, written.variables);
}

/** Every failure ends here: an invalid manifest as annotations at file:line:column, a user's mistake with its hint. */
function fail(error: unknown, redactor: Redactor): void {
  if (error instanceof InvalidInputError) {
    process.stdout.write(formatDiagnostics(error.diagnostics, { format: "github", redactor }));
    core.setFailed("the manifest is invalid: see the annotations");
  } else if (error instanceof UserError) core.setFailed(redactor.redact(`${error.message}${error.hint ? `\nhint: ${error.hint}` : ""}`));
  else {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** The action's main entry: inputs, secrets to files, then one command with its annotations, outputs and summary. Never rejects. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const redactor = new Redactor();
  const unmask = maskOutput(redactor);
  try {
    const inputs = getInputs();
    const job: Job = { inputs, env, cwd: env.GITHUB_WORKSPACE ?? process.cwd(), redactor };
    writeSecrets(job);
    await COMMANDS[inputs.command](job);
  } catch (error) {
    fail(error, redactor);
  } finally {
    unmask();
  }
}

/**
 * Every text the step writes to its log (core.info, annotations, workflow commands all go through process.stdout)
 * masked through the run's redactor: a second line behind the masking of each message. Returns the undoing.
 */
function maskOutput(redactor: Redactor): () => void {
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  for (const [i, stream] of streams.entries()) {
    const write = writes[i]!.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === "string" ? redactor.redact(chunk) : chunk, ...rest)) as typeof stream.write;
  }
  return () => streams.forEach((stream, i) => (stream.write = writes[i]!));
}
