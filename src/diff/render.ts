import type { ArtifactChange, ManifestDiff, SettingChange } from "./compare.js";

export type DiffFormat = "text" | "markdown" | "json";
export const DIFF_FORMATS: readonly DiffFormat[] = ["text", "markdown", "json"];

const show = (value: unknown) => (value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value));
const change = (c: SettingChange) => (c.kind === "added" ? `+ ${c.field}: ${show(c.after)}` : c.kind === "removed" ? `- ${c.field}: ${show(c.before)}` : `~ ${c.field}: ${show(c.before)} → ${show(c.after)}`);
const unit = (a: ArtifactChange) => `${a.target}${a.platform ? ` (${a.platform})` : ""}`;
const hosts = (list: readonly string[]) => (list.length > 1 ? "any build host" : list[0] === "mac" ? "a macOS build host" : "a Windows build host");

function renderText(diff: ManifestDiff): string {
  if (diff.settings.length === 0) return `No configuration change between ${diff.base} and ${diff.head}.\n`;
  const lines = [`Configuration changes, ${diff.base} → ${diff.head}:`, ""];
  for (const c of diff.settings) {
    lines.push(`  ${change(c)}`);
    if (c.note) lines.push(`      ${c.note}`);
  }
  if (diff.artifacts.length > 0) {
    lines.push("", "Artifacts:");
    for (const a of diff.artifacts) lines.push(`  ${a.kind === "added" ? "+" : a.kind === "removed" ? "-" : "~"} ${unit(a)}: ${a.artifact}${a.detail ? ` (${a.detail})` : ""}`);
  }
  for (const x of diff.xml) lines.push("", `buildApp.4DSettings on ${hosts(x.hosts)}:`, ...x.patch.split("\n").map((l) => `  ${l}`));
  return `${lines.join("\n")}\n`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (value: unknown) => (value === undefined ? "—" : `\`${cell(show(value))}\``);

function renderMarkdown(diff: ManifestDiff): string {
  const lines = [`### 4dbuild: build configuration changes`, "", `\`${diff.base}\` → \`${diff.head}\``, ""];
  if (diff.settings.length === 0) return `${lines.join("\n")}No configuration change.\n`;
  lines.push("| setting | before | after | what it means for users |", "|---|---|---|---|");
  for (const c of diff.settings) lines.push(`| \`${c.field}\` | ${code(c.before)} | ${code(c.after)} | ${cell(c.note ?? "")} |`);
  if (diff.artifacts.length > 0) {
    lines.push("", "#### Artifacts", "");
    for (const a of diff.artifacts) lines.push(`- **${a.kind}** ${unit(a)}: \`${a.artifact}\`${a.detail ? ` (${a.detail})` : ""}`);
  }
  for (const x of diff.xml) lines.push("", `<details><summary>buildApp.4DSettings on ${hosts(x.hosts)}</summary>`, "", "```diff", x.patch, "```", "", "</details>");
  return `${lines.join("\n")}\n`;
}

export function renderDiff(diff: ManifestDiff, format: DiffFormat): string {
  if (format === "json") return `${JSON.stringify(diff, null, 2)}\n`;
  return format === "markdown" ? renderMarkdown(diff) : renderText(diff);
}
