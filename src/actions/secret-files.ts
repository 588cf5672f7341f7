import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Secret files (licences, certificates) given to the action as lines `VARIABLE=file-name:base64`: each is
 * written, owner-only, into a private temporary folder, and VARIABLE is set to its path so the manifest can
 * say `${env.VARIABLE}` without naming the file (licence file names hold licence numbers).
 */
export interface WrittenSecrets {
  folder: string;
  /** Every file written, to delete in the post step. */
  files: string[];
  variables: Record<string, string>;
  /** Values to mask: the base64 texts and the file names. */
  masks: string[];
}

export function parseSecretFiles(text: string): { variable: string; name: string; base64: string }[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=([^:/\\]+):([A-Za-z0-9+/=\s]+)$/.exec(line);
      // The line itself is secret: the message gives its number only.
      if (!match || /^\.+$/.test(match[2]!.trim())) throw new Error(`secret-files line ${i + 1} is not VARIABLE=file-name:base64`);
      return { variable: match[1]!, name: match[2]!, base64: match[3]!.replace(/\s+/g, "") };
    });
}

/** 4D's Licenses folder of this machine (licenses-and-ci.md §1.5); none known for Linux. */
export function licensesFolder(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (platform === "darwin") return path.join(os.homedir(), "Library", "Application Support", "4D", "Licenses");
  if (platform === "win32") return path.join(env.ProgramData ?? "C:\\ProgramData", "4D", "Licenses");
  return undefined;
}

export function writeSecretFiles(text: string, tempRoot: string, options: { installLicenses: boolean; licenses?: string }): WrittenSecrets {
  const entries = parseSecretFiles(text);
  const folder = path.join(tempRoot, `4dbuild-secrets-${randomBytes(6).toString("hex")}`);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const written: WrittenSecrets = { folder, files: [], variables: {}, masks: [] };
  for (const entry of entries) {
    const file = path.join(folder, entry.name);
    writeFileSync(file, Buffer.from(entry.base64, "base64"), { mode: 0o600 });
    written.files.push(file);
    written.variables[entry.variable] = file;
    written.masks.push(entry.base64, entry.name);
    if (options.installLicenses && options.licenses && /\.license4D$/i.test(entry.name)) {
      mkdirSync(options.licenses, { recursive: true });
      const installed = path.join(options.licenses, entry.name);
      // A licence already installed on a self-hosted runner is left alone, and not deleted afterwards.
      if (!existsSync(installed)) {
        copyFileSync(file, installed);
        written.files.push(installed);
      }
    }
  }
  return written;
}

/** Deletes what writeSecretFiles wrote; missing files are fine (a second run, a cancelled job). */
export function removeSecretFiles(files: readonly string[], folder: string | undefined): void {
  for (const file of files) rmSync(file, { force: true });
  if (folder) rmSync(folder, { recursive: true, force: true });
}
