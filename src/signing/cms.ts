import forge from "node-forge";
import type { SigningIdentity } from "./certificate.js";
import { nodeSigning } from "./rsa.js";

/**
 * A detached CMS (PKCS#7) SignedData over `content`: SHA-256, RSA, the signing certificate and its chain
 * included, signing time = `signingTime` (SOURCE_DATE_EPOCH), so the same inputs give the same bytes.
 */
export function signDetached(content: Buffer, identity: SigningIdentity, signingTime: Date): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(content.toString("binary"));
  for (const certificate of [identity.certificate, ...identity.chain]) p7.addCertificate(certificate);
  p7.addSigner({
    key: nodeSigning(identity.key),
    certificate: identity.certificate,
    digestAlgorithm: forge.pki.oids.sha256!,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
      { type: forge.pki.oids.messageDigest! },
      // node-forge types say string; it encodes a Date as UTCTime.
      { type: forge.pki.oids.signingTime!, value: signingTime as unknown as string },
    ],
  });
  p7.sign({ detached: true });
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), "binary");
}

export const toPem = (der: Buffer): string => forge.pem.encode({ type: "PKCS7", body: der.toString("binary") }, { maxline: 64 });

/** DER from a .p7s in DER or PEM. */
export function readSignature(bytes: Buffer): Buffer {
  const text = bytes.subarray(0, 64).toString("latin1");
  if (!text.includes("-----BEGIN")) return bytes;
  return Buffer.from(forge.pem.decode(bytes.toString("latin1"))[0]!.body, "binary");
}

export interface SignatureCheck {
  valid: boolean;
  reason?: string;
  /** The signer's certificate, as found in the signature. */
  signer?: forge.pki.Certificate;
}

type Node = forge.asn1.Asn1;
const children = (node: Node): Node[] => (Array.isArray(node.value) ? node.value : []);
const oidOf = (node: Node) => forge.asn1.derToOid(node.value as string);

/**
 * Checks a detached signature made by `signDetached` (or openssl cms -sign -binary with SHA-256 and RSA):
 * the message digest attribute against `content`, and the RSA signature over the signed attributes with
 * the signer certificate. node-forge signs CMS but does not verify it, hence this reader.
 */
export function verifyDetached(content: Buffer, signature: Buffer): SignatureCheck {
  try {
    const p7 = forge.asn1.fromDer(signature.toString("binary"));
    const signedData = children(children(children(p7)[1]!)[0]!);
    const certificates = children(signedData.find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 0) ?? ({ value: [] } as unknown as Node)).map((c) => forge.pki.certificateFromAsn1(c));
    const signerInfo = children(signedData.at(-1)!)[0]!;
    const parts = children(signerInfo);
    const serial = forge.util.bytesToHex(children(parts[1]!)[1]!.value as string);
    const signer = certificates.find((c) => c.serialNumber.replace(/^0+/, "") === serial.replace(/^0+/, ""));
    if (!signer) return { valid: false, reason: "the signer's certificate is not in the signature" };
    const digestOid = oidOf(children(parts[2]!)[0]!);
    if (digestOid !== forge.pki.oids.sha256) return { valid: false, reason: `unsupported digest algorithm ${digestOid}`, signer };
    const attributes = parts[3]!;
    if (attributes.tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC) return { valid: false, reason: "the signature has no signed attributes", signer };
    const digestAttribute = children(attributes).find((a) => oidOf(children(a)[0]!) === forge.pki.oids.messageDigest);
    const recorded = digestAttribute ? forge.util.bytesToHex(children(children(digestAttribute)[1]!)[0]!.value as string) : "";
    const actual = forge.md.sha256.create().update(content.toString("binary")).digest().toHex();
    if (recorded !== actual) return { valid: false, reason: "the file does not match the signature (message digest differs)", signer };
    // The signature covers the attributes re-encoded as a SET (RFC 5652 §5.4).
    const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, children(attributes));
    const signedBytes = forge.md.sha256.create().update(forge.asn1.toDer(set).getBytes());
    const value = parts.find((p, i) => i > 3 && p.type === forge.asn1.Type.OCTETSTRING)!.value as string;
    const ok = (signer.publicKey as forge.pki.rsa.PublicKey).verify(signedBytes.digest().getBytes(), value);
    return ok ? { valid: true, signer } : { valid: false, reason: "the RSA signature does not verify with the signer's certificate", signer };
  } catch (error) {
    return { valid: false, reason: `not a readable CMS signature (${(error as Error).message})` };
  }
}
