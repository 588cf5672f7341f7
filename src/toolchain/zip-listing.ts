import { open } from "node:fs/promises";

/** An entry of a zip's central directory: its name and whether it is a symbolic link (Unix mode in the external attributes). */
export interface ZipListing {
  name: string;
  symlink: boolean;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;

/**
 * The entries of a zip, read from its central directory (APPNOTE 6.3: end record, zip64 end record), without
 * unpacking anything. Undefined when the file has no readable central directory (damaged or truncated).
 */
export async function listZip(file: string): Promise<ZipListing[] | undefined> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let end = -1;
    for (let i = tailLength - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD) { end = i; break; }
    if (end < 0) return undefined;
    let count = tail.readUInt16LE(end + 10);
    let length = tail.readUInt32LE(end + 12);
    let offset = tail.readUInt32LE(end + 16);
    if ((count === 0xffff || length === 0xffffffff || offset === 0xffffffff) && end >= 20 && tail.readUInt32LE(end - 20) === ZIP64_LOCATOR) {
      const record = Buffer.alloc(56);
      await handle.read(record, 0, 56, Number(tail.readBigUInt64LE(end - 20 + 8)));
      if (record.readUInt32LE(0) !== ZIP64_EOCD) return undefined;
      [count, length, offset] = [Number(record.readBigUInt64LE(32)), Number(record.readBigUInt64LE(40)), Number(record.readBigUInt64LE(48))];
    }
    if (offset + length > size) return undefined;
    const central = Buffer.alloc(length);
    await handle.read(central, 0, length, offset);
    const entries: ZipListing[] = [];
    for (let at = 0, i = 0; i < count; i++) {
      if (at + 46 > length || central.readUInt32LE(at) !== CENTRAL) return undefined;
      const made = central.readUInt16LE(at + 4) >> 8;
      const utf8 = (central.readUInt16LE(at + 8) & 0x0800) !== 0;
      const [nameLength, extraLength, commentLength] = [central.readUInt16LE(at + 28), central.readUInt16LE(at + 30), central.readUInt16LE(at + 32)];
      const mode = central.readUInt32LE(at + 38) >>> 16;
      const name = central.subarray(at + 46, at + 46 + nameLength).toString(utf8 ? "utf8" : "latin1");
      // Made by Unix (3) or macOS (19): the high half of the external attributes is the file's mode.
      entries.push({ name, symlink: (made === 3 || made === 19) && (mode & 0o170000) === 0o120000 });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}
