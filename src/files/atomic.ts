import { renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Writes a file so that readers see the old content or the new one, never a part: temp file, then rename.
 * `mode` (0o600 for a file holding secrets) applies from the temp file's creation on. The temp name need only be
 * unique (a file in its place makes the write fail, it is never written through): Math.random, not node:crypto,
 * whose loading is ~5 ms of a short command's start.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    writeFileSync(temporary, data, mode === undefined ? {} : { mode, flag: "wx" });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
