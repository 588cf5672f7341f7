import { existsSync } from "node:fs";
import { lstat, mkdir, open, readdir, readFile, rename, rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { BuildError } from "../messages/errors.js";

/** The commit's journal, in the destination: what the next run needs to finish or undo an interrupted commit. */
export const JOURNAL = ".4dbuild-commit.json";
export const STAGING_PREFIX = ".4dbuild-staging-";

/**
 * `moving`: outputs are being swapped; the next run puts every previous output back (the build did not finish).
 * `done`: every new output is in place; the next run only removes the staging folder (the previous outputs).
 */
interface Journal {
  journalVersion: 1;
  /** The staging folder's name, in the destination. */
  staging: string;
  state: "moving" | "done";
  /** The new outputs, relative to the destination ("/" separators), in the order they are moved in. */
  outputs: string[];
  /** Outputs of an earlier build that this one does not make: moved aside (then removed with staging). */
  stale: string[];
}

const slash = (p: string) => p.split(path.sep).join("/");
const native = (p: string) => p.split("/").join(path.sep);

/** Whether a relative path stays below its folder: no "..", not absolute, not empty. */
export const staysInside = (relative: string): boolean => relative !== "" && !path.isAbsolute(relative) && !/^[a-zA-Z]:/.test(relative) && !relative.split(/[\\/]/).includes("..");

/** The journal written durably (temporary file, fsync, rename): the next run sees the old state or the new one. */
async function writeJournal(destination: string, journal: Journal): Promise<void> {
  const file = path.join(destination, JOURNAL);
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, "w", 0o644);
  try {
    await handle.writeFile(`${JSON.stringify(journal, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

const exists = async (file: string) => (await lstat(file).catch(() => undefined)) !== undefined;

/** Where the previous version of an output waits while the commit runs. */
const asidePath = (staging: string, relative: string) => path.join(staging, "previous", native(relative));

/**
 * Undoes what a commit did, from what is on disk (so it works in the process that failed and in the next run
 * after a kill): every new output already moved in goes back to staging, every previous one back into place.
 * Every step is idempotent: a kill during the undo is undone by the next run too.
 */
async function rollBack(destination: string, staging: string, journal: Journal): Promise<void> {
  const out = path.join(staging, "out");
  for (const relative of [...journal.stale].reverse()) {
    const aside = asidePath(staging, relative);
    if (await exists(aside)) {
      await mkdir(path.dirname(path.join(destination, native(relative))), { recursive: true });
      await rename(aside, path.join(destination, native(relative)));
    }
  }
  for (const relative of [...journal.outputs].reverse()) {
    const [from, to, aside] = [path.join(out, native(relative)), path.join(destination, native(relative)), asidePath(staging, relative)];
    // Every output was in staging when the journal was written: missing there, it was moved in.
    if (!(await exists(from)) && (await exists(to))) {
      await mkdir(path.dirname(from), { recursive: true });
      await rename(to, from);
    }
    if (await exists(aside)) await rename(aside, to);
  }
}

/** Removes the folders a stale output leaves empty, up to the destination. */
async function pruneEmptyParents(destination: string, relatives: readonly string[]): Promise<void> {
  for (const relative of relatives) {
    let dir = path.dirname(path.join(destination, native(relative)));
    while (dir !== destination && dir.startsWith(destination + path.sep)) {
      if ((await readdir(dir).catch(() => ["?"])).length > 0) break;
      await rmdir(dir).catch(() => undefined);
      dir = path.dirname(dir);
    }
  }
}

/**
 * Moves each finished output from staging into the destination, replacing the previous one by rename, and
 * moves aside the `stale` outputs of an earlier build that this build does not make. A journal in the destination
 * says what is being done, so that a kill at any point is recovered by the next run (`recoverCommit`): until
 * the journal says `done`, the destination returns to what it was. A previous output is moved aside (never
 * deleted) first; when a move fails, everything is put back at once and the error is thrown.
 * The caller removes the staging folder (which then holds the previous outputs), then calls `finishCommit`.
 */
export async function commit(staging: string, out: string, destination: string, outputs: readonly string[], stale: readonly string[] = []): Promise<void> {
  const journal: Journal = { journalVersion: 1, staging: path.basename(staging), state: "moving", outputs: outputs.map(slash), stale: stale.map(slash) };
  // The undo reads "missing from staging" as "moved in": every output must be there before the first move.
  for (const relative of outputs) await lstat(path.join(out, relative));
  await writeJournal(destination, journal);
  try {
    for (const relative of journal.outputs) {
      const [from, to] = [path.join(out, native(relative)), path.join(destination, native(relative))];
      await mkdir(path.dirname(to), { recursive: true });
      if (existsSync(to)) {
        const aside = asidePath(staging, relative);
        await mkdir(path.dirname(aside), { recursive: true });
        await rename(to, aside);
      }
      await rename(from, to);
    }
    for (const relative of journal.stale) {
      const [from, aside] = [path.join(destination, native(relative)), asidePath(staging, relative)];
      if (!existsSync(from)) continue;
      await mkdir(path.dirname(aside), { recursive: true });
      await rename(from, aside);
    }
  } catch (error) {
    await rollBack(destination, staging, journal);
    await rm(path.join(destination, JOURNAL), { force: true });
    throw error;
  }
  await writeJournal(destination, { ...journal, state: "done" });
}

/** After a successful commit and the removal of its staging folder: the journal goes, and the folders stale outputs left empty. */
export async function finishCommit(destination: string): Promise<void> {
  const file = path.join(destination, JOURNAL);
  const journal = await readJournal(destination);
  await rm(file, { force: true });
  if (journal) await pruneEmptyParents(destination, journal.stale);
}

async function readJournal(destination: string): Promise<Journal | undefined> {
  const file = path.join(destination, JOURNAL);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const damaged = () =>
    new BuildError(`the commit journal ${file} is damaged: 4dbuild cannot tell how far an interrupted build got`, `look at the outputs in ${destination} and its ${STAGING_PREFIX}* folder (it holds new or previous outputs), put back what you need, then remove both`);
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
  } catch {
    throw damaged();
  }
  const list = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === "string" && staysInside(v));
  const validStaging = typeof journal.staging === "string" && journal.staging.startsWith(STAGING_PREFIX) && !/[\\/]/.test(journal.staging);
  if (journal.journalVersion !== 1 || !validStaging || (journal.state !== "moving" && journal.state !== "done") || !list(journal.outputs) || !list(journal.stale)) throw damaged();
  return journal;
}

/**
 * Finishes or undoes a commit a kill interrupted, from its journal: `done` → the previous outputs (in staging)
 * are removed; `moving` → every previous output goes back into place and the new ones are dropped. Call it
 * holding the destination's lock, before anything else touches the destination. Returns what it did.
 */
export async function recoverCommit(destination: string): Promise<"none" | "finished" | "rolled back"> {
  const journal = await readJournal(destination);
  if (!journal) return "none";
  const staging = path.join(destination, journal.staging);
  if (journal.state === "moving") await rollBack(destination, staging, journal);
  await rm(staging, { recursive: true, force: true });
  await finishCommit(destination);
  return journal.state === "moving" ? "rolled back" : "finished";
}
