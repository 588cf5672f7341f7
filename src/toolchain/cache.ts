import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * 4dbuild's download cache: tool4d and 4D runtimes, unpacked, reused by every later build.
 *
 *   <root>/tool4d/<version>/<build>/<os>   an unpacked tool4d (version "21.0", "21R2"; os "linux", "win", "mac-arm64")
 *   <root>/tool4d/latest.json              what "latest" resolved to, and when
 *   <root>/runtimes/<sha256>               an unpacked runtime archive, by the archive's SHA-256
 *   <root>/runtimes/local/<key>            the SHA-256 of a local archive, by its path, size and date
 *   <root>/tmp                             downloads and unpacking in progress (each in its own folder)
 *
 * Where: FOURDBUILD_CACHE when set; in GitHub Actions RUNNER_TOOL_CACHE/4dbuild (what actions/cache saves);
 * else the user's cache folder: XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows.
 */
export function cacheRoot(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env.FOURDBUILD_CACHE) return path.resolve(env.FOURDBUILD_CACHE);
  if (env.RUNNER_TOOL_CACHE) return path.join(env.RUNNER_TOOL_CACHE, "4dbuild");
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (platform === "darwin") return path.join(home, "Library", "Caches", "4dbuild");
  if (platform === "win32") return path.join(env.LOCALAPPDATA || path.join(home, "AppData", "Local"), "4dbuild");
  return path.join(env.XDG_CACHE_HOME || path.join(home, ".cache"), "4dbuild");
}

/** A private folder for one download or unpacking, inside the cache (so that committing it is a rename). */
export async function scratchFolder(root: string): Promise<string> {
  const folder = path.join(root, "tmp", `${process.pid}-${randomBytes(6).toString("hex")}`);
  await mkdir(folder, { recursive: true });
  return folder;
}

/**
 * Moves an unpacked folder to its place in the cache in one rename: readers see nothing or all of it. When
 * another process committed the same entry first, its copy is kept and ours removed. `replace` swaps an
 * entry that exists (a re-downloaded "latest" without a build number).
 */
export async function commitFolder(unpacked: string, final: string, options: { replace?: boolean } = {}): Promise<void> {
  await mkdir(path.dirname(final), { recursive: true });
  if (options.replace && existsSync(final)) {
    const aside = `${final}.old-${randomBytes(4).toString("hex")}`;
    await rename(final, aside);
    await rm(aside, { recursive: true, force: true });
  }
  try {
    await rename(unpacked, final);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!existsSync(final) || !["EEXIST", "ENOTEMPTY", "EPERM", "EACCES"].includes(code ?? "")) throw error;
    await rm(unpacked, { recursive: true, force: true });
  }
}
