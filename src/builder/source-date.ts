import { execFileSync } from "node:child_process";

/** The earliest date a zip (DOS) timestamp can hold. */
export const DOS_EPOCH = Date.UTC(1980, 0, 1) / 1000;

/**
 * The one date every output carries, so that builds are reproducible: SOURCE_DATE_EPOCH
 * (https://reproducible-builds.org/specs/source-date-epoch/), else the last commit's time, else 1980-01-01.
 */
export function sourceDateEpoch(env: NodeJS.ProcessEnv, cwd: string): { seconds: number; from: "SOURCE_DATE_EPOCH" | "git" | "default" } {
  const given = env.SOURCE_DATE_EPOCH?.trim();
  if (given && /^\d+$/.test(given)) return { seconds: Math.max(Number(given), DOS_EPOCH), from: "SOURCE_DATE_EPOCH" };
  try {
    const commit = execFileSync("git", ["log", "-1", "--format=%ct"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (/^\d+$/.test(commit)) return { seconds: Math.max(Number(commit), DOS_EPOCH), from: "git" };
  } catch {
    /* not a git checkout */
  }
  return { seconds: DOS_EPOCH, from: "default" };
}

/**
 * A Date whose local-time fields equal the UTC fields of `seconds`. Zip timestamps are written from local
 * time; this makes them the same in every time zone.
 */
export function zipDate(seconds: number): Date {
  const utc = new Date(seconds * 1000);
  return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds());
}
