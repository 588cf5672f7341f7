import { lstatSync, readlinkSync, statSync } from "node:fs";
import path from "node:path";
import { copyTree } from "../src/files/copy.js";
import { checkRuntime, detectRuntime } from "../src/builder/app/runtime.js";
import { parseFourDVersion } from "../src/four-d/version.js";
import { ROOT, tempDir } from "./helpers.js";

const RUNTIMES = path.join(ROOT, "examples", "runtimes");
const v21 = parseFourDVersion("21")!;

const V21 = { version: "21.0", appVersion: { short: "21.0", bundle: "21.0.100301", major: 21, release: 0, build: 100301 } };

test.each([
  ["mac/4D Volume Desktop.app", { platform: "mac", kind: "Volume Desktop", executable: "Contents/MacOS/4D Volume Desktop", ...V21 }],
  ["mac/4D Server.app", { platform: "mac", kind: "Server", executable: "Contents/MacOS/4D Server", ...V21 }],
  ["win/4D Volume Desktop", { platform: "win", kind: "Volume Desktop", executable: "4D Volume Desktop.4DE", ...V21 }],
  ["win/4D Server", { platform: "win", kind: "Server", executable: "4D Server.exe", ...V21 }],
])("detects %s from its content", (folder, expected) => {
  expect(detectRuntime(path.join(RUNTIMES, folder))).toEqual(expected);
});

test("a runtime of the wrong platform, kind or version is refused with a clear message", () => {
  const vl = detectRuntime(path.join(RUNTIMES, "mac/4D Volume Desktop.app"));
  expect(() => checkRuntime(vl, { platform: "win", kind: "Volume Desktop", field: "targets.standalone.runtime.win" }, v21)).toThrow("targets.standalone.runtime.win is a macOS runtime, but it is used for Windows");
  expect(() => checkRuntime(vl, { platform: "mac", kind: "Server", field: "targets.server.runtime.mac" }, v21)).toThrow("targets.server.runtime.mac is 4D Volume Desktop, but this target needs 4D Server");
  expect(() => checkRuntime(vl, { platform: "mac", kind: "Volume Desktop", field: "targets.standalone.runtime.mac" }, parseFourDVersion("20 R8")!)).toThrow('targets.standalone.runtime.mac is 4D Volume Desktop 21.0 (build 100301), but 4dVersion is "20 R8"');
  expect(() => checkRuntime(vl, { platform: "mac", kind: "Volume Desktop", field: "x" }, v21)).not.toThrow();
  expect(() => detectRuntime(path.join(ROOT, "examples", "hello"))).toThrow("is neither a 4D Volume Desktop nor a 4D Server");
});

test("a runtime copy keeps symbolic links inside the bundle and executable bits", async () => {
  const destination = path.join(tempDir("runtime"), "Hello.app");
  const source = path.join(RUNTIMES, "mac/4D Volume Desktop.app");
  await copyTree(source, destination, { sourceDate: 1700000000, boundary: source, links: "keep" });
  const framework = path.join(destination, "Contents/Frameworks/4DZip.framework");
  expect(lstatSync(path.join(framework, "Versions/Current")).isSymbolicLink()).toBe(true);
  expect(readlinkSync(path.join(framework, "Versions/Current"))).toBe("A");
  expect(readlinkSync(path.join(framework, "4DZip"))).toBe("Versions/Current/4DZip");
  expect(readlinkSync(path.join(destination, "Contents/Frameworks/Chromium Embedded Framework.framework"))).toBe("../Native Components/WebViewerCEF.bundle/Contents/Frameworks/Chromium Embedded Framework.framework");
  expect(statSync(path.join(destination, "Contents/MacOS/4D Volume Desktop")).mode & 0o777).toBe(0o755);
  expect(statSync(path.join(destination, "Contents/Info.plist")).mode & 0o777).toBe(0o644);
});
