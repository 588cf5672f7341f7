import type { Redactor } from "./redactor.js";
import { printable } from "./text.js";

export type Severity = "error" | "warning" | "notice";

/** One problem found in an input, located in a file when possible. */
export interface Diagnostic {
  severity: Severity;
  /** Stable identifier of the kind of problem, e.g. "unknown-key". */
  code: string;
  message: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** What to do about it. */
  hint?: string;
  /** JSON pointer of the manifest value concerned, e.g. "/targets/server/port". */
  pointer?: string;
}

export type OutputFormat = "text" | "json" | "github";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "github"];

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === "error");

/** Stable order: by file, then position, then message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.message.localeCompare(b.message),
  );
}

export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
export const ansiStyle: Style = { red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
export const plainStyle: Style = { red: String, yellow: String, cyan: String, dim: String, bold: String };

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  return stream.isTTY && !env.NO_COLOR ? ansiStyle : plainStyle;
}

function location(d: Diagnostic): string {
  if (!d.file) return "";
  return d.line ? `${d.file}:${d.line}:${d.column ?? 1}: ` : `${d.file}: `;
}

/** Characters of a line a code frame shows: a longer one (a minified or hostile file) shows a window around the column. */
const FRAME_WIDTH = 160;

function window(line: string, column: number): { text: string; shift: number } {
  if (line.length <= FRAME_WIDTH) return { text: line, shift: 0 };
  const start = Math.max(0, Math.min(column - 1 - FRAME_WIDTH / 2, line.length - FRAME_WIDTH));
  const text = `${start > 0 ? "…" : ""}${line.slice(start, start + FRAME_WIDTH)}${start + FRAME_WIDTH < line.length ? "…" : ""}`;
  return { text, shift: start - (start > 0 ? 1 : 0) };
}

/** Two lines of context before the problem, a caret line under it. */
export function codeFrame(source: string, d: Diagnostic, style: Style = plainStyle): string {
  if (!d.line) return "";
  const lines = source.split(/\r\n|\r|\n/);
  const first = Math.max(1, d.line - 2);
  const width = String(d.line).length;
  const out: string[] = [];
  const at = window(lines[d.line - 1] ?? "", d.column ?? 1);
  for (let n = first; n <= d.line && n <= lines.length; n++) {
    const marker = n === d.line ? style.red(">") : " ";
    out.push(`${marker} ${style.dim(String(n).padStart(width))} | ${n === d.line ? at.text : window(lines[n - 1]!, 1).text}`);
  }
  const column = (d.column ?? 1) - at.shift;
  const lineText = at.text;
  const end = d.endLine === d.line && d.endColumn && d.endColumn - at.shift > column ? d.endColumn - at.shift : lineText.length + 1;
  const length = Math.max(1, Math.min(end, lineText.length + 1) - column);
  out.push(`  ${" ".repeat(width)} | ${" ".repeat(column - 1)}${style.red("^".repeat(length))}`);
  return out.join("\n");
}

/** The lines a code frame shows, made printable (columns may shift on those lines only; the caret is a guide). */
function printableLines(source: string, line: number | undefined): string {
  if (!line) return source;
  const lines = source.split(/\r\n|\r|\n/);
  for (let n = Math.max(0, line - 3); n < line && n < lines.length; n++) lines[n] = printable(lines[n]!);
  return lines.join("\n");
}

export interface FormatOptions {
  format: OutputFormat;
  /** Source texts by file name, for code frames. */
  sources?: ReadonlyMap<string, string>;
  style?: Style;
  redactor?: Redactor;
}

function formatText(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const style = options.style ?? plainStyle;
  const blocks = diagnostics.map((d) => {
    const label = d.severity === "error" ? style.red("error") : d.severity === "warning" ? style.yellow("warning") : style.cyan("notice");
    const lines = [`${printable(location(d))}${label}: ${style.bold(printable(d.message))} ${style.dim(`[${d.code}]`)}`];
    const source = d.file ? options.sources?.get(d.file) : undefined;
    if (source !== undefined) {
      const frame = codeFrame(printableLines(source, d.line), d, style);
      if (frame) lines.push(frame);
    }
    if (d.hint) lines.push(`  ${style.cyan("hint")}: ${printable(d.hint)}`);
    return lines.join("\n");
  });
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  if (diagnostics.length > 0) blocks.push(`${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
  return blocks.length ? `${blocks.join("\n\n")}\n` : "";
}

// Workflow-command escaping: https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const properties: string[] = [];
      if (d.file) properties.push(`file=${escapeProperty(d.file)}`);
      if (d.line) properties.push(`line=${d.line}`);
      if (d.column) properties.push(`col=${d.column}`);
      if (d.endLine) properties.push(`endLine=${d.endLine}`);
      if (d.endColumn) properties.push(`endColumn=${d.endColumn}`);
      properties.push(`title=${escapeProperty(`4dbuild ${d.code}`)}`);
      const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
      return `::${d.severity} ${properties.join(",")}::${escapeData(message)}\n`;
    })
    .join("");
}

/**
 * Diagnostics as text, JSON or workflow annotations. With a redactor, each field is masked before it is escaped
 * or framed, and the whole text again after.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const { redactor } = options;
  const masked = redactor ? diagnostics.map((d) => ({ ...d, message: redactor.redact(d.message), ...(d.hint ? { hint: redactor.redact(d.hint) } : {}), ...(d.file ? { file: redactor.redact(d.file) } : {}) })) : diagnostics;
  const sorted = sortDiagnostics(masked);
  let text: string;
  if (options.format === "json") text = `${JSON.stringify({ valid: !hasErrors(sorted), diagnostics: sorted }, null, 2)}\n`;
  else if (options.format === "github") text = formatGithub(sorted);
  else text = formatText(sorted, options);
  return options.redactor ? options.redactor.redact(text) : text;
}
