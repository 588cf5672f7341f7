import { readFileSync } from "node:fs";
import type { Diagnostic } from "../messages/diagnostics.js";
import { BuildError } from "../messages/errors.js";
import type { EngineComparison } from "./compare-engines.js";

/** The report's file name in a build's destination (and in a merged release set). */
export const REPORT_FILE = "build-report.json";

/** The version of build-report.json this 4dbuild writes and reads. */
export const REPORT_VERSION = 1;

/** One file of a built target, as SHA256SUMS lists it. */
export interface ReportedArtifact {
  /** Relative to the destination, "/" separators. */
  path: string;
  size: number;
  sha256: string;
  target: string;
  platform?: string;
}

/** A target × platform built, and where its output is (a file or a folder, relative to the destination). */
export interface ReportedTarget {
  target: string;
  platform?: string;
  path: string;
  /** Set when the build could not sign macOS code, e.g. "unsigned: must be signed on macOS before it can run on Apple Silicon". */
  signature?: string;
}

/** A plug-in end-user key file written beside an application, and where it must be installed. */
export interface ReportedPluginKey {
  plugin: string;
  target: string;
  platform?: string;
  file: string;
  installTo: string;
}

/** One step of the build: done or skipped (and why), with its duration. */
export interface ReportedStep {
  step: string;
  /** When the step started (ms since 1970). */
  startedAt: number;
  unit?: string;
  status: "done" | "skipped";
  reason?: string;
  durationMs: number;
}

/**
 * build-report.json: what a build (or a merge of several builds) produced. Written by the build's report step
 * and by merge, read by merge, verify and the Action through `readBuildReport`. Secrets are masked in it.
 */
export interface BuildReport {
  reportVersion: typeof REPORT_VERSION;
  name: string;
  fourDVersion: string;
  /** The date stamped on every output (SOURCE_DATE_EPOCH), seconds since 1970. */
  sourceDateEpoch: number;
  /** A merged report: how many build outputs it combines. */
  mergedFrom?: number;
  targets: ReportedTarget[];
  /** Every file of every target, in byte order of the paths. */
  artifacts: ReportedArtifact[];
  /** Detached signatures (.p7s), relative to the destination. */
  signatures: string[];
  pluginKeys: ReportedPluginKey[];
  /** The steps of the build, in order; absent from a merged report (each runner's report has its own). */
  steps?: ReportedStep[];
  warnings: Diagnostic[];
  /** build --compare-engines: where 4dbuild's native builder departs from 4D's (secrets masked). */
  engineComparison?: EngineComparison;
}

/** What a value must be: a scalar kind, an object (keys ending in "?" are optional) or a list of one shape. */
type Shape = "string" | "count" | "sha256" | "status" | "severity" | { readonly [key: string]: Shape } | readonly [Shape];

const SCALARS: Record<string, [(value: unknown) => boolean, string]> = {
  string: [(v) => typeof v === "string", "a string"],
  count: [(v) => typeof v === "number" && Number.isInteger(v) && v >= 0, "a whole number"],
  sha256: [(v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v), "a SHA-256 (64 lowercase hex digits)"],
  status: [(v) => v === "done" || v === "skipped", '"done" or "skipped"'],
  severity: [(v) => v === "error" || v === "warning" || v === "notice", '"error", "warning" or "notice"'],
};

const TARGET: Shape = { target: "string", "platform?": "string", path: "string", "signature?": "string" };
const REPORT: Shape = {
  name: "string",
  fourDVersion: "string",
  sourceDateEpoch: "count",
  "mergedFrom?": "count",
  targets: [TARGET],
  artifacts: [{ path: "string", size: "count", sha256: "sha256", target: "string", "platform?": "string" }],
  signatures: ["string"],
  pluginKeys: [{ plugin: "string", target: "string", "platform?": "string", file: "string", installTo: "string" }],
  "steps?": [{ step: "string", startedAt: "count", "unit?": "string", status: "status", "reason?": "string", durationMs: "count" }],
  warnings: [{ severity: "severity", code: "string", message: "string" }],
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The first place where `value` does not have `shape`, as "field: what it must be"; undefined when it does. */
function mismatch(value: unknown, shape: Shape, at: string): string | undefined {
  if (typeof shape === "string") {
    const [ok, what] = SCALARS[shape]!;
    return ok(value) ? undefined : `${at} must be ${what}`;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return `${at} must be a list`;
    for (const [i, item] of value.entries()) {
      const found = mismatch(item, shape[0] as Shape, `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return `${at} must be an object`;
  for (const [key, child] of Object.entries(shape as Record<string, Shape>)) {
    const optional = key.endsWith("?");
    const name = optional ? key.slice(0, -1) : key;
    const field = at ? `${at}.${name}` : name;
    if (value[name] === undefined) {
      if (optional) continue;
      return `${field} is missing`;
    }
    const found = mismatch(value[name], child, field);
    if (found) return found;
  }
  return undefined;
}

/**
 * Reads a build-report.json, checking its version and its shape: a missing file, text that is not JSON, a
 * missing or unknown reportVersion or a malformed field is a BuildError naming the file and what is wrong.
 */
export function readBuildReport(file: string): BuildReport {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new BuildError(missing ? `${file} does not exist` : `cannot read ${file}: ${(error as Error).message}`, "give the destination folder of a 4dbuild build (it holds build-report.json)");
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BuildError(`${file} is not valid JSON: ${(error as Error).message}`, "the file is damaged or was edited: build again");
  }
  if (!isObject(data) || data.reportVersion === undefined) {
    throw new BuildError(`${file} is not a 4dbuild build report: it has no reportVersion`, "give the build-report.json a 4dbuild build or merge wrote");
  }
  if (data.reportVersion !== REPORT_VERSION) {
    throw new BuildError(`${file} has reportVersion ${JSON.stringify(data.reportVersion)}, which this 4dbuild does not read (it reads version ${REPORT_VERSION})`, "read it with the 4dbuild version that wrote it, or build again with this one");
  }
  const problem = mismatch(data, REPORT, "");
  if (problem) throw new BuildError(`${file} is malformed: ${problem}`, "the file is damaged or was edited: build again");
  return data as unknown as BuildReport;
}
