import { createReadStream, createWriteStream } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGzip } from "node:zlib";
import { pack, type Header } from "tar-stream";
import { compareNames } from "../files/tree.js";
import { unreadable, type ZipEntry, type ZipOptions } from "./zip.js";

/** Byte 9 of a gzip header names the OS that wrote it; zlib sets its own, so hosts would differ. */
const GZIP_OS_UNIX = 3;

function fixGzipOs(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (first && chunk.length > 9) {
        chunk[9] = GZIP_OS_UNIX;
        first = false;
      }
      done(null, chunk);
    },
  });
}

/**
 * A reproducible .tar.gz: entries sorted by name, one timestamp, modes 755/644 from the executable bit alone,
 * owner 0:0 without names, symbolic links kept as links, file contents streamed.
 */
export async function writeTarGz(entries: readonly ZipEntry[], output: string, options: Pick<ZipOptions, "sourceDate" | "signal" | "level">): Promise<void> {
  const sorted = [...entries].sort((a, b) => compareNames(a.name, b.name));
  const tar = pack();
  const mtime = new Date(options.sourceDate * 1000);
  const written = pipeline(tar, createGzip({ level: options.level ?? constants.Z_DEFAULT_COMPRESSION }), fixGzipOs(), createWriteStream(output), { signal: options.signal });
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
      const sink = tar.entry(header(entry));
      await pipeline(createReadStream(entry.absolute!), sink);
    }
    tar.finalize();
  } catch (error) {
    failure = options.signal?.aborted ? error : unreadable(`${current}: ${(error as Error).message}`);
    tar.destroy(failure as Error);
  }
  // The writing side fails with the same cause (or a consequence of it): report the cause.
  await written.catch((error: unknown) => {
    throw failure ?? error;
  });
  if (failure) throw failure;
}
