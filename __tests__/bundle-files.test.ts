import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "plist";
import { mergeInfoPlist, releaseCopyrightStrings, selectUpdaterManifest } from "../src/builder/app/bundle-files.js";
import { ROOT, tempDir } from "./helpers.js";

const RUNTIMES = path.join(ROOT, "examples", "runtimes");
const copy = (runtime: string) => {
  const dir = path.join(tempDir("bundle"), "App");
  cpSync(path.join(RUNTIMES, runtime), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
};

test("Info.plist keys are merged into the runtime's and read back equal", async () => {
  const app = copy("mac/4D Volume Desktop.app");
  const file = path.join(app, "Contents", "Info.plist");
  await mergeInfoPlist(file, { CFBundleName: "Hello", CFBundleExecutable: "Hello", "com.4D.BuildApp.ReadOnlyApp": "true" });
  const keys = parse(readFileSync(file, "utf8")) as Record<string, string>;
  expect(keys).toEqual(expect.objectContaining({ CFBundleName: "Hello", CFBundleExecutable: "Hello", "com.4D.BuildApp.ReadOnlyApp": "true", CFBundlePackageType: "APPL", CFBundleShortVersionString: "21.0" }));
  expect(Object.keys(keys)).toEqual([...Object.keys(keys)].sort());
});

test("InfoPlist.strings: the copyright lines are renamed out of the way, in UTF-16 as written", async () => {
  const app = copy("mac/4D Volume Desktop.app");
  const resources = path.join(app, "Contents", "Resources");
  const changed = await releaseCopyrightStrings(resources);
  expect(changed.map((f) => path.relative(resources, f))).toEqual(["en.lproj/InfoPlist.strings", "fr.lproj/InfoPlist.strings"]);
  const data = readFileSync(path.join(resources, "en.lproj", "InfoPlist.strings"));
  expect([...data.subarray(0, 2)]).toEqual([0xff, 0xfe]);
  const text = data.subarray(2).toString("utf16le");
  expect(text).toContain('CF4DBundleGetInfoString = "4D Volume Desktop 21.0, © 4D SAS";');
  expect(text).toContain('NS4DHumanReadableCopyright = "© 4D SAS";');
  expect(text).not.toMatch(/^NSHumanReadableCopyright/m);
  expect(await releaseCopyrightStrings(resources)).toEqual([]);
});

test("UTF-8 strings files stay UTF-8", async () => {
  const dir = tempDir("bundle");
  const file = path.join(dir, "de.lproj", "InfoPlist.strings");
  cpSync(path.join(RUNTIMES, "mac/4D Volume Desktop.app/Contents/Resources/en.lproj"), path.dirname(file), { recursive: true });
  writeFileSync(file, 'NSHumanReadableCopyright = "© 4D";\n');
  await releaseCopyrightStrings(dir);
  expect(readFileSync(file, "utf8")).toBe('NS4DHumanReadableCopyright = "© 4D";\n');
});

test.each([
  [true, "requireAdministrator"],
  [false, "asInvoker"],
])("Updater manifest, elevated %s: %s, originals removed", async (elevated, level) => {
  const app = copy("win/4D Volume Desktop");
  expect(await selectUpdaterManifest(app, elevated)).toBe(true);
  const updater = path.join(app, "Resources", "Updater");
  expect(readFileSync(path.join(updater, "Updater.exe.manifest"), "utf8")).toContain(`level="${level}"`);
  expect([existsSync(path.join(updater, "elevated.manifest")), existsSync(path.join(updater, "normal.manifest"))]).toEqual([false, false]);
});
