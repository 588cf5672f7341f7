import { createHash } from "node:crypto";
import { constants, createReadStream } from "node:fs";
import { chmod, copyFile, mkdir, readdir, rmdir, symlink, utimes } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { walkTree, type TreeEntry } from "./tree.js";

export interface CopyOptions {
  /** Seconds since 1970 stamped on every copied file and folder. */
  sourceDate: number;
  /** Symbolic links must resolve inside this folder. */
  boundary: string;
  /** Keep this entry? Relative paths use "/". A folder left out is not descended into. */
  keep?: (entry: TreeEntry) => boolean;
  /** Copy symbolic links as links (bundles) instead of the files they point to. */
  links?: "follow" | "keep";
  signal?: AbortSignal;
  onFile?: (bytes: number) => void;
}

/** Normalised permissions and time, so that copies are the same bytes and metadata on every machine. */
async function normalise(file: string, directory: boolean, executable: boolean, sourceDate: number): Promise<void> {
  await chmod(file, directory || executable ? 0o755 : 0o644);
  await utimes(file, sourceDate, sourceDate);
}

/** Copies a tree file by file (the kernel copies the bytes; nothing is read into memory). Returns what was copied. */
export async function copyTree(source: string, destination: string, options: CopyOptions): Promise<TreeEntry[]> {
  const entries = await walkTree(source, options.boundary, options.links ?? "follow");
  const skipped: string[] = [];
  const copied: TreeEntry[] = [];
  await mkdir(destination, { recursive: true });
  for (const entry of entries) {
    options.signal?.throwIfAborted();
    if (skipped.some((prefix) => entry.relative.startsWith(`${prefix}/`))) continue;
    if (options.keep && !options.keep(entry)) {
      if (entry.kind === "directory") skipped.push(entry.relative);
      continue;
    }
    const target = path.join(destination, ...entry.relative.split("/"));
    if (entry.kind === "directory") await mkdir(target, { recursive: true });
    else if (entry.kind === "symlink") await symlink(entry.linkTarget!, target);
    else {
      // A clone where the file system can (reflink), else a copy inside the kernel: no byte passes through here.
      await copyFile(entry.absolute, target, constants.COPYFILE_FICLONE);
      await normalise(target, false, entry.executable, options.sourceDate);
      options.onFile?.(entry.size);
    }
    copied.push(entry);
  }
  await stampDirectories(destination, options.sourceDate);
  return copied;
}

/** Folders get their time last: adding files to them changes it. */
export async function stampDirectories(root: string, sourceDate: number): Promise<void> {
  const entries = await walkTree(root, root, "keep");
  for (const entry of entries.reverse()) if (entry.kind === "directory") await normalise(entry.absolute, true, false, sourceDate);
  await normalise(root, true, false, sourceDate);
}

/** Removes every folder that is empty (deepest first); the root stays. */
export async function removeEmptyFolders(root: string): Promise<void> {
  const entries = await walkTree(root, root, "keep");
  for (const entry of entries.reverse()) {
    if (entry.kind === "directory" && (await readdir(entry.absolute)).length === 0) await rmdir(entry.absolute);
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}
