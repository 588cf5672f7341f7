import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { checksumsStep, reportStep } from "../../src/builder/steps/report.js";
import { signChecksumsStep } from "../../src/builder/steps/sign-checksums.js";
import type { BuildContext } from "../../src/builder/context.js";
import { sha256File } from "../../src/files/copy.js";
import { readBuildReport } from "../../src/release/report.js";
import { readSignature, verifyDetached } from "../../src/signing/cms.js";
import { appTargets, artifactPaths, certificateSettings, hello, runStep, SOURCE_DATE, stepContext, tempDir, testCertificate, writeTree } from "../testctx.js";

/** What the layout and archive steps leave: two targets, an archive, and a web folder registered twice (server and client share it on macOS). */
function stageOutputs(context: BuildContext): void {
  writeTree(context.out, {
    "Compiled Database/Hello/Hello.4DZ": "structure",
    "Compiled Database/Hello/Libraries/lib4d-arm64.dylib": "arm64",
    "Client Server executable/WebFolder/index.html": "<html/>",
    "Archives/Hello-standalone-mac.zip": "zip bytes",
    "Final Application/Hello/Hello.exe": "MZ",
    "not an output.txt": "left out",
  });
  symlinkSync("Hello.4DZ", path.join(context.out, "Compiled Database/Hello/link.4DZ")); // links are not files of their own
  const at = (relative: string) => path.join(context.out, relative);
  context.artifacts.push(
    { kind: "structure", path: path.join(context.work, "Hello.4DZ") },
    { kind: "target", target: "compiled", path: at("Compiled Database/Hello") },
    { kind: "target", target: "server", platform: "mac", path: at("Client Server executable/WebFolder") },
    { kind: "target", target: "client", platform: "mac", path: at("Client Server executable/WebFolder") },
    { kind: "target", target: "standalone", platform: "win", path: at("Final Application/Hello") },
    { kind: "target", target: "standalone", platform: "mac", path: at("Archives/Hello-standalone-mac.zip") },
  );
}

const MANIFEST = hello(`${appTargets("standalone", "server", "client")}  compiled: {}\n`);

describe("checksums: SHA256SUMS over every file of every output", () => {
  test("one line per file in byte order of the paths, each once, checked by sha256sum; the same list kept for the report", async () => {
    const context = stepContext(MANIFEST);
    stageOutputs(context);
    await runStep(context, checksumsStep);
    const sums = readFileSync(path.join(context.out, "SHA256SUMS"), "utf8");
    const paths = ["Archives/Hello-standalone-mac.zip", "Client Server executable/WebFolder/index.html", "Compiled Database/Hello/Hello.4DZ", "Compiled Database/Hello/Libraries/lib4d-arm64.dylib", "Final Application/Hello/Hello.exe"];
    expect(sums.split("\n").slice(0, -1).map((l) => l.slice(66))).toEqual(paths);
    expect(sums).toMatch(/^([0-9a-f]{64} {2}[^\n]+\n)+$/);
    expect(execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: context.out, encoding: "utf8" })).toBe("");
    expect(context.reported).toEqual([
      { path: paths[0], size: 9, sha256: await sha256File(path.join(context.out, paths[0]!)), target: "standalone", platform: "mac" },
      { path: paths[1], size: 7, sha256: await sha256File(path.join(context.out, paths[1]!)), target: "server", platform: "mac" },
      { path: paths[2], size: 9, sha256: await sha256File(path.join(context.out, paths[2]!)), target: "compiled" },
      { path: paths[3], size: 5, sha256: await sha256File(path.join(context.out, paths[3]!)), target: "compiled" },
      { path: paths[4], size: 2, sha256: await sha256File(path.join(context.out, paths[4]!)), target: "standalone", platform: "win" },
    ]);
  });
});

describe("sign-checksums: detached CMS signatures with signing.certificate", () => {
  const signed = (extra = "") => {
    const certificate = certificateSettings();
    return stepContext(`${MANIFEST}signing:\n${certificate.yaml}  checksums:\n    perArtifact: true\n${extra}`, { env: certificate.env });
  };

  test("SHA256SUMS.p7s and one per archive, accepted by openssl cms -verify and by 4dbuild's own check, registered as outputs", async () => {
    const context = signed();
    stageOutputs(context);
    await runStep(context, checksumsStep);
    await runStep(context, signChecksumsStep);
    expect(artifactPaths(context, "signature")).toEqual(["SHA256SUMS.p7s", "Archives/Hello-standalone-mac.zip.p7s"]);
    const pem = path.join(tempDir("cert"), "cert.pem");
    writeFileSync(pem, testCertificate().pem);
    for (const file of ["SHA256SUMS", "Archives/Hello-standalone-mac.zip"]) {
      const content = path.join(context.out, file);
      const check = spawnSync("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", `${content}.p7s`, "-content", content, "-CAfile", pem, "-purpose", "any", "-out", "/dev/null"], { encoding: "utf8" });
      expect([file, check.status, check.stderr.trim()]).toEqual([file, 0, "CMS Verification successful"]);
      expect(verifyDetached(readFileSync(content), readFileSync(`${content}.p7s`)).valid).toBe(true);
    }
  });

  test("signed at SOURCE_DATE_EPOCH: the same content gives the same bytes; format: pem writes PEM", async () => {
    const sign = async (extra = "") => {
      const context = signed(extra);
      stageOutputs(context);
      await runStep(context, checksumsStep);
      await runStep(context, signChecksumsStep);
      return readFileSync(path.join(context.out, "SHA256SUMS.p7s"));
    };
    const der = await sign();
    expect((await sign()).equals(der)).toBe(true);
    const pem = await sign("    format: pem\n");
    expect(pem.toString("latin1")).toMatch(/^-----BEGIN PKCS7-----\r?\n/);
    expect(readSignature(pem).equals(der)).toBe(true);
  });

  test("skipped without a certificate, or with checksums.sign: false", () => {
    expect(signChecksumsStep.skip!(stepContext(MANIFEST).plan)).toBe("signing.certificate is not set");
    const certificate = certificateSettings();
    expect(signChecksumsStep.skip!(stepContext(`${MANIFEST}signing:\n${certificate.yaml}  checksums:\n    sign: false\n`, { env: certificate.env }).plan)).toBe("signing.checksums.sign is false");
  });
});

describe("report: build-report.json and BuildApp.log.xml", () => {
  test("the targets, artifacts, signatures, plug-in keys, steps and warnings, secrets masked; the log in 4D's format", async () => {
    const context = stepContext(`${MANIFEST}network:\n  linkCode: \${secret.LINK}\n`, { env: { LINK: "s3cret-link" } });
    stageOutputs(context);
    const key = path.join(context.out, "Final Application", "Plug-in Keys", "Hello.QLC");
    writeTree(path.dirname(key), { "Hello.QLC": "KEY\n" });
    context.artifacts.push({ kind: "plugin-key", path: key, target: "standalone", platform: "win", plugin: "QPix", installTo: "%APPDATA%\\Hello\\Escape\\Hello.QLC" });
    context.artifacts.push({ kind: "signature", path: path.join(context.out, "SHA256SUMS.p7s") });
    context.warnings.push({ severity: "warning", code: "test", message: "the link code s3cret-link <is> & was seen" });
    await runStep(context, checksumsStep);
    await runStep(context, reportStep);
    const file = path.join(context.out, "build-report.json");
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain("s3cret-link");
    expect(context.report).toEqual(JSON.parse(text));
    expect(readBuildReport(file)).toEqual(context.report);
    expect(context.report).toMatchObject({
      reportVersion: 1,
      name: "Hello",
      fourDVersion: "21",
      sourceDateEpoch: SOURCE_DATE,
      signatures: ["SHA256SUMS.p7s"],
      pluginKeys: [{ plugin: "QPix", target: "standalone", platform: "win", file: "Final Application/Plug-in Keys/Hello.QLC", installTo: "%APPDATA%\\Hello\\Escape\\Hello.QLC" }],
      warnings: [{ severity: "warning", code: "test", message: "the link code *** <is> & was seen" }],
    });
    expect(context.report!.targets).toEqual([
      { target: "compiled", path: "Compiled Database/Hello" },
      { target: "server", platform: "mac", path: "Client Server executable/WebFolder" },
      { target: "client", platform: "mac", path: "Client Server executable/WebFolder" },
      { target: "standalone", platform: "win", path: "Final Application/Hello" },
      { target: "standalone", platform: "mac", path: "Archives/Hello-standalone-mac.zip" },
    ]);
    expect(context.report!.artifacts).toEqual(context.reported);
    expect(context.report!.steps!.map((s) => `${s.step}:${s.status}`)).toEqual(["checksums:done"]); // the report is written before its own record

    const log = readFileSync(path.join(context.out, "BuildApp.log.xml"), "utf8");
    expect(log).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="no" \?>\n<BuildApplicationLog>\n\n {2}<Log>\n {4}<MessageType>Comment<\/MessageType>\n {4}<Target>Common<\/Target>/);
    expect(log).toMatch(/<Message>Done "checksums" in \d+\.\d\d s \[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\]<\/Message>/);
    expect(log).toContain(`<Target>Common</Target>\n    <CodeDesc>NO_ERR</CodeDesc>\n    <CodeId>0</CodeId>\n    <Message>Generated file Compiled Database/Hello/Hello.4DZ (9 bytes, SHA-256 ${context.reported[2]!.sha256})</Message>`);
    expect(log).toContain("<Target>ClientServer</Target>");
    expect(log).toContain("<MessageType>Warning</MessageType>\n    <Target>Common</Target>\n    <CodeDesc>ERR</CodeDesc>\n    <CodeId>0</CodeId>\n    <Message>the link code *** &lt;is&gt; &amp; was seen</Message>");
    expect(log).toMatch(/<\/BuildApplicationLog>\n$/);
  });
});
