import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { uuidOffsets, uuidText } from "../../src/builder/app/macho.js";
import { readWindowsVersion } from "../../src/builder/app/pe-resources.js";
import { iconFor, iconStep } from "../../src/builder/steps/icon.js";
import { metadataStep } from "../../src/builder/steps/metadata.js";
import { appTargets, FIXTURE_APP, hello, HELLO_DIR, readPlist, RUNTIMES, runStep, stageApplication, stepContext, tempDir, writeTree } from "../testctx.js";

const VERSIONING = "versioning:\n  common:\n    version: 1.2.3\n    copyright: © 2026 Example Ltd\n    companyName: Example Ltd\n  server:\n    fileDescription: Hello Server\n";
const uuids = (file: string) => {
  const binary = readFileSync(file);
  return uuidOffsets(binary).map((o) => uuidText(binary, o));
};

describe("metadata: what identifies the application", () => {
  test("macOS: Info.plist keys merged into the runtime's, copyright lines released, Mach-O UUIDs made the application's own", async () => {
    const context = stepContext(hello(`${appTargets("standalone", "client")}${VERSIONING}`));
    const standalone = await stageApplication(context, { target: "standalone", platform: "mac" });
    const client = await stageApplication(context, { target: "client", platform: "mac" });
    const runtimeUuids = uuids(standalone.executable);
    await runStep(context, metadataStep, { target: "standalone", platform: "mac" });
    await runStep(context, metadataStep, { target: "client", platform: "mac" });
    expect(readPlist(standalone.infoPlist)).toEqual({
      CFBundleDisplayName: "Hello",
      CFBundleExecutable: "Hello",
      CFBundleIconFile: "4D Volume Desktop.icns", // the runtime's, until the icon step
      CFBundleIdentifier: "Example-Ltd.Hello",
      CFBundleName: "Hello",
      CFBundlePackageType: "APPL",
      CFBundleShortVersionString: "1.2.3",
      CFBundleVersion: "1.2.3",
      DataFileConversionMode: "0",
      NSHumanReadableCopyright: "© 2026 Example Ltd",
      SDIRuntime: "0",
      "com.4D.BuildApp.LastDataPathLookup": "ByAppName",
      "com.4D.BuildApp.ReadOnlyApp": "true",
    });
    expect(readPlist(client.infoPlist)).toMatchObject({ CFBundleName: "Hello Client", CFBundleIdentifier: "Example-Ltd.Hello-Client", PublishName: "Hello", "com.4D.BuildApp.ServerSelectionAllowed": "false" });
    const bytes = readFileSync(path.join(standalone.resources, "en.lproj", "InfoPlist.strings"));
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]); // still UTF-16, as the runtime wrote it
    const strings = bytes.subarray(2).toString("utf16le");
    expect(strings).toContain('NS4DHumanReadableCopyright = "© 4D SAS";');
    expect(strings).toContain("CF4DBundleGetInfoString =");
    const [mine, theirs] = [uuids(standalone.executable), uuids(client.executable)];
    expect(mine).toHaveLength(runtimeUuids.length);
    expect(mine.some((u) => runtimeUuids.includes(u))).toBe(false);
    expect(mine).not.toEqual(theirs);
    // The same bundle identifier always gives the same UUIDs.
    const again = stepContext(hello(`${appTargets("standalone", "client")}${VERSIONING}`));
    await stageApplication(again, { target: "standalone", platform: "mac" });
    await runStep(again, metadataStep, { target: "standalone", platform: "mac" });
    expect(uuids(path.join(again.out, "Final Application", "Hello.app", "Contents", "MacOS", "Hello"))).toEqual(mine);
  });

  test("Windows server: Info.plist in Resources without macOS keys, version resources, the elevated Updater manifest", async () => {
    const server = "    cacheFolderName: Hello Server 21\n    hideMenuItems:\n      dataExplorer: true\n";
    const context = stepContext(hello(`${appTargets("server")}${server}network:\n  linkCode: \${secret.LINK}\nautoUpdate:\n  currentVersion: 3\n  acceptedClientVersions: { min: 2, max: 3 }\n  elevated:\n    server: true\n${VERSIONING}`), { env: { LINK: "link-code" } });
    const paths = await stageApplication(context, { target: "server", platform: "win" });
    await runStep(context, metadataStep, { target: "server", platform: "win" });
    const keys = readPlist(paths.infoPlist);
    expect(keys).toMatchObject({ BuildName: "Hello", BuildHardLink: "link-code", BuildRangeVersMin: "2", BuildRangeVersMax: "3", BuildCurrentVers: "3", "4D_SingleInstance": "1", "com.4d.ServerCacheFolderName": "Hello Server 21", "com.4D.HideDataExplorerMenuItem": "true", "com.4D.HideRuntimeExplorerMenuItem": "false" });
    expect(Object.keys(keys).filter((k) => k.startsWith("CFBundleName") || k === "CFBundleExecutable" || k === "NSHumanReadableCopyright")).toEqual([]);
    expect(readWindowsVersion(readFileSync(paths.executable))).toEqual(
      expect.objectContaining({ ProductName: "Hello Server", OriginalFilename: "Hello Server.exe", FileVersion: "1.2.3", ProductVersion: "1.2.3", LegalCopyright: "© 2026 Example Ltd", CompanyName: "Example Ltd", FileDescription: "Hello Server" }),
    );
    const updater = path.join(paths.root, "Resources", "Updater");
    expect(readFileSync(path.join(updater, "Updater.exe.manifest"), "utf8")).toBe(readFileSync(path.join(RUNTIMES, "win", "4D Server", "Resources", "Updater", "elevated.manifest"), "utf8"));
    expect([existsSync(path.join(updater, "elevated.manifest")), existsSync(path.join(updater, "normal.manifest"))]).toEqual([false, false]);
  });

  test("client: TLS keys; a client embedding a single-user application is dataless and publishes no name", async () => {
    const embedded = tempDir("single-user");
    writeTree(embedded, { "Hello.4DZ": "structure" });
    const tls = "network:\n  tls:\n    domainName: hello.example.com\n    certificateAuthorities: ../../__tests__/fixtures/app/ca.pem\n";
    const context = stepContext(hello(`${appTargets("client")}    embeddedApplication:\n      mac: \${env.EMBEDDED}\n${tls}`), { env: { EMBEDDED: embedded } });
    const mac = await stageApplication(context, { target: "client", platform: "mac" });
    const win = await stageApplication(context, { target: "client", platform: "win" });
    await runStep(context, metadataStep, { target: "client", platform: "mac" });
    await runStep(context, metadataStep, { target: "client", platform: "win" });
    const [embedding, connecting] = [readPlist(mac.infoPlist), readPlist(win.infoPlist)];
    for (const keys of [embedding, connecting]) expect(keys).toMatchObject({ CertificateAuthoritiesCertificates: "ca.pem", CertificateDomainName: "hello.example.com" });
    expect(embedding["com.4d.BuildApp.dataless"]).toBe("true");
    expect(embedding).not.toHaveProperty("PublishName");
    expect(connecting).toMatchObject({ PublishName: "Hello" });
    expect(connecting).not.toHaveProperty("com.4d.BuildApp.dataless");
  });

  test("naming: the application names follow the patterns; bundle identifiers are configured, else company name and title", async () => {
    const naming = 'naming:\n  server: "{name}Server"\n  client: "{name} Remote"\n  bundleIdentifier:\n    server: com.example.hello.server\n';
    const context = stepContext(hello(`${naming}${appTargets("server", "client")}${VERSIONING}`));
    const server = await stageApplication(context, { target: "server", platform: "mac" });
    const client = await stageApplication(context, { target: "client", platform: "mac" });
    await runStep(context, metadataStep, { target: "server", platform: "mac" });
    await runStep(context, metadataStep, { target: "client", platform: "mac" });
    expect(path.relative(context.out, server.root)).toBe(path.join("Client Server executable", "HelloServer.app"));
    expect(readPlist(server.infoPlist)).toMatchObject({ CFBundleName: "HelloServer", CFBundleExecutable: "HelloServer", CFBundleIdentifier: "com.example.hello.server" });
    expect(readPlist(client.infoPlist)).toMatchObject({ CFBundleName: "Hello Remote", CFBundleIdentifier: "Example-Ltd.Hello-Remote" }); // Build4D's rule
  });

  test.each([
    ["mac", "#!/bin/sh\n", /Final Application\/Hello\.app\/Contents\/MacOS\/Hello cannot be edited: not a Mach-O executable/],
    ["win", "MZ but not a program\n", /Final Application\/Hello\/Hello\.exe cannot be edited: /],
  ] as const)("a damaged %s executable is a clear build error naming the file", async (platform, content, message) => {
    const context = stepContext(hello(appTargets("standalone")));
    const paths = await stageApplication(context, { target: "standalone", platform });
    writeFileSync(paths.executable, content);
    await expect(runStep(context, metadataStep, { target: "standalone", platform })).rejects.toThrow(message);
  });
});

describe("icon", () => {
  test("macOS: the icon renamed after the application in Resources, CFBundleIconFile, and the window icon", async () => {
    const context = stepContext(hello(`${appTargets("server")}    icon:\n      mac: Hello.icns\n`));
    const paths = await stageApplication(context, { target: "server", platform: "mac" });
    await runStep(context, iconStep, { target: "server", platform: "mac" });
    const icon = readFileSync(path.join(HELLO_DIR, "Hello.icns"));
    expect(readFileSync(path.join(paths.resources, "Hello Server.icns")).equals(icon)).toBe(true);
    expect(readPlist(paths.infoPlist).CFBundleIconFile).toBe("Hello Server.icns");
    expect(readFileSync(path.join(paths.resources, "Images", "WindowIcons", "windowIcon_205.icns")).equals(icon)).toBe(true);
  });

  test("naming.icon: source keeps the icon file's own name", async () => {
    const icons = "    icon:\n      mac: ../../__tests__/fixtures/app/App.icns\n      win: ../../__tests__/fixtures/app/App.ico\n";
    const context = stepContext(hello(`naming:\n  icon: source\n${appTargets("server")}${icons}`));
    const paths = await stageApplication(context, { target: "server", platform: "mac" });
    const win = await stageApplication(context, { target: "server", platform: "win" });
    await runStep(context, iconStep, { target: "server", platform: "mac" });
    await runStep(context, iconStep, { target: "server", platform: "win" });
    expect(readFileSync(path.join(paths.resources, "App.icns")).equals(readFileSync(path.join(FIXTURE_APP, "App.icns")))).toBe(true);
    expect(readPlist(paths.infoPlist).CFBundleIconFile).toBe("App.icns");
    expect(existsSync(path.join(paths.resources, "Hello Server.icns"))).toBe(false);
    expect(readFileSync(path.join(win.root, "App.ico")).equals(readFileSync(path.join(FIXTURE_APP, "App.ico")))).toBe(true);
    expect(existsSync(path.join(win.root, "Hello Server.ico"))).toBe(false);
  });

  test("Windows: the executable's icon replaced, and <Title>.ico beside it", async () => {
    const context = stepContext(hello(`${appTargets("client")}    icon:\n      win: Hello.ico\n`));
    const paths = await stageApplication(context, { target: "client", platform: "win" });
    const ico = readFileSync(path.join(HELLO_DIR, "Hello.ico"));
    const image = ico.subarray(ico.readUInt32LE(18), ico.readUInt32LE(18) + ico.readUInt32LE(14)); // the first image of the .ico
    expect(readFileSync(paths.executable).includes(image)).toBe(false);
    await runStep(context, iconStep, { target: "client", platform: "win" });
    expect(readFileSync(paths.executable).includes(image)).toBe(true);
    expect(readFileSync(path.join(paths.root, "Hello Client.ico")).equals(ico)).toBe(true);
  });

  test("a stand-alone without an icon takes <Project>.icns / .ico beside the project; other targets are skipped", () => {
    const { plan } = stepContext(hello(appTargets("standalone", "server")));
    expect(iconFor(plan, { target: "standalone", platform: "mac" })).toBe(path.join(HELLO_DIR, "Hello.icns"));
    expect(iconFor(plan, { target: "standalone", platform: "win" })).toBe(path.join(HELLO_DIR, "Hello.ico"));
    expect(iconStep.skip!(plan, { target: "standalone", platform: "win" })).toBe(false);
    expect(iconStep.skip!(plan, { target: "server", platform: "mac" })).toBe("no icon configured and no default icon beside the project");
  });
});
