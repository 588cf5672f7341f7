import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import forge from "node-forge";
import { runBuild } from "../builder/build.js";
import { JOURNAL, recoverCommit } from "../builder/commit.js";
import { acquireLock } from "../builder/lock.js";
import { createLogger } from "../builder/logger.js";
import { sha256File } from "../files/copy.js";
import { walkTree } from "../files/tree.js";
import { openManifest, type ManifestOptions, type OpenedManifest } from "../manifest/open.js";
import type { Platform, TargetName } from "../manifest/targets.js";
import { BuildError, UsageError, UserError } from "../messages/errors.js";
import { readSignature, verifyDetached } from "../signing/cms.js";
import { readBuildReport, REPORT_FILE } from "./report.js";

export interface VerifyProblem {
  file: string;
  problem: string;
}

export interface VerifyResult {
  checked: number;
  /** Targets the build report marks as not signed (macOS code assembled on another host), with the mark. */
  unsigned: { path: string; signature: string }[];
  signatures: { file: string; signer: string }[];
  problems: VerifyProblem[];
}

/** The entries of a SHA256SUMS file: path → hash. */
export function readChecksums(file: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match) entries.set(match[2]!, match[1]!);
  }
  return entries;
}

/** The files of a build output besides its targets: the sums, their signature, the report and the build log. */
const BOOKKEEPING = new Set(["SHA256SUMS", "SHA256SUMS.p7s", REPORT_FILE, "BuildApp.log.xml"]);

/**
 * Regular files in `dir` that no entry of SHA256SUMS covers (a stale target an older build left, a file added
 * later), apart from the build's own files and each covered file's `.p7s`. The entries 4dbuild itself keeps at
 * the top while it runs (lock, staging, journal: dot names) are left out. Symbolic links inside application
 * bundles are not hashed by SHA256SUMS either, so only regular files count.
 */
async function uncovered(dir: string, checksums: ReadonlyMap<string, string>): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await walkTree(dir, dir, "keep")) {
    if (entry.kind !== "file" || entry.relative.startsWith(".4dbuild")) continue;
    const covered = checksums.has(entry.relative) || BOOKKEEPING.has(entry.relative) || (entry.relative.endsWith(".p7s") && checksums.has(entry.relative.slice(0, -4)));
    if (!covered) found.push(entry.relative);
  }
  return found;
}

/** Whether the signer is the trusted certificate or was issued (signed) by it. */
function trustedBy(signer: forge.pki.Certificate, trusted: forge.pki.Certificate): boolean {
  const der = (c: forge.pki.Certificate) => forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes();
  if (der(signer) === der(trusted)) return true;
  try {
    return trusted.verify(signer);
  } catch {
    return false;
  }
}

function readTrusted(file: string): forge.pki.Certificate {
  if (!existsSync(file)) throw new UsageError(`the trusted certificate ${file} does not exist`, "give the PEM file of the certificate the signatures must be made by");
  try {
    return forge.pki.certificateFromPem(readFileSync(file, "utf8"));
  } catch (error) {
    throw new BuildError(`${file} is not a PEM certificate: ${(error as Error).message}`, "give the certificate in PEM form (-----BEGIN CERTIFICATE-----), e.g. the one 4dbuild cert create wrote");
  }
}

/**
 * Checks a build output: every file of SHA256SUMS against its hash, then every .p7s signature (SHA256SUMS.p7s,
 * per-archive ones) against its file; with `trusted`, the signer must be that certificate or issued by it.
 */
export async function verifyOutput(dir: string, options: { trusted?: string } = {}): Promise<VerifyResult> {
  const sums = path.join(dir, "SHA256SUMS");
  if (!existsSync(sums)) throw new BuildError(`${dir} has no SHA256SUMS`, "point verify at the destination folder of a 4dbuild build");
  const trusted = options.trusted ? readTrusted(options.trusted) : undefined;
  const reportFile = path.join(dir, REPORT_FILE);
  const unsigned = existsSync(reportFile) ? readBuildReport(reportFile).targets.flatMap((t) => (t.signature ? [{ path: t.path, signature: t.signature }] : [])) : [];
  const result: VerifyResult = { checked: 0, unsigned, signatures: [], problems: [] };
  const checksums = readChecksums(sums);
  for (const [file, expected] of checksums) {
    result.checked++;
    const absolute = path.join(dir, ...file.split("/"));
    if (!existsSync(absolute)) result.problems.push({ file, problem: "missing" });
    else if ((await sha256File(absolute)) !== expected) result.problems.push({ file, problem: "SHA-256 differs from SHA256SUMS" });
  }
  for (const file of await uncovered(dir, checksums)) result.problems.push({ file, problem: "not covered by SHA256SUMS (left by another build, or added since)" });
  const signed = ["SHA256SUMS", ...[...checksums.keys()].filter((f) => existsSync(path.join(dir, `${f}.p7s`)))];
  for (const file of signed) {
    const signature = path.join(dir, `${file}.p7s`);
    if (!existsSync(signature)) continue;
    const check = verifyDetached(readFileSync(path.join(dir, file)), readSignature(readFileSync(signature)));
    const name = `${file}.p7s`;
    if (!check.valid) result.problems.push({ file: name, problem: check.reason ?? "invalid signature" });
    else if (trusted && !trustedBy(check.signer!, trusted)) result.problems.push({ file: name, problem: "signed by a certificate that is not the trusted one" });
    else result.signatures.push({ file: name, signer: String(check.signer!.subject.getField("CN")?.value ?? "") });
  }
  return result;
}

/** Files whose bytes differ between two build outputs, from their SHA256SUMS (and their signatures). */
export function compareOutputs(first: string, second: string): VerifyProblem[] {
  const a = readChecksums(path.join(first, "SHA256SUMS"));
  const b = readChecksums(path.join(second, "SHA256SUMS"));
  const problems: VerifyProblem[] = [];
  for (const [file, hash] of a) {
    if (!b.has(file)) problems.push({ file, problem: "not produced by the rebuild" });
    else if (b.get(file) !== hash) problems.push({ file, problem: "differs in the rebuild" });
  }
  for (const file of b.keys()) if (!a.has(file)) problems.push({ file, problem: "produced only by the rebuild" });
  for (const file of ["SHA256SUMS", "SHA256SUMS.p7s"]) {
    const [x, y] = [path.join(first, file), path.join(second, file)];
    if (existsSync(x) !== existsSync(y) || (existsSync(x) && !readFileSync(x).equals(readFileSync(y)))) problems.push({ file, problem: "differs in the rebuild" });
  }
  return problems;
}

/** Builds the manifest again, as the output's report says it was built, and lists the files that differ. */
async function rebuild(dir: string, manifest: string, options: ManifestOptions & { signal?: AbortSignal }): Promise<{ problems: VerifyProblem[]; manifest: OpenedManifest }> {
  const report = readBuildReport(path.join(dir, REPORT_FILE));
  const env = options.env ?? process.env;
  const opened = openManifest(manifest, { ...options, env });
  const { plan, redactor } = opened;
  const scratch = mkdtempSync(path.join(tmpdir(), "4dbuild-verify-"));
  try {
    const targets = [...new Set(report.targets.map((t) => t.target as TargetName))];
    const platforms = [...new Set(report.targets.flatMap((t) => (t.platform ? [t.platform as Platform] : [])))];
    const out = path.join(scratch, "out");
    await runBuild(plan, {
      targets,
      ...(platforms.length ? { platforms } : {}),
      out,
      logger: createLogger("text", { write: () => true }, redactor, env),
      env: { ...env, SOURCE_DATE_EPOCH: String(report.sourceDateEpoch) },
      redactor,
      signal: options.signal ?? new AbortController().signal,
    });
    return { problems: compareOutputs(dir, out), manifest: opened };
  } catch (error) {
    throw error instanceof UserError ? error.redact(redactor) : error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A build killed in its commit left a journal: finish or undo that commit (holding the lock) before checking. */
async function recoverInterruptedCommit(dir: string): Promise<void> {
  if (!existsSync(path.join(dir, JOURNAL))) return;
  const release = await acquireLock(dir, 30_000);
  try {
    await recoverCommit(dir);
  } finally {
    await release();
  }
}

export interface VerifyOptions extends Omit<ManifestOptions, "checkFiles" | "version"> {
  /** A trusted certificate (PEM, relative to cwd): every signature must be made by it or by one it issued. */
  cert?: string;
  /** Build this manifest again into a temporary folder and compare every file byte for byte. */
  rebuild?: { manifest: string };
  /** Stops a rebuild: its temporary folder is removed. */
  signal?: AbortSignal;
}

/** What verify found: every problem, each naming the file; `ok` when there is none. */
export interface VerifyFindings extends VerifyResult {
  /** The folder verified, absolute. */
  dir: string;
  /** The output was built again and compared (only when the checksums and signatures were fine). */
  rebuilt: boolean;
  /** The manifest rebuilt (its warnings), when rebuilt. */
  manifest?: OpenedManifest;
  ok: boolean;
}

/**
 * Checks a build output or release set: every checksum and signature (against `cert` when given); with
 * `rebuild`, that building the manifest again gives the same bytes.
 */
export async function verifyBuild(dir: string, options: VerifyOptions = {}): Promise<VerifyFindings> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, dir);
  await recoverInterruptedCommit(absolute);
  const result = await verifyOutput(absolute, options.cert ? { trusted: path.resolve(cwd, options.cert) } : {});
  const problems = [...result.problems];
  const again = options.rebuild && problems.length === 0 ? await rebuild(absolute, options.rebuild.manifest, options) : undefined;
  if (again) problems.push(...again.problems);
  return { ...result, problems, dir: absolute, rebuilt: again !== undefined, ...(again ? { manifest: again.manifest } : {}), ok: problems.length === 0 };
}
