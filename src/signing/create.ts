import { generateKeyPairSync, type KeyObject } from "node:crypto";
import forge from "node-forge";
import { withNodePkcs12Kdf } from "./pkcs12-kdf.js";
import { nodeSigning } from "./rsa.js";

export interface NewCertificate {
  /** The PKCS#12 (key and certificate), DER. */
  p12: Buffer;
  certificatePem: string;
  keyPem: string;
}

/**
 * A self-signed code-signing certificate, as the Build Application dialog offers for internal deployment:
 * RSA 2048, SHA-256, digitalSignature + codeSigning, valid `days` days from `notBefore`; for `key` when given
 * (an RSA private key), else a new one.
 */
export function createCodeSigningCertificate(options: { name: string; days: number; notBefore: Date; password: string; key?: KeyObject }): NewCertificate {
  // Node's own key generation (OpenSSL): forge's, in JavaScript, took about a second.
  const nodeKey = options.key ?? generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 }).privateKey;
  const privateKey = forge.pki.privateKeyFromPem(nodeKey.export({ type: "pkcs1", format: "pem" }).toString()) as forge.pki.rsa.PrivateKey;
  const keys = { privateKey, publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e) };
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  // A positive serial of 16 random bytes (RFC 5280: at most 20 octets, positive).
  certificate.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  certificate.validity.notBefore = options.notBefore;
  certificate.validity.notAfter = new Date(options.notBefore.getTime() + options.days * 86_400_000);
  const subject = [{ name: "commonName", value: options.name }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, critical: true },
    { name: "extKeyUsage", codeSigning: true },
    { name: "subjectKeyIdentifier" },
  ]);
  certificate.sign(nodeSigning(keys.privateKey, nodeKey), forge.md.sha256.create());
  const p12 = withNodePkcs12Kdf(() => forge.pkcs12.toPkcs12Asn1(keys.privateKey, [certificate], options.password, { algorithm: "3des", friendlyName: options.name }));
  return {
    p12: Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary"),
    certificatePem: forge.pki.certificateToPem(certificate),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}
