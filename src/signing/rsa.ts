import { constants, createPrivateKey, privateEncrypt, type KeyObject } from "node:crypto";
import forge from "node-forge";

const { asn1 } = forge;

/** The DER DigestInfo of a finished digest (RFC 8017 §9.2): what PKCS#1 v1.5 pads and signs. */
function digestInfo(md: forge.md.MessageDigest): Buffer {
  const oid = forge.pki.oids[md.algorithm];
  if (!oid) throw new Error(`no OID for the digest ${md.algorithm}`);
  const algorithm = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, "")]);
  const info = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [algorithm, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, md.digest().getBytes())]);
  return Buffer.from(asn1.toDer(info).getBytes(), "binary");
}

const signers = new WeakMap<forge.pki.rsa.PrivateKey, forge.pki.rsa.PrivateKey>();

/**
 * `key` for forge's certificate.sign and PKCS#7 signers, with the RSA private-key operation done by Node (OpenSSL)
 * instead of forge's JavaScript big numbers (50-100 ms a signature). Padding the DER DigestInfo with PKCS#1 v1.5
 * is RSASSA-PKCS1-v1_5 (RFC 8017 §8.2), which is deterministic: the signature is the one forge's own sign() makes.
 * `nodeKey` is the same key as Node has it, when the caller has it already.
 */
export function nodeSigning(key: forge.pki.rsa.PrivateKey, nodeKey?: KeyObject): forge.pki.rsa.PrivateKey {
  const known = signers.get(key);
  if (known) return known;
  const native = nodeKey ?? createPrivateKey({ key: Buffer.from(asn1.toDer(forge.pki.privateKeyToAsn1(key)).getBytes(), "binary"), format: "der", type: "pkcs1" });
  const signer: forge.pki.rsa.PrivateKey = {
    ...key,
    sign(md, scheme) {
      if (typeof md === "string" || (scheme !== undefined && scheme !== "RSASSA-PKCS1-V1_5")) throw new Error("only RSASSA-PKCS1-v1_5 signatures of a message digest are made with Node's RSA");
      return privateEncrypt({ key: native, padding: constants.RSA_PKCS1_PADDING }, digestInfo(md)).toString("binary");
    },
  };
  signers.set(key, signer);
  return signer;
}
