import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { BuildError } from "../messages/errors.js";
import { zipDate } from "../builder/source-date.js";
import type { DigestRegistry } from "../files/digests.js";
import { HashedOutput } from "../files/hashed-output.js";
import { compareNames, type TreeEntry } from "../files/tree.js";
import { compressedFormat, looksIncompressible } from "./incompressible.js";
import { CompressionPool, DEFLATED, SLOT_SIZE, STORED, UnreadableFile, type FileResult } from "./pool.js";

/*
 * A reproducible zip writer (APPNOTE 6.3.x), written here rather than taken from yazl or archiver: those
 * compress one entry after the other with a JavaScript CRC-32, and give no way to bound what is in flight.
 * This one has files read, checksummed and deflated by the compressor threads (pool.ts) into a fixed ring of
 * shared memory, writes them strictly in order, and streams big files: memory stays the same whatever the
 * number or size of files. Entries that cannot shrink (already-compressed formats, incompressible data) are
 * stored without a full deflate.
 */

export interface ZipOptions {
  /** Timestamp of every entry (seconds since 1970). */
  sourceDate: number;
  /** Deflate level, fixed for reproducibility. */
  level?: number;
  /** Called as entries are written: files and bytes so far. */
  onProgress?: (files: number, bytes: number) => void;
  signal?: AbortSignal;
  /** Write zip64 records even when not needed (tests). */
  forceZip64?: boolean;
  /** The build's compressor threads; without it the writer starts its own (`workers` of them) and stops them at the end. */
  pool?: CompressionPool;
  /** Compressor threads when the writer starts its own (default: one per core); the bytes are the same whatever the number. */
  workers?: number;
  /** Where the archive's SHA-256 is recorded once written (and the inputs', with digestInputs). */
  digests?: DigestRegistry;
  /** Record the SHA-256 of every file put in the archive too (they are read anyway). */
  digestInputs?: boolean;
}

export interface ZipEntry extends Pick<TreeEntry, "kind" | "size" | "executable" | "linkTarget"> {
  /** Path inside the archive, "/" separators, no trailing slash. */
  name: string;
  /** Source file (files only). */
  absolute?: string;
}

export const DEFAULT_LEVEL = 6;
/** Files up to this size are compressed in one piece in a slot of the ring; larger ones stream. */
const BUFFERED_FILE = SLOT_SIZE;
const MAX_QUEUED = 64;

const UTF8_NAMES = 0x0800;
const MADE_BY_UNIX = 3 << 8;
const U32 = 0xffffffff;

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  mode: number;
  zip64: boolean;
}

function dosTime(seconds: number): { time: number; date: number } {
  const d = zipDate(seconds);
  return { time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1), date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate() };
}

/** Zip64 extended information: the 64-bit values whose 32-bit fields hold 0xFFFFFFFF. */
function zip64Extra(values: bigint[]): Buffer {
  const extra = Buffer.alloc(4 + values.length * 8);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(values.length * 8, 2);
  values.forEach((v, i) => extra.writeBigUInt64LE(v, 4 + i * 8));
  return extra;
}

function localHeader(entry: Written, stamp: { time: number; date: number }): Buffer {
  const extra = entry.zip64 ? zip64Extra([BigInt(entry.size), BigInt(entry.compressed)]) : Buffer.alloc(0);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(entry.zip64 ? 45 : 20, 4);
  header.writeUInt16LE(UTF8_NAMES, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(stamp.time, 10);
  header.writeUInt16LE(stamp.date, 12);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.zip64 ? U32 : entry.compressed, 18);
  header.writeUInt32LE(entry.zip64 ? U32 : entry.size, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, entry.name, extra]);
}

function centralHeader(entry: Written, stamp: { time: number; date: number }, forceZip64: boolean): Buffer {
  const big = [entry.size >= U32, entry.compressed >= U32, entry.offset >= U32 || forceZip64];
  const values = [BigInt(entry.size), BigInt(entry.compressed), BigInt(entry.offset)].filter((_, i) => big[i]);
  const extra = values.length ? zip64Extra(values) : Buffer.alloc(0);
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY_UNIX | (values.length || entry.zip64 ? 45 : 20), 4);
  header.writeUInt16LE(values.length || entry.zip64 ? 45 : 20, 6);
  header.writeUInt16LE(UTF8_NAMES, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(stamp.time, 12);
  header.writeUInt16LE(stamp.date, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(big[1] ? U32 : entry.compressed, 20);
  header.writeUInt32LE(big[0] ? U32 : entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  // comment length, disk number, internal attributes: 0
  header.writeUInt32LE(((entry.mode << 16) | (entry.mode & 0o40000 ? 0x10 : 0)) >>> 0, 38);
  header.writeUInt32LE(big[2] ? U32 : entry.offset, 42);
  return Buffer.concat([header, entry.name, extra]);
}

function endOfCentralDirectory(count: number, size: number, offset: number, forceZip64: boolean): Buffer {
  const zip64 = forceZip64 || count >= 0xffff || size >= U32 || offset >= U32;
  const parts: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(MADE_BY_UNIX | 45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(size), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + size), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : count, 8);
  end.writeUInt16LE(zip64 ? 0xffff : count, 10);
  end.writeUInt32LE(zip64 ? U32 : size, 12);
  end.writeUInt32LE(zip64 ? U32 : offset, 16);
  parts.push(end);
  return Buffer.concat(parts);
}

/** What an archive of these entries reads: the size of its files. */
export const inputBytes = (entries: readonly ZipEntry[]): number => entries.reduce((sum, entry) => sum + (entry.kind === "file" ? entry.size : 0), 0);

interface Pending {
  entry: ZipEntry;
  data: Promise<Pick<FileResult, "method" | "crc" | "body"> & Partial<Pick<FileResult, "slot" | "sha256" | "identity">>>;
}

/**
 * A reproducible standard zip: entries in byte order of their names, one timestamp for all (time-zone
 * independent, no extra fields), permissions reduced to 644/755, a fixed deflate level; zip64 when needed.
 */
export async function writeZip(entries: readonly ZipEntry[], output: string, options: ZipOptions): Promise<void> {
  const sorted = [...entries].sort((a, b) => compareNames(a.name, b.name));
  const level = options.level ?? DEFAULT_LEVEL;
  const stamp = dosTime(options.sourceDate);
  const pool = options.pool ?? new CompressionPool(options.workers);
  pool.announce(inputBytes(sorted));
  const file = await HashedOutput.create(output);
  const written: Written[] = [];
  let files = 0;
  let bytes = 0;
  const modeOf = (entry: ZipEntry) => (entry.kind === "directory" ? 0o40755 : entry.kind === "symlink" ? 0o120755 : entry.executable ? 0o100755 : 0o100644);
  const digestInputs = options.digestInputs ? options.digests : undefined;

  const queue: Pending[] = [];
  const flushOne = async () => {
    const { entry, data } = queue.shift()!;
    const { method, crc, body, slot, sha256, identity } = await data;
    try {
      const record: Written = { name: Buffer.from(entry.kind === "directory" ? `${entry.name}/` : entry.name), method, crc, compressed: body.length, size: entry.kind === "file" ? entry.size : body.length, offset: file.length, mode: modeOf(entry), zip64: false };
      await file.write(localHeader(record, stamp), body);
      written.push(record);
    } finally {
      if (slot !== undefined) pool.release(slot);
    }
    if (sha256 && digestInputs) await digestInputs.remember(entry.absolute!, sha256, identity);
    if (entry.kind === "file") options.onProgress?.(++files, (bytes += entry.size));
  };

  try {
    for (const entry of sorted) {
      options.signal?.throwIfAborted();
      if (entry.kind === "directory") {
        queue.push({ entry, data: Promise.resolve({ method: STORED, crc: 0, body: Buffer.alloc(0) }) });
      } else if (entry.kind === "symlink") {
        // A symbolic link is stored as its target, with the link file type in the Unix mode (Info-ZIP's convention).
        const target = Buffer.from(entry.linkTarget!);
        queue.push({ entry, data: Promise.resolve({ method: STORED, crc: zlib.crc32(target), body: target }) });
      } else if (entry.size <= BUFFERED_FILE) {
        // Files are compressed ahead while earlier ones are written; every slot busy means: write first.
        while (pool.saturated(entry.size) && queue.length) await flushOne();
        const slot = await pool.acquireSlot(entry.size);
        const data = pool.compressFile(entry.absolute!, entry.size, level, slot, Boolean(digestInputs)).catch((error: unknown) => {
          pool.release(slot);
          // A thread that died is a bug; a file that could not be read is the user's to fix.
          throw error instanceof UnreadableFile ? unreadable(error.message) : error;
        });
        data.catch(() => undefined); // rethrown when it is written
        queue.push({ entry, data });
      } else {
        while (queue.length) await flushOne();
        written.push(await streamEntry(entry, level, stamp, modeOf(entry), file, `${output}.part`, options));
        options.onProgress?.(++files, (bytes += entry.size));
      }
      while (queue.length > MAX_QUEUED) await flushOne();
    }
    while (queue.length) await flushOne();
    const centralStart = file.length;
    for (const record of written) await file.write(centralHeader(record, stamp, Boolean(options.forceZip64)));
    await file.write(endOfCentralDirectory(written.length, file.length - centralStart, centralStart, Boolean(options.forceZip64)));
    const sha256 = await file.close();
    await options.digests?.remember(output, sha256);
  } catch (error) {
    await file.abandon();
    throw error;
  } finally {
    // Results still queued hold slots of a pool other archives may share: give them back.
    for (const pending of queue.splice(0)) await pending.data.then(({ slot }) => slot !== undefined && pool.release(slot)).catch(() => undefined);
    if (!options.pool) await pool.close();
  }
}

/** A file that vanished, changed size or cannot be read while it was packed: the user's to fix, not a bug. */
export const unreadable = (message: string): BuildError =>
  new BuildError(`cannot pack a file: ${message}`, "something changed the files while 4dbuild was packing them; stop what writes into the project (or the runtime) and build again");

/**
 * A big file: its data deflated as a stream (or stored, when its first 64 KB cannot shrink) into a scratch file
 * beside the archive, then its header (CRC and sizes known) and the data appended: the archive is written front
 * to back, so its SHA-256 is computed as it is written.
 */
async function streamEntry(entry: ZipEntry, level: number, stamp: { time: number; date: number }, mode: number, file: HashedOutput, scratch: string, options: ZipOptions): Promise<Written> {
  const record: Written = { name: Buffer.from(entry.name), method: DEFLATED, crc: 0, compressed: 0, size: entry.size, offset: file.length, mode, zip64: entry.size >= U32 - (U32 >>> 6) };
  const hash = options.digestInputs && options.digests ? createHash("sha256") : undefined;
  let read = 0;
  const chooser = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      record.crc = zlib.crc32(chunk, record.crc);
      hash?.update(chunk);
      read += chunk.length;
      done(null, chunk);
    },
  });
  try {
    const source = createReadStream(entry.absolute!, { highWaterMark: 64 * 1024 });
    // The first chunk decides: stored or deflated.
    const first = await new Promise<Buffer>((resolve, reject) => {
      source.once("error", reject);
      source.once("readable", () => resolve((source.read() as Buffer | null) ?? Buffer.alloc(0)));
    });
    source.unshift(first);
    const store = compressedFormat(first.subarray(0, 16)) || looksIncompressible(first);
    record.method = store ? STORED : DEFLATED;
    await pipeline(source, chooser, store ? new PassThrough() : zlib.createDeflateRaw({ level }), createWriteStream(scratch), { ...(options.signal ? { signal: options.signal } : {}) });
    if (read !== entry.size) throw unreadable(`${entry.absolute} changed while it was being packed`);
    record.compressed = (await stat(scratch)).size;
    if (record.compressed >= U32 && !record.zip64) throw new Error(`${entry.name}: compressed size needs zip64`);
    await file.write(localHeader(record, stamp));
    for await (const chunk of createReadStream(scratch) as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted();
      await file.write(chunk);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code && (error as NodeJS.ErrnoException).code !== "ABORT_ERR" && !options.signal?.aborted) throw unreadable((error as Error).message);
    throw error;
  } finally {
    await rm(scratch, { force: true });
  }
  if (hash) await options.digests!.remember(entry.absolute!, hash.digest("hex"));
  return record;
}
