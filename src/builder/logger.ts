import type { Diagnostic } from "../messages/diagnostics.js";
import { formatDiagnostics, styleFor } from "../messages/diagnostics.js";
import type { Redactor } from "../messages/redactor.js";

export type LogFormat = "text" | "json" | "github";
export const LOG_FORMATS: readonly LogFormat[] = ["text", "json", "github"];

/** Where a build reports what it does. Every text goes through the redactor. */
export interface BuildLogger {
  stepStart(step: string, title: string, unit?: string): void;
  stepEnd(step: string, outcome: { unit?: string; skipped?: string; durationMs: number }): void;
  progress(files: number, bytes: number): void;
  info(message: string): void;
  diagnostic(d: Diagnostic): void;
}

export interface LogSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const label = (step: string, unit?: string) => (unit ? `${step} [${unit}]` : step);

export function createLogger(format: LogFormat, sink: LogSink, redactor: Redactor, env: NodeJS.ProcessEnv = process.env): BuildLogger {
  const write = (text: string) => sink.write(redactor.redact(text));
  if (format === "json") {
    const event = (data: Record<string, unknown>) => write(`${JSON.stringify(data)}\n`);
    return {
      stepStart: (step, title, unit) => event({ event: "step-start", step, title, ...(unit ? { unit } : {}) }),
      stepEnd: (step, o) => event({ event: "step-end", step, ...(o.unit ? { unit: o.unit } : {}), status: o.skipped ? "skipped" : "done", ...(o.skipped ? { reason: o.skipped } : {}), durationMs: o.durationMs }),
      progress: () => undefined,
      info: (message) => event({ event: "info", message }),
      diagnostic: (d) => event({ event: "diagnostic", ...d }),
    };
  }
  if (format === "github") {
    return {
      stepStart: (step, title, unit) => write(`::group::${label(step, unit)}: ${title}\n`),
      stepEnd: (_step, o) => write(`${o.skipped ? `skipped: ${o.skipped}\n` : `done in ${seconds(o.durationMs)}\n`}::endgroup::\n`),
      progress: () => undefined,
      info: (message) => write(`${message}\n`),
      diagnostic: (d) => write(formatDiagnostics([d], { format: "github" })),
    };
  }
  // Plain text: one line per step; on a terminal, a live line of files and bytes for long steps.
  const tty = Boolean(sink.isTTY);
  const style = styleFor(sink, env);
  let live = false;
  const clear = () => {
    if (live) write("\r\u001b[2K");
    live = false;
  };
  return {
    stepStart: () => undefined,
    stepEnd: (step, o) => {
      clear();
      write(o.skipped ? `${style.dim(`- ${label(step, o.unit)}: skipped (${o.skipped})`)}\n` : `✓ ${label(step, o.unit)} ${style.dim(seconds(o.durationMs))}\n`);
    },
    progress: (files, bytes) => {
      if (!tty) return;
      write(`\r\u001b[2K  ${files} files, ${megabytes(bytes)}`);
      live = true;
    },
    info: (message) => {
      clear();
      write(`${message}\n`);
    },
    diagnostic: (d) => {
      clear();
      write(formatDiagnostics([d], { format: "text", style }).replace(/\n\d+ errors?, \d+ warnings?\n$/, "\n"));
    },
  };
}
