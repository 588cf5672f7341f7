import { createReadStream, createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";
import { zipDate } from "./source-date.js";
import { compareNames, type TreeEntry } from "./tree.js";

export interface ZipOptions {
  /** Timestamp of every entry (seconds since 1970). */
  sourceDate: number;
  /** Deflate level, fixed for reproducibility. */
  level?: number;
  /** Called as entries are queued: files and bytes so far. */
  onProgress?: (files: number, bytes: number) => void;
  signal?: AbortSignal;
}

export interface ZipEntry extends Pick<TreeEntry, "kind" | "size" | "executable"> {
  /** Path inside the archive, "/" separators, no trailing slash. */
  name: string;
  /** Source file (files only). */
  absolute?: string;
}

/** Files up to this size are read whole and deflated on zlib's thread pool, several at once; larger ones stream. */
const BUFFERED_FILE = 4 * 1024 * 1024;
/** Bytes queued but not yet written: bounds memory whatever the size of the tree. */
const IN_FLIGHT = 64 * 1024 * 1024;
export const DEFAULT_LEVEL = 6;

/**
 * A reproducible standard zip: entries in byte order of their names, one timestamp for all (time-zone
 * independent, no extra fields), permissions reduced to 644/755, a fixed deflate level; zip64 when needed.
 */
export async function writeZip(entries: readonly ZipEntry[], output: string, options: ZipOptions): Promise<void> {
  const sorted = [...entries].sort((a, b) => compareNames(a.name, b.name));
  const zip = new yazl.ZipFile();
  const mtime = zipDate(options.sourceDate);
  const level = options.level ?? DEFAULT_LEVEL;
  let written = 0;
  zip.outputStream.on("data", (chunk: Buffer) => (written += chunk.length));
  const done = pipeline(zip.outputStream, createWriteStream(output));

  let queued = 0;
  let files = 0;
  for (const entry of sorted) {
    options.signal?.throwIfAborted();
    if (entry.kind === "directory") {
      zip.addEmptyDirectory(entry.name, { mtime, mode: 0o40755, forceDosTimestamp: true });
      continue;
    }
    // Wait for the writer to catch up (or fail: then `done` rejects and ends the wait).
    while (queued - written > IN_FLIGHT) await Promise.race([once(zip.outputStream, "data"), done]);
    const common = { mtime, mode: entry.executable ? 0o100755 : 0o100644, forceDosTimestamp: true, compressionLevel: level };
    if (entry.size <= BUFFERED_FILE) {
      zip.addBuffer(await readFile(entry.absolute!), entry.name, common);
    } else {
      zip.addReadStreamLazy(entry.name, { ...common, size: entry.size }, (callback) => callback(null, createReadStream(entry.absolute!)));
    }
    queued += entry.size;
    options.onProgress?.(++files, queued);
  }
  zip.end();
  await done;
}
