// Loads the package's bundle (src/bundle.ts) with V8's code cache for the CLI. Parsing and compiling the bundle is most of a short command's time
// (validate of the example: ~0.30 s of JavaScript without a cache, ~0.12 s with one; `npm run bench:start`), and
// Node 20 caches no compiled code of its own (module.enableCompileCache() arrived in Node 22.1:
// https://nodejs.org/api/module.html#moduleenablecompilecachecachedir). The bundle runs as a vm.Script; after
// the first run of a command, at exit, V8 serialises what that command compiled (the functions it ran, not just
// the top level) into a private folder of the temporary directory, one file per command. V8 refuses a cache
// made by another V8 version or with other flags; the file name carries the bundle's digest. Any failure to
// read or write the cache only costs time. NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) turns it off.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { Script } from "node:vm";

/** The bundle to run: its path and what the build recorded of it (scripts/bundle.mjs). */
export interface Program {
  file: string;
  /** SHA-256 of the bundle, hex. */
  digest: string;
  /** Its length in bytes: an edited bundle of another length runs without the cache. */
  size: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const disabled = (env: Env) => Boolean(env.NODE_DISABLE_COMPILE_CACHE) && env.NODE_DISABLE_COMPILE_CACHE !== "0";

/** The cache folder, created owner-only; undefined when turned off, or when the folder is not ours alone. */
export function cacheFolder(env: Env, tmpdir = os.tmpdir()): string | undefined {
  if (disabled(env)) return undefined;
  const uid = process.getuid?.();
  const folder = path.join(tmpdir, `4dbuild-compile-cache-${uid ?? "user"}`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // Code from this folder runs as the user: in a shared temporary directory it must be a real folder that no
    // one else owns or can write to (another user could have made it first).
    const stat = lstatSync(folder);
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (process.platform !== "win32" && (stat.mode & 0o022) !== 0)) return undefined;
    return folder;
  } catch {
    return undefined;
  }
}

/** One cache per command (what `validate` compiles is not what `build` compiles): the start of its file names. */
const cachePrefix = (command: string | undefined): string => `${command && /^[a-z][a-z0-9-]{0,31}$/.test(command) ? command : "default"}-`;
const cacheName = (prefix: string, program: Program): string => `${prefix}${program.digest.slice(0, 16)}-${process.versions.v8}-${process.arch}.v8`;

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically; the command's caches of other bundles or Node versions (same prefix) go. */
function writeCache(folder: string, prefix: string, name: string, data: Buffer): void {
  const temporary = path.join(folder, `${name}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, path.join(folder, name));
    for (const other of readdirSync(folder)) if (other.startsWith(prefix) && other.endsWith(".v8") && other !== name) rmSync(path.join(folder, other), { force: true });
  } catch {
    rmSync(temporary, { force: true });
  }
}

/** Loads the bundle (a CommonJS file) as Node would require it, with the command's code cache when there is one; returns its exports. */
export function loadProgram(program: Program, command: string | undefined, env: Env = process.env): unknown {
  // The bundle is ASCII (scripts/bundle.mjs checks it): latin1 reads it without decoding UTF-8.
  const source = disabled(env) ? undefined : readFileSync(program.file, "latin1");
  const folder = source?.length === program.size ? cacheFolder(env) : undefined;
  if (source === undefined || folder === undefined) return createRequire(program.file)(program.file) as unknown;
  const prefix = cachePrefix(command);
  const name = cacheName(prefix, program);
  const cachedData = readCache(path.join(folder, name));
  // The wrapper CommonJS gives a module (Node's Module.wrap).
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: program.file, ...(cachedData ? { cachedData } : {}) });
  if (!cachedData || script.cachedDataRejected) process.once("exit", () => writeCache(folder, prefix, name, script.createCachedData()));
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(program.file), module, program.file, path.dirname(program.file));
  return module.exports;
}
