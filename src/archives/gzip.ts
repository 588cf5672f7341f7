import zlib from "node:zlib";
import { GZIP_BLOCK, WINDOW, type CompressionPool } from "./pool.js";

/** gzip header (RFC 1952): deflate, no name, no time, the XFL zlib writes for the level, OS 3 (Unix) on every host. */
const header = (level: number) => Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, level === 9 ? 2 : level < 2 ? 4 : 0, 3]);
/** An empty final stored block: ends the deflate stream after blocks that each end on a byte boundary. */
const LAST_BLOCK = Buffer.from([1, 0, 0, 0xff, 0xff]);

/**
 * A gzip member compressed in parallel, as pigz does: the data is cut into blocks of GZIP_BLOCK bytes, each
 * deflated on its own with the 32 KB before it as dictionary and ended by a full flush (so on a byte boundary),
 * and the results are written in order: together one deflate stream, one gzip member, with the CRC-32 and size
 * of the whole. Block boundaries depend on the data alone, so the bytes are the same whatever the thread count.
 */
export class ParallelGzip {
  private crc = 0;
  private size = 0;
  private slot: number | undefined;
  private dictionary = 0;
  private filled = 0;
  /** The last WINDOW bytes of the data so far: the next block's dictionary. */
  private history = Buffer.alloc(0);
  private readonly inFlight: Promise<{ slot: number; length: number }>[] = [];
  private started = false;

  constructor(private readonly pool: CompressionPool, private readonly sink: (...buffers: Buffer[]) => Promise<void>, private readonly level = 6) {}

  async write(chunk: Buffer): Promise<void> {
    this.crc = zlib.crc32(chunk, this.crc);
    this.size += chunk.length;
    for (let at = 0; at < chunk.length; ) {
      if (this.slot === undefined) await this.openBlock();
      const n = Math.min(GZIP_BLOCK - this.filled, chunk.length - at);
      chunk.copy(this.pool.view(this.slot!), this.dictionary + this.filled, at, at + n);
      this.filled += n;
      at += n;
      if (this.filled === GZIP_BLOCK) this.submit();
    }
  }

  /** Compresses what is left and writes the end of the member. */
  async end(): Promise<void> {
    if (this.slot !== undefined) this.submit();
    while (this.inFlight.length) await this.writeOne();
    if (!this.started) await this.start();
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.size % 2 ** 32, 4);
    await this.sink(LAST_BLOCK, trailer);
  }

  /** After a failure: waits for the blocks in flight and gives their slots back. */
  async abandon(): Promise<void> {
    if (this.slot !== undefined) this.pool.release(this.slot);
    this.slot = undefined;
    for (const block of this.inFlight.splice(0)) await block.then(({ slot }) => this.pool.release(slot)).catch(() => undefined);
  }

  private async start(): Promise<void> {
    this.started = true;
    await this.sink(header(this.level));
  }

  private async openBlock(): Promise<void> {
    // Every slot busy: write finished blocks first (each writer frees its own slots, so none waits forever).
    while (this.pool.saturated() && this.inFlight.length) await this.writeOne();
    this.slot = await this.pool.acquireSlot();
    this.history.copy(this.pool.view(this.slot));
    this.dictionary = this.history.length;
    this.filled = 0;
  }

  private submit(): void {
    const slot = this.slot!;
    const view = this.pool.view(slot, this.dictionary + this.filled);
    // The next dictionary is read now: the thread overwrites the slot with its output.
    this.history = Buffer.from(view.subarray(Math.max(0, view.length - WINDOW)));
    const block = this.pool.compressBlock(slot, this.dictionary, this.filled, this.level).then(
      (length) => ({ slot, length }),
      (error: unknown) => {
        this.pool.release(slot);
        throw error;
      },
    );
    block.catch(() => undefined); // rethrown when it is written
    this.inFlight.push(block);
    this.slot = undefined;
  }

  private async writeOne(): Promise<void> {
    const { slot, length } = await this.inFlight[0]!;
    this.inFlight.shift();
    try {
      if (!this.started) await this.start();
      await this.sink(this.pool.view(slot, length));
    } finally {
      this.pool.release(slot);
    }
  }
}
