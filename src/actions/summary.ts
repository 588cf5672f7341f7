import type { Diagnostic } from "../messages/diagnostics.js";
import type { ReportedArtifact } from "../builder/steps/report.js";

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`);
const cell = (text: string) => text.replace(/\|/g, "\\|");

/**
 * The job summary of a build: one row per distributable (the archives when there are some, else every file),
 * with target, platform, size and SHA-256, then the warnings.
 */
export function buildSummary(name: string, artifacts: readonly ReportedArtifact[], warnings: readonly Diagnostic[]): string {
  const archives = artifacts.filter((a) => a.path.startsWith("Archives/"));
  const rows = archives.length ? archives : artifacts;
  const lines = [
    `## 4dbuild: ${cell(name)}`,
    "",
    `${rows.length} ${archives.length ? "archive" : "file"}${rows.length === 1 ? "" : "s"}${archives.length ? ` (${artifacts.length} files in all, listed in SHA256SUMS)` : ""}.`,
    "",
    "| target | platform | file | size | SHA-256 |",
    "|---|---|---|---:|---|",
    ...rows.map((a) => `| ${a.target} | ${a.platform ?? ""} | \`${cell(a.path)}\` | ${size(a.size)} | \`${a.sha256}\` |`),
    "",
  ];
  if (warnings.length) lines.push("### Warnings", "", ...warnings.map((w) => `- ${cell(w.message)}`), "");
  return `${lines.join("\n")}\n`;
}
