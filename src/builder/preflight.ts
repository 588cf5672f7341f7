import path from "node:path";
import type { Diagnostic } from "../messages/diagnostics.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import type { Redactor } from "../messages/redactor.js";
import { checkCertificate, describe, loadIdentity, type CertificateSource, type SigningIdentity } from "../signing/certificate.js";
import { isAppUnit, type BuildUnit } from "./units.js";
import { BuildError } from "../messages/errors.js";
import { macIdentity } from "./steps/sign.js";

export interface Preflight {
  signing?: { identity: SigningIdentity; source: CertificateSource };
  warnings: Diagnostic[];
}

/**
 * Checks made before any build step, so that a release does not fail after minutes of work: the signing
 * certificate opens and is valid now (expired: error, within 30 days: warning), and macOS signing that is
 * required can happen on this host.
 */
export function preflight(plan: ReadonlyBuildPlan, units: readonly BuildUnit[], options: { host: NodeJS.Platform; now: Date; redactor: Redactor }): Preflight {
  const { host, now, redactor } = options;
  const warnings: Diagnostic[] = [];
  const signing = plan.config.signing;
  const macUnits = units.some((u) => (isAppUnit(u) && u.platform === "mac") || u.target === "component");
  const identity = macIdentity(plan);
  if (macUnits && identity && host !== "darwin") {
    if (signing.mac.required) throw new BuildError(`signing.mac.required is true, but macOS code signing needs a macOS host and this build runs on ${host}`, "run the macOS targets on a macOS runner (4dbuild matrix), or build them here with --platform win");
    if (identity !== "-") warnings.push({ severity: "warning", code: "unsigned-mac", message: `macOS code signing skipped: it needs a macOS host and this build runs on ${host}; the macOS applications are not signed with "${identity}"` });
  }
  if (!signing.certificate) return { warnings };
  const { p12, p12Base64, password } = signing.certificate;
  // Secret whatever their origin: a literal in the manifest is already warned about, never printed.
  for (const secret of [p12Base64, password]) if (secret) redactor.add(secret);
  const source: CertificateSource = { ...(p12 ? { p12: path.resolve(plan.baseDir, p12) } : {}), ...(p12Base64 !== undefined ? { p12Base64 } : {}), ...(password !== undefined ? { password } : {}) };
  const loaded = loadIdentity(source);
  const codeSigned = Boolean((identity && identity !== "-") || signing.win);
  for (const finding of checkCertificate(describe(loaded), now, codeSigned)) {
    if (finding.severity === "error") throw new BuildError(finding.message, finding.hint);
    warnings.push({ severity: "warning", code: "certificate", message: finding.message });
  }
  return { signing: { identity: loaded, source }, warnings };
}
