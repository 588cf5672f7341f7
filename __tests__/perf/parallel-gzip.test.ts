import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { ParallelGzip } from "../../src/archives/gzip.js";
import { CompressionPool, GZIP_BLOCK } from "../../src/archives/pool.js";
import { writeTarGz } from "../../src/archives/tar.js";
import type { ZipEntry } from "../../src/archives/zip.js";
import { tempDir } from "../helpers.js";

/*
 * The tar.gz is compressed in parallel blocks (pigz's method). Whatever the number of threads, the output must be
 * the same bytes, one gzip member that gzip and tar accept, holding exactly the input.
 */

// Threads from the first byte; 0 workers: everything on the main thread, with the threads' code.
const pools = new Map<number, CompressionPool>();
const pool = (workers: number) => pools.get(workers) ?? pools.set(workers, workers === 0 ? new CompressionPool(1, { inlineBytes: Infinity }) : new CompressionPool(workers, { inlineBytes: 0 })).get(workers)!;
afterAll(async () => {
  for (const p of pools.values()) await p.close();
});

function xorshift(seed: number): () => number {
  let x = seed;
  return () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
}

/** Text, random bytes and repeats in 40 KB pieces: blocks and 64 KB parts of every kind, boundaries everywhere. */
function mixed(bytes: number, seed = 7): Buffer {
  const random = xorshift(seed);
  const out = Buffer.alloc(bytes);
  for (let at = 0, piece = 0; at < bytes; at += 40_000, piece++) {
    const end = Math.min(bytes, at + 40_000);
    if (piece % 3 === 0) out.write(Array.from({ length: 4000 }, () => `value${random() % 1000} = "form ${random() % 97}";\n`).join(""), at, end - at);
    else if (piece % 3 === 1) for (let i = at; i < end; i++) out[i] = random() & 255;
    else out.copy(out, at, Math.max(0, at - 120_000), Math.max(0, at - 120_000) + (end - at));
  }
  return out;
}

async function gzipWith(workers: number, input: Buffer, chunk = 100_003): Promise<Buffer> {
  const parts: Buffer[] = [];
  const gzip = new ParallelGzip(pool(workers), async (...buffers) => {
    for (const b of buffers) parts.push(Buffer.from(b)); // the sink gets views into the ring: copy them
  });
  for (let at = 0; at < input.length; at += chunk) await gzip.write(input.subarray(at, at + chunk));
  await gzip.end();
  return Buffer.concat(parts);
}

describe("parallel gzip", () => {
  const input = mixed(Math.round(GZIP_BLOCK * 5.3));

  test("1, 2 and 4 threads and the main thread write the same bytes over many blocks: one gzip member holding the input", async () => {
    const [one, two, four, inline] = [await gzipWith(1, input), await gzipWith(2, input), await gzipWith(4, input, 65_536), await gzipWith(0, input)];
    expect(two.equals(one)).toBe(true);
    expect(four.equals(one)).toBe(true);
    expect(inline.equals(one)).toBe(true);
    expect([pool(0).threads, pool(1).threads, pool(2).threads, pool(4).threads]).toEqual([0, 1, 2, 4]);
    // One member: a single raw deflate stream between the 10-byte header and the 8-byte trailer.
    expect(zlib.inflateRawSync(one.subarray(10, -8)).equals(input)).toBe(true);
    expect(one.readUInt32LE(one.length - 8)).toBe(zlib.crc32(input));
    expect(one.readUInt32LE(one.length - 4)).toBe(input.length);
    expect([...one.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(one[9]).toBe(3); // Unix, on every host
    const file = path.join(tempDir("gzip"), "data.gz");
    writeFileSync(file, one);
    expect(() => execFileSync("gzip", ["-t", file])).not.toThrow();
    expect(execFileSync("gzip", ["-dc", file], { maxBuffer: 64 * 1024 * 1024 }).equals(input)).toBe(true);
  });

  test("each block sees the 32 KB before it: compression within 1 % of one zlib stream on compressible data", async () => {
    const text = Buffer.from(Array.from({ length: 120_000 }, (_, i) => `line ${i % 5000}: the same words again and again\n`).join(""));
    expect(text.length).toBeGreaterThan(3 * GZIP_BLOCK);
    const ours = await gzipWith(2, text);
    expect(zlib.gunzipSync(ours).equals(text)).toBe(true);
    expect(ours.length).toBeLessThan(zlib.gzipSync(text, { level: 6 }).length * 1.01);
  });

  test("incompressible data is stored: random bytes grow by less than 0.1 %", async () => {
    const random = xorshift(99);
    const noise = Buffer.alloc(2 * GZIP_BLOCK + 12345);
    for (let i = 0; i < noise.length; i++) noise[i] = random() & 255;
    const ours = await gzipWith(2, noise);
    expect(zlib.gunzipSync(ours).equals(noise)).toBe(true);
    expect(ours.length).toBeLessThan(noise.length * 1.001);
  });

  test("empty input: a valid empty member", async () => {
    expect(zlib.gunzipSync(await gzipWith(2, Buffer.alloc(0))).length).toBe(0);
  });

  test("a tar.gz over many blocks is the same bytes with 1, 2 and 4 threads and on the main thread, and gzip -t and tar -tzf accept it", async () => {
    const root = tempDir("targz");
    const files: Record<string, Buffer> = { "app/big-mixed.bin": mixed(3 * GZIP_BLOCK + 999, 1), "app/more/second.bin": mixed(2 * GZIP_BLOCK, 2), "app/small.txt": Buffer.from("small\n") };
    for (let i = 0; i < 40; i++) files[`app/many/file${i}.txt`] = mixed(10_000 + i * 1000, 10 + i);
    const entries: ZipEntry[] = [{ name: "app", kind: "directory", size: 0, executable: false }];
    for (const [name, data] of Object.entries(files)) {
      const absolute = path.join(root, "src", name);
      mkdirSync(path.dirname(absolute), { recursive: true });
      writeFileSync(absolute, data);
      entries.push({ name, kind: "file", size: data.length, executable: false, absolute });
    }
    const outputs = [];
    for (const workers of [1, 2, 4, 0]) {
      const output = path.join(root, `out-${workers}.tar.gz`);
      await writeTarGz(entries, output, { sourceDate: 1_700_000_000, pool: pool(workers) });
      outputs.push(readFileSync(output));
    }
    expect(outputs[1]!.equals(outputs[0]!)).toBe(true);
    expect(outputs[2]!.equals(outputs[0]!)).toBe(true);
    expect(outputs[3]!.equals(outputs[0]!)).toBe(true);
    const output = path.join(root, "out-2.tar.gz");
    expect(() => execFileSync("gzip", ["-t", output])).not.toThrow();
    const listed = execFileSync("tar", ["-tzf", output], { encoding: "utf8" }).trim().split("\n");
    expect(listed).toEqual(["app/", ...Object.keys(files).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))]);
    const extracted = path.join(root, "extracted");
    mkdirSync(extracted);
    execFileSync("tar", ["-xzf", output, "-C", extracted]);
    for (const [name, data] of Object.entries(files)) expect(readFileSync(path.join(extracted, name)).equals(data)).toBe(true);
  });
});

describe("the pool's inline budget", () => {
  const root = tempDir("inline-budget");
  const file = (name: string, bytes: number): ZipEntry => {
    const absolute = path.join(root, name);
    writeFileSync(absolute, mixed(bytes, bytes));
    return { name, kind: "file", size: bytes, executable: false, absolute };
  };
  const small = [file("a.txt", 300_000), file("b.txt", 300_000)];
  const big = file("big.bin", 2_000_000);

  test("small work is compressed on the main thread; the threads start once the work outgrows the budget, never before", async () => {
    const pool = new CompressionPool(2, { inlineBytes: 1_000_000 });
    try {
      await writeTarGz(small, path.join(root, "small.tar.gz"), { sourceDate: 1_700_000_000, pool });
      expect(pool.threads).toBe(0);
      // Blocks given unannounced: once one does not fit what is left of the budget, the threads start.
      const parts: Buffer[] = [];
      const gzip = new ParallelGzip(pool, async (...buffers) => {
        for (const b of buffers) parts.push(Buffer.from(b));
      });
      const input = mixed(3 * GZIP_BLOCK, 3);
      await gzip.write(input.subarray(0, GZIP_BLOCK / 4));
      await gzip.write(input.subarray(GZIP_BLOCK / 4));
      await gzip.end();
      expect(pool.threads).toBe(2);
      expect(Buffer.concat(parts).equals(await gzipWith(0, input))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  test("an archive announced bigger than what is left of the budget starts the threads before its first job", async () => {
    const pool = new CompressionPool(2, { inlineBytes: 1_000_000 });
    try {
      pool.announce(1_000_000);
      expect(pool.threads).toBe(0);
      pool.announce(1_000_001);
      expect(pool.threads).toBe(2);
      await writeTarGz([big], path.join(root, "big.tar.gz"), { sourceDate: 1_700_000_000, pool });
      const inline = new CompressionPool(2, { inlineBytes: Infinity });
      await writeTarGz([big], path.join(root, "big-inline.tar.gz"), { sourceDate: 1_700_000_000, pool: inline });
      expect(inline.threads).toBe(0);
      expect(readFileSync(path.join(root, "big-inline.tar.gz")).equals(readFileSync(path.join(root, "big.tar.gz")))).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
