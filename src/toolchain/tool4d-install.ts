import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { FourDVersion } from "../four-d/version.js";
import { writeFileAtomic } from "../files/atomic.js";
import { BuildError } from "../messages/errors.js";
import { cacheRoot } from "./cache.js";
import { request } from "./download.js";
import { fetchArchive } from "./fetch-archive.js";
import { buildInLocation, tool4dFolder, tool4dHost, tool4dName, tool4dRelease, tool4dUrl, type Tool4dHost, type Tool4dRelease } from "./tool4d-release.js";
import { redactUrl } from "../messages/urls.js";
import { unsafeUrl, urlKey } from "./urls.js";

/** How long what "latest" resolved to is trusted before the server is asked again (FOURDBUILD_LATEST_TTL, seconds). */
export const DEFAULT_LATEST_TTL_SECONDS = 24 * 60 * 60;

export interface Tool4dOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  log?: (message: string) => void;
  onProgress?: (bytes: number) => void;
  platform?: NodeJS.Platform;
  arch?: string;
  /** The clock, in ms (tests). */
  now?: number;
}

/** One tool4d for this machine: which, where it is downloaded from (query masked in messages), where it goes. */
export interface Tool4dTarget {
  release: Tool4dRelease;
  host: Tool4dHost;
  url: string;
  root: string;
  name: string;
}

export interface Tool4dFound {
  executable: string;
  /** The build number, or (when the server did not say) "latest" or a key of the address it redirected to. */
  build: string;
  from: "cache" | "download";
}

/** The settings read from the environment: mirror, token, how long "latest" is kept. */
function settings(env: NodeJS.ProcessEnv): { base?: string; token?: string; ttlMs: number } {
  const base = env.FOURDBUILD_TOOL4D_BASE_URL;
  const unsafe = base ? unsafeUrl(base) : undefined;
  if (base && unsafe) throw new BuildError(`FOURDBUILD_TOOL4D_BASE_URL (${redactUrl(base)}): ${unsafe}`);
  const ttl = env.FOURDBUILD_LATEST_TTL;
  if (ttl !== undefined && !/^\d+$/.test(ttl)) throw new BuildError(`FOURDBUILD_LATEST_TTL must be a number of seconds, not "${ttl}"`);
  return { ...(base ? { base } : {}), ...(env.FOURDBUILD_TOOL4D_TOKEN ? { token: env.FOURDBUILD_TOOL4D_TOKEN } : {}), ttlMs: Number(ttl ?? DEFAULT_LATEST_TTL_SECONDS) * 1000 };
}

/** The tool4d of a 4D version and build ("latest" or a number) for this machine. */
export function tool4dTarget(fourD: FourDVersion, build: string, options: Pick<Tool4dOptions, "env" | "platform" | "arch">): Tool4dTarget {
  const release = tool4dRelease(fourD, build);
  const host = tool4dHost(release, options.platform, options.arch);
  const { base, token } = settings(options.env);
  return { release, host, url: tool4dUrl(release, host, { ...(base ? { base } : {}), ...(token ? { token } : {}) }), root: cacheRoot(options.env, options.platform), name: tool4dName(release, host) };
}

/** The executable inside an unpacked tool4d, if it is there. */
export function executableIn(folder: string, host: Tool4dHost): string | undefined {
  return host.executables.map((e) => path.join(folder, ...e.split("/"))).find((file) => existsSync(file) && statSync(file).isFile());
}

interface LatestRecord {
  build: string;
  resolvedAt: number;
}

const latestFile = (root: string) => path.join(root, "tool4d", "latest.json");

function readLatest(root: string): Record<string, LatestRecord> {
  try {
    return JSON.parse(readFileSync(latestFile(root), "utf8")) as Record<string, LatestRecord>;
  } catch {
    return {};
  }
}

function saveLatest(root: string, url: string, record: LatestRecord): void {
  mkdirSync(path.dirname(latestFile(root)), { recursive: true });
  writeFileAtomic(latestFile(root), `${JSON.stringify({ ...readLatest(root), [urlKey(url)]: record }, null, 2)}\n`);
}

/** What "latest" resolved to, when it was asked less than the TTL ago (or at any time, with `anyAge`). */
export function knownLatest(target: Tool4dTarget, env: NodeJS.ProcessEnv, now = Date.now(), anyAge = false): LatestRecord | undefined {
  const record = readLatest(target.root)[urlKey(target.url)];
  // The build names a folder of the cache: only what 4dbuild itself writes there is trusted.
  if (!record || typeof record.build !== "string" || !/^([0-9]+|latest|x[0-9a-f]{12})$/.test(record.build) || typeof record.resolvedAt !== "number") return undefined;
  return anyAge || now - record.resolvedAt < settings(env).ttlMs ? record : undefined;
}

/** The cached tool4d of `target` without asking the server: a numbered build, or what "latest" resolved to. */
export function cachedTool4d(target: Tool4dTarget, env: NodeJS.ProcessEnv, options: { now?: number; anyAge?: boolean } = {}): { executable: string; build: string } | undefined {
  const build = target.release.build === "latest" ? knownLatest(target, env, options.now, options.anyAge)?.build : target.release.build;
  const executable = build ? executableIn(tool4dFolder(target.root, target.release, target.host, build), target.host) : undefined;
  return executable && build ? { executable, build } : undefined;
}

/**
 * The tool4d of a 4D version for this machine, from the cache or downloaded into it. A numbered build in the
 * cache needs no request. "latest" is resolved through the server's redirect (its Location names the build)
 * and the answer kept FOURDBUILD_LATEST_TTL seconds (24 h), so a second run makes no request either.
 */
export async function installTool4d(fourD: FourDVersion, build: string, options: Tool4dOptions): Promise<Tool4dFound> {
  const target = tool4dTarget(fourD, build, options);
  const now = options.now ?? Date.now();
  const cached = cachedTool4d(target, options.env, { now });
  if (cached) return { ...cached, from: "cache" };
  const download = async (url: string, folder: string, extra: { first?: Response; replace?: boolean } = {}) => {
    await fetchArchive(url, {
      root: target.root,
      final: folder,
      what: target.name,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...extra,
      accept: (unpacked) => {
        if (!executableIn(unpacked, target.host)) throw new BuildError(`${target.name}: the archive from ${redactUrl(url)} holds none of ${target.host.executables.join(", ")}`, "the server sent another file than tool4d: check the version, or the mirror");
      },
    });
    return executableIn(folder, target.host)!;
  };
  if (target.release.build !== "latest") {
    const folder = tool4dFolder(target.root, target.release, target.host);
    return { executable: await download(target.url, folder), build: target.release.build, from: "download" };
  }
  return resolveLatest(target, options, now, download);
}

async function resolveLatest(target: Tool4dTarget, options: Tool4dOptions, now: number, download: (url: string, folder: string, extra?: { first?: Response; replace?: boolean }) => Promise<string>): Promise<Tool4dFound> {
  const signal = options.signal ? { signal: options.signal } : {};
  const response = await request(target.url, { what: target.name, redirect: "manual", ...signal });
  if (response.status < 300 || response.status >= 400) {
    // No redirect: the archive itself, of an unknown build. Kept as "latest", replaced when asked again after the TTL.
    const folder = tool4dFolder(target.root, target.release, target.host, "latest");
    const executable = await download(target.url, folder, { first: response, replace: true });
    saveLatest(target.root, target.url, { build: "latest", resolvedAt: now });
    return { executable, build: "latest", from: "download" };
  }
  await response.body?.cancel().catch(() => undefined);
  const location = response.headers.get("location");
  if (!location) throw new BuildError(`cannot download ${target.name} from ${redactUrl(target.url)}: HTTP ${response.status} without a Location`);
  const resolved = new URL(location, target.url).href;
  const unsafe = unsafeUrl(resolved);
  if (unsafe) throw new BuildError(`cannot download ${target.name}: ${redactUrl(target.url)} redirects to ${redactUrl(resolved)}: ${unsafe}`);
  const build = buildInLocation(resolved) ?? `x${createHash("sha256").update(urlKey(resolved)).digest("hex").slice(0, 12)}`;
  options.log?.(`${target.name}: latest is build ${build}`);
  const folder = tool4dFolder(target.root, target.release, target.host, build);
  const cached = executableIn(folder, target.host);
  const executable = cached ?? (await download(resolved, folder));
  saveLatest(target.root, target.url, { build, resolvedAt: now });
  return { executable, build, from: cached ? "cache" : "download" };
}

export interface CachedTool4d {
  version: string;
  build: string;
  host: string;
  executable?: string;
  folder: string;
}

/** Every tool4d in the cache, by version, build and host. */
export function listTool4d(env: NodeJS.ProcessEnv): CachedTool4d[] {
  const root = path.join(cacheRoot(env), "tool4d");
  const dirs = (dir: string) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : []);
  const out: CachedTool4d[] = [];
  for (const version of dirs(root))
    for (const build of dirs(path.join(root, version)))
      for (const host of dirs(path.join(root, version, build))) {
        const folder = path.join(root, version, build, host);
        const executable = executableIn(folder, tool4dHost({ line: "", version }, host === "win" ? "win32" : host === "linux" ? "linux" : "darwin", host.endsWith("arm64") ? "arm64" : "x64"));
        out.push({ version, build, host, folder, ...(executable ? { executable } : {}) });
      }
  return out;
}

/** Where the tool4d of a build would come from now, without asking the server (4dbuild plan). */
export function describeTool4d(fourD: FourDVersion, build: string, env: NodeJS.ProcessEnv): { name: string; url: string; from: "cache" | "download"; executable?: string } {
  const target = tool4dTarget(fourD, build, { env });
  const cached = cachedTool4d(target, env);
  return { name: target.name, url: target.url, from: cached ? "cache" : "download", ...(cached ? { executable: cached.executable } : {}) };
}
