import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { dataStep, licensesStep, linkStep } from "../../src/builder/steps/app-files.js";
import { exclusionsStep } from "../../src/builder/steps/exclusions.js";
import { PLUGIN_KEYS_FOLDER, pluginKeysStep } from "../../src/builder/steps/plugin-keys.js";
import { appTargets, artifactPaths, FIXTURE_APP, hello, HELLO_DIR, listTree, readPlist, runStep, runtimeOf, stageApplication, stepContext, tempDir, writeTree } from "../testctx.js";

const read = (file: string) => readFileSync(file, "utf8");

describe("exclusions: excluded modules, components and plug-ins removed from the application", () => {
  test("modules by 4dbuild's table, components by name, plug-ins by name; the rest stays", async () => {
    const exclude = "modules:\n  exclude: [SpellChecker, PHP, CEF]\ncomponents:\n  exclude: [4D SVG]\nplugins:\n  exclude: [Charts]\n";
    const context = stepContext(hello(appTargets("standalone") + exclude));
    const paths = await stageApplication(context, { target: "standalone", platform: "mac" });
    writeTree(paths.plugins, { "Charts.bundle/Contents/Info.plist": "excluded", "Maps.bundle/Contents/Info.plist": "kept" });
    writeTree(paths.components, { "4D SVG.4dbase/Contents/4D SVG.4DZ": "excluded", "4D NetKit.4dbase/Contents/4D NetKit.4DZ": "kept" });
    const before = await listTree(paths.root);
    await runStep(context, exclusionsStep, { target: "standalone", platform: "mac" });
    const removed = before.filter((p) => !existsSync(path.join(paths.root, p)));
    expect(removed).toEqual([
      "Contents/Components/4D SVG.4dbase/Contents/4D SVG.4DZ",
      "Contents/Frameworks/Chromium Embedded Framework.framework", // CEF, a macOS-only path
      "Contents/Native Components/WebViewerCEF.bundle/Contents/Frameworks/Chromium Embedded Framework.framework/Chromium Embedded Framework",
      "Contents/Plugins/Charts.bundle/Contents/Info.plist",
      "Contents/Resources/Spellcheck/en_US.dic",
      "Contents/Resources/php/php-fcgi-4d",
    ]);
    expect(existsSync(path.join(paths.components, "4D NetKit.4dbase"))).toBe(true);
    expect(context.warnings).toEqual([]);
  });

  test("with modules.definitions, the 4D's BuildappOptionalModules.json says what a module removes", async () => {
    const context = stepContext(hello(`${appTargets("server")}modules:\n  definitions: ../../__tests__/fixtures/app/4D/BuildappOptionalModules.json\n  exclude: [4D Updater]\n`));
    const paths = await stageApplication(context, { target: "server", platform: "win" });
    expect(existsSync(path.join(paths.root, "Resources", "Updater"))).toBe(true);
    await runStep(context, exclusionsStep, { target: "server", platform: "win" });
    expect(existsSync(path.join(paths.root, "Resources", "Updater"))).toBe(false);
    expect(existsSync(path.join(paths.root, "Resources", "Spellcheck"))).toBe(true);
  });

  test("a module whose files are not known, and plug-ins excluded by id, are warnings, not removals", async () => {
    const context = stepContext(hello(`${appTargets("standalone")}modules:\n  exclude: [4D Qodly Pro]\nplugins:\n  excludeIds: [13000]\n`));
    const paths = await stageApplication(context, { target: "standalone", platform: "win" });
    writeTree(paths.plugins, { "Old.bundle/Info.plist": "plug-in" });
    const before = await listTree(paths.root);
    await runStep(context, exclusionsStep, { target: "standalone", platform: "win" });
    expect(await listTree(paths.root)).toEqual(before);
    expect(context.warnings.map((w) => [w.code, w.message])).toEqual([
      ["module-files-unknown", "which files the 4D Qodly Pro module has on Windows is not known: it is not removed"],
      ["plugin-id-unknown", "the plug-in Old.bundle has no readable id (manifest.json): plugins.excludeIds cannot apply to it, it is kept"],
    ]);
  });

  test("skipped when nothing is excluded", () => {
    expect(exclusionsStep.skip!(stepContext(hello(appTargets("standalone"))).plan, { target: "standalone", platform: "mac" })).toBe("nothing is excluded");
  });
});

describe("licenses, embed: copy", () => {
  const DEVELOPER = "4DDP210UUS001NUMBERDEV01.license4D";
  const DESKTOP = "4UUD210UUS001NUMBERDEP02.license4D";
  const SERVER = "4UOS210UUS001NUMBERSRV03.license4D";
  const files = `licenses:\n  embed: copy\n  files:\n    mac: ["\${env.LICENCES}/${DEVELOPER}", "\${env.LICENCES}/${DESKTOP}", "\${env.LICENCES}/${SERVER}"]\n    win: ["\${env.LICENCES}/${SERVER}", "\${env.LICENCES}/${DESKTOP}"]\n`;
  /** Licence files written from "secrets", as a workflow does. */
  const licences = () => {
    const dir = tempDir("licences");
    writeTree(dir, Object.fromEntries([DEVELOPER, DESKTOP, SERVER].map((name) => [name, `${name.slice(0, 4)}-LICENCE-BYTES`])));
    return { LICENCES: dir };
  };

  test("the one deployment licence of the platform that fits the application copied byte for byte as 1.license4D; the others stay behind", async () => {
    const env = licences();
    const context = stepContext(hello(appTargets("standalone") + files), { env });
    const mac = await stageApplication(context, { target: "standalone", platform: "mac" });
    const win = await stageApplication(context, { target: "standalone", platform: "win" });
    await runStep(context, licensesStep, { target: "standalone", platform: "mac" });
    await runStep(context, licensesStep, { target: "standalone", platform: "win" });
    expect(readdirSync(mac.licenses).map((name) => [name, read(path.join(mac.licenses, name))])).toEqual([["1.license4D", "4UUD-LICENCE-BYTES"]]);
    expect(readdirSync(win.licenses).map((name) => [name, read(path.join(win.licenses, name))])).toEqual([["1.license4D", "4UUD-LICENCE-BYTES"]]);
    expect(context.logger.events).toEqual(expect.not.arrayContaining([expect.objectContaining({ kind: "info" })])); // licence names are never logged
  });

  test("skipped with mode none, and for a client (licensed by its server) unless it embeds an application with Default Data", () => {
    expect(licensesStep.skip!(stepContext(hello(appTargets("standalone"))).plan, { target: "standalone", platform: "mac" })).toBe("licenses.mode is none: users activate a licence at first launch");
    const env = licences();
    const { plan } = stepContext(hello(appTargets("standalone", "client") + files), { env });
    expect(licensesStep.skip!(plan, { target: "client", platform: "win" })).toBe("a client takes its licence from the server (unless it embeds a single-user application with Default Data)");
    expect(licensesStep.skip!(plan, { target: "standalone", platform: "win" })).toBe(false);
    const embedded = tempDir("single-user");
    writeTree(embedded, { "Hello.4DZ": "structure" });
    const client = `targets:\n  client:\n${runtimeOf("Volume Desktop")}    embeddedApplication:\n      win: \${env.EMBEDDED}\n`;
    expect(licensesStep.skip!(stepContext(hello(client + files), { env: { ...env, EMBEDDED: embedded } }).plan, { target: "client", platform: "win" })).toMatch(/^a client takes its licence/);
    writeTree(embedded, { "Default Data/Default.4DD": "data" });
    expect(licensesStep.skip!(stepContext(hello(client + files), { env: { ...env, EMBEDDED: embedded } }).plan, { target: "client", platform: "win" })).toBe(false);
  });

  test("a client embedding a single-user application with Default Data gets the stand-alone licence", async () => {
    const embedded = tempDir("single-user");
    writeTree(embedded, { "Hello.4DZ": "structure", "Default Data/Default.4DD": "data" });
    const client = `targets:\n  client:\n${runtimeOf("Volume Desktop")}    embeddedApplication:\n      mac: \${env.EMBEDDED}\n`;
    const context = stepContext(hello(client + files), { env: { ...licences(), EMBEDDED: embedded } });
    const paths = await stageApplication(context, { target: "client", platform: "mac" });
    await runStep(context, licensesStep, { target: "client", platform: "mac" });
    expect(readdirSync(paths.licenses).map((name) => [name, read(path.join(paths.licenses, name))])).toEqual([["1.license4D", "4UUD-LICENCE-BYTES"]]);
  });
});

describe("licenses made by 4D's Create deployment license (a stand-in tool4d)", () => {
  const TOOL4D = path.join(FIXTURE_APP, "..", "tool4d", "bin", "tool4d");
  const DESKTOP = "4UUD210UUS001NUMBERDEP02.license4D";
  const SERVER = "4UOS210UUS001NUMBERSRV03.license4D";
  const licences = () => {
    const dir = tempDir("licences");
    writeTree(dir, { [DESKTOP]: "desktop", [SERVER]: "server" });
    return dir;
  };
  const files = `  files:\n    mac: ["\${env.LICENCES}/${DESKTOP}", "\${env.LICENCES}/${SERVER}"]\n    win: ["\${env.LICENCES}/${DESKTOP}", "\${env.LICENCES}/${SERVER}"]\n`;
  const LICENCE_TEXT = /NUMBERDEP|NUMBERSRV|STANDIN-LICENSE-NUMBER/;

  test("embed: create gives each stand-alone and server the licence of its kind; licence names are masked", async () => {
    const context = stepContext(hello(`${appTargets("standalone", "server")}licenses:\n  embed: create\n${files}`), { env: { LICENCES: licences(), TOOL4D } });
    const standalone = await stageApplication(context, { target: "standalone", platform: "mac" });
    const server = await stageApplication(context, { target: "server", platform: "win" });
    await runStep(context, licensesStep, { target: "standalone", platform: "mac" });
    await runStep(context, licensesStep, { target: "server", platform: "win" });
    expect(read(path.join(standalone.licenses, "Deployment.license4D"))).toBe(`STAND-IN deployment licence for Hello.app made from ${DESKTOP}\n`);
    expect(read(path.join(server.licenses, "Deployment.license4D"))).toBe(`STAND-IN deployment licence for Hello Server made from ${SERVER}\n`);
    expect(context.redactor.redact(`${DESKTOP} ${SERVER}`)).not.toMatch(LICENCE_TEXT);
  });

  test("mode: automatic asks for a 4D Volume Desktop (1) or 4D Server (5) licence", async () => {
    const context = stepContext(hello(`${appTargets("standalone", "server")}licenses:\n  mode: automatic\n`), { env: { TOOL4D } });
    const server = await stageApplication(context, { target: "server", platform: "mac" });
    await runStep(context, licensesStep, { target: "server", platform: "mac" });
    expect(read(path.join(server.licenses, "Deployment.license4D"))).toBe("STAND-IN deployment licence for Hello Server.app made from the machine's licences for target 5\n");
  });

  test("mode: evaluation writes the runner's licence number as the evaluation key and masks it", async () => {
    const context = stepContext(hello(`${appTargets("standalone")}licenses:\n  mode: evaluation\n  evaluationName: Hello Trial\n`), { env: { TOOL4D } });
    const mac = await stageApplication(context, { target: "standalone", platform: "mac" });
    const win = await stageApplication(context, { target: "standalone", platform: "win" });
    await runStep(context, licensesStep, { target: "standalone", platform: "mac" });
    await runStep(context, licensesStep, { target: "standalone", platform: "win" });
    for (const plist of [mac.infoPlist, win.infoPlist]) expect(readPlist(plist)["com.4D.BuildApp.EvaluationKey"]).toBe("STANDIN-LICENSE-NUMBER");
    expect(context.redactor.redact("key STANDIN-LICENSE-NUMBER")).toBe("key ***");
  });

  test("a licence 4D refuses is a build error that names no licence; without a runner, the error says which setting to use", async () => {
    const refused = stepContext(hello(`${appTargets("standalone")}licenses:\n  embed: create\n${files}`), { env: { LICENCES: licences(), TOOL4D, STANDIN_TOOL4D_SCENARIO: "errors" } });
    await stageApplication(refused, { target: "standalone", platform: "win" });
    const error = await runStep(refused, licensesStep, { target: "standalone", platform: "win" }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^Create deployment license for standalone win failed: The license is not valid for this application; Invalid license \(1021\)/);
    expect(refused.redactor.redact(error!.message)).not.toMatch(LICENCE_TEXT); // the build shows messages through the redactor
    const unconfigured = stepContext(hello(`${appTargets("standalone")}licenses:\n  mode: automatic\n`));
    await stageApplication(unconfigured, { target: "standalone", platform: "mac" });
    await expect(runStep(unconfigured, licensesStep, { target: "standalone", platform: "mac" })).rejects.toThrow("licenses.mode automatic runs 4D's licence commands but no tool4d is configured");
  });
});

describe("data: the Default Data folder beside the structure", () => {
  test("copied into Database (stand-alone) and Server Database (server)", async () => {
    const context = stepContext(hello(`${appTargets("standalone", "server")}data:\n  defaultFolder: Default Data\n`));
    await runStep(context, dataStep, { target: "standalone", platform: "mac" });
    await runStep(context, dataStep, { target: "server", platform: "win" });
    expect(await listTree(context.out)).toEqual(["Client Server executable/Hello Server/Server Database/Default Data/Default.4DD", "Final Application/Hello.app/Contents/Database/Default Data/Default.4DD"]);
    expect(read(path.join(context.out, "Final Application/Hello.app/Contents/Database/Default Data/Default.4DD"))).toBe(read(path.join(HELLO_DIR, "Default Data", "Default.4DD")));
  });

  test("skipped with data.embedDefaultData: false; never for a client", () => {
    const { plan } = stepContext(hello(`${appTargets("standalone")}data:\n  embedDefaultData: false\n`));
    expect(dataStep.skip!(plan, { target: "standalone", platform: "mac" })).toBe("data.embedDefaultData is false");
    expect(dataStep.appliesTo({ target: "client", platform: "mac" })).toBe(false);
  });
});

describe("plugin-keys: end-user key files beside the applications", () => {
  const keys = "plugins:\n  keys:\n    - plugin: QPix\n      kind: runtime\n      key: ${secret.QPIX_RUNTIME}\n    - plugin: QPix\n      kind: serverExpansion\n      key: ${secret.QPIX_SERVER}\n    - plugin: QDrop\n      kind: serverExpansion\n      key: QDROPSERVERKEY16\n";
  const env = { QPIX_RUNTIME: "AbCdEfGhIjKlMnOpQrStUv-123", QPIX_SERVER: "QWERTYUIOPASDFGH" };

  test("named by the vendor's rule from the executable's name, owner-only, registered with where to install them", async () => {
    const context = stepContext(hello(appTargets("standalone", "server") + keys), { env });
    await runStep(context, pluginKeysStep, { target: "standalone", platform: "mac" });
    await runStep(context, pluginKeysStep, { target: "server", platform: "win" });
    const standaloneKey = path.join(context.out, "Final Application", PLUGIN_KEYS_FOLDER, "Hello.QLC");
    expect(read(standaloneKey)).toBe(`${env.QPIX_RUNTIME}\n`);
    expect(statSync(standaloneKey).mode & 0o777).toBe(0o600);
    // Two server keys: one folder per plug-in.
    expect(await listTree(path.join(context.out, "Client Server executable", PLUGIN_KEYS_FOLDER))).toEqual(["QDrop/Hello_Server.QLC", "QPix/Hello_Server.QLC"]);
    expect(context.artifacts.filter((a) => a.kind === "plugin-key").map(({ plugin, target, platform, installTo }) => ({ plugin, target, platform, installTo }))).toEqual([
      { plugin: "QPix", target: "standalone", platform: "mac", installTo: "~/Library/Application Support/Hello/Escape/Hello.QLC" },
      { plugin: "QPix", target: "server", platform: "win", installTo: "%APPDATA%\\Hello Server\\Escape\\Hello_Server.QLC" },
      { plugin: "QDrop", target: "server", platform: "win", installTo: "%APPDATA%\\Hello Server\\Escape\\Hello_Server.QLC" },
    ]);
    expect(artifactPaths(context, "target")).toEqual([`Final Application/${PLUGIN_KEYS_FOLDER}`, `Client Server executable/${PLUGIN_KEYS_FOLDER}`]);
    expect(context.redactor.redact(`${env.QPIX_RUNTIME} ${env.QPIX_SERVER}`)).toBe("*** ***");
  });

  test("skipped when no key of the target's kind is listed", () => {
    const { plan } = stepContext(hello(`${appTargets("standalone", "server")}plugins:\n  keys:\n    - { plugin: QPix, kind: runtime, key: ABCDEFGHIJKLMNOP }\n`));
    expect(pluginKeysStep.skip!(plan, { target: "server", platform: "mac" })).toBe("no serverExpansion plug-in key is listed");
    expect(pluginKeysStep.skip!(plan, { target: "standalone", platform: "mac" })).toBe(false);
  });
});

describe("link: EnginedServer.4DLink of a client", () => {
  test("the server's address, port and publication name; shared resources on Windows", async () => {
    const network = "    cacheFolderName: Hello Cache\n    shareLocalResources: true\nnetwork:\n  serverAddress: hello.example.com\n  port: 19900\n";
    const context = stepContext(hello(appTargets("client") + network));
    await runStep(context, linkStep, { target: "client", platform: "mac" });
    await runStep(context, linkStep, { target: "client", platform: "win" });
    const head = '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<database_shortcut is_remote="true" server_database_name="Hello" server_path="hello.example.com:19900" cache_folder_name="Hello Cache"';
    expect(read(path.join(context.out, "Client Server executable/Hello Client.app/Contents/Database/EnginedServer.4DLink"))).toBe(`${head}/>\n`);
    expect(read(path.join(context.out, "Client Server executable/Hello Client/Database/EnginedServer.4DLink"))).toBe(`${head} remote_shared_resources="true"/>\n`);
  });

  test("skipped for a client that embeds a single-user application", () => {
    const embedded = tempDir("single-user");
    writeTree(embedded, { "Hello.4DZ": "structure" });
    const client = `targets:\n  client:\n${runtimeOf("Volume Desktop")}    embeddedApplication:\n      mac: \${env.EMBEDDED}\n`;
    const { plan } = stepContext(hello(client), { env: { EMBEDDED: embedded } });
    expect(linkStep.skip!(plan, { target: "client", platform: "mac" })).toBe("the client embeds a single-user application: no connection file");
    expect(linkStep.skip!(plan, { target: "client", platform: "win" })).toBe(false);
  });
});
