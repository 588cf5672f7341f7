import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BuildContext } from "../context.js";
import type { BuildStep } from "../step.js";
import { mapInBatches } from "../../files/in-batches.js";
import { compareNames, walkTree } from "../../files/tree.js";
import type { BuildReport, ReportedArtifact } from "../../release/report.js";
import { compareEngineOutputs } from "../../release/compare-engines.js";

export const REPORT_FILES = ["SHA256SUMS", "build-report.json", "BuildApp.log.xml"] as const;

/** Every file of every target built, with its size and SHA-256, in byte order of the paths. */
async function listArtifacts(context: BuildContext): Promise<ReportedArtifact[]> {
  const out: ReportedArtifact[] = [];
  const seen = new Set<string>();
  for (const artifact of context.artifacts.filter((a) => a.kind === "target")) {
    if (seen.has(artifact.path)) continue;
    seen.add(artifact.path);
    const root = path.relative(context.out, artifact.path).split(path.sep).join("/");
    const info = await stat(artifact.path);
    if (info.isFile()) {
      out.push({ path: root, size: info.size, sha256: await context.digests.sha256(artifact.path), target: artifact.target!, ...(artifact.platform ? { platform: artifact.platform } : {}) });
      continue;
    }
    const files = (await walkTree(artifact.path, artifact.path, "keep")).filter((entry) => entry.kind === "file");
    // Most digests are known (learnt while writing): what is left is a stat each.
    const digests = await mapInBatches(files, (entry) => context.digests.sha256(entry.absolute));
    files.forEach((entry, i) => out.push({ path: `${root}/${entry.relative}`, size: entry.size, sha256: digests[i]!, target: artifact.target!, ...(artifact.platform ? { platform: artifact.platform } : {}) }));
  }
  return out.sort((a, b) => compareNames(a.path, b.path));
}

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const timestamp = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
};
/** 4D's Target values (build-outputs.md §18); the one for compiled structures is inferred. */
const LOG_TARGET: Record<string, string> = { compiled: "Common", component: "Component", standalone: "Application", server: "ClientServer", client: "ClientServer" };

/** BuildApp.log.xml in 4D's format, so tools that read 4D's build logs keep working. */
function buildLog(context: BuildContext, artifacts: ReportedArtifact[]): string {
  const entry = (target: string, message: string, type = "Comment") =>
    `  <Log>\n    <MessageType>${type}</MessageType>\n    <Target>${target}</Target>\n    <CodeDesc>${type === "Comment" ? "NO_ERR" : "ERR"}</CodeDesc>\n    <CodeId>0</CodeId>\n    <Message>${xml(message)}</Message>\n  </Log>\n`;
  const entries: string[] = [];
  for (const record of context.records) {
    const target = record.unit ? (LOG_TARGET[record.unit.split(" ")[0]!] ?? "Common") : record.step === "compile" ? "Compilation" : "Common";
    const when = timestamp(new Date(record.startedAt));
    entries.push(entry(target, record.status === "skipped" ? `Skipped "${record.step}": ${record.reason} [${when}]` : `Done "${record.step}"${record.unit ? ` for ${record.unit}` : ""} in ${(record.durationMs / 1000).toFixed(2)} s [${when}]`));
  }
  for (const artifact of artifacts) entries.push(entry(LOG_TARGET[artifact.target] ?? "Common", `Generated file ${artifact.path} (${artifact.size} bytes, SHA-256 ${artifact.sha256})`));
  for (const warning of context.warnings) entries.push(entry("Common", warning.message, "Warning"));
  return `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<BuildApplicationLog>\n\n${entries.join("\n")}\n</BuildApplicationLog>\n`;
}

/**
 * SHA256SUMS over every file of every target, once the code is signed and the archives are made. Digests
 * learnt while archives were written (and their files read) are used as they are; only the rest is read.
 */
export const checksumsStep: BuildStep = {
  name: "checksums",
  title: "write SHA256SUMS",
  scope: "build",
  async run(context) {
    const artifacts = await listArtifacts(context);
    context.reported.push(...artifacts);
    await writeFile(path.join(context.out, "SHA256SUMS"), artifacts.map((a) => `${a.sha256}  ${a.path}\n`).join(""));
  },
};

export const reportStep: BuildStep = {
  name: "report",
  title: "write the build report and build log",
  scope: "build",
  async run(context) {
    const { plan } = context;
    const artifacts = context.reported;
    const report: BuildReport = {
      reportVersion: 1,
      name: plan.config.name,
      fourDVersion: plan.fourD.text,
      sourceDateEpoch: context.sourceDate,
      targets: context.artifacts
        .filter((a) => a.kind === "target")
        .map((a) => ({ target: a.target!, ...(a.platform ? { platform: a.platform } : {}), path: path.relative(context.out, a.path).split(path.sep).join("/"), ...(a.signature ? { signature: a.signature } : {}) })),
      artifacts,
      signatures: context.artifacts.filter((a) => a.kind === "signature").map((a) => path.relative(context.out, a.path).split(path.sep).join("/")),
      pluginKeys: context.artifacts
        .filter((a) => a.kind === "plugin-key")
        .map((a) => ({ plugin: a.plugin!, target: a.target!, platform: a.platform, file: path.relative(context.out, a.path).split(path.sep).join("/"), installTo: a.installTo! })),
      steps: context.records,
      warnings: context.warnings,
      ...(context.compareWith ? { engineComparison: compareEngineOutputs(context.compareWith, { dir: context.out, artifacts }, plan.config.build.engine) } : {}),
    };
    const text = context.redactor.redact(`${JSON.stringify(report, null, 2)}\n`);
    await writeFile(path.join(context.out, "build-report.json"), text);
    // The build's result carries the report as written: with its secrets masked.
    context.report = JSON.parse(text) as BuildReport;
    await writeFile(path.join(context.out, "BuildApp.log.xml"), context.redactor.redact(buildLog(context, artifacts)));
  },
};
