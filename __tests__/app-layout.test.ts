import { existsSync, lstatSync, statSync } from "node:fs";
import path from "node:path";
import { appPaths, copyRuntime } from "../src/builder/app/paths.js";
import { detectRuntime } from "../src/builder/app/runtime.js";
import { loadManifest } from "../src/manifest/load.js";
import { ROOT, tempDir } from "./helpers.js";

const plan = loadManifest(path.join(ROOT, "examples", "hello", "4dbuild.yml"), { env: {}, git: () => undefined, checkFiles: false }).plan!;
const RUNTIMES = path.join(ROOT, "examples", "runtimes");

test.each([
  ["standalone", "mac", "mac/4D Volume Desktop.app", ["Final Application/Hello.app/Contents/MacOS/Hello", "Final Application/Hello.app/Contents/Resources/Hello.rsrc"], ["Contents/MacOS/4D Volume Desktop", "Contents/Resources/4D Volume Desktop.rsrc"]],
  ["server", "mac", "mac/4D Server.app", ["Client Server executable/Hello Server.app/Contents/MacOS/Hello Server", "Client Server executable/Hello Server.app/Contents/Resources/Hello Server.rsrc"], ["Contents/MacOS/4D Server"]],
  ["client", "mac", "mac/4D Volume Desktop.app", ["Client Server executable/Hello Client.app/Contents/MacOS/Hello Client"], ["Contents/MacOS/4D Volume Desktop"]],
  ["standalone", "win", "win/4D Volume Desktop", ["Final Application/Hello/Hello.exe", "Final Application/Hello/Hello.rsr", "Final Application/Hello/Hello.pri"], ["4D Volume Desktop.4DE", "4D Volume Desktop.rsr"]],
  ["server", "win", "win/4D Server", ["Client Server executable/Hello Server/Hello Server.exe", "Client Server executable/Hello Server/Resources/Hello Server.rsr", "Client Server executable/Hello Server/Hello Server.pri"], ["4D Server.exe", "Resources/4D Server.rsr"]],
  ["client", "win", "win/4D Volume Desktop", ["Client Server executable/Hello Client/Hello Client.exe", "Client Server executable/Hello Client/Hello Client.rsr"], ["4D Volume Desktop.4DE"]],
] as const)("%s for %s: the runtime is copied and renamed after the application", async (target, platform, runtime, present, absent) => {
  const out = tempDir("app");
  const paths = appPaths(out, plan, { target, platform });
  const folder = path.join(RUNTIMES, runtime);
  await copyRuntime(folder, detectRuntime(folder), paths, { sourceDate: 1700000000, signal: new AbortController().signal });
  for (const file of present) expect({ file, exists: existsSync(path.join(out, file)) }).toEqual({ file, exists: true });
  for (const file of absent) expect({ file, exists: existsSync(path.join(paths.root, file)) }).toEqual({ file, exists: false });
  if (platform === "mac") {
    expect(statSync(paths.executable).mode & 0o777).toBe(0o755);
    expect(lstatSync(path.join(paths.contents, "Frameworks", "4DZip.framework", "Versions", "Current")).isSymbolicLink()).toBe(true);
  }
});

test("where structure, Info.plist, licences and web files go", () => {
  const rel = (p: string) => path.relative("/out", p);
  const mac = appPaths("/out", plan, { target: "standalone", platform: "mac" });
  expect([mac.structure, mac.infoPlist, mac.licenses, mac.webFiles].map(rel)).toEqual(["Final Application/Hello.app/Contents/Database", "Final Application/Hello.app/Contents/Info.plist", "Final Application/Hello.app/Contents/Licenses", "Final Application"]);
  const winServer = appPaths("/out", plan, { target: "server", platform: "win" });
  expect([winServer.structure, winServer.infoPlist, winServer.licenses, winServer.webFiles].map(rel)).toEqual(["Client Server executable/Hello Server/Server Database", "Client Server executable/Hello Server/Resources/Info.plist", "Client Server executable/Hello Server/Licenses", "Client Server executable/Hello Server/Server Database"]);
  const winClient = appPaths("/out", plan, { target: "client", platform: "win" });
  expect([winClient.structure, winClient.webFiles].map(rel)).toEqual(["Client Server executable/Hello Client/Database", "Client Server executable/Hello Client"]);
});
