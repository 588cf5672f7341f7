import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { preflight } from "../builder/preflight.js";
import { copyTree } from "../files/copy.js";
import { compareNames } from "../files/tree.js";
import { openManifest, type ManifestOptions, type OpenedManifest } from "../manifest/open.js";
import { BuildError, UserError } from "../messages/errors.js";
import type { SigningIdentity } from "../signing/certificate.js";
import { signDetached, toPem } from "../signing/cms.js";
import { readBuildReport, REPORT_FILE, type BuildReport, type ReportedTarget } from "./report.js";
import { readChecksums, verifyOutput } from "./verify.js";

const inside = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);

/**
 * Checks one build output before it is merged: every file present must have the bytes its SHA256SUMS lists, and
 * every signature (SHA256SUMS.p7s, per-archive .p7s) must match its file, else a BuildError names the file. A
 * target whose whole output is absent (an upload leaves application trees out) is `omitted`: its files are not
 * merged. Any other missing file is an error.
 */
async function checkInput(dir: string, report: BuildReport): Promise<{ omitted: ReportedTarget[]; listed: Map<string, string> }> {
  const omitted = report.targets.filter((t) => !existsSync(path.join(dir, ...t.path.split("/"))));
  const found = await verifyOutput(dir);
  for (const p of found.problems) {
    if (p.problem === "missing" && omitted.some((t) => inside(p.file, t.path))) continue;
    throw new BuildError(`${path.join(dir, p.file)}: ${p.problem === "missing" ? "missing, though its SHA256SUMS lists it" : p.problem}; the outputs were not merged`, "this file changed after its build (or on the way): build it again; never merge outputs that do not verify");
  }
  const listed = readChecksums(path.join(dir, "SHA256SUMS"));
  for (const file of listed.keys()) if (omitted.some((t) => inside(file, t.path))) listed.delete(file);
  return { omitted, listed };
}

export interface MergeOptions {
  /** Signs the merged SHA256SUMS, as a build would. */
  signing?: { identity: SigningIdentity; format?: "der" | "pem" };
}

/**
 * Combines the outputs of several runners (4dbuild matrix) into one release set: every file, one SHA256SUMS,
 * one signature, one build-report.json. Each output is verified first (checkInput): a file that differs from its
 * SHA256SUMS, or a signature that does not match, stops the merge naming the file. The same path with different
 * bytes in two outputs is an error; the per-runner signatures of SHA256SUMS and BuildApp.log.xml files are not
 * carried over. Written atomically.
 */
export async function mergeOutputs(dirs: readonly string[], out: string, options: MergeOptions = {}): Promise<{ files: number; report: BuildReport; omitted: ReportedTarget[] }> {
  if (dirs.length === 0) throw new BuildError("merge needs at least one build output folder");
  const reports: BuildReport[] = [];
  const sums = new Map<string, { hash: string; from: string }>();
  const omitted: ReportedTarget[] = [];
  for (const dir of dirs) {
    for (const file of ["SHA256SUMS", REPORT_FILE]) if (!existsSync(path.join(dir, file))) throw new BuildError(`${dir} has no ${file}`, "merge the destination folders of 4dbuild builds");
    const report = readBuildReport(path.join(dir, REPORT_FILE));
    const checked = await checkInput(dir, report);
    omitted.push(...checked.omitted);
    reports.push({ ...report, targets: report.targets.filter((t) => !checked.omitted.includes(t)), artifacts: report.artifacts.filter((a) => checked.listed.has(a.path)) });
    for (const [file, hash] of checked.listed) {
      const seen = sums.get(file);
      if (seen && seen.hash !== hash) throw new BuildError(`${file} differs between ${seen.from} and ${dir}`, "each target × platform must be built by one runner only");
      sums.set(file, { hash, from: dir });
    }
  }
  const [first] = reports;
  for (const r of reports) if (r.name !== first!.name || r.fourDVersion !== first!.fourDVersion) throw new BuildError(`the outputs are not from the same project and 4D version (${first!.name} ${first!.fourDVersion}, ${r.name} ${r.fourDVersion})`);
  if (new Set(reports.map((r) => r.sourceDateEpoch)).size > 1) throw new BuildError("the outputs were built with different SOURCE_DATE_EPOCH values", "set SOURCE_DATE_EPOCH once for the whole workflow (e.g. the commit time) so that every runner stamps the same date");

  const staging = `${out}.merging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const skip = new Set(["SHA256SUMS", "SHA256SUMS.p7s", "build-report.json", "BuildApp.log.xml"]);
    for (const [i, dir] of dirs.entries()) {
      for (const target of reports[i]!.targets) {
        const source = path.join(dir, target.path);
        if (skip.has(target.path) || !existsSync(source)) continue;
        const destination = path.join(staging, target.path);
        if ((await stat(source)).isFile()) {
          await mkdir(path.dirname(destination), { recursive: true });
          await copyFile(source, destination);
        } else await copyTree(source, destination, { sourceDate: first!.sourceDateEpoch, boundary: source, links: "keep" });
      }
      for (const signature of reports[i]!.signatures) if (!skip.has(signature)) await copyFile(path.join(dir, signature), path.join(staging, signature));
    }
    const sorted = [...sums].sort(([a], [b]) => compareNames(a, b));
    await writeFile(path.join(staging, "SHA256SUMS"), sorted.map(([file, { hash }]) => `${hash}  ${file}\n`).join(""));
    const signatures = [...new Set(reports.flatMap((r) => r.signatures).filter((s) => s !== "SHA256SUMS.p7s"))];
    if (options.signing) {
      const der = signDetached(await readFile(path.join(staging, "SHA256SUMS")), options.signing.identity, new Date(first!.sourceDateEpoch * 1000));
      await writeFile(path.join(staging, "SHA256SUMS.p7s"), options.signing.format === "pem" ? toPem(der) : der);
      signatures.unshift("SHA256SUMS.p7s");
    }
    const merged: BuildReport = {
      reportVersion: 1,
      name: first!.name,
      fourDVersion: first!.fourDVersion,
      sourceDateEpoch: first!.sourceDateEpoch,
      mergedFrom: reports.length,
      targets: reports.flatMap((r) => r.targets),
      artifacts: reports.flatMap((r) => r.artifacts).filter((a, i, all) => all.findIndex((b) => b.path === a.path) === i).sort((a, b) => compareNames(a.path, b.path)),
      signatures,
      pluginKeys: reports.flatMap((r) => r.pluginKeys),
      warnings: reports.flatMap((r) => r.warnings),
    };
    await writeFile(path.join(staging, REPORT_FILE), `${JSON.stringify(merged, null, 2)}\n`);
    await rm(out, { recursive: true, force: true });
    await rename(staging, out);
    return { files: sorted.length, report: merged, omitted };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

export interface MergeBuildsOptions extends Omit<ManifestOptions, "checkFiles" | "version"> {
  /** The merged release folder (relative to cwd), replaced atomically. */
  out: string;
  /** Sign the merged SHA256SUMS with this manifest's signing.certificate (unless signing.checksums.sign is false). */
  manifest?: string;
}

export interface MergeResult {
  /** The merged release folder, absolute. */
  out: string;
  /** Files listed in the merged SHA256SUMS. */
  files: number;
  /** Build outputs combined. */
  from: number;
  /** SHA256SUMS.p7s was written. */
  signed: boolean;
  /** The merged build-report.json. */
  report: BuildReport;
  /** Targets whose output was absent from their folder (application trees an upload leaves out): not merged. */
  omitted: ReportedTarget[];
  /** The manifest whose certificate signed, when one was given. */
  manifest?: OpenedManifest;
}

/**
 * Combines the outputs of several runners into one release set (see mergeOutputs); with `manifest`, signs the
 * merged SHA256SUMS as a build of that manifest would. Errors mention no secret of the manifest.
 */
export async function mergeBuilds(dirs: readonly string[], options: MergeBuildsOptions): Promise<MergeResult> {
  const cwd = options.cwd ?? process.cwd();
  let signing: MergeOptions = {};
  let opened: OpenedManifest | undefined;
  if (options.manifest) {
    opened = openManifest(options.manifest, options);
    const { plan, redactor } = opened;
    const { checksums } = plan.config.signing;
    const checked = preflight(plan, [], { host: process.platform, now: new Date(), redactor });
    if (checked.signing && checksums.sign) signing = { signing: { identity: checked.signing.identity, format: checksums.format } };
  }
  try {
    const out = path.resolve(cwd, options.out);
    const { files, report, omitted } = await mergeOutputs(dirs.map((d) => path.resolve(cwd, d)), out, signing);
    return { out, files, from: dirs.length, signed: Boolean(signing.signing), report, omitted, ...(opened ? { manifest: opened } : {}) };
  } catch (error) {
    throw error instanceof UserError && opened ? error.redact(opened.redactor) : error;
  }
}
