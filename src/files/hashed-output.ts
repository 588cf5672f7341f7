import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";

/**
 * A file written front to back, its SHA-256 computed from the bytes as they are written: the checksums of
 * archives never need them read back.
 */
export class HashedOutput {
  private readonly hash = createHash("sha256");
  private position = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(file: string): Promise<HashedOutput> {
    return new HashedOutput(await open(file, "w"));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.position;
  }

  /** Appends the buffers (hashed before this returns: they may be reused once it resolves). */
  async write(...buffers: Buffer[]): Promise<void> {
    let length = 0;
    for (const buffer of buffers) {
      this.hash.update(buffer);
      length += buffer.length;
    }
    await this.handle.writev(buffers, this.position);
    this.position += length;
  }

  /** Closes the file; returns the SHA-256 (hex) of everything written. */
  async close(): Promise<string> {
    await this.handle.close();
    return this.hash.digest("hex");
  }

  /** Closes the file after a failure (its content does not matter any more). */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
