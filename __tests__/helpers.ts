import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURES = path.join(ROOT, "__tests__", "fixtures");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with its own environment and working folder, capturing what it writes. */
export async function runCli(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; tty?: boolean } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    env: { PATH: process.env.PATH, ...options.env },
    cwd: options.cwd ?? ROOT,
  });
  return { code, stdout, stderr };
}

/** A Node.js stack frame, e.g. "    at loadManifest (/x/src/load.ts:12:3)". */
export const STACK_TRACE = /^\s+at .+(:\d+:\d+\)?)$/m;

/** A file of the reference corpus, which CI provides beside the checkout (../shared); never copied into the repository. */
export function corpusFile(name: string): string {
  const file = path.resolve(ROOT, "..", "shared", "corpus", "buildapp", name);
  if (!existsSync(file)) throw new Error(`the reference corpus is missing: ${file} (the tests expect shared/ beside the checkout, as CI provides it)`);
  return file;
}

export const STAND_IN_TOOL4D = path.join(FIXTURES, "tool4d", "bin", "tool4d");
export const EPOCH = "1700000000";

/** A private copy of examples/ (the hello project and the stand-in runtimes). */
export function exampleCopy(): { root: string; manifest: string; out: string } {
  const root = mkdtempSync(path.join(tmpdir(), "4dbuild-build-"));
  cpSync(path.join(ROOT, "examples"), path.join(root, "examples"), { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes("_Build") });
  return { root, manifest: path.join(root, "examples", "hello", "4dbuild.yml"), out: path.join(root, "out") };
}

/** A CLI environment with a fixed clock and no colours. */
export const cliEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, SOURCE_DATE_EPOCH: EPOCH, NO_COLOR: "1", ...extra });
