import path from "node:path";
import { appInfoPlistKeys, bundleIdentifier, engineServerLink, publicationName } from "../src/builder/app/metadata.js";
import { loadManifest, loadManifestText } from "../src/manifest/load.js";
import { FIXTURES, ROOT } from "./helpers.js";

const example = loadManifest(path.join(ROOT, "examples", "hello", "4dbuild.yml"), { env: {}, git: () => undefined, checkFiles: false }).plan!;

test("the publication name comes from the project's settings.4DSettings", () => {
  expect(publicationName(example)).toBe("Hello");
  const bare = loadManifestText(path.join(FIXTURES, "manifests", "x.yml"), 'version: 1\nname: Bare\nproject: ../app/Project/App.4DProject\n4dVersion: "21"\ntargets:\n  compiled: {}\n', { env: {} }).plan!;
  expect(publicationName(bare)).toBe("Bare");
});

test("EnginedServer.4DLink: address and port, publication name, cache folder, shared resources on Windows", () => {
  expect(engineServerLink(example, "mac")).toBe('<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<database_shortcut is_remote="true" server_database_name="Hello" server_path="hello.example.com:19813"/>\n');
  const plan = loadManifestText(path.join(FIXTURES, "manifests", "x.yml"), 'version: 1\nproject: ../app/Project/App.4DProject\n4dVersion: "21"\ntargets:\n  client:\n    runtime: { win: ../app/runtimes/win/4D Volume Desktop }\n    cacheFolderName: Shared Cache & co\n    shareLocalResources: true\nnetwork:\n  port: 19900\n', { env: {} }).plan!;
  expect(engineServerLink(plan, "win")).toBe('<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<database_shortcut is_remote="true" server_database_name="App" server_path=":19900" cache_folder_name="Shared Cache &amp; co" remote_shared_resources="true"/>\n');
  expect(engineServerLink(plan, "mac")).not.toContain("remote_shared_resources");
});

test("Info.plist keys of a macOS stand-alone application", () => {
  expect(appInfoPlistKeys(example, "standalone", "mac", "Hello.icns")).toEqual({
    CFBundleDisplayName: "Hello",
    CFBundleExecutable: "Hello",
    CFBundleIconFile: "Hello.icns",
    CFBundleIdentifier: "Example-Ltd.Hello",
    CFBundleName: "Hello",
    CFBundleShortVersionString: "1.0.0",
    CFBundleVersion: "1.0.0",
    DataFileConversionMode: "0",
    NSHumanReadableCopyright: "© 2026 Example Ltd",
    SDIRuntime: "0",
    "com.4D.BuildApp.LastDataPathLookup": "ByAppName",
    "com.4D.BuildApp.ReadOnlyApp": "true",
  });
});

test("Info.plist keys of a Windows server: no macOS keys, server settings", () => {
  expect(appInfoPlistKeys(example, "server", "win")).toEqual({
    "4D_SingleInstance": "1",
    BuildCurrentVers: "3",
    BuildHardLink: "hello-example",
    BuildName: "Hello",
    BuildRangeVersMax: "3",
    BuildRangeVersMin: "2",
    DataFileConversionMode: "0",
    PublishName: "Hello",
    SDIRuntime: "0",
    "com.4D.BuildApp.LastDataPathLookup": "ByAppPath",
    "com.4D.BuildApp.ReadOnlyApp": "true",
    "com.4D.HideAdministrationWindowMenuItem": "false",
    "com.4D.HideDataExplorerMenuItem": "true",
    "com.4D.HideRuntimeExplorerMenuItem": "true",
    "com.4d.ServerCacheFolderName": "Hello Server 21",
    "com.4d.dataCollection": "true",
  });
});

test("Info.plist keys of a macOS client: client settings; versions of the client subset override common", () => {
  const keys = appInfoPlistKeys(example, "client", "mac");
  expect(keys).toEqual(
    expect.objectContaining({ CFBundleName: "Hello Client", CFBundleIdentifier: "Example-Ltd.Hello-Client", "4D_SingleInstance": "1", "com.4D.BuildApp.ServerSelectionAllowed": "true", RemoteSharedResources: "false", BuildCacheFolderNameClient: "", PublishName: "Hello" }),
  );
  expect(keys).not.toHaveProperty("com.4D.BuildApp.LastDataPathLookup");
  expect(bundleIdentifier(example, "server")).toBe("Example-Ltd.Hello-Server");
});
