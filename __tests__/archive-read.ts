import { gunzipSync } from "node:zlib";

/** One entry of a zip's central directory, with the fields a reproducible archive fixes. */
export interface ZipRecord {
  name: string;
  method: number;
  /** DOS time and date, as stored (no time zone). */
  dosTime: number;
  dosDate: number;
  crc: number;
  /** The entry's data as stored (deflated or not). */
  data: Buffer;
}

/** Reads a (non-zip64) zip's central directory in the order it is written: no unzip, no time-zone conversion. */
export function readZip(zip: Buffer): ZipRecord[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("no end of central directory record");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const records: ZipRecord[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`no central header at ${at}`);
    const [nameLength, extraLength, commentLength] = [zip.readUInt16LE(at + 28), zip.readUInt16LE(at + 30), zip.readUInt16LE(at + 32)];
    const compressed = zip.readUInt32LE(at + 20);
    const local = zip.readUInt32LE(at + 42);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    records.push({
      name: zip.subarray(at + 46, at + 46 + nameLength).toString("utf8"),
      method: zip.readUInt16LE(at + 10),
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
      crc: zip.readUInt32LE(at + 16),
      data: zip.subarray(dataStart, dataStart + compressed),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return records;
}

/** A DOS date and time as "YYYY-MM-DD hh:mm:ss", read field by field (what an unzip in any time zone shows). */
export function dosText(record: Pick<ZipRecord, "dosTime" | "dosDate">): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const { dosTime: t, dosDate: d } = record;
  return `${(d >> 9) + 1980}-${pad((d >> 5) & 15)}-${pad(d & 31)} ${pad(t >> 11)}:${pad((t >> 5) & 63)}:${pad((t & 31) * 2)}`;
}

/** The headers of a .tar.gz in order: name (ustar prefix joined), type flag and mtime (seconds). */
export function readTarGz(archive: Buffer): { name: string; type: string; mtime: number }[] {
  const tar = gunzipSync(archive);
  const out: { name: string; type: string; mtime: number }[] = [];
  const field = (block: Buffer, start: number, length: number) => block.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
  for (let at = 0; at + 512 <= tar.length; ) {
    const block = tar.subarray(at, at + 512);
    if (block.every((b) => b === 0)) break;
    const prefix = field(block, 345, 155);
    const name = field(block, 0, 100);
    const size = parseInt(field(block, 124, 12).trim() || "0", 8);
    out.push({ name: prefix ? `${prefix}/${name}` : name, type: field(block, 156, 1) || "0", mtime: parseInt(field(block, 136, 12).trim(), 8) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
