import { lstat, readdir, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { BuildError } from "../messages/errors.js";
import { mapInBatches } from "./in-batches.js";

export interface TreeEntry {
  /** Path relative to the root, with "/" separators. */
  relative: string;
  absolute: string;
  kind: "file" | "directory" | "symlink";
  size: number;
  executable: boolean;
  /** For a symbolic link kept as a link: its target, as written. */
  linkTarget?: string;
}

/** A symbolic link leaving the tree: refused, so a build never picks up files from elsewhere on the machine. */
export class UnsafeLinkError extends BuildError {
  constructor(readonly link: string, readonly target: string) {
    super(`${link} is a symbolic link to ${target}, outside the project`, "replace the link by the files it points to, or remove it");
  }
}

/** A symbolic link back to a folder it is inside: following it would never end. */
export class LinkLoopError extends BuildError {
  constructor(readonly link: string, readonly target: string) {
    super(`${link} is a symbolic link back to ${target}, a folder it is inside: it would never end`, "remove the link, or replace it by the files it should hold");
  }
}

/** Byte order of the UTF-8 names: the same on every machine and file system. */
export const compareNames = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Every file and folder below `root`, sorted by path (never in file-system order). A symbolic link must
 * stay inside `boundary` (else it is refused); it is followed, or with `links: "keep"` reported as a link
 * (application bundles rely on them). The entries of a folder are examined a few at a time (in-batches.ts),
 * folders one after the other.
 */
export async function walkTree(root: string, boundary = root, links: "follow" | "keep" = "follow"): Promise<TreeEntry[]> {
  const boundaryReal = await realpath(boundary);
  const out: TreeEntry[] = [];
  // What an entry is, links resolved (or kept); undefined for what is neither file, folder nor link.
  async function examine(absolute: string, relative: string, ancestors: readonly string[]): Promise<TreeEntry | undefined> {
    let info = await lstat(absolute);
    if (info.isSymbolicLink()) {
      const target = await realpath(absolute).catch(async () => path.resolve(path.dirname(absolute), await readlink(absolute)));
      if (target !== boundaryReal && !target.startsWith(boundaryReal + path.sep)) throw new UnsafeLinkError(absolute, target);
      if (links === "keep") return { relative, absolute, kind: "symlink", size: 0, executable: false, linkTarget: await readlink(absolute) };
      info = await stat(absolute);
      if (info.isDirectory() && ancestors.includes(target)) throw new LinkLoopError(absolute, target);
    }
    if (info.isDirectory()) return { relative, absolute, kind: "directory", size: 0, executable: false };
    if (info.isFile()) return { relative, absolute, kind: "file", size: info.size, executable: (info.mode & 0o111) !== 0 };
    return undefined;
  }
  // ancestors: real paths of the folders from the root down to `dir`: a followed link into one of them loops.
  async function visit(dir: string, prefix: string, ancestors: readonly string[]): Promise<void> {
    const names = (await readdir(dir)).sort(compareNames);
    for (const entry of await mapInBatches(names, (name) => examine(path.join(dir, name), prefix ? `${prefix}/${name}` : name, ancestors))) {
      if (!entry) continue;
      out.push(entry);
      if (entry.kind === "directory") await visit(entry.absolute, entry.relative, [...ancestors, await realpath(entry.absolute)]);
    }
  }
  await visit(root, "", [await realpath(root)]);
  return out;
}
