import type { FourDVersion } from "./version.js";

/**
 * The version of a 4D application (a runtime, tool4d), as its Info.plist or version resources give it.
 *
 * What 4D writes there is not documented. What is known: Build4D refuses a runtime whose CFBundleVersion differs
 * from the building 4D's (4d-depot/Build4D@7758fea7f3970b496b3e84ec1d1af5450d088657:
 * Build4D/Project/Sources/Classes/Standalone.4dm, "Versions checking"); 4D-Analyzer reads the version and the
 * build number ("changelist") from CFBundleShortVersionString, as `<major>[R<n>].<build>`
 * (4d/4D-Analyzer-VSCode@afd9d9f622c70a4ee160251116ab1b416b153af3:editor/src/infoplist.ts); 4D publishes tool4d as
 * "21.0.100301" (4d/homebrew-tap@df1666e7a3bd4342abfee2ae0189d223b4de05f4:Casks/tool4d.rb). So every one of
 * "21", "21.0", "21R2", "21 R2", "21.100301", "21.0.100301", "21R2.100123" is read: the major version, the R
 * release, and a build number (a part of three digits or more) when there is one.
 */
export interface AppVersion {
  /** CFBundleShortVersionString, or the version resources' ProductVersion. */
  short?: string;
  /** CFBundleVersion. */
  bundle?: string;
  major?: number;
  /** R number, 0 for an LTS version; undefined when unknown. */
  release?: number;
  /** The build number (4D's changelist), when a version string carries one. */
  build?: number;
}

const FORMAT = /^\s*(\d{1,3})(?:\s?R(\d{1,2})(?!\d))?((?:\.\d+)*)\s*$/i;

interface Parsed {
  major: number;
  release?: number;
  build?: number;
}

function parse(text: string | undefined): Parsed | undefined {
  if (!text) return undefined;
  if (/^\d{3,}$/.test(text.trim())) return undefined; // a bare build number: no version in it
  const match = FORMAT.exec(text);
  if (!match) return undefined;
  const parts = (match[3] ?? "").split(".").filter(Boolean);
  const build = parts.find((p) => p.length >= 3);
  return { major: Number(match[1]), ...(match[2] ? { release: Number(match[2]) } : {}), ...(build ? { build: Number(build) } : {}) };
}

function buildOf(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (/^\s*\d{3,}\s*$/.test(text)) return Number(text);
  return parse(text)?.build;
}

export function parseAppVersion(short: string | undefined, bundle: string | undefined): AppVersion {
  const version = parse(short) ?? parse(bundle);
  const build = buildOf(bundle) ?? buildOf(short);
  return {
    ...(short ? { short } : {}),
    ...(bundle ? { bundle } : {}),
    ...(version ? { major: version.major, release: version.release ?? 0 } : {}),
    ...(build !== undefined ? { build } : {}),
  };
}

/** "21.0 (build 100301)", as shown in messages. */
export function describeAppVersion(version: AppVersion): string {
  const text = version.short ?? version.bundle ?? "of an unknown version";
  return version.build !== undefined && !text.includes(String(version.build)) ? `${text} (build ${version.build})` : text;
}

/** Whether the version is the 4D release `fourD` names (major and R release); undefined when it cannot tell. */
export function sameRelease(version: AppVersion, fourD: FourDVersion): boolean | undefined {
  if (version.major === undefined) return undefined;
  return version.major === fourD.major && (version.release ?? 0) === fourD.release;
}

/** Whether two applications are the same build: the build numbers, else the CFBundleVersion strings (Build4D's rule). */
export function sameBuild(a: AppVersion, b: AppVersion): boolean | undefined {
  if (a.build !== undefined && b.build !== undefined) return a.build === b.build;
  if (a.bundle && b.bundle) return a.bundle === b.bundle;
  return undefined;
}
