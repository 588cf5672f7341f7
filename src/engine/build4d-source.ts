import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { FourDVersion } from "../four-d/version.js";
import { BuildError } from "../messages/errors.js";
import { cacheRoot } from "../toolchain/cache.js";
import { fetchArchive } from "../toolchain/fetch-archive.js";

/**
 * The Build4D commit 4dbuild uses for each 4D version line. Build4D keeps one branch per line (4d/Build4D:
 * "Choose the appropriate branch for your version of 4D", README.md at main); these are the heads of those
 * branches as fetched on 2026-11-29 (4d/Build4D@bfd39383c13b3b6ee81f8d4a59fa4415d11628f7 is main). Which
 * commit suits 4D 21 is inferred: the tag v1.0.0 was made in October 2025, when 4D 21 came out; main is "the
 * development branch for the next version of 4D", used here for 21 R2 and later. build.build4d.commit
 * overrides the choice. Build4D is MIT-licensed (LICENSE.md); it is fetched, not copied into 4dbuild.
 */
export const BUILD4D_PINS: readonly { line: string; ref: string; commit: string; matches: (v: FourDVersion) => boolean }[] = [
  { line: "20", ref: "4D-20.x", commit: "563decb211a2e7fd87fe64c800bf5e4b939a14cc", matches: (v) => v.major === 20 && v.release === 0 },
  { line: "20 R7", ref: "4D-20R7", commit: "c7f8ba1d8b5a8e2caa125e69120c09d2ba490092", matches: (v) => v.major === 20 && v.release === 7 },
  { line: "20 R8", ref: "4D-20R8", commit: "ff44f0358b9ca15f97fd8dbd372ad71e48c3c18f", matches: (v) => v.major === 20 && v.release === 8 },
  { line: "20 R9", ref: "4D-20R9", commit: "04364cd9c607c1f334de648a56c885678f215b4b", matches: (v) => v.major === 20 && v.release === 9 },
  { line: "21", ref: "v1.0.0", commit: "b6670c53b8ee23187e1310ef363eeeee0f380289", matches: (v) => v.major === 21 && v.release === 0 },
  { line: "21 R2 and later", ref: "main", commit: "bfd39383c13b3b6ee81f8d4a59fa4415d11628f7", matches: (v) => v.major > 21 || (v.major === 21 && v.release >= 2) },
];

/** GitHub's source archives of a commit; BUILD4D_BASE_URL_ENV points elsewhere (a mirror, the tests' server). */
export const BUILD4D_BASE_URL = "https://github.com/4d/Build4D/archive";
export const BUILD4D_BASE_URL_ENV = "FOURDBUILD_BUILD4D_BASE_URL";

export interface Build4DPin {
  commit: string;
  sha256?: string;
}

/** The commit for this 4D version: build.build4d.commit, else the pinned one; none for a line without a branch. */
export function build4dPin(fourD: FourDVersion, configured: { commit?: string; sha256?: string }): Build4DPin {
  const commit = configured.commit ?? BUILD4D_PINS.find((p) => p.matches(fourD))?.commit;
  if (!commit)
    throw new BuildError(
      `4dbuild pins no Build4D for 4D ${fourD.text}`,
      `Build4D has branches for ${BUILD4D_PINS.map((p) => p.line).join(", ")}; set build.build4d.commit to a commit of 4d/Build4D that supports 4D ${fourD.text}`,
    );
  return { commit, ...(configured.sha256 ? { sha256: configured.sha256 } : {}) };
}

export const build4dUrl = (commit: string, env: NodeJS.ProcessEnv): string => `${(env[BUILD4D_BASE_URL_ENV] || BUILD4D_BASE_URL).replace(/\/$/, "")}/${commit}.tar.gz`;

/** Build4D's project folder (Build4D/ of the repository) inside an unpacked archive of the commit. */
function build4dFolder(unpacked: string, commit: string): string | undefined {
  const top = readdirSync(unpacked);
  const named = top.find((t) => t === `Build4D-${commit}`);
  const folder = named ? path.join(unpacked, named, "Build4D") : undefined;
  return folder && existsSync(path.join(folder, "Project", "Build4D.4DProject")) ? folder : undefined;
}

/**
 * Build4D at `pin.commit`, from 4dbuild's cache (<cache>/build4d/<commit>) or downloaded into it once. The
 * archive must unpack into the folder GitHub names after the commit (Build4D-<commit>/) and, when
 * build.build4d.sha256 is set, have that digest. Returns Build4D's project folder (…/Build4D).
 */
export async function provideBuild4D(pin: Build4DPin, options: { env: NodeJS.ProcessEnv; signal?: AbortSignal; log?: (message: string) => void }): Promise<string> {
  const root = cacheRoot(options.env);
  const final = path.join(root, "build4d", pin.commit);
  const cached = existsSync(final) ? build4dFolder(final, pin.commit) : undefined;
  if (cached) return cached;
  const url = build4dUrl(pin.commit, options.env);
  await fetchArchive(url, {
    root,
    final,
    what: `Build4D ${pin.commit.slice(0, 12)}`,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
    check: (downloaded) => {
      if (pin.sha256 && downloaded.sha256 !== pin.sha256) throw new BuildError(`Build4D from ${url} has SHA-256 ${downloaded.sha256}, not build.build4d.sha256 ${pin.sha256}`, "the archive is not the one pinned: check the mirror, or update build.build4d.sha256 after reviewing the change");
    },
    accept: (unpacked) => {
      if (!build4dFolder(unpacked, pin.commit)) throw new BuildError(`the archive from ${url} is not Build4D at ${pin.commit}: it holds no Build4D-${pin.commit}/Build4D/Project/Build4D.4DProject`, `check ${BUILD4D_BASE_URL_ENV} (a mirror must serve GitHub's source archives of 4d/Build4D)`);
    },
    replace: true,
  });
  return build4dFolder(final, pin.commit)!;
}
