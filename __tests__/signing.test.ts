import { execFileSync, spawnSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import forge from "node-forge";
import { checkCertificate, describe as describeCertificate, loadIdentity } from "../src/signing/certificate.js";
import { signDetached, toPem, verifyDetached } from "../src/signing/cms.js";
import { createCodeSigningCertificate } from "../src/signing/create.js";
import { nodePkcs12Key } from "../src/signing/pkcs12-kdf.js";
import { nodeSigning } from "../src/signing/rsa.js";
import { tempDir, testKey } from "./helpers.js";

const dir = tempDir("signing");
const PASSWORD = "correct horse battery staple";
const created = createCodeSigningCertificate({ name: "4dbuild Test Signing", days: 365, notBefore: new Date("2026-01-01T00:00:00Z"), password: PASSWORD, key: testKey("a") });
const p12File = path.join(dir, "test.p12");
const certFile = path.join(dir, "test.cert.pem");
writeFileSync(p12File, created.p12);
writeFileSync(certFile, created.certificatePem);
writeFileSync(path.join(dir, "test.key.pem"), created.keyPem);
const identity = loadIdentity({ p12: p12File, password: PASSWORD });
const content = Buffer.from("0123abcd  Archives/Hello-standalone-mac.zip\n");
const SIGNING_TIME = new Date(1700000000 * 1000);

describe("certificates", () => {
  test("a created certificate reads back from its .p12 and from base64, with its identity and code-signing usage", () => {
    const info = describeCertificate(identity);
    expect(info).toMatchObject({ identity: "4dbuild Test Signing", subject: "CN=4dbuild Test Signing", selfSigned: true, codeSigning: true, notBefore: "2026-01-01T00:00:00.000Z", notAfter: "2027-01-01T00:00:00.000Z" });
    expect(info.sha1).toMatch(/^[0-9A-F]{40}$/);
    expect(describeCertificate(loadIdentity({ p12Base64: created.p12.toString("base64"), password: PASSWORD })).sha1).toBe(info.sha1);
  });

  test("openssl reads the .p12 and the PEM files", () => {
    const text = execFileSync("openssl", ["x509", "-in", certFile, "-noout", "-subject", "-ext", "extendedKeyUsage"], { encoding: "utf8" });
    expect(text).toContain("CN = 4dbuild Test Signing");
    expect(text).toContain("Code Signing");
    const pkcs12 = (...args: string[]) => {
      const legacy = spawnSync("openssl", ["pkcs12", "-in", p12File, "-passin", `pass:${PASSWORD}`, ...args, "-legacy"], { encoding: "utf8" });
      return legacy.status === 0 ? legacy : spawnSync("openssl", ["pkcs12", "-in", p12File, "-passin", `pass:${PASSWORD}`, ...args], { encoding: "utf8" });
    };
    expect(pkcs12("-nokeys").stdout).toContain("BEGIN CERTIFICATE");
    // The private key, which openssl decrypts with the key and IV it derives from the password.
    const der = (pem: string) => createPrivateKey(pem).export({ type: "pkcs8", format: "der" });
    expect(der(pkcs12("-nocerts", "-nodes").stdout).equals(der(created.keyPem))).toBe(true);
  });

  test("the certificate's self-signature verifies with its own public key", () => {
    const certificate = forge.pki.certificateFromPem(created.certificatePem);
    expect(certificate.verify(certificate)).toBe(true);
  });

  test("a wrong password or a damaged file is a clear error that quotes neither", () => {
    expect(() => loadIdentity({ p12: p12File, password: "wrong" })).toThrow("signing.certificate: the password does not open the PKCS#12");
    expect(() => loadIdentity({ p12Base64: "not base64!", password: PASSWORD })).toThrow("signing.certificate is not base64 text");
    expect(() => loadIdentity({ p12Base64: Buffer.from("garbage bytes").toString("base64"), password: PASSWORD })).toThrow("signing.certificate is not a readable PKCS#12 (.p12/.pfx) file");
  });

  test("PKCS#12 keys derived with Node's hashes are the bytes forge derives; forge's own derivation is back after use", () => {
    const longSalt = "a salt longer than one 64-byte block of SHA-1, to be repeated and cut";
    // [digest, salt, password, id, iterations, bytes]: what forge's PKCS#12 writes and reads (SHA-1, 2048 rounds), then the edges.
    const cases = [
      [undefined, "8 bytes!", PASSWORD, 1, 2048, 24],
      [forge.md.sha1.create(), "8 bytes!", PASSWORD, 3, 2048, 20],
      [forge.md.sha256.create(), longSalt, "pässwörd €✓", 2, 3, 8],
      [forge.md.sha512.create(), longSalt, "p".repeat(70), 3, 3, 64],
      [undefined, "", "", 1, 3, 5],
      [undefined, "8 bytes!", undefined, 2, 1, 41],
    ] as const;
    for (const [md, salt, password, id, iterations, n] of cases) {
      const inputs = [md?.algorithm, salt, password, id, iterations, n];
      const forgeKey = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt), id, iterations, n, md).toHex();
      expect([...inputs, nodePkcs12Key(password, forge.util.createBuffer(salt), id, iterations, n, md).toHex()]).toEqual([...inputs, forgeKey]);
    }
    expect(() => loadIdentity({ p12: p12File, password: "wrong" })).toThrow();
    expect(forge.pkcs12.generateKey).not.toBe(nodePkcs12Key);
  });

  test("preflight: expired is an error, expiring within 30 days a warning, no code-signing usage an error when code is signed", () => {
    const info = describeCertificate(identity);
    expect(checkCertificate(info, new Date("2026-06-01T00:00:00Z"), true)).toEqual([]);
    expect(checkCertificate(info, new Date("2027-01-02T00:00:00Z"), true)).toEqual([expect.objectContaining({ severity: "error", message: 'the signing certificate "4dbuild Test Signing" expired on 2027-01-01' })]);
    expect(checkCertificate(info, new Date("2026-12-20T00:00:00Z"), true)).toEqual([expect.objectContaining({ severity: "warning", message: 'the signing certificate "4dbuild Test Signing" expires in 12 days (2027-01-01)' })]);
    expect(checkCertificate(info, new Date("2025-12-01T00:00:00Z"), true)).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining("is not valid before 2026-01-01") })]);
    expect(checkCertificate({ ...info, codeSigning: false }, new Date("2026-06-01T00:00:00Z"), true)[0]).toMatchObject({ severity: "error" });
    expect(checkCertificate({ ...info, codeSigning: false }, new Date("2026-06-01T00:00:00Z"), false)[0]).toMatchObject({ severity: "warning" });
  });
});

describe("detached CMS signatures", () => {
  const signature = signDetached(content, identity, SIGNING_TIME);
  const contentFile = path.join(dir, "SHA256SUMS");
  writeFileSync(contentFile, content);

  test("openssl cms -verify accepts the DER and the PEM signature against the signing certificate", () => {
    writeFileSync(path.join(dir, "SHA256SUMS.p7s"), signature);
    writeFileSync(path.join(dir, "SHA256SUMS.pem.p7s"), toPem(signature));
    for (const [file, form] of [["SHA256SUMS.p7s", "DER"], ["SHA256SUMS.pem.p7s", "PEM"]] as const) {
      const run = spawnSync("openssl", ["cms", "-verify", "-binary", "-inform", form, "-in", path.join(dir, file), "-content", contentFile, "-CAfile", certFile, "-purpose", "any", "-out", "/dev/null"], { encoding: "utf8" });
      expect([file, run.status, run.stderr.trim()]).toEqual([file, 0, "CMS Verification successful"]);
    }
  });

  test("openssl refuses it when one byte of the content changes", () => {
    const flipped = Buffer.from(content);
    flipped[0] = flipped[0]! ^ 1;
    writeFileSync(path.join(dir, "flipped"), flipped);
    const run = spawnSync("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", path.join(dir, "SHA256SUMS.p7s"), "-content", path.join(dir, "flipped"), "-CAfile", certFile, "-purpose", "any", "-out", "/dev/null"], { encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/digest failure|verification failure/i);
  });

  test("the same content, key and signing time give the same bytes", () => {
    expect(signDetached(content, identity, SIGNING_TIME).equals(signature)).toBe(true);
  });

  test("Node's RSA signs the bytes forge's own RSA signs (PKCS#1 v1.5 is deterministic)", () => {
    for (const md of [forge.md.sha256.create(), forge.md.sha1.create()]) {
      md.update("the attributes a CMS signer signs");
      expect([md.algorithm, nodeSigning(identity.key).sign(md, "RSASSA-PKCS1-V1_5")]).toEqual([md.algorithm, identity.key.sign(md, "RSASSA-PKCS1-V1_5")]);
    }
  });

  test("4dbuild's own check accepts it, and refuses changed content", () => {
    expect(verifyDetached(content, signature)).toMatchObject({ valid: true });
    expect(verifyDetached(Buffer.from("changed"), signature)).toMatchObject({ valid: false, reason: "the file does not match the signature (message digest differs)" });
    expect(verifyDetached(content, Buffer.from("nonsense"))).toMatchObject({ valid: false, reason: expect.stringContaining("not a readable CMS signature") });
  });

  test("4dbuild's own check accepts a signature made by openssl cms -sign", () => {
    const made = execFileSync("openssl", ["cms", "-sign", "-binary", "-md", "sha256", "-in", contentFile, "-signer", certFile, "-inkey", path.join(dir, "test.key.pem"), "-outform", "DER"]);
    expect(verifyDetached(content, made)).toMatchObject({ valid: true });
    const tampered = Buffer.from(made);
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 0xff; // inside the RSA signature value
    expect(verifyDetached(content, tampered)).toMatchObject({ valid: false });
  });
});

