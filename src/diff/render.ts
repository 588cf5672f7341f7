import type { Diagnostic } from "../messages/diagnostics.js";
import type { ArtifactChange, ManifestDiff, SettingChange } from "./compare.js";
import type { SideReport } from "./manifests.js";

export type DiffFormat = "text" | "markdown" | "json";
export const DIFF_FORMATS: readonly DiffFormat[] = ["text", "markdown", "json"];

/** A diff as rendered: the comparison, and what was compared on each side when known. */
export type RenderedDiff = ManifestDiff & { sides?: { base: SideReport; head: SideReport } };

const show = (value: unknown) => (value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value));
const change = (c: SettingChange) => (c.kind === "added" ? `+ ${c.field}: ${show(c.after)}` : c.kind === "removed" ? `- ${c.field}: ${show(c.before)}` : `~ ${c.field}: ${show(c.before)} → ${show(c.after)}`);
const unit = (a: ArtifactChange) => `${a.target}${a.platform ? ` (${a.platform})` : ""}`;
const hosts = (list: readonly string[]) => (list.length > 1 ? "any build host" : list[0] === "mac" ? "a macOS build host" : "a Windows build host");
const changed = (diff: ManifestDiff) => diff.settings.length > 0 || diff.xml.length > 0 || diff.artifacts.length > 0;
const where = (d: Diagnostic) => (d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ""}` : "");

/** What the reader must know about the sides before the changes: one that does not exist, or cannot be read. */
function sideNotes(diff: RenderedDiff): string[] {
  if (!diff.sides) return [];
  const { base, head } = diff.sides;
  const notes: string[] = [];
  if (base.kind === "none") notes.push(`${base.label} does not exist: everything ${head.label} configures is new.`);
  if (head.kind === "none") notes.push(`${head.label} does not exist: everything ${base.label} configured is gone.`);
  for (const side of [base, head]) if (side.kind !== "none" && !side.compared) notes.push(`${side.label} could not be read: nothing was compared (see its problems).`);
  return notes;
}

const problemSides = (diff: RenderedDiff) => (diff.sides ? [diff.sides.base, diff.sides.head].filter((s) => s.problems.length > 0) : []);
const verdict = (side: SideReport) => (side.problems.some((p) => p.severity === "error") ? "not valid; compared as far as it could be" : "warnings");

function renderText(diff: RenderedDiff): string {
  const lines: string[] = [...sideNotes(diff)];
  if (!changed(diff)) lines.push(`No configuration change between ${diff.base} and ${diff.head}.`);
  else {
    lines.push(`Configuration changes, ${diff.base} → ${diff.head}:`, "");
    for (const c of diff.settings) {
      lines.push(`  ${change(c)}`);
      if (c.note) lines.push(`      ${c.note}`);
    }
    if (diff.artifacts.length > 0) {
      lines.push("", "Artifacts:");
      for (const a of diff.artifacts) lines.push(`  ${a.kind === "added" ? "+" : a.kind === "removed" ? "-" : "~"} ${unit(a)}: ${a.artifact}${a.detail ? ` (${a.detail})` : ""}`);
    }
    for (const x of diff.xml) lines.push("", `buildApp.4DSettings on ${hosts(x.hosts)}:`, ...x.patch.split("\n").map((l) => `  ${l}`));
  }
  for (const side of problemSides(diff)) {
    lines.push("", `Problems of ${side.label} (${verdict(side)}):`);
    for (const p of side.problems) {
      lines.push(`  ${where(p) ? `${where(p)}: ` : ""}${p.severity}: ${p.message} [${p.code}]`);
      if (p.hint) lines.push(`    hint: ${p.hint}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (value: unknown) => (value === undefined ? "—" : `\`${cell(show(value))}\``);

function renderMarkdown(diff: RenderedDiff): string {
  const lines = [`### 4dbuild: build configuration changes`, "", `\`${diff.base}\` → \`${diff.head}\``, ""];
  for (const note of sideNotes(diff)) lines.push(`> ${note}`, "");
  if (!changed(diff)) lines.push("No configuration change.");
  else {
    if (diff.settings.length > 0) {
      lines.push("| setting | before | after | what it means for users |", "|---|---|---|---|");
      for (const c of diff.settings) lines.push(`| \`${c.field}\` | ${code(c.before)} | ${code(c.after)} | ${cell(c.note ?? "")} |`);
    }
    if (diff.artifacts.length > 0) {
      lines.push("", "#### Artifacts", "");
      for (const a of diff.artifacts) lines.push(`- **${a.kind}** ${unit(a)}: \`${a.artifact}\`${a.detail ? ` (${a.detail})` : ""}`);
    }
    for (const x of diff.xml) lines.push("", `<details><summary>buildApp.4DSettings on ${hosts(x.hosts)}</summary>`, "", "```diff", x.patch, "```", "", "</details>");
  }
  for (const side of problemSides(diff)) {
    lines.push("", `#### Problems of \`${side.label}\` (${verdict(side)})`, "");
    for (const p of side.problems) lines.push(`- **${p.severity}** ${where(p) ? `\`${where(p)}\` ` : ""}${cell(p.message)}${p.hint ? ` — ${cell(p.hint)}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

export function renderDiff(diff: RenderedDiff, format: DiffFormat): string {
  if (format === "json") return `${JSON.stringify(diff, null, 2)}\n`;
  return format === "markdown" ? renderMarkdown(diff) : renderText(diff);
}
