import type { BuildReport } from "../release/report.js";
import type { EngineComparison } from "../release/compare-engines.js";
import type { VerifyFindings } from "../release/verify.js";

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`);
const cell = (text: string) => text.replace(/\|/g, "\\|");

/**
 * The job summary of a build or a merged release: one row per distributable (the archives when there are some,
 * else every file), with target, platform, size and SHA-256, then the warnings.
 */
export function buildSummary(report: BuildReport): string {
  const { artifacts, warnings } = report;
  const archives = artifacts.filter((a) => a.path.startsWith("Archives/"));
  const rows = archives.length ? archives : artifacts;
  const lines = [
    `## 4dbuild: ${cell(report.name)}`,
    "",
    `${rows.length} ${archives.length ? "archive" : "file"}${rows.length === 1 ? "" : "s"}${archives.length ? ` (${artifacts.length} files in all, listed in SHA256SUMS)` : ""}${report.mergedFrom ? `, merged from ${report.mergedFrom} build outputs` : ""}.`,
    "",
    "| target | platform | file | size | SHA-256 |",
    "|---|---|---|---:|---|",
    ...rows.map((a) => `| ${a.target} | ${a.platform ?? ""} | \`${cell(a.path)}\` | ${size(a.size)} | \`${a.sha256}\` |`),
    "",
  ];
  if (warnings.length) lines.push("### Warnings", "", ...warnings.map((w) => `- ${cell(w.message)}`), "");
  if (report.engineComparison) lines.push(...comparisonSection(report.engineComparison));
  return `${lines.join("\n")}\n`;
}

/** build --compare-engines: every file that differs, with Info.plist keys one row each. */
function comparisonSection(comparison: EngineComparison): string[] {
  const { engine, files, same } = comparison;
  const side = (s?: { size: number; sha256: string }) => (s ? `${size(s.size)} \`${s.sha256.slice(0, 12)}\`` : "—");
  const rows = files.flatMap((f) => [
    `| \`${cell(f.path)}\` | ${f.status} | ${side(f.native)} | ${side(f.engine)} |`,
    ...(f.plist ?? []).map((k) => `| ↳ \`${cell(k.key)}\` | key | ${cell(k.native ?? "—")} | ${cell(k.engine ?? "—")} |`),
  ]);
  return [`### Native builder vs ${engine}`, "", `${files.length} file${files.length === 1 ? "" : "s"} differ, ${same} identical.`, "", ...(files.length ? [`| file | difference | native | ${engine} |`, "|---|---|---|---|", ...rows, ""] : [])];
}

/** The job summary of verify: the verdict, the signatures checked, and every problem. */
export function verifySummary(found: VerifyFindings, shown: string): string {
  const lines = [
    `## 4dbuild verify: ${found.ok ? "OK" : `${found.problems.length} problem${found.problems.length === 1 ? "" : "s"}`}`,
    "",
    `\`${cell(shown)}\`: ${found.checked} file${found.checked === 1 ? "" : "s"} checked against SHA256SUMS, ${found.signatures.length} signature${found.signatures.length === 1 ? "" : "s"} verified.`,
    "",
  ];
  if (found.signatures.length) lines.push("| signature | signed by |", "|---|---|", ...found.signatures.map((s) => `| \`${cell(s.file)}\` | ${cell(s.signer)} |`), "");
  if (found.problems.length) lines.push("| file | problem |", "|---|---|", ...found.problems.map((p) => `| \`${cell(p.file)}\` | ${cell(p.problem)} |`), "");
  return `${lines.join("\n")}\n`;
}

/** One annotation of the run, as the summary lists it: severity, place, message. */
export interface Annotation {
  severity: string;
  place?: string;
  message: string;
}

const annotationLines = (annotations: readonly Annotation[]) =>
  annotations.length ? ["| severity | where | message |", "|---|---|---|", ...annotations.map((a) => `| ${a.severity} | ${a.place ? `\`${cell(a.place)}\`` : ""} | ${cell(a.message.replace(/\n/g, " "))} |`), ""] : [];

/** The job summary of validate: the verdict for the manifest and the units checked, and every problem. */
export function validateSummary(manifest: string, units: string, annotations: readonly Annotation[]): string {
  const errors = annotations.filter((a) => a.severity === "error").length;
  const warnings = annotations.filter((a) => a.severity === "warning").length;
  const verdict = errors ? `${errors} error${errors === 1 ? "" : "s"}` : "valid";
  return [`## 4dbuild validate: ${verdict}`, "", `\`${cell(manifest)}\` for ${units}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}.`, "", ...annotationLines(annotations)].join("\n") + "\n";
}

/** The job summary of plan: the plan as the CLI prints it. */
export const planSummary = (manifest: string, text: string): string => `## 4dbuild plan: \`${cell(manifest)}\`\n\n\`\`\`\n${text.trimEnd()}\n\`\`\`\n`;

/** The job summary of matrix: one row per job, with the inputs its build step takes. */
export function matrixSummary(entries: readonly { os: string; targets: string; platforms: string; name: string; reason: string }[]): string {
  return [
    `## 4dbuild matrix: ${entries.length} job${entries.length === 1 ? "" : "s"}`,
    "",
    "| runner | targets | platforms | artifact name | why there |",
    "|---|---|---|---|---|",
    ...entries.map((e) => `| ${e.os} | ${cell(e.targets)} | ${cell(e.platforms) || "—"} | ${cell(e.name)} | ${cell(e.reason)} |`),
    "",
  ].join("\n") + "\n";
}

/** What merge adds to the release table: the inputs it verified, and the outputs not merged. */
export function mergeNotes(inputs: readonly string[], omitted: readonly { target: string; platform?: string; path: string }[]): string {
  const lines = ["### Inputs verified", "", ...inputs.map((i) => `- \`${cell(i)}\`: every file matches its SHA256SUMS, every signature its file`), ""];
  if (omitted.length) lines.push("### Not merged (absent from their folder, e.g. application trees not uploaded)", "", ...omitted.map((t) => `- ${t.target}${t.platform ? ` (${t.platform})` : ""}: \`${cell(t.path)}\``), "");
  return `${lines.join("\n")}\n`;
}

/** The job summary of a failed command: what failed and why, what to do, and every annotation of the run. */
export function failureSummary(command: string, message: string, hint: string | undefined, annotations: readonly Annotation[]): string {
  const lines = [`## 4dbuild ${command} failed`, "", `**${cell(message.replace(/\n/g, " "))}**`, ""];
  if (hint) lines.push(`hint: ${cell(hint)}`, "");
  if (annotations.length) lines.push("### Annotations", "", ...annotationLines(annotations));
  return `${lines.join("\n")}\n`;
}
