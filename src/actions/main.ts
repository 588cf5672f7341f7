import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import * as core from "@actions/core";
import type { ReportedArtifact } from "../builder/steps/report.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import { buildCommand } from "../cli/commands/build.js";
import { diffCommand } from "../cli/commands/diff.js";
import { mergeCommand } from "../cli/commands/merge.js";
import { planCommand } from "../cli/commands/plan.js";
import { validateCommand } from "../cli/commands/validate.js";
import type { CliIO } from "../cli/io.js";
import { loadManifest } from "../manifest/load.js";
import { buildMatrix } from "../release/matrix.js";
import { upsertPullRequestComment } from "./pr-comment.js";
import { licensesFolder, writeSecretFiles } from "./secret-files.js";
import { buildSummary } from "./summary.js";

const COMMANDS = ["validate", "plan", "build", "diff", "matrix", "merge"] as const;
type ActionCommand = (typeof COMMANDS)[number];

const list = (name: string) => core.getInput(name).split(/[\s,]+/).filter(Boolean);

/** A CLI IO writing to the job log; stdout is also kept for the outputs. */
function jobIO(env: NodeJS.ProcessEnv, cwd: string): CliIO & { captured: () => string } {
  let out = "";
  return {
    stdout: { write: (s: string) => ((out += s), process.stdout.write(s)) },
    stderr: { write: (s: string) => process.stdout.write(s) },
    env,
    cwd,
    captured: () => out,
  };
}

/** Exit codes of the shared commands become the step's result. */
function check(code: number, what: string): void {
  if (code !== 0) throw new Error(`${what} failed (exit code ${code})`);
}

interface Report {
  name: string;
  artifacts: ReportedArtifact[];
  warnings: Diagnostic[];
}

async function build(io: ReturnType<typeof jobIO>, manifest: string): Promise<void> {
  const version = core.getInput("version");
  const loaded = loadManifest(path.resolve(io.cwd, manifest), { env: io.env, checkFiles: false, ...(version ? { version } : {}) });
  const out = core.getInput("out") ? path.resolve(io.cwd, core.getInput("out")) : loaded.plan?.output[process.platform === "win32" ? "win" : "mac"];
  const targets = list("targets");
  const platforms = list("platforms");
  check(
    await buildCommand(io, manifest, {
      dryRun: false,
      log: "github",
      wait: "30",
      ...(out ? { out } : {}),
      ...(targets.length ? { target: targets as never } : {}),
      ...(platforms.length ? { platform: platforms as never } : {}),
      ...(version ? { appVersion: version } : {}),
    }),
    "4dbuild build",
  );
  const destination = out!;
  const report = JSON.parse(readFileSync(path.join(destination, "build-report.json"), "utf8")) as Report;
  core.setOutput("artifacts", JSON.stringify(report.artifacts.map((a) => ({ path: path.join(destination, a.path), size: a.size, sha256: a.sha256 }))));
  core.setOutput("checksums", path.join(destination, "SHA256SUMS"));
  core.setOutput("report", path.join(destination, "build-report.json"));
  core.setOutput("version", loaded.plan?.config.versioning.common?.version ?? "");
  await core.summary.addRaw(buildSummary(report.name, report.artifacts, report.warnings)).write();
  if (core.getInput("upload") !== "false") {
    const extra = ["SHA256SUMS", "SHA256SUMS.p7s", "build-report.json", "BuildApp.log.xml"].map((f) => path.join(destination, f)).filter((f) => existsSync(f));
    const signatures = report.artifacts.map((a) => path.join(destination, `${a.path}.p7s`)).filter((f) => existsSync(f));
    const files = [...report.artifacts.map((a) => path.join(destination, a.path)), ...signatures, ...extra];
    const retention = Number(core.getInput("retention-days"));
    const name = core.getInput("artifact-name") || `${report.name}-build`;
    const uploaded = await new DefaultArtifactClient().uploadArtifact(name, files, destination, retention > 0 ? { retentionDays: retention } : {});
    core.info(`uploaded artifact ${name} (${files.length} files, id ${uploaded.id})`);
  }
}

interface PullRequestEvent {
  number?: number;
  pull_request?: { number: number; base: { sha: string; ref: string } };
}

async function diff(io: ReturnType<typeof jobIO>, manifest: string): Promise<void> {
  const event = io.env.GITHUB_EVENT_PATH && existsSync(io.env.GITHUB_EVENT_PATH) ? (JSON.parse(readFileSync(io.env.GITHUB_EVENT_PATH, "utf8")) as PullRequestEvent) : {};
  const base = core.getInput("base") || event.pull_request?.base.sha;
  if (!base) throw new Error("diff needs a base: run it on pull_request events, or set the base input to a git revision");
  const before = io.captured().length;
  check(diffCommand(io, manifest, undefined, { git: base, manifest, format: "markdown" }), "4dbuild diff");
  const markdown = io.captured().slice(before);
  await core.summary.addRaw(markdown).write();
  if (core.getBooleanInput("comment") && event.pull_request) {
    const token = core.getInput("token") || io.env.GITHUB_TOKEN;
    if (!token) throw new Error("comment: true needs a token (the token input or GITHUB_TOKEN)");
    const done = await upsertPullRequestComment({ api: io.env.GITHUB_API_URL ?? "https://api.github.com", repository: io.env.GITHUB_REPOSITORY ?? "", pullRequest: event.pull_request.number, token, body: markdown });
    core.info(`pull request comment ${done}`);
  }
}

/** `outputs/*` (as actions/download-artifact lays artifacts out) becomes each folder inside `outputs`. */
function expandFolders(cwd: string, entries: string[]): string[] {
  return entries.flatMap((entry) => {
    if (!entry.endsWith("/*")) return [entry];
    const parent = path.resolve(cwd, entry.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(parent, e.name))
      .sort();
  });
}

/** The action's main entry: secrets to files, then one 4dbuild command, its outputs, summary and upload. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const cwd = env.GITHUB_WORKSPACE ?? process.cwd();
  const io = jobIO(env, cwd);
  const command = (core.getInput("command") || "build") as ActionCommand;
  if (!COMMANDS.includes(command)) throw new Error(`command must be one of ${COMMANDS.join(", ")}, not ${command}`);
  const manifest = core.getInput("manifest") || "4dbuild.yml";

  const secretFiles = core.getInput("secret-files");
  if (secretFiles) {
    const written = writeSecretFiles(secretFiles, env.RUNNER_TEMP ?? tmpdir(), { installLicenses: core.getBooleanInput("install-licenses"), licenses: licensesFolder() });
    for (const mask of written.masks) core.setSecret(mask);
    core.saveState("secret-files", JSON.stringify({ files: written.files, folder: written.folder }));
    Object.assign(env, written.variables);
  }

  switch (command) {
    case "validate":
      return check(validateCommand(io, manifest, { format: "github" }), "4dbuild validate");
    case "plan":
      return check(planCommand(io, manifest, { format: "text" }), "4dbuild plan");
    case "build":
      return build(io, manifest);
    case "diff":
      return diff(io, manifest);
    case "matrix": {
      const loaded = loadManifest(path.resolve(cwd, manifest), { env, checkFiles: false });
      if (!loaded.plan) return check(validateCommand(io, manifest, { format: "github" }), "4dbuild validate");
      const matrix = JSON.stringify(buildMatrix(loaded.plan));
      core.setOutput("matrix", matrix);
      core.info(matrix);
      return;
    }
    case "merge": {
      const out = core.getInput("out") || "release";
      const signWith = core.getInput("manifest") && existsSync(path.resolve(cwd, manifest)) ? { manifest } : {};
      check(await mergeCommand(io, expandFolders(cwd, list("directories")), { out, ...signWith }), "4dbuild merge");
      core.setOutput("checksums", path.resolve(cwd, out, "SHA256SUMS"));
      core.setOutput("report", path.resolve(cwd, out, "build-report.json"));
      return;
    }
  }
}
