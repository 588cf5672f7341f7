import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { compressedFormat, looksIncompressible } from "./incompressible.js";

/*
 * One pool of compressor threads for a whole build: every archive being written (zip entries, blocks of a
 * tar.gz) sends its work here, so the number of threads is the core count whatever the number of archives
 * written at once, and what is in flight is bounded by a fixed ring of shared memory (the memory budget):
 * a writer takes a slot, the thread puts its result there, the writer writes it out and gives the slot back.
 * Nothing is sent back but numbers, so memory does not grow with the number or size of files.
 */

/** A big slot: a file up to this size is compressed in one piece; a tar.gz block with its dictionary fits too. */
export const SLOT_SIZE = 8 * 1024 * 1024;
/**
 * A small slot, for the many small files of an application: without them, a few big slots would each hold a
 * file of some kilobytes, and the threads would wait for the writers (measured: idle half the time).
 */
export const SMALL_SLOT = 256 * 1024;
const SMALL_SLOTS = 32;
/** Data of a tar.gz is cut into blocks of this size, compressed in parallel (independent of the thread count). */
export const GZIP_BLOCK = 1024 * 1024;
/** Deflate looks back at most this far: the dictionary of a block is the 32 KB before it. */
export const WINDOW = 32 * 1024;
export const STORED = 0;
export const DEFLATED = 8;

const JOBS_PER_THREAD = 2;

/**
 * Input a pool compresses on the main thread before it starts its threads (and none once it has): starting a
 * thread costs ~60 ms of CPU here (npm run bench), more than deflating this much, and most archives of a
 * small application (a component, the example) stay below it. FOURDBUILD_INLINE_BYTES sets it for a build.
 */
export const INLINE_BYTES = 4 * 1024 * 1024;

/** Threads by default: one per core (the main thread mostly waits on the file system and the threads). */
export const defaultWorkers = (): number => availableParallelism();

/**
 * What a job does (CommonJS source, run by the threads and, for small work, by the main thread: one code, the
 * same bytes). A file job reads a file into its slot, CRC-32s it (and SHA-256 when asked), deflates it unless it
 * cannot shrink, and puts the result into the slot. A block job deflates a block of a tar.gz with the 32 KB
 * before it as dictionary and ends it on a byte boundary (full flush), so that blocks made apart concatenate
 * into one deflate stream; 64 KB parts that cannot shrink are written as stored blocks instead. Given `ring`
 * (a Buffer over the shared ring) and `blockInput()` (a buffer for a block and its dictionary).
 */
const JOB_CODE = `
const { openSync, readSync, closeSync, fstatSync } = require("node:fs");
const { createHash } = require("node:crypto");
const zlib = require("node:zlib");
const compressedFormat = (${compressedFormat.toString()});
const looksIncompressible = (${looksIncompressible.toString()});
const PART = 64 * 1024;

// The file is read straight into its slot; its deflated form, when smaller, replaces it there.
function file({ file, size, offset, level, digest }) {
  const fd = openSync(file, "r");
  let length = 0;
  let info;
  try {
    info = fstatSync(fd, { bigint: true });
    if (Number(info.size) !== size) throw new Error(file + " changed while it was being packed");
    for (let n; length < size && (n = readSync(fd, ring, offset + length, size - length, length)) > 0; ) length += n;
  } finally {
    closeSync(fd);
  }
  if (length !== size) throw new Error(file + " changed while it was being packed");
  const content = ring.subarray(offset, offset + length);
  const crc = zlib.crc32(content);
  const sha256 = digest ? createHash("sha256").update(content).digest("hex") : undefined;
  let method = ${STORED};
  if (!compressedFormat(content.subarray(0, 16)) && !looksIncompressible(content)) {
    const deflated = zlib.deflateRawSync(content, { level });
    if (deflated.length < length) {
      ring.set(deflated, offset);
      length = deflated.length;
      method = ${DEFLATED};
    }
  }
  return {
    crc,
    method,
    length,
    sha256,
    identity: [info.dev, info.ino, info.size, info.mtimeNs, info.ctimeNs].join(":"),
  };
}

function stored(data, out) {
  for (let at = 0; at < data.length; ) {
    const n = Math.min(65535, data.length - at);
    out.push(Buffer.from([0, n & 255, n >> 8, ~n & 255, (~n >> 8) & 255]), data.subarray(at, at + n));
    at += n;
  }
}

function block({ offset, dictionary, length, level }) {
  const input = blockInput();
  input.set(ring.subarray(offset, offset + dictionary + length));
  const out = [];
  // Parts that cannot shrink are stored; runs of the others are deflated together.
  const incompressible = [];
  for (let start = 0; start < length; start += PART) incompressible.push(looksIncompressible(input.subarray(dictionary + start, dictionary + Math.min(length, start + PART))));
  for (let part = 0; part < incompressible.length; ) {
    let next = part + 1;
    while (next < incompressible.length && incompressible[next] === incompressible[part]) next++;
    const start = part * PART;
    const data = input.subarray(dictionary + start, dictionary + Math.min(length, next * PART));
    if (incompressible[part]) stored(data, out);
    else {
      const history = input.subarray(Math.max(0, dictionary + start - ${WINDOW}), dictionary + start);
      out.push(zlib.deflateRawSync(data, { level, finishFlush: zlib.constants.Z_FULL_FLUSH, ...(history.length ? { dictionary: history } : {}) }));
    }
    part = next;
  }
  let at = offset;
  for (const part of out) {
    ring.set(part, at);
    at += part.length;
  }
  return { length: at - offset };
}`;

/** A compressor thread: the jobs' code, answering each job posted with numbers only. */
const WORKER_CODE = `
const { parentPort, workerData } = require("node:worker_threads");
// Each deflate leaves its output for the garbage collector, which a tiny heap rarely runs, and until then in the
// thread's malloc arena: collect every 4 MB or 100 jobs (16 MB let a whole build's peak grow by ~8 MB). The
// outputs die young: a minor collection (a scavenge) frees most of them; a full one every fourth time frees the
// rest (full ones alone cost a sixth of a 300 MB pack's compression time; minor ones alone let the peak grow).
require("node:v8").setFlagsFromString("--expose-gc");
const collect = require("node:vm").runInNewContext("gc");
const ring = Buffer.from(workerData.ring);
// A block and its dictionary, copied out of the ring: the block's output is written back over them.
const input = Buffer.allocUnsafe(workerData.blockSize);
const blockInput = () => input;
${JOB_CODE}
let bytesSinceCollection = 0;
let jobsSinceCollection = 0;
let collections = 0;

parentPort.on("message", (job) => {
  try {
    if (bytesSinceCollection > 4 * 1024 * 1024 || jobsSinceCollection >= 100) {
      collect({ type: ++collections % 4 ? "minor" : "major" });
      bytesSinceCollection = jobsSinceCollection = 0;
    }
    jobsSinceCollection++;
    const result = job.kind === "file" ? file(job) : block(job);
    bytesSinceCollection += job.kind === "file" ? job.size + result.length : job.length * 2;
    parentPort.postMessage({ id: job.id, ...result });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: error.message });
  }
});`;

/** A file a thread could not read as it was listed (gone, changed size, unreadable). */
export class UnreadableFile extends Error {}

export interface FileResult {
  method: number;
  crc: number;
  /** The compressed (or stored) data, a view into the ring: valid until its slot is released. */
  body: Buffer;
  slot: number;
  /** SHA-256 of the file, when asked for. */
  sha256?: string;
  /** The file's identity when it was read (see DigestRegistry). */
  identity: string;
}

type Job = { kind: "file"; file: string; size: number; offset: number; level: number; digest: boolean } | { kind: "block"; offset: number; dictionary: number; length: number; level: number };
type SlotClass = "big" | "small";
type Reply = { id: number; error?: string; length: number; crc?: number; method?: number; sha256?: string; identity?: string };

/** Compressor threads and the ring of slots they share; the threads start at the first job, or with start(). */
export class CompressionPool {
  /** Big slots; small ones come after them in the ring (slot numbers from `slots` on). */
  readonly slots: number;
  private readonly ring: SharedArrayBuffer;
  private readonly free: Record<SlotClass, number[]>;
  private readonly slotWaiters: Record<SlotClass, (() => void)[]> = { big: [], small: [] };
  private readonly workers: Worker[] = [];
  /** Jobs sent to each thread and not answered yet. */
  private readonly inFlight = new Map<Worker, number>();
  private readonly queue: { id: number; job: Job }[] = [];
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  /** Input still to compress on the main thread before the threads start (see INLINE_BYTES). */
  private inlineLeft: number;
  private inline: { file: (job: Job) => Omit<Reply, "id">; block: (job: Job) => Omit<Reply, "id"> } | undefined;

  /**
   * `workers` threads; `slots` slots of SLOT_SIZE in the ring (default: two per thread and two more, so that
   * the writers keep every thread busy while they write), and 32 of SMALL_SLOT; `inlineBytes` of input
   * compressed on the main thread first (default INLINE_BYTES; 0: threads from the first job).
   */
  constructor(readonly workerCount: number = defaultWorkers(), options: { slots?: number; inlineBytes?: number } = {}) {
    this.workerCount = Math.max(1, Math.floor(workerCount));
    this.slots = Math.max(2, options.slots ?? this.workerCount * 2 + 2);
    this.inlineLeft = options.inlineBytes ?? INLINE_BYTES;
    this.ring = new SharedArrayBuffer(this.slots * SLOT_SIZE + SMALL_SLOTS * SMALL_SLOT);
    this.free = { big: Array.from({ length: this.slots }, (_, i) => i), small: Array.from({ length: SMALL_SLOTS }, (_, i) => this.slots + i) };
  }

  /** Threads started so far (0 while the work is compressed on the main thread). */
  get threads(): number {
    return this.workers.length;
  }

  /** Work of `bytes` of input is coming: when the main thread would not do it all, the threads start now, booting while the writer lists and reads. */
  announce(bytes: number): void {
    if (bytes > this.inlineLeft) this.start();
  }

  /** Starts the threads now (announce does, for work beyond the inline budget; the benchmark does, to pack as a big build does); else the first job past the budget does. */
  start(): void {
    while (this.workers.length < this.workerCount) {
      const worker = new Worker(WORKER_CODE, { eval: true, workerData: { ring: this.ring, blockSize: WINDOW + GZIP_BLOCK }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      worker.unref();
      worker.on("message", (reply: Reply) => {
        const task = this.pending.get(reply.id)!;
        this.pending.delete(reply.id);
        const left = this.inFlight.get(worker)! - 1;
        this.inFlight.set(worker, left);
        if (left === 0) worker.unref();
        this.dispatch();
        task.resolve(reply);
      });
      // A thread that dies fails everything still waiting on the pool, instead of leaving it hanging.
      worker.on("error", (error) => {
        this.failure = error;
        for (const task of this.pending.values()) task.reject(error);
        this.pending.clear();
        for (const wake of [...this.slotWaiters.big.splice(0), ...this.slotWaiters.small.splice(0)]) wake();
      });
      this.workers.push(worker);
      this.inFlight.set(worker, 0);
    }
  }

  /**
   * Sends queued jobs to the least busy threads, up to JOBS_PER_THREAD each: a thread finds its next job waiting
   * when it posts a result, instead of idling until the main thread, busy writing, reads that result (the threads
   * of a 30 MB pack were idle a quarter of the time with one job each).
   */
  private dispatch(): void {
    while (this.queue.length) {
      let worker: Worker | undefined;
      for (const candidate of this.workers) if (this.inFlight.get(candidate)! < JOBS_PER_THREAD && (!worker || this.inFlight.get(candidate)! < this.inFlight.get(worker)!)) worker = candidate;
      if (!worker) return;
      const { id, job } = this.queue.shift()!;
      const busy = this.inFlight.get(worker)!;
      this.inFlight.set(worker, busy + 1);
      // A busy thread keeps the process alive; an idle one does not (a forgotten pool never blocks an exit).
      if (busy === 0) worker.ref();
      worker.postMessage({ id, ...job });
    }
  }

  private async run(job: Job): Promise<Reply> {
    if (this.failure) throw this.failure;
    const bytes = job.kind === "file" ? job.size : job.length;
    if (this.workers.length === 0 && bytes <= this.inlineLeft) {
      this.inlineLeft -= bytes;
      return this.runInline(job);
    }
    this.start();
    const id = this.nextId++;
    const reply = new Promise<Reply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ id, job });
    this.dispatch();
    return reply;
  }

  /** A job done here, with the threads' code (JOB_CODE), answered as a thread answers. */
  private runInline(job: Job): Reply {
    if (!this.inline) {
      let input: Buffer | undefined;
      const blockInput = () => (input ??= Buffer.allocUnsafe(WINDOW + GZIP_BLOCK));
      // The threads' own source: both give the same bytes.
      this.inline = new Function("require", "ring", "blockInput", `${JOB_CODE}\nreturn { file, block };`)(createRequire(import.meta.url), Buffer.from(this.ring), blockInput) as NonNullable<typeof this.inline>;
    }
    try {
      return { id: -1, ...(job.kind === "file" ? this.inline.file(job) : this.inline.block(job)) };
    } catch (error) {
      return { id: -1, error: (error as Error).message, length: 0 };
    }
  }

  private classOf = (bytes: number): SlotClass => (bytes <= SMALL_SLOT ? "small" : "big");
  private offsetOf = (slot: number): number => (slot < this.slots ? slot * SLOT_SIZE : this.slots * SLOT_SIZE + (slot - this.slots) * SMALL_SLOT);

  /** A free slot for `bytes` (up to SLOT_SIZE), waiting for one to be released when all are taken. */
  async acquireSlot(bytes = SLOT_SIZE): Promise<number> {
    const kind = this.classOf(bytes);
    while (this.free[kind].length === 0 && !this.failure) await new Promise<void>((resolve) => this.slotWaiters[kind].push(resolve));
    if (this.failure) throw this.failure;
    return this.free[kind].shift()!;
  }

  /** Whether every slot for `bytes` is taken: a writer holding results must write them (releasing slots) before asking for more. */
  saturated(bytes = SLOT_SIZE): boolean {
    return this.free[this.classOf(bytes)].length === 0;
  }

  release(slot: number): void {
    const kind = slot < this.slots ? "big" : "small";
    this.free[kind].push(slot);
    this.slotWaiters[kind].shift()?.();
  }

  /** The bytes of a slot (a view into the ring), `length` of them or all it holds. */
  view(slot: number, length = slot < this.slots ? SLOT_SIZE : SMALL_SLOT): Buffer {
    return Buffer.from(this.ring, this.offsetOf(slot), length);
  }

  /** Compresses a file (up to the slot's size) into `slot`. Errors carry the thread's message. */
  async compressFile(file: string, size: number, level: number, slot: number, digest: boolean): Promise<FileResult> {
    const reply = await this.run({ kind: "file", file, size, offset: this.offsetOf(slot), level, digest });
    if (reply.error) throw new UnreadableFile(reply.error);
    return { method: reply.method!, crc: reply.crc!, body: this.view(slot, reply.length), slot, identity: reply.identity!, ...(reply.sha256 ? { sha256: reply.sha256 } : {}) };
  }

  /** Deflates the block in `slot` (its dictionary first, then its data) in place; returns the output's length. */
  async compressBlock(slot: number, dictionary: number, length: number, level: number): Promise<number> {
    const reply = await this.run({ kind: "block", offset: this.offsetOf(slot), dictionary, length, level });
    if (reply.error) throw new Error(reply.error);
    return reply.length;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
    this.inFlight.clear();
  }
}
