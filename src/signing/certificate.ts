import { readFileSync } from "node:fs";
import forge from "node-forge";
import { BuildError } from "../messages/errors.js";
import { withNodePkcs12Kdf } from "./pkcs12-kdf.js";

/** Where a PKCS#12 comes from: a file, or its base64 text (a secret); its password is a secret too. */
export interface CertificateSource {
  p12?: string;
  p12Base64?: string;
  password?: string;
}

export interface SigningIdentity {
  certificate: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  /** The other certificates of the file (intermediates, root), as given. */
  chain: forge.pki.Certificate[];
}

/** What `cert inspect` prints and the preflight checks: nothing secret. */
export interface CertificateInfo {
  /** The common name: the identity macOS codesign and 4D's MacCertificate expect. */
  identity: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sha1: string;
  selfSigned: boolean;
  codeSigning: boolean;
  /** Subjects from the signing certificate up, as far as the file's certificates link by issuer. */
  chain: string[];
}

const dn = (attributes: forge.pki.CertificateField[]) => attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(", ");

function p12Bytes(source: CertificateSource, what: string): string {
  if (source.p12Base64 !== undefined) {
    const text = source.p12Base64.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new BuildError(`${what} is not base64 text`, "encode the .p12 file with: base64 -i certificate.p12 (macOS) or base64 -w0 certificate.p12 (Linux)");
    return forge.util.decode64(text);
  }
  if (source.p12 === undefined) throw new BuildError(`${what}: no PKCS#12 given`, "set p12 (a file) or p12Base64 (a secret)");
  return readFileSync(source.p12).toString("binary");
}

/** The PKCS#12 bytes, for tools that read the file themselves (security import, signing commands). */
export const p12Buffer = (source: CertificateSource, what = "signing.certificate"): Buffer => Buffer.from(p12Bytes(source, what), "binary");

/** Reads the key and certificates of a PKCS#12. Errors never quote the file, the password or their bytes. */
export function loadIdentity(source: CertificateSource, what = "signing.certificate"): SigningIdentity {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = withNodePkcs12Kdf(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12Bytes(source, what)), false, source.password ?? ""));
  } catch (error) {
    if (error instanceof BuildError) throw error;
    const message = (error as Error).message ?? "";
    const wrongPassword = /mac|password|decrypt|invalid/i.test(message) && !/too few bytes|unknown/i.test(message);
    throw new BuildError(wrongPassword ? `${what}: the password does not open the PKCS#12` : `${what} is not a readable PKCS#12 (.p12/.pfx) file`, wrongPassword ? "check the password secret" : "export the certificate with its private key as .p12 (Keychain Access: Export, or openssl pkcs12 -export)");
  }
  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).map((b) => b.cert).filter((c): c is forge.pki.Certificate => c !== undefined);
  const keyBags = [...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []), ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? [])];
  const key = keyBags.map((b) => b.key).find((k): k is forge.pki.rsa.PrivateKey => k !== undefined && "d" in k);
  if (!key) throw new BuildError(`${what} holds no RSA private key`, "export the certificate together with its private key");
  const certificate = certificates.find((c) => {
    const publicKey = c.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n?.equals(key.n) === true;
  });
  if (!certificate) throw new BuildError(`${what} holds no certificate for its private key`, "export the certificate together with its private key");
  return { certificate, key, chain: certificates.filter((c) => c !== certificate) };
}

/** A certificate's public facts. */
export function describe(identity: Pick<SigningIdentity, "certificate" | "chain">): CertificateInfo {
  const { certificate } = identity;
  const extendedKeyUsage = certificate.getExtension("extKeyUsage") as { codeSigning?: boolean } | null;
  const chain = [dn(certificate.subject.attributes)];
  let current = certificate;
  for (let i = 0; i < identity.chain.length; i++) {
    const issuer = identity.chain.find((c) => c !== current && c.subject.hash === current.issuer.hash);
    if (!issuer || chain.includes(dn(issuer.subject.attributes))) break;
    chain.push(dn(issuer.subject.attributes));
    current = issuer;
  }
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes();
  return {
    identity: String(certificate.subject.getField("CN")?.value ?? dn(certificate.subject.attributes)),
    subject: dn(certificate.subject.attributes),
    issuer: dn(certificate.issuer.attributes),
    serialNumber: certificate.serialNumber,
    notBefore: certificate.validity.notBefore.toISOString(),
    notAfter: certificate.validity.notAfter.toISOString(),
    sha1: forge.md.sha1.create().update(der).digest().toHex().toUpperCase(),
    selfSigned: certificate.subject.hash === certificate.issuer.hash,
    codeSigning: extendedKeyUsage?.codeSigning === true,
    chain,
  };
}

export interface CertificateFinding {
  severity: "error" | "warning";
  message: string;
  hint?: string;
}

const DAY_MS = 86_400_000;

/** Preflight: expired or not yet valid (error), expiring within 30 days (warning), no code-signing usage. */
export function checkCertificate(info: CertificateInfo, now: Date, needsCodeSigning: boolean): CertificateFinding[] {
  const findings: CertificateFinding[] = [];
  const notAfter = new Date(info.notAfter);
  const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (notAfter <= now) findings.push({ severity: "error", message: `the signing certificate "${info.identity}" expired on ${info.notAfter.slice(0, 10)}`, hint: "renew it (or create a new one with 4dbuild cert create) and update the secret" });
  else if (days < 30) findings.push({ severity: "warning", message: `the signing certificate "${info.identity}" expires in ${days} day${days === 1 ? "" : "s"} (${info.notAfter.slice(0, 10)})`, hint: "renew it before it expires" });
  if (new Date(info.notBefore) > now) findings.push({ severity: "error", message: `the signing certificate "${info.identity}" is not valid before ${info.notBefore.slice(0, 10)}` });
  if (!info.codeSigning)
    findings.push({ severity: needsCodeSigning ? "error" : "warning", message: `the signing certificate "${info.identity}" is not for code signing (no codeSigning extended key usage)`, hint: "use a Developer ID Application or code-signing certificate" });
  return findings;
}
