import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pack, type Header, type Pack } from "tar-stream";
import { compareNames } from "../files/tree.js";
import { HashedOutput } from "../files/hashed-output.js";
import { ParallelGzip } from "./gzip.js";
import { CompressionPool } from "./pool.js";
import { DEFAULT_LEVEL, inputBytes, unreadable, type ZipEntry, type ZipOptions } from "./zip.js";

/**
 * A reproducible .tar.gz: entries sorted by name, one timestamp, modes 755/644 from the executable bit alone,
 * owner 0:0 without names, symbolic links kept as links, file contents streamed; compressed in parallel in
 * the compressor threads (ParallelGzip), the same bytes whatever their number.
 */
export async function writeTarGz(entries: readonly ZipEntry[], output: string, options: Pick<ZipOptions, "sourceDate" | "signal" | "level" | "pool" | "workers" | "digests" | "digestInputs">): Promise<void> {
  const sorted = [...entries].sort((a, b) => compareNames(a.name, b.name));
  const pool = options.pool ?? new CompressionPool(options.workers);
  pool.announce(inputBytes(sorted));
  const file = await HashedOutput.create(output);
  const gzip = new ParallelGzip(pool, (...buffers) => file.write(...buffers), options.level ?? DEFAULT_LEVEL);
  const tar = pack();
  const mtime = new Date(options.sourceDate * 1000);
  const compressed = (async () => {
    for await (const chunk of tar as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted();
      await gzip.write(chunk);
    }
    await gzip.end();
  })();
  compressed.catch(() => undefined); // awaited below
  const header = (entry: ZipEntry): Header => ({
    name: entry.kind === "directory" ? `${entry.name}/` : entry.name,
    mode: entry.kind === "file" && !entry.executable ? 0o644 : 0o755,
    mtime,
    uid: 0,
    gid: 0,
    uname: "",
    gname: "",
    devmajor: 0,
    devminor: 0,
    type: entry.kind,
    size: entry.kind === "file" ? entry.size : 0,
    linkname: entry.kind === "symlink" ? entry.linkTarget! : "",
  });
  let failure: unknown;
  let current = "";
  try {
    for (const entry of sorted) {
      current = entry.absolute ?? entry.name;
      options.signal?.throwIfAborted();
      if (entry.kind !== "file") {
        tar.entry(header(entry));
        continue;
      }
      if (entry.size <= READ_WHOLE) {
        await addWhole(tar, header(entry), entry.absolute!, entry.size, options.digestInputs ? options.digests : undefined);
        continue;
      }
      const sink = tar.entry(header(entry));
      if (options.digests && options.digestInputs) await pipeline(createReadStream(entry.absolute!), digestInto(options.digests, entry.absolute!), sink);
      else await pipeline(createReadStream(entry.absolute!), sink);
    }
    tar.finalize();
  } catch (error) {
    failure = options.signal?.aborted ? error : unreadable(`${current}: ${(error as Error).message}`);
    tar.destroy(failure as Error);
  }
  try {
    // The writing side fails with the same cause (or a consequence of it): report the cause.
    await compressed.catch((error: unknown) => {
      throw failure ?? error;
    });
    if (failure) throw failure;
    const sha256 = await file.close();
    await options.digests?.remember(output, sha256);
  } catch (error) {
    await gzip.abandon();
    await file.abandon();
    throw error;
  } finally {
    if (!options.pool) await pool.close();
  }
}

/**
 * Files up to this size are read whole and added in one piece: a stream pipeline for each made most of the
 * garbage of a whole build's main thread (end-of-stream watchers, abort signals, read streams).
 */
const READ_WHOLE = 1024 * 1024;

async function addWhole(tar: Pack, entryHeader: Header, file: string, size: number, digests: ZipOptions["digests"]): Promise<void> {
  const data = await readFile(file);
  if (data.length !== size) throw new Error("it changed while it was being packed");
  if (digests) await digests.remember(file, createHash("sha256").update(data).digest("hex"));
  await new Promise<void>((resolve, reject) => tar.entry(entryHeader, data, (error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Passes a file's bytes through, and records their SHA-256 for the file once they have all gone by. */
function digestInto(digests: NonNullable<ZipOptions["digests"]>, file: string): Transform {
  const hash = createHash("sha256");
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      digests.remember(file, hash.digest("hex")).then(() => done(), done);
    },
  });
}
