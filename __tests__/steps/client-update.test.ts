import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { clientUpdateStep } from "../../src/builder/steps/client-update.js";
import { appTargets, FIXTURE_APP, hello, listTree, runStep, stageApplication, stepContext, zipNames } from "../testctx.js";

const SETTINGS = "network:\n  serverAddress: hello.example.com\n  linkCode: ${secret.LINK}\nautoUpdate:\n  enabled: true\n  currentVersion: 3\n  acceptedClientVersions: { min: 2, max: 3 }\n";
const ENV = { LINK: "hello-link" };

describe("client-update: Upgrade4DClient inside the server", () => {
  test("one update archive per client built in this build (the application's contents, without its folder), and info.json", async () => {
    const context = stepContext(hello(appTargets("server", "client") + SETTINGS), { env: ENV });
    const clients = { mac: await stageApplication(context, { target: "client", platform: "mac" }), win: await stageApplication(context, { target: "client", platform: "win" }) };
    const server = await stageApplication(context, { target: "server", platform: "mac" });
    await runStep(context, clientUpdateStep, { target: "server", platform: "mac" });
    const folder = path.join(server.contents, "Upgrade4DClient");
    expect(readdirSync(folder).sort()).toEqual(["info.json", "update.mac.4darchive", "update.win.4darchive"]);
    for (const platform of ["mac", "win"] as const) {
      const names = zipNames(path.join(folder, `update.${platform}.4darchive`));
      expect(names).toEqual(await listTree(clients[platform].root, { folders: true }));
    }
    expect(zipNames(path.join(folder, "update.mac.4darchive"))).toContain("Contents/MacOS/Hello Client");
    expect(JSON.parse(readFileSync(path.join(folder, "info.json"), "utf8"))).toEqual({
      BuildName: "Hello",
      BuildIPAddress: "hello.example.com",
      BuildIPPort: "19813",
      BuildHardLink: "hello-link",
      BuildRangeVersMin: "2",
      BuildRangeVersMax: "3",
      BuildCurrentVers: "3",
      PublishName: "Hello",
      ServerPlatform: "mac",
      macUpdate: "update.mac.4darchive",
      winUpdate: "update.win.4darchive",
    });
    expect(context.warnings).toEqual([]);
  });

  test("the other platform's client from autoUpdate.otherPlatformClient, a .4darchive built there; a signed macOS client is named", async () => {
    const other = "  otherPlatformClient:\n    win:\n      source: ../../__tests__/fixtures/app/client.4darchive\nsigning:\n  mac:\n    identity: \"Developer ID Application: Example Ltd (ABCDE12345)\"\n";
    const context = stepContext(`${hello(appTargets("server"))}    platforms: [mac]\n  client:\n    platforms: [mac]\n    runtime:\n      mac: \${env.RUNTIMES}/mac/4D Volume Desktop.app\n${SETTINGS}${other}`, { env: ENV });
    await stageApplication(context, { target: "client", platform: "mac" });
    const server = await stageApplication(context, { target: "server", platform: "mac" });
    await runStep(context, clientUpdateStep, { target: "server", platform: "mac" });
    const folder = path.join(server.contents, "Upgrade4DClient");
    expect(readFileSync(path.join(folder, "update.win.4darchive")).equals(readFileSync(path.join(FIXTURE_APP, "client.4darchive")))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(folder, "info.json"), "utf8"))).toMatchObject({ MacCertificate: "Developer ID Application: Example Ltd (ABCDE12345)", MacSignature: true, macUpdate: "update.mac.4darchive", winUpdate: "update.win.4darchive" });
  });

  test("a folder as the other platform's client is refused: only a .4darchive can be embedded", async () => {
    const other = "  otherPlatformClient:\n    win:\n      source: ${env.RUNTIMES}/win/4D Volume Desktop\n";
    const context = stepContext(hello(`${appTargets("server")}    platforms: [mac]\n${SETTINGS}${other}`), { env: ENV });
    await expect(runStep(context, clientUpdateStep, { target: "server", platform: "mac" })).rejects.toThrow("autoUpdate.otherPlatformClient.win.source must be a .4darchive when 4dbuild builds the server");
  });

  test("without any client archive: a warning, and no Upgrade4DClient folder", async () => {
    const context = stepContext(hello(appTargets("server") + SETTINGS), { env: ENV });
    const server = await stageApplication(context, { target: "server", platform: "win" });
    await runStep(context, clientUpdateStep, { target: "server", platform: "win" });
    expect(existsSync(path.join(server.contents, "Upgrade4DClient"))).toBe(false);
    expect(context.warnings).toEqual([{ severity: "warning", code: "no-client-update", message: "the win server has no client update archive: no client is built and no otherPlatformClient is given" }]);
  });

  test("skipped unless autoUpdate.enabled; only for servers", () => {
    const { plan } = stepContext(hello(appTargets("server", "client")));
    expect(clientUpdateStep.skip!(plan, { target: "server", platform: "mac" })).toBe("autoUpdate.enabled is false");
    expect(clientUpdateStep.appliesTo({ target: "client", platform: "mac" })).toBe(false);
  });
});
