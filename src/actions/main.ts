import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { openManifest, validateManifest } from "../manifest/open.js";
import { describeScope, platformNames, targetNames } from "../manifest/scope.js";
import { formatDiagnostics, type Diagnostic } from "../messages/diagnostics.js";
import { BuildError, InvalidInputError, UsageError, UserError } from "../messages/errors.js";
import { faultOrSelf } from "../messages/faults.js";
import { Redactor } from "../messages/redactor.js";
import { getInputs, type ActionCommand, type ActionInputs } from "./inputs.js";
import { provision } from "./provision.js";
import { licensesFolder, writeSecretFiles } from "./secret-files.js";
import { buildSummary, failureSummary, matrixSummary, mergeNotes, planSummary, validateSummary, verifySummary, type Annotation } from "./summary.js";
import type { UploadResult } from "./upload.js";

// Each command imports what only it uses when it runs (chunks of their own in the bundle): a step that
// validates does not parse and initialise the builder, signing, diff and upload code (~0.15 s of its start).

/** What every command of the action gets: its inputs, the environment, the workspace, and the annotations it wrote. */
interface Job {
  inputs: ActionInputs;
  env: NodeJS.ProcessEnv;
  cwd: string;
  annotations: Annotation[];
  /** The command wrote its summary: a failure after it adds none. */
  summarized: boolean;
  /** The secrets of the run: every library call adds what it reads, every byte written is masked through it. */
  redactor: Redactor;
}

const place = (d: Pick<Diagnostic, "file" | "line" | "column">) => (d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ""}` : undefined);

/** Diagnostics as workflow annotations, at file:line:column when they have a place; kept for the job summary. */
function annotate(job: Job, diagnostics: readonly Diagnostic[], redactor?: Redactor): void {
  if (diagnostics.length === 0) return;
  process.stdout.write(formatDiagnostics(diagnostics, { format: "github", ...(redactor ? { redactor } : {}) }));
  for (const d of diagnostics) job.annotations.push({ severity: d.severity, ...(place(d) ? { place: place(d)! } : {}), message: redactor ? redactor.redact(d.message) : d.message });
}

/** The annotation a workflow command line of the build's log makes (`::error file=…,line=…::message`), if it is one. */
function annotationOf(line: string): Annotation | undefined {
  const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) return undefined;
  const decode = (s: string) => s.replace(/%0A/g, "\n").replace(/%0D/g, "\r").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  const props = Object.fromEntries((match[2] ?? "").split(",").filter(Boolean).map((p) => [p.slice(0, p.indexOf("=")), decode(p.slice(p.indexOf("=") + 1))]));
  const where = place({ ...(props.file ? { file: props.file } : {}), ...(props.line ? { line: Number(props.line) } : {}), ...(props.col ? { column: Number(props.col) } : {}) });
  return { severity: match[1]!, ...(where ? { place: where } : {}), message: decode(match[3]!) };
}

/** The build's log sink: the runner's stdout, and the annotations it carries kept for the job summary. */
function logSink(job: Job): { write: (text: string) => boolean } {
  return {
    write: (text: string) => {
      for (const line of text.split("\n")) {
        const found = annotationOf(line);
        if (found) job.annotations.push(found);
      }
      return process.stdout.write(text);
    },
  };
}

/** A library message in the Action's words: its inputs (`targets: server`), not the CLI's options (`--target server`). */
const inInputWords = (text: string) => text.replace(/--target\b/g, "targets:").replace(/--platform\b/g, "platforms:");

const shown = (job: Job, file: string) => path.relative(job.cwd, file) || ".";
/** Appends to the job summary, with the secret files' texts masked. */
async function summary(job: Job, markdown: string): Promise<void> {
  job.summarized = true;
  await core.summary.addRaw(job.redactor.redact(markdown)).write();
}

/** The targets and platforms inputs, checked: validate, plan and build are about those units only. */
const scope = ({ inputs }: Job) => ({ targets: targetNames(inputs.targets), platforms: platformNames(inputs.platforms) });
/** How messages name the `version` input (a value no platform can hold fails the step naming it). */
const version = ({ inputs }: Job) => (inputs.version ? { version: inputs.version, versionInput: "the version input" } : {});

/** tool4d and the runtimes inputs, into the job's environment, for the units of the job only. */
async function provisionFor(job: Job, command: "validate" | "plan" | "build"): Promise<void> {
  const { inputs } = job;
  await provision({ command, manifest: inputs.manifest, workspace: job.cwd, targets: inputs.targets, platforms: inputs.platforms, env: job.env, ...(inputs.tool4d ? { tool4d: inputs.tool4d } : {}), ...(inputs.runtimes ? { runtimes: inputs.runtimes } : {}), log: (m) => core.info(m) });
}

async function validate(job: Job): Promise<void> {
  await provisionFor(job, "validate");
  const validation = validateManifest(job.inputs.manifest, { env: job.env, cwd: job.cwd, redactor: job.redactor, ...scope(job) });
  annotate(job, validation.diagnostics, validation.redactor);
  await summary(job, validateSummary(job.inputs.manifest, inInputWords(describeScope(validation.scope)) || "every target", job.annotations));
  if (!validation.valid) throw new BuildError("4dbuild validate failed (exit code 1)");
  core.info(`${job.inputs.manifest} is valid`);
}

async function plan(job: Job): Promise<void> {
  const [{ planManifest }, { renderPlanText }] = await Promise.all([import("../builder/from-manifest.js"), import("../builder/plan-print.js")]);
  await provisionFor(job, "plan");
  const { manifest, planned } = planManifest(job.inputs.manifest, { env: job.env, cwd: job.cwd, redactor: job.redactor, ...scope(job), ...version(job) });
  annotate(job, manifest.diagnostics, manifest.redactor);
  const text = manifest.redactor.redact(renderPlanText(planned, job.cwd));
  core.info(text);
  await summary(job, planSummary(job.inputs.manifest, text));
}

async function build(job: Job): Promise<void> {
  const { inputs, env, cwd } = job;
  const [{ buildManifest }, { shouldUpload, uploadBuild, writeArtifactsFile }, { REPORT_FILE }] = await Promise.all([import("../builder/from-manifest.js"), import("./upload.js"), import("../release/report.js")]);
  await provisionFor(job, "build");
  const manifest = openManifest(inputs.manifest, { env, cwd, redactor: job.redactor, ...scope(job), ...version(job) });
  annotate(job, manifest.diagnostics, manifest.redactor);
  // Decided before the build: upload: true without the service fails at once, not after an hour of building.
  const uploading = shouldUpload(inputs.upload, env);
  const result = await buildManifest(manifest, {
    env,
    cwd,
    ...(inputs.out ? { out: inputs.out } : {}),
    ...(inputs.compareEngines ? { compareEngines: true } : {}),
    log: { format: "github", sink: logSink(job) },
  });
  const { destination, report } = result;
  const redact = (text: string) => manifest.redactor.redact(text);
  core.info(redact(result.outputs.map((o) => path.join(shown(job, destination), o)).join("\n")));
  let uploaded: UploadResult | undefined;
  if (uploading) {
    uploaded = await uploadBuild(report, destination, { name: inputs.artifactName ?? `${report.name}-build`, ...(inputs.retentionDays ? { retentionDays: inputs.retentionDays } : {}), warn: (m) => core.warning(m, { title: "4dbuild upload" }) });
    core.info(`uploaded artifact ${uploaded.name} (${uploaded.files.length} files${uploaded.id !== undefined ? `, id ${uploaded.id}` : ""})`);
  }
  const listing = writeArtifactsFile(env.RUNNER_TEMP ?? tmpdir(), env.GITHUB_ACTION ?? "build", { destination, report, ...(uploaded ? { upload: uploaded } : {}) });
  core.setOutput("artifacts", redact(listing));
  core.setOutput("artifact-count", report.artifacts.length);
  core.setOutput("archive-count", report.artifacts.filter((a) => a.path.startsWith("Archives/")).length);
  core.setOutput("checksums", redact(path.join(destination, "SHA256SUMS")));
  core.setOutput("report", redact(path.join(destination, REPORT_FILE)));
  core.setOutput("version", redact(manifest.plan.config.versioning.common?.version ?? ""));
  await summary(job, buildSummary(report) + (uploaded ? `Uploaded as artifact \`${uploaded.name}\`: ${uploaded.files.length} files (archives and release files; application trees are never uploaded).\n` : ""));
}

interface PullRequestEvent {
  number?: number;
  pull_request?: { number: number; base: { sha: string; ref: string; repo?: { full_name?: string } }; head?: { repo?: { full_name?: string } | null } };
}

const readEvent = (env: NodeJS.ProcessEnv): PullRequestEvent => (env.GITHUB_EVENT_PATH && existsSync(env.GITHUB_EVENT_PATH) ? (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as PullRequestEvent) : {});

/** The comment could not be written: a one-line notice naming the permission, and the same in the summary. */
async function commentNotice(job: Job, number: number, why: string): Promise<void> {
  const text = `4dbuild: no comment on pull request #${number} (${why}): the diff is in the job summary; to comment, give the workflow \`permissions: pull-requests: write\` (pull requests from forks get a read-only token)`;
  core.notice(text, { title: "4dbuild diff" });
  await summary(job, `> ${text}\n`);
}

async function comment(job: Job, event: PullRequestEvent, markdown: string, unchanged: boolean): Promise<void> {
  const { inputs, env } = job;
  const { commentMarker, GitHubApiError, upsertPullRequestComment } = await import("./pr-comment.js");
  const pr = event.pull_request!;
  if (unchanged && inputs.commentNoChange === "silent") return core.info("no configuration change: no comment (comment-no-change: silent)");
  const head = pr.head?.repo?.full_name;
  const base = pr.base.repo?.full_name;
  if (env.GITHUB_EVENT_NAME === "pull_request" && head && base && head !== base) return commentNotice(job, pr.number, `from the fork ${head}`);
  const token = inputs.token ?? env.GITHUB_TOKEN;
  if (!token) throw new UsageError("comment: true needs a token (the token input or GITHUB_TOKEN)");
  const marker = commentMarker(inputs.manifest, env.GITHUB_WORKFLOW ?? "");
  try {
    const done = await upsertPullRequestComment({ api: env.GITHUB_API_URL ?? "https://api.github.com", repository: env.GITHUB_REPOSITORY ?? "", pullRequest: pr.number, token, marker, body: markdown, create: !unchanged });
    core.info(done === "none" ? "no configuration change and no earlier comment: none written" : `pull request comment ${done}`);
  } catch (error) {
    if (error instanceof GitHubApiError && (error.status === 403 || error.status === 404)) return commentNotice(job, pr.number, `HTTP ${error.status}`);
    if (!(error instanceof UserError)) throw error;
    // The diff is in the summary already: a failed comment is a warning naming the cause, not a red check.
    core.warning(`${error.message}${error.hint ? ` (${error.hint})` : ""}`, { title: "4dbuild diff: no comment" });
    await summary(job, `> 4dbuild: no comment on pull request #${pr.number}: ${error.message}\n`);
  }
}

async function diff(job: Job): Promise<void> {
  const { inputs, env, cwd } = job;
  const [{ diffManifests }, { renderDiff }, { ensureBaseCommit }] = await Promise.all([import("../diff/manifests.js"), import("../diff/render.js"), import("./git-base.js")]);
  const event = readEvent(env);
  const base = inputs.base ?? event.pull_request?.base.sha;
  if (!base) throw new UsageError("diff needs a base: run it on pull_request events, or set the base input to a git revision");
  // A default (one-commit) checkout has no base: fetch it.
  if (!inputs.base && ensureBaseCommit(cwd, base) === "fetched") core.info(`fetched the pull request's base ${base} (the checkout was shallow)`);
  // The manifest, else (a repository that has not adopted 4dbuild, or the revision before it did) the settings file.
  const result = diffManifests({ revision: base }, {}, { env, cwd, redactor: job.redactor, manifest: inputs.manifest });
  const markdown = result.redactor.redact(renderDiff(result.diff, "markdown"));
  core.info(markdown);
  await summary(job, markdown);
  const unchanged = !result.diff.settings.length && !result.diff.xml.length && !result.diff.artifacts.length;
  if (inputs.comment && event.pull_request) await comment(job, event, markdown, unchanged);
  if (inputs.strict && !result.valid) throw new BuildError("4dbuild diff: a side of the comparison is not valid (strict: true); its problems are listed in the summary");
}

async function matrix(job: Job): Promise<void> {
  const { planMatrix } = await import("../release/matrix.js");
  const { manifest, matrix } = planMatrix(job.inputs.manifest, { env: job.env, cwd: job.cwd, redactor: job.redactor });
  annotate(job, manifest.diagnostics, manifest.redactor);
  const json = JSON.stringify(matrix);
  core.setOutput("matrix", json);
  core.info(json);
  await summary(job, matrixSummary(matrix.include));
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
  const [{ mergeBuilds }, { REPORT_FILE }] = await Promise.all([import("../release/merge.js"), import("../release/report.js")]);
  // The workspace's manifest, when there is one, signs the merged SHA256SUMS with its certificate.
  const manifest = existsSync(path.resolve(cwd, inputs.manifest)) ? { manifest: inputs.manifest } : {};
  const folders = expandFolders(cwd, inputs.directories);
  const merged = await mergeBuilds(folders, { out: inputs.out ?? "release", env, cwd, redactor: job.redactor, ...manifest });
  if (merged.manifest) annotate(job, merged.manifest.diagnostics, merged.manifest.redactor);
  core.info(`${shown(job, merged.out)}: ${merged.files} files from ${merged.from} outputs${merged.signed ? ", SHA256SUMS signed" : ""}`);
  core.setOutput("checksums", path.join(merged.out, "SHA256SUMS"));
  core.setOutput("report", path.join(merged.out, REPORT_FILE));
  await summary(job, buildSummary(merged.report) + mergeNotes(folders.map((f) => shown(job, path.resolve(cwd, f))), merged.omitted));
}

async function verify(job: Job): Promise<void> {
  const { inputs, env, cwd } = job;
  const { verifyBuild } = await import("../release/verify.js");
  const found = await verifyBuild(inputs.out ?? "release", { env, cwd, ...(inputs.certificate ? { cert: inputs.certificate } : {}) });
  for (const s of found.signatures) core.info(`signature ok: ${s.file} (signed by ${s.signer})`);
  for (const p of found.problems) {
    core.error(`${p.file}: ${p.problem}`, { title: "4dbuild verify" });
    job.annotations.push({ severity: "error", place: p.file, message: p.problem });
  }
  core.setOutput("checksums", path.join(found.dir, "SHA256SUMS"));
  await summary(job, verifySummary(found, shown(job, found.dir)));
  const counts = `${found.checked} file${found.checked === 1 ? "" : "s"} checked, ${found.signatures.length} signature${found.signatures.length === 1 ? "" : "s"}`;
  if (!found.ok) throw new BuildError(`4dbuild verify: ${found.problems.length} problem${found.problems.length === 1 ? "" : "s"} in ${shown(job, found.dir)} (${counts})`);
  core.info(`OK: ${counts}`);
}

const COMMANDS: Record<ActionCommand, (job: Job) => Promise<void>> = { validate, plan, build, diff, matrix, merge, verify };

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

/**
 * Every failure ends here: an invalid manifest as annotations at file:line:column, a user's mistake with its
 * hint; and a job summary saying what failed, where, and the annotations of the run (verify and validate wrote theirs).
 */
async function fail(thrown: unknown, job: Job | undefined, command: string, redactor: Redactor): Promise<void> {
  const error = faultOrSelf(thrown);
  let hint: string | undefined;
  if (error instanceof InvalidInputError) {
    if (job) annotate(job, error.diagnostics);
    else process.stdout.write(formatDiagnostics(error.diagnostics, { format: "github", redactor }));
    core.setFailed("the manifest is invalid: see the annotations");
  } else if (error instanceof UserError) {
    hint = error.hint === undefined ? undefined : inInputWords(error.hint);
    core.setFailed(redactor.redact(`${inInputWords(error.message)}${hint ? `\nhint: ${hint}` : ""}`));
  } else {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
  if (!job || job.summarized) return;
  const message = error instanceof InvalidInputError ? "the manifest is invalid" : inInputWords(error instanceof Error ? error.message : String(error));
  try {
    await summary(job, failureSummary(command, message, hint, job.annotations));
  } catch {
    // No GITHUB_STEP_SUMMARY (an old runner): the log has it all.
  }
}

/** The action's main entry: inputs, secrets to files, then one command with its annotations, outputs and summary. Never rejects. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const redactor = new Redactor();
  const unmask = maskOutput(redactor);
  let job: Job | undefined;
  try {
    const inputs = getInputs();
    job = { inputs, env, cwd: env.GITHUB_WORKSPACE ?? process.cwd(), annotations: [], summarized: false, redactor };
    writeSecrets(job);
    await COMMANDS[inputs.command](job);
  } catch (error) {
    await fail(error, job, job?.inputs.command ?? (core.getInput("command") || "build"), redactor);
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
