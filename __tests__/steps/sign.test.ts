import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { signSkip, signStep } from "../../src/builder/steps/sign.js";
import { appTargets, CERTIFICATE_PASSWORD, certificateSettings, hello, listTree, runStep, SOURCE_DATE, stageApplication, standInTools, stepContext, tempDir, testCertificate, writeTree } from "../testctx.js";

const signingWin = (command: string[], files?: string[]) => `  win:\n    command: [${command.map((a) => JSON.stringify(a)).join(", ")}]\n${files ? `    files: [${files.map((f) => JSON.stringify(f)).join(", ")}]\n` : ""}`;

describe("sign on Windows: the configured command, once per executable and library", () => {
  test("every *.exe and *.dll signed in place with {file}; other files untouched; each command logged", async () => {
    const tools = standInTools("signtool");
    const context = stepContext(hello(`${appTargets("standalone")}signing:\n${signingWin(["signtool", "sign", "--in", "{file}"])}`), { env: tools.env });
    const paths = await stageApplication(context, { target: "standalone", platform: "win" });
    const before = new Map((await listTree(paths.root)).map((p) => [p, readFileSync(path.join(paths.root, p))]));
    await runStep(context, signStep, { target: "standalone", platform: "win" });
    const signed = ["Hello.exe", "Native Components/WebViewerCEF.bundle/libcef.dll", "Resources/Updater/Updater.exe", "Resources/php/php-cgi.exe", "libeay32.dll"];
    expect(tools.calls().map((c) => path.relative(paths.root, c.args[2]!).split(path.sep).join("/")).sort()).toEqual(signed.sort());
    expect(tools.calls().every((c) => c.cwd === context.work)).toBe(true);
    for (const [relative, bytes] of before) {
      const now = readFileSync(path.join(paths.root, relative));
      expect([relative, now.equals(signed.includes(relative) ? Buffer.concat([bytes, Buffer.from("+SIGNED")]) : bytes)]).toEqual([relative, true]);
    }
    expect(context.logger.infos()).toContain(`  $ signtool sign --in '${path.join(paths.root, "Hello.exe")}'`);
  });

  test("{output} replaces the file; {p12} is the certificate in a private file; {password} is masked in the log; files narrows what is signed", async () => {
    const tools = standInTools("signtool");
    const certificate = certificateSettings();
    const command = ["signtool", "sign", "--p12", "{p12}", "--pass", "{password}", "--time", "{sourceDate}", "--in", "{file}", "--out", "{output}"];
    const context = stepContext(hello(`${appTargets("server")}signing:\n${certificate.yaml}${signingWin(command, ["Hello*.exe"])}`), { env: { ...tools.env, ...certificate.env } });
    const paths = await stageApplication(context, { target: "server", platform: "win" });
    const exe = readFileSync(paths.executable);
    await runStep(context, signStep, { target: "server", platform: "win" });
    const p12 = path.join(await context.secrets.path(), "signing.p12");
    expect(tools.calls().map((c) => c.args)).toEqual([["sign", "--p12", p12, "--pass", CERTIFICATE_PASSWORD, "--time", String(SOURCE_DATE), "--in", paths.executable, "--out", `${paths.executable}.signed`]]);
    expect(readFileSync(paths.executable).equals(Buffer.concat([exe, Buffer.from("+SIGNED")]))).toBe(true);
    expect(existsSync(`${paths.executable}.signed`)).toBe(false);
    expect(readFileSync(p12).equals(Buffer.from(testCertificate().p12Base64, "base64"))).toBe(true);
    expect(statSync(p12).mode & 0o777).toBe(0o600);
    const logged = context.logger.infos().join("\n");
    expect(logged).toContain("--pass ***");
    expect(logged).not.toContain(CERTIFICATE_PASSWORD);
  });

  test("a failing command is a build error that quotes its output", async () => {
    const tools = standInTools("signtool");
    const context = stepContext(hello(`${appTargets("standalone")}signing:\n${signingWin(["signtool", "sign", "--in", "{file}"], ["Hello.exe"])}`), { env: { ...tools.env, STANDIN_FAIL: "signtool" } });
    await stageApplication(context, { target: "standalone", platform: "win" });
    await expect(runStep(context, signStep, { target: "standalone", platform: "win" })).rejects.toThrow(/signtool sign --in '.*Hello\.exe' failed \(exit code 1\):\nsigntool: failed on purpose/);
  });

  test("osslsigncode signs the executable verifiably, and the same signing time gives the same bytes", async () => {
    const certificate = certificateSettings();
    const command = ["osslsigncode", "sign", "-pkcs12", "{p12}", "-pass", "{password}", "-h", "sha256", "-time", "{sourceDate}", "-in", "{file}", "-out", "{output}"];
    const manifest = hello(`${appTargets("standalone")}signing:\n${certificate.yaml}${signingWin(command, ["Hello.exe"])}`);
    const signedBytes = async () => {
      const context = stepContext(manifest, { env: certificate.env });
      const paths = await stageApplication(context, { target: "standalone", platform: "win" });
      await runStep(context, signStep, { target: "standalone", platform: "win" });
      return { file: paths.executable, bytes: readFileSync(paths.executable) };
    };
    const first = await signedBytes();
    const pem = path.join(tempDir("cert"), "cert.pem");
    writeFileSync(pem, testCertificate().pem);
    expect(spawnSync("osslsigncode", ["verify", "-in", first.file, "-CAfile", pem], { encoding: "utf8" }).stdout).toContain("Signature verification: ok");
    expect((await signedBytes()).bytes.equals(first.bytes)).toBe(true);
  });
});

describe("sign on macOS: the codesign plan (run here with stand-in tools)", () => {
  // The step's skip keeps macOS signing to macOS hosts; run() itself is host-independent, which lets the plan run against stand-ins.
  test("ad hoc: nested code innermost first, the bundle last, then verification, in the bundle's folder", async () => {
    const tools = standInTools("codesign");
    const context = stepContext(hello(`${appTargets("standalone")}signing:\n  mac:\n    adHoc: true\n`), { env: tools.env });
    const paths = await stageApplication(context, { target: "standalone", platform: "mac" });
    // What the components step embeds (the runtime holds none).
    writeTree(paths.components, { "4D NetKit.4dbase/Contents/4D NetKit.4DZ": "component", "4D SVG.4dbase/Contents/4D SVG.4DZ": "component" });
    await signStep.run(context, { target: "standalone", platform: "mac" });
    const calls = tools.calls();
    expect(calls.every((c) => c.program === "codesign" && c.cwd === path.dirname(paths.root))).toBe(true);
    expect(calls.map((c) => c.args.at(-1))).toEqual([
      "Hello.app/Contents/Native Components/WebViewerCEF.bundle/Contents/Frameworks/Chromium Embedded Framework.framework",
      "Hello.app/Contents/Frameworks/4DZip.framework/Versions/A",
      "Hello.app/Contents/Resources/Updater/Updater",
      "Hello.app/Contents/Resources/php/php-fcgi-4d",
      "Hello.app/Contents/Components/4D NetKit.4dbase",
      "Hello.app/Contents/Components/4D SVG.4dbase",
      "Hello.app/Contents/Native Components/WebViewerCEF.bundle",
      "Hello.app",
      "Hello.app",
    ]);
    expect(calls[0]!.args.slice(0, 5)).toEqual(["--sign", "-", "--force", "--timestamp=none", "--options"]);
    expect(calls.at(-1)!.args).toEqual(["--verify", "--strict", "--verbose=2", "Hello.app"]);
  });

  test("with an identity and signing.certificate: a temporary keychain, deleted even when codesign fails; passwords never logged", async () => {
    const tools = standInTools("codesign", "security");
    const certificate = certificateSettings();
    const context = stepContext(hello(`${appTargets("standalone")}signing:\n${certificate.yaml}  mac:\n    identity: "Developer ID Application: Example Ltd (ABCDE12345)"\n`), { env: { ...tools.env, ...certificate.env, STANDIN_FAIL: "codesign" } });
    await stageApplication(context, { target: "standalone", platform: "mac" });
    await expect(signStep.run(context, { target: "standalone", platform: "mac" })).rejects.toThrow(/codesign --sign 'Developer ID Application: Example Ltd \(ABCDE12345\)' .* failed \(exit code 1\)/);
    const calls = tools.calls().map((c) => `${c.program} ${c.args[0]}`);
    expect(calls).toEqual(["security create-keychain", "security set-keychain-settings", "security unlock-keychain", "security import", "security set-key-partition-list", "codesign --sign", "security delete-keychain"]);
    const logged = context.logger.infos().join("\n");
    expect(logged).toContain("security import ");
    expect(logged).not.toContain(CERTIFICATE_PASSWORD);
    const keychainPassword = tools.calls()[0]!.args[2]!;
    expect(logged).not.toContain(keychainPassword);
  });

  test("skip: Windows needs signing.win; macOS needs an identity (or ad hoc) and a macOS host", () => {
    const unsigned = stepContext(hello(`${appTargets("standalone")}signing:\n  mac:\n    adHoc: false\n`)).plan;
    expect(signSkip(unsigned, { target: "standalone", platform: "win" })).toBe("signing.win is not configured: Windows files stay unsigned");
    expect(signSkip(unsigned, { target: "standalone", platform: "mac" }, "darwin")).toBe("signing.mac has no identity and adHoc is false");
    const adHoc = stepContext(hello(`${appTargets("standalone")}signing:\n  mac:\n    adHoc: true\n`)).plan;
    expect(signSkip(adHoc, { target: "standalone", platform: "mac" }, "darwin")).toBe(false);
    expect(signSkip(adHoc, { target: "component" }, "linux")).toBe("macOS code signing runs on macOS hosts; this build runs on linux");
    expect(signStep.skip!(adHoc, { target: "standalone", platform: "mac" })).toBe(process.platform === "darwin" ? false : `macOS code signing runs on macOS hosts; this build runs on ${process.platform}`);
  });
});
