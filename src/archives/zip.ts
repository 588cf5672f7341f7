import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { pipeline } from "node:stream/promises";
import { Worker } from "node:worker_threads";
import zlib from "node:zlib";
import { BuildError } from "../messages/errors.js";
import { zipDate } from "../builder/source-date.js";
import { compareNames, type TreeEntry } from "../files/tree.js";

/*
 * A reproducible zip writer (APPNOTE 6.3.x), written here rather than taken from yazl or archiver: those
 * compress one entry after the other with a JavaScript CRC-32, and give no way to bound what is in flight.
 * This one reads, checksums and deflates files in worker threads (one per core; zlib's own asynchronous
 * path was measured slower than a single thread) into a fixed ring of shared memory, writes them strictly in
 * order, and streams big files: memory stays the same whatever the number or size of files.
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
  /** Compressor threads (default: one per core, up to 4); the bytes written are the same whatever the number. */
  workers?: number;
}

export interface ZipEntry extends Pick<TreeEntry, "kind" | "size" | "executable" | "linkTarget"> {
  /** Path inside the archive, "/" separators, no trailing slash. */
  name: string;
  /** Source file (files only). */
  absolute?: string;
}

export const DEFAULT_LEVEL = 6;
/** Files up to this size are deflated in parallel, one per slot of the ring; larger ones stream. */
const BUFFERED_FILE = 8 * 1024 * 1024;
const MAX_QUEUED = 64;

const UTF8_NAMES = 0x0800;
const STORED = 0;
const DEFLATED = 8;
const MADE_BY_UNIX = 3 << 8;
const U32 = 0xffffffff;

/**
 * Worker code (CommonJS, evaluated): read a file into a reused buffer, CRC-32 it, deflate it, and put the
 * result (stored when deflate does not help) into its slot of the shared ring. Nothing is sent back but
 * numbers, so memory does not grow with the number or size of files.
 */
const COMPRESSOR = `
const { parentPort, workerData } = require("node:worker_threads");
const { openSync, readSync, closeSync, fstatSync } = require("node:fs");
const zlib = require("node:zlib");
// Each deflate leaves a zlib state and its output for the garbage collector, which a tiny heap rarely
// runs: collect every 32 MB or 100 files (measured: memory then stays flat; every file costs 5x the time).
require("node:v8").setFlagsFromString("--expose-gc");
const collect = require("node:vm").runInNewContext("gc");
const ring = new Uint8Array(workerData.ring);
const input = Buffer.allocUnsafe(workerData.slotSize);
let bytesSinceCollection = 0;
let filesSinceCollection = 0;
parentPort.on("message", ({ id, file, size, slot, level }) => {
  try {
    if (bytesSinceCollection > 32 * 1024 * 1024 || filesSinceCollection >= 100) {
      collect();
      bytesSinceCollection = filesSinceCollection = 0;
    }
    const fd = openSync(file, "r");
    let length = 0;
    try {
      if (fstatSync(fd).size !== size) throw new Error(file + " changed while it was being packed");
      for (let n; length < size && (n = readSync(fd, input, length, size - length, length)) > 0; ) length += n;
    } finally {
      closeSync(fd);
    }
    if (length !== size) throw new Error(file + " changed while it was being packed");
    const content = input.subarray(0, length);
    const deflated = zlib.deflateRawSync(content, { level });
    bytesSinceCollection += length + deflated.length;
    filesSinceCollection++;
    const stored = deflated.length >= length;
    const body = stored ? content : deflated;
    ring.set(body, slot * workerData.slotSize);
    parentPort.postMessage({ id, crc: zlib.crc32(content), method: stored ? ${STORED} : ${DEFLATED}, length: body.length });
  } catch (error) {
    parentPort.postMessage({ id, error: error.message });
  }
});`;

interface Compressed {
  method: number;
  crc: number;
  /** The compressed (or stored) data, a view into the ring: valid until its slot is released. */
  body: Buffer;
  slot: number;
}

/**
 * Compressor threads sharing a ring of slots (one file each). `dispatch` takes a free slot and a free
 * worker; the caller writes the result, then gives the slot back with `release`.
 */
class CompressorPool {
  private readonly workers: Worker[];
  private readonly idle: Worker[];
  private readonly freeSlots: number[];
  private readonly ring: SharedArrayBuffer;
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, { slot: number; resolve: (c: Compressed) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(size: number, private readonly slotSize: number) {
    const slots = size * 2;
    this.ring = new SharedArrayBuffer(slots * slotSize);
    this.freeSlots = Array.from({ length: slots }, (_, i) => i);
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(COMPRESSOR, { eval: true, workerData: { ring: this.ring, slotSize } });
      worker.on("message", (m: { id: number; error?: string; crc: number; method: number; length: number }) => {
        const task = this.pending.get(m.id)!;
        this.pending.delete(m.id);
        this.idle.push(worker);
        this.wake();
        if (m.error) task.reject(unreadable(m.error));
        else task.resolve({ crc: m.crc, method: m.method, body: Buffer.from(this.ring, task.slot * slotSize, m.length), slot: task.slot });
      });
      // A worker that dies fails everything still waiting on the pool, instead of leaving it hanging.
      worker.on("error", (error) => {
        this.failure = error;
        for (const task of this.pending.values()) task.reject(error);
        this.pending.clear();
        for (const wake of this.waiting.splice(0)) wake();
      });
      return worker;
    });
    this.idle = [...this.workers];
  }

  private wake(): void {
    this.waiting.shift()?.();
  }

  /** Resolves once a worker has taken the file (the result comes later: wrapped, so that await does not wait for it). */
  async dispatch(file: string, size: number, level: number): Promise<{ result: Promise<Compressed> }> {
    while ((this.idle.length === 0 || this.freeSlots.length === 0) && !this.failure) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failure) throw this.failure;
    const worker = this.idle.shift()!;
    const slot = this.freeSlots.shift()!;
    const id = this.nextId++;
    const result = new Promise<Compressed>((resolve, reject) => this.pending.set(id, { slot, resolve, reject }));
    result.catch(() => undefined); // rejected results are rethrown when they are written
    worker.postMessage({ id, file, size, slot, level });
    return { result };
  }

  /** Whether every slot is taken: the caller must write earlier results (releasing slots) before dispatching more. */
  get saturated(): boolean {
    return this.freeSlots.length === 0;
  }

  release(slot: number): void {
    this.freeSlots.push(slot);
    this.wake();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

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

interface Pending {
  entry: ZipEntry;
  data: Promise<Pick<Compressed, "method" | "crc" | "body"> & { slot?: number }>;
}

/**
 * A reproducible standard zip: entries in byte order of their names, one timestamp for all (time-zone
 * independent, no extra fields), permissions reduced to 644/755, a fixed deflate level; zip64 when needed.
 */
export async function writeZip(entries: readonly ZipEntry[], output: string, options: ZipOptions): Promise<void> {
  const sorted = [...entries].sort((a, b) => compareNames(a.name, b.name));
  const level = options.level ?? DEFAULT_LEVEL;
  const stamp = dosTime(options.sourceDate);
  const handle = await open(output, "w");
  const written: Written[] = [];
  let position = 0;
  let files = 0;
  let bytes = 0;
  const write = async (buffer: Buffer) => {
    await handle.write(buffer, 0, buffer.length, position);
    position += buffer.length;
  };
  const modeOf = (entry: ZipEntry) => (entry.kind === "directory" ? 0o40755 : entry.kind === "symlink" ? 0o120755 : entry.executable ? 0o100755 : 0o100644);

  const queue: Pending[] = [];
  const pool = new CompressorPool(Math.max(1, options.workers ?? Math.min(4, availableParallelism())), BUFFERED_FILE);
  const flushOne = async () => {
    const { entry, data } = queue.shift()!;
    const { method, crc, body, slot } = await data;
    const record: Written = { name: Buffer.from(entry.kind === "directory" ? `${entry.name}/` : entry.name), method, crc, compressed: body.length, size: entry.kind === "file" ? entry.size : body.length, offset: position, mode: modeOf(entry), zip64: false };
    const header = localHeader(record, stamp);
    await handle.writev([header, body], position);
    position += header.length + body.length;
    if (slot !== undefined) pool.release(slot);
    written.push(record);
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
        while (pool.saturated && queue.length) await flushOne();
        const { result } = await pool.dispatch(entry.absolute!, entry.size, level);
        queue.push({ entry, data: result });
      } else {
        while (queue.length) await flushOne();
        written.push(await streamEntry(entry, level, stamp, modeOf(entry), position, handle, options));
        position += written.at(-1)!.compressed + localHeader(written.at(-1)!, stamp).length;
        options.onProgress?.(++files, (bytes += entry.size));
      }
      while (queue.length > MAX_QUEUED) await flushOne();
    }
    while (queue.length) await flushOne();
    const centralStart = position;
    for (const record of written) await write(centralHeader(record, stamp, Boolean(options.forceZip64)));
    await write(endOfCentralDirectory(written.length, position - centralStart, centralStart, Boolean(options.forceZip64)));
  } finally {
    await Promise.allSettled(queue.map((p) => p.data));
    await pool.close();
    await handle.close();
  }
}

/** A file that vanished, changed size or cannot be read while it was packed: the user's to fix, not a bug. */
export const unreadable = (message: string): BuildError =>
  new BuildError(`cannot pack a file: ${message}`, "something changed the files while 4dbuild was packing them; stop what writes into the project (or the runtime) and build again");

/** A big file: header first (patched once CRC and sizes are known), then its data deflated as a stream. */
async function streamEntry(entry: ZipEntry, level: number, stamp: { time: number; date: number }, mode: number, offset: number, handle: FileHandle, options: ZipOptions): Promise<Written> {
  const record: Written = { name: Buffer.from(entry.name), method: DEFLATED, crc: 0, compressed: 0, size: entry.size, offset, mode, zip64: entry.size >= U32 - (U32 >>> 6) };
  const headerLength = localHeader(record, stamp).length;
  let at = offset + headerLength;
  const deflate = zlib.createDeflateRaw({ level });
  const source = createReadStream(entry.absolute!);
  let read = 0;
  source.on("data", (chunk) => {
    record.crc = zlib.crc32(chunk as Buffer, record.crc);
    read += chunk.length;
  });
  // A read error destroys the deflate stream, which ends the loop below with that error.
  const piped = pipeline(source, deflate);
  piped.catch(() => undefined); // the same error also ends the loop below; awaited there
  try {
    for await (const chunk of deflate as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted();
      await handle.write(chunk, 0, chunk.length, at);
      at += chunk.length;
    }
    await piped;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code && !options.signal?.aborted) throw unreadable((error as Error).message);
    throw error;
  }
  if (read !== entry.size) throw unreadable(`${entry.absolute} changed while it was being packed`);
  record.compressed = at - offset - headerLength;
  if (record.compressed >= U32 && !record.zip64) throw new Error(`${entry.name}: compressed size needs zip64`);
  const header = localHeader(record, stamp);
  await handle.write(header, 0, header.length, offset);
  return record;
}
