import { createPrivateKey, type KeyObject } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURES = path.join(ROOT, "__tests__", "fixtures");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with its own environment and working folder, capturing what it writes. The CLI's
 * modules load at the first run: a test file that only uses the other helpers does not load them.
 */
export async function runCli(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; tty?: boolean } = {}): Promise<CliRun> {
  const { main } = await import("../src/cli/main.js");
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    env: { PATH: process.env.PATH, ...tempEnv(), ...options.env },
    cwd: options.cwd ?? ROOT,
  });
  return { code, stdout, stderr };
}

/** A Node.js stack frame, e.g. "    at loadManifest (/x/src/load.ts:12:3)". */
export const STACK_TRACE = /^\s+at .+(:\d+:\d+\)?)$/m;

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder "4dbuild-NAME-XXXXXX" in the temporary folder, removed after the test file, whether it passed or not. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `4dbuild-${name}-`));
  made.push(dir);
  return dir;
}

/**
 * TMPDIR, TMP and TEMP as the run has them (one private folder: __tests__/setup/temp-root.mjs), for the
 * processes a test starts with an environment of its own: what they put in the temporary folder goes there too.
 */
export const tempEnv = (): NodeJS.ProcessEnv => Object.fromEntries(["TMPDIR", "TMP", "TEMP"].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));

export const STAND_IN_TOOL4D = path.join(FIXTURES, "tool4d", "bin", "tool4d");
export const EPOCH = "1700000000";

/** A private copy of examples/ (the hello project and the stand-in runtimes). */
export function exampleCopy(): { root: string; manifest: string; out: string } {
  const root = tempDir("build");
  cpSync(path.join(ROOT, "examples"), path.join(root, "examples"), { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes("_Build") });
  return { root, manifest: path.join(root, "examples", "hello", "4dbuild.yml"), out: path.join(root, "out") };
}

/** A new package folder: the fixture project and, as Settings/buildApp.4DSettings, a copy of settingsFile. */
export function packageWith(settingsFile: string): string {
  const dir = tempDir("import");
  mkdirSync(path.join(dir, "Settings"));
  cpSync(path.join(FIXTURES, "app", "Project"), path.join(dir, "Project"), { recursive: true });
  cpSync(settingsFile, path.join(dir, "Settings", "buildApp.4DSettings"));
  return dir;
}

/** A CLI environment with a fixed clock and no colours. */
export const cliEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, ...tempEnv(), SOURCE_DATE_EPOCH: EPOCH, NO_COLOR: "1", ...extra });

/**
 * The JSON a child process writes into `file`, once it is there whole: a stand-in writes it without renaming, so
 * the file can exist and still be empty or cut. Undefined when it never is (the caller's assertion says why).
 */
export async function jsonWhenWritten<T>(file: string, { tries = 1200, everyMs = 25, until = () => false }: { tries?: number; everyMs?: number; until?: () => boolean } = {}): Promise<T | undefined> {
  for (let i = 0; i < tries && !until(); i++) {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as T;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
  return undefined;
}

/**
 * One of the test RSA keys (fixtures/keys, made for the tests, never used to sign anything else): certificates
 * for the tests are made with them, generating a 2048-bit key costs 0.1-1 s each time.
 */
export const testKey = (which: "a" | "b" | "c"): KeyObject => createPrivateKey(readFileSync(path.join(FIXTURES, "keys", `test-rsa-${which}.pem`)));
