import { lstat, readdir, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { BuildError } from "../messages/errors.js";

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
 * (application bundles rely on them). The entries of a folder are examined together and sibling folders
 * walked together (one lstat after the other left the threads of libuv idle: a third of a small pack's time),
 * then put back in order.
 */
export async function walkTree(root: string, boundary = root, links: "follow" | "keep" = "follow"): Promise<TreeEntry[]> {
  const boundaryReal = await realpath(boundary);
  // ancestors: real paths of the folders from the root down to `dir`: a followed link into one of them loops.
  async function entry(dir: string, name: string, prefix: string, ancestors: readonly string[]): Promise<TreeEntry[]> {
    const absolute = path.join(dir, name);
    const relative = prefix ? `${prefix}/${name}` : name;
    let info = await lstat(absolute);
    if (info.isSymbolicLink()) {
      const target = await realpath(absolute).catch(async () => path.resolve(dir, await readlink(absolute)));
      if (target !== boundaryReal && !target.startsWith(boundaryReal + path.sep)) throw new UnsafeLinkError(absolute, target);
      if (links === "keep") return [{ relative, absolute, kind: "symlink", size: 0, executable: false, linkTarget: await readlink(absolute) }];
      info = await stat(absolute);
      if (info.isDirectory() && ancestors.includes(target)) throw new LinkLoopError(absolute, target);
    }
    if (info.isDirectory()) return [{ relative, absolute, kind: "directory", size: 0, executable: false }, ...(await visit(absolute, relative, [...ancestors, await realpath(absolute)]))];
    if (info.isFile()) return [{ relative, absolute, kind: "file", size: info.size, executable: (info.mode & 0o111) !== 0 }];
    return [];
  }
  async function visit(dir: string, prefix: string, ancestors: readonly string[]): Promise<TreeEntry[]> {
    const names = (await readdir(dir)).sort(compareNames);
    return (await Promise.all(names.map((name) => entry(dir, name, prefix, ancestors)))).flat();
  }
  return visit(root, "", [await realpath(root)]);
}
