import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { link, lstat, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { processAlive } from "../files/process-alive.js";
import { BuildError } from "../messages/errors.js";
import { asFault } from "../messages/faults.js";

export const LOCK = ".4dbuild.lock";

/** What a lock file holds: who holds it, where, since when; `token` tells this holder's lock from a successor's. */
export interface LockOwner {
  pid: number;
  host: string;
  started: string;
  token: string;
}

/** File systems without hard links (some network and FUSE ones): the lock is then created in place. */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);
/** A lock created in place may be read before its content is written: empty and this young, it is being written. */
const BEING_WRITTEN_MS = 2000;

/** The destination as a folder: created when missing; a file there is a clear error, not a crash. */
export async function prepareDestination(destination: string): Promise<void> {
  const existing = await stat(destination).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new BuildError(`the destination ${destination} is a file, not a folder`, "give --out (or output.dir) a folder: 4dbuild writes every output into it");
  try {
    await mkdir(destination, { recursive: true });
  } catch (error) {
    throw asFault(error) ?? error;
  }
}

/**
 * Creates the lock with its content in one step: the content goes into a temporary file of our own (O_EXCL),
 * which is then hard-linked to the lock's name; link() fails when the name exists, so exactly one build wins
 * and nobody ever sees a lock without its owner. Returns false when another lock is there.
 */
async function tryCreate(lock: string, owner: LockOwner): Promise<boolean> {
  const text = `${JSON.stringify({ tool: "4dbuild", ...owner })}\n`;
  const temporary = `${lock}.${owner.pid}.${owner.token}.tmp`;
  try {
    const handle = await open(temporary, "wx", 0o644);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temporary, lock);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return false;
    if (!NO_LINKS.has(code) || (error as NodeJS.ErrnoException).syscall !== "link") throw asFault(error, path.dirname(lock)) ?? error;
    try {
      const handle = await open(lock, "wx", 0o644);
      await handle.writeFile(text).finally(() => handle.close());
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw asFault(fallback, path.dirname(lock)) ?? fallback;
    }
  } finally {
    await rm(temporary, { force: true });
  }
}

type Held = { kind: "gone" } | { kind: "owner"; owner: LockOwner; text: string } | { kind: "corrupt"; why: string } | { kind: "being-written" };

async function readHeld(lock: string): Promise<Held> {
  let text: string;
  try {
    text = await readFile(lock, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "gone" };
    throw asFault(error) ?? error;
  }
  if (text.trim() === "") {
    const age = Date.now() - ((await lstat(lock).catch(() => undefined))?.mtimeMs ?? 0);
    return age < BEING_WRITTEN_MS ? { kind: "being-written" } : { kind: "corrupt", why: "empty" };
  }
  try {
    const data = JSON.parse(text) as Partial<LockOwner> & { tool?: unknown };
    const pid = Number.isInteger(data.pid) && (data.pid ?? 0) > 0;
    if (data.tool === "4dbuild" && pid && typeof data.host === "string" && typeof data.started === "string" && typeof data.token === "string") return { kind: "owner", owner: data as LockOwner, text };
    // Earlier 4dbuild versions wrote { pid, started } only, on the machine that runs them.
    if (data.tool === undefined && data.host === undefined && pid) return { kind: "owner", owner: { pid: data.pid!, host: hostname(), started: String(data.started ?? "an unknown time"), token: "" }, text };
    return { kind: "corrupt", why: "not a lock 4dbuild wrote (no owner process, host and start time in it)" };
  } catch {
    return { kind: "corrupt", why: "damaged (not the JSON 4dbuild writes)" };
  }
}

/**
 * Removes the lock of a build that died, only if it is still that lock: it is renamed to a name of our own
 * first, then checked; a lock another build took meanwhile is put back.
 */
async function takeOver(lock: string, stale: string): Promise<void> {
  const aside = `${lock}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    await rename(lock, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw asFault(error) ?? error;
  }
  if ((await readFile(aside, "utf8").catch(() => "")) !== stale) await link(aside, lock).catch(() => undefined);
  await rm(aside, { force: true });
}

const FORCE_HINT = (destination: string) => `if no build is writing to ${destination}, run again with --force-unlock (it removes the lock)`;

/**
 * Exclusive use of a destination folder: a second build waits for the first (up to `waitMs`) then fails with a
 * clear message; the lock of a process of this machine that no longer runs is taken over. A damaged lock, or one
 * held on another machine (a shared folder), is never guessed about: the message names it and `--force-unlock`.
 */
export async function acquireLock(destination: string, waitMs: number, options: { force?: boolean } = {}): Promise<() => Promise<void>> {
  await prepareDestination(destination);
  const lock = path.join(destination, LOCK);
  if (options.force) await rm(lock, { force: true });
  const mine: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), token: randomBytes(8).toString("hex") };
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await tryCreate(lock, mine)) {
      return async () => {
        const held = await readHeld(lock);
        if (held.kind === "owner" && held.owner.token === mine.token) await rm(lock, { force: true });
      };
    }
    const held = await readHeld(lock);
    if (held.kind === "gone") continue;
    if (held.kind === "corrupt") throw new BuildError(`the lock file ${lock} is ${held.why}: 4dbuild cannot tell which build holds it`, FORCE_HINT(destination));
    if (held.kind === "owner" && held.owner.host === mine.host && !processAlive(held.owner.pid)) {
      await takeOver(lock, held.text);
      continue;
    }
    if (Date.now() >= deadline) {
      if (held.kind === "owner" && held.owner.host !== mine.host)
        throw new BuildError(`${lock} is held by a build on another machine (${held.owner.host}, process ${held.owner.pid}, since ${held.owner.started})`, FORCE_HINT(destination));
      const who = held.kind === "owner" ? `process ${held.owner.pid}` : "a process";
      const since = held.kind === "owner" ? `, since ${held.owner.started}` : "";
      throw new BuildError(`another build (${who}) is writing to ${destination}${since}`, `wait for it to finish (--wait SECONDS); ${FORCE_HINT(destination)}`);
    }
    await sleep(Math.min(200, Math.max(0, deadline - Date.now())) || 20);
  }
}
