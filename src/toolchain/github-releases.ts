import { existsSync } from "node:fs";
import path from "node:path";
import { componentName, componentPackage, packageFolders } from "../four-d/component-files.js";
import { pinnedTag, selectTag, type VersionRule } from "../four-d/dependency-versions.js";
import type { FourDVersion } from "../four-d/version.js";
import { BuildError } from "../messages/errors.js";
import { cacheRoot } from "./cache.js";
import { request } from "./download.js";
import { fetchArchive } from "./fetch-archive.js";
import { unsafeUrl } from "./urls.js";
import { redactUrl } from "../messages/urls.js";

/**
 * GitHub dependencies as 4D's dependency manager gets them (4d/docs@c55f5a1d0f5418bd2192ee05007f70aafdf922ca:
 * versioned_docs/version-21-R2/Project/components.md, "Components stored on GitHub"): a release of the repository
 * holding a zip asset named after the repository, unpacked into a local cache. 4dbuild asks GitHub's REST API
 * (FOURDBUILD_GITHUB_API, default https://api.github.com) with the token of FOURDBUILD_GITHUB_TOKEN or GITHUB_TOKEN
 * when one is set (private repositories), and keeps each release in its cache:
 *
 *   <cache>/dependencies/github/<owner>/<repository>/<tag>   the unpacked release asset
 */
export function githubApi(env: NodeJS.ProcessEnv): string {
  const base = (env.FOURDBUILD_GITHUB_API || "https://api.github.com").replace(/\/+$/, "");
  const unsafe = unsafeUrl(base);
  if (unsafe) throw new BuildError(`FOURDBUILD_GITHUB_API (${redactUrl(base)}): ${unsafe}`);
  return base;
}

/** The token goes only to the API's own host (an asset may redirect elsewhere: fetch drops it across origins). */
const sameHost = (a: string, b: string) => new URL(a).host === new URL(b).host;

export const githubToken = (env: NodeJS.ProcessEnv): string | undefined => env.FOURDBUILD_GITHUB_TOKEN || env.GITHUB_TOKEN || undefined;

interface Release {
  tag_name: string;
  draft?: boolean;
  prerelease?: boolean;
  assets?: { name: string; url: string }[];
}

export interface GitHubFetchOptions {
  env: NodeJS.ProcessEnv;
  fourD: FourDVersion;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** A folder name for a tag: anything but letters, digits, ".", "_" and "-" becomes "_". */
const safeTag = (tag: string) => tag.replace(/[^A-Za-z0-9._-]/g, "_");

/** Where a release of a repository is unpacked in 4dbuild's cache. */
export const releaseFolder = (env: NodeJS.ProcessEnv, github: string, tag: string): string => path.join(cacheRoot(env), "dependencies", "github", ...github.split("/"), safeTag(tag));

/**
 * The compiled component package in an unpacked release: the folder itself or one up to three levels down
 * (a zip of "Name.4dbase/Contents/Name.4DZ", or of the package's contents).
 */
export function locatePackage(root: string, name: string): string | undefined {
  const visit = (folder: string, own: string, depth: number): string | undefined => {
    if (componentPackage(folder, own)?.kind === "compiled") return folder;
    if (depth === 3) return undefined;
    for (const child of packageFolders(folder).filter((f) => !/(^|[\\/])(__MACOSX|Contents|Resources|Libraries)$/.test(f))) {
      const found = visit(child, componentName(child), depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(root, name, 0);
}

/** The package of a release already in the cache for the tag the rule pins, without any request. */
export function cachedRelease(env: NodeJS.ProcessEnv, github: string, rule: VersionRule, name: string): { tag: string; folder: string } | undefined {
  const tag = pinnedTag(rule);
  if (!tag) return undefined;
  const final = releaseFolder(env, github, tag);
  const folder = existsSync(final) ? locatePackage(final, name) : undefined;
  return folder ? { tag, folder } : undefined;
}

async function getJson<T>(url: string, what: string, options: GitHubFetchOptions): Promise<T> {
  const token = githubToken(options.env);
  const headers: Record<string, string> = { accept: "application/vnd.github+json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await request(url, { what, headers, ...(options.signal ? { signal: options.signal } : {}) });
  return (await response.json()) as T;
}

/** The release a rule selects: by tag, GitHub's latest, or the best of the published releases. */
async function findRelease(github: string, rule: VersionRule, what: string, options: GitHubFetchOptions): Promise<Release> {
  const base = `${githubApi(options.env)}/repos/${github}/releases`;
  if (rule.kind === "tag") return getJson<Release>(`${base}/tags/${encodeURIComponent(rule.tag)}`, what, options);
  if (rule.kind === "latest") return getJson<Release>(`${base}/latest`, what, options);
  const releases: Release[] = [];
  for (let page = 1; page <= 10; page++) {
    const batch = await getJson<Release[]>(`${base}?per_page=100&page=${page}`, what, options);
    releases.push(...batch.filter((r) => !r.draft && !r.prerelease));
    if (batch.length < 100) break;
  }
  const tag = selectTag(rule, releases.map((r) => r.tag_name), options.fourD);
  if (!tag) {
    const asked = rule.kind === "follow4D" ? `the 4D version (${options.fourD.text})` : `version ${rule.kind === "range" ? rule.range : ""}`;
    throw new BuildError(`${what}: no release of ${github} matches ${asked} (releases: ${releases.map((r) => r.tag_name).slice(0, 10).join(", ") || "none"})`, "change the version rule in dependencies.json, or publish a matching release");
  }
  return releases.find((r) => r.tag_name === tag)!;
}

/**
 * A GitHub dependency's compiled package, from 4dbuild's cache or downloaded into it: the release its rule
 * selects, its asset <repository>.zip. Returns the package folder and the release's tag.
 */
export async function fetchGitHubDependency(name: string, github: string, rule: VersionRule, options: GitHubFetchOptions): Promise<{ tag: string; folder: string; from: "cache" | "download" }> {
  const what = `dependency "${name}" (${github})`;
  const cached = cachedRelease(options.env, github, rule, name);
  if (cached) return { ...cached, from: "cache" };
  const release = await findRelease(github, rule, what, options);
  const final = releaseFolder(options.env, github, release.tag_name);
  const repository = github.split("/").pop()!;
  const inCache = existsSync(final);
  if (!inCache) {
    const asset = release.assets?.find((a) => a.name.toLowerCase() === `${repository}.zip`.toLowerCase());
    if (!asset) throw new BuildError(`${what}: release ${release.tag_name} has no ${repository}.zip`, "4D's dependency manager downloads the zip asset named after the repository (components.md, \"Configuring the GitHub repository\"): attach it to the release");
    const unsafe = unsafeUrl(asset.url);
    if (unsafe) throw new BuildError(`${what}: the asset of release ${release.tag_name} is at ${redactUrl(asset.url)}: ${unsafe}`);
    const token = sameHost(asset.url, githubApi(options.env)) ? githubToken(options.env) : undefined;
    await fetchArchive(asset.url, {
      root: cacheRoot(options.env),
      final,
      what: `${what} ${release.tag_name}`,
      headers: { accept: "application/octet-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.log ? { log: options.log } : {}),
      accept: (unpacked) => {
        if (!locatePackage(unpacked, name)) throw new BuildError(`${what}: ${repository}.zip of release ${release.tag_name} holds no compiled component (.4DZ)`, "the release must hold the built component, e.g. Name.4dbase/Contents/Name.4DZ");
      },
    });
  }
  const folder = locatePackage(final, name);
  if (!folder) throw new BuildError(`${what}: the cached release ${release.tag_name} holds no compiled component: ${final}`, "remove that folder from the cache and build again");
  return { tag: release.tag_name, folder, from: inCache ? "cache" : "download" };
}
