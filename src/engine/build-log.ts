import { XMLParser } from "fast-xml-parser";
import type { Diagnostic, Severity } from "../messages/diagnostics.js";

/**
 * One entry of 4D's BuildApp.log.xml: <BuildApplicationLog> holds one <Log> per entry with <MessageType>,
 * <Target>, <CodeDesc>, <CodeId>, <Message> (build-outputs.md §18, from real logs: the v19 R8 Windows log in
 * ../shared/corpus/buildapp/). Only "Comment" was ever seen as MessageType; the values for errors and warnings
 * are not documented (§22.11), hence the rule in `severityOf`.
 */
export interface BuildLogEntry {
  type: string;
  target: string;
  codeDesc: string;
  codeId: string;
  message: string;
  /** 1-based line and column of the entry's <Log> element in the file. */
  line: number;
  column: number;
}

/**
 * An entry's severity. Uncertain (4D does not document it), so the rule is broad: a MessageType naming an
 * error or a warning is one; a non-zero CodeId on an entry that is not a Comment is an error; the rest
 * (comments, "Copying license file" with CodeId 0) is information.
 */
export function severityOf(entry: Pick<BuildLogEntry, "type" | "codeId">): Severity {
  if (/error/i.test(entry.type)) return "error";
  if (/warn/i.test(entry.type)) return "warning";
  if (!/^comment$/i.test(entry.type) && entry.codeId.trim() !== "" && entry.codeId.trim() !== "0") return "error";
  return "notice";
}

const text = (value: unknown): string => (value === undefined || value === null ? "" : String(value).trim());

/** Where each <Log> element starts, in order (the parser gives no positions). */
function logPositions(xml: string): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  const pattern = /<Log>/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(xml))) {
    const before = xml.slice(0, match.index);
    const line = before.split("\n").length;
    out.push({ line, column: match.index - before.lastIndexOf("\n") });
  }
  return out;
}

/** The entries of a BuildApp.log.xml (v17 R6 logs are on one line, v19+ indented: both read). */
export function parseBuildLog(xml: string): BuildLogEntry[] {
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: true, isArray: (name) => name === "Log" });
  const root = (parser.parse(xml) as { BuildApplicationLog?: { Log?: Record<string, unknown>[] } | string }).BuildApplicationLog;
  const logs = typeof root === "object" && root?.Log ? root.Log : [];
  const positions = logPositions(xml);
  return logs.map((log, i) => ({
    type: text(log.MessageType),
    target: text(log.Target),
    codeDesc: text(log.CodeDesc),
    codeId: text(log.CodeId),
    message: text(log.Message),
    line: positions[i]?.line ?? 1,
    column: positions[i]?.column ?? 1,
  }));
}

/** The errors and warnings of a 4D build log as diagnostics located in `file` (the log as 4dbuild keeps it). */
export function buildLogDiagnostics(entries: readonly BuildLogEntry[], file: string): Diagnostic[] {
  return entries.flatMap((entry): Diagnostic[] => {
    const severity = severityOf(entry);
    if (severity === "notice") return [];
    const code = entry.codeDesc && entry.codeDesc !== "NO_ERR" ? ` [${entry.codeDesc}${entry.codeId && entry.codeId !== "0" ? ` ${entry.codeId}` : ""}]` : "";
    return [{ severity, code: "4d-build-log", message: `4D (${entry.target || "build"}): ${entry.message}${code}`, file, line: entry.line, column: entry.column }];
  });
}
