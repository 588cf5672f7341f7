import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
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

/**
 * Byte order of the UTF-8 names: the same on every machine and file system. Compared as UTF-16 code units, which
 * is the same order except that surrogates (characters above U+FFFF) must come after U+E000-U+FFFF: each unit
 * from U+D800 up is moved accordingly. Without encoding both names at each comparison: sorting 10,000 names
 * made 280,000 buffers.
 */
export function compareNames(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return inCodePointOrder(x) - inCodePointOrder(y);
  }
  return a.length - b.length;
}

const inCodePointOrder = (unit: number): number => (unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800);

/**
 * A folder's entry: `dir` is already normal (the resolved root or a real path, then names read from folders), and
 * a name has no separator, so path.join's normalisation would only make garbage (100 MB of strings in a whole build).
 */
const inside = (dir: string, name: string): string => (dir.endsWith(path.sep) ? dir + name : dir + path.sep + name);

/** Entries examined between two turns of the event loop: other archives written at the same time keep moving. */
const ENTRIES_PER_TURN = 256;

/**
 * Every file and folder below `root`, sorted by path (never in file-system order). A symbolic link must
 * stay inside `boundary` (else it is refused); it is followed, or with `links: "keep"` reported as a link
 * (application bundles rely on them). The file system is asked synchronously, a few hundred entries per turn
 * of the event loop: an lstat answered from the kernel's cache takes microseconds, but each asynchronous one
 * went through libuv's threads (a 1,600-entry project took 210 ms to walk that way, 50 ms this way).
 */
export async function walkTree(root: string, boundary = root, links: "follow" | "keep" = "follow"): Promise<TreeEntry[]> {
  const boundaryReal = realpathSync(boundary);
  const out: TreeEntry[] = [];
  let sinceTurn = 0;
  // What an entry is, links resolved (or kept), with its real path; undefined for what is neither file, folder nor link.
  function examine(absolute: string, relative: string, real: string, ancestors: readonly string[]): { entry: TreeEntry; real: string } | undefined {
    let info = lstatSync(absolute);
    if (info.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(absolute);
      } catch {
        target = path.resolve(path.dirname(absolute), readlinkSync(absolute));
      }
      if (target !== boundaryReal && !target.startsWith(boundaryReal + path.sep)) throw new UnsafeLinkError(absolute, target);
      if (links === "keep") return { entry: { relative, absolute, kind: "symlink", size: 0, executable: false, linkTarget: readlinkSync(absolute) }, real };
      info = statSync(absolute);
      if (info.isDirectory() && ancestors.includes(target)) throw new LinkLoopError(absolute, target);
      real = target;
    }
    if (info.isDirectory()) return { entry: { relative, absolute, kind: "directory", size: 0, executable: false }, real };
    if (info.isFile()) return { entry: { relative, absolute, kind: "file", size: info.size, executable: (info.mode & 0o111) !== 0 }, real };
    return undefined;
  }
  // ancestors: real paths of the folders from the root down to `dir` (the parent's plus the name, unless a link
  // was followed): a followed link into one of them loops.
  async function visit(dir: string, prefix: string, ancestors: readonly string[]): Promise<void> {
    const names = readdirSync(dir).sort(compareNames);
    const parentReal = ancestors[ancestors.length - 1]!;
    for (const name of names) {
      const found = examine(inside(dir, name), prefix ? `${prefix}/${name}` : name, inside(parentReal, name), ancestors);
      if (!found) continue;
      out.push(found.entry);
      if (++sinceTurn >= ENTRIES_PER_TURN) {
        sinceTurn = 0;
        await new Promise(setImmediate);
      }
      if (found.entry.kind === "directory") await visit(found.entry.absolute, found.entry.relative, [...ancestors, found.real]);
    }
  }
  await visit(path.resolve(root), "", [realpathSync(root)]);
  return out;
}
