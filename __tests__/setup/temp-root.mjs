// One private temporary folder for a whole Jest run. Jest runs globalSetup and globalTeardown in its main
// process, before the workers start and after they end: the workers, and every process the tests start with
// process.env (or with helpers.tempEnv()), inherit TMPDIR, TMP and TEMP, so os.tmpdir() is this folder everywhere.
// removeTempRoot deletes it at the end, pass or fail, with whatever a test or a program it ran left in it.
// (Plain JavaScript: Jest loads these files itself, outside its module mapping, so they cannot import TypeScript.)
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const VARIABLES = ["TMPDIR", "TMP", "TEMP"];
// globalSetup and globalTeardown share globalThis, and only that.
const KEY = Symbol.for("4dbuild.tests.tempRoot");

/**
 * Where the run's folder goes: unless TMPDIR says, Linux's memory file system /dev/shm when it can hold a run and
 * run the programs tests write there (not mounted noexec). The tests make, copy and remove thousands of small
 * files; on a disk each costs the kernel journaling and discards (copying the example: ~230 ms there, ~25 ms here).
 */
function parentFolder() {
  const shm = "/dev/shm";
  if (process.env.TMPDIR || process.platform !== "linux") return tmpdir();
  try {
    const mount = readFileSync("/proc/mounts", "utf8").split("\n").map((line) => line.split(" ")).findLast((fields) => fields[1] === shm);
    const { bavail, bsize } = statfsSync(shm);
    accessSync(shm, constants.W_OK);
    return mount && !mount[3].split(",").includes("noexec") && bavail * bsize >= 4 * 2 ** 30 ? shm : tmpdir();
  } catch {
    return tmpdir();
  }
}

export function createTempRoot() {
  const dir = mkdtempSync(path.join(parentFolder(), "4dbuild-tests-"));
  globalThis[KEY] = { dir, previous: Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]])) };
  for (const name of VARIABLES) process.env[name] = dir;
}

export function removeTempRoot() {
  const root = globalThis[KEY];
  if (!root) return;
  delete globalThis[KEY];
  for (const [name, value] of Object.entries(root.previous)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(root.dir, { recursive: true, force: true });
}
