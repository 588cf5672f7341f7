import type { BigIntStats } from "node:fs";
import { stat } from "node:fs/promises";
import { sha256File } from "./copy.js";

/** What identifies a file's content while nothing rewrites it: device, inode, size, modification and change times. */
export const fileIdentity = (info: BigIntStats): string => [info.dev, info.ino, info.size, info.mtimeNs, info.ctimeNs].join(":");

/**
 * SHA-256 of the files a build wrote, learnt while they were written or read for an archive, so that the
 * checksums step reads nothing back. A digest is kept with the file's identity at that moment: a file changed
 * since (new size, time or inode) is no longer known, and is read again.
 */
export class DigestRegistry {
  private readonly learnt = new Map<string, string>();

  /** A digest for the file as it is now (`identity`: fileIdentity of it, when the caller has it already). */
  async remember(file: string, sha256: string, identity?: string): Promise<void> {
    this.learnt.set(identity ?? fileIdentity(await stat(file, { bigint: true })), sha256);
  }

  /** The SHA-256 learnt for the file as it is now, if any (nothing is read). */
  async known(file: string): Promise<string | undefined> {
    return this.learnt.get(fileIdentity(await stat(file, { bigint: true })));
  }

  /** The file's SHA-256: the one learnt when it was written or read, else read now. */
  async sha256(file: string): Promise<string> {
    const identity = fileIdentity(await stat(file, { bigint: true }));
    const known = this.learnt.get(identity);
    if (known) return known;
    const digest = await sha256File(file);
    this.learnt.set(identity, digest);
    return digest;
  }
}
