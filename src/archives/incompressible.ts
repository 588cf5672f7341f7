/*
 * Whether data is worth deflating. Deflate spends most of its time on data it cannot shrink (measured here:
 * about 10 MB/s on random bytes against 60 MB/s on text), so such data is stored without a full deflate.
 * Both functions run in the compressor threads too (their source is embedded in the worker code): they must
 * not use anything from outside themselves. The decision depends on the bytes alone, so archives stay the
 * same whatever the number of threads.
 */

/** Formats that are compressed already, recognised by their first bytes. */
export function compressedFormat(head: Uint8Array): boolean {
  const starts = (...bytes: number[]) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
  const at = (offset: number, text: string) => head.length >= offset + text.length && [...text].every((c, i) => head[offset + i] === c.charCodeAt(0));
  return (
    starts(0x50, 0x4b, 0x03, 0x04) || // zip, .4DZ, .4darchive, .docx, .jar
    starts(0x1f, 0x8b) || // gzip
    starts(0x89, 0x50, 0x4e, 0x47) || // PNG
    starts(0xff, 0xd8, 0xff) || // JPEG
    at(0, "GIF8") ||
    at(0, "BZh") ||
    starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00) || // xz
    starts(0x28, 0xb5, 0x2f, 0xfd) || // zstd
    starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c) || // 7z
    at(0, "wOF2") ||
    (at(0, "RIFF") && at(8, "WEBP")) ||
    at(4, "ftyp") // MP4, MOV, HEIC
  );
}

/**
 * A cheap trial on a sample (the first 8 KB): incompressible when its bytes are nearly uniformly spread
 * (order-0 entropy above 7.9 bits a byte: Huffman coding cannot help; random bytes give 7.97 on 8 KB) and
 * almost no 4-byte sequence repeats (deflate would find no matches). Measured: a deflate trial costs as much as
 * deflating random data, about 10 MB/s; this costs a pass over 8 KB (16 KB took a fifth of a pack's
 * compression time on a project of images).
 */
export function looksIncompressible(data: Uint8Array): boolean {
  const length = Math.min(data.length, 8 * 1024);
  if (length < 1024) return false;
  const counts = new Uint32Array(256);
  for (let i = 0; i < length; i++) counts[data[i]!]!++;
  let entropy = 0;
  for (let i = 0; i < 256; i++) {
    const p = counts[i]! / length;
    if (p > 0) entropy -= p * Math.log2(p);
  }
  if (entropy < 7.9) return false;
  // The last position of each 4-byte sequence, by hash: a sequence seen before is what deflate matches.
  const last = new Int32Array(1 << 13).fill(-1);
  const limit = length / 100;
  let repeats = 0;
  for (let i = 0; i + 4 <= length; i++) {
    const value = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    const slot = Math.imul(value, -1640531535) >>> 19;
    const j = last[slot]!;
    if (j >= 0 && (data[j]! | (data[j + 1]! << 8) | (data[j + 2]! << 16) | (data[j + 3]! << 24)) === value && ++repeats >= limit) return false;
    last[slot] = i;
  }
  return true;
}
