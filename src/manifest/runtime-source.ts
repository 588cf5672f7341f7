import path from "node:path";

/** The archive file names a runtime may be given as (unpacked into 4dbuild's cache, docs/toolchain.md). */
export const RUNTIME_ARCHIVE = /\.(zip|tar\.gz|tgz|tar\.xz)$/i;
export const RUNTIME_ARCHIVE_NAMES = ".zip, .tar.gz, .tgz or .tar.xz";

/** A runtime as the manifest writes it: a path (folder or archive), or a download with its digest. */
export type RuntimeSetting = string | { url: string; sha256: string };

/** Where a 4D runtime comes from: a folder used as it is, an archive file, or a download. Paths are absolute. */
export type RuntimeSource = { kind: "folder"; path: string } | { kind: "archive"; path: string } | { kind: "url"; url: string; sha256: string };

/** The source of a runtime setting; relative paths start at `baseDir`. */
export function runtimeSource(setting: RuntimeSetting, baseDir: string): RuntimeSource {
  if (typeof setting !== "string") return { kind: "url", url: setting.url, sha256: setting.sha256.toLowerCase() };
  const absolute = path.resolve(baseDir, setting);
  return RUNTIME_ARCHIVE.test(setting) ? { kind: "archive", path: absolute } : { kind: "folder", path: absolute };
}

/** An address rather than a path: "https://…", "http://…" (a Windows drive, "C:\", is a path). */
export const looksLikeUrl = (value: string): boolean => /^[a-z][a-z0-9+.-]+:\/\//i.test(value);
