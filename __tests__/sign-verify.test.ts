import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createCodeSigningCertificate } from "../src/signing/create.js";
import { cliEnv, exampleCopy, runCli, STACK_TRACE, tempDir, testKey } from "./helpers.js";

const PASSWORD = "p12-Password-For-Tests";
const certificates = tempDir("certs");

function certificate(name: string, notBefore: Date, days: number, key: "a" | "b" = "a") {
  const made = createCodeSigningCertificate({ name, days, notBefore, password: PASSWORD, key: testKey(key) });
  const pem = path.join(certificates, `${name.replace(/\W+/g, "-")}.cert.pem`);
  writeFileSync(pem, made.certificatePem);
  return { base64: made.p12.toString("base64"), pem };
}
const valid = certificate("Hello Release Signing", new Date(Date.now() - 86_400_000), 365);

/** The example with signing.certificate from secrets, and the given extra signing settings. */
function signedExample(extra = "  checksums:\n    perArtifact: true\n") {
  const copy = exampleCopy();
  const signing = `signing:\n  certificate:\n    p12Base64: \${secret.SIGNING_P12}\n    password: \${secret.SIGNING_PASSWORD}\n${extra}`;
  writeFileSync(copy.manifest, readFileSync(copy.manifest, "utf8").replace("signing:\n", signing));
  return copy;
}

/** Every text a person or a log could read: outputs, report, log, checksums and every small file of the destination. */
function readable(run: { stdout: string; stderr: string }, out: string): string {
  const texts = [run.stdout, run.stderr];
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) visit(file);
      else if (e.isFile() && !/\.(zip|gz|4DZ|p7s)$/.test(e.name)) texts.push(readFileSync(file).toString("latin1"));
    }
  };
  visit(out);
  return texts.join("\n");
}

const openssl = (args: string[]) => spawnSync("openssl", args, { encoding: "utf8" });

describe("a signed release of the example", () => {
  const copy = signedExample();
  const env = cliEnv({ SIGNING_P12: valid.base64, SIGNING_PASSWORD: PASSWORD });
  let run: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    run = await runCli(["build", copy.manifest, "--out", copy.out], { env });
  });

  test("builds, then signs SHA256SUMS and each archive, after the checksums (plan order)", () => {
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("SHA256SUMS.p7s");
    const order = [...run.stderr.matchAll(/^[✓-] (\S+)/gm)].map((m) => m[1]);
    expect(order.slice(-3)).toEqual(["checksums", "sign-checksums", "report"]);
    expect(order.lastIndexOf("archive")).toBeLessThan(order.indexOf("checksums"));
    const report = JSON.parse(readFileSync(path.join(copy.out, "build-report.json"), "utf8")) as { signatures: string[] };
    expect(report.signatures).toEqual(expect.arrayContaining(["SHA256SUMS.p7s", "Archives/Hello-standalone-mac.zip.p7s", "Archives/Hello-client-win.tar.gz.p7s"]));
  });

  test("openssl cms -verify accepts SHA256SUMS.p7s and every archive signature", () => {
    const signed = ["SHA256SUMS", ...readdirSync(path.join(copy.out, "Archives")).filter((f) => !f.endsWith(".p7s")).map((f) => `Archives/${f}`)];
    expect(signed.length).toBe(13);
    for (const file of signed) {
      const check = openssl(["cms", "-verify", "-binary", "-inform", "DER", "-in", path.join(copy.out, `${file}.p7s`), "-content", path.join(copy.out, file), "-CAfile", valid.pem, "-purpose", "any", "-out", "/dev/null"]);
      expect([file, check.status, check.stderr.trim()]).toEqual([file, 0, "CMS Verification successful"]);
    }
    expect(execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: copy.out, encoding: "utf8" })).toBe("");
  });

  test("4dbuild verify passes, with the trusted certificate", async () => {
    const verified = await runCli(["verify", copy.out, "--cert", valid.pem], { env });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("signature ok: SHA256SUMS.p7s (signed by Hello Release Signing)");
    expect(verified.stdout).toMatch(/^OK: \d+ files checked, 13 signatures$/m);
  });

  test("verify --rebuild builds again from the manifest and finds the same bytes, signatures included", async () => {
    const verified = await runCli(["verify", copy.out, "--rebuild", "--manifest", copy.manifest], { env: { ...env, SOURCE_DATE_EPOCH: "" } });
    expect(verified.stderr).not.toMatch(STACK_TRACE);
    expect(verified.stdout).toMatch(/^OK: \d+ files checked, 13 signatures, rebuilt and compared$/m);
    expect(verified.code).toBe(0);
  });

  test("no certificate byte, base64 text or password appears in any output, log, report or file", () => {
    const text = readable(run, copy.out);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(valid.base64.slice(0, 40));
    expect(text).not.toContain(valid.base64.slice(-60, -20));
    expect(readdirSync(copy.out).filter((f) => f.startsWith("."))).toEqual([]); // no staging (where the p12 was written) left
  });

  test("flipping one byte of an artifact makes verify fail and name it", async () => {
    const tampered = exampleCopy();
    execFileSync("cp", ["-a", `${copy.out}/.`, tampered.out]);
    const file = path.join(tampered.out, "Archives", "Hello-server-win.zip");
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(file, bytes);
    const verified = await runCli(["verify", tampered.out], { env });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain("FAILED: Archives/Hello-server-win.zip: SHA-256 differs from SHA256SUMS");
    expect(verified.stdout).toContain("FAILED: Archives/Hello-server-win.zip.p7s: the file does not match the signature (message digest differs)");
    writeFileSync(path.join(tampered.out, "SHA256SUMS"), readFileSync(path.join(tampered.out, "SHA256SUMS"), "utf8").replace(/^[0-9a-f]{4}/, "0000"));
    expect((await runCli(["verify", tampered.out], { env })).stdout).toContain("FAILED: SHA256SUMS.p7s: the file does not match the signature");
  });

  test("verify refuses signatures made by another certificate than the trusted one", async () => {
    const other = certificate("Someone Else", new Date(Date.now() - 86_400_000), 30, "b");
    const verified = await runCli(["verify", copy.out, "--cert", other.pem], { env });
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain("FAILED: SHA256SUMS.p7s: signed by a certificate that is not the trusted one");
  });
});

describe("preflight", () => {
  test("an expired certificate stops the build before any step, with a clear message", async () => {
    const expired = certificate("Expired Signing", new Date("2020-01-01T00:00:00Z"), 30);
    const copy = signedExample();
    const run = await runCli(["build", copy.manifest, "--out", copy.out], { env: cliEnv({ SIGNING_P12: expired.base64, SIGNING_PASSWORD: PASSWORD }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: the signing certificate "Expired Signing" expired on 2020-01-31\n  hint: renew it (or create a new one with 4dbuild cert create) and update the secret\n');
    expect(existsSync(copy.out)).toBe(false);
  });

  test("a certificate expiring within 30 days is a warning in the log and the report", async () => {
    const soon = certificate("Soon Expiring", new Date(Date.now() - 350 * 86_400_000), 360);
    const copy = signedExample("");
    const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "compiled"], { env: cliEnv({ SIGNING_P12: soon.base64, SIGNING_PASSWORD: PASSWORD }) });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: the signing certificate "Soon Expiring" expires in (9|10) days/);
    expect(readFileSync(path.join(copy.out, "build-report.json"), "utf8")).toContain("Soon Expiring");
  });

  test("a wrong password is a clear error that shows neither password", async () => {
    const copy = signedExample();
    const run = await runCli(["build", copy.manifest, "--out", copy.out], { env: cliEnv({ SIGNING_P12: valid.base64, SIGNING_PASSWORD: "Wrong-Password-123" }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: signing.certificate: the password does not open the PKCS#12");
    expect(run.stderr).not.toContain("Wrong-Password-123");
  });

  test("required macOS signing on another host fails before any step; optional signing is skipped with a warning", async () => {
    const copy = exampleCopy();
    const text = readFileSync(copy.manifest, "utf8");
    writeFileSync(copy.manifest, text.replace("    adHoc: true", '    identity: "Developer ID Application: Example Ltd (ABCDE12345)"\n    required: true'));
    const required = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "standalone"], { env: cliEnv() });
    expect(required.code).toBe(1);
    expect(required.stderr).toMatch(/^error: signing\.mac\.required is true, but macOS code signing needs a macOS host and this build runs on linux/);
    writeFileSync(copy.manifest, text.replace("    adHoc: true", '    identity: "Developer ID Application: Example Ltd (ABCDE12345)"'));
    const optional = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "standalone"], { env: cliEnv() });
    expect(optional.code).toBe(0);
    expect(optional.stderr).toContain('warning: macOS code signing skipped: it needs a macOS host and this build runs on linux; the macOS applications are not signed with "Developer ID Application: Example Ltd (ABCDE12345)"');
    const report = JSON.parse(readFileSync(path.join(copy.out, "build-report.json"), "utf8")) as { warnings: { code: string }[] };
    expect(report.warnings.map((w) => w.code)).toContain("unsigned-mac");
  });
});

test("Windows executables are signed through the configured command (osslsigncode) before the archives are made", async () => {
  const copy = signedExample('  win:\n    command: [osslsigncode, sign, -pkcs12, "{p12}", -pass, "{password}", -h, sha256, -time, "{sourceDate}", -in, "{file}", -out, "{output}"]\n    files: ["*.exe"]\n');
  const env = cliEnv({ SIGNING_P12: valid.base64, SIGNING_PASSWORD: PASSWORD });
  const run = await runCli(["build", copy.manifest, "--out", copy.out, "--target", "standalone", "--platform", "win"], { env });
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.code).toBe(0);
  const exe = path.join(copy.out, "Final Application", "Hello", "Hello.exe");
  const check = spawnSync("osslsigncode", ["verify", "-in", exe, "-CAfile", valid.pem], { encoding: "utf8" });
  expect(check.stdout).toContain("Signature verification: ok");
  // The archive holds the signed executable.
  const zipped = execFileSync("unzip", ["-p", path.join(copy.out, "Archives", "Hello-standalone-win.zip"), "Hello/Hello.exe"]);
  expect(zipped.equals(readFileSync(exe))).toBe(true);
  expect(run.stderr).toContain("$ osslsigncode sign -pkcs12");
  expect(readable(run, copy.out)).not.toContain(PASSWORD);
  // The same signing time: signing again gives the same bytes.
  const again = path.join(copy.root, "again");
  expect((await runCli(["build", copy.manifest, "--out", again, "--target", "standalone", "--platform", "win"], { env })).code).toBe(0);
  expect(readFileSync(path.join(again, "Final Application", "Hello", "Hello.exe")).equals(readFileSync(exe))).toBe(true);
});
