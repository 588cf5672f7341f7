/**
 * The version of the built applications (versioning.<subset>.version, the CLI's --app-version, the Action's
 * `version` input, ${git.version}) and what each platform can hold of it. docs/manifest.md "Versions" has the
 * mapping table.
 *
 * Accepted: an optional leading "v" (a release tag), one to four numbers, then SemVer's pre-release (`-beta.1`)
 * and build metadata (`+sha.5`) (https://semver.org/spec/v2.0.0.html, items 9 and 10).
 *
 * - Windows: VS_FIXEDFILEINFO holds the file and product versions as two 32-bit values each, "used for numeric
 *   comparisons": four 16-bit numbers
 *   (https://learn.microsoft.com/en-us/windows/win32/api/verrsrc/ns-verrsrc-vs_fixedfileinfo). More than four
 *   numbers, or one above 65535, cannot be written: an error. Its VS_FF_PRERELEASE flag marks "a development
 *   version, not a commercially released product" (same page): set for a pre-release. The StringFileInfo
 *   FileVersion and ProductVersion are free text and get the whole version.
 * - macOS: CFBundleShortVersionString's "required format is three period-separated integers"
 *   (https://developer.apple.com/documentation/bundleresources/information-property-list/cfbundleshortversionstring);
 *   CFBundleVersion is "one to three period-separated integers", further ones being ignored by the system
 *   (https://developer.apple.com/documentation/bundleresources/information-property-list/cfbundleversion).
 *   Both get the numbers only; four numbers are refused where a macOS Info.plist gets them (rules/release-versions.ts).
 */
export interface ReleaseVersion {
  /** As given, without a leading v: "1.2.3-beta.1+sha.5". */
  text: string;
  /** One to four numbers. */
  numbers: number[];
  /** SemVer pre-release identifiers ("beta.1"), when given. */
  preRelease?: string;
  /** SemVer build metadata ("sha.5"), when given. */
  build?: string;
}

export interface VersionProblem {
  problem: string;
  hint: string;
}

/** The largest number of a Windows version (a 16-bit half of a VS_FIXEDFILEINFO value). */
export const WINDOWS_MAX_NUMBER = 0xffff;
export const WINDOWS_NUMBERS = 4;
export const MAC_BUNDLE_NUMBERS = 3;

const IDENTIFIERS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
const VERSION = new RegExp(`^(\\d+(?:\\.\\d+)*)(?:-(${IDENTIFIERS}))?(?:\\+(${IDENTIFIERS}))?$`);

/** A release tag as a version: "v1.2.3" → "1.2.3" (anything else unchanged). */
export const withoutTagPrefix = (text: string): string => text.replace(/^[vV](?=\d)/, "");

const EXAMPLES = "write numbers separated by dots (1.2.3), optionally with a pre-release and build metadata (1.2.3-beta.1+45); a leading v is removed";

/** Reads a version; a problem (what is wrong, a hint) when no platform could hold it. */
export function parseReleaseVersion(given: string): ReleaseVersion | VersionProblem {
  const text = withoutTagPrefix(given.trim());
  const match = VERSION.exec(text);
  if (!match) return { problem: "is not a version", hint: EXAMPLES };
  const numbers = match[1]!.split(".").map(Number);
  if (numbers.length > WINDOWS_NUMBERS)
    return { problem: `has ${numbers.length} numbers: a Windows version holds ${WINDOWS_NUMBERS} (VS_FIXEDFILEINFO)`, hint: `keep at most ${WINDOWS_NUMBERS} numbers, e.g. ${numbers.slice(0, WINDOWS_NUMBERS).join(".")}; put the rest in the pre-release or build metadata (-… or +…)` };
  const tooBig = numbers.find((n) => n > WINDOWS_MAX_NUMBER);
  if (tooBig !== undefined) return { problem: `has the number ${tooBig}: a Windows version number is at most ${WINDOWS_MAX_NUMBER}`, hint: "use smaller numbers (a date as 2025.1231 does not fit: write 2025.12.31)" };
  return { text, numbers, ...(match[2] ? { preRelease: match[2] } : {}), ...(match[3] ? { build: match[3] } : {}) };
}

export const isVersionProblem = (value: ReleaseVersion | VersionProblem): value is VersionProblem => "problem" in value;

/** The version a value names, for writers: undefined when it is not one (validation refused it already). */
export function releaseVersion(text: string | undefined): ReleaseVersion | undefined {
  if (text === undefined) return undefined;
  const parsed = parseReleaseVersion(text);
  return isVersionProblem(parsed) ? undefined : parsed;
}

/** The four numbers of VS_FIXEDFILEINFO's file and product versions: missing ones are 0. */
export function windowsNumbers(version: ReleaseVersion): [number, number, number, number] {
  const n = version.numbers;
  return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3] ?? 0];
}

/** CFBundleShortVersionString: three numbers, missing ones 0; pre-release and build metadata left out. */
export const macShortVersion = (version: ReleaseVersion): string => [0, 1, 2].map((i) => version.numbers[i] ?? 0).join(".");

/** CFBundleVersion: the numbers as given (at most three once validated); pre-release and build metadata left out. */
export const macBundleVersion = (version: ReleaseVersion): string => version.numbers.slice(0, MAC_BUNDLE_NUMBERS).join(".");
