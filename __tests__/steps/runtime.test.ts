import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { runtimeStep } from "../../src/builder/steps/runtime.js";
import { appTargets, hello, listTree, RUNTIMES, runStep, runtimeOf, SOURCE_DATE, stepContext } from "../testctx.js";

/** The runtime's files as they should be in the application: its executable and resource files renamed. */
async function renamed(runtime: string, renames: Record<string, string>): Promise<string[]> {
  return (await listTree(path.join(RUNTIMES, runtime))).map((p) => renames[p] ?? p).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

describe("runtime: the 4D runtime copied and renamed after the application", () => {
  test("macOS stand-alone: every file of 4D Volume Desktop, the executable and .rsrc renamed, links and modes kept", async () => {
    const context = stepContext(hello(appTargets("standalone")));
    await runStep(context, runtimeStep, { target: "standalone", platform: "mac" });
    const app = path.join(context.out, "Final Application", "Hello.app");
    expect(await listTree(app)).toEqual(await renamed("mac/4D Volume Desktop.app", { "Contents/MacOS/4D Volume Desktop": "Contents/MacOS/Hello", "Contents/Resources/4D Volume Desktop.rsrc": "Contents/Resources/Hello.rsrc" }));
    expect(readFileSync(path.join(app, "Contents/MacOS/Hello")).equals(readFileSync(path.join(RUNTIMES, "mac/4D Volume Desktop.app/Contents/MacOS/4D Volume Desktop")))).toBe(true);
    const executable = lstatSync(path.join(app, "Contents/MacOS/Hello"));
    expect([executable.mode & 0o777, executable.mtimeMs / 1000]).toEqual([0o755, SOURCE_DATE]);
    expect(readlinkSync(path.join(app, "Contents/Frameworks/4DZip.framework/Versions/Current"))).toBe("A");
    expect(context.logger.lastProgress()?.files).toBe((await listTree(app)).filter((p) => !lstatSync(path.join(app, p)).isSymbolicLink()).length);
    expect(context.artifacts).toEqual([]); // the layout step registers the application
  });

  test("Windows server and client: .exe, .rsr and .pri renamed (a client from 4D Volume Desktop.4DE)", async () => {
    const context = stepContext(hello(appTargets("server", "client")));
    await runStep(context, runtimeStep, { target: "server", platform: "win" });
    await runStep(context, runtimeStep, { target: "client", platform: "win" });
    const folder = path.join(context.out, "Client Server executable");
    expect(await listTree(path.join(folder, "Hello Server"))).toEqual(await renamed("win/4D Server", { "4D Server.exe": "Hello Server.exe", "Resources/4D Server.rsr": "Resources/Hello Server.rsr", "4D Server.pri": "Hello Server.pri" }));
    expect(await listTree(path.join(folder, "Hello Client"))).toEqual(await renamed("win/4D Volume Desktop", { "4D Volume Desktop.4DE": "Hello Client.exe", "4D Volume Desktop.rsr": "Hello Client.rsr", "4D Volume Desktop.pri": "Hello Client.pri" }));
  });

  test("naming: the server pattern names the application; renameResources: false keeps the runtime's resource names", async () => {
    const context = stepContext(hello(`naming:\n  server: "{name}Server"\n  renameResources: false\n${appTargets("server")}`));
    await runStep(context, runtimeStep, { target: "server", platform: "mac" });
    await runStep(context, runtimeStep, { target: "server", platform: "win" });
    const tree = await listTree(path.join(context.out, "Client Server executable"));
    expect(tree).toEqual(expect.arrayContaining(["HelloServer.app/Contents/MacOS/HelloServer", "HelloServer.app/Contents/Resources/4D Server.rsrc", "HelloServer/HelloServer.exe", "HelloServer/Resources/4D Server.rsr", "HelloServer/4D Server.pri"]));
    expect(tree.filter((p) => /4D Server(\.exe)?$|HelloServer\.rsrc?$/.test(p))).toEqual([]);
  });

  test.each([
    ["of the wrong kind", `targets:\n  standalone:\n    runtime:\n      mac: \${env.RUNTIMES}/mac/4D Server.app\n`, "mac", "targets.standalone.runtime.mac is 4D Server, but this target needs 4D Volume Desktop", "21"],
    ["for the wrong platform", `targets:\n  standalone:\n    platforms: [win]\n    runtime:\n      win: \${env.RUNTIMES}/mac/4D Volume Desktop.app\n`, "win", "targets.standalone.runtime.win is a macOS runtime, but it is used for Windows", "21"],
    ["of another 4D version", `targets:\n  standalone:\n${runtimeOf("Volume Desktop")}`, "mac", 'targets.standalone.runtime.mac is 4D Volume Desktop 21.0 (build 100301), but 4dVersion is "20"', "20"],
    ["that is no runtime at all", `targets:\n  standalone:\n    runtime:\n      mac: \${env.RUNTIMES}\n`, "mac", `${RUNTIMES} is neither a 4D Volume Desktop nor a 4D Server`, "21"],
  ] as const)("a runtime %s is refused before anything is copied", async (_, targets, platform, message, fourD) => {
    const context = stepContext(hello(targets, fourD), { checks: false });
    await expect(runStep(context, runtimeStep, { target: "standalone", platform })).rejects.toThrow(message);
    expect(await listTree(context.out, { folders: true })).toEqual([]);
  });
});
