import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BuildError } from "../messages/errors.js";

const LOCK = ".4dbuild.lock";
const STAGING_PREFIX = ".4dbuild-staging-";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Exclusive use of a destination folder: a second build waits for the first (up to `waitMs`) or fails with
 * a clear message; a lock left by a dead process is taken over.
 */
export async function acquireLock(destination: string, waitMs: number): Promise<() => Promise<void>> {
  await mkdir(destination, { recursive: true });
  const lock = path.join(destination, LOCK);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(JSON.stringify({ pid: process.pid, started: new Date().toISOString() }));
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number((JSON.parse((await readFile(lock, "utf8").catch(() => "{}")) || "{}") as { pid?: number }).pid);
    if (!owner || !alive(owner)) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) throw new BuildError(`another build (process ${owner}) is writing to ${destination}`, `wait for it to finish, or remove ${lock} if no build is running`);
    await sleep(200);
  }
}

/** A fresh staging folder inside the destination (same file system, so the final moves are renames). */
export async function createStaging(destination: string): Promise<string> {
  for (const name of await readdir(destination)) {
    const pid = Number(name.startsWith(STAGING_PREFIX) ? name.slice(STAGING_PREFIX.length).split("-")[0] : NaN);
    if (pid && !alive(pid)) await rm(path.join(destination, name), { recursive: true, force: true });
  }
  const staging = path.join(destination, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(staging);
  return staging;
}

/**
 * Moves each finished output from staging into the destination, replacing the previous one by rename: until
 * this point the previous outputs are untouched, and each replacement is atomic. A previous output is moved
 * aside (never deleted) first, so that when a move fails, every output already moved is put back into staging
 * and every previous one into its place: the destination is then as it was before the build.
 */
export async function commit(staging: string, out: string, destination: string, outputs: readonly string[]): Promise<void> {
  const previous = path.join(staging, "previous");
  const moved: { from: string; to: string; aside?: string }[] = [];
  try {
    for (const relative of outputs) {
      const from = path.join(out, relative);
      const to = path.join(destination, relative);
      await mkdir(path.dirname(to), { recursive: true });
      const move: (typeof moved)[number] = { from, to };
      if (existsSync(to)) {
        move.aside = path.join(previous, relative);
        await mkdir(path.dirname(move.aside), { recursive: true });
        await rename(to, move.aside);
      }
      moved.push(move);
      await rename(from, to);
    }
  } catch (error) {
    for (const { from, to, aside } of moved.reverse()) {
      if (existsSync(to) && !existsSync(from)) await rename(to, from);
      if (aside) await rename(aside, to);
    }
    throw error;
  }
}
