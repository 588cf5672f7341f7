import { existsSync } from "node:fs";
import path from "node:path";
import { describeAppVersion, sameRelease, type AppVersion } from "../four-d/app-version.js";
import type { FourDVersion } from "../four-d/version.js";
import { plistVersion, readPlist } from "../builder/app/runtime.js";
import { BuildError } from "../messages/errors.js";

/** The environment variable naming 4D's executable when build.fourD is not set (as TOOL4D names tool4d). */
export const FOURD_ENV = "FOURD";

/**
 * The Info.plist describing a 4D executable: on macOS the package's (4D.app/Contents/MacOS/4D →
 * 4D.app/Contents/Info.plist); on Windows Resources\Info.plist beside 4D.exe, as in 4D's runtimes
 * (build-outputs.md §8: "Windows runtime <app>\Resources\Info.plist"), else one level up as in tool4d.
 */
export function fourDInfoPlists(executable: string): string[] {
  const dir = path.dirname(executable);
  if (path.basename(dir) === "MacOS" && path.basename(path.dirname(dir)) === "Contents") return [path.join(path.dirname(dir), "Info.plist")];
  return [path.join(dir, "Resources", "Info.plist"), path.join(dir, "..", "Resources", "Info.plist")];
}

/** 4D's version and build, or undefined when no Info.plist beside it gives one. */
export function readFourDVersion(executable: string): AppVersion | undefined {
  for (const file of fourDInfoPlists(executable)) {
    try {
      const plist = existsSync(file) ? readPlist(file) : undefined;
      const version = plist ? plistVersion(plist) : undefined;
      if (version && (version.major !== undefined || version.build !== undefined)) return version;
    } catch {
      /* an unreadable plist: try the next place */
    }
  }
  return undefined;
}

export interface FoundFourD {
  executable: string;
  version: AppVersion | undefined;
}

/**
 * The 4D that runs an engine: build.fourD (relative to the manifest), else FOURD. It must exist and, when its
 * version can be read, be the 4D of 4dVersion (the runtimes are then compared with its build).
 */
export function findFourD(configured: string | undefined, env: NodeJS.ProcessEnv, fourD: FourDVersion, baseDir: string, engine: string): FoundFourD {
  const candidate = configured ? path.resolve(baseDir, configured) : env[FOURD_ENV];
  if (!candidate)
    throw new BuildError(
      `build.engine is ${engine}, but no 4D is configured`,
      `set build.fourD or the ${FOURD_ENV} environment variable to the executable of 4D ${fourD.text} (4D.app/Contents/MacOS/4D on macOS, 4D.exe on Windows); tool4d cannot run BUILD APPLICATION — or use build.engine: native`,
    );
  if (!existsSync(candidate)) throw new BuildError(`4D not found: ${candidate}`, `install 4D ${fourD.text} on the runner and point build.fourD or ${FOURD_ENV} at its executable`);
  const version = readFourDVersion(candidate);
  if (version && sameRelease(version, fourD) === false) throw new BuildError(`4D at ${candidate} is ${describeAppVersion(version)}, but 4dVersion is "${fourD.text}"`, "use the 4D of the version you build with: 4D, tool4d and the runtimes must be the same release and build");
  return { executable: candidate, version };
}
