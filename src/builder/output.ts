import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { JOURNAL, STAGING_PREFIX } from "./commit.js";
import { processAlive } from "../files/process-alive.js";
import { LOCK } from "./lock.js";

export { acquireLock } from "./lock.js";
export { commit, finishCommit, recoverCommit } from "./commit.js";

/** The process that left a build's own temporary entry in the destination, from its name; undefined for other names. */
function leftBy(name: string): number | undefined {
  const pid = name.startsWith(STAGING_PREFIX)
    ? name.slice(STAGING_PREFIX.length).split("-")[0]
    : name.startsWith(`${LOCK}.`) || name.startsWith(`${JOURNAL}.`)
      ? name.split(".").find((part) => /^\d+$/.test(part))
      : undefined;
  return pid ? Number(pid) : undefined;
}

/**
 * A fresh staging folder inside the destination (same file system, so the final moves are renames). What a
 * killed build left (its staging folder, a lock or journal being written) is removed first: call
 * `recoverCommit` before, as a staging folder named by a journal still holds outputs.
 */
export async function createStaging(destination: string): Promise<string> {
  for (const name of await readdir(destination)) {
    const pid = leftBy(name);
    if (pid && pid !== process.pid && !processAlive(pid)) await rm(path.join(destination, name), { recursive: true, force: true });
  }
  const staging = path.join(destination, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(staging);
  return staging;
}
