import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * A folder only this user can read (0700), outside the repository and the output, for files that hold secret
 * values (the settings file a 4D engine reads). `remove` deletes it; a process that exits without reaching
 * its `finally` (an uncaught signal after the build's handlers are gone) still removes it on exit.
 */
export interface PrivateFolder {
  readonly path: string;
  /** Writes a file readable by this user only (0600); it must not exist yet. */
  writeSecretFile(relative: string, content: string): string;
  remove(): Promise<void>;
}

const open = new Set<string>();
let exitHook = false;

function removeOnExit(folder: string): void {
  open.add(folder);
  if (exitHook) return;
  exitHook = true;
  process.on("exit", () => {
    for (const left of open) rmSync(left, { recursive: true, force: true });
  });
}

/** The temporary folder an environment names (TMPDIR, TMP, TEMP, as Node.js reads them), else the system's. */
export const temporaryRoot = (env: NodeJS.ProcessEnv): string => env.TMPDIR || env.TMP || env.TEMP || os.tmpdir();

/** A new private folder "4dbuild-<purpose>-XXXXXX" in `tmp` (default: the system's temporary folder). */
export function createPrivateFolder(purpose: string, tmp: string = os.tmpdir()): PrivateFolder {
  const folder = mkdtempSync(path.join(tmp, `4dbuild-${purpose}-`));
  // mkdtemp makes it 0700 on POSIX systems; say so whatever the platform's default.
  chmodSync(folder, 0o700);
  removeOnExit(folder);
  return {
    path: folder,
    writeSecretFile(relative, content) {
      const file = path.join(folder, relative);
      writeFileSync(file, content, { mode: 0o600, flag: "wx" });
      return file;
    },
    async remove() {
      await rm(folder, { recursive: true, force: true });
      open.delete(folder);
    },
  };
}
