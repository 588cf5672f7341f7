import { execFileSync } from "node:child_process";
import { realpathSync, statSync } from "node:fs";
import path from "node:path";
import { withoutTagPrefix } from "./versioning.js";

export type GitVariable = "tag" | "version" | "commit" | "shortCommit";
export const GIT_VARIABLES: readonly GitVariable[] = ["tag", "version", "commit", "shortCommit"];

/**
 * The git work tree holding `dir`, else undefined: the nearest folder, from `dir`'s real path up, that holds a
 * `.git` folder with a HEAD, or a `.git` file (a linked work tree or a submodule), which is how git itself finds
 * it (git-scm.com/docs/gitrepository-layout). Found without starting git: a build asks this several times, and
 * each `git rev-parse --show-toplevel` cost a process (10-30 ms).
 */
export function findWorkTree(dir: string): string | undefined {
  let current: string;
  try {
    current = realpathSync(dir);
  } catch {
    return undefined;
  }
  for (;;) {
    const dotGit = statSync(path.join(current, ".git"), { throwIfNoEntry: false });
    if (dotGit?.isFile() || (dotGit?.isDirectory() && statSync(path.join(current, ".git", "HEAD"), { throwIfNoEntry: false })?.isFile())) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The git work tree holding `dir`, else `dir` itself. */
export const repositoryRoot = (dir: string): string => findWorkTree(dir) ?? dir;

/**
 * Reads git facts lazily: the GitHub Actions variables first, then the repository itself. Outside a repository
 * there are none, and git is not started.
 */
export function gitReader(cwd: string, env: NodeJS.ProcessEnv): (name: GitVariable) => string | undefined {
  const cache = new Map<string, string | undefined>();
  let inRepository: boolean | undefined;
  const git = (...args: string[]): string | undefined => {
    const key = args.join(" ");
    if (!cache.has(key)) {
      inRepository ??= findWorkTree(cwd) !== undefined;
      if (!inRepository) return undefined;
      try {
        cache.set(key, execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined);
      } catch {
        cache.set(key, undefined);
      }
    }
    return cache.get(key);
  };
  const tag = () => (env.GITHUB_REF_TYPE === "tag" && env.GITHUB_REF_NAME) || git("describe", "--tags", "--exact-match", "HEAD");
  const commit = () => env.GITHUB_SHA || git("rev-parse", "HEAD");
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
