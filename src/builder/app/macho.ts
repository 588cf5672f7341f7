import { createHash } from "node:crypto";

/*
 * The Mach-O UUID rewrite (build-outputs.md §10): two applications merged from the same Volume Desktop would
 * otherwise share LC_UUID. Build4D's rule, inferred for 4D: for each architecture slice, new UUID = the first
 * 32 hex digits, upper case, of SHA-256(bundle identifier + old UUID). The old UUID is taken as 32 upper-case
 * hex digits without dashes, as 4D writes UUIDs; the reference could not see which form Build4D hashes.
 */

const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;
const MH_MAGIC_64 = 0xfeedfacf;
const MH_MAGIC = 0xfeedface;
const LC_UUID = 0x1b;

/** Offsets of the LC_UUID payloads (16 bytes each) in a thin or universal Mach-O. */
export function uuidOffsets(binary: Buffer): number[] {
  const magic = binary.readUInt32BE(0);
  if (magic === FAT_MAGIC || magic === FAT_MAGIC_64) {
    const count = binary.readUInt32BE(4);
    const size = magic === FAT_MAGIC ? 20 : 32;
    const offsets: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 8 + i * size;
      const offset = magic === FAT_MAGIC ? binary.readUInt32BE(entry + 8) : Number(binary.readBigUInt64BE(entry + 8));
      offsets.push(...thinUuidOffsets(binary, offset));
    }
    return offsets;
  }
  return thinUuidOffsets(binary, 0);
}

function thinUuidOffsets(binary: Buffer, start: number): number[] {
  const magic = binary.readUInt32LE(start);
  if (magic !== MH_MAGIC_64 && magic !== MH_MAGIC) throw new Error("not a Mach-O executable");
  const commands = binary.readUInt32LE(start + 16);
  let at = start + (magic === MH_MAGIC_64 ? 32 : 28);
  const found: number[] = [];
  for (let i = 0; i < commands; i++) {
    const command = binary.readUInt32LE(at);
    const size = binary.readUInt32LE(at + 4);
    if (command === LC_UUID) found.push(at + 8);
    if (size < 8) throw new Error("malformed Mach-O load command");
    at += size;
  }
  return found;
}

export const uuidText = (binary: Buffer, offset: number): string => binary.subarray(offset, offset + 16).toString("hex").toUpperCase();

/** Rewrites every slice's UUID from the bundle identifier; returns the UUIDs before and after. */
export function rewriteUuids(binary: Buffer, bundleIdentifier: string): { before: string[]; after: string[] } {
  const offsets = uuidOffsets(binary);
  const before = offsets.map((o) => uuidText(binary, o));
  const after = before.map((old) => createHash("sha256").update(bundleIdentifier + old).digest("hex").slice(0, 32).toUpperCase());
  offsets.forEach((offset, i) => Buffer.from(after[i]!, "hex").copy(binary, offset));
  return { before, after };
}

/** Whether the first bytes are a Mach-O header (thin, either byte order, or universal). */
export function isMachO(head: Buffer): boolean {
  if (head.length < 4) return false;
  const big = head.readUInt32BE(0);
  const little = head.readUInt32LE(0);
  return big === FAT_MAGIC || big === FAT_MAGIC_64 || little === MH_MAGIC || little === MH_MAGIC_64 || big === MH_MAGIC || big === MH_MAGIC_64;
}
