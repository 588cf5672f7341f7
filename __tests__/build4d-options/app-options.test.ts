import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { appInfoPlistKeys, dataPathFor } from "../../src/builder/app/metadata.js";
import { appPathsStep } from "../../src/builder/steps/app-paths.js";
import { clientArchiveStep } from "../../src/builder/steps/client-archive.js";
import { exclusionsStep } from "../../src/builder/steps/exclusions.js";
import { metadataStep } from "../../src/builder/steps/metadata.js";
import { packStep } from "../../src/builder/steps/pack.js";
import { serverSettingsStep } from "../../src/builder/steps/server-settings.js";
import { layoutStep } from "../../src/builder/steps/target-folder.js";
import { loadManifestText } from "../../src/manifest/load.js";
import { appTargets, artifactPaths, hello, HELLO_DIR, listTree, readPlist, runStep, stageApplication, stagePacked, stageProject, stepContext, writeTree, zipNames } from "../testctx.js";

const PROJECT_SETTINGS = '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<preferences stamp="1">\n\t<com.4d>\n\t\t<server>\n\t\t\t<network>\n\t\t\t\t<options publication_name="Hello" publication_port="19813"/>\n\t\t\t</network>\n\t\t</server>\n\t</com.4d>\n</preferences>\n';

describe("Build4D options read back from the built application", () => {
  test("sdi: true writes SDIRuntime 1 into the Windows client; the stand-alone keeps the default 0, as Build4D writes it", async () => {
    const context = stepContext(hello(`${appTargets("standalone", "client")}    sdi: true\n`));
    const standalone = await stageApplication(context, { target: "standalone", platform: "win" });
    const client = await stageApplication(context, { target: "client", platform: "win" });
    await runStep(context, metadataStep, { target: "standalone", platform: "win" });
    await runStep(context, metadataStep, { target: "client", platform: "win" });
    expect(readPlist(standalone.infoPlist).SDIRuntime).toBe("0");
    expect(readPlist(client.infoPlist).SDIRuntime).toBe("1");
  });

  test("targets.server.settings edits the server's own settings.4DSettings inside its .4DZ; the stand-alone keeps the project's", async () => {
    const settings = "    settings:\n      publicationName: Hello Production\n      publicationPort: 20000\n      sqlPort: 20001\n      allowUserSettings: true\n      web:\n        httpPort: 8080\n        allowSsl: true\n      webOptions:\n        cors: true\n        keepAliveTimeout: 30\n      rest:\n        launchAtStartup: true\n      soap:\n        enabled: false\n        name: HelloService\n";
    const context = stepContext(hello(`${appTargets("standalone", "server")}${settings}`));
    stageProject(context, { "Hello.4DProject": "{}\n", "DerivedData/CompiledCode/map.json": "{}\n", "Sources/settings.4DSettings": PROJECT_SETTINGS });
    await runStep(context, packStep);
    await runStep(context, serverSettingsStep);
    const server = await stageApplication(context, { target: "server", platform: "mac" });
    const standalone = await stageApplication(context, { target: "standalone", platform: "win" });
    await runStep(context, layoutStep, { target: "server", platform: "mac" });
    await runStep(context, layoutStep, { target: "standalone", platform: "win" });
    const read = (structure: string) => execFileSync("unzip", ["-p", path.join(structure, "Hello.4DZ"), "Project/Sources/settings.4DSettings"], { encoding: "utf8" });
    const edited = read(server.structure);
    expect(edited).toContain('<options publication_name="Hello Production" publication_port="20000"/>');
    expect(edited).toContain('<publication port_number="20001"/>');
    expect(edited).toContain('<general allow_user_settings="true"/>');
    expect(edited).toContain('<configuration port_number="8080" allow_ssl="true"/>');
    expect(edited).toMatch(/<cors enabled="true"\/>[\s\S]*|<keep_alive timeout="30"\/>/);
    expect(edited).toContain('<rest launch_at_startup="true"/>');
    expect(edited).toContain('<server allow_requests="false" name="HelloService"/>');
    expect(read(standalone.structure)).toBe(PROJECT_SETTINGS);
    expect(appInfoPlistKeys(context.plan, "server", "mac").PublishName).toBe("Hello Production");
  });

  test("a server without settings edits shares the common structure (the step is skipped)", () => {
    const context = stepContext(hello(appTargets("server")));
    expect(serverSettingsStep.skip?.(context.plan)).toBe("targets.server.settings sets nothing");
  });

  test("Info.plist values as Build4D writes them: ReadOnlyApp true even unpacked, dataCollection true by default, DataFilePath in the target's syntax", () => {
    const context = stepContext(hello(`${appTargets("standalone", "server")}structure:\n  pack: false\ndata:\n  filePath: Data/Hello.4DD\n`));
    const mac = appInfoPlistKeys(context.plan, "standalone", "mac");
    expect(mac["com.4D.BuildApp.ReadOnlyApp"]).toBe("true");
    expect(mac.BuildDataPath).toBe(":Data:Hello.4DD");
    expect(appInfoPlistKeys(context.plan, "server", "win").BuildDataPath).toBe("\\Data\\Hello.4DD");
    expect(appInfoPlistKeys(context.plan, "server", "win")["com.4d.dataCollection"]).toBe("true");
    expect(dataPathFor("C:\\Data\\Hello.4DD", "win")).toBe("C:\\Data\\Hello.4DD");
    expect(dataPathFor("Macintosh HD:Data:Hello.4DD", "mac")).toBe("Macintosh HD:Data:Hello.4DD");
  });

  test("a client built without the server writes the .4darchive a server of the other platform embeds", async () => {
    const context = stepContext(hello(`${appTargets("client")}autoUpdate:\n  enabled: true\n`));
    expect(context.plan.config.targets.client?.updateArchive).toBe(true);
    const client = await stageApplication(context, { target: "client", platform: "win" });
    await runStep(context, clientArchiveStep, { target: "client", platform: "win" });
    const archive = path.join(context.out, "Client Server executable", "Upgrade4DClient", "update.win.4darchive");
    expect(zipNames(archive)).toEqual(await listTree(client.root, { folders: true }));
    expect(artifactPaths(context, "target")).toEqual(["Client Server executable/Upgrade4DClient/update.win.4darchive"]);
    const withServer = stepContext(hello(`${appTargets("client", "server")}autoUpdate:\n  enabled: true\n`));
    expect(clientArchiveStep.skip?.(withServer.plan, { target: "client", platform: "win" })).toMatch(/updateArchive is false/);
  });

  test("plugins.excludeIds removes the plug-ins whose manifest.json gives the id; one without a readable id is kept, with a warning", async () => {
    const context = stepContext(hello(`${appTargets("standalone")}plugins:\n  excludeIds: [15010]\n`));
    const app = await stageApplication(context, { target: "standalone", platform: "mac" });
    writeTree(app.plugins, {
      "Internet.bundle/Contents/manifest.json": JSON.stringify({ name: "4D Internet Commands", id: 15010 }),
      "Kept.bundle/Contents/manifest.json": JSON.stringify({ name: "Kept", id: 99 }),
      "Flat.bundle/manifest.json": JSON.stringify({ id: "15010" }),
      "Unknown.bundle/Contents/Info.plist": "<plist/>",
    });
    await runStep(context, exclusionsStep, { target: "standalone", platform: "mac" });
    expect(["Internet", "Kept", "Flat", "Unknown"].map((n) => existsSync(path.join(app.plugins, `${n}.bundle`)))).toEqual([false, true, false, true]);
    expect(context.warnings.map((w) => w.code)).toEqual(["plugin-id-unknown"]);
  });

  test("targets.<application>.files adds and removes anywhere inside the application, relative to its base; .. is refused", async () => {
    const context = stepContext(hello(`${appTargets("standalone")}    files:\n      include:\n        - { from: README.md, to: Resources/Docs }\n      delete: [Native Components, Resources/Nothing]\n`));
    const mac = await stageApplication(context, { target: "standalone", platform: "mac" });
    const win = await stageApplication(context, { target: "standalone", platform: "win" });
    for (const platform of ["mac", "win"] as const) await runStep(context, appPathsStep, { target: "standalone", platform });
    for (const app of [mac, win]) {
      expect(readFileSync(path.join(app.contents, "Resources", "Docs", "README.md"), "utf8")).toBe(readFileSync(path.join(HELLO_DIR, "README.md"), "utf8"));
      expect(existsSync(path.join(app.contents, "Native Components"))).toBe(false);
    }
    expect(context.warnings.map((w) => w.code)).toEqual(["delete-missing", "delete-missing"]);
    const outside = loadManifestText(path.join(HELLO_DIR, "4dbuild.yml"), hello(`${appTargets("standalone")}    files:\n      delete: [../../etc]\n`), { env: { RUNTIMES: "/nowhere" }, checkFiles: false, checkProject: false, git: () => undefined });
    expect(outside.diagnostics.some((d) => d.severity === "error" && d.pointer === "/targets/standalone/files/delete/0")).toBe(true);
  });

  test("Windows App Runtime: without 4D's definition files, the files Build4D names are removed from the Windows application, with a warning about removeFluentUI", async () => {
    const context = stepContext(hello(`${appTargets("standalone")}modules:\n  exclude: [Windows App Runtime]\n`, "21 R2"), { checks: false });
    const app = await stageApplication(context, { target: "standalone", platform: "win" });
    mkdirSync(app.contents, { recursive: true });
    for (const name of ["Microsoft.WindowsAppRuntime.Bootstrap.dll", "XamlIslandsHelper.dll", "windowsAppRuntimeBootstrap.pri"]) writeFileSync(path.join(app.contents, name), "x");
    await runStep(context, exclusionsStep, { target: "standalone", platform: "win" });
    expect(existsSync(path.join(app.contents, "XamlIslandsHelper.dll"))).toBe(false);
    expect(context.warnings.map((w) => w.code)).toEqual(["remove-fluent-ui"]);
  });

  test("4D 21 R2 renamed 4D Qodly Pro: the old name is an error that gives the new one", () => {
    const loaded = loadManifestText(path.join(HELLO_DIR, "4dbuild.yml"), hello(`${appTargets("standalone")}modules:\n  exclude: [4D Qodly Pro]\n`, "21 R2"), { env: { RUNTIMES: "/nowhere" }, checkFiles: false, checkProject: false, git: () => undefined });
    expect(loaded.diagnostics.find((d) => d.code === "module-not-in-version")).toMatchObject({ message: '4D 21 R2 renamed 4D Qodly Pro "4D Qodly Pro and Data Explorer"', hint: 'write "4D Qodly Pro and Data Explorer"' });
  });

  test("an obfuscated .4DZ is a clear error that names 4D's own builder", async () => {
    const context = stepContext(hello(`targets:\n  compiled: {}\nstructure:\n  standardZip: false\n`));
    stageProject(context);
    await expect(runStep(context, packStep)).rejects.toThrow("build.engine: 4d");
  });
});

test("stagePacked stays usable for the layout of a server without edits", async () => {
  const context = stepContext(hello(appTargets("server")));
  stagePacked(context);
  const server = await stageApplication(context, { target: "server", platform: "win" });
  await runStep(context, layoutStep, { target: "server", platform: "win" });
  expect(readFileSync(path.join(server.structure, "Hello.4DZ"), "utf8")).toBe("STAGED .4DZ");
});
