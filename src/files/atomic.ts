import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Writes a file so that readers see the old content or the new one, never a part: temp file, then rename.
 * `mode` (0o600 for a file holding secrets) applies from the temp file's creation on.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, data, mode === undefined ? {} : { mode, flag: "wx" });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
