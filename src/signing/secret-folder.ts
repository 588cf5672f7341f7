import { readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrivateFolder, type PrivateFolder } from "../files/private-folder.js";
import { processAlive } from "../files/process-alive.js";

const PREFIX = "4dbuild-secrets-";

/** Removes the secret folders that killed builds left in `parent` (their process no longer runs). */
export async function sweepSecretFolders(parent: string = tmpdir()): Promise<void> {
  const names = await readdir(parent).catch(() => []);
  for (const name of names) {
    const pid = Number(name.startsWith(PREFIX) ? name.slice(PREFIX.length).split("-")[0] : NaN);
    if (pid && pid !== process.pid && !processAlive(pid)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Where a build writes the secret material its tools read from files (the .p12, the signing keychain): a
 * private folder (mode 0700) outside the destination, made on first use and removed when the build ends, at
 * process exit, or by the next build when a kill left it. So no secret ever sits in the output folder, even in
 * its staging part.
 */
export class SecretFolder {
  private folder: PrivateFolder | undefined;

  constructor(private readonly parent: string = tmpdir()) {}

  /** The folder, created (owner-only, removed at exit) when first asked for; named with the pid for the sweep. */
  async path(): Promise<string> {
    this.folder ??= createPrivateFolder(`secrets-${process.pid}`, this.parent);
    return this.folder.path;
  }

  /** Writes `data` to `name` in the folder (owner read/write only), unless it is there; returns its path. */
  async file(name: string, data: () => Uint8Array | string): Promise<string> {
    const file = path.join(await this.path(), name);
    await writeFile(file, data(), { mode: 0o600, flag: "wx" }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    return file;
  }

  async dispose(): Promise<void> {
    await this.folder?.remove();
    this.folder = undefined;
  }
}
