import { createHash } from "node:crypto";
import forge from "node-forge";

type Pkcs12Kdf = typeof forge.pkcs12.generateKey;

// forge looks its PKCS#12 derivation up in two places: pbe.generatePkcs12Key (key encryption) and
// pkcs12.generateKey (the MAC), both this function.
const pbe = (forge as unknown as { pbe: { generatePkcs12Key: Pkcs12Kdf } }).pbe;
const forgePkcs12Key = pbe.generatePkcs12Key;

const NODE_HASHES = new Set(["md5", "sha1", "sha256", "sha384", "sha512"]);

/** `text` as a big-endian BMPString ending with a zero character. */
function bmpString(text: string): Buffer {
  const bytes = Buffer.alloc(2 * text.length + 2);
  for (let i = 0; i < text.length; i++) bytes.writeUInt16BE(text.charCodeAt(i), 2 * i);
  return bytes;
}

/** `bytes` repeated to `length` bytes. */
const repeat = (bytes: Buffer, length: number) => Buffer.from(Array.from({ length }, (_, i) => bytes[i % bytes.length]!));

/**
 * PKCS#12 key derivation (RFC 7292 appendix B.2), the bytes forge's derivation gives, with Node's hashes: forge
 * hashes its 2048 rounds in JavaScript, about a tenth of a second per PKCS#12 written or read (several times
 * that under Jest).
 */
export function nodePkcs12Key(password: string | null | undefined, salt: forge.util.ByteBuffer, id: number, iterations: number, n: number, md?: forge.md.MessageDigest): forge.util.ByteBuffer {
  const algorithm = md?.algorithm ?? "sha1";
  if (!NODE_HASHES.has(algorithm) || !(iterations >= 1)) return forgePkcs12Key(password, salt, id, iterations, n, md);
  const [u, v] = [md?.digestLength ?? 20, md?.blockLength ?? 64];
  const pass = password === null || password === undefined ? Buffer.alloc(0) : bmpString(password);
  const saltBytes = Buffer.from(salt.bytes(), "binary");
  const I = Buffer.concat([repeat(saltBytes, v * Math.ceil(saltBytes.length / v)), repeat(pass, v * Math.ceil(pass.length / v))]);
  const D = Buffer.alloc(v, id);
  const blocks: Buffer[] = [];
  for (let made = 0; made < n; made += u) {
    let A = Buffer.concat([D, I]);
    for (let round = 0; round < iterations; round++) A = createHash(algorithm).update(A).digest();
    blocks.push(A);
    // Each v-byte block of I becomes (block + B + 1) mod 2^(8v).
    const B = repeat(A, v);
    for (let start = 0; start < I.length; start += v) {
      let carry = 1;
      for (let l = v - 1; l >= 0; l--) {
        carry += I[start + l]! + B[l]!;
        I[start + l] = carry & 0xff;
        carry >>= 8;
      }
    }
  }
  return forge.util.createBuffer(Buffer.concat(blocks).subarray(0, n).toString("binary"));
}

/** Runs `work` (forge writing or reading a PKCS#12) with nodePkcs12Key in place of forge's derivation, restored after. */
export function withNodePkcs12Kdf<T>(work: () => T): T {
  const pkcs12 = forge.pkcs12 as { generateKey: Pkcs12Kdf };
  pkcs12.generateKey = pbe.generatePkcs12Key = nodePkcs12Key;
  try {
    return work();
  } finally {
    pkcs12.generateKey = pbe.generatePkcs12Key = forgePkcs12Key;
  }
}
