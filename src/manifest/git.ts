import type * as ChildProcess from "node:child_process";
import { createRequire } from "node:module";
import { headFromFiles, type HeadFromFiles } from "../files/git-refs.js";
import { findWorkTree } from "../files/work-tree.js";
import { withoutTagPrefix } from "./versioning.js";

export type GitVariable = "tag" | "version" | "commit" | "shortCommit";
export const GIT_VARIABLES: readonly GitVariable[] = ["tag", "version", "commit", "shortCommit"];

// node:child_process loads when git is started: most runs read HEAD from the files (git-refs.ts), and loading it is ~4 ms of a start.
const runGit = (cwd: string, args: string[]): string =>
  (createRequire(import.meta.url)("node:child_process") as typeof ChildProcess).execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

/**
 * Reads git facts lazily: the GitHub Actions variables first, then the repository's files when they answer for
 * sure (git-refs.ts), else git itself. Outside a repository there are none, and git is not started.
 */
export function gitReader(cwd: string, env: NodeJS.ProcessEnv): (name: GitVariable) => string | undefined {
  const cache = new Map<string, string | undefined>();
  // null: not looked for yet.
  let workTree: string | undefined | null = null;
  let files: HeadFromFiles | undefined | null = null;
  const repository = () => (workTree === null ? (workTree = findWorkTree(cwd)) : workTree);
  // git reads its own environment (GIT_DIR…): the process's, not the manifest's.
  const head = () => {
    if (files === null) {
      const root = repository();
      files = root === undefined ? undefined : headFromFiles(root, process.env);
    }
    return files;
  };
  const git = (...args: string[]): string | undefined => {
    const key = args.join(" ");
    if (!cache.has(key)) {
      if (repository() === undefined) return undefined;
      try {
        cache.set(key, runGit(cwd, args).trim() || undefined);
      } catch {
        cache.set(key, undefined);
      }
    }
    return cache.get(key);
  };
  const tag = () => {
    if (env.GITHUB_REF_TYPE === "tag" && env.GITHUB_REF_NAME) return env.GITHUB_REF_NAME;
    const known = head();
    return known ? known.tags[0] : git("describe", "--tags", "--exact-match", "HEAD");
  };
  const commit = () => env.GITHUB_SHA || head()?.commit || git("rev-parse", "HEAD");
  return (name) => {
    switch (name) {
      case "tag":
        return tag();
      case "version":
        return withoutTagPrefix(tag() ?? "") || undefined;
      case "commit":
        return commit();
      case "shortCommit":
        return commit()?.slice(0, 7);
    }
  };
}
