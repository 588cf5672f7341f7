import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { CliRun } from "../helpers.js";

/** Every file below `dir` (none when it does not exist), as bytes read in latin1 so that any byte compares. */
export function filesBelow(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    let entries;
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out[path.relative(dir, full)] = readFileSync(full).toString("latin1");
    }
  };
  walk(dir);
  return out;
}

/**
 * The canaries found in any output byte: stdout, stderr and the files given; an empty list when none leaked. Each
 * canary is looked for as written and as UTF-8 bytes read in latin1 (files are read so).
 */
export function leaks(canaries: readonly string[], run: CliRun, files: Record<string, string> = {}): string[] {
  const outputs: Record<string, string> = { stdout: run.stdout, stderr: run.stderr, ...files };
  return Object.entries(outputs).flatMap(([where, text]) => canaries.filter((c) => text.includes(c) || text.includes(Buffer.from(c).toString("latin1"))).map((c) => `${c} in ${where}`));
}
