import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPORT_FILES } from "../builder/steps/report.js";
import { isAppTarget } from "../manifest/targets.js";
import { UsageError } from "../messages/errors.js";
import type { BuildReport, ReportedTarget } from "../release/report.js";
import type { UploadChoice } from "./inputs.js";

/** Whether this runner has GitHub's artifact service (GHES before 3.x, Gitea, act and local runners do not). */
export const hasArtifactService = (env: NodeJS.ProcessEnv): boolean => Boolean(env.ACTIONS_RESULTS_URL && env.ACTIONS_RUNTIME_TOKEN);

/** Whether to upload: `auto` only where the service is; `true` where it is not is a UsageError saying so. */
export function shouldUpload(choice: UploadChoice, env: NodeJS.ProcessEnv): boolean {
  if (choice === "auto") return hasArtifactService(env);
  if (choice && !hasArtifactService(env)) throw new UsageError("upload: true, but this runner has no artifact service (ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN are not set)", "set upload: auto (upload where the service exists) or false, and keep the files another way");
  return choice;
}

const unit = (t: { target: string; platform?: string }) => `${t.target}${t.platform ? ` (${t.platform})` : ""}`;
const inside = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);

/**
 * What a build uploads, relative to its destination: the archives, the release files (SHA256SUMS, signatures,
 * the reports) and the files of the compiled structure and the component. Application trees are never uploaded
 * (an artifact loses the symbolic links of macOS frameworks, and is about four times the archives' size): an
 * application without an archive is listed in `left`.
 */
export function uploadSelection(report: BuildReport, exists: (file: string) => boolean): { files: string[]; left: ReportedTarget[] } {
  const archives = report.artifacts.filter((a) => a.path.startsWith("Archives/"));
  const structures = report.targets.filter((t) => !isAppTarget(t.target));
  const left = report.targets.filter((t) => isAppTarget(t.target) && !archives.some((a) => a.target === t.target && a.platform === t.platform));
  const files = new Set([
    ...archives.map((a) => a.path),
    ...report.artifacts.filter((a) => structures.some((t) => inside(a.path, t.path))).map((a) => a.path),
    ...report.signatures,
    ...REPORT_FILES,
  ]);
  return { files: [...files].filter(exists).sort(), left };
}

export interface UploadResult {
  name: string;
  id?: number;
  files: string[];
  left: ReportedTarget[];
}

/** Uploads a build's selection as one workflow artifact with @actions/artifact. */
export async function uploadBuild(report: BuildReport, destination: string, options: { name: string; retentionDays?: number; warn: (message: string) => void }): Promise<UploadResult> {
  const { files, left } = uploadSelection(report, (f) => existsSync(path.join(destination, f)));
  for (const t of left) options.warn(`${unit(t)} is not uploaded: it has no archive, and an application tree loses its symbolic links in an artifact; add output.archives (zip, tar.gz) to upload it`);
  // Loaded only to upload: the artifact client and what it brings (an HTTP client, archiver, Azure's storage
  // client) took ~0.4 s of every start of the Action.
  const { DefaultArtifactClient } = await import("@actions/artifact");
  const uploaded = await new DefaultArtifactClient().uploadArtifact(options.name, files.map((f) => path.join(destination, f)), destination, options.retentionDays ? { retentionDays: options.retentionDays } : {});
  return { name: options.name, ...(uploaded.id !== undefined ? { id: uploaded.id } : {}), files, left };
}

/** The `artifacts` output: a JSON file (every built file, what was uploaded), never an unbounded output value. */
export function writeArtifactsFile(folder: string, step: string, value: { destination: string; report: BuildReport; upload?: UploadResult }): string {
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `4dbuild-${step.replace(/[^A-Za-z0-9_.-]/g, "_") || "build"}-artifacts.json`);
  const { destination, report, upload } = value;
  const json = {
    destination,
    files: report.artifacts.map((a) => ({ path: a.path, size: a.size, sha256: a.sha256, target: a.target, ...(a.platform ? { platform: a.platform } : {}) })),
    archives: report.artifacts.filter((a) => a.path.startsWith("Archives/")).map((a) => a.path),
    ...(upload ? { uploaded: { name: upload.name, ...(upload.id !== undefined ? { id: upload.id } : {}), files: upload.files } } : {}),
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}
