import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { componentPlistStep } from "../../src/builder/steps/component-plist.js";
import { layoutStep } from "../../src/builder/steps/target-folder.js";
import { appTargets, artifactPaths, FIXTURE_APP, hello, HELLO_DIR, listTree, projectCopy, readPlist, runStep, runtimeOf, SOURCE_DATE, stageApplication, stagePacked, stageProject, stepContext, tempDir, writeTree } from "../testctx.js";

const read = (file: string) => readFileSync(file, "utf8");

describe("layout of the compiled structure", () => {
  test("the .4DZ under the build name, Libraries, associated folders and structure.include", async () => {
    const include = "structure:\n  include:\n    - from: WebFolder\n    - from: Settings/directory.json\n      to: Extras/users.json\n";
    const context = stepContext(hello(`targets:\n  compiled:\n    associatedFolders: true\n${include}`));
    stagePacked(context, "PACKED STRUCTURE");
    await runStep(context, layoutStep, { target: "compiled" });
    expect(await listTree(context.out)).toEqual([
      "Compiled Database/Hello/Extras/users.json",
      "Compiled Database/Hello/Hello.4DZ",
      "Compiled Database/Hello/Libraries/lib4d-arm64.dylib",
      "Compiled Database/Hello/Resources/en.lproj/Hello.xlf",
      "Compiled Database/Hello/WebFolder/index.html",
    ]);
    const root = path.join(context.out, "Compiled Database", "Hello");
    expect(read(path.join(root, "Hello.4DZ"))).toBe("PACKED STRUCTURE");
    expect(read(path.join(root, "Extras", "users.json"))).toBe(read(path.join(HELLO_DIR, "Settings", "directory.json")));
    expect(context.artifacts.filter((a) => a.kind === "target")).toEqual([{ kind: "target", target: "compiled", path: root }]);
    // Folders are stamped after their files are added.
    expect([lstatSync(root).mtimeMs / 1000, lstatSync(path.join(root, "Extras")).mtimeMs / 1000]).toEqual([SOURCE_DATE, SOURCE_DATE]);
  });

  test("without associatedFolders no Resources; unpacked, the Project folder is copied", async () => {
    const context = stepContext(hello("targets:\n  compiled: {}\nstructure:\n  pack: false\n"));
    stageProject(context, { "Hello.4DProject": "{}\n", "DerivedData/CompiledCode/map.json": "{}\n" });
    await runStep(context, layoutStep, { target: "compiled" });
    expect(await listTree(context.out)).toEqual(["Compiled Database/Hello/Libraries/lib4d-arm64.dylib", "Compiled Database/Hello/Project/DerivedData/CompiledCode/map.json", "Compiled Database/Hello/Project/Hello.4DProject"]);
  });
});

describe("layout of the component", () => {
  test("from 4D 20 R8: Contents/ holds the .4DZ, Libraries and Resources", async () => {
    const context = stepContext(hello("targets:\n  component: {}\n"));
    stagePacked(context);
    await runStep(context, layoutStep, { target: "component" });
    expect(await listTree(context.out)).toEqual(["Components/Hello.4dbase/Contents/Documentation/Methods/hello_greet.md", "Components/Hello.4dbase/Contents/Hello.4DZ", "Components/Hello.4dbase/Contents/Libraries/lib4d-arm64.dylib", "Components/Hello.4dbase/Contents/Resources/en.lproj/Hello.xlf"]);
    expect(artifactPaths(context, "target")).toEqual(["Components/Hello.4dbase"]);
  });

  test("before 4D 20 R8 it is flat", async () => {
    const context = stepContext(hello("targets:\n  component: {}\nstructure:\n  pack: false\n", "20 R7"));
    stageProject(context, { "Hello.4DProject": "{}\n" });
    await runStep(context, layoutStep, { target: "component" });
    expect(await listTree(context.out)).toEqual(["Components/Hello.4dbase/Documentation/Methods/hello_greet.md", "Components/Hello.4dbase/Libraries/lib4d-arm64.dylib", "Components/Hello.4dbase/Project/Hello.4DProject", "Components/Hello.4dbase/Resources/en.lproj/Hello.xlf"]);
  });
});

describe("component-plist: the component's Info.plist (4D 20 R8 and later)", () => {
  const versioning = "versioning:\n  common:\n    version: 1.2.3\n    copyright: © 2026 Example Ltd\n";

  test("name, version and copyright of the manifest, keys sorted", async () => {
    const context = stepContext(hello(`targets:\n  component: {}\n${versioning}`));
    mkdirSync(path.join(context.out, "Components", "Hello.4dbase", "Contents"), { recursive: true });
    await runStep(context, componentPlistStep, { target: "component" });
    const file = path.join(context.out, "Components", "Hello.4dbase", "Contents", "Info.plist");
    expect(readPlist(file)).toEqual({ CFBundleDisplayName: "Hello", CFBundleName: "Hello", CFBundlePackageType: "BNDL", CFBundleShortVersionString: "1.2.3", CFBundleVersion: "1.2.3", NSHumanReadableCopyright: "© 2026 Example Ltd" });
    expect([...read(file).matchAll(/<key>(\w+)<\/key>/g)].map((m) => m[1])).toEqual(["CFBundleDisplayName", "CFBundleName", "CFBundlePackageType", "CFBundleShortVersionString", "CFBundleVersion", "NSHumanReadableCopyright"]);
  });

  test("merged over the project's own Info.plist, whose other keys stay", async () => {
    const dir = projectCopy();
    writeFileSync(path.join(dir, "Info.plist"), '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>CFBundleIdentifier</key><string>com.example.hello</string><key>CFBundleName</key><string>Old</string></dict></plist>\n');
    const context = stepContext(hello(`targets:\n  component: {}\n${versioning}`), { dir });
    mkdirSync(path.join(context.out, "Components", "Hello.4dbase", "Contents"), { recursive: true });
    await runStep(context, componentPlistStep, { target: "component" });
    expect(readPlist(path.join(context.out, "Components", "Hello.4dbase", "Contents", "Info.plist"))).toMatchObject({ CFBundleIdentifier: "com.example.hello", CFBundleName: "Hello", CFBundleVersion: "1.2.3" });
  });

  test("skipped before 4D 20 R8, with the reason", () => {
    expect(componentPlistStep.skip!(stepContext(hello("targets:\n  component: {}\n", "20 R7")).plan, { target: "component" })).toBe("components have an Info.plist from 4D 20 R8 on; 4D 20 R7 uses the flat layout");
    expect(componentPlistStep.appliesTo({ target: "compiled" })).toBe(false);
  });
});

describe("layout of an application", () => {
  test("macOS stand-alone: the structure in Contents/Database, the project's components and plug-ins, the web folder beside the package", async () => {
    const dir = projectCopy();
    writeTree(dir, { "Components/Tools.4dbase/Tools.4DZ": "component", "Plugins/Charts.bundle/Contents/Info.plist": "plug-in" });
    const context = stepContext(hello(appTargets("standalone")), { dir });
    await stageApplication(context, { target: "standalone", platform: "mac" });
    stagePacked(context, "PACKED");
    await runStep(context, layoutStep, { target: "standalone", platform: "mac" });
    const tree = await listTree(path.join(context.out, "Final Application"));
    expect(tree).toEqual(
      expect.arrayContaining([
        "Hello.app/Contents/Database/Hello.4DZ",
        "Hello.app/Contents/Database/Libraries/lib4d-arm64.dylib",
        "Hello.app/Contents/Database/Resources/en.lproj/Hello.xlf",
        "Hello.app/Contents/Components/Tools.4dbase/Tools.4DZ",
        "Hello.app/Contents/Plugins/Charts.bundle/Contents/Info.plist",
        "WebFolder/index.html",
      ]),
    );
    const contents = path.join(context.out, "Final Application", "Hello.app", "Contents");
    expect(read(path.join(contents, "Database", "Hello.4DZ"))).toBe("PACKED");
    // Every folder is stamped once its files are in, so that the tree is the same on every machine.
    for (const folder of ["", "Database", "Components", "Plugins/Charts.bundle"]) expect([folder, lstatSync(path.join(contents, folder)).mtimeMs / 1000]).toEqual([folder, SOURCE_DATE]);
    // The web folder sits outside the package: an output of its own.
    expect(artifactPaths(context, "target")).toEqual(["Final Application/Hello.app", "Final Application/WebFolder"]);
  });

  test("Windows stand-alone: the web folder and TLS files go beside the structure, inside the application", async () => {
    const web = tempDir("web");
    writeTree(web, { "server-cert.pem": "CERT", "server-key.pem": "KEY" });
    const context = stepContext(hello(`${appTargets("standalone")}web:\n  certificate: \${env.WEB}/server-cert.pem\n  privateKey: \${env.WEB}/server-key.pem\n`), { env: { WEB: web } });
    await stageApplication(context, { target: "standalone", platform: "win" });
    stagePacked(context);
    await runStep(context, layoutStep, { target: "standalone", platform: "win" });
    const database = path.join(context.out, "Final Application", "Hello", "Database");
    expect(readdirSync(database).sort()).toEqual(["Hello.4DZ", "Libraries", "Resources", "WebFolder", "cert.pem", "key.pem"]);
    expect([read(path.join(database, "cert.pem")), read(path.join(database, "key.pem"))]).toEqual(["CERT", "KEY"]);
    expect(artifactPaths(context, "target")).toEqual(["Final Application/Hello"]);
  });

  test("server: users and groups embedded; a Windows server takes the structure compiled on macOS for Apple Silicon clients", async () => {
    const macBuild = tempDir("mac-build");
    writeTree(macBuild, { "Hello.4DZ": "UNIVERSAL STRUCTURE", "Libraries/lib4d-arm64.dylib": "ARM64 CODE" });
    const server = `    embedUsersAndGroups: true\n    appleSiliconClients:\n      compiledStructure: \${env.MAC_BUILD}\n`;
    const context = stepContext(hello(`targets:\n  server:\n${runtimeOf("Server")}${server}`), { env: { MAC_BUILD: macBuild } });
    for (const platform of ["mac", "win"] as const) await stageApplication(context, { target: "server", platform });
    stagePacked(context, "THIS HOST'S STRUCTURE");
    await runStep(context, layoutStep, { target: "server", platform: "win" });
    await runStep(context, layoutStep, { target: "server", platform: "mac" });
    const win = path.join(context.out, "Client Server executable", "Hello Server", "Server Database");
    const mac = path.join(context.out, "Client Server executable", "Hello Server.app", "Contents", "Server Database");
    expect(read(path.join(win, "Settings", "directory.json"))).toBe(read(path.join(HELLO_DIR, "Settings", "directory.json")));
    expect([read(path.join(win, "Hello.4DZ")), read(path.join(win, "Libraries", "lib4d-arm64.dylib"))]).toEqual(["UNIVERSAL STRUCTURE", "ARM64 CODE"]);
    expect([read(path.join(mac, "Hello.4DZ")), read(path.join(mac, "Libraries", "lib4d-arm64.dylib"))]).toEqual(["THIS HOST'S STRUCTURE", read(path.join(HELLO_DIR, "Libraries", "lib4d-arm64.dylib"))]);
    expect(readdirSync(mac).sort()).toEqual(["Hello.4DZ", "Libraries", "Resources", "Settings"]); // on macOS the web folder is beside the package
  });

  test("an incomplete Apple Silicon structure, or users and groups the project lacks, is a build error", async () => {
    const macBuild = tempDir("mac-build");
    writeTree(macBuild, { "Hello.4DZ": "UNIVERSAL STRUCTURE" });
    const context = stepContext(hello(`targets:\n  server:\n${runtimeOf("Server")}    appleSiliconClients:\n      compiledStructure: \${env.MAC_BUILD}\n`), { env: { MAC_BUILD: macBuild } });
    stagePacked(context);
    await expect(runStep(context, layoutStep, { target: "server", platform: "win" })).rejects.toThrow("targets.server.appleSiliconClients.compiledStructure must hold Hello.4DZ and Libraries/lib4d-arm64.dylib, built on macOS for both architectures");
    const dir = projectCopy();
    rmSync(path.join(dir, "Settings"), { recursive: true });
    const withoutUsers = stepContext(hello(`targets:\n  server:\n${runtimeOf("Server")}    embedUsersAndGroups: true\n`), { dir });
    stagePacked(withoutUsers);
    await expect(runStep(withoutUsers, layoutStep, { target: "server", platform: "mac" })).rejects.toThrow("targets.server.embedUsersAndGroups is true but the project has no Settings/directory.json");
  });

  test("client: no structure of its own, the trusted certificate authorities in Resources", async () => {
    const tls = "network:\n  serverAddress: hello.example.com\n  tls:\n    domainName: hello.example.com\n    certificateAuthorities: ../../__tests__/fixtures/app/ca.pem\n";
    const context = stepContext(hello(appTargets("client") + tls));
    const paths = await stageApplication(context, { target: "client", platform: "mac" });
    const win = await stageApplication(context, { target: "client", platform: "win" });
    await runStep(context, layoutStep, { target: "client", platform: "mac" });
    await runStep(context, layoutStep, { target: "client", platform: "win" });
    for (const resources of [paths.resources, win.resources]) expect(read(path.join(resources, "ca.pem"))).toBe(read(path.join(FIXTURE_APP, "ca.pem")));
    expect(readdirSync(paths.contents)).not.toContain("Database");
    expect(readdirSync(win.root)).toContain("WebFolder"); // a Windows client keeps its web folder inside
    expect(artifactPaths(context, "target")).toEqual(["Client Server executable/Hello Client.app", "Client Server executable/WebFolder", "Client Server executable/Hello Client"]);
  });

  test("client embedding a single-user application: its folder in Database, the structure renamed after the client", async () => {
    const embedded = tempDir("single-user");
    writeTree(embedded, { "Hello.4DZ": "EMBEDDED", "Libraries/lib4d-arm64.dylib": "ARM", "Resources/en.lproj/Hello.xlf": "<xliff/>", "Default Data/Default.4DD": "DATA" });
    const client = `targets:\n  client:\n${runtimeOf("Volume Desktop")}    embeddedApplication:\n      mac: \${env.EMBEDDED}\n      win: \${env.EMBEDDED}\n`;
    const context = stepContext(hello(client), { env: { EMBEDDED: embedded } });
    await stageApplication(context, { target: "client", platform: "win" });
    await runStep(context, layoutStep, { target: "client", platform: "win" });
    const database = path.join(context.out, "Client Server executable", "Hello Client", "Database");
    expect(readdirSync(database).sort()).toEqual(["Default Data", "Hello Client.4DZ", "Libraries", "Resources"]);
    expect([read(path.join(database, "Hello Client.4DZ")), read(path.join(database, "Default Data", "Default.4DD"))]).toEqual(["EMBEDDED", "DATA"]);

    const empty = tempDir("empty");
    const refused = stepContext(hello(client), { env: { EMBEDDED: empty } });
    await expect(runStep(refused, layoutStep, { target: "client", platform: "win" })).rejects.toThrow("targets.client.embeddedApplication.win holds no compiled structure (.4DZ or .4DC)");
  });

  test("nothing is laid out before a structure was staged", async () => {
    const context = stepContext(hello(appTargets("standalone")));
    await expect(runStep(context, layoutStep, { target: "standalone", platform: "win" })).rejects.toThrow("no structure was staged before this step");
  });
});
