import { readFileSync } from "node:fs";
import path from "node:path";
import * as PE from "pe-library";
import * as ResEdit from "resedit";
import { appInfoPlistKeys } from "../../src/builder/app/metadata.js";
import { editWindowsExecutable, readWindowsVersion } from "../../src/builder/app/pe-resources.js";
import { componentInfoPlist } from "../../src/builder/steps/component-plist.js";
import { gitReader } from "../../src/manifest/git.js";
import { loadManifestText, type LoadOptions } from "../../src/manifest/load.js";
import { openManifest } from "../../src/manifest/open.js";
import { macBundleVersion, macShortVersion, parseReleaseVersion, windowsNumbers, type ReleaseVersion } from "../../src/manifest/versioning.js";
import { UsageError } from "../../src/messages/errors.js";
import { formatDiagnostics } from "../../src/messages/diagnostics.js";
import { cliEnv, ROOT, runCli } from "../helpers.js";

const EXAMPLE = path.join(ROOT, "examples", "hello", "4dbuild.yml");
const SHOWN = "examples/hello/4dbuild.yml";
const exampleText = readFileSync(EXAMPLE, "utf8");

/** The example manifest with its common version replaced by `version` (a YAML scalar as written). */
function load(version: string, options: LoadOptions = {}, edit: (text: string) => string = (t) => t) {
  const text = edit(exampleText.replace("version: ${git.version:-1.0.0}", `version: ${version}`));
  return loadManifestText(EXAMPLE, text, { displayName: SHOWN, env: {}, git: () => undefined, ...options });
}

const errors = (loaded: ReturnType<typeof load>) => loaded.diagnostics.filter((d) => d.severity === "error");
const shown = (loaded: ReturnType<typeof load>) => formatDiagnostics(loaded.diagnostics, { format: "text", sources: loaded.sources });
const parsed = (text: string) => parseReleaseVersion(text) as ReleaseVersion;

describe("the version normaliser", () => {
  test("a release tag loses its v; pre-release and build metadata are kept apart", () => {
    expect(parseReleaseVersion("v1.2.3")).toEqual({ text: "1.2.3", numbers: [1, 2, 3] });
    expect(parseReleaseVersion("V2.0.1-beta.1+sha.5")).toEqual({ text: "2.0.1-beta.1+sha.5", numbers: [2, 0, 1], preRelease: "beta.1", build: "sha.5" });
    expect(parseReleaseVersion("7")).toEqual({ text: "7", numbers: [7] });
    expect(parseReleaseVersion("1.2.3.65535")).toEqual({ text: "1.2.3.65535", numbers: [1, 2, 3, 65535] });
  });

  test("what Windows cannot hold, and what is not a version, is refused with a hint", () => {
    expect(parseReleaseVersion("1.2.3.4.5")).toEqual({ problem: "has 5 numbers: a Windows version holds 4 (VS_FIXEDFILEINFO)", hint: expect.stringContaining("e.g. 1.2.3.4") });
    expect(parseReleaseVersion("1.65536.0")).toEqual({ problem: "has the number 65536: a Windows version number is at most 65535", hint: expect.any(String) });
    for (const text of ["", "v", "1.2.", "1..2", "release 1", "1.2.3-", "1.2.3+", "1.2.3-beta..1", "21 R2"]) expect(parseReleaseVersion(text)).toEqual({ problem: "is not a version", hint: expect.stringContaining("1.2.3-beta.1+45") });
  });

  test("each platform's form: Windows four numbers, macOS three (short) and at most three (bundle), numbers only", () => {
    expect(windowsNumbers(parsed("1.2"))).toEqual([1, 2, 0, 0]);
    expect(windowsNumbers(parsed("1.2.3.4-rc.1"))).toEqual([1, 2, 3, 4]);
    expect(macShortVersion(parsed("2.5"))).toBe("2.5.0");
    expect(macBundleVersion(parsed("2.5"))).toBe("2.5");
    expect(macShortVersion(parsed("v2.5.1-beta.2+45"))).toBe("2.5.1");
    expect(macBundleVersion(parsed("v2.5.1-beta.2+45"))).toBe("2.5.1");
  });

  test("${git.version} is the tag without its v, through the same normaliser", () => {
    const git = gitReader(ROOT, { GITHUB_REF_TYPE: "tag", GITHUB_REF_NAME: "v1.2.3-rc.1" });
    expect(git("version")).toBe("1.2.3-rc.1");
    expect(git("tag")).toBe("v1.2.3-rc.1");
  });
});

describe("versions in the manifest are validated where they are written", () => {
  test("1.2.3.4.5 is a located error naming the field", () => {
    const loaded = load("1.2.3.4.5");
    expect(errors(loaded)).toHaveLength(1);
    expect(shown(loaded)).toContain(`${SHOWN}:80:14: error: versioning.common.version "1.2.3.4.5" has 5 numbers: a Windows version holds 4 (VS_FIXEDFILEINFO)`);
    expect(loaded.plan).toBeUndefined();
  });

  test("a value read through ${git.version} is checked once resolved, at the reference", () => {
    const loaded = load("${git.version:-1.0.0}", { git: (name) => (name === "version" ? "1.70000.0" : undefined) });
    expect(shown(loaded)).toContain(`${SHOWN}:80:14: error: versioning.common.version "1.70000.0" has the number 70000: a Windows version number is at most 65535`);
  });

  test("four numbers are refused where a macOS CFBundleVersion gets them, accepted for Windows only", () => {
    const mac = load("1.2.3.4");
    expect(shown(mac)).toContain(`${SHOWN}:80:14: error: versioning.common.version "1.2.3.4" has 4 numbers: macOS CFBundleVersion holds at most 3`);
    const windowsOnly = load("1.2.3.4", {}, (text) => text.replace(/platforms: \[mac, win\]/g, "platforms: [win]").replace("  component: {}\n", ""));
    expect(errors(windowsOnly)).toEqual([]);
    expect(windowsOnly.plan?.config.versioning.common?.version).toBe("1.2.3.4");
  });

  test("a review (diff) keeps ${git.version} as its reference: not checked as a version", () => {
    const loaded = load("${git.version:-1.0.0}", { review: true });
    expect(errors(loaded)).toEqual([]);
    expect(loaded.kept).toEqual(["versioning.common.version"]);
  });

  test("a subset's own version is checked too", () => {
    const loaded = load("1.0.0", {}, (text) => text.replace("    fileDescription: Hello Server", "    fileDescription: Hello Server\n    version: 2.x"));
    expect(shown(loaded)).toMatch(/:\d+:14: error: versioning\.server\.version "2\.x" is not a version/);
  });

  test("a version given beside the manifest loses its v; one no platform holds is a usage error naming its input", () => {
    expect(load("1.0.0", { version: "v3.1.4" }).plan?.config.versioning.common?.version).toBe("3.1.4");
    expect(() => load("1.0.0", { version: "1.2.3.4.5", versionInput: "the version input" })).toThrow(new UsageError('the version input "1.2.3.4.5" has 5 numbers: a Windows version holds 4 (VS_FIXEDFILEINFO)'));
    expect(() => load("1.0.0", { version: "1.2.3.4.5" })).toThrow('the version option "1.2.3.4.5"');
    const four = load("1.0.0", { version: "1.2.3.4", versionInput: "--app-version" });
    expect(errors(four).map((d) => d.message)).toEqual(['--app-version "1.2.3.4" has 4 numbers: macOS CFBundleVersion holds at most 3']);
  });

  test("the CLI's --app-version: a v tag is accepted, 1.2.3.4.5 is exit 2 naming the option", async () => {
    const bad = await runCli(["build", SHOWN, "--dry-run", "--app-version", "1.2.3.4.5"], { env: cliEnv() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error: --app-version "1.2.3.4.5" has 5 numbers');
    expect(openManifest(SHOWN, { cwd: ROOT, env: {}, version: "v1.2.3", versionInput: "--app-version" }).plan.config.versioning.common?.version).toBe("1.2.3");
  });
});

describe("what the applications get", () => {
  const plan = load("v2.5.1-beta.2+45").plan!;

  test("macOS Info.plist: numbers only, three in the short version", () => {
    expect(plan).toBeDefined();
    const keys = appInfoPlistKeys(plan, "standalone", "mac");
    expect([keys.CFBundleShortVersionString, keys.CFBundleVersion]).toEqual(["2.5.1", "2.5.1"]);
    const two = appInfoPlistKeys(load(`"2.5"`).plan!, "server", "mac");
    expect([two.CFBundleShortVersionString, two.CFBundleVersion]).toEqual(["2.5.0", "2.5"]);
  });

  test("the component's Info.plist likewise", () => {
    const keys = componentInfoPlist(plan);
    expect([keys.CFBundleShortVersionString, keys.CFBundleVersion]).toEqual(["2.5.1", "2.5.1"]);
  });

  test("Windows: the strings keep the whole version, the fixed info its numbers and the pre-release flag", () => {
    const exe = readFileSync(path.join(ROOT, "examples/runtimes/win/4D Volume Desktop/4D Volume Desktop.4DE"));
    const fixed = (binary: Buffer) => ResEdit.Resource.VersionInfo.fromEntries(ResEdit.NtExecutableResource.from(PE.NtExecutable.from(binary)).entries)[0]!.fixedInfo;
    const beta = editWindowsExecutable(exe, { ProductName: "Hello", OriginalFilename: "Hello.exe", FileVersion: "2.5.1-beta.2+45", ProductVersion: "2.5.1-beta.2+45" });
    expect(readWindowsVersion(beta)).toEqual(expect.objectContaining({ FileVersion: "2.5.1-beta.2+45", ProductVersion: "2.5.1-beta.2+45" }));
    expect([fixed(beta).fileVersionMS, fixed(beta).fileVersionLS, fixed(beta).productVersionMS]).toEqual([(2 << 16) | 5, 1 << 16, (2 << 16) | 5]);
    expect(fixed(beta).fileFlags & ResEdit.Resource.VersionFileFlags.Prerelease).toBeTruthy();
    expect(fixed(beta).fileFlagsMask & ResEdit.Resource.VersionFileFlags.Prerelease).toBeTruthy();
    const release = editWindowsExecutable(beta, { ProductName: "Hello", OriginalFilename: "Hello.exe", FileVersion: "2.5.1.7", ProductVersion: "2.5.1.7" });
    expect([fixed(release).fileVersionLS, fixed(release).fileFlags & ResEdit.Resource.VersionFileFlags.Prerelease]).toEqual([(1 << 16) | 7, 0]);
  });
});
