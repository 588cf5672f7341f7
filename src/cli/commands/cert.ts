import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ExitCode, UsageError } from "../../messages/errors.js";
import { checkCertificate, describe, loadIdentity, type CertificateSource } from "../../signing/certificate.js";
import { createCodeSigningCertificate } from "../../signing/create.js";
import type { CliIO } from "../io.js";
import { requirePlan } from "../manifest-input.js";

export interface CertInspectOptions {
  p12?: string;
  passwordEnv?: string;
  manifest: string;
  format: "text" | "json";
}

/** The certificate of --p12, else the manifest's signing.certificate. */
function sourceFor(io: CliIO, options: CertInspectOptions): CertificateSource {
  if (options.p12) {
    const password = options.passwordEnv ? io.env[options.passwordEnv] : undefined;
    if (options.passwordEnv && password === undefined) throw new UsageError(`the environment variable ${options.passwordEnv} is not set`, "export it, or leave --password-env out for a .p12 without password");
    return { p12: path.resolve(io.cwd, options.p12), ...(password !== undefined ? { password } : {}) };
  }
  const { plan } = requirePlan(io, options.manifest);
  const certificate = plan.config.signing.certificate;
  if (!certificate) throw new UsageError(`${options.manifest} has no signing.certificate`, "pass --p12 FILE (and --password-env NAME), or add signing.certificate to the manifest");
  return { ...(certificate.p12 ? { p12: path.resolve(plan.baseDir, certificate.p12) } : {}), ...(certificate.p12Base64 !== undefined ? { p12Base64: certificate.p12Base64 } : {}), ...(certificate.password !== undefined ? { password: certificate.password } : {}) };
}

/** Prints what the certificate is, without its key, password or bytes; exit 1 when it cannot sign now. */
export function certInspectCommand(io: CliIO, options: CertInspectOptions, now = new Date()): number {
  const info = describe(loadIdentity(sourceFor(io, options), options.p12 ? path.basename(options.p12) : "signing.certificate"));
  const findings = checkCertificate(info, now, true);
  if (options.format === "json") io.stdout.write(`${JSON.stringify({ ...info, findings }, null, 2)}\n`);
  else {
    const days = Math.floor((new Date(info.notAfter).getTime() - now.getTime()) / 86_400_000);
    const rows: [string, string][] = [
      ["identity", info.identity],
      ["subject", info.subject],
      ["issuer", info.issuer],
      ["serial", info.serialNumber],
      ["valid", `${info.notBefore.slice(0, 10)} → ${info.notAfter.slice(0, 10)} (${days >= 0 ? `${days} days left` : "expired"})`],
      ["SHA-1", info.sha1],
      ["code signing", info.codeSigning ? "yes" : "no"],
      ["self-signed", info.selfSigned ? "yes" : "no"],
      ["chain", info.chain.join(" ← ")],
    ];
    io.stdout.write(rows.map(([k, v]) => `${k.padEnd(13)}${v}\n`).join(""));
    for (const f of findings) io.stdout.write(`${f.severity}: ${f.message}${f.hint ? `\n  hint: ${f.hint}` : ""}\n`);
  }
  return findings.some((f) => f.severity === "error") ? ExitCode.invalid : ExitCode.ok;
}

export interface CertCreateOptions {
  name: string;
  days: string;
  start?: string;
  output: string;
  passwordEnv?: string;
}

/** A self-signed code-signing certificate as <slug>.p12, <slug>.cert.pem and <slug>.key.pem (owner-only). */
export function certCreateCommand(io: CliIO, options: CertCreateOptions): number {
  const days = Number(options.days);
  if (!Number.isInteger(days) || days < 1) throw new UsageError(`--days must be a whole number of days, not ${options.days}`);
  const notBefore = options.start ? new Date(options.start) : new Date();
  if (Number.isNaN(notBefore.getTime())) throw new UsageError(`--start must be a date such as 2026-01-31, not ${options.start}`);
  const password = options.passwordEnv ? io.env[options.passwordEnv] : "";
  if (password === undefined) throw new UsageError(`the environment variable ${options.passwordEnv} is not set`);
  const created = createCodeSigningCertificate({ name: options.name, days, notBefore, password });
  const dir = path.resolve(io.cwd, options.output);
  mkdirSync(dir, { recursive: true });
  const slug = options.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-|-$/g, "") || "certificate";
  const files = { p12: path.join(dir, `${slug}.p12`), certificate: path.join(dir, `${slug}.cert.pem`), key: path.join(dir, `${slug}.key.pem`) };
  writeFileSync(files.p12, created.p12, { mode: 0o600 });
  writeFileSync(files.certificate, created.certificatePem);
  writeFileSync(files.key, created.keyPem, { mode: 0o600 });
  const shown = (f: string) => path.relative(io.cwd, f) || f;
  io.stdout.write(`${shown(files.p12)}\n${shown(files.certificate)}\n${shown(files.key)}\n`);
  io.stderr.write(`Self-signed, for internal deployment and tests. Store the .p12 as a secret: base64 < ${shown(files.p12)}\n`);
  return ExitCode.ok;
}
