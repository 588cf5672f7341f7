import { spawnSync } from "node:child_process";
import { UsageError } from "../messages/errors.js";

const git = (cwd: string, args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const hasCommit = (cwd: string, revision: string) => git(cwd, ["cat-file", "-e", `${revision}^{commit}`]).status === 0;

/**
 * Makes the pull request's base commit available for the diff: actions/checkout fetches one commit by default,
 * so the base is fetched from `origin` by its SHA (one commit, no tags) when it is not there. Returns what was
 * done, for the log; a base that cannot be fetched is a UsageError saying what to change.
 */
export function ensureBaseCommit(cwd: string, revision: string): "present" | "fetched" {
  if (hasCommit(cwd, revision)) return "present";
  const fetched = git(cwd, ["fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", revision]);
  if (fetched.status === 0 && hasCommit(cwd, revision)) return "fetched";
  const why = (fetched.stderr || fetched.error?.message || "").trim().split("\n").pop() ?? "";
  throw new UsageError(`the pull request's base ${revision} is not in the checkout, and git fetch origin ${revision} failed${why ? `: ${why}` : ""}`, "check out with actions/checkout fetch-depth: 0, or set the base input to a revision the checkout has");
}
