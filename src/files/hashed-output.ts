import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";

/**
 * Small writes are gathered up to this size and written together: a few hundred kilobytes make the system calls
 * rare enough; 1 MB buffers, one per archive being written, left the main thread's malloc heap fragmented.
 */
const GATHER = 256 * 1024;

/**
 * A file written front to back, its SHA-256 computed from the bytes as they are written: the checksums of
 * archives never need them read back. Small writes (a zip's headers, its small entries, its central directory:
 * one system call each made packing 10,000 files wait ~1 s on them) are copied into one buffer, written when full.
 */
export class HashedOutput {
  private readonly hash = createHash("sha256");
  private position = 0;
  private readonly gathered = Buffer.allocUnsafe(GATHER);
  private filled = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(file: string): Promise<HashedOutput> {
    return new HashedOutput(await open(file, "w"));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.position;
  }

  /** Appends the buffers (hashed and copied or written before this resolves: they may be reused then). */
  async write(...buffers: Buffer[]): Promise<void> {
    let length = 0;
    for (const buffer of buffers) {
      this.hash.update(buffer);
      length += buffer.length;
    }
    if (this.filled + length <= GATHER) {
      for (const buffer of buffers) this.filled += buffer.copy(this.gathered, this.filled);
    } else {
      const written = this.position - this.filled;
      await this.handle.writev([this.gathered.subarray(0, this.filled), ...buffers], written);
      this.filled = 0;
    }
    this.position += length;
  }

  /** Writes what is gathered, closes the file; returns the SHA-256 (hex) of everything written. */
  async close(): Promise<string> {
    if (this.filled) await this.handle.write(this.gathered, 0, this.filled, this.position - this.filled);
    this.filled = 0;
    await this.handle.close();
    return this.hash.digest("hex");
  }

  /** Closes the file after a failure (its content does not matter any more). */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
