import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import forge from "node-forge";
import { sha256File } from "../files/copy.js";
import { BuildError } from "../messages/errors.js";
import { readSignature, verifyDetached } from "../signing/cms.js";

export interface VerifyProblem {
  file: string;
  problem: string;
}

export interface VerifyResult {
  checked: number;
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

/**
 * Checks a build output: every file of SHA256SUMS against its hash, then every .p7s signature (SHA256SUMS.p7s,
 * per-archive ones) against its file; with `trusted`, the signer must be that certificate or issued by it.
 */
export async function verifyOutput(dir: string, options: { trusted?: string } = {}): Promise<VerifyResult> {
  const sums = path.join(dir, "SHA256SUMS");
  if (!existsSync(sums)) throw new BuildError(`${dir} has no SHA256SUMS`, "point verify at the destination folder of a 4dbuild build");
  const trusted = options.trusted ? forge.pki.certificateFromPem(readFileSync(options.trusted, "utf8")) : undefined;
  const result: VerifyResult = { checked: 0, signatures: [], problems: [] };
  const checksums = readChecksums(sums);
  for (const [file, expected] of checksums) {
    result.checked++;
    const absolute = path.join(dir, ...file.split("/"));
    if (!existsSync(absolute)) result.problems.push({ file, problem: "missing" });
    else if ((await sha256File(absolute)) !== expected) result.problems.push({ file, problem: "SHA-256 differs from SHA256SUMS" });
  }
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
