import path from "node:path";
import { loadManifest, loadManifestText } from "../src/manifest/load.js";
import { FIXTURES, ROOT } from "./helpers.js";

const EXAMPLE = path.join(ROOT, "examples", "hello");

test("the example resolves into a read-only plan with every default applied", () => {
  const { plan, diagnostics } = loadManifest(path.join(EXAMPLE, "4dbuild.yml"), { env: {}, git: () => undefined });
  expect(diagnostics).toEqual([]);
  expect(plan).toBeDefined();
  expect(plan!.config.name).toBe("Hello");
  expect(plan!.fourD).toEqual({ text: "21", major: 21, release: 0 });
  expect(plan!.packageDir).toBe(EXAMPLE);
  expect(plan!.projectFile).toBe(path.join(EXAMPLE, "Project", "Hello.4DProject"));
  expect(plan!.output).toEqual({ mac: path.join(ROOT, "examples", "Hello_Build"), win: path.join(ROOT, "examples", "Hello_Build") });
  expect(Object.keys(plan!.targets)).toEqual(["compiled", "component", "standalone", "server", "client"]);
  expect(plan!.targets.standalone).toEqual({
    platforms: ["mac", "win"],
    runtime: { mac: { kind: "folder", path: path.join(ROOT, "examples/runtimes/mac/4D Volume Desktop.app") }, win: { kind: "folder", path: path.join(ROOT, "examples/runtimes/win/4D Volume Desktop") } },
    icon: { mac: path.join(EXAMPLE, "Hello.icns"), win: path.join(EXAMPLE, "Hello.ico") },
  });
  expect(plan!.config.targets.standalone?.dataLinking).toBe("byAppName");
  expect(plan!.config.targets.server?.dataLinking).toBe("byAppPath");
  expect(plan!.config.licenses.mode).toBe("none");
  expect(plan!.config.versioning.common?.version).toBe("1.0.0");
  expect(Object.isFrozen(plan)).toBe(true);
  expect(Object.isFrozen(plan!.targets.standalone!.platforms)).toBe(true);
});

test("environment variables replace the runtime defaults", () => {
  const runtime = path.join(FIXTURES, "app", "runtimes", "mac", "4D Volume Desktop.app");
  const { plan } = loadManifest(path.join(EXAMPLE, "4dbuild.yml"), { env: { VOLUME_DESKTOP_MAC: runtime }, git: () => undefined });
  expect(plan!.targets.standalone!.runtime.mac).toEqual({ kind: "folder", path: runtime });
});

test("a minimal manifest: name from the project file, platforms from the runtimes given, licences off", () => {
  const file = path.join(FIXTURES, "manifests", "minimal.yml");
  const text = [
    "version: 1",
    "project: ../app/Project/App.4DProject",
    '4dVersion: "21"',
    "targets:",
    "  compiled: { enabled: false }",
    "  standalone:",
    "    runtime: { win: ../app/runtimes/win/4D Volume Desktop }",
    "",
  ].join("\n");
  const { plan, diagnostics } = loadManifestText(file, text, { env: {} });
  expect(diagnostics).toEqual([]);
  expect(plan!.config.name).toBe("App");
  expect(plan!.targets.compiled).toBeUndefined();
  expect(plan!.targets.standalone!.platforms).toEqual(["win"]);
  expect(plan!.output.win).toBe(path.join(FIXTURES, "App_Build"));
  expect(plan!.config.licenses.mode).toBe("none");
});

test("warnings do not make a manifest invalid", () => {
  const text = 'version: 1\nproject: ../app/Project/App.4DProject\n4dVersion: "17"\ntargets:\n  compiled: {}\nstructure:\n  pack: false\n';
  const { plan, diagnostics } = loadManifestText(path.join(FIXTURES, "manifests", "old.yml"), text, { env: {} });
  expect(diagnostics).toEqual([expect.objectContaining({ severity: "warning", message: "structure.pack needs 4D 19 or later; 4D 17 ignores it", line: 7, column: 9 })]);
  expect(plan).toBeDefined();
});

test("modules.definitions replaces the built-in module table with the 4D's own list", () => {
  const text = [
    "version: 1",
    "project: ../app/Project/App.4DProject",
    '4dVersion: "20 R2"',
    "targets:",
    "  compiled: {}",
    "modules:",
    "  definitions: ../app/4D/BuildappOptionalModules.json",
    "  exclude: [Future Module, cef]",
    "",
  ].join("\n");
  const { plan, diagnostics } = loadManifestText(path.join(FIXTURES, "manifests", "modules.yml"), text, { env: {} });
  expect(diagnostics).toEqual([]);
  expect(plan!.config.modules.exclude).toEqual(["Future Module", "cef"]);
});
