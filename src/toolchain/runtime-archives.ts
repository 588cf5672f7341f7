import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { writeFileAtomic } from "../files/atomic.js";
import type { RuntimeSource } from "../manifest/runtime-source.js";
import { BuildError } from "../messages/errors.js";
import { cacheRoot, commitFolder, scratchFolder } from "./cache.js";
import { fetchArchive } from "./fetch-archive.js";
import { UnreadableArchiveError, unpackArchive } from "./unpack.js";
import { redactUrl } from "../messages/urls.js";
import { unsafeUrl } from "./urls.js";

/*
 * 4D Volume Desktop and 4D Server given as an archive file or a download: unpacked once into the cache,
 * under the SHA-256 of the archive, and reused by every later build. 4D publishes no download addresses for
 * them (none in 4d/tool4d-action, 4d/build4d-action or 4d-depot/Build4D): users keep their own archives.
 */

export type ArchiveSource = Exclude<RuntimeSource, { kind: "folder" }>;

export interface RuntimeFetchOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  log?: (message: string) => void;
  onProgress?: (bytes: number) => void;
}

export interface ProvisionedRuntime {
  /** The unpacked archive in the cache (the runtime is this folder or one inside it). */
  folder: string;
  from: "cache" | "download" | "unpack";
}

const unpackedFolder = (root: string, sha256: string) => path.join(root, "runtimes", sha256.toLowerCase());

/** The memo of a local archive's digest: by its real path, size and modification time, so it is hashed once. */
function memoFile(root: string, file: string): string {
  const stats = statSync(file);
  const key = createHash("sha256").update(`${realpathSync(file)}\0${stats.size}\0${stats.mtimeMs}`).digest("hex");
  return path.join(root, "runtimes", "local", key);
}

/** The SHA-256 of a local archive, when this machine has computed it before (no reading of the archive). */
export function knownDigest(root: string, file: string): string | undefined {
  try {
    return readFileSync(memoFile(root, file), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

async function archiveDigest(root: string, file: string): Promise<string> {
  const known = knownDigest(root, file);
  if (known) return known;
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  const digest = hash.digest("hex");
  const memo = memoFile(root, file);
  mkdirSync(path.dirname(memo), { recursive: true });
  writeFileAtomic(memo, `${digest}\n`);
  return digest;
}

/** Where a runtime archive or download would come from now, without reading or downloading anything (4dbuild plan). */
export function describeRuntimeArchive(source: ArchiveSource, env: NodeJS.ProcessEnv): ProvisionedRuntime {
  const root = cacheRoot(env);
  const digest = source.kind === "url" ? source.sha256 : existsSync(source.path) ? knownDigest(root, source.path) : undefined;
  const folder = digest ? unpackedFolder(root, digest) : "";
  if (digest && existsSync(folder)) return { folder, from: "cache" };
  return { folder, from: source.kind === "url" ? "download" : "unpack" };
}

/**
 * The unpacked runtime archive of `source`, from the cache or put there: a local archive is unpacked, a
 * download is fetched (retried once when damaged), checked against its sha256 (another digest: removed, the
 * build stops naming both digests) and unpacked. Symbolic links and modes are kept (macOS bundles need them).
 */
export async function provisionRuntimeArchive(source: ArchiveSource, what: string, options: RuntimeFetchOptions): Promise<ProvisionedRuntime> {
  const root = cacheRoot(options.env);
  const common = { ...(options.signal ? { signal: options.signal } : {}), ...(options.log ? { log: options.log } : {}) };
  if (source.kind === "url") {
    const folder = unpackedFolder(root, source.sha256);
    if (existsSync(folder)) return { folder, from: "cache" };
    const unsafe = unsafeUrl(source.url);
    if (unsafe) throw new BuildError(`${what}: ${redactUrl(source.url)}: ${unsafe}`);
    await fetchArchive(source.url, {
      root,
      final: folder,
      what,
      ...common,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      check: (downloaded) => {
        if (downloaded.sha256 !== source.sha256.toLowerCase())
          throw new BuildError(`${what}: the download from ${redactUrl(source.url)} has SHA-256 ${downloaded.sha256}, but the manifest expects ${source.sha256.toLowerCase()}; it was removed`, "if the archive was replaced on purpose, put its new digest in sha256; otherwise it was altered or damaged on the way");
      },
    });
    return { folder, from: "download" };
  }
  if (!existsSync(source.path)) throw new BuildError(`${what}: archive not found: ${source.path}`);
  const folder = unpackedFolder(root, await archiveDigest(root, source.path));
  if (existsSync(folder)) return { folder, from: "cache" };
  options.log?.(`unpacking ${what} (${path.basename(source.path)}) into the cache`);
  const scratch = await scratchFolder(root);
  try {
    const unpacked = path.join(scratch, "unpacked");
    await mkdir(unpacked);
    await unpackArchive(source.path, unpacked, { what, ...(options.signal ? { signal: options.signal } : {}) });
    await commitFolder(unpacked, folder);
  } catch (error) {
    throw error instanceof UnreadableArchiveError ? new BuildError(`${error.message}: ${source.path}`, error.hint) : error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { folder, from: "unpack" };
}
