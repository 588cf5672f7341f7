import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { compressedFormat, looksIncompressible } from "../../src/archives/incompressible.js";
import { CompressionPool } from "../../src/archives/pool.js";
import { writeZip, type ZipEntry } from "../../src/archives/zip.js";
import { tempDir } from "../helpers.js";

/* Entries that cannot shrink are stored without a full deflate: recognised by their first bytes or a cheap trial. */

const text = (bytes: number) => Buffer.from("the same words of a form, again and again; ".repeat(Math.ceil(bytes / 43))).subarray(0, bytes);

describe("what cannot shrink", () => {
  test("already-compressed formats are recognised by their first bytes", () => {
    const starts = (...bytes: number[]) => Buffer.from([...bytes, ...Array(16).fill(0x41)]);
    for (const head of [starts(0x50, 0x4b, 0x03, 0x04), starts(0x1f, 0x8b), starts(0x89, 0x50, 0x4e, 0x47), starts(0xff, 0xd8, 0xff), Buffer.from("GIF89a..."), Buffer.from("\0\0\0\x18ftypheic")]) expect(compressedFormat(head)).toBe(true);
    for (const head of [Buffer.from("<?xml version"), Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.from("MZ\x90\0"), Buffer.alloc(0)]) expect(compressedFormat(head)).toBe(false);
  });

  test("a trial on the first 16 KB: random and deflated data are incompressible; text, structured binaries and repeats are not", () => {
    expect(looksIncompressible(randomBytes(64 * 1024))).toBe(true);
    expect(looksIncompressible(zlib.deflateRawSync(Buffer.from(randomBytes(100_000).toString("base64"))).subarray(0, 20_000))).toBe(true);
    expect(looksIncompressible(text(64 * 1024))).toBe(false);
    // Every byte value equally often (high order-0 entropy) but repeated: the deflate trial keeps it deflated.
    const cycle = Buffer.concat(Array.from({ length: 64 }, () => Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 7) & 255))));
    expect(looksIncompressible(cycle)).toBe(false);
    // Too little to judge: deflated as usual.
    expect(looksIncompressible(randomBytes(500))).toBe(false);
  });

  test("the zip stores what cannot shrink (small and streamed files) and deflates the rest; unzip -t accepts it", async () => {
    const root = tempDir("stored");
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), text(50_000)]);
    const files: Record<string, Buffer> = {
      "random.bin": randomBytes(200_000),
      "text.txt": text(200_000),
      "picture.png": png, // compressible after its magic bytes, stored all the same: recognised by content
      "big-random.bin": randomBytes(9 * 1024 * 1024), // above the slot size: streamed
      "big-text.txt": text(9 * 1024 * 1024),
    };
    const entries: ZipEntry[] = Object.entries(files).map(([name, data]) => {
      const absolute = path.join(root, name);
      writeFileSync(absolute, data);
      return { name, kind: "file", size: data.length, executable: false, absolute };
    });
    const pool = new CompressionPool(2);
    const output = path.join(root, "out.zip");
    try {
      await writeZip(entries, output, { sourceDate: 1_700_000_000, pool });
    } finally {
      await pool.close();
    }
    expect(() => execFileSync("unzip", ["-tq", output])).not.toThrow();
    // unzip -v: Length Method Size Cmpr Date Time CRC-32 Name
    const methods = Object.fromEntries(
      execFileSync("unzip", ["-v", output], { encoding: "utf8" })
        .split("\n")
        .map((line) => line.trim().split(/\s+/))
        .filter((cols) => cols.length === 8 && /^\d+$/.test(cols[0]!))
        .map((cols) => [cols[7], cols[1]]),
    );
    expect(methods).toEqual({ "big-random.bin": "Stored", "big-text.txt": "Defl:N", "picture.png": "Stored", "random.bin": "Stored", "text.txt": "Defl:N" });
    for (const [name, data] of Object.entries(files)) expect(execFileSync("unzip", ["-p", output, name], { maxBuffer: 32 * 1024 * 1024 }).equals(data)).toBe(true);
  });
});
